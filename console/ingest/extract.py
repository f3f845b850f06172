"""Pull structured fields out of the text of one Amazon performance notification.

Pure and stdlib-only. `extract()` accepts any string without raising, and every
regex here runs in linear time, so a pasted megabyte is as safe as a short notice;
a cheap substring test on the lowercased text skips each scan that cannot match.
Categories and severity keywords are data (`CategoryRule`, a level -> keywords
mapping) so that config can extend or replace them.

Speed (an import runs this once per message): Python's `re` tries a pattern that starts with `\b`
or a look-behind at every position of the text. For ASCII text (where the lowercased text lines up
with the original, character for character) each such pattern is instead tried only where one of
the words it must start with occurs, found with `str.find` (`_at`); the matches are exactly those
of `finditer`. Other text takes the plain scans.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

from console.core.model import Extracted
from console.core.rules import (
    DEFAULT_CATEGORIES,
    DEFAULT_SEVERITY_RULES,
    SEVERITIES,
    CategoryRule,
)

__all__ = ["DEFAULT_CATEGORIES", "DEFAULT_SEVERITY_RULES", "SEVERITIES", "CategoryRule", "Extracted", "extract",
           "extract_email"]


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


def _find_all(haystack: str, word: str) -> list[int]:
    """Every position where `word` starts in `haystack` (overlapping ones too)."""
    found = []
    i = haystack.find(word)
    while i >= 0:
        found.append(i)
        i = haystack.find(word, i + 1)
    return found


def _at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only at `starts`: every position where a match can begin.

    A match tried at a position sees the text before it (for `\b` and look-behinds) just as a scan does,
    and the scan resumes after each match, so the matches are the same ones, in the same order."""
    end = 0
    for start in sorted(set(starts)):
        if start >= end and start >= 0:
            m = pattern.match(text, start)
            if m:
                end = m.end()
                yield m


def _asins(flat: str, haystack: str, ascii_: bool = False) -> list[str]:
    found = [(m.start(), m.group(0)) for m in _at(_ASIN, flat, _find_all(flat, "B0"))] if "b0" in haystack else []
    if "asin" in haystack:
        digits = _at(_ASIN_DIGITS, flat, _find_all(haystack, "asin")) if ascii_ else _ASIN_DIGITS.finditer(flat)
        found += [(m.start(), m.group(1).upper()) for m in digits]
    return _unique(value for _, value in sorted(found))


def _skus(flat: str, haystack: str, ascii_: bool = False) -> list[str]:
    if "sku" not in haystack:
        return []
    # "seller sku", "msku" or "sku" (flat text has single spaces): each starts 7, 1 or 0 before a "sku".
    found = (_at(_SKU, flat, (i - back for i in _find_all(haystack, "sku") for back in (7, 1, 0))) if ascii_
             else _SKU.finditer(flat))
    return _unique(m.group(1).rstrip(".") for m in found)


def _order_ids(flat: str) -> list[str]:
    if "-" not in flat:
        return []
    return _unique(m.group(0) for m in _at(_ORDER_ID, flat, (m.start() - 3 for m in _ORDER_DASH.finditer(flat))))


def _complaint_id(flat: str, haystack: str, ascii_: bool = False) -> str | None:
    if "complaint id" not in haystack and "reference id" not in haystack:
        return None
    found = (_at(_COMPLAINT_ID, flat, _find_all(haystack, "complaint id") + _find_all(haystack, "reference id"))
             if ascii_ else _COMPLAINT_ID.finditer(flat))
    # The value must hold a digit, so "Complaint ID is below" does not yield "is".
    return next((m.group(1) for m in found if any(c.isdigit() for c in m.group(1))), None)


# --- policy -------------------------------------------------------------------------------------

_POLICY_WORD = re.compile(r"\bpolic(?:y|ies)\b", re.I)
_NAMED_POLICY = re.compile(r"\b(?:seller\s+)?code\s+of\s+conduct\b|\bbusiness\s+solutions\s+agreement\b", re.I)
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
    """The first policy cited by name in `text` (which keeps its line breaks)."""
    named = _NAMED_POLICY.search(text) if "code of conduct" in haystack or "agreement" in haystack else None
    if "polic" not in haystack:
        candidates: Iterable[re.Match[str]] = ()
    elif text.isascii():
        candidates = _at(_POLICY_WORD, text, _find_all(text.lower(), "polic"))
    else:
        candidates = _POLICY_WORD.finditer(text)
    for m in itertools.islice(candidates, _POLICY_CANDIDATES):
        if named and named.start() < m.start():
            break
        line_start = text.rfind("\n", max(0, m.start() - 120), m.start()) + 1
        name = _name_before(text[max(line_start, m.start() - 120) : m.start()])
        if name:
            return f"{name} {m.group(0)}"
    return " ".join(named.group(0).split()) if named else None


# --- deadline -----------------------------------------------------------------------------------
# Deadline regexes run on whitespace-flattened text, so a single space separates words.

