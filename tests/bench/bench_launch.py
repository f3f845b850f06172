"""Launch to first painted inbox, against a minimal Textual app (Header, DataTable, Footer) started the same way.

Each run is a fresh Python process (imports included), headless at 160x48; the clock stops when the
first screen has been painted. Both apps alternate in one run, so machine noise hits both alike.

    python tests/bench/bench_launch.py [--notifications 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def child(kind: str, db: str) -> None:
    start = float(os.environ["BENCH_T0"])
    if kind == "flagdesk":
        from console import config
        from console.desk import Desk
        from console.tui.app import make_app

        app = make_app(Desk.open(config.load(db_path=db)), live_refresh=False)
    else:
        import sqlite3

        from textual.app import App
        from textual.widgets import DataTable, Footer, Header

        class Minimal(App):
            def compose(self):
                yield Header()
                yield DataTable()
                yield Footer()

            def on_mount(self):
                table = self.query_one(DataTable)
                table.add_columns("id", "subject", "status")
                conn = sqlite3.connect(db)
                table.add_rows(conn.execute("SELECT id, subject, status FROM notifications LIMIT 100").fetchall())

        app = Minimal()

    async def painted(pilot):
        await pilot.pause()
        print(f"{time.time() - start:.4f}")
        pilot.app.exit()

    app.run(headless=True, size=(160, 48), auto_pilot=painted)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["flagdesk", "minimal"])
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db)
        return

    from console.clock import Clock
    from console.demo import generate_large
    from console.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        t = time.perf_counter()
        store = open_store(db, "bench", Clock())
        generate_large(store, args.accounts, args.notifications)
        store.close()
        print(f"generated {args.notifications} notifications in {time.perf_counter() - t:.1f} s")
        times: dict[str, list[float]] = {"flagdesk": [], "minimal": []}
        for _ in range(args.runs):
            for kind in ("minimal", "flagdesk"):
                env = {**os.environ, "BENCH_T0": repr(time.time()), "TEXTUAL_ANIMATIONS": "none"}
                out = subprocess.run([sys.executable, __file__, "--child", kind, "--db", db], env=env,
                                     capture_output=True, text=True, check=True).stdout
                times[kind].append(float(out.strip().splitlines()[-1]))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"minimal app (Header, DataTable, Footer): median {med['minimal'] * 1000:.0f} ms")
        print(f"flagdesk inbox at {args.notifications}: median {med['flagdesk'] * 1000:.0f} ms")
        print(f"ratio flagdesk / minimal: {med['flagdesk'] / med['minimal']:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
