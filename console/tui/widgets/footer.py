"""The footer: Textual's, without rebuilding itself (and re-laying out the screen) when it need not.

Textual's Footer recomposes whenever the focus moves. Going into the filter box only takes the letter
keys away (the box types them), so this footer dims those keys instead, and lights them again when the
focus goes back to the list: no rebuild, no layout, on every filter. Any other change rebuilds as usual.

Every footer here fits its width whole, never cutting a key: roomy when every key fits, else compact, then
dropping whole keys: first the palette's ^p (help names it), then those the screen names in FOOTER_DROP, then
the keys declared last (the least used); `?` help and esc (back, cancel) always stay.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS = ("app.help", "help")  # actions a footer never drops (besides esc)


def key_width(key_display: str, description: str, palette: bool = False, compact: bool = False) -> int:
    """Cells one key takes in the footer (Footer's own CSS): " key description ", or "key description " when
    compact; the palette key adds its border (and its padding when not compact)."""
    if palette:  # always drawn compact (as Textual does), with its border and a padding or margin
        return cell_len(key_display) + 1 + cell_len(description) + 2
    if compact:
        return cell_len(key_display) + 1 + cell_len(description) + 1
    return cell_len(key_display) + 2 + cell_len(description) + 1


def fit_keys(widths: list[int], order: list[int], width: int) -> list[int]:
    """The indexes of the keys to show in width, dropping them in the given order (essential ones absent)."""
    kept, order = list(range(len(widths))), list(order)
    while sum(widths[i] for i in kept) > width and order:
        kept.remove(order.pop(0))
    return kept


class FittingFooter(Footer):
    """Textual's footer, showing only the keys that fit whole (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fitted: tuple | None = None  # the keys kept, as last composed

    def _entries(self) -> list[tuple]:
        """(binding, enabled, tooltip, palette) for each key a full-width footer would show."""
        active = self.screen.active_bindings
        seen, entries = set(), []
        for _key, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                entries.append((binding, enabled, tooltip, False))
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                entries.append((found[1], found[2], found[1].tooltip or found[1].description, True))
        return entries

    def _kept(self, entries: list[tuple]) -> tuple[list[tuple], bool]:
        """The keys that fit, and whether in the compact style: all of them roomy when they fit, else compact,
        dropping the palette key first, then the screen's FOOTER_DROP ids, then from the last declared."""
        width = (self.size.width or self.app.size.width) - 1  # a cell spare: nothing ever touches the edge
        first = getattr(self.screen, "FOOTER_DROP", ())
        palette = [i for i, entry in enumerate(entries) if entry[3]]
        named = sorted((i for i, (b, *_r) in enumerate(entries) if b.id in first and not entries[i][3]),
                       key=lambda i: first.index(entries[i][0].id))
        essential = {i for i, (b, *_r) in enumerate(entries) if b.action in ALWAYS or b.key == "escape"}
        order = palette + named + [i for i in reversed(range(len(entries)))
                                   if i not in essential and i not in named and i not in palette]
        for compact in (False, True):
            widths = [key_width(self.app.get_key_display(b), b.description, p, compact) for b, _e, _t, p in entries]
            if sum(widths) <= width or compact:
                return [entries[i] for i in fit_keys(widths, [] if not compact else order, width)], compact
        raise AssertionError("unreachable")

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        kept, compact = self._kept(self._entries())
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        self._fitted = (compact, *((b.key, b.action) for b, *_ in kept))
        for binding, enabled, tooltip, palette in kept:
            key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip or binding.description,
                            classes="-command-palette" if palette else "")
            yield key if palette else key.data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if self._bindings_ready and self._fitted is not None:
            kept, compact = self._kept(self._entries())
            if (compact, *((b.key, b.action) for b, *_ in kept)) != self._fitted:
                self.call_after_refresh(self.recompose)


class QuietFooter(FittingFooter):
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
