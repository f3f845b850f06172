"""Judging one sentence of an appeal: what it names, what it does, how it sounds.

- `specifics`: the concrete things a sentence names (a number, a date, a person or role, a name, a quoted
  label, a tool, a document, a method, a part of the listing or the product), which make a root cause
  more than "our quality control was not strict enough".
- `checkable`: what makes a plan step something another person can verify (who, how often, a number, a
  date, a tool, a document, a method, or a concrete verb over a named scope), not membership of a verb list.
- `done_actions`: the remedial verbs of a sentence that are done, not planned or denied.
- `blame`, `pleading`, `emotional`, `other_cases`, `shouting`: tone, judged by what a sentence does (puts
  the cause on Amazon, a buyer, a competitor or a rights owner; asks for mercy) with its quoted text left
  out, so that capitals in a heading, an order annotation or a quoted label are not shouting.
- `terms`: the topic words of a text, so that a plan step can be matched to the cause it answers.

The phrase lists are data (console/review/data/sentences.toml and tone.toml). Pure and fast: a few regex
scans per sentence, every pattern compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from console.review.phrases import alternation, load

__all__ = ["Judge", "blame", "checkable", "done_actions", "emotional", "judge", "other_cases", "pleading", "stock_courtesy",
           "shouting", "specifics", "terms", "topics", "unquoted"]

_ASIN = re.compile(r"\bB0[A-Z0-9]{8}\b", re.I)
_ORDER = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
_LONG_ID = re.compile(r"\b\d{9,}\b")  # complaint and case ids: a reference, not a specific of the cause
_NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,:/]\d+)*(?:\s?%|\s?°\s?[CF])?(?!\w)|\b(?:two|three|four|five|six|seven|eight"
                     r"|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen|half)\b", re.I)
_MONTHS = r"(?:january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul" \
          r"|aug|sep|sept|oct|nov|dec)"
_DATE = re.compile(rf"\b{_MONTHS}\b|\bmay\b(?=\s+\d)|(?<=\bin |\bon |\bof )may\b|\b(?:monday|tuesday|wednesday|thursday"
                   r"|friday|saturday|sunday)s?\b|\bq[1-4]\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.I)
_QUOTED = re.compile(r"\"[^\"\n]{1,80}\"|(?<![\w'])'[^'\n]{2,60}'(?![\w'])")
_CAPITALISED = re.compile(r"(?<![\w'-])[A-Z][a-z]+(?:[-'][A-Za-z]+)*(?:\s+(?:&\s+)?[A-Z][a-z]+(?:[-'][A-Za-z]+)*)*")
_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]*)*\b")
_RULE = re.compile(r"\b(?:only|never|no\s+longer|not\s+allowed|forbidden|may\s+not|must\s+not)\b", re.I)
_ENUMERATION = re.compile(r"\b\w{3,},\s+\w{3,}(?:,\s+\w{3,})*,?\s+(?:or|and|nor)\s+\w{3,}")
_FUTURE = re.compile(r"\b(?:will|shall|going\s+to|plan\s+to|intend\s+to)\b", re.I)


@dataclass(frozen=True)
class Judge:
    """The compiled phrase lists."""

    roles: re.Pattern[str]
    sources: re.Pattern[str]
    frequency: re.Pattern[str]
    times: re.Pattern[str]
    remedies: re.Pattern[str]
    scope: re.Pattern[str]
    tools: re.Pattern[str]
    pages: re.Pattern[str]
    documents: re.Pattern[str]
    methods: re.Pattern[str]
    objects: re.Pattern[str]
    acronym: re.Pattern[str]
    not_names: frozenset[str]
    concrete: re.Pattern[str]
    soft: re.Pattern[str]
    step_verbs: re.Pattern[str]
    by_us: re.Pattern[str]
    hedges: re.Pattern[str]
    not_done_before: re.Pattern[str]
    generic_terms: frozenset[str]
    families: tuple[tuple[str, ...], ...]
    family_of: re.Pattern[str]  # a word's topic family: the number of the group that matches it
    parties: dict[str, re.Pattern[str]]
    accusations: re.Pattern[str]
    frames: re.Pattern[str]
    before_party: re.Pattern[str]
    after_party: re.Pattern[str]
    denials: re.Pattern[str]
    alone: re.Pattern[str]
    self_subject: re.Pattern[str]
    pleading: re.Pattern[str]
    emotional: re.Pattern[str]
    other_cases: re.Pattern[str]
    stock: re.Pattern[str]
    sentence_words: frozenset[str]


@lru_cache(maxsize=1)
def judge() -> Judge:
    s, t = load("sentences"), load("tone")
    parties = {kind: alternation(p) for kind, p in t["parties"].items()}
    return Judge(
        roles=_bounded(s["roles"]), sources=_bounded(s["sources"]), frequency=_bounded(s["frequency"]),
        times=_bounded(s["times"]), remedies=alternation([rf"\b{v}\b" for v in s["remedies"]]),
        scope=_bounded(s["scope"]), tools=_bounded(s["tools"]), pages=_bounded(s["pages"]), documents=_bounded(s["documents"]),
        methods=_bounded(s["methods"]), objects=_bounded(s["objects"]), acronym=re.compile(s["acronym"]), not_names=frozenset(s["not_names"]),
        concrete=alternation([rf"\b{v}\b" for v in s["concrete_verbs"]]),
        soft=alternation([rf"\b{v}\b" for v in s["soft_verbs"]]),
        step_verbs=alternation([rf"\b{v}\b" for v in s["step_verbs"]]), hedges=alternation(s["hedges"]),
        by_us=alternation(s["by_us_verbs"]),
        not_done_before=re.compile(s["not_done_before"], re.I), generic_terms=frozenset(s["generic_terms"]),
        families=tuple(tuple(f) for f in s["families"]), family_of=_family_pattern(s["families"]), parties=parties,
        accusations=alternation(t["blame"]["accusations"]),
        frames=alternation(t["blame"]["frames"]), before_party=alternation(t["blame"]["before_party"]),
        after_party=alternation(t["blame"]["after_party"]),
        denials=alternation(t["blame"]["denials"]), alone=alternation(t["blame"]["alone"]),
        self_subject=re.compile(t["blame"]["self_subject"], re.I), pleading=alternation(t["pleading"]["cues"]),
        emotional=alternation(t["emotional"]["cues"]), other_cases=alternation(t["other_cases"]["cues"]),
        stock=alternation(t["stock"]["cues"]), sentence_words=frozenset(t["shouting"]["sentence_words"]),
    )


def _family_pattern(families) -> re.Pattern[str]:
    """One pattern whose group N matches a word of family N: a prefix of five letters or more ("authoris"),
    a shorter entry as the word itself or its plural ("buy", "buys")."""
    groups = []
    for i, family in enumerate(families):
        forms = [re.escape(f) + (r"\w*" if len(f) >= 5 else "s?") for f in family]
        groups.append(f"(?P<f{i}>" + "|".join(forms) + ")")
    return re.compile(r"(?:" + "|".join(groups) + r")\Z")


def _families(j: Judge, word: str) -> list[int]:
    """The topic families a word belongs to (usually one)."""
    m = j.family_of.match(word)
    return [int(k[1:]) for k, v in m.groupdict().items() if v] if m else []


def _bounded(patterns) -> re.Pattern[str]:
    """Any of the patterns, as whole words ("form" is not in "platform")."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", re.I)


