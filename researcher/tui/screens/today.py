"""`0`, Today: what is new since your last session — news of the companies in play, follow-ups due, people named in
the news, terms to drill — each a list worked with one key (the first screen when any company is in play).

"Since the last visit" is since your previous session: the visit is recorded when you quit the app after Today was
shown (or by `researcher today` without --peek), so every Today of one session counts from the same moment and a
sync during the session adds to it. The first time, it covers the last week.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from researcher.insight.today import FIRST_VISIT_DAYS, Today, companies_in_play, mark_visit, today_view
from researcher.store import Notebook, ResearcherError
from researcher.store.schema import CHANNELS
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.words import plural

SECTIONS = ("news", "follow-ups", "people", "changes", "terms")
FOLLOW_UPS_SHOWN = 50  # the rest wait on the Network screen (a table costs ~0.2 ms a row)
COLUMNS = {
    "news": (("Date", 10), ("Company", 20), ("Title", 0)),
    "follow-ups": (("Due", 10), ("Person", 20), ("Company", 16), ("Next step", 0)),
    "people": (("Person", 22), ("Items", 5), ("Newest item naming them", 0)),
    "changes": (("When", 10), ("Person", 22), ("Job change", 0)),
    "terms": (("Term", 20), ("Company", 18), ("State", 7), ("Meaning", 0)),
}
HINTS = {
    "news": "enter read · c company",
    "follow-ups": "enter open · x done · i log",
    "people": "enter open · r read · i log",
    "changes": "enter open · c company · i log",
    "terms": "enter drill · c company",
}
HEIGHTS = {
    "news": 12,
    "follow-ups": 10,
    "people": 8,
    "changes": 6,
    "terms": 8,
}  # the most rows each list shows (then it scrolls)


@dataclass
class Loaded:
    """What a load read in its thread: the view, and how many companies are in play."""

    view: Today
    in_play: int


def record_visit(app: App) -> None:
    """The session ends: record the visit when Today was shown (the next session's Today starts here)."""
    nb: Notebook = app.nb  # type: ignore[attr-defined]
    if not getattr(app, "today_shown", False) or nb.read_only_reason:
        return
    try:
        mark_visit(nb)
    except (ResearcherError, sqlite3.Error):  # the app is closing: the next Today shows more, nothing is lost
        pass


def _row_key(section: str, row: dict[str, Any]) -> str:
    return str(row["person_id"] if section == "people" else row["id"])  # (a job change: the event's id)


class TodayScreen(BaseScreen):
    section = "today"
    BINDINGS = [
        Binding("r", "read", "Read", tooltip="The highlighted item, or the newest item naming the person"),
        Binding("c", "company", "Company", tooltip="The company of the highlighted item, term or person"),
        Binding("i", "interaction", "Log", tooltip="Log an interaction with the highlighted person"),
        Binding("x", "done", "Done", tooltip="The highlighted follow-up is done: asks what happened, logs it"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    TodayScreen #today-body { padding: 0 1; }
    TodayScreen #today-head { height: auto; }
    TodayScreen .today-title { margin: 1 0 0 0; }
    TodayScreen .today-empty { color: $text-muted; text-style: italic; padding: 0 2; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.loaded: Loaded | None = None
        self.rows: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS}
        self._resumed = False
        self._focused_once = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="today-body"):
            yield Static(Text("Loading…", style="dim italic"), id="today-head")
            for section in SECTIONS:
                yield Static(id=f"{section}-title", classes="today-title")
                yield DataTable(cursor_type="row", zebra_stripes=True, id=f"{section}-table")
                yield Static(id=f"{section}-empty", classes="today-empty")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        width = self.app.size.width - 6  # the body's padding, its scrollbar and the table's
        for section, columns in COLUMNS.items():
            table = self.query_one(f"#{section}-table", DataTable)
            fixed = sum(w for _, w in columns) + 2 * len(columns)
            for label, w in columns:
                table.add_column(label, width=w or max(20, width - fixed))
            table.display = False
            table.styles.overflow_x = "hidden"  # a long title is cut (ellipsis), never a scrollbar taking a row
            self.query_one(f"#{section}-empty", Static).display = False
        self.set_title("Today", right="loading…")
        self.load()  # at once: read while the screen is first drawn

    def on_screen_resume(self) -> None:
        if self._resumed:  # back from a person, a dossier, a form: what was done there shows here
            self.reload()
        self._resumed = True

    # -- loading, in a thread with its own connection -------------------------------------------------------

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def load(self) -> None:
        with Notebook(self.app.db_path, create=False) as nb:  # type: ignore[attr-defined]
            loaded = Loaded(today_view(nb), companies_in_play(nb))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, loaded)

    def show(self, loaded: Loaded) -> None:
        if not self.is_attached:
            return
        self.loaded = loaded
        self.app.today_shown = True  # type: ignore[attr-defined]
        view = loaded.view
        due = view.overdue + view.due_today
        self.rows = {
            "news": view.news,
            "follow-ups": due[:FOLLOW_UPS_SHOWN],
            "people": view.people_in_news,
            "changes": view.job_changes,
            "terms": view.terms_to_drill,
        }
        self.set_title("Today", right=f"since {safe.when(view.since)} UTC")
        self.query_one("#today-head", Static).update(self._head(loaded))
        for section in SECTIONS:
            self._fill(section)
        if not self._focused_once:
            self._focused_once = True
            first = next((s for s in SECTIONS if self.rows[s]), None)
            if first:
                self.query_one(f"#{first}-table", DataTable).focus(scroll_visible=False)

    def _head(self, loaded: Loaded) -> Text:
        view = loaded.view
        head = Text()
        if view.first_visit:
            head.append(f"Your first visit: what arrived in the last {FIRST_VISIT_DAYS} days.", style="bold")
        else:
            head.append(f"Since your last session ({safe.when(view.since)} UTC).", style="bold")
        head.append(f"  {plural(loaded.in_play, 'company', 'companies')} in play", style="dim")
        head.append("\ntab: the next list · n: a note · your visit is recorded when you quit", style="dim")
        return head

    def _titles(self) -> dict[str, str]:
        assert self.loaded is not None
        view = self.loaded.view
        return {
            "news": f"News of your companies in play ({view.news_total} new)",
            "follow-ups": f"Follow-ups ({len(view.overdue)} overdue, {len(view.due_today)} today)",
            "people": f"People in the news ({view.people_in_news_total})",
            "changes": f"Job changes seen by an import ({len(view.job_changes)})",
            "terms": f"Terms to drill ({view.terms_to_drill_total})",
        }

    def _more(self, section: str) -> str:
        """What a list leaves out, and where to see it."""
        view = self.loaded.view  # type: ignore[union-attr]
        shown = len(self.rows[section])
        total = {
            "news": view.news_total,
            "follow-ups": len(view.overdue) + len(view.due_today),
            "people": view.people_in_news_total,
            "changes": len(view.job_changes),
            "terms": view.terms_to_drill_total,
        }[section]
        where = {
            "news": " in the inbox (3)",
            "follow-ups": " on Network (4)",
            "people": "",
            "changes": "",
            "terms": ": researcher term drill",
        }[section]
        return f"+{total - shown}{where}" if total > shown else ""

    def _empty(self, section: str) -> str:
        loaded = self.loaded
        assert loaded is not None
        since = "since your last session" if not loaded.view.first_visit else f"in the last {FIRST_VISIT_DAYS} days"
        if section == "news":
            if not loaded.in_play:
                return (
                    "No company is in play yet: on Companies (1), edit one (e) and set its status to target, "
                    "applied or interviewing; its news shows here."
                )
            return f"Nothing new from your companies in play {since}: s fetches their news."
        if section == "follow-ups":
            return "No follow-up due: on a person's page, a sets a next step and its date."
        if section == "people":
            return f"Nobody you track was named in the news {since}."
        if section == "changes":
            return f"No job change seen {since}: importing a newer LinkedIn export (ctrl+p) shows who moved."
        return "No term to drill: add terms in a company's Vocabulary tab (or accept its suggestions)."

    def _fill(self, section: str) -> None:
        """Refill one list, keeping the highlighted row (by what it shows) or its place."""
        table = self.query_one(f"#{section}-table", DataTable)
        old_row = table.cursor_row or 0
        old_key = None
        if table.row_count and 0 <= old_row < table.row_count:
            old_key = table.coordinate_to_cell_key((old_row, 0)).row_key.value
        table.clear()
        rows = self.rows[section]
        for row in rows:
            table.add_row(*self._cells(section, row), key=_row_key(section, row))
        keys = [_row_key(section, row) for row in rows]
        if keys:
            table.move_cursor(row=keys.index(old_key) if old_key in keys else min(old_row, len(keys) - 1))
        table.styles.height = min(HEIGHTS[section], len(rows) + 1)
        table.display = bool(rows)
        title = Text(self._titles()[section], style="bold underline")
        title.append("  " + HINTS[section], style="dim")
        if more := self._more(section):
            title.append(f"  {more}", style="dim italic")
        self.query_one(f"#{section}-title", Static).update(title)
        empty = self.query_one(f"#{section}-empty", Static)
        empty.display = not rows
        empty.update(Text(self._empty(section)))

    def _cells(self, section: str, row: dict[str, Any]) -> list[Text]:
        if section == "news":
            style = "" if row["read"] else "bold"
            return [
                Text((row["published"] or row["fetched_at"] or "")[:10], style="dim"),
                safe.line(row["company"]),
                safe.line(row["title"], style=style),
            ]
        if section == "follow-ups":
            overdue = self.loaded is not None and row in self.loaded.view.overdue
            return [
                Text(row["next_action_at"] or "", style="bold red" if overdue else "bold yellow"),
                safe.line(row["name"], style="bold"),
                safe.line(row["company"] or ""),
                safe.line(row["next_step"] or "", style="" if row["next_step"] else "dim"),
            ]
        if section == "changes":
            return [
                Text((row["at"] or "")[:10], style="dim"),
                safe.line(row["person_name"], style="bold"),
                safe.line(row["text"]),
            ]
        if section == "people":
            newest = row["items"][0] if row["items"] else {"title": "", "company": ""}
            return [
                safe.line(row["name"], style="bold"),
                Text(str(row["item_count"]), justify="right"),
                safe.line(f"{newest['title']} ({newest['company']})"),
            ]
        return [
            safe.line(row["term"], style="bold"),
            safe.line(row["company"] or "global"),
            Text(row["state"], style="yellow" if row["state"] == "not yet" else "cyan"),
            safe.line(row["meaning"]),
        ]

    # -- what is highlighted --------------------------------------------------------------------------------

    @property
    def current_section(self) -> str | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id and focused.id.endswith("-table"):
            return focused.id.removesuffix("-table")
        return None

    def current(self) -> tuple[str, dict[str, Any]] | None:
        section = self.current_section
        if section is None:
            return None
        rows = self.rows[section]
        row = self.query_one(f"#{section}-table", DataTable).cursor_row
        return (section, rows[row]) if rows and row is not None and 0 <= row < len(rows) else None

    def _person(self) -> dict[str, Any] | None:
        """The highlighted person (follow-ups, people in the news) as {id, name}, else None (said)."""
        current = self.current()
        if current and current[0] == "follow-ups":
            return {"id": current[1]["id"], "name": current[1]["name"]}
        if current and current[0] == "people":
            return {"id": current[1]["person_id"], "name": current[1]["name"]}
        if current and current[0] == "changes":
            return {"id": current[1]["person_id"], "name": current[1]["person_name"]}
        self.app.notify("Highlight a person first: in the follow-ups or the people in the news.", markup=False)
        return None

    def _reload_after(self, saved: object) -> None:
        if saved is not None:
            self.reload()

    # -- acting ---------------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        current = self.current()
        if current is None:
            return
        section, row = current
        if section == "news":
            self._read(row["id"])
        elif section == "follow-ups":
            self.app.open_person(row["id"])  # type: ignore[attr-defined]
        elif section in ("people", "changes"):
            self.app.open_person(row["person_id"])  # type: ignore[attr-defined]
        else:
            self._drill(row)

    def _read(self, item_id: int) -> None:
        """An item, read on its company's News tab (the reading pane shows it whole)."""
        try:
            item = self.app.nb.news_item(item_id)  # type: ignore[attr-defined]
        except ResearcherError as exc:  # deleted meanwhile
            self.app.report(exc)  # type: ignore[attr-defined]
            self.reload()
            return
        self.app.open_company(item.company_id, tab="news", news_item=item.id)  # type: ignore[attr-defined]

    def _drill(self, term: dict[str, Any]) -> None:
        """A term to drill: its company's Vocabulary tab (a global term: how to drill from the command line)."""
        if term["company"] is None:
            self.app.notify("A global term: drill it with `researcher term drill`.", markup=False)
            return
        try:
            company = self.app.nb.company(term["company"])  # type: ignore[attr-defined]
        except ResearcherError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.app.open_company(company.id, tab="vocabulary")  # type: ignore[attr-defined]
        self.app.notify(
            f"Drill {term['term']}: here in the Vocabulary tab, or `researcher term drill {company.slug}`.",
            markup=False,
        )

    def action_read(self) -> None:
        current = self.current()
        if current and current[0] == "news":
            self._read(current[1]["id"])
        elif current and current[0] == "people" and current[1]["items"]:
            self._read(current[1]["items"][0]["id"])
        else:
            self.app.notify("Highlight a news item, or a person in the news, first.", markup=False)

    def action_company(self) -> None:
        current = self.current()
        if current is None:
            self.app.notify("Highlight a row first.", markup=False)
            return
        section, row = current
        app: Any = self.app
        try:
            if section == "news":
                app.open_company(app.nb.company(row["company_slug"]).id)
            elif section == "terms":
                if row["company"] is None:
                    app.notify("A global term belongs to no company.", markup=False)
                else:
                    app.open_company(app.nb.company(row["company"]).id, tab="vocabulary")
            else:
                person = app.nb.person(row["id"] if section == "follow-ups" else row["person_id"])
                if person.company_slug:
                    app.open_company(app.nb.company(person.company_slug).id)
                else:
                    app.notify("Their current company is not one you track.", severity="warning", markup=False)
        except ResearcherError as exc:
            app.report(exc)

    def action_interaction(self) -> None:
        from researcher.tui.widgets.interaction_form import InteractionForm

        person = self._person()
        if person:
            self.app.push_screen(InteractionForm(person["id"], person["name"]), self._reload_after)

    def action_done(self) -> None:
        """The same form and store call as `x` on the person's page (Notebook.follow_up_done)."""
        from researcher.tui.widgets.interaction_form import FollowUpDoneForm

        current = self.current()
        if current is None or current[0] != "follow-ups":
            self.app.notify("x marks a follow-up done: highlight one in the follow-ups first.", markup=False)
            return
        row = current[1]
        try:
            done = self.app.nb.interactions_of(row["id"])  # type: ignore[attr-defined]
        except ResearcherError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        channel = done[0].channel if done and done[0].channel in CHANNELS else "other"
        self.app.push_screen(FollowUpDoneForm(row["id"], row["name"], row["next_step"], channel), self._reload_after)

    def action_cursor(self, delta: int) -> None:
        if isinstance(self.focused, DataTable):
            self.focused.move_cursor(row=max(0, (self.focused.cursor_row or 0) + delta))

    def note_target(self) -> NoteTarget | None:
        current = self.current()
        if current is None:
            return None
        section, row = current
        if section == "news":
            return NoteTarget("news", row["id"], row["title"])
        if section == "follow-ups":
            return NoteTarget("person", row["id"], row["name"])
        if section == "people":
            return NoteTarget("person", row["person_id"], row["name"])
        if section == "changes":
            return NoteTarget("person", row["person_id"], row["person_name"])
        if row["company"] is None:
            return None
        try:
            company = self.app.nb.company(row["company"])  # type: ignore[attr-defined]
        except ResearcherError:
            return None
        return NoteTarget("company", company.id, company.name)
