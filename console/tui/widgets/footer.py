"""The footer: Textual's, without rebuilding itself (and re-laying out the screen) when it need not.

Textual's Footer recomposes whenever the focus moves. Going into the filter box only takes the letter
keys away (the box types them), so this footer dims those keys instead, and lights them again when the
focus goes back to the list: no rebuild, no layout, on every filter. Any other change rebuilds as usual.
"""

from __future__ import annotations

from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class QuietFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # the keys as last composed
        self._dimmed: set[str] = set()

    def _signature(self, screen: Screen) -> tuple:
        palette = screen.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.description, binding.action, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def _dim(self, keys: set[str]) -> None:
        for footer_key in self.query(FooterKey):
            dim = footer_key.key in keys
            if dim != (footer_key.key in self._dimmed):
                footer_key.set_class(dim, "-disabled")
        self._dimmed = keys

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            super().bindings_changed(screen)
            return
        signature = self._signature(screen)
        if self._shown is not None:
            now = set(signature)
            missing = [entry for entry in self._shown if entry not in now]
            if now <= set(self._shown) and all(_typed(entry[1]) for entry in missing):
                # The same keys, less some letters a text box is typing: dim those, rebuild nothing.
                self._dim({entry[1] for entry in missing})
                return
        self._shown = signature
        self._dimmed = set()
        super().bindings_changed(screen)


def _typed(key: str) -> bool:
    """Whether a text box would type this key rather than let it reach a binding."""
    char = key_to_character(key)
    return char is not None and len(char) == 1 and char.isprintable()
