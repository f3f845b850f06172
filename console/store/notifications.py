"""Notifications: saving, reading in triage order one page at a time, counting, changing status."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.clock import parse_iso, to_iso
from console.model import Notification, Severity, Status
from console.store.db import ConflictError, NotFoundError, Store, StoreError
from console.textsafe import clean, one_line
from console.triage import Filter, FilterError

TRIAGE_ORDER = "n.bucket, n.sev_rank, n.deadline_sort, n.received_at DESC, n.id DESC"
LIST_COLUMNS = (
    "n.id, n.account_id, a.name AS account, n.marketplace, n.severity, n.category, n.subject, "
    "n.received_at, n.deadline_at, n.status, n.assignee, n.version"
)
MAX_BODY = 1_000_000


@dataclass
class NewNotification:
    """What a paste, a form or an import hands to `add_notification`."""

    account_id: int
    marketplace: str
    received_at: datetime
    subject: str
    body: str
    category: str
    severity: str
    policy: str | None = None
    asins: list[str] | None = None
    skus: list[str] | None = None
    order_ids: list[str] | None = None
    complaint_id: str | None = None
    deadline_at: datetime | None = None
    deadline_text: str | None = None
    action_taken: str | None = None
    status: str = Status.NEW.value
    source: str = "manual"
    external_id: str | None = None
    assignee: str | None = None


def _json_list(values: list[str] | None) -> str:
    return json.dumps([one_line(v, 80) for v in (values or []) if v and v.strip()], ensure_ascii=False)


def add_notification(store: Store, new: NewNotification) -> int:
    """Save one notification (untrusted text cleaned here) and audit it; returns its id."""
    try:
        severity = Severity(new.severity).value
        status = Status(new.status).value
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    body = clean(new.body)
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n[flagdesk: notice truncated at 1 MB]"
    subject = one_line(new.subject, 300) or "(no subject)"
    now = store.now_iso()
    with store.write() as conn:
        mp = conn.execute(
            "SELECT 1 FROM account_marketplaces WHERE account_id = ? AND marketplace = ?",
            (new.account_id, new.marketplace),
        ).fetchone()
        if not mp:
            name = conn.execute("SELECT name FROM accounts WHERE id = ?", (new.account_id,)).fetchone()
            if not name:
                raise NotFoundError(f"no account with id {new.account_id}")
            raise StoreError(f"account '{name[0]}' does not sell in marketplace '{one_line(new.marketplace, 10)}'")
        cur = conn.execute(
            """INSERT INTO notifications (account_id, marketplace, received_at, subject, body, category,
                   severity, status, policy, asins, skus, order_ids, complaint_id, deadline_at, deadline_text,
                   action_taken, source, external_id, assignee, created_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                new.account_id, new.marketplace, to_iso(new.received_at), subject, body,
                one_line(new.category, 60) or "other", severity, status, one_line(new.policy, 200) or None,
                _json_list(new.asins), _json_list(new.skus), _json_list(new.order_ids),
                one_line(new.complaint_id, 80) or None,
                to_iso(new.deadline_at) if new.deadline_at else None, one_line(new.deadline_text, 120) or None,
                one_line(new.action_taken, 120) or None, new.source, new.external_id, new.assignee, now, now,
            ),
        )
        nid = cur.lastrowid
        store.audit("notification.add", "notifications", nid,
                    {"subject": subject, "source": new.source, "severity": severity, "category": new.category})
    return nid


def _to_model(row: dict[str, Any]) -> Notification:
    return Notification(
        id=row["id"], account_id=row["account_id"], account=row["account"], marketplace=row["marketplace"],
        received_at=parse_iso(row["received_at"]), subject=row["subject"], body=row["body"],
        category=row["category"], severity=Severity(row["severity"]), status=Status(row["status"]),
        policy=row["policy"], asins=json.loads(row["asins"]), skus=json.loads(row["skus"]),
        order_ids=json.loads(row["order_ids"]), complaint_id=row["complaint_id"],
        deadline_at=parse_iso(row["deadline_at"]) if row["deadline_at"] else None,
        action_taken=row["action_taken"], source=row["source"], external_id=row["external_id"],
        assignee=row["assignee"], version=row["version"],
    )


