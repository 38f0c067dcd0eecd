"""The company dossier as a workbench: one source per tab (insight.dossier) for the TUI and `company show`,
tabs loaded in workers when first shown, people ranked by warmest path and paged, feeds followed and
stopped, companies deleted in a thread."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from researcher.insight import dossier
from researcher.insight.paths import find_paths, near_costs, paths_to_many
from researcher.store import Notebook, ResearcherError
from researcher.tui.app import make_app
from researcher.tui.screens.companies import CompaniesScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.feed_form import FeedForm, FeedList
from researcher.tui.widgets.person_form import PersonForm
from tests.test_tui import open_company, row_texts, screen_text, settle

TIMEOUT = 30
TODAY = "2026-11"


def within_timeout(test):
    """A hang fails the test instead of blocking the suite."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=TIMEOUT)

    return run


def build(nb: Notebook) -> dict[str, int]:
    """Orbit AG: Anna (knows me, here now), Ben (worked with Anna here: two links), Dora (linked to nobody),
    Eva (left, priority 1), Finn (left, nobody), and me, who used to work here."""
    orbit = nb.add_company("Orbit AG", sector="Space", status="target")
    nb.add_company("Elsewhere GmbH", sector="Space")
    me = nb.add_person("Camille Ferrand", me=True)
    nb.add_position(me.id, company=orbit.id, title="Analyst", start="2010-01", end="2011-12")
    anna = nb.add_person("Anna Schmidt", company=orbit.id, title="CTO", start="2015-01")
    ben = nb.add_person("Ben Keller", company=orbit.id, title="Engineer", start="2016-01")
    dora = nb.add_person("Dora Lang", company=orbit.id, title="Designer")  # no start: overlaps nobody
    eva = nb.add_person("Eva Roth")
    nb.add_position(eva.id, company=orbit.id, title="Head of Sales", start="2012-01", end="2014-06")
    finn = nb.add_person("Finn Weber")
    nb.add_position(finn.id, company=orbit.id, title="Intern", start="2001-01", end="2001-06")
    nb.add_relationship(me.id, anna.id, strength=3, how="old friends")
    nb.set_approach(eva.id, status="to contact", priority=1)
    nb.add_term("LEO", "Low Earth orbit", company=orbit.id)
    nb.add_org_unit(orbit.id, "Engineering")
    nb.add_feed(orbit.id, "https://orbit.example/feed.xml")
    nb.add_note("Ask Anna about the launch team", company=orbit.id)
    return {"orbit": orbit.id, "me": me.id, "anna": anna.id, "ben": ben.id, "dora": dora.id, "eva": eva.id,
            "finn": finn.id}  # fmt: skip


@pytest.fixture
def ids(nb) -> dict[str, int]:
    return build(nb)


@pytest.fixture
def orbit_db(tmp_path: Path) -> Path:
    path = tmp_path / "orbit.db"
    with Notebook(path) as nb:
        build(nb)
    return path


# -- insight: one source per tab ---------------------------------------------------------


def test_people_are_ranked_by_priority_then_presence_then_warmth(nb, ids):
    ranking = dossier.rank_people(nb, ids["orbit"], today=TODAY)
    page = dossier.people_page(nb, ranking, today=TODAY)
    names = [r.name for r in page.rows]
    # Eva has a priority; then those here now, warmest first (Dora: no short path); then who left; me last.
    assert names == ["Eva Roth", "Anna Schmidt", "Ben Keller", "Dora Lang", "Finn Weber", "Camille Ferrand"]
    rows = {r.name: r for r in page.rows}
    assert (
        not rows["Eva Roth"].current
        and rows["Eva Roth"].left == "2014-06"
        and rows["Eva Roth"].title == "Head of Sales"
    )
    assert rows["Anna Schmidt"].current and rows["Anna Schmidt"].title == "CTO"
    assert len(rows["Anna Schmidt"].path.links) == 1  # you know them
    assert [link.to_name for link in rows["Ben Keller"].path.links] == ["Anna Schmidt", "Ben Keller"]
    assert rows["Camille Ferrand"].is_me and rows["Camille Ferrand"].path is None
    assert (page.total, page.current, page.former) == (6, 3, 3)


