"""The palette's "Forget this person (erase everything)" on a person's screen: asks, then erases in a worker."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.text import Text
from textual.app import SystemCommand
from textual.screen import Screen

from researcher.store import Notebook, ResearcherError
from researcher.store.forget import ForgetReport
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.words import plural

TITLE = "Forget this person (erase everything)"


def forget_commands(screen: Screen) -> Iterator[SystemCommand]:
    """The palette entry, on a person's screen only."""
    from researcher.tui.screens.person import PersonScreen

    if isinstance(screen, PersonScreen) and screen.person is not None:
        yield SystemCommand(
            TITLE, "Their career, links, approach, notes: gone from the file for good", lambda: ask(screen)
        )


def ask(screen) -> None:
    person = screen.person
    if person is None:
        return
    app = screen.app

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        # Their screen goes first: it would read them again when it comes back on top, and find nothing.
        if screen.is_current:
            app.pop_screen()
        app.run_worker(lambda: erase(app, person.id), thread=True, group="forget", exit_on_error=False)

    question = Text.assemble(
        "Erase ",
        safe.line(person.name, style="bold"),
        " and everything about them (career, relationships, approach, interactions, invitations, notes)?"
        " It cannot be undone.",
    )
    app.push_screen(ConfirmModal(question, yes="Forget"), answered)


def erase(app, person_id: int) -> None:
    """In a worker: forget the person with a notebook of its own, then tell and refresh the screens."""
    with Notebook(app.db_path, create=False) as nb:
        report = nb.forget_person(person_id)
    app.call_from_thread(done, app, report)


def done(app, report: ForgetReport) -> None:
    erased = sum(report.erased.values())
    app.notify(f"Forgot {report.name}: {plural(erased, 'record')} erased", markup=False)
    for each in app.screen_stack:  # the lists showed them
        reload = getattr(each, "reload", None)
        if reload is not None and each.is_mounted:
            with contextlib.suppress(ResearcherError):
                reload()
