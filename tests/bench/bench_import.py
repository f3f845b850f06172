"""Importing a 10,000-message Maildir, against a bare loop that only parses the same files with the standard
library (email.message_from_binary_file, compat32), in the same run. Target: import <= 3.5x the bare loop.

    python tests/bench/bench_import.py [--messages 10000] [--runs 3]

With --runs N, the bare loop, the import (into a new database) and the re-import are each measured N times,
alternating, on the same files; the medians are printed, and the ratio is the median of the runs' ratios.
An import this big parses in worker processes (console/ingest/parallel.py), one per core: on the shared
2-core machine the ratio moves with the other sessions' load (the bare loop, on one core, slows more).
"""

from __future__ import annotations

import argparse
import email
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def make_maildir(folder: Path, count: int) -> None:
    """Realistic notices: the demo's texts as emails to two accounts' notice addresses, unique ids."""
    from console.demo import notices as demo_data

    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    for i in range(count):
        notice = demo_data.NOTICES[i % len(demo_data.NOTICES)]
        subject, _, body = notice["text"].partition("\n")
        to = "notices+a@ops.example.com" if i % 2 else "notices+b@ops.example.com"
        raw = (f"From: seller-performance@amazon.com\nTo: {to}\nSubject: {subject.removeprefix('Subject: ')}\n"
               f"Message-ID: <bench-{i}@amazon.com>\nDate: Thu, 26 Nov 2026 10:{i % 60:02d}:00 +0000\n"
               f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")
        (folder / "new" / f"{1762900000 + i}.M{i}P1.box").write_text(raw, encoding="utf-8")


def bare_loop(folder: Path) -> int:
    n = 0
    for path in sorted((folder / "new").iterdir()):
        with path.open("rb") as fh:
            msg = email.message_from_binary_file(fh)
        n += bool(msg["Subject"])
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    from console.core import config
    from console.core.clock import Clock
    from console.desk import Desk
    from console.ingest.pipeline import Importer
    from console.store.db import open_store

    bares, imports, reruns, ratios = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        maildir = Path(tmp) / "Maildir"
        make_maildir(maildir, args.messages)
        for run in range(args.runs):
            t = time.perf_counter()
            parsed = bare_loop(maildir)
            bare = time.perf_counter() - t
            db_path = Path(tmp) / f"bench{run}.db"
            store = open_store(db_path, "bench", Clock())
            desk = Desk(store, config.load(db_path=db_path), Clock())
            desk.add_account("A", ["US"], ["notices+a@ops.example.com"])
            desk.add_account("B", ["US"], ["notices+b@ops.example.com"])
            t = time.perf_counter()
            summary = Importer(desk).run([maildir])
            imported = time.perf_counter() - t
            t = time.perf_counter()
            again = Importer(desk).run([maildir])
            rerun = time.perf_counter() - t
            store.close()
            bares.append(bare)
            imports.append(imported)
            reruns.append(rerun)
            ratios.append(imported / bare)
            if args.runs > 1:
                print(f"run {run + 1}: bare {bare:.2f} s, import {imported:.2f} s, re-import {rerun:.2f} s, "
                      f"ratio {imported / bare:.2f}")
    from console.ingest import parallel, pipeline

    label = f" (median of {args.runs})" if args.runs > 1 else ""
    print(f"parsing workers: {parallel.worker_count()} (for a Maildir of over {pipeline.PARALLEL_MIN:,} files)")
    print(f"bare stdlib parse loop: {parsed} messages in {statistics.median(bares):.2f} s{label}")
    print(f"flagdesk import: {summary.imported} imported, {len(summary.failed)} failed in "
          f"{statistics.median(imports):.2f} s{label}")
    print(f"re-import (all duplicates: {again.duplicates}): {statistics.median(reruns):.2f} s{label}")
    print(f"ratio import / bare loop: {statistics.median(ratios):.2f} (target <= 3.5)")


if __name__ == "__main__":
    main()
