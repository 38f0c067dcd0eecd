"""The notebook file: what may be opened, notebooks of every earlier release, a newer release's read-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher.cli import main
from researcher.store import Notebook, NotebookUnavailable
from researcher.store.errors import NotANotebook, NotebookMissing, NotebookReadOnly
from researcher.store.schema import MIGRATION_NAMES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"


def state(path: Path) -> tuple[bytes, int, int, list[str]]:
    """The file's bytes, mtime and mode, and what else is in its folder (a -wal, a -journal...)."""
    info = os.stat(path)
    return path.read_bytes(), info.st_mtime_ns, info.st_mode, sorted(p.name for p in path.parent.iterdir())


def cli(path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(path), *args])


def one_error_line(result) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


# -- another program's database -------------------------------------------------


def _foreign(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


FOREIGN = {
    "its own tables": (
        ("CREATE TABLE x (a)", "CREATE TABLE y (b)", "INSERT INTO x VALUES ('theirs')"),
        "it has tables: x, y",
    ),
    "a table named like ours": (("CREATE TABLE companies (id, name)", "INSERT INTO companies VALUES (1, 'theirs')"),),
    "another set of sqlite-utils migrations": (
        (
            "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set, name, applied_at)",
            "INSERT INTO _sqlite_migrations VALUES (1, 'their-app', '001_start', '2026')",
            "CREATE TABLE things (a)",
        ),
        "it has tables: _sqlite_migrations, things",
    ),
}


@pytest.mark.parametrize("case", FOREIGN, ids=list(FOREIGN))
def test_another_programs_database_is_refused_before_anything_is_written(tmp_path, case):
    path = tmp_path / "theirs.sqlite"
    statements, *listed = FOREIGN[case]
    _foreign(path, *statements)
    before = state(path)
    with pytest.raises(NotANotebook) as refused:
        Notebook(path)
    message = str(refused.value)
    assert message.startswith(f"{path} is not a researcher notebook (it has tables: ")
    assert message.endswith("; give another --db path") and "\n" not in message
    if listed:
        assert listed[0] in message
    assert state(path) == before, "no WAL switch, no migrations table, no chmod, nothing beside it"
    assert one_error_line(cli(path, "company", "add", "X")) == f"Error: {message}"
    assert state(path) == before


# -- notebooks of every earlier release -------------------------------------------


def _schema(db) -> set[tuple]:
    return {tuple(row) for row in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}


@pytest.fixture(scope="module")
def current_schema(tmp_path_factory) -> set[tuple]:
    with Notebook(tmp_path_factory.mktemp("fresh") / "fresh.db") as fresh:
        return _schema(fresh.db)


def test_there_is_a_fixture_notebook_for_every_earlier_schema():
    made = {path.stem for path in FIXTURES.glob("*.sqlite")}
    assert made == {f"after_{name[:3]}" for name in MIGRATION_NAMES[:-1]}, "run make_fixtures.py --only ..."


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite")), ids=lambda p: p.stem)
def test_a_notebook_of_an_earlier_release_opens_migrated_with_all_its_data(fixture, tmp_path, current_schema):
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    with Notebook(path) as nb:
        assert nb.read_only_reason is None
        assert _schema(nb.db) == current_schema
        assert nb.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATION_NAMES)
        assert nb.counts() == {
            "companies": 1,
            "people": 3,
            "positions": 3,
            "relationships": 1,
            "feeds": 1,
            "news_items": 2,
            "notes": 3,
            "terms": 1,
            "org_units": 2,
        }
        company = nb.company("quillfeather")
        assert (company.name, company.status, company.people_count, company.unread_count) == (
            "Quillfeather Analytics",
            "target",
            2,
            2,
        )
        assert nb.person("ottoline brackwater").title == "Head of Survey"
        assert [p.title for p in nb.positions_of("ottoline-brackwater")] == ["Surveyor", "Head of Survey"]
        assert nb.me().name == "Me Myself"
        assert [r.other_name for r in nb.relationships_of("me-myself")] == ["Ottoline Brackwater"]
        assert nb.approach("ottoline-brackwater").status == "invited"
        assert len(nb.status_changes("ottoline-brackwater")) == 1
        assert [i.summary for i in nb.interactions_of("ottoline-brackwater")] == ["Invitation sent"]
        assert nb.invitations_of("ottoline-brackwater")[0].text == "Your coastal survey talk was great"
        assert [u.name for u in nb.org_tree("quillfeather")] == ["Survey"]
        assert nb.org_tree("quillfeather")[0].children[0].name == "Coastal survey"
        assert [t.term for t in nb.terms("quillfeather")] == ["Flywheel ledger"]
        assert nb.setting("network_goal") == "42"
        assert len(nb.notes(company="quillfeather")) == len(nb.notes(person="ottoline-brackwater")) == 1
        # Full-text search still finds the old rows, news queued by a killed sync included.
        for word, kind in (
            ("lighthouse", "company"),
            ("brackwater", "person"),
            ("marmalade", "news"),
            ("zeppelin", "news"),
            ("heliotrope", "note"),
            ("flywheel", "term"),
        ):
            assert kind in {hit["kind"] for hit in nb.search(word)}, word
        for table in ("companies", "people", "news_items", "notes", "terms"):
            nb.db.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
        assert nb.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        nb.add_person("Newcomer", company="quillfeather", title="Intern")
        assert nb.search("newcomer")[0]["title"] == "Newcomer"


