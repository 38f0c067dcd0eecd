"""The sync's progress at the foot of every screen while `s` runs a sync."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from researcher.tui import safe


class SyncBar(Horizontal):
    DEFAULT_CSS = """
    SyncBar { height: 1; display: none; padding: 0 1; background: $panel; }
    SyncBar.-running { display: block; }
    SyncBar Static { width: auto; }
    SyncBar ProgressBar { width: 40; margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Syncing", classes="sync-label")
        yield ProgressBar(show_eta=False, show_percentage=False)
        yield Static(classes="sync-detail")

    def on_mount(self) -> None:
        state = getattr(self.app, "sync_state", None)
        if state is not None:
            self.show(*state)

    def show(self, done: int, total: int, company: str = "") -> None:
        self.add_class("-running")
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one(".sync-detail", Static).update(Text.assemble(f"{done}/{total} ", safe.line(company)))

    def hide(self) -> None:
        self.remove_class("-running")
