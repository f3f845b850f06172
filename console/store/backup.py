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

A DEST that is the live database or one of its -wal, -shm and -journal files, or any path that resolves to
one of them (a symlink, `..`, a hard link), is refused: replacing the -shm or -wal under open sessions
silently loses what they write next. The temporary file is named `.<dest>.<pid>@<host>.<random>.partial`;
it is removed when the backup fails, and one left by a process that was killed (its pid is gone from this
host, or it is over an hour old) is removed at the start of the next backup into that folder (`swept`).

A restore never trusts the file. The backup is copied aside (a hidden partial file beside the live
database, read through SQLite so that a -wal beside it counts), and the copy is checked: it opens,
passes integrity_check, carries flagdesk's schema steps and none from a newer flagdesk; an older backup is
migrated in the copy; then its schema is compared object by object with what this version creates (a
fresh database made in a temporary folder with `open_store`, so a new schema step is compared too):
tables and their columns (PRAGMA table_xinfo: name, type, not null, default, primary key, generated) and
definitions, indexes, triggers and views by their SQL text with comments dropped and whitespace collapsed,
the FTS5 shadow tables like any table. Anything missing, extra or different is refused, naming it, and
the live database is not touched. Only then is a safety copy of the live database kept beside it
(`<db>.before-restore-<time>`), the `restore` audit row written into the checked copy, and the copy
brought into the live database through the backup API in one step: one transaction on the live database,
which other sessions may keep open (they see the new content at their next read). The audit row is part
of that transaction's content, so a kill at any moment leaves either the old database (no restore
happened, none is logged) or the restored one with its row; a row written after the copy would be lost
by a kill in between.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from console.core.clock import Clock
from console.core.errors import DataError
from console.core.textsafe import one_line
from console.store.db import Store, StoreError, known_migrations, open_store
from console.store.doctor import open_readonly
from console.store.files import folder_of, make_folder, set_shared_mode

COUNTED = ("notifications", "appeals", "cases")


@dataclass
class Swept:
    """A partial file left by a backup or restore that did not finish, removed (or not: `error`)."""
    path: Path
    bytes: int
    error: str | None = None


@dataclass
class CopyInfo:
    path: Path
    bytes: int
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)  # schema steps a restore applies (in the checked copy)
    swept: list[Swept] = field(default_factory=list)  # leftover partial files removed before this copy


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


# --- the live database's own files --------------------------------------------------------------

LIVE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _live_file(path: Path, store: Store) -> str | None:
    """Which of the live database's files `path` is or resolves to ("" the database, "-wal", "-shm",
    "-journal"), else None. SQLite names the -wal beside the resolved file, so both spellings count."""
    bases = {os.path.abspath(store.path), os.path.realpath(store.path)}
    real = os.path.realpath(path)
    for suffix in LIVE_SUFFIXES:
        for base in bases:
            live = Path(f"{base}{suffix}")
            if real == os.path.realpath(live) or _same_file(path, live):
                return suffix
    return None


def _refuse_live(path: Path, store: Store, doing: str) -> None:
    suffix = _live_file(path, store)
    if suffix is None:
        return
    what = "the live database itself" if not suffix else f"the live database's {suffix} file"
    via = "" if os.path.abspath(path) in {os.path.abspath(f"{store.path}{suffix}")} else \
        f" ({os.path.realpath(path)})"
    raise StoreError(f"{path}: that is {what}{via}; {doing}")


# --- partial files -------------------------------------------------------------------------------

STALE_PARTIAL_S = 3600  # a partial file untouched this long belongs to no running backup
PARTIAL_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
# Names mkstemp makes for flagdesk: .<name>.[<pid>@<host>.]<8 random>.partial, and SQLite's files beside it.
_PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial(?:-journal|-wal|-shm)?$")
_PARTIAL_PID = re.compile(r"\.(\d+)@([A-Za-z0-9-]+)\.[a-z0-9_]{8}\.partial(?:-journal|-wal|-shm)?$")


