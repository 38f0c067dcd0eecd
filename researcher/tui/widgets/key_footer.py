"""The footer of every screen: Textual's, drawn again only when the keys it shows change.

Textual's Footer rebuilds all its keys (a widget each, styled one by one) every time a screen says its bindings
may have changed: on every focus change, every tab shown, every `refresh_bindings()`. A tab of the dossier went
through four rebuilds of some forty keys, a third of a second of the event loop on a shared 2-vCPU machine. Here
the requests made while one is pending come to one, a rebuild waits for focus to land when it is between two
widgets, and it happens only when what it would show differs from what is shown: one rebuild a tab.
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
        if not self.is_attached:
            self._pending = False
            return
        if self.screen.focused is None and self._shown is not None:
            # Focus is between two widgets (a tab hiding its pane, a dialog closing): the keys of nothing in
            # focus would be drawn for one frame, then the next widget's. Drawn once focus has landed.
            self._pending = False
            self.call_after_refresh(self._settle_redraw)
            return
        await self._settle_redraw()

    async def _settle_redraw(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()
