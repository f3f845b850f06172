"""Four operators' processes on one database, 300 mixed operations each: nothing lost, nothing leaks out.

Each process (tests/reliability/worker.py) reports what it did; the database must agree exactly: the
rows it holds, the audit rows per operator and action, every appeal revision with its text, the
claims each operator still holds, and exactly one copy of each message of the Maildir they all imported.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from console.core import config as config_mod
from console.core.clock import FrozenClock
from console.desk import Desk
from console.store.db import open_store

from .maildirs import make_maildir

WORKER = Path(__file__).with_name("worker.py")
PROCESSES = 4
OPERATIONS = 300
OWN_MESSAGES = 5
SHARED_MESSAGES = 5
POOL = 24
APPEALS = 4

NOTICE = """Subject: Your listing was removed: {what}

We removed ASIN B0C{n:07d} after a customer complaint about {what}. Please reply within 17 days.
"""


def setup_database(tmp_path: Path) -> tuple[Path, dict]:
    """The shared database: two accounts (each process's notice address filed under one of them), a pool
    of notifications everyone works on, and a few appeal drafts everyone saves revisions of."""
    db = tmp_path / "shared.db"
    config = config_mod.load(db_path=db)
    clock = FrozenClock("2026-11-27T08:00:00Z")
    store = open_store(db, "setup", clock, os_user="setup")
    desk = Desk(store, config, clock)
    north = desk.add_account("Northwind Home", ["US"], ["notices+w0@ops.example.com", "notices+w1@ops.example.com",
                                                        "notices+shared@ops.example.com"])
    south = desk.add_account("Southpaw Goods", ["US"], ["notices+w2@ops.example.com", "notices+w3@ops.example.com"])
    pool = []
    for n in range(POOL):
        account = (north, south)[n % 2]
        fields = desk.extract(NOTICE.format(what=f"condition {n}", n=n))
        pool.append(desk.add_notice(account, "US", fields))
    for nid in pool[:APPEALS]:
        desk.new_appeal(nid, f"## Root cause\nDraft for notification {nid}.\n")
    store.close()
    plan = {"notifications": pool, "appeal_notifications": pool[:APPEALS], "accounts": [north.id, south.id],
            "operators": [f"op{k}" for k in range(PROCESSES)]}
    return db, plan


def count(conn, sql: str, params: tuple = ()) -> int:
    return conn.execute(sql, params).fetchone()[0]


def audit_key(action: str) -> str:
    """Claims are audited as notification.claim / notification.release; the workers say claim / release."""
    return action.split(".", 1)[1] if action in ("notification.claim", "notification.release") else action


@pytest.fixture(scope="module")
def stress_run(tmp_path_factory):
    """Run the four processes once; the tests below read the result."""
    tmp_path = tmp_path_factory.mktemp("stress")
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path)
        yield from run_stress(tmp_path)


def isolate(mp: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What tests/conftest.py's isolated_env does, for a module-scoped fixture (set up before it runs)."""
    for var in ("FLAGDESK_CONFIG", "FLAGDESK_DB", "FLAGDESK_NOW", "NO_COLOR"):
        mp.delenv(var, raising=False)
    mp.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    mp.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    mp.setenv("FLAGDESK_SYSTEM_CONFIG", str(tmp_path / "etc" / "config.toml"))
    mp.setenv("FLAGDESK_OPERATOR", "setup")


def run_stress(tmp_path: Path):
    db, plan = setup_database(tmp_path)
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    shared = make_maildir(tmp_path / "shared-mail", SHARED_MESSAGES, "shared", "notices+shared@ops.example.com")
    go = tmp_path / "go"
    procs, reports = [], []
    for k in range(PROCESSES):
        own = make_maildir(tmp_path / f"mail-{k}", OWN_MESSAGES, f"own{k}", f"notices+w{k}@ops.example.com")
        report = tmp_path / f"report-{k}.json"
        env = {**os.environ, "FLAGDESK_OPERATOR": f"op{k}"}
        procs.append(subprocess.Popen(
            [sys.executable, str(WORKER), "stress", "--db", str(db), "--plan", str(tmp_path / "plan.json"),
             "--seed", str(1000 + k), "--ops", str(OPERATIONS), "--own", str(own), "--shared", str(shared),
             "--report", str(report), "--go", str(go)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        reports.append(report)
    deadline = time.monotonic() + 60
    while not all(Path(f"{r}.ready").exists() for r in reports):
        assert time.monotonic() < deadline, "the worker processes did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    started = time.monotonic()
    go.touch()
    outputs = [p.communicate(timeout=240) for p in procs]
    elapsed = time.monotonic() - started
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    done = [json.loads(r.read_text()) for r in reports]
    conn = sqlite3.connect(db, isolation_level=None)  # autocommit: the checks below write nothing, hold no lock
    yield {"db": db, "plan": plan, "reports": done, "conn": conn, "elapsed": elapsed}
    conn.close()


def test_every_operation_ran_and_no_error_reached_an_operator(stress_run):
    reports = stress_run["reports"]
    assert [r["errors"] for r in reports] == [[]] * PROCESSES
    ops = Counter()
    for r in reports:
        ops.update(r["ops"])
    conflicts = Counter()
    for r in reports:
        conflicts.update(r["conflicts"])
    attempted = sum(ops.values()) + conflicts["claim"]  # a refused claim is an operation that changed nothing
    # Every operation is accounted for: the ones that wrote, the no-ops (claiming one's own again, marking
    # read what someone else already had) and the refused claims.
    assert attempted == PROCESSES * OPERATIONS
    assert sum(r["ops"].get("mark_read", 0) for r in reports) > 0
    for name in ("set_status", "save_appeal", "open_case", "add_contact", "import", "claim", "release"):
        assert ops[name] > 0, name
    assert all(r["claims"] for r in reports), "Desk.claim / Desk.release were not found"
    overlap = min(r["window"][1] for r in reports) - max(r["window"][0] for r in reports)
    print(f"\nstress: {PROCESSES} processes x {OPERATIONS} operations in {stress_run['elapsed']:.1f} s "
          f"(all four running at once for {overlap:.2f} s); "
          f"ops {dict(ops)}; conflicts retried {dict(conflicts)}; errors 0")


def test_audit_rows_match_what_each_operator_did(stress_run):
    conn = stress_run["conn"]
    for r in stress_run["reports"]:
        rows = conn.execute("SELECT action, count(*) FROM audit WHERE actor = ? GROUP BY action",
                            (r["operator"],)).fetchall()
        in_db = Counter()
        for action, n in rows:
            in_db[audit_key(action)] += n
        assert dict(in_db) == r["audit"], r["operator"]


def test_no_notification_is_lost_or_doubled(stress_run):
    conn, reports = stress_run["conn"], stress_run["reports"]
    imported = sum(r["imported"] for r in reports)
    assert imported == PROCESSES * OWN_MESSAGES + SHARED_MESSAGES
    assert count(conn, "SELECT count(*) FROM notifications") == POOL + imported
    # Exactly one copy of each message, although every process raced to import the shared Maildir.
    assert count(conn, "SELECT count(DISTINCT external_id) FROM notifications WHERE source = 'email'") == imported
    assert count(conn, "SELECT count(*) FROM notifications WHERE external_id LIKE '%shared-%'") == SHARED_MESSAGES
    attempts = Counter(which for r in reports for which in r["imports"])
    expected_duplicates = (attempts["own"] * OWN_MESSAGES + attempts["shared"] * SHARED_MESSAGES - imported)
    assert sum(r["duplicates"] for r in reports) == expected_duplicates
    # Each own message is filed under the account whose notice address received it.
    for k in range(PROCESSES):
        account = "Northwind Home" if k < 2 else "Southpaw Goods"
        assert count(conn, "SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id "
                           "WHERE n.external_id LIKE ? AND a.name = ?", (f"%own{k}-%", account)) == OWN_MESSAGES
    # Every notification has the audit row of its arrival.
    assert count(conn, "SELECT count(*) FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM audit WHERE "
                       "table_name = 'notifications' AND row_id = n.id AND action = 'notification.add')") == 0


def test_every_reported_revision_exists_with_its_text(stress_run):
    conn, reports = stress_run["conn"], stress_run["reports"]
    saved = [rev for r in reports for rev in r["revisions"]]
    assert count(conn, "SELECT count(*) FROM appeal_revisions") == APPEALS + len(saved)
    for appeal_id, number, text in saved:
        assert conn.execute("SELECT text FROM appeal_revisions WHERE appeal_id = ? AND number = ?",
                            (appeal_id, number)).fetchone() == (text,)
    assert len({(a, n) for a, n, _ in saved}) == len(saved)  # no two processes got the same revision
    for appeal_id, revision, text in conn.execute("SELECT id, revision, text FROM appeals").fetchall():
        numbers = [n for (n,) in conn.execute(
            "SELECT number FROM appeal_revisions WHERE appeal_id = ? ORDER BY number", (appeal_id,))]
        assert numbers == list(range(1, revision + 1))
        last = conn.execute("SELECT text FROM appeal_revisions WHERE appeal_id = ? AND number = ?",
                            (appeal_id, revision)).fetchone()[0]
        assert last == text


def test_cases_and_timeline_entries_add_up(stress_run):
    conn, reports = stress_run["conn"], stress_run["reports"]
    opened = [c for r in reports for c in r["cases_opened"]]
    assert count(conn, "SELECT count(*) FROM cases") == len(opened) == len(set(opened))
    assert count(conn, "SELECT count(*) FROM case_entries") == sum(r["entries"] for r in reports)
    for r in reports:
        assert count(conn, "SELECT count(*) FROM cases WHERE opened_by = ?", (r["operator"],)) == len(r["cases_opened"])


def test_claims_end_with_the_operators_who_hold_them(stress_run):
    conn, reports = stress_run["conn"], stress_run["reports"]
    held = {nid: r["operator"] for r in reports for nid in r["held"]}
    assert sum(len(r["held"]) for r in reports) == len(held)  # nobody holds what another holds
    rows = dict(conn.execute("SELECT id, assignee FROM notifications WHERE assignee IS NOT NULL").fetchall())
    assert rows == held


def test_the_database_is_intact_afterwards(stress_run):
    conn = stress_run["conn"]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO notifications_fts(notifications_fts) VALUES ('integrity-check')")
    conn.execute("INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')")


def test_two_operators_opening_a_new_appeal_at_once_both_get_the_draft(desk, monkeypatch):
    """Both press `a` on a notification without an appeal at the same moment: each must land in the one draft."""
    from console.store import appeals as ap

    account = desk.add_account("Northwind Home", ["US"])
    nid = desk.add_notice(account, "US", desk.extract("Subject: Listing removed\n\nASIN B0ABC12345."))
    other_store = open_store(desk.store.path, "other", desk.clock, os_user="other")
    other = Desk(other_store, desk.config, desk.clock)
    real = ap.current_appeal

    def racing(store, notification_id):
        found = real(store, notification_id)
        if store is desk.store and found is None:
            other.open_appeal(notification_id)  # the other operator's draft lands in between
        return found

    monkeypatch.setattr(ap, "current_appeal", racing)
    try:
        mine = desk.open_appeal(nid)
    finally:
        other_store.close()
    assert [a.id for a in ap.appeals_for(desk.store, nid)] == [mine.id]
