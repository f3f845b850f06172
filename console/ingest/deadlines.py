"""The seller's deadline in a notice: relative ("within 17 days", "innerhalb von 17 Tagen", "17日以内") and
explicit ("by December 12, 2026", "bis zum 12. Dezember 2026"), never Amazon's own timelines ("we will reply
within 2 business days"). Pure and stdlib-only; every regex here runs in linear time. `deadline()` gives the
earliest deadline the text states, with the phrase that stated it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

from console.ingest.scan import at, find_all

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
        ends = [i for word in _RELATIVE_FROM for i in find_all(haystack, word)]
        return [m.start() for i in ends for m in _NUMBER_OR_LEAD.finditer(haystack, max(0, i - 40), i)]
    if pattern is _RELATIVE[2]:
        return find_all(haystack, "you have ")
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


def deadline(flat: str, received_at: datetime, haystack: str | None = None) -> tuple[datetime | None, str | None]:
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
            found = at(pattern, flat, starts)
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
