"""The `/` filter line of a list: typing narrows the list, enter or escape returns to it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterInput(Input):
    BINDINGS = [
        Binding("escape", "done", "Back to list", show=False),
    ]

    class Done(Message):
        """The user is done typing the filter."""

    def __init__(self, placeholder: str = "/ to filter", **kwargs) -> None:
        super().__init__(placeholder=placeholder, compact=True, **kwargs)

    def action_done(self) -> None:
        self.post_message(self.Done())

    async def action_submit(self) -> None:
        self.post_message(self.Done())
