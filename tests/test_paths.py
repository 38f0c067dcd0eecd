"""Warm paths: chains of people from me to a target, their costs and reasons, shared history
computed from career paths (overlap edge cases), suggestions when there is no path."""

from __future__ import annotations

import json

import pytest

from researcher.insight.paths import (
    STRENGTH_COST,
    Link,
    PathResult,
    WarmPath,
    crowd_cost,
    find_paths,
    shared_cost,
)
from researcher.store import Invalid, Notebook, NotFound

TODAY = "2026-06"


def people(nb: Notebook, *names: str, me: str | None = None) -> dict[str, int]:
    return {name: nb.add_person(name, me=(name == me)).id for name in names}


def knows(nb: Notebook, a: str, b: str, strength: int = 2, kind: str = "knows", how: str | None = None) -> None:
    nb.add_relationship(a, b, kind=kind, strength=strength, how=how)


def stint(
    nb: Notebook, who: str, company: str | None, start: str | None, end: str | None = None, untracked: str | None = None
) -> None:
    if untracked:
        nb.add_position(who, company_name=untracked, title="Engineer", start=start, end=end)
    else:
        nb.add_position(who, company=company, title="Engineer", start=start, end=end)


def chains(result: PathResult) -> list[list[str]]:
    return [[p.links[0].from_name, *(link.to_name for link in p.links)] for p in result.paths]


@pytest.fixture
def company(nb: Notebook) -> str:
    return nb.add_company("Zahlwerk GmbH").slug


# -- declared relationships ---------------------------------------------------


def test_a_direct_link_is_one_link_with_its_strength_and_story(nb):
    people(nb, "Me Myself", "Ana Alves", me="Me Myself")
    knows(nb, "Me Myself", "Ana Alves", strength=3, how="worked together at X 2017-2019")
    result = find_paths(nb, "ana alves", today=TODAY)
    assert chains(result) == [["Me Myself", "Ana Alves"]]
    link = result.paths[0].links[0]
    assert (link.kind, link.strength, link.cost) == ("knows", 3, STRENGTH_COST[3])
    assert link.reason == "knows them (strength 3): worked together at X 2017-2019"
    assert result.paths[0].people == [nb.me().id, result.target_id]
    assert result.suggestions == []


def test_chains_of_two_and_three_links(nb):
    people(nb, "Me", "Ana", "Bo", "Cy", me="Me")
    knows(nb, "Me", "Ana", 3)
    knows(nb, "Ana", "Bo", 3)
    knows(nb, "Bo", "Cy", 3)
    assert chains(find_paths(nb, "Bo", today=TODAY)) == [["Me", "Ana", "Bo"]]
    result = find_paths(nb, "Cy", today=TODAY)
    assert chains(result) == [["Me", "Ana", "Bo", "Cy"]]
    assert result.paths[0].cost == 3.0


def test_four_links_through_someone_in_the_middle(nb):
    people(nb, "Me", "Ana", "Mid", "Cy", "Target", me="Me")
    knows(nb, "Me", "Ana", 3)
    knows(nb, "Ana", "Mid", 2)
    knows(nb, "Mid", "Cy", 2)
    knows(nb, "Cy", "Target", 3)
    result = find_paths(nb, "Target", today=TODAY)
    assert chains(result) == [["Me", "Ana", "Mid", "Cy", "Target"]]
    assert result.paths[0].cost == 6.0


def test_a_strong_two_link_path_beats_a_weak_one(nb):
    people(nb, "Me", "Weak", "Strong", "Target", me="Me")
    knows(nb, "Me", "Weak", 1)
    knows(nb, "Weak", "Target", 1)
    knows(nb, "Me", "Strong", 3)
    knows(nb, "Strong", "Target", 3)
    result = find_paths(nb, "Target", today=TODAY)
    assert chains(result) == [["Me", "Strong", "Target"], ["Me", "Weak", "Target"]]
    assert [p.cost for p in result.paths] == [2.0, 6.0]


