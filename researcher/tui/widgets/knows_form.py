"""Record or edit whom a person knows: the other person (looked up as one types), strength, how, kind."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import Suggester, SuggestionReady
from textual.widgets import Input, Label, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from researcher.store import Notebook, ResearcherError
from researcher.store.models import Person, Relationship
from researcher.text import fold
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal

STRENGTHS = [("3  close", 3), ("2  good", 2), ("1  weak", 1)]


def kinds(name: str) -> list[tuple[Text, str]]:
    """The kinds of link, worded from the person whose page it is (a name is text, never markup)."""
    return [
        (Text("knows"), "knows"),
        (Text("worked with"), "worked_with"),
        (Text.assemble(safe.line(name), " was introduced by them"), "introduced_by"),
        (Text.assemble("they were introduced by ", safe.line(name)), "introduced"),
    ]


class MatchSuggester(Suggester):
    """Completes a name from the people the last lookup found (no query of its own on the event loop)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names: list[str] = []

    def suggest(self, value: str) -> str | None:
        wanted = fold(value).strip()
        if wanted == "me":  # a word of its own: you, not "Mehdi"
            return None
        for name in self.names:
            if fold(name).startswith(wanted) and len(name) > len(value):
                return name
        return None

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)


class KnowsForm(FormModal):
    """Returns the relationship id saved, or None when cancelled. With `link`, edits that link."""

    def __init__(self, person: Person, link: Relationship | None = None, other: str = "") -> None:
        super().__init__()
        self.person = person
        self.link = link
        self.other = other
        self.suggester = MatchSuggester()

    def compose(self) -> ComposeResult:
        name = self.person.name
        with VerticalScroll(classes="dialog form"):
            title = Text.assemble(("Edit how " if self.link else "Whom does ", "bold"), safe.line(name, style="bold"))
            title.append(" knows " if self.link else " know?", style="bold")
            if self.link:
                title.append_text(safe.line(self.link.other_name, style="bold"))
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            if self.link is None:
                yield Label('The other person: a name (accents and case aside), a slug, or "me"')
                yield Input(self.other, id="name", suggester=self.suggester, compact=True)
                yield Static("", id="matches")
            yield Label("Strength")
            strength = self.link.strength if self.link else 2
            yield Select(STRENGTHS, value=strength, allow_blank=False, id="strength", compact=True)
            yield Label("How they know each other")
            yield Input((self.link.how or "") if self.link else "", id="how", compact=True)
            yield Label("Kind")
            kind = self.link.kind if self.link else "knows"
            yield Select(kinds(name), value=kind, allow_blank=False, id="kind", compact=True)
            yield from self.compose_buttons()

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the focus is ours to place (FormModal's goes to #name)
        self.query_one("#name" if self.link is None else "#how", Input).focus()
        if self.link is None and self.other:
            self.lookup(self.other)

    @on(Input.Changed, "#name")
    def _typed(self, event: Input.Changed) -> None:
        self.lookup(event.value)

    @work(thread=True, exclusive=True, group="knows-lookup", exit_on_error=False)
    def lookup(self, text: str) -> None:
        """Who the typed name could be, with their role (so two people of one name can be told apart)."""
        with Notebook(self.app.db_path, create=False) as nb:
            found = nb.person_matches(text, limit=5) if text.strip() else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_matches, found)

    def _show_matches(self, found: list[Person]) -> None:
        self.suggester.names = [p.name for p in found]
        box = self.query_one("#name", Input)
        suggestion = self.suggester.suggest(box.value) if box.value else None
        if suggestion:  # the names came after the keystroke: offer the completion now
            box.post_message(SuggestionReady(box.value, suggestion))
        out = Text()
        for p in found:
            if out:
                out.append("\n")
            out.append_text(safe.line(p.name, style="bold"))
            out.append("  (me)" if p.is_me else f"  {p.slug}", style="magenta" if p.is_me else "dim")
            if p.title and p.company:
                out.append("  ")
                out.append_text(safe.line(f"{p.title} at {p.company}", style="dim"))
        self.query_one("#matches", Static).update(out)

    def action_save(self) -> None:
        strength = self.query_one("#strength", Select).value
        kind = str(self.query_one("#kind", Select).value)
        how = self.query_one("#how", Input).value
        if self.link is not None:
            try:
                saved = self.app.nb.edit_relationship(
                    self.link.id, seen_from=self.person.id, kind=kind, strength=strength, how=how
                )
            except ResearcherError as exc:
                self.show_error(str(exc))
                return
            self.dismiss(saved.id)
            return
        self.record(self.value("name"), kind, strength, how)

    @work(thread=True, exclusive=True, group="knows-save", exit_on_error=False)
    def record(self, other: str, kind: str, strength, how: str) -> None:
        """Saved off the event loop: a name that matches nobody is looked up by spelling, which takes a while
        on a big notebook."""
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                saved = nb.record_relationship(self.person.id, other, kind=kind, strength=strength, how=how or None)
        except ResearcherError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, saved.id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # not a user's mistake (those show in the form): the app's error path
            event.stop()
            self.app.report(event.worker.error)
