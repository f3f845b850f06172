"""How close an appeal is to other appeals and to generic templates.

Amazon sees hundreds of template appeals, and near-identical appeals from several
accounts suggest that the accounts are related. This module measures that: word
k-shingles of the normalised text, exact Jaccard similarity between shingle sets,
and a MinHash + LSH-band index so that `SimilarityIndex.closest` looks only at the
entries that share a band bucket with the query, never at every entry.

The MinHash is a one-permutation MinHash with optimal densification (Shrivastava,
ICML 2017): every shingle is hashed once, into one of `num_perm` bins, and each bin
keeps its minimum; an empty bin copies the bin that comes first in a fixed,
per-bin pseudo-random probe order. Each signature position collides with
probability equal to the Jaccard similarity, like a classic k-permutation MinHash,
but signing costs one hash per shingle instead of `num_perm`, which is what lets
an index of thousands of appeals be built when the console starts.

With the defaults (64 positions, 16 bands of 4 rows) a pair becomes a candidate
with probability 1 - (1 - J**4)**16: about 0.12 at J = 0.3, 0.49 at J = 0.45,
0.89 at J = 0.6, 0.99 at J = 0.7 and 1.00 from J = 0.8. Scores are always the
exact Jaccard of the shingle sets, never the estimate.

A band's bucket key is one 64-bit integer folded from its rows (`band_key`), so
that the same buckets can live in a dict here and in an indexed SQL table
(console/review/signatures.py keeps every appeal's signature in the database:
nothing is re-hashed when a session opens). `sign` gives what is stored; the
`pack_*` helpers turn it into compact little-endian blobs and back.

Pure and stdlib-only; every hash is stable across runs (crc32 and fixed-seed
universal hashing, never the built-in `hash()` of a string).
"""

from __future__ import annotations

import random
import re
import sys
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["APPEAL_BANDS", "APPEAL_NUM_PERM", "GENERIC_APPEALS", "Match", "Signed", "SimilarityIndex", "band_key",
           "default_index", "jaccard", "jaccard_packed", "normalise", "pack_shingles", "pack_signature", "shingles",
           "sign", "unpack_shingles", "unpack_signature"]

# The appeal index's shape (see `default_index`): stored signatures are made with it.
APPEAL_NUM_PERM = 64
APPEAL_BANDS = 32

# --- normalisation ------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# One left-to-right pass over the lowercased text; the first alternative that matches wins.
_TOKEN = re.compile(
    r"(?P<zzorder>\d{3}-\d{7}-\d{7})(?![\d-])"  # order id
    r"|(?P<zzdate>(?:\d{4}-\d{1,2}-\d{1,2}(?:t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"  # 11/27/2026, 27.11.2026
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"  # 27 november 2026, 3rd of may
    rf"|{_MONTH}\s+(?:{_DAY}(?:,?\s+\d{{4}})?|\d{{4}}))(?![^\W_]))"  # november 27, 2026; november 2026
    r"|(?P<zzasin>b0[a-z0-9]{8})(?![^\W_])"  # ASIN
    # any word with a digit, with its hyphenated parts: numbers, 1,200.50, complaint ids, INV-20931, C-100
    r"|(?P<zznum>(?:[^\W_]+-)*[^\W\d_]*\d[^\W_]*(?:-[^\W_]+)*(?:[.,:/]\d+)*)"
    r"|(?P<word>[^\W_]+)"
)
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t].*)?$", re.M)
_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc")


def normalise(text: str) -> list[str]:
    """The words of `text` as compared: lowercase, punctuation dropped, identifiers as placeholders.

    Order ids, dates, ASINs and other words with digits (complaint ids, quantities,
    prices) become the placeholders zzorder, zzdate, zzasin and zznum, so that a
    template with other ASINs still matches; a run of one placeholder ("B0A.., B0B..")
    counts as one. Markdown heading lines ("## Root cause") are left out: every draft
    starts with the same headings, and they say nothing about the appeal.
    """
    if not text:
        return []
    text = _MD_HEADING.sub(" ", text).lower().translate(_APOSTROPHES)
    words: list[str] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            words.append(m.group())
        elif not words or words[-1] != kind:
            words.append(kind)  # type: ignore[arg-type]
    return words


