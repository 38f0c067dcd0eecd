"""The sync: fetch due feeds concurrently, parse changed bodies on every core, store each feed in one transaction.

A plain object driven by the CLI or a TUI worker; it reports progress through a callback
and never imports the UI.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import random
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from researcher.store import Notebook
from researcher.store.connection import BackgroundCheckpoints
from researcher.store.errors import from_sqlite
from researcher.store.models import Feed
from researcher.sync.fastrss import Declined
from researcher.sync.fetch import (
    DEADLINE,
    MAX_BYTES,
    Fetched,
    FetchError,
    describe,
    fetch_file,
    fetch_http,
    local_path,
    make_client,
    validator,
)
from researcher.sync.lifeline import guard_worker
from researcher.sync.parse import ParsedFeed, parse_bytes, stream_bytes

PER_HOST = 2
BACKOFF_BASE = 15 * 60  # seconds after the first failure, doubling after each further one
BACKOFF_CAP = 24 * 3600
# Below this many bodies to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 8
# New items are folded into the search index in batches of about this many (and at the end):
# FTS5 indexes a batch far faster than the same items one feed at a time.
INDEX_BATCH = 3000
# Bodies this big are parsed and stored a batch of entries at a time, in this process (when they
# are plain RSS 2.0 or Atom 1.0; others still go to a worker whole).
STREAM_BYTES = 1 << 20
# Feeds with nothing new (304, identical body) have their row updated in batches of this many.
QUIET_BATCH = 200


@dataclass
class FeedOutcome:
    """What happened to one feed, as the progress callback sees it."""

    url: str
    company: str
    outcome: str  # new | not_modified | unchanged | failed
    new_items: int = 0
    updated_items: int = 0
    error: str | None = None
    done: int = 0
    total: int = 0


@dataclass
class SyncReport:
    feeds: int = 0
    fetched: int = 0
    not_modified: int = 0
    unchanged: int = 0
    parsed: int = 0
    failed: int = 0
    new_items: int = 0
    updated_items: int = 0
    skipped_not_due: int = 0
    seconds: float = 0.0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _stamp(at: datetime) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def backoff_seconds(error_count: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter after the n-th consecutive failure, capped at a day."""
    rng = rng or random
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, error_count - 1))
    return min(BACKOFF_CAP, delay * rng.uniform(0.8, 1.2))


def pool_context():
    """The multiprocessing context of the app's worker processes (the sync's parsers, the Sectors screen's
    reader)."""
    # forkserver: clean children whatever threads the caller runs (the TUI does), feedparser preloaded.
    if os.name != "posix":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Each worker re-runs the main script (the `researcher` console script: `from researcher.cli
    # import main`) before its first task; with researcher.cli preloaded in the server that import
    # is a lookup, not 0.2 s of CPU per worker. (Python 3.11's forkserver cannot preload
    # "__main__" itself: it never receives the main script's path.)
    context.set_forkserver_preload(["researcher.sync.parse", "researcher.sync.lifeline", "researcher.cli"])
    return context


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Within this block SIGTERM stops a sync as Ctrl-C does: asyncio cancels it (the feeds already stored
    stay stored, the parse workers are shut down) and KeyboardInterrupt comes out of Syncer.run().
    For the CLI: signal handlers belong to the main thread, so elsewhere (a TUI worker) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum, frame) -> None:
        # Whatever handles SIGINT now: asyncio.run's handler while a sync runs (it cancels the main task).
        handler = signal.getsignal(signal.SIGINT)
        if not callable(handler):
            raise KeyboardInterrupt
        handler(signal.SIGINT, frame)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def start_parse_server() -> None:
    """Start the forkserver now, before a full-screen UI takes over the terminal's descriptors."""
    if os.name == "posix":
        from multiprocessing import forkserver

        pool_context()
        forkserver.ensure_running()


