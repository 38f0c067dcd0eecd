"""Queries behind network health and the people list: contacts, follow-ups, quiet contacts, profile checklist."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from slugify import slugify

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.models import Person
from researcher.store.schema import NETWORKS
from researcher.text import clean_line, fold, quoted

# Statuses from which a contact counts as meaningful even without a logged interaction.
CONNECTED_OR_FURTHER = ("connected", "met", "referred")
DEFAULT_GOAL = 100
# Keep in touch every so many days when a person has no cadence of their own (a setting of the notebook).
DEFAULT_QUIET_DAYS = 90
EMPLOYMENT = ("former", "current")

# What a complete profile has, per network (the checklist the Network screen shows).
PROFILE_ITEMS = {
    "linkedin": (
        "photo",
        "headline",
        "summary",
        "experience",
        "skills",
        "recommendations received",
        "custom URL",
        "open to work settings",
    ),
    "viadeo": ("photo", "headline", "summary", "experience", "skills"),
    "xing": ("photo", "headline", "about me", "experience", "skills (haves)", "wants", "references"),
    "goldenline": ("photo", "headline", "summary", "experience", "skills"),
    "other": ("photo", "headline", "summary"),
}

_STATUSES = ", ".join(f"'{s}'" for s in CONNECTED_OR_FURTHER)
# Everyone I have been in touch with: an interaction logged, or an approach connected or further.
_MEANINGFUL_IDS = (
    f"SELECT person_id FROM interactions UNION SELECT person_id FROM approach WHERE status IN ({_STATUSES})"
)
_CURRENT = """LEFT JOIN positions cur ON cur.id = (
    SELECT id FROM positions WHERE person_id = p.id AND "end" IS NULL
    ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1)"""
_CONTACT_COLUMNS = """p.id, p.slug, p.name, a.status, a.priority, a.next_action_at, a.next_step, a.cadence_days,
    (SELECT max(at) FROM interactions i WHERE i.person_id = p.id) AS last_interaction,
    (SELECT count(*) FROM interactions i WHERE i.person_id = p.id) AS interactions,
    (p.linkedin_url IS NULL AND p.viadeo_url IS NULL AND p.xing_url IS NULL
     AND p.goldenline_url IS NULL AND p.other_url IS NULL) AS offline,
    cur.company_name AS company, cur.title AS title"""
# A contact's keep-in-touch clock: the last interaction, plus their cadence (or the notebook's default) in days.
_LAST = "SELECT person_id, max(at) AS last_at FROM interactions GROUP BY person_id"
_DUE = "date(q.last_at, '+' || ifnull(a.cadence_days, :default) || ' days')"


# Words anywhere in a person's name, headline, company or title, case and accents ignored: what
# Notebook._people_filter's `query` matches, with Python's fold() called only for text that is not plain
# ASCII (for which LIKE already ignores case): a reader thread calling Python for every person keeps the
# UI thread waiting for Python's lock.
_TEXT = (
    "(p.name || ' ' || ifnull(p.headline, '') || ' ' || ifnull(cur.company_name, '') || ' ' || ifnull(cur.title, ''))"
)
_WORDS_MATCH = (
    f"CASE WHEN {_TEXT} GLOB '*[^ -~]*' THEN fold({_TEXT}) LIKE ? ESCAPE '\\' ELSE {_TEXT} LIKE ? ESCAPE '\\' END"
)


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class ListedPerson(Person):
    """A row of the people list: the person, and the company they left when that is what the row is about."""

    former_company: str | None = None
    former_title: str | None = None
    former_end: str | None = None
    name_key: str = ""  # the list's order (with the id): where the next page starts

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        del out["name_key"]
        return out


def _paged(sql: str, params: dict[str, Any], limit: int | None, offset: int) -> tuple[str, dict[str, Any]]:
    if limit is None:
        return sql, params
    return sql + " LIMIT :limit OFFSET :offset", {**params, "limit": limit, "offset": max(0, offset)}


class NetworkQueries:
    """Mixed into Notebook; uses its _rows/_one/_scalar/_resolve helpers."""

    def _rows_at_once(self, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of `sql` in one step, as one JSON array. The screens read these lists in threads, and a
        thread takes Python's lock back after every row SQLite steps through: each time it may wait a whole
        switch interval (5 ms) while the UI thread is busy drawing; one step waits once."""
        conn = self.db.conn
        columns = [d[0] for d in conn.execute(f"SELECT * FROM ({sql}) LIMIT 0", params).description]
        pairs = ", ".join(f"'{c}', \"{c}\"" for c in columns)
        # (An ORDER BY in the subquery holds: SQLite never flattens it into an aggregate.)
        text = conn.execute(f"SELECT json_group_array(json_object({pairs})) FROM ({sql})", params).fetchone()[0]
        return json.loads(text)

    # -- settings ------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def _int_setting(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(self.setting(key) or default)
        except ValueError:
            return default
        return value if low <= value <= high else default

    def network_goal(self) -> int:
        return self._int_setting("network_goal", DEFAULT_GOAL, 1, 10_000)

    def set_network_goal(self, goal: int | str) -> int:
        goal = v.integer(goal, 1, 10_000, "goal")
        self.set_setting("network_goal", str(goal))
        return goal

    def quiet_days(self) -> int:
        """Keep in touch every so many days, for people without a cadence of their own."""
        return self._int_setting("quiet_days", DEFAULT_QUIET_DAYS, 1, 3650)

    def set_quiet_days(self, days: int | str) -> int:
        days = v.integer(days, 1, 3650, "keep-in-touch days")
        self.set_setting("quiet_days", str(days))
        return days

    # -- contacts ------------------------------------------------------------

    def _contacts(
        self, where: str, params: dict[str, Any], order: str, limit: int | None, offset: int
    ) -> list[dict[str, Any]]:
        sql = f"""SELECT {_CONTACT_COLUMNS}
                FROM people p LEFT JOIN approach a ON a.person_id = p.id {_CURRENT}
                WHERE p.is_me = 0 AND ({where}) ORDER BY {order}"""
        return self._rows_at_once(*_paged(sql, params, limit, offset))

    def count_meaningful(self) -> int:
        return self._scalar(f"SELECT count(*) FROM people WHERE is_me = 0 AND id IN ({_MEANINGFUL_IDS})")

    def meaningful_contacts(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """At least one interaction, or an approach status of connected or further; by name."""
        return self._contacts(f"p.id IN ({_MEANINGFUL_IDS})", {}, "p.name_key, p.id", limit, offset)

    def count_never_contacted(self) -> int:
        return self._scalar(f"SELECT count(*) FROM people WHERE is_me = 0 AND id NOT IN ({_MEANINGFUL_IDS})")

    def never_contacted(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Collected, not connected: no interaction ever and not connected or further; by name."""
        return self._contacts(f"p.id NOT IN ({_MEANINGFUL_IDS})", {}, "p.name_key, p.id", limit, offset)

    def offline_count(self) -> int:
        return self._scalar(
            "SELECT count(*) FROM people WHERE is_me = 0 AND linkedin_url IS NULL AND viadeo_url IS NULL"
            " AND xing_url IS NULL AND goldenline_url IS NULL AND other_url IS NULL"
        )

    _FOLLOW_UP = "a.next_action_at <= :today AND a.status <> 'closed'"

    def count_follow_ups_due(self, today: str) -> int:
        return self._scalar(
            "SELECT count(*) FROM approach a JOIN people p ON p.id = a.person_id WHERE p.is_me = 0 AND "
            + self._FOLLOW_UP,
            {"today": today},
        )

    def follow_ups_due(self, today: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """People whose next action date is `today` or past (closed approaches excluded), the oldest first."""
        return self._contacts(
            self._FOLLOW_UP, {"today": today}, "a.next_action_at, a.priority, p.name_key, p.id", limit, offset
        )

    def _quiet_sql(self, columns: str) -> str:
        return f"""SELECT {columns} FROM ({_LAST}) q JOIN people p ON p.id = q.person_id
            LEFT JOIN approach a ON a.person_id = p.id {_CURRENT}
            WHERE p.is_me = 0 AND ifnull(a.status, '') <> 'closed' AND {_DUE} <= :today"""

    def count_gone_quiet(self, today: str) -> int:
        return self._scalar(self._quiet_sql("count(*)"), {"today": today, "default": self.quiet_days()})

    def gone_quiet(self, today: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """People I have been in touch with whose keep-in-touch cadence has run out by `today`, the longest due first.

        Each person's clock starts at their last logged interaction (any interaction restarts it) and runs for
        their own cadence (approach.cadence_days), else the notebook's (quiet_days()); `due` is when it ran out.
        """
        sql = self._quiet_sql(f"{_CONTACT_COLUMNS}, {_DUE} AS due") + " ORDER BY due, p.name_key, p.id"
        return self._rows_at_once(*_paged(sql, {"today": today, "default": self.quiet_days()}, limit, offset))

    # -- the people list -----------------------------------------------------

    def _people_list_where(
        self,
        filters: dict[str, Any],
        employment: str | None,
        after: tuple[str, int] | None = None,
        upto: tuple[str, int] | None = None,
        ids: tuple[int, int] | None = None,
    ) -> tuple[str, list[Any], int | None]:
        """The people filter of Notebook._people_filter, plus former/current (relative to the company filtered
        on, else to any company) and bounds: (name_key, id) after `after` up to `upto`, ids in `ids` (lo, hi];
        the WHERE, its parameters and the company's id."""
        known = ("company", "sector", "function", "query", "status", "title", "network")
        unknown = sorted(set(filters) - set(known))
        if unknown:
            raise Invalid(f"unknown people filter {quoted(unknown[0])}")
        where, params = self._people_filter(*(filters.get(k) if k != "query" else None for k in known))
        company_id = self._resolve("companies", filters["company"], "company")["id"] if filters.get("company") else None
        if employment is not None and employment not in EMPLOYMENT:
            raise Invalid("employment must be former or current")
        clause = ""
        if employment and company_id is not None:
            held = 'SELECT 1 FROM positions x WHERE x.person_id = p.id AND x.company_id = ? AND x."end" IS NULL'
            clause = f"{'NOT ' if employment == 'former' else ''}EXISTS ({held})"
            params = [*params, company_id]
        elif employment == "current":
            clause = "cur.id IS NOT NULL"
        elif employment == "former":
            clause = "cur.id IS NULL AND EXISTS (SELECT 1 FROM positions x WHERE x.person_id = p.id)"
        clauses = [clause] if clause else []
        query = clean_line(filters.get("query") or "")
        if query.strip():
            clauses.append(_WORDS_MATCH)
            params = [*params, fold(_like(query)), fold(_like(query))]  # (one for each branch)
        if after is not None:
            clauses.append("(p.name_key, p.id) > (?, ?)")
            params = [*params, *after]
        if upto is not None:
            clauses.append("(p.name_key, p.id) <= (?, ?)")
            params = [*params, *upto]
        if ids is not None:
            clauses.append("p.id > ? AND p.id <= ?")
            params = [*params, *ids]
        if clauses:
            extra = " AND ".join(clauses)
            where = f"{where} AND {extra}" if where else f" WHERE {extra}"
        return where, params, company_id

    def people_list(
        self,
        filters: dict[str, Any] | None = None,
        employment: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        after: tuple[str, int] | None = None,
        upto: tuple[str, int] | None = None,
    ) -> list[ListedPerson]:
        """People by name with their current role, filtered (keys of Notebook.people), paged; `employment`
        ("former"/"current") keeps those who left, or still hold, a position at the company filtered on (else
        anywhere). A row about a company the person left names it in former_company, with their title there.
        `after`/`upto` bound the (name_key, id) order: keyset pages, or a window of the notebook."""
        where, params, company_id = self._people_list_where(filters or {}, employment, after, upto)
        if company_id is not None:  # their last position at that company, when none there is current
            last = (
                'SELECT id FROM positions WHERE person_id = p.id AND company_id = ? ORDER BY ("end" IS NULL) DESC,'
                " ifnull(\"end\", '') DESC, ifnull(start, '') DESC, id DESC LIMIT 1"
            )
            former_join, former_params = f"LEFT JOIN positions fp ON fp.id = ({last})", [company_id]
        else:  # their last position anywhere, when they hold none now
            last = (
                "SELECT id FROM positions WHERE person_id = p.id ORDER BY ifnull(\"end\", '') DESC,"
                " ifnull(start, '') DESC, id DESC LIMIT 1"
            )
            former_join, former_params = f"LEFT JOIN positions fp ON cur.id IS NULL AND fp.id = ({last})", []
        sql = f"""SELECT p.*, cur.company_name AS company, co.slug AS company_slug, cur.title AS title,
                cur.function AS function, a.status AS approach_status, a.priority AS priority,
                CASE WHEN fp."end" IS NOT NULL THEN fp.company_name END AS former_company,
                CASE WHEN fp."end" IS NOT NULL THEN fp.title END AS former_title,
                fp."end" AS former_end
            FROM people p {_CURRENT}
            LEFT JOIN companies co ON co.id = cur.company_id
            LEFT JOIN approach a ON a.person_id = p.id
            {former_join}
            {where} ORDER BY p.name_key, p.id"""
        params = former_params + params
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, max(0, offset)]
        return [ListedPerson.from_row(r) for r in self._rows_at_once(sql, params)]

    def person_key_after(self, after: tuple[str, int] | None, n: int) -> tuple[str, int] | None:
        """The (name_key, id) of the n-th person after `after` in name order; None when fewer are left."""
        row = self._one(
            "SELECT name_key, id FROM people WHERE (name_key, id) > (?, ?) ORDER BY name_key, id LIMIT 1 OFFSET ?",
            [*(after or ("", 0)), n - 1],
        )
        return (row["name_key"], row["id"]) if row else None

    def max_person_id(self) -> int:
        return self._scalar("SELECT ifnull(max(id), 0) FROM people")

    def knows_name(self, key: str, value: str) -> bool:
        """Whether `value` names a company (its name or slug) or a sector of the notebook, exactly."""
        value = clean_line(value)
        if key == "company":
            return bool(
                self._one(
                    "SELECT 1 FROM companies WHERE slug = ? OR name_key = ? LIMIT 1", [value.lower(), slugify(value)]
                )
            )
        if key == "sector":
            return bool(self._one("SELECT 1 FROM companies WHERE fold(sector) = fold(?) LIMIT 1", [value]))
        return False

    def count_people_list(
        self, filters: dict[str, Any] | None = None, employment: str | None = None, ids: tuple[int, int] | None = None
    ) -> int:
        """How many people people_list() keeps (with ids in `ids`, (lo, hi], when given)."""
        where, params, _ = self._people_list_where(filters or {}, employment, ids=ids)
        # Joined only when the filter needs them: the current position costs a lookup per person.
        joins = _CURRENT if re.search(r"\bcur\.", where) else ""
        if re.search(r"\ba\.", where):
            joins += " LEFT JOIN approach a ON a.person_id = p.id"
        return self._scalar(f"SELECT count(*) FROM people p {joins} {where}", params)

    # -- my profile ----------------------------------------------------------

    def profile_checklist(self, networks: list[str]) -> dict[str, list[dict[str, Any]]]:
        """For each network: its checklist items with done flags (items not yet stored are not done)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for network in networks:
            done = {
                r["item"]: bool(r["done"])
                for r in self._rows("SELECT item, done FROM profile_checklist WHERE network = ?", [network])
            }
            items = list(PROFILE_ITEMS.get(network, ())) + [i for i in done if i not in PROFILE_ITEMS.get(network, ())]
            out[network] = [{"item": item, "done": done.get(item, False)} for item in items]
        return out

    def set_profile_item(self, network: str, item: str, done: bool = True) -> None:
        network = v.choice(network, NETWORKS, "network") or ""
        if not network:
            raise Invalid(f"network must be one of: {', '.join(NETWORKS)}")
        item = v.required(item, "checklist item").lower()
        known = {i.lower(): i for i in PROFILE_ITEMS[network]}
        item = known.get(item, item)
        self.db.execute(
            "INSERT INTO profile_checklist (network, item, done) VALUES (?, ?, ?)"
            " ON CONFLICT (network, item) DO UPDATE SET done = excluded.done",
            [network, item, int(done)],
        )