def _new_partial(folder: Path, name: str) -> Path:
    """An empty hidden temporary file in `folder` whose name carries this process's pid and host."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}@{PARTIAL_HOST}.", suffix=".partial", dir=folder)
    os.close(fd)
    return Path(tmp)


def _remove_partial(tmp: Path) -> None:
    for suffix in LIVE_SUFFIXES:  # and the journal, -wal, -shm SQLite may have made beside it
        try:
            os.unlink(f"{tmp}{suffix}")
        except FileNotFoundError:
            pass
        except OSError:
            pass  # the next run's sweep tries again


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process id we can ask about: leave it to the age rule
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process (EPERM): alive
    return True


def _stale(name: str, mtime: float, now: float) -> bool:
    if now - mtime > STALE_PARTIAL_S:
        return True
    m = _PARTIAL_PID.search(name)
    return bool(m) and m.group(2) == PARTIAL_HOST and not _alive(int(m.group(1)))


def sweep_partials(folder: Path | str) -> list[Swept]:
    """Remove the partial files in `folder` left by a backup or restore that did not finish: its process
    is gone (the pid in the name, on this host) or the file is over an hour old. Never a symlink, never
    one a running backup is writing."""
    found: list[Swept] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in sorted(entries, key=lambda e: e.name):
        if not _PARTIAL.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or not _stale(entry.name, st.st_mtime, now):
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            continue  # another run swept it meanwhile
        except OSError as exc:
            found.append(Swept(Path(entry.path), st.st_size, exc.strerror or str(exc)))
            continue
        found.append(Swept(Path(entry.path), st.st_size))
    return found


# --- backup --------------------------------------------------------------------------------------


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
    created if missing) to put a timestamped file in, never replacing one there. Never onto the live
    database's own files; leftover partial files in the folder are swept first (`CopyInfo.swept`)."""
    folder_meant = _means_folder(dest)
    dest = Path(dest).expanduser()
    if folder_meant or dest.is_dir():
        folder = _backup_folder(dest)
        swept = sweep_partials(folder)
        names = (p for p in _numbered(folder, f"flagdesk-{_stamp(store)}", ".db") if _live_file(p, store) is None)
        info = _copy(store, names, audit=audit,
                     full=f"{folder}: {MAX_SAME_SECOND} copies are already named by this second; try again")
    else:
        _refuse_live(dest, store, "back up to another file")
        if dest.exists() and not force:
            raise StoreError(f"{dest}: already exists; pass --force to replace it")
        if not dest.parent.is_dir():
            raise StoreError(f"{dest}: the folder {dest.parent} does not exist")
        swept = sweep_partials(dest.parent)
        info = _copy(store, [dest], replace=force, audit=audit,
                     full=f"{dest}: already exists; pass --force to replace it")
    info.swept = swept
    return info


def _copy(store: Store, names: Iterable[Path], replace: bool = False, audit: bool = True,
          full: str = "") -> CopyInfo:
    """Write a checked copy and give it the first of `names` that is free (or the only one, replacing it
    when `replace`); all names are in one folder. StoreError(`full`) when every name is taken."""
    names = iter(names)
    dest = _next_name(names, full)
    while not replace and (dest.exists() or dest.is_symlink()):
        dest = _next_name(names, full)
    folder = dest.parent
    try:
        tmp = _new_partial(folder, dest.name)
    except OSError as exc:
        raise StoreError(f"{dest}: cannot write in {folder}: {exc.strerror}") from None
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
        _remove_partial(tmp)
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


# --- the schema this version creates, and a comparison with it ------------------------------------

# Kept by SQLite itself, not by a schema step: their presence says nothing about the schema.
_INTERNAL = re.compile(r"^sqlite_(sequence|stat\d)$")
# Made by sqlite-utils (its Migrations bookkeeping), whose exact text depends on its version: the table
# must hold the columns flagdesk reads; its own indexes are not compared.
_STEPS_TABLE = "_sqlite_migrations"
_STEPS_COLUMNS = {"migration_set", "name", "applied_at"}
_KIND_ORDER = {"table": 0, "index": 1, "trigger": 2, "view": 3}

