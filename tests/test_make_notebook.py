"""The notebook generator (benchmarks/make_notebook.py) and the store's bulk loader it writes through."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher.cli import main as researcher
from researcher.store import Invalid, Notebook
from researcher.store.bulk import BulkLoader, content_digest, table_counts, verify

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "make_notebook.py"
TODAY = date(2026, 3, 1)
SMALL = {"people": 500, "news": 5000, "today": TODAY, "log": lambda *_: None}


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebook", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_notebook():
    return _generator()


@pytest.fixture(scope="module")
def small(make_notebook, tmp_path_factory) -> Path:
    """A small generated notebook (500 people, 5,000 news items), built once for the module."""
    path = tmp_path_factory.mktemp("generated") / "small.db"
    make_notebook.build(path, seed=3, **SMALL)
    return path


def test_the_same_seed_builds_the_same_notebook(make_notebook, small, tmp_path):
    make_notebook.build(tmp_path / "again.db", seed=3, **SMALL)
    make_notebook.build(tmp_path / "other.db", seed=4, **SMALL)
    with Notebook(small) as a, Notebook(tmp_path / "again.db") as b, Notebook(tmp_path / "other.db") as c:
        assert content_digest(a) == content_digest(b)
        assert content_digest(a) != content_digest(c)


def test_the_notebook_is_valid(small):
    with Notebook(small) as nb:
        assert verify(nb) == []  # integrity, foreign keys, every full-text index against its table
        # The loader's bigger FTS5 buffer is gone: a sync indexes with SQLite's default.
        hashsize = nb.db.execute("SELECT v FROM news_items_fts_config WHERE k = 'hashsize'").fetchone()
        assert hashsize in (None, (1 << 20,))
    assert not Path(f"{small}-wal").exists() or Path(f"{small}-wal").stat().st_size == 0


def test_every_screen_has_something_to_show(small):
    with Notebook(small) as nb:
        counts = table_counts(nb)
        # The queues were indexed and linked; nobody has drilled or dismissed a term yet; the generated news write
        # companies without a legal form, so names no organisation the careers do not; no export was imported.
        assert [t for t, n in counts.items() if n == 0] == [
            "career_events",
            "imported_contacts",
            "mention_queue",
            "news_fts_pending",
            "news_orgs",
            "term_dismissals",
            "term_drills",
        ]
        assert counts["news_people"] > 0 and counts["news_companies"] > 0
        assert counts["people"] == 500 and counts["news_items"] == 5000
        assert counts["companies"] == 30 and counts["feeds"] == 60  # the rest scales with the people
        me = nb.me()
        assert me is not None and len(nb.relationships_of(me.id)) >= 100
        assert nb.follow_ups_due(TODAY.isoformat())
        assert nb.gone_quiet(TODAY.isoformat())
        assert 0.05 < nb.offline_count() / 500 < 0.15
        statuses = {c.status for c in nb.companies()}
        assert {"target", "applied", "interviewing", "researching", "watching"} <= statuses
        news = nb.news()
        unread = sum(not n.read for n in news)
        assert 0.05 < unread / len(news) < 0.2
        assert any(n.starred for n in news) and len(news) < 5000  # some deleted
        biggest = max(nb.companies(), key=lambda c: c.people_count)
        assert nb.org_tree(biggest.id) and nb.notes(company=biggest.id) and nb.terms(biggest.id)


def test_the_store_and_the_cli_read_it(small):
    with Notebook(small) as nb:
        companies = nb.companies()
        assert len(companies) == 30
        assert len(nb.people(limit=10)) == 10
        assert len(nb.news(limit=10)) == 10
        word = companies[0].name.split()[0]  # the news write a company's name without its legal form
        assert {hit["kind"] for hit in nb.search(word, limit=500)} >= {"company", "news"}
    runner = CliRunner()
    listed = runner.invoke(researcher, ["--db", str(small), "company", "list"])
    assert listed.exit_code == 0 and companies[0].name in listed.output
    news = runner.invoke(researcher, ["--db", str(small), "news", "--limit", "5"])
    assert news.exit_code == 0 and len(news.output.splitlines()) == 5


def test_an_existing_notebook_is_not_replaced_without_force(make_notebook, tmp_path, capsys):
    path = tmp_path / "mine.db"
    path.write_bytes(b"my notes")
    assert make_notebook.main(["--db", str(path), "--people", "50", "--news", "10"]) == 1
    assert "--force" in capsys.readouterr().err and path.read_bytes() == b"my notes"


def test_a_failed_bulk_insert_leaves_the_table_and_its_indexes_as_they_were():
    with Notebook(":memory:") as nb:
        loader = BulkLoader(nb)
        loader.insert(
            "companies", ("id", "slug", "name_key", "name", "created_at", "updated_at"), [(1, "a", "a", "A", "t", "t")]
        )
        indexes = nb.db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'terms'").fetchall()
        duplicate = [(1, 1, "OKR", "t"), (2, 1, "OKR", "t")]  # terms are unique per company
        with pytest.raises(sqlite3.IntegrityError):
            loader.insert("terms", ("id", "company_id", "term", "created_at"), duplicate)
        assert nb.db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'terms'").fetchall() == indexes
        assert nb.db.execute("SELECT count(*) FROM terms").fetchone()[0] == 0
        with pytest.raises(Invalid):  # ids are the caller's: only into an empty table
            loader.insert("companies", ("id", "slug", "name_key", "name", "created_at", "updated_at"), [])
