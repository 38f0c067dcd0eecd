"""The `researcher` command line; `researcher` alone opens the TUI."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
from platformdirs import user_cache_path, user_data_path

from researcher import __version__
from researcher.insight.dossier import PEOPLE_PAGE
from researcher.store import Notebook, ResearcherError
from researcher.store.errors import user_message
from researcher.store.person_edits import LINK_KINDS
from researcher.store.schema import (
    APPROACH_STATUSES,
    CHANNELS,
    COMPANY_SIZES,
    COMPANY_STATUSES,
    FUNCTIONS,
)
from researcher.store.validate import MAX_OPML_BYTES
from researcher.text import clean_line, clean_text, quoted
from researcher.words import plural

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def default_db_path() -> Path:
    """Where the notebook lives: $RESEARCHER_DB, else the user data dir."""
    env = os.environ.get("RESEARCHER_DB")
    if env:
        return Path(env).expanduser()
    # Our own folder, made on first start (connect() refuses a --db in a missing folder).
    return user_data_path("researcher", appauthor=False, ensure_exists=True) / "notebook.db"


def _user_error(exc: BaseException) -> click.ClickException | None:
    """The one line a user reads for an exception a command raised; None for click's own (shown as they are)."""
    if isinstance(exc, click.ClickException | click.exceptions.Exit | click.Abort | BrokenPipeError):
        return None  # click's own, shown as they are; a closed pipe ends the command quietly (RootGroup.main)
    if not isinstance(exc, Exception):
        return None  # KeyboardInterrupt, SystemExit: RootGroup.main
    known = isinstance(exc, ResearcherError | sqlite3.Error | MemoryError | OSError)
    if not known and os.environ.get("RESEARCHER_DEBUG"):
        return None  # the traceback, for a bug report
    message = user_message(exc)
    return click.ClickException(message if known else message + " (RESEARCHER_DEBUG=1 shows where)")


class Group(click.Group):
    """Turn every failure of a command into one `Error: ...` line and exit status 1: never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = _user_error(exc)
            if error is None:
                raise
            raise error from None


# click quotes the offending value whole in its usage errors; a line must stay a line.
_QUOTED_LONG = re.compile(r"'([^']{60})[^']{2,}'")


class RootGroup(Group):
    """Also cleans what click itself prints about bad usage (it quotes the arguments, which may hold escapes)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        _warnings.clear()
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            exc.message = _QUOTED_LONG.sub(r"'\1…'", clean_line(exc.message))
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `researcher news | head`: the reader has what it wanted
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        for warning in _warnings:
            echo(f"warning: {warning}", err=True)
        sys.exit(result if isinstance(result, int) else 0)


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().meta["db"] = Path(value).expanduser()


def db_option(func):
    """`--db PATH` accepted before or after the subcommand."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        expose_value=False,
        is_eager=True,
        callback=_remember_db,
        help="Notebook file (default: $RESEARCHER_DB or the user data dir).",
    )(func)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Write JSON to stdout.")(func)


def db_path(ctx: click.Context | None = None) -> Path:
    ctx = ctx or click.get_current_context()
    return ctx.find_root().meta.get("db") or default_db_path()


def open_notebook(create: bool = False) -> Notebook:
    """The notebook at --db; only the commands that start one (adding a company or a person, an import, the TUI)
    create a missing file: the others say there is none. A notebook we may only read says so on stderr."""
    nb = Notebook(db_path(), create=create)
    for note in (nb.read_only_reason, nb.warning):
        if note and note not in _warnings:
            _warnings.append(note)
    return nb


# Said once on stderr after a command that succeeded (a failure says only its one Error: line).
_warnings: list[str] = []


# JSON escapes C0 controls itself; these it leaves raw, and a terminal acts on them (C1 CSI, bidi overrides).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def emit_json(data: Any) -> None:
    """JSON on stdout: text as it is stored, with every character a terminal could act on escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Outside strings JSON is plain ASCII, so these can only be inside strings, where \\uXXXX is their escape.
    click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def echo(message: Any = "", err: bool = False) -> None:
    """Print human output, cleaned at print time: rows another program wrote into the file reach the terminal
    without their escape sequences, control characters or bidi overrides."""
    click.echo(clean_text(str(message)), err=err)


MAX_LIMIT = 1_000_000  # rows a --limit may ask for (SQLite's integers end at 2**63)
STDIN_LIMIT = 16 << 20  # bytes; a note or a summary is never this long