_EXPECTED: dict[tuple[str, ...], dict[str, dict]] = {}


def normalised_sql(sql: str | None) -> str | None:
    """`sql` with comments dropped and each run of whitespace made one space, outside quoted text."""
    if sql is None:
        return None
    out: list[str] = []
    i, n = 0, len(sql)
    space = False
    while i < n:
        c = sql[i]
        if c in "'\"`[":
            close = "]" if c == "[" else c
            j = i + 1
            while j < n:
                if sql[j] == close:
                    if close != "]" and j + 1 < n and sql[j + 1] == close:
                        j += 2
                        continue
                    break
                j += 1
            chunk, i = sql[i:j + 1], j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i, chunk = (n if j < 0 else j), " "
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i, chunk = (n if j < 0 else j + 2), " "
        else:
            chunk, i = c, i + 1
        if chunk.isspace():
            space = True
            continue
        if space and out:
            out.append(" ")
        space = False
        out.append(chunk)
    return "".join(out)


def schema_objects(conn: sqlite3.Connection) -> dict[str, dict]:
    """Every schema object by name: its type, table, normalised SQL and, for a table, its columns."""
    objects: dict[str, dict] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if _INTERNAL.match(name or ""):
            continue
        obj = {"type": kind, "table": table, "sql": normalised_sql(sql)}
        if kind == "table":
            try:
                obj["columns"] = [tuple(r[1:]) for r in conn.execute(
                    "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)",
                    (name,))]
            except sqlite3.Error as exc:  # a virtual table whose module this SQLite lacks, say
                obj["columns"] = [("(unreadable)", str(exc), 0, None, 0, 0)]
        objects[name] = obj
    return objects


def expected_schema() -> dict[str, dict]:
    """The schema objects of a database this version creates: a fresh one, made once in a temporary folder
    (by the same `open_store` and steps as any other, so a step added later is part of it)."""
    key = tuple(known_migrations())
    if key not in _EXPECTED:
        with tempfile.TemporaryDirectory(prefix="flagdesk-schema-") as folder:
            fresh = open_store(Path(folder) / "fresh.db", "flagdesk")
            try:
                _EXPECTED[key] = schema_objects(fresh.conn)
            finally:
                fresh.close()
    return _EXPECTED[key]


def _shown(name: str) -> str:
    return one_line(name, 80)


def _column_text(col: tuple) -> str:
    _, kind, notnull, default, pk, hidden = col
    parts = [kind or "untyped"]
    if notnull:
        parts.append("NOT NULL")
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if pk:
        parts.append("PRIMARY KEY")
    if hidden:
        parts.append("GENERATED" if hidden in (2, 3) else "HIDDEN")
    return _shown(" ".join(parts))


def _table_differences(name: str, exp: dict, got: dict) -> list[str]:
    label = f"table {_shown(name)}"
    want = {c[0]: c for c in exp["columns"]}
    have = {c[0]: c for c in got["columns"]}
    problems = [f"{label}: missing column {_shown(c)}" for c in want if c not in have]
    problems += [f"{label}: extra column {_shown(c)}" for c in have if c not in want]
    problems += [f"{label}: column {_shown(c)} is {_column_text(have[c])}, this version's is "
                 f"{_column_text(want[c])}" for c in want if c in have and have[c] != want[c]]
    if not problems and list(want) != list(have):
        problems.append(f"{label}: its columns are in another order")
    if not problems and exp["sql"] != got["sql"]:
        problems.append(f"{label}: its definition differs from this version's (constraints, keys or "
                        "generated columns)")
    return problems


