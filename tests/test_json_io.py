"""The whole notebook as JSON: export, import into an empty notebook, export again gives the same bytes."""

from __future__ import annotations

import importlib.util
import io
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from researcher.cli import main
from researcher.interop.demo import write_demo
from researcher.interop.json_io import export_json, import_json
from researcher.store import Invalid, Notebook
from researcher.store.archive import NOT_EXPORTED, USER_TABLES
from researcher.store.bulk import content_digest, data_tables, verify

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "make_notebook.py"


def exported(nb: Notebook) -> str:
    out = io.StringIO()
    export_json(nb, out)
    return out.getvalue()


def invoke(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


@pytest.fixture(scope="module")
def make_notebook():
    spec = importlib.util.spec_from_file_location("make_notebook", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo(path, overwrite=True)
    return path


def test_every_user_table_is_exported_or_knowingly_left_out(tmp_path):
    """Drift: a table a migration adds must join USER_TABLES (or NOT_EXPORTED, with its reason)."""
    with Notebook(tmp_path / "n.db") as nb:
        tables = set(data_tables(nb))
        assert nb.unlisted_tables() == [], "add these tables to researcher.store.archive.USER_TABLES"
    assert set(USER_TABLES) <= tables and set(NOT_EXPORTED) <= tables
    assert not set(USER_TABLES) & set(NOT_EXPORTED)


def test_the_drift_check_sees_a_new_table(tmp_path):
    with Notebook(tmp_path / "n.db") as nb:
        nb.db.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
        assert nb.unlisted_tables() == ["bookmarks"]


def test_demo_round_trip_is_byte_identical(demo, tmp_path):
    with Notebook(demo) as a:
        first = exported(a)
        digest = content_digest(a)
    with Notebook(tmp_path / "copy.db") as b:
        summary = import_json(b, first.encode())
        assert exported(b) == first
        assert verify(b) == []  # integrity, references, every search index against its table
        assert summary["rows"] == sum(len(rows) for rows in json.loads(first)["tables"].values())
        assert [hit["kind"] for hit in b.search("payments")][:1] == ["news"]
        assert content_digest(b) == digest


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), people=st.integers(20, 80), news=st.integers(0, 300))
def test_generated_notebooks_round_trip_byte_identical(make_notebook, tmp_path_factory, seed, people, news):
    folder = tmp_path_factory.mktemp("gen")
    make_notebook.build(
        folder / "a.db", seed=seed, people=people, news=news, today=date(2026, 3, 1), log=lambda *_: None
    )
    with Notebook(folder / "a.db") as a:
        first = exported(a)
        digest = content_digest(a)
    with Notebook(folder / "b.db") as b:
        import_json(b, first.encode())
        assert exported(b) == first
        assert content_digest(b) == digest
        assert verify(b) == []


# Text a user could type or paste, and text that came from elsewhere: accents, emoji, quotes, newlines, and
# characters JSON or a terminal treat specially (the store cleans controls and overrides when they come in).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(name=TEXT, body=TEXT, term=TEXT)
def test_any_text_round_trips(name, body, term):
    with Notebook(None) as a:
        try:
            company = a.add_company("Acme " + name, description=body)
            a.add_note(body + " note", company=company.id)
            a.add_term("t " + term, body, company=company.id)
            a.add_person("P " + name, company=company.id, title="Engineer " + term)
        except Invalid:
            return  # (a name that is blank once cleaned)
        first = exported(a)
    json.loads(first)
    assert not any(c in first for c in "\x1b\x9b\u202e\ud800")
    with Notebook(None) as b:
        import_json(b, first.encode())
        assert exported(b) == first


