"""Shared fixtures: an in-memory notebook, a notebook file path, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from researcher.store import Notebook


@pytest.fixture(autouse=True)
def _no_real_notebook(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test ever opens the user's own notebook: the default location points into a temp dir."""
    monkeypatch.delenv("RESEARCHER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture(autouse=True)
def _companies_first(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app opens on Companies in tests, as it did before Today: their notebooks have targets and the tests are
    about other screens. Tests of the first-screen rule (Today first when a company is in play) ask for
    `today_first`."""
    if "today_first" not in request.fixturenames:
        monkeypatch.setattr("researcher.tui.app.ResearcherApp.today_first", False)


@pytest.fixture
def today_first() -> None:
    """The first-screen rule as users get it: Today first when a company is target, applied or interviewing."""


@pytest.fixture
def nb():
    """An empty in-memory notebook."""
    notebook = Notebook(":memory:")
    yield notebook
    notebook.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A notebook file path inside the test's temp dir (not created yet)."""
    return tmp_path / "notebook.db"


@pytest.fixture
def run_cli(db_path: Path) -> Callable[..., Result]:
    """Run `researcher --db <db_path> ARGS...`; pass `input=` for stdin."""
    from researcher.cli import main

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(main, ["--db", str(db_path), *args], input=input, env=env, prog_name="researcher")

    return run


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The demo notebook, written once per test session."""
    from researcher.interop.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo(path)
    return path


@pytest.fixture
def demo_db(demo_master, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the demo notebook, with today pinned to 2026-11-25 (stable timelines and snapshots)."""
    from researcher import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 25))
    path = tmp_path / "demo.db"
    shutil.copy(demo_master, path)
    return path
