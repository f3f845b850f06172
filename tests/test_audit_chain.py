"""The tamper-evident audit log: each row's SHA-256 chained to the row before, the append-only triggers as
flagdesk creates them, `flagdesk audit verify` and `flagdesk doctor` naming the first broken row."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.core import config as config_mod
from console.core.clock import FrozenClock
from console.desk import Desk
from console.store import audit_chain
from console.store import doctor as doc
from console.store.db import known_migrations, open_store

from .reliability.maildirs import make_maildir

NOW = "2026-11-27T08:00:00Z"
WORKER = Path(__file__).parent / "reliability" / "worker.py"



def raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 shell on the file, as anyone in the group could open."""
    return sqlite3.connect(path, isolation_level=None)


def drop_guard(conn: sqlite3.Connection) -> None:
    for name in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
        conn.execute(f"DROP TRIGGER {name}")


def findings(path: Path) -> dict:
    return {f.name: f for f in doc.run_checks(path, umask=0o007)}


# --- a database as flagdesk leaves it ------------------------------------------------------------


def test_a_fresh_demo_database_verifies(demo, run):
    path = demo.store.path
    n = demo.store.rows("SELECT count(*) AS n FROM audit")[0]["n"]
    assert n > 10
    assert all(r["hash"] and len(r["hash"]) == 64 for r in demo.store.rows("SELECT hash FROM audit"))
    assert demo.verify_audit() == (True, None, f"audit chain intact: {n} rows")
    assert run("audit", "verify", "--db", str(path)) == (0, f"audit chain intact: {n} rows\n", "")
    data = json.loads(run("audit", "verify", "--json", "--db", str(path))[1])
    assert data == {"ok": True, "first_bad_id": None, "reason": f"audit chain intact: {n} rows"}
    found = findings(path)
    assert found["audit chain"].level == "ok" and f"{n} rows" in found["audit chain"].message
    assert found["audit guard"].level == "ok"
    # `flagdesk audit` with options only still lists, and `--db` before the subcommand counts too.
    code, out, _ = run("audit", "--since", "2h", "--limit", "3", "--db", str(path))
    assert code == 0 and len(out.splitlines()) == 3
    assert run("audit", "--db", str(path), "verify")[0] == 0


