"""The news inbox: unread items of every company, newest first, with a reading pane."""

from __future__ import annotations

from textual.app import ComposeResult

from researcher.tui.screens.base import BaseScreen, NoteTarget
from researcher.tui.widgets.news_view import NewsView


class NewsScreen(BaseScreen):
    section = "news"

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield NewsView(company_id=None, unread_only=True, id="inbox")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("NewsView DataTable").focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        view = self.query_one(NewsView)
        view.reload()
        self.set_title(
            "News",
            right=f"{len(view.items)}{'+' if view.has_more else ''} "
            + ("unread" if view.unread_only else "items")
            + " · u: all/unread",
        )

    def note_target(self) -> NoteTarget | None:
        item = self.query_one(NewsView).current()
        return NoteTarget("news", item.id, item.title) if item else None
