"""`flagdesk restore` never trusts the file: the backup is checked in a copy (integrity_check, an older schema
upgraded there, then every table, column, index, trigger and view compared with what this version creates)
and anything missing, extra or different is refused, naming it, with the live database untouched.

Which of these fail on the code before this change (console/store/backup.py at 2b59393), and why:
- test_a_doctored_backup_is_refused_naming_the_object: every case. That code checked only for a
  `_sqlite_migrations` table and a `notifications` table, so each doctored file was restored (exit 0, the
  live database replaced); the "steps but wrong tables" file replaced the live database and then failed.
- test_an_older_backup_is_upgraded_in_the_copy_and_restores: the restore itself worked before; the line
  naming the steps applied is new, so it fails there on that line only.
- test_a_doctored_older_backup_is_refused_after_its_upgrade: restored as is before.
- test_the_restore_row_survives_a_kill_right_after_the_swap: the row was written in a second transaction
  after the copy, so a kill between the two lost it (the restored database had no `restore` row).
- test_the_expected_schema_is_what_a_fresh_database_has: new API (fails with AttributeError before).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from console.core.model import Status
from console.store import audit_log
from console.store import backup as bk
from console.store.db import known_migrations, open_store

NOW = "2026-11-27T08:00:00Z"
REPO = Path(__file__).resolve().parent.parent



@pytest.fixture
def live(demo, tmp_path):
    """The demo database, a good backup of it in another folder, then one more change to the live one."""
    folder = tmp_path / "backups"
    folder.mkdir()
    good = bk.backup(demo.store, folder / "good.db").path
    demo.set_status(1, Status.DISMISSED)
    return demo, good


def fingerprint(db: Path) -> tuple[str, ...]:
    """The bytes of the live database and of its -wal: a refused restore changes neither."""
    return tuple(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-"
                 for p in (db, Path(f"{db}-wal")))


def doctored(good: Path, name: str, *statements: str) -> Path:
    """A copy of the good backup with `statements` run on it."""
    path = good.parent / name
    path.write_bytes(good.read_bytes())
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    return path


def steps_but_wrong_tables(good: Path) -> Path:
    """A file with flagdesk's schema-steps table (every step listed) but not flagdesk's tables."""
    path = good.parent / "wrong-tables.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, "
                 "applied_at TEXT)")
    conn.executemany("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('flagdesk', ?, 'x')",
                     [(m,) for m in known_migrations()])
    conn.execute("CREATE TABLE notifications (id INTEGER PRIMARY KEY, subject TEXT)")
    conn.commit()
    conn.close()
    return path


DOCTORED = {
    "extra table": (["CREATE TABLE stolen (x)"], "extra table stolen"),
    "missing index": (["DROP INDEX notifications_triage"], "missing index notifications_triage (on notifications)"),
    "dropped trigger": (["DROP TRIGGER audit_no_delete"], "missing trigger audit_no_delete (on audit)"),
    "rewritten trigger": (["DROP TRIGGER audit_no_update",
                           "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END"],
                          "trigger audit_no_update differs from this version's"),
    # "imports print 'imported 1' while the row is deleted"
    "added trigger": ([("CREATE TRIGGER notifications_vanish AFTER INSERT ON notifications BEGIN "
                        "DELETE FROM notifications WHERE id = new.id; END")],
                      "extra trigger notifications_vanish (on notifications)"),
    # "every audit row is written as alice": the audit table behind a view that rewrites the actor
    "audit behind a view": (["ALTER TABLE audit RENAME TO audit_rows",
                             "CREATE VIEW audit AS SELECT * FROM audit_rows",
                             ("CREATE TRIGGER audit_as_alice INSTEAD OF INSERT ON audit BEGIN "
                              "INSERT INTO audit_rows (at, actor, action, table_name, row_id, detail) "
                              "VALUES (new.at, 'alice', new.action, new.table_name, new.row_id, new.detail); END")],
                            "audit is a view, not a table"),
    "missing column": (["ALTER TABLE notifications DROP COLUMN appeal_button_used_by"],
                       "table notifications: missing column appeal_button_used_by"),
    "extra column": (["ALTER TABLE accounts ADD COLUMN password TEXT"], "table accounts: extra column password"),
    "changed default": (["ALTER TABLE cases DROP COLUMN urgent",
                         "ALTER TABLE cases ADD COLUMN urgent INTEGER NOT NULL DEFAULT 1"],
                        ("table cases: column urgent is INTEGER NOT NULL DEFAULT 1, this version's is "
                         "INTEGER NOT NULL DEFAULT 0")),
    "check constraint loosened": (["PRAGMA writable_schema = ON",
                                   ("UPDATE sqlite_master SET sql = replace(sql, 'CHECK (severity IN (', "
                                    "'CHECK (severity IN (''none'', ') WHERE name = 'notifications'")],
                                   "table notifications: its definition differs from this version's"),
    "full-text index dropped": (["DROP TABLE notifications_fts"], "missing table notifications_fts"),
    "steps but wrong tables": (None, "missing table account_emails"),
}


@pytest.mark.parametrize("kind", list(DOCTORED))
def test_a_doctored_backup_is_refused_naming_the_object(live, tmp_path, run, kind):
    demo, good = live
    statements, phrase = DOCTORED[kind]
    src = steps_but_wrong_tables(good) if statements is None else doctored(good, f"{kind}.db", *statements)
    db = demo.store.path
    before = fingerprint(db)

    code, out, err = run("restore", str(src), "--yes", "--db", str(db))
    assert (code, out) == (1, "")
    assert err.startswith(f"flagdesk: error: {src}: ") and err.count("\n") == 1
    assert phrase in err and "nothing was restored" in err

    with pytest.raises(bk.StoreError, match="its schema is not this version's") as refused:  # the store's own door
        bk.restore(demo.store, src)
    assert phrase in str(refused.value)

    assert fingerprint(db) == before  # byte-identical
    assert not list(tmp_path.glob("*.before-restore-*"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no copy aside left behind
    # ... and still usable, by this session and a new one, with its guard in place
    assert demo.notification(1).status == Status.DISMISSED
    demo.set_status(2, Status.READ)
    other = open_store(db, "colleague", os_user="colleague")
    try:
        assert other.rows("SELECT status FROM notifications WHERE id = 2")[0]["status"] == "read"
        assert other.rows("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            other.conn.execute("DELETE FROM audit")
    finally:
        other.close()


def test_the_expected_schema_is_what_a_fresh_database_has(tmp_path):
    """Built from `open_store` on a new file, so a step added later (an m010) is compared too."""
    expected = bk.expected_schema()
    fresh = open_store(tmp_path / "fresh.db", "tester")
    try:
        assert bk.schema_differences(expected, bk.schema_objects(fresh.conn)) == []
    finally:
        fresh.close()
    assert {"notifications_fts", "notifications_fts_data", "notifications_fts_idx", "cases_fts_docsize"} <= set(expected)
    assert expected["audit_no_delete"]["type"] == "trigger"
    assert bk.normalised_sql("CREATE  TRIGGER t -- why\n BEFORE /* x */ DELETE ON a BEGIN SELECT 'a  b'; END") == \
        "CREATE TRIGGER t BEFORE DELETE ON a BEGIN SELECT 'a  b'; END"


def older(good: Path, name: str = "older.db", *more: str) -> Path:
    """The good backup as a flagdesk without schema step 9 made it: that step's tables gone, its row too."""
    assert "m009_appeal_signatures" in known_migrations()
    return doctored(good, name, "DROP TABLE appeal_bands", "DROP TABLE appeal_signatures",
                    "DELETE FROM _sqlite_migrations WHERE name = 'm009_appeal_signatures'", *more)


