"""Log an interaction with a person (channel, direction, when, what was said); or log a follow-up as done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static

from researcher import clock
from researcher.store import ResearcherError
from researcher.store.schema import CHANNELS
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal


class InteractionForm(FormModal):
    def __init__(self, person_id: int, name: str, channel: str = "linkedin") -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        self.channel = channel

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(
                Text.assemble(("Log an interaction with ", "bold"), safe.line(self.person_name, style="bold")),
                classes="dialog-title",
            )
            yield Static("", id="form-error")
            yield Label("What happened")
            yield Input(id="name", placeholder="e.g. Coffee call: she suggested I meet the data team", compact=True)
            yield Label("Channel")
            yield Select([(c, c) for c in CHANNELS], value=self.channel, allow_blank=False, id="channel", compact=True)
            yield Label("Direction")
            yield Select(
                [("I reached out (out)", "out"), ("They reached me (in)", "in")],
                value="out",
                allow_blank=False,
                id="direction",
                compact=True,
            )
            yield Label("When (YYYY-MM-DD; empty: now)")
            yield Input("", id="when", placeholder=clock.today().isoformat(), compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        try:
            self.app.nb.add_interaction(
                self.person_id,
                str(self.query_one("#channel", Select).value),
                self.value("name"),
                when=self.value("when"),
                direction=str(self.query_one("#direction", Select).value),
            )
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(self.person_id)


class FollowUpDoneForm(InteractionForm):
    """The follow-up happened: what happened, written down (the step itself to start with; enter keeps it).
    Saving logs the interaction and clears the next step and date, in one go (Notebook.follow_up_done)."""

    def __init__(self, person_id: int, name: str, step: str | None, channel: str = "other") -> None:
        super().__init__(person_id, name, channel)
        self.step = step

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(
                Text.assemble(
                    ("Follow-up done with ", "bold"),
                    safe.line(self.person_name, style="bold"),
                    (": what happened?", "bold"),
                ),
                classes="dialog-title",
            )
            yield Static("", id="form-error")
            yield Label("What happened (logged; the next step and date are cleared)")
            default = f"Follow-up done: {self.step}" if self.step else "Follow-up done"
            yield Input(default, id="name", compact=True)
            yield Label("Channel")
            yield Select([(c, c) for c in CHANNELS], value=self.channel, allow_blank=False, id="channel", compact=True)
            yield Label("When (YYYY-MM-DD; empty: now)")
            yield Input("", id="when", placeholder=clock.today().isoformat(), compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        try:
            self.app.nb.follow_up_done(
                self.person_id,
                note=self.value("name"),
                when=self.value("when") or None,
                channel=str(self.query_one("#channel", Select).value),
            )
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(self.person_id)
