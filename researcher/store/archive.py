"""The notebook as a whole: its user tables read and loaded row by row (JSON export and import), and copied
(backup and restore) through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from researcher.store.bulk import BulkLoader, data_tables
from researcher.store.errors import Invalid, NotANotebook, NotebookUnavailable, from_sqlite
from researcher.store.schema import survey

# Every table that holds what a user owns, parents before children: the one list the JSON export and
# import, the drift test and the Datasette metadata test read. A new user table goes here.
USER_TABLES: tuple[str, ...] = (
    "settings",
    "profile_checklist",
    "companies",
    "feeds",
    "news_items",
    "org_units",
    "terms",
    "people",
    "positions",
    "relationships",
    "approach",
    "status_changes",
    "interactions",
    "invitations",
    "notes",
    "term_drills",
    "term_dismissals",
    "imported_contacts",
    "career_events",
)
# The notebook's other tables and why they are not exported (made again from the others, or bookkeeping).
NOT_EXPORTED: dict[str, str] = {
    "_sqlite_migrations": "the migration log: the importing release writes its own",
    "news_fts_pending": "news items waiting for the search index: the import indexes everything",
    # Members in the news are found again from the names and the news (Notebook.link_mentions, after the load).
    "news_people": "which news items name which person: found again after the import",
    "news_companies": "which news items name which company: found again after the import",
    "news_orgs": "untracked organisations named in the news: found again after the import",
    "mention_queue": "names waiting to be searched for in the news: the import queues every name",
    "mention_state": "the name matcher's version: bookkeeping",
}


class _DryRun(Exception):
    """Raised inside the load's transaction to roll it back after counting."""


class ArchiveQueries:
    """Mixin of Notebook: whole-notebook reads, loads and copies."""

    def unlisted_tables(self) -> list[str]:
        """Tables of this notebook neither exported nor knowingly left out (a drift to fix in USER_TABLES)."""
        return [t for t in data_tables(self) if t not in USER_TABLES and t not in NOT_EXPORTED]

    def schema_version(self) -> int:
        """The notebook's schema mark (PRAGMA user_version: how many migrations made it)."""
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def table_columns(self, table: str) -> list[str]:
        return [r[1] for r in self.db.execute("SELECT * FROM pragma_table_info(?) ORDER BY cid", [table])]

    def _order_by(self, table: str) -> str:
        info = self.db.execute("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]).fetchall()
        return ", ".join(f'"{name}"' for name, _ in info) or "rowid"

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent state of the notebook for several reads, whatever other connections write meanwhile."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")  # deferred: the first read fixes the state every later read sees
        try:
            yield
        finally:
            conn.execute("COMMIT")

    def table_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a user table as a dict of all its columns, in primary-key order."""
        if table not in USER_TABLES:
            raise Invalid(f"{table} is not a table of the notebook's data")
        cursor = self.db.conn.execute(f'SELECT * FROM "{table}" ORDER BY {self._order_by(table)}')
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    def is_empty(self) -> bool:
        """True when no user table holds a row (a notebook an import may fill)."""
        return not any(self.db.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0] for t in USER_TABLES)

    def load_tables(self, tables: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]], dry_run: bool) -> None:
        """Fill the empty notebook with `tables` ({table: (columns, rows)}) in one transaction, checked: every
        row's references must point to rows loaded too. With dry_run, everything is checked, nothing kept. An
        error the rows raise while they are read (a bad value) rolls everything back too."""
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        loader = BulkLoader(self)
        loaded = False
        try:
            with self.db.atomic():
                if not self.is_empty():
                    raise Invalid("the notebook is not empty: import into a new one (--db NEW.db); nothing was changed")
                # References are checked once every table is in (a unit's parent may come after it).
                self.db.execute("PRAGMA defer_foreign_keys = ON")
                for table in USER_TABLES:
                    if table in tables:
                        columns, rows = tables[table]
                        loader.insert(table, columns, rows)
                self._check_references()
                self.index_news()
                if dry_run:
                    raise _DryRun
            loaded = True
        except _DryRun:
            pass
        except sqlite3.Error as exc:
            raise from_sqlite(exc) from None
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")
        if loaded:
            loader.finish()  # the planner's statistics, and the log folded into the file

    def _check_references(self) -> None:
        broken = self.db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            raise Invalid(
                f"{table} row {rowid} points to a {parent} row the file does not hold{more}; nothing was changed"
            )

    # -- copies ------------------------------------------------------------------------------------------

    def backup_into(self, target: sqlite3.Connection) -> None:
        """Copy the whole notebook into `target`, one consistent state of it even while others write, as one
        file (no -wal beside it) that passed its integrity check.

        In one step (pages=-1): a copy in several steps starts over whenever another connection writes
        between two of them, and a busy sync would keep it from ever finishing.
        """
        try:
            self.db.conn.backup(target)
            # One file that needs no -wal beside it (opened as the notebook again, it goes back to WAL).
            target.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in target.execute("PRAGMA integrity_check") if r[0] != "ok"]
        except sqlite3.Error as exc:
            raise from_sqlite(exc) from None
        if problems:
            raise NotebookUnavailable(f"the copy failed its integrity check ({problems[0][:120]}); no backup written")

    def backup_to_file(self, path: Path) -> None:
        """backup_into() a new SQLite file at `path` (made by the caller, empty)."""
        try:
            copy = sqlite3.connect(str(path))
        except sqlite3.Error as exc:
            raise from_sqlite(exc) from None
        try:
            self.backup_into(copy)
        finally:
            copy.close()

    def restore_from(self, source: Path) -> None:
        """Replace every page of this notebook with the notebook at `source`, checked first (integrity,
        a notebook of this release or an earlier one); other connections see the restored notebook."""
        conn = check_copy(source)
        try:
            conn.backup(self.db.conn)
        except sqlite3.Error as exc:
            raise from_sqlite(exc) from None
        finally:
            conn.close()


def check_copy(path: Path) -> sqlite3.Connection:
    """Open a backup read-only and check it is a sound notebook this release can open; the open connection."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotebookUnavailable(f"cannot open {path}: {from_sqlite(exc)}") from None
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if problems:
            raise NotebookUnavailable(f"{path} is damaged ({problems[0][:120]}); it was not restored")
        found = survey(conn_database(conn))
        if not found.is_notebook:
            raise NotANotebook(f"{path} is not a researcher notebook; it was not restored")
        if found.newer_reason:
            raise NotebookUnavailable(f"{path}: {found.newer_reason}")
    except sqlite3.Error as exc:
        conn.close()
        raise NotebookUnavailable(f"cannot read {path}: {from_sqlite(exc)}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def conn_database(conn: sqlite3.Connection):
    """sqlite-utils' view of a plain connection (what survey() reads through)."""
    from sqlite_utils import Database

    return Database(conn)
