"""The store: the only code that writes SQL. Open a notebook with `Notebook(path)`."""

from researcher.store.errors import (
    Ambiguous,
    Invalid,
    NotANotebook,
    NotebookBusy,
    NotebookMissing,
    NotebookReadOnly,
    NotebookUnavailable,
    NotFound,
    ResearcherError,
    from_sqlite,
)
from researcher.store.notebook import Notebook, network_of

__all__ = [
    "Ambiguous",
    "Invalid",
    "NotFound",
    "Notebook",
    "NotANotebook",
    "NotebookBusy",
    "NotebookMissing",
    "NotebookReadOnly",
    "NotebookUnavailable",
    "ResearcherError",
    "from_sqlite",
    "network_of",
]
