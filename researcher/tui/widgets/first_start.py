"""The first start on an empty notebook: say who you are (why: warm paths start from you), then add a company."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Static

from researcher.store.models import Person
from researcher.tui import safe
from researcher.tui.widgets.person_form import PersonForm

WHY_ME = (
    "Warm paths start from you: the notebook finds whom you know, and whom they know, to reach the people you "
    "want to meet, and checks your own profiles. Until a person is marked as you, it cannot show any path nor "
    "your profile checklist."
)


class MeForm(PersonForm):
    """The person form with "this is me" ticked and the reason said: adds you; returns your id."""

    def on_mount(self) -> None:  # (after FormModal's, which Textual calls too)
        title = self.query_one(".dialog-title", Static)
        title.update("Who are you? (this is me)")
        self.query_one(VerticalScroll).mount(Static(Text(WHY_ME, style="dim"), classes="why-me"), after=title)
        self.query_one("#me", Checkbox).value = True  # saved by PersonForm.action_save, as you


class FirstStart(Static, can_focus=True):
    """Shown in place of the empty companies list: `m` says who you are, `a` adds a first company."""

    DEFAULT_CSS = """
    FirstStart {
        height: auto;
        padding: 1 2;
    }
    FirstStart:focus {
        background: $boost;
    }
    """
    BINDINGS = [
        Binding("m", "me", "This is me", tooltip="Say who you are: warm paths start from you"),
        Binding("enter", "next", "Next step", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.me: Person | None = None

    def show(self, me: Person | None) -> None:
        """Say what to do first, given who is marked as me (None: nobody yet)."""
        self.me = me
        text = Text.assemble(("Welcome to your notebook.", "bold"), "\n\n")
        if me is None:
            text.append("1. Say who you are: press m. ", style="bold")
        else:
            text.append("1. ✓ You are ", style="green")
            text.append_text(safe.line(me.name, style="bold green"))
            text.append(" (your profile URLs: on your page, from People, 2). ", style="green")
        # Why it matters, until it is done: then the warm paths are there to see.
        text.append((WHY_ME if me is None else "Warm paths start from you.") + "\n\n", style="dim")
        text.append("2. No companies yet: press a to add one you want to work for.", style="" if me is None else "bold")
        text.append("\n\n(Or run `researcher --demo` to explore a full notebook first.)", style="dim")
        self.update(text)

    def action_me(self) -> None:
        if self.me is not None:
            self.app.notify(f"You are {self.me.name} already.", markup=False)
            return
        self.app.push_screen(MeForm(), self._saved)

    def _saved(self, person_id: int | None) -> None:
        if person_id is not None:
            self.show(self.app.nb.person(person_id))
            self.app.notify("Saved: this is you. Now add a first company (a).", markup=False)

    def action_next(self) -> None:
        if self.me is None:
            self.action_me()
        else:
            self.screen.action_add()  # the first screen's `a`: add a company
