"""The person workbench's writes: who is me, relationships, positions and follow-ups, edited one at a time."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from slugify import slugify

from researcher import clock
from researcher.store import validate as v
from researcher.store.errors import Invalid, NotFound
from researcher.store.models import Approach, Person, Position, Relationship
from researcher.store.schema import CHANNELS, FUNCTIONS, RELATIONSHIP_KINDS
from researcher.text import clean_line, quoted

# How a link reads from the person whose page it is on: the stored kinds, plus "introduced", the other
# side of introduced_by (they were introduced by this person).
LINK_KINDS = (*RELATIONSHIP_KINDS, "introduced")

# A follow-up moved by "+2w": days, weeks or months from its date (from today when that date has passed).
_SHIFT = re.compile(r"\+?\s*([0-9]{1,3})\s*(d|days?|w|weeks?|m|months?)", re.IGNORECASE)

_NO_ME = "no person is marked as you yet: mark yourself (researcher person edit NAME --me, or m on your page)"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer ("2026-01-31" + 1 -> "2026-02-28")."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def shift_date(spec: str, base: date) -> str:
    """A follow-up date from what was typed: YYYY-MM-DD as it is, or +N days/weeks/months (d, w, m) from `base`."""
    text = clean_line(spec)
    match = _SHIFT.fullmatch(text)
    if match is None:
        if not text:
            raise Invalid("say when: YYYY-MM-DD, or +7d, +2w, +1m")
        try:
            return v.day(text, "follow-up date")  # type: ignore[return-value]
        except Invalid:
            raise Invalid(
                f"follow-up date must be YYYY-MM-DD or +N days, weeks or months (+7d, +2w, +1m), not {quoted(text)}"
            ) from None
    count, unit = int(match.group(1)), match.group(2)[0].lower()
    moved = add_months(base, count) if unit == "m" else base + timedelta(days=count * (7 if unit == "w" else 1))
    return v.day(moved.isoformat(), "follow-up date")  # type: ignore[return-value]


def base_date(next_action_at: str | None, today: date) -> date:
    """What "+1w" counts from: the follow-up's date, or today when that date has passed (or there is none)."""
    return max(today, date.fromisoformat(next_action_at)) if next_action_at else today


