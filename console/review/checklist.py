"""The appeal editor's checklist: what Amazon's Plan of Action guidance asks, checked as the operator types.

Pure functions over an `AppealContext`; no I/O. `run_checks` returns the ten results in `CHECK_IDS`
order and `ready` says whether any required one failed.

The text is read for its meaning, not for our headings (console/review/structure.py): the root cause,
the actions taken and the preventive plan are found under whatever heading the seller wrote, or by what
the sentences say when there is none, and a part found without a heading says where it was found
("paragraph 2"). Sentences are judged for what they do (console/review/judge.py): blame is a sentence
that puts the cause on Amazon, a buyer, a competitor or a rights owner; capitals shout only in a sentence,
never in a heading, an order annotation or a quoted label; a plan step is checkable when it names who,
how often, a number, a date, a tool, a document or a method. Evidence is what is attached (the evidence
locker: `AppealContext.attachments`, per ASIN, console/review/data/evidence_rules.toml), and a document the
text names (console/review/evidence.py) without the file is "naming is not having". A template is read
sentence by sentence against the stock phrasing of public templates (console/review/boilerplate.py), next
to whole-draft similarity for the association risk; stock apology and courtesy is a tone warning; each
root cause is matched to an action and a preventive step (`check_logic`). The phrase lists are data files in
console/review/data/. The similarity matches are computed by the caller (`SimilarityIndex.closest`).

These are heuristics that catch the common failures Amazon names (vague, no root cause, template, blaming,
pleading, missing evidence, weak prevention); they cannot judge whether a plan is true or feasible, which
is what the second pair of eyes is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from console.core.attachments import Attachment

from console.review import boilerplate
from console.review import evidence as evidence_text
from console.review import judge
from console.review import locker
from console.review.similarity import Match
from console.review.structure import LOOKED_FOR, PARTS, Part, read, scores
from console.review.text import sentences as split_sentences
from console.review.text import words

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
    "check_logic",
    "check_not_template",
    "check_reviewed",
    "check_root_cause",
    "check_targeted",
    "check_tone",
    "ready",
    "run_checks",
    "sections",
    "warm",
]

CHECK_IDS = (
    "targeted",
    "root_cause",
    "actions_taken",
    "improvement_plan",
    "logic",
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
    "logic": "Causes answered",
    "not_template": "Not a template",
    "tone": "Tone",
    "evidence": "Evidence",
    "concise": "Concise",
    "reviewed": "Second pair of eyes",
}
NEW_DRAFT = "## Root cause\n\n\n## Actions taken\n\n\n## Preventive measures\n\n"

ROOT_CAUSE_MIN_WORDS = 25
ROOT_CAUSE_MIN_SENTENCES = 2
ROOT_CAUSE_ONE_SENTENCE_WORDS = 40  # a single sentence this long may carry the whole cause
ROOT_CAUSE_MIN_SPECIFICS = 3
MIN_PREVENTIVE_STEPS = 3


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str  # short, for the sidebar
    status: str  # "pass" | "warn" | "fail"
    required: bool
    reason: str  # one line for the sidebar
    details: tuple[str, ...] = ()  # extra lines: flagged sentences, missing ids, vague steps, where a part is


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
    # The evidence locker: the appeal's attachments (console/core/attachments.py) and the clock's date, which
    # an invoice's age is counted from (None: the machine's date).
    attachments: tuple[Attachment, ...] = ()
    today: date | None = None


def _result(check_id: str, status: str, reason: str, details: Iterable[str] = (), required: bool = True) -> CheckResult:
    return CheckResult(check_id, LABELS[check_id], status, required, reason, tuple(details))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _listing(items: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" +{len(items) - limit} more" if len(items) > limit else "")


# --- the three parts ----------------------------------------------------------------------------

_NAMES = {"root_cause": "root cause", "actions_taken": "actions taken", "preventive": "preventive measures"}


def sections(text: str) -> dict[str, str]:
    """{"root_cause", "actions_taken", "preventive"} -> the text of each part ("" when missing), found
    under any heading that names it or, without one, by what the text says (console/review/structure.py)."""
    draft = read(text or "")
    return {name: part.body for name, part in draft.parts.items()}


def _part(ctx: AppealContext, name: str) -> tuple[Part, str]:
    """The part, and the fail reason to give when it is missing: empty under its heading, or not found."""
    draft = read(ctx.text or "")
    part = draft.part(name)
    heading = next((s.heading for s in draft.sections if s.kind == "part" and s.parts == (name,)), None)
    if heading is not None:
        return part, f"\"{heading}\" is empty"
    return part, f"no {_NAMES[name]} found"


def _missing(part: Part, name: str, reason: str) -> CheckResult:
    """A part not found: under an empty heading of its own, or nowhere (then say what was looked for)."""
    check = "improvement_plan" if name == "preventive" else name
    looked = [] if reason.endswith("is empty") else [f"looked for {LOOKED_FOR[name]}"]
    advice = {"root_cause": "explain what went wrong and why", "actions_taken": "say what you already did",
              "preventive": f"list {MIN_PREVENTIVE_STEPS} checkable steps"}[name]
    return _result(check, "fail", f"{reason}; {advice}", looked)


def _located(part: Part, reason: str) -> str:
    """The reason, led by where the part was found when no heading of its own says so."""
    return f"{part.where}: {reason}" if part.by_content else reason


# --- targeted -----------------------------------------------------------------------------------


def _cited(identifier: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(identifier)}(?![A-Za-z0-9])", text, re.I) is not None


def check_targeted(ctx: AppealContext) -> CheckResult:
    """Every ASIN, order id and the complaint id of the notification appears in the appeal."""
    ids = [i.strip() for i in [*ctx.asins, *ctx.order_ids, ctx.complaint_id or ""] if i and i.strip()]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return _result("targeted", "pass", "no ASINs or order IDs to cite")
    text = read(ctx.text or "").text
    missing = [i for i in ids if not _cited(i, text)]
    if missing:
        return _result("targeted", "fail", "missing " + _listing(missing, 4), missing)
    return _result("targeted", "pass", f"cites all {_plural(len(ids), 'ID')} of the notification")


# --- root cause ---------------------------------------------------------------------------------


def _specifics(texts: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for t in texts:
        for _kind, what in judge.specifics(t):
            found.setdefault(what.lower())
    return list(found)


def check_root_cause(ctx: AppealContext) -> CheckResult:
    """The root cause explains what went wrong and why, in 2+ sentences and 25+ words, and names what
    went wrong concretely (who, which supplier, batch, listing field, tool, date or number)."""
    part, missing = _part(ctx, "root_cause")
    if not part.found:
        return _missing(part, "root_cause", missing)
    n_words, n_sentences = len(words(part.body)), len(part.units)
    if n_words < ROOT_CAUSE_MIN_WORDS or (n_sentences < ROOT_CAUSE_MIN_SENTENCES
                                          and n_words < ROOT_CAUSE_ONE_SENTENCE_WORDS):
        return _result(
            "root_cause", "fail", _located(part,
            f"too thin: {_plural(n_words, 'word')}, {_plural(n_sentences, 'sentence')}; explain what went wrong "
            f"and why in {ROOT_CAUSE_MIN_SENTENCES}+ sentences and {ROOT_CAUSE_MIN_WORDS}+ words"))
    cause_scores = [scores(u.text)["root_cause"] for u in part.units]
    if not (max(cause_scores) >= 2 or sum(cause_scores) >= 3):
        return _result("root_cause", "fail", _located(part,
                       "says what happened but not why (because, due to, we did not, nobody checked...)"))
    named = _specifics(u.text for u in part.units)
    if len(named) < ROOT_CAUSE_MIN_SPECIFICS:
        return _result("root_cause", "fail", _located(part,
                       "names nothing specific: say who, which supplier, batch or listing field, when and how many"),
                       [*(f"names only: {_listing(named, 4)}" for _ in [0] if named)])
    return _result("root_cause", "pass", _located(part, f"explains why, in {_plural(n_words, 'word')}"),
                   [f"names: {_listing(named, 5)}"])


# --- actions taken ------------------------------------------------------------------------------


def check_actions_taken(ctx: AppealContext) -> CheckResult:
    """The actions-taken part names at least one concrete action already done."""
    part, missing = _part(ctx, "actions_taken")
    if not part.found:
        return _missing(part, "actions_taken", missing)
    done: list[str] = []
    for u in part.units:
        done += [v for v in judge.done_actions(u.text) if v not in done]
    if not done:
        return _result("actions_taken", "fail", _located(part,
                       "no completed action: say what you already did (removed, refunded, contacted...)"),
                       [])
    return _result("actions_taken", "pass", _located(part, f"{_plural(len(done), 'action')} done: "
                   f"{_listing(done, 4)}"), [*done, *[]])


# --- improvement plan ---------------------------------------------------------------------------


_STEP_SPLIT = re.compile(r";\s+|,\s+and\s+(?=(?:\w+\s+){0,4}?(?:must|will|is|are|checks?|reviews?|reads?|runs?|"
                         r"approves?|inspects?|tests?|records?|keeps?|sends?|may|can|never|only)\b)", re.I)


def _steps(part: Part) -> list[str]:
    """The plan's steps: its list items, else its sentences split at "; " and ", and <a new clause>";
    not an introducing line, a courtesy, a plea or an accusation, nor a sentence that reports what was
    already done."""
    out = []
    for unit in part.units:
        if part.units[0].item and not unit.item:
            continue  # a list plan: the prose around it introduces or closes
        text = unit.text
        if len(words(text)) < 3 or text.rstrip().endswith(":"):
            continue
        if judge.pleading(text) or judge.blame(text) or judge.emotional(text) or judge.shouting(text):
            continue
        # A list item holding several sentences ("1) The agreement now requires... Our officer reviews...") is
        # several steps; a sentence joining two clauses with "; " or ", and <a new clause>" is two.
        parts_of = split_sentences(text) if unit.item else [text]
        pieces = [p for s in parts_of for p in (_STEP_SPLIT.split(s) if not unit.item else [s])
                  if len(words(p)) >= 4] or [text]
        for piece in pieces:
            s = scores(piece)
            if not unit.item and s["actions_taken"] > s["preventive"] and not judge.checkable(piece):
                continue
            out.append(piece)
    return out


def check_improvement_plan(ctx: AppealContext) -> CheckResult:
    """3+ preventive steps someone could verify (who, how often, a number, a date, a tool, a document or
    a method), at least one of them answering the root cause; 2 is a warning."""
    part, missing = _part(ctx, "preventive")
    if not part.found:
        return _missing(part, "preventive", missing)
    steps = _steps(part)
    vague = [s for s in steps if not judge.checkable(s)]
    good = len(steps) - len(vague)
    details = [f"vague: {_short(s)}" for s in vague] + []
    summary = _located(part, f"{good} of {_plural(len(steps), 'step')} checkable")
    cause = read(ctx.text or "").part("root_cause")
    if cause.found and good >= MIN_PREVENTIVE_STEPS - 1:
        cause_terms = judge.terms(cause.body)
        if not any(judge.terms(s) & cause_terms for s in steps):
            return _result("improvement_plan", "fail", f"{summary}; none answers the root cause",
                           [f"the root cause is about: {_listing(judge.topics(cause.body), 6)}", *details])
    if good >= MIN_PREVENTIVE_STEPS:
        return _result("improvement_plan", "pass", summary, details)
    status = "warn" if good == MIN_PREVENTIVE_STEPS - 1 else "fail"
    return _result("improvement_plan", status,
                   f"{summary}; need {MIN_PREVENTIVE_STEPS} that say who, how often, a number, a tool or a document",
                   details)


# --- logic: causes and remedies -----------------------------------------------------------------

# "(cause 2)", "root cause #1", "addresses causes 1 and 3": a remedy pointing at a cause by its number.
_CAUSE_REF = re.compile(r"\b(?:root\s+)?causes?\s*(?:#|no\.?\s*|number\s+)?(\d{1,2})(?:\s*(?:,|and|&)\s*(\d{1,2}))*", re.I)
CAUSE_MIN_SCORE = 2.0  # what a sentence of the root-cause part must say to be a cause, not the background
# "We found two causes for the order defects." / "There were three reasons:": announces the causes, is none.
_ANNOUNCES = re.compile(r"\b(?:two|three|four|five|several|\d)\s+(?:main\s+|root\s+)?(?:causes|reasons)\b|:\s*$", re.I)


def _causes(draft, part: Part) -> list[tuple[str, str]]:
    """The causes the root-cause part names, each with the text it is read in: its list items, else its
    sentences that say why, each read with its paragraph (the sentence after "because" often says what)."""
    items = [u.text for u in part.units if u.item]
    if len(items) >= 2:
        return [(i, i) for i in items]
    units = [u for u in part.units if not _ANNOUNCES.search(u.text)] or list(part.units)
    causal = [u for u in units if scores(u.text)["root_cause"] >= CAUSE_MIN_SCORE]
    causal = causal or [u for u in units if scores(u.text)["root_cause"] > 0] or units
    paragraphs: dict[int, list[str]] = {}
    for u in part.units:
        paragraphs.setdefault(u.block, []).append(u.text)
    joined = {block: " ".join(texts) for block, texts in paragraphs.items()}
    return [(u.text, joined[u.block]) for u in causal]


@lru_cache(maxsize=4096)
def _refs(text: str) -> frozenset[int]:
    out: set[int] = set()
    for m in _CAUSE_REF.finditer(text):
        out.update(int(n) for n in re.findall(r"\d{1,2}", m.group()))
    return frozenset(out)


def _stems(terms: frozenset[str]) -> frozenset[str]:
    """Topic words cut to five letters, so that "cancel" meets "cancellation" and "inspect" "inspection"."""
    return frozenset(t if t.startswith("family:") else t[:5] for t in terms if len(t) >= 4)


@lru_cache(maxsize=4096)
def _remedy_stems(remedy: str) -> frozenset[str]:
    return _stems(judge.terms(remedy))


def _answers(remedy: str, cause_stems: frozenset[str], number: int) -> bool:
    """A remedy answers a cause when it refers to it by number, or shares a topic word with it (a word of
    its own, or two of the same topic families). `cause_stems`: the cause's `_stems` (made once per cause:
    every action and step is tried against every cause)."""
    if number in _refs(remedy):
        return True
    shared = _remedy_stems(remedy) & cause_stems
    return any(not t.startswith("family:") for t in shared) or len(shared) >= 2


def check_logic(ctx: AppealContext) -> CheckResult:
    """Each root cause has an action taken and a preventive step that answer it (shared terms or "cause 2"),
    and each preventive step answers a named cause; a warning naming the causes without a remedy and the
    steps without a cause."""
    draft = read(ctx.text or "")
    cause, actions, plan = draft.part("root_cause"), draft.part("actions_taken"), draft.part("preventive")
    if not (cause.found and plan.found):
        return _result("logic", "warn", "needs a root cause and a plan to relate", required=False)
    causes = _causes(draft, cause)
    done = [u.text for u in actions.units]
    # Whole steps, not the pieces the plan check splits them into: "..., and fixes any hit" is one step.
    listed = any(u.item for u in plan.units)
    steps = [u.text for u in plan.units if (u.item or not listed) and len(words(u.text)) >= 4
             and not u.text.rstrip().endswith(":")]
    topics: dict[str, frozenset[str]] = {}  # causes of one paragraph share its text: read it once
    for _, context in causes:
        if context not in topics:
            topics[context] = judge.terms(context)
    terms = [topics[context] for _, context in causes]
    if len(terms) >= 2:
        # What every cause shares (the product, the person) does not tell one cause's remedy from another's.
        common = frozenset.intersection(*terms)
        terms = [t - common if any(not x.startswith("family:") for x in t - common) else t for t in terms]
    subject = _stems(judge.terms(cause.body) | judge.terms(actions.body)
                     | judge.terms((ctx.category or "").replace("_", " ")))
    details: list[str] = []
    for n, ((text, _), t) in enumerate(zip(causes, (_stems(t) for t in terms)), 1):
        if done and not any(_answers(a, t, n) for a in done):
            details.append(f"no action answers cause {n}: {_short(text, 60)}")
        if not any(_answers(s, t, n) for s in steps):
            details.append(f"no preventive step answers cause {n}: {_short(text, 52)}")
    orphans = [s for s in steps if not _answers(s, subject, 0) and not _refs(s)]
    details += [f"answers no cause: {_short(s, 62)}" for s in orphans]
    if not details:
        return _result("logic", "pass", f"every cause answered ({_plural(len(causes), 'cause')}, "
                       f"{_plural(len(steps), 'step')})", required=False)
    unanswered = sum(d.startswith("no ") for d in details)
    said = [x for x in (f"{_plural(unanswered, 'gap')} in the causes' remedies" if unanswered else "",
                        f"{_plural(len(orphans), 'step')} answering no cause" if orphans else "") if x]
    return _result("logic", "warn", "; ".join(said), details, required=False)


# --- not a template -----------------------------------------------------------------------------

# A template's blank left unfilled: "[Your Store Name]", "<supplier name>", "{ASIN}", "XXX", "____".
_PLACEHOLDER = re.compile(
    r"\[[^\]\n]{0,40}\b(?:name|asin|date|store|company|supplier|order|insert|number|product|your|brand|xx+|id|"
    r"details?|address|email|phone)\b[^\]\n]{0,40}\]"
    r"|<[^>\n]{0,40}\b(?:name|asin|date|store|company|supplier|order|insert|number|product|your|brand)\b[^>\n]{0,40}>"
    r"|\{[^}\n]{1,40}\}|\bX{3,}\b|_{4,}|\binsert\s+(?:\w+\s+){0,3}here\b", re.I)


def _who(m: Match) -> str:
    if m.generic:
        return "generic template"
    return " ".join(p for p in (m.account or m.key, m.date) if p)


BOILERPLATE_FAIL = 0.5  # more than this share of the sentences stock: a template
BOILERPLATE_WARN = 0.25
BOILERPLATE_WARN_COUNT = 3  # or this many stock sentences, whatever the share

# "regularly", "continuously", "closely": a frequency that names no time, so nothing specific.
_VAGUE_WHEN = re.compile(r"^(?:regular(?:ly)?|continu\w*|constant(?:ly)?|periodic(?:al)?(?:ly)?|ongoing|frequent(?:ly)?|always"
                         r"|closely|routinely|consistently|from\s+time\s+to\s+time|on\s+an?\s+ongoing\s+basis)$", re.I)
# A greeting or a sign-off: in every appeal, good or not; not counted either way.
_COURTESY = re.compile(r"^\s*(?:dear|hello|hi|to\s+whom|thanks?\b|thank\s+you|(?:kind|best|warm)?\s*regards|sincerely"
                       r"|yours|respectfully|best\s+wishes)\b", re.I)


def _names_something(kind: str, what: str) -> bool:
    """Whether a thing `judge.specifics` found is specific to this case: not a bare object ("listing"), a
    vague frequency ("regularly") or a one-word method ("measures")."""
    if kind == "thing":
        return False
    if kind == "when":
        return not _VAGUE_WHEN.search(what)
    return kind != "method" or len(what.split()) > 1


@lru_cache(maxsize=4096)
def _scored(sentence: str, ids: tuple[str, ...]) -> boilerplate.Scored:
    """One sentence judged stock, specific or neither (cached: while typing, only the edited one is new)."""
    cites = any(_cited(i, sentence) for i in ids)
    specific = any(_names_something(kind, what) for kind, what in judge.specifics(sentence))
    return boilerplate.score(sentence, specific, cites)


def _stock(ctx: AppealContext) -> tuple[list[boilerplate.Scored], list[str]]:
    """The draft's sentences judged stock, specific or neither (greetings and sign-offs left out), and the
    parts holding a specific sentence."""
    draft = read(ctx.text or "")
    ids = [i for i in [*ctx.asins, *ctx.order_ids, ctx.complaint_id or ""] if i and i.strip()]
    out: list[boilerplate.Scored] = []
    specific_parts: list[str] = []
    for unit, label in zip(draft.units, draft.labels):
        text = unit.text
        if len(words(text)) < 4 or (_COURTESY.search(text) and len(words(text)) <= 12):
            continue
        scored = _scored(text, tuple(ids))
        out.append(scored)
        if scored.verdict == "specific" and label in PARTS and label not in specific_parts:
            specific_parts.append(label)
    return out, specific_parts


def _boilerplate(ctx: AppealContext) -> tuple[str, str, list[str]]:
    """(status, reason, details) of the sentence-level reading."""
    scored, specific_parts = _stock(ctx)
    if not scored:
        return "pass", "", []
    stock = [s for s in scored if s.verdict == "boilerplate"]
    share = len(stock) / len(scored)
    details = [f"stock: {_short(s.text, 70)}" for s in stock]
    counted = f"{len(stock)} of {_plural(len(scored), 'sentence')} stock phrasing"
    if share > BOILERPLATE_FAIL:
        return "fail", f"assembled from stock sentences: {counted}; rewrite them about this notice", details
    if not specific_parts:
        return "fail", ("no part names anything specific (an ID, a number, a date, a person, a supplier, a tool); "
                        "write about this notice"), details
    if share >= BOILERPLATE_WARN or len(stock) >= BOILERPLATE_WARN_COUNT:
        return "warn", f"{counted}; rewrite them about this notice", details
    return "pass", counted if stock else "", details


def check_not_template(ctx: AppealContext) -> CheckResult:
    """No template blanks left in; not assembled from stock sentences (each sentence read against the
    public templates' phrasing, console/review/boilerplate.py), some part naming something specific; and not
    near-identical to a generic template, to this account's other appeals, or to another account's (the
    association risk)."""
    blanks = list(dict.fromkeys(m.group() for m in _PLACEHOLDER.finditer(ctx.text or "")))
    if blanks:
        return _result("not_template", "fail", f"a template's blanks are left in: {_listing(blanks, 3)}", blanks)
    stock_status, stock_reason, stock_details = _boilerplate(ctx)
    matches = sorted(ctx.similar, key=lambda m: (-m.score, m.key))
    close = [m for m in matches if m.score >= ctx.template_warn]
    similar_details = [f"{m.score:.2f} {_who(m)} ({m.key})" for m in matches]
    details = [*stock_details, *similar_details]
    if not close:
        if stock_status != "pass":
            return _result("not_template", stock_status, stock_reason, details)
        if not matches:
            return _result("not_template", "pass", "; ".join(x for x in (stock_reason, "no similar appeal on file") if x),
                           details)
        best = matches[0]
        tail = f"; {stock_reason}" if stock_reason else ""
        return _result("not_template", "pass", f"closest: {_who(best)} {best.score:.2f}{tail}", details)
    best = matches[0]
    status = "fail" if best.score >= ctx.template_fail or stock_status == "fail" else "warn"
    other = next((m for m in close if not m.generic and m.account is not None and m.account != ctx.account), None)
    generic = next((m for m in close if m.generic), None)
    if other is not None:
        when = f" of {other.date}" if other.date else ""
        reason = f"association risk: near-identical to an appeal of {other.account}{when} ({other.score:.2f})"
    elif stock_status != "pass":
        reason = stock_reason
    elif generic is not None:
        reason = f"reads like a generic template ({generic.score:.2f}); write about this notice"
    else:
        when = f" of {best.date}" if best.date else ""
        reason = f"{best.score:.2f} similar to this account's appeal{when}; write about this notice"
    return _result("not_template", status, reason, details)


# --- tone ---------------------------------------------------------------------------------------


def check_tone(ctx: AppealContext) -> CheckResult:
    """No sentence that puts the cause on Amazon, a buyer, a competitor or a rights owner, no pleading, no
    emotion or shouting, no references to other support cases: a failure. The stock apology and courtesy
    of templates ("sincerely apologize", "kindly ask you to reinstate", "as soon as possible", "we value",
    "we hope"): a warning naming them. Headings, order annotations and quoted labels in capitals are not
    shouting."""
    flagged: list[tuple[str, str]] = []
    stock: list[str] = []
    for unit in read(ctx.text or "").units:
        whom = judge.blame(unit.text)
        if whom is not None:
            on = "" if whom in ("denial", "someone else") else f" (on {'a ' if whom != 'amazon' else ''}{whom.title() if whom == 'amazon' else whom})"
            flagged.append(("blame", f"{_short(unit.text, 70)}{on}"))
        flagged += [("pleading", p) for p in judge.pleading(unit.text)]
        flagged += [("emotional", p) for p in judge.emotional(unit.text)]
        flagged += [("other cases", p) for p in judge.other_cases(unit.text)]
        flagged += [("emotional", f"shouting: {run}") for run in judge.shouting(unit.text)]
        stock += judge.stock_courtesy(unit.text)
    flagged = list(dict.fromkeys(flagged))
    stock = list(dict.fromkeys(stock))
    stock_details = [f"stock courtesy: {phrase}" for phrase in stock]
    if not flagged and not stock:
        return _result("tone", "pass", "factual: no blame, pleading or other cases")
    if not flagged:
        return _result("tone", "warn", "stock apology and courtesy, say what happened instead: "
                       + _listing([f'"{_short(p, 30)}"' for p in stock], 3), stock_details)
    kinds = list(dict.fromkeys(kind for kind, _ in flagged))
    shown = [_short(p, 40) for _, p in flagged]
    reason = f"remove {' / '.join(kinds)}: " + _listing([f'"{p}"' for p in shown], 3)
    return _result("tone", "fail", reason, [*(f"{kind}: {phrase}" for kind, phrase in flagged), *stock_details])


def _cause_words(cause: str | None) -> str:
    """A notification's cause as the operator reads it ("account health rating", not "account_health_rating")."""
    if not cause:
        return "this category"
    from console.core.labels import load_labels

    found = load_labels().cause(cause)
    return (found.label if found else cause.replace("_", " ")).lower()


# --- evidence -----------------------------------------------------------------------------------


def check_evidence(ctx: AppealContext) -> CheckResult:
    """The attachments, not the text: every ASIN of the notification is covered by attachments of the kinds its
    cause needs (console/review/data/evidence_rules.toml: authenticity and condition need an invoice from the
    last 365 days and supplier details; IP a letter of authorisation, licence or trademark registration), and
    the check says what each ASIN still lacks. Evidence the text names (console/review/evidence.py `named`)
    without the file attached is not evidence: naming is not having.

    A cause with no rule there needs no attachment (safety and restricted products: what they need varies by
    notice, which says it); the check passes, naming what such notices usually ask for."""
    rule = locker.rule_for(ctx.category)
    if rule is None:
        kind = evidence_text.kind_of(ctx.category)
        held = f"; {_plural(len(ctx.attachments), 'file')} attached" if ctx.attachments else ""
        if kind is None:
            return _result("evidence", "pass", f"no documents required for {_cause_words(ctx.category)}{held}")
        return _result("evidence", "pass", f"no attachment rule for {ctx.category}{held}; the notice says what it "
                       f"asks for ({evidence_text.expected(kind)})")
    draft = read(ctx.text or "")
    mentions = evidence_text.named([u.text for u in draft.units],
                                   tuple(label == "evidence" for label in draft.labels))
    named = [m.document for m in mentions]
    found = locker.coverage(rule, ctx.asins, ctx.attachments, ctx.today or date.today())
    if found.complete:
        details = [f"{asin}: " + ", ".join(f"{a.kind_label} #{a.id}" for a in by) for asin, by in found.covered.items()]
        what = " + ".join(n.label for n in rule.needs)
        return _result("evidence", "pass", f"{_plural(len(found.covered), 'ASIN')} covered by attachments ({what})",
                       details)
    details = [f"{asin}: needs {'; '.join(lines)}" for asin, lines in found.missing.items()]
    # The reason groups the ASINs that lack the same: "B0A, B0B need invoice dated within 365 days and supplier details".
    lacking: dict[str, list[str]] = {}
    for asin, lines in found.missing.items():
        lacking.setdefault(" and ".join(line.split(" (")[0] for line in lines), []).append(asin)
    short = "; ".join(f"{', '.join(asins)} need{'s' if len(asins) == 1 else ''} {what}"
                      for what, asins in list(lacking.items())[:2]) + (
        f"; +{len(lacking) - 2} more" if len(lacking) > 2 else "")
    if named:
        reason = f"naming is not having: the text names {_listing(named, 3)}, but {short}"
    elif not ctx.attachments:
        reason = f"attach the evidence: {short}"
    else:
        reason = f"{_plural(len(found.missing), 'ASIN')} not covered: {short}"
    return _result("evidence", "fail", reason, details)


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
    "logic": check_logic,
    "not_template": check_not_template,
    "tone": check_tone,
    "evidence": check_evidence,
    "concise": check_concise,
    "reviewed": check_reviewed,
}


def warm() -> None:
    """Compile the phrase patterns, so the first check does not pay. The stock-sentence corpus (7 ms, 1.8 MiB)
    loads with the first check instead: a session that never opens an appeal does not carry it."""
    judge.judge()
    judge.specifics("warm up")


def run_checks(ctx: AppealContext) -> list[CheckResult]:
    """All ten checks, in `CHECK_IDS` order."""
    return [_CHECKS[check_id](ctx) for check_id in CHECK_IDS]


def ready(results: Iterable[CheckResult]) -> bool:
    """True when no required check failed (warnings and optional failures do not block)."""
    return not any(r.required and r.status == "fail" for r in results)
