"""Full garbage collections wait until the user is idle (a full one walked the whole heap: 70-170 ms stalls of the
event loop on a big notebook), and Python's own schedule comes back when the app stops."""

from __future__ import annotations

import gc

from researcher.insight import vocabulary
from researcher.store import Notebook
from researcher.tui import collector as c
from researcher.tui.app import make_app
from tests.test_tui import settle
from tests.test_vocabulary import store


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


class FakeApp:
    def __init__(self, busy: bool = False) -> None:
        self.workers = [type("W", (), {"is_finished": not busy})()]
        self.started: list = []

    def run_worker(self, work, **options) -> None:
        self.started.append((work, options["thread"]))


def test_a_chore_runs_once_in_a_thread_the_first_time_the_user_is_idle(monkeypatch):
    idle, _ = collector(monkeypatch)
    chore = object()
    idle.chores.append(chore)
    idle.input()
    app = FakeApp()
    idle.tick(app)
    assert app.started == []  # a key came a moment ago
    monkeypatch.setattr(c.time, "monotonic", lambda: idle._last_input + c.IDLE + 1)
    busy = FakeApp(busy=True)
    idle.tick(busy)
    assert busy.started == []  # a worker is loading a screen
    idle.tick(app)
    idle.tick(app)
    assert app.started == [(chore, True)]


async def test_the_app_loads_what_mining_reads_while_the_user_is_idle(tmp_path, monkeypatch):
    """The first Vocabulary tab of a session loaded every language's stopwords and the lemmas (0.13 s) and drew
    the background sample (0.05-0.1 s on a million items)."""
    monkeypatch.setattr(c, "IDLE", 0.0)
    monkeypatch.setattr(c, "CHECK", 0.05)
    monkeypatch.setattr(vocabulary, "BACKGROUND_SAMPLE", 3)
    monkeypatch.setattr(vocabulary, "_SAMPLES", {})
    for loaded in (vocabulary._stopword_languages, vocabulary._lemmatizer):
        loaded.cache_clear()
    with Notebook(tmp_path / "nb.db") as nb:
        nb.add_company("Acme")
        store(nb, "Acme", [(f"Acme news {n}", "More news.") for n in range(5)])
    app = make_app(tmp_path / "nb.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if not app.collector.chores and all(w.is_finished for w in app.workers):
                break
            await pilot.pause(0.05)
        assert vocabulary._stopword_languages.cache_info().currsize == 1
        assert vocabulary._lemmatizer.cache_info().currsize == 1
        (sample,) = vocabulary._SAMPLES.values()
        assert len(sample) == 3
