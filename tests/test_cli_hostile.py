"""Hostile input through every command: one `Error:` line or a clean success, never a traceback, the notebook
unchanged on failure; and hostile rows (written into the file by another program) printed clean."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from researcher.cli import main
from researcher.store import Notebook
from researcher.sync.parse import Entry

# What a terminal would act on: ESC, BEL, C1 controls (CSI U+009B, OSC U+009D...), bidi overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
ESCAPES = "Evil\x1b]0;pwned\x07\x9b31m\u202eTitle\x1b[2J\x9d8;;http://x\x9c"

HOSTILE = {
    "empty": "",
    "blank": "   ",
    "nul": "a\x00b",
    "escapes": ESCAPES,
    "markup": "[bold red]x[/] [@click=app.quit]q[/]",
    "surrogate": "Bad\udcffName",
    "long": "x" * 10_000,
    "fullwidth-date": "２０２１-０９",
    "ipv6": "http://[::1",
    "extreme-time": "9999-12-31T23:59:59-23:59",
    "huge-int": str(2**63),
    "negative": "-1",
    "emoji": "🎉",
}

# A valid invocation of every command (without --db): positional arguments, then options.
BASELINES: dict[str, tuple[list[str], dict[str, str | None]]] = {
    "company add": (["NewCo"], {}),
    "company list": ([], {}),
    "company show": (["acme"], {}),
    "company edit": (["acme"], {"--location": "Lyon"}),
    "company rm": (["acme"], {}),
    "person add": (["New Person"], {}),
    "person list": ([], {}),
    "person show": (["ann-lee"], {}),
    "person edit": (["ann-lee"], {"--headline": "Payments"}),
    "person rm": (["ann-lee"], {}),
    "position add": (["ann-lee"], {"--company": "acme", "--title": "CTO", "--start": "2020-01"}),
    "position edit": (["1"], {"--title": "Head of payments"}),
    "position end": (["1"], {"--end": "2024-01"}),
    "position rm": (["1"], {}),
    "knows": (["me", "ann-lee"], {}),
    "careers": ([], {"--title": "engineer"}),
    "invite": (["ann-lee"], {"--text": "Hello Ann, your talk on instant payments in Lyon was great."}),
    "path": (["ann-lee"], {}),
    "feed add": (["acme", "https://acme.example/other.xml", "--no-discover"], {}),
    "feed discover": (["http://127.0.0.1:9/"], {}),
    "feed list": ([], {}),
    "feed rm": (["http://127.0.0.1:9/feed.xml"], {}),
    "note add": (["hello"], {"--company": "acme"}),
    "note list": ([], {"--company": "acme"}),
    "note edit": (["1", "Ask about the platform team"], {}),
    "note rm": (["1"], {}),
    "sync": ([], {"--company": "acme"}),
    "news": ([], {}),
    "news read": (["1"], {}),
    "news unread": (["1"], {}),
    "news star": (["1"], {}),
    "news unstar": (["1"], {}),
    "news rm": (["1"], {}),
    "search": (["acme"], {}),
    "import opml": (["{opml}"], {}),
    "import linkedin": (["{connections}"], {"--dry-run": None}),
    "import csv": (["{connections}"], {"--map": "First Name=first_name,Last Name=last_name,Company=company"}),
    "export opml": ([], {}),
    "approach": (["ann-lee"], {"--status": "to contact"}),
    "interaction add": (["ann-lee"], {"--channel": "email", "--summary": "Wrote to her"}),
    "interaction list": (["ann-lee"], {}),
    "network": ([], {}),
    "network goal": (["80"], {}),
    "network profile": (["linkedin", "photo"], {}),
    "network quiet-days": (["60"], {}),
    "company track": (["Globex Ltd"], {"--sector": "Fintech"}),
    "term add": (["acme", "SEPA"], {"--meaning": "Single Euro Payments Area", "--seen": "news", "--example": "SEPA."}),
    "term list": (["acme"], {}),
    "term edit": (["acme", "IBAN"], {"--meaning": "An account number"}),
    "term rm": (["acme", "IBAN"], {}),
    "term suggest": (["acme"], {"--limit": "5"}),
    "term accept": (["acme", "payments"], {"--meaning": "Money moving"}),
    "term dismiss": (["acme", "payments"], {}),
    "term drill": (["acme"], {"--limit": "5"}),
    "org": (["acme"], {}),
    "org unit add": (["acme", "Payments"], {"--parent": "Engineering"}),
    "org unit rename": (["acme", "Engineering", "Technology"], {}),
    "org unit move": (["acme", "Engineering"], {"--under": "Engineering"}),
    "org unit rm": (["acme", "Engineering"], {}),
    "org place": (["acme", "ann-lee"], {"--unit": "Engineering", "--reports-to": ""}),
    "discover": ([], {"--sector": "Fintech", "--limit": "5"}),
    "sectors": ([], {}),
    "today": ([], {}),
    "import vcard": (["{vcard}"], {}),
    "export vcard": (["ann-lee"], {}),
    "export dossier": (["acme"], {}),
    "export ics": ([], {}),
    "import json": (["{opml}"], {}),  # (not JSON, and the notebook is not empty: both one line)
    "export json": ([], {}),
    "person forget": (["ann-lee", "--yes"], {}),
    "backup": (["backup.db"], {}),
    "restore": (["backup.db", "--force"], {}),
}
NOT_FUZZED = {"demo"}  # writes a whole notebook to --db; its own tests cover it


def leaf_commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                yield " ".join(path), command
            yield from leaf_commands(command, path)
        else:
            yield " ".join(path), command


def digest(path: Path) -> str:
    """Every row of every table, hashed (the notebook as a user's data, whatever its pages)."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        h = hashlib.sha256()
        for table in tables:
            for row in sorted(repr(r) for r in conn.execute(f"SELECT * FROM [{table}]")):
                h.update(row.encode("utf-8", "surrogatepass"))
        return h.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "notebook.db"
    with Notebook(path) as nb:
        nb.add_company("Acme", sector="Fintech", status="target")
        nb.add_person("Me Myself", me=True)
        nb.add_person("Ann Lee", company="acme", title="Payments engineer", start="2019-03")
        nb.add_relationship("me-myself", "ann-lee", strength=2, how="met at a meetup")
        nb.add_feed("acme", "http://127.0.0.1:9/feed.xml")
        nb.add_note("Ask about the data team", company="acme")
        nb.add_org_unit("acme", "Engineering")
        nb.add_glossary_term("IBAN", company="acme", meaning="International bank account number")
        nb.checkpoint()
    (folder / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="Beta"><outline type="rss" text="b" xmlUrl="https://beta.example/feed.xml"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    (folder / "Connections.csv").write_text(
        "Notes:\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Bea,Hostile,,,\x1b[31mEvil\u202e Corp,=HYPERLINK(1),12 Mar 2024\r\n",
        encoding="utf-8",
    )
    (folder / "people.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vee Card\r\nEND:VCARD\r\n")
    return path


def invoke(db: Path, args: list[str], input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input, prog_name="researcher")


def assert_one_clean_line(result: Result, args: list[str]) -> None:
    """Exit 0, or 1 with one `Error:` line on stderr, or 2 (usage) ending in one; never a traceback; all clean."""
    where = f"researcher {' '.join(a[:40] for a in args)}"
    assert result.exit_code in (0, 1, 2), (where, result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (where, repr(result.exception))
    assert "Traceback" not in result.output, where
    assert "unexpected failure" not in result.stderr, (where, result.stderr)
    assert not UNSAFE.search(result.stdout + result.stderr), (where, result.stdout[-300:], result.stderr)
    if result.exit_code:
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("Error: "), (where, result.stderr)
        assert len(last) <= 400, (where, len(last), last[:200])
        if result.exit_code == 1 and args[0] != "sync":  # (sync's progress lines go to stderr too)
            assert len(result.stderr.strip().splitlines()) == 1, (where, result.stderr)


def invocations(template: Path):
    """Every command, with each of its values in turn replaced by each hostile value."""
    opml = str(template.parent / "feeds.opml")
    for name, command in leaf_commands():
        if name in NOT_FUZZED:
            continue
        positional, options = BASELINES[name]
        vcard = str(template.parent / "people.vcf")
        connections = str(template.parent / "Connections.csv")
        positional = [
            a.replace("{opml}", opml).replace("{vcard}", vcard).replace("{connections}", connections)
            for a in positional
        ]
        yield name, "baseline", [*name.split(), *positional, *_flat(options)]
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        value_options = [
            p
            for p in command.params
            if isinstance(p, click.Option) and not p.is_flag and p.name != "db" and not p.hidden
        ]
        for label, value in HOSTILE.items():
            for i, _ in enumerate(arguments):
                args = list(positional)
                if i < len(args):
                    args[i] = value
                yield name, label, [*name.split(), *args, *_flat(options)]
            for option in value_options:
                flag = max(option.opts, key=len)
                yield name, label, [*name.split(), *positional, *_flat({**options, flag: value})]


def _flat(options: dict[str, str | None]) -> list[str]:
    return [x for pair in options.items() for x in pair if x is not None]  # None: a flag alone


def test_every_command_has_a_baseline():
    """A new command must join the hostile table below (and the README)."""
    names = {name for name, _ in leaf_commands()} - NOT_FUZZED
    assert names == set(BASELINES), names ^ set(BASELINES)


def test_hostile_values_in_every_command(template: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `export opml -o VALUE` writes where it is asked to
    db = tmp_path / "notebook.db"
    shutil.copy(template, db)
    before = digest(db)
    failures: list[str] = []
    runs = 0
    for name, label, args in invocations(template):
        result = invoke(db, args)
        runs += 1
        try:
            assert_one_clean_line(result, args)
            if label == "baseline":
                assert result.exit_code in (0, 1), (name, result.output)
            # (a sync whose feeds all failed records their failures: that is its job)
            if result.exit_code != 0 and name != "sync":
                assert digest(db) == before, f"{name} [{label}] failed but changed the notebook"
        except AssertionError as exc:
            failures.append(f"{name} [{label}]: {exc}")
        if (result.exit_code == 0 or name == "sync") and digest(db) != before:
            shutil.copy(template, db)
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert runs > 500
    assert not failures, "\n".join(f[:300] for f in failures) + f"\n({len(failures)} of {runs} failed)"


@pytest.mark.parametrize("data", [b"\xff\xfe", b"ok \xc3\x28 then", b"\x1b]0;pwned\x07 note \x9b"], ids=repr)
def test_a_note_from_stdin_with_bad_bytes(template: Path, tmp_path: Path, data: bytes):
    db = tmp_path / "notebook.db"
    shutil.copy(template, db)
    result = invoke(db, ["note", "add", "--company", "acme", "-"], input=data)
    assert_one_clean_line(result, ["note", "add"])
    listed = invoke(db, ["note", "list", "--company", "acme", "--json"])
    bodies = [n["body"] for n in json.loads(listed.stdout)]
    assert all(not UNSAFE.search(b) and "\udcff" not in b for b in bodies)


def test_export_into_a_missing_folder_is_one_line(template: Path, tmp_path: Path):
    db = tmp_path / "notebook.db"
    shutil.copy(template, db)
    result = invoke(db, ["export", "opml", "-o", str(tmp_path / "no" / "such" / "feeds.opml")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write") and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_a_write_while_another_program_holds_the_lock(template: Path, tmp_path: Path, monkeypatch):
    from researcher.store import connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "notebook.db"
    shutil.copy(template, db)
    before = digest(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = invoke(db, ["company", "add", "Blocked"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: the notebook is busy"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert digest(db) == before


# -- rows another program wrote: cleaned when printed ------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_rows(template: Path, tmp_path_factory) -> Path:
    """The template with escape sequences written straight into every text column a command prints."""
    path = tmp_path_factory.mktemp("rows") / "notebook.db"
    shutil.copy(template, path)
    with Notebook(path) as nb:
        nb.add_interaction("ann-lee", "email", "Wrote")
        nb.set_approach("ann-lee", status="to contact", next_step="call", next_action_at="2026-01-05")
        nb.add_term("PSP", "payment service provider", company="acme")
        nb.add_org_unit("acme", "Payments")
        nb.save_fetch(
            nb.feeds("acme")[0].id,
            [Entry("e1", "Title", "Summary", "https://acme.example/1", "2026-01-02T00:00:00Z", "h1")],
        )
        nb.add_note("On the person", person="ann-lee")
        nb.save_invitation("ann-lee", "Hello Ann, your talk on instant payments was great.", network="linkedin")
    conn = sqlite3.connect(path)
    bad = ESCAPES
    with conn:
        for table, columns in {
            "companies": ["name", "sector", "location", "description", "website"],
            "people": ["name", "headline", "location", "email", "phone", "linkedin_url"],
            "positions": ["title", "company_name"],
            "feeds": ["url", "title", "last_error", "etag"],
            "news_items": ["title", "summary", "link"],
            "notes": ["body"],
            "terms": ["term", "definition"],
            "interactions": ["summary"],
            "invitations": ["text"],
            "relationships": ["how"],
            "approach": ["next_step"],
            "org_units": ["name"],
        }.items():
            for column in columns:
                conn.execute(f"UPDATE {table} SET [{column}] = ? || ifnull([{column}], '')", [bad])
    conn.close()
    return path


READERS = [
    ["company", "list"],
    ["company", "show", "acme"],
    ["person", "list"],
    ["person", "show", "ann-lee"],
    ["feed", "list"],
    ["news"],
    ["note", "list", "--company", "acme"],
    ["note", "list", "--person", "ann-lee"],
    ["interaction", "list", "ann-lee"],
    ["network"],
    ["path", "ann-lee"],
    ["careers", "--title", "payments"],
    ["invite", "ann-lee"],
    ["approach", "ann-lee"],
    ["export", "opml"],
    ["export", "vcard"],
    ["export", "dossier", "acme"],
    ["export", "ics"],
    ["export", "json"],
]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_rows_written_by_another_program_print_clean(hostile_rows: Path, args: list[str]):
    result = invoke(hostile_rows, args)
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.stdout + result.stderr), result.stdout[:500]
    assert "pwned" in result.stdout or args[0] in ("careers", "export") or "Evil" in result.stdout


JSON_READERS = [r + ["--json"] for r in READERS if r[0] not in ("export",) and r[:2] != ["approach", "ann-lee"]]


@pytest.mark.parametrize("args", JSON_READERS, ids=" ".join)
def test_json_escapes_every_character_a_terminal_acts_on(hostile_rows: Path, args: list[str]):
    result = invoke(hostile_rows, args)
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.stdout), repr(UNSAFE.search(result.stdout))
    json.loads(result.stdout)  # still JSON, the text as stored


@pytest.mark.parametrize("args", [["company", "add", "Nope"], ["note", "add", "--company", "acme", "x"], ["sync"]])
def test_a_notebook_we_may_not_write_is_one_line_and_unchanged(template: Path, tmp_path: Path, monkeypatch, args):
    """The file as SQLite sees a notebook on read-only media or owned by someone else (root writes through any
    file mode, so the test opens it the way SQLite does when it may not write: mode=ro)."""
    from researcher.store import connection

    db = tmp_path / "notebook.db"
    shutil.copy(template, db)
    before = digest(db)
    real_connect = sqlite3.connect

    def read_only(database, *a, **kw):
        if str(database) == str(db):
            return real_connect(f"file:{database}?mode=ro", *a, uri=True, **kw)
        return real_connect(database, *a, **kw)

    monkeypatch.setattr(connection.sqlite3, "connect", read_only)
    result = invoke(db, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "read-only" in lines[0], result.stderr
    assert digest(db) == before
