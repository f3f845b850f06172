"""The appeal editor's checklist: what Amazon's Plan of Action guidance asks, checked as the operator types.

Pure functions over an `AppealContext`; no I/O. `run_checks` returns the nine results
in `CHECK_IDS` order and `ready` says whether any required one failed. Every check is
a handful of linear regex scans over the draft, and `sections` is cached per text, so
a whole run on a 4,000-character appeal takes about a millisecond; the similarity
matches are computed by the caller (`SimilarityIndex.closest`) and passed in.

The word lists are heuristics that catch the common failures Amazon names (vague,
no root cause, template, blaming, pleading, missing evidence, weak prevention); they
cannot judge whether a plan is true or feasible, which is what the second pair of
eyes is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from console.review.similarity import Match

__all__ = [
    "CHECK_IDS",
    "LABELS",
    "NEW_DRAFT",
    "AppealContext",
    "CheckResult",
    "check_actions_taken",
    "check_concise",
    "check_evidence",
    "check_improvement_plan",
    "check_not_template",
    "check_reviewed",
    "check_root_cause",
    "check_targeted",
    "check_tone",
    "ready",
    "run_checks",
    "sections",
]

CHECK_IDS = (
    "targeted",
    "root_cause",
    "actions_taken",
    "improvement_plan",
    "not_template",
    "tone",
    "evidence",
    "concise",
    "reviewed",
)
LABELS = {
    "targeted": "Targeted",
    "root_cause": "Root cause",
    "actions_taken": "Actions taken",
    "improvement_plan": "Improvement plan",
    "not_template": "Not a template",
    "tone": "Tone",
    "evidence": "Evidence",
    "concise": "Concise",
    "reviewed": "Second pair of eyes",
}
NEW_DRAFT = "## Root cause\n\n\n## Actions taken\n\n\n## Preventive measures\n\n"

ROOT_CAUSE_MIN_WORDS = 25
ROOT_CAUSE_MIN_SENTENCES = 2
MIN_PREVENTIVE_STEPS = 3


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str  # short, for the sidebar
    status: str  # "pass" | "warn" | "fail"
    required: bool
    reason: str  # one line for the sidebar
    details: tuple[str, ...] = ()  # extra lines: flagged phrases, missing ids, vague steps


@dataclass
class AppealContext:
    text: str
    asins: list[str]
    order_ids: list[str]
    complaint_id: str | None
    category: str  # the notification's cause id, e.g. "authenticity", "ip_complaint" (what evidence it needs)
    account: str  # this appeal's account name
    author: str  # OS user who wrote the draft
    reviewed_by: str | None = None  # who marked "logic reviewed" (display name)
    reviewed_at: str | None = None
    # Four eyes are two OS users: the reviewer's OS user, everyone who wrote a revision as (name, OS user)
    # (None for rows from before flagdesk recorded it), and the OS users shared by several names.
    reviewed_by_os: str | None = None
    writers: tuple[tuple[str, str | None], ...] = ()
    shared_os: frozenset[str] = frozenset()
    require_review: bool = True
    max_chars: int = 4000  # concise warning threshold
    similar: list[Match] = field(default_factory=list)  # SimilarityIndex.closest, computed by the caller
    template_warn: float = 0.45
    template_fail: float = 0.7


def _result(check_id: str, status: str, reason: str, details: Iterable[str] = (), required: bool = True) -> CheckResult:
    return CheckResult(check_id, LABELS[check_id], status, required, reason, tuple(details))


def _rx(words: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive whole-word alternation of regex fragments."""
    # The closing guard only applies after a word character, so "case #" still matches "case #123".
    return re.compile(r"(?<![\w'])(?:" + "|".join(words) + r")(?:(?<!\w)|(?![\w']))", re.I)


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    """The distinct matches of `pattern` in `text`, lowercased, in order of appearance."""
    return list(dict.fromkeys(" ".join(m.group().lower().split()) for m in pattern.finditer(text)))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _listing(items: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" +{len(items) - limit} more" if len(items) > limit else "")


# --- sections -----------------------------------------------------------------------------------

