"""Alerts (schema step m018): each event that a rule of `[alerts]` raises is one row, once (its `event` key is
unique: a restart or a second watcher finds it there), then delivered to each alert URL and marked.

A delivery is claimed first (claimed_at/claimed_by, in a write transaction), so two watchers never send the
same alert; a claim older than CLAIM_STALE (a watcher killed while sending) is taken over. Every new alert
and every delivery leaves an audit row.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from console.core.clock import to_iso
from console.core.textsafe import one_line
from console.store.db import Store

CLAIM_STALE = timedelta(minutes=5)
MAX_NEW = 200  # new notifications or status changes looked at per evaluation (the rest the next time)


def _mark(conn, rule: str) -> int:
    row = conn.execute("SELECT value FROM alert_marks WHERE rule = ?", (rule,)).fetchone()
    return int(row[0]) if row else 0


def _set_mark(conn, rule: str, value: int) -> None:
    conn.execute("INSERT INTO alert_marks VALUES (?, ?) ON CONFLICT (rule) DO UPDATE SET value = excluded.value",
                 (rule, str(value)))


def skip_past(store: Store) -> None:
    """No alert URL configured: what is stored now raises no alert later (the marks move to the newest)."""
    conn = store.conn
    newest = (conn.execute("SELECT coalesce(max(id), 0) FROM notifications").fetchone()[0],
              conn.execute("SELECT coalesce(max(id), 0) FROM account_status_history").fetchone()[0])
    if newest == (_mark(conn, "notification_id"), _mark(conn, "status_id")):
        return
    with store.write() as conn:
        _set_mark(conn, "notification_id", newest[0])
        _set_mark(conn, "status_id", newest[1])


def _events(conn, rules: dict[str, Any], now: datetime) -> tuple[list[tuple[str, str, str, str]], dict[str, int]]:
    """(event, rule, title, body) of every event the rules raise now, and the marks to move."""
    out: list[tuple[str, str, str, str]] = []
    marks: dict[str, int] = {}
    name = "coalesce((SELECT a.name FROM accounts a WHERE a.id = {}.account_id), 'Unassigned')"
    statuses = [s.upper() for s in rules["account_statuses"]]
    last = _mark(conn, "status_id")
    rows = conn.execute(f"SELECT h.id, {name.format('h')}, h.marketplace, h.previous, h.current, h.at, "
                        "h.notification_id FROM account_status_history h WHERE h.id > ? ORDER BY h.id LIMIT ?",
                        (last, MAX_NEW)).fetchall()
    covered = set()
    for hid, account, mp, previous, current, at, nid in rows:
        marks["status_id"] = hid
        if (current or "").upper() in statuses:
            covered.add(nid)
            out.append((f"status:{hid}", "account_status", f"{account}: account status {previous or '?'} -> {current}",
                        f"{account}{' ' + mp if mp else ''}: the Selling Partner API says the account status "
                        f"changed from {previous or 'unknown'} to {current} at {at}."))
    severities = list(rules["severities"])
    last = _mark(conn, "notification_id")
    rows = conn.execute(f"SELECT n.id, {name.format('n')}, n.marketplace, n.subject, n.severity, n.received_at, "
                        "n.deadline_at FROM notifications n WHERE n.id > ? ORDER BY n.id LIMIT ?",
                        (last, MAX_NEW)).fetchall()
    for nid, account, mp, subject, severity, received, deadline in rows:
        marks["notification_id"] = nid
        if severity in severities and nid not in covered:
            out.append((f"notification:{nid}", "severity", f"{severity} notice: {account}: {subject}",
                        f"{account} {mp}: {subject} (severity {severity}, received {received}"
                        + (f", deadline {deadline}" if deadline else "") + f"; notification #{nid})."))
    hours = float(rules["deadline_hours"])
    if hours > 0:
        rows = conn.execute(
            f"SELECT n.id, {name.format('n')}, n.marketplace, n.subject, n.deadline_at FROM notifications n "
            "INDEXED BY notifications_open_due WHERE n.status NOT IN ('resolved', 'dismissed') "
            "AND n.deadline_at IS NOT NULL AND n.deadline_at > ? AND n.deadline_at <= ? ORDER BY n.deadline_at",
            (to_iso(now), to_iso(now + timedelta(hours=hours)))).fetchall()
        for nid, account, mp, subject, deadline in rows:
            out.append((f"deadline:{nid}:{deadline}", "deadline", f"deadline {deadline}: {account}: {subject}",
                        f"{account} {mp}: {subject}: still open, its deadline {deadline} is within {hours:g} "
                        f"hours (notification #{nid})."))
    if rules["follow_ups"]:
        rows = conn.execute(
            "SELECT c.id, coalesce((SELECT a.name FROM accounts a WHERE a.id = c.account_id), '?'), c.summary, "
            "c.case_ref, c.follow_up_at FROM cases c INDEXED BY cases_follow_up WHERE c.status != 'closed' "
            "AND c.follow_up_at IS NOT NULL AND c.follow_up_at < ? ORDER BY c.follow_up_at", (to_iso(now),)).fetchall()
        for cid, account, summary, ref, follow in rows:
            out.append((f"follow_up:{cid}:{follow}", "follow_up",
                        f"Seller Support follow-up overdue: {account}: {summary}",
                        f"{account}: the follow-up of Seller Support case {ref or '#' + str(cid)} ({summary}) was "
                        f"due {follow}."))
    return out, marks


def evaluate(store: Store, rules: dict[str, Any]) -> int:
    """Record every new event the rules raise (once each); how many were new. Nothing new: no write (the
    watch evaluates every half minute, and a write would wake every console's refresh)."""
    now = store.clock.now()
    conn = store.conn
    events, marks = _events(conn, rules, now)
    known = {r[0] for r in _chunked_known(conn, [e[0] for e in events])}
    fresh = [e for e in events if e[0] not in known]
    moved = {k: v for k, v in marks.items() if v != _mark(conn, k)}
    if not fresh and not moved:
        return 0
    with store.write() as conn:
        at = to_iso(now)
        new = 0
        for event, rule, title, body in fresh:
            cur = conn.execute("INSERT INTO alerts (event, rule, title, body, created_at) VALUES (?, ?, ?, ?, ?) "
                               "ON CONFLICT (event) DO NOTHING",
                               (event, rule, one_line(title, 200), one_line(body, 1000), at))
            if cur.rowcount:
                new += 1
                store.audit("alert_raised", "alerts", cur.lastrowid, {"event": event, "rule": rule})
        for rule, value in moved.items():
            _set_mark(conn, rule, value)
    return new


def _chunked_known(conn, events: list[str]) -> list[tuple]:
    out: list[tuple] = []
    for start in range(0, len(events), 500):
        part = events[start:start + 500]
        out += conn.execute(f"SELECT event FROM alerts WHERE event IN ({', '.join('?' * len(part))})", part).fetchall()
    return out


def claim(store: Store, who: str, digest_minutes: float) -> list[dict[str, Any]]:
    """The alerts waiting to be sent, claimed by `who` (none while a digest is not due yet)."""
    now = store.clock.now()
    if store.conn.execute("SELECT 1 FROM alerts INDEXED BY alerts_pending WHERE sent_at IS NULL AND rule != 'test' "
                          "LIMIT 1").fetchone() is None:
        return []  # nothing waits: no write
    with store.write() as conn:
        if digest_minutes > 0:
            row = conn.execute("SELECT value FROM alert_marks WHERE rule = 'digest_at'").fetchone()
            if row and now - datetime.fromisoformat(row[0].replace("Z", "+00:00")) < timedelta(minutes=digest_minutes):
                return []
        rows = store.rows("SELECT id, event, rule, title, body, delivered, attempts FROM alerts INDEXED BY alerts_pending "
                          "WHERE sent_at IS NULL AND rule != 'test' AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY created_at, id",
                          (to_iso(now - CLAIM_STALE),))
        if rows:
            conn.executemany("UPDATE alerts SET claimed_at = ?, claimed_by = ? WHERE id = ?",
                             [(to_iso(now), who, r["id"]) for r in rows])
    for r in rows:
        r["delivered"] = json.loads(r["delivered"])
    return rows


def delivered(store: Store, ids: list[int], url_key: str, urls: list[str], error: str | None,
              digest: bool = False) -> None:
    """One URL's delivery of alerts (error None: it went); an alert every URL has is sent. The claim ends."""
    now = store.now_iso()
    with store.write() as conn:
        for alert_id in ids:
            row = conn.execute("SELECT delivered FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            have = json.loads(row[0])
            if error is None and url_key not in have:
                have.append(url_key)
            done = all(u in have for u in urls)
            conn.execute("UPDATE alerts SET delivered = ?, attempts = attempts + ?, last_error = ?,"
                         " sent_at = CASE WHEN ? THEN ? ELSE sent_at END WHERE id = ?",
                         (json.dumps(have), 1, one_line(error, 300) if error else None,
                          done, now, alert_id))
            store.audit("alert_sent" if error is None else "alert_failed", "alerts", alert_id,
                        {"url": url_key, **({"error": one_line(error, 300)} if error else {})})
        if digest and error is None:
            _set_mark_text(conn, "digest_at", now)


def release(store: Store, ids: list[int]) -> None:
    with store.write() as conn:
        conn.executemany("UPDATE alerts SET claimed_at = NULL, claimed_by = NULL WHERE id = ?", [(i,) for i in ids])


def _set_mark_text(conn, rule: str, value: str) -> None:
    conn.execute("INSERT INTO alert_marks VALUES (?, ?) ON CONFLICT (rule) DO UPDATE SET value = excluded.value",
                 (rule, value))


def record_test(store: Store, title: str, body: str, error: str | None) -> None:
    """`flagdesk alerts test`: its message listed with the others."""
    now = store.now_iso()
    with store.write() as conn:
        cur = conn.execute("INSERT INTO alerts (event, rule, title, body, created_at, sent_at, attempts, last_error)"
                           " VALUES (?, 'test', ?, ?, ?, ?, 1, ?)",
                           (f"test:{uuid.uuid4()}", title, body, now, None if error else now,
                            one_line(error, 300) if error else None))
        store.audit("alert_test", "alerts", cur.lastrowid, {"error": one_line(error, 300)} if error else {})


def listing(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """The newest alerts, sent or waiting."""
    return store.rows("SELECT id, event, rule, title, created_at, sent_at, attempts, last_error FROM alerts "
                      "ORDER BY id DESC LIMIT ?", (limit,))
