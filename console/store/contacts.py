"""The Seller Support contact log: cases opened through Help → Contact Us, and their timelines.

Amazon asks sellers to check the case log first, not to open a second case about an issue already
under review, and to reopen a closed case rather than open a new one; duplicate contacts can harm
the account by themselves. So opening a case first looks for active cases of the same account about
the same notification (or with a similar summary) and refuses while there are any, unless the
operator confirms a new case with a written reason (audited). The look and the insert happen in one
write transaction, so two operators logging the same call at once cannot both slip through.

Every change bumps the case's version, appends a timeline entry (`case_entries`) and an audit row.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
from datetime import datetime
from typing import Any

from console.core.cases import (  # noqa: F401 (the model of a case, re-exported for the store's callers)
    ACTIVE,
    CHANNELS,
    DEFAULT_AREAS,
    SIMILARITY,
    STATUSES,
    UNSET,
    Case,
    DuplicateCaseError,
    Entry,
    parse_follow_up,
)
from console.core.clock import parse_iso, to_iso
from console.core.textsafe import clean, one_line
from console.core.triage import FilterError, fts_query
from console.store.db import ConflictError, NotFoundError, Store, StoreError

# --- reading ----------------------------------------------------------------------------------

_SELECT = "SELECT c.*, a.name AS account FROM cases c JOIN accounts a ON a.id = c.account_id"


def _dt(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


def _to_case(row: dict[str, Any]) -> Case:
    return Case(
        id=row["id"], account_id=row["account_id"], account=row["account"], marketplace=row["marketplace"],
        channel=row["channel"], path=row["path"], case_ref=row["case_ref"], summary=row["summary"],
        status=row["status"], urgent=bool(row["urgent"]), follow_up_at=_dt(row["follow_up_at"]),
        notification_id=row["notification_id"], appeal_id=row["appeal_id"],
        opened_at=parse_iso(row["opened_at"]), opened_by=row["opened_by"],
        updated_at=parse_iso(row["updated_at"]), version=row["version"],
    )


def _sorted(cases: list[Case], now: datetime) -> list[Case]:
    """Overdue follow-ups first, then urgent, then most recently updated."""
    return sorted(cases, key=lambda c: (not c.overdue(now), not c.urgent, -c.updated_at.timestamp(), -c.id))


def get_case(store: Store, case_id: int) -> Case:
    rows = store.rows(f"{_SELECT} WHERE c.id = ?", (case_id,))
    if not rows:
        raise NotFoundError(f"no case with id {case_id}")
    return _to_case(rows[0])


def find_case(store: Store, ref: str) -> Case:
    """A case by our id ("12", "#12") or by Amazon's case ID."""
    text = one_line(ref, 100)
    ours = text.removeprefix("#")
    if ours.isdigit():
        rows = store.rows(f"{_SELECT} WHERE c.id = ?", (int(ours),))
        if rows:
            return _to_case(rows[0])
    if text:
        rows = store.rows(f"{_SELECT} WHERE c.case_ref = ? COLLATE NOCASE ORDER BY c.id DESC LIMIT 1", (text,))
        if rows:
            return _to_case(rows[0])
    raise NotFoundError(f"no case '{text}' (neither our case number nor an Amazon case ID on file)")


def timeline(store: Store, case_id: int) -> list[Entry]:
    get_case(store, case_id)
    return [Entry(r["id"], parse_iso(r["at"]), r["actor"], r["kind"], r["channel"], r["text"], r["old_status"],
                  r["new_status"])
            for r in store.rows("SELECT * FROM case_entries WHERE case_id = ? ORDER BY id", (case_id,))]


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[^\W\d_]{3,}", (text or "").lower()))


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= SIMILARITY


def similar_cases(store: Store, account_id: int, notification_id: int | None = None,
                  summary: str | None = None) -> list[Case]:
    """Cases of the account an operator should look at before opening a new one, most relevant first:
    active cases about the same notification, active cases with a similar summary, then closed cases
    about the same notification (to reopen rather than open anew)."""
    cases = [_to_case(r) for r in store.rows(f"{_SELECT} WHERE c.account_id = ? ORDER BY c.updated_at DESC, "
                                             "c.id DESC", (account_id,))]
    same = [c for c in cases if notification_id is not None and c.notification_id == notification_id]
    out = [c for c in same if c.status in ACTIVE]
    if summary and summary.strip():
        out += [c for c in cases if c.status in ACTIVE and c not in out and _similar(summary, c.summary)]
    out += [c for c in same if c.status == "closed"]
    return out


