"""The footer: Textual's, rebuilt only when the keys it shows actually change.

Textual's Footer recomposes (and the screen lays itself out again) whenever the focus moves, even when
the keys shown stay the same, such as going from the filter box back to the list. On a 100,000-row
inbox that is a visible hitch on every filter; this one compares what it would show first.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _signature(self, screen: Screen) -> tuple:
        palette = screen.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.description, binding.action, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            super().bindings_changed(screen)
            return
        signature = self._signature(screen)
        if signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)
