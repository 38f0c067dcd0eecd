"""A list of news items with a reading pane: space read/unread, `*` star, `o` open in the browser."""

from __future__ import annotations

import webbrowser
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from researcher.store.models import NewsItem
from researcher.tui import safe

PAGE = 200


def open_link(url: str | None) -> bool:
    """Open an http(s) link in the browser (never through a shell); other schemes are refused."""
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return False
    return webbrowser.open(url, new=2)


class NewsView(Vertical):
    """News of one company (company_id) or the unread inbox of all companies (company_id=None)."""

    BINDINGS = [
        Binding("space", "toggle_read", "Read/unread"),
        Binding("asterisk", "star", "Star"),
        Binding("o", "open_link", "Open"),
        Binding("u", "toggle_unread_only", "Unread only"),
        Binding("d", "delete", "Delete"),
        Binding("a", "add_feed", "Add feed"),
    ]

    def __init__(self, company_id: int | None = None, unread_only: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.company_id = company_id
        self.unread_only = unread_only
        self.items: list[NewsItem] = []
        self.has_more = False

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
        self.reload()

    def _fetch(self, offset: int) -> list[NewsItem]:
        return self.app.nb.news(company=self.company_id, unread=self.unread_only, limit=PAGE, offset=offset)

    def reload(self) -> None:
        table = self.query_one(DataTable)
        keep = self.current()
        self.items = []
        table.clear()
        self._append(self._fetch(0))
        if keep is not None:
            for index, item in enumerate(self.items):
                if item.id == keep.id:
                    table.move_cursor(row=index)
        if not self.items:
            what = "No unread news." if self.unread_only else "No news yet."
            hint = " Press a to follow a feed, then s to sync." if self.company_id else " Press s to sync."
            self.query_one(".reading-text", Static).update(Text(what + hint, style="dim italic"))
        else:
            self._show(table.cursor_row or 0)
        if self.company_id is not None:
            self._feeds_state()

    def _append(self, page: list[NewsItem]) -> None:
        table = self.query_one(DataTable)
        for item in page:
            cells = [self._flags(item), Text((item.published or item.fetched_at or "")[:10], style="dim")]
            if self.company_id is None:
                cells.append(safe.line(item.company))
            cells.append(safe.line(item.title, style="" if item.read else "bold"))
            table.add_row(*cells, key=str(item.id))
        self.items.extend(page)
        self.has_more = len(page) == PAGE

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
                self.query_one(DataTable).move_cursor(row=index)
                self._show(index)
                return

    def current(self) -> NewsItem | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if row is None or not self.items or row >= len(self.items):
            return None
        return self.items[row]

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
        notes = self.app.nb.notes(news_item=item.id)
        if notes:
            text.append(f"\n\nYour notes ({len(notes)})", style="bold underline")
            for note in notes:
                text.append(f"\n{safe.when(note.created_at)}  ", style="dim")
                text.append_text(safe.block(note.body))
        self.query_one(".reading-text", Static).update(text)
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show(event.cursor_row)
        if self.has_more and event.cursor_row >= len(self.items) - 20:
            self._append(self._fetch(len(self.items)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current()
        if item and not item.read:
            self._update(item, read=True)

    def _update(self, item: NewsItem, **change: bool) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        fresh = self.app.nb.mark_news(item.id, **change)
        self.items[row] = fresh
        table.update_cell_at((row, 0), self._flags(fresh))
        title_col = len(table.columns) - 1
        table.update_cell_at((row, title_col), safe.line(fresh.title, style="" if fresh.read else "bold"))

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
        if not open_link(item.link):
            self.app.notify("This item has no web link to open.", severity="warning")
        elif not item.read:
            self._update(item, read=True)

    def action_delete(self) -> None:
        """Hide the item for good (a later sync does not bring it back)."""
        item = self.current()
        if item is None:
            return
        self.app.nb.delete_news(item.id)
        self.reload()
        self.app.notify("News item deleted.")

    def action_add_feed(self) -> None:
        from researcher.tui.widgets.feed_form import FeedForm

        if self.company_id is None:
            self.app.notify("Add feeds from a company's News tab.", severity="warning")
            return
        company = self.app.nb.company(self.company_id)
        self.app.push_screen(FeedForm(company.id, company.name), lambda _: self.reload())

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.reload()
        self.app.notify("Showing unread only." if self.unread_only else "Showing all news.")
