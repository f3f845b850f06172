"""The evidence locker: files attached to an appeal, stored in the database (schema step m017).

Each file's bytes are stored once, keyed by their SHA-256 (attachment_blobs); each appeal that carries a file
has a link row (attachments) with its name, kind, document date and ASINs. Attaching is one BEGIN IMMEDIATE
transaction with its audit row: the blob (unless another appeal's link already holds the same bytes) and the
link land together or not at all, so two operators attaching at once both land and share one blob. Detaching
removes the link, audited, and the blob only when no other link holds it. A sent appeal's attachments are
what was sent: they are read-only, like its text. What a file may be: console/core/attachments.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from console.core.attachments import Attachment, AttachmentError, FileType
from console.core.textsafe import one_line
from console.store.db import NotFoundError, Store

_COLUMNS = ("a.id, a.appeal_id, a.name, a.kind, a.doc_date, a.asins, b.size, b.mime, a.sha256, a.added_at, "
            "a.added_by, a.added_by_os")


def _to_attachment(row) -> Attachment:
    (aid, appeal_id, name, kind, doc_date, asins, size, mime, sha, added_at, added_by, added_by_os) = row
    return Attachment(aid, appeal_id, name, kind, date.fromisoformat(doc_date) if doc_date else None,
                      tuple(json.loads(asins or "[]")), size, mime, sha, added_at, added_by, added_by_os)


def _editable(conn, appeal_id: int, doing: str) -> None:
    row = conn.execute("SELECT status FROM appeals WHERE id = ?", (appeal_id,)).fetchone()
    if not row:
        raise NotFoundError(f"no appeal with id {appeal_id}")
    if row[0] != "draft":
        raise AttachmentError(f"appeal #{appeal_id} is {row[0]}: its attachments are what was sent, nothing to "
                              f"{doing} (revise it for a new draft)")


def attach(store: Store, appeal_id: int, name: str, content: bytes, ftype: FileType, kind: str,
           doc_date: date | None, asins: tuple[str, ...]) -> Attachment:
    """Store one checked file (console/core/attachments.read_file) on a draft appeal; the same bytes twice
    on one appeal are refused, naming the attachment that holds them."""
    sha = hashlib.sha256(content).hexdigest()  # before the transaction: the write lock is held only to write
    name = one_line(name, 200) or f"attachment.{ftype.extensions[0]}"
    now = store.now_iso()
    with store.write() as conn:
        _editable(conn, appeal_id, "attach")
        same = conn.execute("SELECT id, name FROM attachments WHERE appeal_id = ? AND sha256 = ?",
                            (appeal_id, sha)).fetchone()
        if same:
            raise AttachmentError(f"{name}: already attached to appeal #{appeal_id} as #{same[0]} ({same[1]})")
        new_blob = conn.execute(
            "INSERT INTO attachment_blobs (sha256, size, mime, content, stored_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (sha256) DO NOTHING", (sha, len(content), ftype.mime, content, now)).rowcount == 1
        cur = conn.execute(
            "INSERT INTO attachments (appeal_id, sha256, name, kind, doc_date, asins, added_at, added_by, "
            "added_by_os) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (appeal_id, sha, name, kind, doc_date.isoformat() if doc_date else None, json.dumps(list(asins)),
             now, store.actor, store.os_user))
        link = cur.lastrowid
        store.audit("appeal.attach", "appeals", appeal_id, {
            "attachment_id": link, "name": name, "kind": kind, "doc_date": doc_date.isoformat() if doc_date else None,
            "asins": list(asins), "sha256": sha, "size": len(content), "new_blob": new_blob})
    return get(store, link)


def get(store: Store, attachment_id: int) -> Attachment:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 "
                             "WHERE a.id = ?", (attachment_id,)).fetchone()
    if not row:
        raise NotFoundError(f"no attachment with id {attachment_id}")
    return _to_attachment(row)


def listing(store: Store, appeal_id: int) -> list[Attachment]:
    """The appeal's attachments, in the order attached (their bytes are not read)."""
    return [_to_attachment(r) for r in store.conn.execute(
        f"SELECT {_COLUMNS} FROM attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 "
        "WHERE a.appeal_id = ? ORDER BY a.id", (appeal_id,))]


def content(store: Store, attachment_id: int) -> bytes:
    row = store.conn.execute("SELECT b.content FROM attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 "
                             "WHERE a.id = ?", (attachment_id,)).fetchone()
    if not row:
        raise NotFoundError(f"no attachment with id {attachment_id}")
    return bytes(row[0])


def detach(store: Store, appeal_id: int, attachment_id: int) -> tuple[Attachment, bool]:
    """Remove an attachment from a draft appeal (audited): (what it was, whether its bytes went too — only
    when no other link holds them)."""
    with store.write() as conn:
        _editable(conn, appeal_id, "detach")
        row = conn.execute(f"SELECT {_COLUMNS} FROM attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 "
                           "WHERE a.id = ? AND a.appeal_id = ?", (attachment_id, appeal_id)).fetchone()
        if not row:
            raise NotFoundError(f"appeal #{appeal_id} has no attachment #{attachment_id}")
        gone = _to_attachment(row)
        conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
        blob_removed = conn.execute(
            "DELETE FROM attachment_blobs WHERE sha256 = ? AND NOT EXISTS "
            "(SELECT 1 FROM attachments WHERE sha256 = ?)", (gone.sha256, gone.sha256)).rowcount == 1
        store.audit("appeal.detach", "appeals", appeal_id, {
            "attachment_id": attachment_id, "name": gone.name, "kind": gone.kind, "sha256": gone.sha256,
            "blob_removed": blob_removed})
    return gone, blob_removed


def carry(store: Store, from_appeal: int, to_appeal: int) -> list[int]:
    """Link every attachment of one appeal to another (a revised draft starts with the evidence of the rejected
    appeal it came from), each with its audit row; the bytes are shared, not copied. The new links' ids."""
    now = store.now_iso()
    made = []
    with store.write() as conn:
        rows = conn.execute("SELECT id, sha256, name, kind, doc_date, asins FROM attachments WHERE appeal_id = ? "
                            "ORDER BY id", (from_appeal,)).fetchall()
        for old_id, sha, name, kind, doc_date, asins in rows:
            cur = conn.execute(
                "INSERT INTO attachments (appeal_id, sha256, name, kind, doc_date, asins, added_at, added_by, "
                "added_by_os) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (appeal_id, sha256) DO NOTHING",
                (to_appeal, sha, name, kind, doc_date, asins, now, store.actor, store.os_user))
            if cur.rowcount != 1:
                continue
            made.append(cur.lastrowid)
            store.audit("appeal.attach", "appeals", to_appeal, {
                "attachment_id": cur.lastrowid, "name": name, "kind": kind, "doc_date": doc_date,
                "asins": json.loads(asins), "sha256": sha, "carried_from": {"appeal_id": from_appeal,
                                                                             "attachment_id": old_id},
                "new_blob": False})
    return made


def blob_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0]
