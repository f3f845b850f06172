"""Where the three parts of a Plan of Action are, whatever the text calls them, or whether it calls them at all.

Sellers head the root cause, the actions taken and the preventive steps in every way there is: markdown
headings, "Label:" lines, bold, capitals, numbered sections, "-- " lines, underlined lines, Amazon's own
question wording ("The root cause(s) of the issue"), a label with the text on the same line ("Cause: our
supplier..."), or no heading at all. `read` finds them in three steps:

1. Lines. The text is tidied (console/review/text.py: pasted bullets, tabs and spaces made plain), and each
   line is read as a heading, a list item or text. A heading is a strong form (markdown, underlined, bold,
   capitals, a numbered or "Part 2 –" line, a "-- " line), which starts a section whatever its words; or a
   weak form (a short line, a line ending in ":", a label before ":" on a line of text), which is a heading
   only when its words name a part (console/review/data/parts.toml), so that "Supplier details: Voltra"
   stays text.
2. Blocks. Between headings, text falls into paragraphs (blank lines apart; a document pasted from a word
   processor, one long line per paragraph, has one paragraph per line) and lists (with the line that
   introduces them), numbered through the text as a reader counts them.
3. Parts. A section whose heading names one part belongs to it. Everything else (no heading, an
   introduction, a heading that names two parts) is sorted sentence by sentence by what it says (because,
   did not... for a cause; done remedial verbs for actions; will, every week, from now on for prevention),
   with the parts kept in their usual order and a paragraph kept together unless its sentences clearly
   differ (a dynamic programme over the sentences). Greetings and closing courtesies belong to no part.

Each part says where it was found (under "What went wrong", "paragraph 2", "the list after paragraph 3"),
so the checklist can tell the operator, and `LOOKED_FOR` says what was looked for when it is missing.
Results are cached per text: the editor runs the checklist on every pause in typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from console.review import judge as judges
from console.review.phrases import alternation, load, weighted
from console.review.text import sentences, tidy, words

__all__ = ["LOOKED_FOR", "PARTS", "Block", "Draft", "Part", "Section", "Unit", "classify", "read"]

PARTS = ("root_cause", "actions_taken", "preventive")
LOOKED_FOR = {
    "root_cause": "a heading such as 'Root cause', 'What went wrong' or 'The root cause(s) of...', or sentences "
                  "saying why (because, due to, we did not...)",
    "actions_taken": "a heading such as 'Actions taken' or 'What we have done', or sentences saying what was "
                     "done (we removed, refunded, contacted...)",
    "preventive": "a heading such as 'Preventive measures' or 'Going forward', or steps saying what happens from "
                  "now on (will, every week, before each...)",
}

STRONG_FORMS = frozenset({"markdown", "setext", "bold", "caps", "numbered", "dashed"})
NONE_SCORE = 0.75  # per sentence: what its text must say for a part to be counted in it, outside a heading
BACKWARD = 4.0  # the cost of a part coming back after a later one (a cause after the plan)
SPLIT = 2.5  # the cost of changing part inside one paragraph or list


@dataclass(frozen=True)
class Section:
    heading: str  # as shown: "What went wrong" ("" before the first heading)
    form: str  # markdown, setext, bold, caps, numbered, dashed, label, line, inline, none
    kind: str  # part, combined, other, evidence, none
    parts: tuple[str, ...]  # the parts its heading names


@dataclass(frozen=True)
class Block:
    kind: str  # paragraph | list
    text: str  # its lines as written (tidied)
    items: tuple[str, ...]  # a list's items, each with its continuation lines, without the bullet
    number: int  # a paragraph's number in the text; a list's: the paragraph before it (0: none)
    section: int
    intro: str = ""  # a list's introducing line ("We have taken the following actions:")


@dataclass(frozen=True)
class Unit:
    text: str  # a sentence of a paragraph, or a list item
    block: int
    index: int  # its place in the block, from 0
    item: bool


@dataclass(frozen=True)
class Part:
    name: str
    units: tuple[Unit, ...]
    headings: tuple[str, ...]  # the headings it was found under (none when found by what it says)
    where: str  # 'under "What went wrong"', "paragraph 2", "paragraphs 2-3, the list after paragraph 3"
    body: str

    @property
    def found(self) -> bool:
        return bool(self.units)

    @property
    def by_content(self) -> bool:
        """Found (at least partly) by what the text says rather than under a heading of its own."""
        return self.found and not self.where.startswith("under ")

    def steps(self) -> list[str]:
        """Its list items when it has any, else its sentences."""
        items = [u.text for u in self.units if u.item]
        return items or [u.text for u in self.units]


@dataclass(frozen=True)
class Draft:
    text: str  # tidied
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    units: tuple[Unit, ...]
    labels: tuple[str | None, ...]  # per unit: a part, "evidence" (under an evidence heading) or None
    parts: dict[str, Part]

    def part(self, name: str) -> Part:
        return self.parts[name]

    @property
    def headed(self) -> bool:
        """Whether any section heading names a part."""
        return any(s.kind in ("part", "combined") for s in self.sections)


# --- headings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    cues: dict[str, tuple[tuple[re.Pattern[str], float], ...]]
    other: re.Pattern[str]
    evidence: re.Pattern[str]
    content: dict[str, tuple[tuple[re.Pattern[str], float], ...]]
    closing: re.Pattern[str]
    heading_min: float
    strong: float


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load("parts")
    h = data["headings"]
    return _Rules(
        cues={p: weighted(h[p]["cues"]) for p in PARTS}, other=alternation(h["other"]["cues"]),
        evidence=alternation(h["evidence"]["cues"]), content={p: weighted(data["content"][p]["cues"]) for p in PARTS},
        closing=alternation(data["closing"]["cues"]), heading_min=float(data["heading_min"]),
        strong=float(data["strong"]),
    )


_NUMBERING = re.compile(r"^\s*(?:(?:part|step|section|stage|phase|question)\s+(?:\d{1,2}|[ivx]{1,4}|[a-z])\s*"
                        r"(?:[-–—:.)]\s*|$)|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.):]\s+|[-–—]+\s*)", re.I)
_TITLE = re.compile(r"\bplans?\s+of\s+actions?\b", re.I)
_CONJUNCTION = re.compile(r"\s(?:and|&|/|\+)\s|/", re.I)
_STATEMENT = re.compile(r"\b(?:was|were|is|are)\b", re.I)
_QUESTION = re.compile(r"^\s*(?:why|what|how|which|who|when)\b", re.I)


def classify(label: str) -> tuple[str, tuple[str, ...]]:
    """What a heading's words name: ("part", (part,)), ("combined", (two parts)), ("evidence", ()),
    ("other", ()) for a title, an introduction or a closing, or ("none", ())."""
    rules = _rules()
    text = _NUMBERING.sub("", label.strip(" *_#:\t")).strip(" *_#:.-–—\t")
    if not text or len(words(text)) > 16:
        return "none", ()
    scores: dict[str, float] = {}
    spans: dict[str, int] = {}
    words_of_parts = _TITLE.sub(" ", text)  # "Plan of Action" is a title, not "actions"
    for part in PARTS:
        hits = [(m.start(), w) for pattern, w in rules.cues[part] for m in [pattern.search(words_of_parts)] if m]
        if hits:
            top = max(w for _, w in hits)
            scores[part] = top + 0.5 * (len(hits) - 1)
            spans[part] = min(s for s, w in hits if w == top)
    ranked = sorted(scores, key=lambda p: (-scores[p], -PARTS.index(p)))
    if ranked and scores[ranked[0]] >= rules.heading_min:
        best = ranked[0]
        if rules.other.search(text) and scores[best] < rules.strong:
            return "other", ()
        second = next((p for p in ranked[1:] if scores[p] >= rules.strong), None)
        if second is not None and scores[best] >= rules.strong:
            lo, hi = sorted((spans[best], spans[second]))
            if _CONJUNCTION.search(text[lo:hi + 1]) or _CONJUNCTION.search(text[lo:]):
                return "combined", tuple(p for p in PARTS if p in (best, second))
        return "part", (best,)
    if rules.evidence.search(text):
        return "evidence", ()
    if rules.other.search(text):
        return "other", ()
    return "none", ()


_MD = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:=+|-{3,}|_{3,}|\*{3,})\s*$")
_BOLD = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_BOLD_LABEL = re.compile(r"^\s*(\*\*|__)([^*_\n]{1,80}?)\s*:?\s*\1\s*:?\s+(\S.*)$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s+(\S.*)$")
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,2}[.):]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|"
                       r"(?:part|step|section|stage|phase)\s+(?:\d{1,2}|[ivx]{1,4}|[a-z])\s*[-–—:.)]?)\s*(\S.*)$", re.I)
_DASHED = re.compile(r"^\s*(?:--+|—|–)\s*(\S.*?)\s*$")
_LABEL = re.compile(r"^\s*(\S[^:]{0,139}?)\s*(?::|\s[-–—])\s*$")
_INLINE = re.compile(r"^\s*(?:\*\*|__)?(\S[^:.!?]{0,69}?)(?:\*\*|__)?\s*(?::|\s[-–—])\s+(\S.*)$")
_ENDS_SENTENCE = re.compile(r"[.;,!]\s*$")


@dataclass(frozen=True)
class _Heading:
    form: str
    label: str
    rest: str = ""  # text after an inline label


_BULLET_LABEL = re.compile(r"^\s*[-*+]\s+(.+?)\s*:?\s*$")


def _heading(line: str, next_line: str, preamble: bool, following: str = "x", number_next: str = "") -> _Heading | None:
    """The line as a heading, or None when it is text or a list item."""
    if not line.strip():
        return None
    if m := _MD.match(line):
        return _Heading("markdown", m.group(1))
    if _RULE.match(next_line) and not _ITEM.match(line) and len(words(line)) <= 16:
        return _Heading("setext", line.strip())
    if m := _BOLD.match(line):
        return _Heading("bold", m.group(2))
    n_words = len(words(line))
    if m := _BOLD_LABEL.match(line):
        if _weak_ok(m.group(2), preamble):
            return _Heading("inline", m.group(2), m.group(3))
    stripped = line.strip()
    if (letters := [c for c in stripped if c.isalpha()]) and all(c.isupper() for c in letters) and len(letters) > 2 \
            and n_words <= 14 and not re.search(r"[.!]\s*$", stripped):
        return _Heading("caps", stripped)
    if m := _DASHED.match(line):
        if n_words <= 14 and not _ENDS_SENTENCE.search(m.group(1)):
            return _Heading("dashed", m.group(1))
    if m := _NUMBERED.match(line):
        rest = m.group(1)
        if len(words(rest)) <= 12 and not _ENDS_SENTENCE.search(rest) and (
                classify(rest)[0] in ("part", "combined", "evidence")
                or (number_next and _marker(line) == number_next)):  # "3. Keeping it fixed" after "2. The fix"
            return _Heading("numbered", rest)
    if (m := _BULLET_LABEL.match(line)) and _ITEM.match(following) and len(words(m.group(1))) <= 8 \
            and not _ENDS_SENTENCE.search(m.group(1)) and classify(m.group(1))[0] in ("part", "combined", "evidence"):
        return _Heading("bullet", m.group(1))  # "• Root cause" over its own list, as Word pastes an outline
    if _ITEM.match(line):
        return None
    if m := _LABEL.match(line):
        if n_words <= 16 and _weak_ok(m.group(1), preamble):
            return _Heading("label", m.group(1))
        return None
    if m := _INLINE.match(line):
        if len(words(m.group(1))) <= 8 and _weak_ok(m.group(1), preamble, strong=True):
            return _Heading("inline", m.group(1), m.group(2))
    if n_words <= 12 and not _ENDS_SENTENCE.search(stripped) and _weak_ok(stripped, preamble, strong=True) \
            and following.strip() \
            and not (_MD.match(following) or _BOLD.match(following)):
        return _Heading("line", stripped)  # a short line heads the text after it, not another heading
    return None


def _weak_ok(label: str, preamble: bool, strong: bool = False) -> bool:
    """A weak heading form counts when its words name a part or evidence (a title or greeting only before
    any part), and it does not read as a statement ("The root cause was that:"). A label with text after it
    on the same line ("Cause: ...") or a bare short line must name its part with a strong word: "Order
    Defect Rate plan – ..." is a title."""
    kind, parts = classify(label)
    if kind == "none" or (kind == "other" and not preamble):
        return False
    if strong and kind in ("part", "combined") and _strength(label) < _rules().strong:
        return False
    return not (_STATEMENT.search(label) and not _QUESTION.match(label))


