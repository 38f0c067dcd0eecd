"""What a widget shows while its data loads: one still line.

Textual's LoadingIndicator draws itself again 16 times a second. While a dossier tab of a big notebook loads, the
event loop's thread spent a third of the time the tab's worker needed drawing it, and the worker waited for the
interpreter lock meanwhile: the data came that much later (the Vocabulary tab 1.25 s with it, 0.9 s without).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.events import InputEvent
from textual.widget import Widget


class Waiting(Widget):
    DEFAULT_CSS = """
    Waiting {
        width: 100%;
        height: 100%;
        min-height: 1;
        content-align: center middle;
        color: $text-muted;
        text-style: not reverse;
    }
    Waiting.-textual-loading-indicator {
        layer: _loading;
        background: $boost;
        dock: top;
    }
    """

    @on(InputEvent)
    def on_input(self, event: InputEvent) -> None:
        """A widget still loading takes no input (as with Textual's indicator)."""
        event.stop()
        event.prevent_default()

    def render(self) -> Text:
        return Text("loading…", style="italic")
