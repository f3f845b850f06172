"""Every appeal's similarity signature, kept in the database beside its text.

Hashing the text of every appeal when a session first checks one took seconds at 5,000
appeals. Instead each save signs the text once, in the save's own transaction, and the
index is answered from two tables (schema step m009_appeal_signatures):

- `appeal_signatures`: one row per appeal: the revision it signs, the index shape
  (num_perm, bands), the shingle set (`pack_shingles`: sorted uint32, for the exact Jaccard
  score) and the MinHash signature (`pack_signature`: uint64);
- `appeal_bands`: one row per (band, band key, appeal), its primary key an index, so that
  the candidates of a query (the appeals sharing a bucket in any band) are one indexed
  query, not a scan, and nothing is loaded when a session opens.

`StoredIndex.closest` gives exactly what `SimilarityIndex.closest` gives over the same
texts (same candidates, same float scores, same order): the built-in generic phrasings are
scored in memory, the appeals from the tables, and only the best few are looked up for
their account and date (so a renamed account shows its new name).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from console.review.similarity import (
    APPEAL_BANDS,
    APPEAL_NUM_PERM,
    Match,
    default_index,
    jaccard_packed,
    pack_shingles,
    pack_signature,
    sign,
)

if TYPE_CHECKING:
    from console.store.db import Store

__all__ = ["StoredIndex", "backfill", "heal", "stale_ids", "store_signatures"]

# Appeals whose signature is missing, signs an older revision, or was made with another index shape.
_STALE_SQL = (
    "SELECT ap.id FROM appeals ap LEFT JOIN appeal_signatures s ON s.appeal_id = ap.id "
    "WHERE s.appeal_id IS NULL OR s.revision != ap.revision OR s.num_perm != ? OR s.bands != ? ORDER BY ap.id"
)
_CHUNK = 500


def store_signatures(conn: sqlite3.Connection, appeals: Iterable[tuple[int, int, str]]) -> int:
    """Sign each (appeal id, revision, text) and write (or replace) its rows; call inside the
    transaction that saves the text. Returns how many appeals were signed."""
    sig_rows, band_rows, ids = [], [], []
    for appeal_id, revision, text in appeals:
        s = sign(text, APPEAL_NUM_PERM, APPEAL_BANDS)
        ids.append((appeal_id,))
        sig_rows.append((appeal_id, revision, APPEAL_NUM_PERM, APPEAL_BANDS, pack_shingles(s.shingles),
                         pack_signature(s.signature)))
        band_rows.extend((band, key, appeal_id) for band, key in enumerate(s.bands))
    if not ids:
        return 0
    conn.executemany("DELETE FROM appeal_bands WHERE appeal_id = ?", ids)
    conn.executemany("INSERT INTO appeal_signatures (appeal_id, revision, num_perm, bands, shingles, signature) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (appeal_id) DO UPDATE SET revision = excluded.revision, "
                     "num_perm = excluded.num_perm, bands = excluded.bands, shingles = excluded.shingles, "
                     "signature = excluded.signature", sig_rows)
    conn.executemany("INSERT INTO appeal_bands (band, key, appeal_id) VALUES (?, ?, ?)", band_rows)
    return len(ids)


def stale_ids(conn: sqlite3.Connection) -> list[int]:
    """Appeals without an up-to-date signature (none, unless rows were written behind flagdesk's back)."""
    return [r[0] for r in conn.execute(_STALE_SQL, (APPEAL_NUM_PERM, APPEAL_BANDS))]


def backfill(conn: sqlite3.Connection, ids: list[int] | None = None) -> int:
    """Sign the given appeals (default: every stale one), reading their texts a chunk at a time;
    call inside a write transaction. Returns how many were signed."""
    ids = stale_ids(conn) if ids is None else ids
    done = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.execute(f"SELECT id, revision, text FROM appeals WHERE id IN ({','.join('?' * len(chunk))})",
                            chunk).fetchall()
        done += store_signatures(conn, rows)
    return done


def heal(store: Store) -> int:
    """Sign the appeals whose signature is missing or stale (audited); the usual answer is none,
    found with one read. Returns how many were signed."""
    if not stale_ids(store.conn):
        return 0
    with store.write() as conn:
        ids = stale_ids(conn)  # again under the write lock: another session may have done it
        done = backfill(conn, ids)
        if done:
            store.audit("appeal.signatures", "appeals", None, {"signed": done, "first": ids[0], "last": ids[-1]})
    return done


class StoredIndex:
    """The similarity index over the database's appeals (all accounts) plus the generic phrasings.

    `conn` is read only, under the caller's lock (the Desk gives this index a connection of its own,
    so a checklist worker thread never shares the session's connection). Every `closest` reads the
    committed state: appeals saved by other sessions count at once.
    """

    def __init__(self, conn: sqlite3.Connection, own: bool = False):
        self._conn = conn
        self._own = own  # a connection of its own, closed by `close`
        self._generic = default_index()
        self.num_perm = self._generic.num_perm
        self.bands = self._generic.bands
        self._candidates_sql = (
            "SELECT s.appeal_id, s.shingles FROM appeal_signatures s WHERE s.appeal_id IN ("
            "SELECT b.appeal_id FROM (VALUES " + ", ".join(["(?, ?)"] * self.bands) + ") AS v "
            "CROSS JOIN appeal_bands b ON b.band = v.column1 AND b.key = v.column2)"
        )

    @classmethod
    def open(cls, store: Store) -> StoredIndex:
        """An index reading through its own connection to the store's file (the store's own for :memory:)."""
        from console.store.db import BUSY_TIMEOUT_S

        if str(store.path) == ":memory:":
            return cls(store.conn)
        conn = sqlite3.connect(str(store.path), timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                               isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        return cls(conn, own=True)

    def closest(self, text: str, exclude: str | None = None, limit: int = 3) -> list[Match]:
        """The `limit` most similar appeals or generic phrasings, best first (ties by key); as
        `SimilarityIndex.closest`, entries with no shingle in common and `exclude` are left out."""
        if limit <= 0:
            return []
        signed = sign(text, self.num_perm, self.bands)
        sh = signed.shingles
        scored = [(m.score, m.key, m) for m in self._generic.scored(sh, signed.bands, exclude)]
        if signed.bands:
            params = [x for band, key in enumerate(signed.bands) for x in (band, key)]
            for appeal_id, blob in self._conn.execute(self._candidates_sql, params):
                key = f"appeal:{appeal_id}"
                if key == exclude:
                    continue
                score = jaccard_packed(sh, blob)
                if score > 0.0:
                    scored.append((score, key, appeal_id))
        scored.sort(key=lambda t: (-t[0], t[1]))
        top = scored[:limit]
        ids = [t[2] for t in top if not isinstance(t[2], Match)]
        about = {}
        if ids:
            about = {r[0]: (r[1], r[2]) for r in self._conn.execute(
                "SELECT ap.id, a.name, substr(ap.updated_at, 1, 10) FROM appeals ap "
                "JOIN notifications n ON n.id = ap.notification_id LEFT JOIN accounts a ON a.id = n.account_id "
                f"WHERE ap.id IN ({','.join('?' * len(ids))})", ids)}
        return [t[2] if isinstance(t[2], Match) else Match(t[1], t[0], *about.get(t[2], (None, None)), False)
                for t in top]

    def __len__(self) -> int:
        return len(self._generic) + self._conn.execute("SELECT count(*) FROM appeal_signatures").fetchone()[0]

    def __contains__(self, key: object) -> bool:
        if key in self._generic:
            return True
        if not isinstance(key, str) or not key.startswith("appeal:") or not key[7:].isdigit():
            return False
        return self._conn.execute("SELECT 1 FROM appeal_signatures WHERE appeal_id = ?",
                                  (int(key[7:]),)).fetchone() is not None

    def close(self) -> None:
        if self._own:
            self._conn.close()
