"""Queries behind warm paths: relationships and shared history as graph edges."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

# Every edge query answers rows of the same shape:
#   a, b            the person the row was found from, and the other person
#   kind            knows | worked_with | introduced_by (declared) | worked_together (computed)
#   strength, how   declared links only
#   forward         introduced_by only: 1 when a is the one who was introduced by b
#   company_id, company, since, until
#                   worked_together only: where, and the months both were there
#                   (until NULL: both are still there)
#
# Dates are YYYY-MM text, so they compare as strings. A position with an open end
# lasts until :today; one with an unknown start overlaps nobody; one at an untracked
# company (company_id NULL) links nobody. Months are inclusive: a stint ending 2019-03
# overlaps one starting 2019-03.

_ROW = """a, b, kind, strength, how, forward, company_id, since, until"""

_DECLARED = """
    SELECT r.person_id AS a, r.other_id AS b, r.kind, r.strength, r.how, 1 AS forward,
           NULL AS company_id, NULL AS since, NULL AS until
    FROM relationships r WHERE r.person_id IN (SELECT pid FROM {ids})
    UNION ALL
    SELECT r.other_id, r.person_id, r.kind, r.strength, r.how, 0, NULL, NULL, NULL
    FROM relationships r WHERE r.other_id IN (SELECT pid FROM {ids})
"""

# The stints of a set of people that can overlap anybody's.
_STINTS = """
    SELECT id, person_id, company_id, start, ifnull("end", :today) AS fin, "end" AS stop
    FROM positions
    WHERE person_id IN (SELECT pid FROM {ids}) AND company_id IS NOT NULL AND start IS NOT NULL
"""

# One row per pair of overlapping stints (m: ours, q: theirs).
_PAIR = """
    SELECT m.person_id AS a, q.person_id AS b, 'worked_together' AS kind, NULL AS strength,
           NULL AS how, NULL AS forward, m.company_id,
           max(m.start, q.start) AS since,
           nullif(min(ifnull(m.stop, '9999-99'), ifnull(q."end", '9999-99')), '9999-99') AS until
"""

# Colleagues, capped. A stint at a company of thousands overlaps thousands of others,
# and fetching them all (then their colleagues) is what would make a big notebook slow;
# being there at the same time says little about knowing each other there anyway. So
# each stint keeps about :cap people on each side of its start -- its "cohort", the
# colleagues one is likeliest to have met: the last ones who joined before it and were
# still there, and the first ones who joined during it. Two scalar subqueries walk the
# (company_id, start) index from the stint's start and stop at the :cap-th such
# colleague; the join then takes the index range up to that month (everyone who joined
# in that last month too, so "about" :cap). Neither grows with the size of the company.
# Below the cap (at any company of ordinary size) every overlapping colleague is there.
# Links between the people a search cares most about are not capped: see links_between.
_COHORT = """
    SELECT m.*,
      (SELECT x.start FROM positions x
       WHERE x.company_id = m.company_id AND x.start >= m.start AND x.start <= m.fin
         AND x.person_id <> m.person_id
       ORDER BY x.start LIMIT 1 OFFSET :cap - 1) AS upto,
      (SELECT x.start FROM positions x
       WHERE x.company_id = m.company_id AND x.start < m.start AND ifnull(x."end", :today) >= m.start
         AND x.person_id <> m.person_id
       ORDER BY x.start DESC LIMIT 1 OFFSET :cap - 1) AS downto
    FROM {stints} m
"""

_CAPPED_SHARED = (
    _PAIR
    + """
    FROM {cohort} m JOIN positions q
      ON q.company_id = m.company_id AND q.start >= m.start AND q.start <= ifnull(m.upto, m.fin)
     AND q.person_id <> m.person_id
    UNION ALL
"""
    + _PAIR
    + """
    FROM {cohort} m JOIN positions q
      ON q.company_id = m.company_id AND q.start >= ifnull(m.downto, '0000-00') AND q.start < m.start
     AND ifnull(q."end", :today) >= m.start AND q.person_id <> m.person_id
