"""Warm paths: the best chains of people from me to someone, with the reason for every link."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from researcher import clock
from researcher.store import Invalid
from researcher.store.notebook import Notebook

if TYPE_CHECKING:
    import networkx as nx

# -- the cost of a link (lower is better) ---------------------------------------

# A declared relationship costs what its strength says; introduced_by counts like knows.
STRENGTH_COST = {3: 1.0, 2: 2.0, 1: 3.0}
# Shared history (overlapping stints at one company) starts between strength 2 and 1...
SHARED_BASE = 2.5
# ...and costs up to 1 more when the overlap was shorter than a year,
SHORT_OVERLAP_MONTHS = 12
# 0.15 more a year since it ended (at most 1.5: ten years and more ago),
STALE_PER_YEAR, STALE_MAX = 0.15, 1.5
# and log10(people) - 1 more at a company of more than ten people: having been at a
# company of a thousand at the same time is a much weaker link than at a startup of five.
CROWD_FREE = 10
MIN_LINK = min(*STRENGTH_COST.values(), SHARED_BASE)

# -- how far the search looks -----------------------------------------------------

# Colleagues kept per stint, each side of its start (see store/graph.py, _COHORT): more for
# me and the target, a few for the people in between. On the 50,000-people benchmark
# (benchmarks/path_scale.py), a search four times wider (80 / 300 / 10) finds the same
# three paths for all 30 targets, in 1.3-1.5 times the time.
ENDS_CAP = 20
MIDDLE_CAP = 5
# The middle of four-link paths is looked for from at most this many people on each side,
# the closest ones; the uncapped links between the two sides are looked for among them too.
MIDDLE_FROM = 80
# People at the target's company whose paths are computed when there is no path.
SUGGESTION_POOL = 20
MAX_SUGGESTIONS = 5


@dataclass
class Link:
    from_id: int
    from_name: str
    to_id: int
    to_name: str
    kind: str  # knows | worked_with | introduced_by | worked_together
    strength: int | None
    how: str | None
    company: str | None
    since: str | None
    until: str | None  # None with a `since`: they still work together
    cost: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class WarmPath:
    links: list[Link]
    cost: float

    @property
    def people(self) -> list[int]:
        """The ids along the path, from me to the target."""
        return [self.links[0].from_id, *(link.to_id for link in self.links)] if self.links else []

    def to_dict(self) -> dict[str, Any]:
        return {"cost": self.cost, "people": self.people, "links": [link.to_dict() for link in self.links]}


@dataclass
class Suggestion:
    person_id: int
    name: str
    relation: str  # "works there" | "used to work there"
    path: WarmPath | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "relation": self.relation,
            "path": self.path.to_dict() if self.path else None,
        }


@dataclass
class PathResult:
    target_id: int
    target_name: str
    paths: list[WarmPath] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # The company the suggestions come from (the target's current one, else their last).
    company: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "target_name": self.target_name,
            "paths": [p.to_dict() for p in self.paths],
            "suggestions": [s.to_dict() for s in self.suggestions],
            "company": self.company,
        }


# -- costs and reasons ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _months(ym: str) -> int:
    return int(ym[:4]) * 12 + int(ym[5:7]) - 1


def crowd_cost(headcount: int) -> float:
    """What a company of `headcount` people adds to the cost of having worked there together."""
    return max(0.0, math.log10(max(headcount, 1)) - math.log10(CROWD_FREE))


def shared_cost(since: str, until: str | None, today: str, headcount: int, crowd: float | None = None) -> float:
    """The cost of having worked together from `since` to `until` (None: still) at a company
    where the notebook knows `headcount` people."""
    end = until if until is not None and until < today else today
    months = _months(end) - _months(since) + 1  # inclusive: 2019-03 to 2019-03 is one month
    short = max(0.0, 1.0 - months / SHORT_OVERLAP_MONTHS)
    stale = min(STALE_PER_YEAR * max(0, _months(today) - _months(end)) / 12, STALE_MAX)
    return SHARED_BASE + short + stale + (crowd_cost(headcount) if crowd is None else crowd)


def _declared_phrase(row: dict[str, Any], forward: bool) -> str:
    """How `a` knows `b`, seen from a (forward) or from b."""
    kind = row["kind"]
    if kind == "introduced_by":
        # The relationship row says person_id was introduced by other_id.
        verb = "was introduced by them" if forward == bool(row["forward"]) else "introduced them"
    elif kind == "worked_with":
        verb = "worked with them"
    else:
        verb = "knows them"
    text = f"{verb} (strength {row['strength']})"
    return f"{text}: {row['how']}" if row.get("how") else text


def _shared_phrase(row: dict[str, Any]) -> str:
    since, until = row["since"], row["until"]
    if until is None:
        when = f"since {since}"
    elif until == since:
        when = f"in {since}"
    else:
        when = f"{since} – {until}"
    return f"worked together at {row['company']}, {when}"


@dataclass
class _Pair:
    """What links two people: the cheapest declared relationship and the cheapest shared history."""

    declared: dict[str, Any] | None = None
    declared_cost: float = math.inf
    shared: dict[str, Any] | None = None
    shared_cost: float = math.inf

    @property
    def cost(self) -> float:
        return min(self.declared_cost, self.shared_cost)

    def link(self, frm: int, to: int, names: dict[int, str]) -> Link:
        declared_first = self.declared_cost <= self.shared_cost
        main = self.declared if declared_first else self.shared
        assert main is not None
        if declared_first:
            forward = main["a"] == frm
            reason = _declared_phrase(main, forward)
            if self.shared:
                reason += "; also " + _shared_phrase(self.shared)
        else:
            reason = _shared_phrase(main)
            if self.declared:
                reason += "; also " + _declared_phrase(self.declared, self.declared["a"] == frm)
        history = self.shared or {}
        return Link(
            from_id=frm,
            from_name=names.get(frm, "?"),
            to_id=to,
            to_name=names.get(to, "?"),
            kind=main["kind"],
            strength=self.declared["strength"] if self.declared else None,
            how=self.declared.get("how") if self.declared else None,
            company=history.get("company"),
            since=history.get("since"),
            until=history.get("until"),
            cost=round(self.cost, 2),
            reason=reason,
        )


class _Network:
    """The part of the notebook around me and some other people: who is linked to whom, and how.

    Links are kept in plain dicts while they arrive (cheap); networkx gets the graph that is
    left once the dead ends are gone, to search it."""

    def __init__(self, nb: Notebook, today: str):
        self.nb, self.today = nb, today
        self.pairs: dict[tuple[int, int], _Pair] = {}
        self.adj: dict[int, dict[int, float]] = {}
        self.crowd: dict[int, float] = {}  # company id -> crowd_cost
        self.costs: dict[tuple, float] = {}  # (since, until, company id) -> shared_cost

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Add links; two people linked several ways keep the cheapest (and the others' story)."""
        companies = {r["company_id"] for r in rows if r["kind"] == "worked_together"} - self.crowd.keys()
        if companies:
            self.crowd.update((c, crowd_cost(n)) for c, n in self.nb.company_sizes(companies).items())
        pairs, adj = self.pairs, self.adj
        for row in rows:
            a, b = row["a"], row["b"]
            key = (a, b) if a < b else (b, a)
            pair = pairs.get(key)
            if pair is None:
                pair = pairs[key] = _Pair()
            declared, shared = pair.declared_cost, pair.shared_cost
            if row["kind"] == "worked_together":
                cost = self.shared_cost(row["since"], row["until"], row["company_id"])
                if cost < shared:
                    pair.shared, pair.shared_cost = row, cost
            else:
                cost = STRENGTH_COST[row["strength"]]
                if cost < declared:
                    pair.declared, pair.declared_cost = row, cost
            # Cheaper than the pair was (both ways of linking it): the pair's cost is now this link's.
            if cost < declared and cost < shared:
                adj.setdefault(a, {})[b] = cost
                adj.setdefault(b, {})[a] = cost

    def shared_cost(self, since: str, until: str | None, company_id: int) -> float:
        """shared_cost() at a company whose crowd cost is known, once for each stint's dates: the colleagues of
        one stint share them (26,000 rows of the Org tab's search, 44,000 of a big company's ranking)."""
        key = (since, until, company_id)
        cost = self.costs.get(key)
        if cost is None:
            cost = self.costs[key] = shared_cost(since, until, self.today, 0, self.crowd[company_id])
        return cost

    def around(self, person: int) -> dict[int, float]:
        """The people linked to `person` so far, with the cost of that link."""
        return dict(self.adj.get(person, {}))

    def explore(
        self,
        me: int,
        ends: set[int],
        ends_cap: int = ENDS_CAP,
        middle_from: int = MIDDLE_FROM,
        bound: Callable[[_Network], float] | None = None,
    ) -> None:
        """Everything needed for the paths of up to four links from me to any of `ends`:

        1. me's and the ends' own neighbours (capped colleagues, all declared links);
        2. every link, uncapped, from me to the ends' neighbours, from mine to the ends, and
           between the `middle_from` closest on each side: so a friend of mine who was at the
           target's big company with them is never missed;
        3. the people linked to both sides: the middle of me-A-B-C-target. Only from the
           `middle_from` closest people on each side, only from those through whom such a path
           could still beat `bound(network)` (the k-th best cost found by then), with colleagues
           capped harder.
        """
        self.add(self.nb.neighbours([me, *ends], self.today, cap=ends_cap))
        left = self.around(me)
        right: dict[int, float] = {}
        for end in ends:
            for other, cost in self.around(end).items():
                right[other] = min(cost, right.get(other, math.inf))
        # Not every link between the two sides: two hundred colleagues at one big company
        # on each side make forty thousand weak links, none of them worth a path.
        self.add(self.nb.links_between([me], [*ends, *right], self.today))
        self.add(self.nb.links_between(left, ends, self.today))
        self.add(self.nb.links_between(_closest(left, middle_from), _closest(right, middle_from), self.today))
        limit = bound(self) if bound else math.inf
        # A four-link path me-A-B-C-end costs at least cost(me-A) + 2 * MIN_LINK + cost(C-end).
        left = {a: w for a, w in self.around(me).items() if a not in ends}
        right = {}
        for end in ends:
            for other, cost in self.around(end).items():
                if other not in ends and other != me:
                    right[other] = min(cost, right.get(other, math.inf))
        lmin, rmin = min(left.values(), default=math.inf), min(right.values(), default=math.inf)
        middle_left = _closest(left, middle_from, limit - 2 * MIN_LINK - rmin)
        middle_right = _closest(right, middle_from, limit - 2 * MIN_LINK - lmin)
        if middle_left and middle_right:
            self.add(self.nb.common_neighbours(middle_left, middle_right, self.today, cap=MIDDLE_CAP))

    def core(self, keep: set[int]) -> nx.Graph:
        """The graph without its dead ends: someone linked to one person only (most colleagues
        found around me or the target) is on no simple path between two others."""
        degree = {v: len(nbrs) for v, nbrs in self.adj.items()}
        loose = [v for v, d in degree.items() if d <= 1 and v not in keep]
        gone = set()
        while loose:
            v = loose.pop()
            if v in gone:
                continue
            gone.add(v)
            for u in self.adj[v]:
                if u not in gone:
                    degree[u] -= 1
                    if degree[u] <= 1 and u not in keep:
                        loose.append(u)
        import networkx as nx  # on first use: its import (0.2-0.4 s) costs more than a search

        g = nx.Graph()
        g.add_nodes_from(keep)
        g.add_weighted_edges_from(
            ((a, b, pair.cost) for (a, b), pair in self.pairs.items() if a not in gone and b not in gone),
            weight="cost",
        )
        return g

    def _trees(self, me: int, target: int, k: int) -> tuple[nx.Graph, float, dict[int, float], dict[int, float]]:
        """The core graph, shortest distances from me and from the target, and a bound on the
        k-th best cost: every person v gives a path me ~> v ~> target along the two
        shortest-path trees; with k distinct simple ones among them, the k-th best path
        costs no more than the k-th cheapest of those."""
        import networkx as nx

        g = self.core({me, target})
        d_me, p_me = nx.single_source_dijkstra(g, me, weight="cost")
        if target not in d_me:
            return g, math.inf, d_me, {}
        d_to, p_to = nx.single_source_dijkstra(g, target, weight="cost")
        seen: dict[tuple[int, ...], float] = {}
        for v, d in d_me.items():
            if v in d_to:
                nodes = (*p_me[v], *reversed(p_to[v][:-1]))
                if len(set(nodes)) == len(nodes):
                    seen[nodes] = d + d_to[v]
        costs = sorted(seen.values())
        return g, (costs[k - 1] if len(costs) >= k else math.inf), d_me, d_to

    def bound(self, me: int, target: int, k: int) -> float:
        return self._trees(me, target, k)[1]

    def top_paths(self, me: int, target: int, k: int) -> list[list[int]]:
        """The k cheapest simple paths (Yen's algorithm, networkx), searched only on the part
        of the graph that can hold them: a person v is on no path cheaper than
        d(me, v) + d(v, target), so with the bound on the k-th cost the rest can go."""
        import networkx as nx

        g, limit, d_me, d_to = self._trees(me, target, k)
        if target not in d_me:
            return []
        keep = [v for v, d in d_me.items() if v in d_to and d + d_to[v] <= limit + 1e-9]
        return list(islice(nx.shortest_simple_paths(g.subgraph(keep).copy(), me, target, weight="cost"), k))

    def path(self, nodes: list[int], names: dict[int, str]) -> WarmPath:
        links = [self.pairs[(a, b) if a < b else (b, a)].link(a, b, names) for a, b in zip(nodes, nodes[1:])]
        return WarmPath(links, round(sum(link.cost for link in links), 2))


