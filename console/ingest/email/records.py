"""What parsing a message yields (`ParsedEmail`, or an `ImportFailure` saying why not) and the size
limits that bound the work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MAX_BODY_CHARS = 1_000_000
TRUNCATION_NOTE = "\n\n[flagdesk: body truncated at 1 MB]"
MAX_MESSAGE_BYTES = 100 * 1024 * 1024  # one message (or one decompressed .gz) larger than this is refused
MAX_DECODED_CHARS = 20 * MAX_BODY_CHARS  # decoded body cut before HTML conversion, to bound the work


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
