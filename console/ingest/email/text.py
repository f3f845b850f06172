"""Text cleaning shared by the header and message code: lone surrogates, one-line folding, safe body text."""

from __future__ import annotations

import re

from console.core.textsafe import clean

SURROGATE = re.compile(r"[\ud800-\udfff]")
_clean = clean  # textsafe.clean (which has a shortcut for plain ASCII text)


def clean_line(text: str, limit: int = 500) -> str:
    """textsafe.one_line by way of `_clean`."""
    folded = " ".join(_clean(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def safe_text(text: str) -> str:
    """textsafe.clean plus non-breaking spaces as spaces (clean leaves no lone surrogates)."""
    return _clean(text).replace("\xa0", " ")
