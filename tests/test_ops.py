"""Operating the shared database: doctor, backup, restore and the audit log, from the command line."""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import sqlite3
import threading
import time
from datetime import timedelta

import pytest

from console.core import audit as audit_text
from console.core.clock import FrozenClock, parse_iso
from console.core.model import Status
from console.store import audit_log
from console.store import backup as bk
from console.store import doctor as doc
from console.store.db import open_store

NOW = "2026-11-27T08:00:00Z"



def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("notifications", "audit")}
    finally:
        conn.close()


# --- doctor ------------------------------------------------------------------------------------


def shared_group() -> int:
    """A group other than the user's own that this process may give files to, else skip."""
    me = pwd.getpwuid(os.getuid())
    candidates = [g for g in os.getgroups() if g != me.pw_gid] if os.getuid() else [
        g.gr_gid for g in grp.getgrall() if g.gr_name != me.pw_name and g.gr_gid != me.pw_gid]
    if not candidates:
        pytest.skip("no second group to share a folder with")
    return candidates[0]


def make_db(path):
    s = open_store(path, "tester", FrozenClock(NOW))
    s.close()


@pytest.fixture
def shared(tmp_path):
    """The README's setup: a setgid folder of the ops group, the database 0660 in that group."""
    gid = shared_group()
    folder = tmp_path / "srv"
    folder.mkdir()
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)
    db = folder / "flagdesk.db"
    make_db(db)
    os.chown(db, -1, gid)
    os.chmod(db, 0o660)
    return db


def test_doctor_passes_a_shared_group_setup(shared, monkeypatch):
    monkeypatch.setattr(doc, "MIN_FREE", 0)  # whatever this machine's disk holds
    findings = doc.run_checks(shared, umask=0o007)
    assert {f.name: f.level for f in findings} == {
        "folder writable": "ok", "folder setgid": "ok", "umask": "ok", "file permissions": "ok", "journal": "ok",
        "integrity": "ok", "schema": "ok", "audit chain": "ok", "audit guard": "ok", "attachments": "ok",
        "world-readable": "ok", "disk": "ok"}
    assert not doc.failed(findings)


def test_doctor_checks_wal_and_shm_while_a_session_is_open(shared):
    s = open_store(shared, "tester", FrozenClock(NOW))  # creates -wal and -shm with this process's umask
    try:
        os.chmod(f"{shared}-wal", 0o600)
        findings = {f.name: f for f in doc.run_checks(shared, umask=0o007)}
        assert findings["wal permissions"].level == "fail"
        assert findings["wal permissions"].fix == f"chmod 660 {shared}-wal"
        assert findings["shm permissions"].level in ("ok", "fail")
    finally:
        s.close()


def test_doctor_warns_when_the_disk_is_short(shared, monkeypatch):
    monkeypatch.setattr(doc, "MIN_FREE", 1 << 60)
    disk = next(f for f in doc.run_checks(shared, umask=0o007) if f.name == "disk")
    assert disk.level == "warn" and "want 500 MB and twice its size" in disk.message
    assert disk.fix == f"df -h {shared.parent}"


def test_doctor_names_each_problem_with_its_fix_and_exits_1(shared, run):
    os.chmod(shared.parent, 0o750)  # not group-writable, not setgid
    os.chmod(shared, 0o600)
    code, out, _ = run("doctor", "--db", str(shared))
    assert code == 1
    assert "FAIL  folder writable" in out and f"fix: chmod g+rwx {shared.parent}" in out
    assert f"fix: chmod g+ws {shared.parent}" in out
    assert "FAIL  file permissions" in out and f"fix: chmod 660 {shared}" in out
    data = json.loads(run("doctor", "--db", str(shared), "--json")[1])
    assert data["ok"] is False
    assert {f["name"] for f in data["findings"] if f["level"] == "fail"} == {
        "folder writable", "folder setgid", "file permissions"}


