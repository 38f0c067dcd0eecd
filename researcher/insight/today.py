"""Today: what changed since the last visit — news of the companies in play, follow-ups due and overdue, people
named in the news, terms to drill. The Today screen and `researcher today` show this one dataclass."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from researcher.insight.activity import job_change
from researcher.insight.vocabulary import drill_order
from researcher.store import validate as v
from researcher.store.mentions import READ_BUDGET
from researcher.store.news import PIPELINE
from researcher.store.notebook import Notebook

FIRST_VISIT_DAYS = 7  # with no visit recorded, "since" is a week ago
NEWS_SHOWN = 50
PEOPLE_SHOWN = 30
ITEMS_PER_PERSON = 5
TERMS_SHOWN = 10
JOB_CHANGES_SHOWN = 50

_VISIT_AT, _VISIT_ITEM = "today_last_visit", "today_last_item"


@dataclass
class Today:
    now: str
    since: str  # the last visit (or a week ago at the first)
    first_visit: bool
    news: list[dict[str, Any]] = field(default_factory=list)  # new items of target/applied/interviewing companies
    news_total: int = 0
    overdue: list[dict[str, Any]] = field(default_factory=list)  # follow-ups whose date has passed
    due_today: list[dict[str, Any]] = field(default_factory=list)
    people_in_news: list[dict[str, Any]] = field(default_factory=list)  # each with the new items naming them
    people_in_news_total: int = 0
    terms_to_drill: list[dict[str, Any]] = field(default_factory=list)  # missed last time, or never drilled
    terms_to_drill_total: int = 0
    job_changes: list[dict[str, Any]] = field(default_factory=list)  # seen by an import since the visit

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def today_view(nb: Notebook, now: datetime | None = None) -> Today:
    """Everything new since the last visit (see mark_visit), as of `now`."""
    now = now or datetime.now(UTC)
    last_at, last_item = nb.setting(_VISIT_AT), nb.setting(_VISIT_ITEM)
    first = last_at is None
    since = last_at or _stamp(now - timedelta(days=FIRST_VISIT_DAYS))
    if not nb.read_only_reason:
        nb.link_mentions(budget=READ_BUDGET)
    # New to the reader: stored since the visit (items get ever larger ids), whatever date the feed gives them.
    after_id = int(last_item) if last_item is not None and last_item.isdigit() else None
    view = Today(_stamp(now), since, first)
    view.news_total, view.news = nb.pipeline_news_since(after_id, since, NEWS_SHOWN)
    day = now.date().isoformat()
    for row in nb.follow_ups_due(day):
        (view.due_today if row["next_action_at"] == day else view.overdue).append(row)
    _people_in_news(nb, view, after_id, since)
    view.job_changes = [{**e, "text": job_change(e)} for e in nb.career_events(limit=JOB_CHANGES_SHOWN, since=since)]
    cards = [c for c in drill_order(nb) if c.state != "known" and (c.company is None or c.company_status in PIPELINE)]
    view.terms_to_drill_total = len(cards)
    view.terms_to_drill = [c.to_dict() for c in cards[:TERMS_SHOWN]]
    return view


def _people_in_news(nb: Notebook, view: Today, after_id: int | None, since: str) -> None:
    people: dict[int, dict[str, Any]] = {}
    for row in nb.people_named_since(after_id, since):
        person = people.setdefault(
            row["person_id"],
            {"person_id": row["person_id"], "name": row["name"], "slug": row["slug"], "items": [], "item_count": 0},
        )
        person["item_count"] += 1
        if len(person["items"]) < ITEMS_PER_PERSON:
            person["items"].append(
                {"id": row["id"], "title": row["title"], "company": row["company"], "published": row["published"]}
            )
    ranked = sorted(people.values(), key=lambda p: (-p["item_count"], p["name"].casefold()))
    view.people_in_news_total = len(ranked)
    view.people_in_news = ranked[:PEOPLE_SHOWN]


def mark_visit(nb: Notebook, now: datetime | None = None) -> None:
    """Record a visit: the next Today starts from here."""
    last = nb.newest_item_id()
    with nb.atomic():
        nb.set_setting(_VISIT_AT, v.timestamp(_stamp(now or datetime.now(UTC)), "visit time"))
        nb.set_setting(_VISIT_ITEM, str(last))


def companies_in_play(nb: Notebook) -> int:
    """How many companies are target, applied or interviewing (Today is the first screen when any are)."""
    return nb.pipeline_company_count()
