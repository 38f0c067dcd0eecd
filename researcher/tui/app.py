"""The researcher app: global keys, navigation between sections, notes on what is in focus."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from researcher.store import Notebook, ResearcherError
from researcher.tui.commands import JumpProvider
from researcher.tui.screens.base import NoteTarget


class ResearcherApp(App):
    """A terminal notebook for researching the companies you want to work for."""

    CSS_PATH = "app.tcss"
    TITLE = "researcher"
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS = [
        Binding("1", "section('companies')", "Companies"),
        Binding("2", "section('people')", "People"),
        Binding("3", "section('news')", "News"),
        Binding("n", "note", "Note"),
        Binding("ctrl+f", "search", "Search", show=False),
        Binding("question_mark", "keys", "Keys"),
        Binding("ctrl+p", "command_palette", "Jump", show=False),
    ]

    def __init__(self, db_path: str | os.PathLike, title_suffix: str | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        self.nb = Notebook(self.db_path)
        if title_suffix:
            self.title = f"researcher ({title_suffix})"

    def on_mount(self) -> None:
        from researcher.tui.screens.companies import CompaniesScreen

        self.push_screen(CompaniesScreen())

    def on_unmount(self) -> None:
        self.nb.close()

    # -- navigation ----------------------------------------------------------

    def action_section(self, name: str) -> None:
        """Go to a top-level section: back to the base screen, then open it."""
        from researcher.tui.screens.news import NewsScreen
        from researcher.tui.screens.people import PeopleScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2 and self.screen.id != "companies":
            self.pop_screen()
        if name == "people":
            self.push_screen(PeopleScreen())
        elif name == "news":
            self.push_screen(NewsScreen())

    def open_company(self, company_id: int, tab: str | None = None) -> None:
        from researcher.tui.screens.company import CompanyScreen

        self.push_screen(CompanyScreen(company_id, tab=tab))

    def open_person(self, person_id: int) -> None:
        from researcher.tui.screens.person import PersonScreen

        self.push_screen(PersonScreen(person_id))

    def action_keys(self) -> None:
        from researcher.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from researcher.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    # -- notes ---------------------------------------------------------------

    def action_note(self) -> None:
        """Add a note to whatever the current screen has in focus."""
        from researcher.tui.widgets.note_editor import NoteEditor

        target: NoteTarget | None = getattr(self.screen, "note_target", lambda: None)()
        if target is None:
            self.notify("Nothing here to attach a note to.", severity="warning")
            return
        self.push_screen(NoteEditor(target))

    def report(self, error: Exception) -> None:
        """Show a store error as a one-line notification."""
        self.notify(str(error), title="Error", severity="error", markup=False)


def make_app(db_path: str | os.PathLike, title_suffix: str | None = None) -> ResearcherApp:
    """The one app factory, used by the CLI, Pilot tests and snapshots."""
    return ResearcherApp(db_path, title_suffix=title_suffix)


def run(db_path: str | os.PathLike, title_suffix: str | None = None) -> None:
    app = make_app(db_path, title_suffix=title_suffix)
    try:
        app.run()
    except ResearcherError as exc:  # pragma: no cover - shown on the terminal after the app closes
        raise SystemExit(f"Error: {exc}") from None
