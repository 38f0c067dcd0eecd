"""Add or edit a position of a person's career (title, function, unit and whom they report to, dates); end one in a
month."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from researcher import clock
from researcher.store import Invalid, NotFound, ResearcherError
from researcher.store.models import Person, Position
from researcher.store.schema import FUNCTIONS
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal


class PositionForm(FormModal):
    """Returns the saved position's id. Adding asks for the company (tracked or not); editing keeps it."""

    def __init__(self, person: Person, position: Position | None = None) -> None:
        super().__init__()
        self.person = person
        self.position = position
        self.manager = ""  # the name of whom they report to there, as the form opened

    def _suggestions(self) -> tuple[SuggestFromList | None, SuggestFromList | None]:
        """The company's units and its people now, to complete those two fields (editing a tracked company's)."""
        x, nb = self.position, self.app.nb
        if x is None or x.company_id is None:
            return None, None
        if x.manager_id is not None:
            self.manager = nb.person(x.manager_id).name
        units = [u.name for u in nb.org_units(x.company_id)]
        people = sorted({p.person_name or "" for p in nb.positions_at(x.company_id, current=True)} - {self.person.name})
        return SuggestFromList(units, case_sensitive=False), SuggestFromList(people, case_sensitive=False)

    def compose(self) -> ComposeResult:
        x = self.position
        with VerticalScroll(classes="dialog form"):
            title = Text("Edit a position of " if x else "Add a position to ", style="bold")
            title.append_text(safe.line(self.person.name, style="bold"))
            if x:
                title.append(" at ", style="bold")
                title.append_text(safe.line(x.company_name, style="bold"))
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            if x is None:
                yield Label("Company (one you track, or any other name)")
                names = self.app.nb.company_names()
                yield Input("", id="company", suggester=SuggestFromList(names, case_sensitive=False), compact=True)
            yield Label("Title")
            yield Input(x.title if x else "", id="name", compact=True)
            yield Label("Function")
            yield Select(
                [(f, f) for f in FUNCTIONS], value=(x.function if x and x.function else Select.NULL), id="function",
                compact=True,
            )  # fmt: skip
            units, people = self._suggestions()
            yield Label("Org unit (at a tracked company; empty: none)")
            yield Input((x.org_unit or "") if x else "", id="unit", compact=True, suggester=units)
            yield Label("Reports to (someone who works there now; empty: nobody recorded)")
            yield Input(self.manager, id="reports", compact=True, suggester=people)
            yield Label("Start (YYYY-MM)")
            yield Input((x.start or "") if x else "", id="start", placeholder="2021-09", compact=True)
            yield Label("End (YYYY-MM; empty: held now)")
            yield Input((x.end or "") if x else "", id="end", placeholder="empty: now", compact=True)
            yield from self.compose_buttons()

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the focus is ours to place (FormModal's goes to #name)
        self.query_one("#company" if self.position is None else "#name", Input).focus()

    def action_save(self) -> None:
        nb = self.app.nb
        function = self.query_one("#function", Select).value
        fields = {
            "title": self.value("name"),
            "function": "" if function is Select.NULL else str(function),
            "unit": self.value("unit"),
            "start": self.value("start"),
            "end": self.value("end"),
        }
        reports_to = self.value("reports")
        try:
            with nb.atomic():  # the position and whom they report to are saved together, or neither
                if self.position is None:
                    saved = nb.add_position(
                        self.person.id, **self._company(), **{k: (val.strip() or None) for k, val in fields.items()}
                    )
                else:
                    saved = nb.edit_position(self.position.id, **fields)
                if reports_to.strip() != self.manager:
                    self._reports_to(saved, reports_to)
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved.id)

    def _reports_to(self, saved: Position, reports_to: str) -> None:
        """Whom they report to is recorded on the position held now at a company you track."""
        if saved.company_id is None or saved.end is not None:
            if reports_to.strip():
                raise Invalid("whom they report to goes with a position held now at a company you track")
            return
        self.app.nb.place_person(saved.company_id, saved.person_id, reports_to=reports_to)

    def _company(self) -> dict[str, object]:
        """A company you track when the name names one (as anywhere: accents, case, first words aside), else
        the name as typed, for a company you do not track."""
        name = self.value("company")
        try:
            return {"company": self.app.nb.company(name).id}
        except NotFound:
            return {"company_name": name}


class EndPositionForm(FormModal):
    """They left: the month a position ended (this month to start with). Returns the position's id."""

    def __init__(self, position: Position) -> None:
        super().__init__()
        self.position = position

    def compose(self) -> ComposeResult:
        x = self.position
        with VerticalScroll(classes="dialog form"):
            title = Text("End ", style="bold")
            title.append_text(safe.line(f"{x.title} at {x.company_name}", style="bold"))
            title.append(f" (since {x.start or '?'})", style="dim")
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Left in (YYYY-MM)")
            yield Input(x.end or clock.this_month(), id="name", compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        try:
            self.app.nb.end_position(self.position.id, self.value("name"))
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(self.position.id)
