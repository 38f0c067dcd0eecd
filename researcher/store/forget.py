"""Forgetting a person: everything the notebook holds about them erased, and no trace of it left in the file."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from researcher.store.bulk import data_tables
from researcher.store.errors import from_sqlite

# Text others wrote that may still name a forgotten person (a note on their company, a summary of a
# talk with a colleague): reported, never changed, since it belongs to someone else's record.
_OTHER_TEXT = (
    ("notes", "body"),
    ("interactions", "summary"),
    ("invitations", "text"),
    ("relationships", "how"),
    ("approach", "next_step"),
)
_MAX_NAMED = 50


@dataclass
class ForgetReport:
    """What forgetting a person erases (rows per table), or erased; and where their name still appears."""

    id: int
    name: str
    slug: str
    erased: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)  # rows that stay, no longer pointing to them
    still_named: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ForgetQueries:
    """Mixin of Notebook: `forget_person` and what it would erase."""

    def _about_person(self) -> list[tuple[str, str, bool]]:
        """(table, column, erased) of every reference to a person in the notebook's tables (read from the schema,
        so a new table's rows about people are counted without a change here); erased: deleted with them (else
        the column is set to NULL)."""
        found = []
        for table in data_tables(self):
            for row in self.db.execute("SELECT [table], [from], on_delete FROM pragma_foreign_key_list(?)", [table]):
                if row[0] == "people":
                    found.append((table, row[1], row[2].upper() == "CASCADE"))
        return found

    def forget_preview(self, ref: str | int) -> ForgetReport:
        """What forgetting this person would erase, and which other records still name them; writes nothing."""
        person = self.person(ref)
        report = ForgetReport(person.id, person.name, person.slug)
        report.erased["people"] = 1
        for table, column, erased in self._about_person():
            count = self._scalar(f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', [person.id])
            if count:
                counts = report.erased if erased else report.unlinked
                counts[table] = counts.get(table, 0) + count
        report.still_named = self._still_named(person.id, person.name)
        return report

    def _still_named(self, person_id: int, name: str) -> list[dict[str, Any]]:
        named = []
        for table, column in _OTHER_TEXT:
            # Rows of the person's own are erased with them; only the others' rows are worth a look.
            own = [c for t, c, erased in self._about_person() if t == table and erased]
            not_theirs = "".join(f' AND "{c}" IS NOT ? ' for c in own)
            rows = self.db.execute(
                f'SELECT rowid FROM "{table}" WHERE instr(fold("{column}"), fold(?)) > 0 {not_theirs}'
                f"ORDER BY rowid LIMIT {_MAX_NAMED}",
                [name, *([person_id] * len(own))],
            ).fetchall()
            named.extend({"table": table, "id": row[0]} for row in rows)
        return named[:_MAX_NAMED]

    def forget_person(self, ref: str | int) -> ForgetReport:
        """Erase a person and every row about them, then rewrite the file (VACUUM) and empty its write-ahead
        log, so that none of it can be read back from the disk; returns what was erased."""
        report = self.forget_preview(ref)
        self.remove_person(report.id)  # cascades, with secure_delete; scrubs the search indexes and the log
        self.compact()
        return report

    def compact(self) -> None:
        """Rewrite the notebook file without its free pages, then fold the log into it and empty it."""
        try:
            self.db.execute("VACUUM")
        except sqlite3.Error as exc:  # (the erasure stands: the file keeps only zeroed free pages)
            raise from_sqlite(exc) from None
        self._forget()
