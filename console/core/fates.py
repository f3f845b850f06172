"""What a stored reading means to the operator: labels of fates and causes, the "why" line. (An account's state
is read by console/store/reads.py, for the quick `flagdesk status`.)

A notification stores its fate (in `category`), its cause and its reading's reasons (`why`, the JSON of
`Reading.why_json`); this module turns them into words without reading any text again. Labels come from
the rules (console/core/data/reading.toml and `[rules]` in the config); an id no rule knows any more (a
rule since removed from the config) reads as its own words.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.core.labels import Labels
    from console.core.reading import Reading, Rules

FALLBACK_CAUSE = "other"  # as console/core/reading.py names it

DATA_FILE = Path(__file__).parent / "data" / "fates.toml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    import tomllib

    with open(DATA_FILE, "rb") as f:
        return tomllib.load(f)


def short(fate: str, rules: Rules | Labels | None = None) -> str:
    """The fate in a word or two ("Deactivated"), for a narrow column."""
    return _data()["short"].get(fate) or fate_label(fate, rules)


def _words(rule_id: str) -> str:
    return rule_id.replace("_", " ").capitalize() if rule_id else "Other"


def _rules(rules: Rules | Labels | None) -> Rules | Labels:
    if rules is not None:
        return rules
    from console.core.reading import load_rules

    return load_rules()


def fate_label(fate: str, rules: Rules | Labels | None = None) -> str:
    rule = _rules(rules).fate(fate)
    return rule.label if rule else _words(fate)


def cause_label(cause: str, rules: Rules | Labels | None = None) -> str:
    if cause == FALLBACK_CAUSE:
        return "Other"
    rule = _rules(rules).cause(cause)
    return rule.label if rule else _words(cause)


def label(fate: str, cause: str, rules: Rules | Labels | None = None) -> str:
    """"Account deactivated · Product authenticity" (the fate alone when the cause is not known)."""
    rules = _rules(rules)
    if not cause or cause == FALLBACK_CAUSE:
        return fate_label(fate, rules)
    return f"{fate_label(fate, rules)} · {cause_label(cause, rules)}"


def why_json(reading: Reading, deadline_text: str | None = None) -> dict[str, Any]:
    """What a notification stores of its reading's reasons: the sentence and phrase behind the fate and the
    cause, the reason for the severity, and the phrase the deadline came from."""
    found = {k: (v.as_json() if v else None) for k, v in reading.why.items()}
    return {"fate": found.get("fate"), "cause": found.get("cause"), "severity": reading.severity_reason,
            "deadline": deadline_text}


def why_line(why: dict[str, Any] | None, severity: str, corrected: list[str] | None = None) -> str:
    """The detail pane's one line: `critical: the fate (account deactivated) — "…has been deactivated…"`."""
    if corrected:
        fields = ", ".join("fate" if f == "category" else f for f in corrected)
        return f"{severity}: set by an operator ({fields})"
    if not why:
        return f"{severity}: set when it was stored (no reading kept)"
    reason = why.get("severity") or "the rules"
    from console.core.phrases import widen

    found = next((w for w in (why.get("fate"), why.get("cause")) if w and w.get("phrase")), {})
    phrase = widen(found.get("sentence"), found.get("phrase") or "")
    return f'{severity}: {reason} — "{phrase}"' if phrase else f"{severity}: {reason}"


def row_label(fate: str, cause: str, rules: Rules | Labels | None = None) -> str:
    """"Deactivated · Product authenticity": the inbox row's reading column."""
    if not cause or cause == FALLBACK_CAUSE:
        return short(fate, rules)
    return f"{short(fate, rules)} · {cause_label(cause, rules)}"
