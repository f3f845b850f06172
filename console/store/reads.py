"""The reads behind `flagdesk status`, on a plain sqlite3 connection.

The store's modules call these (`notifications.status_summary`, `contacts.overdue_count`,
`health.health_summary` pass their Store's connection), and the quick `status` path calls them
directly, so both run the same SQL. This module sits outside `console.store` on purpose: importing
that package loads db.py (pathlib, json, typing), which would cost `flagdesk status` more than its
queries do. Standard library only: `datetime` and, for a health summary, `json`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from console.core.clock import to_iso

UNASSIGNED = "Unassigned"

# The schema steps (console/store/db.py) a database must have, all of them and nothing newer, for the
# quick path to read it without the store; anything else takes the store's path, which migrates or
# refuses. Named here because importing db.py for them would cost more than the queries:
# tests/test_status_fast.py fails until a step added there is added here too.
SCHEMA_STEPS = ("m001_initial", "m002_appeals", "m003_imports", "m004_contacts", "m005_claims",
                "m006_audit_indexes", "m007_perf_indexes", "m008_audit_guard", "m009_appeal_signatures",
                "m010_audit_chain", "m011_reading", "m012_os_identity", "m013_account_state",
                "m014_listing_issues", "m015_counts", "m016_sources", "m017_attachments", "m018_alerts",
                "m019_lean_status")


Error = sqlite3.Error  # what a read here can raise besides ValueError: the quick status catches it by this name


def rows(conn: sqlite3.Connection, sql: str, params: tuple | dict = ()) -> list[dict]:
    """Every row of a read as a dict (the cursor exhausted at once)."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def open_current(path: str) -> sqlite3.Connection | None:
    """A connection for reading the flagdesk database at path, or None when the store would have to
    write to it first: no file yet (it creates one), schema steps missing (it migrates)
    or unknown (it refuses), not in WAL mode (it switches). Unreadable files are None too: the store
    names the problem.

    The file is opened read-write but without create (`mode=rw`) and never written: a read-only
    connection could leave -wal/-shm files behind that only the last read-write one removes."""
    if path == ":memory:" or not path:
        return None
    # A URI, for mode=rw; "file://" + an absolute path, so that one starting "//" is not read as a host.
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    uri = f"file://{escaped}?mode=rw" if path.startswith("/") else f"file:{escaped}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=8.0)  # the store's busy timeout (db.BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            raise LookupError
        applied = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'flagdesk'").fetchall()
        if {r[0] for r in applied} != set(SCHEMA_STEPS):
            raise LookupError
    except (sqlite3.Error, LookupError):
        conn.close()
        return None
    return conn


def status_summary(conn: sqlite3.Connection, now: datetime) -> list[dict]:
    """Per active account (by name), then the unassigned notices when any is open: unread, open, due
    within 24 h, overdue.

    Unread and open are sums of the account's counters (notification_counts, kept by triggers: schema step
    m015); overdue is its open notices with a deadline less those whose deadline is still ahead, and due
    within 24 h a range of those: index ranges over the deadlines to come, a few at any size."""
    found = rows(conn, """
        WITH k(id, account) AS (
            SELECT id, name FROM accounts WHERE archived = 0
            UNION ALL SELECT NULL, :unassigned)
        SELECT k.id, k.account,
            (SELECT coalesce(sum(n), 0) FROM notification_counts
             WHERE account_id = coalesce(k.id, 0) AND status = 'new') AS unread,
            (SELECT coalesce(sum(n), 0) FROM notification_counts
             WHERE account_id = coalesce(k.id, 0) AND status NOT IN ('resolved', 'dismissed')) AS open,
            (SELECT count(*) FROM notifications INDEXED BY notifications_open_deadline
             WHERE account_id IS k.id AND status NOT IN ('resolved', 'dismissed')
               AND deadline_at >= :now AND deadline_at < :soon) AS due_24h,
            (SELECT coalesce(sum(n), 0) FROM notification_counts
             WHERE account_id = coalesce(k.id, 0) AND status NOT IN ('resolved', 'dismissed') AND dated = 1)
            - (SELECT count(*) FROM notifications INDEXED BY notifications_open_deadline
               WHERE account_id IS k.id AND status NOT IN ('resolved', 'dismissed') AND deadline_at >= :now)
              AS overdue
        FROM k ORDER BY k.id IS NULL, k.account COLLATE NOCASE""",
        {"unassigned": UNASSIGNED, "now": to_iso(now), "soon": to_iso(now + timedelta(hours=24))})
    return [r for r in found if r["id"] is not None or r["open"]]


# The fates that make an account's state, most serious first, with the words `status` and the sidebar use, and
# the SP-API account statuses that stand for them. Here rather than in a data file so that the quick
# `flagdesk status` needs no TOML parser (tomllib and re would cost it 20 ms); tests/test_account_state.py
# checks that each is a fate of the reading rules.
STATES = (("account_deactivated", "deactivated"), ("account_under_review", "under review"),
          ("account_at_risk", "at risk"), ("funds_held", "funds held"))
STATUS_STATES = {"DEACTIVATED": "account_deactivated", "SUSPENDED": "account_deactivated",
                 "AT_RISK": "account_at_risk"}


