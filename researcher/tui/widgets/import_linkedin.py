"""Import a LinkedIn export from the TUI: a path, a progress bar while a thread worker imports, then the summary."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from researcher.store import Notebook
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal


class ImportLinkedinModal(Modal[bool]):
    """Dismissed with True once something was imported (the screens below may reload), else False."""

    BINDINGS = [Binding("escape", "close", "Close")]
    # A long summary (many companies to watch) scrolls inside the dialog instead of pushing it off a small screen.
    DEFAULT_CSS = """
    ImportLinkedinModal #summary-scroll { height: auto; max-height: 60vh; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.imported = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Text("Import a LinkedIn export", style="bold"), classes="dialog-title")
            yield Label("The export's .zip, its folder, or one of its CSV files")
            yield Input(id="path", placeholder="~/Downloads/Basic_LinkedInDataExport.zip", compact=True)
            yield Static(Text("enter: import   escape: close", style="dim"), id="keys")
            yield ProgressBar(id="progress", show_eta=False)
            with VerticalScroll(id="summary-scroll"):
                yield Static("", id="summary")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).focus()

    def action_close(self) -> None:
        if self.running:
            self.notify("The import is running; it finishes on its own (one transaction).")
            return
        self.dismiss(self.imported)

    def _say(self, text: str | list[str], style: str = "") -> None:
        lines = [text] if isinstance(text, str) else text
        self.query_one("#summary", Static).update(safe.block("\n".join(lines), style=style))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.running or not event.value.strip():
            return
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._say("Reading the export…", "italic")
        self.run_import(str(Path(event.value.strip()).expanduser()))

    @work(thread=True, exclusive=True, group="import-linkedin", exit_on_error=False)
    def run_import(self, path: str) -> None:
        """In a thread with its own notebook: the same workflow as `researcher import linkedin`."""
        from researcher.interop.linkedin import import_linkedin, summary_lines
        from researcher.store.errors import user_message

        worker = get_current_worker()

        def progress(step: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, step, done, total)

        try:
            with Notebook(self.app.db_path, create=False) as nb:
                summary = import_linkedin(nb, path, progress=progress)
        except Exception as exc:  # noqa: BLE001 - every failure is one line in the dialog, nothing was written
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, user_message(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._done, summary_lines(summary))

    def _progress(self, step: str, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self._say(f"{step}…", "italic")

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one(ProgressBar).display = False
        self._say(message, "bold red")

    def _done(self, lines: list[str]) -> None:
        self.running, self.imported = False, True
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=1)
        self._say(lines)
        self.query_one("#keys", Static).update(Text("enter: import another   escape: close", style="dim"))
