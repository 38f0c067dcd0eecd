"""Importing LinkedIn exports and mapped CSV files: every quirk of the files, job changes, idempotence, dry runs."""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher import clock
from researcher.cli import main
from researcher.interop.csv_map import BadImportFile, parse_day, parse_month, parse_time
from researcher.interop.linkedin import import_csv, import_linkedin
from researcher.store import Notebook
from researcher.store.bulk import content_digest

CONNECTIONS_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    'You will only see email addresses for connections who have allowed it, see https://www.linkedin.com/help."\r\n'
    "\r\n"
)
POSITIONS_HEADER = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
PROFILE_HEADER = [
    "First Name",
    "Last Name",
    "Maiden Name",
    "Address",
    "Birth Date",
    "Headline",
    "Summary",
    "Industry",
    "Zip Code",
    "Geo Location",
    "Twitter Handles",
    "Websites",
    "Instant Messengers",
]
INVITATIONS_HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
MESSAGES_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
ME = "Wilhelmina Quasthoff"
ME_URL = "https://www.linkedin.com/in/wquasthoff"


def url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def csv_text(header: list[str] | None, rows: list[list[str]], preamble: str = "", bom: bool = True) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + preamble + out.getvalue()).encode("utf-8")


CONNECTIONS = [
    [
        "Oswin",
        "Pettigrew",
        url("opettigrew"),
        "oswin@example.org",
        "Marzipan Works, Inc.",
        "Head of Almonds",
        "12 Mar 2024",
    ],
    [
        "Rosalind",
        "Fairweather",
        url("rfairweather"),
        "",
        "Zeppelin Freight",
        "Navigator\nand cartographer",
        "1 Feb 2023",
    ],
    ["", "", "", "", "", "", ""],  # a member who hides their data
    ["Barnaby", "Quill", url("bquill"), "", "", "", "03 Jan 2022"],
    ["", "", "", "", "", "", ""],
]


def export_files(
    connections: list[list[str]] | None = None,
    positions: list[list[str]] | None = None,
    profile: bool = True,
    invitations: list[list[str]] | None = None,
    messages: list[list[str]] | None = None,
    follows: list[str] | None = None,
) -> dict[str, bytes]:
    files = {
        "Connections.csv": csv_text(CONNECTIONS_HEADER, CONNECTIONS if connections is None else connections, PREAMBLE)
    }
    if profile:
        files["Profile.csv"] = csv_text(
            PROFILE_HEADER,
            [
                [*ME.split(), "", "", "", "Payments engineer, ex-banker", "I build ledgers.\nAnd boats.", "Fintech"]
                + ["", "Lyon, France", "", "", ""]
            ],
        )
    if positions is not None:
        files["Positions.csv"] = csv_text(POSITIONS_HEADER, positions)
    if invitations is not None:
        files["Invitations.csv"] = csv_text(INVITATIONS_HEADER, invitations)
    if messages is not None:
        files["messages.csv"] = csv_text(MESSAGES_HEADER, messages)
    if follows is not None:
        files["Company Follows.csv"] = csv_text(
            ["Organization", "Followed On"], [[f, "Tue Jan 03 2023"] for f in follows]
        )
    return files


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"Basic_LinkedInDataExport_11-28-2026/{name}", data)
        archive.writestr("Basic_LinkedInDataExport_11-28-2026/Rich_Media.csv", "Date/Time,Media Link\r\n")
    return path


@pytest.fixture
def nb_path(tmp_path: Path) -> Path:
    path = tmp_path / "nb.db"
    with Notebook(path) as nb:
        nb.add_company("Zeppelin Freight", sector="Logistics")
    return path


def run_import(nb_path: Path, source: Path, dry_run: bool = False):
    with Notebook(nb_path) as nb:
        return import_linkedin(nb, source, dry_run=dry_run)


def cli(nb_path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(nb_path), *args])


# -- the files and their quirks ---------------------------------------------------------------------------------------