def shingles(text: str, k: int = 4) -> frozenset[int]:
    """crc32 hashes of the word k-shingles of the normalised text (one shingle when shorter than k)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    words = normalise(text)
    if not words:
        return frozenset()
    if len(words) <= k:
        return frozenset((zlib.crc32(" ".join(words).encode()),))
    return frozenset(zlib.crc32(" ".join(words[i : i + k]).encode()) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a & b| / |a | b|; 0.0 when either set is empty (two empty drafts are not alike)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# --- MinHash signatures -------------------------------------------------------------------------

_PRIME = (1 << 61) - 1  # Mersenne prime for the universal hash
_SEED = 0x5EED_F1A6


@lru_cache(maxsize=8)
def _hashing(num_perm: int) -> tuple[int, int, tuple[tuple[int, ...], ...]]:
    """The universal hash (a, b) and each bin's probe order for densification, fixed per size."""
    rng = random.Random(_SEED + num_perm)
    a = rng.randrange(1, _PRIME)
    b = rng.randrange(0, _PRIME)
    probes = []
    for i in range(num_perm):
        others = [j for j in range(num_perm) if j != i]
        rng.shuffle(others)
        probes.append(tuple(others))
    return a, b, tuple(probes)


def _signature(sh: frozenset[int], num_perm: int) -> tuple[int, ...] | None:
    """One-permutation MinHash of a shingle set, densified; None for an empty set."""
    if not sh:
        return None
    a, b, probes = _hashing(num_perm)
    empty = _PRIME
    bins = [empty] * num_perm
    for x in sh:
        h = (a * x + b) % _PRIME
        i = h % num_perm
        if h < bins[i]:
            bins[i] = h  # the full hash, so that values copied from other bins never collide by accident
    if empty in bins:
        filled = bins[:]
        for i, v in enumerate(filled):
            if v == empty:
                for j in probes[i]:
                    if filled[j] != empty:
                        bins[i] = filled[j]
                        break
    return tuple(bins)


_MASK64 = (1 << 64) - 1
_FOLD = 0x9E3779B97F4A7C15  # odd 64-bit multiplier (2**64 / golden ratio)


def band_key(rows: tuple[int, ...] | list[int]) -> int:
    """One band's bucket key: its rows folded into a signed 64-bit integer (fits an SQLite INTEGER).

    Distinct bands collide with probability about 2**-64: a collision could only add a candidate,
    which is then scored exactly like any other."""
    h = 0
    for v in rows:
        h = (h * _FOLD + v) & _MASK64
    return h - (1 << 64) if h >> 63 else h


def _band_keys(sig: tuple[int, ...] | None, bands: int) -> tuple[int, ...]:
    if sig is None:
        return ()
    r = len(sig) // bands
    return tuple(band_key(sig[i * r : (i + 1) * r]) for i in range(bands))


@dataclass(frozen=True)
class Signed:
    """What the index keeps of one text: its shingles, MinHash signature and band keys."""

    shingles: frozenset[int]
    signature: tuple[int, ...] | None  # None when the text has no shingles
    bands: tuple[int, ...]  # one key per band; empty when the text has no shingles: never a candidate


def sign(text: str, num_perm: int = APPEAL_NUM_PERM, bands: int = APPEAL_BANDS) -> Signed:
    """Shingles, signature and band keys of `text`, as `SimilarityIndex(num_perm, bands)` indexes it."""
    sh = shingles(text)
    sig = _signature(sh, num_perm)
    return Signed(sh, sig, _band_keys(sig, bands))


# --- blobs --------------------------------------------------------------------------------------

_U32 = next(code for code in "ILH" if array(code).itemsize == 4)
_U64 = next(code for code in "QL" if array(code).itemsize == 8)
_SWAP = sys.byteorder != "little"  # blobs are little-endian whatever the machine


