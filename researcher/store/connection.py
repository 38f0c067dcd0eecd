"""Opening a notebook file: owner-only mode, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from researcher.store.schema import migrate
from researcher.text import fold

BUSY_TIMEOUT_MS = 5000


class NotebookDatabase(Database):
    """sqlite-utils' Database whose transactions take the write lock when they begin.

    sqlite-utils' atomic() (which its own table methods use too) begins a deferred transaction:
    its first read takes a snapshot, and if another connection commits before its first write
    (the TUI marking an item read while cron syncs, or the other way round), that write fails at
    once with "database is locked", no busy timeout applied. BEGIN IMMEDIATE makes the other
    writer's commit a short wait instead. Nested blocks stay savepoints.
    """

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def _prepare(conn: sqlite3.Connection) -> Database:
    db = NotebookDatabase(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Accent- and case-insensitive filtering ("societe" finds "Société").
    conn.create_function("fold", 1, lambda s: fold(s) if s is not None else None, deterministic=True)
    return db


def connect(path: str | os.PathLike | None) -> Database:
    """Open (creating if needed) the notebook at `path`; None or ':memory:' gives an in-memory one."""
    if path is None or str(path) == ":memory:":
        db = _prepare(sqlite3.connect(":memory:", check_same_thread=False))
    else:
        file = Path(path).expanduser()
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists():
            # Created readable by its owner only; SQLite gives -wal and -shm the same mode.
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
        db = _prepare(sqlite3.connect(str(file), timeout=BUSY_TIMEOUT_MS / 1000))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        # A 16 MB page cache (SQLite's default is 2 MB): the full-text index rereads its
        # pages on every write, and with the default a sync of 15,000 items made 5 million
        # pread calls. (mmap was no faster and counts the mapped file in the resident size.)
        db.execute("PRAGMA cache_size = -16384")
    migrate(db)
    return db


class BackgroundCheckpoints:
    """Folds the write-ahead log into the database file from a thread of its own, during long
    writing such as a big sync (Notebook.background_checkpoints()).

    SQLite does it every 1,000 pages in the connection that commits, with two fsyncs each time,
    and in a sync that connection is the event loop's: the downloads and the storing waited for
    the disk. A passive checkpoint never blocks the writer, so here it runs beside it, once a second.
    """

    INTERVAL = 1.0
    WAL_LIMIT = 64 << 20  # bytes of log before it is made to start over

    def __init__(self, db: Database, path: Path):
        self._db = db
        self._path = path
        self._stopping = threading.Event()
        self.oversized = False
        db.execute("PRAGMA wal_autocheckpoint = 0")
        self._thread = threading.Thread(target=self._run, name="researcher-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(str(self._path), timeout=5)
        except sqlite3.Error:
            return
        try:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            while not self._stopping.wait(self.INTERVAL):
                _busy, frames, _copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.oversized = frames * page > self.WAL_LIMIT
        except sqlite3.Error:
            pass  # the writing connection checkpoints when it stops anyway
        finally:
            conn.close()

    def restart_if_oversized(self) -> None:
        """Call between two transactions of the writing connection: the log only starts over when a
        checkpoint finds no writer, and a sync is always writing (so it is done here, when the
        passive rounds have left little to copy)."""
        if self.oversized:
            self.oversized = False
            self._db.execute("PRAGMA wal_checkpoint(RESTART)")

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        self._db.execute("PRAGMA wal_autocheckpoint = 1000")
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
