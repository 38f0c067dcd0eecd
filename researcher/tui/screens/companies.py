"""The first screen: the companies you follow, with people, unread news and last note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from researcher.store.models import Company
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.screens.list_base import ListScreen
from researcher.tui.widgets.company_form import CompanyForm
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

    def _refresh_sectors(self) -> str | None:
        """Keep the sector picker's options in step with the notebook; return the picked sector.

        Setting a Select's options or value posts Select.Changed, whose handler reloads: without
        `prevent` that looped for good once a sector was picked.
        """
        select = self.query_one("#sector", Select)
        sectors = self.app.nb.sectors()
        if sectors != self._sectors:
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options([(s, s) for s in sectors])
                if current in sectors:
                    select.value = current
            self._sectors = sectors
        return None if select.value is Select.NULL else str(select.value)

    def reload(self, keep: int | None = None) -> None:
        nb = self.app.nb
        sector = self._refresh_sectors()
        query = self.query_one("#filter", Input).value
        table = self.query_one(DataTable)
        selected = keep if keep is not None else self.current_id()
        self.rows = nb.companies(sector=sector, query=query)
        table.clear()
        for c in self.rows:
            table.add_row(
                safe.line(c.name, style="bold"),
                safe.line(c.sector),
                Text(c.status, style=STATUS_STYLE.get(c.status, "")),
                Text(str(c.people_count), justify="right"),
                Text(
                    str(c.unread_count) if c.unread_count else "·",
                    justify="right",
                    style="bold" if c.unread_count else "dim",
                ),
                Text((c.last_note_at or "")[:10], style="dim"),
                key=str(c.id),
            )
        self.keep_cursor_on(selected)
        hint = self.query_one("#companies-hint", Static)
        hint.update(Text("No company matches the filter.", style="dim") if not self.rows else "")
        hint.display = not self.rows and bool(query or sector)
        # First start: no company yet, so say who you are (warm paths start from you), then add a company.
        first = self.query_one(FirstStart)
        first.display = not self.rows and not (query or sector)
        if first.display:
            first.show(nb.me())
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
        self.set_title("Companies", right=shown)

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
        if cid is not None:
            self.app.open_company(cid)

    def action_add(self) -> None:
        self.app.push_screen(CompanyForm(), lambda cid: self.reload(keep=cid))

    def action_edit(self) -> None:
        company = self.current()
        if company:
            self.app.push_screen(CompanyForm(company), lambda cid: self.reload(keep=cid))

    def action_delete(self) -> None:
        company = self.current()
        if company is None:
            return
        question = Text.assemble(
            "Delete ",
            safe.line(company.name, style="bold"),
            " with its feeds, news, notes, vocabulary and organisation?\n",
            ("People's career paths keep its name.", "dim"),
        )
        self.confirm_delete(question, lambda: self.app.nb.remove_company(company.id), f"Deleted {company.name}")

    def note_target(self) -> NoteTarget | None:
        company = self.current()
        return NoteTarget("company", company.id, company.name) if company else None
