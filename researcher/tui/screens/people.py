"""Everyone in the notebook, paged from SQL; `/` filters, enter opens a person."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from researcher.store.models import Person
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.screens.list_base import ListScreen
from researcher.tui.widgets.filter_input import FilterInput
from researcher.tui.widgets.person_form import PersonForm

PAGE = 200


class PeopleScreen(ListScreen):
    section = "people"
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Person] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield FilterInput("/ filter people by name, company, title", id="filter")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="people-list")
        for label, width in (("Name", 24), ("Company", 24), ("Title", 28), ("Approach", 11), ("Networks", 10)):
            table.add_column(label, width=width)
        yield table
        yield from self.compose_footer()

    def reload(self, keep: int | None = None) -> None:
        nb = self.app.nb
        selected = keep if keep is not None else self.current_id()
        self.total = nb.count_people(query=self.query_text)
        self.rows = []
        self.query_one(DataTable).clear()
        self._append(nb.people(query=self.query_text, limit=PAGE))
        self.keep_cursor_on(selected)
        self.set_title("People", right=f"{self.total} people" + (" (filtered)" if self.query_text else ""))

    def _append(self, page: list[Person]) -> None:
        table = self.query_one(DataTable)
        for p in page:
            networks = " ".join(n[:2] for n in p.profiles) or "offline"
            table.add_row(
                safe.line(p.name + (" (me)" if p.is_me else ""), style="bold"),
                safe.line(p.company), safe.line(p.title),
                Text(p.approach_status or "—", style="" if p.approach_status else "dim"),
                Text(networks, style="dim"),
                key=str(p.id),
            )
        self.rows.extend(page)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Page in the next rows from SQL as the cursor nears the end of what is loaded.
        if len(self.rows) < self.total and event.cursor_row >= len(self.rows) - 20:
            self._append(self.app.nb.people(query=self.query_text, limit=PAGE, offset=len(self.rows)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        pid = self.current_id()
        if pid is not None:
            self.app.open_person(pid)

    def action_add(self) -> None:
        self.app.push_screen(PersonForm(), lambda pid: self.reload(keep=pid))

    def action_edit(self) -> None:
        person = self.current()
        if person:
            self.app.push_screen(PersonForm(self.app.nb.person(person.id)), lambda pid: self.reload(keep=pid))

    def action_delete(self) -> None:
        person = self.current()
        if person is None:
            return
        question = Text.assemble("Delete ", safe.line(person.name, style="bold"),
                                 " with their career, relationships, interactions and notes?")
        self.confirm_delete(question, lambda: self.app.nb.remove_person(person.id), f"Deleted {person.name}")

    def note_target(self) -> NoteTarget | None:
        person = self.current()
        return NoteTarget("person", person.id, person.name) if person else None