def schema_differences(expected: dict[str, dict], got: dict[str, dict]) -> list[str]:
    """What `got` lacks, has in excess or has otherwise than `expected`, one phrase per object, naming it;
    tables first, then indexes, triggers and views."""
    def ignored(obj: dict) -> bool:
        return obj["type"] == "index" and obj["table"] == _STEPS_TABLE

    def order(item: tuple[str, dict]) -> tuple:
        return _KIND_ORDER.get(item[1]["type"], 9), item[0]

    problems: list[str] = []
    for name, exp in sorted(expected.items(), key=order):
        if ignored(exp):
            continue
        kind, have = exp["type"], got.get(name)
        if have is None:
            on = f" (on {exp['table']})" if kind in ("index", "trigger") else ""
            problems.append(f"missing {kind} {_shown(name)}{on}")
        elif have["type"] != kind:
            problems.append(f"{_shown(name)} is a {_shown(have['type'])}, not a {kind}")
        elif name == _STEPS_TABLE:
            lacking = _STEPS_COLUMNS - {c[0] for c in have["columns"]}
            if lacking:
                problems.append(f"table {name}: missing column {', '.join(sorted(lacking))}")
        elif kind == "table":
            problems += _table_differences(name, exp, have)
        elif have["table"] != exp["table"] or have["sql"] != exp["sql"]:
            problems.append(f"{kind} {_shown(name)} differs from this version's")
    for name, have in sorted(got.items(), key=order):
        if name not in expected and not ignored(have):
            on = f" (on {_shown(have['table'])})" if have["type"] in ("index", "trigger") else ""
            problems.append(f"extra {_shown(have['type'])} {_shown(name)}{on}")
    return problems


# --- restore -------------------------------------------------------------------------------------


def _source(src: Path | str, store: Store | None = None) -> Path:
    src = Path(src).expanduser()
    if not src.exists():
        raise StoreError(f"{src}: no such file")
    if not src.is_file():
        raise StoreError(f"{src}: not a file")
    if store is not None:
        _refuse_live(src, store, "name a backup file to restore")
    return src


def _applied(conn: sqlite3.Connection, src: Path) -> list[str]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if _STEPS_TABLE not in tables:
        raise StoreError(f"{src}: not a flagdesk database (it has no schema steps)")
    try:
        applied = [r[0] for r in conn.execute(
            f"SELECT name FROM {_STEPS_TABLE} WHERE migration_set = 'flagdesk' ORDER BY rowid")]
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{src}: not a flagdesk database (its schema steps cannot be read: {exc})") from None
    unknown = [m for m in applied if m not in known_migrations()]
    if unknown:
        raise StoreError(f"{src}: written by a newer flagdesk (schema step {_shown(unknown[-1])}); upgrade "
                         "flagdesk before restoring it")
    return applied


