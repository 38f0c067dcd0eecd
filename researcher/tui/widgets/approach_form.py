"""A person's approach: next step, its date, priority, keep-in-touch cadence; and moving a follow-up to a new date."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from researcher import clock
from researcher.store import ResearcherError
from researcher.store.models import Approach, Person
from researcher.store.person_edits import shift_date
from researcher.tui import safe
from researcher.tui.widgets.form_base import FormModal
from researcher.tui.widgets.modal import Modal

PRIORITIES = [("1  highest", 1), ("2  normal", 2), ("3  lowest", 3)]


class ApproachForm(FormModal):
    """Returns the person's id when saved. An emptied field clears it; the date takes +7d, +2w, +1m too."""

    def __init__(self, person: Person, approach: Approach | None) -> None:
        super().__init__()
        self.person = person
        self.approach = approach

    def compose(self) -> ComposeResult:
        a = self.approach
        with VerticalScroll(classes="dialog form"):
            yield Static(
                Text.assemble(("Approach to ", "bold"), safe.line(self.person.name, style="bold")),
                classes="dialog-title",
            )
            yield Static("", id="form-error")
            yield Label("Next step (empty: none)")
            yield Input((a.next_step or "") if a else "", id="name", placeholder="e.g. Send my notes", compact=True)
            yield Label("Next date: YYYY-MM-DD, or +7d, +2w, +1m from today (empty: none)")
            yield Input((a.next_action_at or "") if a else "", id="next", placeholder="+1w", compact=True)
            yield Label("Priority")
            yield Select(PRIORITIES, value=a.priority if a else 2, allow_blank=False, id="priority", compact=True)
            yield Label(f"Keep in touch every N days (30, 60, 90…; empty: your default, {self.app.nb.quiet_days()})")
            every = str(a.cadence_days) if a and a.cadence_days else ""
            yield Input(every, id="every", placeholder="30", compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        nb = self.app.nb
        try:
            typed = self.value("next").strip()
            when = shift_date(typed, clock.today()) if typed else ""
            nb.set_approach(
                self.person.id,
                next_step=self.value("name"),
                next_action_at=when,
                priority=self.query_one("#priority", Select).value,  # type: ignore[arg-type]
                cadence_days=self.value("every").strip(),
            )
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(self.person.id)


class MoveFollowUp(Modal[str | None]):
    """Pick a new date for a follow-up: 1 (w) a week later, 2 (m) a month later, or 3 (t) type one. Returns what was picked
    ("+1w", "+1m" or the text typed), for Notebook.move_follow_up."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("1,w", "pick('+1w')", "A week later"),
        Binding("2,m", "pick('+1m')", "A month later"),
        Binding("3,t", "type_date", "Type a date"),
    ]

    def __init__(self, person: Person, approach: Approach, base: date) -> None:
        super().__init__()
        self.person = person
        self.approach = approach
        self.base = base

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            title = Text.assemble(("Move the follow-up with ", "bold"), safe.line(self.person.name, style="bold"))
            if self.approach.next_action_at:
                title.append(f" (due {self.approach.next_action_at})", style="dim")
            yield Static(title, classes="dialog-title")
            yield Static("", id="form-error")
            yield OptionList(
                Option(Text.assemble(("1  ", "bold cyan"), f"a week later: {shift_date('+1w', self.base)}"), id="+1w"),
                Option(Text.assemble(("2  ", "bold cyan"), f"a month later: {shift_date('+1m', self.base)}"), id="+1m"),
                Option(Text.assemble(("3  ", "bold cyan"), "another date…"), id="type"),
            )
            yield Input(id="date", placeholder="YYYY-MM-DD or +10d, +3w, +2m; enter", compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "type":
            self.action_type_date()
        else:
            self.dismiss(event.option.id)

    def action_pick(self, spec: str) -> None:
        self.dismiss(spec)

    def action_type_date(self) -> None:
        self.query_one("#date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            shift_date(event.value, self.base)  # said here, in the dialog, not after it closed
        except ResearcherError as exc:
            self.query_one("#form-error", Static).update(safe.line(str(exc), style="bold red"))
            return
        self.dismiss(event.value)
