"""What every flagdesk screen repeats: the Desk, the input cursors, and the watch for other sessions' writes.

`DeskScreen` and `DeskModal` give `self.desk` (the app's), `settle_cursors()` (the app's cursor_blink on
every Input and TextArea: snapshots turn blinking off) and `watch_writes()`: once a second, when live
refresh is on, compare SQLite's `PRAGMA data_version` with the one the screen last showed and call
`others_wrote()` when another session (or an import) has written since. A screen records the version it
shows with `note_version()` whenever it reloads.
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen

from console.core.errors import StoreError

WATCH_S = 1.0  # how soon another session's write shows


def settle_cursors(screen: Screen) -> None:
    """Apply the app's cursor_blink to every text input on a screen."""
    for widget in screen.query("Input, TextArea"):
        widget.cursor_blink = screen.app.cursor_blink


class _DeskMixin:
    _data_version: int | None = None

    @property
    def desk(self):
        return self.app.desk

    def settle_cursors(self) -> None:
        settle_cursors(self)

    def note_version(self) -> None:
        """Remember the database version this screen now shows."""
        try:
            self._data_version = self.desk.data_version()
        except StoreError:
            pass

    def watch_writes(self) -> None:
        """Poll for other sessions' writes (only when the app refreshes live: never in snapshots)."""
        if self.app.live_refresh:
            if self.app.takeover_mark is None:
                try:
                    self.app.takeover_mark = self.desk.takeovers_since(None)[0]
                except StoreError:
                    pass
            self.set_interval(WATCH_S, self.poll_writes)

    def poll_writes(self) -> None:
        try:
            version = self.desk.data_version()
        except StoreError:
            return  # a locked or vanished file: try again next time
        if version != self._data_version:
            self._data_version = version
            self._tell_takeovers()
            self.others_wrote()

    def _tell_takeovers(self) -> None:
        """Whichever screen is up: say so at once when another operator takes over one of my claims."""
        app = self.app
        try:
            app.takeover_mark, taken = self.desk.takeovers_since(app.takeover_mark)
        except StoreError:
            return
        for nid, who in taken:
            self.notify(f"{who} took over your claim on notification #{nid}", severity="warning", timeout=15,
                        markup=False)

    def others_wrote(self) -> None:
        """Another session wrote since this screen last looked: subclasses refresh what they show."""


class DeskScreen(_DeskMixin, Screen):
    pass


class DeskModal(_DeskMixin, ModalScreen):
    pass
