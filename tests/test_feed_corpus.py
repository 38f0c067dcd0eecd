"""feedparser's own ~2,100 test documents, each a file:// feed: fetch -> parse -> store without an exception,
and every entry feedparser finds is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest

from researcher.store import Notebook
from researcher.sync.engine import Syncer, SyncReport

CORPUS = Path(__file__).resolve().parent / "corpora" / "feedparser-tests"


@dataclass
class Synced:
    docs: list[Path]
    url_of: dict[Path, str]
    db: Path
    report: SyncReport


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Synced:
    """One notebook, one company, one file:// feed per document, synced once with 16 jobs."""
    docs = sorted(CORPUS.rglob("*.xml"))
    assert len(docs) > 2000, f"only {len(docs)} documents in {CORPUS}"
    db = tmp_path_factory.mktemp("corpus") / "notebook.db"
    with Notebook(db) as nb:
        nb.add_company("Corpus")
        with nb.atomic():
            url_of = {doc: nb.add_feed("Corpus", doc.as_uri()).url for doc in docs}
    report = Syncer(db, jobs=16).run()
    return Synced(docs, url_of, db, report)


def reference(doc: Path):
    """What feedparser itself finds in the document."""
    return feedparser.parse(doc.read_bytes())


def test_every_document_is_fetched_and_no_feed_fails_with_an_exception(synced: Synced):
    report = synced.report
    assert report.feeds == report.fetched == len(synced.docs)
    with Notebook(synced.db) as nb:
        feeds = {f.url: f for f in nb.feeds()}
    errors = {e["url"]: e["error"] for e in report.errors}
    assert len(errors) == report.failed

    wrong = []
    for doc in synced.docs:
        f = feeds[synced.url_of[doc]]
        if not f.error_count:
            assert doc.as_uri() not in errors
            continue
        ref = reference(doc)
        where = str(doc.relative_to(CORPUS))
        if not f.last_error.startswith("not a feed"):
            wrong.append(f"{where}: failed with {f.last_error!r}")
        elif ref.entries or ref.get("version"):
            wrong.append(
                f"{where}: 'not a feed', yet feedparser finds {len(ref.entries)} entries, "
                f"version {ref.get('version')!r}"
            )
    assert not wrong, f"{len(wrong)} documents failed wrongly; the first 20:\n" + "\n".join(wrong[:20])


def test_every_entry_feedparser_finds_is_stored(synced: Synced):
    with Notebook(synced.db) as nb:
        stored = {f.url: f.item_count for f in nb.feeds()}
        total = nb.db.execute("SELECT count(*) FROM news_items").fetchone()[0]

    mismatches = []
    expected_total = 0
    for doc in synced.docs:
        expected = len(reference(doc).entries)
        expected_total += expected
        got = stored[synced.url_of[doc]]
        if got != expected:
            mismatches.append(f"{doc.relative_to(CORPUS)}: {got} stored, feedparser finds {expected}")
    assert not mismatches, (
        f"{len(mismatches)} documents stored a different number of entries; the first 20:\n"
        + "\n".join(mismatches[:20])
    )
    assert total == expected_total == synced.report.new_items


def test_a_second_sync_of_the_same_documents_parses_nothing_and_adds_nothing(synced: Synced):
    with Notebook(synced.db) as nb:
        before = nb.db.execute("SELECT count(*) FROM news_items").fetchone()[0]
        # Not well-formed XML may be a body cut short: stored, with a warning, and no hash, so it is read again.
        unsure = nb.db.execute(
            "SELECT count(*) FROM feeds WHERE error_count = 0 AND content_hash IS NULL AND last_error LIKE 'warning:%'"
        ).fetchone()[0]

    again = Syncer(synced.db, jobs=16).run()

    ok = len(synced.docs) - synced.report.failed
    assert 0 < unsure < ok / 5
    assert (again.feeds, again.unchanged, again.parsed, again.failed) == (ok, ok - unsure, unsure, 0)
    assert again.skipped_not_due == synced.report.failed  # the failures back off
    assert (again.new_items, again.updated_items) == (0, 0)
    with Notebook(synced.db) as nb:
        assert nb.db.execute("SELECT count(*) FROM news_items").fetchone()[0] == before
