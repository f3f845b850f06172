"""Pull structured fields out of the text of one Amazon performance notification.

Pure and stdlib-only. `extract()` accepts any string without raising, and every
regex here runs in linear time, so a pasted megabyte is as safe as a short notice;
a cheap substring test on the lowercased text skips each scan that cannot match.
The fate, cause and severity come from the reading (console/core/reading.py: rules that are data, which
`[rules]` in the config extends); the fate is stored as `category`.

Speed (an import runs this once per message): Python's `re` tries a pattern that starts with `\b`
or a look-behind at every position of the text. For ASCII text (where the lowercased text lines up
with the original, character for character) each such pattern is instead tried only where one of
the words it must start with occurs, found with `str.find` (`_at`); the matches are exactly those
of `finditer`. Other text takes the plain scans.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from console.core.fates import why_json
from console.core.model import Extracted
from console.core.reading import Rules, load_rules, read, stated
from console.ingest.deadlines import deadline as _deadline
from console.ingest.scan import at, find_all

__all__ = ["Extracted", "extract", "extract_email"]
READ_LIMIT = 20_000  # characters of the body read for the fate: a notice says what happened long before


# --- header and subject -------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"(?:subject|from|to|date|cc|sent|reply-to)[ \t]*:", re.I)
_SUBJECT_LINE = re.compile(r"^[ \t]*subject[ \t]*:(.*)$", re.I | re.M)
# A greeting line: the word, at most six more words, then optional punctuation ("Dear Valued Seller,").
_GREETING = re.compile(
    r"(?:hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening))\b(?:[ \t]+[^\s,!.:]+){0,6}[ \t]*[,!.:]?",
    re.I,
)
_FORWARD_MARKER = re.compile(r"[-\s]*(?:begin )?(?:forwarded|original) message[-\s:]*", re.I)


def _split_header(text: str) -> str:
    """The text without its leading Subject:/From:/To:/Date: block, stripped."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and _HEADER_LINE.match(lines[i].lstrip()):
        i += 1
    return "".join(lines[i:]).strip()


def _subject(text: str, body: str) -> str:
    """The first Subject: line, else the body's first line that is not a greeting or a separator."""
    for m in _SUBJECT_LINE.finditer(text):
        if m.group(1).strip():
            return m.group(1).strip()[:200]
    for line in body.splitlines():
        line = line.strip()
        if (
            any(c.isalnum() for c in line)
            and not _GREETING.fullmatch(line)
            and not _FORWARD_MARKER.fullmatch(line)
            and not _HEADER_LINE.match(line)
        ):
            return line[:200]
    return ""


# --- identifiers --------------------------------------------------------------------------------

_ASIN = re.compile(r"(?<!\w)B0[A-Z0-9]{8}(?!\w)")
_ASIN_DIGITS = re.compile(r"\bASIN\s*:\s*(\d{9}[\dX])(?!\w)", re.I)  # ISBN-style ASINs only when labelled
_SKU = re.compile(r"(?<![\w-])(?:seller\s+sku|msku|sku)\s*:\s*([A-Za-z0-9._-]+)", re.I)
_ORDER_ID = re.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")
_COMPLAINT_ID = re.compile(
    r"\b(?:complaint|reference)\s+id\b\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9-]{0,63})(?![A-Za-z0-9-])", re.I
)


_ORDER_DASH = re.compile(r"-(?=\d{7}-\d{7})")  # the first dash of an order id: a literal, found fast


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _has_any(haystack: str, keywords: Iterable[str]) -> bool:
    """Whether any non-empty keyword occurs in the lowercased `haystack`."""
    return any(k and k.lower() in haystack for k in keywords)


def _contains_any(haystack: str, lowered: tuple[str, ...]) -> bool:
    """`_has_any` for keywords already lowercased and non-empty (see `_lowered`)."""
    return any(map(haystack.__contains__, lowered))


def _asins(flat: str, haystack: str, ascii_: bool = False) -> list[str]:
    found = [(m.start(), m.group(0)) for m in at(_ASIN, flat, find_all(flat, "B0"))] if "b0" in haystack else []
    if "asin" in haystack:
        digits = at(_ASIN_DIGITS, flat, find_all(haystack, "asin")) if ascii_ else _ASIN_DIGITS.finditer(flat)
        found += [(m.start(), m.group(1).upper()) for m in digits]
    return _unique(value for _, value in sorted(found))


