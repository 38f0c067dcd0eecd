"""Career flows: who came into a company from where, and who left it for where."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from researcher.store.models import Position


@dataclass
class Move:
    """One person's passage through a company: the stint there, and what came before and after."""

    person_id: int
    person_name: str
    person_slug: str | None
    stint: Position
    before: Position | None
    after: Position | None


@dataclass
class CareerFlows:
    moves: list[Move] = field(default_factory=list)
    came_from: list[tuple[str, int]] = field(default_factory=list)
    left_to: list[tuple[str, int]] = field(default_factory=list)


def _sort_key(p: Position) -> tuple:
    return (p.start is None, p.start or "", p.end or "9999-99", p.id)


def company_flows(company_id: int, positions: list[Position]) -> CareerFlows:
    """From every position of everyone who worked at a company, derive moves in and out.

    A person's consecutive positions at the company count as one stint (promotions are
    not moves); the position before the stint is where they came from, the one after it
    where they went.
    """
    by_person: dict[int, list[Position]] = {}
    for p in positions:
        by_person.setdefault(p.person_id, []).append(p)
    flows = CareerFlows()
    came: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for person_positions in by_person.values():
        path = sorted(person_positions, key=_sort_key)
        i = 0
        while i < len(path):
            if path[i].company_id != company_id:
                i += 1
                continue
            j = i
            while j + 1 < len(path) and path[j + 1].company_id == company_id:
                j += 1
            before = path[i - 1] if i > 0 else None
            after = path[j + 1] if j + 1 < len(path) else None
            stint = path[j]  # the latest role in the stint
            first = path[i]
            flows.moves.append(
                Move(
                    first.person_id,
                    first.person_name or "",
                    first.person_slug,
                    stint.but(start=first.start),
                    before,
                    after,
                )
            )
            if before:
                came[before.company_name] += 1
            if after and stint.end is not None:
                left[after.company_name] += 1
            i = j + 1
    flows.moves.sort(key=lambda m: (m.stint.end is not None, m.stint.start or "", m.person_name), reverse=False)
    flows.came_from = came.most_common()
    flows.left_to = left.most_common()
    return flows


def _span(p: Position, today: str) -> tuple[str, str] | None:
    if not p.start:
        return None
    return p.start, p.end or today


def overlaps(mine: list[Position], theirs: list[Position], today: str) -> dict[int, Position]:
    """Their positions that overlapped in time with one of mine at the same tracked company.

    Months are inclusive: a position ending 2019-03 overlaps one starting 2019-03.
    Returns {their position id: my overlapping position}.
    """
    out: dict[int, Position] = {}
    for t in theirs:
        ts = _span(t, today)
        if ts is None or t.company_id is None:
            continue
        for m in mine:
            ms = _span(m, today)
            if ms and m.company_id == t.company_id and ts[0] <= ms[1] and ms[0] <= ts[1]:
                out[t.id] = m
                break
    return out
