"""The company dossier, computed once for both faces: the TUI's dossier and `researcher company show`.

One function per tab (overview, news, people, careers, organisation, vocabulary, notes), each computed
alone so that a tab loads alone; `company_dossier()` computes them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from researcher.insight.careers import CareerFlows, company_flows
from researcher.insight.paths import WarmPath, near_costs, paths_to_many
from researcher.store.models import Company, Feed, NewsItem, Note, OrgUnit, Position, Term
from researcher.store.notebook import Notebook

# People listed (and their warm paths searched) a page at a time: a tall terminal shows about 40.
PEOPLE_PAGE = 50
LATEST_NEWS = 5
NO_ME = "no person is marked as you: mark yourself in the person form (or `researcher person edit NAME --me`)"


def _dict(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else asdict(value)


# -- overview and news ---------------------------------------------------------------


@dataclass
class Overview:
    company: Company
    people_now: int
    former: int
    terms: int
    feeds: int
    unread: int
    news: int
    latest_note: Note | None
    latest_news: list[NewsItem]

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "company"}
        out["company_id"] = self.company.id
        return out


def overview(nb: Notebook, company: int | str) -> Overview:
    """What the Overview tab shows: the company, its counts, the latest note and the latest news."""
    c = nb.company(company)
    notes = nb.notes(company=c.id, limit=1)
    return Overview(
        company=c,
        people_now=c.people_count,
        former=nb.count_former(c.id),
        terms=nb.count_terms(c.id),
        feeds=nb.count_company_feeds(c.id),
        unread=c.unread_count,
        news=nb.count_news(c.id),
        latest_note=notes[0] if notes else None,
        latest_news=nb.news(company=c.id, limit=LATEST_NEWS),
    )


@dataclass
class NewsSummary:
    feeds: list[Feed]
    total: int
    unread: int

    @property
    def failing(self) -> int:
        """Feeds whose last fetch failed, or that are no longer fetched."""
        return sum(1 for f in self.feeds if f.last_error or not f.active)

    def to_dict(self) -> dict[str, Any]:
        return {"feeds": [f.to_dict() for f in self.feeds], "total": self.total, "unread": self.unread,
                "failing": self.failing}  # fmt: skip


def news_summary(nb: Notebook, company: int | str) -> NewsSummary:
    """The News tab's feeds and counts (its items page from the store as the reader scrolls)."""
    cid = nb.company(company).id if not isinstance(company, int) else company
    return NewsSummary(nb.feeds(cid), nb.count_news(cid), nb.count_news(cid, unread=True))


def feed_state(feed: Feed) -> str:
    """A feed's state in a few words, the same in the TUI's feed list and `researcher feed list`."""
    if not feed.active:
        return "gone: no longer fetched"
    if feed.last_error:
        return f"failing ({feed.error_count})" if feed.error_count else "failing"
    if not feed.last_fetch_at:
        return "never fetched"
    return "ok"


# -- people, ranked by warmest path ---------------------------------------------------


@dataclass
class Ranked:
    """Someone who is or was at the company, with what ranks them."""

    person_id: int
    name: str
    slug: str
    current: bool
    left: str | None  # the month they left (former people only)
    approach_status: str | None
    priority: int | None
    is_me: bool
    warmth: float | None  # see rank_people; None: no short path (or no "me")

    @property
    def key(self) -> tuple:
        warmth = self.warmth if self.warmth is not None else math.inf
        return (self.priority or 9, not self.current, self.is_me, warmth, self.name.casefold(), self.person_id)


@dataclass
class PeopleRanking:
    company_id: int
    me_id: int | None
    people: list[Ranked]
    why_no_paths: str | None = None
    today: str | date | None = None  # the day paths are costed for (None: today)
    # People whose warmth is still to be computed: those who left and have no priority, the tail of the
    # ranking, ranked only once a page reaches them (most of a big company's people, and never looked at).
    pending: set[int] = field(default_factory=set)

    @property
    def current(self) -> int:
        return sum(1 for p in self.people if p.current)

    @property
    def former(self) -> int:
        return len(self.people) - self.current

    def rank_through(self, nb: Notebook, end: int) -> None:
        """Make sure the first `end` people are in their final order."""
        if not self.pending or end <= len(self.people) - len(self.pending):
            return
        start = len(self.people) - len(self.pending)
        tail = self.people[start:]
        warmth = near_costs(nb, self.me_id, [p.person_id for p in tail], self.today) if self.me_id else {}
        for p in tail:
            p.warmth = warmth.get(p.person_id)
        self.people[start:] = sorted(tail, key=lambda p: p.key)
        self.pending.clear()


