"""Add or edit a glossary term in a modal form; accept a suggested term with the meaning the reader types."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static

from researcher.insight.vocabulary import Suggestion
from researcher.store import ResearcherError
from researcher.store.models import Term
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal

GLOBAL = "global"


class TermForm(FormModal):
    """A term of a company's glossary (or the global one): returns the saved term's id, or None when cancelled."""

    def __init__(self, company_id: int, company_name: str, term: Term | None = None) -> None:
        super().__init__()
        self.company_id = company_id
        self.company_name = company_name
        self.term = term

    def compose(self) -> ComposeResult:
        t = self.term
        with VerticalScroll(classes="dialog form"):
            title = Text("Edit the term " if t else "Add a term to the glossary ")
            if t:
                title.append_text(safe.line(t.term, style="bold"))
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Term")
            yield Input(t.term if t else "", id="name", placeholder="e.g. PPA", compact=True)
            if t is None:
                yield Label("Glossary")
                yield Select(
                    [(self.company_name or "this company", "company"), ("global (every company)", GLOBAL)],
                    value="company",
                    allow_blank=False,
                    id="scope",
                    compact=True,
                )
            yield Label("Meaning")
            yield Input(t.definition if t else "", id="meaning", compact=True)
            yield Label("Seen in")
            yield Input(
                (t.seen_in or "") if t else "",
                id="seen",
                placeholder="a news item, a job ad, an interview",
                compact=True,
            )
            yield Label("Example sentence")
            yield Input((t.example or "") if t else "", id="example", compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        nb = self.app.nb
        fields = {"meaning": self.value("meaning"), "seen_in": self.value("seen"), "example": self.value("example")}
        try:
            if self.term is None:
                scope = self.query_one("#scope", Select).value
                saved = nb.add_glossary_term(
                    self.value("name"), company=None if scope == GLOBAL else self.company_id, **fields
                )
            else:
                saved = nb.edit_term(self.term.id, new_term=self.value("name"), **fields)
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved.id)


class AcceptForm(FormModal):
    """A suggested term, with the sentence it came from: the reader types its meaning (or leaves it empty).
    Returns the meaning, or None when cancelled."""

    def __init__(self, suggestion: Suggestion) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        s = self.suggestion
        with VerticalScroll(classes="dialog form"):
            yield Static(
                Text.assemble("Add ", safe.line(s.term, style="bold"), " to the glossary"), classes="dialog-title"
            )
            yield Static("", id="form-error")
            yield Static(Text.assemble(("“", "dim"), safe.block(s.example, style="italic"), ("”", "dim")))
            yield Label("Meaning (what it means; enter saves, it may stay empty)")
            yield Input("", id="name", compact=True)  # the field the form focuses first
            yield from self.compose_buttons()

    def action_save(self) -> None:
        self.dismiss(self.value("name"))  # type: ignore[arg-type]
