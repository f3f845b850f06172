"""Changes to many notifications at once: the console's marks (or its whole filter) and `flagdesk read`,
`unread`, `close`, `claim` with several IDs or `--query`.

Each change is one BEGIN IMMEDIATE transaction: the rows are read and written with no other writer in
between, and it leaves one audit row per notification changed — the same action and detail a change of
that one notification leaves (`notification.status`, `.claim`, `.release`, `.assign`, `.correct`), with
`bulk` naming the row of the whole change — plus that one `notification.bulk` row. A notification whose
version is not the one the operator selected (another operator changed it since) is left as it is and
reported with who changed it; nothing is overwritten. An undo is a new change of the same kind, audited
the same way, that puts back the old values of the notifications still as the change left them.

Selections are {notification id: the version the operator saw}, read in triage order (`select`,
`select_range`); a version of None takes the notification as it is when the change runs (IDs given on the
command line, or a `--query` selected inside the change's own transaction).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from console.core.bulk import CHANGES, BulkResult
from console.core.identity import same, who
from console.core.model import Severity, Status
from console.core.textsafe import one_line
from console.core.triage import Filter
from console.store.db import NotFoundError, Store, StoreError
from console.store.notifications import filter_where

_CHUNK = 900  # ids per statement (SQLite allows at least 999 parameters)
_COLUMNS = ("id", "status", "version", "assignee", "assignee_os", "claimed_at", "account_id", "marketplace",
            "severity", "corrected")
_STATUS = {"read": Status.READ, "unread": Status.NEW, "resolved": Status.RESOLVED, "dismissed": Status.DISMISSED}
# The audit action of one notification's change, by the columns it sets.
_ACTIONS = {"status": "notification.status", "assignee": "notification.claim", "account_id": "notification.assign",
            "severity": "notification.correct"}


# --- selecting ----------------------------------------------------------------------------


def select(store: Store, f: Filter) -> dict[int, int]:
    """Every notification the filter shows, in triage order: {id: version}."""
    where, params = filter_where(store, f)
    rows = store.conn.execute(f"SELECT n.id, n.version FROM notifications n WHERE {where} ORDER BY n.sort_key",
                              params).fetchall()
    return dict(rows)


def select_range(store: Store, f: Filter, start: int, count: int) -> dict[int, int]:
    """The notifications at positions start .. start+count-1 of the filter's triage order: {id: version}."""
    where, params = filter_where(store, f)
    rows = store.conn.execute(f"SELECT n.id, n.version FROM notifications n WHERE {where} ORDER BY n.sort_key "
                              "LIMIT ? OFFSET ?", [*params, max(count, 0), max(start, 0)]).fetchall()
    return dict(rows)