def _strength(label: str) -> float:
    """The weight of the strongest part cue in a heading's words."""
    text = _TITLE.sub(" ", _NUMBERING.sub("", label.strip(" *_#:\t")))
    return max((w for part in PARTS for pattern, w in _rules().cues[part] if pattern.search(text)), default=0.0)


_MARKER = re.compile(r"^\s*(?:(part|step|section|stage|phase)\s+)?\(?(\d{1,2}|[a-z]|[ivx]{1,4})([.):]|\s*[-–—])", re.I)


def _marker(line: str) -> str:
    """A numbered line's marker, normalised: "2.", "part 3", "b)"."""
    m = _MARKER.match(line)
    return f"{(m.group(1) or '').lower()} {m.group(2).lower()}".strip() if m else ""


def _following_marker(line: str) -> str:
    """The marker of the heading that would follow this numbered one: "2." -> "3", "Part B" -> "part c"."""
    m = _MARKER.match(line)
    if not m:
        return ""
    n = m.group(2).lower()
    nxt = str(int(n) + 1) if n.isdigit() else chr(ord(n) + 1) if len(n) == 1 else ""
    return f"{(m.group(1) or '').lower()} {nxt}".strip() if nxt else ""


def _shown(label: str) -> str:
    text = " ".join(label.strip(" *_#:\t").split())
    text = text.rstrip(" :-–—")
    return text if len(text) <= 48 else text[:47].rstrip() + "…"