def _check_copy(src: Path, copy: Path, actor: str, clock: Clock | None) -> CopyInfo:
    """Copy `src` into the empty file `copy` and check it as the docstring at the top says; the copy is
    migrated when older. StoreError naming `src` and the first problem found."""
    try:
        conn = open_readonly(src)
    except sqlite3.Error as exc:
        raise StoreError(f"{src}: cannot open it: {exc}") from None
    try:
        out = sqlite3.connect(copy)
        try:
            conn.backup(out)  # read through SQLite: a -wal beside `src` counts, the copy is one file
            problems = [r[0] for r in out.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise StoreError(f"{src}: fails its integrity check ({one_line('; '.join(problems), 200)})")
            applied = _applied(out, src)
        finally:
            out.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{src}: not a SQLite database, or damaged ({exc})") from None
    finally:
        conn.close()
    pending = [m for m in known_migrations() if m not in applied]
    if pending:
        try:  # in the copy: the live database is not involved
            open_store(copy, actor, clock).close()
        except Exception as exc:  # noqa: BLE001 — whatever a damaged or doctored file makes a step raise
            raise StoreError(f"{src}: cannot be brought up to this version's schema (steps "
                             f"{', '.join(pending)}): {one_line(str(exc), 200)}") from None
    try:
        out = sqlite3.connect(copy)
        try:
            missing = [m for m in known_migrations() if m not in _applied(out, src)]
            if missing:
                raise StoreError(f"{src}: schema steps missing after the upgrade: {', '.join(missing)}")
            problems = schema_differences(expected_schema(), schema_objects(out))
            if problems:
                more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
                raise StoreError(f"{src}: its schema is not this version's: {'; '.join(problems[:5])}{more}; "
                                 "nothing was restored")
            counts = _counts(out)
        finally:
            out.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{src}: not a SQLite database, or damaged ({exc})") from None
    return CopyInfo(src, src.stat().st_size, counts, pending)


@contextmanager
def _checked_copy(src: Path, folder: Path, actor: str, clock: Clock | None,
                  name: str = "restore") -> Iterator[tuple[Path, CopyInfo]]:
    """A checked (and, when older, migrated) copy of `src` as a partial file in `folder`, removed after."""
    try:
        copy = _new_partial(folder, name)
    except OSError as exc:
        raise StoreError(f"{src}: cannot copy it aside into {folder}: {exc.strerror or exc}") from None
    try:
        yield copy, _check_copy(src, copy, actor, clock)
    finally:
        _remove_partial(copy)


def verify(src: Path | str) -> CopyInfo:
    """Refuse (StoreError, one line naming the file and what is wrong) anything that is not a whole
    flagdesk database of this version's schema, or of an older one that upgrades to it. The checks run on
    a copy in a temporary folder; `src` is only read."""
    src = _source(src)
    with tempfile.TemporaryDirectory(prefix="flagdesk-restore-") as folder, \
            _checked_copy(src, Path(folder), "flagdesk", None) as (_, info):
        return info


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


def _log_restore(copy: Path, store: Store, info: CopyInfo, safety: Path) -> None:
    """The `restore` audit row, written into the checked copy (through a Store, as any audit row is)."""
    try:
        target = open_store(copy, store.actor, store.clock, store.os_user)
        try:
            with target.write():
                target.audit("restore", "database", None, {"from": str(info.path.resolve()),
                                                           "safety_copy": str(safety), **info.counts})
                target.conn.execute(f"PRAGMA user_version = {len(known_migrations())}")
        finally:
            target.close()  # the last connection: its -wal is checkpointed into the file
    except (sqlite3.Error, DataError) as exc:
        raise StoreError(f"{info.path}: cannot prepare the copy to restore ({exc}); nothing was restored") from None


def _swap(copy: Path, store: Store, safety: Path) -> None:
    """Bring the checked copy into the live database: the backup API in one step, one transaction on the
    live file (a kill before its commit leaves the live database as it was)."""
    try:
        conn = sqlite3.connect(copy)
    except sqlite3.Error as exc:
        raise StoreError(f"{copy}: cannot open it: {exc}") from None
    try:
        conn.backup(store.conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: restore failed ({exc}); the database was not changed, or is intact in "
                         f"{safety}") from None
    finally:
        conn.close()


def restore(store: Store, src: Path | str) -> tuple[CopyInfo, Path]:
    """Replace the live database's content with the backup at `src`, after checking a copy of it; returns
    the checked copy's info and the safety copy of what was there before. Call `verify` first to ask the
    operator with its counts."""
    src = _source(src, store)
    folder = folder_of(store.path)
    swept = sweep_partials(folder)  # copies aside left by a restore that was killed
    with _checked_copy(src, folder, store.actor, store.clock, f"{store.path.name}.restore") as (copy, info):
        safety = _copy(store, _safety_names(store), audit=False,  # never replaces an earlier safety copy
                       full=f"{store.path}: {MAX_SAME_SECOND} safety copies are already named by this second")
        _log_restore(copy, store, info, safety.path)
        _swap(copy, store, safety.path)
    info.swept = swept
    return info, safety.path