def read_text_arg(text: str) -> str:
    """TEXT, or stdin when TEXT is "-", decoded as UTF-8 (a bad byte becomes U+FFFD, never an error)."""
    if text != "-":
        return text
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (an embedding program's): already decoded
        return sys.stdin.read(STDIN_LIMIT)
    data = stream.read(STDIN_LIMIT + 1)
    if len(data) > STDIN_LIMIT:
        raise ResearcherError(f"stdin holds more than {STDIN_LIMIT >> 20} MiB; a note is shorter than that")
    return data.decode("utf-8", errors="replace")


def read_input_file(name: str, limit: int) -> bytes:
    """An imported file's bytes ("-": stdin): a regular file, at most `limit` bytes; else one clear line."""
    if name == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        data = stream.read(limit + 1)
        data = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    else:
        try:
            path = Path(name)
            if not path.is_file():
                what = "does not exist" if not path.exists() else "is not a regular file"
                raise ResearcherError(f"cannot read {quoted(name)}: it {what}")
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable file name"
            raise ResearcherError(f"cannot read {quoted(name)}: {reason}") from None
    if len(data) > limit:
        raise ResearcherError(f"{quoted(name)} is larger than {limit / (1 << 20):g} MiB; not imported")
    return data


def write_output(path: Path, text: str) -> None:
    """Write an export whole or not at all: a temporary file beside it, then renamed over it."""
    with output_file(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def output_file(path: Path):
    """A text file to write an export into, a piece at a time: a temporary file beside `path`, renamed over it
    when the block ends well (removed when it does not)."""
    try:
        folder = path.expanduser().resolve().parent
        if not folder.is_dir():
            raise ResearcherError(
                f"cannot write {quoted(path)}: folder {quoted(folder)} does not exist; create it or choose another -o"
            )
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".researcher-", suffix=".tmp")
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable file name"
        raise ResearcherError(f"cannot write {quoted(path)}: {reason}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ResearcherError(f"cannot write {quoted(path)}: {exc.strerror or exc}") from None
        raise


def _line(*cells: Any, widths: tuple[int, ...]) -> str:
    out = []
    for cell, width in zip(cells, widths):
        text = "" if cell is None else clean_line(str(cell))
        out.append(text[:width].ljust(width) if width else text)
    return "  ".join(out).rstrip()


# --------------------------------------------------------------------------- root


def demo_copy() -> Path:
    """A fresh copy of the demo notebook for this process, in one well-known folder; copies left by a `--demo`
    that was killed (its terminal closed) are removed here, at the next start."""
    from researcher.interop.demo import write_demo
    from researcher.sync.lifeline import alive

    folder = user_cache_path("researcher", appauthor=False) / "demo"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob("demo-*.db*"):
        pid = old.name.split(".")[0].removeprefix("demo-")
        if pid.isdigit() and not alive(int(pid)):
            old.unlink(missing_ok=True)
    path = folder / f"demo-{os.getpid()}.db"
    write_demo(path, overwrite=True)
    return path


@click.group(cls=RootGroup, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option("--demo", is_flag=True, help="Open the TUI on a fresh temporary copy of the demo notebook.")
@click.version_option(__version__, "--version", prog_name="researcher")
@click.pass_context
def main(ctx: click.Context, demo: bool) -> None:
    """A terminal notebook for researching the companies you want to work for.

    Run `researcher` alone to open the notebook in the terminal UI, or
    `researcher --demo` to try it on the fictional demo notebook.
    """
    if ctx.invoked_subcommand is not None:
        if demo:
            raise click.UsageError("--demo opens the TUI; it does not go with a subcommand")
        return
    from researcher.tui.app import run  # textual is only imported when the TUI opens

    if demo:
        path = demo_copy()
        try:
            run(path, title_suffix="demo")
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        path = db_path(ctx)
        open_notebook(create=True).close()  # create and migrate it, with a clear error if that fails
        run(path)


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def demo(force: bool) -> None:
    """Write the fictional demo notebook to --db PATH.

    Example: researcher demo --db /tmp/demo.db
    """
    from researcher.interop.demo import write_demo

    path = click.get_current_context().find_root().meta.get("db")
    if path is None:
        raise click.UsageError("say where to write it: researcher demo --db PATH")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; add --force to overwrite it")
    counts = write_demo(path, overwrite=force)
    echo(
        f"Wrote the demo notebook to {path}: {counts['companies']} companies, {counts['people']} people, "
        f"{counts['news_items']} news items."
    )


# --------------------------------------------------------------------------- companies


@main.group(cls=Group, context_settings=CONTEXT)
def company() -> None:
    """Companies you follow: add, list, show, edit, rm."""


@company.command("add")
@db_option
@click.argument("name")
@click.option("--sector", help="Sector, e.g. Fintech.")
@click.option("--website", help="http(s) URL.")
@click.option("--status", type=click.Choice(COMPANY_STATUSES), help="Where it stands in your pipeline.")
@click.option("--location")
@click.option("--size", type=click.Choice(COMPANY_SIZES))
@click.option("--description")
@json_option
def company_add(name: str, as_json: bool, **fields: Any) -> None:
    """Add a company.

    Example: researcher company add "Banque Éclair" --sector Fintech --status target
    """
    with open_notebook(create=True) as nb:
        added = nb.add_company(name, **fields)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Added company {added.name} ({added.slug})")


@company.command("list")
@db_option
@click.option("--sector", help="Only this sector.")
@click.option("--status", type=click.Choice(COMPANY_STATUSES), help="Only this pipeline status.")
@json_option
def company_list(sector: str | None, status: str | None, as_json: bool) -> None:
    """List companies, with their people and unread news.

    Example: researcher company list --sector Fintech --json
    """
    with open_notebook() as nb:
        rows = nb.companies(sector=sector, status=status)
    if as_json:
        emit_json([c.to_dict() for c in rows])
        return
    widths = (32, 20, 12, 6, 6, 0)
    echo(_line("NAME", "SECTOR", "STATUS", "PEOPLE", "UNREAD", "SLUG", widths=widths))
    for c in rows:
        echo(_line(c.name, c.sector, c.status, c.people_count, c.unread_count, c.slug, widths=widths))


@company.command("show")
@db_option
@click.argument("company_ref", metavar="COMPANY")
@click.option(
    "--people",
    "people_limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=PEOPLE_PAGE,
    show_default=True,
    help="How many people to rank by warmest path.",
)
@json_option
def company_show(company_ref: str, people_limit: int, as_json: bool) -> None:
    """Show a company: details, people ranked by warmest path, career paths, feeds, vocabulary, notes.

    The same dossier as the TUI's, tab by tab. Example: researcher company show "banque eclair"
    """
    from researcher.insight.dossier import company_dossier

    with open_notebook() as nb:
        d = company_dossier(nb, company_ref, people_limit=people_limit)
    if as_json:
        emit_json(d.to_dict())
        return
    c = d.company
    echo(f"{c.name}  ({c.slug})")
    for label, value in (
        ("Sector", c.sector),
        ("Status", c.status),
        ("Location", c.location),
        ("Size", c.size),
        ("Website", c.website),
    ):
        if value:
            echo(f"  {label + ':':10} {value}")
    if c.description:
        echo(f"\n  {c.description}")
    people = [p for p in d.positions if p.current]
    echo(f"\nPeople ({len(people)} now, {len(d.positions) - len(people)} positions in the past)")
    for p in people:
        echo(f"  {p.person_name} — {p.title}" + (f" [{p.org_unit}]" if p.org_unit else ""))
    _show_ranked(d.people)
    if d.careers.came_from or d.careers.left_to:
        echo("\nCareer paths")
        echo("  came from: " + (", ".join(f"{name} ({n})" for name, n in d.careers.came_from[:8]) or "—"))
        echo("  left to:   " + (", ".join(f"{name} ({n})" for name, n in d.careers.left_to[:8]) or "—"))
    if d.news.feeds:
        echo(f"\nFeeds ({len(d.news.feeds)})")
        for f in d.news.feeds:
            echo(f"  {f.url}  {plural(f.item_count, 'item')}, {f.unread_count} unread")
    if d.vocabulary:
        echo(f"\nVocabulary ({len(d.vocabulary)})")
        for t in d.vocabulary:
            echo(f"  {t.term}: {t.definition}")
    if d.notes:
        echo(f"\nNotes ({len(d.notes)})")
        for n in d.notes:
            echo(f"  {n.created_at[:10]}  {n.body.splitlines()[0][:90]}")


def _show_ranked(page, shown: int = 10) -> None:
    """The people to approach first, with the warmest way to each (the dossier's People tab)."""
    rows = [r for r in page.rows if not r.is_me]
    if not rows:
        return
    echo("\nWarmest ways in" + (f" (no warm paths: {page.why_no_paths})" if page.why_no_paths else ""))
    for r in rows[:shown]:
        if r.path is None:
            via = "no path found" if not page.why_no_paths else ""
        elif len(r.path.links) == 1:
            via = "you know them"
        else:
            via = "via " + " → ".join(link.to_name for link in r.path.links[:-1])
        former = "" if r.current else "former "
        echo(f"  {r.name} — {former}{r.title or '?'}" + (f"  ({via})" if via else ""))
    if page.total > shown:
        echo(f"  … {page.total - shown} more (--json and --people N for more)")


@company.command("edit")
@db_option
@click.argument("company_ref", metavar="COMPANY")
@click.option("--name")
@click.option("--sector")
@click.option("--website")
@click.option("--status", type=click.Choice(COMPANY_STATUSES))
@click.option("--location")
@click.option("--size", type=click.Choice(COMPANY_SIZES))
@click.option("--description")
@json_option
def company_edit(company_ref: str, as_json: bool, **fields: Any) -> None:
    """Change a company's details.

    Example: researcher company edit banque-eclair --status applied
    """
    changes = {k: val for k, val in fields.items() if val is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one option such as --status")
    with open_notebook() as nb:
        edited = nb.edit_company(company_ref, **changes)
    if as_json:
        emit_json(edited.to_dict())
    else:
        echo(f"Updated company {edited.name} ({edited.slug})")


@company.command("rm")
@db_option
@click.argument("company_ref", metavar="COMPANY")
@json_option
def company_rm(company_ref: str, as_json: bool) -> None:
    """Remove a company with its feeds, news, notes, units and terms; their text is scrubbed from the file.

    Career paths keep the company's name. Example: researcher company rm banque-eclair
    """
    with open_notebook() as nb:
        company = nb.company(company_ref)
        if sys.stderr.isatty():  # scrubbing a big notebook's search index takes a while: say why it waits
            echo(f"Removing {company.name} and scrubbing its text from the search index…", err=True)
        removed = nb.remove_company(company.id)
    if as_json:
        emit_json(removed.to_dict())
    else:
        echo(f"Removed company {removed.name} ({removed.slug})")


# --------------------------------------------------------------------------- people


@main.group(cls=Group, context_settings=CONTEXT)
def person() -> None:
    """People: add, list, show, edit, rm."""


@person.command("add")
@db_option
@click.argument("name")
@click.option("--company", help="Where they work now (a company you track).")
@click.option("--title", help="Their title there.")
@click.option("--function", type=click.Choice(FUNCTIONS))
@click.option("--start", help="Since when, YYYY-MM.")
@click.option("--email")
@click.option("--phone")
@click.option("--headline")
@click.option("--location")
@click.option(
    "--profile", "profiles", multiple=True, help="A profile URL (LinkedIn, Viadeo, Xing, GoldenLine...); repeatable."
)
@click.option("--me", is_flag=True, help="This person is you.")
@json_option
def person_add(name: str, as_json: bool, **fields: Any) -> None:
    """Add a person.

    Example: researcher person add "Hélène Dubois" --company "Banque Éclair" --title CTO
    """
    with open_notebook(create=True) as nb:
        was = nb.me() if fields.get("me") else None
        added = nb.add_person(name, **{k: val for k, val in fields.items() if val not in (None, ())})
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Added {added.name} ({added.slug})" + (_me_note(was) if added.is_me else ""))


def _me_note(was: Any) -> str:
    """' — this is you', and who was before when it was someone else."""
    return " — this is you" + (f" (instead of {was.name})" if was is not None else "")


@person.command("list")
@db_option
@click.option("--company", help="Works or worked there.")
@click.option("--sector", help="Works or worked in this sector.")
@click.option("--function", type=click.Choice(FUNCTIONS), help="Holds or held this function.")
@click.option("--status", type=click.Choice(APPROACH_STATUSES), help="Approach status.")
@click.option("--title", help="Words of a title they hold or held.")
@click.option(
    "--network",
    type=click.Choice(("linkedin", "viadeo", "xing", "goldenline", "other", "none")),
    help="On this network (none: met offline, on no network).",
)
@click.option("--former", "employment", flag_value="former", help="Only those who left (--company's, else any).")
@click.option("--current", "employment", flag_value="current", help="Only those who still work there (or anywhere).")
@click.option(
    "--query",
    "-q",
    help='Words in the name, headline, company or title, and the People filter\'s keys: company:"banque eclair"'
    " status:to contact former: ...",
)
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), help="At most this many.")
@json_option
def person_list(as_json: bool, limit: int | None, employment: str | None, query: str | None, **options: Any) -> None:
    """List people with their current role; who left the company filtered on is marked as former.

    Example: researcher person list -q 'company:"banque eclair" former:' --json
    """
    from researcher.insight.people_filter import people_filter

    with open_notebook() as nb:
        parsed = people_filter(nb, query or "")
        filters = {**parsed.filters, **{k: val for k, val in options.items() if val is not None}}
        try:
            rows = nb.people_list(filters, employment or parsed.employment, limit=limit)
        except ResearcherError as exc:
            raise ResearcherError(f"{exc}; {parsed.hint}" if parsed.hint else str(exc)) from None
    if not rows and parsed.hint:
        echo(f"hint: {parsed.hint}", err=True)
    if as_json:
        emit_json([p.to_dict() for p in rows])
        return
    widths = (26, 26, 30, 11, 0)
    echo(_line("NAME", "COMPANY", "TITLE", "STATUS", "SLUG", widths=widths))
    for p in rows:
        company, title = (f"{p.former_company} (former)", p.former_title) if p.former_company else (p.company, p.title)
        echo(_line(p.name + (" (me)" if p.is_me else ""), company, title, p.approach_status, p.slug, widths=widths))


@person.command("show")
@db_option
@click.argument("person_ref", metavar="PERSON")
@json_option
def person_show(person_ref: str, as_json: bool) -> None:
    """Show a person: role, career path (with position ids), relationships, approach, warm paths, notes.

    Example: researcher person show "helene dubois"
    """
    from researcher.insight.person_page import person_page

    with open_notebook() as nb:
        page = person_page(nb, nb.resolve_person(person_ref).id)
    if as_json:
        emit_json(page.to_dict())
        return
    _print_person_page(page)


def _print_person_page(page: Any) -> None:
    p = page.person
    echo(f"{p.name}  ({p.slug})" + ("  — this is you" if p.is_me else ""))
    if p.headline:
        echo(f"  {p.headline}")
    for label, value in (
        ("Now", f"{page.current.title} at {page.current.company_name}" if page.current else None),
        ("Location", p.location),
        ("Email", p.email),
        ("Phone", p.phone),
    ):
        if value:
            echo(f"  {label + ':':10} {value}")
    for network, url in p.profiles.items():
        echo(f"  {network + ':':10} {url}")
    a, f = page.approach, page.follow_up
    if a:
        echo(f"  {'Approach:':10} {a.status}, priority {a.priority}")
        if a.next_action_at or a.next_step:
            due = {"overdue": f" (overdue by {plural(-(f.days or 0), 'day')})", "today": " (today)"}.get(
                f.due or "", ""
            )
            echo(f"  {'Next:':10} {a.next_action_at or 'no date'}{due}" + (f" — {a.next_step}" if a.next_step else ""))
    every = f"every {plural(f.cadence_days, 'day')}" + (" (the default)" if f.cadence_is_default else "")
    contact = f"; last contact {f.last_contact[:10]}, next by {f.keep_in_touch_by}" if f.last_contact else ""
    echo(f"  {'Touch:':10} {every}{contact}" + ("  — gone quiet" if f.quiet else ""))
    if page.invitation:
        i = page.invitation
        when = f" {i['sent_at'][:10]}" if i.get("sent_at") else ""
        echo(f"  {'Invite:':10} {i['state']}{when}")
    echo("\nCareer (position ids for `position edit|end|rm`)")
    for x in page.positions:
        span = f"{x.start or '?'} – {x.end or 'now'}"
        echo(f"  #{x.id:<7} {span:18} {x.title}, {x.company_name}" + (f" ({x.org_unit})" if x.org_unit else ""))
    if page.relationships:
        echo("\nKnows")
        for r in page.relationships:
            echo(
                f"  {r.other_name} ({r.kind.replace('_', ' ')}, strength {r.strength})"
                + (f": {r.how}" if r.how else "")
            )
    echo("\nWarm paths from you")
    if page.paths_reason:
        fix = " Mark yourself: researcher person edit NAME --me" if page.paths_reason == "no_me" else ""
        echo(f"  {page.paths_message}{fix}")
    elif page.paths and page.paths.paths:
        for n, warm in enumerate(page.paths.paths, 1):
            echo(f"  {n}. " + " → ".join([warm.links[0].from_name] + [link.to_name for link in warm.links]))
    else:
        echo("  No path from you in the notebook (researcher path P lists the closest people).")
    if page.notes:
        echo(f"\nNotes ({len(page.notes)})")
        for n in page.notes:
            echo(f"  {n.created_at[:10]}  {n.body.splitlines()[0][:90]}")


@person.command("edit")
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--name")
@click.option("--headline")
@click.option("--location")
@click.option("--email")
@click.option("--phone")
@click.option("--profile", "profiles", multiple=True, help="A profile URL; repeatable.")
@click.option(
    "--me/--not-me", "me", default=None, help="This person is you (someone else who was stops being); or not."
)
@json_option
def person_edit(person_ref: str, as_json: bool, me: bool | None, profiles: tuple[str, ...], **fields: Any) -> None:
    """Change a person's details.

    Example: researcher person edit helene-dubois --email helene@mail.example
    """
    changes = {k: val for k, val in fields.items() if val is not None}
    if not changes and not profiles and me is None:
        raise click.UsageError("nothing to change: give at least one option such as --email")
    with open_notebook() as nb, nb.atomic():
        was = nb.me()
        edited = nb.edit_person(person_ref, profiles=profiles, **changes)
        if me:
            edited = nb.set_me(edited.id)
        elif me is False:
            edited = nb.unset_me(edited.id)
    if as_json:
        emit_json(edited.to_dict())
    else:
        before = was if me and was is not None and was.id != edited.id else None
        echo(f"Updated {edited.name} ({edited.slug})" + (_me_note(before) if me else ""))


@person.command("rm")
@db_option
@click.argument("person_ref", metavar="PERSON")
def person_rm(person_ref: str) -> None:
    """Remove a person with their positions, relationships, interactions and notes.

    Example: researcher person rm helene-dubois
    """
    with open_notebook() as nb:
        removed = nb.remove_person(person_ref)
    echo(f"Removed {removed.name} ({removed.slug})")


def _counted(rows: dict[str, int]) -> str:
    return ", ".join(f"{table.replace('_', ' ')} {count}" for table, count in rows.items())


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@person.command("forget")
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@json_option
def person_forget(person_ref: str, yes: bool, as_json: bool) -> None:
    """Erase a person and everything about them, leaving no trace in the notebook file.

    Their positions, relationships (both ways), approach, interactions, invitations and notes go; the file is
    rewritten so none of it can be read back. Asks first unless --yes.

    Example: researcher person forget helene-dubois --yes
    """
    with open_notebook() as nb:
        preview = nb.forget_preview(person_ref)
        if not yes:
            what = _counted(preview.erased)
            if not _stdin_is_terminal():
                raise ResearcherError(f"forgetting {preview.name} erases {what}; add --yes to confirm")
            click.confirm(clean_line(f"Erase {preview.name} for good ({what})?"), abort=True, err=True)
        report = nb.forget_person(preview.id)
    if as_json:
        emit_json(report.to_dict())
        return
    echo(f"Forgot {report.name} ({report.slug}): {_counted(report.erased)}")
    if report.still_named:
        where = ", ".join(f"{hit['table']} {hit['id']}" for hit in report.still_named[:10])
        echo(f"Their name still appears in text about others: {where}")


@main.group(cls=Group, context_settings=CONTEXT)
def position() -> None:
    """Career paths: add, edit, end or remove a person's positions (ids: person show)."""


@position.command("add")
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--company", required=True, help="A company you track (or any name with --untracked).")
@click.option("--untracked", is_flag=True, help="The company is not one you track; record its name only.")
@click.option("--title", required=True)
@click.option("--start", required=True, help="YYYY-MM")
@click.option("--end", help="YYYY-MM; leave out for a current position.")
@click.option("--function", type=click.Choice(FUNCTIONS))
@click.option("--unit", help="Org unit at that company.")
@json_option
def position_add(person_ref: str, company: str, untracked: bool, as_json: bool, **fields: Any) -> None:
    """Add a position to a person's career path.

    Example: researcher position add helene-dubois --company "Banque Éclair" --title CTO --start 2021-09
    """
    with open_notebook() as nb:
        if untracked:
            added = nb.add_position(person_ref, company_name=company, **fields)
        else:
            added = nb.add_position(person_ref, company=company, **fields)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(
            f"Added {added.title} at {added.company_name} ({added.start} – {added.end or 'now'}) to {added.person_name}"
        )


@position.command("edit")
@db_option
@click.argument("position_id", metavar="ID", type=click.IntRange(1, 2**63 - 1))
@click.option("--title")
@click.option("--function", help=f'One of {", ".join(FUNCTIONS)}; "" clears it.')
@click.option("--unit", help='Org unit at that company ("" clears it).')
@click.option("--start", help="YYYY-MM")
@click.option("--end", help='YYYY-MM ("" clears it: held now).')
@json_option
def position_edit(position_id: int, as_json: bool, **fields: Any) -> None:
    """Change a position's title, function, unit or dates (its id is in `person show`).

    Example: researcher position edit 12 --title "Head of Product" --start 2022-03
    """
    changes = {k: val for k, val in fields.items() if val is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one option such as --title")
    with open_notebook() as nb:
        edited = nb.edit_position(position_id, **changes)
    _position_done(edited, "Updated", as_json)


@position.command("end")
@db_option
@click.argument("position_id", metavar="ID", type=click.IntRange(1, 2**63 - 1))
@click.option("--end", required=True, help="YYYY-MM, the month they left.")
@json_option
def position_end(position_id: int, end: str, as_json: bool) -> None:
    """They left: end a position in a month.

    Example: researcher position end 12 --end 2026-10
    """
    with open_notebook() as nb:
        ended = nb.end_position(position_id, end)
    _position_done(ended, "Ended", as_json)


@position.command("rm")
@db_option
@click.argument("position_id", metavar="ID", type=click.IntRange(1, 2**63 - 1))
def position_rm(position_id: int) -> None:
    """Remove a position from a career path.

    Example: researcher position rm 12
    """
    with open_notebook() as nb:
        removed = nb.remove_position(position_id)
    echo(f"Removed {removed.title} at {removed.company_name} from {removed.person_name}")


def _position_done(x: Any, verb: str, as_json: bool) -> None:
    if as_json:
        emit_json(x.to_dict())
    else:
        echo(f"{verb} #{x.id}: {x.title} at {x.company_name} ({x.start or '?'} – {x.end or 'now'}) of {x.person_name}")


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("person_ref", metavar="P1")
@click.argument("other_ref", metavar="P2")
@click.option("--strength", type=click.IntRange(1, 3), default=2, show_default=True, help="1 weak, 3 close.")
@click.option("--how", help="How you know each other.")
@click.option(
    "--kind",
    type=click.Choice(LINK_KINDS),
    default="knows",
    show_default=True,
    help="introduced_by: P1 was introduced by P2; introduced: P2 was introduced by P1.",
)
@click.option("--remove", is_flag=True, help="Forget the link between them instead (only that --kind, if given).")
@json_option
@click.pass_context
def knows(
    ctx: click.Context,
    person_ref: str,
    other_ref: str,
    strength: int,
    how: str | None,
    kind: str,
    remove: bool,
    as_json: bool,
) -> None:
    """Record that two people know each other (again: updates the link); --remove forgets it.

    Example: researcher knows me "Hélène Dubois" --strength 3 --how "worked together at Banque Éclair"
    """
    with open_notebook() as nb:
        if remove:
            given = ctx.get_parameter_source("kind") is not click.core.ParameterSource.DEFAULT
            removed = nb.remove_relationships(person_ref, other_ref, kind if given else None)
            first = nb.resolve_person(person_ref).name
        else:
            rel = nb.record_relationship(person_ref, other_ref, kind=kind, strength=strength, how=how)
            first = nb.person(rel.person_id).name
    if remove:
        if as_json:
            emit_json([r.to_dict() for r in removed])
        else:
            for r in removed:
                echo(f"Removed: {first} {r.kind.replace('_', ' ')} {r.other_name}")
        return
    if as_json:
        emit_json(rel.to_dict())
    else:
        echo(f"{first} {rel.kind.replace('_', ' ')} {rel.other_name} (strength {rel.strength})")


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--title", help='Words the title holds, any order, case and accents aside: "head product".')
@click.option("--company", help="Only the role at this company (one you track).")
@click.option("--function", type=click.Choice(FUNCTIONS), help="Only positions in this function.")
@json_option
def careers(title: str | None, company: str | None, function: str | None, as_json: bool) -> None:
    """Study a role: who holds or held it, the step just before it, where they came from, how long it took.

    Example: researcher careers --title "head of product" --function product
    """
    from researcher.insight.study import study_role

    if not (title or "").strip() and not function:
        raise click.UsageError("say which role: give --title WORDS, --function F, or both")
    with open_notebook() as nb:
        found = study_role(nb, title=title, function=function, company=company)
    if as_json:
        emit_json(found.to_dict())
        return
    if not found.holders:
        echo(f"Nobody in the notebook holds or held {found.role}.")
        return
    now = sum(h.current for h in found.holders)
    echo(f"{found.role}: {plural(len(found.holders), 'person', 'people')}, {now} in the role now")
    if found.median_years_to_role is not None and found.range_years:
        low, high = found.range_years
        echo(
            f"Time from first position to the role: median {found.median_years_to_role:.1f} years "
            f"(from {low:.1f} to {high:.1f})"
        )

    def counted(heading: str, pairs: list[tuple[str, int]], shown: int = 8) -> None:
        if not pairs:
            return
        echo(f"\n{heading}")
        for label, n in pairs[:shown]:
            echo(f"  {n:3}  {label}")
        if len(pairs) > shown:
            echo(f"       … {len(pairs) - shown} more (--json for all)")

    counted("Just before (stepping stones)", found.stepping_stones)
    counted("Came from", found.came_from)
    if found.functions_before:
        echo("\nFunctions before: " + ", ".join(f"{f} {n}" for f, n in found.functions_before))
    echo()
    widths = (4, 24, 40, 8, 6, 0)
    echo(_line("", "NAME", "ROLE", "SINCE", "YEARS", "JUST BEFORE", widths=widths))
    shown = 25
    for h in found.holders[:shown]:
        before = f"{h.before.title}, {h.before.company_name}" if h.before else ""
        years = f"{h.years_to_role:.1f}" if h.years_to_role is not None else ""
        echo(
            _line(
                "now" if h.current and h.end is None else "",  # only a position still held is "now"
                h.name,
                f"{h.title}, {h.company}",
                h.start or "?",
                years,
                before,
                widths=widths,
            )
        )
        if h.now_title:
            echo(_line("", "", f"now {h.now_title}, {h.now_company}", widths=widths[:3]))
    if len(found.holders) > shown:
        echo(f"… {len(found.holders) - shown} more people (--json for all)")


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--text", help='The invitation, written by you; "-" reads stdin.')
@click.option("--edit", is_flag=True, help="Write the draft in $EDITOR.")
@click.option("--check", "check_only", is_flag=True, help="Only print the warnings on the draft (exit 0).")
@click.option("--sent", is_flag=True, help="Mark the draft sent: logs an interaction, status becomes invited.")
@click.option("--network", type=click.Choice(CHANNELS), help="Where it goes (default: the draft's, else linkedin).")
@json_option
def invite(
    person_ref: str, text: str | None, edit: bool, check_only: bool, sent: bool, network: str | None, as_json: bool
) -> None:
    """Write an invitation by hand, check it, mark it sent. Alone: show the draft and its warnings.

    The check warns when the text has fewer than a dozen words of your own, mentions nothing
    specific to the person, or reads like the network's default invitation.

    Example: researcher invite "anna schmidt" --text "Hi Anna, your talk on Zahlwerk's ledger..." --check
    """
    from researcher.insight.invitations import check, context_for

    if text is not None and edit:
        raise click.UsageError("give --text or --edit, not both")
    if check_only and sent:
        raise click.UsageError("--check and --sent do not go together: check first, then send")
    with open_notebook() as nb:
        who = nb.person(person_ref)
        current = nb.invitation(who.id)
        draft = current if current is not None and current.status == "draft" else None
        if edit:
            text = click.edit(draft.text if draft else "", extension=".txt")
            if text is None:  # the editor was closed without saving
                raise ResearcherError("invitation not changed (the editor was closed without saving)")
        elif text is not None:
            text = read_text_arg(text)
        with nb.atomic():  # saved and sent together, or neither
            if text is not None:
                current = nb.save_invitation(who.id, text, network=network)
            elif network and not sent:
                if draft is None:
                    raise ResearcherError(f"no invitation drafted for {who.name}")
                current = nb.save_invitation(who.id, draft.text, network=network)
            if sent:
                current = nb.mark_invitation_sent(who.id, network=network)
        warnings = check(current.text, context_for(nb, who.id)) if current else []
        approach = nb.approach(who.id)
    if as_json:
        emit_json(
            {
                "person": who.name,
                "slug": who.slug,
                "invitation": current.to_dict() if current else None,
                "warnings": [w.to_dict() for w in warnings],
                "approach_status": approach.status if approach else None,
            }
        )
        return
    if check_only:
        if current is None:
            raise ResearcherError(f"no invitation drafted for {who.name}: researcher invite {who.slug} --edit")
        for w in warnings:
            echo(f"warning: {w.message}")
        if not warnings:
            echo(f"No warnings: it reads as written for {who.name}.")
        return
    if current is None:
        echo(f"No invitation for {who.name} yet: researcher invite {who.slug} --edit")
        return
    if sent:
        echo(
            f"Marked sent to {who.name} on {current.network} ({current.sent_at[:10]});"
            f" status: {approach.status if approach else 'invited'}"
        )
        return
    if text is not None or network:
        echo(f"Saved the draft for {who.name}" + ("" if warnings else " — no warnings"))
    else:
        state = f"sent {current.sent_at[:10]}" if current.status == "sent" else f"draft, {current.updated_at[:10]}"
        echo(f"Invitation to {who.name} ({current.network or 'network not set'}; {state})")
        echo()
        echo(current.text)
        echo()
    for w in warnings:
        echo(f"warning: {w.message}")


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("person_ref", metavar="PERSON")
@json_option
def path(person_ref: str, as_json: bool) -> None:
    """The warmest ways from you to a person: up to 3 chains, with the reason for every link.

    Example: researcher path "sabine kramer"
    """
    from researcher.insight.paths import find_paths

    with open_notebook() as nb:
        result = find_paths(nb, person_ref)
    if as_json:
        emit_json(result.to_dict())
        return
    if result.paths:
        for n, warm in enumerate(result.paths, 1):
            chain = " → ".join([warm.links[0].from_name] + [link.to_name for link in warm.links])
            echo(f"{n}. {chain}   (cost {warm.cost:.1f})")
            for link in warm.links:
                echo(f"     {link.from_name} → {link.to_name}: {link.reason}")
        return
    where = f" at {result.company}" if getattr(result, "company", None) else ""
    echo(f"No path from you to {result.target_name} in the notebook.")
    if result.suggestions:
        echo(f"Closest to you{where}:")
        for s in result.suggestions:
            via = (
                (" via " + " → ".join(link.to_name for link in s.path.links[:-1]))
                if s.path and len(s.path.links) > 1
                else (" (you know them)" if s.path else "")
            )
            echo(f"  {s.name} ({s.relation}){via}")


# --------------------------------------------------------------------------- feeds and notes


@main.group(cls=Group, context_settings=CONTEXT)
def feed() -> None:
    """News feeds of companies: add, list, rm."""


@feed.command("add")
@db_option
@click.argument("company_ref", metavar="COMPANY")
@click.argument("url")
@click.option("--no-discover", is_flag=True, help="Add the URL as it is, without fetching it.")
@json_option
def feed_add(company_ref: str, url: str, no_discover: bool, as_json: bool) -> None:
    """Follow a company's RSS/Atom feed: a feed URL, a site page (its feeds are found), file:// or a path.

    Example: researcher feed add "Banque Éclair" https://banque-eclair.example/
    """
    from researcher.sync.follow import NoFeedFound, follow_feed

    with open_notebook() as nb:
        try:
            added, others = follow_feed(nb, company_ref, url, discover=not no_discover)
        except NoFeedFound as exc:
            raise ResearcherError(f"{exc} (add --no-discover to follow it anyway)") from None
    if as_json:
        emit_json({**added.to_dict(), "other_feeds": others})
    else:
        echo(f"Following {added.url} for {added.company}")
        for other in others:
            echo(f"  also found: {other}")


@feed.command("discover")
@db_option
@click.argument("url")
@json_option
def feed_discover(url: str, as_json: bool) -> None:
    """List the feeds a site page announces (or the usual feed paths that answer).

    Example: researcher feed discover https://banque-eclair.example/
    """
    from researcher.sync.discover import discover
    from researcher.sync.fetch import FetchError

    try:
        found = discover(Notebook.normalise_feed_url(url))
    except FetchError as exc:
        raise ResearcherError(str(exc)) from None
    if as_json:
        emit_json(found)
    elif not found:
        raise ResearcherError(f"no feed found at {url}")
    else:
        for item in found:
            echo(item)


@feed.command("list")
@db_option
@click.option("--company", help="Only this company's feeds.")
@json_option
def feed_list(company: str | None, as_json: bool) -> None:
    """List feeds with their state (the TUI's feed list, f in a dossier).

    Example: researcher feed list --json
    """
    from researcher.insight.dossier import feed_state

    with open_notebook() as nb:
        rows = nb.feeds(company)
    if as_json:
        emit_json([{**f.to_dict(), "state": feed_state(f)} for f in rows])
        return
    widths = (26, 7, 6, 20, 24, 0)
    echo(_line("COMPANY", "ITEMS", "UNREAD", "LAST FETCH", "STATE", "URL", widths=widths))
    for f in rows:
        echo(
            _line(
                f.company, f.item_count, f.unread_count, f.last_fetch_at or "never", feed_state(f), f.url, widths=widths
            )
        )


@feed.command("rm")
@db_option
@click.argument("url")
@json_option
def feed_rm(url: str, as_json: bool) -> None:
    """Stop following a feed and drop its news (the TUI's feed list: d).

    Example: researcher feed rm https://banque-eclair.example/feed.xml
    """
    with open_notebook() as nb:
        removed = nb.remove_feed(url)
    if as_json:
        emit_json(removed.to_dict())
    else:
        echo(f"Removed feed {removed.url} ({removed.company})")


@main.group(cls=Group, context_settings=CONTEXT)
def note() -> None:
    """Notes on companies, people and news items: add, list, edit, rm."""


def _one_subject(company: str | None, person: str | None, news_item: int | None) -> None:
    if sum(x is not None and x != "" for x in (company, person, news_item)) != 1:
        raise click.UsageError("give exactly one of --company, --person or --news")


@note.command("add")
@db_option
@click.option("--company", help="Attach to this company.")
@click.option("--person", help="Attach to this person.")
@click.option("--news", "news_item", type=int, metavar="ID", help="Attach to this news item (ids: researcher news).")
@click.argument("text")
@json_option
def note_add(company: str | None, person: str | None, news_item: int | None, text: str, as_json: bool) -> None:
    """Add a note (markdown). TEXT "-" reads it from stdin.

    Example: echo "Ask about the data team" | researcher note add --company banque-eclair -
    """
    _one_subject(company, person, news_item)
    body = read_text_arg(text)
    with open_notebook() as nb:
        added = nb.add_note(body, company=company or None, person=person or None, news_item=news_item)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Noted on {added.subject} (note {added.id})")


@note.command("list")
@db_option
@click.option("--company")
@click.option("--person")
@click.option("--news", "news_item", type=int, metavar="ID", help="The notes on this news item.")
@json_option
def note_list(company: str | None, person: str | None, news_item: int | None, as_json: bool) -> None:
    """List the notes on a company, person or news item, newest first, with their ids.

    Example: researcher note list --company banque-eclair
    """
    _one_subject(company, person, news_item)
    with open_notebook() as nb:
        if news_item is not None:
            nb.news_item(news_item)  # an unknown id says so rather than listing nothing
        rows = nb.notes(company=company or None, person=person or None, news_item=news_item)
    if as_json:
        emit_json([n.to_dict() for n in rows])
        return
    for n in rows:
        echo(f"── {n.created_at}  (note {n.id})")
        echo(n.body)
        echo()


@note.command("edit")
@db_option
@click.argument("note_id", metavar="ID", type=int)
@click.argument("text", required=False)
@json_option
def note_edit(note_id: int, text: str | None, as_json: bool) -> None:
    """Replace a note's text, as the TUI's note editor saves it. TEXT "-" reads stdin; no TEXT opens $EDITOR.

    Example: researcher note edit 12 "Ask about the data platform team, not the app"
    """
    with open_notebook() as nb:
        current = nb.note(note_id)
        if text is None:
            body = click.edit(current.body, extension=".md")
            if body is None:  # the editor was closed without saving
                raise ResearcherError(f"note {note_id} not changed (the editor was closed without saving)")
        else:
            body = read_text_arg(text)
        saved = nb.update_note(note_id, body)
    if as_json:
        emit_json(saved.to_dict())
    else:
        echo(f"Saved note {saved.id} on {saved.subject}")


@note.command("rm")
@db_option
@click.argument("note_id", metavar="ID", type=int)
@json_option
def note_rm(note_id: int, as_json: bool) -> None:
    """Delete a note, as the TUI's `d` on a note does; nothing of its text stays in the notebook file.

    Example: researcher note rm 12
    """
    from researcher.insight.notes import first_line

    with open_notebook() as nb:
        removed = nb.remove_note(note_id)
    if as_json:
        emit_json(removed.to_dict())
    else:
        echo(f"Deleted note {removed.id} on {removed.subject}: {quoted(first_line(removed.body)[:60])}")


# --------------------------------------------------------------------------- news and sync


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--company", help="Only this company's feeds.")
@click.option("--jobs", type=click.IntRange(1, 64), default=16, show_default=True, help="Feeds fetched at once.")
@click.option("--all", "include_not_due", is_flag=True, help="Also feeds backing off after errors.")
@json_option
def sync(company: str | None, jobs: int, include_not_due: bool, as_json: bool) -> None:
    """Fetch the news of every feed (conditional GET; failing feeds back off).

    Example: researcher sync --json
    """
    from researcher.sync.engine import Syncer, sigterm_interrupts

    path = db_path()
    with open_notebook() as nb:
        nb.ensure_writable()  # not fetching everything only to be refused at the first store
        if company:
            company = nb.company(company).slug
        total = len(nb.feeds_due(company, include_not_due=include_not_due))
    if as_json or not total:
        progress = None
        bar = None
    elif sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("Syncing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", markup=False),  # a company's name is not markup
            transient=True,
        )
        task = bar.add_task("", total=total)

        def progress(outcome) -> None:
            bar.update(task, completed=outcome.done, description=clean_line(outcome.company)[:30])
    else:
        bar = None

        def progress(outcome) -> None:
            detail = f"{outcome.new_items} new" if outcome.outcome == "new" else outcome.outcome.replace("_", " ")
            if outcome.error:
                detail = f"failed: {outcome.error}"
            echo(f"[{outcome.done}/{outcome.total}] {outcome.company}: {detail}", err=True)

    syncer = Syncer(path, jobs=jobs, progress=progress)
    try:
        with sigterm_interrupts():  # SIGTERM (a service manager, a cron timeout) stops it as Ctrl-C does
            if bar is not None:
                with bar:
                    report = syncer.run(company, include_not_due)
            else:
                report = syncer.run(company, include_not_due)
    except KeyboardInterrupt:
        raise click.ClickException("sync interrupted; the feeds fetched before it stopped are stored") from None
    if as_json:
        emit_json(report.to_dict())
    else:
        echo(
            f"{plural(report.feeds, 'feed')}: {plural(report.new_items, 'new item')}, {report.updated_items} updated; "
            f"{report.not_modified} not modified, {report.unchanged} unchanged, {report.failed} failed "
            f"({report.seconds:.1f} s)"
            + (f"; {report.skipped_not_due} backing off (--all to include)" if report.skipped_not_due else "")
        )
        for error in report.errors:
            echo(f"  {error['company']}: {error['url']}: {error['error']}")
    if report.feeds and report.failed == report.feeds:
        # A cron job must notice: nothing could be fetched at all (partial failures keep exit 0, listed above).
        raise ResearcherError(
            f"every feed failed ({report.failed}); check the network, or the errors above"
            if report.failed > 1
            else "the only feed failed; see the error above"
        )


NEWS_STATUSES = (*COMPANY_STATUSES, "pipeline")


@main.group(cls=Group, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option("--company", help="Only this company's news.")
@click.option("--unread", is_flag=True, help="Only unread items.")
@click.option("--starred", is_flag=True, help="Only starred items.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(NEWS_STATUSES),
    help="Only companies with this status; repeatable (pipeline: target, applied, interviewing).",
)
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=50, show_default=True)
@json_option
@click.pass_context
def news(
    ctx: click.Context,
    company: str | None,
    unread: bool,
    starred: bool,
    statuses: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """List news items, newest first, with their ids; mark them read, starred, deleted.

    Example: researcher news --company zahlwerk --unread
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_notebook() as nb:
        items = nb.news(company=company, unread=unread, starred=starred, statuses=statuses, limit=limit)
    if as_json:
        emit_json([i.to_dict() for i in items])
        return
    for item in items:
        echo(_news_line(item))


def _news_line(item: Any) -> str:
    """One news item as `researcher news` lists it: id, star and unread marks, date, company, title."""
    flags = ("*" if item.starred else " ") + ("N" if not item.read else " ")
    date = (item.published or item.fetched_at or "")[:10]
    return f"{item.id:>7} {flags} {date:10}  {(item.company or '')[:22]:22}  {item.title}"


NEWS_IDS = click.argument("ids", metavar="ID...", nargs=-1, required=True, type=int)


def _mark_news(ids: tuple[int, ...], as_json: bool, done: str, **change: bool) -> None:
    """The TUI's space and `*` (Notebook.set_news_flags) for the items with these ids: all of them or none."""
    with open_notebook() as nb:
        items = nb.set_news_flags(ids, **change)
    if as_json:
        emit_json([i.to_dict() for i in items])
        return
    echo(f"{plural(len(items), 'news item')} {done}")
    for item in items:
        echo(_news_line(item))


@news.command("read")
@db_option
@NEWS_IDS
@json_option
def news_read(ids: tuple[int, ...], as_json: bool) -> None:
    """Mark news items read (ids from `researcher news`).

    Example: researcher news read 1207 1208
    """
    _mark_news(ids, as_json, "marked read", read=True)


@news.command("unread")
@db_option
@NEWS_IDS
@json_option
def news_unread(ids: tuple[int, ...], as_json: bool) -> None:
    """Mark news items unread.

    Example: researcher news unread 1207
    """
    _mark_news(ids, as_json, "marked unread", read=False)


@news.command("star")
@db_option
@NEWS_IDS
@json_option
def news_star(ids: tuple[int, ...], as_json: bool) -> None:
    """Star news items.

    Example: researcher news star 1207
    """
    _mark_news(ids, as_json, "starred", starred=True)


@news.command("unstar")
@db_option
@NEWS_IDS
@json_option
def news_unstar(ids: tuple[int, ...], as_json: bool) -> None:
    """Take the star off news items.

    Example: researcher news unstar 1207
    """
    _mark_news(ids, as_json, "no longer starred", starred=False)


@news.command("rm")
@db_option
@NEWS_IDS
@json_option
def news_rm(ids: tuple[int, ...], as_json: bool) -> None:
    """Delete news items for good, as the TUI's `d` does: a later sync does not bring them back.

    Example: researcher news rm 1207 1208
    """
    with open_notebook() as nb:
        done = nb.delete_news_items(ids)
    if as_json:
        emit_json(done.to_dict())
        return
    if done.deleted:
        echo(f"Deleted {plural(len(done.deleted), 'news item')} (a later sync does not bring them back):")
        for item in done.deleted:
            echo(_news_line(item))
    if done.already:
        echo("Deleted already, nothing done: " + ", ".join(str(i) for i in done.already))


# --------------------------------------------------------------------------- import and export


@main.group("import", cls=Group, context_settings=CONTEXT)
def import_group() -> None:
    """Bring data into the notebook: opml, linkedin, csv, vcard, json."""


@import_group.command("opml")
@db_option
@click.argument("file")
@click.option("--company", help="Put every feed under this company.")
@click.option("--allow-files", is_flag=True, help="Also follow file:// feeds (only for an OPML you trust).")
@json_option
def import_opml_command(file, company: str | None, allow_files: bool, as_json: bool) -> None:
    """Import feeds from an OPML file: one company per outline folder.

    Example: researcher import opml feeds.opml
    """
    from researcher.interop.opml import import_opml

    with open_notebook(create=True) as nb:
        counts = import_opml(nb, read_input_file(file, MAX_OPML_BYTES), company=company, allow_files=allow_files)
    if as_json:
        emit_json(counts)
    else:
        echo(
            f"Imported {plural(counts['feeds_added'], 'feed')} ({plural(counts['companies_added'], 'new company', 'new companies')}, "
            f"{counts['feeds_skipped']} already followed)"
        )


@import_group.command("linkedin")
@db_option
@click.argument("path")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@json_option
def import_linkedin_command(path: str, dry_run: bool, as_json: bool) -> None:
    """Import a LinkedIn data export: its .zip, its folder, or one of its CSV files.

    Connections become people linked to you, Positions.csv and Profile.csv your own career and profile,
    invitations and messages interactions; a newer export shows job changes. Running it twice changes nothing.

    Example: researcher import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    """
    from researcher.interop.linkedin import import_linkedin

    with open_notebook(create=not dry_run) as nb:  # a dry run makes no notebook either
        summary = import_linkedin(nb, path, dry_run=dry_run)
    _print_import(summary, as_json)


@import_group.command("csv")
@db_option
@click.argument("file")
@click.option(
    "--map",
    "mapping",
    required=True,
    help='Which column is which field: "Vorname=first_name,Nachname=last_name,Firma=company,Position=title".',
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@json_option
def import_csv_command(file: str, mapping: str, dry_run: bool, as_json: bool) -> None:
    """Import contacts from any CSV (a Xing or Viadeo list, a spreadsheet), its columns named by --map.

    Fields: first_name, last_name, name, company, title, url, email, phone, location, headline, connected_on.

    Example: researcher import csv kontakte.csv --map "Vorname=first_name,Nachname=last_name,Firma=company"
    """
    from researcher.interop.linkedin import import_csv

    with open_notebook(create=not dry_run) as nb:
        summary = import_csv(nb, file, mapping, dry_run=dry_run)
    _print_import(summary, as_json)


def _print_import(summary: Any, as_json: bool) -> None:
    if as_json:
        emit_json(summary.to_dict())
        return
    from researcher.interop.linkedin import summary_lines

    for line in summary_lines(summary):
        echo(line)


@import_group.command("vcard")
@db_option
@click.argument("file")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@json_option
def import_vcard_command(file: str, dry_run: bool, as_json: bool) -> None:
    """Add people from a vCard file (.vcf, from a phone or a mail program), or complete the ones you have.

    A card matches a person by a profile URL, else by name and current company; a matched person only gets
    what they lack. Running it twice changes nothing. FILE "-" reads stdin.

    Example: researcher import vcard contacts.vcf --dry-run
    """
    from researcher.interop.vcard import MAX_VCARD_BYTES, import_vcard

    data = read_input_file(file, MAX_VCARD_BYTES)
    with open_notebook(create=not dry_run) as nb:
        summary = import_vcard(nb, data, dry_run=dry_run)
    if as_json:
        emit_json(summary.to_dict())
        return
    verb = ("Would add", "would update") if dry_run else ("Added", "updated")
    echo(
        f"{verb[0]} {plural(summary.added, 'person', 'people')}, {verb[1]} {summary.updated},"
        f" {summary.unchanged} unchanged ({plural(summary.cards, 'card')})"
    )
    for outcome in summary.people:
        if outcome.action != "unchanged":
            changes = f": {', '.join(outcome.changes)}" if outcome.changes else ""
            echo(f"  {outcome.action:8} {outcome.name}{changes}")
    for warning in summary.warnings:
        echo(f"warning: {warning}", err=True)


@import_group.command("json")
@db_option
@click.argument("file")
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would add; change nothing.")
@json_option
def import_json_command(file: str, dry_run: bool, as_json: bool) -> None:
    """Load a whole notebook from `researcher export json` into a new, empty notebook (one transaction).

    Example: researcher --db new.db import json notebook.json
    """
    from researcher.interop.json_io import MAX_JSON_BYTES, import_json

    # Read before a notebook is made; handed over in a list so that the import holds the only reference to the
    # bytes and lets them go once parsed (an export of a big notebook is hundreds of MB).
    data = [read_input_file(file, MAX_JSON_BYTES)]
    # A dry run into a notebook not made yet checks the file against an empty one in memory.
    with Notebook(None) if dry_run and not db_path().exists() else open_notebook(create=True) as nb:
        summary = import_json(nb, data.pop(), dry_run=dry_run)
    if as_json:
        emit_json(summary)
        return
    tables = ", ".join(f"{table} {count}" for table, count in summary["tables"].items()) or "no rows"
    echo(f"{'Would import' if dry_run else 'Imported'} {plural(summary['rows'], 'row')}: {tables}")


@main.group("export", cls=Group, context_settings=CONTEXT)
def export_group() -> None:
    """Take data out of the notebook: opml, vcard, dossier, ics, json."""


@export_group.command("opml")
@db_option
@click.option("-o", "--output", help="File (default: stdout).")
def export_opml_command(output: str | None) -> None:
    """Export every company's feeds as OPML 2.0.

    Example: researcher export opml -o feeds.opml
    """
    from researcher.interop.opml import export_opml

    with open_notebook() as nb:
        document = export_opml(nb)
    if output:
        write_output(Path(output), document)
    else:
        echo(document)


@export_group.command("vcard")
@db_option
@click.argument("people_refs", metavar="[PERSON]...", nargs=-1)
@click.option("--company", help="Everyone who is or was at this company.")
@click.option("-o", "--output", help="File (default: stdout).")
def export_vcard_command(people_refs: tuple[str, ...], company: str | None, output: str | None) -> None:
    """Export people as vCard 3.0 cards (for a phone or an address book): name, company, title, email, phone,
    profile URLs, notes. No PERSON and no --company: everyone.

    Example: researcher export vcard --company "banque eclair" -o eclair.vcf
    """
    from researcher.interop.vcard import export_vcard, people_to_export

    with open_notebook() as nb:
        document = export_vcard(nb, people_to_export(nb, people_refs, company))
    if output:
        write_output(Path(output), document)
    else:
        echo(document.rstrip("\r\n"))


MAX_EARLIER_EXPORT = 16 << 20  # bytes of an earlier Markdown file read for its "My notes"


def _earlier_export(path: Path) -> str | None:
    """The text of the file an export is about to replace (for the section the user keeps), or None."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return handle.read(MAX_EARLIER_EXPORT).decode("utf-8", errors="replace")
    except OSError as exc:
        raise ResearcherError(f"cannot read {quoted(path)}: {exc.strerror or exc}") from None


def _write_markdown(path: Path, text: str) -> None:
    from researcher.interop.markdown import keep_my_notes

    write_output(path, keep_my_notes(text, _earlier_export(path)))


@export_group.command("dossier")
@db_option
@click.argument("company_ref", metavar="COMPANY", required=False)
@click.option("-o", "--output", help="File, or an existing folder for COMPANY-SLUG.md (default: stdout).")
@click.option("--all", "vault", metavar="DIR", help="Write a vault: one file per company and per person, linked.")
def export_dossier_command(company_ref: str | None, output: str | None, vault: str | None) -> None:
    """Export a company's interview brief as Markdown (Obsidian properties at the top): overview, latest news,
    vocabulary, organisation, people to approach with their warm paths, career paths, notes. Exporting over an
    earlier file keeps what you wrote under "## My notes".

    Example: researcher export dossier "banque eclair" -o ~/notes/
    """
    from researcher.interop.markdown import export_dossier

    if vault is not None:
        if company_ref or output:
            raise click.UsageError("--all DIR writes every company and person: no COMPANY, no -o")
        _export_vault(Path(vault))
        return
    if not company_ref:
        raise click.UsageError("name a COMPANY, or --all DIR for a vault of every company and person")
    target = Path(output).expanduser() if output else None
    if target is not None and not target.is_dir():
        _check_output(target)  # before the dossier: reading it may link news mentions still queued (a write)
    with open_notebook() as nb:
        company, text = export_dossier(nb, company_ref)
    if target is None:
        echo(text.rstrip("\n"))
        return
    _write_markdown(target / f"{company.slug}.md" if target.is_dir() else target, text)


def _check_output(path: Path) -> None:
    """One line now, before any work, when `path` cannot be a file: its folder is missing, its name unusable."""
    try:
        folder = path.resolve().parent
        if not folder.is_dir():
            raise ResearcherError(
                f"cannot write {quoted(path)}: folder {quoted(folder)} does not exist; create it or choose another -o"
            )
        os.stat(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable file name"
        raise ResearcherError(f"cannot write {quoted(path)}: {reason}") from None


def _export_vault(folder: Path) -> None:
    from researcher.interop.markdown import COMPANIES_DIR, PEOPLE_DIR, vault_files

    folder = folder.expanduser()
    counts = {COMPANIES_DIR: 0, PEOPLE_DIR: 0}
    with open_notebook() as nb:  # (a missing notebook is said before any folder is made)
        _make_folders(folder, folder / COMPANIES_DIR, folder / PEOPLE_DIR)
        # A big notebook's vault takes minutes (each company's warm paths): a count on a terminal, nothing in a pipe.
        shown = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if shown and (done % 50 == 0 or done == total):
                click.echo(f"\rWriting the vault: {done:,} / {total:,} files", err=True, nl=done == total)

        for relative, text in vault_files(nb, progress=progress):
            _write_markdown(folder / relative, text)
            kind = relative.split("/")[0]
            if kind in counts:
                counts[kind] += 1
    echo(
        f"Wrote {plural(counts[COMPANIES_DIR], 'company', 'companies')} and"
        f" {plural(counts[PEOPLE_DIR], 'person', 'people')} to {folder} (index.md lists the companies)"
    )


def _make_folders(top: Path, *subfolders: Path) -> None:
    """`top` (in a folder that exists) and its subfolders, each made unless it is there; else one line."""
    try:
        if not top.resolve().parent.is_dir():
            raise ResearcherError(f"cannot write {quoted(top)}: folder {quoted(top.parent)} does not exist")
        for folder in (top, *subfolders):
            folder.mkdir(mode=0o700, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable folder"
        raise ResearcherError(f"cannot write {quoted(top)}: {reason}") from None


@export_group.command("ics")
@db_option
@click.option("--events", is_flag=True, help="All-day events instead of to-dos (for calendars without tasks).")
@click.option("-o", "--output", help="File (default: stdout).")
def export_ics_command(events: bool, output: str | None) -> None:
    """Export follow-ups, next steps and keep-in-touch dates as an iCalendar file (to-dos, or --events).
    Each has a stable UID: importing a newer export updates your calendar instead of duplicating.

    Example: researcher export ics -o follow-ups.ics
    """
    from researcher.interop.ics import export_ics

    with open_notebook() as nb:
        document = export_ics(nb, events=events)
    if output:
        write_output(Path(output), document)
    else:
        echo(document.rstrip("\r\n"))


@export_group.command("json")
@db_option
@click.option("-o", "--output", help="File (default: stdout).")
def export_json_command(output: str | None) -> None:
    """Export the whole notebook as JSON: every table you own, ids kept, in a fixed order (diffable).

    `researcher import json FILE` loads it into a new notebook.

    Example: researcher export json -o notebook.json
    """
    from researcher.interop.json_io import export_lines

    with open_notebook() as nb:
        if output:
            with output_file(Path(output)) as handle:
                handle.writelines(export_lines(nb))
        else:
            for piece in export_lines(nb):
                click.echo(piece, nl=False)  # (escaped already: no character a terminal acts on)


# --------------------------------------------------------------------------- approach and network


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--status", type=click.Choice(APPROACH_STATUSES), help="Where the approach stands.")
@click.option("--priority", type=click.IntRange(1, 3), help="1 highest, 3 lowest.")
@click.option("--next", "next_action_at", help='Next action date, YYYY-MM-DD ("" clears it).')
@click.option("--step", "next_step", help='What the next action is ("" clears it).')
@click.option("--every", "cadence_days", type=click.IntRange(0, 3650), help="Keep in touch every N days (0 clears).")
@click.option(
    "--done", is_flag=True, help="The follow-up is done: logs it as an interaction, clears next step and date."
)
@click.option("--note", help='With --done: what happened (default "Follow-up done: <step>").')
@click.option("--when", help="With --done: when it happened, YYYY-MM-DD or an ISO time (default: now).")
@click.option("--move", help="Put the follow-up off: YYYY-MM-DD, or +7d, +2w, +1m (from its date, or today if past).")
@json_option
def approach(
    person_ref: str, as_json: bool, done: bool, note: str | None, when: str | None, move: str | None, **changes: Any
) -> None:
    """Show or change how you approach a person: status, priority, next action, keep-in-touch cadence;
    mark the follow-up done or move it. With --done, --next/--step then set the next one.

    Example: researcher approach "lena hoffmann" --status invited --next 2026-12-01 --step "follow up"
    """
    if (note or when) and not done:
        raise click.UsageError("--note and --when go with --done")
    if move and (done or changes.get("next_action_at") is not None):
        raise click.UsageError("--move is a new date on its own: not with --done or --next")
    with open_notebook() as nb:
        person_row = nb.person(person_ref)
        given = {k: val for k, val in changes.items() if val is not None}
        with nb.atomic():
            state = nb.approach(person_row.id)
            if done:
                state = nb.follow_up_done(person_row.id, note=read_text_arg(note) if note else None, when=when)
            if move:
                state = nb.move_follow_up(person_row.id, move)
            if given:
                state = nb.set_approach(person_row.id, **given)
        history = nb.status_changes(person_row.id)
    if as_json:
        emit_json(
            {
                "person": person_row.name,
                "slug": person_row.slug,
                "approach": state.to_dict() if state else None,
                "history": history,
            }
        )
        return
    if state is None:
        echo(f"{person_row.name}: not in your approach pipeline (set --status to start)")
        return
    due = (
        f", next: {state.next_action_at}" + (f" — {state.next_step}" if state.next_step else "")
        if state.next_action_at
        else ""
    )
    every = f", keep in touch every {plural(state.cadence_days, 'day')}" if state.cadence_days else ""
    echo(f"{person_row.name}: {state.status}, priority {state.priority}{due}{every}")


@main.group(cls=Group, context_settings=CONTEXT)
def interaction() -> None:
    """What happened between you and a person: add, list."""


@interaction.command("add")
@db_option
@click.argument("person_ref", metavar="PERSON")
@click.option("--channel", required=True, type=click.Choice(CHANNELS))
@click.option("--summary", required=True, help='What was said or done; "-" reads stdin.')
@click.option("--when", help="YYYY-MM-DD or an ISO time (default: now).")
@click.option(
    "--direction",
    type=click.Choice(("in", "out")),
    default="out",
    show_default=True,
    help="out: you reached them; in: they reached you.",
)
@json_option
def interaction_add(
    person_ref: str, channel: str, summary: str, when: str | None, direction: str, as_json: bool
) -> None:
    """Log an interaction with a person.

    Example: researcher interaction add "lena hoffmann" --channel email --summary "Sent my notes on Ledgerkern"
    """
    with open_notebook() as nb:
        added = nb.add_interaction(person_ref, channel, read_text_arg(summary), when=when, direction=direction)
        name = nb.person(added.person_id).name
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Logged {added.channel} ({added.direction}) with {name} on {added.at[:10]}")


@interaction.command("list")
@db_option
@click.argument("person_ref", metavar="PERSON")
@json_option
def interaction_list(person_ref: str, as_json: bool) -> None:
    """A person's activity: interactions, notes and status changes, newest first.

    Example: researcher interaction list "lena hoffmann"
    """
    from researcher.insight.activity import person_activity

    with open_notebook() as nb:
        events = person_activity(nb, nb.person(person_ref).id)
    if as_json:
        emit_json([e.to_dict() for e in events])
        return
    for e in events:
        echo(f"{e.at[:10]}  {e.kind:11} {e.detail + ' ' if e.detail else ''}{e.text}")


@main.group(cls=Group, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=100,
    show_default=True,
    help="At most this many people in each list (their totals are always given).",
)
@json_option
@click.pass_context
def network(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Network health: meaningful contacts against your goal, follow-ups, quiet contacts, your profile.

    Example: researcher network --limit 20 --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from researcher import clock
    from researcher.insight.network import network_health

    with open_notebook() as nb:
        health = network_health(nb, clock.today(), limit=limit)
    if as_json:
        emit_json(health.to_dict())
        return

    def more(contacts) -> None:
        if contacts.total > len(contacts.rows):
            echo(f"  ... and {contacts.total - len(contacts.rows)} more (--limit)")

    echo(f"Meaningful contacts: {health.meaningful.total} / {health.goal} ({health.percent}%)")
    echo(f"Collected, never contacted: {health.never_contacted.total}; on no network: {health.offline}")
    echo(f"\nFollow-ups due ({health.follow_ups.total})")
    for r in health.follow_ups.rows:
        echo(
            f"  due {r['next_action_at']}  {r['name']} ({r['status']})"
            + (f": {r['next_step']}" if r["next_step"] else "")
        )
    more(health.follow_ups)
    echo(
        f"\nGone quiet, keep-in-touch time run out ({health.gone_quiet.total}; default every {health.quiet_days} days)"
    )
    for r in health.gone_quiet.rows:
        every = r["cadence_days"] or health.quiet_days
        echo(f"  due {r['due']}  {r['name']}: last {r['last_interaction'][:10]}, every {plural(every, 'day')}")
    more(health.gone_quiet)
    for p in health.profiles:
        echo(f"\nMy {p.network} profile: {p.percent}%" + (f" — missing: {', '.join(p.missing)}" if p.missing else ""))


@network.command("goal")
@db_option
@click.argument("goal", type=click.IntRange(1, 10_000))
def network_goal(goal: int) -> None:
    """Set how many meaningful contacts you aim for (default 100).

    Example: researcher network goal 80
    """
    with open_notebook(create=True) as nb:
        nb.set_network_goal(goal)
    echo(f"Goal: {goal} meaningful contacts")


@network.command("profile")
@db_option
@click.argument(
    "network_name", metavar="NETWORK", type=click.Choice(("linkedin", "viadeo", "xing", "goldenline", "other"))
)
@click.argument("item")
@click.option("--undo", is_flag=True, help="Mark it as not done.")
def network_profile(network_name: str, item: str, undo: bool) -> None:
    """Tick an item of your profile checklist on a network (photo, headline, summary, ...).

    Example: researcher network profile linkedin "recommendations received"
    """
    with open_notebook(create=True) as nb:
        nb.set_profile_item(network_name, item, done=not undo)
    echo(f"{network_name}: {item} {'not done' if undo else 'done'}")


@network.command("quiet-days")
@db_option
@click.argument("days", type=click.IntRange(1, 3650))
def network_quiet_days(days: int) -> None:
    """Keep in touch every DAYS days, for people without a cadence of their own (default 90); past it they have
    gone quiet. A person's own: `researcher approach PERSON --every DAYS`.

    Example: researcher network quiet-days 60
    """
    with open_notebook(create=True) as nb:
        nb.set_quiet_days(days)
    echo(f"Keep in touch every {plural(days, 'day')} (people without their own cadence)")


# --------------------------------------------------------------------------- search
# --------------------------------------------------------------------------- research depth (issue #10)


@company.command("track")
@db_option
@click.argument("name")
@click.option("--sector", help="Its sector (default: the one discovery infers from the companies it connects to).")
@json_option
def company_track(name: str, sector: str | None, as_json: bool) -> None:
    """Track a company the notebook knows by name only (from careers or the news); the positions at that name
    and the news naming it link to it, and the name keeps working everywhere.

    Example: researcher company track "Albion Ledger Ltd"
    """
    from researcher.insight.discovery import track

    with open_notebook() as nb:
        done = track(nb, name, sector=sector)
    if as_json:
        emit_json(done)
        return
    c = done["company"]
    inferred = " (inferred)" if done["sector_inferred"] else ""
    echo(
        f"Tracking {c['name']} ({c['slug']})"
        + (f", sector {c['sector']}{inferred}" if c["sector"] else "")
        + f": {plural(done['positions_linked'], 'position')} and {plural(done['news_linked'], 'news item')} linked"
    )


def _scope(first: str, second: str | None, is_global: bool, what: str = "TERM") -> tuple[str | None, str]:
    """(company, term) from `C TERM` or `--global TERM`."""
    if is_global:
        if second is not None:
            raise click.UsageError(f"with --global, give only {what}")
        return None, first
    if second is None:
        raise click.UsageError(f"say whose glossary: C {what}, or --global {what}")
    return first, second


@main.group(cls=Group, context_settings=CONTEXT)
def term() -> None:
    """Vocabulary: a glossary per company and a global one; suggestions from the news; the interview drill."""


@term.command("add")
@db_option
@click.argument("first", metavar="[C] TERM")
@click.argument("second", required=False, metavar="")
@click.option("--global", "is_global", is_flag=True, help="The global glossary (no company).")
@click.option("--meaning", default="", help="What it means.")
@click.option("--seen", help="Where you saw it (a news item, a job ad, an interview).")
@click.option("--example", help="A sentence that uses it.")
@json_option
def term_add(
    first: str, second: str | None, is_global: bool, meaning: str, seen: str | None, example: str | None, as_json: bool
) -> None:
    """Add a term to a company's glossary (or the global one).

    Example: researcher term add zahlwerk Ledgerkern --meaning "Zahlwerk's double-entry ledger"
    """
    company_ref, text = _scope(first, second, is_global)
    with open_notebook() as nb:
        added = nb.add_glossary_term(text, company=company_ref, meaning=meaning, seen_in=seen, example=example)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Added {added.term} to the glossary of {added.company or 'everything (global)'}")


@term.command("list")
@db_option
@click.argument("company_ref", required=False, metavar="[C]")
@json_option
def term_list(company_ref: str | None, as_json: bool) -> None:
    """List the glossary: a company's terms and the global ones, or every term.

    Example: researcher term list zahlwerk --json
    """
    with open_notebook() as nb:
        rows = nb.terms(company_ref, include_global=True) if company_ref else nb.terms()
    if as_json:
        emit_json([t.to_dict() for t in rows])
        return
    for t in rows:
        echo(f"{t.term}  [{t.company or 'global'}]" + (f": {t.definition}" if t.definition else ""))
        if t.example:
            echo(f"    e.g. {t.example}")


@term.command("edit")
@db_option
@click.argument("first", metavar="[C] TERM")
@click.argument("second", required=False, metavar="")
@click.option("--global", "is_global", is_flag=True, help="The global glossary (no company).")
@click.option("--term", "new_term", help="New words for the term.")
@click.option("--meaning", help="What it means.")
@click.option("--seen", help='Where you saw it ("" clears it).')
@click.option("--example", help='A sentence that uses it ("" clears it).')
@json_option
def term_edit(first: str, second: str | None, is_global: bool, as_json: bool, **changes: Any) -> None:
    """Change a term of a company's glossary (or the global one).

    Example: researcher term edit zahlwerk Ledgerkern --example "Reporting reads directly from Ledgerkern."
    """
    company_ref, text = _scope(first, second, is_global)
    given = {k: val for k, val in changes.items() if val is not None}
    if not given:
        raise click.UsageError("nothing to change: give at least one option such as --meaning")
    with open_notebook() as nb:
        edited = nb.edit_term(
            text, company_ref, new_term=given.get("new_term"), meaning=given.get("meaning"),
            seen_in=given.get("seen"), example=given.get("example"),
        )  # fmt: skip
    if as_json:
        emit_json(edited.to_dict())
    else:
        echo(f"Updated {edited.term} ({edited.company or 'global'})")


@term.command("rm")
@db_option
@click.argument("first", metavar="[C] TERM")
@click.argument("second", required=False, metavar="")
@click.option("--global", "is_global", is_flag=True, help="The global glossary (no company).")
def term_rm(first: str, second: str | None, is_global: bool) -> None:
    """Remove a term (and its drill history) from a company's glossary or the global one.

    Example: researcher term rm zahlwerk Werkbank
    """
    company_ref, text = _scope(first, second, is_global)
    with open_notebook() as nb:
        removed = nb.remove_term(text, company_ref)
    echo(f"Removed {removed.term} ({removed.company or 'global'})")


@term.command("suggest")
@db_option
@click.argument("company_ref", metavar="C")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@json_option
def term_suggest(company_ref: str, limit: int, as_json: bool) -> None:
    """Suggest terms from a company's news: the words, acronyms and phrases distinctive of it against the rest of
    the notebook's news, each with how often it appears and the sentence it came from.

    Example: researcher term suggest zahlwerk --limit 10
    """
    from researcher.insight.vocabulary import suggest_terms

    with open_notebook() as nb:
        found = suggest_terms(nb, company_ref, limit=limit)
    if as_json:
        emit_json(found.to_dict())
        return
    if not found.suggestions:
        echo(f"No suggestions for {found.company} ({plural(found.items_read, 'news item')} read).")
        return
    echo(
        f"Suggestions for {found.company} from {plural(found.items_read, 'news item')}"
        f" ({', '.join(found.languages)}), against {found.items_elsewhere} elsewhere:"
    )
    for s in found.suggestions:
        echo(f"  {s.term}  ({s.kind}, {plural(s.count, 'time')} in {plural(s.items, 'item')}, {s.elsewhere} elsewhere)")
        echo(f"      “{s.example}”")


@term.command("accept")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("text", metavar="TERM")
@click.option("--meaning", default="", help="What it means.")
@json_option
def term_accept(company_ref: str, text: str, meaning: str, as_json: bool) -> None:
    """Add a suggested term to the company's glossary, with the sentence it came from.

    Example: researcher term accept zahlwerk payouts --meaning "Money paid out to a platform's sellers"
    """
    from researcher.insight.vocabulary import accept_suggestion

    with open_notebook() as nb:
        added = accept_suggestion(nb, company_ref, text, meaning=meaning)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Added {added.term} to the glossary of {added.company}")


@term.command("dismiss")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("text", metavar="TERM")
def term_dismiss(company_ref: str, text: str) -> None:
    """Never suggest a term for this company again.

    Example: researcher term dismiss zahlwerk countries
    """
    from researcher.insight.vocabulary import dismiss_suggestion

    with open_notebook() as nb:
        shown = dismiss_suggestion(nb, company_ref, text)
        name = nb.company(company_ref).name
    echo(f"{shown} will not be suggested for {name} again")


@term.command("drill")
@db_option
@click.argument("company_ref", required=False, metavar="[C]")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), help="At most this many terms.")
@json_option
def term_drill(company_ref: str | None, limit: int | None, as_json: bool) -> None:
    """Drill the glossary before an interview: a term is shown, Enter reveals its meaning, k marks it known, n not
    yet (those come first next time), q stops. With --json, or when stdin is not a terminal, prints the order.

    Example: researcher term drill zahlwerk
    """
    from researcher.insight.vocabulary import drill_order

    with open_notebook() as nb:
        cards = drill_order(nb, company_ref)[:limit]
        if as_json:
            emit_json([c.to_dict() for c in cards])
            return
        if not cards:
            echo("No terms to drill: add some with `researcher term add` or `term accept`.")
            return
        if not _on_terminal():
            for c in cards:
                echo(f"{c.state:8} {c.term}  [{c.company or 'global'}]" + (f": {c.meaning}" if c.meaning else ""))
            return
        _drill(nb, cards)


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _drill(nb: Notebook, cards: list) -> None:
    known = missed = 0
    for number, card in enumerate(cards, 1):
        echo(f"\n[{number}/{len(cards)}] {card.term}  ({card.company or 'global'})")
        click.prompt("  Enter to reveal", default="", show_default=False, prompt_suffix="")
        echo(f"  {card.meaning or '(no meaning written yet)'}")
        if card.example:
            echo(f"  e.g. {card.example}")
        answer = ""
        while answer not in ("k", "n", "q"):
            answer = click.getchar().lower()
        if answer == "q":
            break
        nb.record_drill(card.id, answer == "k")
        known, missed = known + (answer == "k"), missed + (answer == "n")
        echo("  known" if answer == "k" else "  not yet: it comes back first next time")
    echo(f"\n{known} known, {missed} not yet")


class OrgGroup(Group):
    """`researcher org C` shows the tree; `researcher org unit ...` and `org place ...` change it."""

    allow_interspersed_args = True  # `org C --json`: the group's own options may follow C

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            # A subcommand: no company comes before it (the group's own argument would swallow its name).
            click.Command.parse_args(self, ctx, [])
            ctx._protected_args, ctx.args = args[:1], args[1:]  # type: ignore[attr-defined]
            return ctx.args
        return super().parse_args(ctx, args)


@main.group(cls=OrgGroup, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.argument("company_ref", required=False, metavar="C")
@json_option
@click.pass_context
def org(ctx: click.Context, company_ref: str | None, as_json: bool) -> None:
    """A company's organisation: its units as a tree with head counts, heads, reporting lines, and the people
    you can reach in each (warm paths from you).

    Example: researcher org zahlwerk --json
    """
    if ctx.invoked_subcommand is not None:
        if company_ref is not None:
            raise click.UsageError(f"`researcher org {ctx.invoked_subcommand}` takes the company after it")
        return
    if company_ref is None:
        raise click.UsageError("say which company: researcher org C")
    from researcher.insight.org import org_chart

    with open_notebook() as nb:
        chart = org_chart(nb, company_ref)
    if as_json:
        emit_json(chart.to_dict())
        return
    names = {p.person_id: p.name for unit, _ in chart.walk() for p in unit.people}
    names.update((p.person_id, p.name) for p in chart.unplaced)
    echo(f"{chart.company}: {plural(chart.headcount, 'person', 'people')} now")
    for unit, depth in chart.walk():
        indent = "  " * (depth + 1)
        head = f", head {names[unit.head_id]}" if unit.head_id in names else ""
        known = f"; you know {', '.join(names[i] for i in unit.known[:4])}" if unit.known else ""
        echo(f"{indent}{unit.name} ({unit.headcount} here, {unit.total} in all{head}){known}")
        for p in unit.people:
            echo(f"{indent}  - {_org_person(p)}")
    if chart.unplaced:
        echo("  (no unit)")
        for p in chart.unplaced:
            echo(f"    - {_org_person(p)}")
    if not chart.paths:
        echo("(no warm paths: mark yourself with `researcher person edit NAME --me`)")


def _org_person(p) -> str:
    reports = f", reports to {p.manager}" if p.manager else ""
    warm = ""
    if p.path_cost is not None:
        warm = f"  [you know them{': via ' + ', '.join(p.via) if p.via else ''}]"
    return f"{p.name}, {p.title}{reports}{warm}"


@org.group("unit", cls=Group, context_settings=CONTEXT)
def org_unit() -> None:
    """A company's units: add, rename, move, rm."""


@org_unit.command("add")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("name")
@click.option("--parent", help="The unit it belongs to (default: at the top).")
@json_option
def org_unit_add(company_ref: str, name: str, parent: str | None, as_json: bool) -> None:
    """Add a unit to a company.

    Example: researcher org unit add zahlwerk "Risk" --parent Engineering
    """
    with open_notebook() as nb:
        added = nb.add_org_unit(company_ref, name, parent=parent)
    if as_json:
        emit_json(added.to_dict())
    else:
        echo(f"Added unit {added.name}" + (f" under {parent}" if parent else ""))


@org_unit.command("rename")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("unit")
@click.argument("new_name", metavar="NEW")
@json_option
def org_unit_rename(company_ref: str, unit: str, new_name: str, as_json: bool) -> None:
    """Rename a unit.

    Example: researcher org unit rename zahlwerk Payouts "Payouts & Treasury"
    """
    with open_notebook() as nb:
        renamed = nb.rename_org_unit(company_ref, unit, new_name)
    if as_json:
        emit_json(renamed.to_dict())
    else:
        echo(f"Renamed {unit} to {renamed.name}")


@org_unit.command("move")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("unit")
@click.option("--under", help="The unit to put it under (leave out: at the top).")
@json_option
def org_unit_move(company_ref: str, unit: str, under: str | None, as_json: bool) -> None:
    """Move a unit under another one, or to the top. A unit never goes under its own sub-units.

    Example: researcher org unit move zahlwerk "Developer Experience" --under Product
    """
    with open_notebook() as nb:
        moved = nb.move_org_unit(company_ref, unit, under)
    if as_json:
        emit_json(moved.to_dict())
    else:
        echo(f"Moved {moved.name} " + (f"under {under}" if moved.parent_id else "to the top"))


@org_unit.command("rm")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("unit")
def org_unit_rm(company_ref: str, unit: str) -> None:
    """Remove a unit: its people keep their positions (with no unit), its sub-units move up.

    Example: researcher org unit rm zahlwerk Acquiring
    """
    with open_notebook() as nb:
        done = nb.remove_org_unit(company_ref, unit)
    echo(
        f"Removed unit {done['unit']['name']}: {plural(done['people_cleared'], 'person', 'people')} in no unit now,"
        f" {plural(done['sub_units_moved_up'], 'sub-unit')} moved up"
    )


@org.command("place")
@db_option
@click.argument("company_ref", metavar="C")
@click.argument("person_ref", metavar="P")
@click.option("--unit", help='The unit of their current position there ("" clears it).')
@click.option("--reports-to", "reports_to", help='Whom they report to there ("" clears it).')
@json_option
def org_place(company_ref: str, person_ref: str, unit: str | None, reports_to: str | None, as_json: bool) -> None:
    """Place a person in a unit of the company they work at, and say whom they report to.

    Example: researcher org place zahlwerk "marek dabrowski" --unit Payouts --reports-to "maximilian roth"
    """
    if unit is None and reports_to is None:
        raise click.UsageError("nothing to change: give --unit, --reports-to or both")
    with open_notebook() as nb:
        placed = nb.place_person(company_ref, person_ref, unit=unit, reports_to=reports_to)
        manager = nb.person(placed.manager_id).name if placed.manager_id else None
    if as_json:
        emit_json(placed.to_dict())
    else:
        echo(
            f"{placed.person_name}: {placed.org_unit or 'no unit'}"
            + (f", reports to {manager}" if manager else ", reports to nobody recorded")
        )


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@json_option
def search(query: str, limit: int, as_json: bool) -> None:
    """Search everything: companies, people, news, notes, terms; the same search as ctrl+f in the TUI.

    Words match as prefixes, accents and case aside; a note says what it is about.

    Example: researcher search "societe lumiere"
    """
    from researcher.insight.search import search as search_hits

    with open_notebook() as nb:
        hits = search_hits(nb, query, limit=limit)
    if as_json:
        emit_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        echo(f"Nothing found for {quoted(query)}")
    for hit in hits:
        echo(_line(hit.kind, hit.id, hit.title, hit.detail, widths=(7, 7, 40, 0)))


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--sector", help="Only companies connected to this sector.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=30, show_default=True)
@json_option
def discover(sector: str | None, limit: int, as_json: bool) -> None:
    """Companies you do not track yet that your people's careers (where they came from, where they left to) and
    your companies' news keep naming, ranked by how often and how recently, with the evidence.

    Example: researcher discover --sector Fintech
    """
    from researcher.insight.discovery import discover as find

    with open_notebook() as nb:
        found = find(nb, sector=sector, limit=limit)
    if as_json:
        emit_json([d.to_dict() for d in found])
        return
    if not found:
        echo("Nothing to discover yet: add people's careers (researcher position add ... --untracked) or feeds.")
        return
    for d in found:
        sector_note = f"  [{d.sector}]" if d.sector else ""
        echo(
            f"{d.name}{sector_note}  {plural(d.people_count, 'person', 'people')},"
            f" {plural(d.items_count, 'news item')}, last {d.last_seen or '?'}"
        )
        for e in d.people[:3]:
            tracked = f" ({', '.join(e['tracked'])})" if e["tracked"] and e["relation"] != "worked there" else ""
            echo(f"    {e['name']}: {e['relation']}{tracked}, {e['title']}")
        for item in d.items[:2]:
            echo(f"    news: {item['title']} ({item['company']})")
    echo("\nTrack one: researcher company track NAME")


@main.command("sectors", context_settings=CONTEXT)
@db_option
@json_option
def sectors_command(as_json: bool) -> None:
    """Each sector: its tracked companies by pipeline status, its people, its unread news.

    Example: researcher sectors --json
    """
    from researcher.insight.discovery import sectors as summarise

    with open_notebook() as nb:
        found = summarise(nb)
    if as_json:
        emit_json([s.to_dict() for s in found])
        return
    for s in found:
        echo(
            f"{s.sector or '(no sector)'}: {plural(s.company_count, 'company', 'companies')},"
            f" {plural(s.people, 'person', 'people')} there now, {s.unread} unread"
        )
        for status, companies in s.companies.items():
            echo(f"  {status + ':':13} {', '.join(c['name'] for c in companies)}")


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--peek", is_flag=True, help="Do not record this as a visit (the next `today` starts from the last).")
@json_option
def today(peek: bool, as_json: bool) -> None:
    """Since your last visit: news of your target, applied and interviewing companies, follow-ups due and overdue,
    people named in the news, terms to drill.

    Example: researcher today --json   (a cron job can mail it; add --peek to leave your own visit as it is)
    """
    from researcher.insight.today import mark_visit, today_view

    with open_notebook() as nb:
        view = today_view(nb)
        if not peek and not nb.read_only_reason:
            mark_visit(nb)
    if as_json:
        emit_json(view.to_dict())
        return
    echo(f"Since {view.since[:16].replace('T', ' ')}" + (" (first visit: the last 7 days)" if view.first_visit else ""))
    echo(f"\nNews of the companies in play ({view.news_total})")
    for item in view.news[:15]:
        echo(f"  {(item['published'] or '')[:10]:10}  {item['company'][:22]:22}  {item['title']}")
    if view.news_total > 15:
        echo(f"  … {view.news_total - 15} more (researcher news --unread)")
    echo(f"\nFollow-ups: {len(view.overdue)} overdue, {len(view.due_today)} due today")
    for r in view.overdue + view.due_today:
        echo(f"  {r['next_action_at']}  {r['name']}" + (f": {r['next_step']}" if r["next_step"] else ""))
    echo(f"\nPeople in the news ({view.people_in_news_total})")
    for p in view.people_in_news[:10]:
        echo(f"  {p['name']}: {p['items'][0]['title']}" + (f" (+{p['item_count'] - 1})" if p["item_count"] > 1 else ""))
    echo(f"\nTerms to drill ({view.terms_to_drill_total}): " + ", ".join(t["term"] for t in view.terms_to_drill))


# --------------------------------------------------------------------------- backup


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("path")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@json_option
def backup(path: str, force: bool, as_json: bool) -> None:
    """Copy the notebook into one file, consistent even while the TUI or a sync writes to it.

    Example: researcher backup ~/backups/notebook-2026-11-29.db
    """
    from researcher.interop.backup import backup as backup_notebook

    with open_notebook() as nb:
        done = backup_notebook(nb, Path(path), force=force)
    if as_json:
        emit_json(done)
    else:
        echo(f"Backed up to {done['path']} ({done['bytes'] / (1 << 20):.1f} MiB)")


@main.command(context_settings=CONTEXT)
@db_option
@click.argument("backup_path", metavar="BACKUP")
@click.option("--force", is_flag=True, help="Do not ask first.")
def restore(backup_path: str, force: bool) -> None:
    """Replace the notebook with a backup (checked first: a sound notebook of this release or an earlier one).

    Close the TUI first. Everything written since the backup is lost: take a backup of it first.

    Example: researcher restore ~/backups/notebook-2026-11-29.db
    """
    from researcher.interop.backup import check_backup
    from researcher.interop.backup import restore as restore_notebook

    check_backup(Path(backup_path))
    with open_notebook(create=True) as nb:
        if not force:
            if not _stdin_is_terminal():
                raise ResearcherError(f"restoring replaces everything in {db_path()}; add --force to confirm")
            click.confirm(clean_line(f"Replace everything in {db_path()} with {backup_path}?"), abort=True, err=True)
        restore_notebook(nb, Path(backup_path))
    echo(f"Restored {db_path()} from {backup_path}")
