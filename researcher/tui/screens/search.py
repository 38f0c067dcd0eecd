"""`ctrl+f`: search everything (companies, people, news, notes, terms), accents folded, as you type."""

from __future__ import annotations

import sqlite3
import threading

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from researcher.insight.search import SearchHit, search
from researcher.store import Notebook
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal

LIMIT = 100


class SearchScreen(Modal[None]):
    """Each keystroke searches in a thread with its own connection; a newer query interrupts an older one,
    and only the newest query's hits are shown."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("down", "to_results", "To the results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[SearchHit] = []
        self.query_text = ""  # the query whose hits are shown
        self._asked = ""  # the newest query typed
        self._search_nb: Notebook | None = None  # the connection of the search under way, to interrupt it
        self._search_lock = threading.Lock()
        self._open_first = False  # enter was pressed before the hits of the query typed arrived

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
            yield Static(id="search-state", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._asked = event.value
        self._open_first = False
        self._interrupt()
        self.run_search(event.value)

    def _interrupt(self) -> None:
        """Stop the search under way: its hits would be stale, and it holds a core a newer one needs."""
        with self._search_lock:
            if self._search_nb is not None:
                self._search_nb.db.conn.interrupt()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                with self._search_lock:
                    self._search_nb = nb
                try:
                    hits = search(nb, query, limit=LIMIT)
                finally:
                    with self._search_lock:
                        self._search_nb = None
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                return  # a newer query took over
            self.app.call_from_thread(self.app.report, exc)
            return
        except Exception as exc:  # shown the one way every error is
            self.app.call_from_thread(self.app.report, exc)
            return
        self.app.call_from_thread(self._show_hits, query, hits)

    def _show_hits(self, query: str, hits: list[SearchHit]) -> None:
        if query != self._asked or not self.is_mounted:
            return  # typed on meanwhile: the newer query's hits follow
        self.query_text = query
        self.results = hits
        table = self.query_one(DataTable)
        table.clear()
        for hit in hits:
            table.add_row(Text(hit.kind, style="dim"), *self._cells(hit))
        state = "" if hits or not query.strip() else "Nothing found."
        self.query_one("#search-state", Static).update(Text(state, style="dim italic"))
        if self._open_first and hits:
            self.open(0)

    @staticmethod
    def _cells(hit: SearchHit) -> tuple[Text, Text]:
        """What was found, and its detail; a note says what it is about (its company, person or news item)."""
        if hit.kind != "note":
            return safe.line(hit.title, style="bold"), safe.line(hit.detail)
        about = Text("on ", style="dim")
        about.append_text(safe.line(hit.subject or "?", style="bold"))
        about.append(f"  ({hit.subject_label})", style="dim")
        return safe.line(hit.title), about

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Open the first hit; typed faster than the search, open it when it arrives."""
        if self.query_text != self._asked:
            self._open_first = True
        elif self.results:
            self.open(0)

    def action_to_results(self) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open(event.cursor_row)

    def open(self, index: int) -> None:
        """Show the hit where it lives: a company's dossier (a news item on its News tab), a person's page."""
        hit = self.results[index]
        app = self.app
        self.dismiss(None)
        if hit.kind == "company":
            app.open_company(hit.id)
        elif hit.kind == "person":
            app.open_person(hit.id)
        elif hit.news_item_id is not None and hit.company_id is not None:
            app.open_company(hit.company_id, tab="news", news_item=hit.news_item_id)
        elif hit.kind == "note" and hit.person_id is not None:
            app.open_person(hit.person_id)
        elif hit.company_id is not None:
            app.open_company(hit.company_id, tab="notes" if hit.kind == "note" else "vocabulary")
