"""HTML to readable text: blocks as line breaks, list items, table cells, in linear time."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_CELL = "\ue000"  # a table-cell separator placeholder, resolved after layout
_BLOCK = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figcaption figure footer form header "
    "hr main nav ol p pre section table tbody thead tfoot ul h1 h2 h3 h4 h5 h6".split()
)
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 blockquote table".split())
_DROP = frozenset(("script", "style", "title", "template"))


class _HTMLText(HTMLParser):
    """Collects text; block boundaries are pending breaks, flushed before the next visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drop: list[str] = []
        self.pre = 0
        self.cells: list[int] = []
        self.pending = 0  # newlines owed before the next text
        self.bullet: int | None = None  # an <li> waiting for its text: the break owed before it
        self.lists: list[bool] = []  # per open list: whether it has had an item yet

    def _break(self, n: int) -> None:
        self.pending = max(self.pending, n)

    def _emit(self, text: str) -> None:
        if self.bullet is not None:
            self.pending, self.bullet, text = self.bullet, None, "- " + text.lstrip()
        if self.pending:
            if self.out:
                self.out.append("\n" * self.pending)
            self.pending = 0
        self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.drop.append(tag)
            return
        if tag == "body" and "title" in self.drop:  # an unclosed <title>
            self.drop = [t for t in self.drop if t != "title"]
        if tag == "br":
            if self.bullet is None:
                self._emit("\n")
        elif tag == "li":
            if self.lists and self.lists[-1]:
                self.pending = 1  # items of one list sit on consecutive lines
            else:
                self._break(1)
            if self.lists:
                self.lists[-1] = True
            self.bullet = self.pending
        elif tag == "tr":
            self._break(1)
            if self.cells:
                self.cells[-1] = 0
        elif tag in ("td", "th"):
            if self.cells:
                if self.cells[-1] and not self.pending:
                    self.out.append(_CELL)
                self.cells[-1] += 1
        elif tag in _BLOCK:
            self._break(2 if tag in _PARAGRAPH else 1)
        if tag == "table":
            self.cells.append(0)
        elif tag in ("ul", "ol"):
            self.lists.append(False)
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            if tag in self.drop:
                while self.drop and self.drop.pop() != tag:
                    pass
            return
        if tag == "table" and self.cells:
            self.cells.pop()
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in _BLOCK or tag in ("li", "tr"):
            self._break(2 if tag in _PARAGRAPH else 1)

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
            if not data.strip() and (self.pending or self.bullet is not None or not self.out):
                return
        self._emit(data)


def _tidy_lines(text: str) -> str:
    """Lines stripped, cell placeholders resolved, runs of blank lines collapsed to one."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.replace("\xa0", " ").strip(" \t" + _CELL)
        line = re.sub(r"[ \t]{2,}", " ", line)  # first, so the next pattern never rescans a run of blanks
        line = re.sub(f"(?: ?{_CELL} ?)+", " | ", line).replace("\t", " ")
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


_LONE_LT = re.compile(r"<(?![^<>]*>)")  # a "<" that starts no complete tag; linear: each scan stops at the next "<"


def _defuse(markup: str) -> str:
    """Comments dropped and lone "<" escaped, in linear time.

    html.parser rescans an unterminated tag or comment from every "<" (quadratic on "<a <a <a ...").
    """
    kept: list[str] = []
    pos = 0
    while (start := markup.find("<!--", pos)) >= 0:
        kept.append(markup[pos:start])
        end = markup.find("-->", start + 4)
        pos = len(markup) if end < 0 else end + 3
    kept.append(markup[pos:])
    return _LONE_LT.sub("&lt;", "".join(kept))


def html_to_text(markup: str) -> str:
    """Readable text from HTML: blocks as line breaks, "- " list items, " | " between table cells."""
    parser = _HTMLText()
    try:
        markup = _defuse(markup)
        parser.feed(markup)
        parser.close()
        text = "".join(parser.out)
    except Exception:  # html.parser is lenient, but a malformed declaration can still trip it
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
        text = re.sub(r"(?i)<br\s*/?>|</?(?:p|div|li|tr|h[1-6])\b[^>]*>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        text = re.sub(r"[ \t]+", " ", text)
    return _tidy_lines(text)
