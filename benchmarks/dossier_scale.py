"""The company dossier on a big notebook: key to Overview, each tab's load, the longest event-loop stall.

Opens the TUI under Pilot on a copy of NOTEBOOK (made by make_notebook.py; never written: the copy is),
opens COMPANY's dossier, cycles its tabs, opens a person and comes back, and prints medians of --repeats
runs. A stall is the longest gap between two ticks of a task that wakes every 2 ms; "cpu" is the event
loop thread's own CPU time over that gap (on a machine shared with other work the wall-clock gap grows,
the CPU time much less). --cli times `researcher company show COMPANY --json`; --delete times deleting
the company from the Companies list (on another copy).

    .venv/bin/python benchmarks/dossier_scale.py /tmp/gen/big.db corbelber-sa --repeats 3 --cli --delete
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.widgets import DataTable, Static, TabbedContent, Tree

from researcher.store import Notebook
from researcher.tui.app import make_app

TABS = ["news", "people", "careers", "org", "vocabulary", "notes"]


class Stalls:
    """The longest gap between two ticks of a task meant to wake every 2 ms, and the loop's CPU time in it."""

    def __init__(self) -> None:
        self.running = True
        self.reset()

    def reset(self) -> None:
        self.worst = self.worst_cpu = 0.0

    async def run(self) -> None:
        last, last_cpu = time.perf_counter(), time.thread_time()
        while self.running:
            await asyncio.sleep(0.002)
            now, cpu = time.perf_counter(), time.thread_time()
            self.worst = max(self.worst, now - last - 0.002)
            self.worst_cpu = max(self.worst_cpu, cpu - last_cpu)
            last, last_cpu = now, cpu


def shown(screen, tab: str) -> bool:
    """Whether a tab's data is on screen."""
    try:
        if tab == "overview":
            text = str(screen.query_one("#overview-text", Static).render())
            return bool(text.strip())
        if tab in ("news", "notes"):
            return any(t.row_count for t in screen.query_one(f"#{tab}").query(DataTable))
        if tab == "org":
            return bool(screen.query_one("#org-tree", Tree).root.children)
        table = {"people": "#people-table", "careers": "#careers-table", "vocabulary": "#terms-table"}[tab]
        return screen.query_one(table, DataTable).row_count > 0
    except Exception:  # not composed yet
        return False


async def until(condition, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while not condition():
        await asyncio.sleep(0.002)
        if time.perf_counter() - start > timeout:
            raise TimeoutError
    return time.perf_counter() - start


async def one_run(db: Path, company_id: int) -> dict[str, float]:
    out: dict[str, float] = {}
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await asyncio.sleep(1.5)  # the Companies list is in
        stalls = Stalls()
        task = asyncio.create_task(stalls.run())
        await asyncio.sleep(0.05)
        stalls.reset()
        app.open_company(company_id)  # what enter on the list does
        out["overview"] = await until(
            lambda: app.screen.__class__.__name__ == "CompanyScreen" and shown(app.screen, "overview")
        )
        screen = app.screen
        for tab in TABS:
            start = time.perf_counter()
            screen.action_tab(1)  # what tab does (Pilot's press would also wait for the tab's animation)
            await until(lambda t=tab: screen.query_one(TabbedContent).active == t and shown(screen, t))
            out[tab] = time.perf_counter() - start
        screen.action_tab(1)
        await asyncio.sleep(0.5)
        out["stall"], out["stall_cpu"] = stalls.worst, stalls.worst_cpu
        # A return: from a person on the People tab back to the dossier.
        screen.query_one(TabbedContent).active = "people"
        await asyncio.sleep(0.5)
        screen.query_one("#people-table", DataTable).focus()
        await pilot.press("enter")
        await until(lambda: app.screen is not screen)
        await asyncio.sleep(1.0)
        stalls.reset()
        app.pop_screen()
        await until(lambda: app.screen is screen)
        await asyncio.sleep(1.5)
        out["return_stall"], out["return_stall_cpu"] = stalls.worst, stalls.worst_cpu
        stalls.running = False
        await task
    return out


async def delete_run(db: Path, slug: str) -> str:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await asyncio.sleep(1.5)
        screen = app.screen
        index = next(i for i, c in enumerate(screen.rows) if c.slug == slug)
        if getattr(screen, "_filling", None) is not None:
            screen._filling.until(index)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.pause()
        stalls = Stalls()
        task = asyncio.create_task(stalls.run())
        await asyncio.sleep(0.1)
        stalls.reset()
        start = time.perf_counter()
        screen.action_delete()
        await pilot.pause()
        await pilot.press("y")
        await until(lambda: all(c.slug != slug for c in screen.rows), timeout=600)
        took = time.perf_counter() - start
        stalls.running = False
        await task
    return f"deleted in {took:.1f} s, longest stall {stalls.worst * 1000:.0f} ms (loop cpu {stalls.worst_cpu * 1000:.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("company", help="slug of the company whose dossier is opened")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time `company show --json`")
    parser.add_argument("--delete", action="store_true", help="also time deleting the company from the list")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores: anything else running skews the times)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(args.notebook, db)
        with Notebook(db, create=False) as nb:
            company_id = nb.company(args.company).id
        runs = [asyncio.run(one_run(db, company_id)) for _ in range(args.repeats)]
        for key in runs[0]:
            values = [r[key] * 1000 for r in runs]
            print(f"{key:18} median {statistics.median(values):7.0f} ms   runs " + " ".join(f"{v:.0f}" for v in values))
        if args.cli:
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "researcher", "--db", str(db), "company", "show", args.company, "--json"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                times.append(time.perf_counter() - start)
            print(
                f"company show --json median {statistics.median(times):.2f} s   runs "
                + " ".join(f"{t:.2f}" for t in times)
            )
        if args.delete:
            print(asyncio.run(delete_run(db, args.company)))


if __name__ == "__main__":
    main()
