"""Queries behind career-path studies: who holds or held a role, and what came before."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.models import Position
from researcher.store.schema import FUNCTIONS
from researcher.text import clean_line, fold

_PATH_ORDER = " ORDER BY pos.person_id, pos.start IS NULL, pos.start, ifnull(pos.\"end\", '9999-99'), pos.id"

# Joining words left out of a title query, so "VP of Engineering" finds "VP Engineering"
# (kept when a query has nothing else).
_FILLER = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "et",
        "und",
        "fur",
        "der",
        "die",
        "das",
        "del",
    }
)
_WORD = re.compile(r"\w+")


def role_words(text: str | None) -> list[str]:
    """The folded words of a title query: "Head of Produit" -> ["head", "produit"]."""
    words = _WORD.findall(fold(clean_line(text)))
    kept = [w for w in words if w not in _FILLER]
    return kept or words


def title_has_words(title: str, words: Iterable[str]) -> bool:
    """Whether every word is a whole word of the title, case and accents aside."""
    have = set(_WORD.findall(fold(title)))
    return all(w in have for w in words)


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CareerQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""

    def role_positions(
        self,
        title_words: str | None = None,
        function: str | None = None,
        company: str | int | None = None,
    ) -> list[Position]:
        """Positions that match a role: every title word (whole words, case- and accent-insensitive)
        and/or the function, optionally at one tracked company. Ordered by person, oldest first.
        """
        words = role_words(title_words)
        wanted_function = v.choice(function, FUNCTIONS, "function")
        if not words and not wanted_function:
            raise Invalid("say which role: give title words, a function, or both")
        where: list[str] = []
        params: list[Any] = []
        if company is not None:
            where.append("pos.company_id = ?")
            params.append(self._resolve("companies", company, "company")["id"])
        if wanted_function:
            where.append("pos.function = ?")
            params.append(wanted_function)
        for word in words:
            # A coarse filter in SQL; the whole-word check below refines it. LIKE already ignores
            # ASCII case, so only titles with other characters pay for a call to fold().
            where.append(
                "(CASE WHEN pos.title GLOB '*[^ -~]*' THEN fold(pos.title) ELSE pos.title END) LIKE ? ESCAPE '\\'"
            )
            params.append(_like(word))
        rows = self._rows(self._POSITION_SELECT + " WHERE " + " AND ".join(where) + _PATH_ORDER, params)
        positions = [Position.from_row(r) for r in rows]
        if words:
            positions = [p for p in positions if title_has_words(p.title, words)]
        return positions

    def career_paths_of(self, person_ids: Iterable[int]) -> dict[int, list[Position]]:
        """Every position of each person, oldest first (unknown start last), in one query."""
        ids = sorted({int(i) for i in person_ids})
        if not ids:
            return {}
        # One JSON parameter instead of one per id: no limit on how many people are asked for.
        sql = self._POSITION_SELECT + " WHERE pos.person_id IN (SELECT value FROM json_each(?))" + _PATH_ORDER
        rows = self._rows(sql, [json.dumps(ids)])
        paths: dict[int, list[Position]] = {i: [] for i in ids}
        for row in rows:
            paths[row["person_id"]].append(Position.from_row(row))
        return paths
