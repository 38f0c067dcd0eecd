"""Career-path study of a role: who reached it, from which step and company, and after how long."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from researcher.store import validate as v
from researcher.store.models import Position
from researcher.store.schema import FUNCTIONS
from researcher.text import clean_line, fold

_WORD = re.compile(r"\w+")


@dataclass
class Holder:
    """A person who holds or held the role, seen at the first time they reached it."""

    person_id: int
    name: str
    slug: str | None
    title: str  # of the position where they first reached the role
    company: str
    start: str | None
    end: str | None
    current: bool  # holds the role now (in that position or a later matching one)
    years_to_role: float | None  # from their first known position's start; None when the role's start is unknown
    before: Position | None  # the position just before reaching the role
    times: int = 1  # how many of their positions match the role
    # When the position above has ended but they hold the role now in a later one: that one.
    # (Only a position still held is marked "now"; this says where they hold the role today.)
    now_title: str | None = None
    now_company: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CareerStudy:
    role: str
    holders: list[Holder] = field(default_factory=list)
    stepping_stones: list[tuple[str, int]] = field(default_factory=list)
    came_from: list[tuple[str, int]] = field(default_factory=list)
    median_years_to_role: float | None = None
    range_years: tuple[float, float] | None = None
    functions_before: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "holders": [h.to_dict() for h in self.holders],
            "stepping_stones": [{"title": t, "count": n} for t, n in self.stepping_stones],
            "came_from": [{"company": c, "count": n} for c, n in self.came_from],
            "median_years_to_role": self.median_years_to_role,
            "range_years": list(self.range_years) if self.range_years else None,
            "functions_before": [{"function": f, "count": n} for f, n in self.functions_before],
        }


def _key(text: str) -> str:
    """Grouping key: "Senior Product-Manager" and "senior product manager" count together."""
    return " ".join(_WORD.findall(fold(text))) or fold(text).strip()


def _sort_key(p: Position) -> tuple:
    return (p.start is None, p.start or "", p.end or "9999-99", p.id)


def _months(start: str, end: str) -> int:
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7])


def _counted(labels: list[str]) -> list[tuple[str, int]]:
    """Labels grouped by key, each shown in its most common spelling; most common first, then A-Z."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for label in labels:
        key = _key(label)
        counts[key] += 1
        spellings.setdefault(key, Counter())[label] += 1
    shown = {k: min(s.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, s in spellings.items()}
    return sorted(((shown[k], n) for k, n in counts.items()), key=lambda x: (-x[1], fold(x[0]), x[0]))


def _just_before(path: list[Position], role: Position) -> Position | None:
    """The latest position started before the role (a same-month start is not before).

    A position still running when the role began counts (a side job kept on); among
    positions started the same month, one that had ended wins over one still running.
    """
    if not role.start:
        return None
    earlier = [p for p in path if p.id != role.id and p.start and p.start < role.start]
    if not earlier:
        return None
    return max(earlier, key=lambda p: (p.start, p.end is not None and p.end <= role.start, p.end or "", p.id))


def role_label(title: str | None = None, function: str | None = None, company: str | None = None) -> str:
    """How a study names its role: 'head of product, function product at Zahlwerk GmbH'."""
    parts = [clean_line(title)] if clean_line(title) else []
    if function:
        parts.append(f"function {function}")
    return ", ".join(parts) + (f" at {company}" if company else "")


def study(role: str, matches: list[Position], paths: dict[int, list[Position]]) -> CareerStudy:
    """Build the study from the positions matching the role and the career paths of their holders."""
    by_person: dict[int, list[Position]] = {}
    for p in matches:
        by_person.setdefault(p.person_id, []).append(p)
    holders: list[Holder] = []
    for person_id, held in by_person.items():
        held.sort(key=_sort_key)
        first = held[0]
        path = sorted(paths.get(person_id) or held, key=_sort_key)
        before = _just_before(path, first)
        held_now = [p for p in held if p.end is None]
        later = held_now[-1] if held_now and first.end is not None else None
        years = None
        if first.start:
            starts = [p.start for p in path if p.start] + [first.start]
            years = round(_months(min(starts), first.start) / 12, 2)
        holders.append(
            Holder(
                person_id=person_id,
                name=first.person_name or "",
                slug=first.person_slug,
                title=first.title,
                company=first.company_name,
                start=first.start,
                end=first.end,
                current=bool(held_now),
                years_to_role=years,
                before=before,
                times=len(held),
                now_title=later.title if later else None,
                now_company=later.company_name if later else None,
            )
        )
    # Current first, then most recent start first (unknown starts last), then by name.
    holders.sort(key=lambda h: (h.name.casefold(), h.person_id))
    holders.sort(key=lambda h: h.start or "", reverse=True)
    holders.sort(key=lambda h: not h.current)
    befores = [h.before for h in holders if h.before]
    years_all = [h.years_to_role for h in holders if h.years_to_role is not None]
    return CareerStudy(
        role=role,
        holders=holders,
        stepping_stones=_counted([b.title for b in befores]),
        came_from=_counted([b.company_name for b in befores]),
        median_years_to_role=round(statistics.median(years_all), 2) if years_all else None,
        range_years=(min(years_all), max(years_all)) if years_all else None,
        functions_before=_counted([b.function for b in befores if b.function]),
    )


def study_role(
    nb, title: str | None = None, function: str | None = None, company: str | int | None = None
) -> CareerStudy:
    """Study a role (title words and/or a function, optionally at a tracked company) in a notebook.

    Raises Invalid without title words or function, NotFound for an unknown company;
    a role nobody holds gives an empty study.
    """
    matches = nb.role_positions(title, function, company)  # checks the query before anything else
    company_name = nb.company(company).name if company is not None else None
    paths = nb.career_paths_of({p.person_id for p in matches})
    return study(role_label(title, v.choice(function, FUNCTIONS, "function"), company_name), matches, paths)