_SECTION_PATTERNS = {
    "root_cause": re.compile(
        r"root[\s-]+causes?|causes?\s+of\s+the\s+(?:issue|problem|complaint|violation|defect)|what\s+caused"
        r"|why\s+(?:it|this)\s+happened",
        re.I,
    ),
    "actions_taken": re.compile(
        r"actions?\s+(?:(?:we\s+)?(?:have\s+)?(?:already\s+)?)taken|corrective\s+actions?|immediate\s+actions?"
        r"|steps\s+(?:(?:we\s+)?(?:have\s+)?(?:already\s+)?)taken|what\s+we\s+(?:have\s+)?(?:already\s+)?done"
        r"|actions?\s+(?:already\s+)?(?:completed|implemented)",
        re.I,
    ),
    "preventive": re.compile(
        r"prevent(?:at)?ive\s+(?:measures?|steps|actions?|plan|controls?)|improvement\s+plan"
        r"|steps\s+to\s+prevent|how\s+we\s+will\s+prevent|measures\s+to\s+prevent|plan\s+to\s+prevent"
        r"|prevention(?:\s+plan)?|long[\s-]+term\s+(?:measures?|plan|actions?)",
        re.I,
    ),
}
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)?([^:]{1,80}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$")
_NUMBERING = re.compile(r"^\s*(?:(?:step|part|section)\s+)?(?:\d{1,2}|[ivx]{1,4}|[a-e])[.):]\s+|^\s*[-*•]\s+", re.I)
_STATEMENT_VERB = re.compile(r"\b(?:was|were|is|are|had)\b", re.I)


def _classify(label: str) -> str | None:
    """Which section a heading's words name, if any (the earliest phrase wins)."""
    label = _NUMBERING.sub("", label).strip(" *_#:.")
    if not label or len(label.split()) > 10:
        return None
    best: tuple[int, str] | None = None
    for name, pattern in _SECTION_PATTERNS.items():
        m = pattern.search(label)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


@lru_cache(maxsize=16)
def _parse(text: str) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """((section, body) for the three sections, the sections whose heading is present)."""
    parts: dict[str, list[str]] = {"root_cause": [], "actions_taken": [], "preventive": []}
    headed: set[str] = set()
    current: str | None = None
    for line in text.splitlines():
        md = _MD_HEADING.match(line)
        if md:
            current = _classify(md.group(1))  # an unrelated markdown heading ends the section
            if current:
                headed.add(current)
            continue
        bold = _BOLD_LINE.match(line)
        if bold and (name := _classify(bold.group(1))):
            current = name
            headed.add(name)
            continue
        labelled = _LABEL_LINE.match(line)
        if labelled:
            label, rest = labelled.groups()
            if len(label.split()) <= 8 and not _STATEMENT_VERB.search(label) and (name := _classify(label)):
                current = name
                headed.add(name)
                if rest.strip():
                    parts[name].append(rest)
                continue
        stripped = _NUMBERING.sub("", line).strip(" *_.")
        if stripped and len(stripped.split()) <= 5 and (name := _classify(stripped)):
            m = _SECTION_PATTERNS[name].search(stripped)
            if m and m.start() <= 4 and len(stripped) - (m.end() - m.start()) <= 12:  # bare: "Root Cause"
                current = name
                headed.add(name)
                continue
        if current is not None:
            parts[current].append(line)
    return tuple((name, "\n".join(lines).strip()) for name, lines in parts.items()), frozenset(headed)


def sections(text: str) -> dict[str, str]:
    """{"root_cause", "actions_taken", "preventive"} -> the text under each heading ("" when missing).

    Headings are markdown "#"/"##" lines, bold lines, plain lines ending with ":" (text
    after the colon belongs to the section), or a bare heading line such as "Root Cause".
    Repeated headings ("Root cause 1:", "Root cause 2:") are joined. Any other markdown
    heading ends the current section.
    """
    return dict(_parse(text or "")[0])


def _section(text: str, name: str, heading: str) -> tuple[str, str]:
    """The body of one section, and the fail reason to give when it is empty."""
    bodies, headed = _parse(text or "")
    if name in headed:
        return dict(bodies)[name], f"the {heading} section is empty"
    return "", f"no '## {heading.capitalize()}' section"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text)


_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•]|\d{1,2}[.)])\s)")


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if len(_words(s)) >= 3]


# --- targeted -----------------------------------------------------------------------------------


def _cited(identifier: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(identifier)}(?![A-Za-z0-9])", text, re.I) is not None


