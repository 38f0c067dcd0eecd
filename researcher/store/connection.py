"""Opening a notebook file: checked before SQLite touches it, owner-only, WAL, foreign keys, migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from researcher.store.errors import (
    NotANotebook,
    NotebookMissing,
    NotebookReadOnly,
    NotebookUnavailable,
    from_sqlite,
)
from researcher.store.schema import migrate, survey
from researcher.text import clean_line, fold

BUSY_TIMEOUT_MS = 5000
# How long a removal waits for other connections' reads to end before the log is emptied of its text.
SCRUB_WAIT_MS = 1000
# Index pages one step of a full-text merge writes (about 8 MB, half a second here): each step is a
# transaction of its own, so a sync or the TUI writing meanwhile waits for one step, not for the whole.
SCRUB_MERGE_PAGES = 2000


class NotebookDatabase(Database):
    """sqlite-utils' Database whose transactions take the write lock when they begin, which refuses
    to write a notebook a newer release made, and which scrubs what a removal deleted.

    sqlite-utils' atomic() (which its own table methods use too) begins a deferred transaction:
    its first read takes a snapshot, and if another connection commits before its first write
    (the TUI marking an item read while cron syncs, or the other way round), that write fails at
    once with "database is locked", no busy timeout applied. BEGIN IMMEDIATE makes the other
    writer's commit a short wait instead. Nested blocks stay savepoints.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None):
        super().__init__(conn)
        self.path = path
        # Set when a newer release wrote the notebook: it is open with query_only and every write
        # fails with this reason (a NotebookReadOnly), not SQLite's "attempt to write a readonly database".
        self.read_only_reason: str | None = None
        # Something the user should know that did not stop the opening (a file others could read).
        self.warning: str | None = None
        self._fts_to_scrub: set[str] = set()
        self._log_to_scrub = False

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.read_only_reason:
            raise NotebookReadOnly(self.read_only_reason)
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
        if self._log_to_scrub:
            self._scrub()

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            if self.read_only_reason and "readonly" in str(exc):
                raise NotebookReadOnly(self.read_only_reason) from None
            raise

    def forget(self, fts_tables: Iterable[str] = ()) -> None:
        """After a removal: drop the removed rows' words from these full-text indexes, and the removed
        text from the write-ahead log (SQLite's secure_delete already zeroes the freed cells and pages).

        FTS5 keeps a removed row's tokens in its index segments until they are all merged into one
        (that merge drops them); it costs a rewrite of the whole index, a step at a time (about 40 s for
        a million news items here, under a second for thousands). SQLite 3.42's 'secure-delete' option
        removes only the row's tokens, but this Python's SQLite is older, and a file it has touched
        cannot be searched by an older one. Inside a transaction this waits for its end.
        """
        if self.path is None:
            return  # an in-memory notebook leaves nothing behind
        self._fts_to_scrub.update(fts_tables)
        self._log_to_scrub = True
        if not self.conn.in_transaction:
            self._scrub()

    @property
    def scrub_pending(self) -> bool:
        """True while removed text may still be in the write-ahead log: another connection was reading
        an older state of the notebook; it is tried again when this one closes."""
        return self._log_to_scrub

    def _scrub(self) -> None:
        # The removal is committed whatever happens here: a failure (the disk full) leaves the scrub
        # pending, to be tried again when the notebook closes, rather than reporting the removal failed.
        try:
            for table in sorted(self._fts_to_scrub):
                self._merge_fully(f"{table}_fts")
                self._fts_to_scrub.discard(table)
            # TRUNCATE copies the log into the file and empties it once no other connection reads an
            # older state of the notebook (that reader may still need the old pages): it waits a little.
            self.conn.execute(f"PRAGMA busy_timeout = {SCRUB_WAIT_MS}")
            try:
                busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error:
            return
        self._log_to_scrub = bool(busy)

    def _merge_fully(self, fts: str) -> None:
        """Merge every segment of a full-text index into one, a step at a time ('optimize' in one go
        would hold the write lock for the whole rewrite). A step that writes nothing means it is done."""
        while True:
            before = self.conn.total_changes
            self.execute(f"INSERT INTO [{fts}] ([{fts}], rank) VALUES ('merge', ?)", [-SCRUB_MERGE_PAGES])
            if self.conn.total_changes - before < 2:
                return

    def close(self) -> None:
        if self._log_to_scrub and not self.conn.in_transaction:
            self._scrub()
        super().close()


