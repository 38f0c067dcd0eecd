"""Time the news lists and the search on a big notebook: CLI commands (fresh processes) and the TUI (Pilot).

    .venv/bin/python benchmarks/news_scale.py --db /tmp/copy-of-big.db [--scroll 1000] [--word madrid]

Works on a copy: the first open migrates the notebook, and the TUI marks nothing but may fold queued
news items into the search index. Prints, for each CLI command, the median wall time of 5 fresh
processes; for the TUI: key `3` to the inbox's first rows, the event loop's longest stall meanwhile,
scrolling the inbox N rows (the longest stall, how many stalls over 100 ms), and a ctrl+f search as
typed (to its hits, the last key to its hits, the longest stall). Pilot's own cost per key press
(about 0.1 s) is in the scrolling's wall time, not in its stalls.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def cli_medians(db: Path, word: str, company: str) -> None:
    researcher = str(Path(sys.executable).parent / "researcher")
    commands = [
        ["news", "--limit", "50"],
        ["news", "--unread", "--limit", "50"],
        ["news", "--company", company, "--limit", "50"],
        ["news", "--starred", "--limit", "50"],
        ["news", "--unread", "--status", "pipeline", "--limit", "50"],
        ["search", word],
    ]
    for command in commands:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([researcher, "--db", str(db), *command], capture_output=True, check=True)
            times.append(time.perf_counter() - started)
        print(f"  researcher {' '.join(command):48} {statistics.median(times) * 1000:6.0f} ms")


class Heartbeat:
    """How late the event loop wakes a 2 ms sleeper: its longest stall, and how many were over 100 ms."""

    def __init__(self) -> None:
        self.worst, self.over, self.task = 0.0, 0, None

    async def _beat(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.002)
            late = time.perf_counter() - started - 0.002
            self.worst, self.over = max(self.worst, late), self.over + (late > 0.1)

    def __enter__(self) -> Heartbeat:
        self.task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc) -> None:
        self.task.cancel()


async def until(ready, timeout: float = 60) -> None:
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        await asyncio.sleep(0.001)


async def tui(db: Path, word: str, scroll: int) -> None:
    from researcher.tui.app import make_app
    from researcher.tui.widgets.news_view import NewsView

    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)

        def rows() -> bool:
            views = app.screen.query(NewsView)
            return bool(views) and views.first().table.row_count > 0

        with Heartbeat() as beat:
            started = time.perf_counter()
            await pilot.press("3")
            await until(rows)
            shown = time.perf_counter() - started
            await pilot.pause(0.3)
        print(f"  key 3 to the inbox's first rows {shown:.3f} s; longest stall {beat.worst * 1000:.0f} ms")
        with Heartbeat() as beat:
            started = time.perf_counter()
            for _ in range(scroll):
                await pilot.press("down")
            await pilot.pause()
        print(
            f"  scrolling {scroll} rows: longest stall {beat.worst * 1000:.0f} ms, {beat.over} over 100 ms"
            f" ({time.perf_counter() - started:.1f} s with Pilot's own cost per key)"
        )
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        with Heartbeat() as beat:
            started = time.perf_counter()
            await pilot.press(*word)
            await until(lambda: getattr(search, "query_text", None) == word)
            typed = time.perf_counter() - started
            await pilot.press("backspace")
            await pilot.pause(0.5)
            started = time.perf_counter()
            await pilot.press(word[-1])
            await until(lambda: getattr(search, "query_text", None) == word)
            last = time.perf_counter() - started
        print(
            f"  ctrl+f {word!r} typed: its hits after {typed:.3f} s; the last key to its hits {last:.3f} s;"
            f" longest stall {beat.worst * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path, help="a copy of a big notebook")
    parser.add_argument("--word", default="madrid")
    parser.add_argument("--scroll", type=int, default=1000)
    args = parser.parse_args()
    from researcher.store import Notebook

    with Notebook(args.db, create=False) as nb:  # migrates it once, outside the timings
        company = nb.db.execute(
            "SELECT c.slug FROM news_items n JOIN companies c ON c.id = n.company_id GROUP BY c.id ORDER BY count(*) DESC"
        ).fetchone()[0]
    print(f"{args.db} (load average {os.getloadavg()[0]:.2f}; 2 cores here)")
    cli_medians(args.db, args.word, company)
    asyncio.run(tui(args.db, args.word, args.scroll))


if __name__ == "__main__":
    main()
