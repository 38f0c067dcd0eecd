"""Calendar export: follow-ups, next steps and keep-in-touch dates as to-dos or events, stable UIDs, escaped text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import icalendar
import pytest

from researcher.interop.ics import export_ics, reminders
from researcher.store import Notebook

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


@pytest.fixture
def planned(nb: Notebook) -> Notebook:
    nb.add_company("Acme")
    nb.add_person("Ann Lee", company="acme", title="CTO")
    nb.set_approach("ann-lee", status="invited", priority=1, next_action_at="2026-12-01", next_step="Call; ask, \\ x")
    nb.add_person("Bob Stone")
    nb.set_approach("bob-stone", status="identified", next_step="Find his email")
    nb.add_person("Cid Moss")
    nb.set_approach("cid-moss", status="connected", cadence_days=30)
    nb.add_interaction("cid-moss", "email", "Hello", when="2026-11-01")
    nb.add_person("Dan Closed")
    nb.set_approach("dan-closed", status="closed", next_action_at="2026-12-02")
    nb.add_person("Eve Nothing")
    return nb


def _items(text: str, kind: str) -> dict[str, icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(c["summary"]): c for c in calendar.walk(kind)}


def test_todos_for_follow_ups_next_steps_and_keep_in_touch(planned: Notebook):
    todos = _items(export_ics(planned), "VTODO")
    assert set(todos) == {
        "Follow up with Ann Lee: Call; ask, \\ x",
        "Next step with Bob Stone: Find his email",
        "Keep in touch with Cid Moss",
    }
    ann = todos["Follow up with Ann Lee: Call; ask, \\ x"]
    assert ann["due"].dt == date(2026, 12, 1) and int(ann["priority"]) == 1
    assert "Ann Lee (CTO, Acme)" in str(ann["description"])
    assert "due" not in todos["Next step with Bob Stone: Find his email"]
    assert todos["Keep in touch with Cid Moss"]["due"].dt == date(2026, 12, 1)


def test_events_have_a_day_and_leave_out_what_has_none(planned: Notebook):
    events = _items(export_ics(planned, events=True), "VEVENT")
    assert set(events) == {"Follow up with Ann Lee: Call; ask, \\ x", "Keep in touch with Cid Moss"}
    ann = events["Follow up with Ann Lee: Call; ask, \\ x"]
    assert (ann["dtstart"].dt, ann["dtend"].dt) == (date(2026, 12, 1), date(2026, 12, 2))


def test_uids_stay_when_the_follow_up_moves_or_the_person_is_renamed(planned: Notebook):
    before = {r.slug: r.uid for r in reminders(planned)}
    planned.set_approach("ann-lee", next_action_at="2026-12-15", next_step="Call again")
    planned.edit_person("ann-lee", name="Ann Lee-Martin")
    after = {r.person: r.uid for r in reminders(planned)}
    assert after["Ann Lee-Martin"] == before["ann-lee"]
    assert len(set(before.values())) == len(before)  # one UID per reminder
    # The same export twice is the same file (DTSTAMP is the data's own time, not the clock's).
    assert export_ics(planned) == export_ics(planned)


def test_text_is_cleaned_and_escaped(planned: Notebook):
    planned.db.execute(
        "UPDATE approach SET next_step = ? WHERE person_id = ?",
        ["Evil\x1b]0;pwned\x07\u202e step\nsecond line; a, b", planned.person("ann-lee").id],
    )
    text = export_ics(planned)
    assert not UNSAFE.search(text.replace("\r\n", ""))
    assert "SUMMARY:Follow up with Ann Lee: Evil step second line\\; a\\, b\r\n" in text.replace("\r\n ", "")


def test_cli_export_ics(run_cli, db_path: Path, tmp_path: Path):
    with Notebook(db_path) as nb:
        nb.add_person("Ann Lee")
        nb.set_approach("ann-lee", next_action_at="2026-12-01", next_step="Call")
    out = tmp_path / "f.ics"
    assert run_cli("export", "ics", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    shown = run_cli("export", "ics", "--events")
    assert shown.exit_code == 0 and "BEGIN:VEVENT" in shown.stdout and "BEGIN:VTODO" not in shown.stdout
    missing = run_cli("export", "ics", "-o", str(tmp_path / "no" / "f.ics"))
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: cannot write")
