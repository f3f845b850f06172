"""Small dialogs: resolve-or-dismiss."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from console.model import Status


class CloseNotice(ModalScreen[Status | None]):
    """Asks whether the notification is resolved (dealt with) or dismissed (nothing to do)."""

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
            with Horizontal(classes="buttons"):
                yield Button("Resolved (r)", id="resolved", variant="success")
                yield Button("Dismissed (d)", id="dismissed")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "cancel" else event.button.id)

    def action_choose(self, value: str) -> None:
        self.dismiss(Status(value) if value else None)
