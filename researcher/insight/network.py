"""Network health: meaningful contacts against a goal, follow-ups, quiet contacts, profile completeness."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from researcher.store.network import QUIET_DAYS


@dataclass
class ProfileStatus:
    network: str
    done: list[str]
    missing: list[str]

    @property
    def percent(self) -> int:
        total = len(self.done) + len(self.missing)
        return round(100 * len(self.done) / total) if total else 0


@dataclass
class NetworkHealth:
    goal: int
    meaningful: list[dict[str, Any]]
    never_contacted: list[dict[str, Any]]
    offline: int
    follow_ups: list[dict[str, Any]]
    gone_quiet: list[dict[str, Any]]
    profiles: list[ProfileStatus] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, round(100 * len(self.meaningful) / self.goal)) if self.goal else 0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["meaningful_count"] = len(self.meaningful)
        out["never_contacted_count"] = len(self.never_contacted)
        out["percent"] = self.percent
        for profile, status in zip(out["profiles"], self.profiles):
            profile["percent"] = status.percent
        return out


def network_health(nb, today: date) -> NetworkHealth:
    """Everything the Network screen and `researcher network` show, for the day `today`."""
    me = nb.me()
    networks = list(me.profiles) if me else []
    checklist = nb.profile_checklist(networks)
    profiles = [
        ProfileStatus(network, [i["item"] for i in items if i["done"]], [i["item"] for i in items if not i["done"]])
        for network, items in checklist.items()
    ]
    return NetworkHealth(
        goal=nb.network_goal(),
        meaningful=nb.meaningful_contacts(),
        never_contacted=nb.never_contacted(),
        offline=nb.offline_count(),
        follow_ups=nb.follow_ups_due(today.isoformat()),
        gone_quiet=nb.gone_quiet((today - timedelta(days=QUIET_DAYS)).isoformat()),
        profiles=profiles,
    )
