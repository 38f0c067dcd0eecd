"""The Sectors screen (`6`): sectors as sectors() counts them, enter filters Companies, discovery as discover() ranks
it with its evidence, `t` tracks a name (its positions link to it), hostile names shown literally, a slow discovery
never holding the keys."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static

from researcher.insight.discovery import discover, sectors
from researcher.store import Notebook
from researcher.sync.parse import Entry
from researcher.text import clean_line
from researcher.tui.app import make_app
from researcher.tui.screens import sectors as sectors_screen
from researcher.tui.screens.companies import CompaniesScreen
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.screens.sectors import SectorsScreen
from researcher.tui.widgets.track_form import TrackForm
from tests.test_tui import screen_text, settle

TODAY = date(2026, 11, 25)
TIMEOUT = 30
MARKUP_ORG = "[b]Bold[/b] Ledger Ltd"
ESCAPE_ORG = "Evil \x1b[31mRed\x1b[0m Corp"  # written by another program, uncleaned


def within_timeout(test):
    """A hang fails the test instead of blocking the suite."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=TIMEOUT)

    return run


@pytest.fixture(scope="module", autouse=True)
def _process_server():
    """As `researcher` does before the UI takes the terminal: the worker process's server, started early."""
    from researcher.sync.engine import start_parse_server

    start_parse_server()


@pytest.fixture
def world(tmp_path: Path, monkeypatch) -> Path:
    from researcher import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    path = tmp_path / "sectors.db"
    with Notebook(path) as nb:
        nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
        nb.add_company("Caudal Finanzas", sector="Fintech", status="watching")
        nb.add_company("Rutas Claras SL", sector="Mobility", status="applied")
        nb.add_company("Loose Ends", status="researching")  # no sector
        for name in ("Ann Albion", "Bea Albion", "Cem Leaver", "Dan Old", "Eve Hostile", "Me Myself"):
            nb.add_person(name, me=name == "Me Myself")

        def stint(person, company, start, end=None, tracked=False):
            where = {"company": company} if tracked else {"company_name": company}
            nb.add_position(person, title="Engineer", start=start, end=end, **where)

        stint("ann-albion", "Albion Ledger Ltd", "2014-01", "2018-01")
        stint("ann-albion", "Zahlwerk GmbH", "2018-02", tracked=True)
        stint("bea-albion", "ALBION LEDGER", "2016-01", "2019-12")
        stint("bea-albion", "Caudal Finanzas", "2020-01", tracked=True)
        stint("cem-leaver", "Zahlwerk GmbH", "2015-01", "2019-01", tracked=True)
        stint("cem-leaver", "Globex GmbH", "2019-02")
        stint("dan-old", "Old Corp", "2001-01", "2003-01")
        stint("dan-old", "Rutas Claras SL", "2003-02", "2010-01", tracked=True)
        stint("eve-hostile", MARKUP_ORG, "2012-01", "2015-01")
        stint("eve-hostile", "Evil Corp", "2010-01", "2011-01")
        stint("eve-hostile", "Rutas Claras SL", "2015-02", tracked=True)
        # Another program's row: a raw escape sequence in a company name.
        nb.db.execute("UPDATE positions SET company_name = ? WHERE company_name = 'Evil Corp'", [ESCAPE_ORG])
        caudal = nb.add_feed("caudal-finanzas", "https://caudal.example/feed.xml")
        nb.save_fetch(
            caudal.id,
            [Entry("c1", "Payouts with Globex", "Globex GmbH runs them.", None, "2026-11-20T08:00:00Z", "h")],
        )
    return path


def rows_of(table: DataTable, column: int = 0) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_sectors(pilot) -> SectorsScreen:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SectorsScreen)
    return screen


async def highlight_sector(pilot, screen: SectorsScreen, label: str) -> None:
    table = screen.query_one("#sectors-table", DataTable)
    table.move_cursor(row=rows_of(table).index(label))
    await pilot.pause(sectors_screen.FOLLOW_DELAY + 0.1)  # the discovery list follows once the cursor rests
    await settle(pilot)


@within_timeout
async def test_six_opens_the_sectors_with_the_counts_of_sectors(world):
    with Notebook(world) as nb:
        expected = sectors(nb)
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#sectors-table", DataTable)
        shown = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert shown[0][:3] == ["All sectors", "4", "2"]  # companies; in play: target + applied
        # Sector, companies, in play (target, applied, interviewing), people there now, unread.
        assert [row[0] for row in shown[1:]] == [s.sector or "(no sector)" for s in expected]
        for row, s in zip(shown[1:], expected, strict=True):
            in_play = sum(len(s.companies.get(status, [])) for status in ("target", "applied", "interviewing"))
            assert row[1:] == [str(n) if n else "·" for n in (s.company_count, in_play, s.people, s.unread)]
        # The highlighted sector's companies, by pipeline status.
        await highlight_sector(pilot, screen, "Fintech")
        detail = str(screen.query_one("#sector-companies", Static).render())
        assert "target       Zahlwerk GmbH" in detail and "watching     Caudal Finanzas" in detail
        assert "Rutas Claras" not in detail
        # `?` lists the key that opens it.
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Sectors — Sectors, and the companies to discover" in text
        assert "Track — Track the highlighted discovered company" in text