# --- blocks ---------------------------------------------------------------------------------------

_ITEM_MARKER = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s")
_TERMINAL = re.compile(r"[.!?:;)\"']\s*$")
_LINE_ITEM = re.compile(r"^\s*[A-Z0-9][^\n]{15,}(?<![.!?:;,])\s*$")


def _chunks(lines: list[str]) -> list[list[str]]:
    """Lines split at blank lines."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [c for c in out if c]


def _blocks_of(lines: list[str]) -> list[tuple[str, list[str], list[str], str]]:
    """(kind, lines, items, intro) of the text lines of one section."""
    out: list[tuple[str, list[str], list[str], str]] = []
    for chunk in _chunks(lines):
        prose: list[str] = []
        items: list[str] = []
        raw: list[str] = []
        intro = ""

        def end_prose() -> None:
            nonlocal prose
            if prose:
                long = sum(len(x) > 150 for x in prose)
                if len(prose) > 1 and long * 2 >= len(prose) and all(_TERMINAL.search(x) for x in prose if len(x) > 150):
                    out.extend(("paragraph", [x], [], "") for x in prose)  # a word processor's paragraphs
                else:
                    out.append(("paragraph", prose, [], ""))
                prose = []

        def end_list() -> None:
            nonlocal items, intro, raw
            if items:
                out.append(("list", raw, items, intro))
            items, intro, raw = [], "", []

        if sum("|" in x for x in chunk) >= 2:  # a table: one step per row, the header row left out
            end_prose()
            rows = [" — ".join(c.strip() for c in x.strip().strip("|").split("|") if c.strip()) for x in chunk
                    if "|" in x and not re.fullmatch(r"[\s|:+-]*", x)]
            if rows and len(words(rows[0])) <= 2 * rows[0].count(" — ") + 2:
                rows = rows[1:]
            out.append(("list", chunk, rows, ""))
            continue
        if len(chunk) >= 2 and all(_LINE_ITEM.match(x) for x in chunk) and not any(_ITEM.match(x) for x in chunk):
            # lines that each start a capitalised phrase and end without a full stop: a list without bullets
            end_prose()
            out.append(("list", chunk, [x.strip() for x in chunk], ""))
            continue
        for line in chunk:
            item = _ITEM.match(line)
            if item:
                if not items:
                    if prose and prose[-1].rstrip().endswith(":"):
                        intro = prose.pop()
                    end_prose()
                items.append(item.group(2).strip())
                raw.append(line)
            elif items and (line.startswith((" ", "\t")) or not _TERMINAL.search(items[-1])):
                items[-1] += " " + line.strip()
                raw.append(line)
            else:
                end_list()
                prose.append(line)
        end_list()
        end_prose()
    return out


# --- reading --------------------------------------------------------------------------------------


def read(text: str) -> Draft:
    """The draft's sections, blocks, sentences and parts (cached per text)."""
    return _read(text or "")


