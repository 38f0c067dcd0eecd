"""The Organisation tab as a workbench: add, rename, move and delete units, place a person and their manager, from
the keyboard; the tree shows heads, reporting lines and whom you know, and keeps the user's place."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TabbedContent

from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.org_tab import ORG_UNFOLDED, OrgTab, OrgTree, PersonRef, UnitRef, reporting_lines
from researcher.tui.widgets.position_form import PositionForm
from researcher.tui.widgets.unit_form import UnitForm
from researcher.tui.widgets.unit_picker import Picker
from tests.test_dossier_workbench import within_timeout
from tests.test_tui import open_company, screen_text, settle


def build(nb: Notebook) -> None:
    """Orbit AG: Engineering (Anna heads it, Ben reports to her; Platform below it), Sales (Eva), Dora in no unit;
    I know Anna."""
    orbit = nb.add_company("Orbit AG", sector="Space", status="target")
    nb.add_org_unit(orbit.id, "Engineering")
    nb.add_org_unit(orbit.id, "Platform", parent="Engineering")
    nb.add_org_unit(orbit.id, "Sales")
    me = nb.add_person("Camille Ferrand", me=True)
    for name, title, unit in (
        ("Anna Schmidt", "CTO", "Engineering"),
        ("Ben Keller", "Engineer", "Engineering"),
        ("Eva Roth", "Head of Sales", "Sales"),
        ("Dora Lang", "Designer", None),
    ):
        person = nb.add_person(name)
        nb.add_position(person.id, company=orbit.id, title=title, start="2020-01", unit=unit)
    nb.place_person("orbit-ag", "ben-keller", reports_to="anna-schmidt")
    nb.add_relationship(me.id, "anna-schmidt", strength=3, how="old friends")


@pytest.fixture
def org_db(tmp_path: Path) -> Path:
    path = tmp_path / "org.db"
    with Notebook(path) as nb:
        build(nb)
    return path


async def open_org(pilot) -> tuple[CompanyScreen, OrgTree]:
    screen = await open_company(pilot, "Orbit AG")
    screen.query_one(TabbedContent).active = "org"
    await settle(pilot)
    tree = screen.query_one(OrgTree)
    assert tree.has_focus
    return screen, tree


def node_of(tree: OrgTree, kind: type, name: str):
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if isinstance(node.data, kind) and node.data.name == name:
            return node
        stack.extend(node.children)
    raise AssertionError(f"no {kind.__name__} {name} in the tree")


def labels(tree: OrgTree) -> str:
    """The tree as its lines read, top to bottom (what is folded left out)."""
    lines, stack = [], [tree.root]
    while stack:
        node = stack.pop()
        lines.append(node.label.plain)
        if node.is_expanded:
            stack.extend(reversed(node.children))
    return "\n".join(lines)


async def go_to(pilot, tree: OrgTree, kind: type, name: str) -> None:
    tree.move_cursor(node_of(tree, kind, name))
    await pilot.pause()


def unit_names(nb: Notebook) -> dict[str, str | None]:
    """Each unit of Orbit AG with its parent's name."""
    units = {u.id: u for u in nb.org_units("orbit-ag")}
    return {u.name: units[u.parent_id].name if u.parent_id else None for u in units.values()}


def test_reporting_lines_put_the_head_first_and_reports_under_their_manager():
    from researcher.insight.org import OrgPerson

    anna, ben, cleo = (OrgPerson(1, "Anna", "a", "CTO", 1), OrgPerson(2, "Ben", "b", "Eng", 1, 1),
                       OrgPerson(3, "Cleo", "c", "Eng", 1, 2))  # fmt: skip
    anna.reports, ben.reports = [2], [3]
    aaron = OrgPerson(4, "Aaron", "x", "Eng", 1, 99)  # reports to someone in another unit
    assert [(p.name, d) for p, d in reporting_lines([aaron, anna, ben, cleo], head_id=1)] == [
        ("Anna", 0), ("Ben", 1), ("Cleo", 2), ("Aaron", 0),
    ]  # fmt: skip