def _skus(flat: str, haystack: str, ascii_: bool = False) -> list[str]:
    if "sku" not in haystack:
        return []
    # "seller sku", "msku" or "sku" (flat text has single spaces): each starts 7, 1 or 0 before a "sku".
    found = (at(_SKU, flat, (i - back for i in find_all(haystack, "sku") for back in (7, 1, 0))) if ascii_
             else _SKU.finditer(flat))
    return _unique(m.group(1).rstrip(".") for m in found)


def _order_ids(flat: str) -> list[str]:
    if "-" not in flat:
        return []
    return _unique(m.group(0) for m in at(_ORDER_ID, flat, (m.start() - 3 for m in _ORDER_DASH.finditer(flat))))


def _complaint_id(flat: str, haystack: str, ascii_: bool = False) -> str | None:
    if "complaint id" not in haystack and "reference id" not in haystack:
        return None
    found = (at(_COMPLAINT_ID, flat, find_all(haystack, "complaint id") + find_all(haystack, "reference id"))
             if ascii_ else _COMPLAINT_ID.finditer(flat))
    # The value must hold a digit, so "Complaint ID is below" does not yield "is".
    return next((m.group(1) for m in found if any(c.isdigit() for c in m.group(1))), None)


# --- policy -------------------------------------------------------------------------------------

_POLICY_WORD = re.compile(r"\bpolic(?:y|ies)\b", re.I)
_NAMED_POLICY = re.compile(r"\b(?:seller\s+)?code\s+of\s+conduct\b", re.I)
# The contract every deactivation cites ("... under the Business Solutions Agreement"): not the policy broken,
# so it is the policy only when no other is named.
_CONTRACT = re.compile(r"\bbusiness\s+solutions\s+agreement\b", re.I)
_WRAPPED = 60  # a line at least this long ends where the mail wrapped it: a name may go on below
_NAME_CONNECTORS = {"of", "and", "&", "for", "on"}
_NOT_NAME = {"the", "our", "your", "this", "that", "these", "a", "an", "amazon", "see", "per", "under", "read"}
_POLICY_CANDIDATES = 50  # a notice cites its policy early; this bounds the work on huge input


def _name_before(prefix: str) -> str | None:
    """The capitalised words (joined by of/and/&) that end `prefix`, e.g. "Restricted Products"."""
    taken: list[str] = []
    for word in reversed(prefix.split()[-8:]):
        if word.lower() in _NAME_CONNECTORS and taken:
            taken.append(word)
            continue
        plain = word.replace("-", "")
        if not (plain.isalnum() and word[0].isupper()) or word.lower() in _NOT_NAME or _POLICY_WORD.fullmatch(word):
            break
        taken.append(word)
    while taken and taken[-1].lower() in _NAME_CONNECTORS:
        taken.pop()
    return " ".join(reversed(taken)) if taken else None


def _policy(text: str, haystack: str) -> str | None:
    """The first policy cited by name in `text` (which keeps its line breaks). A name may run over a line
    the mail wrapped ("Intellectual\nProperty Policy"); the Business Solutions Agreement is the policy only
    when no other is named."""
    named = _NAMED_POLICY.search(text) if "code of conduct" in haystack else None
    if "polic" not in haystack:
        candidates: Iterable[re.Match[str]] = ()
    elif text.isascii():
        candidates = at(_POLICY_WORD, text, find_all(text.lower(), "polic"))
    else:
        candidates = _POLICY_WORD.finditer(text)
    for m in itertools.islice(candidates, _POLICY_CANDIDATES):
        if named and named.start() < m.start():
            break
        start = max(0, m.start() - 120)
        line_start = text.rfind("\n", start, m.start()) + 1
        if line_start:
            before = text.rfind("\n", start, line_start - 1) + 1
            if line_start - 1 - before >= _WRAPPED and text[before:line_start - 1].strip():
                line_start = before  # the line above was wrapped: the name may begin there
        name = _name_before(text[max(line_start, start) : m.start()])
        if name:
            return f"{name} {m.group(0)}"
    if named:
        return " ".join(named.group(0).split())
    contract = _CONTRACT.search(text) if "agreement" in haystack else None
    return " ".join(contract.group(0).split()) if contract else None


# --- action taken -------------------------------------------------------------------------------

