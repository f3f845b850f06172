"""Turn notice emails on disk (.eml, mbox, Maildir, folders, .gz) into parsed records.

Standard library only, and nothing here touches the database. Every problem with the input becomes
an `ImportFailure` for that one file or message (a one-line reason, no traceback) or a warning on the
`ParsedEmail`; `iter_messages` and `parse_bytes` never raise for bad input. JSON files are another
module's job: `detect_format` names them so the caller can route them, and `iter_messages` skips them.

Headers are read raw (compat32) and decoded here, so that 8-bit headers, bogus charsets and broken
encoded words degrade to replacement characters and a warning instead of an exception.

An import parses every message of a mailbox, so the common case is kept cheap: ASCII text is cleaned
without the full Unicode scan, address headers seen before are not parsed again, a standard Date header
is read directly, and `peek` reads only the header block (for duplicates known by Message-ID).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.policy
import email.utils
import fnmatch
import functools
import gzip
import hashlib
import html
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path

from console.core.textsafe import clean, one_line

__all__ = [
    "DEFAULT_SENDER_PATTERNS",
    "MAX_BODY_CHARS",
    "ImportFailure",
    "ParsedEmail",
    "detect_format",
    "header_block",
    "html_to_text",
    "is_amazon_sender",
    "iter_messages",
    "marketplace_from_address",
    "parse_bytes",
    "peek",
    "read_message",
]

MAX_BODY_CHARS = 1_000_000
TRUNCATION_NOTE = "\n\n[flagdesk: body truncated at 1 MB]"
_MAX_MESSAGE_BYTES = 100 * 1024 * 1024  # one message (or one decompressed .gz) larger than this is refused
_MAX_DECODED_CHARS = 20 * MAX_BODY_CHARS  # decoded body cut before HTML conversion, to bound the work


@dataclass
class ParsedEmail:
    origin: str
    message_id: str | None
    sender: str
    recipients: list[str]
    forwarded_sender: str | None
    forwarded_recipients: list[str]
    subject: str
    date: datetime | None
    text: str
    truncated: bool
    warnings: list[str]
    content_hash: str
    flat_text: str = field(default="", repr=False, compare=False)  # " ".join(text.split()), for extraction

    @property
    def dedupe_key(self) -> str:
        return f"mid:{self.message_id}" if self.message_id else f"sha256:{self.content_hash}"


@dataclass
class ImportFailure:
    origin: str
    reason: str


# --- Amazon senders and marketplaces ------------------------------------------------------------

# Domain suffix after "amazon." -> marketplace code.
_MARKETPLACE_DOMAINS: dict[str, str] = {
    "com": "US", "ca": "CA", "com.mx": "MX", "com.br": "BR", "co.uk": "UK", "de": "DE", "fr": "FR",
    "it": "IT", "es": "ES", "nl": "NL", "se": "SE", "pl": "PL", "com.be": "BE", "com.tr": "TR",
    "ie": "IE", "co.jp": "JP", "com.au": "AU", "sg": "SG", "in": "IN", "ae": "AE", "sa": "SA",
    "eg": "EG", "co.za": "ZA",
}  # fmt: skip
_SUFFIXES_LONGEST_FIRST = sorted(_MARKETPLACE_DOMAINS, key=len, reverse=True)

# "*@amazon.de" and any subdomain ("*@*.amazon.de", e.g. marketplace.amazon.de). A bare
# "*@marketplace.amazon.*" would also match marketplace.amazon.evil.example, so the marketplace
# host is spelled out per domain (it is covered by "*@*.amazon.<tld>").
DEFAULT_SENDER_PATTERNS: tuple[str, ...] = tuple(
    pattern
    for suffix in _MARKETPLACE_DOMAINS
    for pattern in (f"*@amazon.{suffix}", f"*@*.amazon.{suffix}")
)


def _bare_address(address: str) -> str:
    address = (address or "").strip()
    if "<" in address:
        address = email.utils.parseaddr(address)[1] or address
    return address.strip().strip("<>").strip().lower()


def is_amazon_sender(address: str, patterns: Sequence[str] = DEFAULT_SENDER_PATTERNS) -> bool:
    """Whether `address` ("x@y" or "Name <x@y>") matches one of the fnmatch `patterns` (case-insensitive)."""
    addr = _bare_address(address)
    if addr.count("@") != 1 or any(c.isspace() for c in addr) or addr.startswith("@"):
        return False
    return any(fnmatch.fnmatchcase(addr, p.strip().lower()) for p in patterns if p and p.strip())


def marketplace_from_address(address: str) -> str | None:
    """The marketplace an Amazon address belongs to: amazon.co.uk -> "UK", amazon.com -> "US", else None.

    sellercentral-europe.amazon.com serves every European marketplace, so it names none.
    """
    addr = _bare_address(address)
    domain = addr.rpartition("@")[2].rstrip(".")
    if not domain or "@" not in addr:
        return None
    for suffix in _SUFFIXES_LONGEST_FIRST:
        base = f"amazon.{suffix}"
        if domain == base or domain.endswith("." + base):
            if suffix == "com" and "europe" in domain[: -len(base)]:
                return None
            return _MARKETPLACE_DOMAINS[suffix]
    return None


# --- text helpers -------------------------------------------------------------------------------

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_clean = clean  # textsafe.clean (which has a shortcut for plain ASCII text)


def _one_line(text: str, limit: int = 500) -> str:
    """textsafe.one_line by way of `_clean`."""
    folded = " ".join(_clean(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def _safe_text(text: str) -> str:
    """textsafe.clean plus non-breaking spaces as spaces (clean leaves no lone surrogates)."""
    return _clean(text).replace("\xa0", " ")


def _text_codec(charset: str | None) -> str | None:
    """The Python codec name for a MIME charset, or None when unknown or not a text encoding."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    if name in ("unknown-8bit", "x-unknown", "8bit"):
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _decode(data: bytes, charset: str | None, warnings: list[str], what: str) -> str:
    """Bytes to str by the declared charset; never raises. Problems become warnings."""
    if charset is None or not charset.strip():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    codec = _text_codec(charset)
    if codec is None:
        shown = one_line(charset, 60)
        warnings.append(f"unknown charset {shown!r} in {what}: decoded as utf-8 with replacement characters")
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        if codec == "ascii":  # "us-ascii" is often declared for 8-bit text
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode("cp1252", errors="replace")
        warnings.append(f"{what} is not valid {one_line(charset, 60)}: decoded with replacement characters")
    except Exception:  # a codec misbehaving on odd input
        warnings.append(f"{what} could not be decoded as {one_line(charset, 60)}: decoded as utf-8 with "
                        "replacement characters")
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode(codec, errors="replace")
    except Exception:
        return data.decode("utf-8", errors="replace")