@lru_cache(maxsize=32)
def _read(text: str) -> Draft:
    lines = tidy(text).split("\n")
    sections: list[Section] = [Section("", "none", "none", ())]
    pending: list[list[str]] = [[]]  # text lines per section
    preamble = True
    number_next = ""  # the marker a numbered heading after the last one would carry ("3." after "2.")
    for i, line in enumerate(lines):
        if _RULE.match(line) and i and (sections[-1].form == "setext" or not lines[i - 1].strip()):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        following = next((x for x in lines[i + 1:] if x.strip()), "")
        h = _heading(line, nxt, preamble, following, number_next)
        if h is None:
            pending[-1].append(line)
            continue
        kind, parts = classify(h.label)
        if kind == "none":
            kind = "other"
        number_next = _following_marker(line) if h.form == "numbered" else number_next
        sections.append(Section(_shown(h.label), h.form, kind, parts))
        pending.append([h.rest] if h.rest else [])
        preamble = preamble and kind not in ("part", "combined")
    blocks: list[Block] = []
    number = 0
    for s_index, section_lines in list(enumerate(pending)):
        for k, (kind, body, items, intro) in enumerate(_blocks_of(section_lines)):
            if kind == "paragraph":
                number += 1
            if k == 1 and sections[s_index].form == "inline":
                # "Cause: our supplier..." heads its own paragraph; what follows is read for what it says.
                sections.append(Section("", "none", "none", ()))
            blocks.append(Block(kind, "\n".join(body), tuple(items), number,
                                len(sections) - 1 if k and sections[s_index].form == "inline" else s_index, intro))
    units: list[Unit] = []
    for b_index, block in enumerate(blocks):
        if block.kind == "list":
            units += [Unit(item, b_index, k, True) for k, item in enumerate(block.items)]
        else:
            units += [Unit(s, b_index, k, False) for k, s in enumerate(sentences(block.text))]
    labels = _label(sections, blocks, units)
    parts = {p: _part(p, sections, blocks, units, labels) for p in PARTS}
    return Draft(tidy(text), tuple(sections), tuple(blocks), tuple(units), tuple(labels), parts)


