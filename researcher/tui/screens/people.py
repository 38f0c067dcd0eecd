"""Everyone in the notebook, paged from SQL in a thread; `/` filters (who left a company is former), enter opens."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from researcher.insight.people_filter import SYNTAX, PeopleFilter, people_count, people_filter, people_page
from researcher.store import Notebook, ResearcherError
from researcher.store.network import ListedPerson
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.screens.list_base import ListScreen, ReadFailed, refill
from researcher.tui.widgets.filter_input import FilterInput
from researcher.tui.widgets.person_form import PersonForm
from researcher.words import plural

PAGE = 100  # rows read at a time (a table costs ~0.2 ms a row); more as the cursor nears the end
YIELD = 0.004  # seconds a reader thread leaves the UI thread between windows of the notebook
COLUMNS = (("Name", 24), ("Company", 24), ("Title", 28), ("Approach", 11), ("Networks", 10))


def cells(p: ListedPerson) -> tuple[Text, ...]:
    """A person's row; who left the company the row is about is shown as former, with their title there."""
    if p.former_company:
        company = Text.assemble(("former ", "yellow"), safe.line(p.former_company, style="dim"))
        title = safe.line(p.former_title, style="dim")
    else:
        company, title = safe.line(p.company), safe.line(p.title)
    return (
        safe.line(p.name + (" (me)" if p.is_me else ""), style="bold"),
        company,
        title,
        Text(p.approach_status or "—", style="" if p.approach_status else "dim"),
        Text(" ".join(n[:2] for n in p.profiles) or "offline", style="dim"),
    )


def key_of(p: ListedPerson) -> tuple[str, int]:
    """A row's place in the list's order: the next page starts after it."""
    return (p.name_key, p.id)


class Stopped(Exception):
    """A read given up: the user typed another filter, or left."""


def yielding(worker) -> Callable[[], None]:
    """What a reader thread does between windows of the notebook: give the UI thread its turn (filtering on
    words calls Python for every person, and the thread doing it keeps Python's lock from the UI meanwhile),
    or stop when its worker was cancelled."""

    def pause() -> None:
        if worker.is_cancelled:
            raise Stopped
        time.sleep(YIELD)

    return pause


@dataclass
class Loaded(Message):
    """Rows of the list read in a thread: a new first page (`after` None) that replaces the list, or the page
    that follows the row whose key is `after`."""

    generation: int
    after: tuple[str, int] | None
    rows: list[ListedPerson]
    parsed: PeopleFilter | None = None
    error: str | None = None


@dataclass
class Counted(Message):
    generation: int
    total: int


