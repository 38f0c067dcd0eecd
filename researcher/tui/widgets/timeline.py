"""A career path drawn as a timeline: one bar per position on a shared axis of years; a cursor picks one."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from researcher import clock
from researcher.store.models import Position
from researcher.tui import safe


def _months(stamp: str) -> int:
    year, month = stamp.split("-")
    return int(year) * 12 + int(month) - 1


class Timeline(Widget, can_focus=True):
    """Positions oldest first; the bar spans start to end (or today) scaled to the widget width.

    Focused, arrows (and j/k) move a cursor over the positions; enter posts Selected."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    Timeline:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Next position", show=False),
        Binding("up,k", "move(-1)", "Previous position", show=False),
        Binding("enter", "select", "Edit position", show=False),
    ]
    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """Enter on a position."""

        def __init__(self, position: Position) -> None:
            super().__init__()
            self.position = position

    def __init__(self, positions: list[Position] | None = None, highlight: set[int] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.positions = positions or []
        self.highlight = highlight or set()

    def set_positions(self, positions: list[Position], highlight: set[int] | None = None) -> None:
        """New positions; the cursor stays on the same position (else at the same place, else on the current one)."""
        kept = self.current()
        self.positions = positions
        self.highlight = highlight or set()
        ids = [p.id for p in positions]
        if kept is not None and kept.id in ids:
            self.cursor = ids.index(kept.id)
        elif kept is None:
            held = [i for i, p in enumerate(positions) if p.end is None]
            self.cursor = held[-1] if held else max(0, len(positions) - 1)
        else:
            self.cursor = min(self.cursor, max(0, len(positions) - 1))
        self.refresh(layout=True)

    def current(self) -> Position | None:
        """The position under the cursor."""
        return self.positions[self.cursor] if 0 <= self.cursor < len(self.positions) else None

    def select(self, position_id: int) -> None:
        """Put the cursor on this position (if it is one of them)."""
        ids = [p.id for p in self.positions]
        if position_id in ids:
            self.cursor = ids.index(position_id)

    def action_move(self, delta: int) -> None:
        if self.positions:
            self.cursor = max(0, min(len(self.positions) - 1, self.cursor + delta))

    def action_select(self) -> None:
        position = self.current()
        if position is not None:
            self.post_message(self.Selected(position))

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.positions) + 1 + (1 if self.highlight else 0))

    def render(self) -> Text:
        if not self.positions:
            return Text("No positions yet.", style="dim italic")
        today = clock.today()
        now = today.year * 12 + today.month - 1
        dated = [p for p in self.positions if p.start]
        first = min((_months(p.start) for p in dated), default=now)
        first -= first % 12  # start the axis on a January
        last = now + 1
        width = self.size.width or 80
        label_width = min(44, max(20, width // 2 - 2))
        dates_width = 18
        bar_width = max(10, width - label_width - dates_width - 2)
        scale = bar_width / max(1, last - first)
        out = Text()
        # The axis: years at their positions.
        axis = [" "] * bar_width
        for year in range(first // 12, last // 12 + 1):
            col = int((year * 12 - first) * scale)
            label = str(year) if scale * 12 >= 5 else str(year)[2:]
            if scale * 12 < 3 and year % 5:
                continue
            if col + len(label) <= bar_width and all(c == " " for c in axis[max(0, col - 1) : col + len(label)]):
                axis[col : col + len(label)] = list(label)
        out.append(" " * (label_width + dates_width + 2) + "".join(axis) + "\n", style="dim")
        for index, p in enumerate(self.positions):
            label = safe.line(f"{p.title}, {p.company_name}")
            label.truncate(label_width, overflow="ellipsis", pad=True)
            if index == self.cursor and self.has_focus:
                label.stylize("reverse")
            out.append_text(label)
            out.append(" " + safe.span(p.start, p.end).ljust(dates_width) + " ", style="dim")
            if p.start:
                begin = int((_months(p.start) - first) * scale)
                end_m = _months(p.end) + 1 if p.end else last
                finish = max(begin + 1, int((end_m - first) * scale))
                style = "bold magenta" if p.id in self.highlight else ("green" if p.end is None else "cyan")
                out.append(" " * begin)
                out.append("█" * (finish - begin), style=style)
            else:
                out.append("(dates unknown)", style="dim italic")
            out.append("\n")
        if self.highlight:
            out.append(" " * (label_width + dates_width + 2))
            out.append("█", style="bold magenta")
            out.append(" overlapped with you at the same company", style="dim")
        out.rstrip()
        return out