def test_doctor_warnings_alone_exit_0(shared, run):
    old = os.umask(0o022)
    try:
        code, out, _ = run("doctor", "--db", str(shared))
    finally:
        os.umask(old)
    assert code == 0
    assert "WARN  umask" in out and "fix: umask 007" in out
    assert "FAIL" not in out


def test_doctor_on_a_garbage_file_is_one_finding_not_a_traceback(tmp_path, run):
    junk = tmp_path / "flagdesk.db"
    junk.write_bytes(b"this is not a database\n" * 50)
    code, out, err = run("doctor", "--db", str(junk), "--json")
    assert code == 1 and err == ""
    db_findings = [f for f in json.loads(out)["findings"] if f["name"] == "database"]
    assert len(db_findings) == 1
    assert db_findings[0]["level"] == "fail" and "not a SQLite database" in db_findings[0]["message"]


def test_doctor_never_writes_nor_migrates(shared):
    conn = sqlite3.connect(shared)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_audit_indexes'")
    conn.execute("DROP INDEX audit_at")
    conn.execute("DROP INDEX audit_actor")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = (sha(shared), sorted(p.name for p in shared.parent.iterdir()))
    findings = {f.name: f for f in doc.run_checks(shared, umask=0o007)}
    assert findings["schema"].level == "warn" and "m006_audit_indexes pending" in findings["schema"].message
    assert (sha(shared), sorted(p.name for p in shared.parent.iterdir())) == before


def test_doctor_refuses_a_newer_schema(shared):
    conn = sqlite3.connect(shared)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('flagdesk', 'm099_future', 'x')")
    conn.commit()
    conn.close()
    schema = next(f for f in doc.run_checks(shared, umask=0o007) if f.name == "schema")
    assert schema.level == "fail" and "newer flagdesk" in schema.message


# --- backup ------------------------------------------------------------------------------------