def test_cli_round_trip_through_files(demo, tmp_path):
    out = tmp_path / "notebook.json"
    assert invoke(demo, "export", "json", "-o", str(out)).exit_code == 0
    stdout = invoke(demo, "export", "json").stdout
    assert stdout == out.read_text(encoding="utf-8")
    dry = invoke(tmp_path / "new.db", "import", "json", str(out), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["dry_run"] is True and json.loads(dry.stdout)["tables"]["companies"] == 12
    assert not (tmp_path / "new.db").exists()  # a dry run makes no notebook
    result = invoke(tmp_path / "new.db", "import", "json", str(out))
    assert result.exit_code == 0 and result.stdout.startswith("Imported "), result.output
    again = tmp_path / "again.json"
    assert invoke(tmp_path / "new.db", "export", "json", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_import_refuses_a_notebook_that_is_not_empty(demo, tmp_path):
    out = tmp_path / "notebook.json"
    invoke(demo, "export", "json", "-o", str(out))
    db = tmp_path / "mine.db"
    with Notebook(db) as nb:
        nb.add_company("Mine")
        before = content_digest(nb)
    for extra in ([], ["--dry-run"]):
        result = invoke(db, "import", "json", str(out), *extra)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "Error: the notebook is not empty: import into a new one (--db NEW.db); nothing was changed"
        )
    with Notebook(db) as nb:
        assert content_digest(nb) == before


def test_a_dry_run_changes_nothing(demo, tmp_path):
    with Notebook(demo) as a:
        text = exported(a)
    with Notebook(tmp_path / "b.db") as b:
        summary = import_json(b, text.encode(), dry_run=True)
        assert summary["tables"]["people"] == 73
        assert b.is_empty() and b.search("payments") == []


def _document(**tables) -> bytes:
    return json.dumps({"format": "researcher-notebook", "version": 1, "schema": 1, "tables": tables}).encode()


COMPANY = {
    "id": 1,
    "slug": "acme",
    "name_key": "acme",
    "name": "Acme",
    "status": "watching",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}

BAD_FILES = {
    "not json": (b"{nope", "not valid JSON (line 1)"),
    "not utf-8": (b"\xff\xfe{", "not UTF-8"),
    "another json": (b'{"a": 1}', "not a researcher JSON export"),
    "a list": (b"[1, 2]", "not a researcher JSON export"),
    "newer schema": (
        json.dumps({"format": "researcher-notebook", "version": 1, "schema": 999, "tables": {}}).encode(),
        "written by a newer researcher",
    ),
    "other version": (
        json.dumps({"format": "researcher-notebook", "version": 7, "schema": 1, "tables": {}}).encode(),
        "format version '7'",
    ),
    "unknown table": (_document(bookmarks=[{"id": 1}]), "a table 'bookmarks' this notebook does not know"),
    "unknown column": (_document(companies=[{**COMPANY, "evil": 1}]), "companies has no column 'evil'"),
    "uneven rows": (_document(companies=[COMPANY, {"id": 2}]), "companies row 2 does not have the columns"),
    "nested value": (_document(companies=[{**COMPANY, "name": ["x"]}]), "name is not text, a number or null"),
    "bool value": (_document(companies=[{**COMPANY, "id": True}]), "id is not text, a number or null"),
    "broken reference": (
        _document(
            feeds=[{"id": 1, "company_id": 5, "url": "https://x.example/f", "created_at": "2026-01-01T00:00:00Z"}]
        ),
        "feeds row 1 points to a companies row the file does not hold",
    ),
    "bad status": (_document(companies=[{**COMPANY, "status": "bogus"}]), "CHECK constraint failed"),
    "duplicate slug": (_document(companies=[COMPANY, {**COMPANY, "id": 2}]), "UNIQUE constraint failed"),
}


@pytest.mark.parametrize("data, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_one_line_and_nothing_is_written(tmp_path, data, message):
    file = tmp_path / "bad.json"
    file.write_bytes(data)
    db = tmp_path / "n.db"
    Notebook(db).close()
    result = invoke(db, "import", "json", str(file))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    with Notebook(db) as nb:
        assert nb.is_empty()


def test_imported_text_is_cleaned(tmp_path):
    data = _document(companies=[{**COMPANY, "name": "Acme\x1b[2J\u202eevil", "description": "a\x9bb"}])
    with Notebook(tmp_path / "n.db") as nb:
        import_json(nb, data)
        company = nb.company("acme")
        assert company.name == "Acmeevil"
        assert "\x9b" not in company.description


def test_a_failed_export_leaves_the_earlier_file_whole(demo, tmp_path, monkeypatch):
    out = tmp_path / "notebook.json"
    out.write_text("the earlier export", encoding="utf-8")
    calls = 0
    real = Notebook.table_rows

    def failing(self, table):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(28, "No space left on device")
        yield from real(self, table)

    monkeypatch.setattr(Notebook, "table_rows", failing)
    result = invoke(demo, "export", "json", "-o", str(out))
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot write"), result.output
    assert out.read_text(encoding="utf-8") == "the earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebook.json"]


def test_a_newer_releases_notebook_is_not_exported_in_part(tmp_path):
    db = tmp_path / "newer.db"
    with Notebook(db) as nb:
        nb.add_company("Acme")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    result = invoke(db, "export", "json", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "Error: this notebook was written by a newer researcher; export it with that release"
    )
    assert not (tmp_path / "out.json").exists()