def check_targeted(ctx: AppealContext) -> CheckResult:
    """Every ASIN, order id and the complaint id of the notification appears in the appeal."""
    ids = [i.strip() for i in [*ctx.asins, *ctx.order_ids, ctx.complaint_id or ""] if i and i.strip()]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return _result("targeted", "pass", "no ASINs or order IDs to cite")
    missing = [i for i in ids if not _cited(i, ctx.text)]
    if missing:
        return _result("targeted", "fail", "missing " + _listing(missing, 4), missing)
    return _result("targeted", "pass", f"cites all {_plural(len(ids), 'ID')} of the notification")


# --- root cause ---------------------------------------------------------------------------------

_CAUSE = _rx(
    [
        r"because",
        r"due\s+to",
        r"caus(?:ed|ing)",
        r"cause\s+(?:was|is|were)",
        r"failed\s+to",
        r"did\s+not",
        r"didn't",
        r"(?:was|were|had|have)\s+not",
        r"wasn't",
        r"weren't",
        r"hadn't",
        r"lack(?:ed|ing)?(?:\s+of)?",
        r"as\s+a\s+result\s+of",
        r"result(?:ed)?\s+from",
        r"stemm?(?:ed|s)\s+from",
        r"led\s+to",
        r"owing\s+to",
        r"overlooked",
        r"neglected",
        r"without\s+(?:verifying|checking|confirming|testing|inspecting)",
        r"no\s+(?:process|procedure|check|system|control)",
        r"mistakenly",
        r"by\s+mistake",
        r"misunderstood",
        r"(?:were|was)\s+unaware",
        r"relied\s+on",
        r"never\s+(?:checked|verified|asked|requested|tested)",
    ]
)


def check_root_cause(ctx: AppealContext) -> CheckResult:
    """The root-cause section explains what went wrong and why, in 2+ sentences and 25+ words."""
    body, empty = _section(ctx.text, "root_cause", "root cause")
    if not body:
        return _result("root_cause", "fail", f"{empty}; explain what went wrong and why")
    n_words, n_sentences = len(_words(body)), len(_sentences(body))
    if n_words < ROOT_CAUSE_MIN_WORDS or n_sentences < ROOT_CAUSE_MIN_SENTENCES:
        return _result(
            "root_cause",
            "fail",
            f"too thin: {_plural(n_words, 'word')}, {_plural(n_sentences, 'sentence')}; explain what went wrong "
            f"and why in {ROOT_CAUSE_MIN_SENTENCES}+ sentences and {ROOT_CAUSE_MIN_WORDS}+ words",
        )
    if not _CAUSE.search(body):
        return _result(
            "root_cause", "fail", "says what happened but not why (because, due to, we failed to, did not...)"
        )
    return _result("root_cause", "pass", f"explains why, in {_plural(n_words, 'word')}")


# --- actions taken ------------------------------------------------------------------------------

_DONE = _rx(
    [
        r"removed",
        r"deleted",
        r"closed",
        r"contacted",
        r"refunded",
        r"reimbursed",
        r"compensated",
        r"audited",
        r"replaced",
        r"(?:re)?trained",
        r"updated",
        r"implemented",
        r"inspected",
        r"verified",
        r"destroyed",
        r"disposed\s+of",
        r"recalled",
        r"quarantined",
        r"discontinued",
        r"stopped",
        r"suspended",
        r"terminated",
        r"ended",
        r"cancell?ed",
        r"withdr(?:ew|awn)",
        r"switched",
        r"hired",
        r"appointed",
        r"assigned",
        r"created",
        r"installed",
        r"set\s+up",
        r"revised",
        r"rewr(?:ote|itten)",
        r"corrected",
        r"fixed",
        r"edited",
        r"relabell?ed",
        r"investigated",
        r"introduced",
        r"established",
        r"adopted",
        r"obtained",
        r"requested",
        r"submitted",
        r"sent",
        r"returned",
        r"blocked",
        r"changed",
        r"documented",
        r"reviewed",
        r"checked",
        r"sourced",
        r"purchased",
        r"uploaded",
        r"added",
        r"informed",
        r"notified",
    ]
)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|would|going\s+to|plan\s+to|intend\s+to|to|not)\s+(?:be\s+|have\s+(?:been\s+)?)?$", re.I
)


