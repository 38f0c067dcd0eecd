"""What every screen shares: a title bar, the footer, `q`/`escape` back, a note target."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from researcher.tui import safe
from researcher.tui.widgets.key_footer import KeyFooter


@dataclass(frozen=True)
class NoteTarget:
    """What a new note attaches to: a company, a person or a news item."""

    kind: str  # "company" | "person" | "news"
    id: int
    label: str


class BaseScreen(Screen):
    """A screen with a title bar and a footer; `q` and `escape` go back (only q quits, on the first)."""

    BINDINGS = [
        Binding("escape", "escape", "Back", show=False, tooltip="Never quits; on the first screen clears the filters"),
        Binding("q", "quit_here", "Quit", tooltip="The first screen: q quits (escape never does)"),
        Binding("q", "back", "Back", tooltip="Back to the screen before"),
    ]
    section = ""

    def compose_title(self) -> ComposeResult:
        yield Static(id="title-bar")

    def compose_footer(self) -> ComposeResult:
        from researcher.tui.widgets.sync_bar import SyncBar

        yield SyncBar()
        yield KeyFooter()

    def set_title(self, *parts: str | Text, right: str = "") -> None:
        """Title bar: 'researcher › part › part' (parts are untrusted and shown literally)."""
        title = Text.assemble(Text(self.app.title, style="bold"))
        for part in parts:
            title.append(" › ", style="dim")
            title.append(part if isinstance(part, Text) else safe.line(part))
        if right:
            title.append("  ")
            title.append(right, style="dim")
        self.query_one("#title-bar", Static).update(title)

    @property
    def is_first(self) -> bool:
        """Whether this is the first screen, the one under every other."""
        return len(self.app.screen_stack) <= 2 and self.section in ("companies", "today")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """One `q` in the footer: Quit on the first screen, Back on the others."""
        if action == "quit_here":
            return self.is_first
        if action == "back":
            return not self.is_first
        return True

    def action_quit_here(self) -> None:
        self.app.exit()

    def action_back(self) -> None:
        if self.is_first:
            self.app.exit()
        else:
            self.app.pop_screen()

    def action_escape(self) -> None:
        """Back, never out of the app: on the first screen escape only clears the filters."""
        if self.is_first:
            self.clear_filters()
        else:
            self.app.pop_screen()

    def clear_filters(self) -> None:
        """Show the whole list again (screens with filters say how)."""

    def note_target(self) -> NoteTarget | None:
        return None

    def reload(self) -> None:
        """Read the screen's data again (after a sync, an edit...)."""