# Most consequential first: a deactivation notice usually also says listings were removed.
# Each label's regex runs only when one of its anchor words is in the text.
_ACTIONS = tuple(
    (label, anchors, re.compile(pattern, re.I))
    for label, anchors, pattern in (
        (
            "account deactivated",
            ("deactivated", "suspended"),
            r"\bdeactivated your (?:selling )?account\b|\bsuspended your (?:selling )?account\b"
            r"|\baccount (?:has been|was|is now|is) (?:deactivated|suspended)\b",
        ),
        (
            "selling privileges removed",
            ("privileges",),
            r"\bselling privileges (?:have been|were|are) (?:removed|revoked|suspended)\b"
            r"|\b(?:removed|revoked|suspended) your selling privileges\b",
        ),
        (
            "account restricted",
            ("restricted",),
            r"\brestricted your (?:ability|account)\b|\baccount (?:has been|is) restricted\b",
        ),
        (
            "funds held",
            ("funds",),
            r"\bfunds (?:are |have been |were |will be )?(?:held|on hold)\b"
            r"|\b(?:hold|held|holding) (?:on )?your funds\b",
        ),
        (
            "listing removed",
            ("removed",),
            r"\bwe (?:have )?removed\b|\blistings? (?:has been |have been |were |was |are |is )?removed\b"
            r"|\b(?:has|have) been removed\b",
        ),
        ("listing suppressed", ("suppressed",), r"\bsuppressed\b"),
    )
)


_ACTION_REACH = 64  # every action phrase is shorter: a match holding an anchor lies within this of it
_ACTION_WINDOWS = 50  # windows searched before one scan of the whole text is cheaper
_NON_WORD = re.compile(r"\W")


def _action_matches(pattern: re.Pattern[str], flat: str, haystack: str, anchors: tuple[str, ...], ascii_: bool):
    """The matches of `pattern` in `flat`. Every match holds one of its anchor words, so for ASCII text only
    a window around each anchor is searched. A window ends just before a character that is not a word
    character (or at the end of the text), where a word boundary reads the same as at the end of a string;
    when there is none near, or there are many anchors, the whole text is scanned once instead."""
    if not ascii_:
        yield from pattern.finditer(flat)
        return
    starts = sorted(i for anchor in anchors for i in find_all(haystack, anchor))
    if len(starts) > _ACTION_WINDOWS:
        yield from pattern.finditer(flat)
        return
    for i in starts:
        end = i + 2 * _ACTION_REACH
        if end < len(flat):
            boundary = _NON_WORD.search(flat, end, end + _ACTION_REACH)
            if boundary is None:
                yield from pattern.finditer(flat)
                return
            end = boundary.start()
        yield from pattern.finditer(flat, max(0, i - _ACTION_REACH), end)


_SENTENCE_END = (". ", "! ", "? ", "。")


def _stated_action(flat: str, m: re.Match[str], rules: Rules) -> bool:
    """The action is stated in its sentence: "your funds will be held" in "If we do not receive it, your account
    may be deactivated and your funds held" is a threat, not an action taken."""
    lo = max(flat.rfind(mark, 0, m.start()) for mark in _SENTENCE_END)
    lo = 0 if lo < 0 else lo + 2
    ends = [i for i in (flat.find(mark, m.end()) for mark in _SENTENCE_END) if i >= 0]
    hi = min(ends) + 1 if ends else len(flat)
    return stated(rules, flat[lo:hi], m.start() - lo, m.end() - lo)


def _action_taken(flat: str, haystack: str, ascii_: bool = False, rules: Rules | None = None) -> str | None:
    """The most consequential action the notice states was taken (a threatened one is not)."""
    rules = rules or load_rules()
    for label, anchors, pattern in _ACTIONS:
        # For ASCII text _action_matches looks for the anchors itself (none found: no window, no match).
        if not (ascii_ or _contains_any(haystack, anchors)):
            continue
        if any(_stated_action(flat, m, rules) for m in _action_matches(pattern, flat, haystack, anchors, ascii_)):
            return label
    return None


# --- marketplace --------------------------------------------------------------------------------

