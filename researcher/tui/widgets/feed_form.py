"""Follow a new feed from the company's News tab: a feed URL or a site page whose feeds are discovered."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from researcher.store import Notebook, ResearcherError
from researcher.tui import safe


class FeedForm(ModalScreen[int | None]):
    """Returns the id of the feed now followed, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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
            yield Static(Text("enter: follow   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, text: str, style: str = "") -> None:
        self.query_one("#form-error", Static).update(safe.line(text, style=style))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            url = Notebook.normalise_feed_url(event.value)
        except ResearcherError as exc:
            self._say(str(exc), "bold red")
            return
        if url.startswith(("http://", "https://")):
            self._say("Looking for feeds…", "italic")
            self.discover(url)
        else:
            self._add(url, [])

    @work(thread=True, exclusive=True)
    def discover(self, url: str) -> None:
        from researcher.sync.discover import discover
        from researcher.sync.fetch import FetchError

        try:
            found = discover(url)
        except FetchError as exc:
            self.app.call_from_thread(self._say, str(exc), "bold red")
            return
        if not found:
            self.app.call_from_thread(self._say, f"No feed found at {url}", "bold red")
            return
        self.app.call_from_thread(self._add, found[0], found[1:])

    def _add(self, url: str, others: list[str]) -> None:
        try:
            feed = self.app.nb.add_feed(self.company_id, url)
        except ResearcherError as exc:
            self._say(str(exc), "bold red")
            return
        note = f" ({len(others)} more found)" if others else ""
        self.app.notify(f"Following {feed.url}{note}. Press s to sync.", markup=False)
        self.dismiss(feed.id)
