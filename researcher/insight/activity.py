"""A person's activity: interactions, notes and approach status changes in one chronological list."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from researcher.insight.notes import first_line


@dataclass
class Event:
    at: str
    kind: str  # interaction | note | status
    text: str
    detail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def person_activity(nb, person: int | str) -> list[Event]:
    """Newest first."""
    events: list[Event] = []
    for i in nb.interactions_of(person):
        arrow = "→" if i.direction == "out" else "←"
        events.append(Event(i.at, "interaction", i.summary, f"{arrow} {i.channel}"))
    for n in nb.notes(person=person):
        events.append(Event(n.created_at, "note", first_line(n.body)))  # plain: its Markdown marks off
    for change in nb.status_changes(person):
        before = change["from_status"] or "new"
        events.append(Event(change["at"], "status", f"{before} → {change['to_status']}"))
    events.sort(key=lambda e: e.at, reverse=True)
    return events