def test_connections_with_preamble_bom_crlf_quotes_and_hidden_rows(nb_path: Path, tmp_path: Path):
    source = write_zip(tmp_path / "export.zip", export_files())
    summary = run_import(nb_path, source)
    assert (summary.people_added, summary.hidden_skipped, summary.connections) == (3, 2, 3)
    with Notebook(nb_path) as nb:
        me = nb.me()
        assert me is not None and me.name == ME and me.headline == "Payments engineer, ex-banker"
        oswin = nb.person("Oswin Pettigrew")
        assert oswin.linkedin_url == url("opettigrew") and oswin.email == "oswin@example.org"
        assert (oswin.company, oswin.title) == ("Marzipan Works, Inc.", "Head of Almonds")
        rosalind = nb.person("Rosalind Fairweather")
        assert rosalind.company_slug == "zeppelin-freight"  # a tracked company is linked
        assert rosalind.title == "Navigator and cartographer"  # a quoted newline, one line
        assert nb.person("Barnaby Quill").company is None
        links = {r.other_name: r for r in nb.relationships_of(me.id)}
        assert set(links) == {"Oswin Pettigrew", "Rosalind Fairweather", "Barnaby Quill"}
        assert all(r.strength == 1 and r.kind == "knows" for r in links.values())
        dates = dict(nb.db.execute("SELECT other_id, connected_on FROM relationships").fetchall())
        assert dates[oswin.id] == "2024-03-12" and dates[rosalind.id] == "2023-02-01"


def test_an_older_export_has_no_url_column_and_matches_by_name_and_company(nb_path: Path, tmp_path: Path):
    header = [c for c in CONNECTIONS_HEADER if c != "URL"]
    rows = [[r[0], r[1], *r[3:]] for r in CONNECTIONS]
    files = {"Connections.csv": csv_text(header, rows, PREAMBLE)}
    source = write_folder(tmp_path / "old", files)
    with Notebook(nb_path) as nb:
        nb.add_person("Rosalind Fairweather", company="Zeppelin Freight", title="Navigator")
    first = run_import(nb_path, source)
    # Rosalind found by name and company: she holds that position already, and nobody is me to link her to.
    assert (first.people_added, first.people_updated, first.people_unchanged) == (2, 0, 1)
    with Notebook(nb_path) as nb:
        assert nb.count_people() == 3
        assert nb.person("Rosalind Fairweather").title == "Navigator"  # what the user wrote stays
    again = run_import(nb_path, source)
    assert (again.people_added, again.people_updated, again.people_unchanged) == (0, 0, 3)


def test_one_csv_alone_is_recognised_by_its_header(nb_path: Path, tmp_path: Path):
    path = tmp_path / "whatever-name.csv"
    path.write_bytes(export_files()["Connections.csv"])
    summary = run_import(nb_path, path)
    assert summary.people_added == 3 and summary.files == ["whatever-name.csv"]
    assert "nobody is marked as you" in summary.notes[0]


def test_positions_are_my_career(nb_path: Path, tmp_path: Path):
    positions = [
        ["Zeppelin Freight", "Ledger engineer", "Built the ledgers", "Lyon", "Mar 2020", ""],
        ["Marmalade Bank", "Analyst", "", "", "2016", "2019"],
        ["Tiny Co", "Intern", "", "", "Jun 2015", "Aug 2015"],
    ]
    source = write_folder(tmp_path / "export", export_files(positions=positions))
    summary = run_import(nb_path, tmp_path)  # the folder the export was unpacked into, in its own folder
    assert summary.positions_added == 3
    assert set(summary.checklist_ticked) == {"headline", "summary", "experience"}
    with Notebook(nb_path) as nb:
        me = nb.me()
        career = [(p.company_name, p.title, p.start, p.end, p.company_id is not None) for p in nb.positions_of(me.id)]
        assert career == [
            ("Tiny Co", "Intern", "2015-06", "2015-08", False),
            ("Marmalade Bank", "Analyst", "2016-01", "2019-12", False),
            ("Zeppelin Freight", "Ledger engineer", "2020-03", None, True),
        ]
        notes = nb.notes(person=me.id)
        assert [n.body for n in notes] == ["I build ledgers.\nAnd boats."]
        checklist = {i["item"]: i["done"] for i in nb.profile_checklist(["linkedin"])["linkedin"]}
        assert checklist["headline"] and checklist["summary"] and checklist["experience"] and not checklist["photo"]
    assert run_import(nb_path, source).positions_added == 0


