"""Audit entries as people read them: the row a change is about, a one-line summary of its detail, `--since`.

Pure: console/store/audit_log.py reads the rows and makes AuditEntry values; the CLI and the console show
them through `AuditEntry.what` and `describe` (cleaned: the detail may quote email subjects).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from console.core.clock import parse_iso
from console.core.identity import who
from console.core.textsafe import one_line

DEFAULT_LIMIT = 200

# How a table's row is named in "what" ("notification #42").
_NOUNS = {"accounts": "account", "notifications": "notification", "appeals": "appeal", "cases": "case",
          "case_entries": "case entry", "health_snapshots": "health snapshot",
          "account_status_history": "account status change", "database": "database"}


@dataclass
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    table: str
    row_id: int | None
    detail: dict[str, Any]
    account_id: int | None = None
    account: str | None = None  # the account's current name
    marketplace: str | None = None
    parent: str | None = None  # "notification #42" for an appeal, "case #3" for a case entry
    names: dict[int, str] = field(default_factory=dict)  # account ids the detail mentions -> names
    os_user: str | None = None  # who ran it (None: a row from before flagdesk recorded the OS user)
    shared: bool = False  # that OS user is seen with several display names: `actor` is declared, not verified

    @property
    def who(self) -> str:
        """Who did it, as shown: "maria (os: ops1)", "ops1", "maria (os: ops1, declared, not verified)"."""
        return one_line(who(self.actor, self.os_user, self.shared), 120)

    @property
    def what(self) -> str:
        """The row it is about: "notification #42 (Seller A · US)"."""
        noun = _NOUNS.get(self.table, self.table.rstrip("s").replace("_", " "))
        if self.table == "accounts":
            base = f"account {self.account}" if self.account else (
                f"account #{self.row_id}" if self.row_id is not None else "accounts")
            return one_line(base, 120)
        if self.row_id is None and self.action == "notification.bulk":
            return "many notifications"  # each one's own row names it
        base = noun if self.row_id is None else f"{noun} #{self.row_id}"
        context = [p for p in (self.parent, self.account, self.marketplace) if p]
        return one_line(f"{base} ({' · '.join(context)})" if context else base, 160)

    def as_json(self, tz: tzinfo | None = None) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.strftime("%Y-%m-%dT%H:%M:%SZ"), "actor": self.actor,
                "os_user": self.os_user, "name_verified": self.os_user is not None and not self.shared,
                "action": self.action, "table": self.table, "row_id": self.row_id, "account_id": self.account_id,
                "account": self.account, "what": self.what, "summary": describe(self, tz), "detail": self.detail}


# --- one line for people -----------------------------------------------------------------------


def _value(key: str, value: Any, entry: AuditEntry, tz: tzinfo | None) -> str:
    if key == "account_id" and value is None:
        return "Unassigned"
    if value is None:
        return "none"
    if key == "account_id" and isinstance(value, int):
        return entry.names.get(value, f"#{value}")
    if key.endswith("_at") and isinstance(value, str):
        try:
            return _local(parse_iso(value), tz)
        except ValueError:
            return value
    if key in ("bulk", "undo_of") and isinstance(value, int):
        return f"#{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(key, v, entry, tz) for v in value) or "none"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _local(dt: datetime, tz: tzinfo | None) -> str:
    return dt.astimezone(tz or UTC).strftime("%Y-%m-%d %H:%M")


def _label(key: str) -> str:
    return {"account_id": "account", "case_ref": "Amazon case", "follow_up_at": "follow-up",
            "chars": "characters", "bulk": "in bulk change", "undo_of": "undoing bulk change"}.get(
        key, key.replace("_", " "))


def _generic(detail: dict[str, Any], entry: AuditEntry, tz: tzinfo | None, skip: tuple[str, ...] = ()) -> list[str]:
    parts = []
    for key, value in detail.items():
        if key in skip:
            continue
        if isinstance(value, list) and len(value) == 2 and key not in ("marketplaces", "emails", "failing_checks"):
            parts.append(f"{_label(key)} {_value(key, value[0], entry, tz)} → {_value(key, value[1], entry, tz)}")
        elif value is True:
            parts.append(_label(key))
        elif value in (None, False, [], {}, ""):
            continue
        else:
            parts.append(f"{_label(key)} {_value(key, value, entry, tz)}")
    return parts


def _size(n: Any) -> str:
    if not isinstance(n, int):
        return "?"
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def describe(entry: AuditEntry, tz: tzinfo | None = None) -> str:
    """A short human summary of the row's detail, e.g. "status new → read"; times in `tz` (default UTC)."""
    d = entry.detail
    action = entry.action
    parts: list[str]
    if action == "notification.add":
        parts = [f"“{d.get('subject', '')}”"] + [
            str(d[k]) for k in ("severity", "category") if d.get(k)] + (
            [f"from {d['source']}"] if d.get("source") else [])
        parts = [" ".join(parts[:1]) + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")]
    elif action == "account.add":
        parts = [f"{d.get('name', '')} ({', '.join(d.get('marketplaces') or [])})"]
        if d.get("emails"):
            parts.append("notices to " + ", ".join(map(str, d["emails"])))
    elif action == "account.rename":
        parts = [f"renamed to {d.get('name', '')}"]
    elif action == "account.marketplaces":
        parts = [f"added {', '.join(map(str, d.get('added') or []))} (now {', '.join(map(str, d.get('marketplaces') or []))})"]
    elif action in ("account.archive", "account.unarchive"):
        parts = ["archived" if action == "account.archive" else "brought back"]
    elif action == "appeal.create":
        parts = [f"draft for notification #{d.get('notification_id')}"]
        if d.get("revised_from"):
            parts.append(f"revised from appeal #{d['revised_from']}")
    elif action == "appeal.save":
        parts = [f"revision {d.get('revision')} ({d.get('chars', 0):,} characters)"
                 if isinstance(d.get("chars"), int) else f"revision {d.get('revision')}"]
    elif action == "appeal.review":
        parts = [f"reviewed revision {d.get('revision')}"]
        if d.get("declared"):
            parts.append(f"declared, not verified: {d['declared']}")
    elif action == "appeal.submit":
        parts = [f"via {d.get('route')}" + (f" ({d['channel']})" if d.get("channel") else "")]
        if d.get("case_id"):
            parts.append(f"Amazon case {d['case_id']}")
        if d.get("failing_checks"):
            parts.append(f"override “{d.get('override_reason') or ''}” (failing: {', '.join(d['failing_checks'])})")
    elif action == "appeal.outcome":
        parts = [str(d.get("outcome"))] + ([f"“{d['note']}”"] if d.get("note") else [])
    elif action == "notification.claim":
        old = (d.get("assignee") or [None])[0]
        old_os = (d.get("assignee_os") or [None])[0]
        parts = ["claimed" + (f", taking it over from {who(old, old_os)}" if old else "")]
    elif action == "notification.release":
        old = (d.get("assignee") or [None])[0]
        old_os = (d.get("assignee_os") or [None])[0]
        parts = [f"released {who(old, old_os)}'s claim (forced)" if d.get("forced") else "released the claim"]
    elif action == "policy.set":
        values = d.get("value") if isinstance(d.get("value"), list) else [None, d.get("value")]
        shown = [str(v).lower() if isinstance(v, bool) else _value("", v, entry, tz) for v in (values[0], values[-1])]
        parts = [f"team policy {d.get('key')} {shown[0]} → {shown[1]}",
                 f"“{d.get('reason') or ''}”"]
    elif action == "notification.appeal_button":
        parts = [f"Appeal button used for appeal #{d.get('appeal_id')}"]
    elif action == "case.open":
        parts = [f"opened by {d.get('channel')}"]
        parts += _generic(d, entry, tz, skip=("channel", "account_id", "duplicate_confirmed"))
        dup = d.get("duplicate_confirmed")
        if isinstance(dup, dict):
            parts.append(f"second case despite #{', #'.join(map(str, dup.get('candidates') or []))}: "
                         f"“{dup.get('reason') or ''}”")
    elif action == "case.contact":
        parts = [f"contact by {d.get('channel')}"]
        if d.get("chars"):
            parts.append(f"{d['chars']:,} characters" if isinstance(d["chars"], int) else str(d["chars"]))
        if d.get("reopened"):
            parts.append("reopened the case")
        if d.get("follow_up_at"):
            parts.append(f"follow-up {_value('follow_up_at', d['follow_up_at'], entry, tz)}")
    elif action == "case.note":
        parts = [f"note ({d.get('chars', 0)} characters)"]
    elif action == "health.snapshot":
        parts = ["snapshot" + (f" {d['marketplace']}" if d.get("marketplace") else "")
                 + (f" from {d['origin']}" if d.get("origin") else "")]
    elif action == "notification.bulk":
        parts = [_bulk(d)]
    elif action == "demo.seed":
        parts = [", ".join(f"{v} {k}" for k, v in d.items())]
    elif action == "backup":
        parts = [f"to {d.get('path')} ({_size(d.get('bytes'))})"]
        counts = [f"{d[k]} {k}" for k in ("notifications", "appeals", "cases") if k in d]
        if counts:
            parts.append(", ".join(counts))
    elif action == "restore":
        parts = [f"from {d.get('from')}", f"previous database kept at {d.get('safety_copy')}"]
    else:
        parts = _generic(d, entry, tz, skip=("account_id",) if action == "account.status" else ())
    return one_line("; ".join(p for p in parts if p), 300)


def _bulk(d: dict[str, Any]) -> str:
    """ "bulk mark read (filter severity:low): 47 done; 3 changed by others meanwhile, left as they were"."""
    from console.core.bulk import CHANGES

    change = str(d.get("change"))
    title = CHANGES.get(change, (change,))[0].lower() + (f" {d['to']}" if d.get("to") else "")
    how = []
    if d.get("query"):
        how.append(f"filter {d['query']}")
    if d.get("marked"):
        how.append("marked rows")
    if isinstance(d.get("undo_of"), int):
        how.append(f"of bulk change #{d['undo_of']}")
    counts = [f"{d.get('done', 0)} done"]
    if d.get("changed_meanwhile"):
        counts.append(f"{len(d['changed_meanwhile'])} changed by others meanwhile, left as they were")
    if d.get("refused"):
        counts.append(f"{len(d['refused'])} refused")
    if d.get("unchanged"):
        counts.append(f"{d['unchanged']} already so")
    if d.get("missing"):
        counts.append(f"{len(d['missing'])} not found")
    return f"bulk {title}" + (f" ({', '.join(how)})" if how else "") + ": " + "; ".join(counts)


# --- --since -----------------------------------------------------------------------------------

_RELATIVE = re.compile(r"^[-+]?\s*(\d{1,5})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$")


def parse_since(text: str, now: datetime, tz: tzinfo) -> datetime:
    """`--since`: ISO 8601 (a date alone is midnight in tz), or relative to now: 30m, 2h, 3d, 1w;
    "today" and "yesterday" are midnight in tz."""
    raw = one_line(text, 60)
    value = raw.lower()
    if not value:
        raise ValueError("--since needs a time, e.g. 2h, 3d, yesterday or 2026-11-20")
    local_now = now.astimezone(tz)
    if value in ("today", "yesterday"):
        day = local_now.date() - timedelta(days=1 if value == "yesterday" else 0)
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    m = _RELATIVE.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2)[0]
        delta = {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n),
                 "w": timedelta(weeks=n)}[unit]
        return (now - delta).astimezone(UTC)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(0), tzinfo=tz).astimezone(UTC)
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{raw}' is not a time: use 2h, 3d, 1w, yesterday, 2026-11-20 or "
                         "2026-11-20T08:00Z") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(UTC)