def account_states(conn: sqlite3.Connection) -> dict[int, str]:
    """Each account's state in words ("deactivated", "at risk", ...), for the accounts that have one, the most
    serious first: the gravest fate among its open notices and its latest SP-API account status."""
    rank = {fate: i for i, (fate, _) in enumerate(STATES)}
    found: dict[int, int] = {}

    def note(account_id: int, fate: str | None) -> None:
        if fate in rank:
            found[account_id] = min(found.get(account_id, len(STATES)), rank[fate])

    # Per fate, the accounts that have an open notice of it: one index seek per account (a skip scan), not a
    # read of every such notice (100k open deactivation notices at 1M would cost 10 ms).
    for fate, _ in STATES:
        for (account_id,) in conn.execute(
                "WITH RECURSIVE a(id) AS ("
                " SELECT min(account_id) FROM notifications INDEXED BY notifications_open_fate"
                "  WHERE category = :fate AND status NOT IN ('resolved', 'dismissed') AND account_id IS NOT NULL"
                " UNION ALL SELECT (SELECT min(account_id) FROM notifications INDEXED BY notifications_open_fate"
                "  WHERE category = :fate AND status NOT IN ('resolved', 'dismissed') AND account_id > a.id)"
                " FROM a WHERE a.id IS NOT NULL) SELECT id FROM a WHERE id IS NOT NULL", {"fate": fate}):
            note(account_id, fate)
    for account_id, current in conn.execute(
            "SELECT h.account_id, h.current FROM account_status_history h WHERE h.id = ("
            "SELECT l.id FROM account_status_history l WHERE l.account_id = h.account_id "
            "ORDER BY l.at DESC, l.id DESC LIMIT 1) AND h.account_id IS NOT NULL"):
        note(account_id, STATUS_STATES.get((current or "").upper()))
    return {account_id: STATES[r][1] for account_id, r in sorted(found.items(), key=lambda item: item[1])}


def overdue_follow_ups(conn: sqlite3.Connection, now: datetime) -> int:
    """Seller Support cases not closed whose follow-up time has passed."""
    return sum(overdue_follow_ups_by_account(conn, now).values())


def overdue_follow_ups_by_account(conn: sqlite3.Connection, now: datetime) -> dict[int, int]:
    """The same, per account id: one range of the partial index of open cases' follow-up times."""
    return dict(conn.execute(
        "SELECT account_id, count(*) FROM cases INDEXED BY cases_follow_up "
        "WHERE status != 'closed' AND follow_up_at IS NOT NULL AND follow_up_at < ? GROUP BY account_id",
        (to_iso(now),),
    ).fetchall())


def decode_snapshot(row: dict) -> dict:
    """A health_snapshots row with its JSON columns read."""
    import json

    row = dict(row)
    row["metrics"] = json.loads(row["metrics"])
    row["policy_counts"] = json.loads(row["policy_counts"])
    row["warning_states"] = json.loads(row["warning_states"])
    return row


def health_summary(conn: sqlite3.Connection, account_id: int, bands: dict[str, int]) -> dict | None:
    """The account's latest status and health across marketplaces, for the sidebar and `status --json`."""
    latest = rows(conn,
        """SELECT h.* FROM health_snapshots h JOIN (
               SELECT marketplace, max(id) AS id FROM health_snapshots WHERE account_id = ? GROUP BY marketplace
           ) last ON last.id = h.id ORDER BY h.marketplace""", (account_id,))
    history = rows(conn, "SELECT current FROM account_status_history WHERE account_id = ? "
                         "ORDER BY at DESC, id DESC LIMIT 1", (account_id,))
    if not latest and not history:
        return None
    snaps = [decode_snapshot(r) for r in latest]
    statuses = [s["account_status"] for s in snaps if s["account_status"]]
    order = ["DEACTIVATED", "SUSPENDED", "AT_RISK", "WARNING", "NORMAL"]
    worst = min(statuses, key=lambda s: order.index(s) if s in order else 2) if statuses else None
    status = history[0]["current"] if history and not worst else worst
    scores = [s["ahr_score"] for s in snaps if s["ahr_score"] is not None]
    # The AHR status of the weakest marketplace: the lowest score, else the first one reported.
    scored = sorted((s for s in snaps if s["ahr_status"]), key=lambda s: (s["ahr_score"] is None, s["ahr_score"] or 0))
    bad = sorted({f"{s['marketplace']}:{m['name']}{'/' + m['channel'] if m.get('channel') else ''}"
                  for s in snaps for m in s["metrics"] if m.get("status") == "BAD"})
    score = min(scores) if scores else None
    return {"status": status, "ahr_status": scored[0]["ahr_status"] if scored else None, "ahr_score": score,
            "ahr_band": band(score, bands), "bad_metrics": bad}


def band(score: int | None, bands: dict[str, int]) -> str | None:
    """Account Health Rating band: healthy (green), at_risk (yellow), unhealthy (red)."""
    if score is None:
        return None
    if score >= bands.get("healthy", 200):
        return "healthy"
    if score >= bands.get("at_risk", 100):
        return "at_risk"
    return "unhealthy"