def _done_actions(body: str) -> list[str]:
    found: list[str] = []
    for m in _DONE.finditer(body):
        if _FUTURE_BEFORE.search(body[max(0, m.start() - 30) : m.start()]):
            continue  # "will be removed", "we plan to have updated", "have not removed"
        verb = " ".join(m.group().lower().split())
        if verb not in found:
            found.append(verb)
    return found


def check_actions_taken(ctx: AppealContext) -> CheckResult:
    """The actions-taken section names at least one action already done (a past-tense verb)."""
    body, empty = _section(ctx.text, "actions_taken", "actions taken")
    if not body:
        return _result("actions_taken", "fail", f"{empty}; say what you already did")
    done = _done_actions(body)
    if not done:
        return _result(
            "actions_taken", "fail", "no completed action: say what you already did (removed, contacted, refunded...)"
        )
    return _result("actions_taken", "pass", f"{_plural(len(done), 'action')} done: {_listing(done, 4)}", done)


# --- improvement plan ---------------------------------------------------------------------------

_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred)"
_UNIT = r"(?:hours?|days?|weeks?|months?|quarters?|years?|orders?|shipments?|batch(?:es)?|deliveries|units?|listings?)"
_FREQUENCY = _rx(
    [
        r"daily",
        r"weekly",
        r"bi-?weekly",
        r"fortnightly",
        r"monthly",
        r"bi-?monthly",
        r"quarterly",
        r"annually",
        r"yearly",
        r"nightly",
        r"hourly",
        rf"every\s+(?:\d+\s+|{_NUMBER_WORDS}\s+|other\s+|single\s+|new\s+)?{_UNIT}",
        rf"each\s+(?:new\s+)?{_UNIT}",
        rf"per\s+{_UNIT}",
        r"(?:once|twice)\s+(?:a|per|every)\s+\w+",
        r"before\s+(?:each|every|any)\s+\w+",
        r"within\s+\d+\s+" + _UNIT,
        r"at\s+least\s+once",
    ]
)
_OWNER = _rx(
    [
        r"manager",
        r"team\s+lead(?:er)?",
        r"(?:qa|quality|compliance|operations|sourcing|purchasing|warehouse|listing|catalog(?:ue)?)\s+(?:lead|team)",
        r"supervisor",
        r"(?:compliance\s+)?officer",
        r"director",
        r"head\s+of\s+\w+",
        r"coordinator",
        r"specialist",
        r"analyst",
        r"auditor",
        r"inspector",
        r"(?:process|step|task)\s+owner",
        r"assigned\s+to",
        r"ceo",
        r"coo",
        r"founder",
        r"quality\s+assurance\s+(?:team|staff)",
    ]
)
_DATE = _rx(
    [
        r"\d{4}-\d{1,2}-\d{1,2}",
        r"\d{1,2}/\d{1,2}/\d{2,4}",
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?",
        r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*",
        r"(?:by|until|from|before|starting)\s+(?:the\s+end\s+of\s+)?"
        r"(?:january|february|march|april|may|june|july|august|september|october|november|december)",
        r"q[1-4](?:\s+\d{4})?",
    ]
)
_COUNT = re.compile(rf"\d|\b{_NUMBER_WORDS}\b|\bpercent\b", re.I)
_TOOL = re.compile(
    r"\b(?i:spreadsheets?|google\s+sheets?|excel|checklists?|software|dashboards?|databases?|crm|erp|trackers?"
    r"|tracking\s+sheet|logs?|logbook|inventory\s+system|calendar\s+reminders?|alerts|alert\s+(?:emails?|system)"
    r"|seller\s+central|account\s+health|voice\s+of\s+the\s+customer|brand\s+registry"
    r"|transparency\s+(?:program(?:me)?|codes?)"
    r"|business\s+reports?|manage\s+inventory|feedback\s+manager|performance\s+notifications?)\b"
    r"|\b[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*\s+Reports?\b"  # a named report: "Returns Report"
    r"|\b[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)+\s+reports?\b"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)]|[a-z][.)]|step\s+\d{1,2}\s*[:.)-])\s+", re.I)