class PersonEdits:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers and its person/approach methods."""

    # -- me --------------------------------------------------------------------

    def resolve_person(self, ref: str | int) -> Person:
        """A person by id, slug or name (case and accents aside); "me" is the person marked as you."""
        if isinstance(ref, str) and ref.strip().lower() == "me":
            me = self.me()
            if me is not None:
                return me
            try:  # somebody may really be called Me
                return self.person(ref)
            except NotFound:
                raise NotFound(_NO_ME) from None
        return self.person(ref)

    def unset_me(self, ref: str | int) -> Person:
        """This person is not you (nobody is, until someone is marked)."""
        row = self._resolve("people", ref, "person")
        self.db.execute("UPDATE people SET is_me = 0 WHERE id = ?", [row["id"]])
        return self.person(row["id"])

    # -- looking people up as one types ---------------------------------------------

    def person_matches(self, text: str, limit: int = 5) -> list[Person]:
        """People whose name (or a word of it) starts with `text`, case and accents aside; "me" finds you first."""
        key = slugify(clean_line(text)[: v.MAX_NAME])
        if not key:
            return []
        out: list[Person] = []
        if "me".startswith(key) and (me := self.me()) is not None:
            out.append(me)
        # Slugs are ASCII letters, digits and "-": every key starting with `key` sorts below key + DEL.
        ids = [
            r["id"]
            for r in self._rows(
                "SELECT id FROM people WHERE name_key >= ? AND name_key < ? ORDER BY name_key, id LIMIT ?",
                [key, key + "\x7f", limit],
            )
        ]
        if len(ids) < limit:  # "jansen" finds Ivan Jansen: a later word of the name
            pattern = "%-" + key.replace("_", "\\_").replace("%", "\\%") + "%"
            ids += [
                r["id"]
                for r in self._rows(
                    "SELECT id FROM people WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key, id LIMIT ?",
                    [pattern, limit],
                )
                if r["id"] not in ids
            ]
        seen = {p.id for p in out}
        out += [self.person(i) for i in ids if i not in seen]
        return out[:limit]

    def company_names(self) -> list[str]:
        """The names of the companies you track, by name (no counts: a form's suggestions only)."""
        return [r["name"] for r in self._rows("SELECT name FROM companies ORDER BY name_key, id")]

    # -- relationships ---------------------------------------------------------------

    def relationship(self, rel_id: int, seen_from: int | None = None) -> Relationship:
        """One link, seen from `seen_from` (default: the person it was recorded from)."""
        if not isinstance(rel_id, int) or isinstance(rel_id, bool) or not -(2**63) <= rel_id < 2**63:
            raise NotFound(f"no relationship with id {quoted(rel_id)}")
        row = self._one("SELECT person_id, other_id FROM relationships WHERE id = ?", [rel_id])
        if row is None:
            raise NotFound(f"no relationship with id {rel_id}")
        side = seen_from if seen_from in (row["person_id"], row["other_id"]) else row["person_id"]
        return self.relationships_of(side, only_id=rel_id)[0]

    def record_relationship(
        self, person: str | int, other: str | int, kind: str = "knows", strength: int = 2, how: str | None = None
    ) -> Relationship:
        """`person` knows `other` ("me" on either side is you), seen from `person`. Kind "introduced": `other`
        was introduced by `person` (the other side of introduced_by). Recording a pair and kind again updates it."""
        a, b = self.resolve_person(person), self.resolve_person(other)
        kind = v.choice(kind, LINK_KINDS, "kind") or "knows"
        if kind == "introduced":
            rel = self.add_relationship(b.id, a.id, kind="introduced_by", strength=strength, how=how)
        else:
            rel = self.add_relationship(a.id, b.id, kind=kind, strength=strength, how=how)
        return self.relationship(rel.id, seen_from=a.id)

    def edit_relationship(
        self,
        rel_id: int,
        *,
        seen_from: int | None = None,
        kind: str | None = None,
        strength: int | None = None,
        how: str | None = None,
    ) -> Relationship:
        """Change a link's strength, how (empty clears it) or kind (read from `seen_from`'s side)."""
        old = self.relationship(rel_id, seen_from)
        new_kind = v.choice(kind, LINK_KINDS, "kind") if kind is not None else old.kind
        values: dict[str, Any] = {}
        if strength is not None:
            values["strength"] = v.integer(strength, 1, 3, "strength")
        if how is not None:
            values["how"] = v.optional(how, "how", v.MAX_LINE)
        if new_kind == old.kind:
            if values:
                self.db["relationships"].update(rel_id, values)
            return self.relationship(rel_id, old.person_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM relationships WHERE id = ?", [rel_id])
            return self.record_relationship(
                old.person_id,
                old.other_id,
                kind=new_kind,  # type: ignore[arg-type]
                strength=values.get("strength", old.strength),
                how=values["how"] if "how" in values else old.how,
            )

    def remove_relationship(self, rel_id: int, seen_from: int | None = None) -> Relationship:
        """Forget one link; returns it as it was."""
        old = self.relationship(rel_id, seen_from)
        self.db.execute("DELETE FROM relationships WHERE id = ?", [rel_id])
        return old

    def remove_relationships(self, person: str | int, other: str | int, kind: str | None = None) -> list[Relationship]:
        """Forget every link between two people (or only those of one kind, read from `person`'s side)."""
        a, b = self.resolve_person(person), self.resolve_person(other)
        wanted = v.choice(kind, LINK_KINDS, "kind") if kind else None
        links = [r for r in self.relationships_of(a.id) if r.other_id == b.id and wanted in (None, r.kind)]
        if not links:
            what = f"no {wanted.replace('_', ' ')} link" if wanted else "no link"
            raise NotFound(f"{what} between {a.name} and {b.name}")
        with self.db.atomic():
            for link in links:
                self.db.execute("DELETE FROM relationships WHERE id = ?", [link.id])
        return links

    # -- positions -------------------------------------------------------------------

    def edit_position(
        self,
        position_id: int,
        *,
        title: str | None = None,
        function: str | None = None,
        unit: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> Position:
        """Change a career step; None leaves a field as it is, "" clears it (an end cleared: held now)."""
        old = self.position(position_id)
        values: dict[str, Any] = {}
        if title is not None:
            values["title"] = v.required(title, "title", v.MAX_TITLE)
        if function is not None:
            values["function"] = v.choice(function, FUNCTIONS, "function")
        if start is not None:
            values["start"] = v.month(start, "start")
        if end is not None:
            values["end"] = v.month(end, "end")
        if unit is not None:
            if not clean_line(unit):
                values["org_unit_id"] = None
            elif old.company_id is None:
                raise Invalid(f"an org unit needs a tracked company; {old.company_name} is not one you track")
            else:
                values["org_unit_id"] = self.org_unit(old.company_id, unit)["id"]
        first = values.get("start", old.start)
        last = values.get("end", old.end)
        if first and last and last < first:
            raise Invalid(f"end {last} is before start {first}")
        if last and not first:
            raise Invalid("a position with an end needs a start")
        if values:
            self.db["positions"].update(old.id, values)
        return self.position(old.id)

    def end_position(self, position_id: int, end: str) -> Position:
        """They left: the position ends that month (YYYY-MM)."""
        if not clean_line(end):
            raise Invalid("say when it ended: YYYY-MM (e.g. 2026-10)")
        return self.edit_position(position_id, end=end)

    # -- follow-ups ------------------------------------------------------------------

    def _follow_up(self, person: str | int) -> tuple[Person, Approach]:
        p = self.person(person)
        approach = self.approach(p.id)
        if approach is None or not (approach.next_step or approach.next_action_at):
            raise Invalid(f"{p.name} has no follow-up set (a next step or a next date)")
        return p, approach

    def follow_up_base(self, person: str | int) -> date:
        """What "+1w" counts from for this person (see base_date)."""
        approach = self.approach(person)
        return base_date(approach.next_action_at if approach else None, clock.today())

    def move_follow_up(self, person: str | int, to_date: str) -> Approach:
        """Put a follow-up off to another day: YYYY-MM-DD, or +N days/weeks/months (+7d, +2w, +1m) counted
        from its date, or from today when that date has passed. The next step stays."""
        p, _ = self._follow_up(person)
        return self.set_approach(p.id, next_action_at=shift_date(to_date, self.follow_up_base(p.id)))

    def follow_up_done(
        self, person: str | int, note: str | None = None, when: str | None = None, *, channel: str | None = None
    ) -> Approach:
        """The follow-up happened: log it as an interaction (`note`, else "Follow-up done: <step>"), which restarts
        the keep-in-touch clock, and clear the next step and date, in one transaction."""
        p, approach = self._follow_up(person)
        summary = (note or "").strip() or (
            f"Follow-up done: {approach.next_step}" if approach.next_step else "Follow-up done"
        )
        if channel is None:
            last = self._one("SELECT channel FROM interactions WHERE person_id = ? ORDER BY at DESC, id DESC", [p.id])
            channel = last["channel"] if last and last["channel"] in CHANNELS else "other"
        with self.db.atomic():
            self.add_interaction(p.id, channel, summary, when=when, direction="out")
            return self.set_approach(p.id, next_step="", next_action_at="")
