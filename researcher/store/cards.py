"""Queries behind the vCard, Markdown and calendar exchanges: people by profile or name, every follow-up."""

from __future__ import annotations

from typing import Any

from slugify import slugify

from researcher.store.models import Person

PROFILE_COLUMNS = ("linkedin_url", "viadeo_url", "xing_url", "goldenline_url", "other_url")


class CardQueries:
    """Mixed into Notebook; uses its _rows helper and its person query."""

    def people_with_profile(self, url: str) -> list[Person]:
        """People with this profile URL on any network, oldest first."""
        where = " OR ".join(f"p.{column} = :url" for column in PROFILE_COLUMNS)
        rows = self._rows(self._PERSON_SELECT + f" WHERE {where} ORDER BY p.id", {"url": url})  # type: ignore[attr-defined]
        return [Person.from_row(r) for r in rows]

    def people_named(self, name: str) -> list[Person]:
        """People whose name folds to the same key (case, accents, punctuation aside), oldest first."""
        key = slugify(name)
        if key:
            rows = self._rows(self._PERSON_SELECT + " WHERE p.name_key = ? ORDER BY p.id", [key])  # type: ignore[attr-defined]
        else:
            rows = self._rows(self._PERSON_SELECT + " WHERE p.name = ? ORDER BY p.id", [name])  # type: ignore[attr-defined]
        return [Person.from_row(r) for r in rows]

    def follow_up_plan(self) -> list[dict[str, Any]]:
        """Every open approach with a next action date, a next step or a keep-in-touch cadence: the person (id,
        slug, name, created_at), status, priority, next_action_at, next_step, cadence_days, updated_at, their
        current company and title, and last_interaction. Closed approaches are left out; by name."""
        return self._rows(  # type: ignore[attr-defined]
            """SELECT p.id, p.slug, p.name, p.created_at, a.status, a.priority, a.next_action_at, a.next_step,
                      a.cadence_days, a.updated_at, cur.company_name AS company, cur.title AS title,
                      (SELECT max(at) FROM interactions i WHERE i.person_id = p.id) AS last_interaction
               FROM approach a JOIN people p ON p.id = a.person_id
               LEFT JOIN positions cur ON cur.id = (
                   SELECT id FROM positions WHERE person_id = p.id AND "end" IS NULL
                   ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1)
               WHERE a.status <> 'closed'
                 AND (a.next_action_at IS NOT NULL OR a.next_step IS NOT NULL OR a.cadence_days IS NOT NULL)
               ORDER BY p.name_key, p.id"""
        )
