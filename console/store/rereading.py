"""Stored notices read again by today's rules (`flagdesk reread`, and schema step m011).

A reader turns one stored row into the values today's rules give (fate as `category`, `cause`, `severity`,
`why`, and, when the reader re-extracts the text, `deadline_at`, `deadline_text`, `policy`). What differs
is written in batches, each one BEGIN IMMEDIATE transaction that reads the rows it changes inside it, so
an operator's edit made meanwhile is never overwritten: the batch sees it. A field an operator set by hand
(listed in the row's `corrected`) is never changed. Every notification that changes gets a
`notification.reread` audit row with the old and new values, and the run one `reread` row with its counts.
A change of `why` alone (the same reading, reasons worded anew) is written without an audit row or a new
version: it is how the reading is explained, not what it says.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, ContextManager

from console.store import audit_chain

READ_COLUMNS = ("id, subject, body, received_at, deadline_at, deadline_text, policy, category, cause, severity, "
                "why, corrected, source")
FIELDS = ("category", "cause", "severity", "deadline_at", "deadline_text", "policy")  # in the audit's order
BATCH = 500
# Sources whose notices are not texts to read: the API said what happened (see ingest/pipeline.py).
NOT_TEXT = ("spapi", "spapi-report", "spapi-listing")

Reader = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class RereadResult:
    examined: int = 0
    changes: list[tuple[int, str, dict[str, list[Any]]]] = field(default_factory=list)  # (id, subject, changes)
    kept: int = 0  # notices whose operator-set fields were left as they are


def _rows(conn: sqlite3.Connection, where: str, params: list[Any], after: int, limit: int) -> list[dict[str, Any]]:
    cur = conn.execute(f"SELECT {READ_COLUMNS} FROM notifications n WHERE ({where}) AND n.id > ? "
                       f"AND n.source NOT IN ({','.join('?' * len(NOT_TEXT))}) ORDER BY n.id LIMIT ?",
                       [*params, after, *NOT_TEXT, limit])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _diff(row: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, list[Any]], bool]:
    """(the changes today's reading makes to the row, whether an operator's field was kept)."""
    corrected = set(json.loads(row["corrected"] or "[]"))
    changes: dict[str, list[Any]] = {}
    kept = False
    for key in FIELDS:
        if key not in new or new[key] == row[key]:
            continue
        if key in corrected or (key == "deadline_text" and "deadline_at" in corrected):
            kept = True
            continue
        changes[key] = [row[key], new[key]]
    return changes, kept


def reread(conn: sqlite3.Connection, reader: Reader, *, where: str = "1", params: list[Any] | None = None,
           dry_run: bool = False, actor: str, now: str, write: Callable[[], ContextManager[Any]] | None = None,
           reason: str = "rules", os_user: str | None = None) -> RereadResult:
    """Read the matching notices again, audited as `actor` run by `os_user` (None: a schema step before
    m012, whose audit has no OS user yet). `write`: the transaction each batch runs in (`Store.write`; none
    inside a transaction already open, as a schema step is). A dry run reads and reports, writes nothing."""
    result = RereadResult()
    params = params or []
    transaction = write if (write is not None and not dry_run) else nullcontext
    after = 0
    while True:
        with transaction():
            rows = _rows(conn, where, params, after, BATCH)
            if not rows:
                break
            audits = []
            for row in rows:
                result.examined += 1
                new = reader(row)
                changes, kept = _diff(row, new)
                result.kept += kept
                why = json.dumps(new["why"], ensure_ascii=False) if new.get("why") is not None else row["why"]
                if changes:
                    result.changes.append((row["id"], row["subject"], changes))
                if dry_run:
                    continue
                if changes:
                    sets = ", ".join(f"{k} = ?" for k in changes)
                    conn.execute(f"UPDATE notifications SET {sets}, why = ?, version = version + 1, updated_at = ? "
                                 "WHERE id = ?", (*(v[1] for v in changes.values()), why, now, row["id"]))
                    audits.append((now, actor, "notification.reread", "notifications", row["id"],
                                   json.dumps(changes, ensure_ascii=False)))
                elif why != row["why"]:
                    conn.execute("UPDATE notifications SET why = ? WHERE id = ?", (why, row["id"]))
            if audits:
                audit_chain.append(conn, audits, os_user)
        after = rows[-1]["id"]
    if not dry_run and result.examined:
        with transaction():
            audit_chain.append(conn, [(now, actor, "reread", "notifications", None, json.dumps(
                {"examined": result.examined, "changed": len(result.changes), "kept": result.kept,
                 "reason": reason}))], os_user)
    return result


def rules_reader(rules=None) -> Reader:
    """A reader that reads fate, cause and severity from the stored text (the stored deadline stands): what
    the schema step uses, where the extractor (console/ingest/) is out of reach."""
    from console.core.clock import parse_iso
    from console.core.fates import why_json
    from console.core.reading import read

    def reader(row: dict[str, Any]) -> dict[str, Any]:
        hours = None
        if row["deadline_at"]:
            hours = (parse_iso(row["deadline_at"]) - parse_iso(row["received_at"])).total_seconds() / 3600
        r = read(row["subject"], row["body"][:READ_LIMIT], rules, deadline_hours=hours)
        return {"category": r.fate, "cause": r.cause, "severity": r.severity,
                "why": why_json(r, row["deadline_text"])}

    return reader


READ_LIMIT = 20_000  # characters of a body read for its fate: a notice says what happened long before this
