"""A person as a workbench: role, career, warm paths, relationships, approach, activity and notes, each editable."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from researcher import clock
from researcher.insight.person_page import IS_ME, NO_ME, PersonPage, person_page
from researcher.store import Notebook, NotFound, ResearcherError
from researcher.store.models import Person, Position, Relationship
from researcher.store.person_edits import base_date
from researcher.store.schema import APPROACH_STATUSES, CHANNELS
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.notes_pane import NotesPane
from researcher.tui.widgets.person_form import PersonForm
from researcher.tui.widgets.timeline import Timeline
from researcher.words import plural

_ACTIVITY_SHOWN = 12


def _title(text: str, hint: str) -> Text:
    """A section's title with the keys that work on it."""
    return Text.assemble((text, "bold underline"), ("  " + hint, "dim"))


class PersonScreen(BaseScreen):
    BINDINGS = [
        Binding("t", "status", "Status"),
        Binding("right_square_bracket", "step_status(1)", "Next status", show=False),
        Binding("left_square_bracket", "step_status(-1)", "Previous status", show=False),
        Binding("a", "approach", "Approach", tooltip="Next step, next date, priority, keep in touch every N days"),
        Binding("x", "follow_up_done", "Follow-up done", tooltip="Log what happened; clears the next step and date"),
        Binding("z", "move_follow_up", "Move follow-up", show=False, tooltip="A week, a month later or a date"),
        Binding("i", "interaction", "Log interaction"),
        Binding("w", "invite", "Invitation"),
        Binding("r", "knows", "Knows…", tooltip="Record whom this person knows (you or anyone)"),
        Binding("p", "add_position", "Add position", show=False),
        Binding("l", "end_position", "End position", show=False, tooltip="They left: the highlighted career step"),
        Binding("e", "edit", "Edit", tooltip="The person, or the highlighted position, relationship or note"),
        Binding("d", "delete", "Remove", show=False, tooltip="The highlighted position or relationship (asks)"),
        Binding("m", "me", "This is me", show=False, tooltip="Warm paths start from you"),
        Binding("c", "open_company", "Company"),
        Binding("j", "down(1)", "Scroll down", show=False),
        Binding("k", "down(-1)", "Scroll up", show=False),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.person: Person | None = None
        self.page: PersonPage | None = None
        self.relations: list[Relationship] = []
        self.news: list[dict] = []  # the news naming them, as on screen
        self._highlight: int | None = None
        self._load_asked = False
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="person-body"):
            with Horizontal(id="person-head"):
                yield Static(Text("Loading…", style="dim italic"), id="person-info")
                yield Static(id="person-approach")
            yield Static(_title("Career", "p add · l end · tab here, then e edit, d remove"), classes="section-title")
            yield Timeline(id="timeline")
            yield Static(_title("Warm paths from you", ""), classes="section-title", id="paths-title")
            yield Static(id="paths")
            yield Static(
                _title("Relationships", "r add · tab here, then e edit, d remove, enter open"), classes="section-title"
            )
            yield DataTable(cursor_type="row", zebra_stripes=True, id="relations-table")
            yield Static(id="relations-empty")
            yield Static(_title("In the news", "tab here, then enter reads one"), classes="section-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="person-news-table")
            yield Static(id="person-news-empty")
            yield Static(_title("Activity", "i log an interaction"), classes="section-title")
            yield Static(id="activity")
            yield Static(_title("Notes", "n write one"), classes="section-title")
            yield NotesPane(NoteTarget("person", self.person_id, ""), id="person-notes")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one("#relations-table", DataTable)
        for label, width in (("Knows", 24), ("Link", 13), ("Strength", 8), ("How", None)):
            table.add_column(label, width=width)
        table.display = False
        # Every row shows (no horizontal scrollbar taking one of them): a long "how" is cut; e shows it whole.
        table.styles.overflow_x = "hidden"
        news = self.query_one("#person-news-table", DataTable)
        for label, width in (("Date", 10), ("Company", 22), ("Title", max(20, self.app.size.width - 46))):
            news.add_column(label, width=width)
        news.display = False
        news.styles.overflow_x = "hidden"
        # The page itself has the focus, so arrows, PageDown and End scroll it; tab reaches the lists.
        self.query_one("#person-body", VerticalScroll).focus(scroll_visible=False)
        self.set_title("People", "…")
        self.load()  # at once: read while the screen is first drawn

    def on_screen_resume(self) -> None:
        if self._resumed:  # back from a form or another screen (the first resume comes with the first load)
            self.reload()
        self._resumed = True

    # -- loading: off the event loop ----------------------------------------------------

    def reload(self) -> None:
        """Read the page again in a thread; it is drawn when it arrives, the reader's place kept.

        The thread starts after the next refresh: a form's answer and the screen's return from it ask in the
        same frame and get one read, and the screen is drawn again before the thread competes with it."""
        if not self._load_asked:
            self._load_asked = True
            self.call_after_refresh(self._start_load)

    def _start_load(self) -> None:
        self._load_asked = False
        self.load()

    @work(thread=True, exclusive=True, group="person-page", exit_on_error=False)
    def load(self) -> None:
        with Notebook(self.app.db_path, create=False) as nb:
            page = person_page(nb, self.person_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_page, page)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "person-page" or event.state != WorkerState.ERROR:
            return
        event.stop()
        error = event.worker.error
        if isinstance(error, NotFound) and self.is_current:  # removed meanwhile (from the CLI, say)
            self.app.pop_screen()
        self.app.report(error)  # type: ignore[arg-type]

    def show_page(self, page: PersonPage) -> None:
        if not self.is_attached:  # closed before its page arrived
            return
        body = self.query_one("#person-body", VerticalScroll)
        keep = body.scroll_y
        self.page, self.person = page, page.person
        p = page.person
        self.set_title("People", safe.line(p.name, style="bold"), right="this is you" if p.is_me else "")
        self.query_one("#person-info", Static).update(self._info(page))
        self.query_one("#person-approach", Static).update(self._approach(page))
        timeline = self.query_one(Timeline)
        timeline.set_positions(page.positions, set(page.overlap_ids))
        if self._highlight is not None:  # the position just added or edited
            timeline.select(self._highlight)
            self._highlight = None
        self._paths(page)
        self._relations(page)
        self._news(page)
        self.query_one("#activity", Static).update(self._activity(page))
        notes = self.query_one("#person-notes", NotesPane)
        notes.target = NoteTarget("person", p.id, p.name)
        notes.reload()
        self.call_after_refresh(body.scroll_to, y=keep, animate=False)

    # -- drawing ------------------------------------------------------------------------

    def _info(self, page: PersonPage) -> Text:
        p = page.person
        info = Text()
        info.append_text(safe.line(p.name, style="bold"))
        if p.is_me:
            info.append("  (me)", style="bold magenta")
        info.append("\n")
        if p.headline:
            info.append_text(safe.line(p.headline, style="italic"))
            info.append("\n")
        if page.current:
            now = page.current
            info.append_text(
                Text.assemble(
                    ("Now       ", "dim"), safe.line(now.title), " at ", safe.line(now.company_name, style="bold"), "\n"
                )
            )
        for label, value in (("Location", p.location), ("Email", p.email), ("Phone", p.phone)):
            if value:
                info.append_text(Text.assemble((f"{label:<10}", "dim"), safe.line(value), "\n"))
        for network, url in p.profiles.items():
            info.append_text(Text.assemble((f"{network.capitalize():<10}", "dim"), safe.line(url), "\n"))
        if not p.profiles:
            info.append("On no network (met offline)\n", style="dim italic")
        return info

    def _approach(self, page: PersonPage) -> Text:
        a, f = page.approach, page.follow_up
        side = Text("Approach\n", style="bold underline")
        if a:
            side.append_text(Text.assemble(("Status    ", "dim"), (a.status, "bold"), ("  t ] [\n", "dim")))
            side.append_text(Text.assemble(("Priority  ", "dim"), str(a.priority), "\n"))
        if a and (a.next_action_at or a.next_step):
            when = {
                "overdue": (f"{a.next_action_at}, overdue by {plural(-(f.days or 0), 'day')}", "bold red"),
                "today": (f"{a.next_action_at}, today", "bold yellow"),
                "upcoming": (f"{a.next_action_at}, in {plural(f.days or 0, 'day')}", ""),
            }.get(f.due or "", ("no date", "dim"))
            side.append_text(Text.assemble(("Next      ", "dim"), when, "\n"))
            if a.next_step:
                side.append("          ")
                side.append_text(safe.line(a.next_step))
                side.append("\n")
            side.append("          x done · z move · a change\n", style="dim")
        elif a:
            side.append("Next      none yet: a sets a step and a date\n", style="dim")
        else:
            side.append("Not in your approach pipeline yet: t sets a status, a a next step.\n", style="dim italic")
        every = f"{f.cadence_days}-day default" if f.cadence_is_default else f"every {plural(f.cadence_days, 'day')}"
        side.append_text(Text.assemble(("Touch     ", "dim"), (every, "dim" if f.cadence_is_default else "")))
        if f.keep_in_touch_by:
            side.append(f" · by {f.keep_in_touch_by}", style="bold red" if f.quiet else "")
            if f.quiet:
                side.append(" (gone quiet)", style="bold red")
        side.append("\n")
        if page.invitation:
            i = page.invitation
            sent = f" {i['sent_at'][:10]}" if i.get("sent_at") else ""
            side.append_text(Text.assemble(("Invite    ", "dim"), f"{i['state']}{sent}", ("  w\n", "dim")))
        if page.interactions:
            last = page.interactions[0]
            side.append_text(Text.assemble(("Last      ", "dim"), safe.when(last.at)[:10], " ", last.channel, ": "))
            side.append_text(safe.line(last.summary[:80]))
            side.append(f"\n{plural(len(page.interactions), 'interaction')} in all", style="dim")
        return side

    def _paths(self, page: PersonPage) -> None:
        """Up to three chains from me to this person, each link with its reason; or why there are none."""
        out = Text()
        if page.paths_reason == NO_ME:
            out.append(
                "Nobody is marked as you, so warm paths from you (and your profile checklist on the Network "
                "screen) cannot be shown. ",
                style="italic",
            )
            out.append("Press m if this is you", style="bold")
            out.append(", or open your own page and press m there (or e: 'This is me').", style="italic")
        elif page.paths_reason == IS_ME:
            out.append(
                "This is you: warm paths from you show on other people's pages; your profile checklist is on "
                "the Network screen (4).",
                style="dim italic",
            )
        elif page.paths is not None:
            for n, warm in enumerate(page.paths.paths, 1):
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
            if not page.paths.paths:
                out.append("No path from you in the notebook.", style="italic")
                if page.paths.suggestions:
                    out.append(" Closest to you at their company: ", style="dim")
                    names = ", ".join(f"{s.name} ({s.relation})" for s in page.paths.suggestions)
                    out.append_text(safe.line(names))
        out.rstrip()
        self.query_one("#paths", Static).update(out)

    def _relations(self, page: PersonPage) -> None:
        table = self.query_one("#relations-table", DataTable)
        keep = self.current_relation()
        row = table.cursor_row or 0
        table.clear()
        self.relations = page.relationships
        for r in self.relations:
            table.add_row(
                safe.line(r.other_name, style="bold"),
                r.kind.replace("_", " "),
                Text("●" * r.strength, style="green"),
                safe.line(r.how),
                key=str(r.id),
            )
        table.styles.height = max(2, len(self.relations) + 1)
        table.display = bool(self.relations)
        if self.relations:
            ids = [r.id for r in self.relations]
            table.move_cursor(row=ids.index(keep.id) if keep and keep.id in ids else min(row, len(ids) - 1))
        empty = self.query_one("#relations-empty", Static)
        empty.display = not self.relations
        empty.update(Text("Nobody recorded yet: r records whom they know (you or anyone).", style="dim italic"))

    def _news(self, page: PersonPage) -> None:
        """The news naming them, newest first (the cursor kept on the item it was on)."""
        table = self.query_one("#person-news-table", DataTable)
        row = table.cursor_row or 0
        keep = self.news[min(row, len(self.news) - 1)]["id"] if self.news else None
        table.clear()
        self.news = page.in_the_news
        for item in self.news:
            when = (item["published"] or item["fetched_at"] or "")[:10]
            table.add_row(Text(when, style="dim"), safe.line(item["company"]), safe.line(item["title"]))
        table.styles.height = min(12, len(self.news) + 1)
        table.display = bool(self.news)
        if self.news:
            ids = [item["id"] for item in self.news]
            table.move_cursor(row=ids.index(keep) if keep in ids else min(row, len(ids) - 1))
        empty = self.query_one("#person-news-empty", Static)
        empty.display = not self.news
        empty.update(Text("No news item names them yet (full name, in a feed you follow).", style="dim italic"))

    def _activity(self, page: PersonPage) -> Text:
        events = page.activity
        activity = Text()
        for e in events[:_ACTIVITY_SHOWN]:
            style = {"interaction": "cyan", "note": "yellow", "status": "magenta", "job change": "green"}.get(
                e.kind, ""
            )
            activity.append(f"{e.at[:10]}  ", style="dim")
            activity.append(f"{e.kind:<12}", style=style)
            if e.detail:
                activity.append(e.detail + "  ", style="dim")
            activity.append_text(safe.line(e.text[:100]))
            activity.append("\n")
        if len(events) > _ACTIVITY_SHOWN:
            more = len(events) - _ACTIVITY_SHOWN
            activity.append(f"… {more} more: researcher interaction list {page.person.slug}", style="dim")
        if not events:
            activity.append("Nothing yet: i logs an interaction, t sets the approach status.", style="dim italic")
        activity.rstrip()
        return activity

    # -- what is highlighted -----------------------------------------------------------

    def current_relation(self) -> Relationship | None:
        table = self.query_one("#relations-table", DataTable)
        row = table.cursor_row
        return self.relations[row] if self.relations and row is not None and 0 <= row < len(self.relations) else None

    def current_position(self) -> Position | None:
        return self.query_one(Timeline).current()

    def _focus_in(self, selector: str) -> bool:
        widget = self.query_one(selector)
        return self.focused is not None and (self.focused is widget or widget in self.focused.ancestors)

    def _write(self, change, *args, **kwargs):
        """A write from a key or a dialog's answer; a refusal (a read-only notebook, a bad value) is said, and the
        page read again. Returns what the store returned, or None when it refused."""
        try:
            result = change(*args, **kwargs)
        except ResearcherError as exc:
            self.app.report(exc)
            return None
        self.reload()
        return result

    def _after(self, saved: object) -> None:
        """A form's answer: read the page again when something was saved."""
        if saved is not None:
            self.reload()

    def action_down(self, lines: int) -> None:
        """j/k: move in the table in focus, else scroll the page."""
        if isinstance(self.focused, DataTable):
            self.focused.move_cursor(row=max(0, (self.focused.cursor_row or 0) + lines))
        else:
            self.query_one("#person-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "relations-table" and event.cursor_row < len(self.relations):
            self.app.open_person(self.relations[event.cursor_row].other_id)
        elif event.data_table.id == "person-news-table" and event.cursor_row < len(self.news):
            item = self.news[event.cursor_row]
            try:
                company = self.app.nb.company(item["company_slug"])
            except ResearcherError as exc:
                self.app.report(exc)
                return
            self.app.open_company(company.id, tab="news", news_item=item["id"])

    def on_timeline_selected(self, event: Timeline.Selected) -> None:
        self._edit_position(event.position)

    # -- me -----------------------------------------------------------------------------

    def action_me(self) -> None:
        """Mark this person as me; asks first when someone else is."""
        p = self.person
        if p is None:
            return
        if p.is_me:
            self.app.notify("This is you already (e, then untick 'This is me', if it is not).")
            return
        was = self.app.nb.me()

        def mark(yes: bool | None) -> None:
            if yes and self._write(self.app.nb.set_me, p.id):
                self.app.notify(f"{p.name} is you now: warm paths start from here.", markup=False)

        if was is None:
            mark(True)
            return
        question = Text.assemble(
            safe.line(was.name, style="bold"), " is marked as you. Mark ", safe.line(p.name, style="bold"), " instead?"
        )
        self.app.push_screen(ConfirmModal(question, yes="This is me"), mark)

    # -- approach and follow-ups ---------------------------------------------------------

    def action_status(self) -> None:
        from researcher.tui.widgets.status_picker import StatusPicker

        if self.person is None:
            return
        person = self.person
        try:
            approach = self.app.nb.approach(person.id)
        except ResearcherError as exc:  # removed meanwhile (from the CLI, say)
            self.app.report(exc)
            return

        def picked(status: str | None) -> None:
            if status and self._write(self.app.nb.set_approach, person.id, status=status):
                self.app.notify(f"{person.name}: {status}", markup=False)

        self.app.push_screen(StatusPicker(person.name, approach.status if approach else None), picked)

    def action_step_status(self, delta: int) -> None:
        """One key moves the approach one step along the pipeline (] forward, [ back)."""
        if self.person is None:
            return
        try:
            approach = self.app.nb.approach(self.person.id)
        except ResearcherError as exc:
            self.app.report(exc)
            return
        current = APPROACH_STATUSES.index(approach.status) if approach else -1
        target = APPROACH_STATUSES[max(0, min(len(APPROACH_STATUSES) - 1, current + delta))]
        if approach and target == approach.status:
            return
        if self._write(self.app.nb.set_approach, self.person.id, status=target):
            self.app.notify(f"{self.person.name}: {target}", markup=False)

    def action_approach(self) -> None:
        from researcher.tui.widgets.approach_form import ApproachForm

        if self.person:
            self.app.push_screen(ApproachForm(self.person, self.page.approach if self.page else None), self._after)

    def _follow_up(self):
        """The approach when it holds a follow-up, else None (and says how to set one)."""
        if self.person is None:
            return None
        try:
            approach = self.app.nb.approach(self.person.id)
        except ResearcherError as exc:
            self.app.report(exc)
            return None
        if approach is None or not (approach.next_step or approach.next_action_at):
            self.app.notify("No follow-up set: a sets a next step and its date.", severity="warning")
            return None
        return approach

    def action_follow_up_done(self) -> None:
        from researcher.tui.widgets.interaction_form import FollowUpDoneForm

        approach = self._follow_up()
        if approach is None or self.person is None:
            return
        last = self.page.interactions[0].channel if self.page and self.page.interactions else None
        network = next(iter(self.person.profiles), None)
        channel = last or (network if network in CHANNELS else "other")
        self.app.push_screen(
            FollowUpDoneForm(self.person.id, self.person.name, approach.next_step, channel), self._after
        )

    def action_move_follow_up(self) -> None:
        from researcher.tui.widgets.approach_form import MoveFollowUp

        approach = self._follow_up()
        person = self.person
        if approach is None or person is None:
            return

        def moved(spec: str | None) -> None:
            if spec and (state := self._write(self.app.nb.move_follow_up, person.id, spec)):
                self.app.notify(f"Follow-up with {person.name} moved to {state.next_action_at}", markup=False)

        self.app.push_screen(MoveFollowUp(person, approach, base_date(approach.next_action_at, clock.today())), moved)

    def action_interaction(self) -> None:
        from researcher.tui.widgets.interaction_form import InteractionForm

        if self.person:
            channel = next(iter(self.person.profiles), "email") if self.person.profiles else "in person"
            self.app.push_screen(InteractionForm(self.person.id, self.person.name, channel), self._after)

    def action_invite(self) -> None:
        from researcher.tui.widgets.invitation_editor import InvitationEditor

        if self.person:
            self.app.push_screen(
                InvitationEditor(self.person.id, self.person.name), lambda changed: self.reload() if changed else None
            )

    # -- relationships -------------------------------------------------------------------

    def action_knows(self) -> None:
        from researcher.tui.widgets.knows_form import KnowsForm

        if self.person is None:
            return
        me = self.page.me if self.page else None
        other = "me" if me is not None and me.id != self.person.id else ""
        self.app.push_screen(KnowsForm(self.person, other=other), self._after)

    def _edit_relation(self, link: Relationship) -> None:
        from researcher.tui.widgets.knows_form import KnowsForm

        if self.person:
            self.app.push_screen(KnowsForm(self.person, link=link), self._after)

    def _remove_relation(self, link: Relationship) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.app.nb.remove_relationship, link.id)

        question = Text.assemble(
            "Forget that ",
            safe.line(self.person.name if self.person else "", style="bold"),
            f" {link.kind.replace('_', ' ')} ",
            safe.line(link.other_name, style="bold"),
            "?",
        )
        self.app.push_screen(ConfirmModal(question, yes="Remove"), answered)

    # -- positions -----------------------------------------------------------------------

    def _after_position(self, saved: int | None) -> None:
        """A position form's answer: read the page again, that position highlighted."""
        if saved is not None:
            self._highlight = saved
            self.reload()

    def action_add_position(self) -> None:
        from researcher.tui.widgets.position_form import PositionForm

        if self.person:
            self.app.push_screen(PositionForm(self.person), self._after_position)

    def _edit_position(self, position: Position) -> None:
        from researcher.tui.widgets.position_form import PositionForm

        if self.person:
            self.app.push_screen(PositionForm(self.person, position), self._after_position)

    def action_end_position(self) -> None:
        from researcher.tui.widgets.position_form import EndPositionForm

        position = self.current_position()
        if position is None:
            self.app.notify("No position to end: p adds one.", severity="warning")
            return
        self.app.push_screen(EndPositionForm(position), self._after_position)

    def _remove_position(self, position: Position) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.app.nb.remove_position, position.id)

        question = Text.assemble(
            "Remove ", safe.line(f"{position.title} at {position.company_name}", style="bold"), " from the career?"
        )
        self.app.push_screen(ConfirmModal(question, yes="Remove"), answered)

    # -- e and d: on what has the focus --------------------------------------------------

    def action_edit(self) -> None:
        if self.person is None:
            return
        if self._focus_in("#timeline") and (position := self.current_position()):
            self._edit_position(position)
        elif self._focus_in("#relations-table") and (link := self.current_relation()):
            self._edit_relation(link)
        elif self._focus_in("#person-notes"):
            self.query_one("#person-notes", NotesPane).action_edit()
        else:
            self.app.push_screen(PersonForm(self.person), self._after)

    def action_delete(self) -> None:
        if self._focus_in("#timeline") and (position := self.current_position()):
            self._remove_position(position)
        elif self._focus_in("#relations-table") and (link := self.current_relation()):
            self._remove_relation(link)
        else:
            self.app.notify("Tab to the career or the relationships first: d removes the highlighted one.")

    def action_open_company(self) -> None:
        if self.person and self.person.company_slug:
            self.app.open_company(self.app.nb.company(self.person.company_slug).id)
        else:
            self.app.notify("Their current company is not one you track.", severity="warning")

    def note_target(self) -> NoteTarget | None:
        return NoteTarget("person", self.person.id, self.person.name) if self.person else None
