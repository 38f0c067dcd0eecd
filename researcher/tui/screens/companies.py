"""The first screen: the companies you follow, with people, unread news and last note."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from researcher.store import Notebook
from researcher.store.models import Company, Person
from researcher.text import clean_line
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.screens.list_base import ListScreen
from researcher.tui.widgets.chunked_table import ChunkedFill
from researcher.tui.widgets.chunked_table import fill as fill_table
from researcher.tui.widgets.company_form import CompanyForm
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.filter_input import FilterInput
from researcher.tui.widgets.first_start import FirstStart
from researcher.words import plural

STATUS_STYLE = {
    "watching": "dim",
    "researching": "cyan",
    "target": "bold yellow",
    "applied": "magenta",
    "interviewing": "bold green",
    "closed": "dim strike",
}


class CompaniesScreen(ListScreen):
    section = "companies"
    BINDINGS = [
        Binding("f", "sector", "Sector"),
    ]

    def __init__(self) -> None:
        super().__init__(id="companies")
        self.rows: list[Company] = []
        self._sectors: list[str] | None = None
        self._keep: int | None = None  # a company to highlight once the list arrives (one just added)
        self._filling: ChunkedFill | None = None
        self.deleting: dict[int, str] = {}  # companies being deleted: id -> name

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Horizontal(classes="filters"):
            yield FilterInput("/ filter companies", id="filter")
            yield Select([], prompt="All sectors", id="sector", compact=True)
        table = DataTable(cursor_type="row", zebra_stripes=True, id="companies-table")
        for label, width in (
            ("Company", None),
            ("Sector", 18),
            ("Status", 12),
            ("People", 6),
            ("Unread", 6),
            ("Last note", 10),
        ):
            table.add_column(label, width=width, key=label.lower())
        yield table
        yield Static(id="companies-hint", classes="hint")
        yield FirstStart(id="first-start")
        yield from self.compose_footer()

    def _refresh_sectors(self, sectors: list[str]) -> str | None:
        """Keep the sector picker's options in step with the notebook; return the picked sector.

        Setting a Select's options or value posts Select.Changed, whose handler reloads: without
        `prevent` that looped for good once a sector was picked.
        """
        select = self.query_one("#sector", Select)
        if sectors != self._sectors:
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options([(s, s) for s in sectors])
                if current in sectors:
                    select.value = current
            self._sectors = sectors
        return None if select.value is Select.NULL else str(select.value)

    def reload(self, keep: int | None = None) -> None:
        """Read the list again in a thread; it shows when it arrives, the same company highlighted (or `keep`)."""
        if keep is not None:
            self._keep = keep
        select = self.query_one("#sector", Select)
        sector = None if select.value is Select.NULL else str(select.value)
        query = self.query_one("#filter", Input).value
        self._load(sector, query, self._keep if self._keep is not None else self.current_id())

    @work(thread=True, exclusive=True, group="companies", exit_on_error=False)
    def _load(self, sector: str | None, query: str, selected: int | None) -> None:
        worker = get_current_worker()
        with Notebook(self.app.db_path, create=False) as nb:
            sectors = nb.sectors()
            if sector not in sectors:  # gone from the notebook: the picker is about to forget it
                sector = None
            rows = nb.companies(sector=sector, query=query)
            me = nb.me() if not rows and not (query or sector) else None
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, sectors, rows, query, selected, me)

    def _show(
        self, sectors: list[str], rows: list[Company], query: str, selected: int | None, me: Person | None = None
    ) -> None:
        if not self.is_mounted:
            return
        sector = self._refresh_sectors(sectors)
        if self._keep == selected:
            self._keep = None
        table = self.query_one(DataTable)
        new_ids = {c.id for c in rows}
        kept = [c for c in self.rows if c.id in new_ids]
        if [c.id for c in kept] == [c.id for c in rows]:
            # The same list, or fewer (one deleted): rows go and change in place, none drawn again.
            for gone in (c for c in self.rows if c.id not in new_ids):
                if str(gone.id) in table.rows:  # drawn already (a long list is drawn a chunk at a time)
                    table.remove_row(str(gone.id))
                if self._filling is not None:
                    self._filling.forget(gone)
            for index, (old, new) in enumerate(zip(kept, rows, strict=True)):
                if old != new:
                    self._update_row(index, new)
            self.rows = rows
        else:
            self.rows = rows
            self._filling = fill_table(table, rows, lambda c: (str(c.id), self._cells(c)))
        self.keep_cursor_on(selected)
        hint = self.query_one("#companies-hint", Static)
        hint.update(Text("No company matches the filter.", style="dim") if not self.rows else "")
        hint.display = not self.rows and bool(query or sector)
        # First start: no company yet, so say who you are (warm paths start from you), then add a company.
        first = self.query_one(FirstStart)
        first.display = not self.rows and not (query or sector)
        if first.display:
            first.show(me)
            if table.display:
                table.display = False
                self.call_after_refresh(first.focus)
        elif not table.display:
            table.display = True
            table.focus()
        shown = (
            plural(len(self.rows), "company", "companies")
            + (f" in {sector}" if sector else "")
            + (" (filtered)" if query else "")
        )
        if self.deleting:
            shown += " · deleting " + ", ".join(clean_line(name) for name in self.deleting.values()) + "…"
        self.set_title("Companies", right=shown)

    def _cells(self, c: Company) -> list[Text]:
        status = (
            Text("deleting…", style="bold yellow")
            if c.id in self.deleting
            else Text(c.status, style=STATUS_STYLE.get(c.status, ""))
        )
        return [
            safe.line(c.name, style="dim strike" if c.id in self.deleting else "bold"),
            safe.line(c.sector),
            status,
            Text(str(c.people_count), justify="right"),
            Text(
                str(c.unread_count) if c.unread_count else "·",
                justify="right",
                style="bold" if c.unread_count else "dim",
            ),
            Text((c.last_note_at or "")[:10], style="dim"),
        ]

    def _update_row(self, index: int, company: Company) -> None:
        table = self.query_one(DataTable)
        if index >= table.row_count:
            return  # not drawn yet: the fill draws it as it is now
        for column, cell in enumerate(self._cells(company)):
            table.update_cell_at((index, column), cell)

    def keep_cursor_on(self, row_id: int | None) -> None:
        """The row is drawn first when the table is still being filled."""
        ids = [c.id for c in self.rows]
        if row_id in ids and self._filling is not None:
            self._filling.until(ids.index(row_id))
        super().keep_cursor_on(row_id)

    # -- filtering -----------------------------------------------------------

    def action_sector(self) -> None:
        select = self.query_one("#sector", Select)
        select.focus()
        select.expanded = True

    def clear_filters(self) -> None:
        super().clear_filters()
        self.query_one("#sector", Select).clear()  # Select.Changed reloads

    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    # -- actions -------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        cid = self.current_id()
        if cid is not None and not self._busy(cid):
            self.app.open_company(cid)

    def action_add(self) -> None:
        self.app.push_screen(CompanyForm(), lambda cid: self.reload(keep=cid))

    def action_edit(self) -> None:
        company = self.current()
        if company and not self._busy(company.id):
            self.app.push_screen(CompanyForm(company), lambda cid: self.reload(keep=cid))

    def action_delete(self) -> None:
        """Ask, then delete in a thread: on a big notebook the removal scrubs the search index for a while."""
        company = self.current()
        if company is None or self._busy(company.id):
            return
        question = Text.assemble(
            "Delete ",
            safe.line(company.name, style="bold"),
            " with its feeds, news, notes, vocabulary and organisation?\n",
            ("People's career paths keep its name.", "dim"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_delete(company)

        self.app.push_screen(ConfirmModal(question), answered)

    def _busy(self, company_id: int) -> bool:
        """True (and said) when the company is being deleted."""
        if company_id in self.deleting:
            self.app.notify(f"{self.deleting[company_id]} is being deleted.", severity="warning", markup=False)
            return True
        return False

    def _redraw(self, company_id: int) -> None:
        for index, c in enumerate(self.rows):
            if c.id == company_id:
                self._update_row(index, c)

    def _start_delete(self, company: Company) -> None:
        self.deleting[company.id] = company.name
        self._redraw(company.id)  # the row says it is going, and the title (read again)
        self.reload()
        self.run_worker(
            partial(self._delete, company),
            name=f"delete-{company.id}",
            group=f"delete-{company.id}",
            thread=True,
            exit_on_error=False,
        )

    def _delete(self, company: Company) -> None:
        """In a thread, with its own connection: the same store call as `researcher company rm`."""
        with Notebook(self.app.db_path, create=False) as nb:
            nb.remove_company(company.id)
        self.app.call_from_thread(self._deleted, company)

    def _deleted(self, company: Company) -> None:
        self.deleting.pop(company.id, None)
        self.app.notify(f"Deleted {company.name}", markup=False)
        self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load or deletion goes to the app's one error path; a company not deleted comes back."""
        if event.state != WorkerState.ERROR:
            return
        name = event.worker.name or ""
        if name.startswith("delete-"):
            company_id = int(name.removeprefix("delete-"))
            self.deleting.pop(company_id, None)
            self._redraw(company_id)
            self.reload()
        error = event.worker.error
        self.app.report(error if isinstance(error, Exception) else RuntimeError(str(error)))

    def note_target(self) -> NoteTarget | None:
        company = self.current()
        return NoteTarget("company", company.id, company.name) if company else None