_UNITS = {"hour": timedelta(hours=1), "hr": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
_UNIT = r"(?:business |calendar )?(?P<unit>hours?|hrs?|days?|weeks?)\b"
_RELATIVE = (
    re.compile(rf"\b(?:within|in) (?:the next )?(?P<n>\d{{1,4}})[ -]{_UNIT}", re.I),
    re.compile(
        rf"\b(?:(?:beginning|starting) )?(?P<n>\d{{1,4}}) {_UNIT} (?:from|after) "
        r"(?:today|now|the date of this (?:notice|notification|email|message))",
        re.I,
    ),
    re.compile(rf"\byou have (?P<n>\d{{1,4}}) {_UNIT}", re.I),
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_ZONES = {"utc": 0, "gmt": 0, "pst": -8, "pdt": -7, "est": -5, "edt": -4, "cet": 1, "cest": 2, "bst": 1, "jst": 9}
_EXPLICIT = re.compile(
    r"\b(?:on or before|no later than|not later than|before|by|you have until|deadline:?|due(?: on| by| date:?)?) "
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
    r"(?:(?P<m1>" + _MONTH + r") ?(?P<d1>\d{1,2})(?:st|nd|rd|th)?,? ?(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)? (?:of )?(?P<m2>" + _MONTH + r"),? ?(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2}))(?!\d)"
    r"(?:,? (?:at )?(?P<hh>\d{1,2}):(?P<mm>\d{2})(?: ?(?P<ampm>[ap])\.?m\b\.?)?"
    r"(?: (?P<tz>" + "|".join(_ZONES) + r")\b)?)?",
    re.I,
)
_DEADLINE_CANDIDATES = 200  # per pattern: bounds the work on huge input; real notices state a few
# A word just before the phrase that makes it describe something else ("invoices dated before ...").
# ("the last 365 days" needs no entry: no deadline pattern accepts "last" before the number.)
_NOT_A_DEADLINE = re.compile(  # searched in the lowercased text before a candidate
    r"\b(?:dated|issued|placed|purchased|shipped|ordered|created|period"
    r"|ausgestellt|datiert|émises?|datées?|emess[ei]|datat[ei]|emitidas?|fechadas?)\W*\Z"
    r"|(?:過去|直近)\s?\Z"  # "過去365日以内" = "within the past 365 days"
)


def _explicit_deadline(m: re.Match[str]) -> datetime:
    """The moment an explicit-date match names: its time if given, else 23:59:59 UTC that day."""
    if m["y3"]:
        year, month, day = int(m["y3"]), int(m["m3"]), int(m["d3"])
    else:
        year = int(m["y1"] or m["y2"])
        month = _MONTHS[(m["m1"] or m["m2"]).rstrip(".").lower()]
        day = int(m["d1"] or m["d2"])
    if not m["hh"]:
        return datetime(year, month, day, 23, 59, 59, tzinfo=UTC)
    hour = int(m["hh"])
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    zone = timezone(timedelta(hours=_ZONES[m["tz"].lower()])) if m["tz"] else UTC
    return datetime(year, month, day, hour, int(m["mm"]), tzinfo=zone).astimezone(UTC)


_RELATIVE_IN = re.compile(r"in (?:the next )?\d")  # where "in 3 days" / "within the next 3 days" can start
_RELATIVE_FROM = ("from today", "from now", "from the date of this", "after today", "after now",
                  "after the date of this")
_NUMBER_OR_LEAD = re.compile(r"\d+|beginning |starting ")  # where "... days from today" can start


# Where an explicit date can start: a fixed distance before one of these words ("on or before" 6 before
# "before ", "no later than" 3 and "not later than" 4 before "later than ", "you have until" 9 before "until ").
_EXPLICIT_WORDS = (("before ", (6, 0)), ("later than ", (4, 3)), ("until ", (9,)), ("by ", (0,)),
                   ("deadline", (0,)), ("due ", (0,)))


def _deadline_starts(pattern: re.Pattern[str], haystack: str) -> list[int]:
    """Every position in the lowercased (ASCII) text where `pattern` can start a match."""
    if pattern is _RELATIVE[0]:  # "within ..." or "in ..."
        return [m.start() - back for m in _RELATIVE_IN.finditer(haystack) for back in (4, 0)]
    if pattern is _RELATIVE[1]:  # "[beginning] 7 [business] days from today": at most 30 before its ending
        if "today" not in haystack and " now" not in haystack and "date of this" not in haystack:
            return []  # no ending it could have
        ends = [i for word in _RELATIVE_FROM for i in _find_all(haystack, word)]
        return [m.start() for i in ends for m in _NUMBER_OR_LEAD.finditer(haystack, max(0, i - 40), i)]
    if pattern is _RELATIVE[2]:
        return _find_all(haystack, "you have ")
    starts: list[int] = []
    for word, backs in _EXPLICIT_WORDS:
        i = haystack.find(word)
        while i >= 0:
            starts.extend(i - back for back in backs)
            i = haystack.find(word, i + 1)
    return starts


# The marketplace languages: German, French, Italian, Spanish and Japanese. These patterns run as plain scans,
# and only when the text passes `_FOREIGN_GATE` (one quick scan, which English mail nearly always fails) and
# holds one of the pattern's keywords (every match of the pattern holds one, so neither test loses a match).
# Relative patterns give n and one of dy / hr / wk; explicit ones a day, month and year (d mon y by name, d2 m2 y2
# in numbers) and maybe hh mm tz. Day-first numeric dates (12.12.2026, 12/12/2026) are read only here, after
# these languages' words: an English "by 12/11/2026" stays unread.


def _units(day: str, hour: str, week: str, end: str = r"(?!\w)") -> str:
    return rf"(?:(?P<dy>{day})|(?P<hr>{hour})|(?P<wk>{week})){end}"


_DIGIT = "[0-9０-９]"  # the digits the other languages' patterns read (int() reads the full-width ones too)
_FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jänner", "janvier", "gennaio", "enero"),
            ("februar", "février", "fevrier", "febbraio", "febrero"),
            ("märz", "maerz", "mars", "marzo"),
            ("april", "avril", "aprile", "abril"),
            ("mai", "maggio", "mayo"),
            ("juni", "juin", "giugno", "junio"),
            ("juli", "juillet", "luglio", "julio"),
            ("august", "août", "aout", "agosto"),
            ("september", "septembre", "settembre", "septiembre", "setiembre"),
            ("oktober", "octobre", "ottobre", "octubre"),
            ("november", "novembre", "noviembre"),
            ("dezember", "décembre", "decembre", "dicembre", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
_FOREIGN_MONTH = "(?P<mon>" + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True)) + r")(?!\w)"
_FOREIGN_ZONES = {**_ZONES, "mez": 1, "mesz": 2, "日本時間": 9}
_NUMERIC = r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})"  # day first
# ", um 17:00 Uhr MEZ", " à 17h00", " alle ore 17:00", " a las 17:00 (CET)"
_TIME = (r"(?:,? (?:um |à |alle |alle ore |ore |a las |a la )?(?P<hh>\d{1,2})[:h](?P<mm>\d{2})(?: ?uhr)?"
         r"(?: \(?(?P<tz>utc|gmt|mez|mesz|cet|cest)\)?)?)?")
