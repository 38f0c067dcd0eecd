"""A vocabulary term read whole, in a modal that scrolls: its meaning, an example, where it was seen; escape,
enter or q closes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from researcher.store.models import Term
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal


class TermView(Modal[None]):
    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Close"),
        Binding("j", "scroll(1)", "Scroll down", show=False),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
    ]

    DEFAULT_CSS = """
    TermView .term-view {
        height: auto;
        max-height: 90%;
    }
    """

    def __init__(self, term: Term) -> None:
        super().__init__()
        self.term = term

    def compose(self) -> ComposeResult:
        t = self.term
        text = Text()
        text.append_text(safe.line(t.term, style="bold"))
        if t.company:
            text.append("  ")
            text.append_text(safe.line(t.company, style="dim"))
        text.append("\n\n")
        text.append_text(safe.block(t.definition or "No meaning written yet."))
        text.append("\n")
        if t.example:
            text.append("\nExample  ", style="dim")
            text.append_text(safe.block(t.example, style="italic"))
            text.append("\n")
        if t.seen_in:
            text.append("\nSeen in  ", style="dim")
            text.append_text(safe.block(t.seen_in))
        if t.created_at:
            text.append(f"\nNoted    {safe.when(t.created_at)[:10]}", style="dim")
        text.append("\n\nescape closes", style="dim italic")
        with VerticalScroll(classes="dialog term-view"):
            yield Static(text, id="term-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # arrows and page keys scroll a long meaning

    def action_scroll(self, delta: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_relative(y=delta, animate=False)
