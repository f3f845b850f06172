"""The inbox's row count when it is slow to tell: a filter of words with other conditions ("safety
status:open", 81,000 word matches at 1M, 0.2 s to count exactly).

`InboxCount` is a mixin of `InboxScreen`. Its reload shows the first rows at once from a lower bound (the store's
`count_or_bound`: the first rows in triage order) and the top bar says "1,000+ shown"; the exact count is told on
a thread, on a read-only connection of its own (`Desk.counter`), while the keys go on. A newer reload stops the
old count; a key that needs the count now (G, a move past the rows known so far, a change to the whole filter)
asks for it at once (`NoticeList.settle`).
"""

from __future__ import annotations

from collections.abc import Callable

from console.core.errors import StoreError
from console.core.triage import FilterError
from console.tui.widgets.notice_list import ListHeader, NoticeList


class InboxCount:
    """The count told apart; `_count_gen` (set by InboxScreen) says which reload a count belongs to."""

    _count_gen: int = 0

    def _count_apart(self, run: Callable[[], int | None]) -> None:
        """Tell the exact count on a thread (the list shows its first rows meanwhile, the bar "1,000+ shown")."""
        gen = self._count_gen

        def work() -> None:
            n = run()
            try:
                self.app.call_from_thread(self._counted, gen, n)
            except RuntimeError:  # the console closed meanwhile
                pass

        self.run_worker(work, thread=True, group="count", exit_on_error=False)

    def _counted(self, gen: int, n: int | None) -> None:
        notices = self.query_one(NoticeList)
        if gen != self._count_gen or not notices.counting:
            return  # a newer reload (or G) stopped this count: its answer, if any, is not for this list
        if n is None:  # not stopped, so it failed on its own connection: on the console's then
            self._settle_count()
            return
        notices.grow(n)
        self._shown_now(n)

    def _settle_count(self) -> None:
        """The exact count now (G, or a move past the rows known so far, while it is told on a thread)."""
        self.desk.stop_counting()
        self._count_gen += 1
        notices = self.query_one(NoticeList)
        try:
            n = self.desk.count(self.effective_filter, unread=False)[0]
        except (FilterError, StoreError):
            n = notices.total
        notices.grow(n)
        self._shown_now(n)

    def _shown_now(self, n: int) -> None:
        if self._flag_args is not None:
            self._flag_args = (*self._flag_args[:5], n)
        self.show_flag()
        self.query_one(ListHeader).refresh()

