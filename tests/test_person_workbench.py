"""The person as a workbench: me, whom they know, approach and follow-ups, positions; store, CLI and TUI."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, DataTable, Input

from researcher import clock
from researcher.cli import main
from researcher.insight.person_page import IS_ME, NO_ME, person_page
from researcher.store import Invalid, Notebook, NotFound
from researcher.store.person_edits import add_months, shift_date
from researcher.tui.app import make_app
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from tests.test_cli import dump
from tests.test_tui import screen_text

TODAY = date(2026, 11, 25)
TIMEOUT = 30


def within_timeout(test):
    """A hang fails the test instead of the run."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=TIMEOUT)

    return run


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _fill(nb: Notebook, me: bool = True) -> None:
    nb.add_company("Société Lumière", sector="Energy", status="target")
    nb.add_org_unit("societe-lumiere", "Platform")
    if me:
        camille = nb.add_person("Camille Ferrand", me=True)
        nb.add_position(camille.id, company="societe-lumiere", title="Product manager", start="2018-01", end="2020-06")
    helene = nb.add_person("Hélène Duval", profiles=["https://www.linkedin.com/in/helene-example"])
    nb.add_position(helene.id, company_name="Stadtwerke Ostheim", title="Engineer", start="2012-01", end="2016-12")
    nb.add_position(helene.id, company="societe-lumiere", title="CTO", start="2017-01")
    nb.add_person("Bob Martin", company="societe-lumiere", title="Intern", start="2019-01")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    with Notebook(path) as nb:
        _fill(nb)
    return path


@pytest.fixture
def no_me(tmp_path: Path) -> Path:
    path = tmp_path / "no-me.db"
    with Notebook(path) as nb:
        _fill(nb, me=False)
    return path


@pytest.fixture
def mem() -> Notebook:
    nb = Notebook(":memory:")
    _fill(nb)
    yield nb
    nb.close()


# -- store: follow-ups -----------------------------------------------------------------


def test_follow_up_done_logs_what_happened_and_clears_the_step(mem):
    mem.add_interaction("helene duval", "email", "Wrote about the platform team", when="2026-11-01")
    mem.set_approach("helene duval", status="invited", next_step="Send my notes", next_action_at="2026-11-20")
    state = mem.follow_up_done("helene duval")
    assert (state.next_step, state.next_action_at, state.status) == (None, None, "invited")
    last = mem.interactions_of("helene duval")[0]
    # The channel of the last exchange, the step as what happened: nothing to type for the usual case.
    assert (last.summary, last.channel, last.direction) == ("Follow-up done: Send my notes", "email", "out")
    mem.set_approach("helene duval", next_action_at="2026-12-01")
    mem.follow_up_done("helene duval", note="Call moved to Friday", when="2026-11-24", channel="phone")
    last = next(i for i in mem.interactions_of("helene duval") if i.at.startswith("2026-11-24"))
    assert (last.summary, last.channel) == ("Call moved to Friday", "phone")


def test_follow_up_done_or_moved_without_a_follow_up_is_refused_and_writes_nothing(mem):
    with pytest.raises(Invalid, match="no follow-up set"):
        mem.follow_up_done("bob martin")
    mem.set_approach("bob martin", status="to contact")
    with pytest.raises(Invalid, match="no follow-up set"):
        mem.move_follow_up("bob martin", "+1w")
    assert mem.interactions_of("bob martin") == []
    mem.set_approach("bob martin", next_step="Ask Hélène", next_action_at="2026-11-20")
    with pytest.raises(Invalid, match="no channel|channel must be one of"):
        mem.follow_up_done("bob martin", channel="pigeon")
    assert mem.approach("bob martin").next_step == "Ask Hélène"  # all or nothing
    assert mem.interactions_of("bob martin") == []


def test_move_follow_up_counts_from_its_date_or_today_when_past(mem):
    mem.set_approach("helene duval", next_step="Call", next_action_at="2026-11-20")  # overdue
    assert mem.move_follow_up("helene duval", "+1w").next_action_at == "2026-12-02"  # from today
    assert mem.move_follow_up("helene duval", "+1m").next_action_at == "2027-01-02"  # from its (future) date
    assert mem.move_follow_up("helene duval", "2026-12-24").next_action_at == "2026-12-24"
    assert mem.approach("helene duval").next_step == "Call"
    for bad in ("next week", "+1y", "2026-02-30", ""):
        with pytest.raises(Invalid):
            mem.move_follow_up("helene duval", bad)
    assert mem.approach("helene duval").next_action_at == "2026-12-24"


