"""iCalendar export of follow-ups, next steps and keep-in-touch dates, with UIDs a calendar app updates in place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from researcher.store import Notebook
from researcher.text import clean_line

PRODID = "-//researcher//follow-ups//EN"
UID_DOMAIN = "researcher.invalid"
# iCalendar's PRIORITY: 1 highest, 5 middle, 9 lowest; the notebook's 1, 2, 3.
PRIORITY = {1: 1, 2: 5, 3: 9}


@dataclass
class Reminder:
    """One thing to do about a person, on a day (None: no date set)."""

    kind: str  # follow-up | next-step | keep-in-touch
    uid: str
    person: str
    slug: str
    summary: str
    description: str
    day: date | None
    priority: int | None
    stamp: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "day": self.day.isoformat() if self.day else None, "stamp": self.stamp.isoformat()}


def _uid(kind: str, row: dict[str, Any]) -> str:
    """Stable for a person and kind: their id and creation time (not the name or slug, which a rename changes),
    hashed so that two notebooks' people never share one."""
    digest = hashlib.sha256(f"{row['id']}|{row['created_at']}|{kind}".encode()).hexdigest()[:24]
    return f"{kind}-{digest}@{UID_DOMAIN}"


def _stamp(*times: str | None) -> datetime:
    """The latest of the stored times, as a UTC datetime (DTSTAMP: it moves only when the data did)."""
    parsed = []
    for value in times:
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        parsed.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    latest = max(parsed) if parsed else datetime(2000, 1, 1, tzinfo=UTC)
    return latest.astimezone(UTC).replace(microsecond=0)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _who(row: dict[str, Any]) -> str:
    name = clean_line(row["name"])
    where = ", ".join(clean_line(x) for x in (row.get("title"), row.get("company")) if x)
    return f"{name} ({where})" if where else name


def reminders(nb: Notebook) -> list[Reminder]:
    """Every open approach's follow-up (its next action date, with the step), next step without a date, and
    keep-in-touch date (the last interaction plus the cadence the user set), by person."""
    out: list[Reminder] = []
    for row in nb.follow_up_plan():
        name, step = clean_line(row["name"]), clean_line(row["next_step"])
        status = f"Status: {row['status']}, priority {row['priority']}. Person: {_who(row)}."
        common = {"person": name, "slug": row["slug"], "priority": PRIORITY.get(row["priority"])}
        due = _day(row["next_action_at"])
        if due or step:
            kind = "follow-up" if due else "next-step"
            summary = f"Follow up with {name}" if due else f"Next step with {name}"
            out.append(
                Reminder(
                    kind=kind,
                    uid=_uid("follow-up", row),
                    summary=summary + (f": {step}" if step else ""),
                    description=status,
                    day=due,
                    stamp=_stamp(row["updated_at"]),
                    **common,
                )
            )
        last = _day(row["last_interaction"])
        if row["cadence_days"] and last:
            out.append(
                Reminder(
                    kind="keep-in-touch",
                    uid=_uid("keep-in-touch", row),
                    summary=f"Keep in touch with {name}",
                    description=f"Last contact {last.isoformat()}; every {row['cadence_days']} days. {status}",
                    day=last + timedelta(days=row["cadence_days"]),
                    stamp=_stamp(row["updated_at"], row["last_interaction"]),
                    **common,
                )
            )
    return out


def _component(reminder: Reminder, events: bool) -> icalendar.cal.Component | None:
    if events:
        if reminder.day is None:
            return None  # an event needs a day
        item = icalendar.Event()
        item.add("dtstart", reminder.day)
        item.add("dtend", reminder.day + timedelta(days=1))
        item.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    else:
        item = icalendar.Todo()
        if reminder.day is not None:
            item.add("due", reminder.day)
        item.add("status", "NEEDS-ACTION")
    item.add("uid", reminder.uid)
    item.add("dtstamp", reminder.stamp)
    item.add("last-modified", reminder.stamp)
    item.add("summary", reminder.summary)
    item.add("description", reminder.description)
    item.add("categories", ["researcher", reminder.kind])
    if reminder.priority:
        item.add("priority", reminder.priority)
    return item


def export_ics(nb: Notebook, events: bool = False) -> str:
    """The reminders as an iCalendar file: to-dos (VTODO, due on their day), or with `events` all-day events
    (VEVENT; the reminders without a day are left out). Text is cleaned, then escaped by icalendar."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "researcher follow-ups")
    for reminder in reminders(nb):
        item = _component(reminder, events)
        if item is not None:
            calendar.add_component(item)
    return calendar.to_ical().decode("utf-8")