"""
)


# Every link between two sets of people (a: left, b: right), uncapped.
_EXACT = (
    "SELECT * FROM ("
    + _DECLARED.format(ids="{lids}")
    + ") WHERE b IN (SELECT pid FROM {rids})"
    + """
    UNION ALL
    SELECT m.person_id AS a, q.person_id AS b, 'worked_together', NULL, NULL, NULL, m.company_id,
           max(m.start, q.start),
           nullif(min(ifnull(m.stop, '9999-99'), ifnull(q.stop, '9999-99')), '9999-99')
    FROM {lstints} m JOIN {rstints} q
      ON q.company_id = m.company_id AND q.start <= m.fin AND q.fin >= m.start AND q.person_id <> m.person_id
"""
)


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted({int(v) for v in values}))


class GraphQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""

    def _edge_rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run an edge query and name the companies of its shared-history rows."""
        return self._rows(  # type: ignore[attr-defined]
            f"SELECT e.*, c.name AS company FROM ({sql}) e LEFT JOIN companies c ON c.id = e.company_id", params
        )

    def neighbours(self, person_ids: Iterable[int], today: str, cap: int = 20) -> list[dict[str, Any]]:
        """Everyone linked to these people: declared relationships both ways, and the colleagues
        whose stints at the same tracked company overlapped theirs (about `cap` each side of a
        stint's start, see _COHORT). `today` (YYYY-MM) closes the open stints."""
        sql = f"""
            WITH ids(pid) AS (SELECT value FROM json_each(:ids)),
                 stints AS MATERIALIZED ({_STINTS.format(ids="ids")}),
                 cohort AS MATERIALIZED ({_COHORT.format(stints="stints")})
            {_DECLARED.format(ids="ids")}
            UNION ALL
            {_CAPPED_SHARED.format(cohort="cohort")}
        """
        return self._edge_rows(sql, {"ids": _ids(person_ids), "today": today, "cap": cap})

    def common_neighbours(
        self, left_ids: Iterable[int], right_ids: Iterable[int], today: str, cap: int = 5
    ) -> list[dict[str, Any]]:
        """The middle of me-A-B-C-target chains: the people B linked to someone on each side
        (contacts, or colleagues capped as in neighbours()), with those links. The intersection
        is done in SQL so that only the useful rows come back. (Checking one side's candidates
        exactly against the other side instead floods: thousands of pairs at a big company.)"""
        sql = f"""
            WITH lids(pid) AS (SELECT value FROM json_each(:left)),
                 rids(pid) AS (SELECT value FROM json_each(:right)),
                 lstints AS MATERIALIZED ({_STINTS.format(ids="lids")}),
                 rstints AS MATERIALIZED ({_STINTS.format(ids="rids")}),
                 lcohort AS MATERIALIZED ({_COHORT.format(stints="lstints")}),
                 rcohort AS MATERIALIZED ({_COHORT.format(stints="rstints")}),
                 lnb AS MATERIALIZED ({_DECLARED.format(ids="lids")} UNION ALL
                                      {_CAPPED_SHARED.format(cohort="lcohort")}),
                 rnb AS MATERIALIZED ({_DECLARED.format(ids="rids")} UNION ALL
                                      {_CAPPED_SHARED.format(cohort="rcohort")}),
                 mid(pid) AS MATERIALIZED (SELECT DISTINCT b FROM rnb WHERE b IN (SELECT b FROM lnb))
            SELECT {_ROW} FROM lnb WHERE b IN (SELECT pid FROM mid)
            UNION ALL
            SELECT {_ROW} FROM rnb WHERE b IN (SELECT pid FROM mid)
        """
        return self._edge_rows(sql, {"left": _ids(left_ids), "right": _ids(right_ids), "today": today, "cap": cap})

    def links_between(
        self, left_ids: Iterable[int], right_ids: Iterable[int], today: str, plain: bool = False
    ) -> list[dict[str, Any]] | list[tuple]:
        """Every link, uncapped, between someone in one set and someone in the other: declared,
        or stints that overlapped at the same tracked company. Both sides are small, so the
        join runs from their own stints (an automatic index on the right side's stints).
        `plain`: tuples (a, b, kind, strength, how, forward, company_id, since, until), as _ROW names them."""
        left, right = _ids(left_ids), _ids(right_ids)
        # The bigger side's stints are read only at the companies of the smaller side's: me against the 13,000
        # people around a big company's 300 (the Org tab's search) read 50,000 stints for 556 links; 0.07 s,
        # now 0.03 s. A stint elsewhere overlaps nobody on the other side: the rows are the same.
        small, big = ("l", "r") if len(left) <= len(right) else ("r", "l")
        stints = {
            small: f"{small}stints AS MATERIALIZED ({_STINTS.format(ids=small + 'ids')})",
            big: f"{big}stints AS MATERIALIZED ({_STINTS.format(ids=big + 'ids')}"
            f" AND company_id IN (SELECT company_id FROM {small}stints))",
        }
        sql = f"""
            WITH lids(pid) AS (SELECT value FROM json_each(:left)),
                 rids(pid) AS (SELECT value FROM json_each(:right)),
                 {stints[small]},
                 {stints[big]}
            {_EXACT.format(lids="lids", rids="rids", lstints="lstints", rstints="rstints")}
        """
        params = {"left": left, "right": right, "today": today}
        if plain:  # tuples in the order of _ROW, without the company's name: a dict a row costs more than the query
            return self.db.conn.execute(sql, params).fetchall()  # type: ignore[attr-defined]
        return self._edge_rows(sql, params)

    def company_sizes(self, company_ids: Iterable[int]) -> dict[int, int]:
        """How many stints the notebook knows at each company, past and present: roughly its size.
        (A count per company from the index; count(DISTINCT person) costs four times more.)"""
        rows = self._rows(  # type: ignore[attr-defined]
            "SELECT value AS id, (SELECT count(*) FROM positions WHERE company_id = value) AS n FROM json_each(?)",
            [_ids(company_ids)],
        )
        return {r["id"]: r["n"] for r in rows}

    def person_names(self, person_ids: Iterable[int]) -> dict[int, str]:
        rows = self._rows(  # type: ignore[attr-defined]
            "SELECT id, name FROM people WHERE id IN (SELECT value FROM json_each(?))", [_ids(person_ids)]
        )
        return {r["id"]: r["name"] for r in rows}

    def career_anchor(self, person_id: int) -> dict[str, Any] | None:
        """The company a person is at (their latest open stint), else the one they were at last."""
        return self._one(  # type: ignore[attr-defined]
            """
            SELECT p.company_id, ifnull(c.name, p.company_name) AS company_name, p."end" IS NULL AS current
            FROM positions p LEFT JOIN companies c ON c.id = p.company_id
            WHERE p.person_id = ?
            ORDER BY p."end" IS NULL DESC, ifnull(p."end", '') DESC, ifnull(p.start, '') DESC, p.id DESC
            LIMIT 1
            """,
            [person_id],
        )

    def people_at_company(
        self, company_id: int | None, company_name: str, exclude: Iterable[int] = (), limit: int = 50
    ) -> list[dict[str, Any]]:
        """People who are (current = 1) or were at a company: the tracked one by id, an untracked
        one by its name. Current people first, then the most recent leavers."""
        if company_id is not None:
            where = "pos.company_id = :cid"
        else:
            where = "pos.company_id IS NULL AND pos.company_name = :cname"
        return self._rows(  # type: ignore[attr-defined]
            f"""
            SELECT pos.person_id AS id, pe.name AS name, max(pos."end" IS NULL) AS current,
                   max(ifnull(pos."end", '9999-99')) AS last
            FROM positions pos JOIN people pe ON pe.id = pos.person_id
            WHERE {where} AND pos.person_id NOT IN (SELECT value FROM json_each(:exclude))
            GROUP BY pos.person_id
            ORDER BY current DESC, last DESC, pe.name_key, pe.id
            LIMIT :limit
            """,
            {"cid": company_id, "cname": company_name, "exclude": _ids(exclude), "limit": limit},
        )
