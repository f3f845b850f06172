"""Backups and restores of the shared database while other sessions keep using it.

A backup is SQLite's online backup API run from this session's connection: one step, inside one read
transaction, so the copy is a consistent snapshot however many others write meanwhile (WAL readers do
not block writers). It is written to a hidden temporary file in the destination folder, switched to a
single-file journal, checked with `PRAGMA integrity_check`, and only then renamed into place: a DEST is
whole or absent, never half-written.

DEST is a file, or a folder: one that exists, or any DEST ending in `/`. A missing folder is created (its
parent must exist) with its parent's mode, setgid included; the copy in it is named by time,
`flagdesk-YYYYmmdd-HHMMSS.db`, then `...-2.db`, `...-3.db` for more in the same second: a copy into a folder
never replaces a file (it is linked into place, which fails rather than overwrite). A DEST without the
trailing `/` that does not exist is a file name. Copies and safety copies get `files.shared_mode` of their
folder: 0660 in a setgid or group-writable folder, else 0600, whatever the umask.

A restore checks the copy first (opens, passes integrity_check, carries flagdesk's schema steps and no
unknown newer one, has notifications), keeps a safety copy of the live database beside it, then copies
the backup into the live database through the same API, which other sessions may keep open: they see
the new content at their next read.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from console.store.db import Store, StoreError, known_migrations
from console.store.doctor import open_readonly
from console.store.files import make_folder, set_shared_mode

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


MAX_SAME_SECOND = 1000  # copies named by one second in one folder before giving up
# os.link is refused on some file systems (FAT, some network mounts): then check-and-rename instead
_NO_LINK = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def _numbered(folder: Path, stem: str, ext: str) -> Iterator[Path]:
    """stem.ext, stem-2.ext, stem-3.ext, ... in folder."""
    yield folder / f"{stem}{ext}"
    for n in range(2, MAX_SAME_SECOND + 1):
        yield folder / f"{stem}-{n}{ext}"


def _means_folder(dest: Path | str) -> bool:
    text = os.fspath(dest)
    return text.endswith(os.sep) or bool(os.altsep and text.endswith(os.altsep))


def _backup_folder(dest: Path) -> Path:
    """The folder a DEST ending in / names, created (with its parent's mode) when missing."""
    if dest.is_dir():
        return dest
    if dest.exists() or dest.is_symlink():
        raise StoreError(f"{dest}: not a folder (a DEST ending in / is a folder to put a timestamped copy in)")
    parent = dest.parent
    if not parent.is_dir():
        raise StoreError(f"{dest}: the folder {parent} does not exist")
    try:
        make_folder(dest)
    except OSError as exc:
        raise StoreError(f"{dest}: cannot create the folder: {exc.strerror or exc}") from None
    return dest


def backup(store: Store, dest: Path | str, force: bool = False, audit: bool = True) -> CopyInfo:
    """Copy the live database to `dest`: a file, or a folder (an existing one, or any `dest` ending in /,
    created if missing) to put a timestamped file in, never replacing one there."""
    folder_meant = _means_folder(dest)
    dest = Path(dest).expanduser()
    if folder_meant or dest.is_dir():
        folder = _backup_folder(dest)
        return _copy(store, _numbered(folder, f"flagdesk-{_stamp(store)}", ".db"), audit=audit,
                     full=f"{folder}: {MAX_SAME_SECOND} copies are already named by this second; try again")
    if _same_file(dest, store.path):
        raise StoreError(f"{dest}: that is the live database itself; back up to another file")
    if dest.exists() and not force:
        raise StoreError(f"{dest}: already exists; pass --force to replace it")
    if not dest.parent.is_dir():
        raise StoreError(f"{dest}: the folder {dest.parent} does not exist")
    return _copy(store, [dest], replace=force, audit=audit,
                 full=f"{dest}: already exists; pass --force to replace it")


def _copy(store: Store, names: Iterable[Path], replace: bool = False, audit: bool = True,
          full: str = "") -> CopyInfo:
    """Write a checked copy and give it the first of `names` that is free (or the only one, replacing it
    when `replace`); all names are in one folder. StoreError(`full`) when every name is taken."""
    names = iter(names)
    dest = next(names)
    while not replace and (dest.exists() or dest.is_symlink()):
        dest = _next_name(names, full)
    folder = dest.parent
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
        set_shared_mode(tmp)  # mkstemp makes 0600: 0660 in a group's folder, never readable by others
        while True:
            try:
                _place(tmp, dest, replace)
                break
            except FileExistsError:  # taken meanwhile (another backup in the same second)
                dest = _next_name(names, full)
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


def _next_name(names: Iterator[Path], full: str) -> Path:
    try:
        return next(names)
    except StopIteration:
        raise StoreError(full) from None


def _place(tmp: Path, dest: Path, replace: bool) -> None:
    """Give `tmp` the name `dest`; FileExistsError rather than replace a file unless `replace`."""
    if replace:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # atomic, and fails when dest exists: no check-then-rename race
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        if dest.exists() or dest.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(dest)) from None
        os.replace(tmp, dest)
        return
    tmp.unlink()


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


def _safety_names(store: Store) -> Iterator[Path]:
    return _numbered(store.path.parent, f"{store.path.name}.before-restore-{_stamp(store)}", "")


def safety_path(store: Store) -> Path:
    """The name the next safety copy would get: <db>.before-restore-<time>, then -2, -3, ..."""
    for path in _safety_names(store):
        if not (path.exists() or path.is_symlink()):
            return path
    raise StoreError(f"{store.path}: {MAX_SAME_SECOND} safety copies are already named by this second")


def restore(store: Store, src: Path | str) -> tuple[CopyInfo, Path]:
    """Replace the live database's content with the backup at `src`; returns the checked copy and the
    safety copy of what was there before. Call `verify` first to ask the operator with its counts."""
    info = verify(src)
    if _same_file(info.path, store.path):
        raise StoreError(f"{info.path}: that is the live database itself")
    safety = _copy(store, _safety_names(store), audit=False,  # never replaces an earlier safety copy
                   full=f"{store.path}: {MAX_SAME_SECOND} safety copies are already named by this second")
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
