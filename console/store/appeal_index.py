"""The similarity index over the stored appeals: the signatures' tables (signatures.py) read back.

`StoredIndex.closest` gives exactly what `SimilarityIndex.closest` gives over the same
texts (same candidates, same float scores, same order): the built-in generic phrasings are
scored in memory, the appeals from the tables, and only the best few are looked up for
their account and date (so a renamed account shows its new name).
"""

from __future__ import annotations

import sqlite3

from console.review.similarity import Match, default_index, jaccard_packed, sign
from console.store.db import BUSY_TIMEOUT_S, Store
from console.store.signatures import backfill, stale_ids

__all__ = ["StoredIndex", "heal"]


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
