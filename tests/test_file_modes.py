"""The modes of the files flagdesk creates: group read-write in a group's folder whatever the umask, never
readable by others.

SQLite creates a database `0644 & ~umask` (`0640` under `umask 007`), and `doctor` then fails "file
permissions" on a database flagdesk made itself. flagdesk creates the file first, and SQLite gives the
-wal and -shm files the database file's mode (its unix VFS fchmods them to it): checked here.
"""

from __future__ import annotations

import grp
import os
import pwd
import sqlite3
import stat

import pytest

from console.core.clock import FrozenClock
from console.store import backup as bk
from console.store import doctor as doc
from console.store.db import open_store

NOW = "2026-11-27T08:00:00Z"
UMASKS = [0o007, 0o022]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=UMASKS, ids=lambda m: f"umask{m:03o}")
def umask(request):
    saved = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(saved)


def other_group() -> int | None:
    """A group other than the user's own that this process may give a folder to (root: any), else None."""
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:
        gids = [g.gr_gid for g in grp.getgrall() if g.gr_name != me.pw_name and g.gr_gid != me.pw_gid]
    else:
        gids = [g for g in os.getgroups() if g != me.pw_gid]
    return gids[0] if gids else None


@pytest.fixture
def srv(tmp_path):
    """The README's folder: drwxrws--- (2770), of an ops group when this process may choose one."""
    folder = tmp_path / "srv"
    folder.mkdir()
    gid = other_group()
    if gid is not None:
        os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)
    if not os.stat(folder).st_mode & stat.S_ISGID:
        pytest.skip("this file system or user cannot set setgid on a folder")
    return folder


def make_db(path):
    s = open_store(path, "tester", FrozenClock(NOW))
    s.close()


def test_a_new_database_and_its_wal_and_shm_are_0660_in_a_setgid_folder(srv, umask):
    db = srv / "flagdesk.db"
    s = open_store(db, "tester", FrozenClock(NOW))
    try:
        s.conn.execute("BEGIN IMMEDIATE")
        s.conn.execute("INSERT INTO accounts (name, created_at) VALUES ('Northwind', ?)", (NOW,))
        s.conn.execute("COMMIT")
        for f in (db, f"{db}-wal", f"{db}-shm"):
            assert mode(f) == 0o660, f
            assert os.stat(f).st_gid == srv.stat().st_gid, f
    finally:
        s.close()


def test_doctor_passes_a_database_flagdesk_just_made(srv, umask, monkeypatch):
    monkeypatch.setattr(doc, "MIN_FREE", 0)
    db = srv / "flagdesk.db"
    make_db(db)

    def check(names):
        findings = doc.run_checks(db, umask=umask)
        by_name = {f.name: f for f in findings}
        for name in names:
            assert by_name[name].level == "ok", by_name[name]
        if other_group() is not None:  # else the folder is in this user's own group: doctor says so
            assert not doc.failed(findings), [f for f in findings if f.level == "fail"]

    check(["file permissions"])
    s = open_store(db, "tester", FrozenClock(NOW))  # a session holds -wal and -shm
    try:
        check(["file permissions", "wal permissions", "shm permissions"])
    finally:
        s.close()


def test_backups_and_safety_copies_are_0660_in_a_setgid_folder(srv, umask):
    make_db(srv / "flagdesk.db")
    s = open_store(srv / "flagdesk.db", "tester", FrozenClock(NOW))
    try:
        copy = bk.backup(s, srv / "nightly.db").path
        in_folder = bk.backup(s, f"{srv}/backups/").path
        _, safety = bk.restore(s, copy)
        for f in (copy, in_folder, safety):
            assert mode(f) == 0o660, f
            assert os.stat(f).st_gid == srv.stat().st_gid, f
        assert mode(srv / "backups") == 0o2770
    finally:
        s.close()


@pytest.mark.parametrize("folder_mode, expected", [(0o700, 0o600), (0o755, 0o600), (0o770, 0o660), (0o2750, 0o660)],
                         ids=["0700", "0755", "0770", "2750"])
def test_the_folder_decides_group_or_private_and_other_bits_are_never_set(tmp_path, umask, folder_mode, expected):
    folder = tmp_path / "here"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    db = folder / "flagdesk.db"
    s = open_store(db, "tester", FrozenClock(NOW))
    try:
        s.conn.execute("BEGIN IMMEDIATE")
        s.conn.execute("INSERT INTO accounts (name, created_at) VALUES ('Northwind', ?)", (NOW,))
        s.conn.execute("COMMIT")
        for f in (db, f"{db}-wal", f"{db}-shm", bk.backup(s, folder / "copy.db").path):
            assert mode(f) == expected, f
    finally:
        s.close()


@pytest.mark.parametrize("folder_mode, expected", [(0o700, 0o600), (0o755, 0o600), (0o2770, 0o660)],
                         ids=["0700", "0755", "2770"])
def test_files_write_text_for_exports_follows_the_same_rule(tmp_path, umask, folder_mode, expected):
    from console.store import files  # (imported here: the old code has no such module)

    folder = tmp_path / "here"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    out = folder / "appeal.md"
    out.write_text("an older export", encoding="utf-8")
    os.chmod(out, 0o644)
    files.write_text(out, "# Plan of Action\n")
    assert out.read_text(encoding="utf-8") == "# Plan of Action\n" and mode(out) == expected
    assert [p.name for p in folder.iterdir()] == ["appeal.md"]  # no temporary file left


def test_an_existing_database_keeps_its_mode(srv, umask):
    db = srv / "flagdesk.db"
    make_db(db)
    os.chmod(db, 0o640)  # someone chose this (doctor will say so); opening it does not change it
    make_db(db)
    assert mode(db) == 0o640


def test_sqlite_alone_would_not_do_it(srv):
    """Why flagdesk creates the file: SQLite's own create follows the umask (0644 & ~007 = 0640)."""
    saved = os.umask(0o007)
    try:
        conn = sqlite3.connect(srv / "plain.db")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    finally:
        os.umask(saved)
    assert mode(srv / "plain.db") == 0o640
