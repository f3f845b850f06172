"""A checkbox that says its state in characters: "[x]" ticked, "[ ]" not, readable without colour
(Textual's own draws the same X either way and tells them apart by colour alone)."""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--label")
        return Content.assemble(("[x]" if self.value else "[ ]", style + Style.parse("bold") if self.value else style))