def test_an_older_backup_is_upgraded_in_the_copy_and_restores(live, tmp_path, run):
    demo, good = live
    src = older(good)
    before = src.read_bytes()
    code, out, err = run("restore", str(src), "--yes", "--db", str(demo.store.path))
    assert code == 0, err
    assert "Brought up to this version's schema: m009_appeal_signatures\n" in out
    assert src.read_bytes() == before  # the upgrade ran in a copy, never in the backup file
    assert demo.notification(1).status == Status.NEW
    assert bk.schema_differences(bk.expected_schema(), bk.schema_objects(demo.store.conn)) == []
    steps = [r["name"] for r in demo.store.rows("SELECT name FROM _sqlite_migrations")]
    assert sorted(steps) == sorted(known_migrations())
    [row] = audit_log.query(demo.store, action="restore")
    assert row.detail["from"] == str(src)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_doctored_older_backup_is_refused_after_its_upgrade(live, tmp_path, run):
    demo, good = live
    src = older(good, "older-doctored.db", "DROP TRIGGER audit_no_delete")
    before = fingerprint(demo.store.path)
    code, _, err = run("restore", str(src), "--yes", "--db", str(demo.store.path))
    assert code == 1 and "missing trigger audit_no_delete" in err
    assert fingerprint(demo.store.path) == before
    assert demo.notification(1).status == Status.DISMISSED


