"""The Textual application, built by `make_app` (the CLI, tests and snapshots all call it)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from console.desk import Desk
from console.tui.styles import sheet


class FlagdeskApp(App):
    TITLE = "flagdesk"
    # The inbox's sheets at start-up; the other screens bring their own when first shown (faster launch).
    CSS_PATH = [sheet("app.tcss"), sheet("inbox.tcss")]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave flagdesk"),
        Binding("question_mark", "help", "Help", id="help", tooltip="The keys in force"),
        Binding("f12", "contacts", "Contacts", show=False, id="contacts",
                tooltip="The Seller Support contact log, from anywhere"),
    ]

    def __init__(self, desk: Desk, live_refresh: bool = True, cursor_blink: bool = True) -> None:
        super().__init__()
        self.desk = desk
        self.live_refresh = live_refresh
        self.cursor_blink = cursor_blink  # snapshots turn it off, for Input and TextArea alike
        self.theme = desk.config.theme if desk.config.theme in self.available_themes else "textual-dark"

    def on_mount(self) -> None:
        if not self.is_headless:
            import asyncio
            import signal

            # A dropped SSH session sends SIGHUP: save every open draft before leaving.
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hangup)

    def hangup(self) -> None:
        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if flush is not None:
                flush()
        self.exit()

    def get_default_screen(self) -> Screen:
        from console.tui.screens.inbox import InboxScreen

        if self.desk.config.keymap:
            self.set_keymap(self.desk.config.keymap)
        return InboxScreen()

    def action_help(self) -> None:
        from console.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen.active_bindings))

    def action_contacts(self) -> None:
        """The contact log, aimed at what the current screen shows (its account and notification)."""
        from console.tui.screens.contacts import ContactsScreen

        if isinstance(self.screen, ContactsScreen):
            return
        context = getattr(self.screen, "contact_context", lambda: {})()
        self.push_screen(ContactsScreen(**context), lambda _: getattr(self.screen, "reload", lambda: None)())

    def action_audit(self) -> None:
        """The audit log: every change by every operator."""
        from console.tui.screens.audit import AuditScreen

        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen(self.desk))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Audit log", "Every change by every operator, newest first", self.action_audit)
        yield from getattr(screen, "palette_commands", lambda: [])()


def make_app(desk: Desk, live_refresh: bool = True, cursor_blink: bool = True) -> FlagdeskApp:
    return FlagdeskApp(desk, live_refresh, cursor_blink)


def settle_cursors(screen: Screen) -> None:
    """Apply the app's cursor_blink to every text input on a screen."""
    for widget in screen.query("Input, TextArea"):
        widget.cursor_blink = screen.app.cursor_blink
