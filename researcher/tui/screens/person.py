"""A person: current role, career timeline, relationships, approach and notes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from researcher import clock
from researcher.insight.activity import person_activity
from researcher.insight.careers import overlaps
from researcher.insight.paths import find_paths
from researcher.store import ResearcherError
from researcher.store.models import Person, Relationship
from researcher.store.schema import APPROACH_STATUSES
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.widgets.notes_pane import NotesPane
from researcher.tui.widgets.person_form import PersonForm
from researcher.tui.widgets.timeline import Timeline
from researcher.words import plural


class PersonScreen(BaseScreen):
    BINDINGS = [
        Binding("t", "status", "Status"),
        Binding("right_square_bracket", "step_status(1)", "Next status", show=False),
        Binding("left_square_bracket", "step_status(-1)", "Previous status", show=False),
        Binding("i", "interaction", "Log interaction"),
        Binding("w", "invite", "Invitation"),
        Binding("e", "edit", "Edit"),
        Binding("c", "open_company", "Company"),
        Binding("j", "down(1)", "Scroll down", show=False),
        Binding("k", "down(-1)", "Scroll up", show=False),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.person: Person | None = None
        self.relations: list[Relationship] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="person-body"):
            with Horizontal(id="person-head"):
                yield Static(id="person-info")
                yield Static(id="person-approach")
            yield Static("Career", classes="section-title")
            yield Timeline(id="timeline")
            yield Static("Warm paths from you", classes="section-title", id="paths-title")
            yield Static(id="paths")
            yield Static("Relationships", classes="section-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="relations-table")
            yield Static("Activity", classes="section-title")
            yield Static(id="activity")
            yield Static("Notes", classes="section-title")
            yield NotesPane(NoteTarget("person", self.person_id, ""), id="person-notes")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one("#relations-table", DataTable)
        for label, width in (("Knows", 24), ("Link", 13), ("Strength", 8), ("How", None)):
            table.add_column(label, width=width)
        # The page itself has the focus, so arrows, PageDown and End scroll it; tab reaches the tables.
        self.query_one("#person-body", VerticalScroll).focus(scroll_visible=False)

    def action_down(self, lines: int) -> None:
        """j/k: move in the table in focus, else scroll the page."""
        if isinstance(self.focused, DataTable):
            self.focused.move_cursor(row=max(0, (self.focused.cursor_row or 0) + lines))
        else:
            self.query_one("#person-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def on_screen_resume(self) -> None:
        try:
            self.reload()
        except ResearcherError:
            self.app.pop_screen()

    def reload(self) -> None:
        nb = self.app.nb
        self.person = p = nb.person(self.person_id)
        self.set_title("People", safe.line(p.name, style="bold"), right="this is you" if p.is_me else "")
        info = Text()
        info.append_text(safe.line(p.name, style="bold"))
        if p.is_me:
            info.append("  (me)", style="bold magenta")
        info.append("\n")
        if p.headline:
            info.append_text(safe.line(p.headline, style="italic"))
            info.append("\n")
        if p.company:
            info.append_text(
                Text.assemble(
                    ("Now       ", "dim"), safe.line(p.title), " at ", safe.line(p.company, style="bold"), "\n"
                )
            )
        for label, value in (("Location", p.location), ("Email", p.email), ("Phone", p.phone)):
            if value:
                info.append_text(Text.assemble((f"{label:<10}", "dim"), safe.line(value), "\n"))
        profiles = p.profiles
        for network, url in profiles.items():
            info.append_text(Text.assemble((f"{network.capitalize():<10}", "dim"), safe.line(url), "\n"))
        if not profiles:
            info.append("On no network (met offline)\n", style="dim italic")
        self.query_one("#person-info", Static).update(info)

        approach = nb.approach(p.id)
        side = Text("Approach\n", style="bold underline")
        if approach:
            side.append_text(
                Text.assemble(
                    ("Status    ", "dim"),
                    (approach.status, "bold"),
                    "\n",
                    ("Priority  ", "dim"),
                    str(approach.priority),
                    "\n",
                )
            )
            if approach.next_action_at:
                overdue = approach.next_action_at < clock.today().isoformat()
                side.append_text(
                    Text.assemble(("Next      ", "dim"), (approach.next_action_at, "bold red" if overdue else ""), " ")
                )
                side.append_text(safe.line(approach.next_step))
                side.append("\n")
        else:
            side.append("Not in your approach pipeline yet.\n", style="dim italic")
        interactions = nb.interactions_of(p.id)
        if interactions:
            last = interactions[0]
            side.append_text(Text.assemble(("Last      ", "dim"), safe.when(last.at)[:10], " ", last.channel, ": "))
            side.append_text(safe.line(last.summary[:80]))
            side.append(f"\n{plural(len(interactions), 'interaction')} in all", style="dim")
        self.query_one("#person-approach", Static).update(side)

        positions = nb.positions_of(p.id)
        me = nb.me()
        highlight: set[int] = set()
        if me and me.id != p.id:
            highlight = set(overlaps(nb.positions_of(me.id), positions, clock.this_month()))
        self.query_one(Timeline).set_positions(positions, highlight)

        self._paths(p, me)
        table = self.query_one("#relations-table", DataTable)
        table.clear()
        self.relations = nb.relationships_of(p.id)
        for r in self.relations:
            table.add_row(
                safe.line(r.other_name, style="bold"),
                r.kind.replace("_", " "),
                Text("●" * r.strength, style="green"),
                safe.line(r.how),
            )
        table.styles.height = max(2, len(self.relations) + 1)
        events = person_activity(nb, p.id)
        activity = Text()
        for e in events[:12]:
            style = {"interaction": "cyan", "note": "yellow", "status": "magenta"}.get(e.kind, "")
            activity.append(f"{e.at[:10]}  ", style="dim")
            activity.append(f"{e.kind:<12}", style=style)
            if e.detail:
                activity.append(e.detail + "  ", style="dim")
            activity.append_text(safe.line(e.text[:100]))
            activity.append("\n")
        if len(events) > 12:
            activity.append(f"… {len(events) - 12} more: researcher interaction list {p.slug}", style="dim")
        if not events:
            activity.append("Nothing yet: i logs an interaction, t sets the approach status.", style="dim italic")
        self.query_one("#activity", Static).update(activity)
        notes = self.query_one("#person-notes", NotesPane)
        notes.target = NoteTarget("person", p.id, p.name)
        notes.reload()

    def _paths(self, p: Person, me: Person | None) -> None:
        """Up to three chains from me to this person, each link with its reason."""
        widget = self.query_one("#paths", Static)
        show = me is not None and me.id != p.id
        widget.display = show
        self.query_one("#paths-title", Static).display = show
        if not show:
            return
        result = find_paths(self.app.nb, p.id, me=me.id)
        out = Text()
        for n, warm in enumerate(result.paths, 1):
            out.append(f"{n}. ", style="bold")
            names = [warm.links[0].from_name] + [link.to_name for link in warm.links]
            out.append_text(safe.line(" → ".join(names), style="bold"))
            out.append(f"  ({plural(len(warm.links), 'link')})\n", style="dim")
            for link in warm.links:
                out.append("     ")
                out.append_text(safe.line(f"{link.from_name} → {link.to_name}", style="dim"))
                out.append(": ", style="dim")
                out.append_text(safe.line(link.reason))
                out.append("\n")
        if not result.paths:
            out.append("No path from you in the notebook.", style="italic")
            if result.suggestions:
                out.append(" Closest to you at their company: ", style="dim")
                out.append_text(safe.line(", ".join(f"{s.name} ({s.relation})" for s in result.suggestions)))
        widget.update(out)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "relations-table" and event.cursor_row < len(self.relations):
            self.app.open_person(self.relations[event.cursor_row].other_id)

    def action_status(self) -> None:
        from researcher.tui.widgets.status_picker import StatusPicker

        if self.person is None:
            return
        approach = self.app.nb.approach(self.person.id)

        def picked(status: str | None) -> None:
            if status:
                self.app.nb.set_approach(self.person.id, status=status)
                self.app.notify(f"{self.person.name}: {status}", markup=False)
                self.reload()

        self.app.push_screen(StatusPicker(self.person.name, approach.status if approach else None), picked)

    def action_step_status(self, delta: int) -> None:
        """One key moves the approach one step along the pipeline (] forward, [ back)."""
        if self.person is None:
            return
        approach = self.app.nb.approach(self.person.id)
        current = APPROACH_STATUSES.index(approach.status) if approach else -1
        target = APPROACH_STATUSES[max(0, min(len(APPROACH_STATUSES) - 1, current + delta))]
        if approach and target == approach.status:
            return
        self.app.nb.set_approach(self.person.id, status=target)
        self.app.notify(f"{self.person.name}: {target}", markup=False)
        self.reload()

    def action_interaction(self) -> None:
        from researcher.tui.widgets.interaction_form import InteractionForm

        if self.person:
            channel = next(iter(self.person.profiles), "email") if self.person.profiles else "in person"
            self.app.push_screen(
                InteractionForm(self.person.id, self.person.name, channel),
                lambda saved: self.reload() if saved else None,
            )

    def action_invite(self) -> None:
        from researcher.tui.widgets.invitation_editor import InvitationEditor

        if self.person:
            self.app.push_screen(
                InvitationEditor(self.person.id, self.person.name), lambda changed: self.reload() if changed else None
            )

    def action_edit(self) -> None:
        if self.person:
            self.app.push_screen(PersonForm(self.person))

    def action_open_company(self) -> None:
        if self.person and self.person.company_slug:
            self.app.open_company(self.app.nb.company(self.person.company_slug).id)
        else:
            self.app.notify("Their current company is not one you track.", severity="warning")

    def note_target(self) -> NoteTarget | None:
        return NoteTarget("person", self.person.id, self.person.name) if self.person else None
