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

This package is the face; the work is done in its modules, each importing only those above it here:

- `records`: `ParsedEmail`, `ImportFailure` and the size limits (`MAX_BODY_CHARS`, ...);
- `senders`: Amazon senders and marketplaces (`is_amazon_sender`, `marketplace_from_address`);
- `text`: text cleaning shared by the rest (lone surrogates, one-line folding);
- `headers`: header decoding and charsets (raw headers, encoded words, addresses, Message-ID, Date);
- `html_text`: HTML to text (`html_to_text`);
- `mime`: MIME parts (the text part, its payload and charset, attachments) and the body made of them;
- `forwarded`: forwarded notices (the inner header block) and the content hash;
- `parse`: one message's bytes to a record (`parse_bytes`, `peek`, `header_block`);
- `readers`: files, mboxes, Maildirs, folders and .gz (`detect_format`, `read_message`, `iter_messages`).
"""

from __future__ import annotations

from console.ingest.email.html_text import html_to_text
from console.ingest.email.parse import header_block, parse_bytes, peek
from console.ingest.email.readers import detect_format, iter_messages, read_message
from console.ingest.email.records import (
    MAX_BODY_CHARS,
    TRUNCATION_NOTE,
    ImportFailure,
    ParsedEmail,
)
from console.ingest.email.senders import (
    DEFAULT_SENDER_PATTERNS,
    is_amazon_sender,
    marketplace_from_address,
)

__all__ = [
    "DEFAULT_SENDER_PATTERNS",
    "MAX_BODY_CHARS",
    "TRUNCATION_NOTE",
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
