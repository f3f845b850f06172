"""The rows of a long list, read a page at a time: what the inbox list and the audit log keep in memory.

Only the pages the operator looks at are read, and only the most recent MAX_PAGES of them are kept.
A page is read after the last row of the page before it when that one is at hand (keyset pagination:
an indexed range instead of an OFFSET scan); `fetch(offset, limit, after)` gets None for `after` otherwise.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

PAGE = 100
MAX_PAGES = 20

Row = TypeVar("Row")


class PageCache(Generic[Row]):
    def __init__(self, fetch: Callable[[int, int, Any], list[Row]], key: Callable[[Row], Any]) -> None:
        self._fetch = fetch
        self._key = key  # a row's keyset position, handed to the next page's fetch
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.loads = 0  # pages fetched: tests check that scrolling pages in, rather than loading everything

    def clear(self) -> None:
        self._pages.clear()

    def get(self, index: int, total: int) -> Row | None:
        """Row `index` of `total`, reading its page when it is not at hand."""
        if not 0 <= index < total:
            return None
        page_no = index // PAGE
        page = self._pages.get(page_no)
        if page is None:
            before = self._pages.get(page_no - 1)
            after = self._key(before[-1]) if before and len(before) == PAGE else None
            page = self._fetch(page_no * PAGE, PAGE, after)
            self.loads += 1
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index - page_no * PAGE
        return page[offset] if offset < len(page) else None

    @property
    def loaded_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())
