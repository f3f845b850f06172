"""Stock sentences: which sentences of a draft could stand in any seller's appeal.

Amazon rejects templates, and a template today is rarely one whole text: it is a draft assembled from stock
sentences ("We sincerely apologize for any inconvenience caused", "we have reviewed our policies and made
changes to ensure this never happens again") around a few filled-in blanks. Whole-draft similarity cannot
see that; reading sentence by sentence can.

The stock phrasing comes from public Plan-of-Action templates, sample appeals, generator outputs and forum
examples (console/review/data/boilerplate.json lists each source with its address). What is shipped is not
their text but, per stock sentence, the crc32 hashes of its word 3-shingles after the normalisation the
similarity index uses (lowercase, no punctuation, ASINs, order ids, dates and numbers as placeholders, a
template's blanks such as "[Your Store Name]" as one placeholder), and, for the corpus as a whole, the
shingles that several sources share: the phrase families every template repeats.

A sentence of a draft is:
- **boilerplate** when most of it is one stock sentence (`BEST` of its shingles found in a single stock
  sentence), when nearly all of it is stock phrasing shared across sources (`SHARED`), or when it names
  nothing of this case and nearly every word of it is the templates' common vocabulary (`VOCABULARY` of
  its words among those `SHARED_BY` sources use): "We will check our inventory more carefully" could stand
  in any appeal, whatever its exact words;
- **specific** when it names something only this case has: a notice's ID, a number, a date, a person or a
  role, a supplier, a tool, a document or a quantity (console/review/judge.py `specifics`);
- **neither** otherwise.

Boilerplate wins over specific: a stock sentence with an ASIN filled in is still a stock sentence.

    python -m console.review.boilerplate build DIR   # DIR of NNN.txt: "url:", "title:", "kind:", "---", text

rebuilds the data file from a folder of sources kept outside the project.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from console.review.similarity import normalise
from console.review.text import sentences as split_sentences
from console.review.text import tidy

__all__ = ["BEST", "K", "SHARED", "Scored", "Source", "build", "corpus", "score", "shingles"]

DATA = Path(__file__).parent / "data" / "boilerplate.json"
K = 3  # words per shingle
BEST = 0.6  # share of a sentence's shingles found in one stock sentence
SHARED = 0.8  # share of a sentence's shingles that several sources use
MIN_SHINGLES = 3  # a sentence shorter than K + 2 words is never judged boilerplate
SHARED_BY = 3  # a shingle is a stock phrase, a word stock vocabulary, when this many sources use it
VOCABULARY = 0.8  # share of an unspecific sentence's words that are stock vocabulary

# A template's blank: "[Your Store Name]", "<ASIN>", "{order id}", "XXXX", "____".
_BLANK = re.compile(r"\[[^\]\n]{1,60}\]|<[^>\n]{1,40}>|\{[^}\n]{1,40}\}|\bX{3,}\b|_{3,}")


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    kind: str


@dataclass(frozen=True)
class Scored:
    text: str
    verdict: str  # "boilerplate" | "specific" | "neither"
    best: float  # the largest share of its shingles found in one stock sentence
    shared: float  # the share of its shingles that several sources use
    vocabulary: float  # the share of its words that several sources use
    source: Source | None  # where the closest stock sentence comes from


def _words(sentence: str) -> list[str]:
    return normalise(_BLANK.sub(" zzblank ", sentence))


def _word_hashes(words: list[str]) -> list[int]:
    """Its words as stored: crc32, placeholders (zzasin, zznum...) left out."""
    return [zlib.crc32(w.encode()) for w in words if not w.startswith("zz")]


def shingles(sentence: str) -> tuple[int, ...]:
    """The crc32 hashes of the sentence's word K-shingles, normalised as stored (in order, repeats kept)."""
    words = _words(sentence)
    if len(words) < K:
        return ()
    return tuple(zlib.crc32(" ".join(words[i:i + K]).encode()) for i in range(len(words) - K + 1))


@dataclass(frozen=True)
class _Corpus:
    sources: tuple[Source, ...]
    postings: dict[int, tuple[int, ...]]  # shingle -> stock sentence numbers
    sizes: tuple[int, ...]  # per stock sentence: how many distinct shingles
    origin: tuple[int, ...]  # per stock sentence: its source number
    shared: frozenset[int]
    vocabulary: frozenset[int]


