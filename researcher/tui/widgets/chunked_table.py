"""Fill a DataTable with many rows a chunk at a time, so the event loop never waits for all of them.

Rows are drawn (their cells made) only when added: either a chunk per screen refresh until all are in
(`background`), or as the cursor comes near the end of what is in (`until`), like a page from SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual.widgets import DataTable

# About 60 ms to add and paint 250 rows on a shared 2-vCPU machine: under the 100 ms a stall may last.
CHUNK = 250
# Drawn on demand, a chunk need only cover a few screens ahead of the cursor.
PAGE = 100

T = TypeVar("T")


class ChunkedFill(Generic[T]):
    """Add a row per item of `items` to `table` (after what it holds), CHUNK at a time; `row(item)` gives
    (key, cells). A newer fill of the same table, or cancel(), stops this one where it is."""

    def __init__(
        self,
        table: DataTable,
        items: Sequence[T],
        row: Callable[[T], tuple[str, Sequence[Any]]],
        background: bool = True,
    ) -> None:
        self.table = table
        self.items = items
        self.row = row
        self.background = background
        self.chunk = CHUNK if background else PAGE
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
        return self.done >= len(self.items)

    def start(self) -> ChunkedFill[T]:
        """Add the first chunk now; in the background, the rest after the next refreshes."""
        self._step()
        return self

    def _add(self, end: int) -> None:
        end = min(end, len(self.items))
        for item in self.items[self.done : end]:
            key, cells = self.row(item)
            self.table.add_row(*cells, key=key)
        self.done = max(self.done, end)

    def _step(self) -> None:
        if self.cancelled or not self.table.is_mounted:
            return
        self._add(self.done + self.chunk)
        if self.background and not self.finished:
            self.table.call_after_refresh(self._step)

    def forget(self, item: T) -> None:
        """An item whose row went (or never came): it is not added any more, the next ones still are."""
        if item in self.items:
            index = self.items.index(item)
            self.items = [*self.items[:index], *self.items[index + 1 :]]
            if index < self.done:
                self.done -= 1

    def until(self, index: int) -> None:
        """Make sure rows up to `index` are in, and a chunk beyond it (the cursor is going there)."""
        if self.cancelled or self.finished or index + self.chunk // 4 < self.done:
            return
        self._add(max(index + 1, self.done + self.chunk))


def fill(
    table: DataTable,
    items: Sequence[T],
    row: Callable[[T], tuple[str, Sequence[Any]]],
    background: bool = True,
) -> ChunkedFill[T]:
    """Clear `table` and fill it with a row per item, a chunk at a time."""
    previous: ChunkedFill | None = getattr(table, "_chunked_fill", None)
    if previous is not None:
        previous.cancel()
    table.clear()
    return ChunkedFill(table, items, row, background).start()
