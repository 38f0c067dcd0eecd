"""The company dossier: Overview, News, People, Career paths, Organisation, Vocabulary, Notes."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tree

from researcher.insight.careers import Move, company_flows
from researcher.insight.paths import find_paths
from researcher.store import ResearcherError
from researcher.store.models import Company, OrgUnit, Position, Term
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.screens.companies import STATUS_STYLE
from researcher.tui.widgets.company_form import CompanyForm
from researcher.tui.widgets.news_view import NewsView
from researcher.tui.widgets.notes_pane import NoteMarkdown, NotesPane
from researcher.tui.widgets.term_view import TermView

TABS = [
    ("overview", "Overview"),
    ("news", "News"),
    ("people", "People"),
    ("careers", "Career paths"),
    ("org", "Organisation"),
    ("vocabulary", "Vocabulary"),
    ("notes", "Notes"),
]


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


class CompanyScreen(BaseScreen):
    BINDINGS = [
        Binding("tab", "tab(1)", "Next tab", priority=True),
        Binding("shift+tab", "tab(-1)", "Prev tab", priority=True),
        Binding("e", "edit", "Edit"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    DEFAULT_CSS = """
    CompanyScreen #careers-detail {
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
        self.people: list[Position] = []
        self.moves = []
        self.terms: list[Term] = []
        self._careers_width = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with TabbedContent(id="tabs"):
            with TabPane("Overview", id="overview"):
                with Horizontal():
                    yield VerticalScroll(Static(id="overview-text"), id="overview-left")
                    yield VerticalScroll(Static(id="overview-side"), id="overview-right")
            with TabPane("News", id="news"):
                yield NewsView(company_id=self.company_id, id="company-news")
            with TabPane("People", id="people"):
                with Vertical():
                    yield DataTable(cursor_type="row", zebra_stripes=True, id="people-table")
                    yield Static(id="people-hint", classes="hint")
            with TabPane("Career paths", id="careers"):
                with Vertical():
                    yield Static(id="flows", classes="flows")
                    yield DataTable(cursor_type="row", zebra_stripes=True, id="careers-table")
                    yield Static(id="careers-detail")
            with TabPane("Organisation", id="org"):
                yield Tree("Organisation", id="org-tree")
            with TabPane("Vocabulary", id="vocabulary"):
                with Vertical():
                    yield DataTable(cursor_type="row", zebra_stripes=True, id="terms-table")
                    yield Static(Text("enter reads the highlighted term whole", style="dim"), classes="hint")
            with TabPane("Notes", id="notes"):
                yield NotesPane(NoteTarget("company", self.company_id, ""), id="company-notes")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        people = self.query_one("#people-table", DataTable)
        for label, width in (
            ("Name", 22),
            ("Title", 26),
            ("Unit", 14),
            ("Approach", 11),
            ("Prio", 4),
            ("Warmest path", None),
        ):
            people.add_column(label, width=width)
        self._careers_columns()
        terms = self.query_one("#terms-table", DataTable)
        terms.add_column("Term", width=20)
        # Long definitions must not push "Seen in" off screen.
        terms.add_column("Meaning", width=max(24, self.app.size.width - 52))
        terms.add_column("Seen in", width=22)
        if self.initial_tab:
            self.query_one(TabbedContent).active = self.initial_tab

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
        if self.company is not None:
            self._careers()
            if self.moves:
                careers.move_cursor(row=min(row, len(self.moves) - 1))

    def on_resize(self) -> None:
        self._careers_columns()

    def on_screen_resume(self) -> None:
        try:
            self.reload()
        except ResearcherError:  # deleted meanwhile
            self.app.pop_screen()

    def reload(self) -> None:
        nb = self.app.nb
        self.company = c = nb.company(self.company_id)
        self.set_title("Companies", safe.line(c.name, style="bold"), right=f"{c.status} · {c.sector or 'no sector'}")
        self.query_one("#company-notes", NotesPane).target = NoteTarget("company", c.id, c.name)
        self._overview(c)
        self._people()
        self._careers()
        self._org()
        self._terms()
        self.query_one("#company-notes", NotesPane).reload()
        news = self.query_one("#company-news", NewsView)
        news.reload()
        if self.initial_item is not None:
            news.select_item(self.initial_item)
            self.initial_item = None

    # -- tabs ----------------------------------------------------------------

    def _overview(self, c: Company) -> None:
        nb = self.app.nb
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
        former = self._former_ids()
        terms = nb.terms(c.id)
        feeds = nb.feeds(c.id)
        text.append("\n")
        text.append_text(
            Text.assemble(
                (f"{c.people_count}", "bold"),
                " people here now, ",
                (f"{len(former)}", "bold"),
                " who used to be · ",
                (f"{len(terms)}", "bold"),
                " terms · ",
                (f"{len(feeds)}", "bold"),
                " feeds · ",
                (f"{c.unread_count}", "bold"),
                " unread news\n",
            )
        )
        self.query_one("#overview-text", Static).update(text)

        parts: list = [Text("Latest note", style="bold underline")]
        notes = nb.notes(company=c.id, limit=1)
        if notes:
            parts.append(Text(safe.when(notes[0].created_at), style="dim"))
            parts.append(NoteMarkdown(notes[0].body[:600]))
        else:
            parts.append(Text("None yet — press n to write one.", style="dim italic"))
        side = Text()
        side.append("\nLatest news\n", style="bold underline")
        news = nb.news(company=c.id, limit=5)
        for item in news:
            side.append(("● " if not item.read else "  "), style="bold cyan")
            side.append((item.published or "")[:10] + " ", style="dim")
            side.append_text(safe.line(item.title))
            side.append("\n")
        if not news:
            side.append("No news yet.", style="dim italic")
        self.query_one("#overview-side", Static).update(Group(*parts, side))

    def _people(self) -> None:
        nb = self.app.nb
        table = self.query_one("#people-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.people = nb.positions_at(self.company_id, current=True)
        seen = set()
        shown: list[Position] = []
        for p in self.people:
            if p.person_id not in seen:
                seen.add(p.person_id)
                shown.append(p)
        approach = {person.id: person for person in nb.people(company=self.company_id)}
        warmest = self._warmest([p.person_id for p in shown], approach)
        # People to approach first: by priority, then by how warm the best path to them is.
        shown.sort(
            key=lambda p: (
                approach[p.person_id].priority or 9,
                warmest[p.person_id].cost if p.person_id in warmest else 99,
                p.person_name or "",
            )
        )
        self.people = shown
        for p in shown:
            a = approach.get(p.person_id)
            warm = warmest.get(p.person_id)
            if warm is None:
                via = Text("—", style="dim")
            elif len(warm.links) == 1:
                via = Text("you know them", style="green")
            else:
                via = safe.line("via " + " → ".join(link.to_name for link in warm.links[:-1]))
            table.add_row(
                safe.line(p.person_name, style="bold"),
                safe.line(p.title),
                safe.line(p.org_unit),
                Text(a.approach_status or "—", style="" if a and a.approach_status else "dim"),
                Text(str(a.priority) if a and a.priority else "", justify="right"),
                via,
                key=str(p.id),
            )
        if row is not None and shown:
            table.move_cursor(row=min(row, len(shown) - 1))
        former = len(self._former_ids())
        self.query_one("#people-hint", Static).update(
            Text(
                f"{len(shown)} people here now · {former} who used to be (Career paths tab) · enter opens a person",
                style="dim",
            )
        )

    def _warmest(self, person_ids: list[int], approach: dict) -> dict:
        """The best warm path to each person here (those with an approach first; at most 40, to stay quick)."""
        nb = self.app.nb
        me = nb.me()
        if me is None:
            return {}
        ranked = sorted(person_ids, key=lambda pid: (approach[pid].priority or 9, pid))[:40]
        out = {}
        for pid in ranked:
            if pid == me.id:
                continue
            result = find_paths(nb, pid, me=me.id, k=1)
            if result.paths:
                out[pid] = result.paths[0]
        return out

    def _former_ids(self) -> set[int]:
        """People who worked here and no longer do."""
        nb = self.app.nb
        now = {p.person_id for p in nb.positions_at(self.company_id, current=True)}
        return {p.person_id for p in nb.positions_at(self.company_id, current=False)} - now

    def _careers(self) -> None:
        nb = self.app.nb
        flows = company_flows(self.company_id, nb.positions_of_people_at(self.company_id))
        self.moves = flows.moves
        text = Text()
        text.append("Came from  ", style="bold")
        text.append_text(Text(", ".join(f"{name} ({n})" for name, n in flows.came_from[:8]) or "—"))
        text.append("\nLeft to    ", style="bold")
        text.append_text(Text(", ".join(f"{name} ({n})" for name, n in flows.left_to[:8]) or "—"))
        self.query_one("#flows", Static).update(text)
        table = self.query_one("#careers-table", DataTable)
        row = table.cursor_row or 0
        table.clear()
        for m in flows.moves:
            before = f"{m.before.company_name} — {m.before.title}" if m.before else "—"
            after = (
                f"{m.after.company_name} — {m.after.title}"
                if m.after and m.stint.end
                else ("still here" if m.stint.end is None else "—")
            )
            table.add_row(
                safe.line(m.person_name, style="bold"),
                safe.line(before),
                safe.line(m.stint.title),
                safe.span(m.stint.start, m.stint.end),
                safe.line(after, style="green" if after == "still here" else ""),
            )
        if self.moves:
            table.move_cursor(row=min(row, len(self.moves) - 1))
        self._career_detail(table.cursor_row or 0)

    def _career_detail(self, row: int) -> None:
        detail = self.query_one("#careers-detail", Static)
        if 0 <= row < len(self.moves):
            detail.update(_move_text(self.moves[row]))
        else:
            detail.update(Text("Nobody recorded here yet.", style="dim italic"))

    def _org(self) -> None:
        tree: Tree = self.query_one("#org-tree", Tree)
        tree.clear()
        c = self.company
        tree.root.set_label(safe.line(c.name if c else "", style="bold"))
        units = self.app.nb.org_tree(self.company_id)

        def add(node, unit: OrgUnit) -> None:
            label = Text.assemble(safe.line(unit.name, style="bold"), (f"  {len(unit.people)}", "dim"))
            branch = node.add(label, expand=True)
            for child in unit.children:
                add(branch, child)
            for p in unit.people:
                branch.add_leaf(
                    Text.assemble(safe.line(p.person_name), ("  ", ""), safe.line(p.title, style="dim")),
                    data=p.person_id,
                )

        for unit in units:
            add(tree.root, unit)
        if not units:
            tree.root.add_leaf(Text("No units recorded yet.", style="dim italic"))
        tree.root.expand()

    def _terms(self) -> None:
        table = self.query_one("#terms-table", DataTable)
        row = table.cursor_row or 0
        table.clear()
        self.terms = self.app.nb.terms(self.company_id)
        for t in self.terms:
            table.add_row(safe.line(t.term, style="bold"), safe.line(t.definition), safe.line(t.seen_in, style="dim"))
        if not table.row_count:
            table.add_row(Text("No terms yet.", style="dim italic"), "", "")
        else:
            table.move_cursor(row=min(row, len(self.terms) - 1))

    # -- keys ----------------------------------------------------------------

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [tab_id for tab_id, _ in TABS]
        index = (ids.index(tabs.active) + delta) % len(ids) if tabs.active in ids else 0
        tabs.active = ids[index]
        self.call_after_refresh(self._focus_tab)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
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
        if event.data_table.id == "careers-table":
            self._career_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "people-table" and event.cursor_row < len(self.people):
            self.app.open_person(self.people[event.cursor_row].person_id)
        elif event.data_table.id == "careers-table" and event.cursor_row < len(self.moves):
            self.app.open_person(self.moves[event.cursor_row].person_id)
        elif event.data_table.id == "terms-table" and event.cursor_row < len(self.terms):
            self.app.push_screen(TermView(self.terms[event.cursor_row]))

    def on_news_view_changed(self, event: NewsView.Changed) -> None:
        """The Overview's unread count and latest news follow what is read or deleted on the News tab."""
        try:
            self.company = self.app.nb.company(self.company_id)
        except ResearcherError:
            return
        self._overview(self.company)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, int):
            self.app.open_person(event.node.data)

    def action_edit(self) -> None:
        if self.company:
            self.app.push_screen(CompanyForm(self.company))

    def note_target(self) -> NoteTarget | None:
        """The highlighted person on the People tab, the news item on News, else the company."""
        tabs = self.query_one(TabbedContent)
        focused = self.focused
        if tabs.active == "people" and isinstance(focused, DataTable) and self.people:
            row = focused.cursor_row
            if row is not None and row < len(self.people):
                p = self.people[row]
                return NoteTarget("person", p.person_id, p.person_name or "")
        if tabs.active == "news":
            item = self.query_one("#company-news", NewsView).current()
            if item is not None:
                return NoteTarget("news", item.id, item.title)
        if self.company:
            return NoteTarget("company", self.company.id, self.company.name)
        return None