def _closest(costs: dict[int, float], limit: int, max_cost: float = math.inf) -> list[int]:
    ranked = sorted((c, p) for p, c in costs.items() if c <= max_cost)
    return [p for _, p in ranked[:limit]]


def _month(today: str | date | None) -> str:
    if today is None:
        return clock.this_month()
    if isinstance(today, date):
        return today.strftime("%Y-%m")
    return str(today)[:7]


def find_paths(
    nb: Notebook, target: str | int, me: str | int | None = None, k: int = 3, today: str | date | None = None
) -> PathResult:
    """The k best ways from me to `target`, cheapest first. With none, suggestions: the people
    at the target's company (or who were there) that I am closest to."""
    if k < 1:
        raise Invalid("the number of paths must be at least 1")
    month = _month(today)
    if me is None:
        mine = nb.me()
        if mine is None:
            raise Invalid("no person is marked as you: use `researcher person add NAME --me` (or edit one)")
        me_id = mine.id
    else:
        me_id = nb.person(me).id
    aim = nb.person(target)
    if aim.id == me_id:
        raise Invalid(f"{aim.name} is you: pick someone else")

    net = _Network(nb, month)
    net.explore(me_id, {aim.id}, bound=lambda network: network.bound(me_id, aim.id, k))
    found = net.top_paths(me_id, aim.id, k)
    result = PathResult(aim.id, aim.name)
    if found:
        names = nb.person_names({n for p in found for n in p})
        result.paths = [net.path(p, names) for p in found]
        return result
    _suggest(nb, result, me_id, month)
    return result