def _closing(block: Block, units: list[Unit]) -> bool:
    """A paragraph that only greets, thanks or asks (two sentences at most)."""
    if block.kind != "paragraph" or len(units) > 3:
        return False
    closing = _rules().closing
    return sum(bool(closing.search(u.text)) for u in units) * 2 >= len(units)


@lru_cache(maxsize=4096)
def scores(unit_text: str, intro: str = "") -> dict[str, float]:
    """What a sentence (or list item, with its list's introducing line) says for each part (cached per
    sentence, so that typing re-reads only the sentence that changed; do not change the dict returned)."""
    rules = _rules()
    text = judges.unquoted(unit_text)
    out = {p: sum(w for pattern, w in rules.content[p] if pattern.search(text)) for p in PARTS}
    if _CONDITION.search(text):  # "...a refund if he removed his feedback": nothing was done
        unconditional = _CONDITION.sub(" ", text)
        out["actions_taken"] = sum(w for pattern, w in rules.content["actions_taken"] if pattern.search(unconditional))
    if "how often" in judges.checkable(text):
        out["preventive"] += 2
    remedies = [v for v in judges.done_actions(text) if judges.judge().remedies.fullmatch(v)]
    if remedies and not re.search(r"\b(?:will|shall)\b", text, re.I):
        out["actions_taken"] += min(4, 2 * len(remedies))
    if intro:
        extra = scores(intro)
        out = {p: out[p] + 0.75 * extra[p] for p in PARTS}
    if len(words(text)) < 3:
        out = {p: 0.0 for p in PARTS}
    return out


_ORDER = {None: 0, "root_cause": 1, "actions_taken": 2, "preventive": 3}
_CONDITION = re.compile(r"\b(?:if|unless)\b[^,.;]*", re.I)


