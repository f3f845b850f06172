"""`flagdesk backup` never writes onto the live database's own files, and cleans up its partial files.

DEST is refused when it is the live database, its -wal, -shm or -journal, or any path that resolves to one of
them (a symlink, `..`, a hard link); the live database is left as it was and keeps working (the issue:
`backup --db v2.db v2.db-shm --force` reported success and the next three adds vanished). A partial file is
removed when a backup fails, and one left by a killed backup is swept at the start of the next one.

Which fail on the code before this change (console/store/backup.py at 2b59393):
- test_backup_onto_a_live_file_is_refused: the -wal, -shm, -journal cases and the links and `..` paths to
  them (that code replaced the file, or wrote a -journal, and exited 0). The "db", "symlink to db", "hard link
  to db" and "db through .." cases were already refused there (os.path.samefile) and are kept as guards.
- test_restore_from_a_live_file_is_refused: that code opened the -wal as a backup and refused it as "not a
  SQLite database"; now it is named for what it is.
- test_a_folder_backup_never_takes_a_live_files_name: passed before too (a taken name was skipped); kept as a
  guard for the name filter.
- test_leftover_partials_are_swept_with_a_line_each: nothing was swept before.
- test_a_killed_backup_leaves_a_partial_the_next_backup_sweeps: the killed backup's file stayed forever.
- test_a_failed_backup_removes_its_partial_files: the temporary file itself was removed before too, but not
  the -journal SQLite can leave beside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from console.store import audit_log
from console.store import backup as bk
from console.store.db import open_store

NOW = "2026-11-27T08:00:00Z"
REPO = Path(__file__).resolve().parent.parent
NOTICE = ("Subject: Late shipment rate {n}\n\nYour late shipment rate for order 123-4567890-{n:07d} is above "
          "the target of 4%. Please review your shipping settings.\n")



def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dest_for(kind: str, db: Path, tmp_path: Path) -> Path:
    links = tmp_path / "elsewhere"
    links.mkdir(exist_ok=True)
    if kind in ("db", "wal", "shm", "journal"):
        return Path(f"{db}{'' if kind == 'db' else '-' + kind}")
    if kind.startswith("symlink to "):
        target = Path(f"{db}{kind.removeprefix('symlink to ').removeprefix('db')}")
        link = links / "link.db"
        link.symlink_to(target)
        return link
    if kind.startswith("hard link to "):
        target = Path(f"{db}{kind.removeprefix('hard link to ').removeprefix('db')}")
        link = links / "hard.db"
        os.link(target, link)
        return link
    if kind.endswith(" through .."):
        suffix = kind.removesuffix(" through ..").removeprefix("db")
        return links / ".." / f"{db.name}{suffix}"
    raise AssertionError(kind)


KINDS = ["db", "wal", "shm", "journal", "symlink to db", "symlink to db-wal", "symlink to db-journal",
         "hard link to db", "hard link to db-shm", "db through ..", "db-shm through .."]


@pytest.mark.parametrize("kind", KINDS)
def test_backup_onto_a_live_file_is_refused(demo, tmp_path, run, kind):
    db = demo.store.path
    assert Path(f"{db}-wal").exists() and Path(f"{db}-shm").exists()  # the open session's files
    dest = dest_for(kind, db, tmp_path)
    before = {s: (os.stat(f"{db}{s}").st_ino, sha(Path(f"{db}{s}")) if s != "-shm" else "")
              for s in ("", "-wal", "-shm")}

    code, out, err = run("backup", str(dest), "--force", "--db", str(db))
    assert (code, out) == (1, "")
    assert err.startswith(f"flagdesk: error: {dest}: that is the live database") and err.count("\n") == 1
    assert err.rstrip().endswith("; back up to another file")

    after = {s: (os.stat(f"{db}{s}").st_ino, sha(Path(f"{db}{s}")) if s != "-shm" else "")
             for s in ("", "-wal", "-shm")}
    assert after == before  # not replaced, not written
    assert not Path(f"{db}-journal").exists()
    assert not audit_log.query(demo.store, action="backup")
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no partial file anywhere

    # and the live database keeps working: what is added next is there for everyone
    ids = []
    for n in range(3):
        notice = tmp_path / f"notice-{n}.txt"
        notice.write_text(NOTICE.format(n=n))
        code, out, err = run("add", "--account", "Northwind Home", "--marketplace", "US", "--file", str(notice),
                             "--db", str(db))
        assert code == 0, err
        ids.append(int(out))  # `add` prints the new id
    other = open_store(db, "colleague", os_user="colleague")
    try:
        found = other.rows(f"SELECT id FROM notifications WHERE id IN ({', '.join('?' * len(ids))})", ids)
        assert sorted(r["id"] for r in found) == sorted(ids)
        assert other.rows("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    finally:
        other.close()


def test_restore_from_a_live_file_is_refused(demo, tmp_path):
    db = demo.store.path
    with pytest.raises(bk.StoreError, match="that is the live database's -wal file"):
        bk.restore(demo.store, f"{db}-wal")
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_a_folder_backup_never_takes_a_live_files_name(tmp_path, clock):
    """A live database that happens to be named like the folder's next copy: the copy gets another name."""
    folder = tmp_path / "backups"
    folder.mkdir()
    first = "flagdesk-20261127-080000.db"
    store = open_store(folder / first, "tester", clock)
    try:
        info = bk.backup(store, folder)
        assert info.path == folder / "flagdesk-20261127-080000-2.db"
        assert store.rows("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    finally:
        store.close()


def partial_name(base: str, pid: int | None, rand: str = "abcd1234") -> str:
    return f".{base}.{pid}@{bk.PARTIAL_HOST}.{rand}.partial" if pid is not None else f".{base}.{rand}.partial"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftover_partials_are_swept_with_a_line_each(demo, tmp_path, run):
    folder = tmp_path / "backups"
    folder.mkdir()
    hour_ago = time.time() - 2 * 3600
    old = folder / partial_name("flagdesk-20261126-020000.db", None)  # an older flagdesk's, two hours old
    old.write_bytes(b"x" * 4096)
    old_journal = Path(f"{old}-journal")
    old_journal.write_bytes(b"j")
    for p in (old, old_journal):
        os.utime(p, (hour_ago, hour_ago))
    dead = folder / partial_name("flagdesk-20261127-020000.db", dead_pid())  # its process is gone: at once
    dead.write_bytes(b"y" * 2048)
    running = folder / partial_name("flagdesk-20261127-075959.db", os.getpid())  # a backup still running
    running.write_bytes(b"z")
    recent = folder / partial_name("other.db", None, "zzzz9999")  # no pid, under an hour old: may be running
    recent.write_bytes(b"z")
    link = folder / partial_name("link.db", None, "link0000")  # never follow or remove a symlink
    link.symlink_to(tmp_path / "precious")
    os.utime(link, (hour_ago, hour_ago), follow_symlinks=False)
    unrelated = folder / "notes.partial"
    unrelated.write_bytes(b"mine")
    os.utime(unrelated, (hour_ago, hour_ago))

    code, out, err = run("backup", f"{folder}/", "--db", str(demo.store.path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1].startswith(f"Backed up to {folder / 'flagdesk-20261127-080000.db'} (")
    assert sorted(lines[:-1]) == sorted(
        f"Removed {p} ({size}), a partial copy left by a backup or restore that did not finish"
        for p, size in ((old, "4.0 KB"), (old_journal, "0.0 KB"), (dead, "2.0 KB")))
    assert not old.exists() and not old_journal.exists() and not dead.exists()
    assert running.exists() and recent.exists() and link.is_symlink() and unrelated.exists()


KILLED_BACKUP = textwrap.dedent("""
    import os, sys
    from console.store import backup as bk
    from console.store.db import open_store

    store = open_store(sys.argv[1], "cron", os_user="cron")
    bk.set_shared_mode = lambda path: os._exit(137)  # killed once the copy is written, before it is named
    bk.backup(store, sys.argv[2])
""")


def test_a_killed_backup_leaves_a_partial_the_next_backup_sweeps(demo, tmp_path, run):
    folder = tmp_path / "backups"
    folder.mkdir()
    child = subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(demo.store.path), f"{folder}/"], cwd=REPO, check=False,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 137, child.stderr
    [left] = list(folder.iterdir())
    assert left.name.startswith(".flagdesk-20") and left.name.endswith(".partial") and left.stat().st_size > 0

    code, out, err = run("backup", f"{folder}/", "--db", str(demo.store.path))
    assert code == 0, err
    assert out.startswith(f"Removed {left} (")
    assert [p.name for p in folder.iterdir()] == ["flagdesk-20261127-080000.db"]


def test_a_failed_backup_removes_its_partial_files(demo, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()

    def fail(path):
        Path(f"{path}-journal").write_bytes(b"as SQLite might leave it")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bk, "set_shared_mode", fail)
    with pytest.raises(bk.StoreError, match="backup failed: No space left on device"):
        bk.backup(demo.store, folder / "nightly.db")
    assert list(folder.iterdir()) == []
    assert not audit_log.query(demo.store, action="backup")
