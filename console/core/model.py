"""flagdesk's vocabulary: accounts, notifications and their enums. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 is the most severe; the inbox sorts on this."""
        return list(Severity).index(self)


class Status(StrEnum):
    NEW = "new"
    READ = "read"
    IN_PROGRESS = "in_progress"
    APPEALED = "appealed"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def closed(self) -> bool:
        return self in (Status.RESOLVED, Status.DISMISSED)


@dataclass
class Account:
    id: int
    name: str
    marketplaces: list[str]
    emails: list[str] = field(default_factory=list)
    seller_id: str | None = None
    archived: bool = False
    version: int = 1


@dataclass
class Notification:
    id: int
    account_id: int
    account: str
    marketplace: str
    received_at: datetime
    subject: str
    body: str
    category: str  # the fate: what happened, and to whom (console/core/reading.py)
    severity: Severity
    status: Status
    policy: str | None = None
    cause: str = "other"  # the policy or metric behind it
    why: dict | None = None  # what decided the reading: {"fate": {sentence, phrase, rule}, "cause": ..., "severity": reason}
    corrected: list[str] = field(default_factory=list)  # fields an operator set by hand: a reread keeps them
    asins: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    order_ids: list[str] = field(default_factory=list)
    complaint_id: str | None = None
    deadline_at: datetime | None = None
    action_taken: str | None = None
    source: str = "manual"
    external_id: str | None = None
    assignee: str | None = None  # the operator who claimed it (display name)
    assignee_os: str | None = None  # their OS user (None: claimed before flagdesk recorded it)
    claimed_at: datetime | None = None
    version: int = 1
    appeal_button_used_at: datetime | None = None
    appeal_button_used_by: str | None = None
    # False: filed under a marketplace its account does not list (the API named it; `accounts add-marketplace`).
    marketplace_listed: bool = True

    @property
    def unread(self) -> bool:
        return self.status is Status.NEW


MARKETPLACES = ("US", "CA", "MX", "BR", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "TR",
                "IE", "JP", "AU", "SG", "IN", "AE", "SA", "EG")


@dataclass
class Progress:
    """How far an import is: units done of those found (a message file, a mailbox, a JSON file each) and
    how many failures so far. Sent after each unit or batch, and once at the start with done = 0."""

    done: int
    total: int
    failed: int


@dataclass
class Extracted:
    """What flagdesk read from a notice's text (ingest/extract.py), or what an operator corrected by hand."""

    subject: str
    body: str
    asins: list[str]
    skus: list[str]
    order_ids: list[str]
    complaint_id: str | None
    policy: str | None
    deadline_at: datetime | None
    deadline_text: str | None
    action_taken: str | None
    category: str  # the fate
    severity: str
    marketplace: str | None
    cause: str = "other"
    why: dict | None = None  # Reading.why_json(): the sentence and phrase that decided fate, cause and severity
