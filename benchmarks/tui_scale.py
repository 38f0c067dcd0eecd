#!/usr/bin/env python3
"""The TUI at scale: event-loop stalls and key-to-data times, on a big notebook and on the demo.

Drives the app with Textual's Pilot (headless, 120x40) through what a user does every morning, while a
monitor task in the same event loop ticks every 2 ms and records the longest gap between ticks: that gap
is how long the app could not answer a key (a stall). For each step it also times the key to "data
visible": the screen of the step is on top, no worker of the app is still running (screens load in
thread workers) and the screen has processed its messages.

Steps: start (Companies), a key bound to nothing (what the harness itself costs: Pilot waits for
the screen to refresh after each key), open the biggest company's dossier (by current people), cycle its tabs (each
tab's load), Network (4), People (2), News (3), scroll the inbox 1,000 rows (j), a ctrl+f search, then Today (0) and Sectors (6).
Medians of --repeats runs; the demo's figures beside the big notebook's. Targets (issue #9): longest
stall <= 100 ms in every step; data visible <= 500 ms after the key; search results <= 200 ms. The slowest
run's time to data is shown beside the medians (the first run of the process loads what is loaded once).

  .venv/bin/python benchmarks/tui_scale.py [--db BIG.db] [--repeats 5] [--json OUT]

--db defaults to /tmp/gen/big.db; if it is missing, build one first:
  .venv/bin/python benchmarks/make_notebook.py --db /tmp/gen/big.db
The notebook is opened as it is. The steps only read: nothing is marked read or changed, but each run records its visit
on quit, as every session does (Today then shows what is new since that run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from machine_info import cpu_model  # noqa: E402  (this directory)
from textual import events  # noqa: E402

from researcher.store import Notebook  # noqa: E402
from researcher.tui.app import make_app  # noqa: E402

TARGET_STALL_MS = 100
TARGET_VISIBLE_MS = 500
TARGET_SEARCH_MS = 200
SCROLL_ROWS = 1000


class StallMonitor:
    """Ticks in the app's event loop; the longest gap between two ticks, per step, is the step's stall."""

    TICK = 0.002

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.TICK)
            now = loop.time()
            self.longest = max(self.longest, now - last - self.TICK)
            last = now

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def take(self) -> float:
        """The longest stall since the last take, in ms."""
        value, self.longest = self.longest, 0.0
        return round(value * 1000, 1)

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


async def settled(pilot, app, screen_name: str | None = None, timeout: float = 60.0) -> None:
    """Until the step's screen is on top, every worker has finished, and the screen has processed what it was
    sent (Pilot's own wait, without its wait for the whole machine's CPU to go idle)."""
    deadline = time.monotonic() + timeout
    mounted = False
    while time.monotonic() < deadline:
        if screen_name is None or type(app.screen).__name__ == screen_name:
            if not mounted:
                # The screen's widgets have mounted (and started their workers) before the workers are looked at:
                # else a worker not yet started counts as finished, and the step ends before its data is shown.
                await pilot._wait_for_screen()
                mounted = True
                continue
            if all(w.is_finished for w in app.workers if w.group != "sync"):
                # What the last workers handed over is processed; a worker that started meanwhile is waited for.
                await pilot._wait_for_screen()
                if all(w.is_finished for w in app.workers if w.group != "sync"):
                    return
        await asyncio.sleep(0.002)


CHARS = {"tab": "\t", "enter": "\r", "escape": "\x1b"}


async def press(app, *keys: str) -> None:
    """Send keys as the terminal does, without Pilot's waits (Pilot.press waits for every animation, such as a
    tab's underline sliding, and for the machine's CPU to go idle: half a second a key, none of it the app's)."""
    for key in keys:
        app._driver.send_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
        await asyncio.sleep(0)


def biggest_company(path: Path) -> int:
    with Notebook(path) as nb:
        rows = nb.companies()
    return max(rows, key=lambda c: c.people_count).id


def search_word(path: Path) -> str:
    with Notebook(path) as nb:
        item = nb.news(limit=1)
    words = [w for w in (item[0].title.split() if item else []) if len(w) > 4]
    return words[0] if words else "news"


