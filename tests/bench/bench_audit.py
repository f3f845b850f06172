"""The audit log's queries at 100,000 audit rows: plans and times for each filter the CLI and console use.

Builds a database of 50 accounts, 10,000 notifications (with appeals and cases) and 100,000 audit rows
spread over 60 days and 8 operators, then runs `audit_log.query` / `count` / `history` and prints, per
query, the median of 9 runs and SQLite's plan. The reference is a bare `SELECT * FROM audit ORDER BY id
DESC LIMIT 200` in the same run.

    python tests/bench/bench_audit.py [--rows 100000] [--keep DB]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from console.core.clock import FrozenClock, parse_iso, to_iso  # noqa: E402
from console.store import audit_log  # noqa: E402
from console.store.db import open_store  # noqa: E402

NOW = "2026-11-27T08:00:00Z"


def build(path: Path, rows: int) -> None:
    store = open_store(path, "bench", FrozenClock(NOW))
    rnd = random.Random(7)
    now = parse_iso(NOW)
    conn = store.db.conn
    with store.write():
        for a in range(1, 51):
            conn.execute("INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)", (a, f"Seller {a:02d}", NOW))
            conn.execute("INSERT INTO account_marketplaces (account_id, marketplace) VALUES (?, 'US')", (a,))
        for n in range(1, 10_001):
            conn.execute("INSERT INTO notifications (id, account_id, marketplace, received_at, subject, body, category, "
                         "severity, created_at, updated_at) VALUES (?, ?, 'US', ?, ?, 'body', 'other', 'low', ?, ?)",
                         (n, rnd.randint(1, 50), NOW, f"Notice {n}", NOW, NOW))
        for ap in range(1, 1001):
            conn.execute("INSERT INTO appeals (id, notification_id, author, created_at, updated_at, text) "
                         "VALUES (?, ?, 'bench', ?, ?, 'x')", (ap, rnd.randint(1, 10_000), NOW, NOW))
        for c in range(1, 1001):
            conn.execute("INSERT INTO cases (id, account_id, channel, summary, opened_at, opened_by, updated_at, "
                         "notification_id) VALUES (?, ?, 'email', 's', ?, 'bench', ?, ?)",
                         (c, rnd.randint(1, 50), NOW, NOW, rnd.randint(1, 10_000)))
        actors = [f"op{i}" for i in range(8)]
        batch = []
        for i in range(rows):
            at = to_iso(now - timedelta(days=60) + timedelta(seconds=i * 60 * 86400 // rows))
            kind = rnd.random()
            if kind < 0.8:
                row = ("notification.status", "notifications", rnd.randint(1, 10_000), {"status": ["new", "read"]})
            elif kind < 0.9:
                row = ("appeal.save", "appeals", rnd.randint(1, 1000), {"revision": 2, "chars": 900})
            elif kind < 0.98:
                row = ("case.contact", "cases", rnd.randint(1, 1000), {"channel": "email", "chars": 40})
            else:
                row = ("account.rename", "accounts", rnd.randint(1, 50), {"name": "x"})
            batch.append((at, rnd.choice(actors), row[0], row[1], row[2], json.dumps(row[3])))
        conn.executemany("INSERT INTO audit (at, actor, action, table_name, row_id, detail) VALUES (?,?,?,?,?,?)",
                         batch)
    conn.execute("ANALYZE")
    store.close()


def timed(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def plan(store, sql: str, params) -> str:
    return "; ".join(r["detail"] for r in store.rows("EXPLAIN QUERY PLAN " + sql, params))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DB", help="Build (or reuse) this file instead of a temporary one.")
    args = parser.parse_args()
    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "audit.db"
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.rows)
        print(f"built {path} in {time.perf_counter() - t0:.1f} s")
    store = open_store(path, "bench", FrozenClock(NOW))
    now = parse_iso(NOW)
    last = audit_log.query(store, limit=200)[-1].id
    cases = {
        "reference: bare SELECT newest 200": lambda: store.rows("SELECT * FROM audit ORDER BY id DESC LIMIT 200"),
        "newest 200": lambda: audit_log.query(store),
        "next page (before_id)": lambda: audit_log.query(store, before_id=last),
        "last page (offset)": lambda: audit_log.query(store, limit=100, offset=args.rows - 100),
        "count all": lambda: audit_log.count(store),
        "since 2h": lambda: audit_log.query(store, since=now - timedelta(hours=2)),
        "count since 2h": lambda: audit_log.count(store, since=now - timedelta(hours=2)),
        "since 30d": lambda: audit_log.query(store, since=now - timedelta(days=30)),
        "actor op3": lambda: audit_log.query(store, actor="op3"),
        "count actor op3": lambda: audit_log.count(store, actor="op3"),
        "account Seller 07": lambda: audit_log.query(store, account_id=7),
        "count account Seller 07": lambda: audit_log.count(store, account_id=7),
        "account + since 2d": lambda: audit_log.query(store, account_id=7, since=now - timedelta(days=2)),
        "words 'appeal'": lambda: audit_log.query(store, words=["appeal"]),
        "count words 'appeal'": lambda: audit_log.count(store, words=["appeal"]),
        "history notification 42": lambda: audit_log.history(store, "notifications", 42),
    }
    for name, fn in cases.items():
        print(f"{name:<36} {timed(fn):8.2f} ms")
    print()
    for name, kwargs in {"since": {"since": now - timedelta(hours=2)}, "actor": {"actor": "op3"},
                         "account": {"account_id": 7}}.items():
        clauses, params = audit_log._where(store, kwargs.get("since"), kwargs.get("account_id"), None, None,
                                           kwargs.get("actor"), None, None)
        sql = f"SELECT a.* FROM audit a WHERE {' AND '.join(clauses)} ORDER BY a.id DESC LIMIT 200"
        print(f"plan {name}: {plan(store, sql, params)}")
        sql = f"SELECT count(*) FROM audit a WHERE {' AND '.join(clauses)}"
        print(f"plan count {name}: {plan(store, sql, params)}")
    store.close()


if __name__ == "__main__":
    main()
