"""`6`: each sector's companies by pipeline status, people and unread news; the companies not tracked yet that careers
and news name (discovery), with their evidence; `t` tracks one."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from researcher import clock
from researcher.insight.discovery import Discovered, SectorSummary, discover, sectors, track
from researcher.store import Notebook, ResearcherError
from researcher.store.schema import COMPANY_STATUSES
from researcher.sync.engine import pool_context
from researcher.sync.lifeline import guard_worker
from researcher.text import clean_line, fold
from researcher.tui import safe
from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.screens.companies import STATUS_STYLE
from researcher.tui.screens.list_base import refill
from researcher.tui.widgets.track_form import TrackForm
from researcher.words import plural

IN_PROCESS = True  # discover() and track() run in a worker process (tests that replace them run them in threads)
SHOWN = 50  # discovered companies listed at once, best first (the heading says how many in all; the CLI shows 30)
IN_PLAY = ("target", "applied", "interviewing")
ALL = "\x00all"  # row keys that no sector can be (a sector is a clean line: no control character)
NO_SECTOR = "\x00none"
WIDE = 100  # columns from which the tables show their extra columns
NAMES_SHOWN = 40  # companies named per pipeline status in a sector's summary
FOLLOW_DELAY = 0.12  # seconds the sector cursor rests before the discovery list follows it
T = TypeVar("T")


@dataclass(frozen=True)
class SectorRow:
    """One row of the sectors table: a sector, the companies with none, or every sector."""

    key: str
    label: str
    sector: str | None  # as the notebook spells it (None: no sector, or every sector)
    companies: int
    in_play: int
    people: int | None
    unread: int


def sector_rows(summaries: list[SectorSummary]) -> list[SectorRow]:
    """Every sector first, then each sector of sectors() in its order."""
    rows = [
        SectorRow(
            ALL,
            "All sectors",
            None,
            sum(s.company_count for s in summaries),
            sum(len(s.companies.get(status, [])) for s in summaries for status in IN_PLAY),
            None,  # a person may work in two sectors: the sum would count them twice
            sum(s.unread for s in summaries),
        )
    ]
    for s in summaries:
        rows.append(
            SectorRow(
                fold(s.sector) if s.sector else NO_SECTOR,
                s.sector or "(no sector)",
                s.sector,
                s.company_count,
                sum(len(s.companies.get(status, [])) for status in IN_PLAY),
                s.people,
                s.unread,
            )
        )
    return rows


def sector_keys(found: list[Discovered]) -> dict[str, frozenset[str]]:
    """Each discovered company's sectors, as the sector rows key them (read with the list, off the event loop)."""
    return {d.key: frozenset(fold(clean_line(s)) for s, _ in d.sectors) or frozenset([NO_SECTOR]) for d in found}


def in_sector(found: list[Discovered], key: str, keys: dict[str, frozenset[str]]) -> list[Discovered]:
    """The discovered companies of a sector row: discover(sector=S)'s rule (connected to S) applied to the whole
    list read once (discover() takes seconds on a big notebook: not once per sector highlighted)."""
    if key == ALL:
        return found
    return [d for d in found if key in keys.get(d.key, ())]


def _discover_at(db_path: Path, today: date) -> list[Discovered]:
    with Notebook(db_path, create=False) as nb:
        return discover(nb, limit=None, today=today)


def _track_at(db_path: Path, name: str, sector: str | None, today: date) -> dict[str, Any]:
    """The same workflow as `researcher company track NAME --sector S`."""
    with Notebook(db_path, create=False) as nb:
        return track(nb, name, sector=sector, today=today)


class Stopped(Exception):
    """The screen went while its worker process was busy: nothing to show."""


