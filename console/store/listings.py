"""Listing issue changes (LISTINGS_ITEM_ISSUES_CHANGE): one row per notification (schema step m014).

A notification naming issues became a notice (`notification_id`); one whose issues are cleared resolves
the open notices of the same listing (seller, marketplace, SKU) that came before it. SQS delivers out of
order, so a notice whose listing a later stored notification already cleared is resolved at once.
Call everything here inside the importer's transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from console.core.clock import to_iso
from console.store.db import Store

OPEN = "n.status NOT IN ('resolved', 'dismissed')"


def is_recorded(store: Store, external_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM listing_issue_events WHERE external_id = ?",
                              (external_id,)).fetchone() is not None


def record(store: Store, *, external_id: str, listing: str, account_id: int | None, marketplace: str | None,
           sku: str, asin: str | None, at: datetime, severities: list[str], actions: list[str], cleared: bool,
           notification_id: int | None) -> int:
    cur = store.conn.execute(
        "INSERT INTO listing_issue_events (external_id, listing, account_id, marketplace, sku, asin, at, severities, "
        "actions, cleared, notification_id, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (external_id, listing, account_id, marketplace, sku, asin, to_iso(at), json.dumps(severities),
         json.dumps(actions), int(cleared), notification_id, store.now_iso()))
    store.audit("listing.issues", "listing_issue_events", cur.lastrowid,
                {"sku": sku, "marketplace": marketplace, "severities": severities, "actions": actions,
                 "cleared": cleared, "notification_id": notification_id, "external_id": external_id})
    return cur.lastrowid


def open_notices(store: Store, listing: str, until: datetime | None = None) -> list[int]:
    """The open notices of the listing, oldest first; with `until`, only those of issues reported at or before it."""
    sql = (f"SELECT n.id FROM listing_issue_events e JOIN notifications n ON n.id = e.notification_id "
           f"WHERE e.listing = ? AND e.cleared = 0 AND {OPEN}")
    params: list[Any] = [listing]
    if until is not None:
        sql += " AND e.at <= ?"
        params.append(to_iso(until))
    return [r[0] for r in store.conn.execute(sql + " ORDER BY e.at, n.id", params)]


def later_clear(store: Store, listing: str, after: datetime) -> dict[str, Any] | None:
    """The first stored notification clearing the listing after `after` (delivered before it), or None."""
    rows = store.rows("SELECT at, external_id FROM listing_issue_events WHERE listing = ? AND cleared = 1 AND at > ? "
                      "ORDER BY at LIMIT 1", (listing, to_iso(after)))
    return rows[0] if rows else None

