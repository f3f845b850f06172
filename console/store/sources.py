"""The state of each configured source (schema step m016): its last run, last error and counts, and the IMAP
cursors (UIDVALIDITY and the last UID imported, per folder). Every run leaves an audit row."""

from __future__ import annotations

from typing import Any

from console.core.textsafe import one_line
from console.store.db import Store


def states(store: Store) -> dict[str, dict[str, Any]]:
    """name -> its stored state (sources that never ran have none)."""
    return {r["name"]: r for r in store.rows("SELECT * FROM source_state")}


def record_run(store: Store, name: str, kind: str, imported: int = 0, duplicates: int = 0, failed: int = 0,
               error: str | None = None) -> None:
    """One run of a source: its counts added, its error (None: it succeeded) kept, an audit row."""
    now = store.now_iso()
    error = one_line(error, 500) if error else None
    with store.write() as conn:
        conn.execute("INSERT INTO source_state (name, kind) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                     (name, kind))
        conn.execute(
            "UPDATE source_state SET kind = ?, last_run_at = ?, last_error = ?, runs = runs + 1,"
            " imported = imported + ?, duplicates = duplicates + ?, failed = failed + ?,"
            " last_ok_at = CASE WHEN ? IS NULL THEN ? ELSE last_ok_at END,"
            " failing_since = CASE WHEN ? IS NULL THEN NULL ELSE coalesce(failing_since, ?) END WHERE name = ?",
            (kind, now, error, imported, duplicates, failed, error, now, error, now, name))
        row_id = conn.execute("SELECT id FROM source_state WHERE name = ?", (name,)).fetchone()[0]
        store.audit("source_run", "source_state", row_id,
                    {"source": name, "imported": imported, "duplicates": duplicates, "failed": failed,
                     **({"error": error} if error else {})})


def cursor(store: Store, name: str, folder: str) -> tuple[int, int] | None:
    """(uidvalidity, last UID imported) of a source's folder, or None before its first fetch."""
    row = store.conn.execute("SELECT uidvalidity, last_uid FROM source_cursors WHERE source = ? AND folder = ?",
                             (name, folder)).fetchone()
    return (row[0], row[1]) if row else None


def set_cursor(store: Store, name: str, folder: str, uidvalidity: int, last_uid: int) -> None:
    """Record the last UID imported; within one UIDVALIDITY it only goes up (two fetches at once: the later
    to finish may have read less)."""
    with store.write() as conn:
        conn.execute("INSERT INTO source_cursors VALUES (?, ?, ?, ?) ON CONFLICT (source, folder) DO UPDATE"
                     " SET last_uid = CASE WHEN uidvalidity = excluded.uidvalidity THEN max(last_uid, excluded.last_uid)"
                     " ELSE excluded.last_uid END, uidvalidity = excluded.uidvalidity",
                     (name, folder, uidvalidity, last_uid))
        store.audit("source_cursor", "source_cursors", None,
                    {"source": name, "folder": folder, "uidvalidity": uidvalidity, "last_uid": last_uid})


def keep_aside(store: Store, name: str, message_id: str, body: str, reason: str) -> None:
    """An SQS message that could not be read, kept with its reason (once per message id), an audit row."""
    with store.write() as conn:
        cur = conn.execute("INSERT INTO source_kept (source, message_id, kept_at, reason, body) VALUES (?, ?, ?, ?, ?)"
                           " ON CONFLICT (source, message_id) DO NOTHING",
                           (name, message_id, store.now_iso(), one_line(reason, 500), body))
        if cur.rowcount:
            store.audit("source_kept", "source_kept", cur.lastrowid,
                        {"source": name, "message_id": message_id, "reason": one_line(reason, 500)})


def kept(store: Store, name: str | None = None) -> list[dict[str, Any]]:
    """The messages kept aside, newest first (of one source, or all)."""
    where, params = ("WHERE source = ?", (name,)) if name else ("", ())
    return store.rows(f"SELECT id, source, message_id, kept_at, reason, body FROM source_kept {where} "
                      "ORDER BY id DESC", params)


def kept_counts(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT source, count(*) FROM source_kept GROUP BY source").fetchall())


def is_kept(store: Store, name: str, message_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM source_kept WHERE source = ? AND message_id = ?",
                              (name, message_id)).fetchone() is not None


def ok_since(store: Store, name: str, since: str) -> bool:
    """Whether the source's last run succeeded and its last success is at `since` or later."""
    return store.conn.execute("SELECT 1 FROM source_state WHERE name = ? AND last_error IS NULL AND last_ok_at >= ?",
                              (name, since)).fetchone() is not None
