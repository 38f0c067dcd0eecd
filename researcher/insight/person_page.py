"""A person's page, computed once: what the person screen shows and `person show --json` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from researcher import clock
from researcher.insight.activity import Event, person_activity
from researcher.insight.careers import overlaps
from researcher.insight.paths import PathResult, find_paths
from researcher.store.models import Approach, Interaction, Note, Person, Position, Relationship
from researcher.store.network import CONNECTED_OR_FURTHER, DEFAULT_QUIET_DAYS
from researcher.store.notebook import Notebook

# Why no warm paths are shown: nobody is marked as you, or this person is you.
NO_ME = "no_me"
IS_ME = "is_me"
_REASONS = {
    NO_ME: "Nobody is marked as you, so there are no warm paths from you, and no profile checklist.",
    IS_ME: "This is you: warm paths show on other people's pages.",
}


@dataclass
class FollowUp:
    """Where the next step and the keep-in-touch cadence stand on a given day."""

    due: str | None  # overdue | today | upcoming | None (no date set)
    days: int | None  # days from today to the next date (negative: overdue by that many)
    last_contact: str | None  # the last interaction's time
    cadence_days: int  # the person's cadence, else the notebook's default
    cadence_is_default: bool
    keep_in_touch_by: str | None  # last contact + cadence (None: never in touch)
    quiet: bool  # that day has passed

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PersonPage:
    person: Person
    current: Position | None
    positions: list[Position]
    overlap_ids: list[int]  # positions that overlapped with mine at the same company
    relationships: list[Relationship]
    approach: Approach | None
    follow_up: FollowUp
    interactions: list[Interaction]
    activity: list[Event]
    notes: list[Note]
    me: Person | None
    paths: PathResult | None
    paths_reason: str | None  # NO_ME | IS_ME | None
    invitation: dict[str, Any] | None  # the draft or the last one sent, with its state
    today: str = field(default="")
    in_the_news: list[dict[str, Any]] = field(default_factory=list)  # news items naming them, newest first

    @property
    def paths_message(self) -> str | None:
        return _REASONS.get(self.paths_reason or "")

    def to_dict(self) -> dict[str, Any]:
        """The person's own fields at the top (as `person show --json` always printed them), then the rest."""
        return {
            **self.person.to_dict(),
            "profiles": self.person.profiles,
            "current": self.current.to_dict() if self.current else None,
            "positions": [p.to_dict() for p in self.positions],
            "overlap_ids": self.overlap_ids,
            "relationships": [r.to_dict() for r in self.relationships],
            "approach": self.approach.to_dict() if self.approach else None,
            "follow_up": self.follow_up.to_dict(),
            "interactions": [i.to_dict() for i in self.interactions],
            "activity": [e.to_dict() for e in self.activity],
            "notes": [n.to_dict() for n in self.notes],
            "me": {"id": self.me.id, "slug": self.me.slug, "name": self.me.name} if self.me else None,
            "paths": self.paths.to_dict() if self.paths else None,
            "paths_reason": {"code": self.paths_reason, "message": self.paths_message} if self.paths_reason else None,
            "invitation": self.invitation,
            "in_the_news": self.in_the_news,
        }


def current_position(positions: list[Position]) -> Position | None:
    """The open position that started last (the store's rule for a person's current role)."""
    held = [p for p in positions if p.end is None]
    return max(held, key=lambda p: (p.start or "", p.id)) if held else None


def follow_up_state(
    approach: Approach | None, last_contact: str | None, today: date, quiet_days: int = DEFAULT_QUIET_DAYS
) -> FollowUp:
    due = days = None
    if approach and approach.next_action_at:
        days = (date.fromisoformat(approach.next_action_at) - today).days
        due = "overdue" if days < 0 else "today" if days == 0 else "upcoming"
    cadence = approach.cadence_days if approach and approach.cadence_days else None
    every = cadence or quiet_days
    by = (date.fromisoformat(last_contact[:10]) + timedelta(days=every)).isoformat() if last_contact else None
    closed = approach is not None and approach.status == "closed"
    return FollowUp(
        due=due,
        days=days,
        last_contact=last_contact,
        cadence_days=every,
        cadence_is_default=cadence is None,
        keep_in_touch_by=by,
        quiet=bool(by and by < today.isoformat() and not closed),
    )


def _invitation(nb: Notebook, person_id: int, approach: Approach | None) -> dict[str, Any] | None:
    invitation = nb.invitation(person_id)
    if invitation is None:
        return None
    state = invitation.status
    if invitation.sent and approach is not None and approach.status in CONNECTED_OR_FURTHER:
        state = "accepted"
    return {**invitation.to_dict(), "state": state}


def person_page(nb: Notebook, person: str | int, today: date | None = None) -> PersonPage:
    """Everything about one person, as of `today`; warm paths from me unless nobody is me (or this is me)."""
    day = today or clock.today()
    p = nb.person(person)
    positions = nb.positions_of(p.id)
    approach = nb.approach(p.id)
    interactions = nb.interactions_of(p.id)
    me = nb.me()
    overlap_ids: list[int] = []
    paths = None
    reason = NO_ME if me is None else IS_ME if me.id == p.id else None
    if reason is None:
        month = day.strftime("%Y-%m")
        overlap_ids = sorted(overlaps(nb.positions_of(me.id), positions, month))
        paths = find_paths(nb, p.id, me=me.id, today=day)
    return PersonPage(
        person=p,
        current=current_position(positions),
        positions=positions,
        overlap_ids=overlap_ids,
        relationships=nb.relationships_of(p.id),
        approach=approach,
        follow_up=follow_up_state(approach, interactions[0].at if interactions else None, day, nb.quiet_days()),
        interactions=interactions,
        activity=person_activity(nb, p.id),
        notes=nb.notes(person=p.id),
        me=me,
        paths=paths,
        paths_reason=reason,
        invitation=_invitation(nb, p.id, approach),
        today=day.isoformat(),
        in_the_news=nb.news_naming(person=p.id),
    )
