"""`flagdesk doctor`: is this database ready to be shared by an ops group?

Looks at the file and its folder (group-writable, setgid, the file and its -wal/-shm readable and writable
by the folder's group), the process umask, the journal mode, `PRAGMA integrity_check`, the schema steps,
the audit log's hash chain and append-only triggers (console/store/audit_chain.py), any of flagdesk's
files open to users outside the group (the database and its -wal/-shm, safety copies, backups, exports)
and the free disk.
Each finding says what is wrong and the command that fixes it.

A database flagdesk created passes the file checks in a folder prepared as the README says, whatever the
creator's umask: `console.store.files` creates it 0660 there (and SQLite gives -wal/-shm the file's mode).

It never writes: the database is opened read-only, and when no -wal/-shm file exists it is opened
`immutable` so that SQLite does not create them (owned by whoever ran doctor, perhaps root).
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import shutil
import sqlite3
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from console.store import audit_chain
from console.store.db import known_migrations

MIN_FREE = 500 * 1024 * 1024
LEVELS = ("ok", "warn", "fail")


@dataclass
class Finding:
    level: str  # ok | warn | fail
    name: str
    message: str
    fix: str | None = None

    def as_json(self) -> dict:
        return asdict(self)


def _q(path: Path | str) -> str:
    return shlex.quote(str(path))


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _personal_group(gid: int, owner_uid: int) -> bool:
    """A user's own group (named like them, nobody else in it): sharing through it shares with nobody."""
    try:
        group = grp.getgrgid(gid)
        user = pwd.getpwuid(owner_uid)
    except KeyError:
        return False
    return group.gr_name == user.pw_name and user.pw_gid == gid and not [m for m in group.gr_mem if m != user.pw_name]


def current_umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no getter elsewhere: read it by setting it, and put it back at once
    os.umask(mask)
    return mask


def _mode(m: int) -> str:
    return f"{stat.S_IMODE(m):04o}"


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the database nor create its -wal/-shm files."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    immutable = "" if wal.exists() or shm.exists() else "&immutable=1"
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro{immutable}", uri=True, timeout=8)


def run_checks(path: Path | str, umask: int | None = None) -> list[Finding]:
    """Every finding about the database at `path`; `umask` stands in for this process's (tests)."""
    path = Path(path).expanduser()
    try:
        return _run_checks(path, umask)
    except OSError as exc:  # a folder we may not enter, a file that vanished: a finding, not a traceback
        return [Finding("fail", "access", f"{exc.filename or path}: {exc.strerror or exc}",
                        f"ls -ld {_q(path.parent)} {_q(path)}")]


def _run_checks(path: Path, umask: int | None) -> list[Finding]:
    findings: list[Finding] = []
    folder = path.parent.resolve() if path.parent != Path("") else Path.cwd()
    if not folder.is_dir():
        return [Finding("fail", "folder", f"{folder}: the folder does not exist",
                        f"sudo install -d -m 2770 -g <ops-group> {_q(folder)}")]
    findings += _folder_checks(folder)
    findings.append(_umask_check(current_umask() if umask is None else umask))
    if not path.exists():
        findings.append(Finding("fail", "file", f"{path}: no database here yet (flagdesk init creates it, 0660 in a "
                                                "setgid or group-writable folder)", f"flagdesk init --db {_q(path)}"))
        return findings
    if not path.is_file():
        findings.append(Finding("fail", "file", f"{path}: not a file"))
        return findings
    findings += _file_checks(path, folder)
    findings += _database_checks(path)
    findings.append(_others_check(path, folder))
    findings.append(_disk_check(path, folder))
    return findings


def _backup_folders(path: Path) -> list[Path]:
    """The folders the audit log says backups of this database were written to (read-only; none when the
    file cannot be read)."""
    try:
        conn = open_readonly(path)
        try:
            rows = conn.execute("SELECT DISTINCT json_extract(detail, '$.path') FROM audit WHERE action = 'backup'")
            return sorted({Path(r[0]).parent for r in rows if isinstance(r[0], str) and r[0]})
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _files_in(folder: Path, pattern: str = "*") -> list[Path]:
    try:
        return sorted(f for f in folder.glob(pattern) if f.is_file() and not f.is_symlink())
    except OSError:
        return []