def _prepare(conn: sqlite3.Connection, path: Path | None = None) -> NotebookDatabase:
    db = NotebookDatabase(conn, path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Freed cells and pages are zeroed: removed text does not linger in the file. Many builds (this
    # one) default to it, some do not; it is set here so it never depends on the build.
    db.execute("PRAGMA secure_delete = ON")
    # Accent- and case-insensitive filtering ("societe" finds "Société").
    conn.create_function("fold", 1, lambda s: fold(s) if s is not None else None, deterministic=True)
    return db


def connect(path: str | os.PathLike | None, create: bool = True) -> NotebookDatabase:
    """Open the notebook at `path` (creating it if missing, unless create=False); None or ':memory:'
    gives an in-memory one. Raises NotebookUnavailable (one line naming the path) for anything that
    is not a notebook it may open, before writing to it."""
    if path is None or str(path) == ":memory:":
        db = _prepare(sqlite3.connect(":memory:", check_same_thread=False))
        migrate(db)
        return db
    file = Path(path).expanduser()
    created = _claim(file, create)
    conn = sqlite3.connect(str(file), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db = _prepare(conn, file)
        _open(db, file)
    except sqlite3.Error as exc:  # "file is not a database", a damaged first page...
        conn.close()
        error = from_sqlite(exc)
        raise type(error)(f"cannot open {file}: {error}") from None
    except BaseException:
        conn.close()
        raise
    # Only once it is known to be a notebook: another program's file keeps the mode its owner chose.
    db.warning = None if created else _owner_only(file)
    return db


def _claim(file: Path, create: bool) -> bool:
    """Check the path before SQLite touches it (SQLite would write a -journal beside a device, and
    create nothing useful in a missing folder); create a missing notebook file, owner-only. True if created."""
    try:
        mode = os.stat(file).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a parent that is a file, a folder we may not enter...
        raise NotebookUnavailable(f"cannot open {file}: {exc.strerror}; give another --db path") from None
    if mode is not None:
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise NotANotebook(f"{file} is {what}, not a notebook; give another --db path")
        return False
    folder = file.parent
    if not folder.is_dir():
        raise NotebookMissing(f"folder {folder} does not exist; create it first or give another --db path")
    if not create:
        raise NotebookMissing(f"no notebook at {file}; `researcher company add ...` or `researcher` creates one")
    try:
        # Readable by its owner only; SQLite gives -wal and -shm the same mode.
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        if not file.is_file():  # a link to nowhere: SQLite would create its target
            raise NotANotebook(f"{file} is a link to a missing file; give another --db path") from None
        return False
    except OSError as exc:
        raise NotebookUnavailable(f"cannot create {file}: {exc.strerror}; give another --db path") from None
    return True


def _owner_only(file: Path) -> str | None:
    """Make a notebook that others may read (and its -wal and -shm) owner-only, as a new one is made;
    a warning for the user if that cannot be done. Files of another user are theirs to set."""
    for each in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        try:
            info = os.stat(each)
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                os.chmod(each, stat.S_IMODE(info.st_mode) & 0o700)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{each} can be read by other users and could not be made private ({exc.strerror}); chmod 600 it"
    return None


def _open(db: NotebookDatabase, file: Path) -> None:
    """Refuse another program's database, open a newer release's notebook read-only, migrate the rest."""
    found = survey(db)
    if not found.empty and not found.is_notebook:
        names = sorted(clean_line(name)[:40] for name in found.tables)
        listed = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        raise NotANotebook(f"{file} is not a researcher notebook (it has tables: {listed}); give another --db path")
    reason = found.newer_reason
    if reason:
        db.read_only_reason = reason
        db.execute("PRAGMA query_only = ON")
        return
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    # A 16 MB page cache (SQLite's default is 2 MB): the full-text index rereads its
    # pages on every write, and with the default a sync of 15,000 items made 5 million
    # pread calls. (mmap was no faster and counts the mapped file in the resident size.)
    db.execute("PRAGMA cache_size = -16384")
    migrate(db, found)


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
            conn.execute("PRAGMA secure_delete = ON")
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