# --- headers ------------------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_KNOWN_HEADERS = frozenset(
    "from to cc bcc subject date message-id received return-path mime-version content-type "
    "content-transfer-encoding delivered-to x-original-to reply-to sender in-reply-to references "
    "dkim-signature x-mailer user-agent".split()
)


def _raw_header_str(value: object) -> str:
    """A raw compat32 header value as text: 8-bit bytes (surrogate-escaped) decoded, folds removed."""
    text = str(value)
    if _SURROGATE.search(text):
        raw = text.encode("utf-8", errors="surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    return _FOLD.sub("", text) if "\n" in text else text


def _raw_headers(msg: Message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        found.setdefault(str(name).strip().lower(), []).append(_raw_header_str(value))
    return found


def _q_decode(text: str) -> bytes:
    out = bytearray()
    raw = text.replace("_", " ").encode("ascii", errors="replace")
    i = 0
    while i < len(raw):
        if raw[i] == 0x3D and re.fullmatch(rb"[0-9A-Fa-f]{2}", raw[i + 1 : i + 3]):
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def _b_decode(text: str) -> bytes:
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def _decode_words(value: str, warnings: list[str]) -> str:
    """RFC 2047 encoded words decoded; whitespace between adjacent encoded words dropped.

    Adjacent words in the same charset are joined before decoding, so a multibyte character split
    across two words survives.
    """
    if "=?" not in value:
        return value
    pieces: list[tuple[str, str | None]] = []  # (text, None) or (bytes as latin-1 str, charset)
    pos = 0
    for m in _ENCODED_WORD.finditer(value):
        between = value[pos : m.start()]
        if between and not (between.isspace() and pieces and pieces[-1][1] is not None):
            pieces.append((between, None))
        charset = m.group(1).split("*", 1)[0]
        data = _b_decode(m.group(3)) if m.group(2) in "bB" else _q_decode(m.group(3))
        if pieces and pieces[-1][1] is not None and pieces[-1][1].lower() == charset.lower():
            pieces[-1] = (pieces[-1][0] + data.decode("latin-1"), pieces[-1][1])
        else:
            pieces.append((data.decode("latin-1"), charset))
        pos = m.end()
    pieces.append((value[pos:], None))
    out = []
    for text, charset in pieces:
        out.append(text if charset is None else _decode(text.encode("latin-1"), charset, warnings, "header"))
    return "".join(out)


_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _addresses(values: Iterable[str]) -> list[str]:
    """Addresses in header values, lowercased and unique.

    A value the address parser cannot read cleanly (";" lists, "[mailto:...]" tails) is scanned instead.
    """
    found: list[str] = []
    for value in values:
        found.extend(_value_addresses(value))
    return _unique(found)


@functools.lru_cache(maxsize=4096)
def _value_addresses(value: str) -> tuple[str, ...]:
    """The addresses of one header value. Cached: a mailbox repeats its senders and recipients."""
    try:
        addrs = [addr.strip() for _, addr in email.utils.getaddresses([value]) if addr.strip()]
    except Exception:
        addrs = []
    if not addrs or not all(_ADDRESS.fullmatch(a) for a in addrs):
        addrs = [m.group(0) for m in _ADDRESS.finditer(value)]
    return tuple(one_line(a).lower() for a in addrs)


def _message_id(values: list[str]) -> str | None:
    if not values:
        return None
    value = _one_line(values[0], 998)
    m = re.search(r"<([^<>]+)>", value)
    value = m.group(1) if m else value.strip("<> ")
    value = "".join(value.split())
    return value or None


_MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
# The usual shape, "Thu, 26 Nov 2026 10:05:00 +0000", read without the general parser.
_PLAIN_DATE = re.compile(
    r"(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})"
)


def _plain_date(value: str) -> datetime | None:
    """What parsedate_to_datetime gives for a Date in the usual shape (then in UTC); None for any other."""
    m = _PLAIN_DATE.fullmatch(value)
    month = _MONTH_NUMBERS.get(m.group(2).lower()) if m else None
    if m is None or month is None:
        return None
    day, year, hh, mm, ss = (int(m.group(i)) for i in (1, 3, 4, 5, 6))
    offset = (int(m.group(8)) * 3600 + int(m.group(9)) * 60) * (-1 if m.group(7) == "-" else 1)
    try:
        return datetime(year, month, day, hh, mm, ss, tzinfo=timezone(timedelta(seconds=offset))).astimezone(UTC)
    except (ValueError, OverflowError):
        return None  # the general parser decides (and words the warning)


def _date(values: list[str], warnings: list[str]) -> datetime | None:
    if not values or not values[0].strip():
        return None
    plain = _plain_date(values[0].strip())
    if plain is not None:
        return plain
    try:
        parsed = email.utils.parsedate_to_datetime(values[0].strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except Exception:
        warnings.append(f"unparseable Date header {one_line(values[0], 80)!r}: no date")
        return None


# --- HTML to text -------------------------------------------------------------------------------

_CELL = "\ue000"  # a table-cell separator placeholder, resolved after layout
_BLOCK = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figcaption figure footer form header "
    "hr main nav ol p pre section table tbody thead tfoot ul h1 h2 h3 h4 h5 h6".split()
)
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 blockquote table".split())
_DROP = frozenset(("script", "style", "title", "template"))


class _HTMLText(HTMLParser):
    """Collects text; block boundaries are pending breaks, flushed before the next visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drop: list[str] = []
        self.pre = 0
        self.cells: list[int] = []
        self.pending = 0  # newlines owed before the next text
        self.bullet: int | None = None  # an <li> waiting for its text: the break owed before it
        self.lists: list[bool] = []  # per open list: whether it has had an item yet

    def _break(self, n: int) -> None:
        self.pending = max(self.pending, n)

    def _emit(self, text: str) -> None:
        if self.bullet is not None:
            self.pending, self.bullet, text = self.bullet, None, "- " + text.lstrip()
        if self.pending:
            if self.out:
                self.out.append("\n" * self.pending)
            self.pending = 0
        self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.drop.append(tag)
            return
        if tag == "body" and "title" in self.drop:  # an unclosed <title>
            self.drop = [t for t in self.drop if t != "title"]
        if tag == "br":
            if self.bullet is None:
                self._emit("\n")
        elif tag == "li":
            if self.lists and self.lists[-1]:
                self.pending = 1  # items of one list sit on consecutive lines
            else:
                self._break(1)
            if self.lists:
                self.lists[-1] = True
            self.bullet = self.pending
        elif tag == "tr":
            self._break(1)
            if self.cells:
                self.cells[-1] = 0
        elif tag in ("td", "th"):
            if self.cells:
                if self.cells[-1] and not self.pending:
                    self.out.append(_CELL)
                self.cells[-1] += 1
        elif tag in _BLOCK:
            self._break(2 if tag in _PARAGRAPH else 1)
        if tag == "table":
            self.cells.append(0)
        elif tag in ("ul", "ol"):
            self.lists.append(False)
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            if tag in self.drop:
                while self.drop and self.drop.pop() != tag:
                    pass
            return
        if tag == "table" and self.cells:
            self.cells.pop()
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in _BLOCK or tag in ("li", "tr"):
            self._break(2 if tag in _PARAGRAPH else 1)

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
            if not data.strip() and (self.pending or self.bullet is not None or not self.out):
                return
        self._emit(data)


def _tidy_lines(text: str) -> str:
    """Lines stripped, cell placeholders resolved, runs of blank lines collapsed to one."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.replace("\xa0", " ").strip(" \t" + _CELL)
        line = re.sub(r"[ \t]{2,}", " ", line)  # first, so the next pattern never rescans a run of blanks
        line = re.sub(f"(?: ?{_CELL} ?)+", " | ", line).replace("\t", " ")
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


_LONE_LT = re.compile(r"<(?![^<>]*>)")  # a "<" that starts no complete tag; linear: each scan stops at the next "<"


def _defuse(markup: str) -> str:
    """Comments dropped and lone "<" escaped, in linear time.

    html.parser rescans an unterminated tag or comment from every "<" (quadratic on "<a <a <a ...").
    """
    kept: list[str] = []
    pos = 0
    while (start := markup.find("<!--", pos)) >= 0:
        kept.append(markup[pos:start])
        end = markup.find("-->", start + 4)
        pos = len(markup) if end < 0 else end + 3
    kept.append(markup[pos:])
    return _LONE_LT.sub("&lt;", "".join(kept))


def html_to_text(markup: str) -> str:
    """Readable text from HTML: blocks as line breaks, "- " list items, " | " between table cells."""
    parser = _HTMLText()
    try:
        markup = _defuse(markup)
        parser.feed(markup)
        parser.close()
        text = "".join(parser.out)
    except Exception:  # html.parser is lenient, but a malformed declaration can still trip it
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
        text = re.sub(r"(?i)<br\s*/?>|</?(?:p|div|li|tr|h[1-6])\b[^>]*>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        text = re.sub(r"[ \t]+", " ", text)
    return _tidy_lines(text)


# --- body ---------------------------------------------------------------------------------------


def _is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except Exception:
        return False


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _text_parts(msg: Message) -> tuple[Message | None, Message | None, Message | None]:
    """The first text/plain and text/html parts not attached, and the first attached message/rfc822.

    Does not descend into attached messages: their body is only used when the outer one has none.
    """
    plain = markup = inner = None
    stack = [msg]
    while stack:
        part = stack.pop()
        ctype = _content_type(part)
        if ctype.startswith("message/") and part is not msg:
            payload = part.get_payload()
            if inner is None and isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner = payload[0]
            continue
        if part.is_multipart():
            payload = part.get_payload()
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
            continue
        if _is_attachment(part):
            continue
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and markup is None:
            markup = part
        elif ctype.startswith("multipart/") and plain is None and part is msg:
            plain = part  # a multipart whose boundary is broken: show its raw text
    return plain, markup, inner


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", errors="surrogateescape") if isinstance(raw, str) else b""


# "text/plain; charset=utf-8", the usual Content-Type: what get_param("charset") returns, read directly.
_PLAIN_CHARSET = re.compile(r'[ \t]*[\w.+-]+/[\w.+-]+[ \t]*;[ \t]*charset=("?)([\w.:+-]+)\1[ \t]*', re.ASCII)


def _charset(part: Message) -> str | None:
    values = part.get_all("content-type")
    m = _PLAIN_CHARSET.fullmatch(values[0]) if values and len(values) == 1 and isinstance(values[0], str) else None
    if m:
        return m.group(2)
    try:
        value = part.get_param("charset")
    except Exception:
        return None
    if isinstance(value, tuple):  # RFC 2231
        value = value[2]
    return str(value) if value else None


def _body(msg: Message, warnings: list[str], depth: int = 0,
          parts: tuple[Message | None, Message | None, Message | None] | None = None) -> tuple[str, bool, bool]:
    """The readable body text, whether it was cut before conversion, and whether it is already cleaned
    (plain text is; text from HTML is not). `parts`: msg's `_text_parts`, when known."""
    plain, markup, inner = parts or _text_parts(msg)
    part = plain or markup
    if part is None:
        if inner is not None and depth < 5:
            return _body(inner, warnings, depth + 1)
        warnings.append(f"no text body ({one_line(_content_type(msg), 60)})")
        return "", False, True
    text = _decode(_payload_bytes(part), _charset(part), warnings, "body")
    cut = len(text) > _MAX_DECODED_CHARS
    if cut:
        text = text[:_MAX_DECODED_CHARS]
    if part is markup:
        return html_to_text(text), cut, False
    return _rstrip_lines(_clean(text)).strip("\n"), cut, True


def _rstrip_lines(text: str) -> str:
    """Each line without trailing whitespace. Cleaned ASCII text can only end a line in a space or a tab:
    when none does, there is nothing to do."""
    if text.isascii() and " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))


# --- forwarded notices --------------------------------------------------------------------------

_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr)\s*:", re.I)
_FORWARD_MARKER = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}[ \t]*(?:forwarded message|original message|weitergeleitete nachricht|urspr\u00fcngliche nachricht"
    r"|message transf\u00e9r\u00e9|message d'origine|mensaje reenviado|messaggio inoltrato)[ \t]*-{2,}"
    r"|begin forwarded message:"
    r"|_{10,}"
    r")[ \t]*$",
    re.I | re.M,
)
_FIELD_NAMES = {
    "from": "from", "von": "from", "de": "from", "da": "from",
    "to": "to", "an": "to", "\u00e0": "to", "a": "to", "para": "to",
    "cc": "cc", "kopie": "cc",
    "date": "date", "sent": "date", "datum": "date", "gesendet": "date", "envoy\u00e9": "date",
    "enviado": "date", "inviato": "date",
    "subject": "subject", "betreff": "subject", "objet": "subject", "asunto": "subject", "oggetto": "subject",
    "reply-to": "reply-to",
}  # fmt: skip
_FIELD_ALTERNATIVES = "|".join(sorted(map(re.escape, _FIELD_NAMES), key=len, reverse=True))
_FIELD = re.compile(
    r"^[ \t>]*\*?(" + _FIELD_ALTERNATIVES + r")\*?[ \t]*:\*?[ \t]*(.*)$",
    re.I,
)
_FIRST_FROM = re.compile(r"^[ \t>]*\*?(?:from|von|de)\*?[ \t]*:", re.I | re.M)


def _header_block(text: str, start: int) -> dict[str, str]:
    """The From:/To:/Cc:/Date:/Subject: lines starting at `start` (blank lines before them skipped)."""
    fields: dict[str, str] = {}
    label = None
    lines = text[start : start + 20_000].split("\n")
    for line in lines[:60]:
        if not line.strip():
            if fields:
                break
            continue
        m = _FIELD.match(line)
        if m:
            label = _FIELD_NAMES[m.group(1).lower()]
            fields[label] = (fields.get(label, "") + " " + m.group(2)).strip()
        elif label and (line[:1] in " \t" or (label in ("to", "cc") and fields[label].rstrip().endswith((",", ";")))):
            fields[label] += " " + line.strip()
        else:
            break
    return fields


def _may_have_marker(text: str) -> bool:
    """False only when _FORWARD_MARKER cannot match: each of its forms needs "--", ten "_" or "begin
    forwarded message:" (compared lowercased for ASCII text; other text is always scanned)."""
    return ("--" in text or "__________" in text or not text.isascii()
            or "begin forwarded message:" in text.lower())


def _forwarded(subject: str, text: str, inner: Message | None) -> tuple[str | None, list[str]]:
    blocks: list[dict[str, str]] = []
    markers = _FORWARD_MARKER.finditer(text) if _may_have_marker(text) else ()
    for _, m in zip(range(20), markers):  # bounded: a body of separators is cheap
        block = _header_block(text, m.end() + 1)
        if "from" in block:
            blocks.append(block)
            break
    if not blocks and _FORWARD_SUBJECT.match(subject):
        m = _FIRST_FROM.search(text)
        if m:
            block = _header_block(text, m.start())
            if "from" in block:
                blocks.append(block)
    if blocks:
        block = blocks[0]
        senders = _addresses([block.get("from", "")])
        return (senders[0] if senders else None), _addresses([block.get("to", ""), block.get("cc", "")])
    if inner is not None:  # forwarded as an attachment
        headers = _raw_headers(inner)
        senders = _addresses(headers.get("from", []))
        return (senders[0] if senders else None), _addresses(headers.get("to", []) + headers.get("cc", []))
    return None, []


# --- one message --------------------------------------------------------------------------------

_FWD_PREFIX = re.compile(r"^(?:\s*(?:fwd?)\s*:)+", re.I)


def _content_hash(subject: str, text: str, flat_text: str | None = None) -> str:
    norm_subject = " ".join(_FWD_PREFIX.sub("", subject).split()).lower()
    norm_text = (" ".join(text.split()) if flat_text is None else flat_text).lower()
    return hashlib.sha256(f"{norm_subject}\n{norm_text}".encode("utf-8", errors="surrogatepass")).hexdigest()


def _strip_envelope(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b"\r\n")
    if data.startswith(b"From ") and not data.startswith(b"From :"):  # an mbox "From " line
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    return data


_HEADER_START = re.compile(r"[\041-\071\073-\176]*:")  # feedparser's header line (a name, a colon)


def _plain_headers(block: bytes) -> Message | None:
    """What the compat32 parser makes of a plain header block (LF line ends, every line a header or its
    continuation, no envelope line), read directly; None for anything else, left to the parser."""
    text = block.decode("ascii", "surrogateescape")
    if "\r" in text or not text.endswith("\n"):
        return None
    msg = Message(policy=email.policy.compat32)
    name, lines = None, []
    for line in text[:-1].split("\n"):
        line += "\n"
        if line[0] in " \t":
            if name is None:  # a first line that continues nothing: the parser notes a defect
                return None
            lines.append(line)
            continue
        if line.startswith("From ") or not _HEADER_START.match(line) or line[0] == ":":
            return None  # an envelope line, a line that is no header, a header without a name
        if name is not None:
            msg.set_raw(name, (lines[0].lstrip(" \t") + "".join(lines[1:])).rstrip("\r\n"))
        colon = line.index(":")
        name, lines = line[:colon], [line[colon + 1:]]
    if name is not None:
        msg.set_raw(name, (lines[0].lstrip(" \t") + "".join(lines[1:])).rstrip("\r\n"))
    return msg


def _message(data: bytes) -> Message:
    """The compat32 parse of a message. One that is neither multipart nor message/* is parsed from its
    header block alone and given the payload the parser would give it, the rest of the text: the parser
    would otherwise walk the body line by line only to join the lines again."""
    block = header_block(data)
    if len(block) < len(data):
        msg = _plain_headers(block)
        if msg is None:
            msg = email.message_from_bytes(block, policy=email.policy.compat32)
            # An empty payload: every line up to the blank line was a header, so the body starts after it.
            headers_only = msg.get_payload() == ""
        else:
            headers_only = True
        if headers_only and msg.get_content_maintype() not in ("multipart", "message"):
            start = len(block) + (1 if data[len(block):len(block) + 1] == b"\n" else 2)
            msg.set_payload(data[start:].decode("ascii", "surrogateescape"))
            return msg
    return email.message_from_bytes(data, policy=email.policy.compat32)


def parse_bytes(data: bytes, origin: str) -> ParsedEmail | ImportFailure:
    """One message's bytes as a ParsedEmail, or an ImportFailure saying why not. Never raises."""
    try:
        return _parse(data, origin)
    except Exception as exc:  # the last line of defence; the parts above handle what they can
        return ImportFailure(origin, one_line(f"could not parse: {type(exc).__name__}: {exc}", 300))


def _parse(data: bytes, origin: str) -> ParsedEmail | ImportFailure:
    if not isinstance(data, bytes | bytearray | memoryview):
        return ImportFailure(origin, "not an email (not bytes)")
    data = _strip_envelope(bytes(data))
    if not data.strip():
        return ImportFailure(origin, "empty file")
    if len(data) > _MAX_MESSAGE_BYTES:
        return ImportFailure(origin, f"message too large (over {_MAX_MESSAGE_BYTES // (1024 * 1024)} MB)")
    msg = _message(data)
    headers = _raw_headers(msg)
    if not _KNOWN_HEADERS.intersection(headers):
        return ImportFailure(origin, "not an email (no headers)")

    warnings: list[str] = []
    senders = _addresses(headers.get("from", []))
    recipients = _addresses(
        [value for name in ("to", "cc", "delivered-to", "x-original-to") for value in headers.get(name, [])]
    )
    subject = _SURROGATE.sub("\ufffd", _one_line(_decode_words((headers.get("subject") or [""])[0], warnings)))
    parts = _text_parts(msg)
    body, cut, cleaned = _body(msg, warnings, parts=parts)
    text = body.replace("\xa0", " ") if cleaned else _safe_text(body)  # clean(clean(x)) == clean(x)
    truncated = cut or len(text) > MAX_BODY_CHARS
    if truncated:
        text = text[:MAX_BODY_CHARS] + TRUNCATION_NOTE
    fwd_sender, fwd_recipients = _forwarded(subject, text, parts[2])
    flat_text = " ".join(text.split())
    return ParsedEmail(
        origin=origin,
        message_id=_message_id(headers.get("message-id", [])),
        sender=senders[0] if senders else "",
        recipients=recipients,
        forwarded_sender=fwd_sender,
        forwarded_recipients=fwd_recipients,
        subject=subject,
        date=_date(headers.get("date", []), warnings),
        text=text,
        truncated=truncated,
        warnings=_unique(one_line(w, 300) for w in warnings),
        content_hash=_content_hash(subject, text, flat_text),
        flat_text=flat_text,
    )


def header_block(data: bytes) -> bytes:
    """The bytes up to the first blank line: the parser reads the same headers from them as from all."""
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0]
    return data[: min(ends) + 1] if ends else data


