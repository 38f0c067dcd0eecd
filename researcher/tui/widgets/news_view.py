"""A list of news items with a reading pane: space read/unread, `*` star, `o` open, `d` delete (asks first)."""

from __future__ import annotations

import webbrowser
from urllib.parse import urlsplit

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from researcher.store import ResearcherError
from researcher.store.models import NewsItem
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.notes_pane import NoteMarkdown

PAGE = 200


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


class NewsView(Vertical):
    """News of one company (company_id) or the unread inbox of all companies (company_id=None).

    The list keeps the reader's place: an item read during this visit stays listed until the
    reader leaves or starts the list anew (`u`), and after any action the same item stays
    highlighted with the list scrolled where it was.
    """

    BINDINGS = [
        Binding("space", "toggle_read", "Read/unread"),
        Binding("asterisk", "star", "Star"),
        Binding("o", "open_link", "Open"),
        Binding("u", "toggle_unread_only", "Unread only"),
        Binding("d", "delete", "Delete"),
        Binding("a", "add_feed", "Add feed"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    class Changed(Message):
        """What the list holds changed: counts shown elsewhere follow.

        `unread` and `total` say by how much the notebook's counts moved (one item read, one
        deleted) so that no count is run again; None means count again (after a reload).
        """

        def __init__(self, unread: int | None = None, total: int | None = None) -> None:
            super().__init__()
            self.unread = unread
            self.total = total

        @property
        def recount(self) -> bool:
            return self.unread is None or self.total is None

    def __init__(self, company_id: int | None = None, unread_only: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.company_id = company_id
        self.unread_only = unread_only
        self.items: list[NewsItem] = []
        self.has_more = False
        self._shown: NewsItem | None = None

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
        if self.company_id is not None:
            yield Static(classes="feeds-state")

    def on_mount(self) -> None:
        self.reload(fresh=True)

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    # -- loading -------------------------------------------------------------

    def _page(self, before: tuple[str, int] | None) -> list[NewsItem]:
        return self.app.nb.news(self.company_id, self.unread_only, before=before, limit=PAGE)

    def reload(self, fresh: bool = False) -> None:
        """Read the list again and keep the reader's place; `fresh` starts it anew, read items gone."""
        if fresh or not self.items:
            items = self._page(None)
            self.has_more = len(items) == PAGE
        else:
            items = self._refreshed()
        self._fill(items)
        if self.company_id is not None:
            self._feeds_state()
        self.post_message(self.Changed())

    def _refreshed(self) -> list[NewsItem]:
        """The items listed now, as they are in the notebook (deleted ones gone), with the new ones among them."""
        nb = self.app.nb
        merged = {item.id: item for item in nb.news_by_ids(item.id for item in self.items)}
        limit = len(self.items) + PAGE
        window = nb.news(
            self.company_id, self.unread_only, until=sort_key(self.items[-1]) if self.has_more else None, limit=limit
        )
        merged.update((item.id, item) for item in window)
        if len(window) == limit:  # more arrived than a page: the list ends where the window does
            floor = sort_key(window[-1])
            merged = {key: item for key, item in merged.items() if sort_key(item) >= floor}
            self.has_more = True
        return sorted(merged.values(), key=sort_key, reverse=True)

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

    def _feeds_state(self) -> None:
        feeds = self.app.nb.feeds(self.company_id)
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
        """Put the cursor on an item (one of those loaded), e.g. the one a search found."""
        for index, item in enumerate(self.items):
            if item.id == item_id:
                self.table.move_cursor(row=index)
                self._show(index)
                return

    def current(self) -> NewsItem | None:
        row = self.table.cursor_row
        if row is None or not self.items or row >= len(self.items):
            return None
        return self.items[row]

    # -- the reading pane ----------------------------------------------------

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        item = self.items[index]
        text = Text()
        text.append_text(safe.line(item.title, style="bold"))
        text.append("\n")
        meta = Text.assemble(safe.line(item.company), "  ", (item.published or "")[:16].replace("T", " "))
        meta.stylize("dim")
        text.append_text(meta)
        if item.link:
            text.append("\n")
            text.append_text(safe.line(item.link, style="underline dim"))
        text.append("\n\n")
        text.append_text(safe.block(item.summary))
        parts: list = [text]
        notes = self.app.nb.notes(news_item=item.id)
        if notes:
            parts.append(Text(f"\nYour notes ({len(notes)})", style="bold underline"))
            for note in notes:
                parts.append(Text(f"\n{safe.when(note.created_at)}", style="dim"))
                parts.append(NoteMarkdown(note.body))
        self.query_one(".reading-text", Static).update(Group(*parts) if len(parts) > 1 else text)
        if self._shown is None or self._shown.id != item.id:  # a new item is read from its top
            self.query_one(VerticalScroll).scroll_home(animate=False)
        self._shown = item

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.table.cursor_row or 0
        self._show(row)
        if self.has_more and row >= len(self.items) - 20:
            page = self._page(sort_key(self.items[-1]))
            self.has_more = len(page) == PAGE
            self._append(page)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current()
        if item and not item.read:
            self._update(item, read=True)

    # -- keys ----------------------------------------------------------------

    def _update(self, item: NewsItem, **change: bool) -> None:
        try:
            fresh = self.app.nb.mark_news(item.id, **change)
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
            self.app.nb.delete_news(item.id)
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
            self.app.notify("Add feeds from a company's News tab.", severity="warning")
            return
        company = self.app.nb.company(self.company_id)
        self.app.push_screen(FeedForm(company.id, company.name), lambda _: self.reload())

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.reload(fresh=True)
        self.app.notify("Showing unread only." if self.unread_only else "Showing all news.")
