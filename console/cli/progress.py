"""The import's progress bar: one line on standard error, redrawn in place, for long imports at a terminal.

    importing  ████████░░░░░░░░  4,200/10,000  42%  ~6 s left  (3 files failed)

It appears only when the stream is a terminal and the work is long: more than MIN_ITEMS units expected,
or still running after MIN_SECONDS. It is redrawn at most every REDRAW_SECONDS, never wider than the
terminal (a wrapped line could not be redrawn), and `finish` clears it before the summary is printed.
No colours (NO_COLOR holds trivially); block characters only when the stream can encode them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TextIO

from console.core.model import Progress

MIN_ITEMS = 500  # more units than this: a bar from the start
MIN_SECONDS = 2.0  # fewer, but still running after this long: a bar from then on
REDRAW_SECONDS = 0.1
BAR_CELLS = 16
CLEAR = "\r\033[K"  # back to the start of the line, erase it


class ProgressBar:
    """A `progress` callback for `Importer.run` that draws on `stream` (standard error)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic, columns: int | None = None):
        self.stream = stream
        self.clock = clock
        self.columns = columns
        self.started = clock()
        self.drawn_at: float | None = None  # when the line was last drawn; None: not on screen
        try:
            self.tty = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.tty = False
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "█░".encode(encoding)
            self.full, self.empty = "█", "░"
        except (UnicodeEncodeError, LookupError):
            self.full, self.empty = "#", "-"

    def __call__(self, p: Progress) -> None:
        if not self.tty:
            return
        now = self.clock()
        elapsed = now - self.started
        if self.drawn_at is None and p.total <= MIN_ITEMS and elapsed < MIN_SECONDS:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW_SECONDS and p.done < p.total:
            return
        self.stream.write("\r" + self.line(p, elapsed) + "\033[K")
        self.stream.flush()
        self.drawn_at = now

    def line(self, p: Progress, elapsed: float) -> str:
        """The bar's text, cut to the terminal's width."""
        total = max(p.total, 1)
        done = min(p.done, total)
        filled = BAR_CELLS * done // total
        parts = [f"importing  {self.full * filled}{self.empty * (BAR_CELLS - filled)}",
                 f"{p.done:,}/{p.total:,}", f"{100 * done // total}%"]
        if 0 < p.done < p.total and elapsed > 0:
            parts.append(f"~{_duration(elapsed / p.done * (p.total - p.done))} left")
        if p.failed:
            parts.append(f"({p.failed:,} file{'s' if p.failed != 1 else ''} failed)")
        text = "  ".join(parts)
        width = self.columns or shutil.get_terminal_size((80, 24)).columns
        return text[: max(width - 1, 10)]

    def finish(self) -> None:
        """Erase the bar, if it was drawn, so that the summary starts on a clean line."""
        if self.drawn_at is not None:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.drawn_at = None


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