def rank_people(nb: Notebook, company: int | str, today: str | date | None = None) -> PeopleRanking:
    """Everyone who is or was at the company, to approach first first: by approach priority, the people here
    now before those who left, then by warmth, then by name.

    Warmth is the cost of the best path of at most two links from me, through the people I am linked to
    directly (paths.near_costs: one query for the whole company, exact among those paths). It ranks; the
    path shown for a person is searched further (people_page, paths_to_many; find_paths for one person), and
    may be a cheaper, longer chain. Searching every person's path would take a second per thousand people.
    """
    cid = nb.company(company).id if not isinstance(company, int) else company
    rows = nb.people_of_company(cid)
    me = next((r["id"] for r in rows if r["is_me"]), None)
    if me is None:
        mine = nb.me()
        me = mine.id if mine else None
    people = [
        Ranked(
            person_id=r["id"],
            name=r["name"],
            slug=r["slug"],
            current=bool(r["current"]),
            left=r["left"],
            approach_status=r["approach_status"],
            priority=r["priority"],
            is_me=bool(r["is_me"]),
            warmth=None,
        )
        for r in rows
    ]
    later = {p.person_id for p in people if not p.current and not p.priority and not p.is_me}
    now = [p.person_id for p in people if p.person_id not in later]
    warmth = near_costs(nb, me, now, today) if me is not None else {}
    for p in people:
        p.warmth = warmth.get(p.person_id)
    people.sort(key=lambda p: p.key)
    return PeopleRanking(cid, me, people, None if me is not None else NO_ME, today, later if me is not None else set())


@dataclass
class PersonRow:
    """One row of the People tab."""

    person_id: int
    name: str
    slug: str
    current: bool
    left: str | None
    is_me: bool
    approach_status: str | None
    priority: int | None
    title: str | None
    unit: str | None
    since: str | None
    warmth: float | None
    path: WarmPath | None = None  # the warmest path found from me (None: none found, or this is me)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "path"}
        out["path"] = self.path.to_dict() if self.path else None
        return out


@dataclass
class PeoplePage:
    rows: list[PersonRow]
    offset: int
    total: int
    current: int
    former: int
    why_no_paths: str | None = None

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "total": self.total,
            "current": self.current,
            "former": self.former,
            "why_no_paths": self.why_no_paths,
            "rows": [r.to_dict() for r in self.rows],
        }


def people_page(
    nb: Notebook, ranking: PeopleRanking, offset: int = 0, limit: int = PEOPLE_PAGE, today: str | date | None = None
) -> PeoplePage:
    """Rows offset.. of a ranking, with each one's role there and the warmest path to them (one batched search
    for the page, paths.paths_to_many)."""
    ranking.rank_through(nb, offset + limit)
    chosen = ranking.people[offset : offset + limit]
    ids = [p.person_id for p in chosen]
    roles = nb.roles_at(ranking.company_id, ids)
    paths = paths_to_many(nb, ranking.me_id, ids, ranking.today) if ranking.me_id is not None else {}
    rows = []
    for p in chosen:
        role = roles.get(p.person_id)
        found = paths.get(p.person_id)
        rows.append(
            PersonRow(
                person_id=p.person_id,
                name=p.name,
                slug=p.slug,
                current=p.current,
                left=p.left,
                is_me=p.is_me,
                approach_status=p.approach_status,
                priority=p.priority,
                title=role.title if role else None,
                unit=role.org_unit if role else None,
                since=role.start if role else None,
                warmth=p.warmth,
                path=found[1] if found else None,
            )
        )
    return PeoplePage(rows, offset, len(ranking.people), ranking.current, ranking.former, ranking.why_no_paths)


def people(
    nb: Notebook, company: int | str, limit: int = PEOPLE_PAGE, today: str | date | None = None
) -> tuple[PeopleRanking, PeoplePage]:
    """The People tab's first `limit` rows, and the ranking the next pages come from."""
    ranking = rank_people(nb, company, today)
    return ranking, people_page(nb, ranking, 0, limit, today)


