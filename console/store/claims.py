"""Claims and presence: who owns a notification, and who is looking at what right now.

A claim is the notification's `assignee`. Claiming is one conditional UPDATE, so when two
operators race for the same notification exactly one wins and the other is told who did.
Presence is a heartbeat row per (kind, ref, actor) that expires; it changes no content, so it
is not audited (claims are).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.core.clock import to_iso
from console.core.model import Notification
from console.store.db import ConflictError, NotFoundError, Store
from console.store.notifications import get_notification

PRESENCE_TTL = timedelta(seconds=90)  # a session that stops beating is gone after this long
HEARTBEAT_S = 30.0


def _owner(conn, nid: int) -> tuple[str | None, str | None]:
    row = conn.execute("SELECT assignee, claimed_at FROM notifications WHERE id = ?", (nid,)).fetchone()
    if row is None:
        raise NotFoundError(f"no notification with id {nid}")
    return row[0], row[1]


def _since(claimed_at: str | None) -> str:
    return f" since {claimed_at[:16].replace('T', ' ')} UTC" if claimed_at else ""


def claim(store: Store, nid: int, take_over_from: str | None = None) -> Notification:
    """Claim notification nid for this operator.

    Unclaimed: it becomes ours. Ours already: nothing changes. Someone else's: refused with a
    ConflictError naming them — unless take_over_from names that same owner, which takes it over
    (still conditional: if it changed hands meanwhile, the take-over is refused too).
    """
    me = store.actor
    with store.write() as conn:
        owner, claimed_at = _owner(conn, nid)
        if owner == me:
            return get_notification(store, nid)
        expected = take_over_from if take_over_from is not None else None
        if owner is not None and owner != expected:
            raise ConflictError(f"#{nid} is already claimed by {owner}{_since(claimed_at)}")
        now = store.now_iso()
        if expected is None:
            cur = conn.execute(
                "UPDATE notifications SET assignee = ?, claimed_at = ?, version = version + 1, updated_at = ? "
                "WHERE id = ? AND assignee IS NULL", (me, now, now, nid))
        else:
            cur = conn.execute(
                "UPDATE notifications SET assignee = ?, claimed_at = ?, version = version + 1, updated_at = ? "
                "WHERE id = ? AND assignee = ?", (me, now, now, nid, expected))
        if not cur.rowcount:  # cannot happen inside BEGIN IMMEDIATE, but never claim blindly
            owner, claimed_at = _owner(conn, nid)
            raise ConflictError(f"#{nid} is already claimed by {owner}{_since(claimed_at)}")
        detail = {"assignee": [owner, me]}
        store.audit("notification.claim", "notifications", nid, detail)
    return get_notification(store, nid)


def taken_from(store: Store, operator: str, after_id: int) -> list[tuple[int, int, str]]:
    """Claims of `operator` that someone else took over, in audit rows after `after_id`:
    [(audit row id, notification id, who took it)]."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT id, row_id, actor FROM audit WHERE id > ? AND action = 'notification.claim' AND actor != ? "
        "AND json_extract(detail, '$.assignee[0]') = ? ORDER BY id", (after_id, operator, operator))]


def last_audit_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def release(store: Store, nid: int) -> Notification:
    """Give up this operator's claim; someone else's claim is refused with their name."""
    me = store.actor
    with store.write() as conn:
        owner, claimed_at = _owner(conn, nid)
        if owner is None:
            return get_notification(store, nid)
        if owner != me:
            raise ConflictError(f"#{nid} is claimed by {owner}{_since(claimed_at)}, not by you")
        conn.execute("UPDATE notifications SET assignee = NULL, claimed_at = NULL, version = version + 1, "
                     "updated_at = ? WHERE id = ? AND assignee = ?", (store.now_iso(), nid, me))
        store.audit("notification.release", "notifications", nid, {"assignee": [me, None]})
    return get_notification(store, nid)


# --- presence -------------------------------------------------------------------------------


def beat(store: Store, kind: str, ref_id: int | None) -> None:
    """This operator is looking at (kind, ref_id) now: one row per actor and kind, so moving on
    to another notification replaces the old row. ref_id None: looking at nothing of that kind."""
    with store.write() as conn:
        conn.execute("DELETE FROM presence WHERE actor = ? AND kind = ? AND ref_id IS NOT ?",
                     (store.actor, kind, ref_id))
        if ref_id is not None:
            conn.execute("INSERT INTO presence (actor, kind, ref_id, at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (kind, ref_id, actor) DO UPDATE SET at = excluded.at",
                         (store.actor, kind, ref_id, store.now_iso()))


def leave(store: Store) -> None:
    """This session ends: its notification presence goes at once rather than when it expires."""
    with store.write() as conn:
        conn.execute("DELETE FROM presence WHERE actor = ? AND kind = 'notification'", (store.actor,))


def others_by_notification(store: Store, now: datetime) -> dict[int, list[tuple[str, str]]]:
    """Who else is on which notification right now: {nid: [(actor, 'viewing' | 'editing')]}.

    Viewing is a notification open in someone's inbox; editing is its appeal open in their editor.
    """
    since = to_iso(now - PRESENCE_TTL)
    rows = store.rows(
        """SELECT p.ref_id AS nid, p.actor, 'viewing' AS what FROM presence p
           WHERE p.kind = 'notification' AND p.at > ? AND p.actor != ?
           UNION ALL
           SELECT ap.notification_id AS nid, p.actor, 'editing' AS what FROM presence p
           JOIN appeals ap ON ap.id = p.ref_id
           WHERE p.kind = 'appeal' AND p.at > ? AND p.actor != ?
           ORDER BY 1, 2""",
        (since, store.actor, since, store.actor),
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for r in rows:
        entries = out.setdefault(r["nid"], [])
        existing = [i for i, (actor, _) in enumerate(entries) if actor == r["actor"]]
        if existing:  # editing says more than viewing
            if r["what"] == "editing":
                entries[existing[0]] = (r["actor"], "editing")
        else:
            entries.append((r["actor"], r["what"]))
    return out
