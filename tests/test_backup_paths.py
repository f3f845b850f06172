"""`flagdesk backup DEST`: what DEST names (a file, or a folder), and that a copy never replaces another.

A DEST ending in / (or a folder that exists) is a folder: created when missing, with its parent's mode,
setgid kept; the copy in it is named by time, and a second copy in the same second gets `-2`, never the
first one's name. A DEST without the / that does not exist is a file name.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat

import pytest

from console.store import audit_log
from console.store import backup as bk

NOW = "2026-11-27T08:00:00Z"
FIRST = "flagdesk-20261127-080000.db"



@pytest.fixture
def umask():
    """Set the process umask for one test; the old one is put back whatever happens."""
    saved = os.umask(0o022)
    os.umask(saved)
    try:
        yield os.umask
    finally:
        os.umask(saved)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_folder_with_a_trailing_slash_is_created_and_never_written_as_a_file(demo, tmp_path, run):
    folder = tmp_path / "nightly"
    code, out, err = run("backup", f"{folder}/", "--db", str(demo.store.path))
    assert code == 0, err
    assert folder.is_dir()  # not a file named like the folder
    assert [p.name for p in folder.iterdir()] == [FIRST]
    assert out.startswith(f"Backed up to {folder / FIRST} (") and "49 notifications" in out
    [row] = audit_log.query(demo.store, action="backup")
    assert row.detail["path"] == str(folder / FIRST)


def test_the_new_folder_gets_its_parents_mode_setgid_included_whatever_the_umask(demo, tmp_path, umask):
    parent = tmp_path / "backups"
    parent.mkdir()
    os.chmod(parent, 0o2770)
    if not os.stat(parent).st_mode & stat.S_ISGID:
        pytest.skip("this file system or user cannot set setgid on a folder")
    umask(0o077)
    info = bk.backup(demo.store, f"{parent}/flagdesk/")
    made = parent / "flagdesk"
    assert info.path == made / FIRST
    assert stat.S_IMODE(made.stat().st_mode) == 0o2770
    assert made.stat().st_gid == parent.stat().st_gid


def test_two_backups_in_the_same_second_get_distinct_names(demo, tmp_path, run):
    folder = tmp_path / "backups"
    db = str(demo.store.path)
    assert run("backup", f"{folder}/", "--db", db)[0] == 0
    first = sha(folder / FIRST)
    code, out, err = run("backup", f"{folder}/", "--db", db)  # the clock is frozen: the same second
    assert code == 0, err
    assert out.startswith(f"Backed up to {folder / 'flagdesk-20261127-080000-2.db'} (")
    assert run("backup", str(folder), "--db", db)[0] == 0  # an existing folder, no trailing slash
    assert sorted(p.name for p in folder.iterdir()) == [
        "flagdesk-20261127-080000-2.db", "flagdesk-20261127-080000-3.db", FIRST]
    assert sha(folder / FIRST) == first  # never replaced
    assert len(audit_log.query(demo.store, action="backup")) == 3


def test_a_name_taken_while_the_copy_is_written_is_not_replaced(demo, tmp_path, monkeypatch):
    """Another backup (another process) takes the name between the choice and the rename."""
    folder = tmp_path / "backups"
    folder.mkdir()
    real = bk.set_shared_mode

    def meanwhile(path):
        (folder / FIRST).write_bytes(b"the other process's copy")
        real(path)

    monkeypatch.setattr(bk, "set_shared_mode", meanwhile)
    info = bk.backup(demo.store, folder)
    assert info.path == folder / "flagdesk-20261127-080000-2.db"
    assert (folder / FIRST).read_bytes() == b"the other process's copy"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_without_hard_links_a_copy_still_never_replaces_a_file(demo, tmp_path, monkeypatch):
    def no_link(src, dst, **kw):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    folder = tmp_path / "backups"
    first = bk.backup(demo.store, f"{folder}/").path
    second = bk.backup(demo.store, f"{folder}/").path
    assert (first.name, second.name) == (FIRST, "flagdesk-20261127-080000-2.db")
    with pytest.raises(bk.StoreError, match="already exists; pass --force"):
        bk.backup(demo.store, first)
    assert bk.backup(demo.store, first, force=True).path == first


def test_a_dest_without_the_slash_that_does_not_exist_is_a_file(demo, tmp_path, run):
    dest = tmp_path / "nightly"
    code, out, _ = run("backup", str(dest), "--db", str(demo.store.path))
    assert code == 0
    assert dest.is_file() and out.startswith(f"Backed up to {dest} (")


def test_a_trailing_slash_on_a_file_or_under_a_missing_folder_is_refused(demo, tmp_path, run):
    db = str(demo.store.path)
    existing = tmp_path / "copy.db"
    existing.write_bytes(b"keep me")
    code, _, err = run("backup", f"{existing}/", "--db", db)
    assert code == 1 and "not a folder" in err and err.count("\n") == 1
    assert existing.read_bytes() == b"keep me"
    code, _, err = run("backup", f"{tmp_path}/no/such/", "--db", db)
    assert code == 1 and f"the folder {tmp_path / 'no'} does not exist" in err
    assert not (tmp_path / "no").exists()
    assert not audit_log.query(demo.store, action="backup")


def test_two_restores_in_the_same_second_keep_both_safety_copies(demo, tmp_path):
    good = bk.backup(demo.store, tmp_path / "good.db").path
    _, first = bk.restore(demo.store, good)
    _, second = bk.restore(demo.store, good)
    assert first.name == "demo.db.before-restore-20261127-080000"
    assert second.name == "demo.db.before-restore-20261127-080000-2"
    assert first.exists() and second.exists()
