"""Accounts: seller accounts with their marketplaces and the addresses their notices go to."""

from __future__ import annotations

import re

from console.core.model import MARKETPLACES, Account
from console.core.names import name_problem
from console.core.textsafe import one_line
from console.store.db import ConflictError, NotFoundError, Store, StoreError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MARKETPLACE = re.compile(r"^[A-Z]{2,3}$")


def _normalise_marketplaces(marketplaces: list[str]) -> list[str]:
    seen: list[str] = []
    for mp in marketplaces:
        code = mp.strip().upper()
        if code == "GB":
            code = "UK"
        if not _MARKETPLACE.match(code):
            raise StoreError(f"marketplace '{one_line(mp, 40)}' is not a marketplace code like US, UK, DE")
        if code not in seen:
            seen.append(code)
    return seen


def _load(store: Store, where: str, params: tuple) -> list[Account]:
    rows = store.rows(f"SELECT * FROM accounts WHERE {where} ORDER BY name COLLATE NOCASE", params)
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    mps: dict[int, list[str]] = {i: [] for i in ids}
    for r in store.rows(
        f"SELECT account_id, marketplace FROM account_marketplaces WHERE account_id IN ({marks}) "
        "ORDER BY position, marketplace",
        ids,
    ):
        mps[r["account_id"]].append(r["marketplace"])
    emails: dict[int, list[str]] = {i: [] for i in ids}
    for r in store.rows(
        f"SELECT account_id, email FROM account_emails WHERE account_id IN ({marks}) ORDER BY email", ids
    ):
        emails[r["account_id"]].append(r["email"])
    return [
        Account(r["id"], r["name"], mps[r["id"]], emails[r["id"]], r["seller_id"], bool(r["archived"]), r["version"])
        for r in rows
    ]


def list_accounts(store: Store, include_archived: bool = False) -> list[Account]:
    return _load(store, "1" if include_archived else "archived = 0", ())


def get_account(store: Store, name: str) -> Account:
    """The account with this name (any case); a one-line error lists the known ones."""
    found = _load(store, "name = ? COLLATE NOCASE", (name.strip(),))
    if found:
        return found[0]
    known = ", ".join(a.name for a in list_accounts(store)) or "none yet: add one with `flagdesk accounts add`"
    raise NotFoundError(f"unknown account '{one_line(name, 60)}' (known: {known})")


def get_account_by_id(store: Store, account_id: int) -> Account:
    found = _load(store, "id = ?", (account_id,))
    if not found:
        raise NotFoundError(f"no account with id {account_id}")
    return found[0]


def add_account(
    store: Store,
    name: str,
    marketplaces: list[str],
    emails: list[str] | None = None,
    seller_id: str | None = None,
) -> Account:
    problem = name_problem(name, "the account name")
    if problem:
        raise StoreError(problem)
    name = name.strip()
    mps = _normalise_marketplaces(marketplaces)
    if not mps:
        raise StoreError("an account needs at least one marketplace (--marketplace US)")
    unique: dict[str, str] = {}
    for e in emails or []:
        unique.setdefault(e.strip().lower(), e.strip())  # the same address twice, in any case, once
    emails = [e for e in unique.values() if e]
    for email in emails:
        if not _EMAIL.match(email):
            raise StoreError(f"'{one_line(email, 80)}' is not an email address")
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM accounts WHERE name = ? COLLATE NOCASE", (name,)).fetchone():
            raise StoreError(f"an account named '{name}' already exists")
        for email in emails:
            owner = conn.execute(
                "SELECT a.name FROM account_emails e JOIN accounts a ON a.id = e.account_id WHERE e.email = ?",
                (email,),
            ).fetchone()
            if owner:
                raise StoreError(f"{email} already belongs to account '{owner[0]}'")
        cur = conn.execute(
            "INSERT INTO accounts (name, seller_id, created_at) VALUES (?, ?, ?)",
            (name, seller_id or None, store.now_iso()),
        )
        account_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO account_marketplaces (account_id, marketplace, position) VALUES (?, ?, ?)",
            [(account_id, mp, i) for i, mp in enumerate(mps)],
        )
        conn.executemany(
            "INSERT INTO account_emails (email, account_id) VALUES (?, ?)", [(e, account_id) for e in emails]
        )
        store.audit(
            "account.add", "accounts", account_id,
            {"name": name, "marketplaces": mps, "emails": emails, "seller_id": seller_id},
        )
    return get_account_by_id(store, account_id)


