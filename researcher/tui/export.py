"""Exports started from the TUI's palette: the open company's dossier as Markdown in the documents folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_documents_path
from textual.app import App, SystemCommand
from textual.screen import Screen

from researcher.store import Notebook


def documents_folder() -> Path:
    """Where the TUI writes exports: researcher/ in the user's documents folder (made when missing)."""
    folder = user_documents_path() / "researcher"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """The palette's export actions for the screen in front (on a company's dossier: its Markdown brief)."""
    company_id = getattr(screen, "company_id", None)
    if isinstance(company_id, int):
        yield SystemCommand(
            "Export this company's dossier (Markdown)",
            "The interview brief, in your documents folder (your ## My notes there are kept)",
            lambda: export_dossier_file(app, company_id),
        )


def export_dossier_file(app: App, company_id: int) -> None:
    """Write the brief in a thread worker (the dossier's warm paths take a moment), then say where it is."""

    def write() -> None:
        from researcher.interop.markdown import export_dossier, save_markdown

        with Notebook(app.db_path, create=False) as nb:  # type: ignore[attr-defined]
            company, text = export_dossier(nb, company_id)
        path = save_markdown(documents_folder() / f"{company.slug}.md", text)
        app.call_from_thread(app.notify, f"Dossier written to {path}", title="Exported", markup=False)

    app.run_worker(write, thread=True, exclusive=True, group="export-dossier", exit_on_error=False)
