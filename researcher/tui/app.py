"""The researcher app: global keys, navigation between sections, notes on what is in focus."""

from __future__ import annotations

import os
import sqlite3
from functools import partial
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from researcher.store import Notebook, ResearcherError
from researcher.store.errors import user_message
from researcher.sync.engine import FeedOutcome, Syncer, SyncReport
from researcher.text import clean_line
from researcher.tui.collector import IdleCollector
from researcher.tui.commands import JumpProvider
from researcher.tui.export import export_commands
from researcher.tui.forget import forget_commands
from researcher.tui.screens.base import NoteTarget
from researcher.words import plural


class ResearcherApp(App):
    """A terminal notebook for researching the companies you want to work for."""

    CSS_PATH = "app.tcss"
    TITLE = "researcher"
    ALLOW_IN_MAXIMIZED_VIEW = "KeyFooter"  # the footer stays under a maximized list (Textual's names its own)
    COMMANDS = App.COMMANDS | {JumpProvider}
    today_first = True  # the first-screen rule (tests/conftest.py turns it off for tests about other screens)
    BINDINGS = [
        Binding("0", "section('today')", "Today", show=False, tooltip="What is new since your last session"),
        Binding("1", "section('companies')", "Companies"),
        Binding("2", "section('people')", "People"),
        Binding("3", "section('news')", "News"),
        Binding("4", "section('network')", "Network"),
        Binding("5", "section('careers')", "Study a role", show=False, tooltip="Career paths to a role you aim for"),
        Binding("6", "section('sectors')", "Sectors", show=False, tooltip="Sectors, and the companies to discover"),
        Binding("n", "note", "Note", tooltip="A note on what is in focus"),
        Binding("s", "sync", "Sync", tooltip="Fetch the news of every feed"),
        Binding("ctrl+f", "search", "Search everything", show=False),
        Binding("question_mark", "keys", "Keys", tooltip="The keys of this screen and of the app"),
        Binding("ctrl+p", "command_palette", "Jump", show=False, tooltip="To any company or person, or run any action"),
    ]

    class SyncProgressed(Message):
        def __init__(self, outcome: FeedOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class SyncFinished(Message):
        def __init__(self, report: SyncReport | None, error: str | None = None) -> None:
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, db_path: str | os.PathLike, title_suffix: str | None = None):
        super().__init__()
        self.sync_state: tuple[int, int, str] | None = None
        self.db_path = Path(db_path)
        self.nb = Notebook(self.db_path)
        self.collector = IdleCollector()
        if title_suffix:
            self.title = f"researcher ({title_suffix})"

    def on_mount(self) -> None:
        self.push_screen(self._first_screen())
        # Full collections of the heap wait until the user is idle (70-170 ms stalls on a big notebook).
        self.collector.start(self)
        self.collector.chores.append(self._warm_up_mining)
        for note in (self.nb.read_only_reason, self.nb.warning):
            if note:  # said once, and kept on screen long enough to be read
                self.notify(
                    note,
                    title="Read only" if note == self.nb.read_only_reason else "Notebook",
                    severity="warning",
                    timeout=30,
                    markup=False,
                )

    def _first_screen(self):
        """Today when a company is in play (target, applied, interviewing), else Companies."""
        from researcher.insight.today import companies_in_play
        from researcher.tui.screens.companies import CompaniesScreen
        from researcher.tui.screens.today import TodayScreen

        return TodayScreen() if self.today_first and companies_in_play(self.nb) else CompaniesScreen()

    def on_unmount(self) -> None:
        from researcher.tui.screens.today import record_visit

        record_visit(self)
        self.nb.close()
        self.collector.stop()

    def _warm_up_mining(self) -> None:
        """What a first mining of vocabulary reads besides the company's news (an idle chore: see collector.py)."""
        from researcher.insight.vocabulary import warm_up

        try:
            with Notebook(self.db_path, create=False) as nb:
                warm_up(nb)
        except (ResearcherError, sqlite3.Error, OSError):
            pass  # only a head start: the mining itself says what is wrong, if the user asks for one

    def get_loading_widget(self) -> Widget:
        """A still "loading…" rather than Textual's animation (see widgets/waiting.py)."""
        from researcher.tui.widgets.waiting import Waiting

        return Waiting()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.input()  # the user is here: no full collection now
        await super().on_event(event)

    # -- navigation ----------------------------------------------------------

    def action_section(self, name: str) -> None:
        """Go to a top-level section: back to the base screen, then open it."""
        from researcher.tui.screens.network import NetworkScreen
        from researcher.tui.screens.news import NewsScreen
        from researcher.tui.screens.people import PeopleScreen

        if getattr(self.screen, "section", "") == name:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name in ("today", "companies"):  # the first screen is one of them; the other goes on top of it
            if getattr(self.screen, "section", "") != name:
                from researcher.tui.screens.companies import CompaniesScreen
                from researcher.tui.screens.today import TodayScreen

                self.push_screen(TodayScreen() if name == "today" else CompaniesScreen())
            return
        if name == "people":
            self.push_screen(PeopleScreen())
        elif name == "news":
            self.push_screen(NewsScreen())
        elif name == "network":
            self.push_screen(NetworkScreen())
        elif name == "careers":
            from researcher.tui.screens.careers import CareersScreen

            self.push_screen(CareersScreen())
        elif name == "sectors":
            from researcher.tui.screens.sectors import SectorsScreen

            self.push_screen(SectorsScreen())

    def open_company(self, company_id: int, tab: str | None = None, news_item: int | None = None) -> None:
        from researcher.tui.screens.company import CompanyScreen

        self.push_screen(CompanyScreen(company_id, tab=tab, news_item=news_item))

    def open_person(self, person_id: int) -> None:
        from researcher.tui.screens.person import PersonScreen

        self.push_screen(PersonScreen(person_id))

    def get_system_commands(self, screen):
        """The palette's actions: every section and action of the app, then Textual's own."""
        yield SystemCommand("Today", "What is new since your last session (0)", lambda: self.action_section("today"))
        yield SystemCommand("Companies", "The companies you follow (1)", lambda: self.action_section("companies"))
        yield SystemCommand("People", "Everyone in the notebook (2)", lambda: self.action_section("people"))
        yield SystemCommand("News", "Unread news of every company (3)", lambda: self.action_section("news"))
        yield SystemCommand(
            "Network", "Meaningful contacts, follow-ups, your profile (4)", lambda: self.action_section("network")
        )
        yield SystemCommand(
            "Study a role", "Career paths to a role you aim for (5)", lambda: self.action_section("careers")
        )
        yield SystemCommand(
            "Sectors", "Sectors, and the companies to discover (6)", lambda: self.action_section("sectors")
        )
        yield SystemCommand("Sync", "Fetch the news of every feed (s)", self.action_sync)
        yield SystemCommand("Search", "Search everything (ctrl+f)", self.action_search)
        yield from export_commands(self, screen)
        yield SystemCommand("Note", "A note on what is in focus (n)", self.action_note)
        yield SystemCommand("Keys", "Every key of the app (?)", self.action_keys)
        yield SystemCommand(
            "Import a LinkedIn export", "Connections, career, messages from its .zip", self.action_import_linkedin
        )
        yield from self._screen_commands(screen)
        yield from forget_commands(screen)
        yield from super().get_system_commands(screen)

    # Keys that move or leave rather than act: not worth a palette entry.
    _NOT_IN_PALETTE = frozenset({"j", "k", "up", "down", "tab", "shift+tab", "escape", "enter", "q", "space"})

    def _screen_commands(self, screen):
        """Every action key of the screen in view (and of its focused widget), so the palette runs anything
        the screen can do; drawn from the bindings themselves, so it cannot drift from them."""
        listed = {"section", "sync", "search", "note", "keys", "command_palette"}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            name = binding.action.split("(", 1)[0].removeprefix("app.").removeprefix("screen.")
            if not active.enabled or key in self._NOT_IN_PALETTE or name in listed or not binding.description:
                continue
            listed.add(binding.action)
            shown = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({shown})",
                partial(self.run_action, binding.action, active.node),
            )

    def action_keys(self) -> None:
        from researcher.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_import_linkedin(self) -> None:
        from researcher.tui.widgets.import_linkedin import ImportLinkedinModal

        self.push_screen(ImportLinkedinModal())

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

    # -- sync ----------------------------------------------------------------

    def action_sync(self) -> None:
        if self.sync_state is not None:
            self.notify("A sync is already running.")
            return
        try:
            self.nb.ensure_writable()
        except ResearcherError as exc:
            self.report(exc)
            return
        self.sync_state = (0, 0, "")
        self._show_sync_bar()
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        """Sync in a thread with its own connection; progress comes back as messages."""
        worker = get_current_worker()
        syncer = Syncer(self.db_path, progress=lambda outcome: self.post_message(self.SyncProgressed(outcome)))
        try:
            report = syncer.run()
        except Exception as exc:  # shown, never a crash
            self.post_message(self.SyncFinished(None, user_message(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(self.SyncFinished(report))

    def _show_sync_bar(self) -> None:
        from researcher.tui.widgets.sync_bar import SyncBar

        for bar in self.screen.query_children(SyncBar):  # composed at the top of every screen
            if self.sync_state is None:
                bar.hide()
            else:
                bar.show(*self.sync_state)

    def on_researcher_app_sync_progressed(self, message: SyncProgressed) -> None:
        o = message.outcome
        self.sync_state = (o.done, o.total, o.company)
        self._show_sync_bar()

    def on_researcher_app_sync_finished(self, message: SyncFinished) -> None:
        self.sync_state = None
        self._show_sync_bar()
        if message.error:
            self.notify(message.error, title="Sync failed", severity="error", markup=False)
            return
        r = message.report
        text = f"{plural(r.new_items, 'new item')} from {plural(r.feeds, 'feed')}"
        if r.failed:
            text += f"; {r.failed} failed (see the company's News tab)"
        self.notify(text, title="Sync finished", severity="warning" if r.failed else "information", markup=False)
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None)
            if reload is not None and screen.is_mounted:
                try:
                    reload()
                except ResearcherError:
                    pass

    def report(self, error: BaseException) -> None:
        """The one way the TUI shows a failure: a one-line notification (a store error as it is, anything
        else translated as the CLI does), never a traceback, never markup."""
        self.notify(clean_line(user_message(error)), title="Error", severity="error", markup=False, timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker's failure comes here (they run with exit_on_error=False) and is shown by report()."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report(event.worker.error)


def make_app(db_path: str | os.PathLike, title_suffix: str | None = None) -> ResearcherApp:
    """The one app factory, used by the CLI, Pilot tests and snapshots."""
    return ResearcherApp(db_path, title_suffix=title_suffix)


def run(db_path: str | os.PathLike, title_suffix: str | None = None) -> None:
    from researcher.sync.engine import start_parse_server

    start_parse_server()
    app = make_app(db_path, title_suffix=title_suffix)
    try:
        app.run()
    except ResearcherError as exc:  # pragma: no cover - shown on the terminal after the app closes
        raise SystemExit(f"Error: {exc}") from None
