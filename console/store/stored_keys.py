"""The dedupe keys already stored: an import's check that it has seen a notification before (by source and
external id, the key an idempotent import skips on)."""

from __future__ import annotations

import sqlite3

from console.store.db import DataError, Store

_MAX_PARAMS = 900  # keys per lookup query (SQLite allows at least 999 parameters)


def is_stored(store: Store, source: str, external_id: str) -> bool:
    """Whether a notification from this source with this dedupe key is stored (an import's duplicate check)."""
    try:
        return store.conn.execute("SELECT 1 FROM notifications WHERE source = ? AND external_id = ?",
                                  (source, external_id)).fetchone() is not None
    except sqlite3.Error as exc:
        raise DataError(str(exc)) from exc


def stored_external_ids(store: Store, source: str, external_ids: set[str]) -> set[str]:
    """Which of these dedupe keys are stored, in a query per _MAX_PARAMS keys."""
    ids = sorted(external_ids)
    found: set[str] = set()
    try:
        for start in range(0, len(ids), _MAX_PARAMS):
            chunk = ids[start:start + _MAX_PARAMS]
            found.update(r[0] for r in store.conn.execute(
                f"SELECT external_id FROM notifications WHERE source = ? AND external_id IN "
                f"({','.join('?' * len(chunk))})", (source, *chunk)))
    except sqlite3.Error as exc:
        raise DataError(str(exc)) from exc
    return found
