"""Unsaved typing: what a form holds that is not stored yet, and the question asked before it is lost.

A form (the paste form, the appeal editor, every dialog with a text box) mixes in `GuardsUnsaved` and adds
`FORM_BINDINGS` to its BINDINGS (Textual reads BINDINGS only from its own classes, never from a plain mixin):

- `unsaved_chars()` counts the characters typed into the screen's Inputs and TextAreas since it opened (or
  since `note_saved()`). Screens whose fields fill themselves (the paste form) or that save themselves (the
  appeal editor) count their own way.
- `leave_or_ask()` is what esc and Cancel run: `close_form()` at once when nothing is typed, else the
  question "Discard N characters?" first (Keep editing has the focus; esc keeps, y or d discards).
- ctrl+c, when no text is selected to copy and something typed would be lost, asks the same and leaves on
  Discard; otherwise it does what Textual does (copy, or the hint that ctrl+q quits).
- `q`: the app's Quit is held on a form, by a hidden binding of the same id (so a [keymap] remapping of
  `quit` moves it too): the footer and help stop offering q, and q on a Select or a button does nothing.
- Quitting itself (ctrl+q, the palette's Quit) goes through `quit_or_ask(app)`: every form in the stack
  first saves what it can save by itself (the appeal editor), then what is still unsaved across the stack
  is asked about.
"""

from __future__ import annotations

from rich.text import Text
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow

FORM_BINDINGS = [
    # system=True: neither the footer, the key panel nor help lists it; id="quit": the keymap moves it too.
    Binding("q", "hold_quit", show=False, system=True, id="quit"),
    # Replaces the screen's own ctrl+c (copy the selected text), which action_interrupt still does.
    Binding("ctrl+c", "interrupt", show=False),
]


def typed_chars(before: str, after: str) -> int:
    """How many characters differ between two texts: what was typed in, or deleted, between a common
    beginning and a common end ("" -> "hello" is 5, "abc" -> "abXc" is 1, "hello" -> "" is 5)."""
    if before == after:
        return 0
    shortest = min(len(before), len(after))
    head = 0
    while head < shortest and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < shortest - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return max(len(after), len(before)) - head - tail


def _text_of(widget) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value


class GuardsUnsaved:
    """A screen that holds typed text: counts it, and asks before esc, Cancel, ctrl+c or quitting loses it."""

    _baseline: dict | None = None

    def _on_mount(self) -> None:
        # Textual calls every class's own mount handler: this one runs after the screen's on_mount.
        self.note_saved()

    def note_saved(self) -> None:
        """What the text boxes hold now counts as kept (at opening; after an import has used the path)."""
        self._baseline = {widget: _text_of(widget) for widget in self.query("Input, TextArea")}

    def unsaved_chars(self) -> int:
        """Characters typed into the text boxes and not saved."""
        baseline = self._baseline or {}
        return sum(typed_chars(baseline.get(widget, ""), _text_of(widget))
                   for widget in self.query("Input, TextArea"))

    def save_quietly(self) -> str | None:
        """Save what can be saved without asking anything; the reason it could not, else None. A form that
        only saves on F2 has nothing to save by itself."""
        return None

    def close_form(self) -> None:
        """Leave the screen now, asking nothing."""
        self.dismiss(None)

    def leave_or_ask(self, reason: str | None = None) -> None:
        """Leave at once when nothing typed is unsaved; else ask "Discard N characters?" first."""
        unsaved = self.unsaved_chars()
        if not unsaved:
            self.close_form()
            return
        self.app.push_screen(ConfirmDiscard(unsaved, reason),
                             lambda discard: self.close_form() if discard else None)

    def action_hold_quit(self) -> None:
        """q on a form (on a Select or a button: in a text box it is typed)."""
        self.notify("q does not quit from a form: esc leaves it (asking first when something is typed).",
                    markup=False, timeout=4)

    def action_interrupt(self) -> None:
        selected = self.get_selected_text()
        if selected:  # what the screen's own ctrl+c did
            self.app.copy_to_clipboard(selected)
            return
        reason = self.save_quietly()
        if not self.unsaved_chars():
            raise SkipAction()  # nothing to lose: Textual's own ctrl+c (the hint that ctrl+q quits)
        self.leave_or_ask(reason)


class ConfirmDiscard(ModalScreen[bool]):
    """Discard N characters? Keep editing has the focus (enter and esc keep); y or d discards."""
    CSS_PATH = [sheet("modals.tcss")]

    # No ids: console/core/data/keys.toml lists every remappable binding, and these two are not in it yet.
    BINDINGS = [
        Binding("y,d", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    def __init__(self, unsaved: int, reason: str | None = None, quitting: bool = False) -> None:
        super().__init__()
        self.unsaved = unsaved
        self.reason = reason
        self.quitting = quitting

    @property
    def question(self) -> str:
        return f"Discard {self.unsaved:,} character{'s' if self.unsaved != 1 else ''}?"

    def compose(self) -> ComposeResult:
        then = "quit flagdesk" if self.quitting else "leave"
        with Vertical(id="discard-box"):
            yield Static(Text(self.question, style="bold"), id="discard-question")
            if self.reason:
                yield Static(Text(f"Not saved: {self.reason}", style="yellow"))
            yield Static(Text(f"What you typed is not saved. Discard it and {then}, or keep editing.",
                              style="dim"))
            with ButtonRow(classes="buttons"):
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Keep editing (esc)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "discard")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


def quit_or_ask(app: App) -> None:
    """Quit, unless a screen holds typing that would be lost: then ask first. A second ctrl+q on that
    question answers it (discard and quit); on any other question it waits for the answer."""
    top = app.screen
    if isinstance(top, ConfirmDiscard):
        if top.quitting:
            top.dismiss(True)
        return
    unsaved, reasons = 0, []
    for screen in reversed(app.screen_stack):
        if isinstance(screen, GuardsUnsaved):
            reason = screen.save_quietly()
            unsaved += screen.unsaved_chars()
            if reason:
                reasons.append(reason)
    if not unsaved:
        app.exit()
        return
    app.push_screen(ConfirmDiscard(unsaved, "; ".join(reasons) or None, quitting=True),
                    lambda discard: app.exit() if discard else None)

