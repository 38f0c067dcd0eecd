"""Study a role: who holds or held it, the stepping stones before it, where they came from, how long it took."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from researcher.insight.study import CareerStudy, study_role
from researcher.store import ResearcherError
from researcher.store.schema import FUNCTIONS
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.words import plural


class CareersScreen(BaseScreen):
    section = "careers"

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self.initial_title = title
        self.study: CareerStudy | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Horizontal(classes="filters"):
            yield Input(
                self.initial_title, placeholder="Role: title words, e.g. head of product", id="role", compact=True
            )
            yield Select([(f, f) for f in FUNCTIONS], prompt="Any function", id="function", compact=True)
        yield Static(id="study-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="holders")
        yield from self.compose_footer()

    def _columns(self, width: int) -> None:
        """Columns sized to the terminal: the two long ones share what the short ones leave."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        person = 22 if width >= 100 else 16
        # 2 cells of padding per column, 2 for the scrollbar.
        rest = max(24, width - (3 + person + 7 + 6) - 2 * 6 - 2)
        role = rest * 5 // 9
        for label, size in (
            ("", 3),
            ("Person", person),
            ("Role, company", role),
            ("Since", 7),
            ("Years", 6),
            ("Just before", rest - role),
        ):
            table.add_column(label, width=size)
        self._width = width

    def on_resize(self) -> None:
        if self.is_mounted and self.size.width != self._width:
            self._fill()

    def on_mount(self) -> None:
        self.set_title("Career paths", right="enter on a person opens them")
        self.query_one("#role", Input).focus()
        self.run_study()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_study()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.run_study()

    def run_study(self) -> None:
        title = self.query_one("#role", Input).value.strip()
        function = self.query_one("#function", Select).value
        function = None if function is Select.NULL else str(function)
        summary = self.query_one("#study-summary", Static)
        self.study = None
        try:
            if not title and not function:
                summary.update(Text("Type the words of a role you aim for, or pick a function.", style="dim italic"))
                return
            try:
                self.study = s = study_role(self.app.nb, title=title or None, function=function)
            except ResearcherError as exc:
                summary.update(safe.line(str(exc), style="red"))
                return
            summary.update(self._summary(s))
        finally:
            self._fill()

    def _summary(self, s: CareerStudy) -> Text:
        if not s.holders:
            return Text.assemble("Nobody in the notebook holds or held ", safe.line(s.role), ".")
        now = sum(h.current for h in s.holders)
        verb = "holds or held" if len(s.holders) == 1 else "hold or held"
        text = Text.assemble(
            (plural(len(s.holders), "person", "people"), "bold"), f" {verb} ", safe.line(s.role), f" ({now} now)"
        )
        if s.median_years_to_role is not None and s.range_years:
            text.append(
                f" · median {s.median_years_to_role:.1f} years from their first position "
                f"({s.range_years[0]:.1f}–{s.range_years[1]:.1f})"
            )
        text.append("\nStepping stones  ", style="bold")
        text.append_text(safe.line(", ".join(f"{t} ({n})" for t, n in s.stepping_stones[:6]) or "—"))
        text.append("\nCame from        ", style="bold")
        text.append_text(safe.line(", ".join(f"{c} ({n})" for c, n in s.came_from[:6]) or "—"))
        return text

    def _fill(self) -> None:
        """The holders, one row each; "now" marks only a position still held."""
        self._columns(self.size.width or self.app.size.width)
        table = self.query_one(DataTable)
        for h in self.study.holders if self.study else []:
            role = safe.line(f"{h.title}, {h.company}")
            if h.now_title:  # reached the role in a position since ended, holds it now in another: a 2nd line
                role.append("\nnow ", style="green")
                role.append_text(safe.line(f"{h.now_title}, {h.now_company}"))
            before = f"{h.before.title}, {h.before.company_name}" if h.before else ""
            table.add_row(
                Text("now" if h.end is None else "", style="green"),
                safe.line(h.name, style="bold"),
                role,
                h.start or "?",
                Text(f"{h.years_to_role:.1f} y" if h.years_to_role is not None else "", justify="right"),
                safe.line(before),
                height=2 if h.now_title else 1,
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.study and event.cursor_row < len(self.study.holders):
            self.app.open_person(self.study.holders[event.cursor_row].person_id)

    def note_target(self) -> NoteTarget | None:
        table = self.query_one(DataTable)
        if (
            self.study
            and table.has_focus
            and table.cursor_row is not None
            and table.cursor_row < len(self.study.holders)
        ):
            h = self.study.holders[table.cursor_row]
            return NoteTarget("person", h.person_id, h.name)
        return None