def test_opening_a_current_notebook_writes_nothing(db_path):
    with Notebook(db_path) as nb:
        nb.add_company("Acme")
    before = state(db_path)
    Notebook(db_path).close()
    assert state(db_path) == before


# -- a newer release's notebook ---------------------------------------------------


@pytest.fixture(params=["a migration this release does not know", "a higher version mark"])
def newer(request, tmp_path) -> tuple[Path, str]:
    path = tmp_path / "newer.db"
    with Notebook(path) as nb:
        company = nb.add_company("Acme")
        nb.add_note("kept as it is", company=company.id)
        feed = nb.add_feed(company.id, "https://acme.example/feed")
        nb.save_fetch(feed.id, [])
    conn = sqlite3.connect(path)
    if request.param.startswith("a migration"):
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('researcher', ?, '2027')",
            ["007_from_the_future"],
        )
        conn.execute("PRAGMA user_version = 7")
        schema = "007_from_the_future"
    else:
        conn.execute("PRAGMA user_version = 99")
        schema = f"version 99; this one knows {len(MIGRATION_NAMES)}"
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path, f"this notebook was written by a newer researcher (schema {schema}); upgrade researcher to change it"


def test_a_newer_releases_notebook_is_read_but_never_written(newer):
    path, reason = newer
    before = state(path)
    with Notebook(path) as nb:
        assert nb.read_only_reason == reason
        assert [c.name for c in nb.companies()] == ["Acme"]
        assert nb.search("kept")[0]["kind"] == "note"
        note = nb.notes(company="acme")[0]
        writes = {
            "add_company": lambda: nb.add_company("Other"),
            "edit_company": lambda: nb.edit_company("acme", sector="Tools"),
            "remove_company": lambda: nb.remove_company("acme"),
            "add_note": lambda: nb.add_note("more", company="acme"),
            "remove_note": lambda: nb.remove_note(note.id),
            "record_feed_failure": lambda: nb.record_feed_failure(1, "boom", 500, None),
            "set_setting": lambda: nb.set_setting("network_goal", "5"),
        }
        for name, write in writes.items():
            with pytest.raises(NotebookReadOnly) as refused:
                write()
            assert str(refused.value) == reason, name
        assert [c.name for c in nb.companies()] == ["Acme"]
    after = state(path)
    assert after[:2] == before[:2], "not one byte written: no migration, no version mark"


def test_writing_to_a_newer_releases_notebook_through_the_cli_is_one_line(newer):
    path, reason = newer
    before = state(path)
    assert one_error_line(cli(path, "company", "add", "X")) == f"Error: {reason}"
    assert state(path)[:2] == before[:2]


# -- where the notebook is --------------------------------------------------------


def test_a_notebook_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path):
    path = tmp_path / "deep" / "er" / "notebook.db"
    with pytest.raises(NotebookMissing) as refused:
        Notebook(path)
    assert str(refused.value) == f"folder {path.parent} does not exist; create it first or give another --db path"
    assert not (tmp_path / "deep").exists()
    assert one_error_line(cli(path, "company", "add", "X")) == f"Error: {refused.value}"
    assert not (tmp_path / "deep").exists()


def test_a_missing_notebook_is_created_unless_told_not_to(tmp_path):
    path = tmp_path / "notebook.db"
    with pytest.raises(NotebookMissing) as refused:
        Notebook(path, create=False)
    assert str(refused.value) == f"no notebook at {path}; `researcher company add ...` or `researcher` creates one"
    assert list(tmp_path.iterdir()) == []
    with Notebook(path) as first_start:
        first_start.add_company("Acme")
    with Notebook(path, create=False) as again:
        assert [c.name for c in again.companies()] == ["Acme"]


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


NOT_FILES = {"a folder": _folder, "a FIFO": _fifo}


