"""How well flagdesk reads notices: per-field accuracy and a fate x severity table on the labelled corpus.

    python tests/bench/bench_reading.py [--misses]

The corpus (tests/data/notices/corpus/, texts written for this project with labels.toml) is read the way
`flagdesk explain --file` reads a text; the figures printed are the share of notices whose fate, cause,
severity and deadline match the labels. Targets: 97% fate, cause and severity; 98% deadlines.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "data" / "notices" / "corpus"
RECEIVED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TARGETS = {"fate": 0.97, "cause": 0.97, "severity": 0.97, "deadline": 0.98}


def expected_deadline(label: dict):
    if "deadline_days" in label:
        return (RECEIVED + timedelta(days=label["deadline_days"])).date()
    if "deadline_date" in label:
        return datetime.fromisoformat(label["deadline_date"]).date()
    return None


def readings():
    from console.desk import Desk

    labels = tomllib.loads((CORPUS / "labels.toml").read_text(encoding="utf-8"))["notice"]
    for label in labels:
        text = (CORPUS / label["file"]).read_text(encoding="utf-8")
        x, r = Desk.read_text(text, RECEIVED)
        yield label, x, r


def speed(rounds: int = 5) -> None:
    """The reading's cost beside the field extraction's, on the same texts in one run (a ratio: these
    machines are noisy). Medians of `rounds` passes over the corpus."""
    import statistics
    import time

    from console.core.reading import load_rules, read
    from console.ingest.extract import extract

    texts = [(CORPUS / label["file"]).read_text(encoding="utf-8")
             for label in tomllib.loads((CORPUS / "labels.toml").read_text(encoding="utf-8"))["notice"]]
    extracted = [extract(t, RECEIVED) for t in texts]
    rules = load_rules()
    took = {"extract": [], "read": []}
    for _ in range(rounds):
        started = time.perf_counter()
        for t in texts:
            extract(t, RECEIVED)
        took["extract"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for x in extracted:
            read(x.subject, x.body, rules)
        took["read"].append(time.perf_counter() - started)
    per = {k: statistics.median(v) / len(texts) * 1000 for k, v in took.items()}
    print(f"\nspeed over {len(texts)} notices, median of {rounds}: extract {per['extract']:.3f} ms/notice, "
          f"of which the reading (fate, cause, severity) {per['read']:.3f} ms/notice ({per['read'] / per['extract']:.0%})")


def main() -> None:
    show_misses = "--misses" in sys.argv
    right, total, misses = Counter(), 0, []
    table: Counter = Counter()
    for label, x, r in readings():
        total += 1
        got = {"fate": r.fate, "cause": r.cause, "severity": r.severity,
               "deadline": x.deadline_at.date() if x.deadline_at else None}
        want = {"fate": label["fate"], "cause": label["cause"], "severity": label["severity"],
                "deadline": expected_deadline(label)}
        for key in got:
            if got[key] == want[key]:
                right[key] += 1
            else:
                misses.append(f"{label['file']}: {key} {got[key]} (labelled {want[key]})")
        table[(label["fate"], r.severity)] += 1
    print(f"reading {total} labelled notices ({CORPUS.relative_to(ROOT)})")
    for key, target in TARGETS.items():
        share = right[key] / total if total else 0.0
        print(f"  {key:<9} {right[key]:>4}/{total}  {share:6.1%}  target >= {target:.0%}  "
              f"{'PASS' if share >= target else 'below'}")
    fates = sorted({f for f, _ in table})
    print("\nfate (labelled) x severity (read)")
    print(f"  {'':<22}" + "".join(f"{s:>10}" for s in ("critical", "high", "medium", "low")))
    for fate in fates:
        print(f"  {fate:<22}" + "".join(f"{table[(fate, s)]:>10}" for s in ("critical", "high", "medium", "low")))
    speed()
    if show_misses:
        print("\nmisses:")
        print("\n".join(f"  {m}" for m in misses))


if __name__ == "__main__":
    main()
