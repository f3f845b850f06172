"""Evidence on facts: whether an appeal's attachments cover every ASIN of its notification with the documents its
cause needs (authenticity and condition: an invoice from the last 365 days and the supplier's details; IP: a
letter of authorisation, a licence or the trademark registration). The rule table is data:
console/review/data/evidence_rules.toml. Pure functions over the attachment records; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from console.core.attachments import Attachment, kind_label
from console.review import evidence as evidence_text
from console.review.phrases import load

__all__ = ["Coverage", "Need", "Rule", "coverage", "rule_for"]

NO_ASIN = "the notice"  # what a notification naming no ASIN is covered as: any attachment counts


@dataclass(frozen=True)
class Need:
    kinds: tuple[str, ...]
    max_age_days: int | None = None

    @property
    def label(self) -> str:
        kinds = " or ".join(kind_label(k) for k in self.kinds)
        return kinds + (f" dated within {self.max_age_days} days" if self.max_age_days else "")


@dataclass(frozen=True)
class Rule:
    name: str
    causes: tuple[str, ...]
    reads: tuple[str, ...]
    needs: tuple[Need, ...]


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    return tuple(Rule(r["name"], tuple(r.get("causes", ())), tuple(r.get("reads", ())),
                      tuple(Need(tuple(n["kinds"]), n.get("max_age_days")) for n in r["needs"]))
                 for r in load("evidence_rules")["rule"])


def rule_for(category: str | None) -> Rule | None:
    """The rule for a notification's cause: one naming it, else one for what the evidence reading files it under."""
    category = (category or "").strip().lower()
    found = next((r for r in rules() if category in r.causes), None)
    if found is None:
        kind = evidence_text.kind_of(category)
        found = next((r for r in rules() if kind is not None and kind in r.reads), None)
    return found


@dataclass(frozen=True)
class Coverage:
    covered: dict[str, tuple[Attachment, ...]]  # ASIN -> the attachments that answer its needs
    missing: dict[str, tuple[str, ...]]  # ASIN -> what it still needs (with why a near miss does not count)

    @property
    def complete(self) -> bool:
        return not self.missing


def _answers(need: Need, target: str, attachments, today: date) -> tuple[list[Attachment], str]:
    """The attachments answering one need for one ASIN, and (when none does) the line saying what is missing."""
    fitting = [a for a in attachments if a.kind in need.kinds and (target == NO_ASIN or target in a.asins)]
    if need.max_age_days is None:
        return fitting, "" if fitting else need.label
    fresh = [a for a in fitting if a.doc_date is not None and 0 <= (today - a.doc_date).days <= need.max_age_days]
    if fresh or not fitting:
        return fresh, "" if fresh else need.label
    why = ", ".join(f"#{a.id} has no date" if a.doc_date is None else
                    f"#{a.id} is dated {a.doc_date.isoformat()}, {(today - a.doc_date).days} days ago"
                    for a in fitting)
    return [], f"{need.label} ({why})"


def coverage(rule: Rule, asins, attachments, today: date) -> Coverage:
    """Per ASIN of the notification (or the notice itself when it names none), the attachments that answer each
    of the rule's needs, and what is missing."""
    targets = [a for a in dict.fromkeys(asins) if a] or [NO_ASIN]
    covered: dict[str, tuple[Attachment, ...]] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for target in targets:
        found: list[Attachment] = []
        lacking: list[str] = []
        for need in rule.needs:
            answers, line = _answers(need, target, attachments, today)
            found += [a for a in answers if a not in found]
            if line:
                lacking.append(line)
        covered[target] = tuple(found)
        if lacking:
            missing[target] = tuple(lacking)
    return Coverage(covered, missing)
