"""Small dialogs: resolve-or-dismiss, add an account."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from console.core.errors import StoreError
from console.core.model import Status
from console.tui.screens.base import settle_cursors
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.safe_input import SafeInput


class CloseNotice(ModalScreen[Status | None]):
    """Asks whether the notification is resolved (dealt with) or dismissed (nothing to do)."""
    CSS_PATH = [sheet("modals.tcss")]

    BINDINGS = [
        Binding("r", "choose('resolved')", "Resolved", id="choose_resolved"),
        Binding("d", "choose('dismissed')", "Dismissed", id="choose_dismissed"),
        Binding("escape", "choose('')", "Cancel", id="cancel_close"),
    ]

    def __init__(self, nid: int, subject: str) -> None:
        super().__init__()
        self.nid = nid
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(id="close-box"):
            yield Static(Text(f"Close #{self.nid}", style="bold"))
            yield Static(Text(self.subject, no_wrap=True, overflow="ellipsis"), classes="subject")
            yield Static(Text("Resolved: the problem is dealt with.  Dismissed: nothing to do.", style="dim"))
            with ButtonRow(classes="buttons"):
                yield Button("Resolved (r)", id="resolved", variant="success")
                yield Button("Dismissed (d)", id="dismissed")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "cancel" else event.button.id)

    def action_choose(self, value: str) -> None:
        self.dismiss(Status(value) if value else None)


class AddAccount(GuardsUnsaved, ModalScreen[str | None]):
    """Name, marketplaces and notice addresses of a new seller account."""
    CSS_PATH = [sheet("modals.tcss")]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_account"),
        Binding("f2", "save", "Save", id="save_account"),
        *FORM_BINDINGS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="account-box"):
            yield Static(Text("Add a seller account", style="bold"))
            yield Label("Name")
            yield SafeInput(placeholder="Northwind Home", id="account-name")
            yield Label("Marketplaces (comma separated)")
            yield SafeInput(placeholder="US, CA", id="account-marketplaces")
            yield Label("Addresses its notices go to (optional, comma separated)")
            yield SafeInput(placeholder="notices+northwind@ops.example.com", id="account-emails")
            with ButtonRow(classes="buttons"):
                yield Button("Save (F2)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        settle_cursors(self)

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def action_save(self) -> None:
        split = lambda s: [p.strip() for p in s.split(",") if p.strip()]  # noqa: E731
        name = self.query_one("#account-name", Input).value
        try:
            account = self.app.desk.add_account(
                name, split(self.query_one("#account-marketplaces", Input).value),
                split(self.query_one("#account-emails", Input).value),
            )
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=8)
            return
        self.dismiss(account.name)


class TakeOver(ModalScreen[bool]):
    """Someone else holds the claim: take it over (y) or leave it with them (n, esc)."""
    CSS_PATH = [sheet("modals.tcss")]

    BINDINGS = [
        Binding("y", "answer(True)", "Take over", id="take_over_yes"),
        Binding("n,escape", "answer(False)", "Leave it", id="take_over_no"),
    ]

    def __init__(self, nid: int, subject: str, reason: str) -> None:
        super().__init__()
        self.nid = nid
        self.subject = subject
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="takeover-box"):
            yield Static(Text(f"Claim #{self.nid}", style="bold"))
            yield Static(Text(self.subject, no_wrap=True, overflow="ellipsis"), classes="subject")
            yield Static(Text(self.reason + ".", style="bold yellow"))
            yield Static(Text("Take it over? They will see your name on the row.", style="dim"))
            with ButtonRow(classes="buttons"):
                yield Button("Take over (y)", id="yes", variant="warning")
                yield Button("Leave it (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class AssignAccount(ModalScreen[tuple | None]):
    """File a notification under an account and marketplace."""
    CSS_PATH = [sheet("modals.tcss")]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_assign")]

    def __init__(self, accounts: list, row: dict, title: str | None = None) -> None:
        super().__init__()
        self.accounts = accounts
        self.row = row
        self.title_text = title or f"File #{row['id']} under an account"

    def compose(self) -> ComposeResult:
        first = next((a for a in self.accounts if a.id == self.row["account_id"]), self.accounts[0]) \
            if self.accounts else None
        with Vertical(id="assign-box", classes="small-dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(self.row["subject"], no_wrap=True, overflow="ellipsis"), classes="subject")
            if not first:
                yield Static(Text("No accounts yet: press A in the inbox to add one.", style="yellow"))
            else:
                yield Label("Account")
                yield Select([(Text(a.name), a.id) for a in self.accounts], id="assign-account", value=first.id,
                             allow_blank=False)
                yield Label("Marketplace")
                yield Select([(m, m) for m in first.marketplaces], id="assign-marketplace",
                             value=self.row["marketplace"] if self.row["marketplace"] in first.marketplaces
                             else first.marketplaces[0], allow_blank=False)
            with ButtonRow(classes="buttons"):
                yield Button("File it", id="save", variant="primary", disabled=not first)
                yield Button("Cancel (esc)", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "assign-account":
            return
        account = next(a for a in self.accounts if a.id == event.value)
        mp = self.query_one("#assign-marketplace", Select)
        mp.set_options([(m, m) for m in account.marketplaces])
        mp.value = account.marketplaces[0]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        account_id = self.query_one("#assign-account", Select).value
        account = next(a for a in self.accounts if a.id == account_id)
        self.dismiss((account, str(self.query_one("#assign-marketplace", Select).value)))

    def action_cancel(self) -> None:
        self.dismiss(None)
