"""Sectors and discovery: each sector's tracked companies, people and unread news; the companies not tracked yet
that the notebook's careers and news keep naming, ranked by how often and how recently, with the evidence."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from researcher import clock
from researcher.store.mentions import READ_BUDGET, NameMatcher, name_forms, org_key
from researcher.store.notebook import Notebook
from researcher.store.schema import COMPANY_STATUSES
from researcher.text import clean_line, fold

# How much a piece of evidence (a person who worked there, an item naming it) counts: at least FLOOR, however
# old (how often), plus up to 1 - FLOOR for how recent it is, halved every HALF_LIFE_DAYS (how recently).
FLOOR = 0.25
HALF_LIFE_DAYS = 730
NEWS_CHECKED = 100  # career names whose mentions in the news are looked for (the strongest by career evidence)
EVIDENCE_SHOWN = 25  # people and items listed per company


# -- sectors ---------------------------------------------------------------------------------------------------


@dataclass
class SectorSummary:
    sector: str | None  # None: companies with no sector
    companies: dict[str, list[dict[str, Any]]]  # by pipeline status, in pipeline order
    company_count: int
    people: int  # people working at its companies now
    unread: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sectors(nb: Notebook) -> list[SectorSummary]:
    """Every sector of the tracked companies: its companies by pipeline status, its people now, its unread news."""
    rows = nb.companies_for_sectors()
    people = nb.people_now_by_sector()
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    spellings: dict[str | None, Counter] = defaultdict(Counter)
    for row in rows:
        key = fold(row["sector"]) if row["sector"] and row["sector"].strip() else None
        groups[key].append(row)
        spellings[key][row["sector"]] += 1
    out = []
    for key, members in groups.items():
        by_status: dict[str, list[dict[str, Any]]] = {}
        for status in COMPANY_STATUSES:
            chosen = [
                {"id": m["id"], "name": m["name"], "slug": m["slug"], "unread": m["unread"]}
                for m in members
                if m["status"] == status
            ]
            if chosen:
                by_status[status] = chosen
        name = spellings[key].most_common(1)[0][0] if key is not None else None
        out.append(SectorSummary(name, by_status, len(members), people.get(key, 0), sum(m["unread"] for m in members)))
    out.sort(key=lambda s: (s.sector is None, (s.sector or "").casefold()))
    return out


# -- discovery -------------------------------------------------------------------------------------------------


@dataclass
class Discovered:
    name: str  # as the notebook spells it most often
    key: str  # its org key: the name's words without the legal form
    score: float  # each piece of evidence counts 1, halved for each year of its age
    people_count: int
    items_count: int
    last_seen: str | None  # the most recent month or day of its evidence
    sector: str | None  # inferred: the sector most of the companies it connects to are in
    sectors: list[tuple[str, int]]  # every sector it connects to, with how many pieces of evidence
    people: list[dict[str, Any]] = field(default_factory=list)  # who worked there, and how (came from / left to)
    items: list[dict[str, Any]] = field(default_factory=list)  # tracked companies' news naming it

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sectors"] = [list(pair) for pair in self.sectors]
        return out


@dataclass
class _Candidate:
    spellings: Counter = field(default_factory=Counter)
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    sectors: Counter = field(default_factory=Counter)


def _weight(when: str | None, today: date) -> float:
    if not when:
        return FLOOR  # undated evidence: counts like an old piece
    try:
        day = date.fromisoformat(when[:10]) if len(when) >= 10 else date.fromisoformat(when[:7] + "-15")
    except ValueError:
        return FLOOR
    age = max(0, (today - day).days)
    return FLOOR + (1 - FLOOR) * 0.5 ** (age / HALF_LIFE_DAYS)


def _relation(stint: dict[str, Any], tracked: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """How an untracked stint relates to the person's stints at tracked companies: came from (it ended before one
    began), left to (it began after one ended), or worked there; with the tracked stints it relates to."""
    came = [t for t in tracked if stint["end"] and t["start"] and stint["end"] <= t["start"]]
    if came:
        return "came from", came
    left = [t for t in tracked if t["end"] and stint["start"] and stint["start"] >= t["end"]]
    if left:
        return "left to", left
    return "worked there", tracked


def discover(
    nb: Notebook, sector: str | None = None, today: date | None = None, limit: int | None = 50
) -> list[Discovered]:
    """Companies the notebook does not track but that tracked people worked at (where they came from, where they
    left to) or that tracked companies' news names, best first; `sector` keeps those connected to that sector."""
    today = today or clock.today()
    if not nb.read_only_reason:
        nb.link_mentions(budget=READ_BUDGET)
    tracked_keys = nb._company_keys()
    candidates: dict[str, _Candidate] = defaultdict(_Candidate)
    stints: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in nb.tracked_stints():
        stints[row["person_id"]].append(row)
    for row in nb.untracked_stints():
        key = org_key(row["company_name"])
        if not key or key in tracked_keys:
            continue
        candidate = candidates[key]
        candidate.spellings[row["company_name"]] += 1
        relation, related = _relation(row, stints.get(row["person_id"], []))
        when = row["start"] if relation == "left to" else row["end"] or row["start"]
        if relation == "worked there" and row["end"] is None:
            when = today.isoformat()
        evidence = {
            "person_id": row["person_id"],
            "name": row["name"],
            "slug": row["slug"],
            "relation": relation,
            "title": row["title"],
            "start": row["start"],
            "end": row["end"],
            "tracked": sorted({t["company"] for t in related}),
            "when": when,
        }
        known = candidate.people.get(row["person_id"])
        if known is None or (when or "") > (known["when"] or ""):
            candidate.people[row["person_id"]] = evidence
        candidate.sectors.update(t["sector"] for t in related if t["sector"])
    _news_evidence(nb, candidates, tracked_keys)
    found = [_ranked(key, c, today) for key, c in candidates.items()]
    if sector and sector.strip():
        wanted = fold(clean_line(sector))
        found = [d for d in found if any(fold(s) == wanted for s, _ in d.sectors)]
    found.sort(key=lambda d: (-d.score, -(d.people_count + d.items_count), d.name.casefold()))
    return found[:limit] if limit else found