def test_invitations_become_interactions_and_stock_texts_are_counted(nb_path: Path, tmp_path: Path):
    invitations = [
        [ME, "Oswin Pettigrew", "1/29/26, 2:37 PM", "", "OUTGOING", ME_URL, url("opettigrew")],
        [
            ME,
            "Tamsin Grey",
            "2/3/26, 9:05 AM",
            "Hi Tamsin, I'd like to join your LinkedIn network.",
            "OUTGOING",
            ME_URL,
            url("tgrey"),
        ],
        [
            ME,
            "Rosalind Fairweather",
            "12/1/25, 11:59 PM",
            "Rosalind, your talk on airship routing at Zeppelin Freight changed how I plan deliveries; may we talk?",
            "OUTGOING",
            ME_URL,
            url("rfairweather"),
        ],
        ["Ignatius Bell", ME, "11/5/25, 12:01 AM", "Hello from the bell foundry", "INCOMING", url("ibell"), ME_URL],
    ]
    source = write_folder(tmp_path / "export", export_files(invitations=invitations))
    summary = run_import(nb_path, source)
    assert (summary.invitations_sent, summary.invitations_received, summary.invitations_stock) == (3, 1, 2)
    assert summary.invitation_messages_kept == 2
    with Notebook(nb_path) as nb:
        oswin = nb.interactions_of("Oswin Pettigrew")
        assert [(i.at, i.direction, i.channel) for i in oswin] == [("2026-01-29T14:37:00Z", "out", "linkedin")]
        assert nb.interactions_of("Rosalind Fairweather")[0].at == "2025-12-01T23:59:00Z"
        bell = nb.interactions_of("Ignatius Bell")[0]  # not a connection: added as a person
        assert (bell.direction, bell.at) == ("in", "2025-11-05T00:01:00Z") and "bell foundry" in bell.summary
        kept = nb.invitations_of("Tamsin Grey")[0]
        assert kept.sent and kept.text.startswith("Hi Tamsin")
    again = run_import(nb_path, source)
    assert again.interactions_added == 0 and again.invitation_messages_kept == 0


def test_messages_make_one_interaction_per_conversation_day_and_person(nb_path: Path, tmp_path: Path):
    def msg(conv, sender, sender_url, to, to_url, at, content):
        return [conv, "", sender, sender_url, to, to_url, at, "", content, "INBOX"]

    messages = [
        msg("c1", "Oswin Pettigrew", url("opettigrew"), ME, ME_URL, "2023-06-11 15:33:58 UTC", "Fancy a coffee?"),
        msg("c1", ME, ME_URL, "Oswin Pettigrew", url("opettigrew"), "2023-06-11 16:00:00 UTC", "Gladly"),
        msg("c1", ME, ME_URL, "Oswin Pettigrew", url("opettigrew"), "2023-06-12 08:00:00 UTC", "Thursday then"),
        msg("c2", ME, ME_URL, "Rosalind Fairweather", url("rfairweather"), "2024-01-02 10:00:00 UTC", "Hello"),
        ["c3", "", "Spammy Sam", "", ME, ME_URL, "2024-01-02 10:00:00 UTC", "", "Buy now", "SPAM"],
    ]
    source = write_folder(tmp_path / "export", export_files(messages=messages))
    summary = run_import(nb_path, source)
    assert summary.conversations == 2 and summary.interactions_added == 3
    with Notebook(nb_path) as nb:
        oswin = nb.interactions_of("Oswin Pettigrew")
        assert [(i.at, i.direction) for i in oswin] == [
            ("2023-06-12T08:00:00Z", "out"),
            ("2023-06-11T15:33:58Z", "in"),
        ]
        assert oswin[1].summary == "LinkedIn messages (2): Fancy a coffee?"
        assert nb.count_people(query="Spammy") == 0
    assert run_import(nb_path, source).interactions_added == 0


def test_company_follows_are_offered_to_watch(nb_path: Path, tmp_path: Path):
    source = write_folder(
        tmp_path / "export",
        export_files(follows=["Zeppelin Freight", "Marzipan Works", "marzipan works", "Gondola AG"]),
    )
    summary = run_import(nb_path, source)
    assert summary.companies_to_watch == ["Marzipan Works", "Gondola AG"]
    with Notebook(nb_path) as nb:
        assert [c.name for c in nb.companies()] == ["Zeppelin Freight"]  # offered, not added


# -- a newer export ------------------------------------------------------------------------------------------------


