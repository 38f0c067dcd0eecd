"""The Datasette metadata the project ships names only what the schema has, describes all of it, and loads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from researcher.interop.demo import write_demo
from researcher.store import Notebook
from researcher.store.archive import NOT_EXPORTED, USER_TABLES

METADATA = Path(__file__).resolve().parent.parent / "datasette" / "metadata.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, list[str]]:
    with Notebook(None) as nb:
        return {t: nb.table_columns(t) for t in (*USER_TABLES, *NOT_EXPORTED)}


@pytest.fixture(scope="module")
def tables() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["notebook"]["tables"]


def test_metadata_names_only_tables_and_columns_that_exist(schema, tables):
    with Notebook(None) as nb:
        existing = set(nb.db.table_names())
    assert not set(tables) - existing, "tables in datasette/metadata.json that the schema does not have"
    for table, meta in tables.items():
        columns = set(schema.get(table, []))
        named = set(meta.get("columns", {})) | {meta[k] for k in ("label_column", "sort_desc") if k in meta}
        assert named <= columns, (table, named - columns)


def test_metadata_describes_every_table_and_column(schema, tables):
    """Drift: a table or column a migration adds gets its description (or the table is hidden)."""
    missing = [t for t in schema if t not in tables]
    assert not missing, f"describe these tables in datasette/metadata.json (or hide them): {missing}"
    for table, columns in schema.items():
        meta = tables[table]
        if meta.get("hidden"):
            continue
        assert meta.get("description"), table
        undescribed = [c for c in columns if not meta.get("columns", {}).get(c)]
        assert not undescribed, f"{table}: describe these columns in datasette/metadata.json: {undescribed}"


def _datasette() -> str | None:
    found = Path(sys.executable).parent / "datasette"
    return str(found) if found.exists() else shutil.which("datasette")


@pytest.mark.skipif(_datasette() is None, reason="datasette is not installed (pip install -e '.[datasette]')")
def test_datasette_starts_on_the_demo_with_the_metadata(tmp_path):
    db = tmp_path / "notebook.db"  # (the metadata describes the database named "notebook")
    write_demo(db, overwrite=True)
    with Notebook(db) as nb:
        nb.checkpoint()  # --immutable reads the file alone, not its write-ahead log

    def get(path: str) -> str:
        done = subprocess.run(
            [_datasette(), "--immutable", str(db), "-m", str(METADATA), "--get", path],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    companies = json.loads(get("/notebook/companies.json?_shape=array&_size=100"))
    assert len(companies) == 12
    assert "The companies you follow" in get("/notebook/companies")
