"""What the add/edit forms share: save with ctrl+s or enter, cancel with escape, errors shown on top."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from researcher.tui import safe
from researcher.tui.widgets.modal import Modal


class FormModal(Modal[int | None]):
    """Subclasses compose their fields and implement save() returning the saved id (raise to refuse)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def compose_buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="save")
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(safe.line(message, style="bold red"))

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value
