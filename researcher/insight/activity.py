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
    for e in nb.career_events(person):
        events.append(Event(e["at"], "job change", job_change(e), "seen in an import"))
    for change in nb.status_changes(person):
        before = change["from_status"] or "new"
        events.append(Event(change["at"], "status", f"{before} → {change['to_status']}"))
    events.sort(key=lambda e: e.at, reverse=True)
    return events


def job_change(event: dict) -> str:
    """A career event an import saw, as a sentence: "left Acme (CTO) for Beta (VP)", "joined Beta (VP)"."""

    def role(company: str | None, title: str | None) -> str:
        return (company or "?") + (f" ({title})" if title else "")

    if event["kind"] == "joined":
        return f"joined {role(event['to_company'], event['to_title'])}"
    if event["kind"] == "left":
        return f"left {role(event['from_company'], event['from_title'])}"
    return f"left {role(event['from_company'], event['from_title'])} for {role(event['to_company'], event['to_title'])}"