@within_timeout
async def test_the_tree_shows_heads_reporting_lines_and_whom_you_know_and_keys_follow_the_cursor(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        assert labels(tree).splitlines() == [
            "Orbit AG  4 people now",
            "Engineering  2 · head Anna Schmidt · you know 2",
            "● Anna Schmidt  CTO · head · you know them",
            "  └ ● Ben Keller  Engineer · via Anna Schmidt",  # under Anna, whom he reports to
            "Platform  0",
            "Sales  1 · head Eva Roth · you know 1",  # the head by title: nobody reports to anyone there
            "● Eva Roth  Head of Sales · head · via Anna Schmidt",
            "(no unit)  1",
            "● Dora Lang  Designer · via Anna Schmidt",
        ]
        await go_to(pilot, tree, PersonRef, "Ben Keller")
        text = screen_text(app)
        assert "reports to Anna Schmidt" in text and "Warmest path: you → Anna Schmidt → Ben Keller" in text
        # Keys that do not apply to what is highlighted do nothing; n notes the highlighted person.
        await go_to(pilot, tree, UnitRef, "Sales")
        tab = screen.query_one(OrgTab)
        assert tab.check_action("reports_to", ()) is None and tab.check_action("delete", ()) is True
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        await go_to(pilot, tree, PersonRef, "Eva Roth")
        assert tab.check_action("delete", ()) is None
        target = screen.note_target()
        assert target is not None and (target.kind, target.label) == ("person", "Eva Roth")


@within_timeout
async def test_a_adds_a_unit_under_the_highlighted_one_and_the_cursor_goes_to_it(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        await go_to(pilot, tree, UnitRef, "Platform")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, UnitForm)
        await pilot.press(*"SRE", "enter")
        await settle(pilot)
        assert app.screen is screen
        with Notebook(org_db) as nb:
            assert unit_names(nb)["SRE"] == "Platform"
        assert tree.cursor_node.data == UnitRef(tree.cursor_node.data.id, "SRE")
        # On the company itself: at the top. A name taken is refused in the form.
        tree.move_cursor(tree.root)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Sales", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UnitForm) and "already has a unit" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


@within_timeout
async def test_e_renames_a_unit_and_the_place_is_kept(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        node_of(tree, UnitRef, "Sales").collapse()  # the user folded Sales
        await go_to(pilot, tree, UnitRef, "Platform")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, UnitForm) and app.screen.query_one("#name", Input).value == "Platform"
        await pilot.press("ctrl+u", *"Platform & Tools", "enter")
        await settle(pilot)
        with Notebook(org_db) as nb:
            assert "Platform & Tools" in unit_names(nb) and "Platform" not in unit_names(nb)
        assert tree.cursor_node.data.name == "Platform & Tools"
        assert not node_of(tree, UnitRef, "Sales").is_expanded  # still folded
        assert node_of(tree, UnitRef, "Engineering").is_expanded


@within_timeout
async def test_m_moves_a_unit_under_another_and_a_cycle_is_refused_in_one_line(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        await go_to(pilot, tree, UnitRef, "Engineering")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"platf", "enter")  # under its own sub-unit
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        assert "cannot move 'Engineering' under its own sub-unit 'Platform'" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        with Notebook(org_db) as nb:
            assert unit_names(nb) == {"Engineering": None, "Platform": "Engineering", "Sales": None}
        await pilot.press("m", *"sales", "enter")
        await settle(pilot)
        assert app.screen is screen
        with Notebook(org_db) as nb:
            assert unit_names(nb)["Engineering"] == "Sales"
        node = tree.cursor_node
        assert node.data.name == "Engineering" and node.parent.data.name == "Sales"
        # Back to the top (the list starts on where it is now).
        await pilot.press("m", *"top", "enter")
        await settle(pilot)
        with Notebook(org_db) as nb:
            assert unit_names(nb)["Engineering"] is None


@within_timeout
async def test_d_asks_first_and_the_people_keep_their_positions(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        await go_to(pilot, tree, UnitRef, "Engineering")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = app.screen.question.plain
        assert "Its 2 people keep their positions, with no unit; its 1 sub-units move up." in question
        await pilot.press("n")
        await settle(pilot)
        with Notebook(org_db) as nb:
            assert "Engineering" in unit_names(nb)
        await pilot.press("d", "y")
        await settle(pilot)
        with Notebook(org_db) as nb:
            assert unit_names(nb) == {"Platform": None, "Sales": None}
            held = {p.person_name: (p.title, p.org_unit) for p in nb.positions_at("orbit-ag", current=True)}
        assert held["Anna Schmidt"] == ("CTO", None) and held["Ben Keller"] == ("Engineer", None)
        no_unit = node_of(tree, UnitRef, "(no unit)")
        assert {c.data.name for c in no_unit.children} == {"Anna Schmidt", "Ben Keller", "Dora Lang"}


@within_timeout
async def test_a_person_is_placed_in_a_unit_and_under_a_manager(org_db):
    with Notebook(org_db) as nb, nb.atomic():  # Sales is big: its people wait folded
        for n in range(ORG_UNFOLDED):
            nb.add_person(f"Crew {n:02}", company="orbit-ag", title="Account executive")
            nb.place_person("orbit-ag", f"crew-{n:02}", unit="Sales")
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        await go_to(pilot, tree, PersonRef, "Dora Lang")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"sales", "enter")
        await settle(pilot)
        node = tree.cursor_node
        assert node.data.name == "Dora Lang" and node.parent.parent.data.name == "Sales"  # the cursor followed her
        assert node.parent.label.plain == f"{ORG_UNFOLDED + 2} people (enter unfolds)" and node.parent.is_expanded
        await pilot.press("r")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        assert "Dora Lang" not in str(picker.query_one(OptionList).get_option_at_index(1).prompt)
        await pilot.press(*"eva", "enter")
        await settle(pilot)
        with Notebook(org_db) as nb:
            dora = nb.current_position_at("dora-lang", "orbit-ag")
            assert dora["manager_id"] == nb.person("eva-roth").id and nb.position(dora["id"]).org_unit == "Sales"
        assert tree.cursor_node.data.name == "Dora Lang"
        assert "└ ● Dora Lang  Designer" in labels(tree)
        # A loop of managers is refused in its one line: Anna cannot report to Ben, who reports to her.
        await go_to(pilot, tree, PersonRef, "Anna Schmidt")
        await pilot.press("r", *"ben", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Picker) and "Ben Keller already reports to Anna Schmidt" in screen_text(app)


@within_timeout
async def test_e_on_a_person_edits_their_position_with_unit_and_manager(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        await go_to(pilot, tree, PersonRef, "Ben Keller")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PositionForm)
        assert form.query_one("#unit", Input).value == "Engineering"
        assert form.query_one("#reports", Input).value == "Anna Schmidt"
        form.query_one("#unit", Input).value = "Platform"
        form.query_one("#reports", Input).value = "Camille Ferrand"  # not working there: refused, nothing saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "holds no current position at Orbit AG" in screen_text(app)
        with Notebook(org_db) as nb:
            assert nb.position(nb.current_position_at("ben-keller", "orbit-ag")["id"]).org_unit == "Engineering"
        form.query_one("#reports", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with Notebook(org_db) as nb:
            ben = nb.current_position_at("ben-keller", "orbit-ag")
            assert ben["manager_id"] is None and nb.position(ben["id"]).org_unit == "Platform"
        assert tree.cursor_node.data.name == "Ben Keller" and tree.cursor_node.parent.data.name == "Platform"


@within_timeout
async def test_enter_opens_a_person_and_the_place_is_kept_on_return(org_db):
    app = make_app(org_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, tree = await open_org(pilot)
        node_of(tree, UnitRef, "Sales").collapse()
        await go_to(pilot, tree, PersonRef, "Ben Keller")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert tree.cursor_node.data.name == "Ben Keller"
        assert not node_of(tree, UnitRef, "Sales").is_expanded
        # enter on a unit folds it, and opens nothing.
        await go_to(pilot, tree, UnitRef, "Engineering")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not node_of(tree, UnitRef, "Engineering").is_expanded


@within_timeout
async def test_a_company_without_units_says_so_and_a_adds_the_first(tmp_path):
    path = tmp_path / "bare.db"
    with Notebook(path) as nb:
        nb.add_company("Orbit AG")
        nb.add_person("Dora Lang", company="orbit-ag", title="Designer")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, tree = await open_org(pilot)
        assert labels(tree).splitlines()[1:] == [
            "(no unit)  1 · no units recorded yet: a adds one",
            "Dora Lang  Designer",
        ]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Design", "enter")
        await settle(pilot)
        assert labels(tree).splitlines()[1:] == ["Design  0", "(no unit)  1", "Dora Lang  Designer"]
        assert tree.cursor_node.data.name == "Design"