_FOREIGN = tuple(
    (lang, kind, keywords, re.compile(pattern.replace(r"\d", _DIGIT), re.I))
    for lang, kind, keywords, pattern in (
        # German: "innerhalb von 17 Tagen", "binnen 72 Stunden", "in den nächsten 5 Werktagen"
        ("de", "relative", ("tag", "stund", "std", "woch"),
         r"\b(?:innerhalb (?:von |der nächsten |der naechsten )?|binnen |in (?:den nächsten |den naechsten )?)"
         r"(?P<n>\d{1,4}) "
         + _units(r"(?:werk|arbeits|kalender|geschäfts|geschaefts)?tag(?:en?)?", r"stunden?|std\.?", r"wochen?")),
        # "bis zum 12. Dezember 2026", "spätestens am 12.12.2026", "bis Freitag, den 11.12.2026"
        ("de", "explicit", ("bis ", "spätestens", "spaetestens", "vor dem ", "später als"),
         r"\b(?:bis (?:spätestens |spaetestens )?(?:zum |am )?|(?:spätestens|spaetestens) (?:bis (?:zum )?|am |zum )?"
         r"|vor dem |nicht später als (?:am |dem )?)"
         r"(?:(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag),? (?:den )?)?"
         r"(?:(?P<d>\d{1,2})\. ?" + _FOREIGN_MONTH + r" (?P<y>\d{4})"
         r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))(?!\d)" + _TIME),
        # French: "sous 17 jours", "dans un délai de 17 jours", "dans les 48 heures", "sous 48h"
        ("fr", "relative", ("jour", "heure", "semaine", "sous ", "dans ", "d'ici", "d’ici"),
         r"\b(?:sous|dans(?: un d[ée]lai(?: maximum| maximal)? de| les)?|d['’]ici) (?P<n>\d{1,4})(?: |(?=h(?!\w)))"
         + _units(r"jours?(?: ouvrés| ouvres| ouvrables| calendaires| francs)?", r"heures?|h", r"semaines?")),
        # "d'ici le 12 décembre 2026", "avant le 12/12/2026", "au plus tard le 1er décembre 2026"
        ("fr", "explicit", ("avant le", "d'ici", "d’ici", "au plus tard", "jusqu"),
         r"\b(?:avant le |d['’]ici (?:le |au )?|au plus tard (?:le )?|jusqu['’]au )"
         r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),? )?"
         r"(?:(?P<d>\d{1,2})(?:er)? " + _FOREIGN_MONTH + r" (?P<y>\d{4})|" + _NUMERIC + r")(?!\d)"
         + _TIME),
        # Italian: "entro 17 giorni", "entro 72 ore", "nei prossimi 5 giorni lavorativi"
        ("it", "relative", ("giorn", "ore", "ora", "settiman"),
         r"\b(?:entro(?: i prossimi| le prossime)?|nei prossimi|nelle prossime|tra|fra) (?P<n>\d{1,4}) "
         + _units(r"giorn[io](?: lavorativ[io]| di calendario| solari)?", r"or[ae]", r"settiman[ae]")),
        # "entro il 12 dicembre 2026", "entro l'11 dicembre 2026", "prima del 12/12/2026"
        ("it", "explicit", ("entro", "prima del", "non oltre"),
         r"\b(?:entro (?:e non oltre )?(?:il |l['’])?|prima (?:del |dell['’])|non oltre (?:il |l['’])?)"
         r"(?:(?:lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato"
         r"|domenica),? )?"
         r"(?:(?P<d>\d{1,2})(?:°|º)? " + _FOREIGN_MONTH + r" (?P<y>\d{4})|" + _NUMERIC + r")(?!\d)"
         + _TIME),
        # Spanish: "en un plazo de 17 días", "dentro de 17 días", "en las próximas 72 horas"
        ("es", "relative", ("día", "dia", "hora", "semana"),
         r"\b(?:en un plazo(?: máximo| maximo)? de|dentro de(?: los| las)?(?: próximos| proximos| próximas"
         r"| proximas)?|en (?:los|las) (?:próximos|proximos|próximas|proximas)|en) (?P<n>\d{1,4}) "
         + _units(r"d[íi]as?(?: hábiles| habiles| naturales| laborables| calendario)?", r"horas?", r"semanas?")),
        # "antes del 12 de diciembre de 2026", "a más tardar el 12/12/2026"
        ("es", "explicit", ("antes de", "tardar", "hasta el", "más tarde", "mas tarde", "como máximo", "como maximo"),
         r"\b(?:antes del? |a m[áa]s tardar (?:el )?|hasta el |no m[áa]s tarde del? |como m[áa]ximo el )"
         r"(?:(?:lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo),? )?(?:d[íi]a )?"
         r"(?:(?P<d>\d{1,2}) de " + _FOREIGN_MONTH + r"(?: de|,)? (?P<y>\d{4})|" + _NUMERIC + r")(?!\d)"
         + _TIME),
        # Japanese: "17日以内", "72時間以内", "5営業日以内", "2週間以内" (not the "4" of "2～4日以内")
        ("ja", "relative", ("以内",),
         r"(?<![0-9０-９.．\-–—~～〜月])(?P<n>\d{1,4}) ?" + _units(r"(?:営業|稼働|暦)?日間?", "時間", "週間", "以内")),
        # "2026年12月12日までに", "2026年12月12日（土）17:00（日本時間）まで"
        ("ja", "explicit", ("まで", "以前"),
         r"(?<!\d)(?P<y2>\d{4}) ?年 ?(?P<m2>\d{1,2}) ?月 ?(?P<d2>\d{1,2}) ?日"
         r"(?: ?[（(][月火水木金土日](?:曜日?)?[)）])?(?: ?(?P<hh>\d{1,2})[:：時](?P<mm>\d{2})分?)?"
         r"(?: ?[（(]?(?P<tz>日本時間|jst)[)）]?)? ?(?:までに|まで|以前)"),
    )
)


