"""(c) Filter at 100,000 notifications: a full-text query, from enter in the filter box to the painted
results. Targets: p95 <= 100 ms at 100,000, <= 200 ms at 1,000,000 (issue 14).

The real console headless at 160x48 in this process, on the cached large database (read only). Each
repetition opens the box (/), types one of the queries below (untimed), then the clock runs from enter
until the screen is painted (the same barrier as bench_keys.py); esc clears it again (untimed).

Words with other conditions whose exact count is slow ("safety status:open" at 1M) are painted with their
first rows and "1,000+ shown" while the exact count is told on a thread: the target is that first paint
(the operator reads and moves meanwhile); the time until the exact count is painted too is printed beside it.

    python tests/bench/bench_filter.py [--runs 30] [--notifications 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TARGET_MS = 100.0
QUERIES = ["trademark", "counterfeit", "tracking", "invoice", "suppressed", "patent OR trademark", "authentic*",
           "late shipment", "\"letter of authorization\"", "safety status:open", "refund",
           "policy"]


async def measure(db: Path, runs: int) -> tuple[list[float], dict[str, int], dict[str, list[float]]]:
    from textual.widgets import Input

    from console.core import config
    from console.desk import Desk
    from console.tui.app import make_app
    from console.tui.widgets.notice_list import NoticeList

    app = make_app(Desk.open(config.load(db_path=str(db))), live_refresh=False)
    times, shown, per, exact = [], {}, {}, {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()

        for i in range(runs):
            query = QUERIES[i % len(QUERIES)]
            await pilot.press("slash")
            await pilot.pause()
            box = app.screen.query_one("#filter", Input)
            box.value = query
            await pilot.pause()
            start = time.perf_counter()
            times.append(await benchlib.press_and_paint(pilot, "enter", skip_group="count"))
            per.setdefault(query, []).append(times[-1])
            notices = app.screen.query_one(NoticeList)
            if notices.counting:  # painted from the bound: then the exact count, painted
                await app.workers.wait_for_complete()
                await pilot._wait_for_screen()
                app.screen._on_timer_update()
                exact.setdefault(query, []).append((time.perf_counter() - start) * 1000)
                assert not notices.counting, f"{query}: the exact count was not told"
            shown[query] = notices.total
            assert app.screen.query_text == query, f"filter not applied: {query} (focused {app.focused}, text {app.screen.query_text!r}, value {box.value!r})"
            await pilot.press("escape")
            await pilot.pause()
    return times, shown, per, exact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=benchlib.LARGE["notifications"])
    parser.add_argument("--accounts", type=int, default=None,
                        help="accounts (default: 50, and 200 from 1,000,000 notifications on)")
    parser.add_argument("--runs", type=int, default=36)
    args = parser.parse_args()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

    db = benchlib.large_db(args.notifications, accounts=benchlib.accounts_for(args))
    times, shown, per, exact = asyncio.run(measure(db, args.runs))
    for query, total in shown.items():
        told = f"; exact count painted after max {max(exact[query]):.0f} ms" if query in exact else ""
        print(f"  {query!r}: {total:,} shown, first paint max {max(per[query]):.0f} ms{told}")
    p50, p95 = benchlib.percentile(times, 50), benchlib.percentile(times, 95)
    target = 200.0 if args.notifications >= 1_000_000 else TARGET_MS
    print(f"filter to painted results: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms "
          f"({len(times)} queries)")
    benchlib.report("c", f"full-text filter to painted results, {args.notifications:,} notifications",
                    f"p95 {p95:.1f} ms", "target in absolute time", f"{p95 / target:.2f} of the target",
                    f"p95 <= {target:.0f} ms", p95 <= target)


if __name__ == "__main__":
    main()
