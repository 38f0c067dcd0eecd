"""A company's organisation as the Organisation tab and `researcher org` show it: units, heads, reporting lines,
head counts, and who I can reach in each unit (warm paths)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from researcher.insight.paths import MIDDLE_CAP, MIDDLE_FROM, WarmPath, _month, _Network
from researcher.store.notebook import Notebook

# People of one company whose warm paths are computed (the closest ones first would need the paths).
MAX_PATHS = 300
# A path this cheap or cheaper counts as "you know someone there" (two links of a usual strength).
WARM_COST = 5.0
# Titles that name the head of a unit when no reporting line says who it is.
_HEAD_TITLE = re.compile(
    r"\b(head|director|chief|vp|vice president|leiter(in)?|directeur|directrice|responsable|dyrektor|kierownik"
    r"|jefe|jefa|directora?|lead)\b",
    re.IGNORECASE,
)


@dataclass
class OrgPerson:
    person_id: int
    name: str
    slug: str
    title: str
    unit_id: int | None
    manager_id: int | None = None
    manager: str | None = None
    reports: list[int] = field(default_factory=list)  # the people who report to them
    path_cost: float | None = None  # the cheapest warm path from me (None: none found, or not computed)
    via: list[str] = field(default_factory=list)  # the people along that path, me and them aside

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OrgNode:
    id: int
    name: str
    parent_id: int | None
    people: list[OrgPerson] = field(default_factory=list)
    children: list[OrgNode] = field(default_factory=list)
    head_id: int | None = None
    headcount: int = 0  # people in this unit itself
    total: int = 0  # with its sub-units
    known: list[int] = field(default_factory=list)  # people in it (or below) I have a warm path to, closest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "parent_id": self.parent_id,
            "head_id": self.head_id,
            "headcount": self.headcount,
            "total": self.total,
            "known": self.known,
            "people": [p.to_dict() for p in self.people],
            "children": [c.to_dict() for c in self.children],
        }


@dataclass
class OrgChart:
    company_id: int
    company: str
    slug: str
    units: list[OrgNode]
    unplaced: list[OrgPerson]  # current people in no unit
    headcount: int
    paths: bool  # whether warm paths were computed (a "me" is set)

    def to_dict(self) -> dict[str, Any]:
        return {
            "company_id": self.company_id,
            "company": self.company,
            "slug": self.slug,
            "headcount": self.headcount,
            "paths": self.paths,
            "units": [u.to_dict() for u in self.units],
            "unplaced": [p.to_dict() for p in self.unplaced],
        }

    def walk(self):
        """Every unit, depth first, with its depth."""
        stack = [(u, 0) for u in reversed(self.units)]
        while stack:
            unit, depth = stack.pop()
            yield unit, depth
            stack.extend((c, depth + 1) for c in reversed(unit.children))


def org_chart(nb: Notebook, company: str | int, today: str | date | None = None, paths: bool = True) -> OrgChart:
    """The company's units as a tree with their people, heads, reporting lines and who I can reach there."""
    target = nb.company(company)
    units = {u.id: OrgNode(u.id, u.name, u.parent_id) for u in nb.org_units(target.id)}
    people: dict[int, OrgPerson] = {}
    for pos in nb.positions_at(target.id, current=True):
        if pos.person_id in people:
            continue  # two open positions: the latest (listed first) is the one that places them
        people[pos.person_id] = OrgPerson(
            pos.person_id,
            pos.person_name or "",
            pos.person_slug or "",
            pos.title,
            pos.org_unit_id if pos.org_unit_id in units else None,
            pos.manager_id,
        )
    for person in people.values():
        manager = people.get(person.manager_id) if person.manager_id else None
        if manager is not None:
            person.manager = manager.name
            manager.reports.append(person.person_id)
        elif person.manager_id is not None:
            person.manager_id = None  # reports to someone who no longer works there
    me = nb.me()
    computed = bool(paths and me and people)
    if computed:
        _warm_paths(nb, me.id, people, _month(today))  # type: ignore[union-attr]
    unplaced = []
    for person in sorted(people.values(), key=lambda p: p.name.casefold()):
        (units[person.unit_id].people if person.unit_id is not None else unplaced).append(person)
    roots = []
    for unit in sorted(units.values(), key=lambda u: u.name.casefold()):
        parent = units.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(unit)
    for root in roots:
        _summarise(root, people)
    return OrgChart(target.id, target.name, target.slug, roots, unplaced, len(people), computed)


def _summarise(unit: OrgNode, people: dict[int, OrgPerson]) -> list[OrgPerson]:
    """Fill in head counts, the head and the people I know, bottom up; returns everyone in and below the unit."""
    below = list(unit.people)
    for child in unit.children:
        below += _summarise(child, people)
    unit.headcount, unit.total = len(unit.people), len(below)
    unit.head_id = _head(unit, people, {p.person_id for p in below})
    warm = sorted((p for p in below if p.path_cost is not None and p.path_cost <= WARM_COST), key=lambda p: p.path_cost)
    unit.known = [p.person_id for p in warm]
    return below


def _head(unit: OrgNode, people: dict[int, OrgPerson], members: set[int]) -> int | None:
    """Who heads a unit: the member its people (sub-units included) report to, directly or not, whose own manager
    is not among them; without reporting lines, the one member whose title says so ("Head of...", "Leiterin"...)."""
    tops = [p for p in unit.people if p.manager_id not in members and _reach(p, people, members)]
    if tops:
        return max(tops, key=lambda p: (_reach(p, people, members), -p.person_id)).person_id
    titled = [p for p in unit.people if _HEAD_TITLE.search(p.title)]
    return titled[0].person_id if len(titled) == 1 else None


def _reach(person: OrgPerson, people: dict[int, OrgPerson], members: set[int]) -> int:
    """How many members report to `person`, directly or through others."""
    seen, stack = set(), list(person.reports)
    while stack:
        pid = stack.pop()
        if pid in seen or pid not in members:
            continue
        seen.add(pid)
        stack.extend(people[pid].reports)
    return len(seen)


def _warm_paths(nb: Notebook, me_id: int, people: dict[int, OrgPerson], month: str) -> None:
    """The cheapest path from me to each of the company's people (the first MAX_PATHS of them), in one search."""
    import networkx as nx

    ends = [pid for pid in people if pid != me_id][:MAX_PATHS]
    if me_id in people:
        people[me_id].path_cost = 0.0
    if not ends:
        return
    net = _Network(nb, month)
    # Many ends at once, as the path suggestions do: fewer colleagues each, a narrower middle.
    net.explore(me_id, set(ends), ends_cap=MIDDLE_CAP, middle_from=MIDDLE_FROM // 2)
    graph = net.core({me_id, *ends})
    if me_id not in graph:
        return
    costs, routes = nx.single_source_dijkstra(graph, me_id, weight="cost")
    names = nb.person_names({n for pid in ends if pid in routes for n in routes[pid]})
    for pid in ends:
        if pid in routes:
            path: WarmPath = net.path(routes[pid], names)
            people[pid].path_cost = round(path.cost, 2)
            people[pid].via = [names.get(n, "?") for n in routes[pid][1:-1]]
