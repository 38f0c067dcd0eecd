"""Career-path studies of a role: matching positions, stepping stones, origins, time to the role."""

from __future__ import annotations

import json

import pytest

from researcher.insight.study import CareerStudy, study_role
from researcher.store import Invalid, Notebook, NotFound


def _person(nb: Notebook, name: str, *path: tuple) -> int:
    """A person with a career path of (company, title, start, end[, function]) steps."""
    person_id = nb.add_person(name).id
    for step in path:
        company, title, start, end = step[:4]
        function = step[4] if len(step) > 4 else None
        nb.add_position(person_id, company_name=company, title=title, start=start, end=end, function=function)
    return person_id


@pytest.fixture
def world(nb: Notebook) -> Notebook:
    nb.add_company("Zahlwerk GmbH")
    nb.add_company("Société Générale Démo")
    _person(
        nb,
        "Ana",
        ("Caudal", "Product Owner", "2010-01", "2013-12", "product"),
        ("Caudal", "Senior Product Manager", "2014-01", "2017-12", "product"),
        ("Zahlwerk GmbH", "Head of Product", "2018-01", None, "product"),
    )
    _person(
        nb,
        "Bruno",
        ("Lumen", "Analyst", "2012-06", "2015-05", "data"),
        ("Lumen", "senior product manager", "2015-06", "2019-05", "product"),
        ("Société Générale Démo", "Head of Produit", "2019-06", "2022-12", "product"),
    )
    _person(
        nb,
        "Chloé",
        ("Lumen", "Product manager", "2016-01", "2020-12", "product"),
        ("Société Générale Démo", "HEAD OF PRODUCT — Payments", "2021-01", None, "product"),
    )
    # The role with no start: a holder, but no time to it and nothing known to come before.
    _person(
        nb,
        "Dario",
        ("Caudal", "Developer", "2015-01", "2018-01", "engineering"),
        ("Kestrel", "Head of product", None, None, "product"),
    )
    # Not a match: "product" is there, "head" is not a whole word ("Headhunter").
    _person(nb, "Eve", ("Talentia", "Headhunter, product people", "2019-01", None, "hr"))
    return nb


def names(study: CareerStudy) -> list[str]:
    return [h.name for h in study.holders]


def test_title_words_match_whole_words_whatever_the_case_and_accents(world: Notebook) -> None:
    matched = world.role_positions("HEAD product")
    assert sorted(p.person_name for p in matched) == ["Ana", "Chloé", "Dario"]
    assert [p.person_name for p in world.role_positions("head of produit")] == ["Bruno"]
    assert [p.person_name for p in world.role_positions("société")] == []  # titles only, not companies
    # Accents folded both ways: the query's and the title's.
    assert {p.person_name for p in world.role_positions("PRODÜCT manager")} == {"Ana", "Bruno", "Chloé"}
    # Joining words are not required: "head of product" also finds "Head, Product".
    _person(world, "Ines", ("Caudal", "Head, Product", "2020-01", None))
    assert "Ines" in {p.person_name for p in world.role_positions("head of product")}
    assert sorted(p.person_name for p in world.role_positions("of")) == ["Ana", "Bruno", "Chloé", "Dario"]
    _person(
        world,
        "Jörg",
        ("Caudal", "Ingénieur produit", "2020-01", None),
        ("Łódź Soft", "Główny analityk", "2021-01", None),
    )
    assert [p.title for p in world.role_positions("INGENIEUR")] == ["Ingénieur produit"]
    assert [p.title for p in world.role_positions("glowny")] == ["Główny analityk"]


def test_function_filter_and_both(world: Notebook) -> None:
    assert [p.title for p in world.role_positions(function="data")] == ["Analyst"]
    assert [p.person_name for p in world.role_positions(function="HR")] == ["Eve"]
    both = world.role_positions("manager", function="product")
    assert {p.title for p in both} == {"Senior Product Manager", "senior product manager", "Product manager"}
    with pytest.raises(Invalid):
        world.role_positions(function="astrology")


def test_company_filter(world: Notebook) -> None:
    study = study_role(world, title="head product", company="societe generale demo")
    assert names(study) == ["Chloé"]
    assert study.role == "head product at Société Générale Démo"
    assert [p.person_name for p in world.role_positions("head", company="zahlwerk")] == ["Ana"]


def test_study_stepping_stones_came_from_and_functions(world: Notebook) -> None:
    study = study_role(world, title="head")
    # Current holders first, latest start first; then former holders.
    assert names(study) == ["Chloé", "Ana", "Dario", "Bruno"]
    assert [h.current for h in study.holders] == [True, True, True, False]
    # "Senior Product Manager" and "senior product manager" count together.
    assert study.stepping_stones == [("Senior Product Manager", 2), ("Product manager", 1)]
    assert study.came_from == [("Lumen", 2), ("Caudal", 1)]
    assert study.functions_before == [("product", 3)]
    ana = study.holders[1]
    assert (ana.title, ana.company, ana.start, ana.before.title) == (
        "Head of Product",
        "Zahlwerk GmbH",
        "2018-01",
        "Senior Product Manager",
    )