def _steps(body: str) -> list[str]:
    """List items (with their continuation lines) when the section has a list, else its sentences."""
    items: list[list[str]] = []
    for line in body.splitlines():
        if _LIST_ITEM.match(line):
            items.append([_LIST_ITEM.sub("", line, count=1)])
        elif items and line.strip():
            items[-1].append(line.strip())
    if items:
        return [s for s in (" ".join(i).strip() for i in items) if len(_words(s)) >= 3]
    return _sentences(body)


def _checkable(step: str) -> list[str]:
    """What makes a step checkable: frequency, owner, date, number, tool (empty when vague)."""
    kinds = []
    for kind, pattern in (("frequency", _FREQUENCY), ("owner", _OWNER), ("date", _DATE), ("tool", _TOOL)):
        if pattern.search(step):
            kinds.append(kind)
    if _COUNT.search(step):
        kinds.append("number")
    return kinds


def check_improvement_plan(ctx: AppealContext) -> CheckResult:
    """3+ preventive steps, each with a frequency, owner or role, date, number or named tool."""
    body, empty = _section(ctx.text, "preventive", "preventive measures")
    if not body:
        return _result("improvement_plan", "fail", f"{empty}; list {MIN_PREVENTIVE_STEPS} checkable steps")
    steps = _steps(body)
    vague = [s for s in steps if not _checkable(s)]
    good = len(steps) - len(vague)
    details = [f"vague: {_short(s)}" for s in vague]
    summary = f"{good} of {_plural(len(steps), 'step')} checkable"
    if good >= MIN_PREVENTIVE_STEPS:
        return _result("improvement_plan", "pass", summary, details)
    return _result(
        "improvement_plan",
        "fail",
        f"{summary}; need {MIN_PREVENTIVE_STEPS} with a frequency, owner, date, number or tool",
        details,
    )


# --- not a template -----------------------------------------------------------------------------


def _who(m: Match) -> str:
    if m.generic:
        return "generic template"
    return " ".join(p for p in (m.account or m.key, m.date) if p)


def check_not_template(ctx: AppealContext) -> CheckResult:
    """Not near-identical to a generic template, to this account's other appeals, or to another account's."""
    if not ctx.similar:
        return _result("not_template", "pass", "no similar appeal on file")
    matches = sorted(ctx.similar, key=lambda m: (-m.score, m.key))
    best = matches[0]
    close = [m for m in matches if m.score >= ctx.template_warn]
    details = [f"{m.score:.2f} {_who(m)} ({m.key})" for m in matches]
    if not close:
        return _result("not_template", "pass", f"closest: {_who(best)} {best.score:.2f}", details)
    status = "fail" if best.score >= ctx.template_fail else "warn"
    other = next((m for m in close if not m.generic and m.account is not None and m.account != ctx.account), None)
    generic = next((m for m in close if m.generic), None)
    if other is not None:
        when = f" of {other.date}" if other.date else ""
        reason = f"association risk: near-identical to an appeal of {other.account}{when} ({other.score:.2f})"
    elif generic is not None:
        reason = f"reads like a generic template ({generic.score:.2f}); write about this notice"
    else:
        when = f" of {best.date}" if best.date else ""
        reason = f"{best.score:.2f} similar to this account's appeal{when}; write about this notice"
    return _result("not_template", status, reason, details)


# --- tone ---------------------------------------------------------------------------------------

