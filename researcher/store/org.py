"""Organisation queries: rename, move and remove a company's units; place a person in a unit, under a manager."""

from __future__ import annotations

from typing import Any

from slugify import slugify

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.models import OrgUnit, Position
from researcher.text import quoted

_CURRENT_AT = (
    'SELECT * FROM positions WHERE person_id = ? AND company_id = ? AND "end" IS NULL'
    " ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1"
)


class OrgQueries:
    """Mixed into Notebook; uses its db and _rows/_one/_resolve/org_unit helpers."""

    def _company_id(self, company: str | int) -> int:
        return self._resolve("companies", company, "company")["id"]

    def _unit_record(self, unit_id: int) -> OrgUnit:
        return OrgUnit.from_row(self._one("SELECT * FROM org_units WHERE id = ?", [unit_id]))

    def org_units(self, company: str | int) -> list[OrgUnit]:
        """A company's units, flat, by name."""
        rows = self._rows(
            "SELECT * FROM org_units WHERE company_id = ? ORDER BY name COLLATE NOCASE, id", [self._company_id(company)]
        )
        return [OrgUnit.from_row(r) for r in rows]

    def rename_org_unit(self, company: str | int, unit: str, new_name: str) -> OrgUnit:
        company_id = self._company_id(company)
        row = self.org_unit(company_id, unit)
        name = v.required(new_name, "unit name", v.MAX_NAME)
        for other in self._rows(
            "SELECT id, name FROM org_units WHERE company_id = ? AND id <> ?", [company_id, row["id"]]
        ):
            if slugify(other["name"]) == slugify(name) or other["name"] == name:
                raise Invalid(f"this company already has a unit named {quoted(other['name'])}")
        self.db.execute("UPDATE org_units SET name = ? WHERE id = ?", [name, row["id"]])
        return self._unit_record(row["id"])

    def move_org_unit(self, company: str | int, unit: str, parent: str | None) -> OrgUnit:
        """Put a unit under another one (parent None or empty: at the top). A unit never goes under itself or
        under one of its own sub-units: that would make a loop no tree can show."""
        company_id = self._company_id(company)
        row = self.org_unit(company_id, unit)
        parent_id = None
        if parent is not None and v.line(parent, "parent unit", 4 * v.MAX_NAME):
            parent_row = self.org_unit(company_id, parent)
            parent_id = parent_row["id"]
            parents = {
                r["id"]: r["parent_id"]
                for r in self._rows("SELECT id, parent_id FROM org_units WHERE company_id = ?", [company_id])
            }
            at: int | None = parent_id
            seen: set[int] = set()
            while at is not None and at not in seen:
                if at == row["id"]:
                    where = "itself" if parent_id == row["id"] else f"its own sub-unit {quoted(parent_row['name'])}"
                    raise Invalid(f"cannot move {quoted(row['name'])} under {where}")
                seen.add(at)
                at = parents.get(at)
        self.db.execute("UPDATE org_units SET parent_id = ? WHERE id = ?", [parent_id, row["id"]])
        return self._unit_record(row["id"])

    def remove_org_unit(self, company: str | int, unit: str) -> dict[str, Any]:
        """Remove a unit: the people in it keep their positions (no unit any more), its sub-units move up to its
        parent. Returns the unit and how many people and sub-units that touched."""
        company_id = self._company_id(company)
        row = self.org_unit(company_id, unit)
        with self.db.atomic():
            people = self._scalar("SELECT count(*) FROM positions WHERE org_unit_id = ?", [row["id"]])
            children = self.db.execute(
                "UPDATE org_units SET parent_id = ? WHERE parent_id = ?", [row["parent_id"], row["id"]]
            ).rowcount
            self.db.execute("UPDATE positions SET org_unit_id = NULL WHERE org_unit_id = ?", [row["id"]])
            self.db.execute("DELETE FROM org_units WHERE id = ?", [row["id"]])
        return {"unit": OrgUnit.from_row(row).to_dict(), "people_cleared": people, "sub_units_moved_up": children}

    def current_position_at(self, person: str | int, company: str | int) -> dict[str, Any] | None:
        return self._one(_CURRENT_AT, [self._resolve("people", person, "person")["id"], self._company_id(company)])

    def place_person(
        self, company: str | int, person: str | int, unit: str | None = None, reports_to: str | int | None = None
    ) -> Position:
        """Set the unit of a person's current position at a company and whom they report to there (None leaves it,
        an empty value clears it). Their manager works there too; nobody ends up reporting to themselves."""
        company_row = self._resolve("companies", company, "company")
        person_row = self._resolve("people", person, "person")
        position = self._one(_CURRENT_AT, [person_row["id"], company_row["id"]])
        if position is None:
            raise Invalid(
                f"{person_row['name']} holds no current position at {company_row['name']}; add one first"
                " (researcher position add)"
            )
        values: dict[str, Any] = {}
        if unit is not None:
            given = v.line(unit, "unit", 4 * v.MAX_NAME)
            values["org_unit_id"] = self.org_unit(company_row["id"], given)["id"] if given else None
        if reports_to is not None:
            values["manager_id"] = self._manager(company_row, person_row, reports_to)
        if values:
            assignments = ", ".join(f"{k} = ?" for k in values)
            self.db.execute(f"UPDATE positions SET {assignments} WHERE id = ?", [*values.values(), position["id"]])
        return self.position(position["id"])

    def _manager(self, company_row: dict[str, Any], person_row: dict[str, Any], reports_to: str | int) -> int | None:
        if isinstance(reports_to, str) and not v.line(reports_to, "reports to", 4 * v.MAX_NAME):
            return None
        manager = self._resolve("people", reports_to, "person")
        if manager["id"] == person_row["id"]:
            raise Invalid(f"{person_row['name']} cannot report to themselves")
        chain: list[str] = []
        at: int | None = manager["id"]
        seen: set[int] = set()
        while at is not None and at not in seen:
            held = self._one(_CURRENT_AT, [at, company_row["id"]])
            if held is None:
                if at == manager["id"]:
                    raise Invalid(f"{manager['name']} holds no current position at {company_row['name']}")
                break
            if at == person_row["id"]:
                raise Invalid(
                    f"{manager['name']} already reports to {person_row['name']}"
                    + (f" (through {', '.join(chain)})" if chain else "")
                    + ": that would make a loop"
                )
            if at != manager["id"]:
                chain.append(self._one("SELECT name FROM people WHERE id = ?", [at])["name"])
            seen.add(at)
            at = held["manager_id"]
        return manager["id"]