def unquoted(sentence: str) -> str:
    """The sentence with its quotations blanked: a quoted label or search word is not the seller speaking."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), sentence)


def _without_ids(sentence: str) -> str:
    return _LONG_ID.sub(" ", _ORDER.sub(" ", _ASIN.sub(" ", sentence)))


def _distinct(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for kind, text in found:
        key = " ".join(text.lower().split())
        if key and key not in seen:
            seen.add(key)
            out.append((kind, " ".join(text.split())))
    return out


@lru_cache(maxsize=4096)
def specifics(sentence: str) -> tuple[tuple[str, str], ...]:
    """(kind, text) of every concrete thing the sentence names, in order; the notice's ids do not count."""
    j = judge()
    plain = _without_ids(sentence)
    found: list[tuple[str, str]] = []
    for kind, pattern in (("quote", _QUOTED), ("number", _NUMBER), ("date", _DATE), ("when", j.frequency), ("when", j.times),
                          ("role", j.roles),
                          ("source", j.sources), ("tool", j.tools), ("tool", j.pages), ("document", j.documents), ("method", j.methods),
                          ("thing", j.objects)):
        found += [(kind, m.group()) for m in pattern.finditer(plain)]
    found += [("name", n) for n in _names(plain)]
    return tuple(_distinct(found))


def _names(plain: str) -> list[str]:
    """Capitalised names that are not the first word of the sentence nor a common capitalised word, and
    abbreviations of standards and bodies (CPSC, ASTM, USPTO) outside runs of capitals."""
    j = judge()
    out = []
    body = plain.lstrip(" -*\"'(")
    first = re.match(r"[\w'’-]+", body)
    skip_to = (len(plain) - len(body)) + (first.end() if first else 0)
    for m in _CAPITALISED.finditer(plain):
        kept = [w for w in m.group().split() if w not in j.not_names and w.rstrip("'s") not in j.not_names]
        if m.start() < skip_to and kept and kept[0] == m.group().split()[0]:
            kept = kept[1:]
        if kept and not _DATE.fullmatch(kept[0]):
            out.append(" ".join(kept))
    runs = {m.group() for m in _CAPS_RUN.finditer(plain) if len(m.group().split()) >= 2}
    for m in j.acronym.finditer(plain):
        if not any(m.group() in r.split() for r in runs):
            out.append(m.group())
    return out