def _label(sections: list[Section], blocks: list[Block], units: list[Unit]) -> list[str | None]:
    """Each unit's part: its heading's part, or the best order-respecting reading of what it says."""
    by_block: dict[int, list[Unit]] = {}
    for u in units:
        by_block.setdefault(u.block, []).append(u)
    options: list[dict[str | None, float]] = []
    fixed: list[bool] = []
    for u in units:
        block = blocks[u.block]
        section = sections[block.section]
        if _closing(block, by_block[u.block]):
            options.append({None: 0.0})
            fixed.append(True)
        elif section.kind == "part":
            options.append({section.parts[0]: 0.0})
            fixed.append(True)
        elif section.kind == "evidence":
            options.append({"evidence": 0.0})
            fixed.append(True)
        else:
            s = scores(u.text, block.intro if u.item else "")
            if section.kind == "combined":  # the heading says what is here: only which of its parts
                opts: dict[str | None, float] = {p: s[p] for p in section.parts}
            else:
                opts = {None: NONE_SCORE, **{p: s[p] for p in PARTS}}
            options.append(opts)
            fixed.append(False)
    # The text just before a part headed as actions taken (a cause and then "Fix:") is most likely a cause.
    before_fix = [False] * len(units)
    for i, u in enumerate(units):
        if fixed[i] and None not in options[i] and "actions_taken" in options[i]:
            k = i - 1
            while k >= 0 and not fixed[k] and units[k].block == units[i - 1].block:
                before_fix[k] = True
                k -= 1
    for i in range(len(units)):
        if before_fix[i] and "root_cause" in options[i] and len(words(units[i].text)) >= 6:
            options[i]["root_cause"] += 1.5
    combined = [sections[blocks[u.block].section].kind == "combined" for u in units]
    # Dynamic programme over (last part seen, previous unit's label).
    best: dict[tuple[int, str | None], tuple[float, list[str | None]]] = {(0, None): (0.0, [])}
    for i, u in enumerate(units):
        nxt: dict[tuple[int, str | None], tuple[float, list[str | None]]] = {}
        same_block = i > 0 and units[i - 1].block == u.block
        for (last, prev), (total, path) in best.items():
            for label, value in options[i].items():
                cost = value
                order = _ORDER.get(label, 0)
                if not fixed[i]:
                    if label is not None and order < last:
                        cost -= BACKWARD
                    if same_block and label != prev:
                        cost -= SPLIT / 4 if combined[i] else SPLIT  # "Root cause and actions": both are here
                key = (order if label in _ORDER and label else last, label)
                cand = (total + cost, path + [label])
                if key not in nxt or cand[0] > nxt[key][0]:
                    nxt[key] = cand
        best = nxt
    return max(best.values(), key=lambda v: v[0])[1] if units else []


def _part(name: str, sections: list[Section], blocks: list[Block], units: list[Unit],
          labels: list[str | None]) -> Part:
    mine = [u for u, label in zip(units, labels) if label == name]
    if not mine:
        return Part(name, (), (), "", "")
    per_block: dict[int, list[Unit]] = {}
    for u in mine:
        per_block.setdefault(u.block, []).append(u)
    count = {b: sum(1 for u in units if u.block == b) for b in per_block}
    headings: list[str] = []
    content: list[tuple[int, list[Unit]]] = []
    bodies: list[str] = []
    for b, us in per_block.items():
        section = sections[blocks[b].section]
        whole = len(us) == count[b]
        bodies.append(blocks[b].text if whole else " ".join(u.text for u in us))
        if section.kind == "part":
            if section.heading and section.heading not in headings:
                headings.append(section.heading)
        else:
            content.append((b, us))
    where = []
    if headings:
        shown = ", ".join(f'"{h}"' for h in headings[:2]) + (f" +{len(headings) - 2} more" if len(headings) > 2 else "")
        where.append(f"under {shown}")
    where += _places(blocks, content, count)
    return Part(name, tuple(mine), tuple(headings), " and ".join(where) if headings and len(where) > 1 else
                ", ".join(where), "\n".join(bodies))


def _places(blocks: list[Block], content: list[tuple[int, list[Unit]]], count: dict[int, int]) -> list[str]:
    """Where content-found units are, as a reader counts: paragraph 2, paragraphs 3-4, the list after
    paragraph 1, paragraph 5 sentences 2-3."""
    out: list[str] = []
    run: list[int] = []

    def end_run() -> None:
        if run:
            out.append(f"paragraph {run[0]}" if len(run) == 1 else f"paragraphs {run[0]}-{run[-1]}")
            run.clear()

    for b, us in content:
        block = blocks[b]
        if block.kind == "list":
            end_run()
            marker = _ITEM_MARKER.match(block.text)
            if len(block.items) == 1 and marker:
                out.append(f"item {marker.group(1)}")  # "3) The agreement now requires...": numbered paragraphs
            else:
                out.append(f"the list after paragraph {block.number}" if block.number else "the list at the start")
        elif len(us) == count[b]:
            if run and block.number != run[-1] + 1:
                end_run()
            run.append(block.number)
        else:
            end_run()
            first, last = us[0].index + 1, us[-1].index + 1
            out.append(f"paragraph {block.number} sentence {first}" if first == last else
                       f"paragraph {block.number} sentences {first}-{last}")
    end_run()
    return out
