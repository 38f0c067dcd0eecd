"""Vocabulary mining for the TUI, run in a child process: suggest, accept and dismiss read a company's news for a
second or more, all in Python; in a thread they would share the interpreter lock with the event loop, which then
answers keys at half speed (stalls of 0.4 to 1.3 s measured on the biggest company of a 1M-item notebook). This
module imports no textual: the child loads only the store and the insight code.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from researcher.insight import vocabulary
from researcher.store import Notebook

WORK = {
    "suggest": vocabulary.suggest_terms,
    "accept": vocabulary.accept_suggestion,
    "dismiss": vocabulary.dismiss_suggestion,
}


def _work(db_path: str, what: str, company_id: int, args: tuple, kwargs: dict) -> Any:
    """In the child: the same function `researcher term suggest|accept|dismiss` calls, on its own connection."""
    with Notebook(db_path, create=False) as nb:
        return WORK[what](nb, company_id, *args, **kwargs)


def run_apart(db_path: str | os.PathLike, what: str, company_id: int, *args: Any, **kwargs: Any) -> Any:
    """Run one of WORK in a child process and return what it returns (its error raised here). Called from a
    thread worker, which waits without holding the interpreter lock. Where no child can be started (the
    forkserver was not started before the UI took the terminal's descriptors), the work runs here: the same
    result, a slower event loop meanwhile."""
    from researcher.sync.engine import _pool_context  # the app's forkserver: clean children whatever its threads

    call = (os.fspath(db_path), what, company_id, args, kwargs)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=_pool_context())
        future = pool.submit(_work, *call)
    except (OSError, ValueError, BrokenProcessPool):
        return _work(*call)
    with pool:
        try:
            return future.result()
        except BrokenProcessPool:  # the child died (killed): each work is one transaction, so it is run again here
            return _work(*call)
