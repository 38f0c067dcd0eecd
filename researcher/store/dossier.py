"""Queries behind the company dossier: who is or was at a company, in one pass each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from researcher.store.models import Position


class DossierQueries:
    """Mixed into Notebook; uses its _rows/_scalar helpers and its position query."""

    def people_of_company(self, company_id: int) -> list[dict[str, Any]]:
        """One row per person who is or was at a company: id, name, slug, name_key, is_me, current (1 while
        a position there is open), left (the month their last position there ended; None while current),
        approach_status and priority. In no particular order."""
        return self._rows(  # type: ignore[attr-defined]
            """
            SELECT pe.id, pe.name, pe.slug, pe.name_key, pe.is_me, h.current,
                   CASE WHEN h.current THEN NULL ELSE h.left_at END AS "left",
                   a.status AS approach_status, a.priority
            FROM (SELECT person_id, max("end" IS NULL) AS current, max("end") AS left_at
                  FROM positions WHERE company_id = ? GROUP BY person_id) h
            JOIN people pe ON pe.id = h.person_id
            LEFT JOIN approach a ON a.person_id = pe.id
            """,
            [company_id],
        )

    def roles_at(self, company_id: int, person_ids: Iterable[int]) -> dict[int, Position]:
        """Each person's role at a company: the open position there that started last, else the last one held."""
        rows = self._rows(  # type: ignore[attr-defined]
            self._POSITION_SELECT  # type: ignore[attr-defined]
            + " WHERE pos.company_id = ? AND pos.person_id IN (SELECT value FROM json_each(?))"
            " ORDER BY pos.\"end\" IS NULL, ifnull(pos.\"end\", ''), ifnull(pos.start, ''), pos.id",
            [company_id, json.dumps(sorted({int(p) for p in person_ids}))],
        )
        # Ordered so that the position kept last for each person is the one to show.
        return {row["person_id"]: Position.from_row(row) for row in rows}

    def count_former(self, company_id: int) -> int:
        """How many people worked at a company and hold no position there now."""
        return self._scalar(  # type: ignore[attr-defined]
            "SELECT count(*) FROM (SELECT person_id FROM positions WHERE company_id = ? GROUP BY person_id"
            ' HAVING max("end" IS NULL) = 0)',
            [company_id],
        )

    def count_terms(self, company_id: int) -> int:
        return self._scalar("SELECT count(*) FROM terms WHERE company_id = ?", [company_id])  # type: ignore[attr-defined]

    def count_company_feeds(self, company_id: int) -> int:
        return self._scalar("SELECT count(*) FROM feeds WHERE company_id = ?", [company_id])  # type: ignore[attr-defined]