def test_one_link_beats_a_weak_three_link_path(nb):
    people(nb, "Me", "A", "B", "Target", me="Me")
    knows(nb, "Me", "A", 1)
    knows(nb, "A", "B", 1)
    knows(nb, "B", "Target", 1)
    knows(nb, "Me", "Target", 1)
    result = find_paths(nb, "Target", today=TODAY)
    assert chains(result) == [["Me", "Target"], ["Me", "A", "B", "Target"]]


def test_the_top_three_are_distinct_and_cheapest_first(nb):
    people(nb, "Me", "A", "B", "C", "D", "Target", me="Me")
    for via, strength in (("A", 3), ("B", 2), ("C", 1), ("D", 2)):
        knows(nb, "Me", via, 3)
        knows(nb, via, "Target", strength)
    result = find_paths(nb, "Target", today=TODAY)
    assert len(result.paths) == 3
    assert len({tuple(p.people) for p in result.paths}) == 3
    costs = [p.cost for p in result.paths]
    assert costs == sorted(costs) == [2.0, 3.0, 3.0]
    assert [c[1] for c in chains(result)][0] == "A"
    assert "C" not in {c[1] for c in chains(result)}
    assert len(find_paths(nb, "Target", k=1, today=TODAY).paths) == 1


def test_introduced_by_reads_both_ways(nb):
    people(nb, "Me", "Isa", "Target", me="Me")
    knows(nb, "Me", "Isa", 2, kind="introduced_by")  # I was introduced by Isa
    knows(nb, "Target", "Isa", 2, kind="introduced_by")  # Target was introduced by Isa
    link_in, link_out = find_paths(nb, "Target", today=TODAY).paths[0].links
    assert link_in.kind == "introduced_by" and link_in.cost == STRENGTH_COST[2]
    assert link_in.reason == "was introduced by them (strength 2)"
    assert link_out.reason == "introduced them (strength 2)"


# -- shared history ------------------------------------------------------------


def test_overlapping_stints_at_a_tracked_company_make_a_link(nb, company):
    people(nb, "Me", "Target", me="Me")
    stint(nb, "Me", company, "2017-01", "2021-06")
    stint(nb, "Target", company, "2019-03", "2023-01")
    (path,) = find_paths(nb, "Target", today=TODAY).paths
    (link,) = path.links
    assert link.kind == "worked_together" and link.strength is None
    assert (link.company, link.since, link.until) == ("Zahlwerk GmbH", "2019-03", "2021-06")
    assert link.reason == "worked together at Zahlwerk GmbH, 2019-03 – 2021-06"
    assert link.cost == round(shared_cost("2019-03", "2021-06", TODAY, 2), 2)


def test_months_are_inclusive_at_the_boundary(nb, company):
    people(nb, "Me", "Same Month", "Next Month", me="Me")
    stint(nb, "Me", company, "2016-01", "2019-03")
    stint(nb, "Same Month", company, "2019-03", "2020-01")
    stint(nb, "Next Month", company, "2019-04", "2020-01")
    (path,) = find_paths(nb, "Same Month", today=TODAY).paths
    assert (path.links[0].since, path.links[0].until) == ("2019-03", "2019-03")
    assert path.links[0].reason == "worked together at Zahlwerk GmbH, in 2019-03"
    result = find_paths(nb, "Next Month", today=TODAY)
    # Not with me; only through the colleague they did overlap with.
    assert chains(result) == [["Me", "Same Month", "Next Month"]]


def test_an_open_position_lasts_until_today(nb, company):
    people(nb, "Me", "Newcomer", me="Me")
    stint(nb, "Me", company, "2018-01")
    stint(nb, "Newcomer", company, "2026-05")
    (path,) = find_paths(nb, "Newcomer", today=TODAY).paths
    link = path.links[0]
    assert (link.since, link.until) == ("2026-05", None)
    assert link.reason == "worked together at Zahlwerk GmbH, since 2026-05"
    # Seen from before the newcomer started, the two never met.
    assert find_paths(nb, "Newcomer", today="2026-04").paths == []