def _foreign_deadline(kind: str, m: re.Match[str], received_at: datetime) -> datetime:
    """The moment a match of one of `_FOREIGN` names (explicit: 23:59:59 UTC that day when it gives no time)."""
    g = m.groupdict()
    if kind == "relative":
        unit = timedelta(days=1) if g["dy"] else timedelta(hours=1) if g["hr"] else timedelta(weeks=1)
        return received_at + int(g["n"]) * unit  # business days as calendar days, as in English
    if g.get("y2"):
        year, month, day = int(g["y2"]), int(g["m2"]), int(g["d2"])
    else:
        year, month, day = int(g["y"]), _FOREIGN_MONTHS[g["mon"].lower()], int(g["d"])
    if not g.get("hh"):
        return datetime(year, month, day, 23, 59, 59, tzinfo=UTC)
    zone = timezone(timedelta(hours=_FOREIGN_ZONES[g["tz"].lower()])) if g.get("tz") else UTC
    return datetime(year, month, day, int(g["hh"]), int(g["mm"]), tzinfo=zone).astimezone(UTC)


# --- whose timeline: the seller's deadline, or Amazon's own ("we will reply within 2 business days") ---
# A candidate is judged on its own sentence: up to _CONTEXT characters before it, back to the sentence start
# (". ", "? ", "! ", ";", "。"), and after it to the end of its clause. In the part before it only the words
# after the last seller cue count ("please", "you must", "if you", "bitte", "veuillez", "ください" ...: what
# follows is the seller's task), so "please note that we will reply within 2 days" is still Amazon's.
# Each language has its own cues, matched against lowercased text (no re.I: faster on these short strings).

_CONTEXT = 80
_SENTENCE_ENDS = (". ", "? ", "! ", ";", "。", "！", "？")
_SENTENCE_END = re.compile(r"[.?!](?= )|[;。！？]")
_CLAUSE_MARK = re.compile(r"[,:、，]")
_CLAUSE_END = re.compile(r"[,:、，]| [-–—] |\b(?:so that|in order to|damit|sodass|so dass|afin que|pour que|affinché"
                         r"|perché|para que)\b|場合")
