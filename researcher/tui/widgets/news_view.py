"""A list of news items with a reading pane: space read/unread, `*` star, `o` open, `d` delete (asks first).

The reading pane highlights the glossary's known terms (the item's company's and the global ones) and lists the
people and companies the item names (read in a worker once the cursor rests on it); `m` opens one of them.
"""

from __future__ import annotations

import webbrowser
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from researcher.store import Notebook, ResearcherError
from researcher.store.models import Feed, NewsItem, Term
from researcher.store.news import PIPELINE
from researcher.store.schema import COMPANY_STATUSES
from researcher.tui import safe
from researcher.tui.highlight import Glossary, glossary_of, highlight_markdown
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.modal import Modal
from researcher.tui.widgets.notes_pane import NoteMarkdown

PAGE = 200
# A search hit opens its item's list down to the item, if it is among this many; further down, the list
# opens at its top (showing thousands of rows would stall the screen).
SELECT_DEPTH = 1_000
# When the cursor comes this close to the end of what is loaded, the next page is read.
PAGE_AHEAD = 40
# Who an item names is read once the cursor rests on it this long.
NAMED_DELAY = 0.15


def sort_key(item: NewsItem) -> tuple[str, int]:
    """An item's place in every news list: the store's order, ifnull(published, fetched_at) then id."""
    return (item.published if item.published is not None else item.fetched_at or "", item.id)


def web_link(url: str | None) -> str | None:
    """The link when it is http(s), else None: no other scheme is ever opened."""
    try:
        scheme = urlsplit(url).scheme.lower() if url else ""
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def open_link(url: str | None) -> bool:
    """Open an http(s) link in the browser (never through a shell); False when the browser did not start."""
    link = web_link(url)
    if link is None:
        return False
    try:
        return bool(webbrowser.open(link, new=2))
    except (webbrowser.Error, OSError):
        return False


# The company status filters the inbox offers, in the picker's order: (label, statuses).
STATUS_FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("every company", ()),
    ("pipeline: " + ", ".join(PIPELINE), PIPELINE),
    *((status, (status,)) for status in COMPANY_STATUSES),
)


def status_label(statuses: tuple[str, ...]) -> str:
    """How a status filter is named on screen ("pipeline", "target", "every company")."""
    if not statuses:
        return "every company"
    return "pipeline" if statuses == PIPELINE else ", ".join(statuses)


@dataclass(frozen=True)
class NewsRequest:
    """What a load reads: which list, and what of the list on screen to keep (read in a worker)."""

    generation: int
    company_id: int | None
    unread_only: bool
    statuses: tuple[str, ...]
    fresh: bool = True
    listed: tuple[NewsItem, ...] = ()
    has_more: bool = False
    select: int | None = None


@dataclass
class NewsLoad:
    """What a load found: the items to show, whether more follow, the feeds of a company's list."""

    items: list[NewsItem]
    has_more: bool
    feeds: list[Feed] | None = None
    select: int | None = None
    counts: tuple[int, int] | None = field(default=None)
    terms: list[Term] | None = None  # the glossary its items are read with


def _page(nb: Notebook, request: NewsRequest, before: tuple[str, int] | None = None, **kw) -> list[NewsItem]:
    return nb.news(request.company_id, request.unread_only, before=before, statuses=request.statuses, **kw)


def load_news(nb: Notebook, request: NewsRequest) -> NewsLoad:
    """The list a request asks for (run in a thread, on that thread's own notebook)."""
    if request.select is not None:
        found = _down_to(nb, request)
        if found is not None:
            return found
    if request.fresh or not request.listed:
        items = _page(nb, request, limit=PAGE)
        load = NewsLoad(items, len(items) == PAGE)
    else:
        load = _refreshed(nb, request)
    if request.company_id is not None:
        load.feeds = nb.feeds(request.company_id)
    return load


def _down_to(nb: Notebook, request: NewsRequest) -> NewsLoad | None:
    """The list from its top down to the item a search found, when that item is in it and not too far down."""
    try:
        item = nb.news_item(request.select)  # type: ignore[arg-type]
    except ResearcherError:
        return None
    items = _page(nb, request, until=sort_key(item), limit=SELECT_DEPTH)
    if item.id not in {i.id for i in items}:
        return None
    load = NewsLoad(items, True, select=item.id)
    if request.company_id is not None:
        load.feeds = nb.feeds(request.company_id)
    return load