def test_a_newer_export_records_job_changes_and_new_and_gone_connections(
    nb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from datetime import date

    run_import(nb_path, write_zip(tmp_path / "old.zip", export_files()))
    newer = [
        ["Oswin", "Pettigrew", url("opettigrew"), "", "Zeppelin Freight", "Chief Navigator", "12 Mar 2024"],
        [
            "Rosalind",
            "Fairweather",
            url("rfairweather"),
            "",
            "Zeppelin Freight",
            "Navigator\nand cartographer",
            "1 Feb 2023",
        ],
        ["Cordelia", "Marsh", url("cmarsh"), "", "Gondola AG", "Pilot", "20 Nov 2026"],
    ]
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 28))
    summary = run_import(nb_path, write_zip(tmp_path / "new.zip", export_files(connections=newer)))
    assert summary.new_connections == 1 and summary.removed_connections == ["Barnaby Quill"]
    assert summary.job_changes == [
        {
            "person": "Oswin Pettigrew",
            "at": "2026-11-28",
            "kind": "changed",
            "from_company": "Marzipan Works, Inc.",
            "from_title": "Head of Almonds",
            "to_company": "Zeppelin Freight",
            "to_title": "Chief Navigator",
        }
    ]
    with Notebook(nb_path) as nb:
        career = [(p.company_name, p.title, p.start, p.end) for p in nb.positions_of("Oswin Pettigrew")]
        assert career == [
            ("Zeppelin Freight", "Chief Navigator", "2026-11", None),
            ("Marzipan Works, Inc.", "Head of Almonds", None, "2026-11"),
        ]
        events = nb.career_events("Oswin Pettigrew")
        assert [(e["at"], e["kind"], e["to_company"]) for e in events] == [
            ("2026-11-28", "changed", "Zeppelin Freight")
        ]
        assert nb.person("Barnaby Quill")  # gone from the export, still in the notebook
        # Shown where the user looks: the person's activity, and Today (since the last visit).
        from researcher.insight.activity import person_activity
        from researcher.insight.today import today_view

        assert ("job change", "left Marzipan Works, Inc. (Head of Almonds) for Zeppelin Freight (Chief Navigator)") in [
            (e.kind, e.text) for e in person_activity(nb, "Oswin Pettigrew")
        ]
        assert [(c["person_name"], c["text"]) for c in today_view(nb).job_changes] == [
            ("Oswin Pettigrew", "left Marzipan Works, Inc. (Head of Almonds) for Zeppelin Freight (Chief Navigator)")
        ]
        asyncio.run(asyncio.wait_for(_today_opens_the_changed_person(nb_path), 60))
    again = run_import(nb_path, write_zip(tmp_path / "new.zip", export_files(connections=newer)))
    assert again.job_changes == [] and again.new_connections == 0 and again.removed_connections == []


async def _today_opens_the_changed_person(path: Path) -> None:
    from textual.widgets import DataTable

    from researcher.tui.app import make_app
    from researcher.tui.screens.person import PersonScreen
    from researcher.tui.screens.today import TodayScreen
    from tests.test_tui import settle

    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        table = app.screen.query_one("#changes-table", DataTable)
        assert "Oswin Pettigrew" in str(table.get_row_at(0)[1]) and "Zeppelin Freight" in str(table.get_row_at(0)[2])
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "Oswin Pettigrew"


def test_running_it_twice_changes_nothing(nb_path: Path, tmp_path: Path):
    files = export_files(
        positions=[["Zeppelin Freight", "Ledger engineer", "", "", "Mar 2020", ""]],
        invitations=[[ME, "Oswin Pettigrew", "1/29/26, 2:37 PM", "Hi", "OUTGOING", ME_URL, url("opettigrew")]],
        messages=[
            ["c1", "", "Oswin Pettigrew", url("opettigrew"), ME, ME_URL, "2023-06-11 15:33:58 UTC", "", "Hi", ""]
        ],
        follows=["Gondola AG"],
    )
    source = write_zip(tmp_path / "export.zip", files)
    run_import(nb_path, source)
    with Notebook(nb_path) as nb:
        before = content_digest(nb)
    again = run_import(nb_path, source)
    assert (again.people_added, again.people_updated, again.people_unchanged) == (0, 0, 3)
    assert (again.interactions_added, again.positions_added, again.profile_updated) == (0, 0, False)
    with Notebook(nb_path) as nb:
        assert content_digest(nb) == before


