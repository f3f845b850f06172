"""Notifications: saving, reading in triage order one page at a time, counting, changing status."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from console.core.clock import parse_iso, to_iso
from console.core.model import Notification, Severity, Status
from console.core.textsafe import clean, one_line
from console.core.triage import Filter, FilterError
from console.store.db import ConflictError, NotFoundError, Store, StoreError

LIST_COLUMNS = (
    "n.id, n.account_id, coalesce(a.name, 'Unassigned') AS account, n.marketplace, n.severity, n.category, n.cause, "
    "n.subject, "
    "n.received_at, n.deadline_at, n.status, n.assignee, n.assignee_os, n.version"
)
MAX_BODY = 1_000_000
UNASSIGNED = "Unassigned"


@dataclass
class NewNotification:
    """What a paste, a form or an import hands to `add_notification`."""

    account_id: int | None  # None: unassigned, for an operator to assign
    marketplace: str
    received_at: datetime
    subject: str
    body: str
    category: str
    severity: str
    policy: str | None = None
    asins: list[str] | None = None
    skus: list[str] | None = None
    order_ids: list[str] | None = None
    complaint_id: str | None = None
    deadline_at: datetime | None = None
    deadline_text: str | None = None
    action_taken: str | None = None
    status: str = Status.NEW.value
    source: str = "manual"
    external_id: str | None = None
    assignee: str | None = None
    cause: str = "other"
    why: dict[str, Any] | None = None  # what decided the reading (console/core/fates.py: why_json)
    corrected: list[str] | None = None  # fields the operator set by hand when adding it (kept on reread)
    # An import keeps it under a marketplace its account does not list (the API named it): flagged, not refused.
    marketplace_unlisted: bool = False


def _json_list(values: list[str] | None) -> str:
    return json.dumps([one_line(v, 80) for v in (values or []) if v and v.strip()], ensure_ascii=False)


def add_notification(store: Store, new: NewNotification) -> int:
    """Save one notification (untrusted text cleaned here) and audit it; returns its id."""
    try:
        severity = Severity(new.severity).value
        status = Status(new.status).value
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    body = clean(new.body)
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n[flagdesk: notice truncated at 1 MB]"
    subject = one_line(new.subject, 300) or "(no subject)"
    now = store.now_iso()
    with store.write() as conn:
        mp = new.account_id is None or conn.execute(
            "SELECT 1 FROM account_marketplaces WHERE account_id = ? AND marketplace = ?",
            (new.account_id, new.marketplace),
        ).fetchone()
        if not mp:
            name = conn.execute("SELECT name FROM accounts WHERE id = ?", (new.account_id,)).fetchone()
            if not name:
                raise NotFoundError(f"no account with id {new.account_id}")
        if not mp and not (new.marketplace_unlisted and new.marketplace.strip()):
            raise StoreError(f"account '{name[0]}' does not sell in marketplace '{one_line(new.marketplace, 10)}'")
        cur = conn.execute(
            """INSERT INTO notifications (account_id, marketplace, received_at, subject, body, category,
                   severity, status, policy, asins, skus, order_ids, complaint_id, deadline_at, deadline_text,
                   action_taken, source, external_id, assignee, created_at, updated_at, cause, why, corrected)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                new.account_id, new.marketplace, to_iso(new.received_at), subject, body,
                one_line(new.category, 60) or "other", severity, status, one_line(new.policy, 200) or None,
                _json_list(new.asins), _json_list(new.skus), _json_list(new.order_ids),
                one_line(new.complaint_id, 80) or None,
                to_iso(new.deadline_at) if new.deadline_at else None, one_line(new.deadline_text, 120) or None,
                one_line(new.action_taken, 120) or None, new.source, new.external_id, new.assignee, now, now,
                one_line(new.cause, 60) or "other", _why_text(new.why), _corrected_text(new.corrected),
            ),
        )
        nid = cur.lastrowid
        store.audit("notification.add", "notifications", nid,
                    {"subject": subject, "source": new.source, "severity": severity, "category": new.category,
                     "cause": new.cause})
    return nid


# The columns `add_notifications` writes, in the order of its rows.
_IMPORT_COLUMNS = ("id, account_id, marketplace, received_at, subject, body, category, severity, status, policy, "
                   "asins, skus, order_ids, complaint_id, deadline_at, deadline_text, action_taken, source, "
                   "external_id, assignee, cause, why, corrected, created_at, updated_at")
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False), without a new encoder
_SEVERITY_VALUES = frozenset(s.value for s in Severity)
_STATUS_VALUES = frozenset(s.value for s in Status)
_clean = clean  # (it has its own shortcut for plain ASCII text now)


