"""One error path in the TUI: a failing worker, a store error or a bug, is one notification line, never a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual import work

from researcher.store import Notebook
from researcher.tui.app import make_app


async def test_a_failing_worker_is_one_notification_and_the_app_goes_on(tmp_path: Path):
    path = tmp_path / "n.db"
    Notebook(path).close()
    app = make_app(path)
    failures = [
        sqlite3.OperationalError("database is locked"),
        ValueError("boom \x1b]0;pwned\x07 [b]markup[/b]"),
    ]

    @work(thread=True, exit_on_error=False)
    def fail(self, exc: Exception) -> None:
        raise exc

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for exc in failures:
            fail(app, exc)
            await pilot.pause(0.2)
        messages = [n.message for n in app._notifications if n.title == "Error"]
        assert messages[0].startswith("the notebook is busy")
        assert messages[1].startswith("unexpected failure (ValueError: boom") and "\x1b" not in messages[1]
        assert "[b]markup[/b]" in messages[1]  # shown literally
        await pilot.press("2")  # still answering keys
        await pilot.pause()
        assert app.screen.__class__.__name__ == "PeopleScreen"
