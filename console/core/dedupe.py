"""When two notices are the same notice: what a paste or `flagdesk add` is compared with before it is stored.

Two notices are the same when their normalised content matches (the subject without "Fwd:"-style
prefixes, and the text, compared without case, spacing or punctuation), or when they carry the same
complaint ID for the same account and marketplace. Imports de-duplicate by Message-ID and content
already (console/ingest/email/forwarded.py); this is the same rule for the ways in that type or paste.
"""

from __future__ import annotations

import re

_PREFIX = re.compile(r"^(?:\s*(?:fwd?|fw|wg|tr|rv|re)\s*:)+", re.I)
_NOT_WORD = re.compile(r"[\W_]+")


def subject_key(subject: str) -> str:
    """The subject as the same notice has it whether forwarded or not: no prefix, one case, one spacing."""
    return " ".join(_PREFIX.sub("", subject or "").split()).lower()


def content_key(subject: str, body: str) -> str:
    """The notice's words in order, without case, spacing or punctuation."""
    return _NOT_WORD.sub(" ", f"{subject_key(subject)}\n{body or ''}".lower()).strip()