# -- careers, organisation, vocabulary, notes ------------------------------------------


def careers(nb: Notebook, company: int | str) -> CareerFlows:
    """Everyone's passage through the company: where they came from, where they went."""
    cid = nb.company(company).id if not isinstance(company, int) else company
    return company_flows(cid, nb.positions_of_people_at(cid))


def _step(p: Position | None) -> dict[str, Any] | None:
    """A position in a career move, without what the move already says (whose, which ids)."""
    if p is None:
        return None
    return {"company": p.company_name, "company_slug": p.company_slug, "title": p.title, "function": p.function,
            "unit": p.org_unit, "start": p.start, "end": p.end}  # fmt: skip


def careers_dict(flows: CareerFlows) -> dict[str, Any]:
    """The Career paths tab as JSON: counts in and out, then each passage (thousands at a big company)."""
    return {
        "came_from": [{"company": name, "people": n} for name, n in flows.came_from],
        "left_to": [{"company": name, "people": n} for name, n in flows.left_to],
        "moves": [
            {
                "person_id": m.person_id,
                "person_name": m.person_name,
                "person_slug": m.person_slug,
                "here": _step(m.stint),
                "before": _step(m.before),
                "after": _step(m.after),
            }
            for m in flows.moves
        ],
    }


def organisation(nb: Notebook, company: int | str) -> list[OrgUnit]:
    """The company's units as a forest, each with the people in it now."""
    return nb.org_tree(company)


def vocabulary(nb: Notebook, company: int | str) -> list[Term]:
    return nb.terms(company)


def notes(nb: Notebook, company: int | str) -> list[Note]:
    return nb.notes(company=company)


# -- the whole dossier -------------------------------------------------------------------

# Each tab's part, computed alone: the TUI loads a tab with PARTS[tab](nb, company_id).
PARTS: dict[str, Callable[[Notebook, int], Any]] = {
    "overview": overview,
    "news": news_summary,
    "people": people,
    "careers": careers,
    "org": organisation,
    "vocabulary": vocabulary,
    "notes": notes,
}


@dataclass
class Dossier:
    company: Company
    overview: Overview
    news: NewsSummary
    ranking: PeopleRanking
    people: PeoplePage
    careers: CareerFlows
    organisation: list[OrgUnit]
    vocabulary: list[Term]
    notes: list[Note]
    positions: list[Position] = field(default_factory=list)  # every position held there, current first
    in_the_news: list[dict[str, Any]] = field(default_factory=list)  # other feeds' items naming it, newest first

    def to_dict(self) -> dict[str, Any]:
        """The keys `company show --json` always had (the company's fields, people, former, feeds, terms,
        notes), then one per tab."""
        return {
            **self.company.to_dict(),
            "people": [p.to_dict() for p in self.positions if p.current],
            "former": [p.to_dict() for p in self.positions if not p.current],
            "feeds": [f.to_dict() for f in self.news.feeds],
            "terms": [t.to_dict() for t in self.vocabulary],
            "notes": [n.to_dict() for n in self.notes],
            "overview": self.overview.to_dict(),
            "news": self.news.to_dict(),
            "ranked_people": self.people.to_dict(),
            "careers": careers_dict(self.careers),
            "organisation": [_dict(u) for u in self.organisation],
            "in_the_news": self.in_the_news,
        }


def company_dossier(
    nb: Notebook, company: int | str, people_limit: int = PEOPLE_PAGE, today: str | date | None = None
) -> Dossier:
    """Everything the dossier shows, every tab at once (the People tab's first `people_limit` rows)."""
    c = nb.company(company)
    ranking, page = people(nb, c.id, people_limit, today)
    return Dossier(
        company=c,
        overview=overview(nb, c.id),
        news=news_summary(nb, c.id),
        ranking=ranking,
        people=page,
        careers=careers(nb, c.id),
        organisation=organisation(nb, c.id),
        vocabulary=vocabulary(nb, c.id),
        notes=notes(nb, c.id),
        positions=nb.positions_at(c.id),
        in_the_news=nb.news_naming(company=c.id),
    )