def _pack(code: str, values) -> bytes:
    a = array(code, values)
    if _SWAP:
        a.byteswap()
    return a.tobytes()


def _unpack(code: str, blob: bytes) -> array:
    a = array(code)
    a.frombytes(blob)
    if _SWAP:
        a.byteswap()
    return a


def pack_shingles(sh: frozenset[int]) -> bytes:
    """The shingle set as sorted little-endian uint32 (crc32 values): 4 bytes a shingle."""
    return _pack(_U32, sorted(sh))


def unpack_shingles(blob: bytes) -> array:
    """The uint32 array of a `pack_shingles` blob (distinct values: its length is the set's size)."""
    return _unpack(_U32, blob)


def pack_signature(sig: tuple[int, ...] | None) -> bytes | None:
    """A signature as little-endian uint64 (every value is below 2**61); None stays None."""
    return None if sig is None else _pack(_U64, sig)


def unpack_signature(blob: bytes | None) -> tuple[int, ...] | None:
    return None if blob is None else tuple(_unpack(_U64, blob))


def jaccard_packed(a: frozenset[int], blob: bytes) -> float:
    """`jaccard(a, b)` where b is a `pack_shingles` blob, without making a set of b: the same float."""
    n = len(blob) // 4
    if not a or not n:
        return 0.0
    inter = len(a.intersection(unpack_shingles(blob)))
    return inter / (len(a) + n - inter)


# --- the index ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    key: str  # the other appeal's key (e.g. "appeal:12") or "generic:3"
    score: float  # exact Jaccard similarity of the shingle sets, 0..1
    account: str | None
    date: str | None  # ISO date of the other appeal, None for generic
    generic: bool  # True for a built-in generic phrasing


@dataclass(frozen=True)
class _Entry:
    shingles: frozenset[int]
    bands: tuple[int, ...]  # band keys; empty when the text has no shingles: never a candidate
    account: str | None
    date: str | None
    generic: bool


