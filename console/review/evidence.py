"""Evidence named in an appeal: documents the text says are provided, not every mention of a document.

"Please find attached the invoices", "their invoices ... are attached", a list under "Supporting
documents:" name evidence; "items that we do not have invoices for", "we will send invoices once we
have them", "invoices can be provided on request" and a plan step that reconciles invoices do not. A
clause counts when it says the document is given (attached, enclosed, uploaded...) and nothing in it
denies, defers or conditions it. Reading the text is all this can do: which files are attached is for an
attachment-based check (issue 12's evidence locker) to say, with `named` as the text's side of it.
Phrase lists: console/review/data/evidence.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from console.review.phrases import alternation, load

__all__ = ["Mention", "expected", "kind_of", "named"]

_CLAUSE = re.compile(r";|,\s*(?:but|however|although|though|while|whereas|as|since|and\s+(?:we|our|the|they|it))\b"
                     r"|\s(?:but|however|although|whereas)\s", re.I)


# "<the thing> is attached": the thing's last word (a noun the list may not know).
_SUBJECT = re.compile(r"([A-Za-z][\w'’-]{2,})\s+(?:\([^)]*\)\s+)?(?:is|are)\s+(?:also\s+)?(?:attached|enclosed|included|uploaded)\b",
                      re.I)


# "Attached our temperature test results and ...": what follows the verb, up to four words.
_OBJECT = re.compile(r"\b(?:attach(?:ed|ing)?|enclos(?:ed|ing)|upload(?:ed|ing)|submitted|please\s+find(?:\s+attached)?)\s+"
                     r"(?:(?:the|our|their|its|a|an|all|both|copies\s+of|a\s+copy\s+of|herewith)\s+)*"
                     r"((?:(?!and\b|of\b|from\b|for\b|with\b|which\b|that\b|to\b|in\b|on\b|dated\b|showing\b)"
                     r"[\w'’-]+\s*){1,4})", re.I)


@dataclass(frozen=True)
class Mention:
    document: str  # as written, lowercased ("invoices", "supplier details")
    clause: str  # the clause that provides it


@dataclass(frozen=True)
class _Lists:
    documents: re.Pattern[str]
    provided: re.Pattern[str]
    not_had: re.Pattern[str]
    expected: dict[str, str]


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    data = load("evidence")
    return _Lists(alternation([rf"\b{d}\b" for d in data["documents"]]), alternation(data["provided"]),
                  alternation(data["not_had"]), dict(data["expected"]))


def named(sentences, provided: tuple[bool, ...] | None = None) -> list[Mention]:
    """The documents the sentences say are provided, in order; `provided[i]` says that sentence i stands
    under an evidence heading ("Attachments:"), where being listed is being provided."""
    lists = _lists()
    out: list[Mention] = []
    seen: set[str] = set()
    for i, sentence in enumerate(sentences):
        listed = bool(provided and provided[i])
        for clause in _CLAUSE.split(sentence):
            if not (listed or lists.provided.search(clause)) or lists.not_had.search(clause):
                continue
            docs = [m.group() for m in lists.documents.finditer(clause)]
            if not docs and (m := _SUBJECT.search(clause) or _OBJECT.search(clause)):
                docs = [m.group(1)]  # whatever the text says is attached is a document of some kind
            for doc in (" ".join(d.lower().split()) for d in docs):
                if doc not in seen:
                    seen.add(doc)
                    out.append(Mention(doc, clause.strip()))
    return out


def kind_of(category: str) -> str | None:
    """What kind of documents a notification's cause asks for: authentic, ip, safety, restricted, or None."""
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


def expected(kind: str) -> str:
    return _lists().expected[kind]
