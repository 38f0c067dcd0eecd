"""The notes on a company, person or news item: newest first, read as Markdown with the glossary's known terms
highlighted; enter edits, d deletes."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from researcher.insight.notes import NOTE_PARSER, first_line
from researcher.store.errors import NotFound
from researcher.text import clean_text
from researcher.tui import safe
from researcher.tui.highlight import Glossary, glossary_of, highlight_markdown
from researcher.tui.screens.base import NoteTarget
from researcher.tui.widgets.confirm import ConfirmModal


class NoteMarkdown(Markdown):
    """A note's body read as Markdown, safely: no control characters, HTML shown as written,
    links printed with their address after them and never turned into anything clickable."""

    def __init__(self, body: str | None) -> None:
        text = clean_text(body or "")
        super().__init__("", hyperlinks=False)
        self.markup = text
        self.parsed = NOTE_PARSER.parse(text)


class NotesPane(Vertical):
    BINDINGS = [
        Binding("enter", "edit", "Edit note"),
        Binding("d", "delete", "Delete note"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, target: NoteTarget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.notes = []
        self.glossary = Glossary()

    def compose(self) -> ComposeResult:
        table = DataTable(cursor_type="row", zebra_stripes=True, classes="notes-list")
        table.add_column("Written", width=16)
        table.add_column("Note")
        yield table
        with VerticalScroll(classes="note-body"):
            yield Static(classes="note-text")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the notes again; the same note stays highlighted (or the one in its place)."""
        kind = {"company": "company", "person": "person", "news": "news_item"}[self.target.kind]
        table = self.query_one(DataTable)
        keep = self.current()
        row = table.cursor_row or 0
        try:
            self.notes = self.app.nb.notes(**{kind: self.target.id})
            self.glossary = self._glossary()
        except NotFound:  # gone meanwhile (removed from the CLI, say): its screen says so and closes
            self.notes = []
        table.clear()
        for note in self.notes:
            table.add_row(safe.when(note.created_at), safe.line(first_line(note.body)), key=str(note.id))
        if not self.notes:
            self.query_one(".note-text", Static).update(Text("No notes yet. Press n to write one.", style="dim italic"))
            return
        ids = [note.id for note in self.notes]
        target = ids.index(keep.id) if keep is not None and keep.id in ids else min(row, len(ids) - 1)
        table.move_cursor(row=target)
        self._show(target)

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.notes):
            note = self.notes[index]
            header = Text(f"{safe.when(note.created_at)}", style="bold")
            if note.updated_at and note.updated_at != note.created_at:
                header.append(f"  (edited {safe.when(note.updated_at)})", style="dim")
            header.append("\n")
            body = highlight_markdown(NoteMarkdown(note.body), self.glossary)
            self.query_one(".note-text", Static).update(Group(header, body))

    def _glossary(self) -> Glossary:
        """The terms a note is read with: a company's and the global ones (every term, for a person or an item)."""
        if self.target.kind == "company":
            return glossary_of(self.app.nb.terms(self.target.id, include_global=True))
        return glossary_of(self.app.nb.terms())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def current(self):
        table = self.query_one(DataTable)
        if not self.notes or table.cursor_row is None or table.cursor_row >= len(self.notes):
            return None
        return self.notes[table.cursor_row]

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_edit(self) -> None:
        from researcher.tui.widgets.note_editor import NoteEditor

        note = self.current()
        if note is not None:
            self.app.push_screen(NoteEditor(self.target, note), lambda _: self.reload())

    def action_delete(self) -> None:
        note = self.current()
        if note is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.nb.remove_note(note.id)
                self.reload()

        first = first_line(note.body)[:60]
        self.app.push_screen(ConfirmModal(Text.assemble("Delete the note “", safe.line(first), "”?")), answered)
