"""Make untrusted text (emails, API payloads, pastes) safe to store and show.

Terminal escape sequences, other control characters and bidirectional overrides
are removed at ingest; markup is never interpreted because screens render text
as `rich.text.Text`, not as markup strings.
"""

from __future__ import annotations

import re

# ESC-introduced sequences first (CSI, OSC, DCS...), so their parameters go too.
_ESC_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character escapes
)
# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_ASCII_CONTROL = bytes([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f])  # those of _CONTROL that are ASCII


def clean(text: str | None) -> str:
    """Strip escape sequences, control characters and bidi controls; keep tabs and newlines."""
    if not text:
        return ""
    if text.isascii() and "\x1b" not in text:
        # The common case, and the same result: ASCII holds no surrogate, C1 or bidi control, and without
        # ESC no escape sequence, so only the ASCII controls can go (a smaller class, scanned faster).
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        raw = text.encode("ascii")
        kept = raw.translate(None, _ASCII_CONTROL)  # a byte loop: several times faster than a regex's
        return text if len(kept) == len(raw) else kept.decode("ascii")
    # Lone surrogates (from broken UTF-8 or JSON escapes) cannot be stored or printed: make them visible.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESC_SEQ.sub("", text))


_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]")


def unsafe(text: str | None) -> bool:
    """Whether `clean` would remove anything but carriage returns: for text typed or pasted into an
    editor, which the terminal would otherwise be sent raw."""
    return bool(text) and _UNSAFE.search(text) is not None


def one_line(text: str | None, limit: int = 500) -> str:
    """Cleaned text folded onto one line, for table cells and messages."""
    folded = " ".join(clean(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def shown(text: str | None) -> str:
    """Text about to be drawn, whatever wrote it (even a raw SQL edit of the database): cleaned only
    when it holds something to remove, so the common case costs one regex search."""
    if not text:
        return ""
    return clean(text) if unsafe(text) else text
