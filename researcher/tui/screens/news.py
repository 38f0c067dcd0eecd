"""The news inbox: unread items of every company, newest first, with a reading pane."""

from __future__ import annotations

from textual.app import ComposeResult

from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.widgets.news_view import NewsView


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class NewsScreen(BaseScreen):
    section = "news"

    def __init__(self) -> None:
        super().__init__()
        self.counts: tuple[int, int] | None = None  # unread, all (not deleted)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield NewsView(company_id=None, unread_only=True, id="inbox")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("NewsView DataTable").focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the inbox again, keeping the reader's place (the title follows through NewsView.Changed)."""
        self.query_one(NewsView).reload()

    def on_news_view_changed(self, event: NewsView.Changed) -> None:
        """The count in the title follows every change: read, unread, deleted, synced.

        One item read or deleted moves the counts by one; only a reload counts again (a count
        over a million items is no price to pay for a key press).
        """
        nb = self.app.nb
        if event.recount or self.counts is None:
            self.counts = (nb.count_news(unread=True), nb.count_news())
        else:
            self.counts = (self.counts[0] + event.unread, self.counts[1] + event.total)
        unread, total = self.counts
        if self.query_one(NewsView).unread_only:
            counts = f"{unread} unread"
        else:
            counts = f"{_count(total, 'item')}, {unread} unread"
        self.set_title("News", right=f"{counts} · u: all/unread")

    def note_target(self) -> NoteTarget | None:
        item = self.query_one(NewsView).current()
        return NoteTarget("news", item.id, item.title) if item else None
