"""Add or edit a person in a modal form; errors are shown in the form, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from researcher.store import ResearcherError
from researcher.store.models import Person
from researcher.tui import safe

_PROFILE_FIELDS = ("linkedin_url", "viadeo_url", "xing_url", "goldenline_url", "other_url")


class PersonForm(ModalScreen[int | None]):
    """Returns the id of the saved person, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, person: Person | None = None, company: str | None = None) -> None:
        super().__init__()
        self.person = person
        self.company = company

    def compose(self) -> ComposeResult:
        p = self.person
        companies = [c.name for c in self.app.nb.companies()]
        with VerticalScroll(classes="dialog form"):
            yield Static("Edit person" if p else "Add a person", classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Name")
            yield Input(p.name if p else "", id="name", compact=True)
            yield Label("Headline")
            yield Input((p.headline or "") if p else "", id="headline", compact=True)
            if p is None:
                yield Label("Works at (a company you track)")
                yield Input(self.company or "", id="company", suggester=SuggestFromList(companies, case_sensitive=False), compact=True)
                yield Label("Title there")
                yield Input("", id="title", compact=True)
                yield Label("Since (YYYY-MM)")
                yield Input("", id="start", placeholder="2023-04", compact=True)
            yield Label("Location")
            yield Input((p.location or "") if p else "", id="location", compact=True)
            yield Label("Email")
            yield Input((p.email or "") if p else "", id="email", compact=True)
            yield Label("Phone")
            yield Input((p.phone or "") if p else "", id="phone", compact=True)
            for field in _PROFILE_FIELDS:
                yield Label(field[:-4].capitalize() + " profile")
                yield Input((getattr(p, field) or "") if p else "", id=field, placeholder="https://", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def action_save(self) -> None:
        nb = self.app.nb
        fields = {f: self._value(f) for f in ("headline", "location", "email", "phone")}
        profiles = {f[:-4]: self._value(f) for f in _PROFILE_FIELDS}
        try:
            with nb.atomic():
                if self.person is None:
                    saved = nb.add_person(
                        self._value("name"),
                        company=self._value("company").strip() or None,
                        title=self._value("title").strip() or None,
                        start=self._value("start").strip() or None,
                        profiles=profiles,
                        **{k: x for k, x in fields.items() if x.strip()},
                    )
                else:
                    saved = nb.edit_person(self.person.id, name=self._value("name"), profiles=profiles, **fields)
        except ResearcherError as exc:
            self.query_one("#form-error", Static).update(safe.line(str(exc), style="bold red"))
            return
        self.dismiss(saved.id)