# Just before the number: "after 90 days", "allow 3 business days", "up to 5 days", "2-4 days", "2 to 4 days".
_NOT_SELLER_LEAD = re.compile(
    r"(?:\b(?:after|allow|wait|up to|nach|après|apres|dopo|después de|despues de|tras)\s?"
    r"|\d ?(?:[-–—~～〜]|to|or|and|bis|oder|und|à|ou|et|a|o|y|e) ?)\Z"
)
# A date just before an explicit one of the other languages makes the two a period ("vom 26.10.2026 bis
# 01.11.2026", "del 1 de octubre hasta el 31 de octubre de 2026"), not a deadline.
_DATE_JUST_BEFORE = re.compile(
    r"(?<!\d)(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.\d{1,2}\.?|\d{1,2}(?:\.|er|°|º)? (?:de )?"
    + _FOREIGN_MONTH + r"(?:,? (?:de )?\d{4})?)[.,]? ?\Z",
    re.I,
)
# Per language: its seller cues; its Amazon-side phrases (looked for in the words after the last cue and the rest
# of the clause); phrases that count only after the candidate; and (English) words one of which every Amazon-side
# phrase holds, so that the phrases are looked for only when one of them is there.
_LANGUAGES = {
    lang: (re.compile(seller), re.compile(amazon), re.compile(after) if after else None, triggers)
    for lang, seller, amazon, after, triggers in (
        (
            "en",
            r"\b(?:please|kindly|must|requir\w*|ask(?:s|ed)?|need(?:s|ed)? to|have to|if you|unless you"
            r"|you (?:should|can|may|will need|need|are required|have))\b",
            # "we will reply", "our team will respond", "we will review your information", "your funds will be
            # available", "the listings will be reviewed", "you will receive a response", "usually", "it takes"
            r"\b(?:we(?:['’](?:ll|re))?|amazon|seller (?:support|performance)(?: team)?"
            r"|our (?:[\w-]+ ){0,2}?(?:team|teams|review|reviewers?|specialists?|staff|investigators?)"
            r"|the (?:[\w-]+ )?(?:review|investigation)|(?:your |the )?funds)"
            r"(?: (?!you\b|sellers?\b)[\w'’-]+){0,5}? "
            r"(?:repl(?:y|ies|ied)|respond|answer|review|contact|get back|gets back|process|complete|investigate"
            r"|notif(?:y|ies)|inform|let you know|reinstate|reactivate|release|restore|transfer|disburse|refund"
            r"|follow up|reach out|e-?mail you|send you|decide|evaluate|assess|look into|update you|finish|conclude"
            r"|be available|become available|be released|be disbursed|be transferred|be paid|be credited"
            r"|be returned)(?:s|es|d|ed)?\b"
            r"|\b(?:will|['’]ll|would|should|can|may|usually|typically|generally|normally)(?: \w+)? (?:be|get) "
            r"(?:reviewed|processed|completed|reactivated|reinstated|restored|released|answered|refunded|disbursed"
            r"|transferred|credited|evaluated|investigated|contacted|available|notified|paid)\b"
            r"|\byou(?:['’]ll| will| should| can expect to| may| can| would)(?: \w+)? (?:receive|hear|get)\b"
            r"|\bexpect (?:a |an |our )?(?:reply|response|answer|decision)\b"
            r"|\b(?:usually|typically|generally|normally|on average|in most cases)\b"
            r"|\b(?:takes|took|(?:may|can|could|might|will|would|should|usually|typically|generally|normally) take)\b"
            r"|\bdisburse",
            None,
            ("we", "amazon", "seller", "our", "review", "investigation", "funds", "be ", "get ", "you'", "you’",
             "you will", "you should", "you can", "you may", "you would", "expect", "usually", "typically",
             "generally", "normally", "average", "most cases", "take", "took", "disburse"),
        ),
        (
            "de",
            r"\b(?:bitte|bitten|müssen|muessen|fordern|wenn sie|falls sie|sollten sie|benötigen|erforderlich)\b",
            # "wir antworten", "wir werden Ihre Unterlagen ... prüfen", "antworten wir", "erhalten Sie eine Antwort"
            r"\bwir\b(?: [\w'’-]+){0,6}? (?:antwort|meld|prüf|pruef|überprüf|bearbeit|kontaktier|informier"
            r"|benachrichtig|entscheid|reaktivier|zurückmeld)\w*"
            r"|\b(?:antworten|melden|prüfen|überprüfen|bearbeiten|kontaktieren|informieren|benachrichtigen"
            r"|entscheiden) wir\b"
            r"|\b(?:erhalten|bekommen) sie (?:eine |unsere )?(?:antwort|rückmeldung|entscheidung|nachricht)"
            r"|\b(?:geprüft|überprüft|bearbeitet|reaktiviert|freigegeben|ausgezahlt|beantwortet|verfügbar)\b"
            r"|\bdauer[nt]\b|\bin der regel\b|\bnormalerweise\b|\büblicherweise\b|\bauszahlung",
            None,
            None,
        ),
        (
            "fr",
            r"\b(?:veuillez|vous devez|merci de|demandons|si vous|à défaut)\b",
            # "nous vous répondrons", "nous examinerons", "vous recevrez une réponse", "sera traité", "prend"
            r"\bnous\b(?: [\w'’-]+){0,4}? (?:répond|repond|reviendr|recontact|contacter|examiner|vérifier|verifier"
            r"|traiter|informer|communiquer|étudier|etudier|analyser|réactiver|reactiver)\w*"
            r"|\bvous recevrez (?:une |notre )?(?:réponse|reponse|décision|decision)"
            r"|\bser(?:a|ont) (?:examiné|traité|réactivé|vérifié|disponible|versé)\w*"
            r"|\bprend(?:ra|ront|re|nent)?\b|\bg[ée]n[ée]ralement\b|\bhabituellement\b|\ben général\b"
            r"|\bnormalement\b|\bversement|\bdécaissement",
            None,
            None,
        ),
        (
            "it",
            r"\b(?:ti preghiamo|ti chiediamo|chiediamo|devi|deve|è necessario|se non|si prega|per favore)\b",
            # "risponderemo", "ti contatteremo", "riceverai una risposta", "verrà completata", "di solito"
            r"\b(?:risponder|contatter|ricontatter|esaminer|verificher|valuter|comunicher|analizzer|elaborer|invier"
            r"|riattiver|far)emo\b"
            r"|\briceverai (?:una |la nostra )?(?:risposta|decisione)"
            r"|\b(?:verr[àa]|sar[àa]) (?:completat|esaminat|elaborat|riattivat|disponibil|verificat)\w*"
            r"|\b(?:pu[òo]|possono|potrebbe|potrebbero) (?:richiedere|volerci|impiegare)\b|\bimpiega\b"
            r"|\bdi solito\b|\bsolitamente\b|\bgeneralmente\b|\bin genere\b|\berogazion",
            None,
            None,
        ),
        (
            "es",
            r"\b(?:por favor|debe|debes|deberá|si no|le pedimos|le rogamos|es necesario)\b",
            # "le responderemos", "nos pondremos en contacto", "recibirá una respuesta", "será revisada", "tarda"
            r"\b(?:responder|contactar|revisar|examinar|comunicar|evaluar|analizar|procesar|enviar|informar"
            r"|reactivar|pondr)emos\b"
            r"|\brecibir[áa] (?:una |nuestra )?respuesta"
            r"|\bser[áa]n? (?:revisad|procesad|reactivad|evaluad|examinad|disponible)\w*"
            r"|\b(?:tarda|tardan|tardará|tardarán|tardar|puede llevar)\b|\bpor lo general\b|\bhabitualmente\b"
            r"|\bdesembolso",
            None,
            None,
        ),
        (
            "ja",
            "ください|お願い|必要が|必要です",
            "通常",  # "usually"
            # The verb comes after the deadline: "2営業日以内にご連絡します" (we will contact you), "かかります"
            # (it takes); "365日以内に発行された請求書" (invoices issued within 365 days) is no deadline either.
            r"(?:いた)?します|かかります|かかる|要します|予定です|\A ?(?:に|の間に)?(?:発行|購入|作成|注文|出荷)",
            None,
        ),
    )
}


