"""Command-line tables: a header row, aligned columns, and a cut that always shows itself.

Columns keep their full width when the terminal has room; otherwise the columns marked `flex` (a subject, a
summary) give up width first, then the others, and a cut cell ends in "…" so that a shortened name is never
mistaken for a whole one (`--wide` shows every cell whole). Widths count terminal cells: East Asian wide
characters take two.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Sequence

MIN_WIDTH = 6  # a column is not squeezed below this many cells (or its header's width, if less)


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when something was left out."""
    if cells(text) <= width:
        return text
    out, used = "", 0
    for c in text:
        w = cells(c)
        if used + w > width - 1:
            break
        out, used = out + c, used + w
    return out + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - cells(text))
    return gap + text if right else text + gap


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], *, flex: Sequence[int] = (),
           right: Sequence[int] = (), wide: bool = False, width: int | None = None) -> list[str]:
    """The lines of a table. `flex`: the columns that shrink first; `right`: right-aligned (numbers)."""
    n = len(headers)
    widths = [max([cells(headers[i])] + [cells(r[i]) for r in rows]) for i in range(n)]
    if not wide:
        room = (width or shutil.get_terminal_size((120, 24)).columns) - 2 * (n - 1)
        order = list(flex) + [i for i in range(n) if i not in flex]
        for i in order:
            excess = sum(widths) - room
            if excess <= 0:
                break
            floor = min(widths[i], max(MIN_WIDTH, cells(headers[i])))
            widths[i] = max(floor, widths[i] - excess)
    lines = ["  ".join(_pad(cut(h, widths[i]), widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    for r in rows:
        lines.append("  ".join(_pad(cut(v, widths[i]), widths[i], i in right) for i, v in enumerate(r)).rstrip())
    return lines
