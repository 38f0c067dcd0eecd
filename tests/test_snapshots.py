"""SVG snapshots of the main screens on the demo notebook, and the demo flow end to end."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from researcher.tui.app import make_app
from tests.test_tui import settle

SIZE = (120, 40)


def _company_row(app, name: str) -> int:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index(name)


def test_companies_screen(snap_compare, demo_db):
    assert snap_compare(make_app(demo_db, title_suffix="demo"), terminal_size=SIZE, run_before=settle)


def test_company_career_paths(snap_compare, demo_db):
    async def go(pilot):
        await settle(pilot)
        pilot.app.screen.query_one(DataTable).move_cursor(row=_company_row(pilot.app, "Zahlwerk GmbH"))
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "careers"
        await settle(pilot)

    assert snap_compare(make_app(demo_db, title_suffix="demo"), terminal_size=SIZE, run_before=go)


def test_person_screen(snap_compare, demo_db):
    async def go(pilot):
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("slash", *"lena hoffmann", "enter", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the page arrives from a thread
        await pilot.pause()

    assert snap_compare(make_app(demo_db, title_suffix="demo"), terminal_size=SIZE, run_before=go)


def test_news_inbox_narrow(snap_compare, demo_db):
    async def go(pilot):
        await pilot.press("3")
        for _ in range(3):  # the inbox and its counts load in workers
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(make_app(demo_db, title_suffix="demo"), terminal_size=(80, 24), run_before=go)


async def test_demo_research_flow(demo_db):
    """Open the demo, open a target company, see its people and where they came from."""
    app = make_app(demo_db, title_suffix="demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(DataTable).move_cursor(row=_company_row(app, "Zahlwerk GmbH"))
        await pilot.press("enter", "tab", "tab")
        await settle(pilot)
        people = app.screen.query_one("#people-table", DataTable)
        names = [str(people.get_row_at(i)[0]) for i in range(people.row_count)]
        assert "Lena Hoffmann" in names and len(names) >= 4
        await pilot.press("tab")
        await settle(pilot)
        careers = app.screen.query_one("#careers-table", DataTable)
        came_from = [str(careers.get_row_at(i)[1]) for i in range(careers.row_count)]
        assert any(c != "—" for c in came_from)
