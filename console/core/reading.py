"""A notice read two ways: its fate (what happened, and to whom) and its cause (the policy or metric behind it).

The rules are data (console/core/data/reading.toml; `[rules]` in the config adds to them, see `load_rules`).
A notice is read sentence by sentence:

- The fate is the first fate, in the file's order (most consequential first), that a sentence *states*:
  a question ("Has your account been deactivated in error?") and a conditional sentence ("if it happens
  again, your account may be deactivated") state nothing. A conditional threat of deactivation is noted
  (`Reading.threat`) but never raises the severity by itself. With no fate stated, the notice is information.
- The cause is the specific cause named earliest (the subject first), questions left out; a generic one
  (any policy at all) only when no specific cause is named anywhere.
- The severity comes from the fate: a deactivation or removal of selling privileges is always critical;
  under review is critical when the text states the account is at risk (not only "if ..." it may be); a warning about IP, authenticity or
  safety is high; a seller deadline within 72 hours raises medium and low to high.

Every reading says why (`Reading.why`): the sentence and the phrase that decided the fate and the cause,
and the reason for the severity. Pure: the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from console.core.labels import RULES_FILE, shipped_rules
from console.core.phrases import whole_words

SEVERITIES = ("critical", "high", "medium", "low")
FALLBACK_FATE = "information"
FALLBACK_CAUSE = "other"
THREAT_FATES = ("account_deactivated", "account_at_risk")  # what "the text threatens deactivation" means


class RuleError(ValueError):
    """A reading rule that cannot work, named by where it is and why (one line)."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "fate" or "cause"
    id: str
    label: str
    anchors: tuple[str, ...]  # lowercase substrings: the patterns are tried only when one is in the text
    patterns: tuple[re.Pattern[str], ...]
    severity: str | None = None  # fates only
    generic: bool = False  # causes only: chosen only when no specific cause is named


@dataclass(frozen=True)
class Why:
    """What decided one field of a reading: the sentence, the phrase in it, and the rule."""

    sentence: str
    phrase: str
    rule: str

    def as_json(self) -> dict[str, str]:
        return {"sentence": self.sentence, "phrase": self.phrase, "rule": self.rule}


@dataclass
class Reading:
    fate: str
    fate_label: str
    cause: str
    cause_label: str
    severity: str
    threat: bool  # the text threatens deactivation, stated or conditional
    why: dict[str, Why | None] = field(default_factory=dict)  # "fate", "cause"
    severity_reason: str = ""

    @property
    def label(self) -> str:
        """"Account deactivated · Product authenticity", the way the inbox shows a notice."""
        return self.fate_label if self.cause == FALLBACK_CAUSE else f"{self.fate_label} · {self.cause_label}"

    def as_json(self) -> dict[str, Any]:
        return {"fate": self.fate, "fate_label": self.fate_label, "cause": self.cause,
                "cause_label": self.cause_label, "severity": self.severity, "threat": self.threat,
                "why": {k: (v.as_json() if v else None) for k, v in self.why.items()}
                | {"severity": self.severity_reason}}


@dataclass(frozen=True)
class Rules:
    fates: tuple[Rule, ...]
    causes: tuple[Rule, ...]
    conditional: re.Pattern[str]  # before the phrase, in its sentence
    conditional_after: re.Pattern[str]  # just after the phrase
    threat_words: re.Pattern[str]  # words of deactivation: a statement holding one threatens the account
    high_causes: frozenset[str]  # causes that make a warning high
    quiet_causes: frozenset[str]  # causes that, named alone, make a notice information rather than a warning
    raise_within_hours: float  # a seller deadline this close raises medium and low to high
    resolved: re.Pattern[str] = re.compile("(?!)")  # a statement that the issue is resolved (keeps information)
    elsewhere: re.Pattern[str] = re.compile("(?!)")  # just before the phrase: it is about another account

    def fate(self, fate_id: str) -> Rule | None:
        return next((r for r in self.fates if r.id == fate_id), None)

    def cause(self, cause_id: str) -> Rule | None:
        return next((r for r in self.causes if r.id == cause_id), None)


# --- loading ----------------------------------------------------------------------------------------


def _compile(text: str, macros: dict[str, str], where: str) -> re.Pattern[str]:
    if not isinstance(text, str) or not text:
        raise RuleError(f"{where}: a pattern must be a non-empty string")
    expanded = text
    for name, value in macros.items():
        expanded = expanded.replace("{" + name + "}", value)
    try:
        return re.compile(expanded, re.I)
    except re.error as exc:
        raise RuleError(f"{where}: {exc}") from None


def _rule(kind: str, entry: Any, macros: dict[str, str], where: str) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: expected a table with id, label and patterns")
    unknown = set(entry) - {"id", "label", "anchors", "patterns", "severity", "generic"}
    if unknown:
        raise RuleError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", rule_id):
        raise RuleError(f"{where}: id must be lowercase letters, digits and _ (got {rule_id!r})")
    where = f"{where} ({rule_id})"
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise RuleError(f"{where}: patterns must be a non-empty list")
    anchors = entry.get("anchors", [""])
    if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors) or not anchors:
        raise RuleError(f"{where}: anchors must be a list of strings")
    severity = entry.get("severity")
    if kind == "fate" and severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    compiled = tuple(_compile(p, macros, f"{where} pattern {i}") for i, p in enumerate(patterns, 1))
    return Rule(kind, rule_id, str(entry.get("label") or rule_id.replace("_", " ").capitalize()),
                tuple(a.lower() for a in anchors), compiled,
                severity if kind == "fate" else None, bool(entry.get("generic", False)))