class SimilarityIndex:
    """MinHash + LSH bands over appeals; `closest` scores only the band-bucket candidates, exactly."""

    def __init__(self, num_perm: int = 64, bands: int = 16):
        if num_perm < 1 or bands < 1 or num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a positive multiple of bands ({bands})")
        self.num_perm = num_perm
        self.bands = bands
        self._rows = num_perm // bands
        self._entries: dict[str, _Entry] = {}
        self._buckets: list[dict[int, set[str]]] = [{} for _ in range(bands)]

    def _bands(self, sh: frozenset[int]) -> tuple[int, ...]:
        return _band_keys(_signature(sh, self.num_perm), self.bands)

    def add(
        self, key: str, text: str, account: str | None = None, date: str | None = None, generic: bool = False
    ) -> None:
        """Index `text` under `key`; re-adding a key replaces the earlier text."""
        if key in self._entries:
            self.remove(key)
        sh = shingles(text)
        bands = self._bands(sh)
        self._entries[key] = _Entry(sh, bands, account, date, generic)
        for bucket, band in zip(self._buckets, bands):
            bucket.setdefault(band, set()).add(key)

    def remove(self, key: str) -> None:
        """Forget `key`; unknown keys are ignored."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for bucket, band in zip(self._buckets, entry.bands):
            keys = bucket.get(band)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del bucket[band]

    def closest(self, text: str, exclude: str | None = None, limit: int = 3) -> list[Match]:
        """The `limit` most similar entries among the LSH candidates, best first (ties by key).

        Entries with no shingle in common are left out, and so is `exclude` (the appeal itself).
        """
        if limit <= 0:
            return []
        sh = shingles(text)
        scored = self.scored(sh, self._bands(sh), exclude)
        scored.sort(key=lambda m: (-m.score, m.key))
        return scored[:limit]

    def scored(self, sh: frozenset[int], bands: tuple[int, ...], exclude: str | None = None) -> list[Match]:
        """Every candidate sharing a bucket with `bands` (keys from `sign`), scored exactly, unsorted;
        candidates with no shingle in common and `exclude` are left out."""
        candidates: set[str] = set()
        for bucket, band in zip(self._buckets, bands):
            keys = bucket.get(band)
            if keys:
                candidates.update(keys)
        candidates.discard(exclude)  # type: ignore[arg-type]
        scored = []
        for key in candidates:
            e = self._entries[key]
            score = jaccard(sh, e.shingles)
            if score > 0.0:
                scored.append(Match(key, score, e.account, e.date, e.generic))
        return scored

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


# --- generic phrasings --------------------------------------------------------------------------

GENERIC_APPEALS: tuple[str, ...] = (
    "Dear Amazon Seller Performance Team, We sincerely apologize for any inconvenience this may have caused to "
    "your customers and to Amazon. We have taken this matter very seriously. We have reviewed our processes and "
    "will ensure this does not happen again. We value our relationship with Amazon and are committed to providing "
    "the best possible experience to Amazon customers. We kindly request you to reinstate our selling privileges. "
    "Thank you for your time and consideration.",
    "Hello, we would like to apologize for the issue with our listing. The root cause of the issue was a lack of "
    "attention on our side. To resolve the issue we have removed the listing and reviewed our processes. To prevent "
    "this from happening in the future we will be more careful, monitor our account closely and follow all Amazon "
    "policies. We understand the importance of customer trust and we assure you it will not happen again.",
    "Dear Seller Performance, thank you for giving us the opportunity to explain. We understand Amazon's concerns "
    "and we take full responsibility. We have carefully read Amazon's policies and we have trained our staff on "
    "them. We will make sure that all of our products comply with Amazon policies going forward. We are committed "
    "to maintaining the highest standards and we hope you will reinstate our account. Best regards.",
    "We apologize for the customer complaint about the authenticity of our product. All of our products are 100% "
    "authentic and sourced from reliable suppliers. We have checked our inventory and removed any questionable "
    "items. We will only source from authorized suppliers in the future and keep invoices for all purchases. "
    "We respectfully ask you to review our appeal and reinstate our listing. Thank you for your understanding.",
    "Plan of Action. Root cause: we were not fully aware of the policy. Actions taken: we have removed the "
    "listing, reviewed the policy and checked all our other listings. Preventive measures: we will review all "
    "listings regularly, train our team and monitor customer feedback to ensure this does not happen again. We "
    "apologize for the inconvenience and appreciate your time in reviewing our plan of action.",
    "Dear Amazon Team, we deeply regret the situation and apologize for any inconvenience caused. We have "
    "identified the root cause of the problem and have taken immediate corrective actions. We have implemented "
    "new procedures and quality control measures to prevent similar issues in the future. We are fully committed "
    "to complying with Amazon's policies and providing excellent service to our customers. Kind regards.",
    "We received your notification regarding the intellectual property complaint. We respect the intellectual "
    "property rights of others and we were not aware that our listing infringed any rights. We have immediately "
    "deleted the listing and we will not list this product again. We will carefully check every product before "
    "listing it to make sure it does not infringe any rights. Please reinstate our account.",
    "Thank you for bringing this matter to our attention. Customer satisfaction is our top priority. We have "
    "investigated the issue thoroughly and taken the necessary steps to resolve it. We have improved our "
    "processes, strengthened our quality checks and will continue to monitor our performance closely to ensure "
    "that this never happens again. We hope to continue selling on Amazon and serving your customers.",
)


def default_index() -> SimilarityIndex:
    """A new index holding `GENERIC_APPEALS` as "generic:0", "generic:1", ... (generic=True).

    32 bands of 2 rows: a pair at the warning threshold (0.45) is found ~99.9% of the time,
    where 16 bands of 4 would miss about half of them."""
    index = SimilarityIndex(APPEAL_NUM_PERM, APPEAL_BANDS)
    for i, text in enumerate(GENERIC_APPEALS):
        index.add(f"generic:{i}", text, generic=True)
    return index
