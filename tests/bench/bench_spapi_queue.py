"""Importing a seller's SP-API queue dump where listing issues are common, against the same dump with every
notification of a type flagdesk skips (read, counted, nothing stored), in the same run.

    python tests/bench/bench_spapi_queue.py [--notifications 5000] [--runs 3]

The dump is one `aws sqs receive-message`-style JSON lines file: a third LISTINGS_ITEM_ISSUES_CHANGE
(over 500 SKUs, each reported and then cleared, so that clears resolve notices), the rest ORDER_CHANGE and
ANY_OFFER_CHANGED. Each import goes into a new database; the re-import (all duplicates) is timed too.
The figure is the cost per stored listing notice, the ratio the whole import against the skip-only dump.
Target: ratio <= 6 (a listing notice is an insert, an audit row and three indexed lookups; a skip is none).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

DATA = ROOT / "tests" / "data" / "spapi"
TARGET = 6.0


def _sqs(body: dict, i: int) -> str:
    return json.dumps({"Messages": [{"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": json.dumps(body)}]})


def make_dump(path: Path, count: int, listings: bool) -> int:
    """The dump; returns how many listing notifications it holds (0 when `listings` is False)."""
    issue = json.loads((DATA / "listings" / "v1.json").read_text())
    clear = json.loads((DATA / "listings" / "cleared.json").read_text())
    others = [json.loads((DATA / "types" / f"{t}.json").read_text()) for t in ("ORDER_CHANGE", "ANY_OFFER_CHANGED")]
    lines, n_listing = [], 0
    for i in range(count):
        if i % 3 == 0 and listings:
            sku = f"FD-BENCH-{(i // 3) % 600:04d}"
            cleared = (i // 3) % 1200 >= 600  # the first round reports each SKU, the second clears it
            doc = copy.deepcopy(clear if cleared else issue)
            payload = doc.get("payload") or doc["Payload"]
            payload["sku" if cleared else "Sku"] = sku
            (doc.get("notificationMetadata") or doc["NotificationMetadata"])[
                "notificationId" if cleared else "NotificationId"] = f"bench-listing-{i}"
            doc["eventTime" if cleared else "EventTime"] = f"2025-04-{1 + i * 28 // count:02d}T10:00:00Z"
            n_listing += 1
        else:
            doc = copy.deepcopy(others[i % 2])
            meta = doc.get("NotificationMetadata") or doc.get("notificationMetadata")
            meta["NotificationId" if "NotificationId" in meta else "notificationId"] = f"bench-other-{i}"
        lines.append(_sqs(doc, i))
    path.write_text("\n".join(lines) + "\n")
    return n_listing


def timed_import(tmp: Path, name: str, dump: Path):
    from console.core import config
    from console.core.clock import Clock
    from console.desk import Desk
    from console.ingest.pipeline import Importer
    from console.store.db import open_store

    db_path = tmp / f"{name}.db"
    store = open_store(db_path, "bench", Clock())
    desk = Desk(store, config.load(db_path=db_path), Clock())
    desk.add_account("Northwind", ["US"], seller_id="A2FLAGDESKTEST")
    t = time.perf_counter()
    summary = Importer(desk).run([dump])
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = Importer(desk).run([dump])
    rerun = time.perf_counter() - t
    store.close()
    return first, rerun, summary, again


def main() -> None:
    from benchlib import report

    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    firsts, reruns, bases, ratios = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mixed, skipped = tmp / "mixed.jsonl", tmp / "skipped.jsonl"
        n_listing = make_dump(mixed, args.notifications, listings=True)
        make_dump(skipped, args.notifications, listings=False)
        for run in range(args.runs):
            base, _, _, _ = timed_import(tmp, f"base{run}", skipped)
            first, rerun, summary, again = timed_import(tmp, f"mixed{run}", mixed)
            bases.append(base)
            firsts.append(first)
            reruns.append(rerun)
            ratios.append(first / base)
    assert summary.failed == [] and again.imported == 0, (summary.failed[:3], again.imported)
    label = f" (median of {args.runs})" if args.runs > 1 else ""
    first, base, ratio = statistics.median(firsts), statistics.median(bases), statistics.median(ratios)
    per = (first - base) / max(1, summary.imported + summary.cleared) * 1000
    print(f"dump: {args.notifications:,} notifications, {n_listing:,} of them LISTINGS_ITEM_ISSUES_CHANGE")
    print(f"skip-only dump: {base:.2f} s{label}")
    print(f"mixed dump: {summary.imported:,} listing notices, {summary.cleared:,} clears resolving "
          f"{summary.resolved:,}, {sum(summary.skipped_types.values()):,} skipped in {first:.2f} s{label}")
    print(f"re-import (duplicates {again.duplicates:,}): {statistics.median(reruns):.2f} s{label}")
    report("spapi", "import a queue dump with listing issues", f"{per:.2f} ms per listing notification",
           f"skip-only dump {base:.2f} s", f"{ratio:.2f}", f"<= {TARGET}", ratio <= TARGET)


if __name__ == "__main__":
    main()
