"""The Textual application, built by `make_app` (the CLI, tests and snapshots all call it)."""

from __future__ import annotations

import gc
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from console.desk import Desk
from console.tui.cleaning import CleanCells
from console.tui.styles import sheet
from console.tui.typeahead import TypeAhead

GC_THRESHOLD = 10_000  # young-generation allocations between collections (CPython's default: 700)


class FlagdeskApp(TypeAhead, App):
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
        self._gc_threshold: tuple[int, int, int] | None = None
        theme = desk.config.theme
        self.theme = theme if theme in self.available_themes else "textual-dark"
        self.theme_problem = None if theme in self.available_themes else (
            f"theme {theme!r} ({desk.config.sources.get('theme', 'config')}) is not a theme here: showing "
            f"textual-dark; try light, dark or one of {', '.join(sorted(self.available_themes))}")
        self.takeover_mark: int | None = None  # the audit row up to which my claims' takeovers were told
        self._filters.append(CleanCells())  # whatever a screen draws, no control or bidi character goes out
        # NO_COLOR (Textual read it above): the stylesheets carry urgency by attributes (inbox.tcss, -mono);
        # a light theme gets darker warning colours (-light).
        self.set_class(self.no_color, "-mono")
        self.set_class(not self.current_theme.dark, "-light")

    def watch_theme(self, theme: str) -> None:
        self.set_class(not self.get_theme(theme).dark if self.get_theme(theme) else False, "-light")

    def on_mount(self) -> None:
        self.call_after_refresh(self._settle_gc)
        self.call_after_refresh(self._warm_up)
        for notice in self.desk.config.notices:  # a retired setting still in a config file
            self.notify(notice, severity="warning", timeout=20, markup=False)
        if self.theme_problem:
            self.notify(self.theme_problem, severity="warning", timeout=20, markup=False)
        if not self.is_headless:
            from console.tui import hangup

            # A dropped SSH session (SIGHUP) or a SIGTERM from now on: `hangup` below, then out within 2 s.
            hangup.attach(self)

    def _warm_up(self) -> None:
        """After the first paint: the appeal checklist's patterns compile on a thread of their own."""
        import threading

        threading.Thread(target=self.desk.warm_up, name="flagdesk-warm-up", daemon=True).start()

    def _settle_gc(self) -> None:
        """Once the first screen is up: leave start-up's objects out of the garbage collector's full passes
        (gc.freeze) and collect less often. Textual allocates briskly; without this a full pass over every
        widget and style lands in the middle of a key press now and then (50-90 ms at 100k notifications)."""
        if self._gc_threshold is None:
            self._gc_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(GC_THRESHOLD, 10, 10)

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:  # hand everything back (several apps can run in one process)
            gc.unfreeze()
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None

    def hangup(self) -> None:
        """SIGHUP or SIGTERM (through console/tui/hangup.py): store every screen's typing, then exit.
        Nothing here writes to the terminal, which may be gone."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush", None)
            if flush is not None:
                try:
                    flush()
                except Exception:  # one screen's failure keeps no other draft from being stored
                    pass
        self.exit()

    def get_default_screen(self) -> Screen:
        from console.tui.screens.inbox import InboxScreen

        if self.desk.config.keymap:
            self.set_keymap(self.desk.config.keymap)
        return InboxScreen()

    async def action_quit(self) -> None:
        """q, ctrl+q and the palette's Quit: at once, unless a screen holds typing that would be lost (then
        "Discard N characters?" first). Forms hold q itself (console/tui/screens/unsaved.py)."""
        from console.tui.screens.unsaved import quit_or_ask

        quit_or_ask(self)

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
        screen = self.screen
        back = getattr(screen, "after_contacts", None) or getattr(screen, "reload", lambda: None)
        self.push_screen(ContactsScreen(**context), lambda _: back())

    def action_audit(self) -> None:
        """The audit log: every change by every operator."""
        from console.tui.screens.audit import AuditScreen

        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Audit log", "Every change by every operator, newest first", self.action_audit)
        yield from getattr(screen, "palette_commands", lambda: [])()


def make_app(desk: Desk, live_refresh: bool = True, cursor_blink: bool = True) -> FlagdeskApp:
    return FlagdeskApp(desk, live_refresh, cursor_blink)

