"""SIGKILL in the middle of an import and in the middle of appeal saves: nothing half-written, and
running again completes the work with exact counts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.ingest.pipeline import BATCH
from console.store import appeals as ap

from .maildirs import make_maildir

WORKER = Path(__file__).with_name("worker.py")
MESSAGES = max(2000, 4 * BATCH)  # several batches, so that the kill lands between two of them


def read_count(db: Path, sql: str) -> int:
    """A count from a separate read-only connection (what another operator would see)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the table is not there yet (the process is still migrating)
        return 0


def kill_when(proc: subprocess.Popen, db: Path, sql: str, at_least: int, timeout: float = 60) -> None:
    """SIGKILL the process as soon as the database shows `at_least` rows of progress."""
    deadline = time.monotonic() + timeout
    while read_count(db, sql) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"the process ended before it could be killed: {proc.communicate()}")
        assert time.monotonic() < deadline, "no progress to kill in the middle of"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def assert_intact(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO notifications_fts(notifications_fts) VALUES ('integrity-check')")
    conn.execute("INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')")


def assert_searchable(conn: sqlite3.Connection) -> None:
    """The full-text index answers for every imported notice (each says "complaint"), and for nothing else."""
    assert conn.execute("SELECT count(*) FROM notifications_fts WHERE notifications_fts MATCH 'complaint'") \
        .fetchone()[0] == conn.execute("SELECT count(*) FROM notifications").fetchone()[0]


def test_killed_import_leaves_whole_batches_and_a_rerun_completes_it(tmp_path, demo_free_desk):
    desk = demo_free_desk
    maildir = make_maildir(tmp_path / "big", MESSAGES, "bulk", "notices+nw@ops.example.com")
    db = desk.store.path
    proc = subprocess.Popen([sys.executable, "-m", "console", "import", str(maildir), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kill_when(proc, db, "SELECT count(*) FROM notifications", 1)

    conn = sqlite3.connect(db, isolation_level=None)  # autocommit: the checks below write nothing, hold no lock
    before = conn.execute("SELECT count(*) FROM notifications").fetchone()[0]
    assert 0 < before < MESSAGES, "the import finished before it was killed"
    assert before % BATCH == 0, "a batch was half-written"
    print(f"\nimport killed with {before} of {MESSAGES} notifications committed")
    assert_intact(conn)
    assert_searchable(conn)
    # Every notification that landed has the audit row of its import, and no audit row is left over.
    assert conn.execute("SELECT count(*) FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
                        "a.table_name = 'notifications' AND a.row_id = n.id AND a.action = 'notification.add')"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM audit WHERE action = 'notification.add'").fetchone()[0] == before

    summary = desk.import_paths([maildir])
    assert (summary.imported, summary.duplicates, summary.failed, summary.skipped) == (
        MESSAGES - before, before, [], [])
    assert conn.execute("SELECT count(*), count(DISTINCT external_id) FROM notifications").fetchone() == (
        MESSAGES, MESSAGES)
    assert conn.execute("SELECT count(*) FROM audit WHERE action = 'notification.add'").fetchone()[0] == MESSAGES
    assert_intact(conn)
    assert_searchable(conn)
    again = desk.import_paths([maildir])
    assert (again.imported, again.duplicates) == (0, MESSAGES)
    conn.close()


def test_killed_appeal_saves_leave_contiguous_revisions(tmp_path, demo_free_desk):
    desk = demo_free_desk
    db = desk.store.path
    nid = desk.add_notice(desk.account("Northwind Home"), "US",
                          desk.extract("Subject: Listing removed\n\nASIN B0ABC12345 was removed."))
    appeal = desk.new_appeal(nid)
    conn = sqlite3.connect(db, isolation_level=None)  # autocommit: the checks below write nothing, hold no lock
    for round_ in range(3):  # killed three times; each run goes on from where the last one stopped
        start = conn.execute("SELECT revision FROM appeals WHERE id = ?", (appeal.id,)).fetchone()[0]
        proc = subprocess.Popen([sys.executable, str(WORKER), "appeal-loop", "--db", str(db),
                                 "--appeal", str(appeal.id)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        kill_when(proc, db, f"SELECT count(*) FROM appeal_revisions WHERE appeal_id = {appeal.id}", start + 40)

        assert_intact(conn)
        revision, version, text = conn.execute("SELECT revision, version, text FROM appeals WHERE id = ?",
                                               (appeal.id,)).fetchone()
        assert revision > start
        numbers = [n for (n,) in conn.execute(
            "SELECT number FROM appeal_revisions WHERE appeal_id = ? ORDER BY number", (appeal.id,))]
        assert numbers == list(range(1, revision + 1)), f"round {round_}: revisions not contiguous"
        assert version == revision  # every save bumped both, in the same transaction
        assert conn.execute("SELECT text FROM appeal_revisions WHERE appeal_id = ? AND number = ?",
                            (appeal.id, revision)).fetchone()[0] == text
        assert conn.execute("SELECT count(*) FROM audit WHERE action = 'appeal.save' AND row_id = ?",
                            (appeal.id,)).fetchone()[0] == revision - 1
    # The operator's own session saves on top, as the next revision.
    current = desk.appeal(appeal.id)
    saved = desk.save_appeal(current, "After the crash: the final text.")
    assert saved.revision == current.revision + 1
    assert [r.number for r in ap.revisions(desk.store, appeal.id)] == list(range(1, saved.revision + 1))
    conn.close()


@pytest.fixture
def demo_free_desk(desk):
    """An empty database with one account whose notice address the generated mail is sent to."""
    desk.add_account("Northwind Home", ["US"], ["notices+nw@ops.example.com"])
    return desk
