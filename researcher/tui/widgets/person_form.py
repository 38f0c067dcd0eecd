"""Add or edit a person in a modal form (with "this is me"); errors are shown in the form, escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Static

from researcher.store import ResearcherError
from researcher.store.models import Person
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal

_PROFILE_FIELDS = ("linkedin_url", "viadeo_url", "xing_url", "goldenline_url", "other_url")


class PersonForm(FormModal):
    """Returns the id of the saved person, or None when cancelled."""

    def __init__(self, person: Person | None = None, company: str | None = None) -> None:
        super().__init__()
        self.person = person
        self.company = company

    def compose(self) -> ComposeResult:
        p = self.person
        companies = self.app.nb.company_names()
        me = self.app.nb.me()
        with VerticalScroll(classes="dialog form"):
            yield Static("Edit person" if p else "Add a person", classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Name")
            yield Input(p.name if p else "", id="name", compact=True)
            yield Label("Headline")
            yield Input((p.headline or "") if p else "", id="headline", compact=True)
            if p is None:
                yield Label("Works at (a company you track)")
                yield Input(
                    self.company or "",
                    id="company",
                    suggester=SuggestFromList(companies, case_sensitive=False),
                    compact=True,
                )
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
            yield Label("You (warm paths start from you; your profile checklist is yours)")
            yield Checkbox("This is me", value=bool(p and p.is_me), id="me", compact=True)
            if me is not None and (p is None or me.id != p.id):
                yield Static(
                    Text.assemble(
                        ("Ticked, this person is you instead of ", "dim"), safe.line(me.name, style="dim bold")
                    ),
                    id="me-hint",
                )
            yield from self.compose_buttons()

    def action_save(self) -> None:
        nb = self.app.nb
        fields = {f: self.value(f) for f in ("headline", "location", "email", "phone")}
        profiles = {f[:-4]: self.value(f) for f in _PROFILE_FIELDS}
        me = self.query_one("#me", Checkbox).value
        try:
            with nb.atomic():
                if self.person is None:
                    saved = nb.add_person(
                        self.value("name"),
                        company=self.value("company").strip() or None,
                        title=self.value("title").strip() or None,
                        start=self.value("start").strip() or None,
                        profiles=profiles,
                        me=me,
                        **{k: x for k, x in fields.items() if x.strip()},
                    )
                else:
                    saved = nb.edit_person(self.person.id, name=self.value("name"), profiles=profiles, **fields)
                    if me != saved.is_me:
                        saved = nb.set_me(saved.id) if me else nb.unset_me(saved.id)
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved.id)
