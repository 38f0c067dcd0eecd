"""Organisation: units renamed, moved (never under themselves or their own sub-units) and removed; people placed
in units under a manager (no loops); the tree with heads, head counts and who I know in each unit."""

from __future__ import annotations

import pytest

from researcher.insight.org import org_chart
from researcher.store import Invalid, NotFound


@pytest.fixture
def acme(nb):
    nb.add_company("Acme")
    nb.add_org_unit("acme", "Engineering")
    nb.add_org_unit("acme", "Platform", parent="Engineering")
    nb.add_org_unit("acme", "Payments", parent="Platform")
    nb.add_org_unit("acme", "Product")
    for name, title, unit in (
        ("Cleo Chief", "CTO", "Engineering"),
        ("Paul Platform", "Engineering manager", "Platform"),
        ("Pia Payments", "Backend engineer", "Payments"),
        ("Pete Payments", "Backend engineer", "Payments"),
        ("Prue Product", "Head of Product", "Product"),
    ):
        nb.add_person(name, company="acme", title=title)
        nb.place_person("acme", name, unit=unit)
    return nb


def tree(nb) -> dict[str, str | None]:
    units = {u.id: u for u in nb.org_units("acme")}
    return {u.name: units[u.parent_id].name if u.parent_id else None for u in units.values()}


def test_a_unit_moves_renames_and_goes_to_the_top(acme):
    acme.move_org_unit("acme", "Payments", "Product")
    acme.rename_org_unit("acme", "payments", "Payments & Risk")
    acme.move_org_unit("acme", "Platform", None)
    assert tree(acme) == {"Engineering": None, "Platform": None, "Payments & Risk": "Product", "Product": None}
    with pytest.raises(Invalid, match="already has a unit named 'Product'"):
        acme.rename_org_unit("acme", "Platform", "product")


@pytest.mark.parametrize(
    "unit, under, message",
    [
        ("Engineering", "Engineering", "under itself"),
        ("Engineering", "Platform", "under its own sub-unit 'Platform'"),
        ("Engineering", "Payments", "under its own sub-unit 'Payments'"),  # a grandchild
        ("Platform", "Payments", "under its own sub-unit 'Payments'"),
    ],
)
def test_a_unit_never_moves_under_itself_or_its_own_sub_units(acme, unit, under, message):
    before = tree(acme)
    with pytest.raises(Invalid, match=message):
        acme.move_org_unit("acme", unit, under)
    assert tree(acme) == before


def test_removing_a_unit_keeps_its_people_and_moves_its_sub_units_up(acme):
    done = acme.remove_org_unit("acme", "Platform")
    assert (done["people_cleared"], done["sub_units_moved_up"]) == (1, 1)
    assert tree(acme) == {"Engineering": None, "Payments": "Engineering", "Product": None}
    paul = acme.current_position_at("paul-platform", "acme")
    assert paul is not None and paul["org_unit_id"] is None
    with pytest.raises(NotFound):
        acme.org_unit(acme.company("acme").id, "Platform")


def test_reporting_lines_refuse_loops_and_managers_from_elsewhere(acme):
    acme.place_person("acme", "pia-payments", reports_to="paul-platform")
    acme.place_person("acme", "paul-platform", reports_to="cleo-chief")
    with pytest.raises(
        Invalid, match="Pia Payments already reports to Cleo Chief .through Paul Platform.: that would make a loop"
    ):
        acme.place_person("acme", "cleo-chief", reports_to="pia-payments")
    with pytest.raises(Invalid, match="cannot report to themselves"):
        acme.place_person("acme", "cleo-chief", reports_to="cleo-chief")
    acme.add_person("Olga Outsider")
    with pytest.raises(Invalid, match="Olga Outsider holds no current position at Acme"):
        acme.place_person("acme", "cleo-chief", reports_to="olga-outsider")
    with pytest.raises(Invalid, match="holds no current position at Acme"):
        acme.place_person("acme", "olga-outsider", unit="Product")
    assert acme.place_person("acme", "pia-payments", reports_to="").manager_id is None  # cleared


def test_the_tree_has_head_counts_heads_reporting_lines_and_warm_paths(acme):
    for p in ("pia-payments", "pete-payments"):
        acme.place_person("acme", p, reports_to="paul-platform")
    acme.place_person("acme", "paul-platform", reports_to="cleo-chief")
    acme.add_person("Me Myself", me=True)
    acme.add_relationship("me-myself", "pete-payments", strength=3)
    chart = org_chart(acme, "acme", today="2026-11")
    units = {u.name: u for u, _ in chart.walk()}
    names = {p.person_id: p.name for u in units.values() for p in u.people}
    assert [(u.name, depth) for u, depth in chart.walk()] == [
        ("Engineering", 0), ("Platform", 1), ("Payments", 2), ("Product", 0)
    ]  # fmt: skip
    assert {n: (u.headcount, u.total) for n, u in units.items()} == {
        "Engineering": (1, 4), "Platform": (1, 3), "Payments": (2, 2), "Product": (1, 1)
    }  # fmt: skip
    # Heads: whom the unit reports to (sub-units included); without reporting lines, the title says it.
    assert {n: names.get(u.head_id) for n, u in units.items()} == {
        "Engineering": "Cleo Chief", "Platform": "Paul Platform", "Payments": None, "Product": "Prue Product"
    }  # fmt: skip
    pia = next(p for p in units["Payments"].people if p.name == "Pia Payments")
    assert (pia.manager, sorted(names[i] for i in units["Platform"].people[0].reports)) == (
        "Paul Platform",
        ["Pete Payments", "Pia Payments"],
    )
    # Who I know there: Pete directly, the others through him (he works with them).
    assert [names[i] for i in units["Payments"].known][0] == "Pete Payments"
    pete = next(p for p in units["Payments"].people if p.name == "Pete Payments")
    assert pete.path_cost == 1.0 and pete.via == []
    assert chart.paths and chart.headcount == 5


def test_without_me_the_tree_has_no_paths(acme):
    chart = org_chart(acme, "acme")
    assert not chart.paths and all(not u.known for u, _ in chart.walk())
