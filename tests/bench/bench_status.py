"""(e) `flagdesk status` at 100,000 notifications, against a bare Python script that opens the database
and runs one count query. Target: flagdesk status <= 2x the bare script.

Both are fresh interpreters (`python -m console status --db ...` and `python -c "import sqlite3; ..."`),
alternating, medians over the runs. Also checks that `status` never imports Textual.

    python tests/bench/bench_status.py [--runs 11] [--notifications 100000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BARE = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('SELECT count(*) FROM notifications').fetchone()[0])")


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=benchlib.ROOT)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=benchlib.LARGE["notifications"])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    db = str(benchlib.large_db(args.notifications))
    status = [sys.executable, "-m", "console", "status", "--db", db]
    bare = [sys.executable, "-c", BARE, db]
    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "console", "status", "--db", db],
                             capture_output=True, text=True, check=True, cwd=benchlib.ROOT)
    textual = [line for line in imports.stderr.splitlines() if line.rstrip().endswith(("| textual", "| rich"))]
    print(f"status imports Textual or Rich: {'yes' if textual else 'no'}")
    times: dict[str, list[float]] = {"status": [], "bare": []}
    for _ in range(args.runs):
        times["bare"].append(timed(bare))
        times["status"].append(timed(status))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"bare sqlite3 count script: median {med['bare'] * 1000:.0f} ms; flagdesk status: "
          f"{med['status'] * 1000:.0f} ms ({args.runs} runs each, alternating)")
    ratio = med["status"] / med["bare"]
    benchlib.report("e", f"flagdesk status, {args.notifications:,} notifications", f"{med['status'] * 1000:.0f} ms",
                    f"bare count script {med['bare'] * 1000:.0f} ms", f"{ratio:.2f}x", "<= 2x",
                    ratio <= 2.0 and not textual)


if __name__ == "__main__":
    main()
