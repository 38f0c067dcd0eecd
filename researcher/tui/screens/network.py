"""`4`: network health — meaningful contacts against the goal, follow-ups to work, quiet contacts, my profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from researcher import clock
from researcher.insight.network import NetworkHealth, contacts_page, network_health, overdue
from researcher.store import Notebook, ResearcherError
from researcher.store.person_edits import base_date
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.screens.list_base import ReadFailed, refill
from researcher.tui.widgets.approach_form import MoveFollowUp
from researcher.tui.widgets.interaction_form import FollowUpDoneForm, InteractionForm
from researcher.tui.widgets.network_settings import NetworkSettingsForm
from researcher.words import plural

TABS = ["follow-ups", "quiet", "never", "profile"]
# The tabs that list people, and the list of network_health() each one shows.
LISTS = {"follow-ups": "follow_ups", "quiet": "gone_quiet", "never": "never_contacted"}
LABELS = {"follow-ups": "Follow-ups due", "quiet": "Gone quiet", "never": "Never contacted", "profile": "My profile"}
PAGE = 50  # rows read at a time (a screenful or two); more are read as the cursor nears the end of what is shown
COLUMNS = {
    "follow-ups": (("Due", 10), ("Person", 22), ("Status", 11), ("Next step", None)),
    "quiet": (("Due", 10), ("Person", 22), ("Last contact", 12), ("Every", 8), ("Company", None)),
    "never": (("Person", 24), ("Company", 26), ("Title", None)),
    "profile": (("Network", 10), ("Item", 28), ("Done", 6)),
}


def empty_sentence(tab: str, health: NetworkHealth) -> str:
    """What an empty tab says, in a whole sentence."""
    if tab == "follow-ups":
        return "No follow-up is due: a person's next step shows here once its date has come."
    if tab == "quiet":
        return (
            "Nobody has gone quiet: people you were in touch with show here when their keep-in-touch time has run "
            f"out since your last interaction (every {health.quiet_days} days, or their own cadence: g to change)."
        )
    if tab == "never":
        return "Nobody left to contact: people you add and have not contacted yet show here."
    if health.me is None:
        return (
            "Nobody is marked as you yet: add yourself on the first screen (m), or run `researcher person edit "
            "NAME --me`; then add your profile URLs on your page (e) and the checklist of each network shows here."
        )
    return "Add your profile URLs on your own page (e there): the checklist of each network shows here."


@dataclass
class Loaded(Message):
    """network_health() read in a thread, with the lists read as far as the user had scrolled them."""

    generation: int
    health: NetworkHealth


@dataclass
class PageLoaded(Message):
    generation: int
    tab: str
    offset: int
    rows: list[dict[str, Any]]


class NetworkScreen(BaseScreen):
    section = "network"
    BINDINGS = [
        Binding("tab", "tab(1)", "Next tab", priority=True),
        Binding("shift+tab", "tab(-1)", "Prev tab", priority=True),
        Binding("x", "done", "Done", tooltip="Mark the highlighted follow-up done (logged as an interaction)"),
        Binding("m", "move", "Move", tooltip="Move the highlighted follow-up: in a week, a month, or a date"),
        Binding("i", "interaction", "Log", tooltip="Log an interaction with the highlighted person"),
        Binding("g", "goal", "Goal", tooltip="Your goal of meaningful contacts and the keep-in-touch default"),
        Binding("space", "toggle_item", "Done/not done", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.health: NetworkHealth | None = None
        self.lists: dict[str, list[dict]] = {tab: [] for tab in LISTS}
        self.totals: dict[str, int] = {tab: 0 for tab in LISTS}
        self.checklist: list[tuple[str, str, bool]] = []
        self.today = clock.today()
        self._generation = 0
        self._paging: set[str] = set()
        # Rows read for a tab not shown yet: put in its table when it is shown (a table costs ~0.2 ms a row).
        self._pending: dict[str, list[dict]] = {}
        self._shown_once = False

    def compose(self) -> ComposeResult:
        self.reload()  # the data is read while the screen is built (the reader thread needs no widget)
        yield from self.compose_title()
        with Vertical(id="gauge"):
            with Horizontal(classes="gauge-line"):
                yield Static(Text("Loading…", style="dim"), id="gauge-label")
                yield ProgressBar(total=100, show_eta=False, id="gauge-bar")  # (no total: a bar animated at 60 fps)
            yield Static(id="gauge-detail")
        with TabbedContent(id="network-tabs"):
            for tab in TABS:
                with TabPane(LABELS[tab], id=tab):
                    yield DataTable(cursor_type="row", zebra_stripes=True, id=f"{tab}-table")
                    # An empty list says so in a whole sentence (a table cell cut it to its column).
                    yield Static(id=f"{tab}-empty", classes="empty-state")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        for tab, cols in COLUMNS.items():
            table = self.query_one(f"#{tab}-table", DataTable)
            for label, width in cols:
                table.add_column(label, width=width)
            self.query_one(f"#{tab}-empty", Static).display = False
        self.set_title("Network", right="loading…")
        self.query_one("#follow-ups-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self._shown_once:
            self.reload()
        self._shown_once = True  # (the first read was started in compose)

    # -- loading (in a thread, with its own connection) -----------------------

    def reload(self) -> None:
        """Read everything again in a thread; each list keeps the rows the user had scrolled to, and its place."""
        self._generation += 1
        self.today = clock.today()
        self._paging.clear()
        shown = {tab: len(self._pending.get(tab, rows)) for tab, rows in self.lists.items()}
        self._load(self._generation, self.today, shown)

    @work(thread=True, exclusive=True, group="network-load", exit_on_error=False)
    def _load(self, generation: int, today: date, shown: dict[str, int]) -> None:
        worker = get_current_worker()
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                health = network_health(nb, today, limit=PAGE, rows_of=tuple(LISTS.values()))
                for tab, name in LISTS.items():
                    if shown[tab] > PAGE:
                        getattr(health, name).rows = contacts_page(nb, name, today, shown[tab])
        except Exception as exc:  # the one error path
            if not worker.is_cancelled:
                self.post_message(ReadFailed(exc))
            return
        if not worker.is_cancelled:
            self.post_message(Loaded(generation, health))

    @work(thread=True, group="network-page", exit_on_error=False)
    def _load_page(self, generation: int, today: date, tab: str, offset: int) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                rows = contacts_page(nb, LISTS[tab], today, PAGE, offset)
        except Exception as exc:
            self.post_message(ReadFailed(exc))
            rows = []
        self.post_message(PageLoaded(generation, tab, offset, rows))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return  # read before a change the user made since
        self.health = h = message.health
        self.set_title("Network", right=f"goal {h.goal} meaningful contacts")
        meaningful = h.meaningful.total
        self.query_one("#gauge-label", Static).update(
            Text.assemble(("Meaningful contacts ", "bold"), (f"{meaningful}", "bold green"), f" / {h.goal}  ")
        )
        self.query_one("#gauge-bar", ProgressBar).update(total=h.goal, progress=min(meaningful, h.goal))
        self.query_one("#gauge-detail", Static).update(
            Text(
                f"{h.never_contacted.total} collected but never contacted · {h.offline} on no network (met offline) · "
                f"{plural(h.follow_ups.total, 'follow-up')} due · {h.gone_quiet.total} gone quiet",
                style="dim",
            )
        )
        tabs = self.query_one("#network-tabs", TabbedContent)
        for tab, name in LISTS.items():
            contacts = getattr(h, name)
            self.totals[tab] = contacts.total
            if tab == self.active:
                self._pending.pop(tab, None)
                self._show(tab, contacts.rows)
            else:
                self._pending[tab] = contacts.rows
            tabs.get_tab(tab).label = f"{LABELS[tab]} ({contacts.total})"
        self._show_profile(h)

    def on_read_failed(self, message: ReadFailed) -> None:
        self.app.report(message.error)

    def _show(self, tab: str, rows: list[dict]) -> None:
        table = self.query_one(f"#{tab}-table", DataTable)
        refill(table, self.lists[tab], rows, lambda r: r["id"], lambda r: self._cells(tab, r))
        self.lists[tab] = rows
        if self.health is not None:
            self._empty(tab, bool(rows), empty_sentence(tab, self.health))

    def _show_pending(self, tab: str) -> None:
        if tab in self._pending:
            self._show(tab, self._pending.pop(tab))

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._show_pending(str(event.pane.id))

    def _cells(self, tab: str, r: dict) -> tuple:
        if tab == "follow-ups":
            due = r["next_action_at"] or ""
            late = overdue(due, self.today)
            return (
                Text(due, style="bold red" if late else "yellow"),
                safe.line(r["name"], style="bold"),
                Text(r["status"] or "—"),
                safe.line(r["next_step"]),
            )
        if tab == "quiet":
            every = r["cadence_days"]
            return (
                Text(r["due"] or "", style="bold red" if overdue(r["due"], self.today) else "yellow"),
                safe.line(r["name"], style="bold"),
                Text((r["last_interaction"] or "")[:10], style="dim"),
                Text(f"{every or (self.health.quiet_days if self.health else '')} d", style="" if every else "dim"),
                safe.line(r["company"]),
            )
        return (
            safe.line(r["name"] + ("  (offline)" if r["offline"] else ""), style="bold"),
            safe.line(r["company"]),
            safe.line(r["title"]),
        )

    def _show_profile(self, h: NetworkHealth) -> None:
        checklist = [(p.network, item, item in p.done) for p in h.profiles for item in p.done + p.missing]
        self._fill_profile(checklist)
        self._empty("profile", bool(self.checklist), empty_sentence("profile", h))
        percents = " · ".join(f"{p.network} {p.percent}%" for p in h.profiles)
        self.query_one("#network-tabs", TabbedContent).get_tab("profile").label = f"My profile ({percents or '—'})"

    def _fill_profile(self, checklist: list[tuple[str, str, bool]], keep: tuple[str, str] | None = None) -> None:
        """The checklist, not done first in each network; the cursor stays on the same item (`keep`, else the
        highlighted one)."""
        table = self.query_one("#profile-table", DataTable)
        row = table.cursor_row or 0
        if keep is None and row < len(self.checklist):
            keep = self.checklist[row][:2]
        self.checklist = sorted(checklist, key=lambda x: (x[0], x[2], x[1]))
        table.clear()
        for network, item, done in self.checklist:
            table.add_row(network, safe.line(item), Text("✓" if done else "✗", style="green" if done else "red"))
        items = [c[:2] for c in self.checklist]
        if items:
            table.move_cursor(row=items.index(keep) if keep in items else min(row, len(items) - 1))

    def _empty(self, tab: str, has_rows: bool, sentence: str) -> None:
        """Show the table, or in its place the sentence that says why it is empty."""
        hint = self.query_one(f"#{tab}-empty", Static)
        hint.update(Text(sentence, style="dim italic"))
        hint.display = not has_rows
        self.query_one(f"#{tab}-table", DataTable).display = has_rows

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Page in the next rows of a list (in a thread) as the cursor nears the end of what is shown.
        tab = (event.data_table.id or "").removesuffix("-table")
        if tab not in LISTS or tab in self._paging:
            return
        shown = len(self.lists[tab])
        if shown < self.totals[tab] and event.cursor_row >= shown - 20:
            self._paging.add(tab)
            self._load_page(self._generation, self.today, tab, shown)

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return
        self._paging.discard(message.tab)
        rows = self.lists[message.tab]
        if message.offset != len(rows):
            return
        table = self.query_one(f"#{message.tab}-table", DataTable)
        for r in message.rows:
            table.add_row(*self._cells(message.tab, r), key=str(r["id"]))
        rows.extend(message.rows)

    # -- moving around -------------------------------------------------------

    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + delta) % len(TABS)]
        self._show_pending(tabs.active)
        self.call_after_refresh(lambda: self.query_one(f"#{tabs.active}-table", DataTable).focus())

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(f"#{self.active}-table", DataTable)
        table.move_cursor(row=max(0, (table.cursor_row or 0) + delta))

    def _current(self) -> dict | None:
        rows = self.lists.get(self.active, [])
        row = self.query_one(f"#{self.active}-table", DataTable).cursor_row
        return rows[row] if rows and row is not None and row < len(rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "profile-table":
            self.action_toggle_item()
            return
        current = self._current()
        if current:
            self.app.open_person(current["id"])

    # -- working the lists ---------------------------------------------------

    def _follow_up(self) -> dict | None:
        """The highlighted follow-up, or None (said) when the Follow-ups tab is not the one shown."""
        if self.active != "follow-ups":
            self.app.notify("Done and Move work on the follow-ups due (the first tab).", markup=False)
            return None
        return self._current()

    def _drop(self, tab: str, person_id: int) -> None:
        """Take a person off a list at once (the reload that follows confirms it), the cursor staying in place."""
        rows = [r for r in self.lists[tab] if r["id"] != person_id]
        if len(rows) != len(self.lists[tab]):
            self.totals[tab] -= 1
            self._show(tab, rows)

    def action_done(self) -> None:
        """The person page's `x`: asks what happened (the step, to start with), logs it, clears the step and date."""
        current = self._follow_up()
        if current is None:
            return
        past = self.app.nb.interactions_of(current["id"])
        channel = past[0].channel if past else "other"

        def done(saved: object) -> None:
            if saved:
                self.app.notify(f"Done: the follow-up with {current['name']} (logged as an interaction)", markup=False)
                self._drop("follow-ups", current["id"])
                self.reload()

        self.app.push_screen(FollowUpDoneForm(current["id"], current["name"], current.get("next_step"), channel), done)

    def action_move(self) -> None:
        """The person page's `z`: a week or a month later (from the due date, or today when it has passed), or a date."""
        current = self._follow_up()
        if current is None:
            return
        try:
            person, approach = self.app.nb.person(current["id"]), self.app.nb.approach(current["id"])
        except ResearcherError as exc:
            self.app.report(exc)
            return
        if approach is None:
            return

        def moved(spec: str | None) -> None:
            if spec is None:
                return
            try:
                state = self.app.nb.move_follow_up(current["id"], spec)
            except ResearcherError as exc:
                self.app.report(exc)
                return
            self.app.notify(f"Moved the follow-up with {current['name']} to {state.next_action_at}", markup=False)
            if (state.next_action_at or "") > self.today.isoformat():
                self._drop("follow-ups", current["id"])
            self.reload()

        self.app.push_screen(MoveFollowUp(person, approach, base_date(approach.next_action_at, self.today)), moved)

    def action_interaction(self) -> None:
        current = self._current() if self.active in LISTS else None
        if current is None:
            self.app.notify("Highlight a person in one of the lists first.", markup=False)
            return
        self.app.push_screen(InteractionForm(current["id"], current["name"]), lambda saved: saved and self.reload())

    def action_goal(self) -> None:
        self.app.push_screen(NetworkSettingsForm(), lambda saved: saved and self.reload())

    def action_toggle_item(self) -> None:
        if self.active != "profile" or not self.checklist:
            return
        row = self.query_one("#profile-table", DataTable).cursor_row or 0
        network, item, done = self.checklist[row]
        try:
            self.app.nb.set_profile_item(network, item, done=not done)
        except ResearcherError as exc:
            self.app.report(exc)
            return
        # Rows are sorted by state: the item moves, and the cursor with it.
        self.checklist[row] = (network, item, not done)
        self._fill_profile(list(self.checklist), keep=(network, item))
        self.reload()

    def note_target(self) -> NoteTarget | None:
        current = self._current() if self.active in LISTS else None
        return NoteTarget("person", current["id"], current["name"]) if current else None