def test_an_open_position_overlaps_a_later_closed_one(nb, company):
    people(nb, "Me", "Target", me="Me")
    stint(nb, "Me", company, "2015-01")
    stint(nb, "Target", company, "2020-01", "2021-12")
    (link,) = find_paths(nb, "Target", today=TODAY).paths[0].links
    assert (link.since, link.until) == ("2020-01", "2021-12")


def test_two_stints_at_one_company_each_count(nb, company):
    people(nb, "Me", "Target", me="Me")
    stint(nb, "Me", company, "2010-01", "2012-12")
    stint(nb, "Me", company, "2018-01", "2020-06")  # came back
    stint(nb, "Target", company, "2019-01", "2022-01")
    (link,) = find_paths(nb, "Target", today=TODAY).paths[0].links
    assert (link.since, link.until) == ("2019-01", "2020-06")
    rows = nb.neighbours([nb.me().id], TODAY)
    assert rows and all(r["b"] != r["a"] for r in rows), "one's own stints are no link to oneself"


def test_the_better_of_two_overlaps_is_kept(nb, company):
    other = nb.add_company("Caudal Finanzas").slug
    people(nb, "Me", "Target", me="Me")
    stint(nb, "Me", other, "2005-01", "2007-01")
    stint(nb, "Target", other, "2005-06", "2007-01")
    stint(nb, "Me", company, "2020-01", "2024-01")
    stint(nb, "Target", company, "2021-01", "2024-01")
    (link,) = find_paths(nb, "Target", today=TODAY).paths[0].links
    assert link.company == "Zahlwerk GmbH", "more recent and longer"


def test_untracked_companies_and_unknown_starts_link_nobody(nb, company):
    people(nb, "Me", "Same Name", "No Start", me="Me")
    stint(nb, "Me", None, "2015-01", "2020-01", untracked="Hafenkontor Logistik")
    stint(nb, "Same Name", None, "2016-01", "2019-01", untracked="Hafenkontor Logistik")
    stint(nb, "Me", company, "2015-01", "2020-01")
    stint(nb, "No Start", company, None)
    assert find_paths(nb, "Same Name", today=TODAY).paths == []
    assert find_paths(nb, "No Start", today=TODAY).paths == []
    assert nb.neighbours([nb.me().id], TODAY) == []


def test_declared_and_shared_history_keep_the_cheaper_and_tell_both(nb, company):
    people(nb, "Me", "Friend", "Acquaintance", me="Me")
    for who in ("Me", "Friend", "Acquaintance"):
        stint(nb, who, company, "2019-01", "2025-12")
    knows(nb, "Me", "Friend", 3, kind="worked_with", how="payouts squad")
    knows(nb, "Me", "Acquaintance", 1)
    friend = find_paths(nb, "Friend", today=TODAY).paths[0].links[0]
    assert (friend.kind, friend.cost, friend.strength) == ("worked_with", 1.0, 3)
    assert friend.reason == (
        "worked with them (strength 3): payouts squad; also worked together at Zahlwerk GmbH, 2019-01 – 2025-12"
    )
    assert friend.company == "Zahlwerk GmbH"
    acquaintance = find_paths(nb, "Acquaintance", today=TODAY).paths[0].links[0]
    assert acquaintance.kind == "worked_together" and acquaintance.cost < STRENGTH_COST[1]
    assert acquaintance.reason.endswith("; also knows them (strength 1)")


