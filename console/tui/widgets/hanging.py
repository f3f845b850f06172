"""Text with hanging indents: a wrapped line continues under where its text began, not at the left edge
(the checklist's reasons, the help's key descriptions, the appeal header)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.widgets import Static


def hang(lines: list[tuple[Text, int]], width: int, console: Console) -> Text:
    """Each (line, indent): the line wrapped to width, its continuation lines indented by indent cells (the
    first indent cells of the line, a key or a mark, stay where they are)."""
    out = Text()
    for n, (line, indent) in enumerate(lines):
        if n:
            out.append("\n")
        indent = min(indent, max(width - 8, 0))  # never so deep that nothing is left to wrap into
        if width <= 0 or line.cell_len <= width:
            out.append_text(line)
            continue
        head, body = line[:indent], line[indent:]
        pieces = body.wrap(console, max(width - indent, 1), overflow="fold")
        for i, piece in enumerate(pieces):
            piece.rstrip()
            if i:
                out.append("\n" + " " * indent)
            else:
                out.append_text(head)
            out.append_text(piece)
    return out


class HangingText(Static):
    """A Static drawn from (line, indent) pairs, wrapped again whenever its width changes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines: list[tuple[Text, int]] = []
        self._drawn_width = -1

    def show(self, lines: list[tuple[Text, int]]) -> None:
        self.lines = lines
        self._drawn_width = -1
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or self.size.width
        if width == self._drawn_width and width > 0:
            return
        self._drawn_width = width
        self.update(hang(self.lines, width if width > 0 else 10_000, self.app.console))

    def on_resize(self) -> None:
        self._draw()

    @property
    def plain(self) -> str:
        return "\n".join(line.plain for line, _ in self.lines)


def text_lines(text: Text, indent_of=None) -> list[tuple[Text, int]]:
    """A Text split at its newlines into (line, indent) pairs; the indent is the line's leading spaces unless
    indent_of(line) says otherwise."""
    out = []
    for line in text.split("\n", allow_blank=True):
        plain = line.plain
        indent = indent_of(line) if indent_of else None
        out.append((line, indent if indent is not None else len(plain) - len(plain.lstrip(" "))))
    return out
