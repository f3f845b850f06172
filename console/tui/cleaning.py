"""The console's one way out to a terminal: every cell is cleaned as it is drawn.

Text reaches the screen from the database (which any member of the ops group can edit with sqlite3), from
the environment (operator names) and from emails; each screen cleans what it knows, and this filter makes
sure of it for all of them: a control character, an ESC that starts an escape sequence, or a bidi override
in any drawn segment is dropped (they take no cells, so the layout stays). It runs on every line Textual
draws, so the common case (printable text) costs one `str.isprintable` per segment.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from console.core.textsafe import clean


class CleanCells(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out = None
        for index, segment in enumerate(segments):
            text = segment.text
            if text.isprintable() or segment.control:
                continue
            if out is None:
                out = list(segments)
            out[index] = Segment(clean(text).replace("\n", " ").replace("\t", " "), segment.style)
        return segments if out is None else out