def test_more_recent_shared_history_ranks_first(nb, company):
    people(nb, "Me", "Old Colleague", "Recent Colleague", "Target", me="Me")
    stint(nb, "Me", company, "2004-01", "2007-12")
    stint(nb, "Old Colleague", company, "2004-01", "2007-12")
    stint(nb, "Me", nb.add_company("Caudal").slug, "2021-01", "2025-12")
    stint(nb, "Recent Colleague", "caudal", "2021-01", "2025-12")
    knows(nb, "Old Colleague", "Target", 3)
    knows(nb, "Recent Colleague", "Target", 3)
    assert chains(find_paths(nb, "Target", today=TODAY)) == [
        ["Me", "Recent Colleague", "Target"],
        ["Me", "Old Colleague", "Target"],
    ]


def test_the_cost_of_shared_history():
    base = shared_cost("2019-01", "2022-12", "2023-01", 5)
    assert 2.5 <= base < 2.6, "long, recent, small company: about 2.5"
    assert shared_cost("2019-01", "2019-02", "2019-03", 5) > base + 0.8, "two months together"
    assert shared_cost("2019-01", None, "2026-06", 5) == 2.5, "still together"
    old = shared_cost("2005-01", "2008-12", "2026-06", 5)
    assert old == pytest.approx(2.5 + 1.5), "0.15 a year since, at most 1.5"
    assert shared_cost("2014-01", "2016-06", "2026-06", 5) == pytest.approx(2.5 + 1.5)
    assert shared_cost("2019-01", "2022-12", "2023-01", 10_000) == pytest.approx(base + 3)
    assert crowd_cost(1) == crowd_cost(10) == 0 and crowd_cost(100) == pytest.approx(1)


def test_a_crowded_company_is_a_weaker_link(nb, company):
    big = nb.add_company("Big Bank").slug
    people(nb, "Me", "Small Colleague", "Big Colleague", "Target", me="Me")
    stint(nb, "Me", company, "2019-01", "2021-12")
    stint(nb, "Small Colleague", company, "2019-01", "2021-12")
    stint(nb, "Me", big, "2022-01")
    stint(nb, "Big Colleague", big, "2022-01")
    with nb.atomic():
        for i in range(120):
            pid = nb.add_person(f"Banker {i}").id
            nb.add_position(pid, company=big, title="Clerk", start="2010-01", end="2011-01")
    knows(nb, "Small Colleague", "Target", 3)
    knows(nb, "Big Colleague", "Target", 3)
    result = find_paths(nb, "Target", today=TODAY)
    assert chains(result) == [["Me", "Small Colleague", "Target"], ["Me", "Big Colleague", "Target"]]
    big_link = result.paths[1].links[0]
    assert big_link.cost == pytest.approx(2.5 + crowd_cost(122), abs=0.01)


# -- fan-out ---------------------------------------------------------------------


def test_colleagues_are_capped_per_stint_but_links_to_the_ends_are_not(nb, company):
    people(nb, "Me", "Friend", "Target", me="Me")
    stint(nb, "Target", company, "2010-01")
    stint(nb, "Friend", company, "2023-12", "2024-12")
    with nb.atomic():
        for i in range(60):  # sixty colleagues of the target, joining a month apart
            pid = nb.add_person(f"Colleague {i:02}").id
            nb.add_position(pid, company=company, title="Clerk", start=f"{2010 + i // 12}-{i % 12 + 1:02}")
    knows(nb, "Me", "Friend", 3)
    target = nb.person("Target").id
    colleagues = [r for r in nb.neighbours([target], TODAY, cap=10) if r["kind"] == "worked_together"]
    # The ten who joined first after the target, and none before (nobody was there before).
    assert len(colleagues) == 10
    assert sorted(r["since"] for r in colleagues)[-1] == "2010-10"
    assert len([r for r in nb.neighbours([target], TODAY, cap=100) if r["kind"] == "worked_together"]) == 61
    # Friend joined long after the target's ten first colleagues: not among them, yet found.
    result = find_paths(nb, "Target", today=TODAY)
    assert chains(result)[0] == ["Me", "Friend", "Target"]
    assert result.paths[0].links[1].reason == "worked together at Zahlwerk GmbH, 2023-12 – 2024-12"


