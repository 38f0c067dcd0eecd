"""TUI bugs of issue 9 (part a): sector filter hang, Study a role layout, escape, palette, scrolling, help, plurals."""

from __future__ import annotations

import asyncio
import functools
import html
import re
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Select

from researcher.insight.study import study_role
from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.screens.careers import CareersScreen
from researcher.tui.screens.companies import CompaniesScreen
from researcher.tui.screens.help import HelpScreen
from researcher.tui.screens.people import PeopleScreen
from researcher.tui.screens.person import PersonScreen
from researcher.words import plural
from tests.test_tui import FEED, screen_text, settle
from tests.test_tui_people import open_person

# A hang must fail the test, not block the suite.
TIMEOUT = 20


def within_timeout(test):
    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=TIMEOUT)

    return run


def screen_text_rows(app) -> list[str]:
    """Each terminal row as text, rebuilt from the SVG screenshot (cells are 12.2 units wide)."""
    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for x, line, text in re.findall(r'<text[^>]*x="([\d.]+)"[^>]*line-(\d+)\)"[^>]*>(.*?)</text>', svg, flags=re.S):
        row = rows.setdefault(int(line), [" "] * app.size.width)
        col = round(float(x) / 12.2)
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ").rstrip("\n")):
            if col + offset < len(row):
                row[col + offset] = char
    return ["".join(rows[n]).rstrip() for n in sorted(rows)]


# -- 1. Companies: picking a sector -------------------------------------------------


@within_timeout
async def test_picking_a_sector_filters_and_keeps_the_app_answering(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # "All sectors", then the first sector
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompaniesScreen)
        sector = screen.query_one("#sector", Select).value
        assert sector == "Energy transition"
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert {str(table.get_row_at(i)[1]) for i in range(table.row_count)} == {"Energy transition"}
        assert "3 companies in Energy transition" in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("1")  # back: the sector is still picked and the screen still answers
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen) and app.screen.query_one(DataTable).row_count == 3
        await pilot.press("f", "home", "enter")  # back to all sectors
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 12


# -- 2. Study a role ---------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120, 200])
@within_timeout
async def test_study_function_picker_is_on_screen(demo_db, width):
    app = make_app(demo_db)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, CareersScreen)
        role = app.screen.query_one("#role", Input)
        picker = app.screen.query_one("#function", Select)
        assert picker.region.width >= 16 and picker.region.right <= width
        assert role.region.right <= picker.region.x
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is picker or picker in app.focused.ancestors  # visible, where focus went
        assert "Any function" in screen_text(app)


