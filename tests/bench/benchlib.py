"""Shared by the benchmark scripts: the cached large database, percentiles, and the verdict lines.

The large database (50 accounts, 100,000 notifications, 5,000 appeals with revisions, 10,000 cases,
made by `console.demo.seed.generate_large`) is generated once into a cache folder and reused: the file
name carries the sizes and a hash of the generator, so a changed generator makes a new file.
Benchmarks that write take a private copy (`scratch_copy`), so reruns see the same data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LARGE = {"accounts": 50, "notifications": 100_000, "appeals": 5_000, "contacts": 10_000}


def accounts_for(args) -> int:
    """The accounts of the database a benchmark asks for: --accounts, else 50 up to 100k notifications and 200
    from 1M on (the sizes of `flagdesk demo --size large` and `--size huge`)."""
    if getattr(args, "accounts", None):
        return args.accounts
    return 200 if args.notifications >= 1_000_000 else LARGE["accounts"]


def cache_dir() -> Path:
    """$FLAGDESK_BENCH_CACHE, else $XDG_CACHE_HOME/flagdesk-bench, else the temp folder's flagdesk-bench."""
    if os.environ.get("FLAGDESK_BENCH_CACHE"):
        folder = Path(os.environ["FLAGDESK_BENCH_CACHE"])
    elif os.environ.get("XDG_CACHE_HOME"):
        folder = Path(os.environ["XDG_CACHE_HOME"]) / "flagdesk-bench"
    else:
        folder = Path(tempfile.gettempdir()) / "flagdesk-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _generator_hash() -> str:
    h = hashlib.sha1()
    demo = ROOT / "console" / "demo"
    for path in sorted([demo / "seed.py", demo / "notices.py", *(demo / "data").rglob("*")]):
        if path.is_file():
            h.update(path.relative_to(demo).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]


def large_db(notifications: int = LARGE["notifications"], accounts: int = LARGE["accounts"],
             appeals: int = LARGE["appeals"], contacts: int = LARGE["contacts"], quiet: bool = False) -> Path:
    """The cached benchmark database with these sizes, generated on first use (about half a minute at 100k)."""
    from console.core.config import load
    from console.demo.seed import seed_large

    path = cache_dir() / f"large-{accounts}a-{notifications}n-{appeals}ap-{contacts}c-{_generator_hash()}.db"
    if not path.exists():
        t = time.perf_counter()
        seed_large(path, load(db_path=str(path)), _clock(), accounts=accounts, notifications=notifications,
                   appeals=appeals, contacts=contacts)
        if not quiet:
            print(f"generated {path.name} in {time.perf_counter() - t:.1f} s")
    elif not quiet:
        print(f"using cached {path}")
    return path


def _clock():
    from console.core.clock import Clock

    return Clock()


def scratch_copy(db: Path, folder: Path) -> Path:
    """A private copy of db (with the schema migrated once, outside any timing) for a benchmark that writes."""
    target = folder / db.name
    shutil.copyfile(db, target)
    return target


def long_appeal_id(db: Path) -> int:
    """The appeal with exactly 50 revisions that generate_large makes."""
    from console.demo.seed import LONG_APPEAL_REVISIONS

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id FROM appeals WHERE revision = ? ORDER BY id LIMIT 1",
                            (LONG_APPEAL_REVISIONS,)).fetchone()[0]
    finally:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(bench: str, what: str, figure: str, reference: str, ratio: str, target: str, ok: bool) -> None:
    """One human line, and one machine line (`RESULT {...}`) that run_all.py collects into its table."""
    print(f"[{bench}] {what}: {figure} (reference: {reference}; ratio {ratio}; target {target}) {verdict(ok)}")
    print("RESULT " + json.dumps({"bench": bench, "what": what, "figure": figure, "reference": reference,
                                  "ratio": ratio, "target": target, "ok": ok}, ensure_ascii=False))


async def press_and_paint(pilot, key: str, skip_group: str | None = None) -> float:
    """Milliseconds from a key event reaching the app to the screen painted with everything it caused.
    `skip_group`: workers of this group are not waited for (the inbox's exact count on a thread, "count":
    the screen is painted with the first rows before it is told, and painted again when it is).

    The key is posted to the app (as `pilot.press` does, without its idle-polling sleeps). The clock stops
    when every message queue of the app and the screen's widgets is empty and no worker is running (the
    chain key -> binding -> messages -> handlers -> workers has settled), and the screen's pending updates
    have been composited and written to the headless terminal (`Screen._on_timer_update`, which is what
    `pilot.pause()` ends with; a real terminal adds at most one frame, 1/60 s, of waiting for that timer).
    """
    from textual import events

    app = pilot.app
    event = events.Key(key, {"enter": "\r", "escape": "\x1b", "slash": "/"}.get(key, key if len(key) == 1 else None))
    event.set_sender(app)
    start = time.perf_counter()
    app.post_message(event)
    for _ in range(100):
        await pilot._wait_for_screen()
        if any(w.is_running and w.group != skip_group for w in app.workers):
            await app.workers.wait_for_complete([w for w in app.workers if w.group != skip_group])
            continue
        if all(node._message_queue.empty() for node in [app, *app.screen.walk_children(with_self=True)]):
            break
    app.screen._on_timer_update()
    return (time.perf_counter() - start) * 1000