def test_the_ranking_warmth_is_exact_for_paths_of_two_links(nb, ids):
    """near_costs (one query for everyone) gives the cost find_paths finds when the best path is that short."""
    cheap = near_costs(nb, ids["me"], [ids["anna"], ids["ben"], ids["dora"]], TODAY)
    for who in ("anna", "ben"):
        assert cheap[ids[who]] == pytest.approx(find_paths(nb, ids[who], today=TODAY).paths[0].cost, abs=0.01)
    assert ids["dora"] not in cheap


def test_paths_to_many_finds_each_ones_warmest_path_in_one_search(nb, ids):
    many = paths_to_many(nb, ids["me"], [ids["anna"], ids["ben"], ids["dora"], ids["me"]], TODAY)
    assert set(many) == {ids["anna"], ids["ben"]}
    for who in ("anna", "ben"):
        alone = find_paths(nb, ids[who], today=TODAY).paths[0]
        assert many[ids[who]][1].people == alone.people


def test_people_page_pages_and_ranks_those_who_left_only_when_reached(nb, ids):
    ranking = dossier.rank_people(nb, ids["orbit"], today=TODAY)
    assert ranking.pending == {ids["finn"]}  # left, no priority: ranked once a page reaches them
    first = dossier.people_page(nb, ranking, 0, 2, today=TODAY)
    assert [r.name for r in first.rows] == ["Eva Roth", "Anna Schmidt"] and first.has_more
    assert ranking.pending
    last = dossier.people_page(nb, ranking, 4, 2, today=TODAY)
    assert [r.name for r in last.rows] == ["Finn Weber", "Camille Ferrand"] and not last.has_more
    assert not ranking.pending


def test_without_me_people_are_listed_and_the_page_says_why_there_are_no_paths(nb, ids):
    nb.db.execute("UPDATE people SET is_me = 0")
    page = dossier.people(nb, ids["orbit"], today=TODAY)[1]
    assert page.why_no_paths == dossier.NO_ME
    assert [r.path for r in page.rows] == [None] * 6 and page.rows[0].name == "Eva Roth"


def test_each_tab_is_computed_alone(nb, ids):
    overview = dossier.PARTS["overview"](nb, ids["orbit"])
    assert (overview.people_now, overview.former, overview.terms, overview.feeds) == (3, 3, 1, 1)
    assert overview.latest_note.body.startswith("Ask Anna")
    assert [f.url for f in dossier.PARTS["news"](nb, ids["orbit"]).feeds] == ["https://orbit.example/feed.xml"]
    flows = dossier.PARTS["careers"](nb, ids["orbit"])
    assert {m.person_name for m in flows.moves} >= {"Anna Schmidt", "Eva Roth"}
    assert [u.name for u in dossier.PARTS["org"](nb, ids["orbit"])] == ["Engineering"]
    assert [t.term for t in dossier.PARTS["vocabulary"](nb, ids["orbit"])] == ["LEO"]
    assert len(dossier.PARTS["notes"](nb, ids["orbit"])) == 1


# -- the CLI renders the same dossier ---------------------------------------------------------

OLD_KEYS = {"id", "slug", "name", "sector", "status", "people_count", "unread_count", "people", "former", "feeds",
            "terms", "notes"}  # fmt: skip


