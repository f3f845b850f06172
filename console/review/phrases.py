"""The appeal checklist's phrase lists, loaded from the data files in console/review/data/ and compiled once.

parts.toml (headings and the content of the three parts), sentences.toml (what a sentence names: roles,
tools, documents, frequencies; remedial verbs), tone.toml (blame, pleading, emotion, other cases,
shouting) and evidence.toml (documents said to be attached). Each file says how its entries are matched.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """One data file (without its .toml suffix), parsed."""
    with open(DATA / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def alternation(patterns, flags: int = re.I) -> re.Pattern[str]:
    """One regex matching any of `patterns` (each a regex fragment)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def weighted(cues) -> tuple[tuple[re.Pattern[str], float], ...]:
    """[[pattern, weight], ...] compiled."""
    return tuple((re.compile(p, re.I), float(w)) for p, w in cues)