@lru_cache(maxsize=4096)
def checkable(step: str) -> tuple[str, ...]:
    """The kinds of what makes a plan step checkable (empty when nothing in it could be verified)."""
    j = judge()
    plain = _without_ids(step)
    kinds = []
    strong = (("who", j.roles), ("how often", j.frequency), ("number", _NUMBER), ("date", _DATE), ("tool", j.tools),
              ("document", j.documents), ("method", j.methods))
    for kind, pattern in strong:
        if pattern.search(plain):
            kinds.append(kind)
    if _names(plain):
        kinds.append("name")
    if not kinds and (j.scope.search(plain) or j.objects.search(plain) or j.pages.search(plain)) \
            and j.step_verbs.search(plain):
        kinds.append("what")
    if not kinds and _RULE.search(plain) and (_ENUMERATION.search(plain) or j.objects.search(plain)):
        kinds.append("rule")  # "only product facts, never links, prices or codes"
    return tuple(kinds)


_GENERIC_OBJECT = re.compile(
    r"^\s+(?:(?:the|our|this|that|these|all|any|every|some|its|their|it|them)\s+)*"
    r"(?:issues?|problems?|listings?|process(?:es)?|inventory|mistakes?|errors?|matter|situation|everything|"
    r"it|them|team|staff|system|products?|items?|operations?|practices?|policies|procedures?|way|things?)\b"
    r"(?!\s+(?:of|for|from|with|by|to|on|at|in)\b)", re.I)
_OURS = re.compile(r"\b(?:we|i)\s+(?:\w+\s+){0,2}$", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|is|are)\s+(?:\w+\s+)?$", re.I)  # "the numbers were added": by us
_PRONOUN = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:they|them|he|she|one\s+of\s+them|some\s+of\s+them|these|those)\b", re.I)
_AND = re.compile(r"(?:\band|,)\s+(?:also\s+|then\s+)?$", re.I)
_WE_START = re.compile(r"^\W*(?:\w+\s+){0,4}?(?:we|i)\b", re.I)


# A report that leads with its verb, as a list of what was done does: "Moved the shift...", "21 November:
# turned off...", "Step 2 - emailed...".
_LEADS = re.compile(r"^\s*(?:[\w ,./-]{1,30}(?::|\s[-–—])\s*)?$")


def _ours(plain: str, at: int) -> bool:
    """Whether "we" did the verb at `at`: right after "we", joined by "and" to a sentence "we" began, or
    leading the sentence (after a date or a label at most)."""
    before = plain[max(0, at - 30) : at]
    return bool(_OURS.search(before) or _PASSIVE.search(before) or (_AND.search(before) and _WE_START.search(plain))
                or _LEADS.match(plain[:at]))
_STRONG_SPECIFIC = frozenset({"number", "date", "name", "quote", "document", "role"})


@lru_cache(maxsize=4096)
def done_actions(sentence: str) -> tuple[str, ...]:
    """The remedial verbs of the sentence that are done: not after "will", "to", "not", "plan to"...; a
    concrete verb over nothing in particular ("fixed the issue", "corrected our inventory") does not count,
    a soft verb ("reviewed", "updated") only when the sentence names a number, date, name, document or
    person, and a hedged sentence ("removed any items that may...") not at all."""
    j = judge()
    plain = unquoted(sentence)
    named = {k for k, _ in specifics(plain)}
    strong = bool(named & _STRONG_SPECIFIC)
    if j.hedges.search(plain) and not strong:
        return ()
    found: list[str] = []
    for pattern, soft in ((j.concrete, False), (j.soft, True)):
        for m in pattern.finditer(plain):
            if j.not_done_before.search(plain[max(0, m.start() - 30) : m.start()]):
                continue
            if _FUTURE.search(plain[max(0, m.start() - 60) : m.start()]) and not re.search(
                    r"\b(?:we|i)\s+(?:have|had)\b", plain[max(0, m.start() - 25) : m.start()], re.I):
                continue
            if soft and not strong:
                continue
            if j.by_us.fullmatch(m.group()) and not _ours(plain, m.start()):
                continue  # "every buyer who bought": someone else's act
            if not strong and not j.remedies.fullmatch(m.group()) and _GENERIC_OBJECT.match(plain[m.end():]) \
                    and not (named - {"thing", "source"}):
                continue  # "fixed the issue", "corrected our inventory": nothing in particular
            verb = " ".join(m.group().lower().split())
            if verb not in found:
                found.append(verb)
    return tuple(found)


