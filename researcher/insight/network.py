"""Network health: meaningful contacts against a goal, follow-ups, quiet contacts, profile completeness."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# The lists of the Network screen, in its tab order, and what `network --json` names them.
LISTS = ("follow_ups", "gone_quiet", "never_contacted", "meaningful")
DEFAULT_LIMIT = 100  # rows of each list `network --json` gives unless told (their totals are always given)


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
class ContactList:
    """The first rows of one list of contacts, and how many it holds in all."""

    total: int
    rows: list[dict[str, Any]]


@dataclass
class NetworkHealth:
    today: str
    goal: int
    quiet_days: int  # the notebook's keep-in-touch cadence, for people without their own
    me: str | None  # my name, or None when nobody is marked as me
    offline: int
    follow_ups: ContactList
    gone_quiet: ContactList
    never_contacted: ContactList
    meaningful: ContactList
    profiles: list[ProfileStatus] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.meaningful.total / self.goal)) if self.goal else 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "today": self.today,
            "goal": self.goal,
            "percent": self.percent,
            "quiet_days": self.quiet_days,
            "me": self.me,
            "offline": self.offline,
        }
        for name in LISTS:
            contacts: ContactList = getattr(self, name)
            out[f"{name}_count"] = contacts.total
            out[name] = contacts.rows
        out["profiles"] = [{**asdict(p), "percent": p.percent} for p in self.profiles]
        return out


def contacts_page(nb, name: str, today: date, limit: int | None, offset: int = 0) -> list[dict[str, Any]]:
    """Rows `offset`.. of one of the LISTS, in the order the screen and the CLI show them."""
    day = today.isoformat()
    if name == "follow_ups":
        return nb.follow_ups_due(day, limit=limit, offset=offset)
    if name == "gone_quiet":
        return nb.gone_quiet(day, limit=limit, offset=offset)
    if name == "never_contacted":
        return nb.never_contacted(limit=limit, offset=offset)
    if name == "meaningful":
        return nb.meaningful_contacts(limit=limit, offset=offset)
    raise ValueError(f"no list named {name!r}")


def _count(nb, name: str, today: date) -> int:
    return {
        "follow_ups": lambda: nb.count_follow_ups_due(today.isoformat()),
        "gone_quiet": lambda: nb.count_gone_quiet(today.isoformat()),
        "never_contacted": nb.count_never_contacted,
        "meaningful": nb.count_meaningful,
    }[name]()


def network_health(
    nb, today: date, limit: int | None = DEFAULT_LIMIT, rows_of: tuple[str, ...] = LISTS
) -> NetworkHealth:
    """Everything the Network screen and `researcher network` show, for the day `today`: each list's total
    and the first `limit` rows (None: all) of those in `rows_of`; the screen pages in the rest with
    contacts_page()."""
    me = nb.me()
    networks = list(me.profiles) if me else []
    checklist = nb.profile_checklist(networks)
    profiles = [
        ProfileStatus(network, [i["item"] for i in items if i["done"]], [i["item"] for i in items if not i["done"]])
        for network, items in checklist.items()
    ]
    lists = {
        name: ContactList(_count(nb, name, today), contacts_page(nb, name, today, limit) if name in rows_of else [])
        for name in LISTS
    }
    return NetworkHealth(
        today=today.isoformat(),
        goal=nb.network_goal(),
        quiet_days=nb.quiet_days(),
        me=me.name if me else None,
        offline=nb.offline_count(),
        profiles=profiles,
        **lists,
    )


def overdue(due: str | None, today: date) -> int:
    """Days since `due` (YYYY-MM-DD...) by `today`; 0 when due today or later or unknown."""
    if not due:
        return 0
    try:
        return max(0, (today - date.fromisoformat(due[:10])).days)
    except ValueError:
        return 0
