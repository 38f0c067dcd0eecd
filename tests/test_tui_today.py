"""The Today screen (`0`, first when a company is in play) worked from the keyboard, and the news on a person's page."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from researcher.insight.today import today_view
from researcher.store import Notebook
from researcher.sync.parse import Entry
from researcher.tui.app import make_app
from researcher.tui.screens.companies import CompaniesScreen
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.screens.today import TodayScreen
from researcher.tui.widgets.interaction_form import FollowUpDoneForm, InteractionForm
from researcher.tui.widgets.note_editor import NoteEditor
from tests.test_tui import screen_text, settle

HOSTILE = "[@click=app.quit]Lena[/] Hoffmann \x1b[31mjoins\x1b[0m"
TODAY = datetime.now(UTC).date()
_serial = iter(range(1, 10**6))


def within_timeout(test):
    """A hang fails the test instead of the run."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=60)

    return run


def entry(title: str, published: str, summary: str = "") -> Entry:
    n = next(_serial)
    return Entry(f"t{n}", title, summary, f"https://example.com/{n}", published, f"h{n}")


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A target and a watched company with news, follow-ups overdue, due and later, a person in the news, terms."""
    path = tmp_path / "today.db"
    with Notebook(path) as nb:
        nb.add_company("Zahlwerk", status="target")
        nb.add_company("Quiet Co", status="watching")
        zahlwerk = nb.add_feed("Zahlwerk", "https://zahlwerk.example/feed.xml").id
        quiet = nb.add_feed("Quiet Co", "https://quiet.example/feed.xml").id
        nb.add_person("Lena Hoffmann", company="zahlwerk", title="Head of Product")
        for name, days in (("Ann Overdue", -5), ("Bob Today", 0), ("Cy Later", 6)):
            nb.add_person(name)
            day = (TODAY + timedelta(days=days)).isoformat()
            nb.set_approach(name, status="to contact", next_action_at=day, next_step=f"write to {name}")
        nb.add_glossary_term("Ledgerkern", company="zahlwerk")
        nb.add_glossary_term("Hidden job market")
        nb.save_fetch(zahlwerk, [entry("Older: Lena Hoffmann on Ledgerkern", "2026-11-20T08:00:00Z")])
        nb.save_fetch(zahlwerk, [entry(HOSTILE, "2026-11-24T08:00:00Z")])
        nb.save_fetch(quiet, [entry("Quiet news naming Lena Hoffmann", "2026-11-22T08:00:00Z")])
    return path


def rows(screen: TodayScreen, section: str) -> list[list[str]]:
    table = screen.query_one(f"#{section}-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_today(pilot) -> TodayScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, TodayScreen)
    assert pilot.app.screen.loaded is not None
    return pilot.app.screen


async def highlight(pilot, screen: TodayScreen, section: str, index: int = 0) -> None:
    table = screen.query_one(f"#{section}-table", DataTable)
    table.focus()
    table.move_cursor(row=index)
    await pilot.pause()


# -- the first screen -----------------------------------------------------------------------------------------------


@within_timeout
async def test_today_is_first_when_a_company_is_in_play_and_shows_today_view(world, today_first):
    with Notebook(world) as nb:
        view = today_view(nb)  # today_view leaves the visit as it is: the screen shows the same
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        assert len(app.screen_stack) == 2
        assert [r[2] for r in rows(screen, "news")] == [
            "[@click=app.quit]Lena[/] Hoffmann joins",  # shown literally, its escape sequences dropped
            "Older: Lena Hoffmann on Ledgerkern",
        ]
        assert [r[2] for r in rows(screen, "news")] == [i["title"].replace("\x1b[31m", "").replace("\x1b[0m", "")
                                                         for i in view.news]  # fmt: skip
        assert [r[1] for r in rows(screen, "follow-ups")] == [r["name"] for r in view.overdue + view.due_today]
        assert [r[1] for r in rows(screen, "follow-ups")] == ["Ann Overdue", "Bob Today"]
        assert [r[0] for r in rows(screen, "people")] == [p["name"] for p in view.people_in_news] == ["Lena Hoffmann"]
        assert rows(screen, "people")[0][1] == "3"  # her own company's news and another's
        assert [r[0] for r in rows(screen, "terms")] == [t["term"] for t in view.terms_to_drill]
        assert [r[0] for r in rows(screen, "terms")] == ["Hidden job market", "Ledgerkern"]
        text = screen_text(app)
        assert "[@click=app.quit]Lena[/] Hoffmann joins" in text and "first visit" in text
        assert app.is_running


@within_timeout
async def test_companies_first_without_a_company_in_play_and_0_opens_today(tmp_path, today_first):
    path = tmp_path / "quiet.db"
    with Notebook(path) as nb:
        nb.add_company("Quiet Co", status="watching")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen) and len(app.screen_stack) == 2
        await pilot.press("0")
        await open_today(pilot)
        assert len(app.screen_stack) == 3
        text = screen_text(app)
        assert "No company is in play yet" in text and "No follow-up due" in text
        await pilot.press("q")  # back, not out: Companies is the first screen here
        await pilot.pause()
        assert isinstance(app.screen, CompaniesScreen) and app.is_running
    with Notebook(path) as nb:
        assert nb.setting("today_last_visit") is not None  # Today was shown: the visit is recorded on leaving


@within_timeout
async def test_q_quits_from_today_first_escape_never_does_and_1_goes_to_companies(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_today(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and app.is_running
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen) and len(app.screen_stack) == 3
        await pilot.press("2", "0")  # back to Today from any section: the first screen again
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and len(app.screen_stack) == 2
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@within_timeout
async def test_the_visit_is_recorded_when_the_app_quits_and_the_next_session_starts_there(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_today(pilot)
        await pilot.press("q")
    with Notebook(world) as nb:
        assert nb.setting("today_last_visit") is not None
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        assert rows(screen, "news") == rows(screen, "people") == []
        text = screen_text(app)
        assert "Nothing new from your companies in play since your last session" in text
        assert [r[1] for r in rows(screen, "follow-ups")] == ["Ann Overdue", "Bob Today"]  # until they are done


async def test_no_visit_is_recorded_when_today_was_not_shown(world):
    app = make_app(world)  # Companies first (tests/conftest.py), Today never opened
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
    with Notebook(world) as nb:
        assert nb.setting("today_last_visit") is None


# -- acting on each list --------------------------------------------------------------------------------------------


@within_timeout
async def test_enter_and_r_read_an_item_on_its_company_news_tab_and_c_opens_the_company(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        item = screen.rows["news"][1]
        await highlight(pilot, screen, "news", 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.active_tab == "news"
        assert app.screen.query_one("#company-news").current().id == item["id"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.current() == ("news", item)  # the place kept
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.company.name == "Zahlwerk"
        await pilot.press("escape")
        await settle(pilot)
        await highlight(pilot, screen, "people")
        await pilot.press("r")  # the newest item naming her
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen)
        assert app.screen.query_one("#company-news").current().id == screen.rows["people"][0]["items"][0]["id"]


@within_timeout
async def test_enter_opens_the_person_of_a_follow_up_or_in_the_news(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        await highlight(pilot, screen, "follow-ups", 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "Bob Today"
        await pilot.press("escape")
        await settle(pilot)
        await highlight(pilot, screen, "people")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "Lena Hoffmann"


@within_timeout
async def test_x_marks_the_follow_up_done_with_the_person_pages_form(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        await highlight(pilot, screen, "news")
        await pilot.press("x")  # not a follow-up: said, no form
        await pilot.pause()
        assert app.screen is screen
        await highlight(pilot, screen, "follow-ups")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpDoneForm)
        assert app.screen.query_one("#name", Input).value == "Follow-up done: write to Ann Overdue"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        with Notebook(world) as nb:
            ann = nb.approach("ann overdue")
            assert (ann.next_step, ann.next_action_at) == (None, None)
            assert nb.interactions_of("ann overdue")[0].summary == "Follow-up done: write to Ann Overdue"
        assert [r[1] for r in rows(screen, "follow-ups")] == ["Bob Today"]
        assert screen.focused is screen.query_one("#follow-ups-table")  # still working the list


@within_timeout
async def test_i_logs_an_interaction_and_n_writes_a_note_on_the_highlighted_row(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        await highlight(pilot, screen, "people")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InteractionForm) and app.screen.person_name == "Lena Hoffmann"
        app.screen.query_one("#name", Input).value = "Congratulated her on the news"
        await pilot.press("ctrl+s")
        await settle(pilot)
        with Notebook(world) as nb:
            assert nb.interactions_of("lena hoffmann")[0].summary == "Congratulated her on the news"
        await highlight(pilot, screen, "news")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert (app.screen.target.kind, app.screen.target.id) == ("news", screen.rows["news"][0]["id"])
        await pilot.press("escape")
        await pilot.pause()
        await highlight(pilot, screen, "follow-ups")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.target.label == "Ann Overdue"


@within_timeout
async def test_enter_on_a_term_opens_its_company_vocabulary_and_a_global_term_says_how(world, today_first):
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(pilot)
        await highlight(pilot, screen, "terms", 0)  # the global glossary's
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("researcher term drill" in str(n.message) for n in app._notifications)
        await highlight(pilot, screen, "terms", 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.active_tab == "vocabulary"
        assert app.screen.company.name == "Zahlwerk"


@within_timeout
async def test_today_fits_80_columns_and_tab_reaches_every_list(world, today_first):
    with Notebook(world) as nb:  # more follow-ups than the list shows: it scrolls, its scrollbar takes room
        for n in range(12):
            nb.add_person(f"Person {n}")
            nb.set_approach(f"Person {n}", next_action_at=TODAY.isoformat(), next_step="a long next step " * 5)
    app = make_app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_today(pilot)
        seen = []
        for _ in range(4):
            seen.append(screen.current_section)
            await pilot.press("tab")
            await pilot.pause()
        assert seen == ["news", "follow-ups", "people", "terms"]
        for section in ("news", "follow-ups", "people", "terms"):
            table = screen.query_one(f"#{section}-table", DataTable)
            # Every column fits (a long title is cut with an ellipsis, no row is lost to a scrollbar).
            assert table.virtual_size.width <= table.scrollable_content_region.width, section


# -- a person's page: the news naming them --------------------------------------------------------------------------


@within_timeout
async def test_a_persons_page_lists_the_news_naming_them_newest_first_and_enter_reads_one(world):
    with Notebook(world) as nb:
        lena = nb.person("lena hoffmann")
        expected = [i["title"] for i in nb.news_naming(person=lena.id)]
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_person(lena.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PersonScreen)
        table = screen.query_one("#person-news-table", DataTable)
        titles = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert titles == [t.replace("\x1b[31m", "").replace("\x1b[0m", "") for t in expected]
        assert titles == [
            "[@click=app.quit]Lena[/] Hoffmann joins",
            "Quiet news naming Lena Hoffmann",
            "Older: Lena Hoffmann on Ledgerkern",
        ]
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.company.name == "Quiet Co"
        assert app.screen.query_one("#company-news").current().title == "Quiet news naming Lena Hoffmann"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and table.cursor_row == 1  # the place kept


@within_timeout
async def test_a_person_named_nowhere_says_so(world):
    with Notebook(world) as nb:
        bob = nb.person("bob today")
    app = make_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_person(bob.id)
        await settle(pilot)
        assert "No news item names them yet" in screen_text(app)
