"""Seller Support cases as values: statuses, channels, a case and its timeline, follow-up times typed by people.

Pure: console/store/contacts.py stores and reads them; the faces show them and parse what operators type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from console.core.clock import parse_iso
from console.core.errors import StoreError
from console.core.textsafe import one_line

STATUSES = ("open", "answered", "requires_attention", "reopened", "closed")
ACTIVE = ("open", "answered", "requires_attention", "reopened")  # not closed
CHANNELS = ("email", "phone", "chat")
DEFAULT_AREAS = ("Selling on Amazon", "Account Health", "Listings and inventory", "Orders and shipping",
                 "Payments and fees", "Fulfillment by Amazon", "Advertising and Brand Stores", "Brand Registry")

SIMILARITY = 0.5  # token Jaccard at or above which two summaries are "the same issue"
FOLLOW_UP_HOUR = 9  # a follow-up given as a day means 09:00 on that day, in the operator's zone


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass
class Case:
    id: int
    account_id: int
    account: str
    marketplace: str | None
    channel: str
    path: str | None
    case_ref: str | None  # Amazon's case ID (optional at first for a phone call)
    summary: str
    status: str
    urgent: bool
    follow_up_at: datetime | None
    notification_id: int | None
    appeal_id: int | None
    opened_at: datetime
    opened_by: str
    updated_at: datetime
    version: int

    @property
    def active(self) -> bool:
        return self.status != "closed"

    def overdue(self, now: datetime) -> bool:
        return self.follow_up_at is not None and self.follow_up_at < now and self.status != "closed"


@dataclass
class Entry:
    """One line of a case's timeline."""

    id: int
    at: datetime
    actor: str
    kind: str  # opened | contact | status | note | follow_up | case_ref
    channel: str | None
    text: str | None
    old_status: str | None
    new_status: str | None


class DuplicateCaseError(StoreError):
    """An active case already covers this account and issue: append to it, or confirm a new case."""

    def __init__(self, candidates: list[Case], notification_id: int | None = None):
        self.candidates = candidates
        active = [c for c in candidates if c.status in ACTIVE] or candidates
        first = active[0]
        ref = f"Amazon {first.case_ref}" if first.case_ref else "no Amazon case ID yet"
        if notification_id is not None and first.notification_id == notification_id:
            about = f"about notification {notification_id}"
        else:
            about = f'with a similar summary ("{one_line(first.summary, 60)}")'
        if first.status in ACTIVE:
            message = (f"case #{first.id} ({ref}, {first.status}) is already open for {first.account} {about}: "
                       f"add this contact to it (--append-to {first.id}) or confirm a new case (--new-case)")
        else:
            message = (f"case #{first.id} ({ref}) for {first.account} {about} was closed: reopen it by adding this "
                       f"contact (--append-to {first.id}) or confirm a new case (--new-case)")
        super().__init__(message)


# --- follow-up times from operator input ------------------------------------------------------

_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([hdw])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[ t](\d{1,2}:\d{2}(?::\d{2})?)$")


def _zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def _localize(naive: datetime, tz: tzinfo, strict: bool) -> datetime:
    """Wall-clock time in tz → aware UTC. A time skipped by a DST change is refused when `strict`
    (the operator typed it), else moved forward by the gap; a repeated time takes its first occurrence."""
    aware = naive.replace(tzinfo=tz, fold=0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        if strict:
            raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {_zone_name(tz)} "
                             "(the clocks skip it for daylight saving time); pick another time")
    return utc


def _at_nine(day, tz: tzinfo) -> datetime:
    return _localize(datetime.combine(day, time(FOLLOW_UP_HOUR)), tz, strict=False)


def parse_follow_up(text: str, now: datetime, tz: tzinfo) -> datetime:
    """Operator input → an aware UTC time. Accepts a date (09:00 in tz that day), a local date and
    time ("2026-11-30 14:00"), full ISO 8601 with an offset or Z, "+3d" / "+4h" / "+2w" (days and
    weeks keep the local wall-clock time across DST changes), "today" and "tomorrow" (09:00 in tz)."""
    raw = one_line(text, 60)
    value = raw.lower()
    if not value:
        raise ValueError("a follow-up needs a date, e.g. 2026-11-30, '2026-11-30 14:00', +3d or tomorrow")
    local_now = now.astimezone(tz)
    if value in ("today", "tomorrow"):
        day = local_now.date() + timedelta(days=1 if value == "tomorrow" else 0)
        return _at_nine(day, tz)
    m = _RELATIVE.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if unit == "h":
            return (now.astimezone(UTC) + timedelta(hours=n)).replace(microsecond=0)
        days = n * (7 if unit == "w" else 1)
        wall = local_now.replace(tzinfo=None, microsecond=0) + timedelta(days=days)
        return _localize(wall, tz, strict=False)
    try:
        if _DATE.match(value):
            return _at_nine(datetime.strptime(value, "%Y-%m-%d").date(), tz)
        m = _LOCAL.match(value)
        if m:
            clock = m.group(2).zfill(8 if m.group(2).count(":") == 2 else 5)
            naive = datetime.fromisoformat(f"{m.group(1)}T{clock}")
            return _localize(naive, tz, strict=True)
        if "t" in value and (value.endswith("z") or re.search(r"[+-]\d{2}:?\d{2}$", value)):
            return parse_iso(raw.upper()).replace(microsecond=0)
    except ValueError as exc:
        if "does not exist" in str(exc):
            raise
        raise ValueError(f"'{raw}' is not a date I can read ({exc})") from None
    raise ValueError(f"'{raw}' is not a follow-up time: use 2026-11-30, '2026-11-30 14:00', "
                     "2026-11-30T14:00Z, +3d, +4h, today or tomorrow")