_TONE = {
    "blame": _rx(
        [
            r"amazon['’]?s\s+(?:mistake|fault|error)",
            r"amazon\s+(?:made\s+a\s+mistake|is\s+wrong|got\s+it\s+wrong)",
            r"your\s+(?:mistake|fault|error|system|algorithm|bot|automated\s+system)",
            r"unfair(?:ly)?",
            r"unjust(?:ly|ified)?",
            r"wrongful(?:ly)?",
            r"false(?:ly)?\s+(?:complaint|claim|accusation|report)s?",
            r"falsely\s+accused",
            r"not\s+our\s+fault",
            r"no\s+fault\s+of\s+(?:our|my)\s+own",
            r"(?:the\s+)?(?:customer|buyer)s?\s+(?:lied|is\s+lying|are\s+lying|was\s+lying)",
            r"lying\s+(?:customer|buyer)s?",
            r"dishonest\s+(?:customer|buyer)s?",
            r"(?:customer|buyer)['’]s\s+fault",
            r"fake\s+(?:complaint|review|claim)s?",
            r"scammers?",
            r"competitors?",
            r"rival\s+sellers?",
            r"sabotag(?:e|ed|ing)",
        ]
    ),
    "pleading": _rx(
        [
            r"please,?\s+please",
            r"beg(?:ging|ged)?",
            r"desperate(?:ly)?",
            r"(?:our|my)\s+famil(?:y|ies)\s+depends?",
            r"families\s+depend",
            r"go(?:ing)?\s+bankrupt",
            r"bankruptcy",
            r"lose\s+everything",
            r"(?:our|my)\s+livelihood",
            r"only\s+source\s+of\s+income",
            r"have\s+mercy",
            r"one\s+(?:more|last)\s+chance",
        ]
    ),
    "emotional": _rx(
        [
            r"devastat(?:ed|ing)",
            r"heartbroken",
            r"shock(?:ed|ing)",
            r"outrage(?:d|ous)?",
            r"furious",
            r"angry",
            r"frustrat(?:ed|ing)",
            r"ridiculous",
            r"absurd",
            r"unacceptable",
            r"disgust(?:ed|ing)",
            r"nightmare",
            r"insane",
        ]
    ),
    "other cases": _rx(
        [
            r"case\s*(?:id|#|number|no\.)",
            r"case\s+\d{5,}",
            r"(?:previous|earlier|prior|last|open)\s+cases?",
            r"as\s+i\s+told\s+your\s+colleague",
            r"your\s+colleagues?",
            r"seller\s+support\s+(?:told|said|advised)",
            r"(?:already|previously)\s+(?:explained|told\s+you)",
        ]
    ),
}
_EXCLAIM = re.compile(r"!{2,}")
_SHOUT = re.compile(r"\b[A-Z]{2,}(?:[ \t]+[A-Z]{2,}){2,}\b")


def check_tone(ctx: AppealContext) -> CheckResult:
    """No blaming Amazon, customers or competitors, no pleading, no emotion, no other support cases."""
    flagged: list[tuple[str, str]] = []
    for kind, pattern in _TONE.items():
        flagged += [(kind, phrase) for phrase in _found(pattern, ctx.text)]
    if _EXCLAIM.search(ctx.text):
        flagged.append(("emotional", "!!"))
    body_lines = "\n".join(line for line in ctx.text.splitlines() if not _MD_HEADING.match(line))
    flagged += [("emotional", f"shouting: {m.group()}") for m in _SHOUT.finditer(body_lines)]
    if not flagged:
        return _result("tone", "pass", "factual: no blame, pleading or other cases")
    kinds = list(dict.fromkeys(kind for kind, _ in flagged))
    phrases = [phrase for _, phrase in flagged]
    reason = f"remove {' / '.join(kinds)}: " + _listing([f'"{p}"' for p in phrases], 3)
    return _result("tone", "fail", reason, [f"{kind}: {phrase}" for kind, phrase in flagged])


# --- evidence -----------------------------------------------------------------------------------

_EVIDENCE = _rx(
    [
        r"invoices?",
        r"supplier(?:['’]s)?\s+(?:details|contact|information|info|name|address|phone|email)",
        r"(?:supplier|manufacturer|distributor)\s+contact\s+details",
        r"letters?\s+of\s+authori[sz]ation",
        r"\bLOA\b",
        r"certificates?",
        r"certifications?",
        r"test(?:ing)?\s+reports?",
        r"lab(?:oratory)?\s+reports?",
        r"licen[cs]es?",
        r"safety\s+data\s+sheets?",
        r"attached",
        r"enclosed",
        r"attachments?",
    ]
)
_EXPECTED = {
    "authentic": "invoices from the last 365 days and supplier details",
    "ip": "a letter of authorisation or proof of rights, and invoices",
    "safety": "test reports or certificates, and invoices",
    "restricted": "certificates or licences, and invoices",
}


def _evidence_kind(category: str) -> str | None:
    c = (category or "").lower()
    if "authentic" in c or "counterfeit" in c:
        return "authentic"
    if "ip" in re.split(r"[^a-z0-9]+", c) or "intellectual" in c:  # ip_complaint, not ship_...
        return "ip"
    if "safety" in c:
        return "safety"
    if "restricted" in c:
        return "restricted"
    return None