def test_backup_while_another_session_writes_is_consistent(demo, tmp_path):
    from console.store import notifications as notes
    from console.store.notifications import NewNotification

    stop = threading.Event()
    written = []

    def writer():
        other = open_store(demo.store.path, "cron", FrozenClock(NOW), os_user="cron")
        try:
            i = 0
            while not stop.is_set() or i < 20:
                written.append(notes.add_notification(other, NewNotification(
                    account_id=1, marketplace="US", received_at=parse_iso(NOW), subject=f"Load {i}", body="x",
                    category="other", severity="low")))
                i += 1
        finally:
            other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5 and thread.is_alive():
            time.sleep(0.001)
        info = bk.backup(demo.store, tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    conn = sqlite3.connect(tmp_path / "copy.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = conn.execute("SELECT count(*) FROM notifications").fetchone()[0]
    # Every notification in the copy came with its audit row (one transaction): a snapshot, not a mix.
    assert n == conn.execute("SELECT count(*) FROM audit WHERE action = 'notification.add'").fetchone()[0]
    assert n >= 49 + 5 and n == info.counts["notifications"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert not list(tmp_path.glob(".copy.db.*"))


def test_backup_cli_refuses_to_overwrite_prints_counts_and_audits(demo, tmp_path, run):
    dest = tmp_path / "nightly.db"
    code, out, _ = run("backup", str(dest), "--db", str(demo.store.path))
    assert code == 0
    assert out.startswith(f"Backed up to {dest} (") and "49 notifications" in out and "integrity ok" in out
    [row] = audit_log.query(demo.store, action="backup")
    assert row.detail["path"] == str(dest) and row.detail["notifications"] == 49 and row.actor == "tester"
    before = sha(dest)
    code, _, err = run("backup", str(dest), "--db", str(demo.store.path))
    assert code == 1 and err == f"flagdesk: error: {dest}: already exists; pass --force to replace it\n"
    assert sha(dest) == before
    assert run("backup", str(dest), "--force", "--db", str(demo.store.path))[0] == 0
    assert counts(dest)["audit"] == counts(demo.store.path)["audit"] - 1  # the copy predates its own audit row


def test_backup_into_a_folder_names_the_file_by_time(demo, tmp_path, run):
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, _ = run("backup", str(folder), "--db", str(demo.store.path))
    assert code == 0
    assert [p.name for p in folder.iterdir()] == ["flagdesk-20261127-080000.db"]
    code, _, err = run("backup", str(tmp_path / "missing" / "x.db"), "--db", str(demo.store.path))
    assert code == 1 and "does not exist" in err


# --- restore -----------------------------------------------------------------------------------


@pytest.fixture
def live(demo, tmp_path):
    """The demo database with a backup taken, then one more change."""
    backup = tmp_path / "good.db"
    bk.backup(demo.store, backup)
    demo.set_status(1, Status.DISMISSED)
    return demo, backup


@pytest.mark.parametrize("kind", ["garbage", "newer", "foreign", "missing"])
def test_restore_refuses_a_bad_copy_and_touches_nothing(live, tmp_path, run, kind):
    demo, good = live
    src = tmp_path / f"{kind}.db"
    if kind == "garbage":
        src.write_bytes(b"\x00garbage" * 1000)
    elif kind == "newer":
        src.write_bytes(good.read_bytes())
        conn = sqlite3.connect(src)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('flagdesk', 'm099_future', 'x')")
        conn.commit()
        conn.close()
    elif kind == "foreign":
        conn = sqlite3.connect(src)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    before = counts(demo.store.path)
    code, out, err = run("restore", str(src), "--yes", "--db", str(demo.store.path))
    assert code == 1 and out == ""
    assert err.startswith(f"flagdesk: error: {src}: ") and err.count("\n") == 1
    assert {"garbage": "not a SQLite database", "newer": "newer flagdesk (schema step m099_future)",
            "foreign": "not a flagdesk database", "missing": "no such file"}[kind] in err
    assert counts(demo.store.path) == before
    assert demo.notification(1).status == Status.DISMISSED
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_without_a_terminal_needs_yes(live, run):
    demo, good = live
    code, _, err = run("restore", str(good), "--db", str(demo.store.path))
    assert code == 1 and "pass --yes to confirm" in err
    assert demo.notification(1).status == Status.DISMISSED


def test_restore_replaces_content_keeps_a_safety_copy_and_audits(live, tmp_path, run):
    demo, good = live
    other = open_store(demo.store.path, "colleague", FrozenClock(NOW), os_user="colleague")  # another session keeps it open
    try:
        assert other.rows("SELECT status FROM notifications WHERE id = 1")[0]["status"] == "dismissed"
        code, out, err = run("restore", str(good), "--yes", "--db", str(demo.store.path))
        assert code == 0, err
        safety = tmp_path / "demo.db.before-restore-20261127-080000"
        assert out == (f"Restored {demo.store.path} from {good} (49 notifications, 0 appeals, 0 cases)\n"
                       f"The previous database is kept in {safety}\n")
        assert other.rows("SELECT status FROM notifications WHERE id = 1")[0]["status"] == "new"
        assert demo.notification(1).status == Status.NEW
        conn = sqlite3.connect(safety)
        assert conn.execute("SELECT status FROM notifications WHERE id = 1").fetchone()[0] == "dismissed"
        conn.close()
        [row] = audit_log.query(demo.store, action="restore")
        assert row.detail["from"] == str(good) and row.detail["safety_copy"] == str(safety)
        assert demo.store.rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    finally:
        other.close()


# --- audit -------------------------------------------------------------------------------------


@pytest.fixture
def history(demo):
    """Demo rows at NOW by tester; alice read #1 three days ago; bob dismissed #20 an hour ago."""
    alice = open_store(demo.store.path, "alice", FrozenClock(parse_iso(NOW) - timedelta(days=3)), os_user="alice")
    bob = open_store(demo.store.path, "bob", FrozenClock(parse_iso(NOW) - timedelta(hours=1)), os_user="bob")
    from console.store import notifications as notes

    notes.mark_read(alice, 1)
    notes.set_status(bob, 20, Status.DISMISSED)
    alice.close()
    bob.close()
    return demo


def test_audit_lists_newest_first_in_the_operators_zone(history, run, monkeypatch):
    monkeypatch.setenv("FLAGDESK_TZ", "Europe/Berlin")
    n20 = history.notification(20)
    code, out, _ = run("audit", "--actor", "bob", "--db", str(history.store.path))
    assert code == 0
    assert out == (f"2026-11-27 08:00  bob        notification.status    notification #20 ({n20.account} · "
                   f"{n20.marketplace})  status read → dismissed\n")


def test_audit_since_filters_by_time(history, run):
    db = str(history.store.path)
    out = run("audit", "--since", "2h", "--limit", "0", "--db", db)[1]
    assert "bob" in out and "alice" not in out
    out = run("audit", "--since", "4d", "--limit", "0", "--db", db)[1]
    assert "bob" in out and "alice" in out
    assert "alice" not in run("audit", "--since", "2026-11-25", "--limit", "0", "--db", db)[1]
    assert "alice" in run("audit", "--since", "2026-11-24T07:00Z", "--limit", "0", "--db", db)[1]
    code, _, err = run("audit", "--since", "last tuesday", "--db", db)
    assert code == 2 and "'last tuesday' is not a time" in err


def test_audit_account_filter_maps_rows_to_accounts(history, run):
    n1 = history.notification(1)
    history.new_appeal(1, "Root cause: ...")
    data = json.loads(run("audit", "--account", n1.account, "--json", "--limit", "0",
                          "--db", str(history.store.path))[1])
    assert data and {d["account"] for d in data} == {n1.account}
    kinds = {(d["table"], d["action"]) for d in data}
    assert ("accounts", "account.add") in kinds and ("appeals", "appeal.create") in kinds
    assert ("notifications", "notification.status") in kinds
    appeal = next(d for d in data if d["action"] == "appeal.create")
    assert appeal["what"] == f"appeal #{appeal['row_id']} (notification #1 · {n1.account} · {n1.marketplace})"
    assert appeal["summary"] == "draft for notification #1"
    assert [d["id"] for d in data] == sorted((d["id"] for d in data), reverse=True)
    assert len(json.loads(run("audit", "--account", n1.account, "--json", "--limit", "2",
                              "--db", str(history.store.path))[1])) == 2


def test_audit_notification_history_includes_appeals_and_cases(history, run):
    from console.store import contacts as cs

    n1 = history.notification(1)
    history.new_appeal(1)
    cs.open_case(history.store, n1.account_id, "phone", "Called about it", notification_id=1)
    data = json.loads(run("audit", "--notification", "1", "--json", "--db", str(history.store.path))[1])
    assert [d["action"] for d in data] == ["notification.add", "notification.status", "appeal.create", "case.open"]
    assert [d["actor"] for d in data][:2] == ["tester", "alice"]


def test_audit_text_is_cleaned(demo, run):
    with demo.store.write():
        demo.store.audit("notification.edit", "notifications", 1, {"subject": ["old", "\x1b[2Jnew\x07"]})
    out = run("audit", "--limit", "1", "--db", str(demo.store.path))[1]
    assert "\x1b" not in out and "\x07" not in out and "subject old → new" in out


def test_doctor_on_a_missing_database_says_how_to_create_it(tmp_path, run):
    code, out, err = run("doctor", "--db", str(tmp_path / "nothing.db"))
    assert code == 1 and out == ""
    assert err == (f"flagdesk: error: {tmp_path / 'nothing.db'}: no flagdesk database here (the path comes from "
                   "--db); check the path, or create the database with `flagdesk init`\n")
    assert not (tmp_path / "nothing.db").exists()


@pytest.mark.parametrize("action, detail, expected", [
    ("notification.status", {"status": ["new", "read"]}, "status new → read"),
    ("notification.claim", {"assignee": [None, "alice"]}, "claimed"),
    ("notification.claim", {"assignee": ["bob", "alice"]}, "claimed, taking it over from bob"),
    ("notification.release", {"assignee": ["alice", None]}, "released the claim"),
    ("notification.assign", {"account_id": [None, 2], "marketplace": ["US", "UK"]},
     "account Unassigned → Brightwater; marketplace US → UK"),
    ("appeal.submit", {"route": "contact-us", "channel": "chat", "case_id": "123",
                       "override_reason": "urgent", "failing_checks": ["tone", "reviewed"]},
     "via contact-us (chat); Amazon case 123; override “urgent” (failing: tone, reviewed)"),
    ("case.open", {"account_id": 2, "channel": "phone", "case_ref": "99", "urgent": True,
                   "follow_up_at": "2026-11-28T08:00:00Z", "duplicate_confirmed": {"reason": "new issue",
                                                                                  "candidates": [3]}},
     "opened by phone; Amazon case 99; urgent; follow-up 2026-11-28 09:00; second case despite #3: “new issue”"),
    ("backup", {"path": "/b/x.db", "bytes": 3 * 1024 * 1024, "notifications": 4, "appeals": 1, "cases": 0},
     "to /b/x.db (3.0 MB); 4 notifications, 1 appeals, 0 cases"),
])
def test_describe_summarises_each_kind_of_row(action, detail, expected):
    from zoneinfo import ZoneInfo

    entry = audit_text.AuditEntry(1, parse_iso(NOW), "tester", action, "notifications", 1, detail,
                                 names={2: "Brightwater"})
    assert audit_text.describe(entry, ZoneInfo("Europe/Berlin")) == expected


def test_doctor_reports_every_file_open_to_users_outside_the_group(shared, run, tmp_path, monkeypatch):
    """The database, its -wal, a safety copy beside it, a backup in the folder the audit log names and an
    export: any with an "other" permission bit is a failure naming it, with the chmod that fixes it."""
    monkeypatch.setattr(doc, "MIN_FREE", 0)
    db = str(shared)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o770)
    assert run("backup", f"{backups}/", "--db", db)[0] == 0
    assert run("doctor", "--db", db)[0] == 0  # as flagdesk leaves them: nothing open to others
    backup = next(backups.iterdir())
    stray = backups / "notes.txt"  # whatever else lies in the backups folder counts too
    stray.write_text("x")
    safety = shared.parent / f"{shared.name}.before-restore-20261127-080000"
    safety.write_bytes(b"")
    export = tmp_path / "xdg-data" / "flagdesk" / "exports" / "appeal-1-rev1.txt"
    export.parent.mkdir(parents=True)
    export.write_text("text")
    for f, mode in ((shared, 0o664), (backup, 0o644), (stray, 0o604), (safety, 0o666), (export, 0o644)):
        os.chmod(f, mode)
    code, out, _ = run("doctor", "--db", db)
    assert code == 1
    line = next(x for x in out.splitlines() if "world-readable" in x)
    assert line.startswith("FAIL") and "5 files open to users outside the group" in line
    data = json.loads(run("doctor", "--json", "--db", db)[1])
    found = next(f for f in (data["findings"] if isinstance(data, dict) else data) if f["name"] == "world-readable")
    for f in (shared, backup, stray, safety, export):
        assert str(f) in found["message"] and str(f) in found["fix"]
    assert found["fix"].startswith("chmod o-rwx ") and f"{shared} (0664)" in found["message"]
    for f in (shared, backup, stray, safety, export):
        os.chmod(f, 0o660)
    assert next(f for f in doc.run_checks(shared, umask=0o007) if f.name == "world-readable").level == "ok"
