"""What a change to many notifications at once did, and how it reads: pure, shared by the console and the CLI.

console/store/batch.py makes a `BulkResult` (one BEGIN IMMEDIATE transaction, an audit row per notification
changed plus one for the whole change); the faces say it in the same words, the issue's own:
"47 done; 3 changed by maria meanwhile, left as they are".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# The changes: how each is named in a title, what "nothing to do" means for one notification, and what a dry
# run says would happen to those it changes ({to}: what it changes to, e.g. "high").
CHANGES: dict[str, tuple[str, str, str]] = {
    "read": ("Mark read", "not unread", "marked read"),
    "unread": ("Mark unread", "already unread", "marked unread"),
    "resolved": ("Close as resolved", "already resolved", "resolved"),
    "dismissed": ("Close as dismissed", "already dismissed", "dismissed"),
    "claim": ("Claim", "already yours", "claimed by you"),
    "release": ("Release", "not claimed", "released"),
    "assign": ("File under", "already filed there", "filed under {to}"),
    "severity": ("Set severity", "already at that severity", "set to {to}"),
    "undo": ("Undo", "nothing to undo", "put back"),
}


@dataclass
class BulkResult:
    """One change to many notifications: which were changed, which were left and why."""

    change: str  # a key of CHANGES
    dry_run: bool = False
    done: list[int] = field(default_factory=list)  # changed (or, in a dry run, would be)
    unchanged: list[int] = field(default_factory=list)  # already so: nothing to write
    moved: dict[int, str] = field(default_factory=dict)  # changed by someone meanwhile: id -> who, as shown
    refused: dict[int, str] = field(default_factory=dict)  # id -> why ("claimed by maria (os: ops1)")
    missing: list[int] = field(default_factory=list)  # no such notification
    before: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> the old values of what changed
    after: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> the new values
    versions: dict[int, int] = field(default_factory=dict)  # id -> its version after the change
    audit_id: int | None = None  # the audit row of the whole change (None: nothing was written)
    label: str = ""  # what was changed to, in words, when the title alone does not say it ("high", "Northwind US")
    undo_of: int | None = None  # for an undo: the audit row of the change it undid

    @property
    def title(self) -> str:
        title = CHANGES[self.change][0]
        return f"{title} {self.label}" if self.label else title

    @property
    def left(self) -> int:
        """Notifications asked for and not changed because of someone or something else."""
        return len(self.moved) + len(self.refused) + len(self.missing)

    def summary(self, me: str | None = None) -> str:
        """"47 done; 3 changed by maria meanwhile, left as they are; 2 not unread". `me`: how this session
        appears in `moved`, said as "you"."""
        would = f"would be {CHANGES[self.change][2].format(to=self.label)}"
        parts = [f"{len(self.done):,} {would if self.dry_run else 'done'}"]
        by_who: dict[str, int] = defaultdict(int)
        for who in self.moved.values():
            by_who["you" if me is not None and who == me else who] += 1
        for who, n in by_who.items():
            since = "since" if self.change == "undo" else "meanwhile"
            parts.append(f"{n:,} changed by {who} {since}, left as {'they are' if n != 1 else 'it is'}")
        by_reason: dict[str, int] = defaultdict(int)
        for why in self.refused.values():
            by_reason[why] += 1
        claimed = [why for why in by_reason if why.startswith("claimed by ")]
        if len(claimed) > 1:  # several owners: one part naming them, not one part each
            names = [why[len("claimed by "):].removesuffix(", not by you") for why in claimed]
            n = sum(by_reason.pop(why) for why in claimed)
            shown = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
            parts.append(f"{n:,} claimed by others ({shown}), left as {'they are' if n != 1 else 'it is'}")
        for why, n in by_reason.items():
            parts.append(f"{n:,} {why}, left as {'they are' if n != 1 else 'it is'}")
        if self.unchanged:
            parts.append(f"{len(self.unchanged):,} {CHANGES[self.change][1]}")
        if self.missing:
            shown = ", ".join(f"#{i}" for i in self.missing[:5]) + (" …" if len(self.missing) > 5 else "")
            parts.append(f"{len(self.missing):,} not found ({shown})")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {"change": self.change, "title": self.title, "dry_run": self.dry_run,
                "asked": len(self.done) + len(self.unchanged) + self.left, "done": self.done,
                "unchanged": self.unchanged,
                "changed_meanwhile": [{"id": i, "by": who} for i, who in self.moved.items()],
                "refused": [{"id": i, "reason": why} for i, why in self.refused.items()],
                "missing": self.missing, "audit_id": self.audit_id, "summary": self.summary()}