def _others_check(path: Path, folder: Path) -> Finding:
    """Anything of flagdesk's that users outside the group can read: the database and its -wal, -shm and
    -journal, the safety copies a restore keeps beside it, the backups (every file in the folders the
    audit log names) and your exports. One finding listing them, with the chmod that fixes it."""
    from console.core.settings import default_db_path

    files = [f for f in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))) if f.is_file()]
    files += _files_in(folder, f"{path.name}.before-restore-*")
    for backups in _backup_folders(path):
        files += _files_in(backups)
    files += _files_in(Path(default_db_path()).parent / "exports")
    seen: dict[Path, None] = {}
    for f in files:
        seen.setdefault(f, None)
    exposed = []
    for f in seen:
        try:
            if f.lstat().st_mode & 0o007:
                exposed.append(f)
        except OSError:
            continue
    if not exposed:
        return Finding("ok", "world-readable", f"no file of flagdesk's is open to users outside the group "
                                               f"({len(seen)} checked: database, backups, safety copies, exports)")
    named = ", ".join(f"{f} ({_mode(f.lstat().st_mode)})" for f in exposed[:8])
    more = f" and {len(exposed) - 8} more" if len(exposed) > 8 else ""
    return Finding("fail", "world-readable",
                   f"{len(exposed)} file{'s' if len(exposed) != 1 else ''} open to users outside the group: "
                   f"{named}{more}", "chmod o-rwx " + " ".join(_q(f) for f in exposed))


def _folder_checks(folder: Path) -> list[Finding]:
    st = folder.stat()
    group = _group(st.st_gid)
    out = []
    if _personal_group(st.st_gid, st.st_uid):
        out.append(Finding("fail", "folder group",
                           f"{folder}: group '{group}' is its owner's own group: the ops group cannot share it",
                           f"sudo chgrp <ops-group> {_q(folder)}"))
    if st.st_mode & stat.S_IWGRP and st.st_mode & stat.S_IXGRP:
        out.append(Finding("ok", "folder writable", f"{folder}: group '{group}' can create files ({_mode(st.st_mode)})"))
    else:
        out.append(Finding("fail", "folder writable",
                           f"{folder}: group '{group}' cannot create files there ({_mode(st.st_mode)}); SQLite "
                           "needs to create the -wal and -shm files beside the database", f"chmod g+rwx {_q(folder)}"))
    if st.st_mode & stat.S_ISGID:
        out.append(Finding("ok", "folder setgid", f"{folder}: setgid, new files get group '{group}'"))
    else:
        out.append(Finding("fail", "folder setgid",
                           f"{folder}: not setgid, so the -wal and -shm files get the creator's own group and "
                           "lock the others out", f"chmod g+ws {_q(folder)}"))
    return out


def _umask_check(mask: int) -> Finding:
    if mask & 0o060:
        return Finding("warn", "umask",
                       f"your umask {mask:03o} makes files other programs create here (sqlite3, cp, an editor) "
                       "unwritable by the group (flagdesk gives its database, backups and safety copies 0660 in "
                       "a setgid or group-writable folder itself)", "umask 007   # and add it to ~/.profile")
    return Finding("ok", "umask", f"umask {mask:03o}: files you create are group-writable")


