"""Everyone in the notebook, paged from SQL; `/` filters, enter opens a person."""

from __future__ import annotations

import shlex

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from researcher.store import ResearcherError
from researcher.store.models import Person
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.screens.list_base import ListScreen
from researcher.tui.widgets.filter_input import FilterInput
from researcher.tui.widgets.person_form import PersonForm
from researcher.words import plural

PAGE = 200
FILTER_KEYS = ("company", "sector", "function", "title", "status", "network")


class PeopleScreen(ListScreen):
    section = "people"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Person] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield FilterInput("/ filter: words, or company: sector: function: title: status: network:none", id="filter")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="people-list")
        for label, width in (("Name", 24), ("Company", 24), ("Title", 28), ("Approach", 11), ("Networks", 10)):
            table.add_column(label, width=width)
        yield table
        yield from self.compose_footer()

    def filters(self) -> dict[str, str]:
        """The filter line as store filters: `key:value` words (quotes for spaces), the rest free text.

        e.g. `status:"to contact" network:none sector:fintech head` — keys: company, sector,
        function, title, status, network.
        """
        out: dict[str, str] = {}
        free: list[str] = []
        try:
            words = shlex.split(self.query_text)
        except ValueError:  # an unclosed quote while typing
            words = self.query_text.replace('"', " ").split()
        for word in words:
            key, sep, value = word.partition(":")
            if sep and key.lower() in FILTER_KEYS and value:
                out[key.lower()] = value
            else:
                free.append(word)
        if free:
            out["query"] = " ".join(free)
        return out

    def reload(self, keep: int | None = None) -> None:
        nb = self.app.nb
        selected = keep if keep is not None else self.current_id()
        self.rows = []
        self.query_one(DataTable).clear()
        filters = self.filters()
        try:
            self.total = nb.count_people(**filters)
            self._append(nb.people(**filters, limit=PAGE))
        except ResearcherError as exc:
            self.total = 0
            self.set_title("People", right=f"filter: {exc}")
            return
        self.keep_cursor_on(selected)
        self.set_title(
            "People", right=plural(self.total, "person", "people") + (" (filtered)" if self.query_text else "")
        )

    def _append(self, page: list[Person]) -> None:
        table = self.query_one(DataTable)
        for p in page:
            networks = " ".join(n[:2] for n in p.profiles) or "offline"
            table.add_row(
                safe.line(p.name + (" (me)" if p.is_me else ""), style="bold"),
                safe.line(p.company),
                safe.line(p.title),
                Text(p.approach_status or "—", style="" if p.approach_status else "dim"),
                Text(networks, style="dim"),
                key=str(p.id),
            )
        self.rows.extend(page)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Page in the next rows from SQL as the cursor nears the end of what is loaded.
        if len(self.rows) < self.total and event.cursor_row >= len(self.rows) - 20:
            self._append(self.app.nb.people(**self.filters(), limit=PAGE, offset=len(self.rows)))

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
        question = Text.assemble(
            "Delete ",
            safe.line(person.name, style="bold"),
            " with their career, relationships, interactions and notes?",
        )
        self.confirm_delete(question, lambda: self.app.nb.remove_person(person.id), f"Deleted {person.name}")

    def note_target(self) -> NoteTarget | None:
        person = self.current()
        return NoteTarget("person", person.id, person.name) if person else None
