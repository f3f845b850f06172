"""The top bar: Seller Central's flag with the red unread count, for every account at once."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from console.tui.emphasis import Emphasis


class FlagBar(Static):
    """⚑ with the total unread count (red only when above zero), plus what the inbox shows.

    It degrades by priority, never cutting a count: the counts first, then "N shown · operator", then what
    is shown (the scope, cut with "…"); the name "flagdesk" goes first when the width runs short."""

    _last: tuple | None = None

    def show(self, unread: int, overdue: int, operator: str, scope: str, follow_ups: int = 0,
             shown: int | None = None, marked: int = 0, ranged: int = 0) -> None:
        self._last = (unread, overdue, operator, scope, follow_ups, shown, marked, ranged)
        em = Emphasis.of(self.app)
        width = self.size.width or self.app.size.width
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ⚑ ", style="bold")
        if unread:
            text.append(f" {unread} ", style=em.count)
            text.append(" unread", style="bold")
        else:
            text.append("0 unread")
        if overdue:
            text.append("  ")
            text.append(em.pad(f"{overdue} overdue"), style=em.urgent)
        if follow_ups:
            text.append("  ")
            text.append(em.pad(f"{follow_ups} follow-up{'s' if follow_ups != 1 else ''} overdue"), style=em.warning)
        if marked or ranged:
            text.append("  ")
            text.append(f" {marked:,} marked " + (f"+ {ranged:,} in range " if ranged else ""), style="bold reverse")
        tail = Text()
        if shown is not None:
            tail.append(f" · {shown} shown")
        tail.append(f" · {operator}", style="dim")
        room = width - text.cell_len - tail.cell_len - 1
        name = "   flagdesk"
        if room < cell_len(name) + 3 + min(cell_len(scope), 12):
            name = ""
        room -= cell_len(name)
        if name:
            text.append(name, style="bold")
        if room >= 4:
            lead = " · " if name else "  "
            cut = scope if cell_len(lead + scope) <= room else scope[: max(room - cell_len(lead) - 1, 1)] + "…"
            text.append(lead + cut)
        text.append_text(tail)
        # One line of fixed size (see inbox.tcss): a new count repaints the bar without a screen layout.
        self.update(text, layout=False)

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)