def _file_checks(path: Path, folder: Path) -> list[Finding]:
    out = []
    folder_gid = folder.stat().st_gid
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if f != path and not f.exists():
            continue
        st = f.stat()
        name = "file" if f == path else f.name[len(path.name) + 1:]
        problems, fixes = [], []
        if (st.st_mode & 0o060) != 0o060:
            problems.append(f"mode {_mode(st.st_mode)} is not group read-write")
            fixes.append(f"chmod 660 {_q(f)}")
        if st.st_gid != folder_gid:
            problems.append(f"group '{_group(st.st_gid)}' is not the folder's '{_group(folder_gid)}'")
            fixes.append(f"chgrp {_q(_group(folder_gid))} {_q(f)}")
        if problems:
            out.append(Finding("fail", f"{name} permissions", f"{f}: {'; '.join(problems)}", " && ".join(fixes)))
        elif st.st_mode & 0o006:
            out.append(Finding("warn", f"{name} permissions",
                               f"{f}: mode {_mode(st.st_mode)}: users outside the group can read or write it",
                               f"chmod o-rwx {_q(f)}"))
        else:
            out.append(Finding("ok", f"{name} permissions",
                               f"{f}: mode {_mode(st.st_mode)}, group '{_group(st.st_gid)}'"))
    return out


