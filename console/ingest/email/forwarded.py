"""Forwarded notices: the original sender and recipients from a forwarded message's inner header block
(or its attached message), and the content hash that ignores "Fwd:" prefixes."""

from __future__ import annotations

import hashlib
import re
from email.message import Message

from console.ingest.email.headers import addresses, raw_headers

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


def forwarded(subject: str, text: str, inner: Message | None) -> tuple[str | None, list[str]]:
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
        senders = addresses([block.get("from", "")])
        return (senders[0] if senders else None), addresses([block.get("to", ""), block.get("cc", "")])
    if inner is not None:  # forwarded as an attachment
        headers = raw_headers(inner)
        senders = addresses(headers.get("from", []))
        return (senders[0] if senders else None), addresses(headers.get("to", []) + headers.get("cc", []))
    return None, []


# --- content hash -------------------------------------------------------------------------------

_FWD_PREFIX = re.compile(r"^(?:\s*(?:fwd?)\s*:)+", re.I)


def content_hash(subject: str, text: str, flat_text: str | None = None) -> str:
    norm_subject = " ".join(_FWD_PREFIX.sub("", subject).split()).lower()
    norm_text = (" ".join(text.split()) if flat_text is None else flat_text).lower()
    return hashlib.sha256(f"{norm_subject}\n{norm_text}".encode("utf-8", errors="surrogatepass")).hexdigest()
