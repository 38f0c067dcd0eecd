"""Removed text leaves the notebook file and its write-ahead log, with another connection open too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from researcher.store import Notebook
from researcher.sync.parse import Entry

# One distinctive word per place a removed person's or company's text lives.
PERSON_WORDS = ("Zyxwvutsrq", "Quokkaberg", "Plinthorama", "Gnarlbuckle", "Brindlewort", "Klaxonette")
COMPANY_WORDS = ("Vexillarium", "Drumblewick", "Snorklefax", "Frobnicular", "Wombleprank", "Quibblestaff", "Tarnhelmig")


def traces(path: Path, words) -> set[str]:
    """The words found in the raw bytes of the file or its -wal: as written (UTF-8) or as FTS5 tokens."""
    found = set()
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            data = file.read_bytes()
            found |= {w for w in words if w.encode() in data or w.lower().encode() in data}
    return found


def entry(n: int, title: str, summary: str) -> Entry:
    return Entry(entry_id=f"e{n}", title=title, summary=summary, link=None, published=None, content_hash=str(n))


def fill(nb: Notebook) -> None:
    nb.add_company("Keeper Works", sector="Tools")
    person = nb.add_person("Zyxwvutsrq Quokkaberg", headline="Plinthorama architect", company="keeper", title="CTO")
    nb.add_note("met at the Gnarlbuckle conference", person=person.id)
    nb.add_interaction(person.id, "email", "asked about Brindlewort")
    nb.save_invitation(person.id, "Your Klaxonette talk was great")
    company = nb.add_company("Vexillarium Systems", description="Drumblewick widgets")
    feed = nb.add_feed(company.id, "https://vexillarium.example/feed")
    nb.save_fetch(feed.id, [entry(n, f"Snorklefax launch {n}", "Frobnicular results " * 20) for n in range(40)])
    nb.index_news()
    nb.save_fetch(feed.id, [entry(99, "Tarnhelmig news", "still queued for the index")])  # not indexed yet
    nb.add_note("Wombleprank is their motto", company=company.id)
    nb.add_term("Quibblestaff", "their word for a sprint", company=company.id)


@pytest.fixture(params=["on", "off"], ids=["build default on", "build default off"])
def build_default(request, monkeypatch) -> None:
    """SQLite builds differ in secure_delete's default (this one's is on): the notebook must not rely on it."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute(f"PRAGMA secure_delete = {request.param}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_removed_people_and_companies_leave_no_text_with_a_reader_open(db_path, build_default):
    nb = Notebook(db_path)
    fill(nb)
    reader = sqlite3.connect(db_path)  # the TUI, say, open on the same notebook
    assert reader.execute("SELECT count(*) FROM people").fetchone() == (1,)
    words = PERSON_WORDS + COMPANY_WORDS
    assert traces(db_path, words) == set(words), "the scan sees text that is there"

    nb.remove_person("zyxwvutsrq-quokkaberg")
    nb.remove_company("vexillarium-systems")

    assert traces(db_path, words) == set()
    assert nb.search("snorklefax") == [] and nb.search("quokkaberg") == []
    assert [hit["title"] for hit in nb.search("keeper")] == ["Keeper Works"]
    assert reader.execute("SELECT count(*) FROM people").fetchone() == (0,)
    reader.close()
    nb.close()


def test_a_reader_in_the_middle_of_a_read_delays_the_scrub_to_the_close(db_path):
    nb = Notebook(db_path)
    fill(nb)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM people").fetchone()  # holds the state before the removal

    nb.remove_person("zyxwvutsrq-quokkaberg")
    assert nb.db.scrub_pending  # the reader may still read those pages
    reader.execute("COMMIT")
    nb.close()

    assert traces(db_path, PERSON_WORDS) == set()
    reader.close()


def test_removed_notes_and_feeds_leave_no_text(db_path, build_default):
    with Notebook(db_path) as nb:
        fill(nb)
        reader = sqlite3.connect(db_path)
        reader.execute("SELECT 1").fetchone()
        note = nb.notes(person="zyxwvutsrq-quokkaberg")[0]
        nb.remove_note(note.id)
        assert traces(db_path, ["Gnarlbuckle"]) == set()
        nb.remove_feed("https://vexillarium.example/feed")
        assert traces(db_path, ["Snorklefax", "Frobnicular", "Tarnhelmig"]) == set()
        assert [c.name for c in nb.companies()] == ["Keeper Works", "Vexillarium Systems"]
        reader.close()
