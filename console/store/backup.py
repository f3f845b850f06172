"""Backups and restores of the shared database while other sessions keep using it.

A backup is SQLite's online backup API run from this session's connection: one step, inside one read
transaction, so the copy is a consistent snapshot however many others write meanwhile (WAL readers do
not block writers). It is written to a hidden temporary file in the destination folder, switched to a
single-file journal, checked with `PRAGMA integrity_check`, and only then renamed into place: a DEST is
whole or absent, never half-written.

A restore checks the copy first (opens, passes integrity_check, carries flagdesk's schema steps and no
unknown newer one, has notifications), keeps a safety copy of the live database beside it, then copies
the backup into the live database through the same API, which other sessions may keep open: they see
the new content at their next read.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from console.store.db import Store, StoreError, known_migrations
from console.store.doctor import current_umask, open_readonly

COUNTED = ("notifications", "appeals", "cases")


@dataclass
class CopyInfo:
    path: Path
    bytes: int
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)  # schema steps a restore will apply afterwards


def _stamp(store: Store) -> str:
    return store.clock.now().strftime("%Y%m%d-%H%M%S")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED if t in tables}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def backup(store: Store, dest: Path | str, force: bool = False, audit: bool = True) -> CopyInfo:
    """Copy the live database to `dest` (a file, or a folder to put a timestamped file in)."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"flagdesk-{_stamp(store)}.db"
    if _same_file(dest, store.path):
        raise StoreError(f"{dest}: that is the live database itself; back up to another file")
    if dest.exists() and not force:
        raise StoreError(f"{dest}: already exists; pass --force to replace it")
    folder = dest.parent
    if not folder.is_dir():
        raise StoreError(f"{dest}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise StoreError(f"{dest}: cannot write in {folder}: {exc.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        out = sqlite3.connect(tmp)
        try:
            store.conn.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")  # a copy is one self-contained file
            problems = [r[0] for r in out.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise StoreError(f"{dest}: the copy failed its integrity check ({'; '.join(problems)}); "
                                 "nothing was written")
            counts = _counts(out)
        finally:
            out.close()
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600: let the group read backups
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise StoreError(f"{dest}: backup failed: {exc}") from None
    except OSError as exc:
        raise StoreError(f"{dest}: backup failed: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    info = CopyInfo(dest, dest.stat().st_size, counts)
    if audit:
        with store.write():
            store.audit("backup", "database", None, {"path": str(dest.resolve()), "bytes": info.bytes, **counts})
    return info


def verify(src: Path | str) -> CopyInfo:
    """Refuse (StoreError, one line naming the file) anything that is not a whole flagdesk database this
    version can open."""
    src = Path(src).expanduser()
    if not src.exists():
        raise StoreError(f"{src}: no such file")
    if not src.is_file():
        raise StoreError(f"{src}: not a file")
    try:
        conn = open_readonly(src)
    except sqlite3.Error as exc:
        raise StoreError(f"{src}: cannot open it: {exc}") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise StoreError(f"{src}: fails its integrity check ({'; '.join(problems)[:200]})")
        if "_sqlite_migrations" not in tables:
            raise StoreError(f"{src}: not a flagdesk database (it has no schema steps)")
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'flagdesk' ORDER BY rowid")]
        known = known_migrations()
        unknown = [m for m in applied if m not in known]
        if unknown:
            raise StoreError(f"{src}: written by a newer flagdesk (schema step {unknown[-1]}); upgrade flagdesk "
                             "before restoring it")
        if "notifications" not in tables:
            raise StoreError(f"{src}: not a flagdesk database (it has no notifications table)")
        counts = _counts(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{src}: not a SQLite database, or damaged ({exc})") from None
    finally:
        conn.close()
    return CopyInfo(src, src.stat().st_size, counts, [m for m in known if m not in applied])


def live_counts(store: Store) -> dict[str, int]:
    return _counts(store.conn)


def safety_path(store: Store) -> Path:
    base = store.path.with_name(f"{store.path.name}.before-restore-{_stamp(store)}")
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def restore(store: Store, src: Path | str) -> tuple[CopyInfo, Path]:
    """Replace the live database's content with the backup at `src`; returns the checked copy and the
    safety copy of what was there before. Call `verify` first to ask the operator with its counts."""
    info = verify(src)
    if _same_file(info.path, store.path):
        raise StoreError(f"{info.path}: that is the live database itself")
    safety = backup(store, safety_path(store), audit=False)
    try:
        conn = open_readonly(info.path)
    except sqlite3.Error as exc:
        raise StoreError(f"{info.path}: cannot open it: {exc}") from None
    try:
        conn.backup(store.conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: restore failed ({exc}); the database was not changed, or is intact in "
                         f"{safety.path}") from None
    finally:
        conn.close()
    store._migrate()  # a backup from an older flagdesk is brought up to this version's schema
    with store.write():
        store.audit("restore", "database", None, {"from": str(info.path.resolve()), "safety_copy": str(safety.path),
                                                  **info.counts})
    return info, safety.path