def test_the_cohort_cap_reaches_back_to_who_was_still_there(nb, company):
    people(nb, "Me", me="Me")
    stint(nb, "Me", company, "2020-01", "2020-12")
    with nb.atomic():
        for i, (start, end) in enumerate(
            [
                ("2015-01", "2019-12"),
                ("2016-01", None),
                ("2017-01", "2020-03"),
                ("2018-01", None),
                ("2019-01", "2019-06"),
            ]
        ):
            pid = nb.add_person(f"Before {i}").id
            nb.add_position(pid, company=company, title="Clerk", start=start, end=end)
    me = nb.me().id
    got = sorted(r["since"] for r in nb.neighbours([me], TODAY, cap=2))
    # The two latest joiners who were still there in 2020-01 (2019-01 had left).
    assert got == ["2020-01", "2020-01"]
    names = {nb.person(r["b"]).name for r in nb.neighbours([me], TODAY, cap=2)}
    assert names == {"Before 3", "Before 2"}
    assert {nb.person(r["b"]).name for r in nb.neighbours([me], TODAY, cap=5)} == {"Before 1", "Before 2", "Before 3"}


# -- no path, errors, shapes ----------------------------------------------------------


def test_no_path_suggests_the_people_at_that_company_i_am_closest_to(nb, company):
    ids = people(nb, "Me", "Friend", "Target", "Alumna", "Stranger", "Elsewhere", me="Me")
    stint(nb, "Target", company, "2024-01")
    stint(nb, "Alumna", company, "2010-01", "2012-01")
    stint(nb, "Stranger", company, "2008-01", "2009-01")
    stint(nb, "Elsewhere", None, "2025-01", untracked="Zahlwerk (another one)")
    knows(nb, "Me", "Friend", 3)
    knows(nb, "Friend", "Alumna", 2)
    knows(nb, "Me", "Elsewhere", 3)
    result = find_paths(nb, "Target", today=TODAY)
    assert result.paths == []
    assert result.company == "Zahlwerk GmbH"
    assert [(s.name, s.relation) for s in result.suggestions] == [
        ("Alumna", "used to work there"),
        ("Stranger", "used to work there"),
    ]
    first = result.suggestions[0]
    assert first.person_id == ids["Alumna"] and first.path is not None
    assert first.path.people == [ids["Me"], ids["Friend"], ids["Alumna"]] and first.path.cost == 3.0
    assert result.suggestions[1].path is None


def test_suggestions_are_at_most_five_current_people_first(nb, company):
    people(nb, "Me", "Target", me="Me")
    stint(nb, "Target", company, "2024-01")
    with nb.atomic():
        for i in range(8):
            pid = nb.add_person(f"Former {i}").id
            nb.add_position(pid, company=company, title="Clerk", start="2001-01", end=f"20{10 + i}-01")
    # Current colleagues of the target link to it: remove the target's own stint to have no path.
    nb.remove_position(nb.positions_of("Target")[0].id)
    stint(nb, "Target", company, "2023-01", "2023-12")
    pid = nb.add_person("Current One").id
    nb.add_position(pid, company=company, title="Clerk", start="2025-01")
    result = find_paths(nb, "Target", today=TODAY)
    assert result.paths == []
    assert len(result.suggestions) == 5
    assert result.suggestions[0].name == "Current One" and result.suggestions[0].relation == "works there"
    assert [s.name for s in result.suggestions[1:]] == ["Former 7", "Former 6", "Former 5", "Former 4"]


def test_no_path_and_no_company_means_no_suggestions(nb):
    people(nb, "Me", "Hermit", me="Me")
    result = find_paths(nb, "Hermit", today=TODAY)
    assert (result.paths, result.suggestions, result.company) == ([], [], None)


