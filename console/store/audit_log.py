"""Reading the audit log: filtered pages (keyset by id, newest first), one row's history, human summaries.

The `audit` table (db.py m001) is append-only and names a table and a row; which seller account a row
belongs to is found through that table: a notification's `account_id`, an appeal's notification, a
case's `account_id`, an accounts row itself. Tables added later are mapped the same way when they carry
an `account_id` or a `notification_id` column. Rows such as a backup or the demo seed belong to no
account. Everything here only reads; `describe` turns a row's JSON detail into one line for the CLI and
the console (cleaned: the detail may quote email subjects).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from console.core.audit import DEFAULT_LIMIT, AuditEntry
from console.core.clock import parse_iso
from console.store.db import Store

# For each audited table: rows (id, account_id, marketplace, parent) of that table, so that an audit row can
# be mapped to its account, and the account filter is an index lookup per table.
_OWNERS: dict[str, str] = {
    "accounts": "SELECT id, id AS account_id, NULL AS marketplace, NULL AS parent FROM accounts",
    "notifications": "SELECT id, account_id, marketplace, NULL AS parent FROM notifications",
    "appeals": ("SELECT ap.id AS id, n.account_id AS account_id, n.marketplace AS marketplace, "
                "'notification #' || ap.notification_id AS parent "
                "FROM appeals ap JOIN notifications n ON n.id = ap.notification_id"),
    "cases": ("SELECT id, account_id, marketplace, "
              "CASE WHEN notification_id IS NOT NULL THEN 'notification #' || notification_id END AS parent "
              "FROM cases"),
    "case_entries": ("SELECT e.id AS id, c.account_id AS account_id, c.marketplace AS marketplace, "
                     "'case #' || e.case_id AS parent FROM case_entries e JOIN cases c ON c.id = e.case_id"),
    "health_snapshots": "SELECT id, account_id, marketplace, NULL AS parent FROM health_snapshots",
    "account_status_history": "SELECT id, account_id, marketplace, NULL AS parent FROM account_status_history",
}

# --- filters ---------------------------------------------------------------------------------


def _tables(store: Store) -> set[str]:
    return {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(store: Store, table: str) -> set[str]:
    return {r["name"] for r in store.rows(f"SELECT name FROM pragma_table_info('{table}')")}


def _owner_sql(store: Store, table: str) -> str | None:
    """The (id, account_id, marketplace, parent) rows of a table, or None when it belongs to no account."""
    if table in _OWNERS:
        return _OWNERS[table]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table) or table not in _tables(store):
        return None
    cols = _columns(store, table)
    if "id" not in cols:
        return None
    market = "marketplace" if "marketplace" in cols else "NULL"
    if "account_id" in cols:
        return f"SELECT id, account_id, {market} AS marketplace, NULL AS parent FROM \"{table}\""
    if "notification_id" in cols:
        return (f"SELECT t.id AS id, n.account_id AS account_id, n.marketplace AS marketplace, "
                f"'notification #' || t.notification_id AS parent "
                f"FROM \"{table}\" t JOIN notifications n ON n.id = t.notification_id")
    return None


def _account_tables(store: Store) -> list[str]:
    """Tables whose rows belong to an account (the ones above, and later ones with an account column)."""
    names = sorted(_tables(store) - {"audit"})
    return [t for t in names if not t.startswith(("sqlite_", "_")) and _owner_sql(store, t) is not None]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(store: Store, since: datetime | None, account_id: int | None, table: str | None, row_id: int | None,
           actor: str | None, words: list[str] | None, action: str | None) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if since is not None:
        # Ids follow time closely but not exactly (clocks of several machines): the id bound lets SQLite walk
        # the primary key from the newest row down to the first that can match, the time test stays exact.
        clauses.append("a.at >= :since AND a.id >= coalesce((SELECT min(id + 0) FROM audit WHERE at >= :since), "
                       "9223372036854775807)")
        params["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if table is not None:
        clauses.append("a.table_name = :table")
        params["table"] = table
    if row_id is not None:
        clauses.append("a.row_id = :row_id")
        params["row_id"] = row_id
    if actor is not None:  # a display name or an OS user
        clauses.append("(a.actor = :actor OR a.os_user = :actor)")
        params["actor"] = actor
    if action is not None:
        clauses.append("(a.action = :action OR a.action LIKE :action_prefix ESCAPE '\\')")
        params["action"] = action
        params["action_prefix"] = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%"
    if account_id is not None:
        params["account"] = account_id
        terms = []
        for i, name in enumerate(t for t in _account_tables(store) if table is None or t == table):
            sql = _owner_sql(store, name)
            if sql is None:
                continue
            params[f"t{i}"] = name
            terms.append(f"(a.table_name = :t{i} AND a.row_id IN (SELECT id FROM ({sql}) WHERE account_id = :account))")
        clauses.append("(" + " OR ".join(terms) + ")" if terms else "0")
    for i, word in enumerate(words or []):
        params[f"w{i}"] = _like(word)
        clauses.append(f"(a.action LIKE :w{i} ESCAPE '\\' OR a.detail LIKE :w{i} ESCAPE '\\' "
                       f"OR a.actor LIKE :w{i} ESCAPE '\\' OR a.table_name LIKE :w{i} ESCAPE '\\')")
    return clauses, params


def query(store: Store, since: datetime | None = None, account_id: int | None = None, table: str | None = None,
          row_id: int | None = None, actor: str | None = None, limit: int = DEFAULT_LIMIT,
          before_id: int | None = None, *, words: list[str] | None = None, action: str | None = None,
          offset: int = 0) -> list[AuditEntry]:
    """Audit rows newest first. Page on with `before_id` = the last id of the previous page (keyset);
    `offset` is only for a jump (the console's last page). `limit` 0 or below: all of them.
    `words` must each appear in the action, actor, table or detail; `action` matches it or its family
    ("case" matches case.open, case.status...)."""
    clauses, params = _where(store, since, account_id, table, row_id, actor, words, action)
    if before_id is not None:
        clauses.append("a.id < :before")
        params["before"] = before_id
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params["limit"] = limit if limit > 0 else -1
    params["offset"] = max(offset, 0) if before_id is None else 0
    rows = store.rows(f"SELECT a.* FROM audit a {where} ORDER BY a.id DESC LIMIT :limit OFFSET :offset", params)
    return annotate(store, rows)


def count(store: Store, since: datetime | None = None, account_id: int | None = None, table: str | None = None,
          row_id: int | None = None, actor: str | None = None, *, words: list[str] | None = None,
          action: str | None = None) -> int:
    clauses, params = _where(store, since, account_id, table, row_id, actor, words, action)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return store.rows(f"SELECT count(*) AS n FROM audit a {where}", params)[0]["n"]


def history(store: Store, table: str, row_id: int) -> list[AuditEntry]:
    """One row's audit trail, oldest first. A notification's includes its appeals' and its cases' rows."""
    params: dict[str, Any] = {"table": table, "row": row_id}
    sql = "SELECT a.* FROM audit a WHERE a.table_name = :table AND a.row_id = :row"
    if table == "notifications":
        sql += (" UNION ALL SELECT a.* FROM audit a WHERE a.table_name = 'appeals' AND a.row_id IN "
                "(SELECT id FROM appeals WHERE notification_id = :row)"
                " UNION ALL SELECT a.* FROM audit a WHERE a.table_name = 'cases' AND a.row_id IN "
                "(SELECT id FROM cases WHERE notification_id = :row)")
    return annotate(store, store.rows(f"SELECT * FROM ({sql}) ORDER BY id", params))


def get(store: Store, entry_id: int) -> AuditEntry | None:
    rows = store.rows("SELECT a.* FROM audit a WHERE a.id = ?", (entry_id,))
    return annotate(store, rows)[0] if rows else None


def actors(store: Store) -> list[str]:
    return [r["actor"] for r in store.rows("SELECT DISTINCT actor FROM audit ORDER BY actor")]


# --- mapping rows to accounts ------------------------------------------------------------------


def _detail(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"raw": text}
    return value if isinstance(value, dict) else {"value": value}


def annotate(store: Store, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Audit rows as entries carrying their account, marketplace and parent (a few queries per page), and
    whether their OS user is a shared account (console/store/identity.py)."""
    from console.store.identity import shared_os_users

    shared = shared_os_users(store) if rows else frozenset()
    entries = []
    for r in rows:
        try:
            at = parse_iso(r["at"])
        except (ValueError, TypeError):
            at = datetime.fromtimestamp(0, UTC)
        os_user = r.get("os_user")
        entries.append(AuditEntry(id=r["id"], at=at, actor=r["actor"], action=r["action"], table=r["table_name"],
                                  row_id=r["row_id"], detail=_detail(r["detail"]), os_user=os_user,
                                  shared=os_user is not None and os_user in shared))
    by_table: dict[str, list[AuditEntry]] = {}
    for e in entries:
        if e.row_id is not None:
            by_table.setdefault(e.table, []).append(e)
    for table, group in by_table.items():
        sql = _owner_sql(store, table)
        if sql is None:
            continue
        ids = sorted({e.row_id for e in group})
        owners = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for o in store.rows(f"SELECT * FROM ({sql}) WHERE id IN ({marks})", chunk):
                owners[o["id"]] = o
        for e in group:
            o = owners.get(e.row_id)
            if o:
                e.account_id, e.marketplace, e.parent = o["account_id"], o["marketplace"], o["parent"]
    for e in entries:  # a row since deleted, or one that names its account in the detail
        if e.account_id is None and isinstance(e.detail.get("account_id"), int):
            e.account_id = e.detail["account_id"]
    wanted = {e.account_id for e in entries if e.account_id is not None}
    for e in entries:
        ids = e.detail.get("account_id")
        if isinstance(ids, list):
            wanted.update(i for i in ids if isinstance(i, int))
    names: dict[int, str] = {}
    if wanted:
        ordered = sorted(wanted)
        marks = ",".join("?" * len(ordered))
        names = {r["id"]: r["name"] for r in store.rows(f"SELECT id, name FROM accounts WHERE id IN ({marks})",
                                                         ordered)}
    for e in entries:
        e.account = names.get(e.account_id) if e.account_id is not None else None
        e.names = names
    return entries


