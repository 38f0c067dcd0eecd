"""Write or edit a note: a markdown TextArea; ctrl+s saves, ctrl+o opens $EDITOR, leaving unsaved text asks."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from researcher.store import ResearcherError
from researcher.store.models import Note
from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.key_footer import KeyFooter
from researcher.tui.widgets.modal import Modal


def editor_command() -> list[str]:
    """$VISUAL or $EDITOR split into an argument list (never run through a shell)."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(raw) or ["vi"]
    except ValueError:
        return ["vi"]


def run_editor(path: Path) -> None:
    """Run the user's editor on `path` and wait for it (the app is suspended meanwhile)."""
    subprocess.run([*editor_command(), str(path)], check=False)


class NoteEditor(Modal[int | None]):
    """Returns the saved note's id, or None when nothing was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        # Not ctrl+e: the TextArea binds it (end of line) and, focused, takes it first. ctrl+o it leaves alone.
        Binding("ctrl+o", "external", "$EDITOR"),
        Binding("escape", "leave", "Close", priority=True),
    ]

    def __init__(self, target: NoteTarget, note: Note | None = None) -> None:
        super().__init__()
        self.target = target
        self.note = note
        self.saved_text = note.body if note else ""

    def compose(self) -> ComposeResult:
        verb = "Edit note on " if self.note else "New note on "
        with Vertical(classes="dialog note-editor"):
            yield Static(
                Text.assemble((verb, "bold"), safe.line(self.target.label, style="bold")), classes="dialog-title"
            )
            yield TextArea(self.saved_text, id="note-text", language="markdown", soft_wrap=True, tab_behavior="indent")
            yield Static("", id="form-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def dirty(self) -> bool:
        return self.text.strip() != self.saved_text.strip()

    def action_save(self) -> None:
        nb = self.app.nb
        try:
            if self.note is None:
                kind = {"company": "company", "person": "person", "news": "news_item"}[self.target.kind]
                saved = nb.add_note(self.text, **{kind: self.target.id})
            else:
                saved = nb.update_note(self.note.id, self.text)
        except ResearcherError as exc:
            self.query_one("#form-error", Static).update(safe.line(str(exc), style="bold red"))
            return
        self.app.notify("Note saved.")
        self.dismiss(saved.id)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal("Discard this unsaved note?", yes="Discard"), answered)

    def action_external(self) -> None:
        """Edit the text in $EDITOR with the app suspended, then read the result back."""
        fd, name = tempfile.mkstemp(prefix="researcher-note-", suffix=".md")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.text)
            try:
                with self.app.suspend():
                    run_editor(path)
            except Exception as exc:  # no terminal to suspend to, editor missing...
                self.app.notify(f"Could not run the editor: {exc}", severity="error", markup=False)
                return
            self.query_one(TextArea).text = path.read_text(encoding="utf-8")
        finally:
            path.unlink(missing_ok=True)
