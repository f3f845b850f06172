"""The audit log's hash chain and its append-only guard: what makes an edit of the log evident.

Each audit row carries `hash` = sha256(the previous row's hash + the canonical text of the row's own
columns); the first row's "previous hash" is `GENESIS`. Rows are chained in id order, and a writer always
appends the row after the newest one inside its `BEGIN IMMEDIATE` transaction, so two writers cannot fork
the chain. Changing, removing or inserting a row anywhere but at the end breaks the link at that point,
unless whoever did it also recomputes every hash after it (the algorithm is no secret): the chain makes an
edit evident, it does not make one impossible. A copy of the newest hash kept elsewhere (a backup) shows
a rewritten chain too.

The append-only triggers are defined here once, `GUARD_TRIGGERS`: schema step m010 (db.py) creates them
from this text and `check_guard` compares the database's triggers on `audit` with it, so that a trigger
dropped, changed or added by hand is a finding.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# The "previous hash" of the first row.
GENESIS = "0" * 64

# The columns a row's hash covers, in this order. A row written before schema step m012 has no OS user
# (NULL): its hash covers the first seven, as it did when it was written (`values`).
COLUMNS = ("id", "at", "actor", "action", "table_name", "row_id", "detail", "os_user")
_SELECT = ", ".join(COLUMNS)

_MESSAGE = "the audit log is append-only"

# The append-only guard exactly as this version creates it (and as sqlite_master then holds it).
GUARD_TRIGGERS: dict[str, str] = {
    "audit_no_update": (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN\n"
        f"    SELECT RAISE(ABORT, '{_MESSAGE}');\n"
        "END"),
    "audit_no_delete": (
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN\n"
        f"    SELECT RAISE(ABORT, '{_MESSAGE}');\n"
        "END"),
    # REPLACE deletes the row it replaces without firing DELETE triggers: refuse an insert that names an id
    # already taken, so that no statement can overwrite an audit row.
    "audit_no_replace": (
        "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit\n"
        "WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id) BEGIN\n"
        f"    SELECT RAISE(ABORT, '{_MESSAGE}');\n"
        "END"),
}


def _blob(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"blob": bytes(value).hex()}
    raise TypeError(f"cannot hash a {type(value).__name__}")


# JSON of the row's values as a list, ASCII only (every character escaped the same way on every machine),
# no spaces; a BLOB someone stored by hand is hashed as its hex.
_canonical = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False, default=_blob).encode
_sha256 = hashlib.sha256


def values(row: Sequence[Any]) -> Sequence[Any]:
    """What the hash covers of a row read as COLUMNS: all eight, or the first seven when os_user is NULL (a
    row from before m012, hashed as it was then). Blanking a newer row's OS user changes what is hashed, so
    it breaks the chain like any other edit."""
    return row[:7] if len(row) < 8 or row[7] is None else row[:8]


def canonical(row: Sequence[Any]) -> str:
    """The text of the row (COLUMNS, see `values`) that the hash covers."""
    return _canonical(values(row))


def link(prev: str, row: Sequence[Any]) -> str:
    """The hash of `row` (the values of COLUMNS) following a row whose hash is `prev`."""
    return _sha256((prev + _canonical(values(row))).encode("ascii")).hexdigest()


# --- writing ----------------------------------------------------------------------------------


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(id, hash) of the newest row — (0, GENESIS) for an empty log: one indexed read."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if last is None:
        return 0, GENESIS
    return last[0], last[1] if last[1] is not None else GENESIS


def append(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]], os_user: str | None) -> int:
    """Append audit rows (at, actor, action, table_name, row_id, detail), each given the next id, recorded
    as done by `os_user` and chained to the row before; call inside the write transaction. Returns how many
    were written. `os_user` None only for a schema step before m012, whose audit has no such column yet."""
    last_id, prev = head(conn)
    out = []
    os_user = None if os_user is None else str(os_user)
    for at, actor, action, table, row_id, detail in rows:
        last_id += 1
        # As SQLite will store them (TEXT and INTEGER affinity), so that the hash covers what is read back.
        row = (last_id, str(at), str(actor), str(action), str(table), None if row_id is None else int(row_id),
               str(detail), os_user)
        prev = _sha256((prev + _canonical(values(row))).encode("ascii")).hexdigest()
        out.append((*row, prev))
    if out and os_user is None:
        conn.executemany("INSERT INTO audit (id, at, actor, action, table_name, row_id, detail, hash) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*r[:7], r[8]) for r in out])
    elif out:
        conn.executemany("INSERT INTO audit (id, at, actor, action, table_name, row_id, detail, os_user, hash) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)
    return len(out)


# --- the guard --------------------------------------------------------------------------------


def drop_guard(conn: sqlite3.Connection) -> None:
    for name in GUARD_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_guard(conn: sqlite3.Connection) -> None:
    for sql in GUARD_TRIGGERS.values():
        conn.execute(sql)


def check_guard(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the append-only triggers on `audit` (nothing: an empty list)."""
    found = {name: sql for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")}
    problems = []
    for name, sql in GUARD_TRIGGERS.items():
        if name not in found:
            problems.append(f"trigger {name} is missing")
        elif found[name] != sql:
            problems.append(f"trigger {name} is not as flagdesk creates it")
    problems += [f"trigger {name} is not flagdesk's" for name in sorted(found) if name not in GUARD_TRIGGERS]
    return problems


def has_chain(conn: sqlite3.Connection) -> bool:
    """Whether the audit table has its hash column (schema step m010)."""
    return any(r[1] == "hash" for r in conn.execute("PRAGMA table_info(audit)"))


# --- the migration's backfill -----------------------------------------------------------------


def backfill(conn: sqlite3.Connection, batch: int = 5000) -> int:
    """Hash every row, in id order, as it stands (schema step m010, with the guard dropped in the same
    transaction). Returns the number of rows."""
    prev, after, done = GENESIS, None, 0
    while True:
        rows = conn.execute(
            "SELECT id, at, actor, action, table_name, row_id, detail FROM audit "
            + ("WHERE id > ? " if after is not None else "") + "ORDER BY id LIMIT ?",
            (after, batch) if after is not None else (batch,)).fetchall()
        if not rows:
            return done
        updates = []
        for row in rows:
            prev = _sha256((prev + _canonical(row)).encode("ascii")).hexdigest()
            updates.append((prev, row[0]))
        conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", updates)
        after, done = rows[-1][0], done + len(rows)


# --- verifying --------------------------------------------------------------------------------


@dataclass
class ChainReport:
    ok: bool
    rows: int  # rows read (all of them when ok; up to and including the broken one otherwise)
    first_bad_id: int | None = None
    reason: str = ""
    head_id: int | None = None  # the newest row and its hash, when ok
    head_hash: str | None = None


def verify_chain(conn: sqlite3.Connection) -> ChainReport:
    """Walk the log in id order (streaming: 100,000 rows take about half a second) and stop at the first row
    whose hash does not follow from the row before it."""
    prev, prev_id, n = GENESIS, 0, 0
    has_os = any(r[1] == "os_user" for r in conn.execute("PRAGMA table_info(audit)"))
    cols = _SELECT if has_os else _SELECT.replace(", os_user", ", NULL")  # a database before m012
    cur = conn.execute(f"SELECT {cols}, hash FROM audit ORDER BY id")
    sha, enc = _sha256, _canonical
    while True:
        batch = cur.fetchmany(2000)
        if not batch:
            break
        for row in batch:
            n += 1
            stored = row[8]
            try:
                expected = sha((prev + enc(row[:7] if row[7] is None else row[:8])).encode("ascii")).hexdigest()
            except TypeError as exc:
                return ChainReport(False, n, row[0], f"row #{row[0]}: a value that cannot be hashed ({exc})")
            if stored != expected:
                cur.close()
                return ChainReport(False, n, row[0], _why(row[0], prev_id, stored))
            prev, prev_id = stored, row[0]
    return ChainReport(True, n, None, f"audit chain intact: {n:,} rows", prev_id or None,
                       prev if n else None)


def _why(row_id: int, prev_id: int, stored: str | None) -> str:
    if stored is None:
        return f"row #{row_id}: it has no hash (written around flagdesk, outside the chain)"
    if row_id != prev_id + 1:
        missing = f"#{prev_id + 1}" if row_id == prev_id + 2 else f"#{prev_id + 1}–#{row_id - 1}"
        before = f"after row #{prev_id}" if prev_id else "at the start of the log"
        return (f"row #{row_id}: the chain breaks {before}: row{'s' if row_id != prev_id + 2 else ''} {missing} "
                "missing (deleted?), or this row was changed")
    before = f"row #{prev_id}'s hash" if prev_id else "the start of the chain"
    return (f"row #{row_id}: its content does not match its hash: it was changed after it was written "
            f"(or {before} was rewritten)")


def verify(conn: sqlite3.Connection) -> tuple[bool, int | None, str]:
    """(ok, the first broken row's id or None, the reason): the chain, then the append-only guard."""
    if not has_chain(conn):
        return False, None, "the audit log has no hash chain yet (schema step m010_audit_chain pending)"
    report = verify_chain(conn)
    problems = check_guard(conn)
    reasons = ([] if report.ok else [report.reason]) + ([f"audit guard: {'; '.join(problems)}"] if problems else [])
    if not reasons:
        return True, None, report.reason
    return False, report.first_bad_id, "\n".join(reasons)