def _clause_after(flat: str, end: int, starts_clause: bool, seller: re.Pattern[str]) -> str:
    """The rest of the candidate's clause, lowercased, up to a seller cue (past a comma when the candidate
    starts its clause)."""
    after = flat[end : end + _CONTEXT].lower()
    if starts_clause:
        after = after.lstrip(" ,:、，")
    for stop in (_SENTENCE_END, _CLAUSE_END, seller):
        found = stop.search(after)
        if found:
            after = after[: found.start()]
    return after


def _not_the_sellers(flat: str, m: re.Match[str], lang: str) -> bool:
    """Whether the candidate `m` is no seller deadline: a timeline of Amazon's own, or a date of something else.

    For English the words after it count only when it starts its clause ("Within 2 days, we will reply"):
    English puts the subject first, so "Please respond within 7 days so that we can review it" is the
    seller's. The other languages may put the verb last ("Wir werden Ihre Unterlagen innerhalb von 3 Tagen
    prüfen"), so there the rest of the clause always counts."""
    start = m.start()
    before = flat[max(0, start - _CONTEXT) : start].lower()
    before = before[max((i + len(end) for end in _SENTENCE_ENDS if (i := before.rfind(end)) >= 0), default=0) :]
    if _NOT_A_DEADLINE.search(before, max(0, len(before) - 30)):
        return True
    number = m.start("n") if "n" in m.re.groupindex else start
    if _NOT_SELLER_LEAD.search(flat[max(0, number - 12) : number].lower()):
        return True
    if lang != "en" and number == start and _DATE_JUST_BEFORE.search(flat, max(0, start - 40), start):
        return True  # an explicit date that ends a period
    seller, amazon, amazon_after, triggers = _LANGUAGES[lang]
    starts_clause = not _CLAUSE_MARK.split(before)[-1].strip()
    after = ""
    if starts_clause or lang != "en":
        after = _clause_after(flat, m.end(), starts_clause, seller)
        if amazon_after and amazon_after.search(after):
            return True
    cues = [found.end() for found in seller.finditer(before)]
    own = before[cues[-1] :] if cues else before  # the words after the last seller cue
    # The candidate stands in as one word, so that "wir ... prüfen" reaches over it.
    words = f"{own.strip()} _ {after.strip()}"
    if triggers and not any(map(words.__contains__, triggers)):
        return False  # the usual case for a seller deadline in English: no Amazon-side phrase can be there
    return amazon.search(words) is not None


