"""The one injectable clock: every "now" in flagdesk comes from here.

`FLAGDESK_NOW` (an ISO 8601 time) freezes it for a whole process, so a demo or a
tmux session can be replayed exactly; tests pass a `FrozenClock` instead.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def parse_iso(value: str) -> datetime:
    """Parse ISO 8601 (a trailing Z allowed) into an aware UTC datetime."""
    dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def to_iso(dt: datetime) -> str:
    """Format an aware datetime as the UTC text stored in the database (sortable)."""
    dt = dt.astimezone(UTC)
    # strftime does not pad years below 1000, and such text would not parse back.
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}Z"


class Clock:
    """The real clock, unless FLAGDESK_NOW freezes it."""

    def now(self) -> datetime:
        frozen = os.environ.get("FLAGDESK_NOW")
        if frozen:
            return parse_iso(frozen)
        return datetime.now(UTC).replace(microsecond=0)


class FrozenClock(Clock):
    """A clock that always says the same time (tests, snapshots)."""

    def __init__(self, at: datetime | str):
        self.at = parse_iso(at) if isinstance(at, str) else at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at
