"""Reading the audit log: filtered pages (keyset by id, newest first), one row's history, human summaries.

The `audit` table (db.py m001) is append-only and names a table and a row; which seller account a row
belongs to is found through that table: a notification's `account_id`, an appeal's notification, a
case's `account_id`, an accounts row itself. Tables added later are mapped the same way when they carry
an `account_id` or a `notification_id` column. Rows such as a backup or the demo seed belong to no
account. Everything here only reads; `describe` turns a row's JSON detail into one line for the CLI and
the console (cleaned: the detail may quote email subjects).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from console.core.clock import parse_iso
from console.core.textsafe import one_line
from console.store.db import Store

DEFAULT_LIMIT = 200

# For each audited table: rows (id, account_id, marketplace, parent) of that table, so that an audit row can
# be mapped to its account, and the account filter is an index lookup per table.
_OWNERS: dict[str, str] = {
    "accounts": "SELECT id, id AS account_id, NULL AS marketplace, NULL AS parent FROM accounts",
    "notifications": "SELECT id, account_id, marketplace, NULL AS parent FROM notifications",
    "appeals": ("SELECT ap.id AS id, n.account_id AS account_id, n.marketplace AS marketplace, "
                "'notification #' || ap.notification_id AS parent "
                "FROM appeals ap JOIN notifications n ON n.id = ap.notification_id"),
    "cases": ("SELECT id, account_id, marketplace, "
              "CASE WHEN notification_id IS NOT NULL THEN 'notification #' || notification_id END AS parent "
              "FROM cases"),
    "case_entries": ("SELECT e.id AS id, c.account_id AS account_id, c.marketplace AS marketplace, "
                     "'case #' || e.case_id AS parent FROM case_entries e JOIN cases c ON c.id = e.case_id"),
    "health_snapshots": "SELECT id, account_id, marketplace, NULL AS parent FROM health_snapshots",
    "account_status_history": "SELECT id, account_id, marketplace, NULL AS parent FROM account_status_history",
}

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

    @property
    def what(self) -> str:
        """The row it is about: "notification #42 (Seller A · US)"."""
        noun = _NOUNS.get(self.table, self.table.rstrip("s").replace("_", " "))
        if self.table == "accounts":
            base = f"account {self.account}" if self.account else (
                f"account #{self.row_id}" if self.row_id is not None else "accounts")
            return one_line(base, 120)
        base = noun if self.row_id is None else f"{noun} #{self.row_id}"
        context = [p for p in (self.parent, self.account, self.marketplace) if p]
        return one_line(f"{base} ({' · '.join(context)})" if context else base, 160)

    def as_json(self, tz: tzinfo | None = None) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.strftime("%Y-%m-%dT%H:%M:%SZ"), "actor": self.actor,
                "action": self.action, "table": self.table, "row_id": self.row_id, "account_id": self.account_id,
                "account": self.account, "what": self.what, "summary": describe(self, tz), "detail": self.detail}


# --- filters ---------------------------------------------------------------------------------


def _tables(store: Store) -> set[str]:
    return {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(store: Store, table: str) -> set[str]:
    return {r["name"] for r in store.rows(f"SELECT name FROM pragma_table_info('{table}')")}


def _owner_sql(store: Store, table: str) -> str | None:
    """The (id, account_id, marketplace, parent) rows of a table, or None when it belongs to no account."""
    if table in _OWNERS:
        return _OWNERS[table]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table) or table not in _tables(store):
        return None
    cols = _columns(store, table)
    if "id" not in cols:
        return None
    market = "marketplace" if "marketplace" in cols else "NULL"
    if "account_id" in cols:
        return f"SELECT id, account_id, {market} AS marketplace, NULL AS parent FROM \"{table}\""
    if "notification_id" in cols:
        return (f"SELECT t.id AS id, n.account_id AS account_id, n.marketplace AS marketplace, "
                f"'notification #' || t.notification_id AS parent "
                f"FROM \"{table}\" t JOIN notifications n ON n.id = t.notification_id")
    return None


def _account_tables(store: Store) -> list[str]:
    """Tables whose rows belong to an account (the ones above, and later ones with an account column)."""
    names = sorted(_tables(store) - {"audit"})
    return [t for t in names if not t.startswith(("sqlite_", "_")) and _owner_sql(store, t) is not None]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(store: Store, since: datetime | None, account_id: int | None, table: str | None, row_id: int | None,
           actor: str | None, words: list[str] | None, action: str | None) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if since is not None:
        # Ids follow time closely but not exactly (clocks of several machines): the id bound lets SQLite walk
        # the primary key from the newest row down to the first that can match, the time test stays exact.
        clauses.append("a.at >= :since AND a.id >= coalesce((SELECT min(id + 0) FROM audit WHERE at >= :since), "
                       "9223372036854775807)")
        params["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if table is not None:
        clauses.append("a.table_name = :table")
        params["table"] = table
    if row_id is not None:
        clauses.append("a.row_id = :row_id")
        params["row_id"] = row_id
    if actor is not None:
        clauses.append("a.actor = :actor")
        params["actor"] = actor
    if action is not None:
        clauses.append("(a.action = :action OR a.action LIKE :action_prefix ESCAPE '\\')")
        params["action"] = action
        params["action_prefix"] = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%"
    if account_id is not None:
        params["account"] = account_id
        terms = []
        for i, name in enumerate(t for t in _account_tables(store) if table is None or t == table):
            sql = _owner_sql(store, name)
            if sql is None:
                continue
            params[f"t{i}"] = name
            terms.append(f"(a.table_name = :t{i} AND a.row_id IN (SELECT id FROM ({sql}) WHERE account_id = :account))")
        clauses.append("(" + " OR ".join(terms) + ")" if terms else "0")
    for i, word in enumerate(words or []):
        params[f"w{i}"] = _like(word)
        clauses.append(f"(a.action LIKE :w{i} ESCAPE '\\' OR a.detail LIKE :w{i} ESCAPE '\\' "
                       f"OR a.actor LIKE :w{i} ESCAPE '\\' OR a.table_name LIKE :w{i} ESCAPE '\\')")
    return clauses, params


def query(store: Store, since: datetime | None = None, account_id: int | None = None, table: str | None = None,
          row_id: int | None = None, actor: str | None = None, limit: int = DEFAULT_LIMIT,
          before_id: int | None = None, *, words: list[str] | None = None, action: str | None = None,
          offset: int = 0) -> list[AuditEntry]:
    """Audit rows newest first. Page on with `before_id` = the last id of the previous page (keyset);
    `offset` is only for a jump (the console's last page). `limit` 0 or below: all of them.
    `words` must each appear in the action, actor, table or detail; `action` matches it or its family
    ("case" matches case.open, case.status...)."""
    clauses, params = _where(store, since, account_id, table, row_id, actor, words, action)
    if before_id is not None:
        clauses.append("a.id < :before")
        params["before"] = before_id
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params["limit"] = limit if limit > 0 else -1
    params["offset"] = max(offset, 0) if before_id is None else 0
    rows = store.rows(f"SELECT a.* FROM audit a {where} ORDER BY a.id DESC LIMIT :limit OFFSET :offset", params)
    return annotate(store, rows)


def count(store: Store, since: datetime | None = None, account_id: int | None = None, table: str | None = None,
          row_id: int | None = None, actor: str | None = None, *, words: list[str] | None = None,
          action: str | None = None) -> int:
    clauses, params = _where(store, since, account_id, table, row_id, actor, words, action)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return store.rows(f"SELECT count(*) AS n FROM audit a {where}", params)[0]["n"]


def history(store: Store, table: str, row_id: int) -> list[AuditEntry]:
    """One row's audit trail, oldest first. A notification's includes its appeals' and its cases' rows."""
    params: dict[str, Any] = {"table": table, "row": row_id}
    sql = "SELECT a.* FROM audit a WHERE a.table_name = :table AND a.row_id = :row"
    if table == "notifications":
        sql += (" UNION ALL SELECT a.* FROM audit a WHERE a.table_name = 'appeals' AND a.row_id IN "
                "(SELECT id FROM appeals WHERE notification_id = :row)"
                " UNION ALL SELECT a.* FROM audit a WHERE a.table_name = 'cases' AND a.row_id IN "
                "(SELECT id FROM cases WHERE notification_id = :row)")
    return annotate(store, store.rows(f"SELECT * FROM ({sql}) ORDER BY id", params))


def get(store: Store, entry_id: int) -> AuditEntry | None:
    rows = store.rows("SELECT a.* FROM audit a WHERE a.id = ?", (entry_id,))
    return annotate(store, rows)[0] if rows else None


def actors(store: Store) -> list[str]:
    return [r["actor"] for r in store.rows("SELECT DISTINCT actor FROM audit ORDER BY actor")]


# --- mapping rows to accounts ------------------------------------------------------------------


def _detail(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"raw": text}
    return value if isinstance(value, dict) else {"value": value}


def annotate(store: Store, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Audit rows as entries carrying their account, marketplace and parent (a few queries per page)."""
    entries = []
    for r in rows:
        try:
            at = parse_iso(r["at"])
        except (ValueError, TypeError):
            at = datetime.fromtimestamp(0, UTC)
        entries.append(AuditEntry(id=r["id"], at=at, actor=r["actor"], action=r["action"], table=r["table_name"],
                                  row_id=r["row_id"], detail=_detail(r["detail"])))
    by_table: dict[str, list[AuditEntry]] = {}
    for e in entries:
        if e.row_id is not None:
            by_table.setdefault(e.table, []).append(e)
    for table, group in by_table.items():
        sql = _owner_sql(store, table)
        if sql is None:
            continue
        ids = sorted({e.row_id for e in group})
        owners = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for o in store.rows(f"SELECT * FROM ({sql}) WHERE id IN ({marks})", chunk):
                owners[o["id"]] = o
        for e in group:
            o = owners.get(e.row_id)
            if o:
                e.account_id, e.marketplace, e.parent = o["account_id"], o["marketplace"], o["parent"]
    for e in entries:  # a row since deleted, or one that names its account in the detail
        if e.account_id is None and isinstance(e.detail.get("account_id"), int):
            e.account_id = e.detail["account_id"]
    wanted = {e.account_id for e in entries if e.account_id is not None}
    for e in entries:
        ids = e.detail.get("account_id")
        if isinstance(ids, list):
            wanted.update(i for i in ids if isinstance(i, int))
    names: dict[int, str] = {}
    if wanted:
        ordered = sorted(wanted)
        marks = ",".join("?" * len(ordered))
        names = {r["id"]: r["name"] for r in store.rows(f"SELECT id, name FROM accounts WHERE id IN ({marks})",
                                                         ordered)}
    for e in entries:
        e.account = names.get(e.account_id) if e.account_id is not None else None
        e.names = names
    return entries


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
            "chars": "characters"}.get(key, key.replace("_", " "))


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
        parts = ["claimed" + (f", taking it over from {old}" if old else "")]
    elif action == "notification.release":
        parts = ["released the claim"]
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
