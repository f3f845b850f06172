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

This module writes them (on save, and in the migration's backfill); appeal_index.py reads them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from console.review.similarity import (
    APPEAL_BANDS,
    APPEAL_NUM_PERM,
    pack_shingles,
    pack_signature,
    sign,
)

__all__ = ["backfill", "stale_ids", "store_signatures"]

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