_MARKET_CODES = {
    "US", "CA", "MX", "BR", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "TR",
    "AE", "SA", "EG", "IN", "JP", "AU", "SG", "IE", "ZA",
}  # fmt: skip
_DOMAINS = {
    "com.au": "AU", "com.br": "BR", "com.mx": "MX", "com.tr": "TR", "com.be": "BE",
    "co.uk": "UK", "co.jp": "JP", "co.za": "ZA", "ca": "CA", "de": "DE", "fr": "FR",
    "it": "IT", "es": "ES", "nl": "NL", "se": "SE", "pl": "PL", "in": "IN", "ae": "AE",
    "sa": "SA", "eg": "EG", "sg": "SG", "ie": "IE", "com": "US",
}  # fmt: skip
_MARKET_LABEL = re.compile(r"\b(?i:marketplace)\s*:\s*([A-Z]{2})\b")  # the code itself in capitals
# sellercentral-europe.amazon.com serves every European marketplace, so it names none.
_DOMAIN = re.compile(
    r"(?<![\w-])(?<!europe\.)amazon\.(" + "|".join(map(re.escape, sorted(_DOMAINS, key=len, reverse=True)))
    + r")(?![\w-]|\.\w)",
    re.I,
)  # fmt: skip


def _marketplace(text: str) -> str | None:
    """A "Marketplace: XX" label, else the first national Amazon domain, else amazon.com as US."""
    lowered = text.lower()
    ascii_ = text.isascii()
    labels = (() if "marketplace" not in lowered else
              at(_MARKET_LABEL, text, find_all(lowered, "marketplace")) if ascii_ else _MARKET_LABEL.finditer(text))
    for m in labels:
        code = m.group(1).replace("GB", "UK")
        if code in _MARKET_CODES:
            return code
    found_us = False
    domains = (() if "amazon." not in lowered else
               at(_DOMAIN, text, find_all(lowered, "amazon.")) if ascii_ else _DOMAIN.finditer(text))
    for m in domains:
        code = _DOMAINS[m.group(1).lower()]
        if code != "US":  # amazon.com also appears in shared sender addresses, so national domains win
            return code
        found_us = True
    return "US" if found_us else None


# --- the whole notice -------------------------------------------------------------------------


def extract(text: str, received_at: datetime, rules: Rules | None = None) -> Extracted:
    """Extract the fields of one notice; `received_at` (aware UTC) anchors relative deadlines. `rules`:
    the reading rules (default: the shipped ones; `Config.rules()` adds the config's)."""
    text = text or ""
    body = _split_header(text)
    return _extract(text, _subject(text, body), body, received_at, rules)


_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # where str.splitlines breaks


def extract_email(
    subject: str,
    text: str,
    received_at: datetime,
    rules: Rules | None = None,
    flat_text: str | None = None,
) -> Extracted:
    """`extract(f"Subject: {subject}\\n\\n{text}", ...)` for an email, without looking for its subject and
    body again: a one-line subject is the first Subject: line and ends the header block, so the body is
    the text. `flat_text`: `" ".join(text.split())`, when already made."""
    full = f"Subject: {subject}\n\n{text}"
    if not subject.strip() or _LINE_BREAK.search(subject):
        return extract(full, received_at, rules)
    subject = subject.strip()[:200]
    flat = None
    if flat_text is not None:  # " ".join(f"{subject}\n{body}".split()), from its two halves
        flat = " ".join(subject.split()) + (" " + flat_text if flat_text else "")
    return _extract(full, subject, text.strip(), received_at, rules, flat)


def _extract(
    text: str,
    subject: str,
    body: str,
    received_at: datetime,
    rules: Rules | None,
    flat: str | None = None,
) -> Extracted:
    if received_at.tzinfo is None:  # documented as aware UTC; a naive value is taken as UTC
        received_at = received_at.replace(tzinfo=UTC)
    received_at = received_at.astimezone(UTC)
    content = f"{subject}\n{body}"
    if flat is None:
        flat = " ".join(content.split())
    haystack = flat.lower()
    ascii_ = flat.isascii()  # then haystack lines up with flat, position for position
    deadline_at, deadline_text = _deadline(flat, received_at, haystack if ascii_ else None)
    hours = (deadline_at - received_at).total_seconds() / 3600 if deadline_at is not None else None
    reading = read(subject, body[:READ_LIMIT], rules or load_rules(), deadline_hours=hours)
    return Extracted(
        subject=subject,
        body=body,
        asins=_asins(flat, haystack, ascii_),
        skus=_skus(flat, haystack, ascii_),
        order_ids=_order_ids(flat),
        complaint_id=_complaint_id(flat, haystack, ascii_),
        policy=_policy(content, haystack),
        deadline_at=deadline_at,
        deadline_text=deadline_text,
        action_taken=_action_taken(flat, haystack, ascii_, rules),
        category=reading.fate,
        severity=reading.severity,
        marketplace=_marketplace(text),
        cause=reading.cause,
        why=why_json(reading, deadline_text),
    )
