"""What the lists share: a filter line, a row cursor, j/k, delete that asks, refills that keep the user's place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input

from researcher.tui.screens.base import BaseScreen
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.filter_input import FilterInput


class ReadFailed(Message):
    """A screen's reader thread failed: its screen shows it through the app's one error path (app.report)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class ListScreen(BaseScreen):
    """A screen around one DataTable whose rows are records with an `id`, in `self.rows`."""

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list = []

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    @property
    def query_text(self) -> str:
        return self.query_one("#filter", Input).value

    def on_mount(self) -> None:
        self.table.focus()

    def on_screen_resume(self) -> None:
        # Going from one section to another pops back to the first screen and pushes the next at once:
        # the first screen, no longer shown, need not read its list again.
        if self.app.screen is self:
            self.resumed()

    def resumed(self) -> None:
        """The screen is shown (again): read its list."""
        self.reload()

    def on_read_failed(self, message: ReadFailed) -> None:
        self.app.report(message.error)

    def current_id(self) -> int | None:
        row = self.table.cursor_row
        if not self.rows or row is None or row >= len(self.rows):
            return None
        return self.rows[row].id

    def current(self):
        row_id = self.current_id()
        return next((r for r in self.rows if r.id == row_id), None)

    def keep_cursor_on(self, row_id: int | None) -> None:
        for index, row in enumerate(self.rows):
            if row.id == row_id:
                self.table.move_cursor(row=index)
                return

    def clear_filters(self) -> None:
        self.query_one("#filter", Input).value = ""  # Input.Changed reloads

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.reload()

    def on_filter_input_done(self, event: FilterInput.Done) -> None:
        self.table.focus()

    def action_cursor(self, delta: int) -> None:
        self.table.move_cursor(row=max(0, (self.table.cursor_row or 0) + delta))

    def confirm_delete(self, question: Text, remove: Callable[[], object], done: str) -> None:
        """Ask, then remove and reload; `done` is the notification (plain text)."""

        def answered(yes: bool | None) -> None:
            if yes:
                remove()
                self.app.notify(done, markup=False)
                self.reload()

        self.app.push_screen(ConfirmModal(question), answered)


def refill(
    table: DataTable,
    old: list[Any],
    new: list[Any],
    ident: Callable[[Any], int],
    cells: Callable[[Any], Sequence[Any]],
    fresh: bool = False,
) -> None:
    """Show `new` in `table`, which shows `old`, and keep the user's place: the same row highlighted (or, when
    it is gone, the one now in its place) and the list scrolled where it was.

    Rows that only changed are updated in place and rows that left are removed (a rebuild of a long list
    costs about 0.2 ms a row on the event loop); any other change rebuilds the table. A `fresh` list (another
    filter) keeps the highlighted row when it is still listed, else starts at the top.
    """
    row = table.cursor_row or 0
    keep = ident(old[row]) if row < len(old) else None
    scroll_y = table.scroll_y
    old_ids, new_ids = [ident(r) for r in old], [ident(r) for r in new]
    kept = set(new_ids)
    if [i for i in old_ids if i in kept] == new_ids and table.row_count == len(old):
        for gone in (i for i in old_ids if i not in kept):
            table.remove_row(str(gone))
        before = {ident(r): r for r in old}
        for index, record in enumerate(new):
            if record != before[ident(record)]:
                for column, value in enumerate(cells(record)):
                    table.update_cell_at(Coordinate(index, column), value)
    else:
        table.clear()
        for record in new:
            table.add_row(*cells(record), key=str(ident(record)))
    if not new:
        return
    if fresh:
        table.move_cursor(row=new_ids.index(keep) if keep in kept else 0)
        return
    table.move_cursor(row=new_ids.index(keep) if keep in kept else min(row, len(new) - 1), scroll=False)

    def restore() -> None:
        # The table knows its new height after a refresh: then scroll back to where the user was.
        table.scroll_to(y=scroll_y, animate=False, immediate=True)
        table.move_cursor(row=table.cursor_row, scroll=True)

    table.call_after_refresh(restore)