def test_company_show_json_keeps_its_keys_and_adds_every_tab(orbit_db, run_cli):
    result = run_cli("--db", str(orbit_db), "company", "show", "orbit", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert OLD_KEYS <= set(data)
    assert {"overview", "news", "ranked_people", "careers", "organisation"} <= set(data)
    assert sorted(p["person_name"] for p in data["people"]) == ["Anna Schmidt", "Ben Keller", "Dora Lang"]
    ranked = data["ranked_people"]
    assert [r["name"] for r in ranked["rows"]][:3] == ["Eva Roth", "Anna Schmidt", "Ben Keller"]
    assert ranked["rows"][1]["path"]["people"][-1] == ranked["rows"][1]["person_id"]
    assert data["overview"]["former"] == 3 and data["news"]["total"] == 0
    assert any(m["before"] is None and m["here"]["title"] == "CTO" for m in data["careers"]["moves"])
    limited = json.loads(run_cli("--db", str(orbit_db), "company", "show", "orbit", "--json", "--people", "2").stdout)
    assert len(limited["ranked_people"]["rows"]) == 2 and limited["ranked_people"]["total"] == 6


def test_company_show_lists_the_warmest_ways_in(orbit_db, run_cli):
    text = run_cli("--db", str(orbit_db), "company", "show", "orbit").stdout
    assert "Warmest ways in" in text
    assert "Anna Schmidt — CTO  (you know them)" in text and "Ben Keller — Engineer  (via Anna Schmidt)" in text
    assert "Eva Roth — former Head of Sales" in text


def test_company_rm_and_feed_rm_say_what_went_as_json(orbit_db, run_cli):
    feeds = json.loads(run_cli("--db", str(orbit_db), "feed", "list", "--json").stdout)
    assert [f["state"] for f in feeds] == ["never fetched"]
    gone = json.loads(run_cli("--db", str(orbit_db), "feed", "rm", feeds[0]["url"], "--json").stdout)
    assert gone["url"] == feeds[0]["url"]
    removed = json.loads(run_cli("--db", str(orbit_db), "company", "rm", "orbit", "--json").stdout)
    assert removed["slug"] == "orbit-ag"
    with Notebook(orbit_db) as nb:
        assert [c.name for c in nb.companies()] == ["Elsewhere GmbH"] and nb.feeds() == []


def test_following_a_feed_is_one_workflow(nb, ids, tmp_path):
    from researcher.sync.follow import follow_feed

    feed_file = tmp_path / "feed.xml"
    feed_file.write_text("<rss version='2.0'><channel><title>x</title></channel></rss>", encoding="utf-8")
    feed, others = follow_feed(nb, "orbit", str(feed_file))
    assert feed.url == feed_file.as_uri() and others == []
    with pytest.raises(ResearcherError, match="unknown company"):
        follow_feed(nb, "nowhere", "https://nowhere.example/")  # before any network traffic


# -- the TUI ------------------------------------------------------------------------------------------


class Counting:
    """Count the calls of the dossier's parts, per tab; optionally hold one until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: dict[str, int] = {}
        self.gates: dict[str, threading.Event] = {}
        for tab, part in list(dossier.PARTS.items()):
            monkeypatch.setitem(dossier.PARTS, tab, self._wrap(tab, part))
        rank = dossier.rank_people
        monkeypatch.setattr(dossier, "rank_people", self._wrap("people", rank))

    def _wrap(self, tab, part):
        def counted(*args, **kwargs):
            self.calls[tab] = self.calls.get(tab, 0) + 1
            gate = self.gates.get(tab)
            if gate is not None:
                gate.wait(10)
            return part(*args, **kwargs)

        return counted


def people_names(screen) -> list[str]:
    table = screen.query_one("#people-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


@within_timeout
async def test_tabs_load_when_first_shown_and_a_return_refreshes_only_the_tab_in_view(orbit_db, monkeypatch):
    counts = Counting(monkeypatch)
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        assert counts.calls == {"overview": 1}  # only the Overview at once
        assert screen.query_one("#people-table", DataTable).row_count == 0
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert counts.calls == {"overview": 1, "people": 1}
        assert people_names(screen)[:2] == ["Eva Roth", "Anna Schmidt"]
        await pilot.press("j", "j")  # Ben Keller
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert counts.calls == {"overview": 1, "people": 2}  # the People tab only
        table = screen.query_one("#people-table", DataTable)
        assert people_names(screen)[table.cursor_row] == "Ben Keller"  # the place is kept
        await pilot.press("tab")  # Career paths: first shown now
        await settle(pilot)
        screen.reload()  # what a finished sync does
        await settle(pilot)
        assert counts.calls == {"overview": 1, "people": 2, "careers": 2}
        await pilot.press("shift+tab")  # People went stale: read again when shown
        await settle(pilot)
        assert counts.calls["people"] == 3 and counts.calls["overview"] == 1


@within_timeout
async def test_a_note_written_elsewhere_is_in_the_notes_tab_when_it_is_shown_again(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("shift+tab")  # Notes
        await settle(pilot)
        assert len(row_texts(screen.query_one("#company-notes DataTable", DataTable))) == 1
        await pilot.press("tab")  # Overview
        await settle(pilot)
        await pilot.press("n", *"Launch window in March", "ctrl+s")
        await settle(pilot)
        assert "Launch window in March" in screen_text(app)  # the Overview's latest note
        await pilot.press("shift+tab")
        await settle(pilot)
        notes = row_texts(screen.query_one("#company-notes DataTable", DataTable))
        assert len(notes) == 2 and "Launch window in March" in notes[0]


@within_timeout
async def test_a_dossier_whose_company_was_deleted_meanwhile_leaves(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        with Notebook(orbit_db) as nb:
            nb.remove_company("orbit")  # from the CLI, say
        screen.reload()  # a sync finished
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen)
        assert "This company is no longer in the notebook." in [n.message for n in app._notifications]


@within_timeout
async def test_a_tab_shows_a_loading_indicator_until_its_data_arrives(orbit_db, monkeypatch):
    counts = Counting(monkeypatch)
    counts.gates["careers"] = gate = threading.Event()
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        screen.query_one(TabbedContent).active = "careers"
        await pilot.pause(0.2)
        body = screen.query_one("#careers-body")
        assert body.loading and screen.query_one("#careers-table", DataTable).row_count == 0
        await pilot.press("j", "k")  # the app answers meanwhile
        gate.set()
        await settle(pilot)
        assert not body.loading and screen.query_one("#careers-table", DataTable).row_count == 6


@within_timeout
async def test_a_tab_that_fails_goes_to_the_one_error_path(orbit_db, monkeypatch):
    def broken(nb, company):
        raise ResearcherError("the vocabulary could not be read")

    monkeypatch.setitem(dossier.PARTS, "vocabulary", broken)
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        screen.query_one(TabbedContent).active = "vocabulary"
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == ["the vocabulary could not be read"]
        assert not screen.query_one("#vocabulary-body").loading and app.is_running


@within_timeout
async def test_tab_moves_to_the_next_tab_and_stays_there(orbit_db):
    """The Overview has two scrollable columns: when it hid, the focus went to the other one, whose pane
    then took the tab back for a moment (and for good when a load finished at the wrong time)."""
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        tabs = screen.query_one(TabbedContent)
        seen: list[str] = []
        screen.watch(tabs, "active", lambda tab: seen.append(tab), init=False)
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert seen == ["news", "people"] and tabs.active == "people"


@within_timeout
async def test_people_tab_adds_a_person_at_this_company(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("a")  # not on the People tab: nothing
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("tab", "tab")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PersonForm) and form.query_one("#company", Input).value == "Orbit AG"
        await pilot.press(*"Zoe Brandt", "ctrl+s")
        await pilot.pause()
        assert "Title there is needed" in screen_text(app)
        form.query_one("#title", Input).value = "Launch engineer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one("#people-table", DataTable)
        assert people_names(screen)[table.cursor_row] == "Zoe Brandt"  # the new person, highlighted
    with Notebook(orbit_db) as nb:
        (position,) = nb.positions_of("zoe-brandt")
        assert (position.company_name, position.title, position.end) == ("Orbit AG", "Launch engineer", None)


@within_timeout
async def test_people_tab_marks_former_people_opens_a_person_and_shows_the_warmest_path(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("tab", "tab")
        await settle(pilot)
        rows = row_texts(screen.query_one("#people-table", DataTable))
        assert "former Head of Sales" in rows[0] and "to contact" in rows[0]
        assert "former" not in rows[1] and "you know them" in rows[1]
        assert "via Anna Schmidt" in rows[2]
        await pilot.press("j", "j")
        await pilot.pause(0.3)  # the highlighted person's exact path is searched once the cursor rests
        await settle(pilot)
        detail = str(screen.query_one("#people-detail", Static).render())
        assert "Ben Keller" in detail and "Warmest path: you → Anna Schmidt" in detail and "old friends" in detail
        assert "6 here now" not in screen_text(app) and "3 here now · 3 who used to be" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person_id == screen.people[2].person_id


@within_timeout
async def test_people_tab_pages_as_the_cursor_nears_the_end(orbit_db, monkeypatch):
    monkeypatch.setattr(dossier, "PEOPLE_PAGE", 2)
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("tab", "tab")
        await settle(pilot)
        for _ in range(6):
            await pilot.press("j")
            await settle(pilot)
        assert people_names(screen) == [
            "Eva Roth", "Anna Schmidt", "Ben Keller", "Dora Lang", "Finn Weber", "Camille Ferrand"
        ]  # fmt: skip


@within_timeout
async def test_the_feed_list_follows_and_stops_feeds(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("tab")  # News
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedList) and "orbit.example/feed.xml" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FeedForm)
        assert "^s Follow" in screen_text(app).splitlines()[-1]  # saved with ctrl+s as every form is
        await pilot.press("ctrl+s")  # nothing typed: said so, the form stays
        await pilot.pause()
        assert isinstance(app.screen, FeedForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "Stop following" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        with Notebook(orbit_db) as nb:
            assert len(nb.feeds()) == 1
        await pilot.press("d", "y")
        await settle(pilot)
        assert "Stopped following https://orbit.example/feed.xml." in [n.message for n in app._notifications]
        assert "No feed yet" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
    with Notebook(orbit_db) as nb:
        assert nb.feeds() == []


@within_timeout
async def test_the_feed_form_follows_with_ctrl_s_as_every_form_saves(orbit_db, tmp_path):
    feed = tmp_path / "orbit.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orbit</title>'
        "<item><title>Orbit opens a lab</title><link>https://orbit.example/1</link></item></channel></rss>",
        encoding="utf-8",
    )
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_company(pilot, "Orbit AG")
        await pilot.press("tab", "f")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*feed.as_uri(), "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FeedForm)
        assert any(n.message.startswith(f"Following {feed.as_uri()}") for n in app._notifications)
    with Notebook(orbit_db) as nb:
        assert feed.as_uri() in [f.url for f in nb.feeds()]


@within_timeout
async def test_the_dossier_fits_80_columns(orbit_db):
    app = make_app(orbit_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        await pilot.press("tab", "tab")
        await settle(pilot)
        text = screen_text(app)
        assert "Warmest path" in text and "you know them" in text and "Unit" not in text
        assert screen.query_one("#people-table", DataTable).row_count == 6


@within_timeout
async def test_a_big_units_people_wait_folded_in_the_organisation(orbit_db):
    with Notebook(orbit_db) as nb, nb.atomic():
        for n in range(30):
            nb.add_person(f"Crew {n:02}", company="orbit", title="Engineer")
            nb.add_position(f"crew-{n:02}", company="orbit", title="Engineer", unit="Engineering", start="2020-01")
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Orbit AG")
        screen.query_one(TabbedContent).active = "org"
        await settle(pilot)
        text = screen_text(app)
        assert "Engineering  30" in text and "30 people (enter unfolds)" in text and "Crew 00" not in text
        tree = screen.query_one("#org-tree")
        folded = next(n for n in tree.root.children[0].children if isinstance(n.data, list))
        tree.move_cursor(folded)
        await pilot.press("enter")
        await settle(pilot)
        assert len(folded.children) == 30 and "Crew 00" in screen_text(app)


# -- deleting a company runs in a thread ------------------------------------------------------------


@within_timeout
async def test_deleting_a_company_runs_in_a_thread_and_the_list_says_so(orbit_db, monkeypatch):
    release = threading.Event()
    real = Notebook.remove_company

    def slow_remove(self, ref):
        release.wait(10)  # a removal scrubbing a big full-text index
        return real(self, ref)

    monkeypatch.setattr(Notebook, "remove_company", slow_remove)
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Elsewhere GmbH", "Orbit AG"]
        await pilot.press("j", "d", "y")
        await pilot.pause(0.2)
        assert "deleting…" in row_texts(table)[1] and "deleting Orbit AG…" in screen_text(app)
        await pilot.press("enter")  # a company being deleted does not open
        await pilot.press("k")  # the app answers meanwhile
        await pilot.pause()
        assert app.screen is screen and table.cursor_row == 0
        assert "Orbit AG is being deleted." in [n.message for n in app._notifications]
        release.set()
        await settle(pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Elsewhere GmbH"]
        assert "Deleted Orbit AG" in [n.message for n in app._notifications]
        assert "deleting" not in screen_text(app)


@within_timeout
async def test_a_deletion_that_fails_is_reported_and_the_company_stays(orbit_db, monkeypatch):
    def failing(self, ref):
        raise ResearcherError("the notebook is busy")

    monkeypatch.setattr(Notebook, "remove_company", failing)
    app = make_app(orbit_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "d", "y")
        await settle(pilot)
        assert isinstance(app.screen, CompaniesScreen)
        assert [n.message for n in app._notifications if n.severity == "error"] == ["the notebook is busy"]
        assert table.row_count == 2 and "deleting" not in screen_text(app) and "target" in row_texts(table)[1]