class PeopleScreen(ListScreen):
    section = "people"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ListedPerson] = []
        self.total: int | None = None
        self.parsed = PeopleFilter()
        self.reading = False  # a first page is on its way
        self._generation = 0
        self._paging = False
        self._readers: set[Notebook] = set()
        self._open_when_loaded = False
        self._keep: int | None = None
        self._fresh = False
        self._shown_once = False

    def compose(self) -> ComposeResult:
        self._generation += 1  # the first page is read while the screen is built
        self.reading = True
        self._load("", self._generation, PAGE)
        yield from self.compose_title()
        yield FilterInput(f"/ filter: {SYNTAX}", id="filter")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="people-list")
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        yield table
        yield Static(id="people-hint", classes="empty-state")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#people-hint", Static).display = False
        self.set_title("People", right="loading…")

    # -- loading (in threads: typing never waits on a query) ------------------

    def reload(self, keep: int | None = None, fresh: bool = False) -> None:
        """Read the list again in a thread; it keeps the user's place (`keep`: a person to highlight),
        or starts from the top when the filter changed (`fresh`)."""
        self._generation += 1
        self._interrupt()
        self.reading = True
        self._keep = keep
        self._fresh = fresh
        limit = PAGE if fresh else max(PAGE, len(self.rows))
        self._load(self.query_text, self._generation, limit)

    def _interrupt(self) -> None:
        """Stop the queries of a filter the user has typed past (each reader thread has its own connection)."""
        for reader in list(self._readers):
            with contextlib.suppress(sqlite3.Error):
                reader.db.conn.interrupt()

    @work(thread=True, exclusive=True, group="people-load", exit_on_error=False)
    def _load(self, text: str, generation: int, limit: int) -> None:
        worker = get_current_worker()
        pause = yielding(worker)
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                self._readers.add(nb)
                try:
                    parsed = people_filter(nb, text)
                    try:
                        rows = people_page(nb, parsed, limit, pause=pause)
                    except ResearcherError as exc:  # a filter the store refuses: said in the title
                        self.post_message(Loaded(generation, None, [], parsed, str(exc)))
                        return
                    self.post_message(Loaded(generation, None, rows, parsed))
                    self.post_message(Counted(generation, people_count(nb, parsed, pause=pause)))
                finally:
                    self._readers.discard(nb)
        except Exception as exc:  # the one error path (a read stopped for a newer filter is no error)
            if not worker.is_cancelled:
                self.post_message(ReadFailed(exc))

    @work(thread=True, group="people-page", exit_on_error=False)
    def _load_page(self, generation: int, parsed: PeopleFilter, after: tuple[str, int]) -> None:
        rows: list[ListedPerson] = []
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                rows = people_page(nb, parsed, PAGE, after, pause=yielding(get_current_worker()))
        except Exception as exc:  # the one error path
            self.post_message(ReadFailed(exc))
        self.post_message(Loaded(generation, after, rows, parsed))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return  # a filter typed since
        table = self.query_one(DataTable)
        if message.after is not None:  # the next page
            self._paging = False
            if self.rows and message.after == key_of(self.rows[-1]):
                for p in message.rows:
                    table.add_row(*cells(p), key=str(p.id))
                self.rows.extend(message.rows)
            return
        self.reading = False
        self.parsed = message.parsed or PeopleFilter()
        if message.error:
            self.rows, self.total = [], 0
            table.clear()
            self.set_title("People", right=f"filter: {message.error}")
            self._hint(message.error)
            return
        old, self.rows = self.rows, message.rows
        refill(table, old, self.rows, lambda p: p.id, cells, fresh=self._fresh)
        if self._keep is not None:
            self.keep_cursor_on(self._keep)
        self._show_count()
        self._hint(None)
        if self._open_when_loaded:
            self._open_when_loaded = False
            self._open()

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if message.generation == self._generation:
            self.total = message.total
            self._show_count()

    def _show_count(self) -> None:
        shown = "counting…" if self.total is None else plural(self.total, "person", "people")
        self.set_title("People", right=shown + (" (filtered)" if self.query_text.strip() else ""))

    def _hint(self, error: str | None) -> None:
        """Under an empty list: why, and how to write what was probably meant."""
        hint = self.query_one("#people-hint", Static)
        hint.display = not self.rows
        if self.rows:
            return
        what = error or (
            "No one matches the filter." if self.query_text.strip() else "No people yet: press a to add one."
        )
        text = Text(what, style="dim")
        if self.parsed.hint:
            text.append(f"\nHint: {self.parsed.hint}", style="italic")
        hint.update(text)

    def resumed(self) -> None:
        if self._shown_once:
            self.reload()
        self._shown_once = True  # (the first page was asked for in compose)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            event.prevent_default()  # (ListScreen's reload keeps the place; a new filter starts at the top)
            self.total = None
            self.reload(fresh=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Page in the next rows as the cursor nears the end of what is loaded (in a thread).
        more = len(self.rows) < self.total if self.total is not None else len(self.rows) >= PAGE
        if more and not self._paging and not self.reading and event.cursor_row >= len(self.rows) - 20:
            self._paging = True
            self._load_page(self._generation, self.parsed, key_of(self.rows[-1]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.reading:  # enter typed ahead of the filter's results: open the first of them when they come
            self._open_when_loaded = True
            return
        self._open()

    def _open(self) -> None:
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