def test_a_dry_run_writes_nothing_and_says_the_same(nb_path: Path, tmp_path: Path):
    source = write_zip(tmp_path / "export.zip", export_files(positions=[["Gondola AG", "Pilot", "", "", "2020", ""]]))
    before = nb_path.read_bytes()
    result = cli(nb_path, "import", "linkedin", str(source), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    dry = json.loads(result.output)
    assert nb_path.read_bytes() == before
    for suffix in ("-wal", "-journal"):
        assert not Path(f"{nb_path}{suffix}").exists() or Path(f"{nb_path}{suffix}").stat().st_size == 0
    real = json.loads(cli(nb_path, "import", "linkedin", str(source), "--json").output)
    assert dry["dry_run"] and not real["dry_run"]
    assert {k: x for k, x in dry.items() if k != "dry_run"} == {k: x for k, x in real.items() if k != "dry_run"}


def test_a_dry_run_makes_no_notebook(tmp_path: Path):
    source = write_zip(tmp_path / "export.zip", export_files())
    missing = tmp_path / "none.db"
    result = cli(missing, "import", "linkedin", str(source), "--dry-run")
    assert result.exit_code == 1 and result.output.startswith("Error: ") and not missing.exists()
    assert cli(missing, "import", "linkedin", str(source)).exit_code == 0 and missing.exists()


def test_the_cli_prints_a_summary(nb_path: Path, tmp_path: Path):
    source = write_zip(tmp_path / "export.zip", export_files(follows=["Gondola AG"]))
    result = cli(nb_path, "import", "linkedin", str(source))
    assert result.exit_code == 0, result.output
    assert "People: 3 added, 0 updated, 0 unchanged (2 hidden rows skipped)" in result.output
    assert "Gondola AG" in result.output


def test_someone_who_left_and_my_own_job_that_ended(nb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from datetime import date

    mine = [["Zeppelin Freight", "Ledger engineer", "", "", "Mar 2020", ""]]
    run_import(nb_path, write_folder(tmp_path / "old", export_files(positions=mine)))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 28))
    left = [["Oswin", "Pettigrew", url("opettigrew"), "", "", "", "12 Mar 2024"], *CONNECTIONS[1:]]
    ended = [["Zeppelin Freight", "Ledger engineer", "", "", "Mar 2020", "Oct 2026"]]
    summary = run_import(nb_path, write_folder(tmp_path / "new", export_files(connections=left, positions=ended)))
    assert [(c["person"], c["kind"], c["to_company"]) for c in summary.job_changes] == [
        ("Oswin Pettigrew", "left", None)
    ]
    assert summary.positions_added == 0
    with Notebook(nb_path) as nb:
        assert [(p.company_name, p.end) for p in nb.positions_of("Oswin Pettigrew")] == [
            ("Marzipan Works, Inc.", "2026-11")
        ]
        assert [(p.title, p.start, p.end) for p in nb.positions_of(nb.me().id)] == [
            ("Ledger engineer", "2020-03", "2026-10")
        ]


def test_people_met_only_in_invitations_are_counted(nb_path: Path, tmp_path: Path):
    invitations = [["Ignatius Bell", ME, "11/5/25, 12:01 AM", "", "INCOMING", url("ibell"), ME_URL]]
    summary = run_import(nb_path, write_folder(tmp_path / "export", export_files(invitations=invitations)))
    assert summary.others_added == 1 and summary.people_added == 3
    assert (
        run_import(nb_path, write_folder(tmp_path / "export", export_files(invitations=invitations))).others_added == 0
    )


def test_a_failure_midway_leaves_the_notebook_as_it_was(nb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import sqlite3

    from researcher.store.imports import ImportRun

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ImportRun, "add_my_position", full)  # after the profile and the connections were written
    source = write_folder(tmp_path / "export", export_files(positions=[["Gondola AG", "Pilot", "", "", "2020", ""]]))
    with Notebook(nb_path) as nb:
        before = content_digest(nb)
    result = cli(nb_path, "import", "linkedin", str(source))
    assert result.exit_code == 1 and result.output.startswith("Error: ") and result.output.count("\n") == 1
    with Notebook(nb_path) as nb:
        assert content_digest(nb) == before


# -- hostile and bad files ----------------------------------------------------------------------------------------------