def test_the_guard_is_exactly_the_one_text_the_migration_creates(demo):
    stored = dict(demo.store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").fetchall())
    assert stored == audit_chain.GUARD_TRIGGERS
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw(demo.store.path).execute("UPDATE audit SET hash = 'x' WHERE id = 1")


def test_each_hash_follows_from_the_previous_row(demo):
    rows = demo.store.conn.execute(
        "SELECT id, at, actor, action, table_name, row_id, detail, os_user, hash FROM audit ORDER BY id").fetchall()
    prev = audit_chain.GENESIS
    for row in rows:
        assert row[7] == "tester"  # every row records the OS user, and its hash covers it
        assert row[8] == audit_chain.link(prev, row[:8]) != audit_chain.link(prev, row[:7])
        prev = row[8]


# --- tampering ----------------------------------------------------------------------------------


def test_an_edit_with_the_triggers_dropped_is_named_by_verify_and_doctor(demo, run):
    path = demo.store.path
    conn = raw(path)
    drop_guard(conn)
    victim = conn.execute("SELECT id FROM audit WHERE action = 'notification.add' ORDER BY id LIMIT 1 OFFSET 5"
                          ).fetchone()[0]
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = ?", (victim,))
    conn.close()
    code, out, _ = run("audit", "verify", "--db", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"row #{victim}: ") and "changed after it was written" in lines[0]
    assert lines[1].startswith("audit guard: ") and "audit_no_update is missing" in lines[1]
    data = json.loads(run("audit", "verify", "--json", "--db", str(path))[1])
    assert data["ok"] is False and data["first_bad_id"] == victim
    found = findings(path)
    assert found["audit chain"].level == "fail" and f"row #{victim}:" in found["audit chain"].message
    assert found["audit guard"].level == "fail" and "audit_no_delete is missing" in found["audit guard"].message
    code, out, _ = run("doctor", "--db", str(path))
    assert code == 1 and "FAIL  audit chain" in out and "FAIL  audit guard" in out


def test_a_row_deleted_from_the_middle_is_named(demo, run):
    path = demo.store.path
    conn = raw(path)
    drop_guard(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM audit ORDER BY id")]
    gone = ids[len(ids) // 2]
    conn.execute("DELETE FROM audit WHERE id = ?", (gone,))
    conn.close()
    code, out, _ = run("audit", "verify", "--db", str(path))
    assert code == 1
    assert out.splitlines()[0].startswith(f"row #{gone + 1}: ") and f"row #{gone} missing" in out
    assert demo.verify_audit()[1] == gone + 1
    assert f"row #{gone + 1}:" in findings(path)["audit chain"].message


def test_a_guard_put_back_differently_or_an_extra_trigger_is_a_finding(demo, run):
    path = demo.store.path
    conn = raw(path)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN old.actor != 'mallory' BEGIN "
                 "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    conn.execute("CREATE TRIGGER audit_quiet BEFORE INSERT ON audit WHEN NEW.actor = 'mallory' BEGIN "
                 "SELECT RAISE(IGNORE); END")  # silently drops her audit rows
    conn.close()
    ok, bad, reason = audit_chain.verify(raw(path))
    assert (ok, bad) == (False, None)
    assert "audit_no_delete is not as flagdesk creates it" in reason and "audit_quiet is not flagdesk's" in reason
    guard = findings(path)["audit guard"]
    assert guard.level == "fail" and "audit_quiet" in guard.message
    assert findings(path)["audit chain"].level == "ok"  # no row was touched
    assert run("audit", "verify", "--db", str(path))[0] == 1


def test_a_row_written_around_flagdesk_is_named(demo):
    conn = raw(demo.store.path)
    conn.execute("INSERT INTO audit (at, actor, action, table_name) VALUES ('2026-11-27T09:00:00Z', 'x', 'x', 'x')")
    new_id = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    ok, bad, reason = demo.verify_audit()
    assert (ok, bad) == (False, new_id) and reason.startswith(f"row #{new_id}: it has no hash")


# --- writers ------------------------------------------------------------------------------------


def test_an_import_batch_and_single_writes_interleave_into_one_chain(desk, tmp_path):
    desk.add_account("Northwind Home", ["US"], ["notices+nw@ops.example.com"])
    make_maildir(tmp_path / "mail", 30, "chain", "notices+nw@ops.example.com")
    summary = desk.import_paths([tmp_path / "mail"])
    assert summary.imported == 30
    desk.mark_read(1)
    make_maildir(tmp_path / "mail2", 12, "more", "notices+nw@ops.example.com")
    assert desk.import_paths([tmp_path / "mail2"]).imported == 12
    adds = desk.store.rows("SELECT count(*) AS n FROM audit WHERE action = 'notification.add'")[0]["n"]
    assert adds == 42
    ok, _, reason = desk.verify_audit()
    assert ok, reason


def test_concurrent_writers_in_two_processes_leave_a_chain_that_verifies(tmp_path):
    db = tmp_path / "shared.db"
    config = config_mod.load(db_path=db)
    clock = FrozenClock(NOW)
    store = open_store(db, "setup", clock, os_user="setup")
    desk = Desk(store, config, clock)
    north = desk.add_account("Northwind Home", ["US"], ["notices+w0@ops.example.com", "notices+shared@ops.example.com"])
    south = desk.add_account("Southpaw Goods", ["US"], ["notices+w1@ops.example.com"])
    pool = [desk.add_notice((north, south)[n % 2], "US", desk.extract(
        f"Subject: Your listing was removed: condition {n}\n\nWe removed ASIN B0C{n:07d}. Reply within 17 days.\n"))
        for n in range(12)]
    for nid in pool[:2]:
        desk.new_appeal(nid, f"## Root cause\nDraft for notification {nid}.\n")
    store.close()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"notifications": pool, "appeal_notifications": pool[:2],
                                "accounts": [north.id, south.id], "operators": ["op0", "op1"]}))
    shared = make_maildir(tmp_path / "shared-mail", 5, "shared", "notices+shared@ops.example.com")
    go = tmp_path / "go"
    procs, reports = [], []
    for k in range(2):
        own = make_maildir(tmp_path / f"mail-{k}", 5, f"own{k}", f"notices+w{k}@ops.example.com")
        report = tmp_path / f"report-{k}.json"
        procs.append(subprocess.Popen(
            [sys.executable, str(WORKER), "stress", "--db", str(db), "--plan", str(plan), "--seed", str(7 + k),
             "--ops", "200", "--own", str(own), "--shared", str(shared), "--report", str(report), "--go", str(go)],
            env={**os.environ, "FLAGDESK_OPERATOR": f"op{k}"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True))
        reports.append(report)
    deadline = time.monotonic() + 60
    while not all(Path(f"{r}.ready").exists() for r in reports):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), \
            [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    done = [json.loads(r.read_text()) for r in reports]
    assert all(not d["errors"] for d in done), [d["errors"] for d in done]
    conn = raw(db)
    actors = {r[0] for r in conn.execute("SELECT DISTINCT actor FROM audit")}
    assert {"op0", "op1"} <= actors
    ids = [r[0] for r in conn.execute("SELECT id FROM audit ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))  # no gap, no fork
    ok, _, reason = audit_chain.verify(conn)
    assert ok, reason
    assert findings(db)["audit chain"].level == "ok"


def test_a_large_log_verifies_in_a_few_seconds(store):
    rows = [(NOW, f"op{i % 7}", "notification.status", "notifications", i, '{"status": ["new", "read"]}')
            for i in range(100_000)]
    with store.write():
        store.audit_rows(rows)
    started = time.perf_counter()
    report = audit_chain.verify_chain(store.conn)
    elapsed = time.perf_counter() - started
    assert report.ok and report.rows == 100_000
    assert elapsed < 5, f"{elapsed:.2f} s"


# --- upgrading ----------------------------------------------------------------------------------


def test_a_database_from_before_the_chain_upgrades_and_verifies(tmp_path, clock, run):
    import sqlite_utils

    from console.store.db import migrations_set

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = WAL")
    migrations_set().apply(db, stop_before="m010_audit_chain")
    for i in range(25):
        db.conn.execute("INSERT INTO audit (at, actor, action, table_name, row_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        (NOW, "old-version", "notification.add", "notifications", i + 1,
                         json.dumps({"subject": f"Ünïcode notice {i}"}, ensure_ascii=False)))
    db.conn.commit()
    db.close()
    before = findings(path)
    assert before["schema"].level == "warn" and "m010_audit_chain, m011_reading, m012_os_identity, m013_account_state, m014_listing_issues, m015_counts, m016_sources, m017_attachments, m018_alerts, m019_lean_status pending" in before["schema"].message
    assert before["audit chain"].level == "warn" and before["audit guard"].level == "ok"
    s = open_store(path, "tester", clock)
    assert s.schema_version == len(known_migrations())
    assert s.rows("SELECT count(*) AS n FROM audit WHERE hash IS NULL")[0]["n"] == 0
    s.audit("notification.status", "notifications", 3, {"status": ["new", "read"]})
    assert s.rows("SELECT actor FROM audit ORDER BY id DESC LIMIT 1") == [{"actor": "tester"}]
    s.close()
    assert run("audit", "verify", "--db", str(path)) == (0, "audit chain intact: 26 rows\n", "")
    after = findings(path)
    assert after["audit chain"].level == "ok" and after["audit guard"].level == "ok"
    stored = dict(raw(path).execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").fetchall())
    assert stored == audit_chain.GUARD_TRIGGERS


def test_an_old_database_with_its_triggers_dropped_fails_doctor_before_the_upgrade(tmp_path):
    import sqlite_utils

    from console.store.db import migrations_set

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations_set().apply(db, stop_before="m010_audit_chain")
    db.conn.execute("DROP TRIGGER audit_no_update")
    db.conn.commit()
    db.close()
    guard = findings(path)["audit guard"]
    assert guard.level == "fail" and "audit_no_update" in guard.message


# --- the OS user in the chain (schema step m012) ------------------------------------------------


def test_rows_from_before_the_os_user_keep_their_hashes_and_new_ones_cover_it(tmp_path, clock, run):
    import sqlite_utils

    from console.store.db import migrations_set

    path = tmp_path / "old.db"
    s = open_store(path, "maria", clock, os_user="ops1")
    s.close()
    # The same history written by the version before m012: rows without an OS user, hashed over seven columns.
    path.unlink()
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = WAL")
    migrations_set().apply(db, stop_before="m012_os_identity")
    conn = db.conn
    prev = audit_chain.GENESIS
    for i in range(1, 6):
        row = (i, NOW, "maria", "notification.status", "notifications", i, '{"status": ["new", "read"]}')
        prev = audit_chain.link(prev, row)
        conn.execute("INSERT INTO audit (id, at, actor, action, table_name, row_id, detail, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*row, prev))
    conn.commit()
    db.close()
    assert findings(path)["schema"].level == "warn"
    s = open_store(path, "maria", clock, os_user="ops1")  # upgrades: m012 adds the column, NULL for old rows
    s.audit("notification.status", "notifications", 3, {"status": ["read", "new"]})
    s.close()
    rows = raw(path).execute("SELECT id, actor, os_user FROM audit ORDER BY id").fetchall()
    assert rows == [(i, "maria", None) for i in range(1, 6)] + [(6, "maria", "ops1")]
    assert run("audit", "verify", "--db", str(path)) == (0, "audit chain intact: 6 rows\n", "")
    after = findings(path)
    assert after["audit chain"].level == "ok" and after["audit guard"].level == "ok"
    # Blanking the OS user of a new row (or naming another) is an edit like any other: the chain breaks there.
    drop_guard(raw(path))
    for forged in (None, "ops2"):
        conn = raw(path)
        conn.execute("UPDATE audit SET os_user = ? WHERE id = 6", (forged,))
        conn.close()
        code, out, _ = run("audit", "verify", "--db", str(path))
        assert code == 1 and "row #6" in out
        conn = raw(path)
        conn.execute("UPDATE audit SET os_user = 'ops1' WHERE id = 6")
        conn.close()