def _one_line(text: str | None, limit: int) -> str:
    """`one_line`, without its call through."""
    if not text:
        return ""
    folded = " ".join(clean(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def _json_str(value: Any) -> str:
    """`_to_json(value)`; a string json would not escape (no quote, backslash or control character, which
    printable text without quotes and backslashes has none of) is only quoted."""
    if type(value) is str and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return _to_json(value)


def _json_list_quick(values: list[str] | None) -> str:
    """`_json_list` by way of `_one_line` and `_json_str`."""
    if not values:
        return "[]"
    return "[" + ", ".join([_json_str(_one_line(v, 80)) for v in values if v and v.strip()]) + "]"


def _audit_detail(subject: str, source: str, severity: str, category: Any, cause: Any = "other") -> str:
    """`_to_json` of a `notification.add` audit row's detail (the keys in this order), by way of `_json_str`."""
    return (f'{{"subject": {_json_str(subject)}, "source": {_json_str(source)}, "severity": {_json_str(severity)}, '
            f'"category": {_json_str(category)}, "cause": {_json_str(cause)}}}')


def _why_text(why: dict[str, Any] | None) -> str | None:
    return None if why is None else _to_json(why)


def _corrected_text(fields: list[str] | None) -> str:
    return _to_json(sorted(set(fields))) if fields else "[]"


def add_notifications(store: Store, news: list[NewNotification]) -> list[int]:
    """Save many notifications (an import's batch) as `add_notification` saves each one — the same checks,
    cleaning, columns and one `notification.add` audit row per notification — in one transaction and as
    few INSERT statements as SQLite's parameter limit allows: the full-text trigger flushes its index once
    per statement, which row by row costs more than the rest of the insert. Returns the new ids in order."""
    if not news:
        return []
    rows: list[tuple[Any, ...]] = []
    details: list[str] = []
    for new in news:
        try:
            severity = new.severity if type(new.severity) is str and new.severity in _SEVERITY_VALUES else \
                Severity(new.severity).value
            status = new.status if type(new.status) is str and new.status in _STATUS_VALUES else \
                Status(new.status).value
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        body = _clean(new.body)
        if len(body) > MAX_BODY:
            body = body[:MAX_BODY] + "\n\n[flagdesk: notice truncated at 1 MB]"
        subject = _one_line(new.subject, 300) or "(no subject)"
        rows.append((
            new.account_id, new.marketplace, to_iso(new.received_at), subject, body,
            _one_line(new.category, 60) or "other", severity, status, _one_line(new.policy, 200) or None,
            _json_list_quick(new.asins), _json_list_quick(new.skus), _json_list_quick(new.order_ids),
            _one_line(new.complaint_id, 80) or None,
            to_iso(new.deadline_at) if new.deadline_at else None, _one_line(new.deadline_text, 120) or None,
            _one_line(new.action_taken, 120) or None, new.source, new.external_id, new.assignee,
            _one_line(new.cause, 60) or "other", _why_text(new.why), _corrected_text(new.corrected),
        ))
        details.append(_audit_detail(subject, new.source, severity, new.category, new.cause))
    now = store.now_iso()
    with store.write() as conn:
        sold = set(conn.execute("SELECT account_id, marketplace FROM account_marketplaces").fetchall())
        for new in news:
            if new.account_id is not None and (new.account_id, new.marketplace) not in sold:
                name = conn.execute("SELECT name FROM accounts WHERE id = ?", (new.account_id,)).fetchone()
                if not name:
                    raise NotFoundError(f"no account with id {new.account_id}")
                if new.marketplace_unlisted and new.marketplace.strip():
                    continue
                raise StoreError(f"account '{name[0]}' does not sell in marketplace "
                                 f"'{one_line(new.marketplace, 10)}'")
        # The ids SQLite would give (the largest plus one), given here so that the audit rows can name them.
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM notifications").fetchone()[0]
        ids = list(range(first, first + len(rows)))
        _insert_rows(conn, "notifications", _IMPORT_COLUMNS, [(nid, *row, now, now) for nid, row in zip(ids, rows)])
        # The rows store.audit writes, one per notification (the history of each names its import), chained
        # and inserted together: at an import's rate, a call per row costs as much as the notification's own.
        store.audit_rows([(now, store.actor, "notification.add", "notifications", nid, detail)
                          for nid, detail in zip(ids, details)])
    return ids


def _insert_rows(conn: sqlite3.Connection, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows inserted with as few statements as the parameter limit allows: INSERT ... VALUES (...), (...)."""
    width = len(rows[0])
    per_statement = max(1, min(_MAX_ROWS, _max_params(conn) // width))
    one = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES " + ",".join([one] * len(chunk)),
                     [value for row in chunk for value in row])


_MAX_ROWS = 500


def _max_params(conn: sqlite3.Connection) -> int:
    try:
        return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # an older sqlite3 module: the smallest limit SQLite ever had
        return 999


def _to_model(row: dict[str, Any]) -> Notification:
    return Notification(
        id=row["id"], account_id=row["account_id"], account=row["account"] or UNASSIGNED,
        marketplace=row["marketplace"],
        received_at=parse_iso(row["received_at"]), subject=row["subject"], body=row["body"],
        category=row["category"], severity=Severity(row["severity"]), status=Status(row["status"]),
        policy=row["policy"], asins=json.loads(row["asins"]), skus=json.loads(row["skus"]),
        order_ids=json.loads(row["order_ids"]), complaint_id=row["complaint_id"],
        deadline_at=parse_iso(row["deadline_at"]) if row["deadline_at"] else None,
        action_taken=row["action_taken"], source=row["source"], external_id=row["external_id"],
        assignee=row["assignee"], assignee_os=row.get("assignee_os"), version=row["version"],
        appeal_button_used_at=parse_iso(row["appeal_button_used_at"]) if row.get("appeal_button_used_at") else None,
        appeal_button_used_by=row.get("appeal_button_used_by"),
        claimed_at=parse_iso(row["claimed_at"]) if row.get("claimed_at") else None,
        cause=row.get("cause") or "other", why=json.loads(row["why"]) if row.get("why") else None,
        corrected=json.loads(row.get("corrected") or "[]"),
        marketplace_listed=bool(row.get("marketplace_listed", 1)),
    )


def get_notification(store: Store, nid: int) -> Notification:
    rows = store.rows(
        "SELECT n.*, a.name AS account, (n.account_id IS NULL OR EXISTS (SELECT 1 FROM account_marketplaces m "
        "WHERE m.account_id = n.account_id AND m.marketplace = n.marketplace)) AS marketplace_listed "
        "FROM notifications n LEFT JOIN accounts a ON a.id = n.account_id WHERE n.id = ?",
        (nid,),
    )
    if not rows:
        raise NotFoundError(f"no notification with id {nid}")
    return _to_model(rows[0])


# --- listing ------------------------------------------------------------------------------
#
# The inbox order is the generated, indexed `sort_key`, so a page is an index range: the next page
# starts after the last key of the one before (keyset), pages near the end are read backwards, and
# only a jump into the middle pays for an OFFSET — over the index alone, never over joined rows.


def _account_clause(store: Store, f: Filter) -> tuple[list[str], list[Any]]:
    """Account conditions as ids, so that listing never joins the accounts table."""
    clauses: list[str] = []
    params: list[Any] = []
    archived = [r["id"] for r in store.rows("SELECT id FROM accounts WHERE archived = 1")]
    if archived:
        clauses.append(f"(n.account_id IS NULL OR n.account_id NOT IN ({','.join('?' * len(archived))}))")
        params.extend(archived)
    if f.unassigned:
        clauses.append("n.account_id IS NULL")
    if f.account_ids is not None:
        clauses.append(f"n.account_id IN ({','.join('?' * len(f.account_ids)) or 'NULL'})")
        params.extend(f.account_ids)
    if f.account_prefix:
        pattern = f.account_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ids = [r["id"] for r in store.rows("SELECT id FROM accounts WHERE name LIKE ? ESCAPE '\\'", (pattern,))]
        clauses.append(f"n.account_id IN ({','.join('?' * len(ids)) or 'NULL'})")
        params.extend(ids)
    return clauses, params


# With words in the filter, up to this many matches are read from the full-text index and sorted; more are
# found by reading the triage index in order and testing each row (a page then stops after its rows).
FEW_MATCHES = 2000


def _where(store: Store, f: Filter, few: bool = False, counting: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause of a filter. few: the words match few rows (see FEW_MATCHES), so the full-text
    matches drive the query; otherwise, with words, rows are read in triage order and tested. counting: for a
    count, where no order is asked, so a status or category may be read through its index (at 1M, "safety
    status:open" counts in 0.17 s over the open range instead of 0.26 s over every row)."""
    clauses, params = _account_clause(store, f)
    # "+": with words, keep SQLite from reading a whole status (or category...) through its index and then
    # sorting it: the words or the triage order drive the query instead.
    plus = "+" if f.text and not counting else ""
    for column, values in (("n.status", f.statuses), ("n.category", f.categories), ("n.cause", f.causes),
                           ("n.severity", f.severities), ("n.marketplace", f.marketplaces)):
        if values:
            clauses.append(f"{plus}{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if f.assignee:
        clauses.append("n.assignee = ?")
        params.append(f.assignee)
    if f.mine:  # a claim is this session's when the name and the OS user are (older claims: the name)
        clauses.append("n.assignee = ? AND coalesce(n.assignee_os, ?) = ?")
        params.extend((store.actor, store.os_user, store.os_user))
    if f.unclaimed:
        clauses.append("n.assignee IS NULL")
    if f.overdue or f.due_hours is not None:
        # Open, with a deadline: passed (overdue), within the hours from now and not passed, or either.
        now = store.clock.now()
        clauses.append(f"{plus}n.status NOT IN ('resolved', 'dismissed') AND n.deadline_at IS NOT NULL")
        if f.due_hours is not None:
            clauses.append("n.deadline_at < ?")
            params.append(to_iso(now + timedelta(hours=f.due_hours)))
        if not f.overdue:
            clauses.append("n.deadline_at >= ?")
            params.append(to_iso(now))
        elif f.due_hours is None:
            clauses.append("n.deadline_at < ?")
            params.append(to_iso(now))
    if f.text:
        # "+n.id": the matches are a set to test rows against while an index is read in triage order (a page
        # stops after its rows), never a list of row ids to fetch from the wide table and sort.
        clauses.append(f"{'' if few else '+'}n.id IN (SELECT rowid FROM notifications_fts WHERE notifications_fts MATCH ?)")
        params.append(f.text)
    return " AND ".join(clauses) or "1", params


def filter_where(store: Store, f: Filter) -> tuple[str, list[Any]]:
    """The WHERE clause (over `notifications n`) and its parameters that select what `f` shows."""
    return _where(store, f)


def _run_filtered(store: Store, sql: str, params: list[Any], f: Filter) -> list[dict[str, Any]]:
    try:
        return store.rows(sql, params)
    except sqlite3.OperationalError as exc:
        if f.text and ("fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc)):
            raise FilterError(f"cannot search for {f.text}: {exc}") from None
        raise


def list_page(store: Store, f: Filter, offset: int, limit: int, after_key: str | None = None,
              total: int | None = None) -> list[dict[str, Any]]:
    """One page of list rows in triage order (no bodies: the list never loads them).

    after_key: the sort_key of the row just before offset, when the caller knows it (keyset paging).
    total: the filtered row count, when known, so that pages past the middle are read backwards.
    """
    dense = _dense_page(store, f, offset, limit, after_key, total)
    if dense is not None:
        return _list_rows(store, dense)
    where, params = _where(store, f, few=total is not None and total <= FEW_MATCHES)
    if after_key is not None:
        sql = f"SELECT n.id FROM notifications n WHERE {where} AND n.sort_key > ? ORDER BY n.sort_key LIMIT ?"
        ids = _run_filtered(store, sql, [*params, after_key, limit], f)
    elif total is not None and limit > 0 and offset > total // 2:
        from_end = max(total - offset - limit, 0)
        count = min(limit, total - offset)
        sql = f"SELECT n.id FROM notifications n WHERE {where} ORDER BY n.sort_key DESC LIMIT ? OFFSET ?"
        ids = _run_filtered(store, sql, [*params, max(count, 0), from_end], f)[::-1]
    else:
        sql = f"SELECT n.id FROM notifications n WHERE {where} ORDER BY n.sort_key LIMIT ? OFFSET ?"
        ids = _run_filtered(store, sql, [*params, limit, offset], f)
    return _list_rows(store, [r["id"] for r in ids])


def _list_rows(store: Store, wanted: list[int]) -> list[dict[str, Any]]:
    """The list rows of these notifications, in this order."""
    if not wanted:
        return []
    rows = store.rows(
        f"SELECT {LIST_COLUMNS}, n.sort_key FROM notifications n LEFT JOIN accounts a ON a.id = n.account_id "
        f"WHERE n.id IN ({','.join('?' * len(wanted))})",
        wanted,
    )
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in wanted if i in by_id]


# Words matching this share of all notifications or more: a page is found by reading the triage order and
# asking the full-text index about each row (the first 50 of 367,000 matches in 3 ms at 1M), rather than by
# building the set of every match first (70 ms). Read at most PROBES rows that way; if the page is not full
# by then, the matches are clustered further down and the set is built after all.
DENSE = 0.15
PROBES = 1500


def _dense_page(store: Store, f: Filter, offset: int, limit: int, after_key: str | None,
                total: int | None) -> list[int] | None:
    """A near page of a filter whose words match many rows, or None when this way does not apply or did not
    fill the page."""
    if not f.text or total is None or limit <= 0 or offset + limit > PROBES // 4:
        return None
    everything = store.conn.execute("SELECT coalesce(sum(n), 0) FROM notification_counts").fetchone()[0]
    if not everything or total / everything < DENSE or total < offset + limit:
        return None
    where, params = _where(store, replace(f, text=""))
    after, start = ("AND n.sort_key > ?", [after_key]) if after_key is not None else ("", [])
    # How far PROBES rows reach in triage order: the page is looked for up to there, the index read in order.
    bound = store.conn.execute(f"SELECT n.sort_key FROM notifications n WHERE {where} {after} ORDER BY n.sort_key "
                               "LIMIT 1 OFFSET ?", [*params, *start, PROBES]).fetchone()
    upto, end = ("AND n.sort_key <= ?", [bound[0]]) if bound is not None else ("", [])
    sql = (f"SELECT n.id FROM notifications n WHERE {where} {after} {upto} AND EXISTS (SELECT 1 FROM notifications_fts t "
           "WHERE notifications_fts MATCH ? AND t.rowid = n.id) ORDER BY n.sort_key LIMIT ? OFFSET ?")
    skip = 0 if after_key is not None else offset
    found = _run_filtered(store, sql, [*params, *start, *end, f.text, limit, skip], f)
    return [r["id"] for r in found] if len(found) == limit else None


def _counted(store: Store, f: Filter) -> tuple[int, int] | None:
    """(rows, unread rows) from the counters (schema step m015), when the filter is only accounts, statuses and
    marketplaces (the sidebar's choices, `status:`, `marketplace:`); None when it needs the notifications."""
    if replace(f, account_ids=None, unassigned=False, statuses=[], marketplaces=[]) != Filter():
        return None  # anything else the filter says (words, fates, due:, owner:, ...) is the notifications' to tell
    clauses, params = ["a.archived IS NOT 1"], []
    if f.unassigned:
        clauses.append("c.account_id = 0")
    if f.account_ids is not None:
        clauses.append(f"c.account_id IN ({','.join('?' * len(f.account_ids)) or 'NULL'})")
        params.extend(f.account_ids)
    for column, values in (("c.status", f.statuses), ("c.marketplace", f.marketplaces)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    row = store.conn.execute(
        "SELECT coalesce(sum(c.n), 0), coalesce(sum(CASE WHEN c.status = 'new' THEN c.n END), 0) "
        "FROM notification_counts c LEFT JOIN accounts a ON a.id = c.account_id "
        f"WHERE {' AND '.join(clauses)}", params).fetchone()
    return row[0], row[1]


def count(store: Store, f: Filter, unread: bool = True) -> tuple[int, int | None]:
    """(rows, unread rows) matching the filter; `unread=False`: (rows, None), which with words is one pass over
    the full-text index instead of two (the list shows how many rows; only next-unread asks how many unread)."""
    counted = _counted(store, f)
    if counted is not None:  # a few hundred counters, however many notifications
        return counted
    if f.text and _where(store, replace(f, text=""))[0] == "1":
        # Words alone (the common filter): the full-text index counts its own matches (one row each, kept in
        # step by triggers), and the unread ones are the 'new' range of the status index tested against them.
        match = "SELECT rowid FROM notifications_fts WHERE notifications_fts MATCH ?"
        total = _run_filtered(store, f"SELECT count(*) AS n FROM ({match})", [f.text], f)[0]["n"]
        if not unread:
            return total, None
        new = _run_filtered(
            store, "SELECT count(*) AS n FROM notifications n INDEXED BY notifications_status "
                   f"WHERE n.status = 'new' AND +n.id IN ({match})", [f.text], f)[0]["n"]
        return total, new
    where, params = _where(store, f, counting=True)
    if f.text:  # one pass over the full-text matches
        sql = f"SELECT count(*) AS n, coalesce(sum(n.status = 'new'), 0) AS unread FROM notifications n WHERE {where}"
        row = _run_filtered(store, sql, params, f)[0]
        return row["n"], row["unread"]
    # Two index reads instead of one scan: the count walks the narrow status index, the unread count is
    # a range of it (at 100k rows: well under a millisecond each, against 10 ms for the scan).
    total = _run_filtered(store, f"SELECT count(*) AS n FROM notifications n WHERE {where}", params, f)[0]["n"]
    if not unread:
        return total, None
    new = _run_filtered(store, f"SELECT count(*) AS n FROM notifications n WHERE {where} AND n.status = 'new'",
                        params, f)[0]["n"]
    return total, new


# Words with other conditions ("safety status:open"): the rows matching both are counted by testing every
# word match (or every row of the status) against the other side, 0.2 s at 1M for 81,000 matches. Up to this
# many word matches that is quick enough to do at once; past it, `count_or_bound` tells a lower bound from
# the first BOUND rows in triage order (what the list shows first), and the exact count is for another thread.
QUICK_MATCHES = 10_000
BOUND = 1000


def count_or_bound(store: Store, f: Filter) -> tuple[int, bool]:
    """(rows, exact): the filter's row count when it is quick to tell, else (how many of the first BOUND rows
    in triage order match, False): a lower bound, from the same plan as the list's first page (25 ms at 1M
    for "safety status:open", against 200 ms for its exact count)."""
    if not f.text or _counted(store, f) is not None or _where(store, replace(f, text=""))[0] == "1":
        return count(store, f, unread=False)[0], True
    match = "SELECT rowid FROM notifications_fts WHERE notifications_fts MATCH ?"
    matches = _run_filtered(store, f"SELECT count(*) AS n FROM ({match})", [f.text], f)[0]["n"]
    if matches <= QUICK_MATCHES:
        return count(store, f, unread=False)[0], True
    where, params = _where(store, f)
    found = _run_filtered(store, f"SELECT count(*) AS n FROM (SELECT 1 FROM notifications n WHERE {where} "
                                 "ORDER BY n.sort_key LIMIT ?)", [*params, BOUND], f)[0]["n"]
    return found, found < BOUND


def count_quietly(store: Store, f: Filter) -> int | None:
    """The filter's exact row count, or None when it was interrupted (a newer filter) or could not be told:
    for a count on a thread, where an error has no one to tell it to."""
    try:
        return count(store, f, unread=False)[0]
    except (sqlite3.Error, FilterError, StoreError):
        return None


def check_words(store: Store, f: Filter) -> None:
    """Raise FilterError when the full-text index cannot read the filter's words (one match asked for)."""
    if f.text:
        _run_filtered(store, "SELECT rowid FROM notifications_fts WHERE notifications_fts MATCH ? LIMIT 1",
                      [f.text], f)


def overdue_total(store: Store, now: datetime) -> int:
    """Open notifications past their deadline, in every account but the archived ones: the dated open
    counters (schema step m015) less the deadlines still ahead (a range of the open-due index)."""
    archived = [r["id"] for r in store.rows("SELECT id FROM accounts WHERE archived = 1")]
    marks = ",".join("?" * len(archived))
    skip_counts = f"AND account_id NOT IN ({marks})" if archived else ""
    skip = f"AND (account_id IS NULL OR account_id NOT IN ({marks}))" if archived else ""
    dated = store.conn.execute(
        "SELECT coalesce(sum(n), 0) FROM notification_counts WHERE status NOT IN ('resolved', 'dismissed') "
        f"AND dated = 1 {skip_counts}", archived).fetchone()[0]
    ahead = store.conn.execute(
        "SELECT count(*) FROM notifications INDEXED BY notifications_open_due "
        "WHERE status NOT IN ('resolved', 'dismissed') AND deadline_at IS NOT NULL AND deadline_at >= ? " + skip,
        (to_iso(now), *archived)).fetchone()[0]
    return dated - ahead


def position_of(store: Store, f: Filter, nid: int) -> int | None:
    """Where notification nid sits in the filtered triage order (None if it does not exist)."""
    target = store.rows("SELECT sort_key FROM notifications WHERE id = ?", (nid,))
    if not target:
        return None
    where, params = _where(store, f)
    sql = f"SELECT count(*) AS before FROM notifications n WHERE {where} AND n.sort_key < ?"
    return _run_filtered(store, sql, [*params, target[0]["sort_key"]], f)[0]["before"]


def unread_counts(store: Store) -> dict[tuple[int, str], int]:
    """Unread notifications per (account id, marketplace), archived accounts left out: the counters."""
    rows = store.rows(
        "SELECT nullif(c.account_id, 0) AS account_id, nullif(c.marketplace, '') AS marketplace, sum(c.n) AS unread "
        "FROM notification_counts c LEFT JOIN accounts a ON a.id = c.account_id "
        "WHERE c.status = 'new' AND coalesce(a.archived, 0) = 0 GROUP BY c.account_id, c.marketplace "
        "HAVING sum(c.n) > 0"
    )
    return {(r["account_id"], r["marketplace"]): r["unread"] for r in rows}


def account_states(store: Store) -> dict[int, str]:
    """Each account's state in words, for the accounts that have one (console/store/reads.py)."""
    from console.store import reads

    return reads.account_states(store.conn)


def status_summary(store: Store, now: datetime) -> list[dict[str, Any]]:
    """Per active account: unread, open, due within 24 h, overdue (console/store/reads.py, shared with the
    quick `flagdesk status`)."""
    from console.store import reads

    return reads.status_summary(store.conn, now)


# --- changes ------------------------------------------------------------------------------


def _who_changed(store: Store, nid: int) -> str:
    last = store.last_change("notifications", nid)
    return f" by {last['who']} at {last['at']}" if last else ""


def mark_read(store: Store, nid: int) -> bool:
    """new → read as one conditional UPDATE; False when it was not unread (nothing changed)."""
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE notifications SET status = 'read', version = version + 1, updated_at = ? "
            "WHERE id = ? AND status = 'new'",
            (store.now_iso(), nid),
        )
        if cur.rowcount:
            store.audit("notification.status", "notifications", nid, {"status": ["new", "read"]})
    return bool(cur.rowcount)


def set_status(store: Store, nid: int, status: Status | str, expected_version: int | None = None) -> Notification:
    """Move a notification to another status; refuses if someone changed it since expected_version."""
    status = Status(status)
    with store.write() as conn:
        row = conn.execute("SELECT status, version FROM notifications WHERE id = ?", (nid,)).fetchone()
        if not row:
            raise NotFoundError(f"no notification with id {nid}")
        old, version = row
        if expected_version is not None and version != expected_version:
            raise ConflictError(
                f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; "
                "nothing was saved — look again and retry"
            )
        if old != status.value:
            conn.execute(
                "UPDATE notifications SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (status.value, store.now_iso(), nid),
            )
            store.audit("notification.status", "notifications", nid, {"status": [old, status.value]})
    return get_notification(store, nid)


def open_by_external_prefix(store: Store, source: str, prefix: str) -> list[int]:
    """The open notifications of `source` whose external id starts with `prefix`, oldest first."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [r[0] for r in store.conn.execute(
        "SELECT id FROM notifications WHERE source = ? AND external_id LIKE ? ESCAPE '\\' "
        "AND status NOT IN ('resolved', 'dismissed') ORDER BY id", (source, pattern))]


def resolve_reported(store: Store, nid: int, reason: str) -> bool:
    """Resolve an open notification because the source that reported it says it is over (an import: a listing's
    issues cleared, an account status back to normal), inside the caller's transaction. The version goes up,
    so an operator's edit begun before it is refused, not lost; the audit row gives the reason. False when the
    notification is closed already."""
    with store.write() as conn:
        row = conn.execute("SELECT status FROM notifications WHERE id = ?", (nid,)).fetchone()
        if not row or Status(row[0]).closed:
            return False
        conn.execute("UPDATE notifications SET status = 'resolved', version = version + 1, updated_at = ? WHERE id = ?",
                     (store.now_iso(), nid))
        store.audit("notification.status", "notifications", nid,
                    {"status": [row[0], Status.RESOLVED.value], "reason": one_line(reason, 300)})
    return True


EDITABLE = ("subject", "category", "severity", "policy", "complaint_id", "deadline_at", "action_taken",
            "assignee", "marketplace")


def update_notification(store: Store, nid: int, expected_version: int, changes: dict[str, Any]) -> Notification:
    """Edit fields with an optimistic version check; the audit row keeps old and new values."""
    unknown = set(changes) - set(EDITABLE) - {"asins", "skus", "order_ids"}
    if unknown:
        raise StoreError(f"cannot edit {', '.join(sorted(unknown))}")
    with store.write() as conn:
        current = conn.execute("SELECT * FROM notifications WHERE id = ?", (nid,)).fetchone()
        if current is None:
            raise NotFoundError(f"no notification with id {nid}")
        cols = [d[0] for d in conn.execute("SELECT * FROM notifications LIMIT 0").description]
        old = dict(zip(cols, current))
        if old["version"] != expected_version:
            raise ConflictError(
                f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; nothing was saved"
            )
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("asins", "skus", "order_ids"):
                value = _json_list(value)
            elif key == "deadline_at" and isinstance(value, datetime):
                value = to_iso(value)
            elif key == "severity":
                value = Severity(value).value
            elif isinstance(value, str):
                value = one_line(value, 300) or None
            if old[key] != value:
                values[key] = value
        if values:
            corrected = sorted(set(json.loads(old.get("corrected") or "[]")) | (set(values) & set(CORRECTABLE)))
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(
                f"UPDATE notifications SET {sets}, corrected = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (*values.values(), json.dumps(corrected), store.now_iso(), nid),
            )
            store.audit("notification.edit", "notifications", nid, {k: [old[k], v] for k, v in values.items()})
    return get_notification(store, nid)


# The fields a reading decides, which an operator may set instead (kept when notices are read again).
CORRECTABLE = ("category", "cause", "severity", "deadline_at", "policy")


def correct(store: Store, nid: int, expected_version: int | None, changes: dict[str, str], reason: str = "",
            reset: bool = False) -> Notification:
    """An operator's correction of a reading: the fate (`category`), cause or severity set by hand, audited
    as `notification.correct` with the old and new values and the reason, and listed in `corrected` so that
    no reading changes them again. `reset`: hand those fields back to the rules (the next reread sets them)."""
    unknown = set(changes) - {"category", "cause", "severity"}
    if unknown:
        raise StoreError(f"cannot correct {', '.join(sorted(unknown))}")
    if "severity" in changes:
        try:
            changes = {**changes, "severity": Severity(changes["severity"]).value}
        except ValueError:
            raise StoreError(f"unknown severity '{one_line(changes['severity'], 20)}' "
                             "(use critical, high, medium, low)") from None
    with store.write() as conn:
        row = conn.execute("SELECT category, cause, severity, corrected, version FROM notifications WHERE id = ?",
                           (nid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no notification with id {nid}")
        old = dict(zip(("category", "cause", "severity"), row[:3]))
        corrected, version = set(json.loads(row[3] or "[]")), row[4]
        if expected_version is not None and version != expected_version:
            raise ConflictError(f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; "
                                "nothing was saved — look again and retry")
        values = {k: v for k, v in changes.items() if old[k] != v}
        detail: dict[str, Any] = {k: [old[k], v] for k, v in values.items()}
        now_corrected = (corrected - {"category", "cause", "severity"}) if reset else corrected | set(changes)
        if not values and now_corrected == corrected:
            return get_notification(store, nid)
        if reset:
            detail["reset"] = sorted(corrected - now_corrected)
        if reason:
            detail["reason"] = one_line(reason, 300)
        sets = "".join(f"{k} = ?, " for k in values)
        conn.execute(f"UPDATE notifications SET {sets}corrected = ?, version = version + 1, updated_at = ? "
                     "WHERE id = ?", (*values.values(), json.dumps(sorted(now_corrected)), store.now_iso(), nid))
        store.audit("notification.correct", "notifications", nid, detail)
    return get_notification(store, nid)


def assign(store: Store, nid: int, account_id: int, marketplace: str, expected_version: int) -> Notification:
    """File a notification under an account (an unassigned import, or one filed under the wrong account)."""
    with store.write() as conn:
        row = conn.execute("SELECT account_id, marketplace, version FROM notifications WHERE id = ?", (nid,)).fetchone()
        if not row:
            raise NotFoundError(f"no notification with id {nid}")
        old_account, old_mp, version = row
        if version != expected_version:
            raise ConflictError(f"notification {nid} was changed{_who_changed(store, nid)} since you loaded it; "
                                "nothing was saved")
        if not conn.execute("SELECT 1 FROM account_marketplaces WHERE account_id = ? AND marketplace = ?",
                            (account_id, marketplace)).fetchone():
            raise StoreError(f"that account does not sell in marketplace '{one_line(marketplace, 10)}'")
        conn.execute("UPDATE notifications SET account_id = ?, marketplace = ?, version = version + 1, updated_at = ? "
                     "WHERE id = ?", (account_id, marketplace, store.now_iso(), nid))
        store.audit("notification.assign", "notifications", nid,
                    {"account_id": [old_account, account_id], "marketplace": [old_mp, marketplace]})
    return get_notification(store, nid)


def as_json(n: Notification) -> dict[str, Any]:
    """The JSON shape of `flagdesk list/show --json` (field names from the issue)."""
    return {
        "id": n.id, "account": n.account, "marketplace": n.marketplace, "marketplace_listed": n.marketplace_listed,
        "received_at": to_iso(n.received_at),
        "subject": n.subject, "body": n.body, "category": n.category, "fate": n.category, "cause": n.cause,
        "severity": n.severity.value, "why": n.why, "corrected": n.corrected,
        "status": n.status.value, "policy": n.policy, "asins": n.asins, "skus": n.skus, "order_ids": n.order_ids,
        "complaint_id": n.complaint_id, "deadline_at": to_iso(n.deadline_at) if n.deadline_at else None,
        "action_taken": n.action_taken, "source": n.source, "external_id": n.external_id,
        "assignee": n.assignee, "assignee_os": n.assignee_os, "version": n.version,
        "appeal_button": {"used": n.appeal_button_used_at is not None,
                          "used_at": to_iso(n.appeal_button_used_at) if n.appeal_button_used_at else None,
                          "used_by": n.appeal_button_used_by},
    }


def find_duplicate(store: Store, new: NewNotification) -> tuple[int, Any, str] | None:
    """A stored notification that is the same notice as `new` (console/core/dedupe.py): (id, received_at,
    why), or None. Candidates are the account's notifications with the same subject, or with the same
    complaint ID in the same marketplace; their content is compared in full."""
    from console.core.dedupe import content_key, subject_key

    subject = one_line(new.subject, 300) or "(no subject)"
    key = content_key(subject, clean(new.body))
    complaint = one_line(new.complaint_id, 80) or None
    rows = store.conn.execute(
        "SELECT id, received_at, subject, body, complaint_id, marketplace FROM notifications "
        "WHERE account_id IS ? AND (lower(subject) IN (?, ?) OR lower(subject) LIKE ? "
        "OR (complaint_id IS NOT NULL AND complaint_id = ? AND marketplace IS ?)) ORDER BY id",
        (new.account_id, subject.lower(), subject_key(subject), f"%{subject_key(subject)}", complaint,
         new.marketplace),
    ).fetchall()
    for nid, received, old_subject, old_body, old_complaint, marketplace in rows:
        if complaint and old_complaint == complaint and marketplace == new.marketplace:
            return nid, parse_iso(received), f"complaint ID {complaint}"
        if content_key(old_subject, old_body) == key:
            return nid, parse_iso(received), "the same text"
    return None


def unassigned_counts(store: Store) -> tuple[int, int]:
    """Notifications filed under no account (an import could not tell whose): (all, unread)."""
    row = store.conn.execute("SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN status = 'new' THEN n END), 0) "
                             "FROM notification_counts WHERE account_id = 0").fetchone()
    return row[0], row[1]
