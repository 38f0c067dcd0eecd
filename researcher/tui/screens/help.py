"""`?`: the key map."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    (
        "Everywhere",
        [
            ("1 / 2 / 3 / 4", "Companies / People / News / Network"),
            ("5", "Study a role: career paths to it"),
            ("s", "Sync the news"),
            ("ctrl+p", "Jump to any company or person, run any action"),
            ("ctrl+f", "Search everything"),
            ("n", "Note on what is in focus"),
            ("escape, q", "Back (q quits on the first screen)"),
            ("?", "These keys"),
        ],
    ),
    (
        "Lists",
        [
            ("↑ ↓ / j k", "Move"),
            ("enter", "Open"),
            ("/", "Filter (typing narrows; enter or escape returns to the list)"),
            ("f", "Sector filter (companies)"),
            ("a / e / d", "Add / edit / delete (asks first)"),
        ],
    ),
    (
        "Person",
        [
            ("] / [", "Approach status: next / previous step of the pipeline"),
            ("t", "Approach status: pick one (1-7)"),
            ("i", "Log an interaction"),
            ("w", "Write the invitation (ctrl+s save, ctrl+t mark sent)"),
            ("e / c", "Edit / open their company"),
        ],
    ),
    (
        "Company dossier",
        [
            ("tab / shift+tab", "Next / previous tab"),
            ("e", "Edit the company"),
        ],
    ),
    (
        "News",
        [
            ("space", "Read / unread"),
            ("*", "Star"),
            ("o", "Open in the browser"),
            ("u", "Unread only / all"),
        ],
    ),
    (
        "Notes",
        [
            ("ctrl+s", "Save"),
            ("ctrl+e", "Edit in $EDITOR"),
            ("enter / d", "Edit / delete the highlighted note"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(f"[u]{section}[/u]", "")
            for key, what in keys:
                table.add_row(key, what)
            table.add_row("", "")
        with VerticalScroll(classes="dialog help"):
            yield Static(table)
