"""What a person's page, the Network screen and a company's feed list change, the CLI changes too: each
capability done with keys in the TUI and with one command on the CLI reaches the same Notebook method."""

from __future__ import annotations

import asyncio
import shutil
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable, Input

from researcher.cli import main
from researcher.store import Notebook
from researcher.tui.app import make_app
from tests.test_tui import settle

PERSON = "lena-hoffmann"

# capability: (the CLI command, the Notebook method both faces must call)
PARITY = {
    "record whom a person knows": (["knows", "me", PERSON, "--strength", "2"], "record_relationship"),
    "set the approach": (
        ["approach", PERSON, "--step", "Call", "--next", "2026-12-01", "--every", "30"],
        "set_approach",
    ),
    "move a follow-up": (["approach", PERSON, "--move", "+1w"], "move_follow_up"),
    "mark a follow-up done": (["approach", PERSON, "--done"], "follow_up_done"),
    "log an interaction": (
        ["interaction", "add", PERSON, "--channel", "email", "--summary", "Sent my notes"],
        "add_interaction",
    ),
    "add a position": (
        ["position", "add", PERSON, "--company", "Zahlwerk GmbH", "--title", "Advisor", "--start", "2026-01"],
        "add_position",
    ),
    "end a position": (["position", "end", "{position}", "--end", "2026-10"], "end_position"),
    "say who is me": (["person", "edit", PERSON, "--me"], "set_me"),
    "add a person at a company": (
        ["person", "add", "Ola Nowak", "--company", "zahlwerk-gmbh", "--title", "Analyst"],
        "add_person",
    ),
    "set the network goal": (["network", "goal", "40"], "set_network_goal"),
    "follow a feed": (["feed", "add", "zahlwerk-gmbh", "{feed_url}"], "add_feed"),
    "stop following a feed": (["feed", "rm", "{feed_url}"], "remove_feed"),
}


def spy(monkeypatch, calls: dict[str, list]) -> None:
    for name in {method for _, method in PARITY.values()}:
        real = getattr(Notebook, name)

        def wrapper(self, *args, __real=real, __name=name, **kwargs):
            calls[__name].append((args, kwargs))
            return __real(self, *args, **kwargs)

        monkeypatch.setattr(Notebook, name, wrapper)


def fill(app, **values: str) -> None:
    for field, value in values.items():
        app.screen.query_one(f"#{field}", Input).value = value


async def tui_calls(db: Path, feed_url: str, monkeypatch) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    calls: dict[str, list] = defaultdict(list)
    spy(monkeypatch, calls)
    app = make_app(db)

    async def step(capability: str, *keys: str, **values: str) -> None:
        """Keys that open a form, the form's fields, ctrl+s (when there are fields)."""
        calls.clear()
        await pilot.press(*keys)
        await settle(pilot)
        if values:
            fill(app, **values)
            await pilot.press("ctrl+s")
            await settle(pilot)
        found[capability] = found.get(capability, set()) | {method for method, made in calls.items() if made}

    async with app.run_test(size=(120, 40)) as pilot:
        with Notebook(db) as nb:
            person, company = nb.person(PERSON).id, nb.company("zahlwerk-gmbh").id
        app.open_person(person)
        await settle(pilot)
        await step("record whom a person knows", "r", name="me")
        await step("set the approach", "a", name="Call", next="2026-12-01", every="30")
        await step("move a follow-up", "z", "1")
        await step("mark a follow-up done", "x")
        await step("mark a follow-up done", "ctrl+s")
        await step("log an interaction", "i", name="Sent my notes")
        await step("add a position", "p", company="Zahlwerk GmbH", name="Advisor", start="2026-01")
        await step("end a position", "l", name="2026-10")  # the highlighted career step: the current one
        await step("say who is me", "m")
        await step("say who is me", "y")
        await pilot.press("escape")
        app.open_company(company, tab="people")
        await settle(pilot)
        await step("add a person at a company", "a", name="Ola Nowak", title="Analyst")
        await step("follow a feed", "f", "a")
        app.screen.query_one("#url", Input).value = feed_url
        await step("follow a feed", "enter")
        table = app.screen.query_one("#feeds-table", DataTable)
        table.move_cursor(row=[str(r[0]) for r in map(table.get_row_at, range(table.row_count))].index(feed_url))
        await step("stop following a feed", "d", "y")
        await pilot.press("escape", "escape", "4")
        await settle(pilot)
        await step("set the network goal", "g", name="40")
    return found


def test_each_workbench_capability_is_one_store_function_for_both_faces(demo_db, monkeypatch, tmp_path):
    feed = tmp_path / "extra.xml"
    shutil.copy(Path(__file__).parent.parent / "data" / "demo" / "feeds" / "zahlwerk-gmbh.xml", feed)
    feed_url = feed.as_uri()
    cli_db = tmp_path / "cli.db"
    shutil.copy(demo_db, cli_db)
    tui = asyncio.run(asyncio.wait_for(tui_calls(demo_db, feed_url, monkeypatch), 90))
    with Notebook(cli_db) as nb:
        position = next(p.id for p in nb.positions_of(PERSON) if p.end is None)
    values = {"position": str(position), "feed_url": feed_url}
    for capability, (args, method) in PARITY.items():
        assert method in tui.get(capability, set()), (capability, tui.get(capability))
        calls: dict[str, list] = defaultdict(list)
        with monkeypatch.context() as patch:
            spy(patch, calls)
            result = CliRunner().invoke(main, ["--db", str(cli_db), *(a.format(**values) for a in args)])
        assert result.exit_code == 0, (capability, result.output)
        assert calls[method], (capability, args)
