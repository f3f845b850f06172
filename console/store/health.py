"""Account health: status changes from ACCOUNT_STATUS_CHANGED and snapshots of the seller performance report.

Each report is a snapshot with no history of its own, so every snapshot is kept; a newly BAD metric or a
policy count that rose since the previous snapshot is what turns into a notification.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from console.store.db import Store


def snapshot_hash(snapshot) -> str:
    data = {k: v for k, v in asdict(snapshot).items() if k != "origin"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def latest_snapshot(store: Store, account_id: int, marketplace: str) -> dict[str, Any] | None:
    rows = store.rows("SELECT * FROM health_snapshots WHERE account_id = ? AND marketplace = ? ORDER BY id DESC "
                      "LIMIT 1", (account_id, marketplace))
    return _decode(rows[0]) if rows else None


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    from console.store.reads import decode_snapshot

    return decode_snapshot(row)


def snapshots(store: Store, account_id: int) -> list[dict[str, Any]]:
    """Every snapshot of an account, oldest first."""
    return [_decode(r) for r in store.rows(
        "SELECT * FROM health_snapshots WHERE account_id = ? ORDER BY marketplace, id", (account_id,))]


def save_snapshot(store: Store, account_id: int, snapshot, origin: str) -> int | None:
    """Store one snapshot (inside the caller's transaction); None when the same one is already stored."""
    digest = snapshot_hash(snapshot)
    conn = store.conn
    if conn.execute("SELECT 1 FROM health_snapshots WHERE account_id = ? AND marketplace_id = ? AND content_hash = ?",
                    (account_id, snapshot.marketplace_id, digest)).fetchone():
        return None
    cur = conn.execute(
        """INSERT INTO health_snapshots (account_id, marketplace, marketplace_id, imported_at, report_date,
               account_status, ahr_status, ahr_score, metrics, policy_counts, warning_states, content_hash, origin)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (account_id, snapshot.marketplace or snapshot.marketplace_id, snapshot.marketplace_id, store.now_iso(),
         snapshot.report_date, snapshot.account_status, snapshot.ahr_status, snapshot.ahr_score,
         json.dumps([asdict(m) for m in snapshot.rate_metrics]), json.dumps(snapshot.policy_counts),
         json.dumps(snapshot.warning_states), digest, origin),
    )
    store.audit("health.snapshot", "health_snapshots", cur.lastrowid,
                {"account_id": account_id, "marketplace": snapshot.marketplace, "origin": origin})
    return cur.lastrowid


def record_status(store: Store, account_id: int | None, marketplace: str | None, change, notification_id: int | None,
                  external_id: str) -> None:
    cur = store.conn.execute(
        "INSERT OR IGNORE INTO account_status_history (account_id, marketplace, at, previous, current, "
        "notification_id, external_id) VALUES (?,?,?,?,?,?,?)",
        (account_id, marketplace, (change.event_time.isoformat() if change.event_time else store.now_iso()),
         change.previous_status, change.current_status, notification_id, external_id),
    )
    if cur.rowcount:
        store.audit("account.status", "account_status_history", cur.lastrowid,
                    {"account_id": account_id, "status": [change.previous_status, change.current_status]})


def status_history(store: Store, account_id: int) -> list[dict[str, Any]]:
    """The account's status changes, oldest first; `source`: "notification" (ACCOUNT_STATUS_CHANGED, account-wide)
    or "report" (a marketplace's status in an Account Health report)."""
    return store.rows("SELECT at, marketplace, previous, current, CASE WHEN external_id LIKE 'report-status:%' "
                      "THEN 'report' ELSE 'notification' END AS source FROM account_status_history "
                      "WHERE account_id = ? ORDER BY at, id", (account_id,))


def health_summary(store: Store, account_id: int, bands: dict[str, int]) -> dict[str, Any] | None:
    """The account's latest status and health across marketplaces, for the sidebar and `status --json`
    (console/store/reads.py, shared with the quick `flagdesk status`)."""
    from console.store import reads

    return reads.health_summary(store.conn, account_id, bands)


def band(score: int | None, bands: dict[str, int]) -> str | None:
    """Account Health Rating band: healthy (green), at_risk (yellow), unhealthy (red)."""
    from console.store import reads

    return reads.band(score, bands)


def accounts_with_health(store: Store) -> list[int]:
    """Accounts that have a health snapshot or an account status change."""
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT account_id FROM health_snapshots UNION "
        "SELECT DISTINCT account_id FROM account_status_history WHERE account_id IS NOT NULL")]
