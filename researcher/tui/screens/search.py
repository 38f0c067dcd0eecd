"""`ctrl+f`: search everything (companies, people, news, notes, terms), accents folded."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input

from researcher.tui import safe
from researcher.tui.widgets.notes_pane import first_line

SUBJECT_KINDS = {"company": "company", "person": "person", "news": "news item"}


class SearchScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("down", "to_results", "To the results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[dict] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Input(placeholder="Search companies, people, news, notes, terms…", id="search-input")
            table = DataTable(cursor_type="row", id="search-results")
            table.add_column("Kind", width=8)
            # Narrow terminals: leave the detail (what a note is about) room to be read.
            width = self.app.size.width
            table.add_column("Found", width=36 if width >= 110 else max(20, (width - 24) // 2))
            table.add_column("Detail")
            yield table

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.results = self.app.nb.search(event.value, limit=100)
        table = self.query_one(DataTable)
        table.clear()
        for r in self.results:
            table.add_row(Text(r["kind"], style="dim"), *self._cells(r))

    @staticmethod
    def _cells(hit: dict) -> tuple[Text, Text]:
        """What was found, and its detail; a note says what it is about (its company, person or news item)."""
        if hit["kind"] != "note":
            return safe.line(hit["title"], style="bold"), safe.line(hit["detail"])
        about = Text("on ", style="dim")
        about.append_text(safe.line(hit.get("subject") or "?", style="bold"))
        about.append(f"  ({SUBJECT_KINDS.get(hit.get('subject_kind'), 'unknown')})", style="dim")
        return safe.line(first_line(hit["title"])), about

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.results:
            self.open(0)

    def action_to_results(self) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open(event.cursor_row)

    def open(self, index: int) -> None:
        hit = self.results[index]
        nb, app = self.app.nb, self.app
        self.dismiss(None)
        if hit["kind"] == "company":
            app.open_company(hit["id"])
        elif hit["kind"] == "person":
            app.open_person(hit["id"])
        elif hit["kind"] == "news":
            app.open_company(nb.news_item(hit["id"]).company_id, tab="news", news_item=hit["id"])
        elif hit["kind"] == "note":
            note = nb.note(hit["id"])
            if note.company_id:
                app.open_company(note.company_id, tab="notes")
            elif note.person_id:
                app.open_person(note.person_id)
            elif note.news_item_id:
                app.open_company(nb.news_item(note.news_item_id).company_id, tab="news", news_item=note.news_item_id)
        elif hit["kind"] == "term":
            term = next((t for t in nb.terms() if t.id == hit["id"]), None)
            if term and term.company_id:
                app.open_company(term.company_id, tab="vocabulary")
