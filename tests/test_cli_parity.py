"""The CLI does what the TUI does with news, notes and search, through the same store function each."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher.cli import main
from researcher.insight.search import search as search_hits
from researcher.store import Notebook
from researcher.store.news import PIPELINE
from researcher.tui.app import make_app
from researcher.tui.widgets.note_editor import NoteEditor


def cli(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


def ok(result):
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def failed(result, message: str) -> None:
    """Exit 1, one `Error:` line saying `message`."""
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.fixture
def small(tmp_path) -> Path:
    """Acme (a target) with three news items, Beta (watching) with one, a note on Acme."""
    path = tmp_path / "notebook.db"
    with Notebook(path) as nb:
        acme = nb.add_company("Acme", status="target")
        beta = nb.add_company("Beta Works")
        for company, entries in ((acme, ("Acme opens in Lyon", "Acme hires", "Acme ships")), (beta, ("Beta news",))):
            feed = nb.add_feed(company.id, f"https://{company.slug}.example/feed.xml")
            nb.db.conn.executemany(
                "INSERT INTO news_items (feed_id, company_id, entry_id, title, summary, published, fetched_at)"
                " VALUES (?, ?, ?, ?, 'A zeppelin story', ?, ?)",
                [(feed.id, company.id, t, t, f"2026-03-0{n + 1}", f"2026-03-0{n + 1}") for n, t in enumerate(entries)],
            )
            nb.db.conn.commit()
        nb.add_note("Ask about the **data** team", company="acme")
    return path


def ids(db: Path) -> dict[str, int]:
    with Notebook(db) as nb:
        return {i.title: i.id for i in nb.news()}


def test_news_lists_show_ids_and_filter_by_company_status(small):
    items = json.loads(ok(cli(small, "news", "--json")).stdout)
    # Newest first; of two items of one date, the later stored.
    assert [i["title"] for i in items] == ["Acme ships", "Acme hires", "Beta news", "Acme opens in Lyon"]
    assert all(isinstance(i["id"], int) for i in items)
    lines = ok(cli(small, "news")).stdout.splitlines()
    assert [int(line.split()[0]) for line in lines] == [i["id"] for i in items]
    pipeline = json.loads(ok(cli(small, "news", "--status", "pipeline", "--json")).stdout)
    assert {i["company"] for i in pipeline} == {"Acme"}
    assert json.loads(ok(cli(small, "news", "--status", "closed", "--json")).stdout) == []


def test_news_read_unread_star_unstar_several_items(small):
    item = ids(small)
    marked = json.loads(
        ok(cli(small, "news", "read", str(item["Acme hires"]), str(item["Beta news"]), "--json")).stdout
    )
    assert [(i["title"], i["read"]) for i in marked] == [("Acme hires", True), ("Beta news", True)]
    out = ok(cli(small, "news", "star", str(item["Acme ships"]))).stdout
    assert out.startswith("1 news item starred") and "Acme ships" in out
    ok(cli(small, "news", "unread", str(item["Beta news"])))
    ok(cli(small, "news", "unstar", str(item["Acme ships"])))
    with Notebook(small) as nb:
        state = {i.title: (i.read, i.starred) for i in nb.news()}
    assert state == {
        "Acme ships": (False, False),
        "Acme hires": (True, False),
        "Acme opens in Lyon": (False, False),
        "Beta news": (False, False),
    }


def test_marking_with_one_unknown_id_changes_nothing(small):
    item = ids(small)
    failed(cli(small, "news", "read", str(item["Acme hires"]), "999999"), "no news item with id 999999")
    with Notebook(small) as nb:
        assert nb.count_news(unread=True) == 4
    assert cli(small, "news", "read", "one").exit_code == 2  # not an id: a usage error


def test_news_rm_hides_for_good_and_says_what_it_did(small):
    item = ids(small)
    out = ok(cli(small, "news", "rm", str(item["Acme hires"]))).stdout
    assert "Deleted 1 news item (a later sync does not bring them back)" in out and "Acme hires" in out
    again = json.loads(ok(cli(small, "news", "rm", str(item["Acme hires"]), str(item["Beta news"]), "--json")).stdout)
    assert [i["title"] for i in again["deleted"]] == ["Beta news"] and again["already_deleted"] == [item["Acme hires"]]
    assert (
        "Deleted already, nothing done: " + str(item["Acme hires"])
        in ok(cli(small, "news", "rm", str(item["Acme hires"]))).stdout
    )
    with Notebook(small) as nb:
        acme = nb.news_item(item["Acme ships"])
        from researcher.sync.parse import Entry

        nb.save_fetch(
            acme.feed_id, [Entry("Acme hires", "Acme hires", "again", None, None, "new hash")]
        )  # a later sync
        assert "Acme hires" not in {i.title for i in nb.news()}
    failed(cli(small, "news", "read", str(item["Acme hires"])), "was deleted")


def test_search_is_the_tuis_search(small):
    with Notebook(small) as nb:
        nb.add_note("Zeppelin plans, see **deck**", news_item=ids(small)["Acme ships"])
        expected = [hit.to_dict() for hit in search_hits(nb, "zeppelin")]
    hits = json.loads(ok(cli(small, "search", "zeppelin", "--json")).stdout)
    assert hits == expected
    assert {h["kind"] for h in hits} == {"news", "note"}
    (note,) = [h for h in hits if h["kind"] == "note"]
    assert note["title"] == "Zeppelin plans, see deck" and note["detail"] == "on Acme ships (news item)"
    out = ok(cli(small, "search", "zeppelin")).stdout
    assert "on Acme ships (news item)" in out and "**" not in out
    assert "Nothing found" in ok(cli(small, "search", "quokkaberg")).stdout
    assert len(json.loads(ok(cli(small, "search", "acme", "--limit", "2", "--json")).stdout)) == 2


def test_note_edit_from_the_argument_stdin_or_the_editor(small, monkeypatch):
    with Notebook(small) as nb:
        (note,) = nb.notes(company="acme")
    edited = json.loads(ok(cli(small, "note", "edit", str(note.id), "Ask about the platform team", "--json")).stdout)
    assert edited["body"] == "Ask about the platform team" and edited["updated_at"] >= note.updated_at
    ok(cli(small, "note", "edit", str(note.id), "-", input="From stdin\n"))
    monkeypatch.setattr("click.edit", lambda text, **kw: text + "\nand from the editor")
    assert "Saved note" in ok(cli(small, "note", "edit", str(note.id))).stdout
    with Notebook(small) as nb:
        assert nb.note(note.id).body == "From stdin\n\nand from the editor".replace("\n\n", "\n")
    monkeypatch.setattr("click.edit", lambda text, **kw: None)  # closed without saving
    failed(cli(small, "note", "edit", str(note.id)), "not changed")
    failed(cli(small, "note", "edit", str(note.id), "  "), "must not be empty")
    failed(cli(small, "note", "edit", "424242", "x"), "no note with id 424242")


def test_note_rm_and_notes_on_news_items(small):
    item = ids(small)["Acme hires"]
    added = json.loads(ok(cli(small, "note", "add", "--news", str(item), "Good lead", "--json")).stdout)
    listed = json.loads(ok(cli(small, "note", "list", "--news", str(item), "--json")).stdout)
    assert [n["id"] for n in listed] == [added["id"]]
    out = ok(cli(small, "note", "rm", str(added["id"]))).stdout
    assert out.startswith(f"Deleted note {added['id']} on Acme hires") and "Good lead" in out
    assert json.loads(ok(cli(small, "note", "list", "--news", str(item), "--json")).stdout) == []
    failed(cli(small, "note", "rm", str(added["id"])), f"no note with id {added['id']}")
    failed(cli(small, "note", "list", "--news", "777"), "no news item with id 777")
    assert cli(small, "note", "add", "--news", str(item), "--company", "acme", "x").exit_code == 2


# -- one store function behind each capability, whichever face asks ------------------------------------------------

# What the TUI does with news, notes and search, the CLI command that does the same, and the one Notebook
# method both call. The TUI steps run in one session below (tui_calls); the CLI ones each alone.
PARITY = {
    "mark a news item read": (["news", "read", "{item}"], "set_news_flags"),
    "star a news item": (["news", "star", "{item}"], "set_news_flags"),
    "delete a news item": (["news", "rm", "{item}"], "delete_news_items"),
    "the inbox of the pipeline's companies": (["news", "--unread", "--status", "pipeline"], "news"),
    "search everything": (["search", "zahlwerk"], "search"),
    "edit a note": (["note", "edit", "{note}", "Rewritten"], "update_note"),
    "delete a note": (["note", "rm", "{note}"], "remove_note"),
}


def spy(monkeypatch, calls: dict[str, list]) -> None:
    """Record every call of the parity table's Notebook methods (from any thread), then run them."""
    for name in {method for _, method in PARITY.values()}:
        real = getattr(Notebook, name)

        def wrapper(self, *args, __real=real, __name=name, **kwargs):
            calls[__name].append((args, kwargs))
            return __real(self, *args, **kwargs)

        monkeypatch.setattr(Notebook, name, wrapper)


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def tui_calls(db: Path, monkeypatch) -> dict[str, set[str]]:
    """Each capability done with keys; which of the table's methods each step called."""
    found: dict[str, set[str]] = {}
    calls: dict[str, list] = defaultdict(list)
    spy(monkeypatch, calls)

    async def step(name: str, pilot, *keys: str) -> None:
        calls.clear()
        await pilot.press(*keys)
        await settle(pilot)
        found[name] = {method for method, made in calls.items() if made}
        if name == "the inbox of the pipeline's companies":
            assert any(kw.get("statuses") == PIPELINE for _, kw in calls["news"])

    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await step("mark a news item read", pilot, "space")
        await step("star a news item", pilot, "asterisk")
        await step("delete a news item", pilot, "d", "y")
        await step("the inbox of the pipeline's companies", pilot, "f", "1")
        await step("search everything", pilot, "ctrl+f", *"zahlwerk")
        await pilot.press("escape")
        with Notebook(db) as nb:
            company = nb.company("zahlwerk-gmbh").id
        app.open_company(company, tab="notes")
        await settle(pilot)
        app.screen.query_one("#company-notes DataTable").focus()
        await step("edit a note", pilot, "enter")
        assert isinstance(app.screen, NoteEditor)
        await step("edit a note", pilot, *" more", "ctrl+s")
        await step("delete a note", pilot, "d", "y")
    return found


def test_each_capability_is_one_store_function_for_both_faces(demo_db, monkeypatch):
    tui = asyncio.run(asyncio.wait_for(tui_calls(demo_db, monkeypatch), 60))
    with Notebook(demo_db) as nb:
        values = {"item": str(nb.news(limit=1)[0].id), "note": str(nb.notes(company="zahlwerk-gmbh")[0].id)}
    for capability, (args, method) in PARITY.items():
        assert method in tui[capability], (capability, tui[capability])
        calls: dict[str, list] = defaultdict(list)
        with monkeypatch.context() as patch:
            spy(patch, calls)
            ok(cli(demo_db, *(a.format(**values) for a in args)))
        assert calls[method], (capability, args)
