"""The Network screen as a workbench, the People filter (former/current, values with spaces) and the first start."""

from __future__ import annotations

import asyncio
import functools
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from researcher.insight.network import contacts_page, network_health
from researcher.insight.people_filter import parse_people_filter, people_filter
from researcher.store import Notebook
from researcher.store.errors import Invalid
from researcher.tui.app import make_app
from researcher.tui.screens.network import PAGE, NetworkScreen
from researcher.tui.screens.people import PeopleScreen
from researcher.tui.screens.person import PersonScreen
from tests.test_cli_people import cli, js
from tests.test_tui import screen_text, settle

TODAY = date(2026, 11, 25)
TIMEOUT = 30


def within_timeout(test):
    """A hang fails the test instead of blocking the suite."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=TIMEOUT)

    return run


@pytest.fixture
def today(monkeypatch):
    from researcher import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def rows_of(table: DataTable, column: int = 1) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


# -- gone quiet: each person's cadence, from their last interaction -------------------


def test_gone_quiet_follows_each_persons_cadence_and_any_interaction_restarts_it(nb):
    ann = nb.add_person("Ann Lee")
    bob = nb.add_person("Bob Ray")
    cid = nb.add_person("Cid Moe")
    for person in (ann, bob, cid):
        nb.add_interaction(person.id, "email", "Wrote", when="2026-10-01")
    nb.set_approach(ann.id, cadence_days=30)  # due 2026-10-31
    nb.set_approach(cid.id, status="closed", cadence_days=7)  # closed: never quiet
    quiet = nb.gone_quiet("2026-11-25")
    assert [(r["name"], r["due"]) for r in quiet] == [("Ann Lee", "2026-10-31")]  # Bob: the default 90 days
    assert nb.count_gone_quiet("2026-11-25") == 1

    assert nb.set_quiet_days(45) == 45 and nb.quiet_days() == 45  # the notebook's default, a setting
    assert [(r["name"], r["due"]) for r in nb.gone_quiet("2026-11-25")] == [
        ("Ann Lee", "2026-10-31"),
        ("Bob Ray", "2026-11-15"),
    ]
    nb.add_interaction(ann.id, "phone", "Called back", when="2026-11-20", direction="in")  # any interaction
    assert [r["name"] for r in nb.gone_quiet("2026-11-25")] == ["Bob Ray"]
    with pytest.raises(Invalid):
        nb.set_quiet_days(0)
    assert nb.quiet_days() == 45


def test_network_health_counts_in_sql_and_pages_every_list(nb):
    nb.add_person("Me Myself", me=True)
    for i in range(130):
        nb.add_person(f"Person {i:03}")
    talked = nb.add_person("Zoe Talked")
    nb.add_interaction(talked.id, "email", "Hello", when="2026-11-01")
    health = network_health(nb, TODAY, limit=50)
    assert health.never_contacted.total == 130 and len(health.never_contacted.rows) == 50
    assert health.meaningful.total == 1 and health.me == "Me Myself"
    pages = [contacts_page(nb, "never_contacted", TODAY, 50, offset) for offset in (0, 50, 100)]
    names = [r["name"] for page in pages for r in page]
    assert names == [f"Person {i:03}" for i in range(130)]  # in order, each once
    data = health.to_dict()
    assert data["never_contacted_count"] == 130 and len(data["never_contacted"]) == 50
    assert data["quiet_days"] == 90


# -- follow-ups: done and moved --------------------------------------------------------


def test_follow_up_done_logs_it_clears_it_and_restarts_the_clock(nb):
    ann = nb.add_person("Ann Lee")
    nb.set_approach(ann.id, status="invited", next_action_at="2026-11-20", next_step="Send my notes")
    approach = nb.follow_up_done("ann lee", when="2026-11-24")
    assert approach.next_action_at is None and approach.next_step is None and approach.status == "invited"
    logged = nb.interactions_of(ann.id)[0]
    assert logged.summary == "Follow-up done: Send my notes" and logged.at.startswith("2026-11-24")
    with pytest.raises(Invalid, match="no follow-up"):
        nb.follow_up_done(ann.id)
    nb.set_approach(ann.id, next_action_at="2026-11-21")
    nb.follow_up_done(ann.id, note="Sent the notes, she answered")
    assert nb.interactions_of(ann.id)[0].summary == "Sent the notes, she answered"


def test_move_follow_up_keeps_the_step_and_refuses_bad_dates(nb):
    ann = nb.add_person("Ann Lee")
    with pytest.raises(Invalid, match="no follow-up"):
        nb.move_follow_up(ann.id, "2026-12-01")
    nb.set_approach(ann.id, next_action_at="2026-11-20", next_step="Call")
    moved = nb.move_follow_up(ann.id, date(2026, 12, 2))
    assert moved.next_action_at == "2026-12-02" and moved.next_step == "Call"
    for bad in ("soon", "2026-02-30", ""):
        with pytest.raises(Invalid):
            nb.move_follow_up(ann.id, bad)
    assert nb.approach(ann.id).next_action_at == "2026-12-02"


# -- the people filter: one syntax for the TUI and `person list -q` --------------------


@pytest.mark.parametrize(
    ("text", "filters", "employment"),
    [
        ("status:to contact head", {"status": "to contact", "query": "head"}, None),
        ('company:"banque eclair" former:', {"company": "banque eclair"}, "former"),
        ("former:acme", {"company": "acme"}, "former"),
        ("current: sector:fintech", {"sector": "fintech"}, "current"),
        ('company:"banque ecl', {"company": "banque ecl"}, None),  # a quote still open while typing
        ("Dr:Who o'brien", {"query": "Dr:Who o'brien"}, None),  # not a key: free text
        ("status: network:none", {"network": "none"}, None),  # a key without its value yet
    ],
)
def test_people_filter_syntax(text, filters, employment):
    parsed = parse_people_filter(text)
    assert parsed.filters == filters and parsed.employment == employment


def test_people_filter_knows_names_with_spaces_and_hints_at_quotes(nb):
    nb.add_company("Banque Éclair", sector="Fin Tech")
    nb.add_company("Banque Azur")
    parsed = people_filter(nb, "company:banque eclair former: head")
    assert parsed.filters == {"company": "banque eclair", "query": "head"} and parsed.employment == "former"
    assert people_filter(nb, "sector:fin tech").filters == {"sector": "fin tech"}
    unknown = people_filter(nb, "company:banque zzz")
    assert unknown.filters == {"company": "banque", "query": "zzz"}
    assert unknown.hint == 'a company with spaces needs quotes: company:"banque zzz"'


@pytest.fixture
def careers(nb):
    acme, _beta = nb.add_company("Acme"), nb.add_company("Beta")
    left_for_beta = nb.add_person("Ann Left")
    nb.add_position(left_for_beta.id, company=acme.id, title="Engineer", start="2018-01", end="2021-06")
    nb.add_position(left_for_beta.id, company="beta", title="Lead", start="2021-07")
    nb.add_person("Bob Stays", company="acme", title="CTO", start="2019-01")
    between = nb.add_person("Cid Between")
    nb.add_position(between.id, company=acme.id, title="Analyst", start="2015-01", end="2020-01")
    nb.add_person("Dee Never")
    return nb


def test_people_who_left_a_company_are_former(careers):
    nb = careers
    rows = {p.name: p for p in nb.people_list({"company": "acme"})}
    assert set(rows) == {"Ann Left", "Bob Stays", "Cid Between"}
    assert (rows["Ann Left"].former_company, rows["Ann Left"].former_title) == ("Acme", "Engineer")
    assert rows["Ann Left"].company == "Beta" and rows["Bob Stays"].former_company is None
    names = lambda **kw: [p.name for p in nb.people_list(**kw)]  # noqa: E731
    assert names(filters={"company": "acme"}, employment="former") == ["Ann Left", "Cid Between"]
    assert names(filters={"company": "acme"}, employment="current") == ["Bob Stays"]
    # Without a company: former = holds no position now (their last company named), current = holds one.
    assert names(employment="former") == ["Cid Between"]
    assert nb.people_list(employment="former")[0].former_company == "Acme"
    assert names(employment="current") == ["Ann Left", "Bob Stays"]
    assert nb.count_people_list({"company": "acme"}, "former") == 2 and nb.count_people_list() == 4
    assert [p.name for p in nb.people_list(limit=2, offset=2)] == ["Cid Between", "Dee Never"]


# -- the CLI faces ----------------------------------------------------------------------


@pytest.fixture
def demo(demo_db):
    return demo_db


def test_network_json_pages_with_limit_and_gives_totals(demo):
    health = js(demo, "network", "--limit", "2")
    assert health["never_contacted_count"] == 51 and len(health["never_contacted"]) == 2
    assert health["follow_ups_count"] > 2 and len(health["follow_ups"]) == 2
    assert all("due" in r for r in health["gone_quiet"]) and health["quiet_days"] == 90
    text = cli(demo, "network", "--limit", "2").output
    assert f"... and {health['follow_ups_count'] - 2} more (--limit)" in text
    assert cli(demo, "network", "quiet-days", "30").exit_code == 0
    assert js(demo, "network")["gone_quiet_count"] > health["gone_quiet_count"]
    bad = cli(demo, "network", "quiet-days", "0")
    assert bad.exit_code == 2


def test_person_list_takes_the_filter_syntax(demo):
    by_options = js(demo, "person", "list", "--company", "banque azurine", "--former")
    by_query = js(demo, "person", "list", "-q", "company:banque azurine former:")
    assert by_options == by_query and by_query
    assert all(p["former_company"] == "Banque Azurine" for p in by_query)
    text = cli(demo, "person", "list", "-q", "company:banque azurine former:").output
    assert "Banque Azurine (former)" in text
    hinted = cli(demo, "person", "list", "-q", "company:banque zzz")
    assert 'hint: a company with spaces needs quotes: company:"banque zzz"' in hinted.stderr


# -- the Network screen ----------------------------------------------------------------


async def open_network(pilot) -> NetworkScreen:
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NetworkScreen)
    return pilot.app.screen


@within_timeout
async def test_follow_ups_are_worked_from_the_network_screen(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_network(pilot)
        table = screen.query_one("#follow-ups-table", DataTable)
        before = rows_of(table)
        total = screen.totals["follow-ups"]
        await pilot.press("j")  # the second follow-up
        done = before[1]
        await pilot.press("x")  # asks what happened, the step to start with
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        person = app.nb.person(done)
        assert app.nb.approach(person.id).next_action_at is None
        assert app.nb.interactions_of(person.id)[0].summary.startswith("Follow-up done")
        assert rows_of(table) == before[:1] + before[2:] and table.cursor_row == 1  # the place is kept
        assert screen.totals["follow-ups"] == total - 1 and f"Follow-ups due ({total - 1})" in screen_text(app)

        moved = before[2]
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("w")  # in a week
        await settle(pilot)
        assert app.nb.approach(app.nb.person(moved).id).next_action_at == "2026-12-02"
        assert moved not in rows_of(table) and table.cursor_row == 1

        third = rows_of(table)[1]
        await pilot.press("m", "tab")
        await pilot.press(*"2026-02-30", "enter")
        await pilot.pause()
        assert "follow-up date must be YYYY-MM-DD" in screen_text(app)  # said in the form, nothing moved
        app.screen.query_one(Input).value = "2026-11-24"
        await pilot.press("enter")
        await settle(pilot)
        assert app.nb.approach(app.nb.person(third).id).next_action_at == "2026-11-24"
        assert third in rows_of(table)  # still due: it stays

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)


@within_timeout
async def test_log_an_interaction_and_set_the_goal_from_the_network_screen(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        await pilot.press("tab")  # gone quiet
        await settle(pilot)
        quiet = screen.query_one("#quiet-table", DataTable)
        first = rows_of(quiet)[0]
        assert "Due" in screen_text(app) and "2026-06-28" in screen_text(app)  # when each one was due
        await pilot.press("x")
        await pilot.pause()
        assert any("follow-ups due (the first tab)" in n.message for n in app._notifications)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"Coffee catch-up", "ctrl+s")
        await settle(pilot)
        assert first not in rows_of(quiet) and quiet.cursor_row == 0  # back in touch: off the list
        assert app.nb.interactions_of(app.nb.person(first).id)[0].summary == "Coffee catch-up"

        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "60"
        app.screen.query_one("#quiet-days", Input).value = "30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.nb.network_goal() == 60 and app.nb.quiet_days() == 30
        assert "/ 60" in screen_text(app) and screen.totals["quiet"] > len(rows_of(quiet)) - 1


@pytest.fixture
def crowd(tmp_path: Path) -> Path:
    """250 people never contacted (the lists page in PAGE rows at a time)."""
    path = tmp_path / "crowd.db"
    with Notebook(path) as nb, nb.atomic():
        for i in range(250):
            nb.add_person(f"Person {i:03}")
    return path


@within_timeout
async def test_never_contacted_pages_in_as_the_cursor_goes_down_and_keeps_its_place(crowd, today):
    app = make_app(crowd)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_network(pilot)
        await pilot.press("tab", "tab")
        await settle(pilot)
        table = screen.query_one("#never-table", DataTable)
        assert table.row_count == PAGE and "Never contacted (250)" in screen_text(app)
        for _ in range(250 // PAGE):
            table.move_cursor(row=table.row_count - 1)
            await settle(pilot)
        assert table.row_count == 250 and rows_of(table, 0)[-1].startswith("Person 249")
        table.move_cursor(row=180)
        await pilot.press("i", *"Hello", "ctrl+s")
        await settle(pilot)
        assert table.row_count == 249 and table.cursor_row == 180  # the rows read stay, the place too
        assert str(table.get_row_at(180)[0]).startswith("Person 181")


@within_timeout
async def test_the_network_screen_loads_off_the_event_loop(demo_db, monkeypatch):
    """While its data is read the screen is there and keys work; the data shows when it arrives."""
    import researcher.tui.screens.network as module

    release = threading.Event()
    slow = module.network_health

    def held(*args, **kwargs):
        release.wait(10)
        return slow(*args, **kwargs)

    monkeypatch.setattr(module, "network_health", held)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, NetworkScreen) and "Loading…" in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "quiet"
        release.set()
        await settle(pilot)
        assert "Meaningful contacts 21 / 100" in screen_text(app)


# -- the People screen -----------------------------------------------------------------


@within_timeout
async def test_people_screen_marks_former_and_takes_values_with_spaces(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        await pilot.press("slash", *"company:banque azurine former:")
        await settle(pilot)
        assert [p.name for p in screen.rows] == ["Claire Dumont", "Julien Masson", "Manon Aubert"]
        assert "former Banque Azurine" in screen_text(app) and "3 people (filtered)" in screen_text(app)
        screen.query_one("#filter", Input).value = "status:to contact"
        await settle(pilot)
        assert {p.approach_status for p in screen.rows} == {"to contact"} and len(screen.rows) == 4
        screen.query_one("#filter", Input).value = "company:banque zzz"
        await settle(pilot)
        assert 'Hint: a company with spaces needs quotes: company:"banque zzz"' in screen_text(app)


@within_timeout
async def test_enter_typed_ahead_of_the_filter_opens_what_it_finds(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", *"lena hoffmann", "enter", "enter")  # no pause: faster than the query
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person_id == app.nb.person("lena hoffmann").id


# -- the first start -------------------------------------------------------------------


@within_timeout
async def test_first_start_offers_to_say_who_you_are_then_a_company(tmp_path):
    app = make_app(tmp_path / "new.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Say who you are: press m" in text and "Warm paths start from you" in text
        await pilot.press("m")
        await pilot.pause()
        assert "Who are you? (this is me)" in screen_text(app)
        await pilot.press(*"Ada Martin", "enter")
        await settle(pilot)
        me = app.nb.me()
        assert me is not None and me.name == "Ada Martin"
        assert "You are Ada Martin" in screen_text(app)
        assert "Until a person is marked as you" not in screen_text(app)  # done: no more why
        await pilot.press("enter")  # the next step: a first company
        await pilot.pause()
        await pilot.press(*"Banque Éclair", "enter")
        await settle(pilot)
        assert "Banque Éclair" in screen_text(app) and "Welcome" not in screen_text(app)


@within_timeout
async def test_a_failed_read_is_said_once_and_the_screen_stays(demo_db, monkeypatch):
    import researcher.tui.screens.network as module
    from researcher.store.errors import NotebookBusy

    def busy(*args, **kwargs):
        raise NotebookBusy("the notebook is busy (another program is writing to it); try again")

    monkeypatch.setattr(module, "network_health", busy)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_network(pilot)
        assert [n.message for n in app._notifications if n.severity == "error"] == [
            "the notebook is busy (another program is writing to it); try again"
        ]
        await pilot.press("tab")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, NetworkScreen)


def test_people_are_read_a_window_at_a_time_with_pauses_between(careers, monkeypatch):
    """The TUI reads the list in windows (a thread gives the UI its turn between them): same rows, same count."""
    import researcher.insight.people_filter as module

    nb = careers
    for i in range(7):
        nb.add_person(f"Extra {i}", company="acme", title="Analyst")
    monkeypatch.setattr(module, "WINDOW", 3)
    pauses = []
    for text in ("", "company:acme", "company:acme former:", "an", "current:"):
        parsed = people_filter(nb, text)
        whole = nb.people_list(**parsed.store_args())
        pages, after = [], None
        while True:
            page = module.people_page(nb, parsed, 2, after, pause=lambda: pauses.append(1))
            if not page:
                break
            pages += page
            after = (page[-1].name_key, page[-1].id)
        assert [p.id for p in pages] == [p.id for p in whole], text
        assert module.people_count(nb, parsed, pause=lambda: pauses.append(1)) == len(whole)
    assert pauses

    class Stop(Exception):
        pass

    def stop():
        raise Stop

    with pytest.raises(Stop):  # a pause may stop the read (the user typed on)
        module.people_count(nb, people_filter(nb, ""), pause=stop)