class Elsewhere:
    """Runs a function in a worker process of the screen's own: discovery is seconds of Python on a big notebook,
    and in a thread it held the interpreter lock against the event loop (stalls of 400-600 ms measured). Where no
    process can be had (none could start, or it died), in the calling thread. close() stops the process at once
    (a first discovery on a big notebook takes minutes: leaving the screen, or the app, must not wait for it)."""

    def __init__(self, in_process: bool = True) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._failed = not in_process
        self._closed = False

    @property
    def in_process(self) -> bool:
        return self._pool is not None

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            if self._closed:
                raise Stopped
            if self._pool is None and not self._failed:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=pool_context(), initializer=guard_worker, initargs=(os.getpid(),)
                )
            pool = self._pool
        future = None
        if pool is not None:
            try:
                future = pool.submit(fn, *args)
            except (BrokenProcessPool, RuntimeError, OSError, ValueError):  # no process could be started
                self._drop(pool)
        if future is not None:
            try:
                return future.result()  # fn's own errors come out here, as they would in this thread
            except (BrokenProcessPool, CancelledError):
                if self._closed:
                    raise Stopped from None
                self._drop(pool)
        return fn(*args)

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            self._failed = True  # once: from now on, in threads
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            # (shutdown() alone waits for the task running; Python 3.14 has terminate_workers() for this)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class SectorsLoaded(Message):
    summaries: list[SectorSummary] | None
    error: Exception | None = None


@dataclass
class DiscoveryLoaded(Message):
    generation: int
    found: list[Discovered] | None
    keys: dict[str, frozenset[str]] | None = None
    error: Exception | None = None


@dataclass
class Tracked(Message):
    name: str
    key: str
    done: dict[str, Any] | None
    error: Exception | None = None


@dataclass
class ItemFound(Message):
    company_id: int
    item_id: int


