"""The TUI driven through Pilot: research a company from the keyboard, notes, forms, literal markup."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TabbedContent, TextArea
from textual.worker import WorkerFailed

from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.screens.companies import CompaniesScreen
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.note_editor import NoteEditor

MARKUP_COMPANY = "[b]Bold[/b] Labs"
CLICK_PERSON = "[@click=app.quit]Clicky[/] Person"


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    with Notebook(path) as nb:
        lum = nb.add_company("Société Lumière", sector="Energy", status="target", website="https://lumiere.example")
        nb.add_company(MARKUP_COMPANY, sector="Fintech")
        nb.add_company("Nordwind \x1b[31mRed\x1b[0m AG", sector="Energy")
        nb.add_org_unit(lum.id, "Engineering")
        nb.add_org_unit(lum.id, "Platform", parent="Engineering")
        me = nb.add_person("Camille Ferrand", me=True)
        nb.add_position(me.id, company=lum.id, title="Product manager", start="2018-01", end="2020-06")
        anna = nb.add_person("Anna Schmidt", profiles=["https://www.linkedin.com/in/anna-example"])
        nb.add_position(anna.id, company_name="Stadtwerke Ostheim", title="Engineer", start="2012-01", end="2016-12")
        nb.add_position(anna.id, company=lum.id, title="CTO", start="2017-01", unit="Platform")
        bob = nb.add_person(CLICK_PERSON)
        nb.add_position(bob.id, company=lum.id, title="Intern", start="2019-01", end="2020-12")
        nb.add_position(bob.id, company_name="Kessler Bank", title="Analyst", start="2021-01")
        nb.add_relationship(me.id, anna.id, strength=3, how="worked together at Société Lumière")
        nb.set_approach(anna.id, status="to contact", priority=1)
        nb.add_term("PPA", "Power purchase agreement", company=lum.id)
    return path


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(texts)).replace("\xa0", " ")


async def settle(pilot) -> None:
    """Wait until the screens' thread workers have loaded and what they read is on screen."""
    for _ in range(5):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:  # reported through app.report(); the tests read the notifications
            pass
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


def row_texts(table: DataTable) -> list[str]:
    return [" | ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def open_company(pilot, name: str) -> CompanyScreen:
    await settle(pilot)
    table = pilot.app.screen.query_one(DataTable)
    names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.move_cursor(row=names.index(name))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CompanyScreen)
    return pilot.app.screen


