"""Time the Today screen on a big notebook (Pilot): the screen and its data visible at start, longest loop stall.

    python benchmarks/today_tui_scale.py --db /tmp/copy-of-big.db [--runs 3] [--first-visit]

Works on a copy: Today records a visit when the app quits (--first-visit forgets it before each run, so every run
shows the last week, as a first visit does). The notebook needs a company in play (target, applied, interviewing).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network_tui_scale import StallMeter, painted, watch_paints  # noqa: E402


async def one_run(db: Path) -> dict[str, tuple[float, float, float]]:
    from textual.widgets import Static

    from researcher.tui.app import make_app

    out: dict[str, tuple[float, float, float]] = {}
    app = make_app(db)
    app.today_first = True
    with StallMeter() as meter:
        start = time.perf_counter()
        screen_up = painted(lambda: app.screen.query_one("#today-head", Static) is not None)
        data = painted(lambda: app.screen.loaded is not None)
        async with app.run_test(size=(120, 40)) as pilot:
            out["start -> Today drawn (Loading…)"] = (await screen_up - start, 0.0, 0.0)
            out["start -> Today's data"] = (await data - start, meter.worst, meter.busy)
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            with StallMeter() as m2:
                t0 = time.perf_counter()
                for _ in range(3):
                    await pilot.press("tab")
                await pilot.press(*["down"] * 20)
                out["tab x3, 20 rows down"] = (time.perf_counter() - t0, m2.worst, m2.busy)
            await pilot.press("1")
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            with StallMeter() as m3:
                t0 = time.perf_counter()
                back = painted(lambda: getattr(app.screen, "section", "") == "today" and app.screen.loaded is not None)
                await pilot.press("0")
                out["key 0 (back from Companies) -> Today"] = (await back - t0, m3.worst, m3.busy)
    return out


def forget_visit(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM settings WHERE key IN ('today_last_visit', 'today_last_item')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--first-visit", action="store_true", help="forget the recorded visit before each run")
    args = parser.parse_args()
    watch_paints()
    runs = []
    for _ in range(args.runs):
        if args.first_visit:
            forget_visit(args.db)
        runs.append(asyncio.run(one_run(args.db)))
    print(f"{'step':40} {'time ms':>8} {'stall ms':>9} {'busy ms':>8}   (medians of {args.runs}; worst stall, busy)")
    for step in runs[0]:
        elapsed, stall, busy = (statistics.median(r[step][i] for r in runs) * 1000 for i in range(3))
        worst = [max(r[step][i] for r in runs) * 1000 for i in (1, 2)]
        print(f"{step:40} {elapsed:8.0f} {stall:9.0f} {busy:8.0f}   ({worst[0]:.0f}, {worst[1]:.0f})")


if __name__ == "__main__":
    main()