def _refreshed(nb: Notebook, request: NewsRequest) -> NewsLoad:
    """The items listed now, as they are in the notebook (deleted ones gone), with the new ones among them."""
    listed = request.listed
    merged = {item.id: item for item in nb.news_by_ids(item.id for item in listed)}
    limit = len(listed) + PAGE
    window = _page(nb, request, until=sort_key(listed[-1]) if request.has_more else None, limit=limit)
    merged.update((item.id, item) for item in window)
    has_more = request.has_more
    if len(window) == limit:  # more arrived than a page: the list ends where the window does
        floor = sort_key(window[-1])
        merged = {key: item for key, item in merged.items() if sort_key(item) >= floor}
        has_more = True
    return NewsLoad(sorted(merged.values(), key=sort_key, reverse=True), has_more)


def count_news(nb: Notebook, request: NewsRequest) -> tuple[int, int]:
    """(unread, all) of the list's scope: its company, or every company of its statuses."""
    scope = {"company": request.company_id, "statuses": request.statuses}
    return nb.count_news(unread=True, **scope), nb.count_news(**scope)


class StatusFilter(Modal[tuple[str, ...] | None]):
    """Pick whose news the inbox lists: every company, the pipeline, or the companies of one status."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")] + [
        Binding(str(i), f"pick({i})", label, show=False) for i, (label, _) in enumerate(STATUS_FILTERS)
    ]

    def __init__(self, current: tuple[str, ...]) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Text("Show the news of", style="bold"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        Text.assemble(
                            (f"{i}  ", "bold cyan"), label, ("  (now)" if statuses == self.current else "", "dim")
                        ),
                        id=str(i),
                    )
                    for i, (label, statuses) in enumerate(STATUS_FILTERS)
                )
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        picked = [i for i, (_, statuses) in enumerate(STATUS_FILTERS) if statuses == self.current]
        options.highlighted = picked[0] if picked else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(event.option.id or 0))

    def action_pick(self, index: int) -> None:
        self.dismiss(STATUS_FILTERS[index][1])


def _people_labels(named: dict) -> list[str]:
    """The people an item names as the reader tells them apart: a name two of them share comes with where each
    is now ("Anders Roux (Samona)", "Anders Roux (no company now)")."""
    people = named.get("people", [])
    names = Counter(p["name"] for p in people)
    return [
        p["name"] if names[p["name"]] == 1 else f"{p['name']} ({p.get('company') or 'no company now'})" for p in people
    ]


class NamedPicker(Modal[tuple[str, int] | None]):
    """The people and companies a news item names: enter opens the highlighted one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, choices: list[tuple[str, int, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Text("Named in this item", style="bold"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(Text.assemble((f"{kind:<8}", "dim"), safe.line(name)), id=f"{kind}:{ref}")
                    for kind, ref, name in self.choices
                )
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, ref = (event.option.id or "").partition(":")
        self.dismiss((kind, int(ref)))


class NewsView(Vertical):
    """News of one company (company_id) or the unread inbox of all companies (company_id=None).

    The list loads in a thread worker (its own notebook connection) and pages as the cursor nears
    its end. It keeps the reader's place: an item read during this visit stays listed until the
    reader leaves or starts the list anew (`u`), and after any action the same item stays
    highlighted with the list scrolled where it was.
    """

    BINDINGS = [
        Binding("space", "toggle_read", "Read/unread"),
        Binding("asterisk", "star", "Star"),
        Binding("o", "open_link", "Open"),
        Binding("u", "toggle_unread_only", "Unread only"),
        Binding("f", "status_filter", "Status filter", tooltip="Only the news of target, applied... companies"),
        Binding("c", "open_company", "Company", tooltip="The highlighted item's company dossier"),
        Binding("d", "delete", "Delete"),
        Binding("m", "named", "Named", tooltip="Open a person or company the item names"),
        Binding("a", "add_feed", "Add feed"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    class Changed(Message):
        """What the list holds changed: counts shown elsewhere follow.

        `unread` and `total` say by how much the notebook's counts moved (one item read, one
        deleted) so that no count is run again; `counts` gives them whole (unread, all), counted
        in the worker after a load. With neither, count again.
        """

        def __init__(
            self, unread: int | None = None, total: int | None = None, counts: tuple[int, int] | None = None
        ) -> None:
            super().__init__()
            self.unread = unread
            self.total = total
            self.counts = counts

        @property
        def recount(self) -> bool:
            return self.counts is None and (self.unread is None or self.total is None)

    def __init__(
        self, company_id: int | None = None, unread_only: bool = False, statuses: tuple[str, ...] = (), **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.company_id = company_id
        self.unread_only = unread_only
        self.statuses = statuses
        self.items: list[NewsItem] = []
        self.has_more = False
        self.reloading = False
        self._shown: NewsItem | None = None
        self._generation = 0
        self._paging = False
        self._select_id: int | None = None
        self._fresh_pending = False  # a fresh load (new filter, `u`) has not landed: a reload meanwhile stays fresh
        self._terms: list[Term] = []
        self._glossaries: dict[int, Glossary] = {}
        self._named: dict[int, dict] = {}  # item id -> who it names
        self._named_timer = None
        self._can_open_named = False  # whether the footer shows `m` (someone the item names to open)

    def compose(self) -> ComposeResult:
        table = DataTable(cursor_type="row", zebra_stripes=True, classes="news-list")
        table.add_column(" ", width=2, key="flags")
        table.add_column("Date", width=10, key="date")
        if self.company_id is None:
            table.add_column("Company", width=20, key="company")
        table.add_column("Title", key="title")
        yield table
        with VerticalScroll(classes="reading-pane"):
            yield Static(classes="reading-text")
            yield Static(classes="reading-named").set_styles("display: none;")
        if self.company_id is not None:
            yield Static(classes="feeds-state")

    def on_mount(self) -> None:
        self.reload(fresh=True)

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A company's own list has no company to open and no other companies to filter out; the inbox has no
        company to follow a feed for (the footer shows only the keys that work here)."""
        if action in ("open_company", "status_filter"):
            return self.company_id is None
        if action == "named":
            item = self.current() if self.is_mounted and self.items else None
            return item is not None and bool(self._named_people(item.id))
        if action == "add_feed":
            return self.company_id is not None
        return True

    # -- loading -------------------------------------------------------------

    def _request(self, fresh: bool, new: bool = True) -> NewsRequest:
        """The request for the list as it is asked for now; `new` makes every earlier request's result stale."""
        self._generation += int(new)
        return NewsRequest(
            self._generation,
            self.company_id,
            self.unread_only,
            self.statuses,
            fresh=fresh or not self.items,
            listed=tuple(self.items),
            has_more=self.has_more,
            select=self._select_id,
        )

    def reload(self, fresh: bool = False) -> None:
        """Read the list again (in a worker) and keep the reader's place; `fresh` starts it anew, read items gone."""
        self.reloading = True
        self._paging = False
        self._fresh_pending = fresh = fresh or self._fresh_pending
        self._load(self._request(fresh))

    @work(thread=True, exclusive=True, group="news-load", exit_on_error=False)
    def _load(self, request: NewsRequest) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                load = load_news(nb, request)
                load.terms = self._read_glossary(nb, request)
                self.app.call_from_thread(self._loaded, request, load)
                # Counted after the rows are on screen: the count of a million items takes longer than the page.
                counts = count_news(nb, request)
        except Exception as exc:  # shown the one way every error is
            self.app.call_from_thread(self._failed, request, exc)
            return
        self.app.call_from_thread(self._counted, request, counts)

    @staticmethod
    def _read_glossary(nb: Notebook, request: NewsRequest) -> list[Term]:
        """The terms to highlight: the company's and the global ones (every company's, for the inbox)."""
        if request.company_id is not None:
            return nb.terms(request.company_id, include_global=True)
        return nb.terms()

    def _current_request(self, request: NewsRequest) -> bool:
        return request.generation == self._generation and self.is_mounted

    def _loaded(self, request: NewsRequest, load: NewsLoad) -> None:
        if not self._current_request(request):
            return
        self.reloading = False
        self._fresh_pending = False
        self.has_more = load.has_more
        if load.terms is not None:
            self._terms, self._glossaries = load.terms, {}
            self._named.clear()  # read again: a name added since is linked now
        self._fill(load.items)
        if load.select is not None and load.select == self._select_id:
            self._select_id = None
            self.select_item(load.select)
        elif request.select is not None and request.select == self._select_id:
            self._select_id = None  # not in this list, or too far down: the list opens at its top
            self.app.notify("That item is not in this list, or too far down to open at.", severity="warning")
        if load.feeds is not None:
            self._feeds_state(load.feeds)

    def _counted(self, request: NewsRequest, counts: tuple[int, int]) -> None:
        if self._current_request(request):
            self.post_message(self.Changed(counts=counts))

    def _failed(self, request: NewsRequest, error: Exception) -> None:
        if self._current_request(request):
            self.reloading = self._paging = False
        self.app.report(error)

    def _more(self) -> None:
        """Read the next page in a worker when the cursor nears the end of what is loaded."""
        if self._paging or self.reloading or not self.has_more or not self.items:
            return
        self._paging = True
        self._next_page(self._request(fresh=False, new=False), sort_key(self.items[-1]))

    @work(thread=True, exclusive=True, group="news-page", exit_on_error=False)
    def _next_page(self, request: NewsRequest, before: tuple[str, int]) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                page = _page(nb, request, before=before, limit=PAGE)
        except Exception as exc:
            self.app.call_from_thread(self._failed, request, exc)
            return
        self.app.call_from_thread(self._paged, request, before, page)

    def _paged(self, request: NewsRequest, before: tuple[str, int], page: list[NewsItem]) -> None:
        if not self._current_request(request):
            return  # a reload took over
        self._paging = False
        if not self.items or sort_key(self.items[-1]) != before:
            return  # the last item went meanwhile (deleted): the next move down asks again
        self.has_more = len(page) == PAGE
        self._append(page)
        if (self.table.cursor_row or 0) >= len(self.items) - PAGE_AHEAD:
            self._more()

    def _fill(self, items: list[NewsItem]) -> None:
        """Show `items`: rows updated in place when the list is the same, else rebuilt on the same item."""
        table = self.table
        keep, row, scroll_y = self.current(), table.cursor_row or 0, table.scroll_y
        if [i.id for i in items] == [i.id for i in self.items]:
            for index, (old, new) in enumerate(zip(self.items, items, strict=True)):
                if old != new:
                    self.items[index] = new
                    self._update_row(index)
        else:
            self.items = []
            table.clear()
            self._append(items)
            ids = [i.id for i in items]
            target = ids.index(keep.id) if keep is not None and keep.id in ids else min(row, len(items) - 1)
            if items:
                table.move_cursor(row=target, scroll=False)
                # The table knows its new height after a refresh: then scroll back to where the reader was.
                self.call_after_refresh(self._restore_scroll, scroll_y)
        if not self.items:
            self._shown = None
            what = "No unread news." if self.unread_only else "No news yet."
            if self.statuses:
                what = what[:-1] + f" from {status_label(self.statuses)} companies. Press f for every company."
            hint = " Press a to follow a feed, then s to sync." if self.company_id else " Press s to sync."
            self.query_one(".reading-text", Static).update(Text(what + hint, style="dim italic"))
        else:
            self._show(table.cursor_row or 0)

    def _restore_scroll(self, scroll_y: float) -> None:
        table = self.table
        table.scroll_to(y=scroll_y, animate=False, immediate=True)
        table.move_cursor(row=table.cursor_row, scroll=True)  # the cursor stays in view

    def _append(self, page: list[NewsItem]) -> None:
        table = self.table
        for item in page:
            table.add_row(*self._cells(item), key=str(item.id))
        self.items.extend(page)

    def _cells(self, item: NewsItem) -> list[Text]:
        cells = [self._flags(item), Text((item.published or item.fetched_at or "")[:10], style="dim")]
        if self.company_id is None:
            cells.append(safe.line(item.company))
        cells.append(safe.line(item.title, style="" if item.read else "bold"))
        return cells

    def _update_row(self, index: int) -> None:
        table = self.table
        cells = self._cells(self.items[index])
        table.update_cell_at((index, 0), cells[0])
        table.update_cell_at((index, len(table.columns) - 1), cells[-1])

    @staticmethod
    def _flags(item: NewsItem) -> Text:
        return Text.assemble(("★" if item.starred else " ", "yellow"), ("●" if not item.read else " ", "cyan"))

    def _feeds_state(self, feeds: list[Feed]) -> None:
        text = Text("Feeds\n", style="bold")
        for f in feeds:
            text.append_text(safe.line(f.title or f.url))
            text.append(f"  {f.item_count} items, last fetch {safe.when(f.last_fetch_at) or 'never'}", style="dim")
            if not f.active:
                text.append("  gone: no longer fetched", style="bold red")
            elif f.next_attempt_at:
                text.append(f"  next attempt {safe.when(f.next_attempt_at)}", style="yellow")
            if f.last_error:
                text.append(f"  error ({f.error_count}): " if f.error_count else "  ", style="red")
                text.append_text(safe.line(f.last_error[:120], style="red"))
            text.append("\n")
        if not feeds:
            text.append("No feed yet: press a to follow one.", style="dim italic")
        self.query_one(".feeds-state", Static).update(text)

    def select_item(self, item_id: int) -> None:
        """Put the cursor on an item, e.g. the one a search found; one not loaded yet is loaded down to."""
        for index, item in enumerate(self.items):
            if item.id == item_id:
                self.table.move_cursor(row=index)
                self._show(index)
                return
        self._select_id = item_id
        self.reload()

    def current(self) -> NewsItem | None:
        row = self.table.cursor_row
        if row is None or not self.items or row >= len(self.items):
            return None
        return self.items[row]

    # -- the reading pane ----------------------------------------------------

    def glossary(self, company_id: int) -> Glossary:
        """The known terms an item of this company is read with."""
        if company_id not in self._glossaries:
            self._glossaries[company_id] = glossary_of(self._terms, company_id)
        return self._glossaries[company_id]

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        item = self.items[index]
        glossary = self.glossary(item.company_id)
        text = Text()
        text.append_text(glossary.stylize(safe.line(item.title, style="bold")))
        text.append("\n")
        meta = Text.assemble(safe.line(item.company), "  ", (item.published or "")[:16].replace("T", " "))
        meta.stylize("dim")
        text.append_text(meta)
        if item.link:
            text.append("\n")
            text.append_text(safe.line(item.link, style="underline dim"))
        text.append("\n\n")
        text.append_text(glossary.stylize(safe.block(item.summary)))
        parts: list = [text]
        notes = self.app.nb.notes(news_item=item.id)
        if notes:
            parts.append(Text(f"\nYour notes ({len(notes)})", style="bold underline"))
            for note in notes:
                parts.append(Text(f"\n{safe.when(note.created_at)}", style="dim"))
                parts.append(highlight_markdown(NoteMarkdown(note.body), glossary))
        self.query_one(".reading-text", Static).update(Group(*parts) if len(parts) > 1 else text)
        new = self._shown is None or self._shown.id != item.id
        if new:  # a new item is read from its top
            self.query_one(VerticalScroll).scroll_home(animate=False)
        if new or item.id not in self._named:
            self._show_named(item.id)
        self._shown = item

    # -- who the item names --------------------------------------------------

    def _show_named(self, item_id: int) -> None:
        """Who the item names: at once when read before (or when the list first shows), else once the cursor
        rests on it."""
        named = self._named.get(item_id)
        self._named_line(named)
        if named is None and self._shown is None:  # the first item the list shows: at once
            self._ask_named(item_id)
        elif named is None:
            if self._named_timer is not None:
                self._named_timer.stop()
            self._named_timer = self.set_timer(NAMED_DELAY, lambda: self._ask_named(item_id))

    def _ask_named(self, item_id: int) -> None:
        item = self.current()
        if item is not None and item.id == item_id and item_id not in self._named:
            self._read_named(item_id)

    @work(thread=True, exclusive=True, group="news-named", exit_on_error=False)
    def _read_named(self, item_id: int) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                named = nb.named_in_item(item_id)
        except Exception as exc:
            self.app.call_from_thread(self.app.report, exc)
            return
        self.app.call_from_thread(self._named_arrived, item_id, named)

    def _named_arrived(self, item_id: int, named: dict) -> None:
        if not self.is_mounted:
            return
        self._named[item_id] = named
        item = self.current()
        if item is not None and item.id == item_id:
            self._named_line(named)

    def _named_line(self, named: dict | None) -> None:
        """Who the item names, under its text (the line takes no room when it names nobody)."""
        text = self._named_text(named) if named else Text()
        line = self.query_one(".reading-named", Static)
        if text.plain or line.display:
            line.update(text)
            line.display = bool(text.plain)
        # The footer shows `m` only when there is someone to open. Refreshed when that changes, not on every move:
        # a refresh rebuilds the footer's keys (25 ms a row while j is held).
        can_open = bool(named and (named.get("people") or named.get("companies")))
        if can_open != self._can_open_named:
            self._can_open_named = can_open
            self.refresh_bindings()

    def _named_people(self, item_id: int) -> list[tuple[str, int, str]]:
        """(kind, id, name) of the tracked people and companies an item names, as far as read."""
        named = self._named.get(item_id) or {}
        return [("person", p["id"], label) for p, label in zip(named.get("people", []), _people_labels(named))] + [
            ("company", c["id"], c["name"]) for c in named.get("companies", [])
        ]

    @staticmethod
    def _named_text(named: dict) -> Text:
        text = Text()
        for label, key in (
            ("People named", "people"),
            ("Companies named", "companies"),
            ("Also named", "organisations"),
        ):
            names = _people_labels(named) if key == "people" else [row["name"] for row in named.get(key, [])]
            if names:
                text.append(f"\n{label}  ", style="bold")
                text.append_text(safe.line(", ".join(names)))
        if named.get("people") or named.get("companies"):
            text.append("\nm opens one of them", style="dim italic")
        return text

    def action_named(self) -> None:
        """Pick one of the people or companies the item names, and open them."""
        item = self.current()
        if item is None:
            return
        choices = self._named_people(item.id)
        if not choices:
            self.app.notify("This item names nobody tracked in the notebook.", severity="warning")
            return

        def picked(choice: tuple[str, int] | None) -> None:
            if choice is None:
                return
            kind, ref = choice
            if kind == "person":
                self.app.open_person(ref)
            else:
                self.app.open_company(ref)

        self.app.push_screen(NamedPicker(choices), picked)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.table.cursor_row or 0
        self._show(row)
        if row >= len(self.items) - PAGE_AHEAD:
            self._more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current()
        if item and not item.read:
            self._update(item, read=True)

    # -- keys ----------------------------------------------------------------

    def _update(self, item: NewsItem, **change: bool) -> None:
        try:
            (fresh,) = self.app.nb.set_news_flags([item.id], **change)
        except ResearcherError as exc:
            self.app.report(exc)
            return
        index = next((i for i, listed in enumerate(self.items) if listed.id == item.id), None)
        if index is not None:
            self.items[index] = fresh
            self._update_row(index)
        self.post_message(self.Changed(unread=int(item.read) - int(fresh.read), total=0))

    def action_cursor(self, delta: int) -> None:
        if delta > 0:
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_toggle_read(self) -> None:
        item = self.current()
        if item:
            self._update(item, read=not item.read)

    def action_star(self) -> None:
        item = self.current()
        if item:
            self._update(item, starred=not item.starred)

    def action_open_link(self) -> None:
        item = self.current()
        if item is None:
            return
        link = web_link(item.link)
        if link is None:
            self.app.notify("This item has no web link to open.", severity="warning")
        elif not open_link(link):
            self.app.notify(
                f"The browser could not be started. The link:\n{safe.line(link).plain}",
                title="Open the link yourself",
                severity="warning",
                markup=False,
                timeout=20,
            )
        elif not item.read:
            self._update(item, read=True)

    def action_open_company(self) -> None:
        """The highlighted item's company dossier, on its News tab at this item."""
        item = self.current()
        if item is not None:
            self.app.open_company(item.company_id, tab="news", news_item=item.id)

    def action_status_filter(self) -> None:
        """Pick whose news to list: every company, the pipeline (target, applied, interviewing), one status."""

        def picked(statuses: tuple[str, ...] | None) -> None:
            if statuses is None or statuses == self.statuses:
                return
            self.statuses = statuses
            self.reload(fresh=True)
            scope = f"{status_label(statuses)} companies" if statuses else "every company"
            self.app.notify(f"Showing the news of {scope}.")

        self.app.push_screen(StatusFilter(self.statuses), picked)

    def action_delete(self) -> None:
        """Ask, then hide the item for good (a later sync does not bring it back)."""
        item = self.current()
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(item)

        question = Text.assemble(
            "Delete the news item “", safe.line(item.title), "”?\nA later sync does not bring it back."
        )
        self.app.push_screen(ConfirmModal(question), answered)

    def _delete(self, item: NewsItem) -> None:
        try:
            self.app.nb.delete_news_items([item.id])
        except ResearcherError as exc:
            self.app.report(exc)
            return
        index = next((i for i, listed in enumerate(self.items) if listed.id == item.id), None)
        if index is not None:  # the row goes; the cursor stays where it was, now on the next item
            self.items.pop(index)
            self.table.remove_row(str(item.id))
            if self.items:
                self.table.move_cursor(row=min(index, len(self.items) - 1))
                self._show(self.table.cursor_row)
            else:
                self._fill([])
        self.app.notify("News item deleted.")
        self.post_message(self.Changed(unread=0 if item.read else -1, total=-1))

    def action_add_feed(self) -> None:
        from researcher.tui.widgets.feed_form import FeedForm

        if self.company_id is None:
            return
        company = self.app.nb.company(self.company_id)
        self.app.push_screen(FeedForm(company.id, company.name), lambda _: self.reload())

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.reload(fresh=True)
        self.app.notify("Showing unread only." if self.unread_only else "Showing all news.")
