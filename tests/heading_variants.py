"""Good corpus appeals with their part headings reworded: no check may change status for a heading's words.

Each good appeal of tests/data/appeals/ that labels its heading lines (`headings` in labels.toml) is
rewritten with other phrasings from headings.toml in other heading forms (plain, "Label:", markdown, bold,
capitals, numbered, dashed), cycling through them so that every phrasing and every form is tried.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from tests.appeal_corpus import APPEALS, Labelled, statuses

PARTS = ("root_cause", "actions_taken", "preventive")


@lru_cache(maxsize=1)
def pool() -> dict:
    return tomllib.loads((APPEALS / "headings.toml").read_text(encoding="utf-8"))


def variants(item: Labelled, count: int = 6) -> list[str]:
    """`count` rewrites of the appeal, each with every labelled heading line replaced."""
    data, lines = pool(), item.text.split("\n")
    forms = data["forms"]
    seed = sum(map(ord, item.file))
    out = []
    for k in range(count):
        new = list(lines)
        for n, part in enumerate(PARTS, start=1):
            old = item.headings.get(part)
            if not old:
                continue
            phrasings = data[part]
            h = phrasings[(seed + 5 * k + n) % len(phrasings)]
            form = forms[(seed // 7 + 3 * k + n) % len(forms)]
            heading = form.format(h=h, H=h.upper(), n=n)
            new = [heading if line == old else line for line in new]
        out.append("\n".join(new))
    return out


def changes(items, count: int = 6) -> tuple[list[str], int]:
    """(one line per check whose status changed under a rewording, how many rewordings were tried)."""
    changed, tried = [], 0
    for item in items:
        if not item.headings:
            continue
        want, _ = statuses(item)
        for text in variants(item, count):
            tried += 1
            got, _ = statuses(item, text)
            for check, status in got.items():
                if status != want[check]:
                    first = next(line for line in text.split("\n") if line.strip())
                    changed.append(f"{item.file}: {check} {want[check]} -> {status} with headings reworded "
                                   f"(first line {first[:40]!r})")
    return changed, tried
