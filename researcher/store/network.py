"""Queries behind network health: meaningful contacts, follow-ups, quiet contacts, my profile checklist."""

from __future__ import annotations

from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.schema import NETWORKS

# Statuses from which a contact counts as meaningful even without a logged interaction.
CONNECTED_OR_FURTHER = ("connected", "met", "referred")
DEFAULT_GOAL = 100
QUIET_DAYS = 90

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

_LAST_INTERACTION = "(SELECT max(at) FROM interactions i WHERE i.person_id = p.id)"


class NetworkQueries:
    """Mixed into Notebook; uses its _rows/_one/_scalar/_resolve helpers."""

    # -- settings ------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def network_goal(self) -> int:
        try:
            return int(self.setting("network_goal", str(DEFAULT_GOAL)) or DEFAULT_GOAL)
        except ValueError:
            return DEFAULT_GOAL

    def set_network_goal(self, goal: int) -> int:
        goal = v.integer(goal, 1, 10_000, "goal")
        self.set_setting("network_goal", str(goal))
        return goal

    # -- contacts ------------------------------------------------------------

    def _contacts(self, where: str, params: list[Any] | None = None, order: str = "p.name_key") -> list[dict[str, Any]]:
        return self._rows(
            f"""SELECT p.id, p.slug, p.name, a.status, a.priority, a.next_action_at, a.next_step,
                   {_LAST_INTERACTION} AS last_interaction,
                   (SELECT count(*) FROM interactions i WHERE i.person_id = p.id) AS interactions,
                   (p.linkedin_url IS NULL AND p.viadeo_url IS NULL AND p.xing_url IS NULL
                    AND p.goldenline_url IS NULL AND p.other_url IS NULL) AS offline,
                   cur.company_name AS company, cur.title AS title
                FROM people p
                LEFT JOIN approach a ON a.person_id = p.id
                LEFT JOIN positions cur ON cur.id = (
                    SELECT id FROM positions WHERE person_id = p.id AND "end" IS NULL
                    ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1)
                WHERE p.is_me = 0 AND ({where}) ORDER BY {order}""",
            params or [],
        )

    def meaningful_contacts(self) -> list[dict[str, Any]]:
        """At least one interaction, or an approach status of connected or further."""
        statuses = ", ".join(f"'{s}'" for s in CONNECTED_OR_FURTHER)
        return self._contacts(
            f"EXISTS (SELECT 1 FROM interactions i WHERE i.person_id = p.id) OR a.status IN ({statuses})"
        )

    def never_contacted(self) -> list[dict[str, Any]]:
        """Collected, not connected: no interaction ever and not connected or further."""
        statuses = ", ".join(f"'{s}'" for s in CONNECTED_OR_FURTHER)
        return self._contacts(
            f"NOT EXISTS (SELECT 1 FROM interactions i WHERE i.person_id = p.id) AND ifnull(a.status, '') NOT IN ({statuses})"
        )

    def offline_count(self) -> int:
        return self._scalar(
            "SELECT count(*) FROM people WHERE is_me = 0 AND linkedin_url IS NULL AND viadeo_url IS NULL"
            " AND xing_url IS NULL AND goldenline_url IS NULL AND other_url IS NULL"
        )

    def follow_ups_due(self, today: str) -> list[dict[str, Any]]:
        """People whose next action date is today or past (closed approaches excluded)."""
        return self._contacts(
            "a.next_action_at <= ? AND a.status <> 'closed'", [today], order="a.next_action_at, a.priority, p.name_key"
        )

    def gone_quiet(self, since: str) -> list[dict[str, Any]]:
        """People I have talked to, but not since `since` (closed approaches excluded)."""
        return self._contacts(
            f"{_LAST_INTERACTION} < ? AND ifnull(a.status, '') <> 'closed'",
            [since],
            order="last_interaction, p.name_key",
        )

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
