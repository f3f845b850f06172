"""A dialog's row of buttons that reflows: side by side when they fit, else one line each, stacked.

A row wider than its dialog hides the last buttons (and Tab then lands on a button nobody can see); stacked
compact buttons keep every one visible at 80 columns.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.containers import Horizontal
from textual.widgets import Button


def natural_width(button: Button) -> int:
    """The cells a button takes side by side: its label padded, at least Button's min-width, and its margin."""
    return max(16, cell_len(str(button.label)) + 2) + 1


class ButtonRow(Horizontal):
    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
    }
    ButtonRow.-stacked {
        layout: vertical;
    }
    ButtonRow.-stacked > Button {
        margin: 0;
        width: 100%;
        text-align: left;
        content-align: left middle;
    }
    """

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        width = self.content_region.width or self.size.width
        if width <= 0:
            return
        buttons = [child for child in self.children if isinstance(child, Button) and child.display]
        stacked = sum(natural_width(b) for b in buttons) - 1 > width
        if stacked != self.has_class("-stacked"):
            self.set_class(stacked, "-stacked")
            for button in buttons:
                button.compact = stacked