HOSTILE = [
    ['=HYPERLINK("http://evil.example","click")', "+1", url("h1"), "", "@SUM(A1)", "-2+3", "12 Mar 2024"],
    [
        "[bold red]Mallory[/]",
        "\x1b[31mRed\x1b[0m\u202e",
        url("h2"),
        "",
        "Evil\x07 Corp",
        "[link=x]t[/link]",
        "1 Jan 2024",
    ],
]


def test_hostile_cells_are_stored_and_printed_as_plain_text(nb_path: Path, tmp_path: Path):
    source = write_folder(tmp_path / "export", export_files(connections=HOSTILE, profile=False))
    run_import(nb_path, source)
    with Notebook(nb_path) as nb:
        names = sorted(p.name for p in nb.people())
        assert names == ['=HYPERLINK("http://evil.example","click") +1', "[bold red]Mallory[/] Red"]
        first = nb.person(url("h1").rsplit("/", 1)[-1]) if False else nb.people(query="HYPERLINK")[0]
        assert (first.company, first.title) == ("@SUM(A1)", "-2+3")
        assert nb.people(query="Mallory")[0].company == "Evil Corp"
    shown = cli(nb_path, "person", "list")
    assert shown.exit_code == 0 and "\x1b" not in shown.output and "[bold red]Mallory[/]" in shown.output


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"Connections.csv": b"Name,Whatever\r\nx,y\r\n"}, "Error: Connections.csv: no connections header"),
        (
            {"Connections.csv": csv_text(CONNECTIONS_HEADER, [["A", "B", "", "", "", "", "31 Feb 2024"]], PREAMBLE)},
            "Error: Connections.csv line 5: bad date '31 Feb 2024' in 'connected on'",
        ),
        (
            {
                "Connections.csv": csv_text(CONNECTIONS_HEADER, CONNECTIONS, PREAMBLE),
                "messages.csv": csv_text(MESSAGES_HEADER, [["c", "", "A", "", "B", "", "yesterday", "", "x", ""]]),
            },
            "Error: messages.csv line 2: bad date 'yesterday' in 'date'",
        ),
        (
            {"Positions.csv": csv_text(POSITIONS_HEADER, [["Acme", "CEO", "", "", "Smarch 2020", ""]])},
            "Error: Positions.csv line 2: bad date 'Smarch 2020' in 'started on'",
        ),
    ],
)
def test_a_bad_file_is_one_error_line_and_nothing_is_written(nb_path: Path, tmp_path: Path, files, message):
    source = write_zip(tmp_path / "bad.zip", files)
    with Notebook(nb_path) as nb:
        before = content_digest(nb)
    result = cli(nb_path, "import", "linkedin", str(source))
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    with Notebook(nb_path) as nb:
        assert content_digest(nb) == before


def test_not_a_zip_nor_an_export(nb_path: Path, tmp_path: Path):
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"\x00\x01 not a zip at all")
    assert cli(nb_path, "import", "linkedin", str(fake)).output == "Error: export.zip is not a zip file\n"
    other = tmp_path / "notes.csv"
    other.write_bytes(b"\xff\xfegarbage,\x00\r\n")
    result = cli(nb_path, "import", "linkedin", str(other))
    assert result.exit_code == 1 and "notes.csv: not a zip file nor a CSV of a LinkedIn export" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no file of a LinkedIn export" in cli(nb_path, "import", "linkedin", str(empty)).output
    assert "does not exist" in cli(nb_path, "import", "linkedin", str(tmp_path / "nope.zip")).output


# -- dates -----------------------------------------------------------------------------------------------------------


def test_the_date_formats_of_the_export():
    assert parse_day("12 Mar 2024") == "2024-03-12" and parse_day("") is None
    assert parse_month("Mar 2020") == "2020-03" and parse_month("2019") == "2019-01"
    assert parse_month("2019", end=True) == "2019-12"
    assert parse_time("1/29/26, 2:37 PM") == "2026-01-29T14:37:00Z"
    assert parse_time("1/29/26, 12:05 AM") == "2026-01-29T00:05:00Z"
    assert parse_time("2023-06-11 15:33:58 UTC") == "2023-06-11T15:33:58Z"
    for bad in ("31 Feb 2024", "12 Mar 1066", "Mar"):
        with pytest.raises(ValueError):
            parse_day(bad)
    with pytest.raises(ValueError):
        parse_time("13/45/26, 2:37 PM")