class Syncer:
    """Refresh the feeds of one notebook. Open one per thread: it opens its own connection."""

    def __init__(
        self,
        db_path: str | os.PathLike,
        jobs: int = 16,
        progress: Callable[[FeedOutcome], None] | None = None,
        deadline: float = DEADLINE,
        max_bytes: int = MAX_BYTES,
    ):
        self.db_path = Path(db_path)
        self.jobs = max(1, jobs)
        self.progress = progress or (lambda outcome: None)
        self.deadline = deadline
        self.max_bytes = max_bytes
        self._pool: Executor | None = None
        self._use_pool = False
        self._cancelled = False
        self._quiet: list[tuple[int, int, dict]] = []  # see _quiet_fetch
        self._checkpointer: BackgroundCheckpoints | None = None
        self._indexed_at = 0  # new items when the search index last caught up

    def cancel(self) -> None:
        """Stop starting new fetches; feeds already stored stay stored."""
        self._cancelled = True

    def run(self, company: str | int | None = None, include_not_due: bool = False) -> SyncReport:
        return asyncio.run(self.run_async(company, include_not_due))

    async def run_async(self, company: str | int | None = None, include_not_due: bool = False) -> SyncReport:
        started = time.monotonic()
        with Notebook(self.db_path) as nb:
            feeds = nb.feeds_due(company, include_not_due=include_not_due)
            report = SyncReport(feeds=len(feeds))
            report.skipped_not_due = nb.count_feeds(company, active_only=True) - len(feeds)
            if feeds:
                # The pool starts with the first body to parse: a warm sync (all 304s) never pays for it.
                self._use_pool = len(feeds) > POOL_THRESHOLD and (os.cpu_count() or 1) > 1
                self._checkpointer = nb.background_checkpoints() if len(feeds) > POOL_THRESHOLD else None
                try:
                    await self._run_all(nb, feeds, report)
                finally:
                    try:
                        self._flush_quiet(nb)
                        nb.index_news()
                    except sqlite3.OperationalError:
                        # The notebook is busy or full: nothing is lost. The feeds whose rows these were are
                        # fetched again next time, and a search brings the index up to date first.
                        self._quiet = []
                    finally:
                        if self._checkpointer is not None:
                            self._checkpointer.stop()
                            self._checkpointer = None
                        if self._pool is not None:
                            self._pool.shutdown(wait=True, cancel_futures=True)
                            self._pool = None
            try:
                # Names added since (or a notebook just migrated): the readers leave the pass over every item to
                # the sync; it goes a batch per transaction, so the app's writes wait one batch at most.
                nb.link_mentions()
            except sqlite3.OperationalError:
                pass  # busy or full: the next sync goes on from where this one stopped
        report.seconds = round(time.monotonic() - started, 3)
        return report

    async def _run_all(self, nb: Notebook, feeds: list[Feed], report: SyncReport) -> None:
        limit = asyncio.Semaphore(self.jobs)
        backlog = asyncio.Semaphore(2 * (os.cpu_count() or 1) + 2)  # downloaded bodies not yet stored
        hosts: dict[str, asyncio.Semaphore] = {}
        done = 0
        async with make_client(self.jobs) as client:

            async def one(feed: Feed) -> None:
                nonlocal done
                host = (urlsplit(feed.url).hostname or "").lower()
                gate = hosts.setdefault(host, asyncio.Semaphore(PER_HOST))
                # The host's gate first: feeds queued behind a busy host must not hold job slots
                # that feeds on other hosts could use. The gates cover the download only: parsing
                # and storing happen after, so the next download of the host starts meanwhile,
                # unless every parse slot is taken (then fetching more would only pile up bodies).
                async with gate, limit:
                    if self._cancelled:
                        return
                    now = datetime.now(UTC)
                    fetched = await self._fetch_guarded(client, feed)
                    await backlog.acquire()
                try:
                    outcome = await self._sync_feed(nb, feed, fetched, report, now)
                except Exception as exc:  # storing it failed (the notebook locked for too long, say): this feed only
                    outcome = self._store_failed(nb, feed, exc, report, now)
                finally:
                    backlog.release()
                if self._checkpointer is not None:
                    self._checkpointer.restart_if_oversized()
                if report.new_items - self._indexed_at >= INDEX_BATCH:
                    self._indexed_at = report.new_items
                    nb.index_news()
                done += 1
                outcome.done, outcome.total = done, len(feeds)
                self.progress(outcome)

            await asyncio.gather(*(one(f) for f in feeds))

    async def _fetch(self, client, feed: Feed) -> Fetched:
        path = local_path(feed.url)
        if path is not None:
            return await fetch_file(path, self.max_bytes)
        return await fetch_http(client, feed.url, feed.etag, feed.last_modified, self.max_bytes)

    async def _parse(self, body: bytes, headers: dict[str, str]) -> ParsedFeed:
        if self._use_pool and self._pool is None:
            self._use_pool = False  # once: after a failure below, parse in threads
            self._pool = ProcessPoolExecutor(
                max_workers=os.cpu_count() or 2,
                mp_context=pool_context(),
                initializer=guard_worker,  # a worker dies with this process, even by kill -9
                initargs=(os.getpid(),),
            )
        pool = self._pool
        if pool is not None:
            try:
                # Submitted from a thread: the first submissions start the workers, which waits for
                # the fork server to finish its imports, and the loop keeps fetching meanwhile.
                # (parse_bytes itself: its module is preloaded in the workers, a task imports nothing.)
                future = await asyncio.to_thread(pool.submit, parse_bytes, body, headers)
            except (BrokenProcessPool, RuntimeError):  # broken, or shut down after another feed broke it
                future = None
            if future is not None:
                try:
                    return await asyncio.wrap_future(future)
                except BrokenProcessPool:
                    pass
            # A worker died (killed for memory, say): not the feeds' fault; parse here from now on.
            if self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
        return await asyncio.to_thread(parse_bytes, body, headers)

    async def _fetch_guarded(self, client, feed: Feed) -> Fetched | BaseException:
        """The download, or what stopped it (every failure of one feed stays with that feed)."""
        try:
            return await asyncio.wait_for(self._fetch(client, feed), timeout=self.deadline)
        except TimeoutError:  # the deadline of this sync, not the module default that describe() knows
            return FetchError(f"timed out after {self.deadline:g} s")
        except Exception as exc:
            return exc

    async def _sync_feed(
        self, nb: Notebook, feed: Feed, fetched: Fetched | BaseException, report: SyncReport, now: datetime
    ) -> FeedOutcome:
        outcome = FeedOutcome(feed.url, feed.company or "", "failed")
        if isinstance(fetched, BaseException):
            return self._failed(nb, feed, fetched, report, outcome, now)
        report.fetched += 1
        validators = {
            "etag": fetched.etag or validator(feed.etag),
            "last_modified": fetched.last_modified or validator(feed.last_modified),
            "next_attempt_at": None,
            "error_count": 0,
        }
        if fetched.moved_to:
            validators["url"] = fetched.moved_to
        if fetched.status == 304:
            report.not_modified += 1
            self._quiet_fetch(nb, feed.id, 304, validators)
            outcome.outcome = "not_modified"
            return outcome
        digest = hashlib.sha256(fetched.body).hexdigest()
        if fetched.incomplete:
            # What arrived is stored, but nothing may say that the feed is known up to here: no
            # validator, no hash, so the next sync fetches it whole.
            validators.update(etag=None, last_modified=None)
            digest = None
        elif digest == feed.content_hash:
            # Many servers ignore validators: an identical body costs no parse.
            report.unchanged += 1
            self._quiet_fetch(nb, feed.id, 200, {**validators, "content_hash": digest})
            outcome.outcome = "unchanged"
            return outcome
        stored = (
            self._store_streamed(nb, feed, fetched, digest, validators)
            if len(fetched.body) >= STREAM_BYTES and not fetched.incomplete
            else None
        )
        if stored is None:
            head = fetched.body[:512].lstrip().lower()
            looks_html = "html" in fetched.headers.get("content-type", "") or head.startswith(
                (b"<!doctype html", b"<html")
            )
            try:
                parsed = await self._parse(fetched.body, fetched.headers)
            except Exception as exc:
                return self._failed(nb, feed, FetchError(f"could not parse: {describe(exc)}"), report, outcome, now)
            finally:
                fetched.body = b""  # let a big body go before the next feed
            report.parsed += 1
            if not parsed.entries and not parsed.version:
                if fetched.incomplete:
                    return self._failed(nb, feed, FetchError(fetched.incomplete), report, outcome, now)
                reason = "not a feed (an HTML page: try `researcher feed discover`)" if looks_html else "not a feed"
                detail = f": {parsed.error}" if parsed.error and not looks_html else ""
                return self._failed(nb, feed, FetchError(reason + detail), report, outcome, now)
            warning = f"warning: {parsed.error}" if parsed.bozo and parsed.error else None
            if fetched.incomplete:
                warning = f"warning: {fetched.incomplete}; the rest comes with the next sync"
            elif not parsed.well_formed:
                # Not XML to its end (a close-delimited body cut short looks whole to HTTP): the same.
                validators.update(etag=None, last_modified=None)
                digest = None
            stored = nb.save_fetch(
                feed.id,
                parsed.entries,
                title=parsed.title,
                status=200,
                error=warning,
                content_hash=digest,
                **validators,
            )
        else:
            fetched.body = b""
            report.parsed += 1
        new, updated = stored
        report.new_items += new
        report.updated_items += updated
        outcome.outcome, outcome.new_items, outcome.updated_items = "new", new, updated
        return outcome

    def _store_streamed(
        self, nb: Notebook, feed: Feed, fetched: Fetched, digest: str, validators: dict
    ) -> tuple[int, int] | None:
        """A big plain RSS 2.0 or Atom 1.0 body, read and stored a batch of entries at a time, here: shipping it
        to a worker and its 20,000 entries back would hold it three times over. Returns (new,
        updated), or None when the body is not such a feed (nothing stored: parse it whole)."""
        streamed = stream_bytes(fetched.body, fetched.headers)
        if streamed is None:
            return None
        try:
            return nb.save_fetch(
                feed.id,
                streamed.entries(),
                title=lambda: streamed.meta().title,
                status=200,
                error=None,
                content_hash=digest,
                **validators,
            )
        except Declined:
            return None  # left the subset part way: the savepoint is rolled back, feedparser parses it all

    def _store_failed(self, nb: Notebook, feed: Feed, exc: Exception, report: SyncReport, now: datetime) -> FeedOutcome:
        outcome = FeedOutcome(feed.url, feed.company or "", "failed")
        if isinstance(exc, (sqlite3.OperationalError, MemoryError)):
            # The machine's fault (another writer held the notebook too long, a full disk), not the feed's:
            # no backoff, and no write that would wait for the lock again. The feed stays due.
            return self._report_failure(feed, FetchError(f"could not store: {from_sqlite(exc)}"), report, outcome)
        error = FetchError(f"could not store: {describe(exc)}")
        try:
            return self._failed(nb, feed, error, report, outcome, now)
        except Exception:  # the notebook refuses even that: the report still says so
            return self._report_failure(feed, error, report, outcome)

    @staticmethod
    def _report_failure(feed: Feed, error: FetchError, report: SyncReport, outcome: FeedOutcome) -> FeedOutcome:
        report.failed += 1
        report.errors.append({"url": feed.url, "company": feed.company or "", "error": describe(error)})
        outcome.error = describe(error)
        return outcome

    def _quiet_fetch(self, nb: Notebook, feed_id: int, status: int, validators: dict) -> None:
        # Nothing to store but the feed's row: written with others in one transaction. A sync
        # killed before it loses only these rows, and the next sync gets its 304s again.
        self._quiet.append((feed_id, status, validators))
        if len(self._quiet) >= QUIET_BATCH:
            self._flush_quiet(nb)

    def _flush_quiet(self, nb: Notebook) -> None:
        if self._quiet:
            nb.save_fetches_without_entries(self._quiet)
            self._quiet = []

    def _failed(
        self, nb: Notebook, feed: Feed, exc: BaseException, report: SyncReport, outcome: FeedOutcome, now: datetime
    ) -> FeedOutcome:
        message = describe(exc)
        status = getattr(exc, "status", None)
        gone = status == 410
        retry_after = getattr(exc, "retry_after", None)
        if gone:
            next_attempt = None
        elif status in (429, 503) and retry_after is not None:
            next_attempt = _stamp(now + timedelta(seconds=min(BACKOFF_CAP, retry_after)))
        else:
            next_attempt = _stamp(now + timedelta(seconds=backoff_seconds(feed.error_count + 1)))
        nb.record_feed_failure(feed.id, message, status, next_attempt, gone=gone)
        report.failed += 1
        report.errors.append({"url": feed.url, "company": feed.company or "", "error": message})
        outcome.error = message
        return outcome
