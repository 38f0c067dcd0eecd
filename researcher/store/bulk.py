"""Bulk loading of a fresh notebook (generated benchmarks and fixtures): big batches, one transaction per table."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from researcher.store.errors import Invalid
from researcher.store.schema import FTS_TABLES

if TYPE_CHECKING:
    from researcher.store.notebook import Notebook

BATCH = 20_000
# The page cache while loading (the notebook's usual is 16 MB): a little more helps the sorts that
# make the indexes again and the full-text index's merges (about 20% at 200,000 news items; 256 MB
# was no faster and a quarter of a gigabyte bigger).
LOAD_CACHE_MIB = 64


# FTS5 keeps this many bytes of new postings in memory before it writes them out as a segment of its
# index (1 MB by default): a million news items made about 190 small segments, merged and merged
# again. With 64 MB, indexing them took 4 s of CPU instead of 18-22 s.
FTS_HASH_BYTES = 64 << 20
FTS_DEFAULT_HASH_BYTES = 1 << 20


class BulkLoader:
    """Writes many rows with ids chosen by the caller into the empty tables of a notebook.

    Each insert() is one transaction of executemany batches. New news items wait in news_fts_pending
    like a sync's, and finish() indexes them in one statement, then runs ANALYZE and a checkpoint.
    """

    def __init__(self, nb: Notebook, cache_mib: int = LOAD_CACHE_MIB):
        self.nb = nb
        self._cache = nb.db.execute("PRAGMA cache_size").fetchone()[0]
        nb.db.execute(f"PRAGMA cache_size = {-int(cache_mib) * 1024}")

    def _columns(self, table: str) -> set[str]:
        rows = self.nb.db.execute("SELECT name FROM pragma_table_info(?)", [table]).fetchall()
        if not rows:
            raise Invalid(f"no table {table!r} in this notebook")
        return {r[0] for r in rows}

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert `rows` (tuples in the order of `columns`) into the empty `table`; returns how many.

        In the same transaction, the table's indexes are dropped and made again after the rows (one
        sort instead of a million scattered inserts: 2-3 times faster for the news), and a full-text
        index fed by an insert trigger is rebuilt once instead; a unique index still refuses duplicates
        when it is made again, and any failure rolls all of it back.
        """
        known = self._columns(table)
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise Invalid(f"table {table} has no column {unknown[0]!r}")
        db = self.nb.db
        if db.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:
            raise Invalid(f"bulk loading needs an empty {table} table")
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        count = 0
        rows = iter(rows)
        with db.atomic():
            indexes, triggers = self._set_aside(table)
            while batch := list(itertools.islice(rows, BATCH)):
                db.conn.executemany(sql, batch)
                count += len(batch)
            for statement in indexes + triggers:
                db.execute(statement)
            if triggers:
                db.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
        return count

    def _set_aside(self, table: str) -> tuple[list[str], list[str]]:
        """Drop the table's own indexes and the triggers that feed its full-text index on insert;
        returns the statements that make them again (indexes, triggers)."""
        db = self.nb.db
        found = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL"
            " AND (type = 'index' OR (type = 'trigger' AND sql LIKE '%AFTER INSERT%' AND instr(sql, ?) > 0))",
            [table, f"{table}_fts"],
        ).fetchall()
        for kind, name, _ in found:
            db.execute(f'DROP {kind.upper()} "{name}"')
        return [sql for kind, _, sql in found if kind == "index"], [sql for kind, _, sql in found if kind == "trigger"]

    def finish(self) -> dict[str, float]:
        """Index the queued news items, link them to the people and companies they name, gather the planner's
        statistics, fold the log into the file; returns the seconds each step took."""
        steps = {
            "search index": self._index_news,
            "names in the news": self.nb.link_mentions,
            "ANALYZE": lambda: self.nb.db.execute("ANALYZE"),
            "checkpoint": self.nb.checkpoint,
        }
        took = {}
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            took[name] = time.perf_counter() - started
        self.nb.db.execute(f"PRAGMA cache_size = {self._cache}")
        return took

    def _index_news(self) -> None:
        db, fts = self.nb.db, "news_items_fts"
        try:
            db.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', ?)", [FTS_HASH_BYTES])
        except sqlite3.DatabaseError:  # an SQLite without that setting: the default does, only slower
            self.nb.index_news()
            return
        try:
            self.nb.index_news()
        finally:  # a sync stores a few hundred items at a time: the default suits it
            db.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', ?)", [FTS_DEFAULT_HASH_BYTES])


def _virtual_tables(db: Any) -> list[str]:
    return [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
    ]


def data_tables(nb: Notebook) -> list[str]:
    """The notebook's own tables, by name: no SQLite internals, no full-text index or its shadow tables."""
    virtual = _virtual_tables(nb.db)
    names = [
        r[0]
        for r in nb.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return [n for n in names if n not in virtual and not any(n.startswith(v + "_") for v in virtual)]


def table_counts(nb: Notebook) -> dict[str, int]:
    """Rows in each of the notebook's own tables."""
    return {t: nb.db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in data_tables(nb)}


def content_digest(nb: Notebook) -> str:
    """A SHA-256 of every row of every data table (not the migration log, whose rows carry the time
    they ran): two notebooks with the same digest hold the same data."""
    digest = hashlib.sha256()
    for table in data_tables(nb):
        if table == "_sqlite_migrations":
            continue
        digest.update(f"\0{table}\0".encode())
        for row in nb.db.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def verify(nb: Notebook) -> list[str]:
    """What is wrong with the notebook file, one line each (empty when nothing is): SQLite's integrity
    check, broken foreign keys, and each full-text index checked against its table."""
    db = nb.db
    problems = [r[0] for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        problems.append(f"{len(broken)} rows point to a missing row (first: {table} {rowid} -> {parent})")
    pending = db.execute("SELECT count(*) FROM news_fts_pending").fetchone()[0]
    if pending:
        problems.append(f"{pending} news items wait to be indexed")
    for table in FTS_TABLES:
        fts = f"{table}_fts"
        try:
            # rank 1: also compare the index with the table it indexes (external content).
            db.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{fts}: {exc}")
    return problems
