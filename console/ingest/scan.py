"""Finding where a pattern can start, so that a scan of ASCII text tries a pattern only there.

Python's `re` tries a pattern that starts with `\\b` or a look-behind at every position of the text. For
ASCII text (where the lowercased text lines up with the original, character for character) such a pattern
is instead tried only where one of the words it must start with occurs, found with `str.find` (`find_all`);
`at` then gives exactly the matches of `finditer`. Used by extract.py and deadlines.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def find_all(haystack: str, word: str) -> list[int]:
    """Every position where `word` starts in `haystack` (overlapping ones too)."""
    found = []
    i = haystack.find(word)
    while i >= 0:
        found.append(i)
        i = haystack.find(word, i + 1)
    return found


def at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only at `starts`: every position where a match can begin.

    A match tried at a position sees the text before it (for `\b` and look-behinds) just as a scan does,
    and the scan resumes after each match, so the matches are the same ones, in the same order."""
    end = 0
    for start in sorted(set(starts)):
        if start >= end and start >= 0:
            m = pattern.match(text, start)
            if m:
                end = m.end()
                yield m
