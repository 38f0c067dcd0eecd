#!/usr/bin/env python3
"""The person screen on a big notebook: key-to-data times and the longest event-loop stall, step by step.

    .venv/bin/python benchmarks/person_screen.py --db COPY_OF_BIG.db [--repeats 5]

Pilot, headless, 120x40, on two people: the best-connected person currently at the biggest company, and the
person with the most positions. Steps: a key bound to nothing (what the harness costs), open the person
(enter on them: `app.open_person`) until their page is drawn, `]` (a status change: the page is read again)
until drawn again, `x` until the follow-up form is up, `enter` in it (the follow-up done) until the page is
drawn again, `r` and a name typed in the knows form until its matches show, `escape` back. Keys are sent as
the terminal sends them (Pilot.press waits for the machine's CPU to go idle, which is not the app's time).
A monitor task in the app's loop ticks every 2 ms; the longest gap between ticks in a step is its stall. The
CPU time of the loop's thread in the step is printed too: on a busy machine stalls stretch, that does not.
Medians of --repeats runs. It writes (statuses, a follow-up, an interaction per run): pass a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from textual import events

from researcher.store import Notebook
from researcher.text import fold
from researcher.tui.app import make_app
from researcher.tui.screens.person import PersonScreen

TICK = 0.002
CHARS = {"enter": "\r", "escape": "\x1b"}


def targets(db: Path) -> list[tuple[str, int]]:
    with Notebook(db, create=False) as nb:
        biggest = nb._one(
            'SELECT company_id FROM positions WHERE "end" IS NULL AND company_id IS NOT NULL'
            " GROUP BY company_id ORDER BY count(*) DESC LIMIT 1"
        )["company_id"]
        connected = nb._one(
            'SELECT p.person_id AS id FROM positions p WHERE p.company_id = ? AND p."end" IS NULL'
            " ORDER BY (SELECT count(*) FROM relationships r WHERE r.person_id = p.person_id"
            " OR r.other_id = p.person_id) DESC LIMIT 1",
            [biggest],
        )["id"]
        many = nb._one("SELECT person_id AS id FROM positions GROUP BY person_id ORDER BY count(*) DESC LIMIT 1")["id"]
        company = nb.company(biggest).name
        return [
            (f"best connected at {company}: {nb.person(connected).name}", connected),
            (f"most positions ({len(nb.positions_of(many))}): {nb.person(many).name}", many),
        ]


class Monitor:
    """The longest gap between wake-ups of a task that asks to wake every TICK, since the last take()."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.task: asyncio.Task | None = None

    async def run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - TICK)
            last = now

    def take(self) -> float:
        value, self.longest = self.longest, 0.0
        return value * 1000


async def press(app, *keys: str) -> None:
    for key in keys:
        app._driver.send_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
        await asyncio.sleep(0)


async def until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the step never finished")
        await asyncio.sleep(0.001)


async def drawn(screen) -> None:
    """Until the screen has been refreshed once more (what it holds is on the terminal)."""
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await done.wait()


async def quiet(window: float = 0.5, limit: float = 0.02) -> None:
    """Until the loop has gone `window` seconds without a stall over `limit` (the first screen has settled)."""
    calm = last = time.perf_counter()
    while last - calm < window:
        await asyncio.sleep(TICK)
        now = time.perf_counter()
        if now - last - TICK > limit:
            calm = now
        last = now


async def one_run(db: Path, person_id: int) -> dict[str, tuple[float, float, float]]:
    with Notebook(db, create=False) as nb:  # the same start every run
        nb.set_approach(person_id, status="identified", next_step="Benchmark call", next_action_at="2026-12-01")
    app = make_app(db)
    out: dict[str, tuple[float, float, float]] = {}
    shown = [0]
    original = PersonScreen.show_page

    def counted(self, page):
        original(self, page)
        shown[0] += 1

    PersonScreen.show_page = counted
    monitor = Monitor()
    try:
        async with app.run_test(size=(120, 40)):
            await quiet()
            monitor.task = asyncio.create_task(monitor.run())

            async def step(name: str, action, done) -> None:
                monitor.take()
                started, cpu = time.perf_counter(), time.thread_time()
                await action()
                await done()
                loop_cpu = (time.thread_time() - cpu) * 1000  # the event loop's own work, whatever the machine's load
                out[name] = ((time.perf_counter() - started) * 1000, monitor.take(), loop_cpu)

            async def page_drawn(count: int) -> None:
                await until(lambda: shown[0] >= count)
                await drawn(app.screen)

            async def screen_up(name: str) -> None:
                await until(lambda: type(app.screen).__name__ == name)
                await drawn(app.screen)

            async def open_person() -> None:
                app.open_person(person_id)

            await step("harness (unbound key)", lambda: press(app, "f12"), lambda: drawn(app.screen))
            await step("open", open_person, lambda: page_drawn(1))
            await step("] status", lambda: press(app, "right_square_bracket"), lambda: page_drawn(2))
            await step("x form up", lambda: press(app, "x"), lambda: screen_up("FollowUpDoneForm"))
            await step("enter: done", lambda: press(app, "enter"), lambda: page_drawn(3))
            await step("r form up", lambda: press(app, "r"), lambda: screen_up("KnowsForm"))

            typed = app.nb.person(person_id).slug[:4]  # ASCII: what a terminal sends as one key each

            async def matches() -> None:
                form = app.screen
                await until(lambda: any(fold(n).startswith(typed) for n in form.suggester.names))
                await drawn(form)

            if app.screen.query_one("#name").value:  # the "me" it starts with, gone first: ctrl+u is a binding, which
                await press(app, "ctrl+u")  # runs after the printable keys sent in the same burst
                await until(lambda: app.screen.query_one("#name").value == "")
            await step("r: a name typed", lambda: press(app, *typed), matches)
            await step("escape, escape", lambda: press(app, "escape", "escape"), lambda: screen_up("CompaniesScreen"))
            monitor.task.cancel()
    finally:
        PersonScreen.show_page = original
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a COPY of the big notebook (this writes to it)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cpus, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}; {args.db}")
    print(f"medians of {args.repeats} runs, ms: key to data visible, longest stall (worst run), event loop's CPU")
    for label, person_id in targets(args.db):
        runs = [asyncio.run(one_run(args.db, person_id)) for _ in range(args.repeats)]
        print(label)
        for name in runs[0]:
            visible, stall, cpu = (statistics.median(r[name][i] for r in runs) for i in range(3))
            worst = max(r[name][1] for r in runs)
            print(f"  {name:24} {visible:7.0f} {stall:7.0f} ({worst:4.0f}) {cpu:7.0f}")


if __name__ == "__main__":
    main()