# --- tone -----------------------------------------------------------------------------------------


_CLAUSE = re.compile(r";|:\s|,\s*(?:which|so|but|and|while|whereas|although|though)\b|\s(?:which\s+means|so\s+that)\s", re.I)


@lru_cache(maxsize=4096)
def blame(sentence: str) -> str | None:
    """Whom the sentence puts the cause on ("amazon", "buyer", "competitor", "rights owner"), "denial"
    when it denies the finding without naming anyone, else None. An accusation counts when its clause
    names the party before it, and not when "we" own it ("we mistakenly listed")."""
    j = judge()
    plain = unquoted(sentence)
    if j.frames.search(plain):
        return _party(plain) or "someone else"
    for kind, pattern in j.parties.items():
        for m in pattern.finditer(plain):
            if j.before_party.search(plain[max(0, m.start() - 40) : m.start()]) or j.after_party.search(plain[m.end():]):
                return kind.replace("_", " ")
    if j.denials.search(plain):
        return _party(plain) or "denial"
    for m in j.alone.finditer(plain):
        if not j.self_subject.search(plain[: m.start()][-40:]):
            return _party(plain) or "someone else"
    previous: str | None = None
    for clause in _CLAUSE.split(plain):
        party = _party(clause)
        if party is None:
            # "..., and one of them reported it": a pronoun carries the party of the clause before
            if previous is None or not _PRONOUN.match(clause):
                continue
            party, first = previous, 0
        else:
            first = min(m.start() for p in j.parties.values() for m in [p.search(clause)] if m)
        previous = party
        for m in j.accusations.finditer(clause, first):
            before = clause[max(first, m.start() - 40) : m.start()]
            if j.self_subject.search(before) and not any(p.search(before) for p in j.parties.values()):
                continue  # "we mistakenly listed": owning it
            return party
    return None


def _party(plain: str) -> str | None:
    j = judge()
    best: tuple[int, str] | None = None
    for kind, pattern in j.parties.items():
        m = pattern.search(plain)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind.replace("_", " "))
    return best[1] if best else None


@lru_cache(maxsize=4096)
def pleading(sentence: str) -> tuple[str, ...]:
    return _phrases(judge().pleading, unquoted(sentence))


@lru_cache(maxsize=4096)
def emotional(sentence: str) -> tuple[str, ...]:
    found = _phrases(judge().emotional, unquoted(sentence))
    return found + (("!!",) if "!!" in sentence else ())


@lru_cache(maxsize=4096)
def stock_courtesy(sentence: str) -> tuple[str, ...]:
    """Apology, pleading and emotive wording templates repeat ("sincerely apologize", "we value", "as soon as
    possible"): a warning, where begging and hardship (`pleading`) fail."""
    return _phrases(judge().stock, unquoted(sentence))


@lru_cache(maxsize=4096)
def other_cases(sentence: str) -> tuple[str, ...]:
    return _phrases(judge().other_cases, unquoted(sentence))


def _phrases(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(m.group().lower().split()) for m in pattern.finditer(text)))


@lru_cache(maxsize=4096)
def shouting(line: str) -> tuple[str, ...]:
    """Runs of three or more words in capitals that say something ("WE DID NOTHING WRONG"): not labels
    ("RETURN AND REFUND"), quotations, or a heading line (the caller leaves headings out)."""
    words = judge().sentence_words
    out = []
    for m in _CAPS_RUN.finditer(unquoted(line)):
        run = [w.strip("'’-") for w in m.group().split()]
        if len(run) >= 3 and any(w.replace("'", "").replace("’", "") in words for w in run):
            out.append(m.group())
    return tuple(out)


# --- topics ---------------------------------------------------------------------------------------

_TERM = re.compile(r"[a-z]{4,}")
_SUFFIX = re.compile(r"(?:ations?|ments?|ings?|ers?|ed|es|s|ly|ion)$")


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """The topic words of a text (stems, with "family:N" for a word of a topic family), generic words out."""
    j = judge()
    out = set()
    for w in _TERM.findall(text.lower()):
        out.update(f"family:{i}" for i in _families(j, w))
        stem = _SUFFIX.sub("", w) if len(w) > 5 else w
        if w not in j.generic_terms and stem not in j.generic_terms:
            out.add(stem)
    return frozenset(out)


def topics(text: str) -> list[str]:
    """The topic words of a text as written, in order: what to show for `terms`."""
    j = judge()
    family, other, stems = [], [], set()
    for w in _TERM.findall(text.lower()):
        stem = _SUFFIX.sub("", w) if len(w) > 5 else w
        if w in j.generic_terms or stem in j.generic_terms or stem in stems:
            continue
        stems.add(stem)
        (family if _families(j, w) else other).append(w)
    return family + other  # the words of a known topic first
