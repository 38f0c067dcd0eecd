"""Track a discovered name: asks its sector (the inferred one filled in); the screen does the tracking in a thread."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from researcher.store import ResearcherError
from researcher.store import validate as v
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal


class TrackForm(FormModal):
    """Returns the sector typed ("" for none given: the one discovery infers), or None when cancelled."""

    def __init__(self, name: str, sector: str | None, sectors: list[str], evidence: str = "") -> None:
        super().__init__()
        self.company_name = name
        self.sector = sector
        self.sectors = sectors
        self.evidence = evidence

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(Text.assemble("Track ", safe.line(self.company_name, style="bold")), classes="dialog-title")
            yield Static(
                safe.block(
                    "The positions at this name link to the new company, and so do the news items naming it"
                    + (f" ({self.evidence})." if self.evidence else ".")
                ),
            )
            yield Static("", id="form-error")
            yield Label("Sector (blank: the one discovery infers)")
            yield Input(
                self.sector or "",
                id="sector",
                suggester=SuggestFromList(self.sectors, case_sensitive=False),
                compact=True,
            )
            yield from self.compose_buttons()

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the base form focuses a name field: this one has none
        self.query_one("#sector", Input).focus()

    def action_save(self) -> None:
        try:
            sector = v.line(self.value("sector"), "sector", v.MAX_LINE) or ""
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(sector)