def versions(store: Store, ids: list[int]) -> dict[int, int]:
    """The current version of each of these notifications that exists."""
    found: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        found.update(store.conn.execute(
            f"SELECT id, version FROM notifications WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return found


# --- what each change does to one notification ------------------------------------------------

# A decision about one notification (its row as a dict of _COLUMNS): the values to set, {} for nothing to
# do, or a string saying why it is refused.
Decide = Callable[[dict[str, Any]], "dict[str, Any] | str"]


def _holder(store: Store, name: str | None, os_name: str | None) -> str:
    from console.store.identity import shared_os_users

    return who(name, os_name, os_name is not None and os_name in shared_os_users(store))


def _decider(store: Store, change: str, *, account_id: int | None, marketplace: str | None,
             severity: str | None, force: bool) -> Decide:
    me, my_os = store.actor, store.os_user
    if change in _STATUS:
        target = _STATUS[change].value

        def status(row):
            if change == "read":
                return {"status": target} if row["status"] == Status.NEW.value else {}
            return {"status": target} if row["status"] != target else {}

        return status
    if change == "claim":
        now = store.now_iso()

        def claim(row):
            if row["assignee"] is None:
                return {"assignee": me, "assignee_os": my_os, "claimed_at": now}
            if same(row["assignee"], row["assignee_os"], me, my_os):
                return {}
            return f"claimed by {_holder(store, row['assignee'], row['assignee_os'])}"

        return claim
    if change == "release":
        def release(row):
            if row["assignee"] is None:
                return {}
            if same(row["assignee"], row["assignee_os"], me, my_os) or force:
                return {"assignee": None, "assignee_os": None, "claimed_at": None}
            return f"claimed by {_holder(store, row['assignee'], row['assignee_os'])}, not by you"

        return release
    if change == "assign":
        def assign(row):
            if (row["account_id"], row["marketplace"]) == (account_id, marketplace):
                return {}
            return {"account_id": account_id, "marketplace": marketplace}

        return assign
    if change == "severity":
        def set_severity(row):
            # As `correct` does: the operator's word, kept on reread, also where the rules had said the same.
            corrected = set(json.loads(row["corrected"] or "[]"))
            if row["severity"] == severity and "severity" in corrected:
                return {}
            return {"severity": severity, "corrected": json.dumps(sorted(corrected | {"severity"}))}

        return set_severity
    raise StoreError(f"unknown change '{one_line(change, 20)}' (use {', '.join(c for c in CHANGES if c != 'undo')})")


def _audit(values: dict[str, Any], old: dict[str, Any], forced: bool) -> tuple[str, dict[str, Any]]:
    """The action and detail of one notification's change, as its one-notification form writes them."""
    if "status" in values:
        return "notification.status", {"status": [old["status"], values["status"]]}
    if "assignee" in values:
        action = "notification.release" if values["assignee"] is None else "notification.claim"
        detail: dict[str, Any] = {"assignee": [old["assignee"], values["assignee"]],
                                  "assignee_os": [old["assignee_os"], values["assignee_os"]]}
        if forced and action == "notification.release":
            detail["forced"] = True
        return action, detail
    if "account_id" in values:
        return "notification.assign", {"account_id": [old["account_id"], values["account_id"]],
                                       "marketplace": [old["marketplace"], values["marketplace"]]}
    return "notification.correct", {"severity": [old["severity"], values["severity"]]}


# --- running a change -----------------------------------------------------------------------


def _rows(conn, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    cols = ", ".join(_COLUMNS)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for r in conn.execute(f"SELECT {cols} FROM notifications WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[r[0]] = dict(zip(_COLUMNS, r))
    return found


def _mover(store: Store, nid: int) -> str:
    """Who changed notification nid last, as shown ("maria (os: ops1)")."""
    last = store.last_change("notifications", nid)
    if last is None:
        return "someone (no audit row)"
    return _holder(store, last["actor"], last["os_user"])


def _write(store: Store, result: BulkResult, rows: dict[int, dict[str, Any]], plan: dict[int, dict[str, Any]],
           note: dict[str, Any] | None, forced: bool) -> None:
    """Write the planned values (inside the caller's transaction): the rows, then the audit of the whole change
    and one row per notification pointing at it."""
    conn = store.conn
    now = store.now_iso()
    groups: dict[tuple, list[int]] = {}  # the rows that get the same values, set by one statement per chunk
    for nid, values in plan.items():
        groups.setdefault(tuple(values.items()), []).append(nid)
    for key, ids in groups.items():
        values = dict(key)
        sets = "".join(f"{k} = ?, " for k in values)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            conn.execute(f"UPDATE notifications SET {sets}version = version + 1, updated_at = ? "
                         f"WHERE id IN ({','.join('?' * len(chunk))})", [*values.values(), now, *chunk])
    summary: dict[str, Any] = {"change": result.change, "done": len(result.done), "unchanged": len(result.unchanged)}
    if result.label:
        summary["to"] = result.label
    if result.undo_of is not None:
        summary["undo_of"] = result.undo_of
    if result.moved:
        summary["changed_meanwhile"] = {str(i): w for i, w in result.moved.items()}
    if result.refused:
        summary["refused"] = {str(i): w for i, w in result.refused.items()}
    if result.missing:
        summary["missing"] = result.missing
    summary.update(note or {})
    store.audit("notification.bulk", "notifications", None, summary)
    bulk_id = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    result.audit_id = bulk_id
    audit_rows = []
    actor = store.actor
    for nid in result.done:
        values, old = plan[nid], rows[nid]
        if len(values) == 1 and "status" in values and result.undo_of is None:
            # The common case, 10,000 at a time: the statuses are enum values, so the text needs no encoder.
            text = f'{{"status": ["{old["status"]}", "{values["status"]}"], "bulk": {bulk_id}}}'
            audit_rows.append((now, actor, "notification.status", "notifications", nid, text))
            continue
        action, detail = _audit(values, old, forced)
        if result.undo_of is not None:
            detail["undo_of"] = result.undo_of
        detail["bulk"] = bulk_id
        audit_rows.append((now, actor, action, "notifications", nid, json.dumps(detail, ensure_ascii=False)))
    store.audit_rows(audit_rows)
    for nid in result.done:
        result.versions[nid] = rows[nid]["version"] + 1


def _selected(store: Store, f: Filter) -> dict[int, dict[str, Any]]:
    """What the filter shows when the change runs, in triage order, each with the columns a change reads: one
    pass (selecting the ids, then reading their rows by id, read 10,000 rows twice)."""
    where, params = filter_where(store, f)
    cols = ", ".join(f"n.{c}" for c in _COLUMNS)
    return {r[0]: dict(zip(_COLUMNS, r)) for r in store.conn.execute(
        f"SELECT {cols} FROM notifications n WHERE {where} ORDER BY n.sort_key", params)}


def _run(store: Store, result: BulkResult, targets: dict[int, int | None], decide: Decide, dry_run: bool,
         note: dict[str, Any] | None, forced: bool = False,
         rows: dict[int, dict[str, Any]] | None = None) -> BulkResult:
    rows = _rows(store.conn, list(targets)) if rows is None else rows
    plan: dict[int, dict[str, Any]] = {}
    for nid, expected in targets.items():
        row = rows.get(nid)
        if row is None:
            result.missing.append(nid)
            continue
        if expected is not None and row["version"] != expected:
            result.moved[nid] = _mover(store, nid)
            continue
        decided = decide(row)
        if isinstance(decided, str):
            result.refused[nid] = decided
        elif not decided:
            result.unchanged.append(nid)
        else:
            plan[nid] = decided
            result.done.append(nid)
            result.before[nid] = {k: row[k] for k in decided}
            result.after[nid] = dict(decided)
    if plan and not dry_run:
        _write(store, result, rows, plan, note, forced)
    return result


def apply(store: Store, change: str, targets: dict[int, int | None] | None = None, f: Filter | None = None, *,
          dry_run: bool = False, account_id: int | None = None, marketplace: str | None = None,
          severity: str | None = None, force: bool = False, note: dict[str, Any] | None = None) -> BulkResult:
    """Change every notification of `targets` ({id: version seen, or None}) or, given `f`, every one the
    filter shows when the change runs (selected inside its transaction). `change` is a key of CHANGES
    (but undo): read, unread, resolved, dismissed, claim, release (`force`: someone else's claims too),
    assign (`account_id`, `marketplace`), severity (`severity`). `note`: more for the bulk audit row (the
    query, whether the rows were marked). A dry run reads and decides, and writes nothing."""
    label = ""
    if change == "severity":
        try:
            severity = Severity(severity).value
        except ValueError:
            raise StoreError(f"unknown severity '{one_line(str(severity), 20)}' "
                             "(use critical, high, medium, low)") from None
        label = severity
    if change == "assign":
        row = store.conn.execute("SELECT name FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no account with id {account_id}")
        if not store.conn.execute("SELECT 1 FROM account_marketplaces WHERE account_id = ? AND marketplace = ?",
                                  (account_id, marketplace)).fetchone():
            raise StoreError(f"account '{row[0]}' does not sell in marketplace '{one_line(str(marketplace), 10)}'")
        label = f"{row[0]} {marketplace}"
    decide = _decider(store, change, account_id=account_id, marketplace=marketplace, severity=severity, force=force)
    result = BulkResult(change=change, dry_run=dry_run, label=label)
    if dry_run:
        rows = None if f is None else _selected(store, f)
        chosen = targets if rows is None else dict.fromkeys(rows)
        return _run(store, result, chosen or {}, decide, True, note, rows=rows)
    with store.checkpoint_deferred(), store.write():
        rows = None if f is None else _selected(store, f)
        chosen = targets if rows is None else dict.fromkeys(rows)
        return _run(store, result, chosen or {}, decide, False, note, forced=force and change == "release", rows=rows)


def undo(store: Store, done: BulkResult, note: dict[str, Any] | None = None) -> BulkResult:
    """Put back what `done` changed, on each notification still as it left it (its version); one that
    changed since is left and reported. A new change, audited like any other (`undo_of` names the first)."""
    if done.audit_id is None or not done.done:
        raise StoreError("nothing to undo: that change wrote nothing")
    result = BulkResult(change="undo", label=CHANGES[done.change][0].lower() + (f" {done.label}" if done.label else ""),
                        undo_of=done.audit_id)
    restore = {nid: done.before[nid] for nid in done.done}

    def put_back(row):
        return dict(restore[row["id"]])

    with store.checkpoint_deferred(), store.write():
        return _run(store, result, {nid: done.versions.get(nid) for nid in done.done}, put_back, False, note)
