"""Every dialog of the app: a ModalScreen whose footer shows its own keys.

Without one, the footer at the bottom of the terminal was the screen's underneath: "q Back", "d Delete"... while
the keys went to the dialog (typing q in a form types a q). A dialog that composes its own footer keeps it.
"""

from __future__ import annotations

from textual.events import ScreenResume
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Footer

from researcher.tui.widgets.key_footer import KeyFooter


class Modal(ModalScreen[ScreenResultType]):
    def _on_screen_resume(self, event: ScreenResume) -> None:
        # Textual calls this handler besides the dialog's own (a dialog's mount handler may stop its bases': the
        # forms that place their own focus do).
        if not any(
            isinstance(child, (Footer, KeyFooter)) for child in self.children
        ):  # a footer is docked at the top level
            self.mount(KeyFooter())
