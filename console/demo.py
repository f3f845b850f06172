"""The demo database: realistic, deterministic notices across several accounts (data in demo_data.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from console.clock import Clock
from console.config import Config
from console.desk import Desk
from console.ingest.extract import extract
from console.store import StoreError, open_store
from console.store import accounts as accounts_store
from console.store import notifications as notes
from console.store.notifications import NewNotification


def _is_demo(path: Path) -> bool:
    """True when the file is absent, empty, or was seeded by `flagdesk demo` before."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "notifications" not in tables:
                return not tables - {"_sqlite_migrations"}
            return conn.execute("SELECT 1 FROM audit WHERE action = 'demo.seed' LIMIT 1").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def seed_demo(path: Path, config: Config, clock: Clock) -> dict[str, int]:
    """Recreate the demo database at path; refuses to touch a database holding real work."""
    from console import demo_data

    path = Path(path)
    if not _is_demo(path):
        raise StoreError(f"{path}: holds data not made by `flagdesk demo`; refusing to replace it")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(path, config.operator, clock)
    try:
        populate(store, config, clock)
        return {"accounts": len(demo_data.ACCOUNTS), "notifications": len(demo_data.NOTICES)}
    finally:
        store.close()


def populate(store, config: Config, clock: Clock) -> None:
    """Add the demo accounts and notices to an open store, in one transaction."""
    from console import demo_data

    now = clock.now()
    with store.write():
        store.audit("demo.seed", "accounts", None, {"accounts": len(demo_data.ACCOUNTS)})
        ids = {}
        for a in demo_data.ACCOUNTS:
            account = accounts_store.add_account(store, a["name"], a["marketplaces"], a.get("emails"),
                                                 a.get("seller_id"))
            ids[a["name"]] = account.id
        for i, n in enumerate(demo_data.NOTICES):
            received = now - timedelta(hours=n["hours_ago"])
            x = extract(n["text"], received, config.categories, config.severity_rules)
            notes.add_notification(store, NewNotification(
                account_id=ids[n["account"]], marketplace=n["marketplace"], received_at=received,
                subject=x.subject, body=x.body, category=x.category, severity=x.severity, policy=x.policy,
                asins=x.asins, skus=x.skus, order_ids=x.order_ids, complaint_id=x.complaint_id,
                deadline_at=x.deadline_at, deadline_text=x.deadline_text, action_taken=x.action_taken,
                status=n["status"], source="demo", external_id=f"demo-{i}", assignee=n.get("assignee"),
            ))


def demo_desk(config: Config, clock: Clock, path: Path | str = ":memory:") -> Desk:
    """A Desk on a freshly seeded demo database (tests and snapshots use an in-memory one)."""
    store = open_store(path, config.operator, clock)
    populate(store, config, clock)
    return Desk(store, config, clock)


def generate_large(store, accounts: int = 50, notifications: int = 100_000, seed: int = 7) -> None:
    """A large, realistic-looking database for benchmarks: the demo notices re-dated and spread across
    many accounts, written in one transaction (one audit row says so)."""
    import json
    import random

    from console import demo_data
    from console.clock import to_iso

    rng = random.Random(seed)
    now = store.clock.now()
    statuses = ["new"] * 2 + ["read"] * 5 + ["in_progress", "appealed"] + ["resolved"] * 6 + ["dismissed"] * 2
    templates = []
    for n in demo_data.NOTICES:
        x = extract(n["text"], now)
        templates.append(x)
    with store.write() as conn:
        store.audit("demo.seed", "accounts", None, {"accounts": accounts, "notifications": notifications})
        account_rows = []
        for i in range(accounts):
            cur = conn.execute("INSERT INTO accounts (name, created_at) VALUES (?, ?)",
                               (f"Seller {i + 1:02d}", to_iso(now)))
            mps = rng.sample(["US", "CA", "UK", "DE", "FR", "IT", "ES", "JP"], rng.randint(1, 3))
            conn.executemany("INSERT INTO account_marketplaces (account_id, marketplace, position) VALUES (?,?,?)",
                             [(cur.lastrowid, mp, p) for p, mp in enumerate(mps)])
            account_rows.append((cur.lastrowid, mps))
        rows = []
        for i in range(notifications):
            x = templates[rng.randrange(len(templates))]
            account_id, mps = account_rows[rng.randrange(accounts)]
            received = now - timedelta(minutes=rng.randint(5, 60 * 24 * 720))
            deadline = received + timedelta(days=rng.choice([3, 7, 17, 30])) if rng.random() < 0.4 else None
            rows.append((
                account_id, rng.choice(mps), to_iso(received), f"{x.subject} #{i}", x.body, x.category,
                x.severity, rng.choice(statuses), x.policy, json.dumps(x.asins), json.dumps(x.skus),
                json.dumps(x.order_ids), x.complaint_id, to_iso(deadline) if deadline else None, "large-demo",
                f"large-{i}", to_iso(now), to_iso(now),
            ))
        conn.executemany(
            """INSERT INTO notifications (account_id, marketplace, received_at, subject, body, category, severity,
                   status, policy, asins, skus, order_ids, complaint_id, deadline_at, source, external_id,
                   created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )
