"""The audit log is append-only, even for someone with a plain sqlite3 shell on the file."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.mark.parametrize("statement", [
    "UPDATE audit SET actor = 'nobody'",
    "UPDATE audit SET detail = '{}' WHERE id = 1",
    "DELETE FROM audit",
    "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)",
    # REPLACE deletes the row it replaces without firing DELETE triggers: schema step 8 guards inserts.
    "INSERT OR REPLACE INTO audit (id, at, actor, action, table_name) SELECT id, at, 'x', 'x', 'x' FROM audit",
    "REPLACE INTO audit (id, at, actor, action, table_name) VALUES (1, 'now', 'x', 'x', 'x')",
    "INSERT INTO audit (id, at, actor, action, table_name) VALUES (1, 'now', 'x', 'x', 'x') "
    "ON CONFLICT (id) DO UPDATE SET actor = 'x'",
])
def test_direct_sql_cannot_change_or_delete_audit_rows(demo, statement):
    path = demo.store.path
    conn = sqlite3.connect(path, isolation_level=None)
    before = conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    assert len(before) > 10  # the demo's history
    with pytest.raises(sqlite3.DatabaseError) as err:
        conn.execute(statement)
    assert "the audit log is append-only" in str(err.value)
    assert conn.execute("SELECT * FROM audit ORDER BY id").fetchall() == before
    conn.close()


def test_the_guard_survives_an_explicit_transaction_and_reopening(demo):
    path = demo.store.path
    conn = sqlite3.connect(path, isolation_level=None)
    before = conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET action = 'hidden' WHERE id = 1")
    conn.execute("COMMIT")
    conn.close()
    again = sqlite3.connect(path)
    assert again.execute("SELECT * FROM audit ORDER BY id").fetchall() == before
    # Appending still works: the log grows, it never changes.
    unread = again.execute("SELECT id FROM notifications WHERE status = 'new' LIMIT 1").fetchone()[0]
    assert demo.mark_read(unread)
    after = again.execute("SELECT * FROM audit ORDER BY id").fetchall()
    assert after[: len(before)] == before and len(after) == len(before) + 1
    again.close()
