"""When Python's garbage collector may walk the whole heap: while the user is idle, not in the middle of a key.

A full collection walks every object the process holds, in whichever thread happens to allocate the object that
triggers it, and holds the interpreter meanwhile. On a big notebook the app holds a lot (a dossier's thousands of
career moves, the inbox's pages, the Companies table), and a full collection took 70-90 ms each, several times
while a tab loaded: most of the longest stalls of the event loop (benchmarks/tui_scale.py, with the collector off:
none above 32 ms). Young collections stay automatic: they look at the newest objects only and take a millisecond.

While the app runs, the full collections Python would have run are held back and run once no key (nor mouse
button) has come for IDLE seconds and no worker is busy. Should the user never stop (a key held for minutes), one
runs anyway after HELD_BACK of them were held back, so memory never grows without bound. What the app holds when it
starts is frozen (gc.freeze): the idle collections do not walk it either. The thresholds are put back when the app
stops (the tests run many apps in one process).

The same idle moments run the app's chores: work done once, ahead of the key that needs it (the first time the user
stops, a thread loads what mining a company's vocabulary reads: 0.13 s less on the first Vocabulary tab).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

IDLE = 2.0  # seconds without input before a full collection may run
CHECK = 1.0  # how often the app looks
HELD_BACK = 200  # gen-1 collections after which a full one runs, idle or not (Python runs one every 10)
NEVER = 1_000_000_000  # a gen-2 threshold never reached: no automatic full collection


class IdleCollector:
    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self._last_input = time.monotonic()
        self._young_at_full = 0  # gen-1 collections counted at the last full one
        self.full_runs = 0
        self.chores: list[Callable[[], Any]] = []  # run once each, in a thread, when the user is idle

    def start(self, app: Any) -> None:
        """Hold full collections back from now, freeze what the app holds, and look every CHECK seconds."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gen0, gen1, _ = self._saved
            gc.set_threshold(gen0, gen1, NEVER)
        self._young_at_full = self._young()
        app.call_after_refresh(gc.freeze)
        app.set_interval(CHECK, lambda: self.tick(app), name="idle collector")

    def stop(self) -> None:
        """Put Python's thresholds back and unfreeze what the app held: its next collection walks it again."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
            gc.unfreeze()

    def input(self) -> None:
        self._last_input = time.monotonic()

    @staticmethod
    def _young() -> int:
        return gc.get_stats()[1]["collections"]

    def due(self, busy: bool, now: float | None = None) -> bool:
        """Whether a full collection should run now: one was held back and the user is idle, or many were."""
        young = self._young() - self._young_at_full  # Python runs a full collection every 10 of these
        if young >= HELD_BACK:
            return True
        return young >= 10 and self.idle(busy, now)

    def idle(self, busy: bool, now: float | None = None) -> bool:
        """Whether the user is idle: no key for IDLE seconds, and no worker loading anything."""
        return not busy and (now if now is not None else time.monotonic()) - self._last_input >= IDLE

    def tick(self, app: Any) -> None:
        busy = any(not w.is_finished for w in app.workers)
        if self.due(busy):
            self.collect()
        elif self.chores and self.idle(busy):
            app.run_worker(self.chores.pop(0), thread=True, group="idle chore", exit_on_error=False)

    def collect(self) -> None:
        gc.collect()
        self._young_at_full = self._young()
        self.full_runs += 1
