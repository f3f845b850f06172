"""Names people give: an operator's name and an account's. Checked when they are set, not only shown.

A name is printable, on one line and at most 64 characters: it is shown in every operator's terminal (the
inbox, the audit log, the contact log) and recorded in the audit, so a name carrying an escape sequence,
a control or bidi character would reach the next operator. Pure.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 64


def name_problem(name: str | None, what: str = "a name") -> str | None:
    """Why `name` cannot be used, or None."""
    if name is None or not name.strip():
        return f"{what} is empty"
    if "\n" in name or "\r" in name:
        return f"{what} must be one line"
    bad = next((c for c in name if not c.isprintable() or unicodedata.category(c) in ("Cf", "Cc", "Co", "Cs")), None)
    if bad is not None:
        return f"{what} holds an unprintable character (U+{ord(bad):04X}); use letters, digits and punctuation"
    if len(name.strip()) > MAX_NAME:
        return f"{what} is {len(name.strip())} characters; at most {MAX_NAME}"
    return None
