"""The fates' and causes' labels by id, read from the reading rules' table without compiling them.

What the inbox shows of a stored reading (its label: "Listings removed · Product authenticity") needs no
reading of any text, so the first paint does not import console/core/reading.py nor compile its 400 patterns
(~100 ms). The rules' table, console/core/data/reading.toml, is read here once for both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).parent / "data" / "reading.toml"


@lru_cache(maxsize=1)
def shipped_rules() -> dict[str, Any]:
    """The shipped reading rules' table, parsed (once)."""
    with open(RULES_FILE, "rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True)
class Label:
    id: str
    label: str


class Labels:
    """The fates' and causes' labels by id, from the rules' table (shipped, and a config's `[rules]` over it)
    without compiling a pattern: what the inbox shows of a stored reading needs no reading, and compiling the
    400 patterns cost the first paint ~100 ms. Answers `fate(id)` and `cause(id)` like `Rules`."""

    def __init__(self, fates: dict[str, str], causes: dict[str, str]) -> None:
        self._fates, self._causes = fates, causes

    @property
    def fate_ids(self) -> list[str]:
        """The fates' ids in the rules' order (a config's new ones before the generic ones, as the rules)."""
        return list(self._fates)

    @property
    def cause_ids(self) -> list[str]:
        return list(self._causes)

    def fate(self, fate_id: str) -> Label | None:
        return Label(fate_id, self._fates[fate_id]) if fate_id in self._fates else None

    def cause(self, cause_id: str) -> Label | None:
        return Label(cause_id, self._causes[cause_id]) if cause_id in self._causes else None


FALLBACK_FATE = "information"  # as console/core/reading.py names it: a config's new fates go before it


def _labels_of(entries: Any) -> dict[str, tuple[str, bool]]:
    """id -> (label, generic) of a list of rule tables, as `_rule` reads them (entries it would refuse are
    skipped here: loading the rules says why)."""
    out: dict[str, tuple[str, bool]] = {}
    for e in entries if isinstance(entries, list) else ():
        if isinstance(e, dict) and isinstance(e.get("id"), str):
            out[e["id"]] = (str(e.get("label") or e["id"].replace("_", " ").capitalize()), bool(e.get("generic")))
    return out


def _merged(base: dict[str, tuple[str, bool]], extra: dict[str, tuple[str, bool]],
            before: str | None) -> dict[str, str]:
    """As the rules merge a config's over the shipped ones: the same id relabelled in place, a new one before
    `before` or the first generic rule (else at the end)."""
    ids = list(base)
    entries = dict(base)
    for rule_id, entry in extra.items():
        if rule_id not in entries:
            at = next((i for i, r in enumerate(ids) if r == before or entries[r][1]), len(ids))
            ids.insert(at, rule_id)
        entries[rule_id] = entry
    return {rule_id: entries[rule_id][0] for rule_id in ids}


@lru_cache(maxsize=8)
def _cached_labels(extra_key: str | None) -> Labels:
    import json

    data = shipped_rules()
    extra = json.loads(extra_key) if extra_key else {}
    extra = extra if isinstance(extra, dict) else {}
    return Labels(_merged(_labels_of(data["fate"]), _labels_of(extra.get("fate")), FALLBACK_FATE),
                  _merged(_labels_of(data["cause"]), _labels_of(extra.get("cause")), None))


def load_labels(extra: dict[str, Any] | None = None) -> Labels:
    """The labels of the rules `load_rules(extra)` would give, without compiling them."""
    import json

    return _cached_labels(json.dumps(extra, sort_keys=True) if extra else None)
