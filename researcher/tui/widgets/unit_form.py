"""Add a unit to a company's organisation (under another unit, or at the top) or rename one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from researcher.store import ResearcherError
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal


class UnitForm(FormModal):
    """Returns the unit's id. With `unit` (its current name) it renames it; else it adds one under `parent`."""

    def __init__(self, company_id: int, company: str, unit: str | None = None, parent: str | None = None) -> None:
        super().__init__()
        self.company_id = company_id
        self.company = company
        self.unit = unit
        self.parent_unit = parent

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            if self.unit is not None:
                title = Text.assemble(("Rename ", "bold"), safe.line(self.unit, style="bold"))
            else:
                title = Text.assemble(("Add a unit to ", "bold"), safe.line(self.company, style="bold"))
                title.append_text(
                    Text.assemble((" under ", "bold"), safe.line(self.parent_unit, style="bold"))
                    if self.parent_unit
                    else Text(" (at the top)", style="dim")
                )
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Name")
            yield Input(self.unit or "", id="name", compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        nb = self.app.nb
        try:
            if self.unit is not None:
                saved = nb.rename_org_unit(self.company_id, self.unit, self.value("name"))
            else:
                saved = nb.add_org_unit(self.company_id, self.value("name"), parent=self.parent_unit)
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved.id)