def get_notification(store: Store, nid: int) -> Notification:
    rows = store.rows(
        "SELECT n.*, a.name AS account FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.id = ?",
        (nid,),
    )
    if not rows:
        raise NotFoundError(f"no notification with id {nid}")
    return _to_model(rows[0])


# --- listing ------------------------------------------------------------------------------


def _where(f: Filter) -> tuple[str, list[Any]]:
    clauses: list[str] = ["a.archived = 0"]
    params: list[Any] = []
    if f.account_ids is not None:
        clauses.append(f"n.account_id IN ({','.join('?' * len(f.account_ids)) or 'NULL'})")
        params.extend(f.account_ids)
    if f.account_prefix:
        clauses.append("a.name LIKE ? ESCAPE '\\'")
        params.append(f.account_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    for column, values in (("n.status", f.statuses), ("n.category", f.categories),
                           ("n.severity", f.severities), ("n.marketplace", f.marketplaces)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if f.assignee:
        clauses.append("n.assignee = ?")
        params.append(f.assignee)
    if f.text:
        clauses.append("n.id IN (SELECT rowid FROM notifications_fts WHERE notifications_fts MATCH ?)")
        params.append(f.text)
    return " AND ".join(clauses), params


def _run_filtered(store: Store, sql: str, params: list[Any], f: Filter) -> list[dict[str, Any]]:
    try:
        return store.rows(sql, params)
    except sqlite3.OperationalError as exc:
        if f.text and ("fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc)):
            raise FilterError(f"cannot search for {f.text}: {exc}") from None
        raise


def list_page(store: Store, f: Filter, offset: int, limit: int) -> list[dict[str, Any]]:
    """One page of list rows in triage order (no bodies: the list never loads them)."""
    where, params = _where(f)
    sql = (
        f"SELECT {LIST_COLUMNS} FROM notifications n JOIN accounts a ON a.id = n.account_id "
        f"WHERE {where} ORDER BY {TRIAGE_ORDER} LIMIT ? OFFSET ?"
    )
    return _run_filtered(store, sql, [*params, limit, offset], f)


def count(store: Store, f: Filter) -> tuple[int, int]:
    """(rows, unread rows) matching the filter."""
    where, params = _where(f)
    sql = (
        "SELECT count(*) AS n, coalesce(sum(n.status = 'new'), 0) AS unread FROM notifications n "
        f"JOIN accounts a ON a.id = n.account_id WHERE {where}"
    )
    row = _run_filtered(store, sql, params, f)[0]
    return row["n"], row["unread"]


def position_of(store: Store, f: Filter, nid: int) -> int | None:
    """Where notification nid sits in the filtered triage order (None if filtered out)."""
    where, params = _where(f)
    target = store.rows(
        "SELECT bucket, sev_rank, deadline_sort, received_at, id FROM notifications WHERE id = ?", (nid,)
    )
    if not target:
        return None
    t = target[0]
    sql = (
        f"SELECT count(*) AS before FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE {where} AND "
        "(n.bucket, n.sev_rank, n.deadline_sort, -julianday(n.received_at), -n.id) < (?, ?, ?, -julianday(?), ?)"
    )
    row = _run_filtered(store, sql, [*params, t["bucket"], t["sev_rank"], t["deadline_sort"],
                                     t["received_at"], -t["id"]], f)
    return row[0]["before"]


def unread_counts(store: Store) -> dict[tuple[int, str], int]:
    """Unread notifications per (account id, marketplace), archived accounts left out."""
    rows = store.rows(
        "SELECT n.account_id, n.marketplace, count(*) AS unread FROM notifications n "
        "JOIN accounts a ON a.id = n.account_id WHERE n.status = 'new' AND a.archived = 0 "
        "GROUP BY n.account_id, n.marketplace"
    )
    return {(r["account_id"], r["marketplace"]): r["unread"] for r in rows}


def status_summary(store: Store, now: datetime) -> list[dict[str, Any]]:
    """Per active account: unread, open, due within 24 h, overdue."""
    now_s, soon_s = to_iso(now), to_iso(now + timedelta(hours=24))
    return store.rows(
        """SELECT a.id, a.name AS account,
                  coalesce(sum(n.status = 'new'), 0) AS unread,
                  coalesce(sum(n.bucket < 2), 0) AS open,
                  coalesce(sum(n.bucket < 2 AND n.deadline_at >= ? AND n.deadline_at < ?), 0) AS due_24h,
                  coalesce(sum(n.bucket < 2 AND n.deadline_at < ?), 0) AS overdue
           FROM accounts a LEFT JOIN notifications n ON n.account_id = a.id
           WHERE a.archived = 0 GROUP BY a.id ORDER BY a.name COLLATE NOCASE""",
        (now_s, soon_s, now_s),
    )


# --- changes ------------------------------------------------------------------------------


def _who_changed(store: Store, nid: int) -> str:
    last = store.last_change("notifications", nid)
    return f" by {last['actor']} at {last['at']}" if last else ""


def mark_read(store: Store, nid: int) -> bool:
    """new → read as one conditional UPDATE; False when it was not unread (nothing changed)."""
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE notifications SET status = 'read', version = version + 1, updated_at = ? "
            "WHERE id = ? AND status = 'new'",
            (store.now_iso(), nid),
        )
        if cur.rowcount:
            store.audit("notification.status", "notifications", nid, {"status": ["new", "read"]})
    return bool(cur.rowcount)


def set_status(store: Store, nid: int, status: Status | str, expected_version: int | None = None) -> Notification:
    """Move a notification to another status; refuses if someone changed it since expected_version."""
    status = Status(status)
    with store.write() as conn:
        row = conn.execute("SELECT status, version FROM notifications WHERE id = ?", (nid,)).fetchone()
        if not row:
            raise NotFoundError(f"no notification with id {nid}")
        old, version = row
        if expected_version is not None and version != expected_version:
            raise ConflictError(
                f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; "
                "nothing was saved — look again and retry"
            )
        if old != status.value:
            conn.execute(
                "UPDATE notifications SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (status.value, store.now_iso(), nid),
            )
            store.audit("notification.status", "notifications", nid, {"status": [old, status.value]})
    return get_notification(store, nid)


EDITABLE = ("subject", "category", "severity", "policy", "complaint_id", "deadline_at", "action_taken",
            "assignee", "marketplace")


def update_notification(store: Store, nid: int, expected_version: int, changes: dict[str, Any]) -> Notification:
    """Edit fields with an optimistic version check; the audit row keeps old and new values."""
    unknown = set(changes) - set(EDITABLE) - {"asins", "skus", "order_ids"}
    if unknown:
        raise StoreError(f"cannot edit {', '.join(sorted(unknown))}")
    with store.write() as conn:
        current = conn.execute("SELECT * FROM notifications WHERE id = ?", (nid,)).fetchone()
        if current is None:
            raise NotFoundError(f"no notification with id {nid}")
        cols = [d[0] for d in conn.execute("SELECT * FROM notifications LIMIT 0").description]
        old = dict(zip(cols, current))
        if old["version"] != expected_version:
            raise ConflictError(
                f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; nothing was saved"
            )
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("asins", "skus", "order_ids"):
                value = _json_list(value)
            elif key == "deadline_at" and isinstance(value, datetime):
                value = to_iso(value)
            elif key == "severity":
                value = Severity(value).value
            elif isinstance(value, str):
                value = one_line(value, 300) or None
            if old[key] != value:
                values[key] = value
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(
                f"UPDATE notifications SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",
                (*values.values(), store.now_iso(), nid),
            )
            store.audit("notification.edit", "notifications", nid, {k: [old[k], v] for k, v in values.items()})
    return get_notification(store, nid)


def as_json(n: Notification) -> dict[str, Any]:
    """The JSON shape of `flagdesk list/show --json` (field names from the issue)."""
    return {
        "id": n.id, "account": n.account, "marketplace": n.marketplace, "received_at": to_iso(n.received_at),
        "subject": n.subject, "body": n.body, "category": n.category, "severity": n.severity.value,
        "status": n.status.value, "policy": n.policy, "asins": n.asins, "skus": n.skus, "order_ids": n.order_ids,
        "complaint_id": n.complaint_id, "deadline_at": to_iso(n.deadline_at) if n.deadline_at else None,
        "action_taken": n.action_taken, "source": n.source, "external_id": n.external_id,
        "assignee": n.assignee, "version": n.version,
    }