class SectorsScreen(BaseScreen):
    section = "sectors"
    BINDINGS = [
        Binding("t", "track", "Track", tooltip="Track the highlighted discovered company (asks its sector)"),
        Binding("o", "open_tracked", "Open tracked", tooltip="Open the company you tracked last"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    SectorsScreen #sectors-top { height: 2fr; }
    SectorsScreen #discover-row { height: 3fr; }
    SectorsScreen #sectors-table, SectorsScreen #discover-table { width: 3fr; height: 1fr; }
    SectorsScreen #sector-detail, SectorsScreen #evidence-pane { width: 2fr; border-left: vkey $primary 30%; }
    SectorsScreen #sector-detail { padding: 0 1; }
    SectorsScreen #discover-heading { height: 1; background: $panel; padding: 0 1; }
    SectorsScreen #evidence-head { height: auto; max-height: 6; padding: 0 1; }
    SectorsScreen #evidence { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[SectorSummary] = []
        self.rows: list[SectorRow] = []
        self.found: list[Discovered] | None = None  # every discovered company, best first (None: not read yet)
        self._keys: dict[str, frozenset[str]] = {}  # their sectors, keyed as the sector rows are
        self._evidence_of: str | None = None  # the company whose evidence is shown
        self._debounce: Timer | None = None
        self._discover_next = False  # discovery waits for the sectors read
        self.elsewhere = Elsewhere(IN_PROCESS)
        self.shown: list[Discovered] = []
        self.last_tracked: tuple[int, str] | None = None
        self._generation = 0
        self._discovering = False
        self._stale = False  # discovery asked for again while a read was running: read once it ends
        self._tracked: set[str] = set()  # keys tracked here: kept out of a list read before they were
        self._tracking: set[str] = set()
        self._width = 0
        self._away = False  # another (non-modal) screen went on top: read everything again on return
        self._shown_once = False

    def compose(self) -> ComposeResult:
        self.reload()  # read while the screen is built (the reader needs no widget)
        yield from self.compose_title()
        with Horizontal(id="sectors-top"):
            yield DataTable(cursor_type="row", zebra_stripes=True, id="sectors-table")
            with VerticalScroll(id="sector-detail"):
                yield Static(id="sector-companies")
        yield Static(id="discover-heading")
        with Horizontal(id="discover-row"):
            yield DataTable(cursor_type="row", zebra_stripes=True, id="discover-table")
            with Vertical(id="evidence-pane"):
                yield Static(id="evidence-head")
                yield OptionList(id="evidence")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.set_title("Sectors", right="loading…")
        self._columns(self.size.width or self.app.size.width)
        self.query_one("#sectors-table", DataTable).focus()

    def on_unmount(self) -> None:
        self.elsewhere.close()

    def on_screen_suspend(self) -> None:
        top = self.app.screen_stack[-1] if self.app.screen_stack else None
        self._away = top is not self and not isinstance(top, ModalScreen)

    def on_screen_resume(self) -> None:
        if not self._shown_once:
            self._shown_once = True  # (the first read was started in compose)
            return
        self._load_sectors()  # fast; discovery (seconds on a big notebook) only after another screen
        if self._away:
            self._away = False
            self._start_discovery()

    def on_resize(self) -> None:
        if self.is_mounted and self.size.width != self._width:
            sector, found = self.sector_key, self.current_found()  # (the new columns clear the tables)
            self._columns(self.size.width)
            self._draw_sectors(rebuild=True, keep=sector)
            self._draw_discovery(rebuild=True, keep=found.key if found else None)

    def _columns(self, width: int) -> None:
        """Columns sized to the terminal: the names take what the counts leave; narrow, some columns go."""
        wide = width >= WIDE
        left = max(30, width * 3 // 5) - 2 * 5 - 2  # cell padding, scrollbar
        counts = [("Companies", 9)] + ([("In play", 7)] if wide else []) + [("People", 6), ("Unread", 6)]
        sectors = self.query_one("#sectors-table", DataTable)
        sectors.clear(columns=True)
        sectors.add_column("Sector", width=max(10, left - sum(w for _, w in counts)))
        for label, size in counts:
            sectors.add_column(label, width=size)
        counts = ([("Sector", 14)] if wide else []) + [
            ("People", 6),
            ("News", 4),
            ("Last seen" if wide else "Last", 10 if wide else 7),
        ]
        table = self.query_one("#discover-table", DataTable)
        table.clear(columns=True)
        table.add_column("Company", width=max(10, left - sum(w for _, w in counts) + (0 if wide else 2)))
        for label, size in counts:
            table.add_column(label, width=size)
        self._width = width

    # -- loading (in threads, each with its own connection) -------------------

    def reload(self) -> None:
        """Read the sectors, then discover again; what is shown stays until the new data arrives."""
        self._discover_next = True  # after the sectors: on two cores, the short read first shows first
        self._load_sectors()

    @work(thread=True, exclusive=True, group="sectors-load", exit_on_error=False)
    def _load_sectors(self) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                summaries = sectors(nb)
        except Exception as exc:
            self.post_message(SectorsLoaded(None, exc))
            return
        self.post_message(SectorsLoaded(summaries))

    def _start_discovery(self) -> None:
        if self._discovering:  # one read at a time (it may write the links of names to the news, and takes CPU)
            self._stale = True
            return
        self._discovering, self._stale = True, False
        self._generation += 1
        if self.found is None:
            self.query_one("#discover-table", DataTable).loading = True
        self._heading()
        self._discover(self._generation)

    @work(thread=True, group="sectors-discover", exit_on_error=False)
    def _discover(self, generation: int) -> None:
        try:
            found = self.elsewhere.run(_discover_at, self.app.db_path, clock.today())
        except Exception as exc:  # shown through the one error path, the indicator stopped
            self.post_message(DiscoveryLoaded(generation, None, error=exc))
            return
        self.post_message(DiscoveryLoaded(generation, found, sector_keys(found)))

    @on(SectorsLoaded)
    def _sectors_loaded(self, message: SectorsLoaded) -> None:
        if self._discover_next:
            self._discover_next = False
            self._start_discovery()
        if message.summaries is None:
            self.app.report(message.error or RuntimeError("the sectors could not be read"))
            return
        self.summaries = message.summaries
        if not self._width:  # (arrived before the screen's first layout)
            self._columns(self.size.width or self.app.size.width)
        self._draw_sectors()
        total = sum(s.company_count for s in self.summaries)
        named = sum(1 for s in self.summaries if s.sector)
        self.set_title(
            "Sectors",
            right=f"{plural(named, 'sector')}, {plural(total, 'company', 'companies')} · enter: a sector's companies",
        )

    @on(DiscoveryLoaded)
    def _discovery_loaded(self, message: DiscoveryLoaded) -> None:
        self._discovering = False
        self.query_one("#discover-table", DataTable).loading = False
        if message.error is not None:
            self.app.report(message.error)
        elif message.generation == self._generation:
            self.found = message.found
            self._keys = message.keys or {}
            self._evidence_of = None  # read again: the same company's evidence may have grown
            self._draw_discovery()
        if self._stale:
            self._start_discovery()
        else:
            self._heading()

    # -- sectors --------------------------------------------------------------

    @property
    def sector_key(self) -> str:
        table = self.query_one("#sectors-table", DataTable)
        row = table.cursor_row
        return self.rows[row].key if self.rows and row is not None and row < len(self.rows) else ALL

    def _draw_sectors(self, rebuild: bool = False, keep: str | None = None) -> None:
        table = self.query_one("#sectors-table", DataTable)
        old = [] if rebuild else self.rows
        new = sector_rows(self.summaries) if self.summaries or self.rows else []
        refill(table, old, new, lambda r: r.key, self._sector_cells)
        self.rows = new
        if rebuild and keep in [r.key for r in new]:
            table.move_cursor(row=[r.key for r in new].index(keep))
        self._show_sector()

    def _sector_cells(self, r: SectorRow) -> list[Text]:
        def count(n: int | None) -> Text:
            return Text("·" if not n else str(n), justify="right", style="" if n else "dim")

        cells = [safe.line(r.label, style="bold" if r.key == ALL else "italic" if r.key == NO_SECTOR else "")]
        cells.append(count(r.companies))
        if self._width >= WIDE:
            cells.append(count(r.in_play))
        cells += [count(r.people), count(r.unread)]
        return cells

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "sectors-table":
            self._show_sector()
            self._heading()
            # The list follows once the cursor rests (a walk down the sectors redraws it once, not per row).
            if self._debounce is not None:
                self._debounce.stop()
            self._debounce = self.set_timer(FOLLOW_DELAY, lambda: self._draw_discovery(fresh=True))
        elif event.data_table.id == "discover-table":
            self._show_evidence()

    def _show_sector(self) -> None:
        """The highlighted sector's companies, by pipeline status."""
        key = self.sector_key
        summaries = self.summaries if key == ALL else [s for s in self.summaries if self._key(s) == key]
        row = next((r for r in self.rows if r.key == key), None)
        text = Text()
        if row is not None:
            text.append_text(safe.line(row.label, style="bold"))
            text.append(
                f"\n{plural(row.companies, 'company', 'companies')}"
                + (f", {plural(row.people, 'person', 'people')} there now" if row.people is not None else "")
                + f", {row.unread} unread",
                style="dim",
            )
        for status in COMPANY_STATUSES:
            names = [c["name"] for s in summaries for c in s.companies.get(status, [])]
            if names:
                text.append(f"\n{status:<13}", style=STATUS_STYLE.get(status, ""))
                text.append_text(safe.line(", ".join(names[:NAMES_SHOWN])))
                if len(names) > NAMES_SHOWN:  # (enter lists them all, on the Companies screen)
                    text.append(f" and {len(names) - NAMES_SHOWN} more", style="dim")
        if not self.summaries:
            text = Text("No company yet: add one on the Companies screen (1, then a).", style="dim")
        detail = self.query_one("#sector-companies", Static)
        detail.update(text)

    @staticmethod
    def _key(s: SectorSummary) -> str:
        return fold(s.sector) if s.sector else NO_SECTOR

    def _open_companies(self, row: SectorRow) -> None:
        """The Companies screen, filtered on the sector (every company for All, or for the companies with none)."""
        from researcher.tui.screens.companies import CompaniesScreen

        self.app.action_section("companies")
        screen = self.app.screen
        if isinstance(screen, CompaniesScreen):
            screen.show_sector(row.sector)
        if row.key == NO_SECTOR:
            self.app.notify("The sector filter picks a sector: every company is listed.", markup=False)

    # -- discovery ------------------------------------------------------------

    def _visible(self) -> list[Discovered]:
        found = [d for d in self.found or [] if d.key not in self._tracked]
        return in_sector(found, self.sector_key, self._keys)

    def _draw_discovery(self, fresh: bool = False, rebuild: bool = False, keep: str | None = None) -> None:
        if self.found is None:
            return
        table = self.query_one("#discover-table", DataTable)
        new = self._visible()[:SHOWN]
        if rebuild:
            refill(table, [], new, lambda d: d.key, self._discovered_cells)
            keys = [d.key for d in new]
            if keep in keys:
                table.move_cursor(row=keys.index(keep))
        else:
            refill(table, self.shown, new, lambda d: d.key, self._discovered_cells, fresh=fresh)
        self.shown = new
        self._heading()
        self._show_evidence()

    def _discovered_cells(self, d: Discovered) -> list[Text]:
        wide = self._width >= WIDE
        cells = [safe.line(d.name, style="dim" if d.key in self._tracking else "bold")]
        if wide:
            cells.append(safe.line(d.sector, style="dim"))
        cells += [
            Text(str(d.people_count) if d.people_count else "·", justify="right"),
            Text(str(d.items_count) if d.items_count else "·", justify="right"),
            Text((d.last_seen or "")[: 10 if wide else 7], style="dim"),
        ]
        return cells

    def _redraw(self, key: str) -> None:
        table = self.query_one("#discover-table", DataTable)
        for index, d in enumerate(self.shown):
            if d.key == key and index < table.row_count:
                for column, cell in enumerate(self._discovered_cells(d)):
                    table.update_cell_at((index, column), cell)

    def current_found(self) -> Discovered | None:
        row = self.query_one("#discover-table", DataTable).cursor_row
        return self.shown[row] if self.shown and row is not None and row < len(self.shown) else None

    def _heading(self) -> None:
        row = next((r for r in self.rows if r.key == self.sector_key), None)
        where = "all sectors" if row is None or row.key == ALL else row.label
        text = Text.assemble(("Discover", "bold"), " · ", safe.line(where), " · ")
        if self.found is None:
            text.append("reading careers and news…" if self._discovering else "nothing read yet", style="italic yellow")
        else:
            total = len(self._visible())
            text.append(f"{plural(total, 'company', 'companies')} not tracked yet")
            if total > len(self.shown):
                text.append(f" (the first {len(self.shown)})")
            text.append(" · t tracks · enter: evidence", style="dim")
            if self._discovering:
                text.append(" · refreshing…", style="italic yellow")
        self.query_one("#discover-heading", Static).update(text)

    def _show_evidence(self) -> None:
        """Why the highlighted company is discovered: who came from it or left to it, which news names it."""
        d = self.current_found()
        if d is not None and d.key == self._evidence_of:
            return  # shown already (a refill highlights the row it keeps)
        self._evidence_of = d.key if d is not None else None
        head = self.query_one("#evidence-head", Static)
        options = self.query_one("#evidence", OptionList)
        options.clear_options()
        if d is None:
            head.update(
                Text(
                    "Companies your people worked at before or after yours, or that your companies' news names,"
                    " show here."
                    if self.found is not None
                    else "",
                    style="dim",
                )
            )
            return
        text = Text.assemble(safe.line(d.name, style="bold"), "\n")
        if d.sector:
            text.append("sector ")
            text.append_text(safe.line(d.sector, style="bold"))
            if len(d.sectors) > 1:
                text.append(" ")
                text.append_text(safe.line("(" + ", ".join(f"{s} {n}" for s, n in d.sectors[:4]) + ")", style="dim"))
        else:
            text.append("no sector to infer", style="dim")
        text.append(
            f"\n{plural(d.people_count, 'person', 'people')}, {plural(d.items_count, 'news item')},"
            f" last seen {d.last_seen or '?'}",
            style="dim",
        )
        head.update(text)
        items: list[Option | None] = []
        if d.people:
            items.append(Option(Text(f"People ({d.people_count})", style="bold underline"), disabled=True))
        for e in d.people:
            line = Text.assemble(safe.line(e["name"], style="bold"), " ", (e["relation"], "cyan"))
            if e["tracked"] and e["relation"] != "worked there":
                line.append(" ")
                line.append_text(safe.line("(" + ", ".join(e["tracked"]) + ")"))
            line.append("\n  ")
            line.append_text(safe.line(f"{e['title'] or ''}, {safe.span(e['start'], e['end'])}", style="dim"))
            items.append(Option(line, id=f"person-{e['person_id']}"))
        if d.items:
            items.append(Option(Text(f"News ({d.items_count})", style="bold underline"), disabled=True))
        for item in d.items:
            line = Text.assemble(((item["when"] or "")[:10], "dim"), " ", safe.line(item["title"]))
            line.append(" ")
            line.append_text(safe.line(f"({item['company']})", style="dim"))
            items.append(Option(line, id=f"news-{item['id']}"))
        options.add_options(items)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or ""
        if ident.startswith("person-"):
            self._away = True
            self.app.open_person(int(ident.removeprefix("person-")))
        elif ident.startswith("news-"):
            self._find_item(int(ident.removeprefix("news-")))

    @work(thread=True, group="sectors-item", exit_on_error=False)
    def _find_item(self, item_id: int) -> None:
        with Notebook(self.app.db_path, create=False) as nb:
            item = nb.news_item(item_id)
        self.post_message(ItemFound(item.company_id, item.id))

    @on(ItemFound)
    def _item_found(self, message: ItemFound) -> None:
        self._away = True
        self.app.open_company(message.company_id, tab="news", news_item=message.item_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "sectors-table":
            row = next((r for r in self.rows if r.key == self.sector_key), None)
            if row is not None:
                self._open_companies(row)
        elif event.data_table.id == "discover-table" and self.current_found() is not None:
            self.query_one("#evidence", OptionList).focus()

    # -- tracking -------------------------------------------------------------

    def action_track(self) -> None:
        d = self.current_found()
        if d is None:
            self.app.notify("No discovered company is highlighted.", severity="warning")
            return
        if d.key in self._tracking:
            self.app.notify(f"{clean_line(d.name)} is being tracked already.", markup=False)
            return
        try:
            self.app.nb.ensure_writable()
        except ResearcherError as exc:
            self.app.report(exc)
            return
        evidence = f"{plural(d.people_count, 'person', 'people')}, {plural(d.items_count, 'news item')}"
        names = [s.sector for s in self.summaries if s.sector]

        def answered(sector: str | None) -> None:
            if sector is None:
                return
            self._tracking.add(d.key)
            self._redraw(d.key)  # dimmed while it is being tracked
            self._track(d.name, d.key, sector)

        self.app.push_screen(TrackForm(d.name, d.sector, names, evidence), answered)

    @work(thread=True, group="sectors-track", exit_on_error=False)
    def _track(self, name: str, key: str, sector: str) -> None:
        try:
            done = self.elsewhere.run(_track_at, self.app.db_path, name, sector or None, clock.today())
        except Exception as exc:
            self.post_message(Tracked(name, key, None, exc))
            return
        self.post_message(Tracked(name, key, done))

    @on(Tracked)
    def _tracked_done(self, message: Tracked) -> None:
        self._tracking.discard(message.key)
        if message.error is not None or message.done is None:
            self._redraw(message.key)
            self.app.report(message.error or RuntimeError("not tracked"))
            return
        self._tracked.add(message.key)  # the row leaves the list now; discovery is read again behind it
        done = message.done
        company = done["company"]
        self.last_tracked = (company["id"], company["name"])
        self._draw_discovery()
        self.app.notify(
            f"Tracking {clean_line(company['name'])}"
            + (f" in {clean_line(company['sector'])}" if company["sector"] else "")
            + f": {plural(done['positions_linked'], 'position')} and {plural(done['news_linked'], 'news item')}"
            " linked. o opens it.",
            title="Tracked",
            markup=False,
        )
        self.reload()

    def action_open_tracked(self) -> None:
        if self.last_tracked is None:
            self.app.notify("Nothing tracked here yet: t tracks the highlighted discovered company.")
            return
        self._away = True
        self.app.open_company(self.last_tracked[0])

    # -- keys -----------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        focused = self.focused
        if isinstance(focused, DataTable):
            focused.move_cursor(row=max(0, (focused.cursor_row or 0) + delta))
        elif isinstance(focused, OptionList):
            focused.action_cursor_down() if delta > 0 else focused.action_cursor_up()

    def note_target(self) -> NoteTarget | None:
        if self.focused is self.query_one("#evidence", OptionList):
            option = self.query_one("#evidence", OptionList).highlighted_option
            if option is not None and (option.id or "").startswith("person-"):
                d = self.current_found()
                person = next((e for e in d.people if f"person-{e['person_id']}" == option.id), None) if d else None
                if person is not None:
                    return NoteTarget("person", person["person_id"], person["name"])
        return None