def _news_evidence(nb: Notebook, candidates: dict[str, _Candidate], tracked_keys: set[str] | frozenset[str]) -> None:
    """The tracked companies' news items naming each candidate: organisations with a legal form found when the
    items were stored, and the strongest career names looked up in the full-text index."""
    for row in nb.organisations_in_news():
        if row["org_key"] in tracked_keys:
            continue
        candidate = candidates[row["org_key"]]
        candidate.spellings[row["org"]] += 0  # a spelling, counted after the careers' own
        _add_item(candidate, row)
    strongest = sorted(candidates, key=lambda k: -len(candidates[k].people))[:NEWS_CHECKED]
    forms = []
    keys = {}
    for index, key in enumerate(strongest):
        if not candidates[key].people:
            continue
        keys[index] = key
        name = candidates[key].spellings.most_common(1)[0][0]
        forms += name_forms("company", index, name)
    if not forms:
        return
    matcher = NameMatcher(forms)
    hits: dict[int, set[str]] = defaultdict(set)
    for item_id, _company_id, title, summary in nb._candidates(forms):
        for _kind, index in matcher.find(f"{title}\n{summary}"):
            hits[item_id].add(keys[index])
    for row in nb.items_with_company(sorted(hits)):
        for key in hits[row["id"]]:
            _add_item(candidates[key], row)


def _add_item(candidate: _Candidate, row: dict[str, Any]) -> None:
    if row["id"] in candidate.items:
        return
    candidate.items[row["id"]] = {
        "id": row["id"],
        "title": row["title"],
        "company": row["company"],
        "published": row["published"],
        "when": row["published"] or row["fetched_at"],
    }
    if row["sector"]:
        candidate.sectors[row["sector"]] += 1


def _ranked(key: str, candidate: _Candidate, today: date) -> Discovered:
    people = sorted(candidate.people.values(), key=lambda e: e["when"] or "", reverse=True)
    items = sorted(candidate.items.values(), key=lambda e: e["when"] or "", reverse=True)
    score = sum(_weight(e["when"], today) for e in people) + sum(_weight(e["when"], today) for e in items)
    whens = [e["when"] for e in people + items if e["when"]]
    by_sector = sorted(candidate.sectors.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    name = candidate.spellings.most_common(1)[0][0] if candidate.spellings else key
    return Discovered(
        name=name,
        key=key,
        score=round(score, 3),
        people_count=len(people),
        items_count=len(items),
        last_seen=max(whens)[:10] if whens else None,
        sector=by_sector[0][0] if by_sector else None,
        sectors=by_sector,
        people=people[:EVIDENCE_SHOWN],
        items=items[:EVIDENCE_SHOWN],
    )


def track(nb: Notebook, name: str, sector: str | None = None, today: date | None = None) -> dict[str, Any]:
    """Turn a discovered name into a tracked company: the positions and news items naming it link to it, and its
    sector, when not given, is the one discovery infers."""
    given = sector if sector and sector.strip() else None
    inferred = None
    if given is None:
        key = org_key(clean_line(name))
        inferred = next((d.sector for d in discover(nb, limit=None, today=today) if d.key == key), None)
    company, counts = nb.track_organisation(name, sector=given or inferred)
    return {"company": company.to_dict(), **counts, "sector_inferred": given is None and inferred is not None}