def _merged(base: list[Rule], extra: list[Rule], before: str | None) -> list[Rule]:
    """Config rules over the shipped ones: the same id replaces it in place, a new one goes before `before`."""
    rules = list(base)
    for rule in extra:
        at = next((i for i, r in enumerate(rules) if r.id == rule.id), None)
        if at is not None:
            rules[at] = rule
        else:
            at = next((i for i, r in enumerate(rules) if (r.id == before or r.generic)), len(rules))
            rules.insert(at, rule)
    return rules


def parse_rules(data: dict[str, Any], extra: dict[str, Any] | None = None, origin: str = "rules") -> Rules:
    """Rules from the shipped table and, over them, a config's `[rules]` table (raises RuleError)."""
    macros = {k: str(v) for k, v in data.get("macros", {}).items()}
    moods = data.get("moods", {})
    fates = [_rule("fate", e, macros, f"{RULES_FILE.name}: fate {i}") for i, e in enumerate(data["fate"], 1)]
    causes = [_rule("cause", e, macros, f"{RULES_FILE.name}: cause {i}") for i, e in enumerate(data["cause"], 1)]
    severity = data.get("severity", {})
    if extra:
        if not isinstance(extra, dict):
            raise RuleError(f"{origin}: expected a table with fate and cause lists")
        unknown = set(extra) - {"fate", "cause"}
        if unknown:
            raise RuleError(f"{origin}: unknown key {sorted(unknown)[0]!r} (use [[rules.fate]] or [[rules.cause]])")
        for kind in ("fate", "cause"):
            entries = extra.get(kind, [])
            if not isinstance(entries, list):
                raise RuleError(f"{origin}.{kind}: expected a list of tables ([[{origin}.{kind}]])")
            mine = [_rule(kind, e, macros, f"{origin}.{kind}[{i}]") for i, e in enumerate(entries, 1)]
            if kind == "fate":
                fates = _merged(fates, mine, FALLBACK_FATE)
            else:
                causes = _merged(causes, mine, None)
    return Rules(
        fates=tuple(fates), causes=tuple(causes),
        conditional=_compile("|".join(moods.get("conditional", ["(?!)"])), macros, "moods.conditional"),
        conditional_after=_compile("|".join(moods.get("conditional_after", ["(?!)"])), macros,
                                   "moods.conditional_after"),
        resolved=_compile("|".join(moods.get("resolved", ["(?!)"])), macros, "moods.resolved"),
        elsewhere=_compile("|".join(f"(?:{p})$" for p in moods.get("elsewhere", ["(?!)"])), macros, "moods.elsewhere"),
        threat_words=_compile("|".join(re.escape(w) for w in moods.get("threat", ["(?!)"])), macros, "moods.threat"),
        high_causes=frozenset(severity.get("warning_high_causes", ())),
        quiet_causes=frozenset(severity.get("information_causes", ())),
        raise_within_hours=float(severity.get("raise_within_hours", 72)),
    )


def _shipped() -> dict[str, Any]:
    return shipped_rules()


@lru_cache(maxsize=8)
def _cached(extra_key: str | None) -> Rules:
    import json

    return parse_rules(_shipped(), json.loads(extra_key) if extra_key else None)


def load_rules(extra: dict[str, Any] | None = None) -> Rules:
    """The shipped rules with a config's `[rules]` over them (compiled once per distinct table)."""
    import json

    return _cached(json.dumps(extra, sort_keys=True) if extra else None)


# --- reading ----------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|(?<=[。！？])|\s*\n\s*")
_SPACES = re.compile(r"\s+")


def sentences(text: str) -> list[str]:
    """The text's sentences and lines, each on one line, empty ones left out (a period inside a word, as
    in "Amazon.fr" or "1.5%", ends nothing)."""
    found = []
    for piece in _SENTENCE_END.split(text):
        s = _SPACES.sub(" ", piece).strip()
        if s and any(c.isalnum() for c in s):
            found.append(s)
    return found


def _is_question(sentence: str) -> bool:
    return sentence.endswith(("?", "？")) or sentence.endswith(("か。",))


def _stated(rules: Rules, sentence: str, m: re.Match[str]) -> bool:
    return stated(rules, sentence, m.start(), m.end())


def stated(rules: Rules, sentence: str, start: int, end: int) -> bool:
    """sentence[start:end] is stated: not asked, not made conditional by what comes before or just after it, not
    about another account."""
    if _is_question(sentence):
        return False
    if rules.conditional.search(sentence, 0, start):
        return False
    if rules.elsewhere.search(sentence, 0, start):  # "related to another selling account that was deactivated"
        return False
    return not rules.conditional_after.search(sentence[end:])


