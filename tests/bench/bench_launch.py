"""(a) Launch to first painted inbox at 100,000 notifications, against a minimal Textual app (Header,
DataTable, Footer) started the same way. Target: flagdesk <= 1.5x the minimal app.

Each run is a fresh Python process (imports included), headless at 160x48; the clock starts before the
interpreter is spawned and stops when the first screen has been painted. Both apps alternate in one run,
so machine noise hits both alike. The database is the cached large one (see benchlib.py).

    python tests/bench/bench_launch.py [--runs 7] [--notifications 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def make_app(kind: str, db: str):
    """flagdesk's console on db, or the minimal reference app showing 100 of its rows."""
    if kind == "flagdesk":
        from console.core import config
        from console.desk import Desk
        from console.tui.app import make_app as flagdesk_app

        return flagdesk_app(Desk.open(config.load(db_path=db)), live_refresh=False)
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
            table.focus()

    return Minimal()


def child(kind: str, db: str) -> None:
    start = float(os.environ["BENCH_T0"])
    app = make_app(kind, db)

    async def painted(pilot):
        await pilot.pause()
        print(f"{time.time() - start:.4f}")
        pilot.app.exit()

    app.run(headless=True, size=(160, 48), auto_pilot=painted)


def spawn(script: str, kind: str, db: Path) -> str:
    env = {**os.environ, "BENCH_T0": repr(time.time()), "TEXTUAL_ANIMATIONS": "none"}
    return subprocess.run([sys.executable, script, "--child", kind, "--db", str(db)], env=env,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=benchlib.LARGE["notifications"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["flagdesk", "minimal"])
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db)
        return

    db = benchlib.large_db(args.notifications)
    spawn(__file__, "flagdesk", db)  # migrate the cached file once and warm the OS cache, untimed
    times: dict[str, list[float]] = {"flagdesk": [], "minimal": []}
    for _ in range(args.runs):
        for kind in ("minimal", "flagdesk"):
            times[kind].append(float(spawn(__file__, kind, db)))
    med = {k: statistics.median(v) for k, v in times.items()}
    for kind, label in (("minimal", "minimal app (Header, DataTable, Footer)"), ("flagdesk", "flagdesk inbox")):
        print(f"{label}: median {med[kind] * 1000:.0f} ms over {args.runs} runs "
              f"(min {min(times[kind]) * 1000:.0f}, max {max(times[kind]) * 1000:.0f})")
    ratio = med["flagdesk"] / med["minimal"]
    benchlib.report("a", f"launch to first painted inbox, {args.notifications:,} notifications",
                    f"{med['flagdesk'] * 1000:.0f} ms", f"minimal app {med['minimal'] * 1000:.0f} ms",
                    f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)


if __name__ == "__main__":
    main()
