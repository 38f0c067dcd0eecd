"""The notes on a company, person or news item: newest first with times; enter edits, d deletes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from researcher.tui import safe
from researcher.tui.screens.base import NoteTarget
from researcher.tui.widgets.confirm import ConfirmModal


class NotesPane(Vertical):
    BINDINGS = [
        Binding("enter", "edit", "Edit note"),
        Binding("d", "delete", "Delete note"),
    ]

    def __init__(self, target: NoteTarget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.notes = []

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
        kind = {"company": "company", "person": "person", "news": "news_item"}[self.target.kind]
        self.notes = self.app.nb.notes(**{kind: self.target.id})
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for note in self.notes:
            first = note.body.strip().splitlines()[0] if note.body.strip() else ""
            table.add_row(safe.when(note.created_at), safe.line(first), key=str(note.id))
        if not self.notes:
            self.query_one(".note-text", Static).update(Text("No notes yet. Press n to write one.", style="dim italic"))
        elif row is not None:
            table.move_cursor(row=min(row, len(self.notes) - 1))
            self._show(min(max(row, 0), len(self.notes) - 1))

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.notes):
            note = self.notes[index]
            header = Text(f"{safe.when(note.created_at)}", style="bold")
            if note.updated_at and note.updated_at != note.created_at:
                header.append(f"  (edited {safe.when(note.updated_at)})", style="dim")
            self.query_one(".note-text", Static).update(Text.assemble(header, "\n\n", safe.block(note.body)))

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

        first = note.body.strip().splitlines()[0][:60]
        self.app.push_screen(ConfirmModal(Text.assemble("Delete the note “", safe.line(first), "”?")), answered)