# -- the generic CSV import ---------------------------------------------------------------------------------------------


def test_a_mapped_csv_with_semicolons(nb_path: Path, tmp_path: Path):
    path = tmp_path / "kontakte.csv"
    path.write_bytes(
        "Vorname;Nachname;Firma;Position;Profil;Seit\r\n"
        "Jörg;Ährenfeld;Zeppelin Freight;Lotse;https://www.xing.com/profile/Joerg_Aehrenfeld;05.04.2021\r\n"
        ";;;;;\r\n".encode()
    )
    spec = "Vorname=first_name,Nachname=last_name,Firma=company,Position=title,Profil=url,Seit=connected_on"
    result = cli(nb_path, "import", "csv", str(path), "--map", spec, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["people_added"], summary["hidden_skipped"]) == (1, 1)
    with Notebook(nb_path) as nb:
        joerg = nb.person("Jörg Ährenfeld")
        assert joerg.xing_url.endswith("Joerg_Aehrenfeld") and joerg.company_slug == "zeppelin-freight"
        assert import_csv(nb, path, spec).people_unchanged == 1
    bad = cli(nb_path, "import", "csv", str(path), "--map", "Vorname=first_name,Nope=company")
    assert bad.exit_code == 1 and "no header with the mapped columns" in bad.output
    assert "unknown field" in cli(nb_path, "import", "csv", str(path), "--map", "Vorname=vorname").output


# -- at scale ------------------------------------------------------------------------------------------------------------


def test_five_thousand_connections(nb_path: Path, tmp_path: Path):
    rows = [
        [f"First{i}", f"Last{i}", url(f"p{i}"), "", f"Company {i % 300}", f"Title {i % 40}", "12 Mar 2024"]
        for i in range(5000)
    ]
    source = write_zip(tmp_path / "big.zip", export_files(connections=rows))
    started = time.perf_counter()
    summary = run_import(nb_path, source)
    took = time.perf_counter() - started
    assert summary.people_added == 5000 and took < 20
    again = run_import(nb_path, source)
    assert again.people_unchanged == 5000


def test_import_errors_are_researcher_errors():
    assert issubclass(BadImportFile, Exception)
    from researcher.store import ResearcherError

    assert issubclass(BadImportFile, ResearcherError)


# -- the TUI ---------------------------------------------------------------------------------------------------------


def within_timeout(test):
    """A hang fails the test instead of blocking the suite."""

    @functools.wraps(test)
    async def run(*args, **kwargs):
        await asyncio.wait_for(test(*args, **kwargs), timeout=30)

    return run


async def _palette_import(pilot, path: str) -> None:
    from textual.widgets import Input

    from tests.test_tui import settle

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Import a Li")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    pilot.app.screen.query_one("#path", Input).value = path  # typed key by key, a long path takes seconds
    await pilot.press("enter")
    await settle(pilot)
    await pilot.pause()


@within_timeout
async def test_the_palette_imports_an_export_with_a_progress_bar_and_the_summary(nb_path: Path, tmp_path: Path):
    from textual.widgets import ProgressBar, Static

    from researcher.tui.app import make_app
    from researcher.tui.widgets.import_linkedin import ImportLinkedinModal

    source = write_zip(tmp_path / "export.zip", export_files(connections=HOSTILE + CONNECTIONS))
    app = make_app(nb_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _palette_import(pilot, str(source))
        modal = app.screen
        assert isinstance(modal, ImportLinkedinModal)
        summary = str(modal.query_one("#summary", Static).render())
        assert "People: 5 added, 0 updated, 0 unchanged (2 hidden rows skipped)" in summary
        assert "\x1b" not in summary and modal.query_one(ProgressBar).percentage == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportLinkedinModal)
    with Notebook(nb_path) as nb:
        assert nb.count_people() == 6  # and me


@within_timeout
async def test_the_import_dialog_shows_a_bad_file_in_one_line(nb_path: Path, tmp_path: Path):
    from textual.widgets import Input, Static

    from researcher.tui.app import make_app
    from tests.test_tui import settle

    fake = tmp_path / "export.zip"
    fake.write_bytes(b"nope")
    app = make_app(nb_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_import_linkedin()
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(fake)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        assert str(app.screen.query_one("#summary", Static).render()) == "export.zip is not a zip file"
    with Notebook(nb_path) as nb:
        assert nb.count_people() == 0
