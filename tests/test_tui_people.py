"""The people-and-approach flows in the TUI: status, interactions, invitations, network, filters, careers."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TabbedContent, TextArea

from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.screens.person import PersonScreen
from tests.test_tui import screen_text, settle


async def open_person(pilot, name: str) -> PersonScreen:
    await pilot.press("2")
    await settle(pilot)
    pilot.app.screen.query_one("#filter", Input).value = f'"{name}"'
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the page is read in a thread, and drawn when it arrives
    await pilot.pause()
    assert isinstance(pilot.app.screen, PersonScreen), pilot.app.screen
    return pilot.app.screen


async def test_change_status_and_log_an_interaction(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "Sabine Krämer")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("3")  # the third status of the pipeline: invited
        await pilot.pause()
        assert app.nb.approach(screen.person_id).status == "invited"
        await pilot.press("right_square_bracket")  # one key: the next step
        await pilot.pause()
        assert app.nb.approach(screen.person_id).status == "connected"
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.nb.approach(screen.person_id).status == "invited"
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"Asked about the Sensorik roadmap")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        activity = app.screen.query_one("#activity")
        activity.scroll_visible(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "Asked about the Sensorik roadmap" in text and "to contact → invited" in text
    with Notebook(demo_db) as nb:
        assert nb.interactions_of("sabine kramer")[0].summary == "Asked about the Sensorik roadmap"


async def test_empty_interaction_is_refused_in_the_form(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "Sabine Krämer")
        before = len(app.nb.interactions_of(screen.person_id))
        await pilot.press("i", "ctrl+s")
        await pilot.pause()
        assert "summary must not be empty" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.nb.interactions_of(screen.person_id)) == before


async def test_invitation_warning_then_sent(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "Sabine Krämer")
        await pilot.press("w")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.text = "I'd like to add you to my professional network on LinkedIn."
        await pilot.pause()
        assert "reads like the network's default invitation" in screen_text(app)
        area.text = (
            "Hi Sabine, Tomasz told me how the Sensorik team at Schienenblick plans its releases; "
            "I would love to hear how product and engineering share the roadmap there."
        )
        await pilot.pause()
        assert "reads as written for them" in screen_text(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.nb.approach(screen.person_id).status == "invited"
        assert app.nb.interactions_of(screen.person_id)[0].summary.startswith("Invitation sent")


async def test_network_screen_counts_and_profile_checklist(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        text = screen_text(app)
        assert "Meaningful contacts 21 / 100" in text and "6 on no network" in text
        assert "Friederike Lang" in text  # an overdue follow-up
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("tab")
        await pilot.pause()
        assert tabs.active == "quiet" and "Lucía Fernández" in screen_text(app)
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert tabs.active == "profile"
        table = app.screen.query_one("#profile-table", DataTable)
        network, item, done = app.screen.checklist[0]
        await pilot.press("space")
        await pilot.pause()
        checklist = app.nb.profile_checklist([network])[network]
        assert next(i["done"] for i in checklist if i["item"] == item) is (not done)
        assert table.row_count == len(app.screen.checklist)


async def test_people_filter_keys(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        box = app.screen.query_one("#filter", Input)
        box.value = "network:none"
        await settle(pilot)
        names = [p.name for p in app.screen.rows]
        assert "Gérard Fabre" in names and len(names) == 6
        box.value = 'status:"to contact"'
        await settle(pilot)
        assert all(p.approach_status == "to contact" for p in app.screen.rows) and app.screen.rows
        box.value = "status:nonsense"
        await settle(pilot)
        assert app.screen.rows == [] and "approach status must be one of" in screen_text(app)


async def test_careers_screen_studies_a_role(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press(*"head of product")
        await pilot.pause()
        text = screen_text(app)
        assert "6 people hold or held head of product" in text and "Stepping stones" in text
        table = app.screen.query_one("#holders", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


async def test_warm_path_on_the_person_and_company_screens(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_person(pilot, "Sabine Krämer")
        text = screen_text(app)
        assert "1. Solène Garnier → Tomasz Wiśniewski → Sabine Krämer" in text
        assert "she is his manager at Schienenblick" in text  # the reason for the link
        await pilot.press("c")  # her company
        await pilot.pause()
        app.screen.query_one(TabbedContent).active = "people"
        await pilot.pause()
        rows = [
            [str(c) for c in app.screen.query_one("#people-table", DataTable).get_row_at(i)]
            for i in range(app.screen.query_one("#people-table", DataTable).row_count)
        ]
        sabine = next(r for r in rows if r[0] == "Sabine Krämer")
        assert sabine[-1] == "via Tomasz Wiśniewski"
        assert rows[0][0] == "Tomasz Wiśniewski" and rows[0][-1] == "you know them"  # priority 1, warmest first


async def test_timeline_highlights_the_overlap_with_me(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "Tomasz Wiśniewski")
        timeline = screen.query_one("Timeline")
        rutas = [p.id for p in timeline.positions if p.company_name == "Rutas Claras SL"]
        assert rutas and set(rutas) <= timeline.highlight  # both at Rutas Claras 2019-2022
        assert "overlapped with you at the same company" in screen_text(app)


async def test_search_opens_the_news_item_and_its_notes_show(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"two billion entries")
        await pilot.pause()
        await pilot.press("enter")  # the first hit: the Ledgerkern news item
        await pilot.pause()
        view = app.screen.query_one("NewsView")
        assert view.current().title.startswith("Ledgerkern: keeping two billion entries balanced")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Ask Lena how PMs use the ledger")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "Your notes (1)" in text and "Ask Lena how PMs use the ledger" in text
