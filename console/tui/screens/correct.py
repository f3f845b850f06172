"""Correct the reading: set a notification's fate, cause or severity by hand when the rules got it wrong.

The same correction as `flagdesk correct` (console/cli/reading.py): audited with the old and new values and the
reason, and kept when notices are read again. "Back to the rules" hands the fields back (`correct --reset`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from console.core import fates
from console.core.model import Notification
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved
from console.tui.styles import sheet
from console.tui.widgets.safe_input import SafeInput

SEVERITIES = ("critical", "high", "medium", "low")


class CorrectReading(GuardsUnsaved, ModalScreen[dict | None]):
    """Three choices and a reason. Dismisses with {"changes": {...}, "reason": str}, {"reset": True}, or None."""
    CSS_PATH = [sheet("modals.tcss")]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_correct"),
        Binding("f2", "save", "Save", id="save_correct"),
        *FORM_BINDINGS,
    ]

    def __init__(self, n: Notification, fate_ids: list[str], cause_ids: list[str], rules=None) -> None:
        super().__init__()
        self.n = n
        self.fate_ids = list(dict.fromkeys([*fate_ids, n.category]))  # a fate since removed still shows
        self.cause_ids = list(dict.fromkeys([*cause_ids, n.cause]))
        self.rules = rules

    def compose(self) -> ComposeResult:
        n = self.n
        severity = getattr(n.severity, "value", n.severity)
        with Vertical(id="correct-box"):
            yield Static(Text(f"Correct the reading of #{n.id}", style="bold"))
            yield Static(Text(n.subject, no_wrap=True, overflow="ellipsis"), classes="subject")
            now = f"Now: {fates.label(n.category, n.cause, self.rules)}, {severity}"
            if n.corrected:
                fields = ", ".join("fate" if f == "category" else f for f in n.corrected)
                now += f" (set by an operator: {fields})"
            yield Static(Text(now, style="dim"), classes="now")
            with Horizontal(classes="field"):
                yield Label("Fate", classes="name")
                yield Select([(Text(fates.fate_label(f, self.rules)), f) for f in self.fate_ids],
                             id="correct-fate", value=n.category, allow_blank=False)
            with Horizontal(classes="field"):
                yield Label("Cause", classes="name")
                yield Select([(Text(fates.cause_label(c, self.rules)), c) for c in self.cause_ids],
                             id="correct-cause", value=n.cause, allow_blank=False)
            with Horizontal(classes="field"):
                yield Label("Severity", classes="name")
                yield Select([(s, s) for s in SEVERITIES], id="correct-severity", value=severity,
                             allow_blank=False)
            with Horizontal(classes="field"):
                yield Label("Why", classes="name")
                yield SafeInput(placeholder="for the audit log: what the rules missed", id="correct-reason")
            with Horizontal(classes="buttons"):
                yield Button("Save (F2)", id="save", variant="primary")
                if n.corrected:
                    yield Button("Back to the rules", id="reset")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#correct-fate", Select).focus()

    def chosen(self) -> dict[str, str]:
        """The fields whose choice differs from what is stored."""
        n = self.n
        now = {"category": n.category, "cause": n.cause, "severity": getattr(n.severity, "value", n.severity)}
        picked = {"category": self.query_one("#correct-fate", Select).value,
                  "cause": self.query_one("#correct-cause", Select).value,
                  "severity": self.query_one("#correct-severity", Select).value}
        return {k: str(v) for k, v in picked.items() if v != now[k]}

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "reset":
            self.dismiss({"reset": True, "reason": self.query_one("#correct-reason", Input).value})
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def action_save(self) -> None:
        changes = self.chosen()
        if not changes:
            self.notify("Nothing changed: pick another fate, cause or severity, or press esc.", markup=False)
            return
        self.dismiss({"changes": changes, "reason": self.query_one("#correct-reason", Input).value})
