"""Header decoding and charsets: raw compat32 header values, RFC 2047 encoded words, addresses,
Message-ID and Date, and the charset-to-codec decoding the body shares."""

from __future__ import annotations

import base64
import binascii
import codecs
import email.utils
import functools
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from email.message import Message

from console.core.textsafe import one_line
from console.ingest.email.text import SURROGATE, clean_line

# --- charsets -----------------------------------------------------------------------------------


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


def decode(data: bytes, charset: str | None, warnings: list[str], what: str) -> str:
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
KNOWN_HEADERS = frozenset(
    "from to cc bcc subject date message-id received return-path mime-version content-type "
    "content-transfer-encoding delivered-to x-original-to reply-to sender in-reply-to references "
    "dkim-signature x-mailer user-agent".split()
)


def _raw_header_str(value: object) -> str:
    """A raw compat32 header value as text: 8-bit bytes (surrogate-escaped) decoded, folds removed."""
    text = str(value)
    if SURROGATE.search(text):
        raw = text.encode("utf-8", errors="surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    return _FOLD.sub("", text) if "\n" in text else text


def raw_headers(msg: Message) -> dict[str, list[str]]:
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


def decode_words(value: str, warnings: list[str]) -> str:
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
        out.append(text if charset is None else decode(text.encode("latin-1"), charset, warnings, "header"))
    return "".join(out)


_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def addresses(values: Iterable[str]) -> list[str]:
    """Addresses in header values, lowercased and unique.

    A value the address parser cannot read cleanly (";" lists, "[mailto:...]" tails) is scanned instead.
    """
    found: list[str] = []
    for value in values:
        found.extend(_value_addresses(value))
    return unique(found)


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


def message_id(values: list[str]) -> str | None:
    if not values:
        return None
    value = clean_line(values[0], 998)
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


def date(values: list[str], warnings: list[str]) -> datetime | None:
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
