"""Pick a person's approach status in one keypress: the pipeline as a list, its first letters as keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from researcher.store.schema import APPROACH_STATUSES
from researcher.tui import safe
from researcher.tui.widgets.modal import Modal

# One key per status: the digits 1-7 in pipeline order.
KEYS = {str(i + 1): status for i, status in enumerate(APPROACH_STATUSES)}


class StatusPicker(Modal[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")] + [
        Binding(key, f"pick('{status}')", status, show=False) for key, status in KEYS.items()
    ]

    def __init__(self, name: str, current: str | None) -> None:
        super().__init__()
        self.person_name = name
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(
                Text.assemble(("Approach status of ", "bold"), safe.line(self.person_name, style="bold")),
                classes="dialog-title",
            )
            options = [
                Option(
                    Text.assemble(
                        (f"{key}  ", "bold cyan"), status, ("  (now)" if status == self.current else "", "dim")
                    ),
                    id=status,
                )
                for key, status in KEYS.items()
            ]
            yield OptionList(*options)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.current in APPROACH_STATUSES:
            option_list.highlighted = APPROACH_STATUSES.index(self.current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, status: str) -> None:
        self.dismiss(status)