# One quick scan of the text (lowercased, as UTF-8 bytes) before the other languages' patterns run: a number with
# a unit of theirs after it, or a date of a form they write (every match of theirs holds one); then each
# pattern's own keywords. Digits are made NULs first, so that the scan starts with a literal (which the regex
# engine looks for far faster than for a digit); a NUL in the text itself can only make the gate pass more often,
# never less. Full-width digits (Japanese) are looked for by a second, slower scan, only in text that has
# full-width characters at all (b"\xef\xbc" starts their UTF-8). The non-ASCII letters are alternatives, not in
# character classes, so that they hold as byte sequences.
_FOREIGN_GATE_BODY = (
    r"(?: (?:de |年|(?:werk|arbeits|kalender|geschäfts|geschaefts)?tag|stund|std|woch|jour|heure|h(?!\w)|semaine"
    r"|giorn|or[ae](?!\w)|settiman|d(?:í|i)a|hora|semana|日|時間|週間|営業|稼働|暦|janvier|f(?:é|e)vrier|mars(?!\w)"
    r"|avril|mai(?!\w)|juin|juillet|ao(?:û|u)t|septembre|octobre|novembre|d(?:é|e)cembre|gennaio|febbraio|marzo"
    r"|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|dicembre)"
    r"|\. ?(?:januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember)"
    r"|\.<d>{1,2}\.<d>{4}|/<d>{1,2}/<d>{4}|er |(?:°|º) |h(?!\w)|年|日|時間|週間|営業|稼働|暦)"
)
_FOREIGN_GATE = re.compile(("\0" + _FOREIGN_GATE_BODY.replace("<d>", "\0").replace(r"(?!\w)", r"(?![\w\0])")).encode())
_FOREIGN_GATE_WIDE = re.compile("[０-９]" + _FOREIGN_GATE_BODY.replace("<d>", _DIGIT))
_DIGITS_AS_NUL = bytes.maketrans(b"0123456789", b"\0" * 10)


def _deadline(flat: str, received_at: datetime, haystack: str | None = None) -> tuple[datetime | None, str | None]:
    """The earliest deadline the text sets the seller, with the phrase that stated it.

    Amazon's own timelines ("we will reply within 2 business days", "the review takes 2-4 days") are skipped,
    each judged on its own sentence (and only when it would be the earliest). `haystack`: flat lowercased, given
    only when flat is ASCII (so that the two line up): then each English pattern is tried only where it can
    start, and not at all where it cannot. The other languages' patterns run only past `_FOREIGN_GATE` and
    their keywords."""
    best: tuple[datetime, str] | None = None
    for pattern in (*_RELATIVE, _EXPLICIT):
        if haystack is None:
            found: Iterable[re.Match[str]] = pattern.finditer(flat)
        else:
            starts = _deadline_starts(pattern, haystack)
            if not starts:
                continue
            found = _at(pattern, flat, starts)
        for m in itertools.islice(found, _DEADLINE_CANDIDATES):
            try:
                if pattern is _EXPLICIT:
                    when = _explicit_deadline(m)
                else:
                    # Business days are counted as calendar days: earlier, so on the safe side.
                    when = received_at + int(m["n"]) * _UNITS[m["unit"].lower().rstrip("s")]
            except (ValueError, OverflowError):  # e.g. February 31, or a date past year 9999
                continue
            if (best is None or when < best[0]) and not _not_the_sellers(flat, m, "en"):
                best = (when, m.group(0))
    lowered = flat.lower() if haystack is None else haystack
    encoded = lowered.encode()
    if not _FOREIGN_GATE.search(encoded.translate(_DIGITS_AS_NUL)) and not (
            haystack is None and b"\xef\xbc" in encoded and _FOREIGN_GATE_WIDE.search(lowered)):
        return best if best else (None, None)
    for lang, kind, keywords, pattern in _FOREIGN:
        if not any(map(lowered.__contains__, keywords)):
            continue
        for m in itertools.islice(pattern.finditer(flat), _DEADLINE_CANDIDATES):
            try:
                when = _foreign_deadline(kind, m, received_at)
            except (ValueError, OverflowError, KeyError):
                continue
            if (best is None or when < best[0]) and not _not_the_sellers(flat, m, lang):
                best = (when, m.group(0))
    return best if best else (None, None)


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


def _action_found(pattern: re.Pattern[str], flat: str, haystack: str, anchors: tuple[str, ...], ascii_: bool) -> bool:
    """Whether `pattern` occurs in `flat`. Every match holds one of its anchor words, so for ASCII text only
    a window around each anchor is searched. A window ends just before a character that is not a word
    character (or at the end of the text), where a word boundary reads the same as at the end of a string;
    when there is none near, or there are many anchors, the whole text is scanned once instead."""
    if not ascii_:
        return pattern.search(flat) is not None
    starts = sorted(i for anchor in anchors for i in _find_all(haystack, anchor))
    if len(starts) > _ACTION_WINDOWS:
        return pattern.search(flat) is not None
    for i in starts:
        end = i + 2 * _ACTION_REACH
        if end < len(flat):
            boundary = _NON_WORD.search(flat, end, end + _ACTION_REACH)
            if boundary is None:
                return pattern.search(flat) is not None
            end = boundary.start()
        if pattern.search(flat, max(0, i - _ACTION_REACH), end):
            return True
    return False


def _action_taken(flat: str, haystack: str, ascii_: bool = False) -> str | None:
    # For ASCII text _action_found looks for the anchors itself (none found: no window, no match).
    return next(
        (label for label, anchors, pattern in _ACTIONS
         if (ascii_ or _contains_any(haystack, anchors)) and _action_found(pattern, flat, haystack, anchors, ascii_)),
        None,
    )


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
              _at(_MARKET_LABEL, text, _find_all(lowered, "marketplace")) if ascii_ else _MARKET_LABEL.finditer(text))
    for m in labels:
        code = m.group(1).replace("GB", "UK")
        if code in _MARKET_CODES:
            return code
    found_us = False
    domains = (() if "amazon." not in lowered else
               _at(_DOMAIN, text, _find_all(lowered, "amazon.")) if ascii_ else _DOMAIN.finditer(text))
    for m in domains:
        code = _DOMAINS[m.group(1).lower()]
        if code != "US":  # amazon.com also appears in shared sender addresses, so national domains win
            return code
        found_us = True
    return "US" if found_us else None


