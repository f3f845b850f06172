"""Appeals (Plans of Action): drafts with revisions, review, the one-time Appeal button, outcomes.

An appeal belongs to a notification. Its text is saved as numbered revisions; a save based on an
old version is refused (the caller shows the other text as a diff). Submitting through the
notification's Appeal button is one conditional UPDATE on the notification, so of two operators
racing for the button exactly one wins; after that every later appeal goes through Contact Us.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.core.clock import parse_iso
from console.core.textsafe import clean, one_line
from console.store.db import ConflictError, NotFoundError, Store, StoreError

ROUTES = ("appeal-button", "contact-us")
CHANNELS = ("email", "phone", "chat")
PRESENCE_TTL = timedelta(seconds=60)


@dataclass
class Appeal:
    id: int
    notification_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    text: str
    revision: int
    status: str  # draft | submitted | accepted | rejected
    route: str | None
    channel: str | None
    case_id: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    override_reason: str | None
    outcome_at: datetime | None
    outcome_note: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    reviewed_revision: int | None
    revised_from: int | None
    version: int
    # The OS users (schema step m012; None on rows written before it) beside the display names above.
    author_os: str | None = None
    submitted_by_os: str | None = None
    reviewed_by_os: str | None = None

    @property
    def editable(self) -> bool:
        return self.status == "draft"


@dataclass
class Revision:
    number: int
    text: str
    author: str
    created_at: datetime
    note: str | None
    author_os: str | None = None
    shown: str = ""  # the author as the faces show them (Desk.appeal_revisions fills it in)


def _dt(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


def _to_appeal(row: dict[str, Any]) -> Appeal:
    times = ("created_at", "updated_at", "submitted_at", "outcome_at", "reviewed_at")
    return Appeal(**{k: (_dt(v) if k in times else v) for k, v in row.items()})


def get_appeal(store: Store, appeal_id: int) -> Appeal:
    rows = store.rows("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
    if not rows:
        raise NotFoundError(f"no appeal with id {appeal_id}")
    return _to_appeal(rows[0])


def appeals_for(store: Store, notification_id: int) -> list[Appeal]:
    """Every appeal of a notification, oldest first."""
    return [_to_appeal(r) for r in store.rows(
        "SELECT * FROM appeals WHERE notification_id = ? ORDER BY id", (notification_id,))]


def current_appeal(store: Store, notification_id: int) -> Appeal | None:
    """The open draft if there is one, else the latest appeal."""
    appeals = appeals_for(store, notification_id)
    drafts = [a for a in appeals if a.status == "draft"]
    return drafts[-1] if drafts else (appeals[-1] if appeals else None)


def button_state(store: Store, notification_id: int) -> tuple[str | None, str | None]:
    """(used_at, used_by) of the notification's one-time Appeal button; (None, None) while unused."""
    row = store.rows("SELECT appeal_button_used_at AS at, appeal_button_used_by AS by FROM notifications "
                     "WHERE id = ?", (notification_id,))
    if not row:
        raise NotFoundError(f"no notification with id {notification_id}")
    return row[0]["at"], row[0]["by"]


def create_appeal(store: Store, notification_id: int, text: str, revised_from: int | None = None,
                  route: str | None = None) -> Appeal:
    """A new draft (revision 1). Refused while the notification already has an open draft."""
    text = clean(text)
    now = store.now_iso()
    with store.write() as conn:
        if not conn.execute("SELECT 1 FROM notifications WHERE id = ?", (notification_id,)).fetchone():
            raise NotFoundError(f"no notification with id {notification_id}")
        draft = conn.execute("SELECT id FROM appeals WHERE notification_id = ? AND status = 'draft'",
                             (notification_id,)).fetchone()
        if draft:
            raise StoreError(f"notification {notification_id} already has a draft appeal (#{draft[0]}); edit that one")
        cur = conn.execute(
            "INSERT INTO appeals (notification_id, author, author_os, created_at, updated_at, text, revised_from, "
            "route) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (notification_id, store.actor, store.os_user, now, now, text, revised_from, route),
        )
        appeal_id = cur.lastrowid
        conn.execute("INSERT INTO appeal_revisions (appeal_id, number, text, author, author_os, created_at, note) "
                     "VALUES (?, 1, ?, ?, ?, ?, ?)",
                     (appeal_id, text, store.actor, store.os_user, now,
                      f"revised from #{revised_from}" if revised_from else None))
        _sign(conn, appeal_id, 1, text)
        store.audit("appeal.create", "appeals", appeal_id,
                    {"notification_id": notification_id, "revised_from": revised_from})
    return get_appeal(store, appeal_id)