def test_median_years_odd_and_even(world: Notebook) -> None:
    study = study_role(world, title="head")
    # Ana 8.0 (2010-01 -> 2018-01), Bruno 7.0 (2012-06 -> 2019-06), Chloé 5.0; Dario's start is unknown.
    assert {h.name: h.years_to_role for h in study.holders} == {"Ana": 8.0, "Bruno": 7.0, "Chloé": 5.0, "Dario": None}
    assert study.median_years_to_role == 7.0
    assert study.range_years == (5.0, 8.0)
    _person(world, "Farid", ("Caudal", "Intern", "2020-01", "2020-06"), ("Caudal", "Head of Growth", "2020-07", None))
    even = study_role(world, title="head")
    assert even.median_years_to_role == 6.0  # (5 + 7) / 2 with 0.5, 5, 7, 8
    assert even.range_years == (0.5, 8.0)


def test_unknown_start_is_a_holder_without_years_or_before(world: Notebook) -> None:
    dario = next(h for h in study_role(world, title="head of product").holders if h.name == "Dario")
    assert dario.years_to_role is None and dario.before is None and dario.start is None


def test_reaching_the_role_twice_counts_once_the_first_time(nb: Notebook) -> None:
    _person(
        nb,
        "Gaëlle",
        ("Atelier", "Product manager", "2012-10", "2017-09", "product"),
        ("Garonne", "Head of product", "2017-10", "2020-12", "product"),
        ("Véloce", "Head of Product", "2021-01", None, "product"),
    )
    study = study_role(nb, title="head of product")
    assert len(study.holders) == 1
    holder = study.holders[0]
    assert (holder.company, holder.start, holder.current, holder.times) == ("Garonne", "2017-10", True, 2)
    assert holder.before.title == "Product manager"
    assert study.stepping_stones == [("Product manager", 1)] and study.came_from == [("Atelier", 1)]
    assert holder.years_to_role == 5.0


def test_just_before_is_the_latest_started_before_side_jobs_included(nb: Notebook) -> None:
    _person(
        nb,
        "Hugo",
        ("Board", "Advisor", "2010-01", None),  # a side job kept on: older, not "just before"
        ("Caudal", "Product manager", "2014-01", "2018-01"),
        ("Lumen", "Mentor", "2018-03", None),  # started after the role: never "before"
        ("Zahlwerk", "Head of Product", "2018-02", None),
    )
    (hugo,) = study_role(nb, title="head of product").holders
    assert hugo.before.title == "Product manager"
    assert hugo.years_to_role == 8.08


def test_role_with_no_holders_is_an_empty_study(world: Notebook) -> None:
    study = study_role(world, title="chief astronaut")
    assert study.holders == [] and study.stepping_stones == [] and study.came_from == []
    assert study.median_years_to_role is None and study.range_years is None
    assert json.loads(json.dumps(study.to_dict()))["holders"] == []


def test_errors(world: Notebook) -> None:
    with pytest.raises(Invalid):
        study_role(world)
    with pytest.raises(Invalid):
        study_role(world, title="  ,  ")
    with pytest.raises(NotFound):
        study_role(world, title="head", company="nowhere inc")


def test_career_paths_in_one_query(world: Notebook) -> None:
    ids = {p.person_id for p in world.role_positions("head")}
    paths = world.career_paths_of(ids)
    assert set(paths) == ids
    for path in paths.values():
        known = [p.start for p in path if p.start]
        assert known == sorted(known) and [p.start for p in path][len(known) :] == [None] * (len(path) - len(known))
    assert world.career_paths_of([]) == {}


def test_to_dict_is_json_ready(world: Notebook) -> None:
    data = json.loads(json.dumps(study_role(world, title="head", function="product").to_dict()))
    assert data["role"] == "head, function product"
    assert data["stepping_stones"][0] == {"title": "Senior Product Manager", "count": 2}
    assert data["holders"][0]["before"]["title"] == "Product manager"
    assert data["range_years"] == [5.0, 8.0]


def test_demo_head_of_product(tmp_path) -> None:
    from researcher.interop.demo import write_demo

    path = tmp_path / "demo.db"
    write_demo(path)
    with Notebook(path) as nb:
        study = study_role(nb, title="head of product")
    assert len(study.holders) >= 2
    assert study.stepping_stones
    assert study.median_years_to_role is not None