async def one_run(path: Path) -> dict[str, dict[str, float]]:
    company_id = biggest_company(path)
    word = search_word(path)
    app = make_app(path)
    app.today_first = False  # the steps start from Companies, as they always have; Today has a step of its own
    steps: dict[str, dict[str, float]] = {}
    monitor = StallMonitor()

    async def step(name: str, action, screen: str | None) -> None:
        monitor.take()
        started = time.perf_counter()
        await action()
        await settled(pilot, app, screen)
        steps[name] = {"visible_ms": round((time.perf_counter() - started) * 1000, 1), "stall_ms": monitor.take()}

    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        monitor.start()
        await settled(pilot, app, "CompaniesScreen")
        steps["start"] = {"visible_ms": round((time.perf_counter() - started) * 1000, 1), "stall_ms": monitor.take()}

        # What the harness itself costs: a key bound to nothing, on a settled screen.
        await step("harness (an unbound key)", lambda: press(app, "f12"), "CompaniesScreen")

        async def open_dossier() -> None:
            app.open_company(company_id)

        await step("dossier", open_dossier, "CompanyScreen")
        for n in range(6):
            await step(f"dossier tab {n + 2}", lambda: press(app, "tab"), "CompanyScreen")
        await step("back", lambda: press(app, "escape"), "CompaniesScreen")
        await step("network (4)", lambda: press(app, "4"), "NetworkScreen")
        await step("people (2)", lambda: press(app, "2"), "PeopleScreen")
        await step("news (3)", lambda: press(app, "3"), "NewsScreen")

        async def scroll() -> None:
            for _ in range(SCROLL_ROWS):
                await press(app, "j")
                await pilot._wait_for_screen()

        await step(f"scroll inbox {SCROLL_ROWS} rows", scroll, "NewsScreen")

        async def search() -> None:
            await press(app, "ctrl+f")
            await settled(pilot, app, "SearchScreen")
            await press(app, *word)

        await step("ctrl+f search", search, "SearchScreen")
        await press(app, "escape")
        await settled(pilot, app, "NewsScreen")
        await step("today (0)", lambda: press(app, "0"), "TodayScreen")
        await step("sectors (6)", lambda: press(app, "6"), "SectorsScreen")
        monitor.stop()
    return steps


def medians(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Each step's median figures, and its slowest run's time to data (the first run of a process is often it: what
    loads once, such as the lemmas of the Vocabulary tab, loads then)."""
    out = {}
    for name in runs[0]:
        out[name] = {key: round(statistics.median(r[name][key] for r in runs if name in r), 1) for key in runs[0][name]}
        out[name]["worst_visible_ms"] = max(r[name]["visible_ms"] for r in runs if name in r)
    return out


def verdict(name: str, figures: dict[str, float]) -> str:
    limit = TARGET_SEARCH_MS if name.startswith("ctrl+f") else TARGET_VISIBLE_MS
    ok_stall = figures["stall_ms"] <= TARGET_STALL_MS
    ok_visible = name.startswith(("scroll", "harness")) or figures["visible_ms"] <= limit
    return "ok" if ok_stall and ok_visible else "OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/gen/big.db"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"no notebook at {args.db}: build one with benchmarks/make_notebook.py --db {args.db}")

    from researcher.interop.demo import write_demo

    tmp = Path(tempfile.mkdtemp(prefix="tui-scale-"))
    try:
        demo = tmp / "demo.db"
        write_demo(demo)
        results = {}
        for label, path in (("demo", demo), ("big", args.db)):
            runs = [asyncio.run(one_run(path)) for _ in range(args.repeats)]
            results[label] = medians(runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()[0]
    print(f"machine: {cpu_model()}, {os.cpu_count()} cpus, Python {sys.version.split()[0]}, load {load:.2f}")
    print(f"notebook: {args.db} ({args.db.stat().st_size / 2**20:.0f} MiB); medians of {args.repeats} runs\n")
    print(
        f"{'step':34} {'demo visible':>13} {'demo stall':>11} {'big visible':>12} {'big stall':>10}"
        f" {'big slowest':>12}  verdict"
    )
    for name, big in results["big"].items():
        demo_fig = results["demo"].get(name, {"visible_ms": float("nan"), "stall_ms": float("nan")})
        print(
            f"{name:34} {demo_fig['visible_ms']:>10.1f} ms {demo_fig['stall_ms']:>8.1f} ms"
            f" {big['visible_ms']:>9.1f} ms {big['stall_ms']:>7.1f} ms {big['worst_visible_ms']:>9.1f} ms"
            f"  {verdict(name, big)}"
        )
    print(
        f"\ntargets: stall <= {TARGET_STALL_MS} ms; visible <= {TARGET_VISIBLE_MS} ms (search <= {TARGET_SEARCH_MS} ms)"
    )
    if args.json:
        args.json.write_text(json.dumps({"load": load, "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
