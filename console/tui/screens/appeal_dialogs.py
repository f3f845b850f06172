"""Dialogs around the appeal editor: submit, outcome, stale-save conflict, revisions with diffs."""

from __future__ import annotations

import difflib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from console.core.textsafe import clean
from console.tui.screens.base import settle_cursors
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.footer import FittingFooter
from console.tui.widgets.safe_input import SafeInput


def diff_text(old: str, new: str, old_name: str, new_name: str) -> Text:
    """A unified diff as Text: removed lines red, added lines green, never markup."""
    text = Text()
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=2))
    if not lines:
        text.append("No differences.", style="dim")
    for line in lines:
        style = "bold" if line.startswith(("---", "+++")) else (
            "green" if line.startswith("+") else "red" if line.startswith("-") else "cyan" if line.startswith("@@")
            else "")
        text.append(line + "\n", style=style)
    return text


class SubmitDialog(GuardsUnsaved, ModalScreen[dict | None]):
    """Mark submitted: which path, and — when required checks fail — the written override reason."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_submit"), *FORM_BINDINGS]

    def __init__(self, button_spent_by: str | None, failing: list, suggested: str | None, notice=None) -> None:
        super().__init__()
        self.button_spent_by = button_spent_by
        self.failing = failing
        self.suggested = suggested
        self.notice = notice  # the notification: what the Appeal button's confirmation names

    def compose(self) -> ComposeResult:
        with Vertical(id="submit-box", classes="dialog"):
            yield Static(Text("Mark submitted", style="bold"))
            if self.button_spent_by:
                yield Static(Text(f"The notification's Appeal button is spent (used by {self.button_spent_by}): "
                                  "this appeal goes through Help → Contact Us.", style="yellow"))
            else:
                yield Static(Text("The notification's Appeal button is unused. It works once: after that, "
                                  "appeals go through Help → Contact Us.", style="dim"))
            if self.failing:
                names = ", ".join(r.label for r in self.failing)
                only_review = all(r.id == "reviewed" for r in self.failing)
                tail = (" The review guards the Appeal button only: Contact Us needs no reason."
                        if only_review else "")
                yield Static(Text(f"Required checks fail: {names}. Submitting anyway needs a written reason "
                                  f"(it is audited).{tail}", style="bold red"))
                yield Label("Override reason")
                yield SafeInput(id="override", placeholder="why this goes out despite the failing checks")
            yield Label("Contact Us channel and case ID (for Contact Us)")
            with Horizontal(classes="row"):
                yield Select([("email", "email"), ("phone", "phone"), ("chat", "chat")], id="channel",
                             value="email", allow_blank=False, compact=True)
                yield SafeInput(id="case-id", placeholder="case ID (optional for a call)", compact=True)
            with ButtonRow(classes="buttons"):
                yield Button("Appeal button", id="appeal-button", variant="primary",
                             disabled=bool(self.button_spent_by))
                yield Button("Contact Us", id="contact-us", variant="default")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        settle_cursors(self)

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
            return
        answer: dict = {"route": event.button.id}
        blocking = [r for r in self.failing if event.button.id == "appeal-button" or r.id != "reviewed"]
        if blocking:
            reason = self.query_one("#override", Input).value.strip()
            if not reason:
                self.notify("Write the reason for overriding the failing checks first.", severity="warning",
                            markup=False)
                self.query_one("#override", Input).focus()
                return
            answer["override"] = reason
        if event.button.id == "contact-us":
            answer["channel"] = str(self.query_one("#channel", Select).value)
            answer["case_id"] = self.query_one("#case-id", Input).value.strip() or None
            self.dismiss(answer)
            return
        # The Appeal button works once: a deliberate second step, naming what is spent and what fails.
        def confirmed(spend: bool | None) -> None:
            if spend:
                self.dismiss(answer)

        self.app.push_screen(SpendButtonDialog(self.notice, blocking), confirmed)


class SpendButtonDialog(ModalScreen[bool]):
    """The last step before the one-time Appeal button: the notification, the account, the failing checks and
    "This can be done once." Cancel has the focus; spending takes its own button."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [Binding("escape", "choose(False)", "Cancel", id="cancel_spend")]

    def __init__(self, notice, failing: list) -> None:
        super().__init__()
        self.notice = notice
        self.failing = failing

    def compose(self) -> ComposeResult:
        n = self.notice
        with Vertical(id="spend-box", classes="dialog"):
            yield Static(Text("Spend the Appeal button?", style="bold"))
            if n is not None:
                yield Static(Text(f"Notification #{n.id}: {n.subject}"), id="spend-notice")
                yield Static(Text(f"Account: {n.account} · {n.marketplace}"), id="spend-account")
            names = ", ".join(r.label for r in self.failing) if self.failing else "none"
            yield Static(Text(f"Failing checks: {names}", style="bold red" if self.failing else ""),
                         id="spend-failing")
            yield Static(Text("This can be done once. After it, appeals go through Help → Contact Us.",
                              style="bold yellow"), id="spend-once")
            with ButtonRow(classes="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button("Spend the Appeal button", id="spend", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.id == "spend")

    def action_choose(self, spend: bool) -> None:
        self.dismiss(spend)


class OutcomeDialog(GuardsUnsaved, ModalScreen[tuple[str, str] | None]):
    """Amazon's answer: accepted, rejected (with the reason), or still pending."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_outcome"), *FORM_BINDINGS]

    def compose(self) -> ComposeResult:
        with Vertical(id="outcome-box", classes="dialog"):
            yield Static(Text("Record the outcome", style="bold"))
            yield Label("Note: Amazon's reason, or what you are waiting for")
            yield SafeInput(id="note")
            with ButtonRow(classes="buttons"):
                yield Button("Accepted", id="accepted", variant="success")
                yield Button("Rejected", id="rejected", variant="error")
                yield Button("Pending", id="pending")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        settle_cursors(self)
        self.query_one("#note", Input).focus()

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
        else:
            self.dismiss((event.button.id, self.query_one("#note", Input).value.strip()))


class ConflictDialog(ModalScreen[str | None]):
    """Someone saved this appeal since you opened it: see the difference, then choose. Nothing is
    overwritten without this choice."""
    CSS_PATH = [sheet("appeal.tcss")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [Binding("escape", "choose('')", "Decide later", id="cancel_conflict")]

    def __init__(self, theirs, mine: str, last_change: dict | None) -> None:
        super().__init__()
        self.theirs = theirs
        self.mine = mine
        self.who = last_change["actor"] if last_change else "another operator"
        self.when = last_change["at"] if last_change else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box", classes="dialog"):
            yield Static(Text(f"{self.who} saved this appeal at {self.when} (revision {self.theirs.revision}) "
                              "after you opened it. Your text was not saved.", style="bold yellow"))
            with VerticalScroll(id="conflict-diff"):
                # Theirs was cleaned when saved; yours is straight from the editor: clean it for the screen.
                yield Static(diff_text(self.theirs.text, clean(self.mine), f"saved by {self.who}",
                                       "yours (unsaved)"))
            with ButtonRow(classes="buttons"):
                yield Button("Keep mine (new revision)", id="mine", variant="warning")
                yield Button("Take theirs (yours kept in a file)", id="theirs", variant="primary")
                yield Button("Decide later", id="later")

    def on_mount(self) -> None:
        self.query_one("#mine", Button).focus()  # the choice that loses nothing

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "later" else event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


class RevisionsScreen(ModalScreen[int | None]):
    """Every saved revision; the diff between any two (c picks the base); r restores one."""
    CSS_PATH = [sheet("appeal.tcss")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("c", "compare", "Compare from", id="revision_compare", tooltip="Use the highlighted revision as the base"),
        Binding("r", "restore", "Restore", id="revision_restore", tooltip="Restore the highlighted revision"),
        Binding("escape", "close", "Close", id="revision_close"),
    ]

    def __init__(self, revisions: list, editable: bool) -> None:
        super().__init__()
        self.revisions = revisions
        self.editable = editable
        self.base = len(revisions) - 2 if len(revisions) > 1 else 0  # compare the previous with the latest

    def compose(self) -> ComposeResult:
        with Vertical(id="revisions-box", classes="dialog"):
            yield Static(Text("Revisions", style="bold"), id="revisions-title")
            with Horizontal(id="revisions-main"):
                yield OptionList(*[
                    Option(Text(f"{r.number:>3}  {r.created_at:%m-%d %H:%M}  {r.shown or r.author}  {len(r.text):>5} ch"
                                + (f"  {r.note}" if r.note else ""), no_wrap=True))
                    for r in self.revisions
                ], id="revision-list")
                with VerticalScroll(id="revision-diff"):
                    yield Static(id="revision-diff-body")
            yield FittingFooter()

    def on_mount(self) -> None:
        listing = self.query_one("#revision-list", OptionList)
        listing.highlighted = len(self.revisions) - 1
        listing.focus()
        self._show()

    @on(OptionList.OptionHighlighted)
    def _show(self) -> None:
        index = self.query_one("#revision-list", OptionList).highlighted or 0
        base, target = self.revisions[self.base], self.revisions[index]
        self.query_one("#revisions-title", Static).update(
            Text(f"Revisions — diff of {base.number} → {target.number}   (c: compare from the highlighted one, "
                 f"r: restore it)", style="bold"))
        self.query_one("#revision-diff-body", Static).update(
            diff_text(base.text, target.text, f"revision {base.number}", f"revision {target.number}"))

    def action_compare(self) -> None:
        self.base = self.query_one("#revision-list", OptionList).highlighted or 0
        self._show()

    def action_restore(self) -> None:
        if not self.editable:
            self.notify("This appeal is read-only.", markup=False)
            return
        index = self.query_one("#revision-list", OptionList).highlighted
        if index is not None:
            self.dismiss(self.revisions[index].number)

    def action_close(self) -> None:
        self.dismiss(None)
