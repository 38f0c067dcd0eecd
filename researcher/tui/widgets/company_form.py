"""Add or edit a company in a modal form; errors are shown in the form, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from researcher.store import ResearcherError
from researcher.store.models import Company
from researcher.store.schema import COMPANY_SIZES, COMPANY_STATUSES
from researcher.tui.widgets.form_base import FormModal


class CompanyForm(FormModal):
    """Returns the id of the saved company, or None when cancelled."""

    def __init__(self, company: Company | None = None) -> None:
        super().__init__()
        self.company = company

    def compose(self) -> ComposeResult:
        c = self.company
        sectors = self.app.nb.sectors()
        with VerticalScroll(classes="dialog form"):
            yield Static("Edit company" if c else "Add a company", classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Name")
            yield Input(c.name if c else "", id="name", placeholder="e.g. Banque Éclair", compact=True)
            yield Label("Sector")
            yield Input(
                c.sector or "" if c else "",
                id="sector",
                suggester=SuggestFromList(sectors, case_sensitive=False),
                compact=True,
            )
            yield Label("Status")
            yield Select(
                [(s, s) for s in COMPANY_STATUSES],
                value=c.status if c else "watching",
                allow_blank=False,
                id="status",
                compact=True,
            )
            yield Label("Website")
            yield Input(c.website or "" if c else "", id="website", placeholder="https://", compact=True)
            yield Label("Location")
            yield Input(c.location or "" if c else "", id="location", compact=True)
            yield Label("Size")
            yield Select(
                [(s, s) for s in COMPANY_SIZES],
                value=(c.size if c and c.size else Select.NULL),
                id="size",
                compact=True,
            )
            yield Label("Description")
            yield Input(c.description or "" if c else "", id="description", compact=True)
            yield from self.compose_buttons()

    def values(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for field in ("name", "sector", "website", "location", "description"):
            out[field] = self.query_one(f"#{field}", Input).value
        for field in ("status", "size"):
            value = self.query_one(f"#{field}", Select).value
            out[field] = None if value is Select.NULL else str(value)
        return out

    def action_save(self) -> None:
        values = self.values()
        nb = self.app.nb
        try:
            if self.company is None:
                name = values.pop("name") or ""
                saved = nb.add_company(name, **{k: x for k, x in values.items() if x})
            else:
                saved = nb.edit_company(self.company.id, **values)
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved.id)
