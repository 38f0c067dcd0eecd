"""The research commands on the demo notebook: term, org, discover, sectors, today, company track."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from researcher.cli import main


def run(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def as_json(db: Path, *args: str):
    return json.loads(ok(run(db, *args, "--json")).stdout)


def test_the_demo_gets_vocabulary_suggestions_from_its_news(demo_db):
    found = as_json(demo_db, "term", "suggest", "zahlwerk", "--limit", "10")
    terms = [s["term"] for s in found["suggestions"]]
    assert len(terms) == 10 and found["languages"] == ["en"]
    assert "ledger" in terms and "Ledgerkern" not in terms  # already in its glossary
    assert all(s["example"] and s["count"] >= 2 for s in found["suggestions"])


def test_the_demo_org_tree_has_units_heads_and_reporting_lines(demo_db):
    chart = as_json(demo_db, "org", "zahlwerk")

    def units(nodes):
        for node in nodes:
            yield node
            yield from units(node["children"])

    everyone = {p["name"]: p for u in units(chart["units"]) for p in u["people"]}
    assert everyone["Javier Ortega Ruiz"]["manager"] == "Lena Hoffmann"
    heads = {u["name"]: u["head_id"] for u in units(chart["units"])}
    assert heads["Engineering"] == everyone["Maximilian Roth"]["person_id"]
    assert chart["paths"] and any(u["known"] for u in units(chart["units"]))
    text = ok(run(demo_db, "org", "zahlwerk")).stdout
    assert "Javier Ortega Ruiz, Lead, Data & Analytics, reports to Lena Hoffmann" in text


def test_people_of_the_demo_are_named_in_its_feeds(demo_db):
    person = as_json(demo_db, "person", "show", "lena hoffmann")
    assert [i["title"] for i in person["in_the_news"]] == ["Hiring: product and data roles in Berlin"]
    company = as_json(demo_db, "company", "show", "caudal finanzas")
    assert "Caudal Finanzas chooses Zahlwerk payouts" in [i["title"] for i in company["in_the_news"]]


def test_discover_and_track_on_the_demo(demo_db):
    found = as_json(demo_db, "discover", "--sector", "fintech")
    albion = next(d for d in found if d["name"] == "Albion Ledger Ltd")
    assert albion["sector"] == "Fintech" and albion["items"] and albion["people_count"] >= 4
    done = as_json(demo_db, "company", "track", "Albion Ledger Ltd")
    assert done["positions_linked"] == albion["people_count"] and done["news_linked"] == 1
    assert "Albion Ledger Ltd" not in [d["name"] for d in as_json(demo_db, "discover")]
    shown = as_json(demo_db, "company", "show", "albion ledger ltd")
    assert shown["sector"] == "Fintech" and len(shown["people"]) + len(shown["former"]) == albion["people_count"]


def test_sectors_on_the_demo(demo_db):
    found = {s["sector"]: s for s in as_json(demo_db, "sectors")}
    assert set(found) == {"Energy transition", "Fintech", "Health tech", "Mobility"}
    assert [c["name"] for c in found["Mobility"]["companies"]["interviewing"]] == ["Mobilière Véloce"]


def test_today_on_the_demo(demo_db):
    view = as_json(demo_db, "today", "--peek")
    assert view["news_total"] > 0 and view["people_in_news_total"] > 0 and view["terms_to_drill"]
    assert ok(run(demo_db, "today")).stdout.startswith("Since ")


def test_the_glossary_from_the_command_line(demo_db):
    added = as_json(
        demo_db, "term", "add", "zahlwerk", "Risk desk", "--meaning", "Fraud team", "--example", "Ask them."
    )
    assert (added["term"], added["company"], added["example"]) == ("Risk desk", "Zahlwerk GmbH", "Ask them.")
    assert as_json(demo_db, "term", "add", "--global", "STAR", "--meaning", "Situation, task...")["company"] is None
    assert ok(run(demo_db, "term", "edit", "zahlwerk", "risk desk", "--term", "Risk team")).stdout.startswith("Updated")
    listed = [t["term"] for t in as_json(demo_db, "term", "list", "zahlwerk")]
    assert "Risk team" in listed and "STAR" in listed
    ok(run(demo_db, "term", "rm", "--global", "star"))
    assert "STAR" not in [t["term"] for t in as_json(demo_db, "term", "list")]


@pytest.mark.parametrize(
    "args, message",
    [
        (("term", "add", "Ledgerkern"), "say whose glossary"),
        (("term", "add", "--global", "zahlwerk", "x"), "with --global, give only TERM"),
        (("term", "edit", "zahlwerk", "Ledgerkern"), "nothing to change"),
        (("org",), "say which company"),
        (("org", "place", "zahlwerk", "lena-hoffmann"), "nothing to change"),
    ],
)
def test_usage_errors(demo_db, args, message):
    result = run(demo_db, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_org_units_from_the_command_line(demo_db):
    ok(run(demo_db, "org", "unit", "add", "zahlwerk", "Risk", "--parent", "Engineering"))
    ok(run(demo_db, "org", "unit", "rename", "zahlwerk", "risk", "Risk & Fraud"))
    moved = run(demo_db, "org", "unit", "move", "zahlwerk", "Engineering", "--under", "Risk & Fraud")
    assert moved.exit_code == 1 and "under its own sub-unit" in moved.stderr
    ok(run(demo_db, "org", "unit", "move", "zahlwerk", "Risk & Fraud"))
    placed = as_json(demo_db, "org", "place", "zahlwerk", "julien masson", "--unit", "Risk & Fraud", "--reports-to", "")
    assert (placed["org_unit"], placed["manager_id"]) == ("Risk & Fraud", None)
    assert "1 person in no unit now" in ok(run(demo_db, "org", "unit", "rm", "zahlwerk", "Risk & Fraud")).stdout
    loop = run(demo_db, "org", "place", "zahlwerk", "maximilian roth", "--reports-to", "javier ortega ruiz")
    assert loop.exit_code == 1 and "would make a loop" in loop.stderr


def test_the_drill_prints_its_order_when_not_on_a_terminal_and_records_answers_on_one(demo_db, monkeypatch):
    order = as_json(demo_db, "term", "drill", "zahlwerk")
    assert order[0]["state"] == "new"
    plain = ok(run(demo_db, "term", "drill", "zahlwerk", "--limit", "2")).stdout.splitlines()
    assert len(plain) == 2 and plain[0].startswith("new")
    # On a terminal: Enter reveals, k known, n not yet; the one missed comes back first.
    import click

    import researcher.cli as cli

    keys = iter("kn")
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    monkeypatch.setattr(click, "getchar", lambda *a, **k: next(keys))
    monkeypatch.setattr(click, "prompt", lambda *a, **k: "")
    drilled = ok(run(demo_db, "term", "drill", "zahlwerk", "--limit", "2"))
    assert "1 known, 1 not yet" in drilled.stdout
    again = as_json(demo_db, "term", "drill", "zahlwerk")
    assert (again[0]["term"], again[0]["state"]) == (order[1]["term"], "not yet")
    assert again[-1]["term"] == order[0]["term"] and again[-1]["state"] == "known"


def test_accept_and_dismiss_suggestions_from_the_command_line(demo_db):
    first = as_json(demo_db, "term", "suggest", "zahlwerk", "--limit", "2")["suggestions"]
    accepted = as_json(demo_db, "term", "accept", "zahlwerk", first[0]["term"], "--meaning", "What it means")
    assert accepted["definition"] == "What it means" and accepted["example"] == first[0]["example"]
    assert "will not be suggested" in ok(run(demo_db, "term", "dismiss", "zahlwerk", first[1]["term"])).stdout
    after = [s["term"] for s in as_json(demo_db, "term", "suggest", "zahlwerk", "--limit", "50")["suggestions"]]
    assert first[0]["term"] not in after and first[1]["term"] not in after


def test_a_notebook_open_read_only_is_read_and_left_as_it_was(demo_db):
    import sqlite3

    conn = sqlite3.connect(demo_db)
    conn.execute("INSERT INTO mention_queue (kind, ref_id) SELECT 'person', id FROM people")  # work a writer would do
    conn.execute("PRAGMA user_version = 99")  # a newer release wrote it
    conn.commit()
    conn.close()
    before = demo_db.read_bytes()
    assert as_json(demo_db, "term", "suggest", "zahlwerk")["suggestions"]
    assert as_json(demo_db, "today")["news_total"] > 0
    assert as_json(demo_db, "discover")
    assert as_json(demo_db, "org", "zahlwerk")["headcount"] == 6
    assert "in_the_news" in as_json(demo_db, "person", "show", "lena hoffmann")
    assert demo_db.read_bytes() == before