# --- category and severity ----------------------------------------------------------------------


class _Rules:
    """Category and severity keywords lowercased once, for one set of rules."""

    def __init__(self, categories: Sequence[CategoryRule], category_key: tuple, severity_key: tuple):
        self.source = categories
        self.category_key = category_key
        self.severity_key = severity_key
        # A tuple of (frozen) rules whose keywords are tuples cannot change: the same object, the same rules.
        self.immutable = isinstance(categories, tuple) and all(isinstance(r.keywords, tuple) for r in categories)
        self.categories = [(r, _lowered(r.keywords)) for r in categories]
        self.severity = {lv: _lowered(words) for lv, words in severity_key}


def _lowered(keywords: Iterable[str]) -> tuple[str, ...]:
    return tuple(k.lower() for k in keywords if k)


_last_rules: list[_Rules] = []  # the last rules seen: an import passes the same ones for every message


def _rules(categories: Sequence[CategoryRule], severity_rules: Mapping[str, Sequence[str]]) -> _Rules:
    """The lowercased rules, reused while the rules are the same (compared by value: lists may change)."""
    severity_key = tuple((lv, tuple(severity_rules.get(lv, ()))) for lv in ("critical", "high", "low"))
    cached = _last_rules[0] if _last_rules else None
    if cached and cached.source is categories and cached.immutable and cached.severity_key == severity_key:
        return cached
    category_key = tuple((r, tuple(r.keywords)) for r in categories)
    if cached and cached.category_key == category_key and cached.severity_key == severity_key:
        return cached
    rules = _Rules(categories, category_key, severity_key)
    _last_rules[:] = [rules]
    return rules


def _severity(
    haystack: str, rule: CategoryRule | None, severity_rules: Mapping[str, Sequence[str]], urgent: bool,
    lowered: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """Critical or high keywords win; then low ones ("no action required"); then the category's own
    severity; medium keywords only place a notice no category claimed. Urgent means at least high."""
    if lowered is not None:
        level = next((lv for lv in ("critical", "high", "low") if _contains_any(haystack, lowered[lv])), None)
    else:
        level = next((lv for lv in ("critical", "high", "low") if _has_any(haystack, severity_rules.get(lv, ()))),
                     None)
    if level is None and rule and rule.severity in SEVERITIES:
        level = rule.severity
    if level is None:
        level = "medium"
    if urgent and SEVERITIES.index(level) > SEVERITIES.index("high"):
        level = "high"
    return level


def extract(
    text: str,
    received_at: datetime,
    categories: Sequence[CategoryRule] = DEFAULT_CATEGORIES,
    severity_rules: Mapping[str, Sequence[str]] = DEFAULT_SEVERITY_RULES,
) -> Extracted:
    """Extract the fields of one notice; `received_at` (aware UTC) anchors relative deadlines."""
    text = text or ""
    body = _split_header(text)
    return _extract(text, _subject(text, body), body, received_at, categories, severity_rules)


_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # where str.splitlines breaks


def extract_email(
    subject: str,
    text: str,
    received_at: datetime,
    categories: Sequence[CategoryRule] = DEFAULT_CATEGORIES,
    severity_rules: Mapping[str, Sequence[str]] = DEFAULT_SEVERITY_RULES,
    flat_text: str | None = None,
) -> Extracted:
    """`extract(f"Subject: {subject}\\n\\n{text}", ...)` for an email, without looking for its subject and
    body again: a one-line subject is the first Subject: line and ends the header block, so the body is
    the text. `flat_text`: `" ".join(text.split())`, when already made."""
    full = f"Subject: {subject}\n\n{text}"
    if not subject.strip() or _LINE_BREAK.search(subject):
        return extract(full, received_at, categories, severity_rules)
    subject = subject.strip()[:200]
    flat = None
    if flat_text is not None:  # " ".join(f"{subject}\n{body}".split()), from its two halves
        flat = " ".join(subject.split()) + (" " + flat_text if flat_text else "")
    return _extract(full, subject, text.strip(), received_at, categories, severity_rules, flat)


def _extract(
    text: str,
    subject: str,
    body: str,
    received_at: datetime,
    categories: Sequence[CategoryRule],
    severity_rules: Mapping[str, Sequence[str]],
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
    rules = _rules(categories, severity_rules)

    deadline_at, deadline_text = _deadline(flat, received_at, haystack if ascii_ else None)
    # The subject names the issue most precisely ("Order Defect Rate above target" even when the body
    # warns of deactivation), so rules are tried on it first, then on the whole text.
    subject_lower = subject.lower()
    rule = next((r for r, words in rules.categories if not r.generic and _contains_any(subject_lower, words)),
                None) or next((r for r, words in rules.categories if _contains_any(haystack, words)), None)
    urgent = deadline_at is not None and deadline_at - received_at <= timedelta(hours=72)
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
        action_taken=_action_taken(flat, haystack, ascii_),
        category=rule.id if rule else "other",
        severity=_severity(haystack, rule, severity_rules, urgent, rules.severity),
        marketplace=_marketplace(text),
    )
