"""`?`: the keys of the screen in focus and of the app, read from their declared bindings."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from researcher.tui.widgets.modal import Modal


def key_sections(app: App, screen: Screen) -> list[tuple[str, list[tuple[str, Binding]]]]:
    """The keys that work on `screen`, grouped: the screen's, the app's, the widget in focus's.

    One source: Textual's active bindings of the screen (its BINDINGS, the app's, those of the
    widget in focus and its containers), so a key declared anywhere is listed here. Each row is
    (keys as shown, binding); an action bound to several keys is one row.
    """
    rows: dict[tuple[int, str, str], tuple[str, list[str], Binding]] = {}
    for node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.system or not binding.description:  # Textual's internals (ctrl+c help_quit)
            continue
        group = "app" if isinstance(node, App) else "screen" if node is screen else "focus"
        ident = (id(node), binding.action, binding.description)
        rows.setdefault(ident, (group, [], binding))[1].append(app.get_key_display(binding))
    # The keys this app declares come first, then those Textual's widgets bring (tab, arrows...).
    nodes = screen.focused.ancestors_with_self if screen.focused else [screen, app]
    ours = {(id(node), action) for node in nodes for action in _declared_actions(node)}
    ordered = sorted(rows.items(), key=lambda row: (row[0][0], row[0][1]) not in ours)
    title = getattr(screen, "section", "") or type(screen).__name__.removesuffix("Screen").lower()
    out = []
    for group, heading in (
        ("screen", f"This screen ({title})"),
        ("app", "Everywhere"),
        ("focus", "Where the focus is"),
    ):
        keys = [(" / ".join(shown), binding) for _ident, (g, shown, binding) in ordered if g == group]
        if keys:
            out.append((heading, keys))
    return out


def _declared_actions(node: DOMNode) -> set[str]:
    """The actions bound in the BINDINGS of the node's own classes (this package's, not Textual's)."""
    return {
        binding.action
        for cls in type(node).__mro__
        if cls.__module__.startswith("researcher.")
        for binding in cls.__dict__.get("BINDINGS", [])
        if isinstance(binding, Binding)
    }


class HelpScreen(Modal[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, over: Screen | None = None) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        over = self.over or self.app.screen
        parts: list[Text | Table] = []
        for section, keys in key_sections(self.app, over):
            parts.append(Text(section, style="bold underline"))
            table = Table.grid(padding=(0, 2), expand=True)
            table.add_column(style="bold cyan", no_wrap=True, width=14)
            table.add_column(ratio=1)
            for key, binding in keys:
                what = Text(binding.description)
                if binding.tooltip:
                    what.append(f" — {binding.tooltip}", style="dim")
                table.add_row(key, what)
            parts += [table, Text()]
        parts.append(Text("escape, q or ? closes this list", style="dim"))
        with VerticalScroll(classes="dialog help"):
            yield Static(Group(*parts))
