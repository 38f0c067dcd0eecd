"""The company dossier: Overview, News, People, Career paths, Organisation, Vocabulary, Notes.

What each tab shows comes from researcher.insight.dossier (the same parts `researcher company show` prints).
A tab loads in a thread worker, with its own connection, the first time it is shown (the Overview at once),
and renders when its data arrives. A return to the dossier or a finished sync refreshes only the tab in
view, keeping the reader's place; the other tabs refresh when next shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tree
from textual.worker import Worker, WorkerState, get_current_worker

from researcher.insight import dossier
from researcher.insight.careers import CareerFlows, Move
from researcher.insight.dossier import Overview, PeoplePage, PeopleRanking, PersonRow
from researcher.insight.paths import PathResult, find_paths
from researcher.store import Notebook, NotFound, ResearcherError
from researcher.store.models import Company, Term
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.screens.companies import STATUS_STYLE
from researcher.tui.widgets.chunked_table import ChunkedFill
from researcher.tui.widgets.chunked_table import fill as fill_table
from researcher.tui.widgets.company_form import CompanyForm
from researcher.tui.widgets.notes_pane import NoteMarkdown, NotesPane
from researcher.tui.widgets.org_tab import OrgTab
from researcher.tui.widgets.person_form import PersonForm
from researcher.tui.widgets.vocabulary_tab import VocabularyTab, glossary

TABS = [
    ("overview", "Overview"),
    ("news", "News"),
    ("people", "People"),
    ("careers", "Career paths"),
    ("org", "Organisation"),
    ("vocabulary", "Vocabulary"),
    ("notes", "Notes"),
]
# Tabs whose data a worker loads (News, Organisation and Notes are panes that read their own).
LOADED = ("overview", "people", "careers", "vocabulary")
# The highlighted person's exact warm path is searched once the cursor rests this long.
PATH_DELAY = 0.15


def _field(label: str, value: object) -> Text:
    return Text.assemble((f"{label:<10}", "dim"), safe.line(value or "—"), "\n")


CAREER_COLUMNS = ("Person", "Came from", "Role here", "When", "Went to")
WHEN_WIDTH = 17  # "2015-01 – 2021-06"


def career_widths(total: int) -> list[int]:
    """Widths of the Career paths columns so that the whole row, "Went to" included, fits `total` cells."""
    rest = max(40, total - 2 * len(CAREER_COLUMNS) - 2) - WHEN_WIDTH  # cell padding, scrollbar
    person = min(24, max(12, rest * 20 // 100))
    role = min(30, rest * 22 // 100)
    came = (rest - person - role) // 2
    return [person, came, role, WHEN_WIDTH, rest - person - role - came]


def people_columns(total: int) -> list[tuple[str, int]]:
    """The People tab's columns for a screen `total` cells wide; the unit only when there is room."""
    fixed = {"Approach": 11, "Prio": 4}
    wide = total >= 110
    labels = ["Name", "Title", *(["Unit"] if wide else []), "Approach", "Prio", "Warmest path"]
    rest = max(50, total - 2 * len(labels) - 2) - sum(fixed.values())
    name = min(24, max(14, rest * 22 // 100))
    title = min(30, max(14, rest * 26 // 100))
    unit = 14 if wide else 0
    path = max(12, rest - name - title - unit)
    widths = {"Name": name, "Title": title, "Unit": unit, "Warmest path": path, **fixed}
    return [(label, widths[label]) for label in labels]


def _move_text(m: Move) -> Text:
    """One passage through the company, whole: where they came from, the role here, where they went."""
    text = safe.line(m.person_name, style="bold")
    text.append("  came from ", style="dim")
    text.append_text(safe.line(f"{m.before.company_name} — {m.before.title}" if m.before else "—"))
    text.append("  ·  here ", style="dim")
    text.append_text(safe.line(f"{m.stint.title}, {safe.span(m.stint.start, m.stint.end)}"))
    text.append("  ·  ", style="dim")
    if m.stint.end is None:
        text.append("still here", style="green")
    else:
        text.append("went to ", style="dim")
        text.append_text(safe.line(f"{m.after.company_name} — {m.after.title}" if m.after else "—"))
    text.no_wrap = False
    text.overflow = "fold"
    return text


def _move_cells(m: Move) -> list[Text | str]:
    before = f"{m.before.company_name} — {m.before.title}" if m.before else "—"
    after = (
        f"{m.after.company_name} — {m.after.title}"
        if m.after and m.stint.end
        else ("still here" if m.stint.end is None else "—")
    )
    return [
        safe.line(m.person_name, style="bold"),
        safe.line(before),
        safe.line(m.stint.title),
        safe.span(m.stint.start, m.stint.end),
        safe.line(after, style="green" if after == "still here" else ""),
    ]


def _via(row: PersonRow, why_no_paths: str | None) -> Text:
    """The Warmest path cell: who leads to them."""
    if row.is_me:
        return Text("this is you", style="dim italic")
    if row.path is None:
        return Text("—", style="dim")
    if len(row.path.links) == 1:
        return Text("you know them", style="green")
    return safe.line("via " + " → ".join(link.to_name for link in row.path.links[:-1]))


def _person_cells(row: PersonRow, why_no_paths: str | None, with_unit: bool) -> list[Text]:
    title = Text()
    if not row.current:
        title.append("former ", style="yellow")
    title.append_text(safe.line(row.title, style="" if row.current else "dim"))
    title.no_wrap, title.overflow = True, "ellipsis"
    cells = [safe.line(row.name, style="bold" if row.current else ""), title]
    if with_unit:
        cells.append(safe.line(row.unit))
    cells += [
        Text(row.approach_status or "—", style="" if row.approach_status else "dim"),
        Text(str(row.priority) if row.priority else "", justify="right"),
        _via(row, why_no_paths),
    ]
    return cells


def _path_text(row: PersonRow, result: PathResult | None, why_no_paths: str | None, error: str | None) -> Text:
    """The detail under the People table: who the highlighted person is here, and the warmest way to them."""
    text = safe.line(row.name, style="bold")
    where = f"{row.title or '?'}" + (f", {row.unit}" if row.unit else "")
    if row.current:
        where += f" · since {row.since}" if row.since else ""
    else:
        where += f" · former, left {row.left}" if row.left else " · former"
    text.append("  ")
    text.append_text(safe.line(where, style="dim"))
    text.append("\n")
    if row.is_me:
        text.append("This is you.", style="dim italic")
    elif why_no_paths:
        text.append(f"No warm paths: {why_no_paths}.", style="dim italic")
    elif error:
        text.append_text(safe.line(error, style="dim italic"))
    elif result is None:
        text.append("Looking for the warmest path…", style="dim italic")
    elif not result.paths:
        text.append("No path from you found.", style="dim italic")
        if result.suggestions:
            names = ", ".join(s.name for s in result.suggestions[:3])
            text.append_text(safe.line(f" Closest at {result.company}: {names}.", style="dim"))
    else:
        path = result.paths[0]
        text.append("Warmest path: ", style="dim")
        text.append("you")
        for link in path.links:
            text.append(" → ", style="dim")
            text.append_text(safe.line(link.to_name, style="bold"))
            text.append(" (")
            text.append_text(safe.line(link.reason, style="dim"))
            text.append(")")
    text.no_wrap = False
    text.overflow = "fold"
    return text


class DossierTabs(TabbedContent):
    """The dossier's tabs change with tab/shift+tab (or a click) only. Textual also shows the pane of any
    widget that gets the focus; here that notice can arrive after the tab changed (the screen's first focus,
    a pane that loaded meanwhile, the focus Textual moves off a pane that hides) and switched back."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.stop()
        event.prevent_default()  # TabbedContent's own handler would switch to that pane


class CompanyPersonForm(PersonForm):
    """The person form pre-filled with the company: a position there needs its title, as the store says."""

    def action_save(self) -> None:
        try:
            company, title = self.value("company").strip(), self.value("title").strip()
        except Exception:  # a form without those fields saves as it does
            return super().action_save()
        if company and not title:
            self.show_error("Title there is needed: a position at a company has a title.")
            self.query_one("#title").focus()
            return
        super().action_save()


class CompanyScreen(BaseScreen):
    AUTO_FOCUS = None  # the tab in view focuses its list (_focus_tab), never a widget of a hidden pane
    BINDINGS = [
        Binding("tab", "tab(1)", "Next tab", priority=True),
        Binding("shift+tab", "tab(-1)", "Prev tab", priority=True),
        Binding("e", "edit", "Edit", tooltip="Edit the company's details"),
        Binding("a", "add_person", "Add person", tooltip="A person at this company (People tab)"),
        Binding("f", "feeds", "Feeds", tooltip="The company's feeds: follow one (a), stop one (d)"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    DEFAULT_CSS = """
    CompanyScreen #careers-detail, CompanyScreen #people-detail {
        height: auto;
        max-height: 4;
        padding: 0 1;
        border-top: hkey $primary 40%;
    }
    """

    def __init__(self, company_id: int, tab: str | None = None, news_item: int | None = None) -> None:
        super().__init__()
        self.company_id = company_id
        self.initial_tab = tab
        self.initial_item = news_item
        self.company: Company | None = None
        self.ranking: PeopleRanking | None = None
        self.people: list[PersonRow] = []
        self.people_more = False
        self.moves: list[Move] = []
        self._careers_fill: ChunkedFill | None = None
        self._careers_width = 0
        self._people_width = 0
        self._shown: set[str] = set()  # tabs whose data is on screen
        self._stale: set[str] = set()  # tabs to read again when next shown
        self._paths: dict[int, PathResult | str] = {}  # person id -> exact warm path (or why not)
        self._old_paths: dict[int, PathResult | str] = {}  # those found before the last refresh
        self._path_timer = None
        self._keep_person: int | None = None
        self._gone = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with DossierTabs(id="tabs"):
            with TabPane("Overview", id="overview"):
                with Horizontal(id="overview-body"):
                    yield VerticalScroll(Static(id="overview-text"), id="overview-left")
                    yield VerticalScroll(Static(id="overview-side"), id="overview-right")
            with TabPane("News", id="news"):  # the NewsView is mounted when the tab is first shown
                if self.initial_tab == "news":
                    yield self._pane("news")
            with TabPane("People", id="people"):
                with Vertical(id="people-body"):
                    yield DataTable(cursor_type="row", zebra_stripes=True, id="people-table")
                    yield Static(id="people-detail")
                    yield Static(id="people-hint", classes="hint")
            with TabPane("Career paths", id="careers"):
                with Vertical(id="careers-body"):
                    yield Static(id="flows", classes="flows")
                    yield DataTable(cursor_type="row", zebra_stripes=True, id="careers-table")
                    yield Static(id="careers-detail")
            with TabPane("Organisation", id="org"):
                yield OrgTab(self.company_id, id="org-tab")
            with TabPane("Vocabulary", id="vocabulary"):
                yield VocabularyTab(self.company_id, id="vocabulary-body")
            with TabPane("Notes", id="notes"):  # the NotesPane too
                if self.initial_tab == "notes":
                    yield self._pane("notes")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.set_title("Companies", Text("…", style="dim"))
        self._people_columns()
        self._careers_columns()
        tabs = self.query_one(TabbedContent)
        if self.initial_tab:
            tabs.active = self.initial_tab
        self._visit("overview")  # the title bar and the counts, whatever the tab
        self._visit(tabs.active)
        if self.initial_item is not None:
            self.call_after_refresh(self._select_initial_item)
        self.call_after_refresh(self._focus_tab)

    # -- loading -------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def _body(self, tab: str) -> Widget:
        """The widget that shows a tab's loading indicator."""
        return self.query_one(f"#{tab}-body")

    def _visit(self, tab: str) -> None:
        """A tab comes into view: load it the first time, read it again if it went stale."""
        if tab in ("news", "notes"):
            self._show_pane(tab)
        elif tab == "org" and (tab in self._stale or tab not in self._shown):
            self._shown.add(tab)
            self._stale.discard(tab)
            self.query_one(OrgTab).reload()
        elif tab in LOADED and (tab in self._stale or (tab not in self._shown and not self._loading(tab))):
            self._load(tab)  # a load under way for a stale tab is replaced (exclusive)
            if tab == "vocabulary" and self.query_one(VocabularyTab).suggestions_stale:
                self.query_one(VocabularyTab).load_suggestions()  # mined while the glossary is read, not after
        self.refresh_bindings()

    def _loading(self, tab: str) -> bool:
        return any(w.group == f"dossier-{tab}" and not w.is_finished and not w.is_cancelled for w in self.workers)

    def _load(self, tab: str) -> None:
        if tab not in self._shown:
            self._body(tab).loading = True
        self._stale.discard(tab)
        self.run_worker(
            partial(self._fetch, tab, self._computer(tab)),
            name=tab,
            group=f"dossier-{tab}",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _computer(self, tab: str) -> Callable[[Notebook], Any]:
        cid = self.company_id
        if tab == "people":
            wanted = max(dossier.PEOPLE_PAGE, len(self.people))
            keep = self._keep_person

            def people(nb: Notebook) -> tuple[PeopleRanking, PeoplePage]:
                ranking = dossier.rank_people(nb, cid)
                # A person to show (just added) is loaded with the rows above them.
                index = next((i for i, p in enumerate(ranking.people) if p.person_id == keep), -1)
                return ranking, dossier.people_page(nb, ranking, 0, max(wanted, index + 1))

            return people
        if tab == "vocabulary":
            return partial(glossary, company_id=cid)
        return lambda nb: dossier.PARTS[tab](nb, cid)

    def _fetch(self, tab: str, compute: Callable[[Notebook], Any]) -> None:
        """In a thread: compute a tab's part on a connection of its own, then hand it to the event loop."""
        worker = get_current_worker()
        with Notebook(self.app.db_path, create=False) as nb:
            data = compute(nb)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._arrived, tab, data)

    def _arrived(self, tab: str, data: Any) -> None:
        if not self.is_mounted:
            return
        self._body(tab).loading = False
        first = tab not in self._shown
        self._shown.add(tab)
        render = {
            "overview": self._show_overview,
            "people": self._show_people,
            "careers": self._show_careers,
            "vocabulary": self._show_terms,
        }[tab]
        render(data)
        if first and tab == self.active_tab:
            self.call_after_refresh(self._focus_tab)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every failure of this screen's workers goes to the app's one error path."""
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        tab = worker.name
        if tab in LOADED:
            self._body(tab).loading = False
            self._stale.add(tab)  # tried again when next shown
        error = worker.error
        if isinstance(error, NotFound) and tab in LOADED:
            self._company_gone()
            return
        self.app.report(error if isinstance(error, Exception) else RuntimeError(str(error)))

    def _company_gone(self) -> None:
        """The company was deleted meanwhile: leave the dossier (now, or when it is next in view)."""
        self._gone = True
        if self.app.screen is self:
            self.app.notify("This company is no longer in the notebook.", severity="warning")
            self.app.pop_screen()

    def refresh_view(self) -> None:
        """Read again what is in view, keeping the reader's place; the other tabs when next shown."""
        self._stale.update(self._shown)
        # Paths found so far stay on screen while the highlighted one is searched again.
        self._old_paths.update(self._paths)
        self._paths.clear()
        self._visit(self.active_tab)

    def on_screen_resume(self) -> None:
        if self._gone:
            self.app.pop_screen()
        elif self._shown:  # the first time, on_mount loads
            self.refresh_view()

    def reload(self) -> None:
        """After a sync (or any change elsewhere): the tab in view is read again, the others when shown."""
        for tab in self.query(VocabularyTab):
            tab.suggestions_stale = True  # new news: mined again when the Vocabulary tab is shown
        self.refresh_view()

    # -- Overview ------------------------------------------------------------

    def _show_overview(self, o: Overview) -> None:
        self.company = c = o.company
        self.set_title("Companies", safe.line(c.name, style="bold"), right=f"{c.status} · {c.sector or 'no sector'}")
        for pane in self.query("#company-notes"):
            pane.target = NoteTarget("company", c.id, c.name)  # type: ignore[attr-defined]
        text = Text()
        text.append_text(safe.line(c.name, style="bold"))
        text.append("\n\n")
        text.append_text(Text.assemble(("Status    ", "dim"), (c.status, STATUS_STYLE.get(c.status, "")), "\n"))
        for label, value in (("Sector", c.sector), ("Location", c.location), ("Size", c.size), ("Website", c.website)):
            text.append_text(_field(label, value))
        if c.description:
            text.append("\n")
            text.append_text(safe.block(c.description))
            text.append("\n")
        text.append("\n")
        text.append_text(
            Text.assemble(
                (f"{o.people_now}", "bold"),
                f" {'person' if o.people_now == 1 else 'people'} here now, ",
                (f"{o.former}", "bold"),
                " who used to be · ",
                (f"{o.terms}", "bold"),
                f" {'term' if o.terms == 1 else 'terms'} · ",
                (f"{o.feeds}", "bold"),
                f" {'feed' if o.feeds == 1 else 'feeds'} · ",
                (f"{o.unread}", "bold"),
                " unread news\n",
            )
        )
        self.query_one("#overview-text", Static).update(text)

        parts: list = [Text("Latest note", style="bold underline")]
        if o.latest_note:
            parts.append(Text(safe.when(o.latest_note.created_at), style="dim"))
            parts.append(NoteMarkdown(o.latest_note.body[:600]))
        else:
            parts.append(Text("None yet — press n to write one.", style="dim italic"))
        side = Text()
        side.append("\nLatest news\n", style="bold underline")
        for item in o.latest_news:
            side.append(("● " if not item.read else "  "), style="bold cyan")
            side.append((item.published or "")[:10] + " ", style="dim")
            side.append_text(safe.line(item.title))
            side.append("\n")
        if not o.latest_news:
            side.append("No news yet: f follows a feed, s syncs.", style="dim italic")
        self.query_one("#overview-side", Static).update(Group(*parts, side))

    # -- News and Notes: panes mounted when first shown ----------------------

    def _show_pane(self, tab: str) -> None:
        """News and Notes: mounted the first time (they read their lists), read again when stale."""
        if tab not in self._shown:
            self._shown.add(tab)
            if not self.query(f"#company-{tab}"):
                self.call_later(self._mount_pane, tab)
        elif tab in self._stale:
            self._stale.discard(tab)
            for pane in self.query(f"#company-{tab}"):
                pane.reload()  # type: ignore[attr-defined]

    def _pane(self, tab: str) -> Widget:
        from researcher.tui.widgets.news_view import NewsView

        if tab == "news":
            return NewsView(company_id=self.company_id, id="company-news")
        name = self.company.name if self.company else ""
        return NotesPane(NoteTarget("company", self.company_id, name), id="company-notes")

    async def _mount_pane(self, tab: str) -> None:
        await self.query_one(f"#{tab}", TabPane).mount(self._pane(tab))
        if tab == self.active_tab:
            self._focus_tab()

    def _select_initial_item(self) -> None:
        """The news item the dossier was opened on (a search hit), highlighted and read."""
        item, self.initial_item = self.initial_item, None
        for view in self.query("#company-news"):
            if not view.items:  # type: ignore[attr-defined]
                view.reload(fresh=True)  # type: ignore[attr-defined]
            view.select_item(item)  # type: ignore[attr-defined]

    def on_news_view_changed(self, event) -> None:
        """The Overview's unread count and latest news follow what is read or deleted on the News tab."""
        self._stale.add("overview")

    # -- People ----------------------------------------------------------------

    def _people_columns(self) -> None:
        """(Re)lay the People columns out for the screen's width."""
        width = self.app.size.width
        if width == self._people_width:
            return
        self._people_width = width
        table = self.query_one("#people-table", DataTable)
        row = table.cursor_row or 0
        table.clear(columns=True)
        for label, size in people_columns(width):
            table.add_column(label, width=size)
        if self.people:
            self._people_rows(self.people, 0)
            table.move_cursor(row=min(row, len(self.people) - 1))

    def _people_rows(self, rows: list[PersonRow], start: int) -> None:
        table = self.query_one("#people-table", DataTable)
        why = self.ranking.why_no_paths if self.ranking else None
        wide = any(c.label.plain == "Unit" for c in table.columns.values())
        for offset, row in enumerate(rows):
            table.add_row(*_person_cells(row, why, wide), key=str(start + offset))

    def _show_people(self, data: tuple[PeopleRanking, PeoplePage]) -> None:
        ranking, page = data
        table = self.query_one("#people-table", DataTable)
        keep = self._keep_person
        if keep is None and self.people and table.cursor_row is not None and table.cursor_row < len(self.people):
            keep = self.people[table.cursor_row].person_id
        row, scroll_y = table.cursor_row or 0, table.scroll_y
        self._keep_person = None
        same = [r.person_id for r in page.rows] == [r.person_id for r in self.people]
        self.ranking, self.people_more = ranking, page.has_more
        if same and page.rows == self.people:
            pass  # nothing changed: the table stays as it is
        else:
            self.people = list(page.rows)
            table.clear()
            self._people_rows(self.people, 0)
            ids = [r.person_id for r in self.people]
            if self.people:
                target = ids.index(keep) if keep in ids else min(row, len(ids) - 1)
                table.move_cursor(row=target, scroll=False)
                if keep in ids and not same:
                    self.call_after_refresh(table.move_cursor, row=target, scroll=True)
                else:
                    self.call_after_refresh(self._restore_scroll, table, scroll_y)
        hint = Text(
            f"{ranking.current} here now · {ranking.former} who used to be (marked former) · "
            "ranked by priority, then warmest path · a adds a person · enter opens",
            style="dim",
        )
        self.query_one("#people-hint", Static).update(hint)
        self._person_detail()

    @staticmethod
    def _restore_scroll(table: DataTable, scroll_y: float) -> None:
        table.scroll_to(y=scroll_y, animate=False, immediate=True)
        table.move_cursor(row=table.cursor_row, scroll=True)

    def _load_more_people(self) -> None:
        """The next page of the People tab, when the cursor nears the end of what is listed."""
        if not self.people_more or self.ranking is None or self._loading("people-more") or self._loading("people"):
            return
        ranking, offset = self.ranking, len(self.people)
        self.run_worker(
            partial(self._fetch_more, ranking, offset),
            name="people-more",
            group="dossier-people-more",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _fetch_more(self, ranking: PeopleRanking, offset: int) -> None:
        worker = get_current_worker()
        with Notebook(self.app.db_path, create=False) as nb:
            page = dossier.people_page(nb, ranking, offset, dossier.PEOPLE_PAGE)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._more_people, ranking, page)

    def _more_people(self, ranking: PeopleRanking, page: PeoplePage) -> None:
        if ranking is not self.ranking or page.offset != len(self.people) or not self.is_mounted:
            return  # the list was read again meanwhile
        self._people_rows(page.rows, len(self.people))
        self.people.extend(page.rows)
        self.people_more = page.has_more

    def _person_detail(self) -> None:
        """Show who is highlighted; their exact warm path is searched once the cursor rests on them."""
        detail = self.query_one("#people-detail", Static)
        row = self._current_person()
        if row is None:
            detail.update(Text("Nobody recorded here yet: press a to add someone who works here.", style="dim italic"))
            return
        why = self.ranking.why_no_paths if self.ranking else None
        found = self._paths.get(row.person_id)
        shown = found if found is not None else self._old_paths.get(row.person_id)
        detail.update(
            _path_text(
                row, shown if isinstance(shown, PathResult) else None, why, shown if isinstance(shown, str) else None
            )
        )
        if found is None and not row.is_me and not why and self.ranking and self.ranking.me_id is not None:
            if self._path_timer is not None:
                self._path_timer.stop()
            self._path_timer = self.set_timer(PATH_DELAY, partial(self._search_path, row.person_id))

    def _current_person(self) -> PersonRow | None:
        table = self.query_one("#people-table", DataTable)
        row = table.cursor_row
        if row is None or not self.people or row >= len(self.people):
            return None
        return self.people[row]

    def _search_path(self, person_id: int) -> None:
        current = self._current_person()
        if current is None or current.person_id != person_id or self.ranking is None:
            return
        me = self.ranking.me_id
        self.run_worker(
            partial(self._fetch_path, person_id, me),
            name="path",
            group="dossier-path",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _fetch_path(self, person_id: int, me: int) -> None:
        worker = get_current_worker()
        with Notebook(self.app.db_path, create=False) as nb:
            try:
                found: PathResult | str = find_paths(nb, person_id, me=me, k=1)
            except ResearcherError as exc:
                found = str(exc)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._path_found, person_id, found)

    def _path_found(self, person_id: int, found: PathResult | str) -> None:
        self._paths[person_id] = found
        current = self._current_person()
        if current is not None and current.person_id == person_id:
            self._person_detail()

    def action_add_person(self) -> None:
        """Add someone who works here: the person form, with this company filled in."""
        if self.company is None:
            return

        def added(person_id: int | None) -> None:
            if person_id is not None:
                self._keep_person = person_id
                self._stale.add("people")
                if self.active_tab == "people":
                    self._load("people")

        self.app.push_screen(CompanyPersonForm(company=self.company.name), added)

    # -- Career paths ------------------------------------------------------------

    def _careers_columns(self) -> None:
        """(Re)lay the Career paths columns out for the screen's width."""
        width = self.app.size.width
        if width == self._careers_width:
            return
        self._careers_width = width
        careers = self.query_one("#careers-table", DataTable)
        row = careers.cursor_row or 0
        careers.clear(columns=True)
        for label, size in zip(CAREER_COLUMNS, career_widths(width), strict=True):
            careers.add_column(label, width=size)
        if self.moves:
            self._fill_careers(row)

    def on_resize(self) -> None:
        self._careers_columns()
        self._people_columns()

    def _show_careers(self, flows: CareerFlows) -> None:
        text = Text()
        text.append("Came from  ", style="bold")
        text.append_text(safe.line(", ".join(f"{name} ({n})" for name, n in flows.came_from[:8]) or "—"))
        text.append("\nLeft to    ", style="bold")
        text.append_text(safe.line(", ".join(f"{name} ({n})" for name, n in flows.left_to[:8]) or "—"))
        self.query_one("#flows", Static).update(text)
        table = self.query_one("#careers-table", DataTable)
        row = table.cursor_row or 0
        keep = self.moves[row] if 0 <= row < len(self.moves) else None
        if self.moves and [(m.person_id, m.stint.id) for m in flows.moves] == [
            (m.person_id, m.stint.id) for m in self.moves
        ]:
            self.moves = flows.moves
            self._career_detail(row)
            return
        self.moves = flows.moves
        if keep is not None:
            row = next((i for i, m in enumerate(self.moves) if m.stint.id == keep.stint.id), row)
        self._fill_careers(row)

    def _fill_careers(self, row: int) -> None:
        """Fill the table a chunk per refresh (thousands of passages through a big company)."""
        table = self.query_one("#careers-table", DataTable)
        # Drawn as the cursor goes down: a big company has thousands, and each row costs the loop.
        self._careers_fill = fill_table(
            table, list(enumerate(self.moves)), lambda pair: (str(pair[0]), _move_cells(pair[1])), background=False
        )
        if self.moves:
            row = min(row, len(self.moves) - 1)
            self._careers_fill.until(row)
            table.move_cursor(row=row)
        self._career_detail(row)

    def _career_detail(self, row: int) -> None:
        detail = self.query_one("#careers-detail", Static)
        if 0 <= row < len(self.moves):
            detail.update(_move_text(self.moves[row]))
        else:
            detail.update(Text("Nobody recorded here yet.", style="dim italic"))

    # -- Organisation and Vocabulary ------------------------------------------------

    @property
    def terms(self) -> list[Term]:
        return self.query_one(VocabularyTab).terms

    def _show_terms(self, terms: list[Term]) -> None:
        tab = self.query_one(VocabularyTab)
        tab.company_name = self.company.name if self.company else ""
        tab.show_terms(terms)

    def on_vocabulary_tab_changed(self, event: VocabularyTab.Changed) -> None:
        """A term added, changed or removed: the glossary is read again, the term count and highlights follow."""
        self._stale.update({"overview", "news", "notes"})
        self._load("vocabulary")

    # -- keys ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_person":
            return bool(self.query(TabbedContent)) and self.active_tab == "people"
        return super().check_action(action, parameters)

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [tab_id for tab_id, _ in TABS]
        index = (ids.index(tabs.active) + delta) % len(ids) if tabs.active in ids else 0
        # Focus leaves the pane before it hides: else Textual hands it to the next widget of that hidden pane
        # (Overview has two scrollable columns) until _focus_tab runs.
        self.set_focus(None)
        tabs.active = ids[index]
        self.call_after_refresh(self._focus_tab)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if self.is_mounted and event.pane.id:
            self._visit(event.pane.id)
        self.call_after_refresh(self._focus_tab)

    def _focus_tab(self) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is None:
            return
        for widget in pane.walk_children():
            if not isinstance(widget, (DataTable, Tree, VerticalScroll)):
                continue
            if widget.focusable and widget.display:
                widget.focus()
                return

    def action_cursor(self, delta: int) -> None:
        """j/k in the dossier's lists (News and Notes move their own)."""
        focused = self.focused
        if isinstance(focused, (DataTable, Tree)):
            if delta > 0:
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table.id
        if table == "careers-table":
            if self._careers_fill is not None:
                self._careers_fill.until(event.cursor_row)
            self._career_detail(event.cursor_row)
        elif table == "people-table":
            self._person_detail()
            if event.cursor_row >= len(self.people) - 20:
                self._load_more_people()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "people-table" and event.cursor_row < len(self.people):
            self.app.open_person(self.people[event.cursor_row].person_id)
        elif event.data_table.id == "careers-table" and event.cursor_row < len(self.moves):
            self.app.open_person(self.moves[event.cursor_row].person_id)

    def action_edit(self) -> None:
        """Edit the company's details; the title bar and the Overview follow."""
        if self.company:
            self.app.push_screen(CompanyForm(self.company), lambda saved: saved is not None and self._load("overview"))

    def action_feeds(self) -> None:
        """The company's feeds: follow one, stop following one."""
        from researcher.tui.widgets.feed_form import FeedList

        if self.company is None:
            return

        def closed(changed: bool | None) -> None:
            self._stale.add("overview")  # its feed count
            if changed:
                for view in self.query("#company-news"):
                    view.reload()  # type: ignore[attr-defined]

        self.app.push_screen(FeedList(self.company.id, self.company.name), closed)

    def note_target(self) -> NoteTarget | None:
        """The highlighted person on the People tab, the news item on News, else the company."""
        tab = self.active_tab
        if tab == "people" and isinstance(self.focused, DataTable):
            row = self._current_person()
            if row is not None:
                return NoteTarget("person", row.person_id, row.name)
        if tab == "org" and (person := self.query_one(OrgTab).highlighted_person()) is not None:
            return NoteTarget("person", person.id, person.name)
        if tab == "news":
            for view in self.query("#company-news"):
                item = view.current()  # type: ignore[attr-defined]
                if item is not None:
                    return NoteTarget("news", item.id, item.title)
        if self.company:
            return NoteTarget("company", self.company.id, self.company.name)
        return None