def _database_checks(path: Path) -> list[Finding]:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        return [Finding("fail", "database", f"{path}: cannot read it: {exc.strerror}",
                        f"sudo chmod g+r {_q(path)}")]
    if magic != b"SQLite format 3\x00":
        return [Finding("fail", "database", f"{path}: not a SQLite database (empty, or some other file)",
                        f"flagdesk restore BACKUP --db {_q(path)}")]
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        return [Finding("fail", "database", f"{path}: cannot open it: {exc}")]
    try:
        return _inspect(conn, path)
    except sqlite3.DatabaseError as exc:
        return [Finding("fail", "database", f"{path}: not a SQLite database, or damaged ({exc})",
                        f"flagdesk restore BACKUP --db {_q(path)}")]
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: Path) -> list[Finding]:
    out = []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "notifications" not in tables or "_sqlite_migrations" not in tables:
        return [Finding("fail", "database", f"{path}: a SQLite database, but not flagdesk's (no notifications or "
                                            "schema steps)")]
    # The header says whether WAL is the file's persistent mode (an immutable connection would not).
    with open(path, "rb") as fh:
        header = fh.read(100)
    mode = "wal" if len(header) >= 20 and header[18] == 2 and header[19] == 2 else "rollback journal (delete)"
    if mode == "wal":
        out.append(Finding("ok", "journal", "WAL: readers and one writer at a time, without blocking each other"))
    else:
        out.append(Finding("fail", "journal", f"journal mode is {mode}, not WAL: sessions will block each other",
                           f"sqlite3 {_q(path)} 'PRAGMA journal_mode=WAL'"))
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if problems == ["ok"]:
        out.append(Finding("ok", "integrity", "PRAGMA integrity_check: ok"))
    else:
        out.append(Finding("fail", "integrity", f"PRAGMA integrity_check: {'; '.join(problems[:3])}"
                           + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""),
                           f"flagdesk restore BACKUP --db {_q(path)}   # or: sqlite3 {_q(path)} .recover"))
    applied = [r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'flagdesk' ORDER BY rowid")]
    known = known_migrations()
    unknown = [m for m in applied if m not in known]
    pending = [m for m in known if m not in applied]
    if unknown:
        out.append(Finding("fail", "schema", f"written by a newer flagdesk (schema step {unknown[-1]}): this one "
                                             "refuses to open it", "pip install --upgrade flagdesk"))
    elif pending:
        out.append(Finding("warn", "schema", f"schema {len(applied)} of {len(known)}: {', '.join(pending)} pending; "
                                             "the next flagdesk session applies them",
                           f"flagdesk status --db {_q(path)}"))
    else:
        out.append(Finding("ok", "schema", f"schema {len(applied)} of {len(known)}, up to date"))
    out += _audit_checks(conn, path, chained="m010_audit_chain" in applied)
    if "attachment_blobs" in tables:
        out.append(_attachment_check(conn))
    return out


def _attachment_check(conn: sqlite3.Connection) -> Finding:
    """The evidence locker (schema step m017): every stored file's bytes still hash to the SHA-256 they are kept
    under, and every link has its bytes (a change made outside flagdesk breaks either)."""
    import hashlib

    bad, count, total = [], 0, 0
    for sha, size, content in conn.execute("SELECT sha256, size, content FROM attachment_blobs"):
        count += 1
        total += len(content or b"")
        if hashlib.sha256(content or b"").hexdigest() != sha or len(content or b"") != size:
            bad.append(sha)
    orphans = conn.execute("SELECT count(*) FROM attachments a WHERE NOT EXISTS "
                           "(SELECT 1 FROM attachment_blobs b WHERE b.sha256 = a.sha256)").fetchone()[0]
    if bad or orphans:
        what = []
        if bad:
            what.append(f"{len(bad)} of {count} stored files no longer match their SHA-256 "
                        f"({', '.join(s[:12] + '…' for s in bad[:3])})")
        if orphans:
            what.append(f"{orphans} attachment{'s have' if orphans != 1 else ' has'} no stored bytes")
        return Finding("fail", "attachments", "; ".join(what) + ": changed outside flagdesk",
                       "flagdesk appeal attachments ID --json   # find them; detach and attach the originals again")
    return Finding("ok", "attachments", f"{count} stored file{'s' if count != 1 else ''} ({total / 1048576:.1f} MB), "
                                        "each one's bytes match its SHA-256")


def _audit_checks(conn: sqlite3.Connection, path: Path, chained: bool) -> list[Finding]:
    """The audit log's hash chain (the first broken row) and its append-only triggers (as this version
    creates them). Before schema step m010 there is no chain yet, and the triggers are checked by name."""
    verify = f"flagdesk audit verify --db {_q(path)}"
    if chained and not audit_chain.has_chain(conn):
        return [Finding("fail", "audit chain", "schema step m010_audit_chain was applied but the audit table has no "
                                               "hash column: the audit log was rebuilt by hand",
                        f"flagdesk restore BACKUP --db {_q(path)}   # a backup from before the change")]
    if not chained:
        out = [Finding("warn", "audit chain", "the audit log is not hash-chained yet (schema step m010_audit_chain "
                                              "pending; the next flagdesk session adds it)",
                       f"flagdesk status --db {_q(path)}")]
        names = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")}
        missing = [n for n in audit_chain.GUARD_TRIGGERS if n not in names]
        if missing:
            out.append(Finding("fail", "audit guard", f"append-only trigger{'s' if len(missing) > 1 else ''} "
                                                      f"{', '.join(missing)} missing: the audit log can be "
                                                      "rewritten", f"flagdesk restore BACKUP --db {_q(path)}"))
        else:
            out.append(Finding("ok", "audit guard", "append-only triggers present"))
        return out
    out = []
    try:
        report = audit_chain.verify_chain(conn)
    except sqlite3.DatabaseError as exc:
        report = audit_chain.ChainReport(False, 0, None, f"cannot read the audit log ({exc})")
    if report.ok:
        out.append(Finding("ok", "audit chain", report.reason))
    else:
        out.append(Finding("fail", "audit chain", f"{report.reason}; the audit log was changed outside flagdesk",
                           f"{verify}   # then compare that row with a backup's, or restore one from before"))
    problems = audit_chain.check_guard(conn)
    if problems:
        out.append(Finding("fail", "audit guard", f"{'; '.join(problems)}: the audit log's append-only guard was "
                                                  "changed by hand",
                           f"flagdesk restore BACKUP --db {_q(path)}   # a backup from before the change"))
    else:
        out.append(Finding("ok", "audit guard", "append-only triggers present, as flagdesk creates them"))
    return out


def _disk_check(path: Path, folder: Path) -> Finding:
    size = path.stat().st_size
    free = shutil.disk_usage(folder).free
    mb = lambda n: f"{n / 1024 / 1024:,.0f} MB"  # noqa: E731
    if free < MIN_FREE or free < 2 * size:
        return Finding("warn", "disk", f"{mb(free)} free beside a {mb(size)} database (want 500 MB and twice its "
                                       "size, for the WAL, backups and restores)", f"df -h {_q(folder)}")
    return Finding("ok", "disk", f"{mb(free)} free, database {mb(size)}")


def failed(findings: list[Finding]) -> bool:
    return any(f.level == "fail" for f in findings)
