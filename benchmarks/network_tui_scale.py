"""Time the Network and People screens on a big notebook (Pilot): data visible after the key, longest loop stall.

    python benchmarks/network_tui_scale.py --db /tmp/copy-of-big.db [--runs 5]

Works on a copy (opening migrates and the runs write nothing, but never point it at a notebook you use).
Each figure is the median of the runs; "stall" is the longest the event loop went without running a 5 ms
ticker while that step ran, "busy" the most CPU the loop's thread spent in one such gap (a gap also holds
the time other processes had the CPU, on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path


class StallMeter:
    """A ticker on the app's event loop: the longest gap between its ticks beyond the 5 ms it sleeps (`worst`),
    and the most CPU the loop's thread used within one gap (`busy`: on a shared machine a gap also holds the
    time other processes had the CPU)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.busy = 0.0
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            start, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - start - 0.005)
            self.busy = max(self.busy, time.thread_time() - cpu)

    def __enter__(self) -> StallMeter:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()


_keys = itertools.count()
_checks: dict[int, Callable[[], bool]] = {}
_painted: dict[int, float] = {}


def watch_paints() -> None:
    """After each paint of a screen, note the moment a pending check first holds: what the user sees."""
    from textual.screen import Screen

    original = Screen._compositor_refresh

    def refresh(self) -> None:
        original(self)
        for key, check in list(_checks.items()):
            try:
                shown = check()
            except Exception:  # (the screen looked for is not up yet)
                shown = False
            if shown:
                _painted[key] = time.perf_counter()
                del _checks[key]

    Screen._compositor_refresh = refresh  # type: ignore[method-assign]


def painted(check: Callable[[], bool], timeout: float = 30.0) -> Awaitable[float]:
    """Watch from now for a paint that shows what `check` looks for; await the result for its time."""
    key = next(_keys)
    _checks[key] = check

    async def wait() -> float:
        await until(lambda: key in _painted, timeout)
        return _painted.pop(key)

    return wait()


async def until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > end:
            raise TimeoutError("the screen never showed its data")
        await asyncio.sleep(0.002)


async def measure(step: Callable[[], Awaitable[float | tuple[float, float]]]) -> tuple[float, float, float]:
    """Time from the step's start (or the moment it gives) to the paint it returns (Pilot's press waits until
    the whole process, reader threads included, is idle: later than the user sees the result), and the
    loop's stall and busy while it ran."""
    with StallMeter() as meter:
        start = time.perf_counter()
        shown = await step()
        if isinstance(shown, tuple):
            start, shown = shown
    return shown - start, meter.worst, meter.busy


async def one_run(db: Path, freeze: bool = False) -> dict[str, tuple[float, float, float]]:
    from textual.widgets import DataTable

    from researcher.tui.app import make_app

    app = make_app(db)
    out: dict[str, tuple[float, float, float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:

        async def settle() -> None:  # each step starts on an idle app (the first screen lays out 3,000 rows)
            await app.workers.wait_for_complete()
            await pilot.pause(1.0)

        await settle()
        if freeze:  # what the app would gain from gc.freeze() once started (the objects of the first screen)
            gc.freeze()

        async def open_network() -> float:
            shown = painted(lambda: app.screen.query_one("#follow-ups-table", DataTable).row_count > 0)
            await pilot.press("4")
            return await shown

        out["Network: key 4 -> first rows"] = await measure(open_network)
        await settle()
        await pilot.press("tab", "tab")
        await settle()
        table = app.screen.query_one("#never-table", DataTable)

        rows = min(1000, app.screen.totals["never"] - 1)  # (the demo has fewer)

        async def scroll() -> float:
            shown = painted(lambda: table.cursor_row >= rows)
            for _ in range(rows // 50):
                await pilot.press(*["down"] * 50)
            await pilot.press(*["down"] * (rows % 50))
            return await shown

        out["Network: never contacted, 1,000 rows down"] = await measure(scroll)
        await settle()

        async def open_people() -> float:
            shown = painted(lambda: app.screen.query_one("#people-list", DataTable).row_count > 0)
            await pilot.press("2")
            return await shown

        out["People: key 2 -> first rows"] = await measure(open_people)
        await settle()
        screen = app.screen

        await pilot.press("slash")
        counted: list[Awaitable[float]] = []
        last_key: list[float] = []

        async def type_filter() -> float:
            # A quick typist, a key every 80 ms (Pilot's press would wait for the readers to finish).
            rows = painted(lambda: not screen.reading and screen.parsed.filters.get("query") == "head")
            counted.append(painted(lambda: screen.total is not None and screen.parsed.filters.get("query") == "head"))
            for key in "hea":
                app.simulate_key(key)
                await asyncio.sleep(0.08)
            last = time.perf_counter()
            last_key.append(last)
            app.simulate_key("d")
            return last, await rows

        out["People: 'head' typed; 'd' -> its rows"] = await measure(type_filter)

        async def count() -> tuple[float, float]:
            return last_key[0], await counted[0]

        out["People: ... 'd' -> its count"] = await measure(count)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() once the app has started")
    args = parser.parse_args()
    watch_paints()
    runs = [asyncio.run(one_run(args.db, args.gc_freeze)) for _ in range(args.runs)]
    print(f"{'step':45} {'time ms':>8} {'stall ms':>9} {'busy ms':>8}   (medians of {args.runs}; worst stall, busy)")
    for step in runs[0]:
        elapsed, stall, busy = (statistics.median(r[step][i] for r in runs) * 1000 for i in range(3))
        worst = [max(r[step][i] for r in runs) * 1000 for i in (1, 2)]
        print(f"{step:45} {elapsed:8.0f} {stall:9.0f} {busy:8.0f}   ({worst[0]:.0f}, {worst[1]:.0f})")


if __name__ == "__main__":
    main()
