"""Shared OS accounts, found in the stored rows: one OS user recorded with more than one display name.

Where a team shares one OS account, the display name (FLAGDESK_OPERATOR, `operator`) is only what each
person declared: flagdesk shows it "declared, not verified" (console/core/identity.py) wherever it is shown
or decides something. The answer comes from the audit log — every write leaves a row with both names — and
this session's own pair (which may not have written yet); one index range (audit_os_user, schema step m012),
kept until anyone writes.
"""

from __future__ import annotations

from console.store.db import Store


def shared_os_users(store: Store) -> frozenset[str]:
    """The OS users seen with more than one display name (this session's name counting as seen)."""
    key = (store.data_version(), store.conn.total_changes)
    cached = getattr(store, "_shared_os", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    rows = store.conn.execute(
        "SELECT os_user FROM (SELECT DISTINCT os_user, actor FROM audit WHERE os_user IS NOT NULL "
        "UNION SELECT ?, ?) GROUP BY os_user HAVING count(*) > 1", (store.os_user, store.actor))
    found = frozenset(r[0] for r in rows)
    store._shared_os = (key, found)
    return found


def names_of(store: Store, os_user: str) -> list[str]:
    """The display names recorded for one OS user, in the order first seen."""
    return [r[0] for r in store.conn.execute(
        "SELECT actor FROM audit WHERE os_user = ? GROUP BY actor ORDER BY min(id)", (os_user,))]