@lru_cache(maxsize=4096)
def _lower(sentence: str) -> str:
    return sentence.lower()


def anchored(rule: Rule, sentence: str) -> bool:
    """One of the rule's anchors is in the sentence: its patterns are tried only then (each pattern holds an
    anchor; a search costs tens of times a substring test)."""
    low = _lower(sentence)
    return any(a in low for a in rule.anchors)


def _first(rule: Rule, parts: list[str]) -> tuple[int, str, re.Match[str]] | None:
    """The earliest sentence of `parts` in which one of the rule's patterns matches."""
    for index, sentence in enumerate(parts):
        if not anchored(rule, sentence):
            continue
        for pattern in rule.patterns:
            m = pattern.search(sentence)
            if m:
                return index, sentence, m
    return None


def phrase(sentence: str, m: re.Match[str]) -> str:
    """What the pattern matched, as whole words: a rule's stem never shows cut mid-word."""
    return whole_words(sentence, m.start(), m.end())


def _cut(sentence: str, limit: int = 240) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"


def read(subject: str, body: str, rules: Rules | None = None,
         deadline_hours: float | None = None) -> Reading:
    """Read one notice. `deadline_hours`: how far the seller's deadline lies after receipt (None: none)."""
    rules = rules or load_rules()
    parts = sentences(subject) + sentences(body)
    lowered = f"{subject}\n{body}".lower()

    def occurs(rule: Rule) -> bool:
        return any(a in lowered for a in rule.anchors)

    fate: Rule | None = None
    fate_why: Why | None = None
    threat = False
    stated_threat = False  # a sentence states the account is deactivated or at risk (not only "if ...")
    for rule in rules.fates:
        if rule.id == FALLBACK_FATE or not occurs(rule):
            continue
        for sentence in parts:
            if not anchored(rule, sentence):
                continue
            for pattern in rule.patterns:
                m = pattern.search(sentence)
                if m is None:
                    continue
                stated = _stated(rules, sentence, m)
                if rule.id in THREAT_FATES and not _is_question(sentence):
                    threat = True
                    stated_threat = stated_threat or stated
                if fate is None and stated:
                    fate, fate_why = rule, Why(_cut(sentence), phrase(sentence, m), f"fate.{rule.id}")
                break
        if fate is not None and (stated_threat or fate.id not in ("account_under_review",)):
            break
    if not threat:
        threat = any(rules.threat_words.search(s) for s in parts if not _is_question(s))
    if fate is None:
        fate = rules.fate(FALLBACK_FATE) or Rule("fate", FALLBACK_FATE, "Information", ("",), (), "low")

    statements = [s for s in parts if not _is_question(s)]
    subject_parts = sentences(subject)
    cause: Rule | None = None
    cause_why: Why | None = None
    for rule in rules.causes:
        # A policy update announced in the subject names the cause, whatever policy it updates.
        if rule.generic and rule.id in rules.quiet_causes and occurs(rule):
            hit = _first(rule, subject_parts)
            if hit is not None:
                cause, cause_why = rule, Why(_cut(hit[1]), phrase(hit[1], hit[2]), f"cause.{rule.id}")
                break
    for generic in (False, True):
        if cause is not None:
            break
        best: tuple[int, int, str, re.Match[str], Rule] | None = None
        for order, rule in enumerate(rules.causes):
            if rule.generic != generic or not occurs(rule):
                continue
            hit = _first(rule, subject_parts) or None
            if hit is not None:
                key = (-1, order)
            else:
                hit = _first(rule, statements)
                key = (hit[0], order) if hit else None
            if hit is not None and (best is None or key < best[:2]):
                best = (*key, hit[1], hit[2], rule)
        if best is not None:
            cause = best[4]
            cause_why = Why(_cut(best[2]), phrase(best[2], best[3]), f"cause.{cause.id}")
            break

    if fate.id == FALLBACK_FATE and cause is not None and not cause.generic and cause.id not in rules.quiet_causes \
            and not any(rules.resolved.search(s) for s in statements):
        # Nothing stated happened, but a specific policy or metric is named: a warning about it.
        fate = rules.fate("warning") or fate
        fate_why = cause_why
    severity, reason = fate.severity or "medium", f"the fate ({fate.label.lower()})"
    if fate.id == "account_under_review" and stated_threat:
        severity, reason = "critical", "under review, and the text says the account is at risk"
    elif fate.id == "warning" and cause is not None and cause.id in rules.high_causes:
        severity, reason = "high", f"a warning about {cause.label.lower()}"
    if deadline_hours is not None and deadline_hours <= rules.raise_within_hours \
            and SEVERITIES.index(severity) > SEVERITIES.index("high"):
        severity, reason = "high", f"{reason}, raised: a deadline within {rules.raise_within_hours:g} hours"
    return Reading(
        fate=fate.id, fate_label=fate.label,
        cause=cause.id if cause else FALLBACK_CAUSE, cause_label=cause.label if cause else "Other",
        severity=severity, threat=threat, why={"fate": fate_why, "cause": cause_why}, severity_reason=reason,
    )