def test_errors(nb):
    people(nb, "Me", "Other")
    with pytest.raises(Invalid, match="no person is marked as you"):
        find_paths(nb, "Other")
    nb.set_me("Me")
    with pytest.raises(NotFound, match="unknown person"):
        find_paths(nb, "Nobody At All")
    with pytest.raises(Invalid, match="is you"):
        find_paths(nb, "me")
    with pytest.raises(Invalid):
        find_paths(nb, "Other", k=0)
    assert find_paths(nb, "Me", me="Other", today=TODAY).paths == [], "anyone can be me when asked"


def test_to_dict_shapes(nb):
    people(nb, "Me", "Ana", "Target", me="Me")
    knows(nb, "Me", "Ana", 3, how="school")
    knows(nb, "Ana", "Target", 2)
    data = find_paths(nb, "Target", today=TODAY).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"target_id", "target_name", "paths", "suggestions", "company"}
    (path,) = data["paths"]
    assert set(path) == {"cost", "people", "links"} and path["cost"] == 3.0
    assert set(path["links"][0]) == {f for f in Link.__dataclass_fields__}
    assert path["links"][0]["reason"] == "knows them (strength 3): school"
    assert WarmPath([], 0.0).people == []
    people(nb, "Lonely")
    nb.add_company("Acme")
    stint(nb, "Lonely", "acme", "2020-01")
    stint(nb, "Ana", "acme", "2001-01", "2002-01")
    nb.add_relationship("Me", "Ana", strength=3)
    lonely = find_paths(nb, "Lonely", today=TODAY).to_dict()
    assert lonely["paths"] == [] and lonely["company"] == "Acme"
    (suggestion,) = lonely["suggestions"]
    assert set(suggestion) == {"person_id", "name", "relation", "path"}
    assert suggestion["path"]["people"][-1] == suggestion["person_id"]