KILL_AFTER_SWAP = textwrap.dedent("""
    import os, sqlite3, sys
    from console.core.clock import FrozenClock
    from console.store import backup as bk
    from console.store.db import open_store

    live = open_store(sys.argv[1], "tester", FrozenClock("2026-11-27T08:00:00Z"))
    connect = sqlite3.connect

    class KilledAfterCopyingIntoLive(sqlite3.Connection):
        def backup(self, target, *args, **kwargs):
            super().backup(target, *args, **kwargs)
            if target is live.conn:  # the live database's content was just replaced: die right here
                os._exit(137)

    sqlite3.connect = lambda *a, **kw: connect(*a, **{"factory": KilledAfterCopyingIntoLive, **kw})
    bk.restore(live, sys.argv[2])
    print("not killed")
""")


def test_the_restore_row_survives_a_kill_right_after_the_swap(live, tmp_path, run):
    """SIGKILL-like death (os._exit) the instant the backup's content lands in the live database: the restore
    row is already in it, because it was written into the checked copy before the copy replaced the content."""
    demo, good = live
    db = demo.store.path
    child = subprocess.run([sys.executable, "-c", KILL_AFTER_SWAP, str(db), str(good)], cwd=REPO, check=False,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 137, child.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT status FROM notifications WHERE id = 1").fetchone()[0] == "new"  # restored
        rows = conn.execute("SELECT actor, detail FROM audit WHERE action = 'restore'").fetchall()
        assert len(rows) == 1 and rows[0][0] == "tester" and str(good) in rows[0][1]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    # the copy set aside by the killed process is swept by the next restore, with a line saying so
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".") and ".partial" in p.name]
    assert left and all(f".{child_pid(p)}@" in p.name for p in left)
    code, out, err = run("restore", str(good), "--yes", "--db", str(db))
    assert code == 0, err
    assert all(f"Removed {p} (" in out for p in left)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def child_pid(partial: Path) -> str:
    return partial.name.split("@")[0].rsplit(".", 1)[1]


def test_a_current_backup_restores_and_other_sessions_see_it(live, run):
    """The plain case keeps working (passes before and after the change)."""
    demo, good = live
    other = open_store(demo.store.path, "colleague", os_user="colleague")
    try:
        code, out, err = run("restore", str(good), "--yes", "--db", str(demo.store.path))
        assert code == 0, err
        assert "Brought up" not in out
        assert other.rows("SELECT status FROM notifications WHERE id = 1")[0]["status"] == "new"
        assert demo.store.rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
        assert os.path.exists(f"{demo.store.path}.before-restore-20261127-080000")
    finally:
        other.close()
