"""MIME parts: which part holds the text (attachments and attached messages aside), its payload bytes
and charset, and the readable body made of it."""

from __future__ import annotations

import re
from email.message import Message

from console.core.textsafe import clean, one_line
from console.ingest.email.headers import decode
from console.ingest.email.html_text import html_to_text
from console.ingest.email.records import MAX_DECODED_CHARS


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


def text_parts(msg: Message) -> tuple[Message | None, Message | None, Message | None]:
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


def body_text(msg: Message, warnings: list[str], depth: int = 0,
          parts: tuple[Message | None, Message | None, Message | None] | None = None) -> tuple[str, bool, bool]:
    """The readable body text, whether it was cut before conversion, and whether it is already cleaned
    (plain text is; text from HTML is not). `parts`: msg's `text_parts`, when known."""
    plain, markup, inner = parts or text_parts(msg)
    part = plain or markup
    if part is None:
        if inner is not None and depth < 5:
            return body_text(inner, warnings, depth + 1)
        warnings.append(f"no text body ({one_line(_content_type(msg), 60)})")
        return "", False, True
    text = decode(_payload_bytes(part), _charset(part), warnings, "body")
    cut = len(text) > MAX_DECODED_CHARS
    if cut:
        text = text[:MAX_DECODED_CHARS]
    if part is markup:
        return html_to_text(text), cut, False
    return _rstrip_lines(clean(text)).strip("\n"), cut, True


def _rstrip_lines(text: str) -> str:
    """Each line without trailing whitespace. Cleaned ASCII text can only end a line in a space or a tab:
    when none does, there is nothing to do."""
    if text.isascii() and " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))