def test_the_index_comes_with_a_migration(nb):
    names = {r["name"] for r in nb._rows("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "positions_company_start" in names


def test_on_the_demo_notebook(tmp_path):
    from researcher.interop.demo import write_demo

    write_demo(tmp_path / "demo.db")
    with Notebook(tmp_path / "demo.db") as nb:
        assert nb.me().name == "Solène Garnier"
        sabine = find_paths(nb, "Sabine Krämer", today=TODAY)
        assert chains(sabine)[0] == ["Solène Garnier", "Tomasz Wiśniewski", "Sabine Krämer"]
        lena = find_paths(nb, "lena hoffmann", today=TODAY)
        assert chains(lena)[0] == ["Solène Garnier", "Javier Ortega Ruiz", "Lena Hoffmann"]
        assert len(lena.paths) == 3
        for result in (sabine, lena):
            for path in result.paths:
                assert all(link.reason for link in path.links)


def _random_notebook(seed: int) -> tuple[Notebook, list[int]]:
    import random

    rng = random.Random(seed)
    nb = Notebook(":memory:")
    companies = [nb.add_company(f"Co {i}").id for i in range(3)]
    ids = [nb.add_person(f"P{i}", me=(i == 0)).id for i in range(12)]
    month = lambda i: f"{2015 + i // 12}-{i % 12 + 1:02d}"  # noqa: E731
    with nb.atomic():
        for pid in ids:
            for _ in range(rng.randint(0, 3)):
                s = rng.randint(0, 130)
                start = None if rng.random() < 0.1 else month(s)
                end = None if (start is None or rng.random() < 0.3) else month(min(s + rng.randint(0, 30), 137))
                if rng.random() < 0.15:
                    nb.add_position(pid, company_name="Untracked Co", title="T", start=start, end=end)
                else:
                    nb.add_position(pid, company=rng.choice(companies), title="T", start=start, end=end)
        for _ in range(rng.randint(0, 12)):
            a, b = rng.sample(ids, 2)
            nb.add_relationship(
                a, b, kind=rng.choice(["knows", "worked_with", "introduced_by"]), strength=rng.randint(1, 3)
            )
    return nb, ids


def _whole_graph(nb: Notebook):
    """Every link of the notebook, computed the slow and obvious way (careers.overlaps)."""
    import networkx as nx

    from researcher.insight.careers import overlaps

    costs: dict[tuple[int, int], float] = {}
    for r in nb._rows("SELECT * FROM relationships"):
        key = tuple(sorted((r["person_id"], r["other_id"])))
        costs[key] = min(costs.get(key, 99.0), STRENGTH_COST[r["strength"]])
    careers = {p.id: nb.positions_of(p.id) for p in nb.people()}
    sizes = {c.id: len(nb.positions_at(c.id)) for c in nb.companies()}
    for a, b in ((a, b) for a in careers for b in careers if a < b):
        for mine in careers[a]:
            for theirs in careers[b]:
                if not overlaps([mine], [theirs], TODAY):
                    continue
                ends = [e for e in (mine.end, theirs.end) if e]
                cost = shared_cost(
                    max(mine.start, theirs.start), min(ends) if ends else None, TODAY, sizes[mine.company_id]
                )
                costs[(a, b)] = min(costs.get((a, b), 99.0), cost)
    g = nx.Graph()
    g.add_weighted_edges_from(((a, b, round(c, 2)) for (a, b), c in costs.items()), weight="cost")
    return g


@pytest.mark.parametrize("seed", range(12))
def test_below_the_caps_the_paths_are_those_of_the_whole_graph(seed, monkeypatch):
    """On small notebooks, with the fan-out caps out of the way, the top three are exactly
    networkx's top three on the whole graph (when those have at most four links)."""
    from itertools import islice

    import networkx as nx

    from researcher.insight import paths

    monkeypatch.setattr(paths, "ENDS_CAP", 1000)
    monkeypatch.setattr(paths, "MIDDLE_CAP", 1000)
    nb, ids = _random_notebook(seed)
    g = _whole_graph(nb)
    g.add_nodes_from(ids)
    for target in ids[1:]:
        try:
            best = list(islice(nx.shortest_simple_paths(g, ids[0], target, weight="cost"), 3))
        except nx.NetworkXNoPath:
            best = []
        if any(len(p) > 5 for p in best):
            continue
        expected = [round(sum(g[a][b]["cost"] for a, b in zip(p, p[1:])), 2) for p in best]
        got = [p.cost for p in find_paths(nb, target, today=TODAY).paths]
        assert got == pytest.approx(expected, abs=0.011), (seed, target)
    nb.close()


def test_links_between_a_small_and_a_big_side_are_the_links_either_way_round(nb):
    """The bigger side's stints are read only at the smaller side's companies: the links found are the same,
    whichever side is the bigger."""
    for name in ("Acme", "Globex", "Initech"):
        nb.add_company(name)
    me = nb.add_person("Me", company="acme", title="Analyst", start="2019-01")
    nb.add_position(me.id, company="globex", title="Intern", start="2016-01", end="2017-06")
    crowd = []
    for i in range(12):
        p = nb.add_person(f"P{i}", company=("acme", "globex", "initech")[i % 3], title="Engineer", start="2016-03")
        crowd.append(p.id)
    nb.add_relationship(me.id, crowd[2], strength=3)  # at Initech: linked, never colleagues
    found = {(r["a"], r["b"], r["kind"], r["company_id"]) for r in nb.links_between([me.id], crowd, "2026-11")}
    reverse = {(r["b"], r["a"], r["kind"], r["company_id"]) for r in nb.links_between(crowd, [me.id], "2026-11")}
    assert found == reverse
    colleagues = {b for _, b, kind, _ in found if kind == "worked_together"}
    assert colleagues == {crowd[i] for i in range(12) if i % 3 in (0, 1)}  # Acme now, Globex in 2016-17
    assert (me.id, crowd[2], "knows", None) in found
