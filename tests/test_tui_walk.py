"""What a walk through an empty notebook with keys only turned up: each with the test that found it."""

from __future__ import annotations

import asyncio
import functools

from textual.widgets import DataTable

from researcher.insight.activity import person_activity
from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.widgets.key_footer import KeyFooter
from researcher.tui.widgets.waiting import Waiting
from tests.test_tui import screen_text, settle


def within_timeout(test):
    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=60)

    return run


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def one_company_app(tmp_path):
    """The app on a notebook of one company, Acme."""
    with Notebook(tmp_path / "nb.db") as nb:
        nb.add_company("Acme")
    return make_app(tmp_path / "nb.db")


def footer_keys(app) -> list[str]:
    """The keys the footer of the screen on top offers, as Textual names them."""
    return [key.key for key in app.screen.query_one(KeyFooter).keys]


def footer_redraws(monkeypatch) -> list[str]:
    """The footer redraws from now on: the name of the screen of each."""
    redraws: list[str] = []
    redraw = KeyFooter.redraw

    def counted(self, *args):
        redraws.append(type(self.screen).__name__)
        redraw(self, *args)

    monkeypatch.setattr(KeyFooter, "redraw", counted)
    return redraws


@within_timeout
async def test_q_says_quit_on_the_first_screen_and_back_on_the_others(tmp_path):
    app = make_app(tmp_path / "nb.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "q Quit" in footer(app) and "q Back" not in footer(app)
        await pilot.press("2")
        await settle(pilot)
        assert "q Back" in footer(app) and "q Quit" not in footer(app)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running  # back on the first screen, not out
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@within_timeout
async def test_the_overview_counts_one_person_and_one_feed_in_the_singular(tmp_path):
    path = tmp_path / "nb.db"
    with Notebook(path) as nb:
        acme = nb.add_company("Acme")
        nb.add_person("Ann Lee", company="acme", title="CTO")
        nb.add_feed(acme.id, "https://acme.example/feed.xml")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_company(acme.id)
        await settle(pilot)
        text = screen_text(app)
        assert "1 person here now" in text and "1 feed ·" in text and "0 terms" in text
        assert "1 people" not in text and "1 feeds" not in text


def test_a_note_in_a_persons_activity_is_plain_text(tmp_path):
    with Notebook(tmp_path / "nb.db") as nb:
        ann = nb.add_person("Ann Lee")
        nb.add_note("Leads the **data platform**; see [their talk](https://x.example)", person=ann.id)
        (event,) = person_activity(nb, ann.id)
    assert event.text == "Leads the data platform; see their talk"


@within_timeout
async def test_the_palette_runs_any_key_of_the_screen_in_view(demo_db):
    from researcher.tui.screens.person import PersonScreen
    from researcher.tui.widgets.interaction_form import FollowUpDoneForm

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        with Notebook(demo_db) as nb:
            lena = nb.person("lena-hoffmann").id
            nb.set_approach(lena, next_step="Call", next_action_at="2026-11-20")
        app.open_person(lena)
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"follow-up done")
        await pilot.pause(0.6)
        assert "Follow-up done" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpDoneForm)


@within_timeout
async def test_a_person_removed_meanwhile_is_said_not_crashed_on(demo_db):
    """Their notes were read on mount, before the page's worker could say they are gone: a traceback."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_person(99_999)
        await settle(pilot)
        assert app.is_running
        assert "no person with id 99999" in [n.message for n in app._notifications]


@within_timeout
async def test_a_tab_of_the_dossier_redraws_the_footer_once_at_most(tmp_path, monkeypatch):
    """Each focus change and tab shown asks the footer to redraw itself; the asks made together come to one, and
    none when the keys are the same (Textual's footer rebuilt all its keys four times a tab). Focus leaves the pane
    before it hides, then comes to the new one: the footer waits for it to land."""
    path = tmp_path / "nb.db"
    with Notebook(path) as nb:
        acme = nb.add_company("Acme")
        nb.add_person("Ann Lee", company="acme", title="CTO")
    redraws = footer_redraws(monkeypatch)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_company(acme.id)
        await settle(pilot)
        redraws.clear()
        for _ in range(7):  # every tab, back to Overview
            await pilot.press("tab")
            await settle(pilot)
        assert 1 <= len(redraws) <= 7
        assert "a Add person" not in footer(app)  # the People tab's key, on Overview again
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert "a Add person" in footer(app)


@within_timeout
async def test_the_footer_is_one_line_whose_keys_answer_the_mouse(tmp_path):
    """One widget draws every key (Textual's footer made a widget of each, again at every focus change: 20-40 ms
    a tab on a big notebook). It looks as Textual's did, and a key clicked is pressed."""
    app = one_company_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyFooter)
        assert footer(app).startswith(" q Quit  ") and footer(app).endswith("▏^p Jump ")  # the palette on the right
        assert not list(bar.query("*"))  # no widget a key
        people = next(start for start, _, key in bar._spans if key.key == "2")
        await pilot.click(KeyFooter, offset=(people + 1, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "PeopleScreen"
        await pilot.hover(KeyFooter, offset=(1, 0))  # the mouse over a key lights it and shows what it does
        await pilot.pause()
        bar = app.screen.query_one(KeyFooter)
        assert bar._hover is not None and bar._hover.key == bar.keys[0].key


@within_timeout
async def test_a_narrow_footer_shows_whole_keys_and_keeps_the_palettes(tmp_path):
    app = one_company_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = footer(app)
        assert line.endswith("▏^p Jump ") and len(line) <= 80
        bar = app.screen.query_one(KeyFooter)
        shown = bar.shown()
        assert len(shown) < len(bar.keys) + 1  # not all fit in 80 columns
        for key in bar.keys:  # each key is there whole, or not at all
            label = f" {key.display} {key.description}"
            assert (key.key in shown) == (label in line)


@within_timeout
async def test_the_footer_stays_under_a_maximized_list(tmp_path):
    app = one_company_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.action_maximize()  # the command palette's "Maximize"
        await settle(pilot)
        assert app.screen.maximized is not None and "q Quit" in footer(app)


@within_timeout
async def test_a_list_that_loads_shows_a_still_line_not_an_animation(tmp_path):
    """Textual's indicator draws itself 16 times a second, and the loop drawing it held back the worker bringing
    the data (the Vocabulary tab of a big notebook: 1.25 s with it, 0.9 s without)."""
    app = one_company_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.loading = True
        await pilot.pause()
        waiting = table._cover_widget  # what covers a widget while it loads
        assert isinstance(waiting, Waiting) and waiting.auto_refresh is None
        assert "loading…" in screen_text(app)
        table.loading = False
        await pilot.pause()
        assert table._cover_widget is None and "loading…" not in screen_text(app)


@within_timeout
async def test_a_dialogs_footer_shows_its_own_keys_not_the_screens_beneath(tmp_path):
    """The forms said "q Back  d Delete ..." at the bottom (the screen's keys, underneath) while typing q in them
    types a q; the dialogs that place their own focus stop their bases' mount handlers, and show theirs too."""
    path = tmp_path / "nb.db"
    with Notebook(path) as nb:
        nb.add_company("Acme")
        ann = nb.add_person("Ann Lee", company="acme", title="CTO")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")  # the company form
        await settle(pilot)
        assert "Cancel" in footer(app) and "Save" in footer(app) and "Quit" not in footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "q Quit" in footer(app)
        app.open_person(ann.id)
        await settle(pilot)
        await pilot.press("r")  # whom Ann knows: a form that places its own focus
        await settle(pilot)
        assert "Save" in footer(app) and "Back" not in footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "q Back" in footer(app)
