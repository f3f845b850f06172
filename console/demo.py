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
