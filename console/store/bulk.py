"""Many generated rows at once, for the large demo database (`flagdesk demo --size large`, the benchmarks).

The generator in console/demo/seed.py decides what the rows hold; these functions write them inside the
caller's one `store.write()` transaction, with explicit ids so that related rows can point at each other,
and read back what a demo file holds without opening it as a Store (no migration, no write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from console.store.signatures import store_signatures


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def seeded_by_demo(path: Path) -> bool:
    """True when the file is absent, empty, holds no tables of its own, or was seeded by `flagdesk demo`."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        conn = _read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "notifications" not in tables:
                return not tables - {"_sqlite_migrations"}
            return conn.execute("SELECT 1 FROM audit WHERE action = 'demo.seed' LIMIT 1").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def large_counts(path: Path) -> dict[str, int] | None:
    """What a large demo database at path holds, or None when it is not one (or is not there)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = _read_only(path)
        try:
            seeded = conn.execute("SELECT 1 FROM audit WHERE action = 'demo.seed' AND detail LIKE '%\"appeals\"%' "
                                  "LIMIT 1").fetchone()
            if not seeded:
                return None
            one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
            return {"accounts": one("SELECT count(*) FROM accounts"),
                    "notifications": one("SELECT count(*) FROM notifications"),
                    "appeals": one("SELECT count(*) FROM appeals"),
                    "revisions": one("SELECT count(*) FROM appeal_revisions"),
                    "contacts": one("SELECT count(*) FROM cases")}
        finally:
            conn.close()
    except sqlite3.Error:
        return None


_NEXT_ID = {table: f"SELECT coalesce(max(id), 0) + 1 FROM {table}" for table in ("notifications", "appeals", "cases")}


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id the next row of `table` (notifications, appeals or cases) gets."""
    return conn.execute(_NEXT_ID[table]).fetchone()[0]


def add_account(conn: sqlite3.Connection, name: str, created_at: str, marketplaces: Sequence[str]) -> int:
    cur = conn.execute("INSERT INTO accounts (name, created_at) VALUES (?, ?)", (name, created_at))
    conn.executemany("INSERT INTO account_marketplaces (account_id, marketplace, position) VALUES (?,?,?)",
                     [(cur.lastrowid, mp, p) for p, mp in enumerate(marketplaces)])
    return cur.lastrowid


def add_notifications(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Rows of (id, account_id, marketplace, received_at, subject, body, category, severity, status, policy,
    asins, skus, order_ids, complaint_id, deadline_at, source, external_id, created_at, updated_at, cause, why)."""
    conn.executemany(
        """INSERT INTO notifications (id, account_id, marketplace, received_at, subject, body, category, severity,
               status, policy, asins, skus, order_ids, complaint_id, deadline_at, source, external_id,
               created_at, updated_at, cause, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)


def add_appeals(conn: sqlite3.Connection, appeals: list[tuple], revisions: list[tuple]) -> None:
    """Appeals (id, notification_id, author, created_at, updated_at, text, revision, status, route, channel,
    submitted_at, submitted_by, outcome_at), their revisions (appeal_id, number, text, author, created_at,
    note), and each appeal's similarity signature, as every save stores it."""
    conn.executemany(
        "INSERT INTO appeals (id, notification_id, author, created_at, updated_at, text, revision, status, route, "
        "channel, submitted_at, submitted_by, outcome_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", appeals)
    conn.executemany("INSERT INTO appeal_revisions (appeal_id, number, text, author, created_at, note) "
                     "VALUES (?,?,?,?,?,?)", revisions)
    store_signatures(conn, ((r[0], r[6], r[5]) for r in appeals))  # (id, revision, text)


def add_cases(conn: sqlite3.Connection, cases: list[tuple], entries: list[tuple]) -> None:
    """Cases (id, account_id, marketplace, channel, path, case_ref, summary, status, urgent, follow_up_at,
    notification_id, appeal_id, opened_at, opened_by, updated_at) and their timeline entries (case_id, at,
    actor, kind, channel, text, old_status, new_status)."""
    conn.executemany(
        "INSERT INTO cases (id, account_id, marketplace, channel, path, case_ref, summary, status, urgent, "
        "follow_up_at, notification_id, appeal_id, opened_at, opened_by, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
    conn.executemany("INSERT INTO case_entries (case_id, at, actor, kind, channel, text, old_status, new_status) "
                     "VALUES (?,?,?,?,?,?,?,?)", entries)