async def test_companies_listed_and_filtered(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"lumiere")  # accents ignored
        await settle(pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Société Lumière"]
        await pilot.press("escape")
        assert app.focused is table
        assert isinstance(app.screen, CompaniesScreen)  # escape left the filter, not the screen


async def test_research_a_company_from_the_keyboard(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Société Lumière")
        tabs = screen.query_one(TabbedContent)
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert tabs.active == "people"
        people = row_texts(screen.query_one("#people-table", DataTable))
        # Those here now first; those who left are listed too, marked former.
        assert "Anna Schmidt" in people[0] and "CTO" in people[0] and "to contact" in people[0]
        assert [r.split(" | ")[0] for r in people[1:]] == [CLICK_PERSON, "Camille Ferrand"]
        assert all("former" in r for r in people[1:])
        await pilot.press("tab")
        await settle(pilot)
        assert tabs.active == "careers"
        careers = row_texts(screen.query_one("#careers-table", DataTable))
        assert any("Anna Schmidt" in r and "Stadtwerke Ostheim — Engineer" in r and "still here" in r for r in careers)
        assert any(CLICK_PERSON in r and "Kessler Bank — Analyst" in r for r in careers)
        assert "Kessler Bank (1)" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert tabs.active == "org"
        assert "Platform" in screen_text(app) and "Anna Schmidt" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert "Power purchase agreement" in screen_text(app)
        # Back to People, open the person.
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        await settle(pilot)
        assert tabs.active == "people"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the person's page is read in a thread
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        text = screen_text(app)
        assert "Engineer, Stadtwerke Ostheim" in text and "2012-01 – 2016-12" in text and "█" in text
        assert "Camille Ferrand" in text  # relationship
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)


async def test_note_survives_restart(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_company(pilot, "Société Lumière")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Ask about the PPA team")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Société Lumière")
        screen.query_one(TabbedContent).active = "notes"
        await settle(pilot)
        notes = row_texts(screen.query_one("#company-notes DataTable", DataTable))
        assert len(notes) == 1 and "Ask about the PPA team" in notes[0]


async def test_unsaved_note_asks_before_leaving(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # on the highlighted company
        await pilot.pause()
        await pilot.press(*"draft")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CompaniesScreen)
    with Notebook(small_db) as nb:
        assert nb.counts()["notes"] == 0


async def test_external_editor_result_is_read_back(small_db, tmp_path, monkeypatch):
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\nprintf 'written in my editor' > \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        # Pilot has no real terminal to suspend; run the editor the same way, without suspending.
        monkeypatch.setattr(type(app), "suspend", lambda self: __import__("contextlib").nullcontext())
        editor.action_external()
        await pilot.pause()
        assert editor.query_one(TextArea).text == "written in my editor"


async def test_add_company_form_validates_and_cancels(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")  # empty name
        await pilot.pause()
        assert "company name must not be empty" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompaniesScreen)
        with Notebook(small_db) as nb:
            assert len(nb.companies()) == 3
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Grünwald Mobilität")
        app.screen.query_one("#website", Input).value = "not a url"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "website must be an http(s) URL" in screen_text(app)
        app.screen.query_one("#website", Input).value = "https://gruenwald.example"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "Grünwald Mobilität"


async def test_delete_asks_first(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert table.row_count == 3
        await pilot.press("d", "y")
        await settle(pilot)
        assert table.row_count == 2


async def test_markup_and_escapes_in_names_are_shown_literally(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert MARKUP_COMPANY in text
        assert "Nordwind Red AG" in text and "\x1b" not in text
        await pilot.press("2")
        await settle(pilot)
        assert "[@click=app.quit]Clicky" in screen_text(app)  # the column is narrower than the name
        # Clicking the name must not run the embedded action.
        table = app.screen.query_one(DataTable)
        row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index(CLICK_PERSON)
        await pilot.click(DataTable, offset=(5, row + 1))
        await pilot.pause()
        assert app.is_running
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the person's page is read in a thread
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert CLICK_PERSON in screen_text(app)


async def test_command_palette_jumps_to_a_company(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Bold Labs")
        await pilot.pause(0.5)
        assert MARKUP_COMPANY in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)
        assert app.screen.company.name == MARKUP_COMPANY


async def test_sections_and_quit(small_db):
    app = make_app(small_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.section == "people"
        for key in "2442":  # again and again: no duplicate screens
            await pilot.press(key)
            await pilot.pause()
        assert app.screen.section == "people" and len(app.screen_stack) == 3
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.section == "news"
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.section == "companies" and len(app.screen_stack) == 2
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(7):  # every tab renders at 80x24
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.section == "companies"
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


# -- news ---------------------------------------------------------------------------

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lumière news</title><link>https://lumiere.example/</link>
<item><guid>a1</guid><title>[@click=app.quit]Breaking[/] \x1b[31mnews\x1b[0m</title>
<link>https://lumiere.example/news/1</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;We are &lt;b&gt;hiring&lt;/b&gt; data engineers.&lt;/p&gt;</description></item>
<item><guid>a2</guid><title>Second item</title><link>javascript:alert(1)</link>
<pubDate>Sun, 22 Nov 2026 10:00:00 GMT</pubDate><description>Plain text.</description></item>
</channel></rss>
""".replace("\x1b", "&#27;")


@pytest.fixture
def news_db(small_db, tmp_path) -> Path:
    feed = tmp_path / "lumiere.xml"
    feed.write_text(FEED, encoding="utf-8")
    with Notebook(small_db) as nb:
        nb.add_feed("Société Lumière", str(feed))
    return small_db


async def test_sync_from_the_tui_fills_the_inbox(news_db, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    app = make_app(news_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one("NewsView DataTable", DataTable)
        assert table.row_count == 0
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert table.row_count == 2  # new items appear without restart
        text = screen_text(app)
        assert "[@click=app.quit]Breaking[/] news" in text and "\x1b" not in text
        assert "We are hiring data engineers." in text  # the reading pane, HTML made plain
        await pilot.click("NewsView DataTable", offset=(20, 1))  # clicking the title runs nothing
        assert app.is_running
        view = app.screen.query_one("NewsView")
        table.move_cursor(row=0)
        await pilot.press("space")
        assert view.current().read
        await pilot.press("asterisk")
        assert view.current().starred
        await pilot.press("o")
        assert opened == ["https://lumiere.example/news/1"]
        table.move_cursor(row=1)
        await pilot.press("o")  # a javascript: link is never opened
        assert opened == ["https://lumiere.example/news/1"]
    with Notebook(news_db) as nb:
        items = nb.news()
        assert [i.read for i in items] == [True, False] and items[0].starred


async def test_company_news_tab_shows_items_and_feed_state(news_db):
    app = make_app(news_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        screen = await open_company(pilot, "Société Lumière")
        screen.query_one(TabbedContent).active = "news"
        await pilot.pause()
        text = screen_text(app)
        assert "Second item" in text and "Lumière news" in text and "2 items, last fetch" in text
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"ftp://nope", "enter")
        await pilot.pause()
        assert "feed URL must be http(s)" in screen_text(app)


async def test_an_empty_notebook_says_what_to_do(tmp_path):
    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "No companies yet: press a to add one" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Banque Éclair", "enter")
        await settle(pilot)
        assert "No companies yet" not in screen_text(app) and "Banque Éclair" in screen_text(app)