def test_shift_date_and_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert shift_date("+10d", TODAY) == "2026-12-05" and shift_date("2 weeks", TODAY) == "2026-12-09"
    assert shift_date(" +3M ", TODAY) == "2027-02-25"


# -- store: me, relationships, positions -----------------------------------------------------


def test_me_resolves_and_can_be_unset(mem):
    assert mem.resolve_person("me").name == "Camille Ferrand" == mem.resolve_person("ME ").name
    mem.unset_me("camille ferrand")
    assert mem.me() is None
    with pytest.raises(NotFound, match="no person is marked as you"):
        mem.resolve_person("me")


def test_record_edit_and_remove_relationships(mem):
    rel = mem.record_relationship("me", "helene duval", strength=3, how="worked together at Société Lumière")
    assert (rel.other_name, rel.kind, rel.strength) == ("Hélène Duval", "knows", 3)
    # "introduced": the other side of introduced_by, read from Hélène's page.
    intro = mem.record_relationship("helene duval", "bob martin", kind="introduced", how="at the offsite")
    assert intro.kind == "introduced" and mem.relationship(intro.id, seen_from=mem.person("bob martin").id).kind == (
        "introduced_by"
    )
    edited = mem.edit_relationship(rel.id, strength=1, how="")
    assert (edited.strength, edited.how) == (1, None)
    as_worked = mem.edit_relationship(rel.id, seen_from=mem.person("helene duval").id, kind="worked_with")
    assert as_worked.kind == "worked_with" and as_worked.person_id == mem.person("helene duval").id
    assert [r.kind for r in mem.relationships_of("me-camille-ferrand" if False else "camille ferrand")] == [
        "worked_with"
    ]
    with pytest.raises(Invalid):
        mem.edit_relationship(as_worked.id, strength=9)
    removed = mem.remove_relationship(as_worked.id)
    assert removed.other_name in ("Camille Ferrand", "Hélène Duval")
    assert mem.relationships_of("camille ferrand") == []
    with pytest.raises(NotFound):
        mem.remove_relationship(as_worked.id)


def test_remove_relationships_between_two_people(mem):
    mem.record_relationship("me", "bob martin")
    mem.record_relationship("me", "bob martin", kind="worked_with")
    with pytest.raises(NotFound, match="no introduced by link"):
        mem.remove_relationships("me", "bob", kind="introduced_by")
    assert [r.kind for r in mem.remove_relationships("me", "bob martin", kind="knows")] == ["knows"]
    assert [r.kind for r in mem.remove_relationships("bob martin", "me")] == ["worked_with"]
    with pytest.raises(NotFound, match="no link between"):
        mem.remove_relationships("me", "bob martin")


def test_edit_and_end_positions(mem):
    cto = next(p for p in mem.positions_of("helene duval") if p.title == "CTO")
    edited = mem.edit_position(cto.id, title="Chief technology officer", function="engineering", unit="platform")
    assert (edited.title, edited.function, edited.org_unit) == ("Chief technology officer", "engineering", "Platform")
    ended = mem.end_position(cto.id, "2026-10")
    assert ended.end == "2026-10" and mem.person("helene duval").company is None  # no current role any more
    assert mem.edit_position(cto.id, end="", unit="", function="").end is None  # held again; unit and function gone
    for bad, message in (
        (dict(end="2016-12"), "before start"),
        (dict(start="", end="2026-01"), "needs a start"),
        (dict(title=" "), "title must not be empty"),
        (dict(function="juggling"), "function must be one of"),
    ):
        with pytest.raises(Invalid, match=message):
            mem.edit_position(cto.id, **bad)
    engineer = next(p for p in mem.positions_of("helene duval") if p.company_id is None)
    with pytest.raises(Invalid, match="needs a tracked company"):
        mem.edit_position(engineer.id, unit="Platform")
    with pytest.raises(Invalid, match="say when it ended"):
        mem.end_position(cto.id, "")
    assert mem.position(cto.id).end is None


