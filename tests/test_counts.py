"""The notification counters (schema step m015) agree with counting the notifications, after any writes: the
status line, the sidebar and the flag read them instead of counting half a million index entries at 1M."""

from __future__ import annotations

import random
from datetime import timedelta

from console.core.clock import to_iso
from console.core.model import Status
from console.store import notifications as notes
from console.store import reads

from .conftest import NOW


def recount(conn) -> dict:
    return {k: n for *k, n in conn.execute(
        "SELECT coalesce(account_id, 0), coalesce(marketplace, ''), status, deadline_at IS NOT NULL, count(*) "
        "FROM notifications GROUP BY 1, 2, 3, 4") for k in [tuple(k)]}


def counters(conn) -> dict:
    return {(a, m, s, d): n for a, m, s, d, n in conn.execute("SELECT * FROM notification_counts") if n}


def test_counters_follow_every_kind_of_write(demo):
    """Inserts, status changes, filing under another account or marketplace, a deadline set or cleared, and
    deletes, in random order through plain SQL (the triggers see every writer, not only flagdesk's)."""
    conn = demo.store.conn
    rng = random.Random(5)
    ids = [r[0] for r in conn.execute("SELECT id FROM notifications")]
    statuses = [s.value for s in Status]
    with demo.store.write() as c:
        for i in range(600):
            op = rng.randrange(5)
            nid = rng.choice(ids)
            if op == 0:
                c.execute("INSERT INTO notifications (account_id, marketplace, received_at, subject, body, category, "
                          "severity, status, source, created_at, updated_at, deadline_at) "
                          "SELECT ?, ?, received_at, subject, body, category, severity, ?, 'test', created_at, "
                          "updated_at, ? FROM notifications WHERE id = ?",
                          (rng.choice([1, 2, 3, None]), rng.choice(["US", "UK", "DE"]), rng.choice(statuses),
                           rng.choice([None, "2026-12-01T00:00:00Z"]), nid))
                ids.append(c.execute("SELECT last_insert_rowid()").fetchone()[0])
            elif op == 1:
                c.execute("UPDATE notifications SET status = ? WHERE id = ?", (rng.choice(statuses), nid))
            elif op == 2:
                c.execute("UPDATE notifications SET account_id = ?, marketplace = ? WHERE id = ?",
                          (rng.choice([1, 2, 4, None]), rng.choice(["US", "DE", "JP"]), nid))
            elif op == 3:
                c.execute("UPDATE notifications SET deadline_at = ? WHERE id = ?",
                          (rng.choice([None, "2026-11-20T00:00:00Z", "2026-12-20T00:00:00Z"]), nid))
            elif len(ids) > 10:
                c.execute("DELETE FROM notifications WHERE id = ?", (nid,))
                ids.remove(nid)
    assert counters(conn) == recount(conn)


def test_the_figures_read_from_counters_are_the_counted_ones(demo, clock):
    """Unread, open, due within 24 h and overdue per account, the flag's overdue total, the sidebar's unread
    counts and the unassigned entry: each as a plain count over the notifications says."""
    for r in demo.store.rows("SELECT id FROM notifications WHERE status = 'new' LIMIT 3"):
        demo.set_status(r["id"], Status.RESOLVED)
    now = clock.now()
    conn = demo.store.conn
    soon = to_iso(now + timedelta(hours=24))
    for row in reads.status_summary(conn, now):
        where, params = ("account_id IS ?", (row["id"],))
        plain = conn.execute(
            "SELECT sum(status = 'new'), sum(status NOT IN ('resolved', 'dismissed')), "
            "sum(status NOT IN ('resolved', 'dismissed') AND deadline_at >= ? AND deadline_at < ?), "
            f"sum(status NOT IN ('resolved', 'dismissed') AND deadline_at < ?) FROM notifications WHERE {where}",
            (to_iso(now), soon, to_iso(now), *params)).fetchone()
        assert (row["unread"], row["open"], row["due_24h"], row["overdue"]) == tuple(v or 0 for v in plain)
    overdue = conn.execute("SELECT count(*) FROM notifications WHERE status NOT IN ('resolved', 'dismissed') "
                           "AND deadline_at < ?", (NOW,)).fetchone()[0]
    assert notes.overdue_total(demo.store, now) == overdue > 0
    plain = {(a, m): n for a, m, n in conn.execute(
        "SELECT account_id, marketplace, count(*) FROM notifications WHERE status = 'new' GROUP BY 1, 2")}
    assert notes.unread_counts(demo.store) == plain


def test_an_older_database_gets_its_counters_filled(tmp_path, clock, config):
    from console.demo.seed import populate
    from console.store.db import migrations_set, open_store

    import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations_set().apply(db, stop_before="m015_counts")
    db.close()
    # Notices stored before the step: written straight into the older schema.
    conn = sqlite_utils.Database(path).conn
    conn.execute("INSERT INTO accounts (name, created_at) VALUES ('A', ?)", (NOW,))
    for status in ("new", "new", "read", "resolved"):
        conn.execute("INSERT INTO notifications (account_id, marketplace, received_at, subject, body, category, "
                     "severity, status, source, created_at, updated_at) VALUES (1, 'US', ?, 's', 'b', 'warning', "
                     "'low', ?, 'test', ?, ?)", (NOW, status, NOW, NOW))
    conn.commit()
    conn.close()
    s = open_store(path, "tester", clock)
    try:
        assert counters(s.conn) == recount(s.conn) == {(1, "US", "new", 0): 2, (1, "US", "read", 0): 1,
                                                       (1, "US", "resolved", 0): 1}
        populate(s, config, clock)
        assert counters(s.conn) == recount(s.conn)
    finally:
        s.close()
