"""The Seller Support contact log: every Help → Contact Us case, its timeline, and the duplicate guard."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    Static,
    TextArea,
)

from console.core import cases as cs
from console.core.config import ConfigError, operator_tz
from console.core.errors import StoreError
from console.core.triage import FilterError
from console.tui.emphasis import mono
from console.tui.screens.base import DeskModal, DeskScreen
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.footer import FittingFooter
from console.tui.widgets.safe_input import SafeInput
from console.tui.widgets.tick_box import TickBox

WIDE = 110  # columns from which the log shows every column
NARROW_WIDTHS = (3, 16, 9, 13)  # #, account and marketplace, status, follow-up (the summary takes the rest)
STATUS_STYLE = {"open": "bold", "answered": "green", "requires_attention": "bold yellow", "reopened": "bold",
                "closed": "dim"}


def timeline_text(case, entries, now: datetime) -> Text:
    text = Text()
    text.append(f"Case #{case.id}", style="bold")
    text.append(f"  Amazon case {case.case_ref or '(no case ID yet)'} · {case.account}"
                f"{' ' + case.marketplace if case.marketplace else ''} · {case.channel}")
    text.append(f" · {case.status.replace('_', ' ')}", style=STATUS_STYLE.get(case.status, ""))
    if case.urgent:
        text.append(" · URGENT", style="bold red")
    text.append("\n")
    text.append(case.summary + "\n", style="bold")
    if case.path:
        text.append(f"Path: {case.path}\n", style="dim")
    if case.notification_id:
        text.append(f"Notification #{case.notification_id}"
                    f"{', appeal #' + str(case.appeal_id) if case.appeal_id else ''}\n", style="dim")
    if case.follow_up_at:
        style = "bold red" if case.overdue(now) else ""
        text.append(f"Follow up: {case.follow_up_at:%Y-%m-%d %H:%M} UTC"
                    f"{' (overdue)' if case.overdue(now) else ''}\n", style=style)
    text.append("\n")
    for e in entries:
        text.append(f"{e.at:%Y-%m-%d %H:%M}  {e.actor:<10} ", style="dim")
        if e.kind == "status":
            text.append(f"status {e.old_status or '?'} → {e.new_status}", style="bold")
        else:
            text.append(e.kind + (f" ({e.channel})" if e.channel else ""), style="bold")
        if e.text:
            text.append("\n    " + e.text.replace("\n", "\n    "))
        text.append("\n")
    return text


class ContactsScreen(DeskScreen):
    CSS_PATH = [sheet("appeal.tcss"), sheet("contacts.tcss")]
    BINDINGS = [
        Binding("n", "new", "New contact", id="contact_new", tooltip="Log a contact (checks for open cases first)"),
        Binding("enter", "add_to", "Add contact", id="contact_add", tooltip="Add a contact to the selected case"),
        Binding("s", "status", "Status", id="contact_status", tooltip="Change the case's status"),
        Binding("slash", "filter", "Filter", id="contact_filter", tooltip="Text, account:, status:, channel:"),
        Binding("escape", "back", "Back", id="contact_back", tooltip="Back"),
    ]

    def __init__(self, account_id: int | None = None, notification_id: int | None = None,
                 appeal_id: int | None = None) -> None:
        super().__init__()
        self.appeal_id = appeal_id
        # Where it was opened from: what a new contact is prefilled with, and which case is selected first.
        # The log itself always shows every account's cases (filter with /).
        self.account_id = account_id
        self.notification_id = notification_id
        self.cases: list = []
        self.query_text = ""
        self._layout: tuple[bool, int] | None = None  # the table's columns as built (see _layout_for)

    def compose(self) -> ComposeResult:
        yield Static(id="contacts-title")
        yield SafeInput(placeholder="filter: words, account:NAME, status:open|answered|requires_attention|reopened|"
                                "closed|active, channel:email|phone|chat", id="contacts-filter")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="case-timeline"):
            yield Static(id="case-timeline-body")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.settle_cursors()
        self.query_one("#contacts-filter", Input).display = False
        table = self.query_one("#cases", DataTable)
        self.reload()
        table.focus()
        self.watch_writes()

    def on_resize(self) -> None:
        if self._layout is not None and self._layout != self._layout_for():
            case = self.current
            self.reload(keep=case.id if case else None)

    def _layout_for(self) -> tuple[bool, int]:
        """(narrow, summary width): under WIDE columns the opening date, channel and case ID give way (the
        timeline below has them) and the marketplace joins the account, so that the summary stays readable."""
        width = self.size.width or self.app.size.width
        if width >= WIDE:
            return False, 0
        fixed = sum(w + 2 for w in NARROW_WIDTHS)  # each cell has a space either side
        return True, max(width - fixed - 2 - 2, 12)  # the summary's own padding, the scrollbar

    def _columns(self, table: DataTable) -> None:
        layout = self._layout_for()
        if layout == self._layout:
            return
        self._layout = layout
        table.clear(columns=True)
        narrow, summary = layout
        if narrow:
            for label, width in zip(("#", "Account", "Status", "Follow-up"), NARROW_WIDTHS):
                table.add_column(label, width=width)
            table.add_column("Summary", width=summary)
        else:
            table.add_columns("#", "Opened", "Account", "MP", "Channel", "Case ID", "Status", "Follow-up", "Summary")

    def others_wrote(self) -> None:
        """Another operator logged or changed a case: show it within a second, on the same case."""
        case = self.current
        self.reload(keep=case.id if case else None)

    def reload(self, keep: int | None = None) -> None:
        now = self.desk.now()
        try:
            self._data_version = self.desk.data_version()
        except StoreError:
            pass
        account_id, status, channel, words = None, None, None, []
        for token in self.query_text.split():
            key, sep, value = token.partition(":")
            if sep and key == "account":
                try:
                    account_id = self.desk.account(value).id
                except StoreError as exc:
                    self.notify(str(exc), severity="warning", markup=False)
            elif sep and key == "status":
                status = value
            elif sep and key == "channel":
                channel = value
            else:
                words.append(token)
        try:
            self.cases = self.desk.list_cases(account_id=account_id, status=status, channel=channel,
                                       text=" ".join(words) or None)
        except (FilterError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.cases = []
        table = self.query_one("#cases", DataTable)
        table.clear()
        self._columns(table)
        narrow, summary = self._layout
        for c in self.cases:
            overdue = c.overdue(now)
            follow = Text(f"{c.follow_up_at:%m-%d %H:%M}" + (" OVERDUE" if overdue else "") if c.follow_up_at else "",
                          style="bold red" if overdue else "")
            if narrow:
                follow = Text(f"{c.follow_up_at:%m-%d}" + (" OVERDUE" if overdue else "") if c.follow_up_at else "",
                              style="bold red" if overdue else "")
                account = f"{c.account} {c.marketplace or ''}".strip()
                if len(account) > NARROW_WIDTHS[1]:
                    room = NARROW_WIDTHS[1] - len(c.marketplace or "") - 2
                    account = f"{c.account[:room].rstrip()}… {c.marketplace or ''}".strip()
                status = c.status.replace("_", " ").replace("requires attention", "attention")
                text = ("! " if c.urgent else "") + c.summary
                table.add_row(
                    Text(str(c.id)), Text(account),
                    mono(Text(status, style=STATUS_STYLE.get(c.status, "")), self.app),
                    mono(follow, self.app),
                    Text(text if len(text) <= summary else text[:summary - 1] + "…",
                         style="bold" if c.urgent else "", no_wrap=True),
                    key=str(c.id),
                )
                continue
            table.add_row(
                Text(str(c.id)), Text(f"{c.opened_at:%Y-%m-%d}"), Text(c.account), Text(c.marketplace or ""),
                Text(c.channel), Text(c.case_ref or "—"),
                mono(Text(c.status.replace("_", " "), style=STATUS_STYLE.get(c.status, "")), self.app),
                mono(follow, self.app), Text(("! " if c.urgent else "") + c.summary, style="bold" if c.urgent else ""),
                key=str(c.id),
            )
        overdue_n = sum(c.overdue(now) for c in self.cases)
        title = Text(" Seller Support contact log ", style="bold reverse")
        title.append(f"  {len(self.cases)} case{'s' if len(self.cases) != 1 else ''}")
        if overdue_n:
            title.append(f"  {overdue_n} follow-up{'s' if overdue_n != 1 else ''} overdue", style="bold red")
        if self.query_text:
            title.append(f"  filter: {self.query_text}")
        self.query_one("#contacts-title", Static).update(mono(title, self.app))
        if keep is None and self.notification_id is not None:
            keep = next((c.id for c in self.cases if c.notification_id == self.notification_id), None)
        if keep is not None:
            for i, c in enumerate(self.cases):
                if c.id == keep:
                    table.move_cursor(row=i)
        self._show_current()

    @property
    def current(self):
        table = self.query_one("#cases", DataTable)
        if not self.cases or table.cursor_row is None or table.cursor_row >= len(self.cases):
            return None
        return self.cases[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_current(self) -> None:
        case = self.current
        body = self.query_one("#case-timeline-body", Static)
        if case is None:
            body.update(Text("No cases yet. Press n to log a Contact Us case.", style="italic"))
            return
        body.update(mono(timeline_text(case, self.desk.case_timeline(case.id), self.desk.now()), self.app))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_add_to()

    @on(Input.Submitted, "#contacts-filter")
    def _filter(self, event: Input.Submitted) -> None:
        self.query_text = event.value.strip()
        event.input.display = bool(self.query_text)
        self.reload()
        self.query_one("#cases", DataTable).focus()

    def action_filter(self) -> None:
        box = self.query_one("#contacts-filter", Input)
        box.display = True
        box.focus()

    def action_back(self) -> None:
        box = self.query_one("#contacts-filter", Input)
        if box.has_focus or self.query_text:
            box.value, self.query_text, box.display = "", "", False
            self.reload()
            self.query_one("#cases", DataTable).focus()
            return
        self.dismiss(None)

    def action_new(self) -> None:
        self.app.push_screen(ContactForm(account_id=self.account_id, notification_id=self.notification_id,
                                         appeal_id=self.appeal_id),
                             lambda case_id: self.reload(keep=case_id) if case_id else None)

    def action_add_to(self) -> None:
        case = self.current
        if case is not None:
            self.app.push_screen(ContactForm(case=case), lambda case_id: self.reload(keep=case_id))

    def action_status(self) -> None:
        case = self.current
        if case is None:
            return

        def chosen(status: str | None) -> None:
            if status:
                try:
                    self.desk.change_case(case.id, status, case.version)
                except StoreError as exc:
                    self.notify(str(exc), severity="error", markup=False, timeout=8)
                self.reload(keep=case.id)

        self.app.push_screen(StatusDialog(case), chosen)


class StatusDialog(ModalScreen[str | None]):
    CSS_PATH = [sheet("appeal.tcss"), sheet("contacts.tcss")]
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_case_status")]

    def __init__(self, case) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="case-status-box"):
            yield Static(Text(f"Case #{self.case.id}: status (now {self.case.status.replace('_', ' ')})",
                              style="bold"))
            with ButtonRow(classes="buttons"):
                for status in cs.STATUSES:
                    yield Button(status.replace("_", " "), id=status, disabled=status == self.case.status)
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ContactForm(GuardsUnsaved, DeskModal):
    """Log a contact: a new case (checked against open ones first), or one more contact on a case."""
    CSS_PATH = [sheet("appeal.tcss"), sheet("contacts.tcss")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("f2", "save", "Save", id="contact_save"),
        Binding("escape", "cancel", "Cancel", id="contact_cancel"),
        *FORM_BINDINGS,
    ]

    def __init__(self, account_id: int | None = None, notification_id: int | None = None, case=None,
                 appeal_id: int | None = None, summary: str = "") -> None:
        super().__init__()
        self.account_id = account_id
        self.notification_id = notification_id
        self.appeal_id = appeal_id
        self.case = case
        self.summary = summary

    def compose(self) -> ComposeResult:
        accounts = self.desk.accounts()
        notice = self.desk.notification(self.notification_id) if self.notification_id else None
        account_id = self.account_id or (notice.account_id if notice else None) or (accounts[0].id if accounts else None)
        account = next((a for a in accounts if a.id == account_id), None)
        with Vertical(classes="dialog", id="contact-box"):
            if self.case:
                yield Static(Text(f"Add a contact to case #{self.case.id}: {self.case.summary}", style="bold"))
            else:
                yield Static(Text("Log a Contact Us case" + (f" for notification #{notice.id}" if notice else ""),
                                  style="bold"))
                if not account:
                    yield Static(Text("Add an account first (A in the inbox).", style="yellow"))
                    return
                with Horizontal(classes="row"):
                    yield Select([(Text(a.name), a.id) for a in accounts], id="contact-account", value=account.id,
                                 allow_blank=False, compact=True)
                    yield Select([(m, m) for m in account.marketplaces], id="contact-marketplace", compact=True,
                                 value=notice.marketplace if notice and notice.marketplace in account.marketplaces
                                 else account.marketplaces[0], allow_blank=False)
                yield Label("Help → Contact Us → area → problem")
                with Horizontal(classes="row"):
                    areas = list(self.desk.config.values.get("contact_areas") or cs.DEFAULT_AREAS)
                    yield Select([(a, a) for a in areas], id="contact-area", value=areas[0], allow_blank=False,
                                 compact=True)
                    yield SafeInput(id="contact-problem", placeholder="the problem picked", compact=True)
                yield Label("Summary")
                yield SafeInput(id="contact-summary", value=self.summary or (notice.subject if notice else ""),
                            compact=True)
            with Horizontal(classes="row"):
                yield Select([(c, c) for c in cs.CHANNELS], id="contact-channel",
                             value=self.case.channel if self.case else "email", allow_blank=False, compact=True)
                yield SafeInput(id="contact-case-ref", placeholder="Amazon case ID (later for a call)", compact=True,
                            value=(self.case.case_ref or "") if self.case else "")
            with Horizontal(classes="row"):
                yield SafeInput(id="contact-follow-up", placeholder="follow up: 2026-12-01, +2d, tomorrow",
                            compact=True)
                if not self.case:
                    yield TickBox("urgent", id="contact-urgent", compact=True)
            yield Label("Notes or pasted transcript")
            yield TextArea(id="contact-notes", soft_wrap=True)
            with ButtonRow(classes="buttons"):
                yield Button("Save (F2)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.settle_cursors()
        # Start where typing is needed: the problem for a new case, the notes for one more contact.
        for selector in ("#contact-problem", "#contact-notes"):
            found = self.query(selector)
            if found:
                found.first().focus()
                break

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "contact-account":
            account = next(a for a in self.desk.accounts() if a.id == event.value)
            mp = self.query_one("#contact-marketplace", Select)
            mp.set_options([(m, m) for m in account.marketplaces])
            mp.value = account.marketplaces[0]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def _value(self, selector: str) -> str:
        return self.query_one(selector).value.strip()

    def action_save(self, confirm: str | None = None) -> None:
        follow = self._value("#contact-follow-up")
        follow_at = None
        if follow:
            try:
                follow_at = cs.parse_follow_up(follow, self.desk.now(), operator_tz())
            except (ValueError, ConfigError) as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
        channel = str(self.query_one("#contact-channel", Select).value)
        notes = self.query_one("#contact-notes", TextArea).text.strip() or None
        case_ref = self._value("#contact-case-ref") or None
        try:
            if self.case:
                case = self.desk.append_contact(self.case.id, channel, notes, follow_at,
                                                case_ref if case_ref != (self.case.case_ref or "") else None)
            else:
                area = str(self.query_one("#contact-area", Select).value)
                problem = self._value("#contact-problem")
                case = self.desk.open_case(
                    self.query_one("#contact-account", Select).value, channel, self._value("#contact-summary"),
                    marketplace=str(self.query_one("#contact-marketplace", Select).value),
                    path=f"Help → Contact Us → {area}" + (f" → {problem}" if problem else ""), case_ref=case_ref,
                    notification_id=self.notification_id, appeal_id=self.appeal_id, follow_up_at=follow_at,
                    urgent=self.query_one("#contact-urgent", Checkbox).value, notes=notes,
                    confirm_duplicate=confirm,
                )
        except cs.DuplicateCaseError as exc:
            self.app.push_screen(DuplicateWarning(exc.candidates), self._duplicate_decided)
            return
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=8)
            return
        self.dismiss(case.id)

    def _duplicate_decided(self, answer: tuple[str, object] | None) -> None:
        if not answer:
            return
        action, value = answer
        notes = self.query_one("#contact-notes", TextArea).text.strip() or None
        channel = str(self.query_one("#contact-channel", Select).value)
        try:
            if action == "new":
                self.action_save(confirm=str(value))
                return
            case = self.desk.append_contact(value.id, channel, notes)  # appends; reopens a closed case
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.dismiss(case.id)


class DuplicateWarning(GuardsUnsaved, ModalScreen[tuple | None]):
    """Before a second case: the open ones for the same account and issue, and what to do instead."""
    CSS_PATH = [sheet("appeal.tcss"), sheet("contacts.tcss")]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_duplicate"), *FORM_BINDINGS]

    def __init__(self, candidates: list) -> None:
        super().__init__()
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="duplicate-box"):
            yield Static(Text("A case about this is already in the log", style="bold yellow"))
            yield Static(Text("Amazon asks not to open a second case about an issue under review: duplicate "
                              "contacts can harm the account. Add to the open case, or reopen a closed one.",
                              style="dim"))
            for c in self.candidates:
                line = Text(f"#{c.id}  {c.status.replace('_', ' '):<18} {c.case_ref or '(no case ID)':<14} "
                            f"{c.opened_at:%Y-%m-%d}  {c.summary}", no_wrap=True, overflow="ellipsis")
                yield Static(line)
            with ButtonRow(classes="buttons"):
                for c in self.candidates[:3]:
                    verb = "Reopen" if c.status == "closed" else "Add to"
                    yield Button(f"{verb} #{c.id}", id=f"case-{c.id}", variant="primary")
            yield Label("Or open a second case anyway — why (audited):")
            with Horizontal(classes="row"):
                yield SafeInput(id="duplicate-reason", placeholder="the reason a second case is needed")
                yield Button("Open new case", id="new", variant="warning")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "new":
            reason = self.query_one("#duplicate-reason", Input).value.strip()
            if not reason:
                self.notify("Say why a second case is needed.", severity="warning", markup=False)
                return
            self.dismiss(("new", reason))
        else:
            case_id = int(event.button.id.removeprefix("case-"))
            self.dismiss(("add", next(c for c in self.candidates if c.id == case_id)))

    def action_cancel(self) -> None:
        self.leave_or_ask()