def _suggest(nb: Notebook, result: PathResult, me_id: int, month: str) -> None:
    """Fill in the people at the target's company (or who were there) that I am closest to."""
    anchor = nb.career_anchor(result.target_id)
    if anchor is None:
        return
    result.company = anchor["company_name"]
    pool = nb.people_at_company(
        anchor["company_id"], anchor["company_name"], exclude={me_id, result.target_id}, limit=SUGGESTION_POOL
    )
    if not pool:
        return
    order = {p["id"]: i for i, p in enumerate(pool)}  # current first, then the latest leavers
    found = paths_to_many(nb, me_id, list(order), month)
    ranked = sorted(
        pool, key=lambda p: (p["id"] not in found, found[p["id"]][0] if p["id"] in found else 0.0, order[p["id"]])
    )
    for p in ranked[:MAX_SUGGESTIONS]:
        path = found[p["id"]][1] if p["id"] in found else None
        relation = "works there" if p["current"] else "used to work there"
        result.suggestions.append(Suggestion(p["id"], p["name"], relation, path))


def paths_to_many(
    nb: Notebook, me_id: int, ends: list[int], today: str | date | None = None
) -> dict[int, tuple[float, WarmPath]]:
    """The warmest path from me to each of many people at once, in one batched search: {person: (cost, path)}.

    Many ends at once: fewer colleagues each, a narrower middle than find_paths (on the benchmark this finds
    the same five suggestions as the full search), and one Dijkstra from me over what was explored. A
    person with no path found is left out. Costs are Dijkstra's, unrounded (the path's own is rounded)."""
    targets = {e for e in ends if e != me_id}
    if not targets:
        return {}
    month = _month(today)
    net = _Network(nb, month)
    net.explore(me_id, targets, ends_cap=MIDDLE_CAP, middle_from=MIDDLE_FROM // 2)
    import networkx as nx

    costs, routes = nx.single_source_dijkstra(net.core({me_id, *targets}), me_id, weight="cost")
    reached = [e for e in targets if e in routes]
    names = nb.person_names({n for e in reached for n in routes[e]})
    return {e: (costs[e], net.path(routes[e], names)) for e in reached}


def near_costs(nb: Notebook, me_id: int, ends: list[int], today: str | date | None = None) -> dict[int, float]:
    """For many people at once, cheaply: the cost of the best path of at most two links from me to each,
    through the people linked to me directly (my capped neighbourhood, as find_paths starts from).

    Exact among those paths, and an upper bound on the warmest path (a longer chain can be cheaper);
    one query for all of them, however many (two thousand people at one company: a tenth of a second),
    where paths_to_many costs about a millisecond a person. A person reached by no such path is left out."""
    month = _month(today)
    net = _Network(nb, month)
    net.add(nb.neighbours([me_id], month, cap=ENDS_CAP))
    first = net.around(me_id)
    first[me_id] = 0.0
    targets = [e for e in ends if e != me_id]
    if not targets:
        return {}
    # Tuples (a, b, kind, strength, how, forward, company_id, since, until): 44,000 rows at a big company.
    rows = nb.links_between(list(first), targets, month, plain=True)
    companies = {r[6] for r in rows if r[6]} - net.crowd.keys()
    net.crowd.update((c, crowd_cost(n)) for c, n in nb.company_sizes(companies).items())
    best: dict[int, float] = {}
    for a, b, kind, strength, _how, _forward, company, since, until in rows:
        if kind == "worked_together":
            cost = net.shared_cost(since, until, company)
        else:
            cost = STRENGTH_COST[strength]
        total = first[a] + cost
        if total < best.get(b, math.inf):
            best[b] = total
    return best
