"""Queries behind the research views across companies: the sectors, and the companies the notebook's careers and
news point to that it does not track yet (insight/discovery.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class DiscoveryQueries:
    """Mixed into Notebook; uses its _rows helper."""

    def companies_for_sectors(self) -> list[dict[str, Any]]:
        """Every company: id, name, slug, status, sector and its unread items, by name."""
        return self._rows(  # type: ignore[attr-defined]
            "SELECT c.id, c.name, c.slug, c.status, c.sector,"
            " (SELECT count(*) FROM news_items n WHERE n.company_id = c.id AND n.read = 0 AND n.deleted = 0) AS unread"
            " FROM companies c ORDER BY c.name_key, c.id"
        )

    def people_now_by_sector(self) -> dict[str, int]:
        """How many people work now at the companies of each sector (by its folded spelling)."""
        rows = self._rows(  # type: ignore[attr-defined]
            "SELECT fold(c.sector) AS key, count(DISTINCT p.person_id) AS n FROM positions p"
            ' JOIN companies c ON c.id = p.company_id WHERE p."end" IS NULL GROUP BY fold(c.sector)'
        )
        return {r["key"]: r["n"] for r in rows}

    def tracked_stints(self) -> list[dict[str, Any]]:
        """Every position at a tracked company: person_id, start, end, company (its name), sector."""
        return self._rows(  # type: ignore[attr-defined]
            'SELECT p.person_id, p.start, p."end", c.name AS company, c.sector FROM positions p'
            " JOIN companies c ON c.id = p.company_id"
        )

    def untracked_stints(self) -> list[dict[str, Any]]:
        """Every position of someone other than me at a company the notebook does not track: person_id,
        company_name, title, start, end, and the person's name and slug."""
        return self._rows(  # type: ignore[attr-defined]
            'SELECT p.person_id, p.company_name, p.title, p.start, p."end", pe.name, pe.slug FROM positions p'
            " JOIN people pe ON pe.id = p.person_id WHERE p.company_id IS NULL AND pe.is_me = 0"
        )

    def organisations_in_news(self) -> list[dict[str, Any]]:
        """Each organisation with a legal form named in an item (not deleted), with the item and its company:
        org_key, org, id, title, published, fetched_at, company, sector."""
        return self._rows(  # type: ignore[attr-defined]
            "SELECT o.org_key, o.name AS org, n.id, n.title, n.published, n.fetched_at, c.name AS company, c.sector"
            " FROM news_orgs o JOIN news_items n ON n.id = o.news_item_id JOIN companies c ON c.id = n.company_id"
            " WHERE n.deleted = 0"
        )

    def items_with_company(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """The items with these ids, not deleted: id, title, published, fetched_at, company, sector."""
        wanted = list(ids)
        out: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            out += self._rows(  # type: ignore[attr-defined]
                "SELECT n.id, n.title, n.published, n.fetched_at, c.name AS company, c.sector FROM news_items n"
                f" JOIN companies c ON c.id = n.company_id WHERE n.deleted = 0 AND n.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        return out
