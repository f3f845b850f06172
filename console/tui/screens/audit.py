"""The audit log: every change by every operator, newest first, paged from the database as you scroll.

The list is a Line-API view over `store.audit_log`: it knows the count, renders only the lines on screen
and fetches pages of 100 by id (the page before's last id), so 100,000 rows scroll like 100. `/` filters
(`account:NAME actor:NAME since:2d action:case` plus words matched against action and detail), `enter`
shows a row in full. With the app's live refresh on, other sessions' writes appear within a second and
the cursor stays on the row it was on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, tzinfo

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Input, Static

from console.core import audit as audit_log
from console.core.audit import AuditEntry
from console.core.config import ConfigError, operator_tz
from console.core.errors import StoreError
from console.core.textsafe import clean, one_line
from console.tui.screens.base import DeskScreen
from console.tui.styles import sheet
from console.tui.widgets.cursor_view import CursorView
from console.tui.widgets.footer import FittingFooter
from console.tui.widgets.page_cache import PageCache
from console.tui.widgets.safe_input import SafeInput

# (offset, limit, id of the row before offset or None) -> entries
Loader = Callable[[int, int, int | None], list[AuditEntry]]


def _zone() -> tzinfo:
    try:
        return operator_tz()
    except ConfigError:
        return UTC


class AuditList(CursorView, can_focus=True):
    """Audit rows, newest first; the cursor row is what enter opens."""

    COMPONENT_CLASSES = {"audit-list--cursor", "audit-list--dim", "audit-list--action"}
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="audit_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="audit_up"),
        Binding("g,home", "first", "Newest", show=False, id="audit_first"),
        Binding("G,end", "last", "Oldest", show=False, id="audit_last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="audit_page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="audit_page_up"),
        Binding("enter", "open", "Detail", id="audit_open", tooltip="The row in full"),
    ]

    class Opened(Message):
        def __init__(self, entry: AuditEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, loader: Loader, tz: tzinfo, **kwargs) -> None:
        super().__init__(**kwargs)
        self._loader = loader
        self.tz = tz
        self._pages: PageCache[AuditEntry] = PageCache(loader, lambda entry: entry.id)
        self.total = 0
        self.cursor = 0

    # --- data -----------------------------------------------------------------------------

    def reset(self, total: int, cursor: int = 0) -> None:
        self._pages.clear()
        self.total = total
        self.virtual_size = Size(self.size.width, total)
        self.cursor = max(0, min(cursor, total - 1))
        self._scroll_cursor_into_view(center=True)
        self.refresh()

    def entry(self, index: int) -> AuditEntry | None:
        return self._pages.get(index, self.total)

    @property
    def current(self) -> AuditEntry | None:
        return self.entry(self.cursor)

    @property
    def loaded_rows(self) -> int:
        return self._pages.loaded_rows

    @property
    def loads(self) -> int:
        return self._pages.loads

    # --- cursor ---------------------------------------------------------------------------

    def action_open(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(self.Opened(entry))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)
        self._scroll_cursor_into_view()

    # --- rendering ------------------------------------------------------------------------

    def _columns(self, width: int) -> list[tuple[str, int]]:
        # Who: "maria (os: ops1)", up to "maria (os: ops1, declared, not verified)" when the terminal is wide.
        who = 38 if width >= 170 else 24 if width >= 140 else 10 if width >= 100 else 8
        cols = [("at", 16), ("actor", who), ("action", 20 if width >= 100 else 14)]
        what = 34 if width >= 110 else 24
        fixed = sum(w + 1 for _, w in cols) + what + 1
        return cols + [("what", what), ("summary", max(width - fixed, 8))]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        entry = self.entry(index)
        if entry is None:
            return Strip.blank(width, base)
        dim = self.get_component_rich_style("audit-list--dim", partial=True)
        text = Text(no_wrap=True)
        for key, w in self._columns(width):
            style = Style()
            if key == "at":
                value = f"{entry.at.astimezone(self.tz):%Y-%m-%d %H:%M}"
                style = dim
            elif key == "actor":
                value = entry.who
            elif key == "action":
                value = one_line(entry.action, 60)
                if index != self.cursor:  # on the cursor's background the accent colour would not read
                    style = self.get_component_rich_style("audit-list--action", partial=True)
            elif key == "what":
                value = entry.what
            else:
                value = audit_log.describe(entry, self.tz)
            cell = Text(value, no_wrap=True, style=style)
            cell.truncate(w, overflow="ellipsis", pad=True)
            text.append_text(cell)
            text.append(" ")
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("audit-list--cursor", partial=True))
        text.truncate(width, pad=True)
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments, width).crop_extend(0, width, base)


def detail_text(entry: AuditEntry, tz: tzinfo) -> Text:
    """A row in full. Everything but the labels comes from the database and is shown literally."""
    text = Text()
    text.append(f"Audit row #{entry.id}\n\n", style="bold")
    local = entry.at.astimezone(tz)
    rows = [
        ("When", f"{local:%Y-%m-%d %H:%M:%S %Z} ({entry.at:%Y-%m-%dT%H:%M:%SZ})"),
        ("Who", clean(entry.who)),
        ("OS user", clean(entry.os_user) if entry.os_user else "not recorded (a row from before flagdesk recorded it)"),
        ("Action", clean(entry.action)),
        ("About", entry.what),
        ("Table", f"{clean(entry.table)} row {entry.row_id if entry.row_id is not None else '—'}"),
        ("Summary", audit_log.describe(entry, tz)),
    ]
    for label, value in rows:
        text.append(f"{label:<9}", style="bold")
        text.append(value + "\n")
    text.append("\nDetail\n", style="bold")
    text.append(clean(json.dumps(entry.detail, indent=2, ensure_ascii=False)))
    return text


class AuditDetail(ModalScreen[None]):
    """One audit row, read-only."""

    CSS_PATH = [sheet("audit.tcss")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="audit_detail_close")]

    def __init__(self, entry: AuditEntry, tz: tzinfo) -> None:
        super().__init__()
        self.entry = entry
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-detail-box"):
            with VerticalScroll(id="audit-detail-scroll"):
                yield Static(detail_text(self.entry, self.tz), id="audit-detail-body")
            yield Static(Text("esc close", style="dim"), id="audit-detail-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class AuditScreen(DeskScreen):
    CSS_PATH = [sheet("audit.tcss")]
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="audit_filter",
                tooltip="account:NAME actor:NAME since:2d action:case and words"),
        Binding("escape", "back", "Back", id="audit_back", tooltip="Clear the filter, or back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tz = _zone()
        self.query_text = ""
        self.criteria: dict = {}

    def compose(self) -> ComposeResult:
        yield Static(id="audit-title")
        yield SafeInput(placeholder="filter: account:NAME actor:NAME since:2d action:case and words", id="audit-filter")
        yield AuditList(self._load, self.tz, id="audit-list")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.settle_cursors()
        self.query_one("#audit-filter", Input).display = False
        self.reload()
        self.query_one(AuditList).focus()
        self.watch_writes()

    # --- data -----------------------------------------------------------------------------

    def _load(self, offset: int, limit: int, before_id: int | None) -> list[AuditEntry]:
        try:
            if before_id is not None:
                return self.desk.audit_log(limit=limit, before_id=before_id, **self.criteria)
            return self.desk.audit_log(limit=limit, offset=offset, **self.criteria)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return []

    def parse(self, text: str) -> dict:
        """`account:NAME actor:NAME since:2d action:case words` -> keyword arguments of audit_log.query."""
        from console.core.triage import split_query

        criteria: dict = {}
        words = []
        for token in split_query(text):
            key, sep, value = token.partition(":")
            key = key.lower()
            if sep and key in ("account", "actor", "since", "action") and not value:
                raise ValueError(f"'{key}:' needs a value")
            if sep and key == "account":
                criteria["account_id"] = self._account_id(value)
            elif sep and key == "actor":
                criteria["actor"] = value
            elif sep and key == "since":
                criteria["since"] = audit_log.parse_since(value, self.desk.now(), self.tz)
            elif sep and key == "action":
                criteria["action"] = value
            else:
                words.append(token)
        if words:
            criteria["words"] = words
        return criteria

    def _account_id(self, name: str) -> int:
        """The account by its name, else the only one whose name starts with (or contains) it."""
        try:
            return self.desk.account(name).id
        except StoreError:
            pass
        accounts = self.desk.accounts(include_archived=True)
        low = name.lower()
        for test in (lambda a: a.name.lower().startswith(low), lambda a: low in a.name.lower()):
            found = [a for a in accounts if test(a)]
            if len(found) == 1:
                return found[0].id
            if found:
                raise ValueError(f"account:{one_line(name, 40)} matches {', '.join(a.name for a in found)}")
        raise ValueError(f"no account matches '{one_line(name, 40)}'")

    def _count(self) -> int:
        keys = ("since", "account_id", "actor", "words", "action")
        return self.desk.audit_count(**{k: self.criteria[k] for k in keys if k in self.criteria})

    def reload(self, keep_position: bool = False) -> None:
        audit = self.query_one(AuditList)
        old_total, old_cursor = audit.total, audit.cursor
        try:
            total = self._count()
            self._data_version = self.desk.data_version()
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            total = 0
        cursor = 0
        if keep_position and old_cursor > 0:
            # Rows only ever arrive on top (the log is append-only): the same row is as many further down.
            cursor = old_cursor + max(total - old_total, 0)
        audit.reset(total, cursor)
        title = Text(" Audit log ", style="bold reverse")
        title.append(f"  {total:,} change{'s' if total != 1 else ''}, newest first")
        if self.query_text:
            title.append("  filter: ")
            title.append(one_line(self.query_text, 80), style="bold")
        self.query_one("#audit-title", Static).update(title)

    def others_wrote(self) -> None:
        self.reload(keep_position=True)

    # --- events ---------------------------------------------------------------------------

    @on(Input.Submitted, "#audit-filter")
    def _filter(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            criteria = self.parse(text)
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.query_text, self.criteria = text, criteria
        event.input.display = bool(text)
        self.reload()
        self.query_one(AuditList).focus()

    @on(AuditList.Opened)
    def _open(self, event: AuditList.Opened) -> None:
        self.app.push_screen(AuditDetail(event.entry, self.tz))

    def action_filter(self) -> None:
        box = self.query_one("#audit-filter", Input)
        box.display = True
        box.focus()

    def action_back(self) -> None:
        box = self.query_one("#audit-filter", Input)
        if box.has_focus or self.query_text:
            box.value, self.query_text, self.criteria, box.display = "", "", {}, False
            self.reload()
            self.query_one(AuditList).focus()
            return
        self.dismiss(None)
