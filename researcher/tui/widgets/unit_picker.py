"""Pick one of a company's units (or its people) from a list that typing narrows; the choice is applied at once and a
refusal (a unit under its own sub-unit, a loop of managers) shows its one line while the list stays open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from researcher.insight.org import OrgChart
from researcher.store import ResearcherError
from researcher.text import fold
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal

# The list shows this many matches; typing narrows the rest (a big company has thousands of people).
SHOWN = 200
NONE = ""  # the choice that clears: the top level, no unit, nobody


@dataclass(frozen=True)
class Choice:
    value: str | int
    label: str
    indent: int = 0
    note: str = ""  # "(now)", a title: shown dim after the label


class Picker(Modal[str | int | None]):
    """Returns the value picked once `apply` accepted it (None: cancelled). `apply` raises a ResearcherError to
    refuse; its message is shown and the list stays open."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    Picker .unit-picker { width: 70; height: auto; max-height: 90%; }
    Picker OptionList { height: auto; max-height: 20; }
    Picker #picker-error { height: auto; }
    """

    def __init__(
        self, title: Text, choices: Sequence[Choice], apply: Callable[[str | int], object], current: str | int | None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.apply = apply
        self.current = current
        self._shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog unit-picker"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static("", id="picker-error")
            yield Input(placeholder="type to narrow, enter picks", id="picker-filter", compact=True)
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, query: str) -> None:
        words = fold(query).split()
        matches = [c for c in self.choices if all(w in fold(c.label) for w in words)]
        self._shown = matches[:SHOWN]
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        options.add_options(
            [Option(self._label(c), id=str(i)) for i, c in enumerate(self._shown)]
            + ([Option(Text(f"{len(matches) - SHOWN} more: type to narrow", style="dim italic"), disabled=True)]
               if len(matches) > SHOWN else [])
        )  # fmt: skip
        if not self._shown:
            options.add_option(Option(Text("Nothing matches.", style="dim italic"), disabled=True))
            return
        at = next((i for i, c in enumerate(self._shown) if c.value == self.current), 0)
        options.highlighted = at

    @staticmethod
    def _label(choice: Choice) -> Text:
        text = Text("  " * choice.indent)
        text.append_text(safe.line(choice.label, style="italic" if choice.value == NONE else ""))
        if choice.note:
            text.append("  ")
            text.append_text(safe.line(choice.note, style="dim"))
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._pick(self.query_one("#picker-list", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._shown):
            return
        value = self._shown[index].value
        try:
            self.apply(value)
        except ResearcherError as exc:
            self.query_one("#picker-error", Static).update(safe.line(str(exc), style="bold red"))
            return
        self.dismiss(value)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


def unit_choices(chart: OrgChart, none_label: str, current: int | None = None) -> list[Choice]:
    """Every unit of the chart as a tree (indented), after the choice that means none."""
    choices = [Choice(NONE, none_label, note="(now)" if current is None else "")]
    for unit, depth in chart.walk():
        choices.append(Choice(unit.name, unit.name, depth, "(now)" if unit.id == current else ""))
    return choices


def people_choices(chart: OrgChart, leave_out: int, current: int | None = None) -> list[Choice]:
    """Everyone at the company now, by name (but `leave_out`), after "nobody"."""
    people = [p for unit, _ in chart.walk() for p in unit.people] + chart.unplaced
    people.sort(key=lambda p: p.name.casefold())
    choices = [Choice(NONE, "nobody recorded", note="(now)" if current is None else "")]
    for p in people:
        if p.person_id != leave_out:
            note = p.title + (" (now)" if p.person_id == current else "")
            choices.append(Choice(p.person_id, p.name, 0, note))
    return choices
