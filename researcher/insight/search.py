"""What a search finds, as both faces show it: the TUI's ctrl+f and `researcher search`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from researcher.insight.notes import first_line

if TYPE_CHECKING:
    from researcher.store import Notebook

# What a note is about, as a reader names it.
SUBJECT_KINDS = {"company": "company", "person": "person", "news": "news item"}


@dataclass
class SearchHit:
    """One hit: its kind (company, person, news, note, term), what was found and a detail line.

    A note's title is its first line (Markdown marks off) and its detail says what it is about:
    "on <subject> (<company, person or news item>)". company_id, person_id and news_item_id say where
    the hit is shown: a company's dossier (a news item: its News tab), a person's page.
    """

    kind: str
    id: int
    title: str
    detail: str
    subject: str | None = None
    subject_kind: str | None = None
    company_id: int | None = None
    person_id: int | None = None
    news_item_id: int | None = None
    rank: float = 0.0

    @property
    def subject_label(self) -> str:
        """A note's subject kind as a reader names it ("news item")."""
        return SUBJECT_KINDS.get(self.subject_kind or "", "unknown")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def search(nb: Notebook, query: str, limit: int = 50) -> list[SearchHit]:
    """The hits of a full-text search over everything (Notebook.search), best first."""
    hits = []
    for row in nb.search(query, limit=limit):
        hit = SearchHit(**{key: row[key] for key in SearchHit.__dataclass_fields__ if key in row})
        if hit.kind == "note":
            hit.title = first_line(hit.title)
            hit.detail = f"on {hit.subject or '?'} ({hit.subject_label})"
        hits.append(hit)
    return hits