@pytest.mark.parametrize("kind", NOT_FILES, ids=list(NOT_FILES))
def test_a_path_that_is_not_a_regular_file_is_refused_before_sqlite_touches_it(tmp_path, kind):
    path = NOT_FILES[kind](tmp_path / "place")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(NotANotebook) as refused:
        Notebook(path)
    assert str(refused.value).startswith(f"{path} is ") and "\n" not in str(refused.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_dev_null_is_refused_and_gets_no_journal_beside_it():
    existed = {p for p in ("/dev/null-journal", "/dev/null-wal") if os.path.exists(p)}
    with pytest.raises(NotANotebook) as refused:
        Notebook("/dev/null")
    assert str(refused.value) == "/dev/null is not a regular file, not a notebook; give another --db path"
    assert {p for p in ("/dev/null-journal", "/dev/null-wal") if os.path.exists(p)} == existed


# -- its mode ---------------------------------------------------------------------


def _modes(path: Path) -> dict[str, int]:
    return {
        suffix: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
        for suffix in ("", "-wal", "-shm")
        if os.path.exists(f"{path}{suffix}")
    }


def test_a_notebook_others_can_read_is_made_owner_only_with_its_log(db_path):
    with Notebook(db_path) as nb:
        nb.add_company("Acme")
    keeper = sqlite3.connect(db_path)  # keeps -wal and -shm in place
    keeper.execute("SELECT count(*) FROM companies").fetchone()
    for suffix in ("", "-wal", "-shm"):
        os.chmod(f"{db_path}{suffix}", 0o644)
    with Notebook(db_path) as nb:
        assert nb.warning is None
        assert _modes(db_path) == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
    keeper.close()


def test_a_notebook_that_cannot_be_made_private_opens_with_a_warning(db_path, monkeypatch):
    Notebook(db_path).close()
    os.chmod(db_path, 0o644)

    def refuse(*_args, **_kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    with Notebook(db_path) as nb:
        assert nb.warning == (
            f"{db_path} can be read by other users and could not be made private (Operation not permitted); chmod 600 it"
        )
        nb.add_company("Acme")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_another_users_notebook_keeps_the_mode_its_owner_chose(db_path):
    Notebook(db_path).close()
    os.chmod(db_path, 0o644)
    os.chown(db_path, 54321, 54321)
    with Notebook(db_path) as nb:
        assert nb.warning is None
    assert _modes(db_path)[""] == 0o644


# -- empty, foreign and damaged files ---------------------------------------------


def test_a_zero_length_file_is_a_new_notebook(db_path):
    db_path.touch()
    with Notebook(db_path) as nb:
        nb.add_company("Acme")
    with Notebook(db_path) as nb:
        assert [c.name for c in nb.companies()] == ["Acme"]


def test_a_file_that_is_not_sqlite_is_one_line_and_left_as_it_was(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my shopping list\n" * 400)
    before = state(path)
    with pytest.raises(NotebookUnavailable) as refused:
        Notebook(path)
    assert str(refused.value) == f"cannot open {path}: this file is not a researcher notebook (nor any SQLite database)"
    assert state(path) == before


def _damage(source: Path, target: Path, page: int, page_size: int = 4096) -> None:
    data = bytearray(source.read_bytes())
    start = max(page * page_size, 100)  # page 0 keeps its header: SQLite still takes the file for its own
    data[start : (page + 1) * page_size] = bytes((i * 37 + 11) % 256 for i in range((page + 1) * page_size - start))
    target.write_bytes(bytes(data))


def test_a_damaged_notebook_is_refused_in_one_line_or_opens(tmp_path):
    """Opening reads the schema and the migrations table only (no full scan): a damaged page among
    those is one NotebookUnavailable line; damage elsewhere is found by the query that reads it."""
    source = tmp_path / "good.db"
    with Notebook(source) as nb:
        nb.add_company("Acme")
        nb.checkpoint()
    pages = source.stat().st_size // 4096
    refused = 0
    for page in range(pages):
        copy = tmp_path / f"damaged-{page}.db"
        _damage(source, copy, page)
        try:
            Notebook(copy).close()
        except NotebookUnavailable as exc:
            assert str(exc).startswith(f"cannot open {copy}: ") and "\n" not in str(exc)
            refused += 1
    assert refused >= 1, "a damaged schema page is refused"
    with pytest.raises(NotebookUnavailable, match="damaged"):
        _damage(source, tmp_path / "first.db", 0)
        Notebook(tmp_path / "first.db")


def test_checking_that_a_notebook_is_writable_leaves_it_free_for_other_writers(tmp_path):

    path = tmp_path / "n.db"
    with Notebook(path) as nb:
        nb.ensure_writable()
        assert not nb.db.conn.in_transaction
        other = sqlite3.connect(path, timeout=0.1)
        other.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
        other.commit()  # would be "database is locked" while the check held its write transaction
        other.close()