def peek(data: bytes) -> tuple[str | None, str] | None:
    """(Message-ID, sender) read from the header block alone, exactly as `parse_bytes` reads them; None
    when the bytes are not plainly an email (then `parse_bytes` says why). Never raises."""
    try:
        data = _strip_envelope(bytes(data))
        if not data.strip() or len(data) > _MAX_MESSAGE_BYTES:
            return None
        headers = _raw_headers(email.message_from_bytes(header_block(data), policy=email.policy.compat32))
        if not _KNOWN_HEADERS.intersection(headers):
            return None
        senders = _addresses(headers.get("from", []))
        return _message_id(headers.get("message-id", [])), (senders[0] if senders else "")
    except Exception:
        return None


def read_message(path: Path | str) -> bytes | ImportFailure:
    """One message file's bytes (decompressed when gzip), or why not: what `iter_messages(path, "eml")`
    reads before it parses, with the same failures (found by opening it: no checks ahead of it)."""
    try:
        return _read(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        # What iter_messages says of a missing path; a broken symbolic link is one it tries to read.
        return ImportFailure(str(path), _os_reason(exc) if os.path.islink(path) else "no such file or folder")
    except IsADirectoryError:
        return ImportFailure(str(path), "is a folder, not an eml file")
    except Exception as exc:
        return ImportFailure(str(path), _os_reason(exc))


# --- files, folders, mboxes ---------------------------------------------------------------------

_GZIP_MAGIC = b"\x1f\x8b"
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def _looks_like_headers(head: bytes) -> bool:
    """A header block at the start: the first line is a header and a known header name occurs."""
    head = _strip_envelope(head)
    lines = head.split(b"\n")
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    for line in lines[:200]:
        if not line.strip(b"\r"):
            break
        m = _HEADER_LINE.match(line)
        if m and m.group(1).decode("ascii", "replace").lower() in _KNOWN_HEADERS:
            return True
    return False


def _head(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head.startswith(_GZIP_MAGIC):
        with gzip.open(path, "rb") as gz:
            head = gz.read(size)
    return head


def detect_format(path: Path) -> str | None:
    """"eml" | "mbox" | "maildir" | "folder" | "json" | None; a .gz file is judged by its content."""
    path = Path(path)
    try:
        if path.is_dir():
            return "maildir" if (path / "cur").is_dir() and (path / "new").is_dir() else "folder"
        if not path.is_file():
            return None
        if path.name.lower().endswith(_JSON_SUFFIXES):
            return "json"
        head = _head(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return None
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body[:1] in (b"{", b"["):
        return "json"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"From "):
        return "mbox"
    return "eml" if _looks_like_headers(head) else None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile):
        return f"corrupt gzip: {one_line(str(exc), 200) or type(exc).__name__}"
    return one_line(f"cannot read: {exc}", 300)


def _read(path: Path | str) -> bytes:
    """The file's bytes, decompressed when gzip; capped at _MAX_MESSAGE_BYTES + 1.

    Never read(cap) at once: read(n) sets aside n bytes first, and setting aside 100 MB for each small
    message file costs more than parsing it."""
    with open(path, "rb") as fh:
        data = fh.read(_FIRST_READ)
        if data[:2] == _GZIP_MAGIC:
            fh.seek(0)
            with gzip.GzipFile(fileobj=fh) as gz:
                return _read_capped(gz)
        if len(data) == _FIRST_READ:  # more to come
            data += _read_capped(fh, _MAX_MESSAGE_BYTES + 1 - len(data))
        return data


_FIRST_READ = 1 << 16  # a whole notice, nearly always


def _read_capped(fh, cap: int = _MAX_MESSAGE_BYTES + 1) -> bytes:
    """Up to `cap` bytes of a stream, read a megabyte at a time."""
    chunks: list[bytes] = []
    left = cap
    while left > 0:
        chunk = fh.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _from_eml(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    try:
        data = _read(path)
    except Exception as exc:
        yield ImportFailure(str(path), _os_reason(exc))
        return
    yield parse_bytes(data, str(path))


_FROM_LINE = re.compile(rb"^From \S+\s+\S.*\d{4}\s*$")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")


def _from_mbox(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    """Messages split on "From " lines that follow a blank line (or look like a From_ line)."""
    origin = str(path)
    try:
        with open(path, "rb") as raw:
            magic = raw.read(2)
            raw.seek(0)
            fh = gzip.GzipFile(fileobj=raw) if magic == _GZIP_MAGIC else raw
            yield from _split_mbox(fh, origin)
    except Exception as exc:
        yield ImportFailure(origin, _os_reason(exc))


def _split_mbox(lines: Iterable[bytes], origin: str) -> Iterator[ParsedEmail | ImportFailure]:
    index = 0
    chunk: list[bytes] = []
    size = 0
    too_big = False
    started = False
    prev_blank = True

    def finish(last: bool) -> ParsedEmail | ImportFailure | None:
        name = f"{origin}#{index}"
        if too_big:
            return ImportFailure(name, f"message too large (over {_MAX_MESSAGE_BYTES // (1024 * 1024)} MB)")
        data = b"".join(chunk)
        if last and not re.search(rb"\r?\n\r?\n", data) and data.strip():
            return ImportFailure(name, "truncated mbox: last message has no body")
        return parse_bytes(data, name)

    for line in lines:
        if line.startswith(b"From ") and (prev_blank or _FROM_LINE.match(line)):
            if started:
                yield finish(last=False)
            elif any(c.strip() for c in chunk):
                yield ImportFailure(origin, "not an mbox: text before the first 'From ' line was skipped")
            index += 1
            started = True
            chunk, size, too_big = [], 0, False
            prev_blank = False
            continue
        prev_blank = not line.strip(b"\r\n")
        if too_big:
            continue
        size += len(line)
        if size > _MAX_MESSAGE_BYTES:
            too_big, chunk = True, []
            continue
        chunk.append(_ESCAPED_FROM.sub(rb"\1", line))
    if started:
        yield finish(last=True)
    elif any(c.strip() for c in chunk):
        yield ImportFailure(origin, "not an mbox (no 'From ' line)")


def _from_maildir(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    if not path.is_dir():
        yield ImportFailure(str(path), "not a Maildir (not a folder)")
        return
    for sub in ("cur", "new"):
        folder = path / sub
        try:
            names = sorted(
                e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_file(follow_symlinks=False)
            )
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield ImportFailure(str(folder), _os_reason(exc))
            continue
        for name in names:
            yield from _from_eml(folder / name)


def _from_folder(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    """Every visible file, recursively and sorted; a Maildir inside is read as one (its tmp/ skipped)."""
    try:
        for root, dirs, files in os.walk(path, followlinks=False):
            here = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if here != path and "cur" in dirs and "new" in dirs:
                dirs[:] = []
                yield from _from_maildir(here)
                continue
            for name in sorted(files):
                if not name.startswith("."):
                    yield from _from_file(here / name, "auto")
    except OSError as exc:
        yield ImportFailure(str(path), _os_reason(exc))


def _from_file(path: Path, fmt: str) -> Iterator[ParsedEmail | ImportFailure]:
    if fmt == "auto":
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            yield ImportFailure(str(path), _os_reason(exc))
            return
        fmt = detect_format(path) or "eml"  # unknown content: parse_bytes says why it is not an email
    if fmt == "json":
        return
    yield from (_from_mbox(path) if fmt == "mbox" else _from_eml(path))


_FORMATS = ("auto", "eml", "mbox", "maildir", "folder")


def iter_messages(path: Path, fmt: str = "auto") -> Iterator[ParsedEmail | ImportFailure]:
    """Parsed messages (or per-file/per-message failures) from an .eml, mbox, Maildir, folder or .gz.

    `fmt` forces the kind ("eml", "mbox", "maildir", "folder"); "auto" detects it. JSON files are
    skipped (see `detect_format`). Bad input never raises; an unknown `fmt` raises ValueError at once.
    """
    if fmt not in _FORMATS:
        raise ValueError(f"unknown email format {fmt!r}; expected one of {', '.join(_FORMATS)}")
    return _iter(Path(path), fmt)


def _iter(path: Path, fmt: str) -> Iterator[ParsedEmail | ImportFailure]:
    try:
        exists = path.exists() or path.is_symlink()
    except OSError as exc:
        yield ImportFailure(str(path), _os_reason(exc))
        return
    if not exists:
        yield ImportFailure(str(path), "no such file or folder")
        return
    if fmt == "auto":
        fmt = "maildir" if detect_format(path) == "maildir" else ("folder" if path.is_dir() else "auto")
    if fmt == "maildir":
        yield from _from_maildir(path)
    elif fmt == "folder" or path.is_dir():
        if fmt in ("eml", "mbox"):
            yield ImportFailure(str(path), f"is a folder, not an {fmt} file")
            return
        yield from _from_folder(path)
    else:
        yield from _from_file(path, fmt)
