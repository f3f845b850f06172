"""Run every benchmark (a-g) at 100,000 notifications and print one table of the results.

Each script runs in its own process, one after the other (they share the cached large database, which
the first one generates if needed); their `RESULT` lines are collected into a Markdown table, the one in
README.md's Performance section. Exit status 1 when a target is missed.

    python tests/bench/run_all.py [--runs N] [--only a,b,...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {"a": "bench_launch.py", "b": "bench_keys.py", "c": "bench_filter.py", "d": "bench_memory.py",
           "e": "bench_status.py", "f": "bench_appeal.py", "g": "bench_bulk.py",
           "h": "bench_terminal.py", "i": "bench_locker.py"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="Passed to every script (each has its own default).")
    parser.add_argument("--only", default=",".join(SCRIPTS), help="Which benchmarks, e.g. a,e")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import benchlib

    benchlib.large_db()  # generate once, before any timing
    results = []
    for key in args.only.split(","):
        script = SCRIPTS[key.strip()]
        cmd = [sys.executable, str(HERE / script)] + (["--runs", str(args.runs)] if args.runs else [])
        print(f"$ python tests/bench/{script}" + (f" --runs {args.runs}" if args.runs else ""), flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append({**json.loads(line[7:]), "command": f"python tests/bench/{script}"})
            else:
                print("  " + line)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            results.append({"bench": key, "what": f"{script} failed", "figure": "-", "reference": "-",
                            "ratio": "-", "target": "-", "ok": False, "command": f"python tests/bench/{script}"})
    print()
    print("| | Benchmark | Figure | Reference | Ratio | Target | Result | Command |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['bench']} | {r['what']} | {r['figure']} | {r['reference']} | {r['ratio']} | {r['target']} | "
              f"{'PASS' if r['ok'] else '**MISS**'} | `{r['command']}` |")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
