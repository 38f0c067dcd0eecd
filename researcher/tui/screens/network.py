"""`4`: network health — meaningful contacts against the goal, follow-ups, quiet contacts, my profile."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, ProgressBar, Static, TabbedContent, TabPane

from researcher import clock
from researcher.insight.network import NetworkHealth, network_health
from researcher.store.network import QUIET_DAYS
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.words import plural

TABS = ["follow-ups", "quiet", "never", "profile"]
EMPTY = {
    "follow-ups": "No follow-up is due: a person's next step shows here once its date has come.",
    "quiet": f"Nobody has gone quiet: people you were in touch with and have not heard from in {QUIET_DAYS} days "
    "show here.",
    "never": "Nobody left to contact: people you add and have not contacted yet show here.",
}


class NetworkScreen(BaseScreen):
    section = "network"
    BINDINGS = [
        Binding("tab", "tab(1)", "Next tab", priority=True),
        Binding("shift+tab", "tab(-1)", "Prev tab", priority=True),
        Binding("space", "toggle_item", "Done/not done", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.health: NetworkHealth | None = None
        self.lists: dict[str, list[dict]] = {}
        self.checklist: list[tuple[str, str, bool]] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Vertical(id="gauge"):
            with Horizontal(classes="gauge-line"):
                yield Static(id="gauge-label")
                yield ProgressBar(show_eta=False, id="gauge-bar")
            yield Static(id="gauge-detail")
        with TabbedContent(id="network-tabs"):
            for tab, label in (
                ("follow-ups", "Follow-ups due"),
                ("quiet", "Gone quiet"),
                ("never", "Never contacted"),
                ("profile", "My profile"),
            ):
                with TabPane(label, id=tab):
                    yield DataTable(cursor_type="row", zebra_stripes=True, id=f"{tab}-table")
                    # An empty list says so in a whole sentence (a table cell cut it to its column).
                    yield Static(id=f"{tab}-empty", classes="empty-state")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        columns = {
            "follow-ups": (("Due", 10), ("Person", 22), ("Status", 11), ("Next step", None)),
            "quiet": (("Last contact", 12), ("Person", 22), ("Status", 11), ("Company", None)),
            "never": (("Person", 24), ("Company", 26), ("Title", None)),
            "profile": (("Network", 10), ("Item", 28), ("Done", 6)),
        }
        for tab, cols in columns.items():
            table = self.query_one(f"#{tab}-table", DataTable)
            for label, width in cols:
                table.add_column(label, width=width)
        self.query_one("#follow-ups-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.health = h = network_health(self.app.nb, clock.today())
        self.set_title("Network", right=f"goal {h.goal} meaningful contacts")
        self.query_one("#gauge-label", Static).update(
            Text.assemble(("Meaningful contacts ", "bold"), (f"{len(h.meaningful)}", "bold green"), f" / {h.goal}  ")
        )
        self.query_one("#gauge-bar", ProgressBar).update(total=h.goal, progress=min(len(h.meaningful), h.goal))
        self.query_one("#gauge-detail", Static).update(
            Text(
                f"{len(h.never_contacted)} collected but never contacted · {h.offline} on no network (met offline) · "
                f"{plural(len(h.follow_ups), 'follow-up')} due · {len(h.gone_quiet)} gone quiet",
                style="dim",
            )
        )
        today = clock.today().isoformat()
        self.lists = {"follow-ups": h.follow_ups, "quiet": h.gone_quiet, "never": h.never_contacted}
        self._fill(
            "follow-ups",
            lambda r: (
                Text(r["next_action_at"] or "", style="bold red" if (r["next_action_at"] or "") < today else "yellow"),
                safe.line(r["name"], style="bold"),
                Text(r["status"] or "—"),
                safe.line(r["next_step"]),
            ),
        )
        self._fill(
            "quiet",
            lambda r: (
                Text((r["last_interaction"] or "")[:10], style="dim"),
                safe.line(r["name"], style="bold"),
                Text(r["status"] or "—"),
                safe.line(r["company"]),
            ),
        )
        self._fill(
            "never",
            lambda r: (
                safe.line(r["name"] + ("  (offline)" if r["offline"] else ""), style="bold"),
                safe.line(r["company"]),
                safe.line(r["title"]),
            ),
        )
        table = self.query_one("#profile-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.checklist = []
        for p in h.profiles:
            for item in p.done + p.missing:
                done = item in p.done
                self.checklist.append((p.network, item, done))
        self.checklist.sort(key=lambda x: (x[0], x[2]))
        for network, item, done in self.checklist:
            table.add_row(network, safe.line(item), Text("✓" if done else "✗", style="green" if done else "red"))
        if h.profiles and row is not None:
            table.move_cursor(row=min(row, len(self.checklist) - 1))
        if self.app.nb.me() is None:
            empty = (
                "Nobody is marked as you yet: run `researcher person edit NAME --me`, then add your "
                "profile URLs on your page (e), and the checklist of each network shows here."
            )
        else:
            empty = "Add your profile URLs on your own page (e there): the checklist of each network shows here."
        self._empty("profile", bool(self.checklist), empty)
        percents = " · ".join(f"{p.network} {p.percent}%" for p in h.profiles)
        self.query_one("#network-tabs", TabbedContent).get_tab("profile").label = f"My profile ({percents or '—'})"

    def _fill(self, tab: str, cells) -> None:
        table = self.query_one(f"#{tab}-table", DataTable)
        row = table.cursor_row
        table.clear()
        for r in self.lists[tab]:
            table.add_row(*cells(r))
        if self.lists[tab] and row is not None:
            table.move_cursor(row=min(row, len(self.lists[tab]) - 1))
        self._empty(tab, bool(self.lists[tab]), EMPTY[tab])

    def _empty(self, tab: str, has_rows: bool, sentence: str) -> None:
        """Show the table, or in its place the sentence that says why it is empty."""
        hint = self.query_one(f"#{tab}-empty", Static)
        hint.update(Text(sentence, style="dim italic"))
        hint.display = not has_rows
        self.query_one(f"#{tab}-table", DataTable).display = has_rows

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + delta) % len(TABS)]
        self.call_after_refresh(lambda: self.query_one(f"#{tabs.active}-table", DataTable).focus())

    def _current(self) -> dict | None:
        tab = self.query_one(TabbedContent).active
        rows = self.lists.get(tab, [])
        row = self.query_one(f"#{tab}-table", DataTable).cursor_row
        return rows[row] if rows and row is not None and row < len(rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "profile-table":
            self.action_toggle_item()
            return
        current = self._current()
        if current:
            self.app.open_person(current["id"])

    def action_toggle_item(self) -> None:
        if self.query_one(TabbedContent).active != "profile" or not self.checklist:
            return
        row = self.query_one("#profile-table", DataTable).cursor_row or 0
        network, item, done = self.checklist[row]
        self.app.nb.set_profile_item(network, item, done=not done)
        self.reload()
        # Keep the cursor on the item just toggled (rows are sorted by state).
        for index, (n, i, _) in enumerate(self.checklist):
            if (n, i) == (network, item):
                self.query_one("#profile-table", DataTable).move_cursor(row=index)

    def note_target(self) -> NoteTarget | None:
        current = self._current()
        return NoteTarget("person", current["id"], current["name"]) if current else None
