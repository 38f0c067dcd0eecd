"""The footer of every screen: the keys of what is in focus, drawn as one line of text, again only when they change.

Textual's Footer makes a widget of every key (each styled one by one, forty on a dossier's tab), and makes them
all again every time a screen says its bindings may have changed: on every focus change, every tab shown, every
`refresh_bindings()`. A tab of the dossier went through four rebuilds, a third of a second of the event loop on a
shared 2-vCPU machine; coalesced to one, a rebuild still cost 20-40 ms of every tab and screen shown. Here the
footer is one widget: the requests made while one is pending come to one, a redraw waits for focus to land when
it is between two widgets, it happens only when the keys differ from those shown, and it renders one line (a
millisecond). It looks and answers as Textual's does: each key in the accent colour, its description after it,
disabled ones dimmed, the command palette's key on the right; a click on a key presses it, and the mouse over one
lights it and shows its tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterKey:
    key: str  # as Textual names it: what a click simulates
    display: str  # as the footer shows it ("^s", "↑")
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover", "footer-key--palette"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, show_command_palette: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        self.keys: tuple[FooterKey, ...] = ()  # shown, left to right
        self.palette: FooterKey | None = None  # shown on the right
        self._spans: list[tuple[int, int, FooterKey]] = []  # (first column, end column, key), as last rendered
        self._hover: FooterKey | None = None
        self._pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # -- when to redraw --------------------------------------------------------------

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        if not self.is_attached:
            self._pending = False
            return
        if self.screen.focused is None and self.keys:
            # Focus is between two widgets (a tab hiding its pane, a dialog closing): the keys of nothing in
            # focus would be drawn for one frame, then the next widget's. Drawn once focus has landed.
            self._pending = False
            self.call_after_refresh(self._settle_redraw)
            return
        self._settle_redraw()

    def _settle_redraw(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys, palette = self._read_keys()
        if (keys, palette) != (self.keys, self.palette):
            self.redraw(keys, palette)

    def redraw(self, keys: tuple[FooterKey, ...], palette: FooterKey | None) -> None:
        """Show these keys (one repaint of one line)."""
        self.keys, self.palette = keys, palette
        self._hover = None
        self.tooltip = None
        self.refresh()

    def _read_keys(self) -> tuple[tuple[FooterKey, ...], FooterKey | None]:
        """What Textual's footer would show: each action once (its first key), the palette's key apart."""
        app = self.app
        active = self.screen.active_bindings
        palette_key = app.COMMAND_PALETTE_BINDING if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        keys: list[FooterKey] = []
        actions: set[str] = set()
        for key, (_, binding, enabled, tooltip) in active.items():
            if not binding.show or binding.action in actions or key == palette_key:
                continue
            actions.add(binding.action)
            keys.append(self._key(binding, enabled, tooltip))
        palette = None
        if palette_key in active:
            _, binding, enabled, tooltip = active[palette_key]
            palette = self._key(binding, enabled, binding.tooltip or binding.description)
        return tuple(keys), palette

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        return FooterKey(binding.key, self.app.get_key_display(binding), binding.description, enabled, tooltip or "")

    # -- drawing -----------------------------------------------------------------------

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover_style = Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor)
        width = self.size.width
        palette_text = Text()
        if self.palette is not None:
            palette_text.append("▏", self.get_component_rich_style("footer-key--palette"))
            palette_text.append_text(self._label(self.palette, key_style, description_style, hover_style, pad=""))
        room = max(0, width - palette_text.cell_len)
        text = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in self.keys:
            label = self._label(key, key_style, description_style, hover_style)
            if text.cell_len + label.cell_len - 1 > room:  # its last space may go, nothing else: no key in part
                break
            self._spans.append((text.cell_len, text.cell_len + label.cell_len, key))
            text.append_text(label)
        text.truncate(room)
        if self.palette is not None:
            text.append(" " * (room - text.cell_len))
            start = text.cell_len + 1  # after the border
            self._spans.append((start, start + palette_text.cell_len - 1, self.palette))
            text.append_text(palette_text)
        return text

    def _label(
        self, key: FooterKey, key_style: Style, description_style: Style, hover_style: Style, pad: str = " "
    ) -> Text:
        label = Text.assemble((f"{pad}{key.display} ", key_style), (f"{key.description} ", description_style))
        if key is self._hover:
            label.stylize(hover_style)
        if not key.enabled:
            label.stylize("dim")
        return label

    # -- the mouse --------------------------------------------------------------------

    def key_at(self, x: int) -> FooterKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key is not self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def shown(self) -> list[str]:
        """The keys on show, as Textual names them (palette's last)."""
        return [key.key for _, _, key in self._spans]
