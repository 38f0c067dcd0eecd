"""A career path drawn as a timeline: one bar per position on a shared axis of years."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from researcher import clock
from researcher.store.models import Position
from researcher.tui import safe


def _months(stamp: str) -> int:
    year, month = stamp.split("-")
    return int(year) * 12 + int(month) - 1


class Timeline(Widget):
    """Positions oldest first; the bar spans start to end (or today) scaled to the widget width."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, positions: list[Position] | None = None, highlight: set[int] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.positions = positions or []
        self.highlight = highlight or set()

    def set_positions(self, positions: list[Position], highlight: set[int] | None = None) -> None:
        self.positions = positions
        self.highlight = highlight or set()
        self.refresh(layout=True)

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
        for p in self.positions:
            label = safe.line(f"{p.title}, {p.company_name}")
            label.truncate(label_width, overflow="ellipsis", pad=True)
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
