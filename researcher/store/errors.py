"""Errors the store raises; each message is one line a user can act on."""

from __future__ import annotations

import sqlite3


class ResearcherError(Exception):
    """Base of every error shown to the user as `Error: <message>`."""


class NotFound(ResearcherError):
    """A company, person, feed or note that does not exist."""


class Ambiguous(ResearcherError):
    """A name that matches more than one record."""


class Invalid(ResearcherError):
    """Input that breaks a rule: empty name, bad date, unknown status..."""


class NotebookUnavailable(ResearcherError):
    """The notebook file cannot be used as asked: busy, read-only, damaged, full, not a notebook."""


class NotebookBusy(NotebookUnavailable):
    """Another program held the notebook's write lock for longer than we wait."""


class NotebookMissing(NotebookUnavailable):
    """No notebook at the path, and the caller asked not to create one (or its folder is missing)."""


class NotANotebook(NotebookUnavailable):
    """The path holds something else: another program's database, a folder, a device."""


class NotebookReadOnly(NotebookUnavailable):
    """A newer researcher wrote this notebook: this one reads it but must not change it."""


def from_sqlite(exc: sqlite3.Error | MemoryError) -> ResearcherError:
    """The one line a user reads for an error SQLite raised; nothing was written (the transaction rolled back)."""
    text = str(exc).lower()
    if isinstance(exc, MemoryError) or "out of memory" in text:
        return NotebookUnavailable("out of memory; close other programs and try again (nothing was changed)")
    if "locked" in text or "busy" in text:
        return NotebookBusy(
            "the notebook is busy: another researcher (a sync, the TUI) is writing to it; "
            "try again in a moment (nothing was changed)"
        )
    if "readonly" in text or "read-only" in text:
        return NotebookUnavailable(
            "the notebook is read-only: check the file's permissions (and its folder's), or open a copy "
            "(nothing was changed)"
        )
    if "malformed" in text or "corrupt" in text:
        return NotebookUnavailable(
            "the notebook file is damaged; restore a backup, or recover it with "
            "`sqlite3 notebook.db .recover` (nothing was changed)"
        )
    if "not a database" in text or "file is encrypted" in text:
        return NotebookUnavailable("this file is not a researcher notebook (nor any SQLite database)")
    if "disk is full" in text or "database or disk is full" in text:
        return NotebookUnavailable("the disk is full: free some space and try again (nothing was changed)")
    if "disk i/o" in text or "unable to open" in text:
        return NotebookUnavailable(f"cannot read or write the notebook file ({exc}); check the disk and the path")
    return NotebookUnavailable(f"the notebook refused the change ({exc}); nothing was changed")


def user_message(exc: BaseException) -> str:
    """The one line either face shows for any failure: a store error as it is, SQLite's and the system's
    translated, anything else named as unexpected (a bug to report)."""
    from researcher.text import quoted

    if isinstance(exc, ResearcherError):
        return str(exc)
    if isinstance(exc, sqlite3.Error | MemoryError):
        return str(from_sqlite(exc))
    if isinstance(exc, OSError):
        where = f" {quoted(exc.filename)}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror or exc}"
    return f"unexpected failure ({type(exc).__name__}: {exc}); nothing more was done. Please report it"
