"""The command line's one way out to a terminal: every string is cleaned where it is written.

Text printed by a command can come from the database (which any member of the ops group can edit with
sqlite3) or from the environment (an operator name): an ESC, OSC or CSI sequence, another control
character or a bidi override in it must never reach the terminal (an OSC 52 sequence sets the clipboard).
`SafeStream` wraps standard output and standard error for the life of a command and cleans what passes
(console/core/textsafe.py: tabs and newlines stay). JSON keeps the data exact: `json_text` writes such
characters as \\uXXXX escapes, which the cleaning then leaves alone.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

from console.core.textsafe import clean

_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


class SafeStream:
    """A text stream that cleans everything written to it, and is otherwise the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def raw(self) -> TextIO:
        """The stream itself, for flagdesk's own drawing (the progress bar's carriage returns): never data."""
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(clean(text) if text else text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def json_text(data: Any) -> str:
    """`data` as indented JSON, with control and bidi characters as \\uXXXX escapes (the same data)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class cleaned_output:
    """`with cleaned_output():` standard output and standard error are SafeStreams inside."""

    def __enter__(self) -> None:
        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)

    def __exit__(self, *exc) -> None:
        sys.stdout, sys.stderr = self._saved