def _sign(conn, appeal_id: int, revision: int, text: str) -> None:
    """The text's similarity signature, in the transaction that saves the text (see console/review/signatures.py)."""
    from console.store.signatures import store_signatures

    store_signatures(conn, [(appeal_id, revision, text)])


def save_text(store: Store, appeal_id: int, text: str, expected_version: int, note: str | None = None) -> Appeal:
    """Save a new revision. A stale version raises ConflictError; a submitted appeal is read-only."""
    text = clean(text)
    now = store.now_iso()
    with store.write() as conn:
        row = conn.execute("SELECT status, version, text, revision FROM appeals WHERE id = ?",
                           (appeal_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no appeal with id {appeal_id}")
        status, version, old_text, revision = row
        if status != "draft":
            raise StoreError(f"appeal #{appeal_id} is {status}: it is read-only now")
        if version != expected_version:
            last = store.last_change("appeals", appeal_id)
            who = f" by {last['who']} at {last['at']}" if last else ""
            raise ConflictError(f"appeal #{appeal_id} was saved{who} since you opened it; your text was not saved")
        if text == old_text:
            return get_appeal(store, appeal_id)
        conn.execute("UPDATE appeals SET text = ?, revision = revision + 1, version = version + 1, updated_at = ? "
                     "WHERE id = ?", (text, now, appeal_id))
        conn.execute("INSERT INTO appeal_revisions (appeal_id, number, text, author, author_os, created_at, note) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", (appeal_id, revision + 1, text, store.actor, store.os_user, now,
                                                      note))
        _sign(conn, appeal_id, revision + 1, text)
        store.audit("appeal.save", "appeals", appeal_id, {"revision": revision + 1, "chars": len(text)})
    return get_appeal(store, appeal_id)


def revisions(store: Store, appeal_id: int) -> list[Revision]:
    return [Revision(r["number"], r["text"], r["author"], parse_iso(r["created_at"]), r["note"], r["author_os"])
            for r in store.rows("SELECT number, text, author, created_at, note, author_os FROM appeal_revisions "
                                "WHERE appeal_id = ? ORDER BY number", (appeal_id,))]


def writers(store: Store, appeal_id: int) -> list[tuple[str, str | None]]:
    """Everyone who wrote a revision of the appeal (and its author): [(display name, OS user or None)]."""
    rows = store.conn.execute(
        "SELECT author, author_os FROM appeals WHERE id = ? UNION "
        "SELECT author, author_os FROM appeal_revisions WHERE appeal_id = ?", (appeal_id, appeal_id)).fetchall()
    return sorted({(r[0], r[1]) for r in rows}, key=lambda w: (w[1] or "", w[0]))


def restore_revision(store: Store, appeal_id: int, number: int, expected_version: int) -> Appeal:
    old = [r for r in revisions(store, appeal_id) if r.number == number]
    if not old:
        raise NotFoundError(f"appeal #{appeal_id} has no revision {number}")
    return save_text(store, appeal_id, old[0].text, expected_version, note=f"restored revision {number}")


def mark_reviewed(store: Store, appeal_id: int, seen_revision: int) -> Appeal:
    """The second pair of eyes: an operator who wrote none of the text marks the revision they read reviewed.
    A newer revision saved meanwhile makes it a conflict: nobody vouches for text they did not see.

    Four eyes are two OS users: whoever wrote a revision (the same OS user and name, or the same name on a
    row from before the OS user was recorded) is refused. The same OS user under another display name (a
    shared account) is recorded, audited as declared: the checklist shows it as a warning, never a pass."""
    from console.core.identity import same

    with store.write() as conn:
        row = conn.execute("SELECT revision FROM appeals WHERE id = ?", (appeal_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no appeal with id {appeal_id}")
        wrote = writers(store, appeal_id)
        if any(same(name, os_name, store.actor, store.os_user) for name, os_name in wrote):
            raise StoreError("you wrote part of this appeal: another operator has to review it")
        if row[0] != seen_revision:
            raise ConflictError(f"appeal #{appeal_id} is at revision {row[0]}, you read revision {seen_revision}: "
                                "read the new text, then review")
        # The version guards the text; a review does not change it, so an open editor can still save.
        conn.execute("UPDATE appeals SET reviewed_by = ?, reviewed_by_os = ?, reviewed_at = ?, reviewed_revision = ? "
                     "WHERE id = ?", (store.actor, store.os_user, store.now_iso(), seen_revision, appeal_id))
        detail: dict[str, Any] = {"revision": seen_revision}
        authors = sorted({name for name, os_name in wrote if os_name == store.os_user})
        if authors:  # one OS account, several names: the review is only declared
            detail["declared"] = f"the same OS user ({store.os_user}) wrote it as {', '.join(authors)}"
        store.audit("appeal.review", "appeals", appeal_id, detail)
    return get_appeal(store, appeal_id)


def submit(store: Store, appeal_id: int, route: str, *, channel: str | None = None, case_id: str | None = None,
           failing: list[str] | None = None, override_reason: str | None = None,
           expected_version: int | None = None) -> Appeal:
    """Mark an appeal submitted by one route. `failing` lists required checks that fail: they block
    the submission unless an override reason is given (audited)."""
    if route not in ROUTES:
        raise StoreError(f"route must be one of {', '.join(ROUTES)}")
    if route == "contact-us" and channel is not None and channel not in CHANNELS:
        raise StoreError(f"channel must be one of {', '.join(CHANNELS)}")
    override_reason = one_line(override_reason, 500) or None
    if failing and not override_reason:
        raise StoreError(f"required checks fail ({', '.join(failing)}): fix them, or override with a written reason")
    now = store.now_iso()
    with store.write() as conn:
        row = conn.execute("SELECT status, notification_id, version FROM appeals WHERE id = ?",
                           (appeal_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no appeal with id {appeal_id}")
        status, nid, version = row
        if status != "draft":
            raise StoreError(f"appeal #{appeal_id} is already {status}")
        if expected_version is not None and version != expected_version:
            raise ConflictError(f"appeal #{appeal_id} was saved again since it was checked; nothing was submitted: "
                                "look at the new text first")
        if route == "appeal-button":
            cur = conn.execute(
                "UPDATE notifications SET appeal_button_used_at = ?, appeal_button_used_by = ?, "
                "version = version + 1, updated_at = ? WHERE id = ? AND appeal_button_used_at IS NULL",
                (now, store.actor, now, nid),
            )
            if cur.rowcount != 1:
                at, by = conn.execute("SELECT appeal_button_used_at, appeal_button_used_by FROM notifications "
                                      "WHERE id = ?", (nid,)).fetchone()
                raise StoreError(f"the Appeal button of notification {nid} is spent (used by {by} at {at}); "
                                 "appeal through Help → Contact Us instead")
            store.audit("notification.appeal_button", "notifications", nid, {"appeal_id": appeal_id})
        conn.execute(
            "UPDATE appeals SET status = 'submitted', route = ?, channel = ?, case_id = ?, submitted_at = ?, "
            "submitted_by = ?, submitted_by_os = ?, override_reason = ?, version = version + 1, "
            "updated_at = ? WHERE id = ?",
            (route, channel, one_line(case_id, 80) or None, now, store.actor, store.os_user, override_reason, now,
             appeal_id),
        )
        old = conn.execute("SELECT status FROM notifications WHERE id = ?", (nid,)).fetchone()[0]
        if old not in ("appealed", "resolved", "dismissed"):
            conn.execute("UPDATE notifications SET status = 'appealed', version = version + 1, updated_at = ? "
                         "WHERE id = ?", (now, nid))
            store.audit("notification.status", "notifications", nid, {"status": [old, "appealed"]})
        detail = {"route": route, "channel": channel, "case_id": case_id}
        if failing:
            detail.update({"override_reason": override_reason, "failing_checks": failing})
        store.audit("appeal.submit", "appeals", appeal_id, detail)
    return get_appeal(store, appeal_id)


def record_outcome(store: Store, appeal_id: int, outcome: str, note: str | None = None) -> Appeal:
    """accepted: the notification is resolved; rejected: the reason is kept; pending: a dated note."""
    if outcome not in ("accepted", "rejected", "pending"):
        raise StoreError("outcome must be accepted, rejected or pending")
    note = one_line(note, 1000) or None
    now = store.now_iso()
    with store.write() as conn:
        row = conn.execute("SELECT status, notification_id FROM appeals WHERE id = ?", (appeal_id,)).fetchone()
        if not row:
            raise NotFoundError(f"no appeal with id {appeal_id}")
        status, nid = row
        if status == "draft":
            raise StoreError(f"appeal #{appeal_id} has not been submitted yet")
        if status != "submitted":
            raise StoreError(f"appeal #{appeal_id} is already {status}; its outcome is recorded")
        if outcome == "pending":
            conn.execute("UPDATE appeals SET status = 'submitted', outcome_note = ?, outcome_at = NULL, "
                         "version = version + 1 WHERE id = ?", (note, appeal_id))
        else:
            conn.execute("UPDATE appeals SET status = ?, outcome_at = ?, outcome_note = ?, version = version + 1 "
                         "WHERE id = ?", (outcome, now, note, appeal_id))
        if outcome == "accepted":
            old = conn.execute("SELECT status FROM notifications WHERE id = ?", (nid,)).fetchone()[0]
            if old != "resolved":
                conn.execute("UPDATE notifications SET status = 'resolved', version = version + 1, updated_at = ? "
                             "WHERE id = ?", (now, nid))
                store.audit("notification.status", "notifications", nid, {"status": [old, "resolved"]})
        store.audit("appeal.outcome", "appeals", appeal_id, {"outcome": outcome, "note": note})
    return get_appeal(store, appeal_id)


def revise(store: Store, appeal_id: int) -> Appeal:
    """A new draft from a rejected appeal's text; the Appeal button being spent, it goes via Contact Us."""
    appeal = get_appeal(store, appeal_id)
    if appeal.status != "rejected":
        raise StoreError(f"only a rejected appeal can be revised (#{appeal_id} is {appeal.status})")
    return create_appeal(store, appeal.notification_id, appeal.text, revised_from=appeal.id, route="contact-us")


def heartbeat(store: Store, appeal_id: int, editing: bool = True) -> None:
    """Presence: this operator has the appeal open (or has left it). Not audited: it changes no content."""
    with store.write() as conn:
        if editing:
            conn.execute("INSERT INTO presence (actor, os_user, kind, ref_id, at) VALUES (?, ?, 'appeal', ?, ?) "
                         "ON CONFLICT (kind, ref_id, os_user, actor) DO UPDATE SET at = excluded.at",
                         (store.actor, store.os_user, appeal_id, store.now_iso()))
        else:
            conn.execute("DELETE FROM presence WHERE kind = 'appeal' AND ref_id = ? AND actor = ? AND os_user = ?",
                         (appeal_id, store.actor, store.os_user))


def other_editors(store: Store, appeal_id: int, now: datetime) -> list[tuple[str, str]]:
    """Who else has this appeal open right now (a heartbeat within the last minute): [(name, OS user)]."""
    from console.core.clock import to_iso

    return [(r["actor"], r["os_user"]) for r in store.rows(
        "SELECT actor, os_user FROM presence WHERE kind = 'appeal' AND ref_id = ? AND NOT (actor = ? AND "
        "os_user = ?) AND at > ? ORDER BY actor, os_user",
        (appeal_id, store.actor, store.os_user, to_iso(now - PRESENCE_TTL)))]


def all_latest_texts(store: Store) -> list[dict[str, Any]]:
    """Every appeal's current text with its account and date, for the similarity index."""
    return store.rows(
        "SELECT ap.id, ap.text, substr(ap.updated_at, 1, 10) AS date, a.name AS account FROM appeals ap "
        "JOIN notifications n ON n.id = ap.notification_id LEFT JOIN accounts a ON a.id = n.account_id"
    )


def appeal_ids_of(store: Store, notification_id: int) -> list[int]:
    """The ids of every appeal of a notification, oldest first."""
    return [r[0] for r in store.conn.execute("SELECT id FROM appeals WHERE notification_id = ? ORDER BY id",
                                             (notification_id,))]