@within_timeout
async def test_study_years_are_readable_at_80_columns(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", *"cto")
        await pilot.pause()
        study = app.screen.study
        assert any(h.years_to_role == 12.0 for h in study.holders)
        text = "\n".join(screen_text_rows(app))
        for h in study.holders[:3]:  # the rows in view
            row = next(r for r in screen_text_rows(app) if h.name in r)
            assert f"{h.years_to_role:.1f} y" in row, (row, text)


@within_timeout
async def test_study_marks_now_only_a_role_still_held(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", *"head of product")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[1]): table.get_row_at(i) for i in range(table.row_count)}
        # Aurélie reached the role at Atelier Numérique Garonne (2017-10 – 2020-12), holds it now elsewhere.
        aurelie = rows["Aurélie Chevalier"]
        assert str(aurelie[0]).strip() == "" and "Atelier Numérique G" in str(aurelie[2])
        shown = screen_text_rows(app)
        at = next(i for i, row in enumerate(shown) if "Aurélie Chevalier" in row)
        assert not shown[at].lstrip().startswith("now")
        assert "now Head of Product, Mobilière Véloce" in shown[at + 1]  # said, on a line of its own
        # Lena reached it at Zahlwerk and is still there.
        assert str(rows["Lena Hoffmann"][0]).strip() == "now"


def test_study_says_where_a_holder_holds_the_role_now(demo_db):
    with Notebook(demo_db) as nb:
        holders = {h.name: h for h in study_role(nb, title="head of product").holders}
    aurelie = holders["Aurélie Chevalier"]
    assert aurelie.current and aurelie.end == "2020-12"
    assert (aurelie.now_title, aurelie.now_company) == ("Head of Product", "Mobilière Véloce")
    lena = holders["Lena Hoffmann"]
    assert lena.current and lena.end is None and lena.now_title is None  # the position shown is the one held


# -- 3. escape on the first screen --------------------------------------------------


@within_timeout
async def test_escape_never_quits(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CompaniesScreen)
        await pilot.press("slash", *"zahl", "enter")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("escape")  # on the list: clears the filter
        await settle(pilot)
        assert app.is_running and app.screen.query_one("#filter", Input).value == ""
        assert app.screen.query_one(DataTable).row_count == 12
        await pilot.press("2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CompaniesScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


# -- 4. command palette ignores accents and case --------------------------------------


@pytest.mark.parametrize("typed", ["helene", "HELENE duval"])
@within_timeout
async def test_palette_ignores_accents_and_case(demo_db, typed):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await pilot.pause(0.6)
        assert any("Person: Hélène Duval" in row for row in screen_text_rows(app))
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the person's page is read in a thread
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "Hélène Duval"


def test_palette_highlight_lands_on_the_original_letters():
    from textual.fuzzy import Matcher

    from researcher.tui.commands import _highlight

    label = "Person: Straße [b]Æsir[/b] Hélène"
    content = _highlight(Matcher("strasse aesir helene"), label)
    assert content.plain == label  # literal: no markup parsed, nothing dropped
    marked = {i for span in content.spans for i in range(span.start, span.end)}
    assert {label.index("ß"), label.index("Æ"), label.index("é")} <= marked


# -- 5. a person's page scrolls from the keyboard when it opens ------------------------


@within_timeout
async def test_person_page_scrolls_on_open(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, "Lena Hoffmann")
        body = screen.query_one("#person-body", VerticalScroll)
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home", "j", "j")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("k", "down")
        await pilot.pause()
        assert body.scroll_y == 2


# -- 6. Network empty states --------------------------------------------------------


@within_timeout
async def test_network_empty_states_are_whole_sentences(tmp_path: Path):
    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert "No follow-up is due" in screen_text(app)
        for sentence in ("Nobody has gone quiet", "Nobody left to contact", "Nobody is marked as you yet"):
            await pilot.press("tab")
            await pilot.pause()
            assert sentence in screen_text(app)


# -- 7. `?` lists the declared bindings ------------------------------------------------


def _declared(cls) -> list:
    from textual.binding import Binding

    out = []
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and klass.__module__.startswith("researcher."):
                out.append(binding)
    return out


@within_timeout
async def test_keys_lists_every_binding_of_the_screen_and_the_app(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 60)) as pilot:
        await open_person(pilot, "Lena Hoffmann")
        person = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in _declared(type(person)) + _declared(type(app)):
            assert binding.description in text, binding
        for key, what in (("]", "Next status"), ("[", "Previous status"), ("5", "Study a role")):
            assert any(key in row and what in row for row in screen_text_rows(app)), (key, what)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is person


@within_timeout
async def test_keys_of_each_section(demo_db):
    from researcher.tui.screens.help import key_sections

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        for section in "1234":
            await pilot.press(section)
            await pilot.pause()
            screen = app.screen
            listed = {binding.description for _heading, keys in key_sections(app, screen) for _key, binding in keys}
            missing = [
                b.description for b in _declared(type(screen)) + _declared(type(app)) if b.description not in listed
            ]
            assert not missing, (type(screen).__name__, missing)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("question_mark")  # ? again closes it
            await pilot.pause()
            assert app.screen is screen


def test_every_binding_in_these_screens_has_a_description():
    from researcher.tui.app import ResearcherApp
    from researcher.tui.screens.base import BaseScreen
    from researcher.tui.screens.help import HelpScreen
    from researcher.tui.screens.list_base import ListScreen
    from researcher.tui.screens.network import NetworkScreen
    from researcher.tui.widgets.filter_input import FilterInput
    from researcher.tui.widgets.status_picker import StatusPicker

    for cls in (
        ResearcherApp,
        BaseScreen,
        ListScreen,
        CompaniesScreen,
        PeopleScreen,
        PersonScreen,
        NetworkScreen,
        CareersScreen,
        HelpScreen,
        FilterInput,
        StatusPicker,
    ):
        for binding in cls.__dict__.get("BINDINGS", []):
            assert binding.description, (cls.__name__, binding.key)


# -- 8. plurals ----------------------------------------------------------------------


def test_plural():
    assert plural(0, "company", "companies") == "0 companies"
    assert plural(1, "company", "companies") == "1 company"
    assert plural(2, "item") == "2 items"
    assert plural(1, "person", "people") == "1 person"


@pytest.fixture
def one_of_each(tmp_path: Path) -> Path:
    path = tmp_path / "one.db"
    with Notebook(path) as nb:
        nb.add_company("Zahlwerk GmbH", sector="Fintech")
        person = nb.add_person("Ana Lima")
        nb.add_position(person.id, company_name="Zahlwerk GmbH", title="Head of Product", start="2018-01")
        nb.add_interaction(person.id, "in person", "Coffee at the meetup")
    return path


@within_timeout
async def test_counts_of_one_are_singular(one_of_each):
    app = make_app(one_of_each)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "1 company" in screen_text(app) and "1 companies" not in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert "1 person" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "1 interaction in all" in screen_text(app)
        await pilot.press("5", *"head")
        await pilot.pause()
        assert "1 person holds or held" in screen_text(app)
        await pilot.press("escape", "4")
        await pilot.pause()
        assert "1 follow-ups" not in screen_text(app) and "0 follow-ups due" in screen_text(app)


@pytest.fixture
def one_feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED, encoding="utf-8")
    path = tmp_path / "feed.db"
    with Notebook(path) as nb:
        nb.add_company("Société Lumière")
        nb.add_feed("Société Lumière", str(feed))
    return path


@within_timeout
async def test_sync_of_one_feed_says_feed(one_feed):
    app = make_app(one_feed)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        messages = [n.message for n in app._notifications]
        assert "2 new items from 1 feed" in messages, messages
