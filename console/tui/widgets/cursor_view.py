"""A Line-API list with one cursor row: the moves shared by the inbox list and the audit log."""

from __future__ import annotations

from textual.geometry import Region
from textual.scroll_view import ScrollView


class CursorView(ScrollView):
    """`total` rows, `cursor` on one of them; subclasses draw the rows and may react in `_cursor_moved`."""

    total: int = 0
    cursor: int = 0

    def _cursor_moved(self) -> None:
        """After every move (even to the same row): a hook for subclasses."""

    def move_to(self, index: int) -> None:
        if self.total == 0:
            return
        index = max(0, min(index, self.total - 1))
        if index != self.cursor:
            old, self.cursor = self.cursor, index
            self.refresh(Region(0, old - int(self.scroll_y), self.size.width, 1))
            self.refresh(Region(0, index - int(self.scroll_y), self.size.width, 1))
        self._scroll_cursor_into_view()
        self._cursor_moved()

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        height = max(self.size.height, 1)
        top = int(self.scroll_y)
        if center and not top <= self.cursor < top + height:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.total - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(self.size.height - 1, 1))

    def on_click(self, event) -> None:
        self.move_to(int(self.scroll_y) + event.y)