@within_timeout
async def test_enter_on_a_sector_opens_companies_filtered_on_it(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        await highlight_sector(pilot, screen, "Fintech")
        await pilot.press("enter")
        await settle(pilot)
        companies = app.screen
        assert isinstance(companies, CompaniesScreen)
        assert companies.query_one("#sector", Select).value == "Fintech"
        assert sorted(rows_of(companies.query_one(DataTable))) == ["Caudal Finanzas", "Zahlwerk GmbH"]
        # Back on Sectors, then All sectors: every company again.
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("enter")  # the first row: All sectors
        await settle(pilot)
        assert app.screen is companies and companies.query_one("#sector", Select).value is Select.NULL
        assert len(rows_of(companies.query_one(DataTable))) == 4


@within_timeout
async def test_discovery_rows_are_discover_s_and_follow_the_highlighted_sector(world):
    with Notebook(world) as nb:
        everything = [clean_line(d.name) for d in discover(nb, limit=None, today=TODAY)]
        fintech = [clean_line(d.name) for d in discover(nb, sector="Fintech", limit=None, today=TODAY)]
        mobility = [clean_line(d.name) for d in discover(nb, sector="mobility", limit=None, today=TODAY)]
    assert fintech and mobility and set(fintech) != set(mobility)
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#discover-table", DataTable)
        assert rows_of(table) == everything
        assert screen.elsewhere.in_process  # read in a worker process
        await highlight_sector(pilot, screen, "Fintech")
        assert rows_of(table) == fintech
        await highlight_sector(pilot, screen, "Mobility")
        assert rows_of(table) == mobility
        heading = str(screen.query_one("#discover-heading", Static).render())
        assert f"Mobility · {len(mobility)} companies not tracked yet" in heading


@within_timeout
async def test_the_evidence_of_the_highlighted_company_is_readable_and_opens(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#discover-table", DataTable)
        table.move_cursor(row=rows_of(table).index("Globex GmbH"))
        await settle(pilot)
        head = str(screen.query_one("#evidence-head", Static).render())
        assert "Globex GmbH" in head and "sector Fintech" in head and "1 person, 1 news item" in head
        evidence = screen.query_one("#evidence", OptionList)
        lines = [str(evidence.get_option_at_index(i).prompt) for i in range(evidence.option_count)]
        assert any("Cem Leaver left to (Zahlwerk GmbH)" in line for line in lines)
        assert any("Payouts with Globex (Caudal Finanzas)" in line for line in lines)
        # enter: into the evidence; enter on a person opens them.
        table.focus()
        await pilot.press("enter")
        assert evidence.has_focus
        evidence.highlighted = next(i for i, line in enumerate(lines) if "Cem Leaver" in line)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)


@within_timeout
async def test_t_tracks_the_name_its_positions_link_and_o_opens_it(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#discover-table", DataTable)
        names = rows_of(table)
        row = names.index("Albion Ledger Ltd")
        table.move_cursor(row=row)
        table.focus()
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrackForm)
        assert form.query_one("#sector", Input).value == "Fintech"  # the inferred sector, filled in
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Albion Ledger Ltd" not in rows_of(table)  # the row left the list, the place kept
        assert rows_of(table)[row] == names[row + 1] and table.cursor_row == row
        said = notifications(app)[-1]
        assert "Tracking Albion Ledger Ltd in Fintech: 2 positions and 0 news items linked" in said
        with Notebook(world) as nb:
            company = nb.company("Albion Ledger Ltd")
            assert company.sector == "Fintech"
            linked = nb.db.execute(
                "SELECT count(*) FROM positions WHERE company_id = ? AND company_name IN (?, ?)",
                [company.id, "Albion Ledger Ltd", "ALBION LEDGER"],
            ).fetchone()[0]
            assert linked == 2
            assert "Albion Ledger Ltd" not in [d.name for d in discover(nb, limit=None, today=TODAY)]
        # The sectors read again: Fintech has it now.
        fintech = rows_of(screen.query_one("#sectors-table", DataTable)).index("Fintech")
        assert str(screen.query_one("#sectors-table", DataTable).get_row_at(fintech)[1]) == "3"
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.company_id == company.id


@within_timeout
async def test_tracking_a_name_tracked_meanwhile_says_so_and_keeps_the_row(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        with Notebook(world) as nb:  # another window tracks it first
            nb.track_organisation("Globex GmbH")
        table = screen.query_one("#discover-table", DataTable)
        table.move_cursor(row=rows_of(table).index("Globex GmbH"))
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert "already tracked" in notifications(app)[-1]
        assert not isinstance(app.screen, TrackForm)


@within_timeout
async def test_hostile_names_are_shown_literally(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#discover-table", DataTable)
        names = rows_of(table)
        assert MARKUP_ORG in names and "Evil Red Corp" in names
        table.move_cursor(row=names.index(MARKUP_ORG))
        await settle(pilot)
        text = screen_text(app)
        assert MARKUP_ORG in text  # markup shown as typed, in the list and the evidence
        assert text.count(MARKUP_ORG) >= 2
        table.move_cursor(row=names.index("Evil Red Corp"))
        await settle(pilot)
        text = screen_text(app)
        assert "Evil Red Corp" in text and "\x1b" not in text and "[31m" not in text


@within_timeout
async def test_a_slow_discovery_shows_it_is_loading_and_the_keys_answer(world, monkeypatch):
    release = threading.Event()
    real = sectors_screen.discover

    def slow(nb, **kwargs):
        release.wait(TIMEOUT)
        return real(nb, **kwargs)

    monkeypatch.setattr(sectors_screen, "discover", slow)
    monkeypatch.setattr(sectors_screen, "IN_PROCESS", False)  # (a replaced function runs in this process)
    app = make_app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        for _ in range(20):  # the sectors (fast) arrive; discovery is still reading
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, SectorsScreen)
        table = screen.query_one("#discover-table", DataTable)
        assert table.loading and "reading careers and news" in str(
            screen.query_one("#discover-heading", Static).render()
        )
        sectors_table = screen.query_one("#sectors-table", DataTable)
        assert sectors_table.row_count == 4
        await pilot.press("down", "down")  # the keys answer meanwhile
        assert sectors_table.cursor_row == 2
        release.set()
        await settle(pilot)
        assert not table.loading and table.row_count > 0
        label = rows_of(sectors_table)[2]
        assert label == "Mobility" and rows_of(table) == [clean_line(d.name) for d in screen._visible()]


@within_timeout
async def test_a_failed_discovery_is_reported_and_stops_loading(world, monkeypatch):
    def broken(nb, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr(sectors_screen, "discover", broken)
    monkeypatch.setattr(sectors_screen, "IN_PROCESS", False)
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        assert not screen.query_one("#discover-table", DataTable).loading
        assert any("disk I/O error" in n for n in notifications(app))


def test_leaving_never_waits_for_the_worker_process():
    """A first discovery on a big notebook takes minutes: closing stops the process, the caller is told."""
    runner = sectors_screen.Elsewhere()
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(runner.run(time.sleep, 30))
        except sectors_screen.Stopped as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    for _ in range(200):  # the process is up and busy
        if runner.in_process:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    started = time.perf_counter()
    runner.close()
    thread.join(10)
    assert not thread.is_alive() and time.perf_counter() - started < 5
    assert len(outcome) == 1 and isinstance(outcome[0], sectors_screen.Stopped)
    with pytest.raises(sectors_screen.Stopped):
        runner.run(time.sleep, 0)


@within_timeout
async def test_a_read_only_notebook_shows_discovery_and_t_writes_nothing(world):
    with Notebook(world) as nb:
        expected = [clean_line(d.name) for d in discover(nb, limit=None, today=TODAY)]
    conn = sqlite3.connect(world)
    conn.execute("PRAGMA user_version = 99")  # written by a newer release: read only
    conn.close()
    before = world.read_bytes()
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        table = screen.query_one("#discover-table", DataTable)
        assert rows_of(table) == expected
        table.focus()
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is screen  # no form: nothing can be tracked
        assert "newer researcher" in notifications(app)[-1]
    assert world.read_bytes() == before


@within_timeout
async def test_a_narrower_terminal_drops_columns_and_keeps_the_place(world):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sectors(pilot)
        await highlight_sector(pilot, screen, "Fintech")
        table = screen.query_one("#discover-table", DataTable)
        names = rows_of(table)
        table.move_cursor(row=1)
        await settle(pilot)
        assert [str(c.label) for c in table.columns.values()] == ["Company", "Sector", "People", "News", "Last seen"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert [str(c.label) for c in table.columns.values()] == ["Company", "People", "News", "Last"]
        sectors_table = screen.query_one("#sectors-table", DataTable)
        assert rows_of(sectors_table)[sectors_table.cursor_row] == "Fintech"
        assert rows_of(table) == names and table.cursor_row == 1


@within_timeout
async def test_a_companies_screen_just_pushed_takes_the_sector_on_its_first_read(world):
    # (when another screen is the first one, going to Companies pushes a new one: not up yet when filtered)
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.pop_screen()  # (the first screen goes: the new one stands for Companies pushed over Today)
        companies = CompaniesScreen()
        app.push_screen(companies)
        companies.show_sector("Mobility")
        await settle(pilot)
        assert companies.query_one("#sector", Select).value == "Mobility"
        assert rows_of(companies.query_one(DataTable)) == ["Rutas Claras SL"]