def test_person_matches_as_one_types(mem):
    assert [p.name for p in mem.person_matches("hele")] == ["Hélène Duval"]
    assert [p.name for p in mem.person_matches("duv")] == ["Hélène Duval"]  # a later word of the name
    assert mem.person_matches("me")[0].is_me
    assert mem.person_matches("") == [] and mem.person_matches("zzz") == []


# -- insight: one page for both faces -------------------------------------------------------


def test_person_page_holds_everything_the_screen_shows(mem):
    mem.record_relationship("me", "helene duval", strength=3)
    mem.set_approach("helene duval", status="connected", next_step="Call", next_action_at="2026-11-20")
    mem.add_interaction("helene duval", "email", "Hello", when="2026-08-01")
    mem.save_invitation("helene duval", "Hello Hélène, your talk on grid data at the Lyon meetup stayed with me.")
    mem.mark_invitation_sent("helene duval", when="2026-08-02")
    page = person_page(mem, "helene duval")
    assert page.current.title == "CTO" and [p.title for p in page.positions] == ["Engineer", "CTO"]
    assert page.overlap_ids == [page.current.id]  # both at Société Lumière in 2018-2020
    assert page.paths_reason is None and page.paths.paths[0].people[0] == mem.me().id
    assert (page.follow_up.due, page.follow_up.days) == ("overdue", -5)
    assert page.follow_up.keep_in_touch_by == "2026-10-31" and page.follow_up.quiet  # 90 days after the last one
    assert page.invitation["state"] == "accepted"  # sent, and connected since
    data = page.to_dict()
    assert data["name"] == "Hélène Duval" and data["paths_reason"] is None
    assert {p["id"] for p in data["positions"]} == {p.id for p in page.positions}
    json.dumps(data)  # JSON-ready as it is
    mem.set_approach("helene duval", cadence_days=120)
    assert not person_page(mem, "helene duval").follow_up.quiet


def test_person_page_says_why_there_are_no_warm_paths(mem):
    assert person_page(mem, "camille ferrand").paths_reason == IS_ME
    mem.unset_me("camille ferrand")
    page = person_page(mem, "helene duval")
    assert page.paths_reason == NO_ME and page.paths is None and "Nobody is marked as you" in page.paths_message


# -- CLI -----------------------------------------------------------------------------------


