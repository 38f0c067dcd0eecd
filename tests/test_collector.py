"""Full garbage collections wait until the user is idle (a full one walked the whole heap: 70-170 ms stalls of the
event loop on a big notebook), and Python's own schedule comes back when the app stops."""

from __future__ import annotations

import gc

from researcher.tui import collector as c
from researcher.tui.app import make_app
from tests.test_tui import settle


class Counts:
    """Gen-1 collections as the collector reads them, set by the test."""

    def __init__(self) -> None:
        self.young = 0

    def __call__(self) -> int:
        return self.young


def collector(monkeypatch) -> tuple[c.IdleCollector, Counts]:
    counts = Counts()
    monkeypatch.setattr(c.IdleCollector, "_young", staticmethod(counts))
    return c.IdleCollector(), counts


def test_a_full_collection_waits_for_the_user_to_be_idle(monkeypatch):
    idle, counts = collector(monkeypatch)
    idle.input()
    now = idle._last_input
    assert not idle.due(busy=False, now=now + c.IDLE + 1)  # nothing held back yet
    counts.young = 10  # Python would have run a full collection by now
    assert not idle.due(busy=False, now=now + 0.1)  # a key came a moment ago
    assert not idle.due(busy=True, now=now + c.IDLE + 1)  # a worker is loading a screen
    assert idle.due(busy=False, now=now + c.IDLE + 1)
    idle.collect()
    assert idle.full_runs == 1
    assert not idle.due(busy=False, now=now + c.IDLE + 1)  # counted from the one just run


def test_one_runs_anyway_when_the_user_never_stops(monkeypatch):
    idle, counts = collector(monkeypatch)
    idle.input()
    counts.young = c.HELD_BACK
    assert idle.due(busy=True, now=idle._last_input)


async def test_the_app_holds_full_collections_back_and_gives_pythons_schedule_back_when_it_stops(tmp_path):
    before = gc.get_threshold()
    app = make_app(tmp_path / "nb.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_threshold() == (before[0], before[1], c.NEVER)
        await pilot.press("2")  # a key: the user is here
        assert not app.collector.due(busy=False)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
