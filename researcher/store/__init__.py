"""The store: the only code that writes SQL. Open a notebook with `Notebook(path)`."""

from researcher.store.errors import Ambiguous, Invalid, NotFound, ResearcherError
from researcher.store.notebook import Notebook, network_of

__all__ = ["Ambiguous", "Invalid", "NotFound", "Notebook", "ResearcherError", "network_of"]