def list_cases(store: Store, *, account_id: int | None = None, status: str | None = None,
               channel: str | None = None, text: str | None = None, limit: int = 500) -> list[Case]:
    """Cases in working order (overdue follow-ups, urgent, most recently updated).

    status: one of STATUSES, or "active" (every status but closed). text: words searched in the
    summaries (FTS5 operators usable; a query FTS5 cannot parse raises FilterError), or a case ID."""
    clauses: list[str] = []
    params: list[Any] = []
    if account_id is not None:
        clauses.append("c.account_id = ?")
        params.append(account_id)
    if status:
        if status == "active":
            clauses.append(f"c.status IN ({','.join('?' * len(ACTIVE))})")
            params.extend(ACTIVE)
        elif status in STATUSES:
            clauses.append("c.status = ?")
            params.append(status)
        else:
            raise StoreError(f"status must be active or one of {', '.join(STATUSES)}")
    if channel:
        if channel not in CHANNELS:
            raise StoreError(f"channel must be one of {', '.join(CHANNELS)}")
        clauses.append("c.channel = ?")
        params.append(channel)
    query = ""
    if text and text.strip():
        query = fts_query(_split(clean(text).strip()))
        clauses.append("(c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?) "
                       "OR c.case_ref = ? COLLATE NOCASE)")
        params.extend([query, one_line(text, 100)])
    where = " AND ".join(clauses) or "1"
    try:
        rows = store.rows(f"{_SELECT} WHERE {where}", params)
    except sqlite3.OperationalError as exc:
        if query and ("fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc)):
            raise FilterError(f"cannot search for {query}: {exc}") from None
        raise
    cases = _sorted([_to_case(r) for r in rows], store.clock.now())
    return cases[:limit] if limit and limit > 0 else cases


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # an unbalanced quote: plain words
        return text.replace('"', " ").replace("'", " ").split()


def cases_for_notification(store: Store, notification_id: int) -> list[Case]:
    return _sorted([_to_case(r) for r in store.rows(f"{_SELECT} WHERE c.notification_id = ?",
                                                    (notification_id,))], store.clock.now())


def overdue_count(store: Store, now: datetime) -> int:
    """Cases not closed past their follow-up time (console/store/reads.py, shared with the quick `flagdesk status`)."""
    from console.store import reads

    return reads.overdue_follow_ups(store.conn, now)


def overdue_by_account(store: Store, now: datetime) -> dict[int, int]:
    """Cases past their follow-up time, per account id."""
    from console.store import reads

    return reads.overdue_follow_ups_by_account(store.conn, now)


# --- writing ----------------------------------------------------------------------------------


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise StoreError(f"channel must be one of {', '.join(CHANNELS)} (not '{one_line(channel, 20)}')")


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise StoreError("a follow-up time needs a time zone")
    return to_iso(dt)


_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")


def _clean_ref(case_ref: str | None) -> str | None:
    """Amazon's case ID as typed; refuse what cannot be one (a date typed in the wrong box, say)."""
    ref = one_line(case_ref, 80) or None
    if ref is not None and not _CASE_REF.match(ref):
        raise StoreError(f"'{ref}' does not look like a Seller Support case ID (letters and digits, e.g. 1234567890)")
    return ref


def _ref_taken(conn: sqlite3.Connection, case_ref: str | None, case_id: int | None) -> None:
    if not case_ref:
        return
    row = conn.execute("SELECT id FROM cases WHERE case_ref = ? COLLATE NOCASE AND id IS NOT ? LIMIT 1",
                       (case_ref, case_id)).fetchone()
    if row:
        raise StoreError(f"Amazon case {case_ref} is already logged as case #{row[0]}: "
                         f"add this contact to it (--append-to {row[0]})")


def _entry(conn: sqlite3.Connection, case_id: int, at: str, actor: str, kind: str, *, channel: str | None = None,
           text: str | None = None, old_status: str | None = None, new_status: str | None = None) -> None:
    conn.execute("INSERT INTO case_entries (case_id, at, actor, kind, channel, text, old_status, new_status) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (case_id, at, actor, kind, channel, text, old_status, new_status))


def _touch(conn: sqlite3.Connection, case_id: int, now: str, sets: str = "", params: tuple = ()) -> None:
    conn.execute(f"UPDATE cases SET {sets + ', ' if sets else ''}version = version + 1, updated_at = ? WHERE id = ?",
                 (*params, now, case_id))


def _current(conn: sqlite3.Connection, case_id: int) -> tuple[str, int]:
    row = conn.execute("SELECT status, version FROM cases WHERE id = ?", (case_id,)).fetchone()
    if not row:
        raise NotFoundError(f"no case with id {case_id}")
    return row[0], row[1]


def open_case(store: Store, account_id: int, channel: str, summary: str, *, marketplace: str | None = None,
              path: str | None = None, case_ref: str | None = None, notification_id: int | None = None,
              appeal_id: int | None = None, follow_up_at: datetime | None = None, urgent: bool = False,
              notes: str | None = None, confirm_duplicate: str | None = None) -> Case:
    """Log a new Seller Support case. Refused with DuplicateCaseError while an active case of the same
    account covers the same notification or a similar summary, unless `confirm_duplicate` gives the
    reason to open another (audited with the candidates' ids)."""
    _check_channel(channel)
    summary = one_line(summary, 500)
    if not summary:
        raise StoreError("a case needs a summary: what the contact is about")
    path = one_line(path, 300) or None
    case_ref = _clean_ref(case_ref)
    marketplace = one_line(marketplace, 10).upper() or None
    reason = one_line(confirm_duplicate, 500) or None
    notes = clean(notes).strip() or None
    follow = _iso(follow_up_at)
    now = store.now_iso()
    with store.write() as conn:
        if not conn.execute("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).fetchone():
            raise NotFoundError(f"no account with id {account_id}")
        if appeal_id is not None:
            row = conn.execute("SELECT notification_id FROM appeals WHERE id = ?", (appeal_id,)).fetchone()
            if not row:
                raise NotFoundError(f"no appeal with id {appeal_id}")
            if notification_id is None:
                notification_id = row[0]
            elif row[0] != notification_id:
                raise StoreError(f"appeal #{appeal_id} belongs to notification {row[0]}, not {notification_id}")
        if notification_id is not None:
            row = conn.execute("SELECT account_id, marketplace FROM notifications WHERE id = ?",
                               (notification_id,)).fetchone()
            if not row:
                raise NotFoundError(f"no notification with id {notification_id}")
            if row[0] is not None and row[0] != account_id:
                raise StoreError(f"notification {notification_id} belongs to another account")
            marketplace = marketplace or row[1]
        if marketplace is None:  # an account selling in one marketplace only: that one
            mps = conn.execute("SELECT marketplace FROM account_marketplaces WHERE account_id = ?",
                               (account_id,)).fetchall()
            marketplace = mps[0][0] if len(mps) == 1 else None
        _ref_taken(conn, case_ref, None)
        candidates = similar_cases(store, account_id, notification_id, summary)
        # Amazon: do not open a second case about an issue under review, reopen a closed one instead.
        if candidates and not reason:
            raise DuplicateCaseError(candidates, notification_id)
        cur = conn.execute(
            "INSERT INTO cases (account_id, marketplace, channel, path, case_ref, summary, status, urgent, "
            "follow_up_at, notification_id, appeal_id, opened_at, opened_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)",
            (account_id, marketplace, channel, path, case_ref, summary, int(bool(urgent)), follow,
             notification_id, appeal_id, now, store.actor, now),
        )
        case_id = cur.lastrowid
        _entry(conn, case_id, now, store.actor, "opened", channel=channel, text=notes, new_status="open")
        detail: dict[str, Any] = {"account_id": account_id, "channel": channel, "case_ref": case_ref,
                                  "notification_id": notification_id, "appeal_id": appeal_id,
                                  "urgent": bool(urgent), "follow_up_at": follow}
        if candidates:
            detail["duplicate_confirmed"] = {"reason": reason, "candidates": [c.id for c in candidates]}
        store.audit("case.open", "cases", case_id, detail)
    return get_case(store, case_id)


def add_contact(store: Store, case_id: int, channel: str, text: str | None = None,
                follow_up_at: datetime | None = None) -> Case:
    """A further contact on a case (an email sent, a call, a chat with its transcript). A closed
    case is reopened by it, as Amazon asks: reopen rather than open a new case."""
    _check_channel(channel)
    text = clean(text).strip() or None
    follow = _iso(follow_up_at)
    now = store.now_iso()
    with store.write() as conn:
        status, _ = _current(conn, case_id)
        reopened = status == "closed"
        if reopened:
            _entry(conn, case_id, now, store.actor, "status", old_status="closed", new_status="reopened",
                   text="reopened by a new contact")
            store.audit("case.status", "cases", case_id, {"status": ["closed", "reopened"], "by": "contact"})
        _entry(conn, case_id, now, store.actor, "contact", channel=channel, text=text)
        if follow is not None:
            _entry(conn, case_id, now, store.actor, "follow_up", text=follow)
        _touch(conn, case_id, now,
               "status = ?" + (", follow_up_at = ?" if follow is not None else ""),
               ("reopened" if reopened else status,) + ((follow,) if follow is not None else ()))
        store.audit("case.contact", "cases", case_id, {"channel": channel, "chars": len(text or ""),
                                                       "reopened": reopened, "follow_up_at": follow})
    return get_case(store, case_id)


def _set_status(store: Store, conn: sqlite3.Connection, case_id: int, status: str, expected_version: int | None,
                note: str | None, require_closed: bool = False) -> None:
    if status not in STATUSES:
        raise StoreError(f"status must be one of {', '.join(STATUSES)}")
    note = clean(note).strip() or None
    now = store.now_iso()
    old, version = _current(conn, case_id)
    if expected_version is not None and version != expected_version:
        last = store.last_change("cases", case_id)
        who = f" by {last['who']} at {last['at']}" if last else ""
        raise ConflictError(f"case #{case_id} was changed{who} since you opened it; your change was not saved")
    if require_closed and old != "closed":
        raise StoreError(f"case #{case_id} is {old}, not closed: there is nothing to reopen")
    if old == status:
        if note:
            _entry(conn, case_id, now, store.actor, "note", text=note)
            _touch(conn, case_id, now)
            store.audit("case.note", "cases", case_id, {"chars": len(note)})
        return
    cur = conn.execute("UPDATE cases SET status = ?, version = version + 1, updated_at = ? WHERE id = ? "
                       "AND version = ?", (status, now, case_id, version))
    if cur.rowcount != 1:  # cannot happen inside BEGIN IMMEDIATE; kept as the conditional update's guard
        raise ConflictError(f"case #{case_id} changed meanwhile; your change was not saved")
    _entry(conn, case_id, now, store.actor, "status", text=note, old_status=old, new_status=status)
    store.audit("case.status", "cases", case_id, {"status": [old, status], "note": bool(note)})


def set_status(store: Store, case_id: int, status: str, expected_version: int | None = None,
               note: str | None = None) -> Case:
    """Change the status as Seller Central shows it. A stale `expected_version` raises ConflictError."""
    with store.write() as conn:
        _set_status(store, conn, case_id, status, expected_version, note)
    return get_case(store, case_id)


def reopen(store: Store, case_id: int, note: str | None = None) -> Case:
    """closed → reopened (Amazon: reopen a closed case instead of opening a new one)."""
    with store.write() as conn:
        _set_status(store, conn, case_id, "reopened", None, note, require_closed=True)
    return get_case(store, case_id)


def update(store: Store, case_id: int, *, follow_up_at: datetime | None | object = UNSET,
           case_ref: str | None | object = UNSET, note: str | None = None) -> Case:
    """Set or clear the follow-up time, record Amazon's case ID, add a note: each change is a
    timeline entry and an audit row; nothing changed writes nothing."""
    now = store.now_iso()
    note = clean(note).strip() or None
    with store.write() as conn:
        row = conn.execute("SELECT follow_up_at, case_ref FROM cases WHERE id = ?", (case_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no case with id {case_id}")
        old_follow, old_ref = row
        changed = False
        if follow_up_at is not UNSET:
            follow = _iso(follow_up_at)  # type: ignore[arg-type]
            if follow != old_follow:
                conn.execute("UPDATE cases SET follow_up_at = ? WHERE id = ?", (follow, case_id))
                _entry(conn, case_id, now, store.actor, "follow_up", text=follow)
                store.audit("case.update", "cases", case_id, {"follow_up_at": [old_follow, follow]})
                changed = True
        if case_ref is not UNSET:
            ref = _clean_ref(case_ref)  # type: ignore[arg-type]
            if ref != old_ref:
                _ref_taken(conn, ref, case_id)
                conn.execute("UPDATE cases SET case_ref = ? WHERE id = ?", (ref, case_id))
                _entry(conn, case_id, now, store.actor, "case_ref", text=ref)
                store.audit("case.update", "cases", case_id, {"case_ref": [old_ref, ref]})
                changed = True
        if note:
            _entry(conn, case_id, now, store.actor, "note", text=note)
            store.audit("case.note", "cases", case_id, {"chars": len(note)})
            changed = True
        if changed:
            _touch(conn, case_id, now)
    return get_case(store, case_id)
