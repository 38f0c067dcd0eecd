"""The interview drill in a modal: a term is shown, space reveals its meaning, k marks it known, n not yet."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from researcher.insight.vocabulary import DrillCard
from researcher.store import ResearcherError
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal


class DrillScreen(Modal[tuple[int, int]]):
    """The cards in drill order (researcher.insight.vocabulary.drill_order, as `researcher term drill`); each
    answer is recorded at once (the not-yet ones come first next time). Returns (known, not yet)."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Reveal"),
        Binding("k", "answer(True)", "Known"),
        Binding("n", "answer(False)", "Not yet", tooltip="It comes back first next time"),
        Binding("escape,q", "leave", "Leave the drill"),
    ]

    DEFAULT_CSS = """
    DrillScreen .drill {
        height: auto;
        max-height: 80%;
    }
    """

    def __init__(self, cards: list[DrillCard]) -> None:
        super().__init__()
        self.cards = cards
        self.index = 0
        self.revealed = False
        self.known = 0
        self.missed = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog drill"):
            yield Static(id="drill-card")

    def on_mount(self) -> None:
        self._render_card()

    @property
    def card(self) -> DrillCard | None:
        return self.cards[self.index] if self.index < len(self.cards) else None

    def _render_card(self) -> None:
        card = self.card
        text = Text()
        if card is None:
            text.append("Drill done\n\n", style="bold")
            text.append(f"{self.known} known, {self.missed} not yet", style="")
            text.append("\n\nescape closes", style="dim italic")
        else:
            text.append(f"{self.index + 1}/{len(self.cards)}  ", style="dim")
            text.append_text(safe.line(card.company or "global", style="dim"))
            text.append(f"  ({card.state})\n\n", style="dim")
            text.append_text(safe.line(card.term, style="bold"))
            text.append("\n\n")
            if self.revealed:
                text.append_text(
                    safe.block(card.meaning or "No meaning written yet.", style="" if card.meaning else "dim")
                )
                if card.example:
                    text.append("\n\ne.g. ", style="dim")
                    text.append_text(safe.block(card.example, style="italic"))
                text.append("\n\nk known · n not yet · escape leaves", style="dim italic")
            else:
                text.append("space reveals the meaning · escape leaves", style="dim italic")
        self.query_one("#drill-card", Static).update(text)

    def action_reveal(self) -> None:
        if self.card is not None:
            self.revealed = True
            self._render_card()

    def action_answer(self, known: bool) -> None:
        card = self.card
        if card is None:
            return
        if not self.revealed:  # the meaning is seen before the answer, as `term drill` asks
            self.action_reveal()
            return
        try:
            self.app.nb.record_drill(card.id, known)
        except ResearcherError as exc:
            self.app.report(exc)
            return
        self.known, self.missed = self.known + known, self.missed + (not known)
        self.index += 1
        self.revealed = False
        self._render_card()

    def action_leave(self) -> None:
        self.dismiss((self.known, self.missed))
