"""The top bar: Seller Central's flag with the red unread count, for every account at once."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FlagBar(Static):
    """⚑ with the total unread count (red only when above zero), plus what the inbox shows."""

    def show(self, unread: int, overdue: int, operator: str, scope: str, follow_ups: int = 0,
             marked: int = 0, ranged: int = 0) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ⚑ ", style="bold")
        if unread:
            text.append(f" {unread} ", style="bold white on red")
            text.append(" unread", style="bold")
        else:
            text.append("0 unread")
        if overdue:
            text.append("  ")
            text.append(f"{overdue} overdue", style="bold red")
        if follow_ups:
            text.append("  ")
            text.append(f"{follow_ups} follow-up{'s' if follow_ups != 1 else ''} overdue", style="bold yellow")
        if marked or ranged:
            text.append("  ")
            text.append(f" {marked:,} marked " + (f"+ {ranged:,} in range " if ranged else ""), style="bold reverse")
        text.append("   flagdesk", style="bold")
        text.append(f" · {scope}")
        text.append(f" · {operator}", style="dim")
        # One line of fixed size (see inbox.tcss): a new count repaints the bar without a screen layout.
        self.update(text, layout=False)
