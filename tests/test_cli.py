"""The command line through CliRunner: every command, --json, errors, --db and RESEARCHER_DB."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from researcher import __version__
from researcher.cli import main
from researcher.store import Notebook

DEMO_JSON = Path(__file__).resolve().parent.parent / "data" / "demo" / "notebook.json"

COMPANY_KEYS = {
    "id",
    "slug",
    "name",
    "sector",
    "website",
    "location",
    "size",
    "description",
    "status",
    "created_at",
    "updated_at",
    "people_count",
    "unread_count",
}
PERSON_KEYS = {
    "id",
    "slug",
    "name",
    "headline",
    "location",
    "email",
    "phone",
    "linkedin_url",
    "is_me",
    "company",
    "company_slug",
    "title",
    "function",
    "approach_status",
}


def ok(result):
    """The command succeeded, and said nothing on stderr."""
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stderr == ""
    return result


def ok_json(result):
    return json.loads(ok(result).stdout)


def dump(path: Path) -> dict[str, list[dict]]:
    """Every row of every table (FTS shadow tables and the migrations log included)."""
    db = Database(path)
    try:
        return {t: list(db.query(f"SELECT * FROM [{t}]")) for t in db.table_names()}
    finally:
        db.close()


def _cli(path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(path), *args])


def _copy_notebook(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy2(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory) -> Path:
    """A small notebook: two companies, me and two people, a relationship, a feed, a note."""
    path = tmp_path_factory.mktemp("filled") / "notebook.db"
    ok(_cli(path, "company", "add", "Banque Éclair", "--sector", "Fintech", "--status", "target"))
    ok(_cli(path, "company", "add", "Acme Corp", "--sector", "Retail"))
    ok(_cli(path, "person", "add", "Me Myself", "--me"))
    ok(
        _cli(
            path, "person", "add", "Hélène Dubois", "--company", "banque eclair", "--title", "CTO", "--start", "2021-09"
        )
    )
    ok(_cli(path, "person", "add", "Bob Martin"))
    ok(_cli(path, "knows", "me", "helene-dubois", "--strength", "3"))
    ok(_cli(path, "feed", "add", "banque-eclair", "https://banque-eclair.example/feed.xml", "--no-discover"))
    ok(_cli(path, "note", "add", "--company", "banque-eclair", "Ask about the data team"))
    return path


@pytest.fixture(scope="module")
def crowded_template(filled_template, tmp_path_factory) -> Path:
    """The filled notebook, plus two companies and two people whose names fold the same."""
    path = _copy_notebook(filled_template, tmp_path_factory.mktemp("crowded") / "notebook.db")
    ok(_cli(path, "company", "add", "Société Générale"))
    ok(_cli(path, "company", "add", "Societe Generale"))
    ok(_cli(path, "person", "add", "Anna Nowak"))
    ok(_cli(path, "person", "add", "Anna Nowak"))
    return path


@pytest.fixture
def filled(filled_template, db_path) -> Path:
    """A fresh copy of the filled notebook at db_path (what run_cli uses)."""
    return _copy_notebook(filled_template, db_path)


@pytest.fixture
def crowded(crowded_template, db_path) -> Path:
    return _copy_notebook(crowded_template, db_path)


# -- basics -------------------------------------------------------------------


def test_version():
    result = ok(CliRunner().invoke(main, ["--version"]))
    assert __version__ in result.stdout


def test_help_lists_the_commands():
    result = ok(CliRunner().invoke(main, ["-h"]))
    for command in ("company", "person", "position", "knows", "feed", "note", "demo"):
        assert command in result.stdout


# -- companies ----------------------------------------------------------------


def test_company_add_and_list(run_cli):
    result = ok(run_cli("company", "add", "Banque Éclair", "--sector", "Fintech"))
    assert "banque-eclair" in result.stdout
    added = ok_json(
        run_cli(
            "company",
            "add",
            "Acme Corp",
            "--website",
            "https://acme.example",
            "--status",
            "applied",
            "--size",
            "11-50",
            "--location",
            "Lyon",
            "--json",
        )
    )
    assert COMPANY_KEYS <= set(added)
    assert (added["slug"], added["status"], added["size"]) == ("acme-corp", "applied", "11-50")
    rows = ok_json(run_cli("company", "list", "--json"))
    assert [r["name"] for r in rows] == ["Acme Corp", "Banque Éclair"]
    assert all(COMPANY_KEYS <= set(r) for r in rows)
    assert [r["name"] for r in ok_json(run_cli("company", "list", "--sector", "fintech", "--json"))] == [
        "Banque Éclair"
    ]
    text = ok(run_cli("company", "list")).stdout
    assert "Banque Éclair" in text and "acme-corp" in text


def test_company_show(filled, run_cli):
    shown = ok_json(run_cli("company", "show", "BANQUE ECLAIR", "--json"))
    assert COMPANY_KEYS | {"people", "former", "feeds", "terms", "notes"} <= set(shown)
    assert shown["name"] == "Banque Éclair"
    assert [p["person_name"] for p in shown["people"]] == ["Hélène Dubois"]
    assert [f["url"] for f in shown["feeds"]] == ["https://banque-eclair.example/feed.xml"]
    assert [n["body"] for n in shown["notes"]] == ["Ask about the data team"]
    text = ok(run_cli("company", "show", "banque-eclair")).stdout
    assert "Hélène Dubois" in text and "Ask about the data team" in text


def test_company_edit(filled, run_cli):
    edited = ok_json(
        run_cli("company", "edit", "acme corp", "--status", "interviewing", "--name", "Acme Group", "--json")
    )
    assert (edited["slug"], edited["name"], edited["status"]) == ("acme-corp", "Acme Group", "interviewing")
    assert ok_json(run_cli("company", "show", "acme group", "--json"))["status"] == "interviewing"
    assert "Updated" in ok(run_cli("company", "edit", "acme-corp", "--location", "Paris")).stdout


def test_company_rm(filled, run_cli, db_path):
    assert "Removed" in ok(run_cli("company", "rm", "banque eclair")).stdout
    assert [c["slug"] for c in ok_json(run_cli("company", "list", "--json"))] == ["acme-corp"]
    assert ok_json(run_cli("feed", "list", "--json")) == []
    career = ok_json(run_cli("person", "show", "helene-dubois", "--json"))["positions"]
    assert [(p["company_name"], p["company_id"]) for p in career] == [("Banque Éclair", None)]


# -- people -------------------------------------------------------------------


def test_person_add_list_show(filled, run_cli):
    added = ok_json(
        run_cli(
            "person",
            "add",
            "Zoë Kowalski",
            "--company",
            "acme-corp",
            "--title",
            "Buyer",
            "--function",
            "operations",
            "--email",
            "zoe@acme.example",
            "--profile",
            "https://www.linkedin.com/in/zoe",
            "--json",
        )
    )
    assert PERSON_KEYS <= set(added)
    assert (added["slug"], added["company"], added["title"]) == ("zoe-kowalski", "Acme Corp", "Buyer")
    assert added["linkedin_url"] == "https://www.linkedin.com/in/zoe"
    people = ok_json(run_cli("person", "list", "--json"))
    assert [p["name"] for p in people] == ["Bob Martin", "Hélène Dubois", "Me Myself", "Zoë Kowalski"]
    assert [p["name"] for p in people if p["is_me"]] == ["Me Myself"]
    at_bank = ok_json(run_cli("person", "list", "--company", "Banque Éclair", "--json"))
    assert [p["name"] for p in at_bank] == ["Hélène Dubois"]
    shown = ok_json(run_cli("person", "show", "zoe kowalski", "--json"))
    assert PERSON_KEYS | {"profiles", "positions", "relationships", "approach", "interactions", "notes"} <= set(shown)
    assert shown["profiles"] == {"linkedin": "https://www.linkedin.com/in/zoe"}
    assert [(p["title"], p["end"]) for p in shown["positions"]] == [("Buyer", None)]
    text = ok(run_cli("person", "list")).stdout
    assert "Me Myself (me)" in text


def test_person_edit(filled, run_cli):
    edited = ok_json(run_cli("person", "edit", "bob martin", "--email", "bob@mail.example", "--me", "--json"))
    assert (edited["email"], edited["is_me"]) == ("bob@mail.example", True)
    people = ok_json(run_cli("person", "list", "--json"))
    assert [p["name"] for p in people if p["is_me"]] == ["Bob Martin"]


def test_person_rm(filled, run_cli):
    assert "Removed" in ok(run_cli("person", "rm", "helene dubois")).stdout
    assert "Hélène Dubois" not in [p["name"] for p in ok_json(run_cli("person", "list", "--json"))]
    assert ok_json(run_cli("person", "show", "me-myself", "--json"))["relationships"] == []


# -- positions and relationships ----------------------------------------------


def test_position_add(filled, run_cli):
    past = ok_json(
        run_cli(
            "position",
            "add",
            "helene dubois",
            "--company",
            "Acme Corp",
            "--title",
            "Engineer",
            "--start",
            "2015-01",
            "--end",
            "2021-08",
            "--function",
            "engineering",
            "--json",
        )
    )
    assert {"id", "person_id", "company_name", "company_id", "title", "start", "end"} <= set(past)
    assert (past["company_name"], past["start"], past["end"]) == ("Acme Corp", "2015-01", "2021-08")
    untracked = ok_json(
        run_cli(
            "position",
            "add",
            "helene-dubois",
            "--company",
            "Tiny Startup",
            "--untracked",
            "--title",
            "Intern",
            "--start",
            "2014-06",
            "--end",
            "2014-09",
            "--json",
        )
    )
    assert (untracked["company_name"], untracked["company_id"]) == ("Tiny Startup", None)
    career = ok_json(run_cli("person", "show", "helene-dubois", "--json"))["positions"]
    assert [p["title"] for p in career] == ["Intern", "Engineer", "CTO"]
    assert (
        "Engineer at Acme Corp"
        in ok(
            run_cli(
                "position", "add", "bob-martin", "--company", "acme-corp", "--title", "Engineer", "--start", "2020-01"
            )
        ).stdout
    )


def test_knows_with_me_as_first_person(filled, run_cli):
    rel = ok_json(run_cli("knows", "me", "Bob Martin", "--how", "same school", "--json"))
    assert {"id", "person_id", "other_id", "kind", "strength", "how", "other_name"} <= set(rel)
    assert (rel["other_name"], rel["kind"], rel["strength"], rel["how"]) == ("Bob Martin", "knows", 2, "same school")
    mine = ok_json(run_cli("person", "show", "me-myself", "--json"))["relationships"]
    assert {(r["other_name"], r["strength"]) for r in mine} == {("Hélène Dubois", 3), ("Bob Martin", 2)}
    # Seen from the other side too.
    bob = ok_json(run_cli("person", "show", "bob-martin", "--json"))["relationships"]
    assert [r["other_name"] for r in bob] == ["Me Myself"]


def test_knows_twice_updates_the_one_link(filled, run_cli, db_path):
    ok(run_cli("knows", "Bob Martin", "Hélène Dubois", "--strength", "1"))
    ok(run_cli("knows", "helene-dubois", "bob-martin", "--strength", "3"))
    links = dump(db_path)["relationships"]
    between = [r for r in links if {r["person_id"], r["other_id"]} == {2, 3}]
    assert [r["strength"] for r in between] == [3]
    text = ok(run_cli("knows", "bob-martin", "me-myself", "--kind", "worked_with")).stdout
    assert "Bob Martin worked with Me Myself" in text


def test_knows_me_without_a_me_is_an_error(run_cli):
    ok(run_cli("person", "add", "Ann"))
    result = run_cli("knows", "me", "ann")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "--me" in result.stderr


# -- feeds --------------------------------------------------------------------


def test_feed_add_list_rm(filled, run_cli, tmp_path):
    local = tmp_path / "acme.xml"
    local.write_text("<rss/>")
    added = ok_json(run_cli("feed", "add", "acme corp", str(local), "--json"))
    assert {"id", "company_id", "url", "company", "item_count", "unread_count"} <= set(added)
    assert added["url"] == local.resolve().as_uri() and added["company"] == "Acme Corp"
    feeds = ok_json(run_cli("feed", "list", "--json"))
    assert sorted(f["url"] for f in feeds) == sorted(
        [local.resolve().as_uri(), "https://banque-eclair.example/feed.xml"]
    )
    only = ok_json(run_cli("feed", "list", "--company", "acme-corp", "--json"))
    assert [f["url"] for f in only] == [local.resolve().as_uri()]
    assert "never" in ok(run_cli("feed", "list")).stdout
    assert "Removed" in ok(run_cli("feed", "rm", "https://banque-eclair.example/feed.xml")).stdout
    assert [f["url"] for f in ok_json(run_cli("feed", "list", "--json"))] == [local.resolve().as_uri()]


# -- notes --------------------------------------------------------------------


def test_note_add_with_text_and_list(filled, run_cli):
    added = ok_json(run_cli("note", "add", "--person", "hélène dubois", "Met at the **meetup**", "--json"))
    assert {"id", "body", "created_at", "updated_at", "company_id", "person_id"} <= set(added)
    assert added["body"] == "Met at the **meetup**"
    assert added["person_id"] is not None and added["company_id"] is None
    notes = ok_json(run_cli("note", "list", "--person", "helene-dubois", "--json"))
    assert [n["body"] for n in notes] == ["Met at the **meetup**"]
    text = ok(run_cli("note", "list", "--company", "banque-eclair")).stdout
    assert "Ask about the data team" in text


def test_note_add_from_stdin(filled, run_cli):
    body = "# Call with Hélène\n\n- data team of 12\n- hiring in Q3\n"
    added = ok_json(run_cli("note", "add", "--company", "Banque Éclair", "-", "--json", input=body))
    assert added["body"] == body.strip()
    notes = ok_json(run_cli("note", "list", "--company", "banque-eclair", "--json"))
    assert len(notes) == 2
    assert body.strip() in [n["body"] for n in notes]


def test_note_list_is_newest_first(run_cli, db_path):
    ok(run_cli("company", "add", "Acme"))
    with Notebook(db_path) as nb:
        nb.add_note("older", company="acme", created_at="2025-01-01")
        nb.add_note("newer", company="acme", created_at="2026-01-01")
    assert [n["body"] for n in ok_json(run_cli("note", "list", "--company", "acme", "--json"))] == ["newer", "older"]


# -- untrusted text through the CLI ------------------------------------------


def test_cli_stores_and_prints_clean_text(run_cli, db_path):
    ok(run_cli("company", "add", "Evil\x1b[2J\x1b]0;pwned\x07 \u202eCorp [b]x[/b]"))
    out = ok(run_cli("company", "list")).stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert "Evil Corp [b]x[/b]" in out
    assert dump(db_path)["companies"][0]["name"] == "Evil Corp [b]x[/b]"


# -- demo ---------------------------------------------------------------------


@pytest.mark.skipif(not DEMO_JSON.is_file(), reason="no demo data (data/demo/notebook.json)")
def test_demo_writes_a_notebook(tmp_path):
    path = tmp_path / "demo.db"
    result = ok(CliRunner().invoke(main, ["demo", "--db", str(path)]))
    assert str(path) in result.stdout
    with Notebook(path) as nb:
        counts = nb.counts()
    assert counts["companies"] > 0 and counts["people"] > 0
    again = CliRunner().invoke(main, ["demo", "--db", str(path)])
    assert again.exit_code == 1 and again.stderr.startswith("Error: ") and "--force" in again.stderr
    ok(CliRunner().invoke(main, ["demo", "--db", str(path), "--force"]))
    with Notebook(path) as nb:
        assert nb.counts() == counts


def test_demo_without_db_is_a_usage_error():
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 2


# -- errors -------------------------------------------------------------------

BAD_INPUTS = {
    "unknown company": ("person", "add", "Zed", "--company", "Nowhere Ltd", "--title", "CEO"),
    "unknown company without a title": ("person", "add", "Zed", "--company", "Nowhere Ltd"),
    "company without a title": ("person", "add", "Zed", "--company", "acme-corp"),
    "unknown company in position": (
        "position",
        "add",
        "bob-martin",
        "--company",
        "Nowhere Ltd",
        "--title",
        "CEO",
        "--start",
        "2020-01",
    ),
    "unknown company to show": ("company", "show", "Nowhere Ltd"),
    "malformed date": (
        "position",
        "add",
        "bob-martin",
        "--company",
        "acme-corp",
        "--title",
        "Dev",
        "--start",
        "2020-13",
    ),
    "malformed date in person add": (
        "person",
        "add",
        "Zed",
        "--company",
        "acme-corp",
        "--title",
        "Dev",
        "--start",
        "2020-1",
    ),
    "end before start": (
        "position",
        "add",
        "bob-martin",
        "--company",
        "acme-corp",
        "--title",
        "Dev",
        "--start",
        "2020-05",
        "--end",
        "2019-05",
    ),
    "invalid feed URL": ("feed", "add", "acme-corp", "ftp://acme.example/feed"),
    "garbage feed URL": ("feed", "add", "acme-corp", "not a url"),
    "duplicate feed": ("feed", "add", "acme-corp", "https://banque-eclair.example/feed.xml", "--no-discover"),
    "invalid website": ("company", "add", "Newco", "--website", "javascript:alert(1)"),
    "invalid profile": ("person", "add", "Zed", "--profile", "ftp://x.example/zed"),
    "invalid email": ("person", "add", "Zed", "--email", "not-an-email"),
    "empty company name": ("company", "add", "   "),
    "empty person name": ("person", "add", ""),
    "name of control characters only": ("company", "add", "\x1b[0m\u202e"),
    "empty note": ("note", "add", "--company", "acme-corp", "  "),
    "unknown person in knows": ("knows", "me", "Ghost Person"),
    "unknown first person in knows": ("knows", "Ghost Person", "bob-martin"),
    "knows oneself": ("knows", "bob-martin", "Bob Martin"),
    "unknown person in note": ("note", "add", "--person", "Ghost", "hello"),
    "ambiguous company": ("company", "show", "societe generale"),
    "ambiguous company in position": (
        "position",
        "add",
        "bob-martin",
        "--company",
        "societe generale",
        "--title",
        "Dev",
        "--start",
        "2020-01",
    ),
    "ambiguous person in knows": ("knows", "me", "anna nowak"),
    "rm unknown company": ("company", "rm", "Nowhere Ltd"),
    "rm unknown person": ("person", "rm", "Ghost"),
    "rm unknown feed": ("feed", "rm", "https://nowhere.example/feed"),
    "edit unknown company": ("company", "edit", "Nowhere Ltd", "--status", "target"),
}


@pytest.mark.parametrize("args", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_bad_input_is_one_error_line_and_writes_nothing(crowded, run_cli, args):
    before = dump(crowded)
    result = run_cli(*args)
    assert result.exit_code == 1, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert dump(crowded) == before


def test_an_ambiguous_name_error_names_the_slugs(crowded, run_cli):
    result = run_cli("company", "show", "societe generale")
    assert "societe-generale" in result.stderr and "societe-generale-2" in result.stderr
    assert ok_json(run_cli("company", "show", "societe-generale-2", "--json"))["name"] == "Societe Generale"
    assert ok_json(run_cli("company", "show", "Société Générale", "--json"))["slug"] == "societe-generale"


def test_person_add_at_an_unknown_company_says_so(filled, run_cli):
    result = run_cli("person", "add", "Zed", "--company", "Nowhere Ltd")
    assert result.stderr.startswith("Error: unknown company 'Nowhere Ltd'")


def test_an_unknown_name_error_suggests(filled, run_cli):
    result = run_cli("company", "show", "eclair")
    assert result.exit_code == 1 and "banque-eclair" in result.stderr


USAGE_ERRORS = {
    "missing argument": ("company", "add"),
    "unknown command": ("frobnicate",),
    "unknown option": ("company", "list", "--colour"),
    "bad choice": ("company", "add", "X", "--status", "dreaming"),
    "strength out of range": ("knows", "me", "bob-martin", "--strength", "5"),
    "strength not a number": ("knows", "me", "bob-martin", "--strength", "lots"),
    "nothing to edit": ("company", "edit", "acme-corp"),
    "nothing to edit on a person": ("person", "edit", "bob-martin"),
    "note without subject": ("note", "add", "hello"),
    "note with two subjects": ("note", "add", "--company", "acme-corp", "--person", "bob-martin", "hello"),
    "note list without subject": ("note", "list"),
    "position without start": ("position", "add", "bob-martin", "--company", "acme-corp", "--title", "Dev"),
    "--demo with a subcommand": ("--demo", "company", "list"),
}


@pytest.mark.parametrize("args", list(USAGE_ERRORS.values()), ids=list(USAGE_ERRORS))
def test_usage_errors_exit_2_and_write_nothing(filled, run_cli, args):
    before = dump(filled)
    result = run_cli(*args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Error" in result.stderr and result.stdout == ""
    assert dump(filled) == before


# -- where the notebook is ----------------------------------------------------


def test_db_option_before_and_after_the_subcommand(tmp_path):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    runner = CliRunner()
    ok(runner.invoke(main, ["--db", str(first), "company", "add", "Before"]))
    ok(runner.invoke(main, ["company", "add", "After", "--db", str(second)]))
    ok(runner.invoke(main, ["person", "add", "Ann", "--db", str(second), "--json"]))

    def names(path):
        return [c["name"] for c in ok_json(runner.invoke(main, ["company", "list", "--json", "--db", str(path)]))]

    assert names(first) == ["Before"]
    assert names(second) == ["After"]
    assert [p["name"] for p in ok_json(runner.invoke(main, ["--db", str(second), "person", "list", "--json"]))] == [
        "Ann"
    ]


def test_researcher_db_env_var_is_honoured(tmp_path):
    path = tmp_path / "from-env.db"
    runner = CliRunner(env={"RESEARCHER_DB": str(path)})
    ok(runner.invoke(main, ["company", "add", "Envco"]))
    assert path.exists()
    assert [c["name"] for c in dump(path)["companies"]] == ["Envco"]
    assert [c["name"] for c in ok_json(runner.invoke(main, ["company", "list", "--json"]))] == ["Envco"]
    # --db wins over the environment.
    other = tmp_path / "explicit.db"
    ok(runner.invoke(main, ["--db", str(other), "company", "add", "Explicit"]))
    assert [c["name"] for c in ok_json(runner.invoke(main, ["--db", str(other), "company", "list", "--json"]))] == [
        "Explicit"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["company", "list"],
        ["person", "show", "x"],
        ["news"],
        ["sync"],
        ["network"],
        ["export", "opml"],
        ["feed", "list"],
    ],
    ids=" ".join,
)
def test_a_reading_command_on_a_missing_notebook_says_so_and_creates_nothing(tmp_path, args):
    path = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["--db", str(path), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no notebook at") and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_notebook_in_a_missing_folder_is_never_created(tmp_path):
    path = tmp_path / "no" / "such" / "notebook.db"
    result = CliRunner().invoke(main, ["--db", str(path), "company", "add", "Acme"])
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_a_notebook_made_by_the_cli_is_private(run_cli, db_path):
    import os
    import stat

    ok(run_cli("company", "add", "Acme"))
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_an_unopenable_notebook_is_one_error_line(tmp_path):
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(main, ["--db", str(not_a_db), "company", "list"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_demo_copies_left_by_a_killed_demo_are_removed_at_the_next_start(tmp_path, monkeypatch):
    from researcher import cli

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "researcher" / "demo"
    folder.mkdir(parents=True)
    stale = [folder / "demo-999999999.db", folder / "demo-999999999.db-wal"]
    for path in stale:
        path.write_bytes(b"left behind")
    mine = cli.demo_copy()
    assert mine.parent == folder and mine.exists()
    assert not any(path.exists() for path in stale)
    assert cli.demo_copy() == mine  # this process's own copy is rewritten, never left beside
