"""Write an invitation by hand, checked as you type; ctrl+s saves, ctrl+t marks it sent (asking first when in doubt)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from researcher.insight.invitations import check, context_for
from researcher.store import ResearcherError
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.key_footer import KeyFooter
from researcher.tui.widgets.modal import Modal

# Approach statuses from which an invitation is no longer needed (or wanted), and how to say so.
_PAST_INVITED = {
    "connected": "you are already connected",
    "met": "you have already met",
    "referred": "the approach is already at “referred”",
    "closed": "the approach is closed",
}


class InvitationEditor(Modal[bool]):
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
        yield KeyFooter()

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

    def doubts(self) -> list[Text]:
        """Why sending now may be a mistake: already connected, already invited, or the check's warnings."""
        nb = self.app.nb
        out: list[Text] = []
        approach = nb.approach(self.person_id)
        if approach is not None and approach.status in _PAST_INVITED:
            out.append(Text.assemble(safe.line(self.person_name), f": {_PAST_INVITED[approach.status]}."))
        sent = [i for i in nb.invitations_of(self.person_id) if i.sent]
        if sent:
            when = (sent[0].sent_at or "")[:10]
            network = f" on {sent[0].network}" if sent[0].network else ""
            out.append(Text(f"An invitation was already sent{network} on {when}."))
        if self.text.strip():
            out += [safe.line(w.message) for w in check(self.text, self.ctx)]
        return out

    def action_send(self) -> None:
        """Mark sent; with any doubt (warnings, already connected or invited) ask first and say why."""
        doubts = self.doubts()
        if not doubts or not self.text.strip():  # an empty text is refused by the store, with its own message
            self._send()
            return
        question = Text.assemble(("Mark this invitation sent anyway?", "bold"), "\n")
        for doubt in doubts:
            question.append("\n⚠ ", style="bold yellow")
            question.append_text(doubt)

        def answered(yes: bool | None) -> None:
            if yes:
                self._send()

        self.app.push_screen(ConfirmModal(question, yes="Mark sent"), answered)

    def _send(self) -> None:
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
