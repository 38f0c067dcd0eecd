"""The TUI on a notebook it may only read (written by a newer release): it says so, and `s` does not start a sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from researcher.store import Notebook
from researcher.tui.app import make_app


async def test_a_newer_releases_notebook_opens_read_only_and_says_so(tmp_path: Path):
    path = tmp_path / "newer.db"
    with Notebook(path) as nb:
        nb.add_company("Acme")
        nb.add_feed("acme", "http://127.0.0.1:9/feed.xml")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("newer researcher" in m for m in shown), shown
        await pilot.press("s")
        await pilot.pause()
        assert app.sync_state is None  # no sync started
        assert sum("newer researcher" in n.message for n in app._notifications) == 2
    assert path.read_bytes() == before
