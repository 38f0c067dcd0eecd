"""The footer of every screen: Textual's, drawn again only when the keys it shows change.

Textual's Footer rebuilds all its keys (a widget each, styled one by one) every time a screen says its bindings
may have changed: on every focus change, every tab shown, every `refresh_bindings()`. A tab of the dossier went
through four rebuilds of some forty keys, a third of a second of the event loop on a shared 2-vCPU machine. Here
the requests made while one is pending come to one, and a rebuild happens only when what it would show differs
from what is shown.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # the keys on show: (binding, enabled, tooltip) each
        self._pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._redraw)

    def _keys(self) -> tuple:
        return tuple(
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def _redraw(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()
