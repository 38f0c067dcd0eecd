"""The network goal and the default keep-in-touch cadence, in a small form (`g` on the Network screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from researcher.store import ResearcherError
from researcher.tui.widgets.form_base import FormModal


class NetworkSettingsForm(FormModal):
    """Returns the goal saved, or None when cancelled."""

    def compose(self) -> ComposeResult:
        nb = self.app.nb
        with VerticalScroll(classes="dialog form"):
            yield Static("Network goal", classes="dialog-title")
            yield Static("", id="form-error")
            yield Label("Meaningful contacts to aim for (a hundred that matter)")
            yield Input(str(nb.network_goal()), id="name", compact=True)  # (#name: the field a form focuses first)
            yield Label("Keep in touch every ... days (unless set per person)")
            yield Input(str(nb.quiet_days()), id="quiet-days", compact=True)
            yield from self.compose_buttons()

    def action_save(self) -> None:
        nb = self.app.nb
        try:
            with nb.atomic():
                goal = nb.set_network_goal(self.value("name"))
                nb.set_quiet_days(self.value("quiet-days"))
        except ResearcherError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(goal)