def cli(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def js(db: Path, *args: str):
    result = cli(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_person_show_json_is_the_page_the_screen_renders(small):
    cli(small, "knows", "me", "helene", "--strength", "3")
    shown = js(small, "person", "show", "helene duval")
    with Notebook(small) as nb:
        assert shown == json.loads(json.dumps(person_page(nb, "helene duval").to_dict()))
    assert [p["id"] for p in shown["positions"]] and shown["paths"]["paths"]
    text = cli(small, "person", "show", "helene duval").stdout
    assert f"#{shown['positions'][0]['id']}" in text and "Warm paths from you" in text
    assert "Camille Ferrand → Hélène Duval" in text


def test_cli_approach_done_and_move(small):
    before = dump(small)
    failed = cli(small, "approach", "helene", "--done")
    assert failed.exit_code == 1 and "has no follow-up set" in failed.stderr and dump(small) == before
    js(small, "approach", "helene", "--next", "2026-11-20", "--step", "Send my notes")
    moved = js(small, "approach", "helene", "--move", "+2w")["approach"]
    assert moved["next_action_at"] == "2026-12-09" and moved["next_step"] == "Send my notes"
    done = js(small, "approach", "helene", "--done", "--note", "Sent them", "--next", "2027-01-10", "--step", "Call")
    assert (done["approach"]["next_action_at"], done["approach"]["next_step"]) == ("2027-01-10", "Call")
    assert js(small, "interaction", "list", "helene")[0]["text"] == "Sent them"
    assert cli(small, "approach", "helene", "--note", "x").exit_code == 2  # --note goes with --done
    assert cli(small, "approach", "helene", "--move", "+1w", "--next", "2027-01-01").exit_code == 2
    bad = cli(small, "approach", "helene", "--move", "someday")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: follow-up date must be")


def test_cli_knows_remove(small):
    cli(small, "knows", "me", "bob martin")
    cli(small, "knows", "me", "bob martin", "--kind", "worked_with")
    assert cli(small, "knows", "me", "bob", "--remove", "--kind", "introduced_by").exit_code == 1
    removed = js(small, "knows", "me", "bob martin", "--remove", "--kind", "knows")
    assert [r["kind"] for r in removed] == ["knows"]
    out = cli(small, "knows", "bob martin", "me", "--remove")
    assert out.exit_code == 0 and "Removed: Bob Martin worked with Camille Ferrand" in out.stdout
    assert js(small, "person", "show", "me")["relationships"] == []


def test_cli_position_edit_end_rm(small):
    cto = next(p for p in js(small, "person", "show", "helene")["positions"] if p["title"] == "CTO")
    edited = js(small, "position", "edit", str(cto["id"]), "--title", "Chief technology officer", "--unit", "Platform")
    assert (edited["title"], edited["org_unit"]) == ("Chief technology officer", "Platform")
    assert js(small, "position", "end", str(cto["id"]), "--end", "2026-10")["end"] == "2026-10"
    before = dump(small)
    bad = cli(small, "position", "end", str(cto["id"]), "--end", "2001-01")
    assert bad.exit_code == 1 and "before start" in bad.stderr and dump(small) == before
    assert cli(small, "position", "edit", str(cto["id"])).exit_code == 2  # nothing to change
    assert "Removed Chief technology officer" in cli(small, "position", "rm", str(cto["id"])).stdout
    assert cli(small, "position", "rm", str(cto["id"])).exit_code == 1


def test_cli_me_moves_and_can_be_unset(small):
    out = cli(small, "person", "edit", "bob martin", "--me")
    assert "this is you (instead of Camille Ferrand)" in out.stdout
    assert js(small, "person", "edit", "bob martin", "--not-me")["is_me"] is False
    shown = js(small, "person", "show", "helene")
    assert shown["me"] is None and shown["paths_reason"]["code"] == NO_ME
    assert "person edit NAME --me" in cli(small, "person", "show", "helene").stdout


# -- TUI -------------------------------------------------------------------------------------


async def settle(pilot) -> None:
    """Let the screen's thread workers finish and their results be drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_person(pilot, name: str) -> PersonScreen:
    with Notebook(pilot.app.db_path) as nb:
        person_id = nb.resolve_person(name).id
    pilot.app.open_person(person_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PersonScreen)
    return pilot.app.screen


async def type_into(pilot, selector: str, text: str) -> None:
    box = pilot.app.screen.query_one(selector, Input)
    box.value = text
    await pilot.pause()


@within_timeout
async def test_the_page_is_read_off_the_event_loop(small, monkeypatch):
    import researcher.tui.screens.person as screen_module

    threads = []
    real = screen_module.person_page

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_module, "person_page", spy)
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_person(pilot, "helene duval")
        assert threads and all(t is not threading.main_thread() for t in threads)
        assert "Camille Ferrand → Hélène Duval" in screen_text(app)


@within_timeout
async def test_m_marks_me_and_asks_when_someone_else_was(no_me):
    app = make_app(no_me)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_person(pilot, "bob martin")
        text = screen_text(app)
        assert "Nobody is marked as you" in text and "Press m if this is you" in text
        await pilot.press("m")
        await settle(pilot)
        assert app.nb.me().name == "Bob Martin" and "This is you" in screen_text(app)
        await open_person(pilot, "helene duval")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "Bob Martin is marked as you" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.nb.me().name == "Bob Martin"
        await pilot.press("m", "y")
        await settle(pilot)
        assert app.nb.me().name == "Hélène Duval"


@within_timeout
async def test_person_form_has_this_is_me(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_person(pilot, "bob martin")
        await pilot.press("e")
        await pilot.pause()
        assert "instead of Camille Ferrand" in str(app.screen.query_one("#me-hint").render())
        app.screen.query_one("#me", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.nb.me().name == "Bob Martin"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#me", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.nb.me() is None and "Nobody is marked as you" in screen_text(app)


@within_timeout
async def test_r_records_whom_they_know_then_e_edits_and_d_removes(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "bob martin")
        assert "Nobody recorded yet" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        await type_into(pilot, "#name", "HELENE")  # accents and case aside
        await settle(pilot)
        assert "Hélène Duval" in screen_text(app)  # the lookup shows who that is
        await type_into(pilot, "#how", "same team at Lumière")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.relations and screen.relations[0].other_name == "Hélène Duval"
        assert "same team at Lumière" in screen_text(app)
        # A name that matches nobody is said in the form; nothing is written.
        await pilot.press("r")
        await pilot.pause()
        await type_into(pilot, "#name", "Nobody Atall")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown person" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.nb.relationships_of("bob martin")) == 1
        table = screen.query_one("#relations-table", DataTable)
        table.focus()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#strength").value = 3
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.nb.relationships_of("bob martin")[0].strength == 3
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.nb.relationships_of("bob martin") == [] and "Nobody recorded yet" in screen_text(app)


@within_timeout
async def test_r_defaults_to_me(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "helene duval")
        assert "knows them" not in screen_text(app)  # a path through shared history only
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "me"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.other_name for r in screen.relations] == ["Camille Ferrand"]
        assert "Camille Ferrand → Hélène Duval: knows them" in screen_text(app)  # the declared link leads now


@within_timeout
async def test_a_sets_and_clears_the_approach(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "helene duval")
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#name", "Send my notes")
        await type_into(pilot, "#next", "+1w")
        await type_into(pilot, "#every", "30")
        app.screen.query_one("#priority").value = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        a = app.nb.approach(screen.person_id)
        assert (a.next_step, a.next_action_at, a.priority, a.cadence_days) == ("Send my notes", "2026-12-02", 1, 30)
        assert "2026-12-02, in 7 days" in screen_text(app) and "every 30 days" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        for field in ("#name", "#next", "#every"):
            await type_into(pilot, field, "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        a = app.nb.approach(screen.person_id)
        assert (a.next_step, a.next_action_at, a.cadence_days) == (None, None, None)
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#next", "soon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "follow-up date must be" in screen_text(app)


@within_timeout
async def test_x_marks_the_follow_up_done_and_z_moves_it(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "helene duval")
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen  # nothing to mark done: said, no form
        app.nb.set_approach(screen.person_id, next_step="Send my notes", next_action_at="2026-11-20")
        screen.reload()
        await settle(pilot)
        assert "overdue by 5 days" in screen_text(app)
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("1")  # a week later, counted from today as the date has passed
        await settle(pilot)
        assert app.nb.approach(screen.person_id).next_action_at == "2026-12-02"
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("3")
        await pilot.press(*"2026-12-24", "enter")
        await settle(pilot)
        assert app.nb.approach(screen.person_id).next_action_at == "2026-12-24"
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Follow-up done: Send my notes"
        await pilot.press("enter")  # as it stands
        await settle(pilot)
        a = app.nb.approach(screen.person_id)
        assert (a.next_step, a.next_action_at) == (None, None)
        assert app.nb.interactions_of(screen.person_id)[0].summary == "Follow-up done: Send my notes"
        assert app.nb.interactions_of(screen.person_id)[0].channel == "linkedin"  # her network
        assert "Follow-up done: Send my notes" in screen_text(app)


@within_timeout
async def test_positions_add_edit_end_remove_from_the_keyboard(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "bob martin")
        await pilot.press("p")
        await pilot.pause()
        await type_into(pilot, "#company", "Kessler Bank")
        await type_into(pilot, "#name", "Analyst")
        await type_into(pilot, "#start", "2016-01")
        await type_into(pilot, "#end", "2018-12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        titles = [(p.title, p.company_id) for p in app.nb.positions_of(screen.person_id)]
        assert titles == [("Analyst", None), ("Intern", app.nb.company("societe lumiere").id)]
        await pilot.press("p")
        await pilot.pause()
        await type_into(pilot, "#company", "societe lumiere")  # a company you track, accents aside
        await type_into(pilot, "#name", "Engineer")
        await type_into(pilot, "#start", "2021-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        engineer = app.nb.positions_of(screen.person_id)[-1]
        assert (engineer.company_name, engineer.end) == ("Société Lumière", None)
        # l: they left. It acts on the highlighted position: the one just added.
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "2026-11"
        await type_into(pilot, "#name", "2026-10")
        await pilot.press("enter")
        await settle(pilot)
        assert app.nb.position(engineer.id).end == "2026-10"
        timeline = screen.query_one("#timeline")
        timeline.focus()
        await pilot.press("k")  # the intern position, 2019
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, "#name", "Product intern")
        app.screen.query_one("#function").value = "product"
        await type_into(pilot, "#unit", "platform")
        await pilot.press("ctrl+s")
        await settle(pilot)
        intern = next(p for p in app.nb.positions_of(screen.person_id) if p.start == "2019-01")
        assert (intern.title, intern.function, intern.org_unit) == ("Product intern", "product", "Platform")
        timeline.focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "Product intern" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert [p.title for p in app.nb.positions_of(screen.person_id)] == ["Analyst", "Engineer"]


@within_timeout
async def test_a_reload_keeps_the_place_on_the_page(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, "lena hoffmann")
        body = screen.query_one("#person-body", VerticalScroll)
        await pilot.press("pagedown")
        await pilot.pause()
        place = body.scroll_y
        assert place > 0
        await pilot.press("right_square_bracket")  # a status change reloads the page
        await settle(pilot)
        assert body.scroll_y == place


@within_timeout
async def test_keys_work_at_80_columns(small):
    app = make_app(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_person(pilot, "helene duval")
        for key, field in (("r", "#name"), ("a", "#name"), ("p", "#company")):
            await pilot.press(key)
            await pilot.pause()
            widget = app.screen.query_one(field, Input)
            assert widget.region.right <= 80 and widget.region.width > 20, (key, widget.region)
            await pilot.press("escape")
            await pilot.pause()


@within_timeout
async def test_a_person_removed_meanwhile_closes_the_page_and_says_so(small):
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "bob martin")
        with Notebook(small) as nb:
            nb.remove_person("bob martin")  # from the CLI, say
        await pilot.press("t")  # a key that reads: said, no crash
        await pilot.pause()
        assert app.is_running and app.screen is screen
        screen.reload()
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, PersonScreen)
        assert any("no person with id" in n.message for n in app._notifications)


@within_timeout
async def test_keys_that_write_say_so_on_a_notebook_we_may_only_read(small):
    import sqlite3

    conn = sqlite3.connect(small)
    conn.execute("PRAGMA user_version = 99")  # a newer release's: read only
    conn.close()
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, "bob martin")
        assert screen.person is not None and "Bob Martin" in screen_text(app)  # it still reads
        for keys in (["right_square_bracket"], ["m", "y"], ["a", "ctrl+s"]):
            await pilot.press(*keys)
            await settle(pilot)
            assert app.is_running
        assert sum("newer researcher" in n.message for n in app._notifications) >= 3
        await pilot.press("escape")
        await pilot.pause()
    with Notebook(small, create=False) as nb:
        assert nb.me().name == "Camille Ferrand" and nb.approach("bob martin") is None


@within_timeout
async def test_closing_the_page_before_it_arrives_is_quiet(small, monkeypatch):
    import researcher.tui.screens.person as screen_module

    slow = screen_module.person_page

    def late(*args, **kwargs):
        page = slow(*args, **kwargs)
        threading.Event().wait(0.3)  # the page arrives after the screen is gone
        return page

    monkeypatch.setattr(screen_module, "person_page", late)
    app = make_app(small)
    async with app.run_test(size=(120, 40)) as pilot:
        with Notebook(small) as nb:
            app.open_person(nb.person("bob martin").id)
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, PersonScreen)
        assert not [n.message for n in app._notifications if n.severity == "error"]


@within_timeout
async def test_names_in_the_forms_are_text_not_markup(tmp_path):
    path = tmp_path / "markup.db"
    with Notebook(path) as nb:
        nb.add_person("[b]Bold[/b] [@click=app.quit]Q[/]", me=True)
        nb.add_person("Ann Lee")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_person(pilot, "ann lee")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#kind").value = "introduced"
        await pilot.pause()
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Bold[/b] [@click=app.quit]Q[/]  (me)" in text  # the lookup, literally
        await pilot.press("escape")
        await pilot.pause()
        await open_person(pilot, "me")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#kind").value = "introduced_by"
        await pilot.pause()
        assert "[b]Bold[/b] [@click=app.quit]Q[/] was introduced by them" in screen_text(app)
        assert app.is_running