def _update(store: Store, account: Account, changes: dict, action: str) -> Account:
    sets = ", ".join(f"{k} = ?" for k in changes)
    with store.write() as conn:
        cur = conn.execute(
            f"UPDATE accounts SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
            (*changes.values(), account.id, account.version),
        )
        if cur.rowcount != 1:
            raise ConflictError(f"account '{account.name}' was changed by another session; nothing was saved")
        store.audit(action, "accounts", account.id, changes)
    return get_account_by_id(store, account.id)


def rename_account(store: Store, name: str, new_name: str) -> Account:
    problem = name_problem(new_name, "the new name")
    if problem:
        raise StoreError(problem)
    new_name = new_name.strip()
    account = get_account(store, name)
    other = store.rows("SELECT id FROM accounts WHERE name = ? COLLATE NOCASE", (new_name,))
    if other and other[0]["id"] != account.id:
        raise StoreError(f"an account named '{new_name}' already exists")
    return _update(store, account, {"name": new_name}, "account.rename")


def archive_account(store: Store, name: str, archived: bool = True) -> Account:
    account = get_account(store, name)
    return _update(store, account, {"archived": int(archived)}, "account.archive" if archived else "account.unarchive")


def add_marketplaces(store: Store, name: str, marketplaces: list[str]) -> tuple[Account, list[str], dict[str, int]]:
    """Add marketplaces to an account (known Amazon codes only; audited): (the account, the codes added, how
    many notices and health snapshots were filed under them while the account did not list them)."""
    account = get_account(store, name)
    codes = _normalise_marketplaces(marketplaces)
    if not codes:
        raise StoreError("name a marketplace to add, e.g. CA")
    unknown = [c for c in codes if c not in MARKETPLACES]
    if unknown:
        raise StoreError(f"'{unknown[0]}' is not an Amazon marketplace code (known: {', '.join(MARKETPLACES)})")
    added = [c for c in codes if c not in account.marketplaces]
    counts = {"notices": 0, "snapshots": 0}
    if not added:
        return account, [], counts
    marks = ",".join("?" * len(added))
    with store.write() as conn:
        cur = conn.execute("UPDATE accounts SET version = version + 1 WHERE id = ? AND version = ?",
                           (account.id, account.version))
        if cur.rowcount != 1:
            raise ConflictError(f"account '{account.name}' was changed by another session; nothing was saved")
        counts["notices"] = conn.execute(f"SELECT count(*) FROM notifications WHERE account_id = ? AND marketplace "
                                         f"IN ({marks})", (account.id, *added)).fetchone()[0]
        counts["snapshots"] = conn.execute(f"SELECT count(*) FROM health_snapshots WHERE account_id = ? AND "
                                           f"marketplace IN ({marks})", (account.id, *added)).fetchone()[0]
        start = len(account.marketplaces)
        conn.executemany("INSERT INTO account_marketplaces (account_id, marketplace, position) VALUES (?, ?, ?)",
                         [(account.id, code, start + i) for i, code in enumerate(added)])
        store.audit("account.marketplaces", "accounts", account.id,
                    {"name": account.name, "added": added, "marketplaces": account.marketplaces + added})
    return get_account_by_id(store, account.id), added, counts


def find_by_email(store: Store, address: str) -> Account | None:
    row = store.rows("SELECT account_id FROM account_emails WHERE email = ?", (address.strip(),))
    return get_account_by_id(store, row[0]["account_id"]) if row else None
