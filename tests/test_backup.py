"""Backups: a consistent copy while others write; never over a file unless forced; restore checks first."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher import cli as cli_module
from researcher.cli import main
from researcher.interop.backup import backup
from researcher.store import Notebook
from researcher.store.bulk import content_digest, verify


def invoke(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


@pytest.fixture
def notebook(tmp_path) -> Path:
    db = tmp_path / "notebook.db"
    with Notebook(db) as nb:
        nb.add_company("Acme", sector="Fintech")
        for n in range(200):
            nb.add_note(f"note {n} " + "words " * 50, company="acme")
    return db


def test_a_backup_while_another_connection_writes_is_consistent(notebook, tmp_path):
    """A writer adds a company and its note in one transaction, in a loop: every copy is a whole notebook
    that passes integrity_check, and holds as many of one as of the other."""
    stop = threading.Event()
    written = [0]

    def write() -> None:
        with Notebook(notebook) as nb:
            while not stop.is_set():
                with nb.atomic():
                    company = nb.add_company(f"Writer {written[0]}")
                    nb.add_note("written while backing up " * 20, company=company.id)
                written[0] += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = []
        with Notebook(notebook) as nb:
            for n in range(5):
                while written[0] < 5 * (n + 1):  # (some writes between two copies)
                    threading.Event().wait(0.01)
                copies.append(backup(nb, tmp_path / f"copy-{n}.db"))
    finally:
        stop.set()
        writer.join()
    assert written[0] >= 25
    counts = []
    for done in copies:
        path = Path(done["path"])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not Path(f"{path}-wal").exists()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
        writers = conn.execute("SELECT count(*) FROM companies WHERE name LIKE 'Writer %'").fetchone()[0]
        notes = conn.execute("SELECT count(*) FROM notes WHERE body LIKE 'written while%'").fetchone()[0]
        conn.close()
        assert writers == notes
        counts.append(writers)
        with Notebook(path) as copy:
            assert verify(copy) == []
    assert counts == sorted(counts) and counts[-1] > counts[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_cli_refuses_to_overwrite_unless_forced(notebook, tmp_path):
    target = tmp_path / "backup.db"
    first = invoke(notebook, "backup", str(target))
    assert first.exit_code == 0 and first.stdout.startswith(f"Backed up to {target}"), first.output
    with Notebook(notebook) as nb:
        nb.add_company("Later")
    again = invoke(notebook, "backup", str(target))
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: '") and again.stderr.endswith("' exists; add --force to overwrite it\n")
    with Notebook(target) as copy:
        assert [c.name for c in copy.companies()] == ["Acme"]
    forced = invoke(notebook, "backup", str(target), "--force", "--json")
    assert forced.exit_code == 0, forced.output
    with Notebook(target) as copy:
        assert [c.name for c in copy.companies()] == ["Acme", "Later"]


@pytest.mark.parametrize(
    "where, message",
    [
        ("no/such/folder/b.db", "does not exist"),
        (".", "is a folder"),
        ("notebook.db", "exists; add --force"),
    ],
)
def test_cli_bad_targets_are_one_line(notebook, tmp_path, monkeypatch, where, message):
    monkeypatch.chdir(tmp_path)
    result = invoke(notebook, "backup", where)
    assert result.exit_code == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert invoke(notebook, "backup", "notebook.db", "--force").stderr.startswith("Error: the backup would overwrite")


def test_restore_puts_the_backup_back_and_others_see_it(notebook, tmp_path, monkeypatch):
    target = tmp_path / "backup.db"
    assert invoke(notebook, "backup", str(target)).exit_code == 0
    with Notebook(target) as copy:
        saved = content_digest(copy)
    with Notebook(notebook) as nb:
        nb.add_company("After the backup")
    reader = Notebook(notebook)  # open elsewhere meanwhile
    refused = invoke(notebook, "restore", str(target))
    assert refused.exit_code == 1 and refused.stderr.rstrip().endswith("add --force to confirm")
    monkeypatch.setattr(cli_module, "_stdin_is_terminal", lambda: True)
    assert invoke(notebook, "restore", str(target), input="n\n").exit_code != 0
    assert [c.name for c in reader.companies()] == ["Acme", "After the backup"]
    done = invoke(notebook, "restore", str(target), input="y\n")
    assert done.exit_code == 0, done.output
    assert [c.name for c in reader.companies()] == ["Acme"]
    reader.close()
    with Notebook(notebook) as nb:
        assert content_digest(nb) == saved and verify(nb) == []
        assert nb.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a database at all" * 100, "not a researcher notebook (nor any SQLite database)"),
        (None, "is not a researcher notebook"),
        (b"", "is not a researcher notebook"),
    ],
)
def test_restore_refuses_what_is_not_a_sound_notebook(notebook, tmp_path, content, message):
    bad = tmp_path / "bad.db"
    if content is None:  # another program's database
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE things (x)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    with Notebook(notebook) as nb:
        before = content_digest(nb)
    result = invoke(notebook, "restore", str(bad), "--force")
    assert result.exit_code == 1 and message in result.stderr, result.output
    assert len(result.stderr.splitlines()) == 1
    with Notebook(notebook) as nb:
        assert content_digest(nb) == before


def test_restore_refuses_a_damaged_backup(notebook, tmp_path):
    target = tmp_path / "backup.db"
    assert invoke(notebook, "backup", str(target)).exit_code == 0
    data = bytearray(target.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # a page in the middle of the notes
    target.write_bytes(bytes(data))
    result = invoke(notebook, "restore", str(target), "--force")
    assert result.exit_code == 1 and "damaged" in result.stderr, result.output
    with Notebook(notebook) as nb:
        assert len(nb.notes(company="acme")) == 200