@lru_cache(maxsize=1)
def corpus() -> _Corpus:
    """The shipped stock sentences, indexed by shingle (loaded once)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if data.get("k") != K:
        raise ValueError(f"{DATA}: shingles of {data.get('k')} words, this reader uses {K}")
    sources = tuple(Source(s["url"], s.get("title", ""), s.get("kind", "other")) for s in data["sources"])
    postings: dict[int, list[int]] = {}
    sizes, origin = [], []
    for n, (src, hashes) in enumerate(data["sentences"]):
        for h in set(hashes):
            postings.setdefault(h, []).append(n)
        sizes.append(len(set(hashes)))
        origin.append(src)
    return _Corpus(sources, {h: tuple(v) for h, v in postings.items()}, tuple(sizes), tuple(origin),
                   frozenset(data["shared"]), frozenset(data["vocabulary"]))


def score(sentence: str, specific: bool, cites: bool = False) -> Scored:
    """One sentence of a draft judged against the stock sentences. `specific`: it names something of this
    case (a number, a date, a person, a supplier, a tool...); `cites`: it cites one of the notice's IDs (the
    caller knows them), which is specific too, but a template's filled-in blank: it does not make stock
    vocabulary any less stock."""
    mine = set(shingles(sentence))
    best, shared, vocabulary, source = 0.0, 0.0, 0.0, None
    c = corpus()
    if len(mine) >= MIN_SHINGLES:
        hits: dict[int, int] = {}
        for h in mine:
            for n in c.postings.get(h, ()):
                hits[n] = hits.get(n, 0) + 1
        if hits:
            n, inter = max(hits.items(), key=lambda kv: (kv[1], -c.sizes[kv[0]]))
            best = inter / len(mine)
            source = c.sources[c.origin[n]]
        shared = len(mine & c.shared) / len(mine)
        known = _word_hashes(_words(sentence))
        vocabulary = sum(h in c.vocabulary for h in known) / len(known) if known else 0.0
    if best >= BEST or shared >= SHARED or (not specific and vocabulary >= VOCABULARY):
        verdict = "boilerplate"
    else:
        verdict = "specific" if specific or cites else "neither"
        source = source if best >= BEST / 2 else None
    return Scored(sentence, verdict, round(best, 3), round(shared, 3), round(vocabulary, 3), source)


# --- building the data file ---------------------------------------------------------------------

_HEADER = re.compile(r"^(url|title|kind|also):\s*(.*)$")


def _read_source(path: Path) -> tuple[Source, str]:
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: no '---' line between the header and the text")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        if m := _HEADER.match(line.strip()):
            fields.setdefault(m.group(1), m.group(2).strip())
    if not fields.get("url"):
        raise ValueError(f"{path}: no url: line")
    return Source(fields["url"], fields.get("title", ""), fields.get("kind", "other")), body


def build(folder: Path) -> dict:
    """The data file's content from a folder of NNN.txt sources: each source's address, and each of its
    sentences as shingle hashes (no text)."""
    sources: list[Source] = []
    stock: list[tuple[int, tuple[int, ...]]] = []
    users: dict[int, set[int]] = {}
    speakers: dict[int, set[int]] = {}
    seen: set[tuple[int, ...]] = set()
    for path in sorted(folder.glob("*.txt")):
        source, body = _read_source(path)
        n = len(sources)
        sources.append(source)
        for h in _word_hashes(_words(body)):
            speakers.setdefault(h, set()).add(n)
        for line in tidy(body).split("\n"):
            for sentence in split_sentences(line.lstrip("-*#0123456789.) ")):
                hashes = shingles(sentence)
                if len(set(hashes)) < MIN_SHINGLES:
                    continue
                for h in hashes:
                    users.setdefault(h, set()).add(n)
                if hashes not in seen:
                    seen.add(hashes)
                    stock.append((n, hashes))
    shared = sorted(h for h, who in users.items() if len(who) >= SHARED_BY)
    vocabulary = sorted(h for h, who in speakers.items() if len(who) >= SHARED_BY)
    return {"k": K, "note": "word 3-shingles (crc32 of normalised words) of stock sentences, the shingles and "
                    "words several sources share (crc32); no text is kept",
            "sources": [{"url": s.url, "title": s.title, "kind": s.kind} for s in sources],
            "sentences": [[n, list(h)] for n, h in stock], "shared": shared,
            "vocabulary": vocabulary}


def _main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "build":
        print("usage: python -m console.review.boilerplate build DIR")
        return 2
    data = build(Path(argv[1]))
    DATA.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{DATA}: {len(data['sources'])} sources, {len(data['sentences'])} stock sentences, "
          f"{len(data['shared'])} shared shingles, {len(data['vocabulary'])} stock words")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
