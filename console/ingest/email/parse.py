"""One message's bytes to a `ParsedEmail` (or an `ImportFailure`): the compat32 parse with its fast
path for plain header blocks, and `peek`, which reads the header block alone."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from console.core.textsafe import one_line
from console.ingest.email.forwarded import content_hash, forwarded
from console.ingest.email.headers import (
    KNOWN_HEADERS,
    addresses,
    date,
    decode_words,
    message_id,
    raw_headers,
    unique,
)
from console.ingest.email.mime import body_text, text_parts
from console.ingest.email.records import (
    MAX_BODY_CHARS,
    MAX_MESSAGE_BYTES,
    TRUNCATION_NOTE,
    ImportFailure,
    ParsedEmail,
)
from console.ingest.email.text import SURROGATE, clean_line, safe_text


def strip_envelope(data: bytes) -> bytes:
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
    data = strip_envelope(bytes(data))
    if not data.strip():
        return ImportFailure(origin, "empty file")
    if len(data) > MAX_MESSAGE_BYTES:
        return ImportFailure(origin, f"message too large (over {MAX_MESSAGE_BYTES // (1024 * 1024)} MB)")
    msg = _message(data)
    headers = raw_headers(msg)
    if not KNOWN_HEADERS.intersection(headers):
        return ImportFailure(origin, "not an email (no headers)")

    warnings: list[str] = []
    senders = addresses(headers.get("from", []))
    recipients = addresses(
        [value for name in ("to", "cc", "delivered-to", "x-original-to") for value in headers.get(name, [])]
    )
    subject = SURROGATE.sub("\ufffd", clean_line(decode_words((headers.get("subject") or [""])[0], warnings)))
    parts = text_parts(msg)
    body, cut, cleaned = body_text(msg, warnings, parts=parts)
    text = body.replace("\xa0", " ") if cleaned else safe_text(body)  # clean(clean(x)) == clean(x)
    truncated = cut or len(text) > MAX_BODY_CHARS
    if truncated:
        text = text[:MAX_BODY_CHARS] + TRUNCATION_NOTE
    fwd_sender, fwd_recipients = forwarded(subject, text, parts[2])
    flat_text = " ".join(text.split())
    return ParsedEmail(
        origin=origin,
        message_id=message_id(headers.get("message-id", [])),
        sender=senders[0] if senders else "",
        recipients=recipients,
        forwarded_sender=fwd_sender,
        forwarded_recipients=fwd_recipients,
        subject=subject,
        date=date(headers.get("date", []), warnings),
        text=text,
        truncated=truncated,
        warnings=unique(one_line(w, 300) for w in warnings),
        content_hash=content_hash(subject, text, flat_text),
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
        data = strip_envelope(bytes(data))
        if not data.strip() or len(data) > MAX_MESSAGE_BYTES:
            return None
        headers = raw_headers(email.message_from_bytes(header_block(data), policy=email.policy.compat32))
        if not KNOWN_HEADERS.intersection(headers):
            return None
        senders = addresses(headers.get("from", []))
        return message_id(headers.get("message-id", [])), (senders[0] if senders else "")
    except Exception:
        return None
