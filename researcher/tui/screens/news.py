"""The news inbox: unread items of every company (or of the companies of a status), newest first, with a reading pane."""

from __future__ import annotations

from textual.app import ComposeResult

from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.widgets.news_view import NewsView, status_label
from researcher.words import plural


class NewsScreen(BaseScreen):
    section = "news"

    def __init__(self) -> None:
        super().__init__()
        self.counts: tuple[int, int] | None = None  # unread, all (not deleted), in the list's scope
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield NewsView(company_id=None, unread_only=True, id="inbox")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("NewsView DataTable").focus()
        self._title()

    def on_screen_resume(self) -> None:
        """Back on the inbox (from a dossier, a note...): read it again. The first time, the list is loading already."""
        if self._resumed:
            self.reload()
        self._resumed = True

    def reload(self) -> None:
        """Read the inbox again, keeping the reader's place (the title follows through NewsView.Changed)."""
        self.query_one(NewsView).reload()

    def on_news_view_changed(self, event: NewsView.Changed) -> None:
        """The count in the title follows every change: read, unread, deleted, synced, filtered.

        A load counts in its worker; one item read or deleted moves the counts by one (a count over
        a million items is no price to pay for a key press).
        """
        if event.counts is not None:
            self.counts = event.counts
        elif self.counts is not None and not event.recount:
            self.counts = (self.counts[0] + event.unread, self.counts[1] + event.total)
        self._title()

    def _title(self) -> None:
        view = self.query_one(NewsView)
        if self.counts is None:
            counts = "counting…"
        elif view.unread_only:
            counts = f"{self.counts[0]} unread"
        else:
            counts = f"{plural(self.counts[1], 'item')}, {self.counts[0]} unread"
        scope = f" · {status_label(view.statuses)} companies" if view.statuses else ""
        self.set_title("News", right=f"{counts}{scope} · u: all/unread · f: status")

    def note_target(self) -> NoteTarget | None:
        item = self.query_one(NewsView).current()
        return NoteTarget("news", item.id, item.title) if item else None
