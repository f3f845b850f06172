"""(i) Opening an appeal that carries 20 attachments, to its first checklist, with the evidence locker's list as
F6 shows it. Target: p95 <= 300 ms (issue 12).

On a private copy of the cached large database (50 accounts, 100,000 notifications, 5,000 appeals; the copy is
made through SQLite from a read-only connection, so the shared cache is never migrated): a draft appeal of an
authenticity complaint gets 20 real files (PDF, PNG, JPEG, GIF and TIFF of noise written by Pillow, 10-150 KB each,
about 1.2 MB in all) stored in the database; each run, in a fresh process, opens the Desk and does what the editor does on
`a` — `Desk.open_appeal`, its context (which lists the attachments for the evidence check), its history, the
first `Desk.check_appeal` — then lists the attachments as F6 does. The reference is the same open of a draft
with none, interleaved run by run.

    python tests/bench/bench_locker.py [--runs 12] [--notifications 100000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TARGET_MS = 300.0
FILES = 20


def open_once(db: str, nid: int) -> None:
    """One run, in this (fresh) process: print its milliseconds and what it found."""
    from console.core import config
    from console.desk import Desk

    cfg = config.load(db_path=db)
    t = time.perf_counter()
    desk = Desk.open(cfg)
    appeal = desk.open_appeal(nid)
    context = desk.appeal_context(appeal)
    desk.own_history(appeal)
    results = desk.check_appeal(appeal, appeal.text, context)
    listed = desk.attachments(appeal)
    ms = (time.perf_counter() - t) * 1000
    evidence = next(r for r in results if r.id == "evidence")
    print(json.dumps({"ms": ms, "attachments": len(listed), "evidence": f"{evidence.status}: {evidence.reason}"}))


def private_copy(db: Path, folder: Path) -> Path:
    """The cached database copied through SQLite, read-only on the source (never migrated by this branch)."""
    target = folder / db.name
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = sqlite3.connect(target)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()
    return target


def real_files(folder: Path) -> list[Path]:
    from PIL import Image

    formats = [("pdf", "PDF"), ("png", "PNG"), ("jpg", "JPEG"), ("gif", "GIF"), ("tiff", "TIFF")]
    paths = []
    for i in range(FILES):
        ext, fmt = formats[i % len(formats)]
        side = 60 + 12 * i
        img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buf = io.BytesIO()
        img.save(buf, format=fmt)
        path = folder / f"evidence-{i:02d}.{ext}"
        path.write_bytes(buf.getvalue())
        paths.append(path)
    return paths


def draft_of_authenticity(desk, skip: set[int]) -> int:
    """An authenticity notification with no appeal yet: its id (a draft is started on it)."""
    row = desk.store.rows("SELECT n.id FROM notifications n WHERE n.cause = 'authenticity' AND NOT EXISTS "
                          "(SELECT 1 FROM appeals a WHERE a.notification_id = n.id) AND n.asins != '[]' "
                          f"AND n.id NOT IN ({','.join(map(str, skip)) or '0'}) ORDER BY n.id LIMIT 1")
    return row[0]["id"]


def measure(db: Path, nid: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--open-child", str(db), str(nid)], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=benchlib.LARGE["notifications"])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--open-child", nargs=2, metavar=("DB", "NOTIFICATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open_child:
        open_once(args.open_child[0], int(args.open_child[1]))
        return

    from console.core import config
    from console.desk import Desk

    with tempfile.TemporaryDirectory(prefix="flagdesk-bench-locker-") as tmp:
        folder = Path(tmp)
        db = private_copy(benchlib.large_db(args.notifications), folder)
        desk = Desk.open(config.load(db_path=str(db)))  # migrates the copy once, outside the timing
        loaded = draft_of_authenticity(desk, set())
        bare = draft_of_authenticity(desk, {loaded})
        appeal = desk.new_appeal(loaded, "## Root cause\n\nWe bought from a wholesaler we had not checked.\n")
        desk.new_appeal(bare, "## Root cause\n\nWe bought from a wholesaler we had not checked.\n")
        t = time.perf_counter()
        total = 0
        for i, path in enumerate(real_files(folder)):
            kind = ("invoice", "supplier_details", "photo", "other")[i % 4]
            total += desk.attach_file(appeal, path, kind, "2026-10-01" if kind == "invoice" else None).size
        attach_ms = (time.perf_counter() - t) * 1000
        desk.close()
        print(f"attached {FILES} files ({total / 1024 / 1024:.1f} MB) to appeal #{appeal.id} in {attach_ms:.0f} ms "
              f"({attach_ms / FILES:.1f} ms each, a transaction and an audit row apiece)")
        with_files, without = [], []
        found = {}
        for _ in range(max(args.runs, 1)):  # interleaved: the machine's noise falls on both alike
            found = measure(db, loaded)
            with_files.append(found["ms"])
            without.append(measure(db, bare)["ms"])
    p50, p95 = benchlib.percentile(with_files, 50), benchlib.percentile(with_files, 95)
    r95 = benchlib.percentile(without, 95)
    print(f"open with {found['attachments']} attachments (fresh process, `a` to the first checklist and the F6 "
          f"list): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(with_files):.1f} ms ({len(with_files)} runs); "
          f"evidence {found['evidence']}")
    print(f"reference, a draft with none: p50 {benchlib.percentile(without, 50):.1f} ms, p95 {r95:.1f} ms")
    benchlib.report("i", f"opening an appeal with {FILES} attachments to its first checklist",
                    f"p95 {p95:.1f} ms", f"none attached p95 {r95:.1f} ms", f"{p95 / r95:.2f}× the reference, "
                    f"{p95 / TARGET_MS:.2f} of the target", f"p95 <= {TARGET_MS:.0f} ms", p95 <= TARGET_MS)


if __name__ == "__main__":
    main()