# A sentence that says the evidence is not there: "we do not have invoices", "without a licence".
_NOT_HAD = re.compile(
    r"\b(?:not|no|never|without|lack(?:s|ed|ing)?|missing|unable|cannot|can't|couldn't|could\s+not|"
    r"don't|doesn't|didn't|haven't|hasn't|if|unless|once|until|will\s+(?:send|provide|obtain|get|request))\b",
    re.I)


def _named_evidence(text: str) -> list[str]:
    """The documents the text says it has: each evidence word in a sentence that does not deny or defer it."""
    named: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        for m in _EVIDENCE.finditer(sentence):
            if not _NOT_HAD.search(sentence, 0, m.start()):
                named.append(" ".join(m.group().lower().split()))
    return list(dict.fromkeys(named))


def check_evidence(ctx: AppealContext) -> CheckResult:
    """Authenticity, IP, safety and restricted-product appeals name the documents they attach.

    This reads the text only: a mention counts when its sentence does not deny or defer it ("we do not have
    invoices", "once we receive the licence"), and even then the check warns rather than passes, because
    flagdesk cannot see what is attached in Seller Central."""
    kind = _evidence_kind(ctx.category)
    if kind is None:
        return _result("evidence", "pass", f"no documents required for {ctx.category or 'this category'}")
    named = _named_evidence(ctx.text)
    if not named:
        return _result("evidence", "fail", f"name the evidence you attach: {_EXPECTED[kind]}")
    return _result("evidence", "warn", f"the text names {_listing(named, 4)}; not checked: that they are "
                   "attached (attach them in Seller Central)", named)


# --- concise, reviewed --------------------------------------------------------------------------


def check_concise(ctx: AppealContext) -> CheckResult:
    """Warn above `max_chars` characters; never required."""
    n = len(ctx.text.strip())
    if n > ctx.max_chars:
        return _result("concise", "warn", f"{n:,} characters; aim under {ctx.max_chars:,}", required=False)
    return _result("concise", "pass", f"{n:,} characters", required=False)


def check_reviewed(ctx: AppealContext) -> CheckResult:
    """A second operator, not the author, marked the logic reviewed; required when `require_review` (the
    team's policy). It counts only from an OS user who wrote no revision: the same OS user under another
    display name (a shared account) is declared, not verified — a warning, never a pass."""
    from console.core.identity import DECLARED, who

    required = ctx.require_review
    miss = "fail" if required else "warn"
    reviewer = (ctx.reviewed_by or "").strip()
    if not reviewer:
        return _result("reviewed", miss, "not yet reviewed by a second operator", required=required)
    writers = ctx.writers or ((ctx.author or "", None),)
    rev_os = ctx.reviewed_by_os
    if any(reviewer.casefold() == name.strip().casefold() and (os_name is None or rev_os is None or os_name == rev_os)
           for name, os_name in writers):
        return _result("reviewed", miss, "the author cannot review their own appeal", required=required)
    shown = who(reviewer, rev_os, rev_os in ctx.shared_os)
    when = f" at {ctx.reviewed_at}" if ctx.reviewed_at else ""
    same_os = sorted({name for name, os_name in writers if rev_os is not None and os_name == rev_os})
    if same_os:
        return _result("reviewed", "warn", f"reviewed by {shown}{when}: {DECLARED} — the same OS user wrote it "
                       f"as {', '.join(same_os)}; four eyes need a second OS user", required=required)
    return _result("reviewed", "pass", f"reviewed by {shown}{when}", required=required)


# --- all of them --------------------------------------------------------------------------------

_CHECKS = {
    "targeted": check_targeted,
    "root_cause": check_root_cause,
    "actions_taken": check_actions_taken,
    "improvement_plan": check_improvement_plan,
    "not_template": check_not_template,
    "tone": check_tone,
    "evidence": check_evidence,
    "concise": check_concise,
    "reviewed": check_reviewed,
}


def run_checks(ctx: AppealContext) -> list[CheckResult]:
    """All nine checks, in `CHECK_IDS` order."""
    return [_CHECKS[check_id](ctx) for check_id in CHECK_IDS]


def ready(results: Iterable[CheckResult]) -> bool:
    """True when no required check failed (warnings and optional failures do not block)."""
    return not any(r.required and r.status == "fail" for r in results)
