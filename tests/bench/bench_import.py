"""Importing a 10,000-message Maildir, against a bare loop that only parses the same files with the standard
library (email.message_from_binary_file, compat32), in the same run. Target: import <= 3.5x the bare loop.

    python tests/bench/bench_import.py [--messages 10000]
"""

from __future__ import annotations

import argparse
import email
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def make_maildir(folder: Path, count: int) -> None:
    """Realistic notices: the demo's texts as emails to two accounts' notice addresses, unique ids."""
    from console import demo_data

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
    args = parser.parse_args()

    from console import config
    from console.clock import Clock
    from console.desk import Desk
    from console.ingest.pipeline import Importer
    from console.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        maildir = Path(tmp) / "Maildir"
        make_maildir(maildir, args.messages)
        t = time.perf_counter()
        parsed = bare_loop(maildir)
        bare = time.perf_counter() - t
        store = open_store(Path(tmp) / "bench.db", "bench", Clock())
        desk = Desk(store, config.load(db_path=Path(tmp) / "bench.db"), Clock())
        desk.add_account("A", ["US"], ["notices+a@ops.example.com"])
        desk.add_account("B", ["US"], ["notices+b@ops.example.com"])
        t = time.perf_counter()
        summary = Importer(desk).run([maildir])
        imported = time.perf_counter() - t
        t = time.perf_counter()
        again = Importer(desk).run([maildir])
        rerun = time.perf_counter() - t
        store.close()
    print(f"bare stdlib parse loop: {parsed} messages in {bare:.2f} s")
    print(f"flagdesk import: {summary.imported} imported, {len(summary.failed)} failed in {imported:.2f} s")
    print(f"re-import (all duplicates: {again.duplicates}): {rerun:.2f} s")
    print(f"ratio import / bare loop: {imported / bare:.2f} (target <= 3.5)")


if __name__ == "__main__":
    main()
