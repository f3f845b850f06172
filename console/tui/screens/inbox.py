"""The inbox: every account's notifications in triage order, the sidebar of red counts, the detail pane."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static

from console.core.errors import StoreError
from console.core.triage import Filter, FilterError
from console.tui.screens.base import DeskScreen
from console.tui.screens.inbox_actions import InboxActions
from console.tui.screens.inbox_count import InboxCount
from console.tui.screens.inbox_marks import InboxMarks
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.detail import DetailPane, notice_text
from console.tui.widgets.flag import FlagBar, source_marks
from console.tui.widgets.footer import QuietFooter
from console.tui.widgets.notice_list import ListHeader, NoticeList
from console.tui.widgets.safe_input import SafeInput

WELCOME = """No accounts yet.

Press A to add your first seller account (name, marketplaces, the
address its notices go to), then p to paste a notice.

From a shell, the same:
  flagdesk accounts add "Northwind Home" --marketplace US --email notices@ops.example.com
  flagdesk add --account "Northwind Home" --file notice.txt

To look around first: flagdesk demo"""

NO_NOTICES = """No notifications yet.

Press p to paste a notice from Seller Central or from its email,
or from a shell: flagdesk add --account NAME --file notice.txt"""


SIDEBAR_MIN_WIDTH = 90  # under this many columns the sidebar hides itself (s shows it again)


class InboxScreen(InboxCount, InboxMarks, InboxActions, DeskScreen):
    AUTO_FOCUS = "NoticeList"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("m", "mark_read", "Read", id="mark_read", tooltip="Mark read and move to the next"),
        Binding("u", "mark_unread", "Unread", show=False, id="mark_unread", tooltip="Mark unread"),
        Binding("n", "next_unread", "Next unread", id="next_unread", tooltip="Jump to the next unread, any account"),
        Binding("e", "close", "Resolve", id="close", tooltip="Resolve or dismiss"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="Full text plus account: status: ..."),
        Binding("escape", "clear_filter", "Clear", id="clear_filter", show=False,
                tooltip="Drop the range, then the marks, then clear the filter"),
        Binding("space", "toggle_mark", "Mark", show=False, id="toggle_mark",
                tooltip="Mark the notification (again: unmark) and move down"),
        Binding("V", "mark_range", "Range", show=False, id="mark_range",
                tooltip="Start a range of marks here; V again (or space) keeps it"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="mark_all",
                tooltip="Mark every notification in the filter (again: unmark them)"),
        Binding("M", "bulk_read", "Read many", show=False, id="bulk_read",
                tooltip="Mark read: the marked ones, else the whole filter (asks first)"),
        Binding("semicolon", "bulk_menu", "Many", show=False, id="bulk_menu",
                tooltip="Change many: read, unread, close, claim, file, severity"),
        Binding("U", "undo_bulk", "Undo many", show=False, id="undo_bulk",
                tooltip="Undo this session's last change to many (audited, with its count)"),
        Binding("v", "views", "Views", show=False, id="views", tooltip="Pick a saved view ([views] in the config)"),
        Binding("a", "appeal", "Appeal", id="appeal", tooltip="Open the notification's appeal (Plan of Action)"),
        Binding("c", "app.contacts", "Contacts", show=False, id="contacts_here",
                tooltip="The contact log, ready to log a case about this notification"),
        Binding("p", "paste", "Paste", show=False, id="paste", tooltip="Add a notice by pasting its text"),
        Binding("o", "claim", "Claim", show=False, id="claim",
                tooltip="Claim the notification for yourself; again to release it"),
        Binding("L", "app.audit", "Audit log", show=False, id="audit",
                tooltip="Who changed what and when, across every account"),
        Binding("t", "assign", "File under", show=False, id="assign",
                tooltip="File the notification under an account (unassigned imports)"),
        Binding("R", "correct", "Correct", show=False, id="correct",
                tooltip="Correct the reading: set the fate, cause or severity by hand"),
        Binding("h", "health", "Health", show=False, id="health", tooltip="The account's health and its history"),
        Binding("i", "import", "Import", show=False, id="import", tooltip="Import emails or SP-API JSON from a path"),
        Binding("s", "toggle_sidebar", "Sidebar", show=False, id="toggle_sidebar",
                tooltip=f"Hide or show the account sidebar (hidden by itself under {SIDEBAR_MIN_WIDTH} columns)"),
        Binding("tab", "cycle_panes", "Pane", show=False, id="cycle_panes",
                tooltip="Sidebar, list, detail: the focused pane is marked ▶ (heavy border)"),
        Binding("shift+tab", "cycle_panes(-1)", "Pane", show=False, id="cycle_panes_back",
                tooltip="Detail, list, sidebar"),
        Binding("A", "add_account", "Account", show=False, id="add_account", tooltip="Add a seller account"),
        Binding("0", "jump_account(0)", "All", show=False, id="all_accounts", tooltip="All accounts"),
        *[
            Binding(str(i), f"jump_account({i})", f"Account {i}", show=False, id=f"account_{i}",
                    tooltip=f"Jump to account {i}")
            for i in range(1, 10)
        ],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = Filter()  # from the sidebar
        self.query_filter = Filter()  # from the / box
        self.query_text = ""
        self.view_name: str | None = None  # a saved view picked in the sidebar: the scope, the / box narrows it
        self._view_filter: tuple[tuple[str, str], Filter] | None = None
        self._flag_args: tuple | None = None
        self._count_gen = 0  # which reload a count told on a thread belongs to
        self._beat_timer = None
        self._beaten_nid: int | None = None
        self._summary_stamp: tuple | None = None
        self._summary_value: tuple[list, int, int] = ([], 0, 0)
        self._sources: tuple[list, list[str]] = ([], [])  # the top bar's source health (source_marks)
        self.sidebar_choice: bool | None = None  # shown (True) or hidden (False) by `s`; None: by the width

    @property
    def _tz(self):
        from console.core.config import ConfigError, operator_tz

        try:
            return operator_tz()
        except ConfigError:
            return None

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FlagBar(id="flagbar")
        with Horizontal(id="main"):
            yield AccountList(id="accounts")
            with Vertical(id="right"):
                notices = NoticeList(self._load_page, self.desk.now, self.desk.row_label, id="notices")
                yield ListHeader(notices, id="list-header")
                yield notices
                yield Static(id="empty")
                yield SafeInput(placeholder="filter: words, account:, status:, category:, severity:  (esc clears)",
                            id="filter")
                yield DetailPane(id="detail")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.settle_cursors()
        self.query_one(NoticeList).settle = self._settle_count
        self.query_one("#filter", Input).display = False
        self._place_sidebar()
        self.reload(first=True)
        if self.app.live_refresh:
            self.watch_writes()
            self.set_interval(self.desk.HEARTBEAT_S, self._beat)

    def on_resize(self) -> None:
        self._place_sidebar()

    @property
    def sidebar_shown(self) -> bool:
        if self.sidebar_choice is not None:
            return self.sidebar_choice
        return (self.size.width or self.app.size.width) >= SIDEBAR_MIN_WIDTH

    def _place_sidebar(self) -> None:
        accounts = self.query_one(AccountList)
        shown = self.sidebar_shown
        if accounts.display != shown:
            if not shown and accounts.has_focus:
                self.query_one(NoticeList).focus()
            accounts.display = shown
            self.set_class(not shown, "-sidebar-hidden")

    def action_toggle_sidebar(self) -> None:
        self.sidebar_choice = not self.sidebar_shown
        self._place_sidebar()

    def after_contacts(self) -> None:
        """Back from the contact log (esc): the counts again, and the list in control."""
        self.reload()
        notices = self.query_one(NoticeList)
        if notices.display:
            notices.focus()

    def on_unmount(self) -> None:
        self.desk.stop_counting()
        if self.app.live_refresh:
            try:
                self.desk.leave()
            except StoreError:
                pass

    # --- data -----------------------------------------------------------------------------

    @property
    def effective_filter(self) -> Filter:
        """The sidebar's scope combined with the filter box."""
        f = Filter(**{**self._query_or_view().__dict__})
        if self.scope.account_ids is not None:
            f.account_ids = self.scope.account_ids
        if self.scope.marketplaces:
            f.marketplaces = self.scope.marketplaces
        f.unassigned = self.scope.unassigned
        return f

    def _query_or_view(self) -> Filter:
        """The filter box's filter, or with a saved view picked, the view's text and the box's together."""
        if self.view_name is None:
            return self.query_filter
        key = (self.view_name, self.query_text)
        if self._view_filter is None or self._view_filter[0] != key:
            try:
                f = self.desk.view_filter(self.view_name, self.query_text)
            except FilterError:
                f = self.query_filter
            self._view_filter = (key, f)
        return self._view_filter[1]

    def _load_page(self, offset: int, limit: int, after_key: str | None, total: int) -> list[dict]:
        try:
            return self.desk.page(self.effective_filter, offset, limit, after_key, total)
        except (FilterError, StoreError):
            return []

    def reload(self, first: bool = False, keep_nid: int | None = None, cursor: int | None = None) -> None:
        """Re-read counts and the list; the cursor stays on the same notification when it can."""
        notices = self.query_one(NoticeList)
        if keep_nid is None and cursor is None and not first:
            row = notices.current
            keep_nid = row["id"] if row else None
        f = self.effective_filter
        self.desk.stop_counting()
        self._count_gen += 1
        try:
            total, exact = self.desk.count_or_bound(f)
        except FilterError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            self.query_filter = Filter()
            self.query_text = ""
            f = self.effective_filter
            total, exact = self.desk.count_or_bound(f)
        if cursor is None:
            cursor = notices.cursor
            if keep_nid is not None:
                pos = self.desk.position_of(f, keep_nid)
                cursor = pos if pos is not None else cursor
        run = self.desk.counter(f) if not exact and cursor < total else None
        if not exact and (cursor >= total or run is None):
            # The cursor's row lies past the first rows, or no other connection can count: the count now.
            total, exact = self.desk.count(f, unread=False)[0], True
        entries, overdue, follow_ups = self._summary()
        self.query_one(AccountList).show(entries)
        notices.show_account = self.scope.account_ids is None
        if self.app.live_refresh:
            notices.presence = self._others_present()
        notices.reset(total, cursor, counting=not exact)
        if not exact:
            self._count_apart(run)
        # The detail pane in the same frame as the list (not a message later, which costs a second repaint).
        self._show_detail(NoticeList.Highlighted(notices, notices.take_highlight()))
        self._data_version = self.desk.data_version()
        self._refresh_chrome(entries[0].unread if entries else 0, total, overdue, follow_ups)

    def _summary(self) -> tuple[list, int, int]:
        """The sidebar's counts and the flag's overdue figures: read again only when something was written
        (here or by another session) or the minute changed, not for a new filter or another account."""
        stamp = (*self.desk.write_stamp(), self.desk.now().replace(second=0, microsecond=0))
        old = self._summary_stamp
        if stamp != old:
            if old is not None and self._summary_value is not None and old[2] == stamp[2] \
                    and self.desk.only_read_state_since(old[:2]):
                # Only marks read since: the counts again, the states and overdue figures as they were.
                self._summary_value = (self.desk.sidebar(reuse=self._summary_value[0]), *self._summary_value[1:])
            else:
                # One index range for the flag's overdue count (the per-account summary scans every open row).
                self._summary_value = (self.desk.sidebar(), self.desk.overdue_total(), self.desk.overdue_follow_ups())
                # The sources' health (a watch in another process writes it): one read of a row per source.
                self._sources = source_marks(self.desk.source_health(), self.desk.now(), self._tz)
            self._summary_stamp = stamp
        return self._summary_value

    def scope_words(self) -> str:
        """What the list shows, in words: "All accounts · filter: trademark", "view critical", ..."""
        scope = "All accounts"
        if self.scope.unassigned:
            scope = "Unassigned (press t to file each under its account)"
        if self.view_name is not None:
            scope = f"view {self.view_name}"
        if self.scope.account_ids is not None:
            names = [e.label for e in self.query_one(AccountList).entries
                     if e.account_id in self.scope.account_ids and e.marketplace is None and not e.unassigned]
            scope = names[0] if names else "account"
            if self.scope.marketplaces:
                scope += f" {self.scope.marketplaces[0]}"
        if self.query_text:
            scope += f" · filter: {self.query_text}"
        return scope

    def show_flag(self) -> None:
        """The top bar again, with the marks counted ("12 marked")."""
        if self._flag_args is not None:
            marked, ranged = self.marked_count()
            self.query_one(FlagBar).show(*self._flag_args, marked=marked, ranged=ranged, sources=self._sources,
                                         counting=self.query_one(NoticeList).counting)

    def _refresh_chrome(self, unread_total: int, shown: int, overdue: int, follow_ups: int) -> None:
        # The bar shortens the scope before it drops "N shown" (console/tui/widgets/flag.py).
        self._flag_args = (unread_total, overdue, self.desk.me(), self.scope_words(), follow_ups, shown)
        self.show_flag()
        notices = self.query_one(NoticeList)
        header = self.query_one(ListHeader)
        header.refresh()
        empty = self.query_one("#empty", Static)
        has_accounts = len(self.query_one(AccountList).entries) > 1
        if shown:
            empty.display = False
        else:
            empty.display = True
            if not has_accounts:
                empty.update(Text(WELCOME))
            elif self.query_text or self.scope.account_ids is not None:
                empty.update(Text("Nothing matches. Press esc to clear the filter, 0 for all accounts.",
                                  style="italic"))
            else:
                empty.update(Text(NO_NOTICES))
        notices.display = bool(shown)
        header.display = bool(shown)
        self.query_one(DetailPane).display = bool(shown)

    def others_wrote(self) -> None:
        """Another session or an import wrote: refresh without moving the cursor or the typing."""
        self.reload()

    def _others_present(self) -> dict:
        try:
            return self.desk.others_present()
        except StoreError:
            return {}

    def _beat(self) -> None:
        """Presence: tell the others which notification this operator has in view (heartbeat)."""
        row = self.query_one(NoticeList).current
        nid = row["id"] if row else None
        try:
            self.desk.beat(nid)
        except StoreError:
            return  # presence is a courtesy: a busy database must not disturb the operator
        self._beaten_nid = nid

    # --- events ---------------------------------------------------------------------------

    @on(NoticeList.Highlighted)
    def _show_detail(self, event: NoticeList.Highlighted) -> None:
        # Presence: say where we are once the cursor rests on another notification, not on every
        # key nor on every refresh (a beat is a write the others would refresh for in turn).
        if self.query_one(NoticeList).range_anchor is not None:
            self.show_flag()  # the open range grew or shrank
        if self.app.live_refresh and event.nid != self._beaten_nid:
            if self._beat_timer is not None:
                self._beat_timer.stop()
            self._beat_timer = self.set_timer(0.5, self._beat)
        self._show_notice(event.nid)

    def _show_notice(self, nid: int | None) -> None:
        pane = self.query_one(DetailPane)
        if nid is None:
            pane.show(None)
            return
        try:
            n = self.desk.notification(nid)
        except StoreError:
            pane.show(None)
            return
        present = self.query_one(NoticeList).presence.get(nid, [])
        pane.show(notice_text(n, self.desk.now(), self.desk.reading_label(n.category, n.cause),
                              self.desk.cases_for(n.id), present=present,
                              me="you" if n.assignee and self.desk.is_me(n.assignee, n.assignee_os) else None,
                              owner=self.desk.who(n.assignee, n.assignee_os) if n.assignee else None,
                              history=self.desk.history("notifications", nid), tz=self._tz))

    @on(NoticeList.Opened)
    def _open(self, event: NoticeList.Opened) -> None:
        """Enter: read it (marked read) in the detail pane, the list keeping the keys: j/k/g still move the
        cursor. Tab moves into the detail on purpose (its border turns heavy and says so)."""
        if self.desk.config.mark_read_on_open:
            self._write(lambda: self.desk.mark_read(event.nid), keep_nid=event.nid)

    @on(OptionList.OptionHighlighted, "#accounts")
    @on(OptionList.OptionSelected, "#accounts")
    def _scope_changed(self, event) -> None:
        entries = self.query_one(AccountList).entries
        if event.option_index >= len(entries):
            return
        entry = entries[event.option_index]
        scope = Filter(account_ids=None if entry.account_id is None else [entry.account_id],
                       marketplaces=[entry.marketplace] if entry.marketplace else [], unassigned=entry.unassigned)
        if (scope.account_ids, scope.marketplaces, scope.unassigned, entry.view) != (
                self.scope.account_ids, self.scope.marketplaces, self.scope.unassigned, self.view_name):
            self.drop_marks()
            self.scope = scope
            self.view_name = entry.view
            self.reload(cursor=0)
        if isinstance(event, OptionList.OptionSelected):
            self.query_one(NoticeList).focus()

    @on(Input.Submitted, "#filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            f = self.desk.parse_filter(text)
            self.desk.check_filter(f)  # surface FTS syntax errors here
        except FilterError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        if text != self.query_text:
            self.drop_marks()
        self.query_filter = f
        self.query_text = text
        event.input.display = bool(text)
        self.reload(cursor=0)
        self.query_one(NoticeList).focus()

    # --- for other screens ----------------------------------------------------------------

    def contact_context(self) -> dict:
        """What the contact log opens on: the notification under the cursor, else the sidebar's account."""
        row = self.query_one(NoticeList).current
        if row is None:
            return {"account_id": self.scope.account_ids[0] if self.scope.account_ids else None}
        return {"account_id": row["account_id"], "notification_id": row["id"]}
