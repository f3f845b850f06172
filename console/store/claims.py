"""Claims and presence: who owns a notification, and who is looking at what right now.

A claim is the notification's `assignee`. Claiming is one conditional UPDATE, so when two
operators race for the same notification exactly one wins and the other is told who did.
Presence is a heartbeat row per (kind, ref, actor) that expires; it changes no content, so it
is not audited (claims are).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.core.clock import to_iso
from console.core.identity import same, who
from console.core.model import Notification
from console.store.db import ConflictError, NotFoundError, Store
from console.store.notifications import get_notification

PRESENCE_TTL = timedelta(seconds=90)  # a session that stops beating is gone after this long
HEARTBEAT_S = 30.0


def _owner(conn, nid: int) -> tuple[str | None, str | None, str | None]:
    """(assignee, its OS user, claimed_at) of notification nid."""
    row = conn.execute("SELECT assignee, assignee_os, claimed_at FROM notifications WHERE id = ?", (nid,)).fetchone()
    if row is None:
        raise NotFoundError(f"no notification with id {nid}")
    return row[0], row[1], row[2]


def _since(claimed_at: str | None) -> str:
    return f" since {claimed_at[:16].replace('T', ' ')} UTC" if claimed_at else ""


def _holder(store: Store, owner: str, owner_os: str | None) -> str:
    from console.store.identity import shared_os_users

    return who(owner, owner_os, owner_os is not None and owner_os in shared_os_users(store))


def claim(store: Store, nid: int, take_over_from: str | None = None) -> Notification:
    """Claim notification nid for this operator (display name and OS user).

    Unclaimed: it becomes ours. Ours already (the same OS user and name): nothing changes. Someone else's —
    another OS user, whatever name they declare — is refused with a ConflictError naming them, unless
    take_over_from names that same owner, which takes it over (still conditional: if it changed hands
    meanwhile, the take-over is refused too).
    """
    me, my_os = store.actor, store.os_user
    with store.write() as conn:
        owner, owner_os, claimed_at = _owner(conn, nid)
        if owner is not None and same(owner, owner_os, me, my_os):
            return get_notification(store, nid)
        expected = take_over_from if take_over_from is not None else None
        if owner is not None and owner != expected:
            raise ConflictError(f"#{nid} is already claimed by {_holder(store, owner, owner_os)}{_since(claimed_at)}")
        now = store.now_iso()
        if owner is None:
            cur = conn.execute(
                "UPDATE notifications SET assignee = ?, assignee_os = ?, claimed_at = ?, version = version + 1, "
                "updated_at = ? WHERE id = ? AND assignee IS NULL", (me, my_os, now, now, nid))
        else:
            cur = conn.execute(
                "UPDATE notifications SET assignee = ?, assignee_os = ?, claimed_at = ?, version = version + 1, "
                "updated_at = ? WHERE id = ? AND assignee = ? AND assignee_os IS ?",
                (me, my_os, now, now, nid, owner, owner_os))
        if not cur.rowcount:  # cannot happen inside BEGIN IMMEDIATE, but never claim blindly
            owner, owner_os, claimed_at = _owner(conn, nid)
            raise ConflictError(f"#{nid} is already claimed by {_holder(store, owner, owner_os)}{_since(claimed_at)}")
        detail = {"assignee": [owner, me], "assignee_os": [owner_os, my_os]}
        store.audit("notification.claim", "notifications", nid, detail)
    return get_notification(store, nid)


def taken_from(store: Store, operator: str, after_id: int, os_user: str | None = None) -> list[tuple[int, int, str]]:
    """Claims of `operator` (on `os_user`) that someone else took over, in audit rows after `after_id`:
    [(audit row id, notification id, who took it, as shown)]."""
    os_user = os_user or store.os_user
    rows = store.conn.execute(
        "SELECT id, row_id, actor, os_user FROM audit WHERE id > ? AND action = 'notification.claim' "
        "AND json_extract(detail, '$.assignee[0]') = ? "
        "AND coalesce(json_extract(detail, '$.assignee_os[0]'), ?) = ? "
        "AND NOT (actor = ? AND os_user IS ?) ORDER BY id",
        (after_id, operator, os_user, os_user, operator, os_user)).fetchall()
    return [(r[0], r[1], _holder(store, r[2], r[3])) for r in rows]


def last_audit_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def release(store: Store, nid: int, force: bool = False) -> Notification:
    """Give up this operator's claim. A claim belongs to its OS user: someone else's — another OS user, even
    under the same display name — is refused naming them both, unless `force`, which releases it and audits
    who really did (the audit row records the OS user) and whose claim it was."""
    me, my_os = store.actor, store.os_user
    with store.write() as conn:
        owner, owner_os, claimed_at = _owner(conn, nid)
        if owner is None:
            return get_notification(store, nid)
        mine = same(owner, owner_os, me, my_os)
        if not mine and not force:
            holder = _holder(store, owner, owner_os)
            raise ConflictError(f"#{nid} is claimed by {holder}{_since(claimed_at)}, not by you "
                                f"({_holder(store, me, my_os)}): a claim belongs to its OS user")
        conn.execute("UPDATE notifications SET assignee = NULL, assignee_os = NULL, claimed_at = NULL, "
                     "version = version + 1, updated_at = ? WHERE id = ? AND assignee = ? AND assignee_os IS ?",
                     (store.now_iso(), nid, owner, owner_os))
        detail: dict = {"assignee": [owner, None], "assignee_os": [owner_os, None]}
        if not mine:
            detail["forced"] = True
        store.audit("notification.release", "notifications", nid, detail)
    return get_notification(store, nid)


# --- presence -------------------------------------------------------------------------------


def beat(store: Store, kind: str, ref_id: int | None) -> None:
    """This operator is looking at (kind, ref_id) now: one row per actor and kind, so moving on
    to another notification replaces the old row. ref_id None: looking at nothing of that kind."""
    with store.write() as conn:
        conn.execute("DELETE FROM presence WHERE actor = ? AND os_user = ? AND kind = ? AND ref_id IS NOT ?",
                     (store.actor, store.os_user, kind, ref_id))
        if ref_id is not None:
            conn.execute("INSERT INTO presence (actor, os_user, kind, ref_id, at) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (kind, ref_id, os_user, actor) DO UPDATE SET at = excluded.at",
                         (store.actor, store.os_user, kind, ref_id, store.now_iso()))


def leave(store: Store) -> None:
    """This session ends: its notification presence goes at once rather than when it expires."""
    with store.write() as conn:
        conn.execute("DELETE FROM presence WHERE actor = ? AND os_user = ? AND kind = 'notification'",
                     (store.actor, store.os_user))


def others_by_notification(store: Store, now: datetime) -> dict[int, list[tuple[str, str]]]:
    """Who else is on which notification right now: {nid: [(name, 'viewing' | 'editing')]}. The name is the
    display name; someone declaring this session's name from another OS user is someone else, shown with
    their OS user ("maria (os: ops2)").

    Viewing is a notification open in someone's inbox; editing is its appeal open in their editor.
    """
    since = to_iso(now - PRESENCE_TTL)
    me, my_os = store.actor, store.os_user
    rows = store.rows(
        """SELECT p.ref_id AS nid, p.actor, p.os_user, 'viewing' AS what FROM presence p
           WHERE p.kind = 'notification' AND p.at > ? AND NOT (p.actor = ? AND p.os_user = ?)
           UNION ALL
           SELECT ap.notification_id AS nid, p.actor, p.os_user, 'editing' AS what FROM presence p
           JOIN appeals ap ON ap.id = p.ref_id
           WHERE p.kind = 'appeal' AND p.at > ? AND NOT (p.actor = ? AND p.os_user = ?)
           ORDER BY 1, 2, 3""",
        (since, me, my_os, since, me, my_os),
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for r in rows:
        entries = out.setdefault(r["nid"], [])
        name = r["actor"] if r["actor"] != me else who(r["actor"], r["os_user"])
        existing = [i for i, (actor, _) in enumerate(entries) if actor == name]
        if existing:  # editing says more than viewing
            if r["what"] == "editing":
                entries[existing[0]] = (name, "editing")
        else:
            entries.append((name, r["what"]))
    return out
