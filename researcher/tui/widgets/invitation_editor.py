"""Write an invitation by hand, with the check's warnings updated as you type; ctrl+s saves, ctrl+t marks it sent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from researcher.insight.invitations import check, context_for
from researcher.store import ResearcherError
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal


class InvitationEditor(ModalScreen[bool]):
    """Returns True when something was saved or sent."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft"),
        Binding("ctrl+t", "send", "Mark sent"),
        Binding("escape", "leave", "Close", priority=True),
    ]

    def __init__(self, person_id: int, name: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        self.saved_text = ""
        self.changed = False

    def compose(self) -> ComposeResult:
        nb = self.app.nb
        current = nb.invitation(self.person_id)
        self.ctx = context_for(nb, self.person_id)
        draft = current if current and current.status == "draft" else None
        self.saved_text = draft.text if draft else ""
        state = ""
        if current and current.status == "sent":
            state = f" (last one sent {current.sent_at[:10]})"
        with Vertical(classes="dialog note-editor"):
            yield Static(
                Text.assemble(("Invitation to ", "bold"), safe.line(self.person_name, style="bold"), (state, "dim")),
                classes="dialog-title",
            )
            yield Static(
                Text("A dozen words of your own, about them, beat the network's default sentence.", style="dim")
            )
            yield TextArea(self.saved_text, id="invitation-text", soft_wrap=True)
            yield Static(id="warnings")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self._check()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._check()

    def _check(self) -> None:
        text = self.query_one(TextArea).text
        warnings = check(text, self.ctx) if text.strip() else []
        out = Text()
        if not text.strip():
            out.append("Write it yourself: mention them, their company, a shared past, their news.", style="dim italic")
        for w in warnings:
            out.append("⚠ ", style="bold yellow")
            out.append_text(safe.line(w.message, style="yellow"))
            out.append("\n")
        if text.strip() and not warnings:
            out.append("✓ reads as written for them", style="bold green")
        self.query_one("#warnings", Static).update(out)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> bool:
        try:
            self.app.nb.save_invitation(self.person_id, self.text)
        except ResearcherError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return False
        self.saved_text = self.text
        self.changed = True
        self.app.notify("Invitation draft saved.")
        return True

    def action_send(self) -> None:
        nb = self.app.nb
        try:
            with nb.atomic():
                nb.save_invitation(self.person_id, self.text)
                sent = nb.mark_invitation_sent(self.person_id)
        except ResearcherError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return
        self.app.notify(f"Marked sent on {sent.network}; logged, status invited.", markup=False)
        self.dismiss(True)

    def action_leave(self) -> None:
        if self.text.strip() == self.saved_text.strip():
            self.dismiss(self.changed)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(self.changed)

        self.app.push_screen(ConfirmModal("Discard the changes to this invitation?", yes="Discard"), answered)
