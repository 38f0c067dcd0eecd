"""Forgetting a person: every row about them erased, and not a byte of it left in the file or its log."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher import cli as cli_module
from researcher.cli import main
from researcher.store import Notebook, NotFound
from researcher.store.bulk import verify
from researcher.sync.parse import Entry
from researcher.tui.app import make_app
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from tests.test_secure_delete import traces

# One distinctive word per place the person's data lives.
WORDS = (
    "Zorbulax",  # name
    "quillfeather",  # email
    "Mirthwobble",  # headline
    "Fennimorre",  # position title
    "Glimmerdusk",  # note about them
    "Brackenvow",  # interaction
    "Thistlewane",  # invitation
    "Cobblestrand",  # how they know someone
    "Wispenhallow",  # next step of the approach
)


def fill(nb: Notebook) -> int:
    nb.add_company("Keeper Works", sector="Tools")
    nb.add_person("Me Myself", me=True)
    nb.add_person("Ann Other", company="keeper-works", title="Engineer")
    person = nb.add_person(
        "Zorbulax Quaint",
        headline="Mirthwobble expert",
        email="quillfeather@example.org",
        company="keeper-works",
        title="Fennimorre lead",
    )
    nb.add_note("met at the Glimmerdusk meetup", person=person.id)
    nb.add_interaction(person.id, "email", "asked about Brackenvow")
    nb.save_invitation(person.id, "Your Thistlewane talk was great, may I connect?")
    nb.add_relationship("me-myself", person.id, strength=2, how="Cobblestrand club")
    nb.add_relationship(person.id, "ann-other", kind="worked_with")
    nb.set_approach(person.id, status="to contact", next_step="ask Wispenhallow", next_action_at="2026-12-01")
    nb.add_note("Zorbulax Quaint knows the CTO", company="keeper-works")  # others' text naming them
    feed = nb.add_feed("keeper-works", "https://keeper.example/feed")
    nb.save_fetch(
        feed.id, [Entry("e1", "Zorbulax Quaint joins Keeper Works", "A new lead.", None, "2026-01-01T00:00:00Z", "h")]
    )
    nb.index_news()
    nb.link_mentions()
    return person.id


def test_forget_erases_every_row_and_every_byte(tmp_path):
    db = tmp_path / "n.db"
    with Notebook(db) as nb:
        pid = fill(nb)
        assert nb.db.execute("SELECT count(*) FROM news_people WHERE person_id = ?", [pid]).fetchone() == (1,)
        words = [w for w in WORDS if w != "Zorbulax"]  # (the name is also in a news item and a company note)
        assert traces(db, words) == set(words), "the scan sees the text while it is there"
        reader = sqlite3.connect(db)  # the TUI, say, open on the same notebook
        reader.execute("SELECT count(*) FROM people").fetchone()

        report = nb.forget_person("zorbulax-quaint")

        assert report.erased == {
            "people": 1,
            "positions": 1,
            "relationships": 2,
            "approach": 1,
            "status_changes": 1,
            "interactions": 1,
            "invitations": 1,
            "notes": 1,
            "news_people": 1,
        }
        assert report.still_named == [{"table": "notes", "id": 2}]
        assert traces(db, words) == set()
        with pytest.raises(NotFound):
            nb.person("zorbulax-quaint")
        for table in ("positions", "approach", "interactions", "invitations", "news_people", "status_changes"):
            assert nb.db.execute(f"SELECT count(*) FROM {table} WHERE person_id = ?", [pid]).fetchone() == (0,)
        assert nb.search("quillfeather") == [] and nb.search("mirthwobble") == []
        assert [p.name for p in nb.people()] == ["Ann Other", "Me Myself"]
        assert verify(nb) == []
        reader.close()


def test_a_manager_link_to_them_is_cut_not_the_position(tmp_path):
    with Notebook(tmp_path / "n.db") as nb:
        fill(nb)
        ann = nb.positions_of("ann-other")[0]
        nb.db.execute("UPDATE positions SET manager_id = (SELECT id FROM people WHERE slug = 'zorbulax-quaint')")
        report = nb.forget_preview("zorbulax-quaint")
        assert report.unlinked == {"positions": 2}  # (theirs is erased too, and counted there)
        nb.forget_person("zorbulax-quaint")
        assert nb.positions_of("ann-other")[0].id == ann.id


def invoke(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


@pytest.fixture
def filled(tmp_path) -> Path:
    db = tmp_path / "n.db"
    with Notebook(db) as nb:
        fill(nb)
    return db


def test_cli_asks_first_and_without_a_terminal_wants_yes(filled):
    result = invoke(filled, "person", "forget", "zorbulax")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: forgetting Zorbulax Quaint erases people 1, approach 1, interactions 1, invitations 1, news people 1,"
    )
    assert result.stderr.rstrip().endswith("add --yes to confirm")
    with Notebook(filled) as nb:
        assert nb.person("zorbulax-quaint")


def test_cli_asks_on_a_terminal(filled, monkeypatch):
    monkeypatch.setattr(cli_module, "_stdin_is_terminal", lambda: True)
    no = invoke(filled, "person", "forget", "zorbulax", input="n\n")
    assert no.exit_code != 0 and "Erase Zorbulax Quaint for good" in no.stderr
    with Notebook(filled) as nb:
        assert nb.person("zorbulax-quaint")
    yes = invoke(filled, "person", "forget", "zorbulax", input="y\n")
    assert yes.exit_code == 0, yes.output
    assert yes.stdout.startswith("Forgot Zorbulax Quaint (zorbulax-quaint): people 1,")
    assert "Their name still appears in text about others: notes 2" in yes.stdout
    assert traces(filled, WORDS[1:]) == set()


def test_cli_json(filled):
    result = invoke(filled, "person", "forget", "zorbulax", "--yes", "--json")
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.stdout)
    assert report["name"] == "Zorbulax Quaint" and report["erased"]["notes"] == 1


def within_timeout(test):
    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=30)

    return run


async def _settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _palette(pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


@within_timeout
async def test_tui_palette_forgets_after_asking(filled):
    app = make_app(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        with Notebook(filled) as nb:
            app.open_person(nb.person("zorbulax-quaint").id)
        await _settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await _palette(pilot, "Forget this person")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # no: nothing happens
        await _settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        with Notebook(filled) as nb:
            assert nb.person("zorbulax-quaint")
        await _palette(pilot, "Forget this person")
        await pilot.press("y")
        await _settle(pilot)
        assert not isinstance(app.screen, PersonScreen | ConfirmModal)
        messages = [(n.severity, str(n.message)) for n in app._notifications]
        assert ("information", "Forgot Zorbulax Quaint: 10 records erased") in messages
        assert not [m for m in messages if m[0] == "error"], messages
    with Notebook(filled) as nb:
        with pytest.raises(NotFound):
            nb.person("zorbulax-quaint")
    assert traces(filled, WORDS[1:]) == set()
