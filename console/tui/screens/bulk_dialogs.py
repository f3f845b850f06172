"""The dialogs of bulk triage: the confirm that shows the count, and a menu of one-letter choices (what to do
with the marked rows, which severity, which saved view)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from console.tui.styles import sheet


class BulkConfirm(ModalScreen[bool]):
    """"Mark read 30 notifications?" with what the change would do to them: yes (y, enter) or no (n, esc)."""

    CSS_PATH = [sheet("modals.tcss")]
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="bulk_yes"),
        Binding("n,escape", "answer(False)", "No", id="bulk_no"),
    ]

    def __init__(self, title: str, lines: list[str], yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-box"):
            yield Static(Text(self.title_text, style="bold"), id="bulk-title")
            for line in self.lines:
                yield Static(Text(line, overflow="fold"), classes="line")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ChoiceDialog(ModalScreen[str | None]):
    """A short menu: each choice has a key of its own (a letter or a digit) and can be picked with the arrows
    and enter too; esc picks nothing. The choices are (key, value, label)."""

    CSS_PATH = [sheet("modals.tcss")]
    BINDINGS = [Binding("escape", "pick('')", "Cancel", id="cancel_choice")]

    def __init__(self, title: str, lines: list[str], choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Text(self.title_text, style="bold"), id="choice-title")
            for line in self.lines:
                yield Static(Text(line, overflow="fold"), classes="line")
            options = []
            for key, _value, label in self.choices:
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append(f"{key} ", style="bold")
                prompt.append(label)
                options.append(Option(prompt))
            yield OptionList(*options, id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0  # enter picks the first choice

    def on_key(self, event: events.Key) -> None:
        for key, value, _label in self.choices:
            if event.character == key:
                event.stop()
                self.dismiss(value)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_pick(self, value: str) -> None:
        self.dismiss(value or None)


# What `;` offers for the marked rows (or the whole filter): (key, change, label).
BULK_CHOICES = [
    ("r", "read", "Mark read"),
    ("u", "unread", "Mark unread"),
    ("e", "resolved", "Close as resolved"),
    ("d", "dismissed", "Close as dismissed"),
    ("o", "claim", "Claim (the ones nobody holds)"),
    ("x", "release", "Release your claims"),
    ("t", "assign", "File under an account…"),
    ("s", "severity", "Set the severity…"),
]

SEVERITY_CHOICES = [("c", "critical", "Critical"), ("h", "high", "High"), ("m", "medium", "Medium"),
                    ("l", "low", "Low")]
