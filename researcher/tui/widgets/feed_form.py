"""A company's feeds: follow a new one (a feed URL or a site page whose feeds are found), stop following one."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker, WorkerState, get_current_worker

from researcher.insight.dossier import feed_state
from researcher.store import Notebook, ResearcherError
from researcher.store.models import Feed
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.modal import Modal
from researcher.words import plural


class FeedForm(Modal[int | None]):
    """Returns the id of the feed now followed, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Follow")]

    def __init__(self, company_id: int, company_name: str) -> None:
        super().__init__()
        self.company_id = company_id
        self.company_name = company_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(
                Text.assemble(("Follow a feed for ", "bold"), safe.line(self.company_name, style="bold")),
                classes="dialog-title",
            )
            yield Static("", id="form-error")
            yield Label("Feed URL, or the company's site (its feeds are found for you)")
            yield Input(id="url", placeholder="https://", compact=True)
            yield Static(Text("enter or ctrl+s: follow   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, text: str, style: str = "") -> None:
        self.query_one("#form-error", Static).update(safe.line(text, style=style))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Follow what is typed (enter, or ctrl+s as in every other form)."""
        value = self.query_one(Input).value
        try:
            url = Notebook.normalise_feed_url(value)
        except ResearcherError as exc:
            self._say(str(exc), "bold red")
            return
        if url.startswith(("http://", "https://")):
            self._say("Looking for feeds…", "italic")
        self.follow(value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def follow(self, url: str) -> None:
        """In a thread (finding a site's feeds fetches it): the same workflow as `researcher feed add`."""
        from researcher.sync.follow import follow_feed

        worker = get_current_worker()
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                feed, others = follow_feed(nb, self.company_id, url)
        except ResearcherError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._say, str(exc), "bold red")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._followed, feed, others)

    def _followed(self, feed: Feed, others: list[str]) -> None:
        note = f" ({len(others)} more found)" if others else ""
        self.app.notify(f"Following {feed.url}{note}. Press s to sync.", markup=False)
        self.dismiss(feed.id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and isinstance(event.worker.error, Exception):
            self._say("")
            self.app.report(event.worker.error)


class FeedList(Modal[bool]):
    """A company's feeds and their state: `a` follows one more, `d` stops following one (asks first).

    Returns True when the feeds changed. Stopping a feed drops its news and scrubs them from the search
    index, which takes a while on a big notebook: it runs in a thread, the row says so meanwhile."""

    BINDINGS = [
        Binding("a", "add", "Follow a feed"),
        Binding("d", "remove", "Stop following"),
        Binding("escape,q", "close", "Close"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    DEFAULT_CSS = """
    FeedList DataTable {
        height: 1fr;
    }
    """

    def __init__(self, company_id: int, company_name: str) -> None:
        super().__init__()
        self.company_id = company_id
        self.company_name = company_name
        self.feeds: list[Feed] = []
        self.removing: set[int] = set()
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog feed-list"):
            yield Static(
                Text.assemble(("Feeds of ", "bold"), safe.line(self.company_name, style="bold")),
                classes="dialog-title",
            )
            table = DataTable(cursor_type="row", zebra_stripes=True, id="feeds-table")
            for label, width in self.columns(self.app.size.width):
                table.add_column(label, width=width)
            yield table
            yield Static(Text("a follow a feed · d stop following · escape closes", style="dim"), classes="hint")

    @staticmethod
    def columns(screen_width: int) -> list[tuple[str, int]]:
        """The columns for a screen this wide: the feed's name takes what the others leave."""
        inner = min(110, screen_width * 95 // 100) - 8  # the dialog's border, padding, scrollbar
        rest = [("Items", 6), ("Unread", 6), ("Last fetch", 16), ("State", 20)]
        if screen_width < 100:
            rest = [("Items", 6), ("State", 20)]
        feed = max(16, inner - sum(w + 2 for _, w in rest) - 2)
        return [("Feed", feed), *rest]

    def on_mount(self) -> None:
        # Wider and taller than the app's dialogs (whose stylesheet wins over a widget's default CSS).
        dialog = self.query_one(".feed-list")
        dialog.styles.width = 110
        dialog.styles.height = "80%"
        self.query_one(DataTable).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def reload(self, keep: int | None = None) -> None:
        worker = get_current_worker()
        with Notebook(self.app.db_path, create=False) as nb:
            feeds = nb.feeds(self.company_id)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, feeds, keep)

    def _show(self, feeds: list[Feed], keep: int | None = None) -> None:
        """List the feeds; the same feed stays highlighted (or the one in its place)."""
        if not self.is_mounted:
            return
        table = self.query_one(DataTable)
        row = table.cursor_row or 0
        if keep is None and self.feeds and row < len(self.feeds):
            keep = self.feeds[row].id
        self.feeds = feeds
        table.clear()
        for f in feeds:
            table.add_row(*self._cells(f), key=str(f.id))
        if not feeds:
            table.add_row(
                Text("No feed yet: press a to follow one.", style="dim italic"), *[""] * (len(table.columns) - 1)
            )
            return
        ids = [f.id for f in feeds]
        table.move_cursor(row=ids.index(keep) if keep in ids else min(row, len(ids) - 1))

    def _cells(self, f: Feed) -> list[Text]:
        if f.id in self.removing:
            state = Text("stopping…", style="bold yellow")
        else:
            words = feed_state(f)
            state = Text(words, style="green" if words == "ok" else "red" if words != "never fetched" else "dim")
        cells = {
            "Feed": safe.line(f.title or f.url),
            "Items": Text(str(f.item_count), justify="right"),
            "Unread": Text(str(f.unread_count), justify="right"),
            "Last fetch": Text(safe.when(f.last_fetch_at) or "never", style="dim"),
            "State": state,
        }
        return [cells[c.label.plain] for c in self.query_one(DataTable).columns.values()]

    def current(self) -> Feed | None:
        row = self.query_one(DataTable).cursor_row
        if row is None or row >= len(self.feeds):
            return None
        return self.feeds[row]

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, (table.cursor_row or 0) + delta))

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_add(self) -> None:
        def followed(feed_id: int | None) -> None:
            if feed_id is not None:
                self.changed = True
                self.reload(keep=feed_id)

        self.app.push_screen(FeedForm(self.company_id, self.company_name), followed)

    def action_remove(self) -> None:
        feed = self.current()
        if feed is None or feed.id in self.removing:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.removing.add(feed.id)
                self._refresh_row(feed)
                # On the app, not this dialog: closing the dialog must not lose the removal's outcome.
                self.app.run_worker(
                    partial(self._remove, feed),
                    name="remove-feed",
                    group=f"remove-feed-{feed.id}",
                    thread=True,
                    exit_on_error=False,
                )

        question = Text.assemble(
            "Stop following ",
            safe.line(feed.title or feed.url, style="bold"),
            f"?\nIts {plural(feed.item_count, 'news item')} and their notes go with it.",
        )
        self.app.push_screen(ConfirmModal(question, yes="Stop following"), answered)

    def _refresh_row(self, feed: Feed) -> None:
        index = next((i for i, listed in enumerate(self.feeds) if listed.id == feed.id), None)
        if index is not None:
            table = self.query_one(DataTable)
            table.update_cell_at((index, len(table.columns) - 1), self._cells(feed)[-1])

    def _remove(self, feed: Feed) -> None:
        """In a thread, with its own connection: the same store call as `researcher feed rm`."""
        app = self.app
        try:
            with Notebook(app.db_path, create=False) as nb:
                nb.remove_feed(feed.id)
        except Exception as exc:  # the one error path, from a worker that outlives this dialog
            app.call_from_thread(self._removed, feed, exc)
            return
        app.call_from_thread(self._removed, feed, None)

    def _removed(self, feed: Feed, error: Exception | None) -> None:
        self.removing.discard(feed.id)
        if error is not None:
            self.app.report(error)
        else:
            self.changed = True
            self.app.notify(f"Stopped following {clean(feed.url)}.", markup=False)
        if self.is_mounted:
            self.reload()
        elif error is None and getattr(self.app.screen, "company_id", None) == self.company_id:
            self.app.screen.reload()  # the dossier the dialog was closed on shows the news that are left

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and isinstance(event.worker.error, Exception):
            self.app.report(event.worker.error)


def clean(text: str) -> str:
    return safe.line(text).plain
