"""Fill a DataTable with many rows a chunk per screen refresh, so the event loop never waits for all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widgets import DataTable

# About 60 ms to add and paint 250 rows on a shared 2-vCPU machine: under the 100 ms a stall may last.
CHUNK = 250

Row = tuple[str, Sequence[Any]]  # (row key, cells)


class ChunkedFill:
    """Add `rows` to `table` (after what it holds), CHUNK rows per refresh; `then()` runs once they are all in.

    A newer fill of the same table, or cancel(), stops this one where it is."""

    def __init__(self, table: DataTable, rows: Sequence[Row], then: Callable[[], None] | None = None) -> None:
        self.table = table
        self.rows = rows
        self.then = then
        self.done = 0
        self.cancelled = False
        previous: ChunkedFill | None = getattr(table, "_chunked_fill", None)
        if previous is not None:
            previous.cancel()
        table._chunked_fill = self  # type: ignore[attr-defined]

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def finished(self) -> bool:
        return self.done >= len(self.rows)

    def start(self) -> ChunkedFill:
        """Add the first chunk now, the rest after the next refreshes."""
        self._step()
        return self

    def _step(self) -> None:
        if self.cancelled or not self.table.is_mounted:
            return
        end = min(self.done + CHUNK, len(self.rows))
        for key, cells in self.rows[self.done : end]:
            self.table.add_row(*cells, key=key)
        self.done = end
        if self.done < len(self.rows):
            self.table.call_after_refresh(self._step)
            return
        if getattr(self.table, "_chunked_fill", None) is self:
            self.table._chunked_fill = None  # type: ignore[attr-defined]
        if self.then is not None:
            self.then()

    def until(self, index: int) -> None:
        """Add every row up to `index` now (the cursor is going there)."""
        if self.cancelled or index < self.done:
            return
        end = min(index + 1, len(self.rows))
        for key, cells in self.rows[self.done : end]:
            self.table.add_row(*cells, key=key)
        self.done = end


def fill(table: DataTable, rows: Sequence[Row], then: Callable[[], None] | None = None) -> ChunkedFill:
    """Clear `table` and fill it with `rows` a chunk at a time."""
    previous: ChunkedFill | None = getattr(table, "_chunked_fill", None)
    if previous is not None:
        previous.cancel()
    table.clear()
    return ChunkedFill(table, rows, then).start()
