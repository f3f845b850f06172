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
             shown: int | None = None, marked: int = 0, ranged: int = 0,
             sources: tuple[list[tuple[str, str, str]], list[str]] = ([], []), counting: bool = False) -> None:
        """`sources` (see `source_marks`): when each source last succeeded, a warning for each failing too long;
        the warnings are kept like the counts, the times are dropped first when the width runs short.
        `counting`: `shown` is a lower bound while the exact count is told ("1,000+ shown")."""
        self._last = (unread, overdue, operator, scope, follow_ups, shown, marked, ranged, sources, counting)
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
        fetched, failing = sources
        if len(failing) > 1 and sum(cell_len(f) + 2 for f in failing) > width // 3:
            failing = [f"{len(failing)} sources failing"]  # the names: `flagdesk sources list`
        for line in failing:
            text.append("  ")
            text.append(em.pad(line), style=em.urgent)
        if marked or ranged:
            text.append("  ")
            text.append(f" {marked:,} marked " + (f"+ {ranged:,} in range " if ranged else ""), style="bold reverse")
        tail = Text()
        if shown is not None:
            tail.append(f" · {shown:,}+ shown" if counting else f" · {shown:,} shown")
        tail.append(f" · {operator}", style="dim")
        room = width - text.cell_len - tail.cell_len - 1
        if fetched:  # every source's time if it fits beside a bit of the scope, else the oldest only
            full = " · fetched " + ", ".join(f"{n} {t}" for n, t, _ in fetched)
            short = f" · fetched {min(fetched, key=lambda f: f[2])[1]}"
            for segment in (full, short):
                if room - cell_len(segment) >= 16:
                    tail = Text(segment, style="dim") + tail
                    room -= cell_len(segment)
                    break
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


def source_marks(health: list[dict], now, tz) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The desk's `source_health` in words: ([(name, "08:01" or "11-26" or "never", sort key)],
    ["spapi failing 2 h"])."""
    fetched, failing = [], []
    today = now.astimezone(tz).date() if tz else now.date()
    for h in health:
        when = h["last_ok"]
        if when is None:
            fetched.append((h["name"], "never", ""))
        else:
            local = when.astimezone(tz) if tz else when
            fetched.append((h["name"], f"{local:%H:%M}" if local.date() == today else f"{local:%m-%d}",
                            when.isoformat()))
        if h["failing"] is not None:
            failing.append(f"{h['name']} failing {_span(h['failing'])}")
    return fetched, failing


def _span(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"
