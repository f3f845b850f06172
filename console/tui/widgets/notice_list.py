"""The inbox list: a Line-API virtual list that asks the database for one page at a time.

It never loads the whole table: it knows the row count, renders only the lines on screen
and keeps a small cache of pages, so 100,000 notifications scroll like 100.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from console.core.clock import parse_iso
from console.core.textsafe import shown
from console.core.triage import countdown, relative
from console.tui.widgets.cursor_view import CursorView
from console.tui.widgets.page_cache import PageCache

MAX_STRIPS = 500
SUBJECT_MIN = 40  # cells the subject keeps at 80 columns before it gives way itself
DEADLINE_W = 12  # "overdue 999d"
SEVERITY_SHORT = {"critical": "CRIT", "high": "HIGH", "medium": "MED", "low": "LOW"}

# (offset, limit, sort_key of the row before offset or None, total rows) -> rows
PageLoader = Callable[[int, int, str | None, int], list[dict[str, Any]]]


class NoticeList(CursorView, can_focus=True):
    """Rows of notifications in triage order; the cursor row is what the detail pane shows."""

    COMPONENT_CLASSES = {
        "notice-list--cursor",
        "notice-list--unread",
        "notice-list--closed",
        "notice-list--urgent",
        "notice-list--critical",
        "notice-list--high",
        "notice-list--medium",
        "notice-list--low",
        "notice-list--dim",
        "notice-list--owner",
        "notice-list--present",
        "notice-list--marked",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down", tooltip="Next notification"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up", tooltip="Previous notification"),
        Binding("g,home", "first", "First", show=False, id="first", tooltip="First notification"),
        Binding("G,end", "last", "Last", show=False, id="last", tooltip="Last notification"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        # Not in the footer: the footer then reads the same in the list, the sidebar and the filter box,
        # and moving between them does not rebuild it.
        Binding("enter", "open", "Open", show=False, id="open",
                tooltip="Open the notification (marks it read); the list keeps the keys, tab goes into the detail"),
    ]

    class Highlighted(Message):
        """The cursor moved to another notification (or to none)."""

        def __init__(self, notice_list: NoticeList, nid: int | None) -> None:
            super().__init__()
            self.notice_list = notice_list
            self.nid = nid

        @property
        def control(self) -> NoticeList:
            return self.notice_list

    class Opened(Message):
        def __init__(self, nid: int) -> None:
            super().__init__()
            self.nid = nid

    def __init__(self, loader: PageLoader, now: Callable[[], datetime],
                 reading: Callable[[str, str], str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._loader = loader
        self._now = now
        # A row's fate and cause in words ("Deactivated · Product authenticity"), remembered per pair.
        self._reading = reading or (lambda fate, cause: fate.replace("_", " "))
        self._reading_words: dict[tuple[str, str], str] = {}
        self._pages: PageCache[dict[str, Any]] = PageCache(
            lambda offset, limit, after: self._loader(offset, limit, after, None if self.counting else self.total),
            lambda row: row["sort_key"])
        self.total = 0
        # While the exact count is told on a thread, `total` is a lower bound (the first rows in triage order):
        # a page is then read forwards, and a move past the bound asks `settle` (the owner's) for the count now.
        self.counting = False
        self.settle: Callable[[], None] | None = None
        self.cursor = 0
        self.show_account = True
        self._last_highlighted: int | None = -1
        self._announce_pending = False
        # Other operators on each notification right now: {nid: [(operator, 'viewing' | 'editing')]}.
        self.presence: dict[int, list[tuple[str, str]]] = {}
        # Marked rows (space, *, a V range): {nid: the version when marked}; range_anchor: where an open V
        # range started (its rows, up to the cursor, show as marked until it is closed).
        self.marks: dict[int, int] = {}
        self.range_anchor: int | None = None
        self._styles: dict[str, Style] = {}  # component styles, resolved once per style change
        self._strips: dict[tuple, Strip] = {}  # rendered lines, oldest first (see render_line)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = (
                self.rich_style if name == "base" else self.get_component_rich_style(name, partial=True)
            )
        return style

    # --- data -----------------------------------------------------------------------------

    def reset(self, total: int, cursor: int = 0, counting: bool = False) -> None:
        """New data (another filter, or a refresh): drop the cache, keep the cursor in range. `counting`:
        `total` is a lower bound until `grow` tells the exact count."""
        self._pages.clear()
        self.counting = counting
        self._size_to(total)
        self.cursor = max(0, min(cursor, total - 1))
        self._last_highlighted = -1
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self._announce_pending = True  # the owner takes it at once (take_highlight), else it is posted
        self.call_later(self._announce_if_pending)

    def _size_to(self, total: int) -> None:
        self.total = total
        size = Size(self.size.width, total)
        if size != self.virtual_size:
            # Not the reactive's setter, which would lay the whole screen out again: only the scrollbar
            # changes (its gutter is always kept, see inbox.tcss).
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)

    def grow(self, total: int) -> None:
        """The exact count, told after a lower bound (`reset(counting=True)`): the rows read stay, and so does
        the cursor."""
        self.counting = False
        self._size_to(total)
        if self.cursor >= total:
            self.move_to(total - 1)
        self.refresh()

    def exact_total(self) -> int:
        """The row count, told now if it was still being counted."""
        if self.counting and self.settle is not None:
            self.settle()
        return self.total

    def move_to(self, index: int) -> None:
        if self.counting and index >= self.total - 1:
            self.exact_total()  # past the rows known so far: the count first
        super().move_to(index)

    def action_last(self) -> None:
        self.exact_total()
        super().action_last()

    def take_highlight(self) -> int | None:
        """After reset(): the row now under the cursor, for the owner to show at once (no message follows)."""
        self._announce_pending = False
        row = self.current
        self._last_highlighted = row["id"] if row else None
        return self._last_highlighted

    def _announce_if_pending(self) -> None:
        if self._announce_pending:
            self._announce_pending = False
            self._announce()

    def row(self, index: int) -> dict[str, Any] | None:
        return self._pages.get(index, self.total)

    @property
    def row_width(self) -> int:
        """Cells a row may use: the widget less its scrollbar."""
        return self.scrollable_content_region.width

    @property
    def current(self) -> dict[str, Any] | None:
        return self.row(self.cursor)

    @property
    def range_span(self) -> tuple[int, int] | None:
        """(first, last) position of the open V range, or None."""
        if self.range_anchor is None:
            return None
        return min(self.range_anchor, self.cursor), max(self.range_anchor, self.cursor)

    def is_marked(self, index: int, nid: int) -> bool:
        span = self.range_span
        return nid in self.marks or (span is not None and span[0] <= index <= span[1])

    def marks_changed(self) -> None:
        """The marks or the range changed: draw again (the marker column comes and goes with them)."""
        for header in self.screen.query(ListHeader):
            header.refresh()
        self.refresh()

    # --- cursor ---------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        if self.range_anchor is not None:
            self.refresh()  # the open range follows the cursor
        self._announce()

    def _announce(self) -> None:
        row = self.current
        nid = row["id"] if row else None
        if nid != self._last_highlighted:
            self._last_highlighted = nid
            self.post_message(self.Highlighted(self, nid))

    def action_open(self) -> None:
        row = self.current
        if row:
            self.post_message(self.Opened(row["id"]))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)
        self._scroll_cursor_into_view()
        self._refresh_headers()

    def on_focus(self) -> None:
        self._refresh_headers()  # the ▶ marker

    def on_blur(self) -> None:
        self._refresh_headers()

    def _refresh_headers(self) -> None:
        for header in self.screen.query(ListHeader):
            header.refresh()

    # --- rendering ------------------------------------------------------------------------

    def _columns(self, width: int) -> list[tuple[str, int]]:
        """Which columns fit, by priority rather than by truncation: the subject keeps SUBJECT_MIN cells while
        lower columns give way first — the reading (under 110), the received time, then the marketplace folds
        into the account cell ("Brightw… UK") and the account narrows. Presence and claims become one-cell
        markers then too (see `compact_marks`)."""
        cols = [("mark", 1), ("severity", 4)]
        if self.marks or self.range_anchor is not None:  # marked rows: `*` in a column of its own
            cols.insert(0, ("marked", 1))
        if self.show_account:
            account = 16 if width >= 100 else 10
            cols.append(("account", account))
        cols.append(("marketplace", 2))
        if width >= 110:
            cols.append(("category", 24 if width >= 140 else 18))
        tail = [("received", 8), ("deadline", DEADLINE_W)]

        def room() -> int:
            return width - sum(w + 1 for _, w in cols + tail) - 1

        steps: list[Callable[[], None]] = [lambda: tail.remove(("received", 8))]
        if self.show_account:
            def fold() -> None:
                cols.remove(("marketplace", 2))
                index = next(i for i, (k, _) in enumerate(cols) if k == "account")
                cols[index] = ("account+mp", 12)

            steps += [fold, lambda: cols.__setitem__(
                next(i for i, (k, _) in enumerate(cols) if k == "account+mp"), ("account+mp", 10))]
        for step in steps:
            if room() >= SUBJECT_MIN:
                break
            step()
        return cols + [("subject", max(room(), 8))] + tail

    def compact_marks(self, width: int) -> bool:
        """Whether presence and claims show as one-cell markers (◉ ✎ @) rather than names: when the columns
        had to give way (see _columns)."""
        return not any(key == "received" for key, _ in self._columns(width))

    def header_text(self, width: int) -> Text:
        names = {"mark": "", "severity": "Sev", "account": "Account", "account+mp": "Account MP",
                 "marketplace": "MP", "category": "Reading", "subject": "Subject", "received": "Received",
                 "deadline": "Deadline", "marked": ""}
        text = Text(no_wrap=True)
        for key, w in self._columns(width):
            if key == "mark" and self.has_focus:
                text.append("▶ ", style="bold")  # the focused pane's marker (the list has the keys)
                continue
            text.append(names[key].ljust(w)[:w] + " ")
        return text

    def _row_text(self, row: dict[str, Any], width: int, selected: bool, marked: bool = False) -> Text:
        now = self._now()
        unread = row["status"] == "new"
        closed = row["status"] in ("resolved", "dismissed")
        due = countdown(parse_iso(row["deadline_at"]) if row["deadline_at"] else None, now)
        style = lambda name: self._style(name)  # noqa: E731
        base = Style()
        if unread:
            base += style("notice-list--unread")
        if closed:
            base += style("notice-list--closed")
        text = Text(no_wrap=True, style=base)
        compact = self.compact_marks(width)
        for key, w in self._columns(width):
            cell_style = Style()
            if key == "marked":
                value = "*" if marked else " "
            elif key == "mark":
                value = "●" if unread else ("✓" if closed else " ")
            elif key == "severity":
                value = SEVERITY_SHORT.get(row["severity"], row["severity"])
                cell_style = style(f"notice-list--{row['severity']}") if not closed else Style()
            elif key == "account":
                value = shown(row["account"])
            elif key == "account+mp":
                mp = shown(row["marketplace"])
                name = shown(row["account"])
                room = w - len(mp) - 1
                value = (name if len(name) <= room else name[:max(room - 1, 1)] + "…").ljust(room) + " " + mp
            elif key == "marketplace":
                value = shown(row["marketplace"])
            elif key == "category":
                pair = (row["category"], row.get("cause") or "other")
                if pair not in self._reading_words:
                    self._reading_words[pair] = shown(self._reading(*pair))
                value = self._reading_words[pair]
                if len(value) > w:
                    value = value[:w - 1] + "…"
                cell_style = style("notice-list--dim")
            elif key == "subject":
                cell = self._subject_cell(row, compact)
                cell.truncate(w, overflow="ellipsis", pad=True)
                text.append_text(cell)
                text.append(" ")
                continue
            elif key == "received":
                value = relative(parse_iso(row["received_at"]), now)
                cell_style = style("notice-list--dim")
            else:
                value = fit_due(due.text, w) if not closed else ""
                if due.urgent and not closed:
                    cell_style = style("notice-list--urgent")
            cell = Text(value, no_wrap=True, style=cell_style)
            cell.truncate(w, overflow="ellipsis", pad=True)
            text.append_text(cell)
            text.append(" ")
        if marked:
            text.stylize(style("notice-list--marked"))
        if selected:
            text.stylize(style("notice-list--cursor"))
        return text

    def _subject_cell(self, row: dict[str, Any], compact: bool = False) -> Text:
        """The subject, after who owns the notification (@name) and who else is on it now (◉name); compact:
        one marker each (◉ someone is looking, ✎ someone is editing its appeal, @ claimed), names in the detail."""
        cell = Text(no_wrap=True)
        present = self.presence.get(row["id"], ())
        if compact and present:
            editing = any(what == "editing" for _, what in present)
            cell.append("✎" if editing else "◉", style=self._style("notice-list--present"))
            cell.append(" ")
        for actor, what in () if compact else present:
            cell.append(f"◉{shown(actor)}" + ("✎" if what == "editing" else ""),
                        style=self._style("notice-list--present"))
            cell.append(" ")
        if row.get("assignee"):
            cell.append("@" if compact else f"@{shown(row['assignee'])}", style=self._style("notice-list--owner"))
            cell.append(" ")
        cell.append(shown(row["subject"]))  # cleaned at ingest; again here for rows written by other means
        return cell

    def render_line(self, y: int) -> Strip:
        width = self.row_width
        base = self._style("base")
        index = int(self.scroll_y) + y
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        selected = index == self.cursor and self.total > 0
        marking = bool(self.marks) or self.range_anchor is not None
        marked = marking and self.is_marked(index, row["id"])
        # A row's line depends on its values, the cursor, the width, the columns, who else is on it, whether it
        # is marked and the minute (relative times): a repaint re-renders only the lines that changed.
        key = (tuple(row.values()), selected, width, self.show_account, tuple(self.presence.get(row["id"], ())),
               int(self._now().timestamp() // 60), marking, marked)
        strip = self._strips.get(key)
        if strip is None:
            text = self._row_text(row, width, selected=selected, marked=marked)
            text.truncate(width, pad=True)
            segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
            strip = self._strips[key] = Strip(segments, width).crop_extend(0, width, base)
            if len(self._strips) > MAX_STRIPS:
                self._strips.pop(next(iter(self._strips)))
        return strip


def fit_due(text: str, width: int) -> str:
    """A deadline's words in width, never cut: "overdue 1200d" becomes "late 1200d"."""
    if len(text) > width and text.startswith("overdue "):
        return "late " + text.removeprefix("overdue ")
    return text


class ListHeader(Widget):
    """Column titles that line up with the list below at any width."""

    def __init__(self, notice_list: NoticeList, **kwargs) -> None:
        super().__init__(**kwargs)
        self.notice_list = notice_list

    def render(self) -> Text:
        return self.notice_list.header_text(self.notice_list.row_width or self.size.width)
