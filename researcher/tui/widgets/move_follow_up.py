"""Move a follow-up: `w` in a week, `m` in a month, or a date typed; the list it came from keeps its place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from researcher.insight.network import later
from researcher.store import ResearcherError
from researcher.tui import safe


class MoveFollowUp(ModalScreen[str | None]):
    """Returns the new date (YYYY-MM-DD) once `move(date)` accepted it, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("w", "pick('week')", "In a week"),
        Binding("m", "pick('month')", "In a month"),
    ]

    def __init__(self, name: str, due: str | None, today: date, move: Callable[[str], object]) -> None:
        super().__init__()
        self.person_name = name
        self.due = due
        self.today = today
        self.move = move
        self.choices = {step: later(today, step).isoformat() for step in ("week", "month")}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(
                Text.assemble(("Move the follow-up with ", "bold"), safe.line(self.person_name, style="bold")),
                classes="dialog-title",
            )
            yield Static(Text(f"Due {self.due}" if self.due else "", style="dim"))
            yield Static("", id="form-error")
            yield OptionList(
                Option(Text.assemble(("w  ", "bold cyan"), f"In a week ({self.choices['week']})"), id="week"),
                Option(Text.assemble(("m  ", "bold cyan"), f"In a month ({self.choices['month']})"), id="month"),
            )
            yield Label("Or a date (YYYY-MM-DD), then enter")
            yield Input(id="date", placeholder=self.choices["week"], compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(str(event.option.id))

    def action_pick(self, step: str) -> None:
        self._apply(self.choices[step])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._apply(event.value)

    def _apply(self, day: str) -> None:
        try:
            self.move(day.strip())
        except ResearcherError as exc:
            self.query_one("#form-error", Static).update(safe.line(str(exc), style="bold red"))
            return
        self.dismiss(day.strip())
