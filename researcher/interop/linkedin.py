"""LinkedIn's data export ("Get a copy of your data"), and any contacts CSV with a column mapping, into the notebook."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from researcher.insight.invitations import check as check_invitation
from researcher.interop.csv_map import (
    BadImportFile,
    Row,
    Table,
    bad_date,
    cell,
    decode,
    parse_day,
    parse_mapping,
    parse_month,
    parse_time,
    read_table,
    sniff_delimiter,
    text_cell,
)
from researcher.store import Notebook
from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.imports import Contact, ImportRun
from researcher.text import quoted
from researcher.words import plural

# The files of an export the import reads, by lower-case name, and the columns that make each one's header.
FILES = {
    "connections.csv": ("connections", {"first name", "last name", "connected on"}),
    "positions.csv": ("positions", {"company name", "title", "started on"}),
    "profile.csv": ("profile", {"first name", "last name", "headline"}),
    "invitations.csv": ("invitations", {"from", "to", "sent at", "direction"}),
    "messages.csv": ("messages", {"conversation id", "from", "to", "date", "content"}),
    "company follows.csv": ("follows", {"organization"}),
    "skills.csv": ("skills", {"name"}),
    "recommendations_received.csv": ("recommendations", {"text"}),
}
# A CSV given alone is recognised by its header: the most specific first (Profile and Connections share names).
_BY_HEADER = ("connections", "positions", "profile", "invitations", "messages", "follows")
_WANTED = {kind: columns for kind, columns in FILES.values()}
# Bigger files than these are no export of one person's data.
MAX_FILE_BYTES = 512 << 20
MAX_ZIP_MEMBERS = 5_000
STOCK_CODE = "stock_sentence"
# How people whose profile LinkedIn withholds appear in messages.
_NOBODY = {"", "linkedin member", "linkedin user"}

Progress = Callable[[str, int, int], None]


@dataclass
class Summary:
    """What an import did (or, with --dry-run, would do); the CLI's --json and the TUI's summary."""

    source: str
    dry_run: bool = False
    files: list[str] = field(default_factory=list)
    connections: int = 0
    people_added: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    others_added: int = 0
    hidden_skipped: int = 0
    new_connections: int = 0
    removed_connections: list[str] = field(default_factory=list)
    positions_added: int = 0
    profile_updated: bool = False
    checklist_ticked: list[str] = field(default_factory=list)
    interactions_added: int = 0
    invitations_sent: int = 0
    invitations_received: int = 0
    invitations_stock: int = 0
    invitation_messages_kept: int = 0
    conversations: int = 0
    job_changes: list[dict[str, str | None]] = field(default_factory=list)
    companies_to_watch: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# -- reading the files ------------------------------------------------------------------------------------------------


def _kind_of_header(name: str, text: str) -> tuple[str, Table] | None:
    for kind in _BY_HEADER:
        table = read_table(name, text, _WANTED[kind])
        if table is not None:
            return kind, table
    return None


def read_export(path: str | Path) -> dict[str, Table]:
    """The export's known files as tables, by kind; BadImportFile (one line naming the file) for anything unusable."""
    path = Path(path).expanduser()
    try:
        if path.is_dir():
            members = _folder_members(path)
        elif path.is_file():
            if zipfile.is_zipfile(path):
                members = _zip_members(path)
            elif path.suffix.lower() == ".zip":
                raise BadImportFile(f"{path.name} is not a zip file")
            else:
                return _single_csv(path)
        else:
            raise BadImportFile(f"cannot read {quoted(str(path))}: it does not exist")
    except OSError as exc:
        raise BadImportFile(f"cannot read {quoted(str(path))}: {exc.strerror or exc}") from None
    tables: dict[str, Table] = {}
    for name, load in members:
        kind, columns = FILES[name.rsplit("/", 1)[-1].lower()]
        label = name.rsplit("/", 1)[-1]
        table = read_table(label, decode(load()), columns)
        if table is None:
            raise BadImportFile(f"{label}: no {kind} header ({', '.join(sorted(columns))}) in its first rows")
        tables[kind] = table
    if not tables:
        raise BadImportFile(f"{path.name}: no file of a LinkedIn export in it (Connections.csv, Positions.csv, ...)")
    return tables


def _single_csv(path: Path) -> dict[str, Table]:
    data = _read_capped(path)
    found = _kind_of_header(path.name, decode(data))
    if found is None:
        raise BadImportFile(f"{path.name}: not a zip file nor a CSV of a LinkedIn export (no known header)")
    return {found[0]: found[1]}


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise BadImportFile(f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MiB; not imported")
    return data


def _folder_members(folder: Path) -> list[tuple[str, Callable[[], bytes]]]:
    """The export's files in the folder, or in its one subfolder (a zip unpacked into a folder of its own)."""
    found = []
    items = sorted(folder.iterdir())
    subfolders = [i for i in items if i.is_dir()]
    if not any(i.name.lower() in FILES for i in items) and len(subfolders) == 1:
        items = sorted(subfolders[0].iterdir())
    for item in items:
        if item.is_file() and item.name.lower() in FILES:
            found.append((item.name, lambda item=item: _read_capped(item)))
    return found


def _zip_members(path: Path) -> list[tuple[str, Callable[[], bytes]]]:
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadImportFile(f"{path.name} is not a readable zip file ({exc})") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise BadImportFile(f"{path.name} holds {len(infos):,} files; no export has that many")
    found = []
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1].lower()
        if base not in FILES or info.is_dir():
            continue
        if info.file_size > MAX_FILE_BYTES:
            raise BadImportFile(f"{info.filename} is larger than {MAX_FILE_BYTES >> 20} MiB; not imported")

        def load(info: zipfile.ZipInfo = info) -> bytes:
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:  # RuntimeError: encrypted
                raise BadImportFile(f"{info.filename}: cannot be read from the zip ({exc})") from None
            if len(data) > MAX_FILE_BYTES:
                raise BadImportFile(f"{info.filename} is larger than {MAX_FILE_BYTES >> 20} MiB; not imported")
            return data

        found.append((info.filename, load))
    return found


# -- parsing the rows -----------------------------------------------------------------------------------------------


def _name(first: str, last: str) -> str:
    return cell(f"{first} {last}", v.MAX_NAME)


def _email(value: str) -> str | None:
    try:
        return v.email(cell(value, v.MAX_EMAIL))
    except Invalid:
        return None


@functools.lru_cache(maxsize=1 << 16)  # messages repeat the same few thousand URLs and names
def _any_url(value: str) -> str | None:
    try:
        return v.url(cell(value, v.MAX_URL), "profile")
    except Invalid:
        return None


@functools.lru_cache(maxsize=1 << 16)
def _profile_url(value: str) -> str | None:
    """A linkedin.com profile URL, or None (an empty cell, another site, anything that is no URL)."""
    text = cell(value, v.MAX_URL)
    if not text:
        return None
    if "://" not in text and text.lower().startswith(("linkedin.com", "www.linkedin.com")):
        text = "https://" + text
    url = _any_url(text)
    host = (re.match(r"https?://([^/:?#]+)", url or "") or [None, ""])[1].lower()
    return url if host == "linkedin.com" or host.endswith(".linkedin.com") else None


def parse_connections(table: Table, summary: Summary) -> list[Contact]:
    contacts = []
    for row in table.rows:
        name = _name(row.get("first name"), row.get("last name"))
        if row.empty or not name:  # members who hide their data come as a row of commas
            summary.hidden_skipped += 1
            continue
        try:
            connected = parse_day(row.get("connected on"))
        except (ValueError, KeyError):
            raise bad_date(table, row, "connected on", "12 Mar 2024") from None
        contacts.append(_contact(row, name, connected, "position"))
    return contacts


def _contact(row: Row, name: str, connected: str | None, title_column: str) -> Contact:
    return Contact(
        name=name,
        url=_profile_url(row.get("url")),
        email=_email(row.get("email address")),
        company=cell(row.get("company"), v.MAX_NAME) or None,
        title=cell(row.get(title_column), v.MAX_TITLE) or None,
        connected_on=connected,
        line=row.line,
    )


@dataclass
class MyPosition:
    company: str
    title: str
    start: str | None
    end: str | None


def parse_positions(table: Table) -> list[MyPosition]:
    out = []
    for row in table.rows:
        if row.empty:
            continue
        company, title = cell(row.get("company name"), v.MAX_NAME), cell(row.get("title"), v.MAX_TITLE)
        if not company or not title:
            raise table.error(row, "a position needs a company name and a title")
        try:
            start = parse_month(row.get("started on"))
        except (ValueError, KeyError):
            raise bad_date(table, row, "started on", "Mar 2020") from None
        try:
            end = parse_month(row.get("finished on"), end=True)
        except (ValueError, KeyError):
            raise bad_date(table, row, "finished on", "Mar 2020") from None
        if end and (not start or end < start):
            raise table.error(row, f"finished on {end} is before started on {start}")
        out.append(MyPosition(company, title, start, end))
    return out


@dataclass
class Invitation:
    name: str
    url: str | None
    at: str
    outgoing: bool
    message: str


def parse_invitations(table: Table) -> list[Invitation]:
    out = []
    for row in table.rows:
        if row.empty:
            continue
        outgoing = cell(row.get("direction")).upper() == "OUTGOING"
        name = cell(row.get("to") if outgoing else row.get("from"), v.MAX_NAME)
        url = _profile_url(row.get("inviteeprofileurl") if outgoing else row.get("inviterprofileurl"))
        try:
            at = parse_time(row.get("sent at"))
        except (ValueError, KeyError):
            raise bad_date(table, row, "sent at", "1/29/26, 2:37 PM") from None
        if name.lower() in _NOBODY and not url:
            continue
        out.append(Invitation(name, url, at, outgoing, text_cell(row.get("message"), v.MAX_SUMMARY)))
    return out


@dataclass
class Message:
    conversation: str
    sender: str
    sender_url: str | None
    recipients: tuple[tuple[str, str | None], ...]
    at: str
    content: str


_person_cell = functools.lru_cache(maxsize=1 << 16)(lambda value: cell(value, v.MAX_NAME))


@functools.lru_cache(maxsize=1 << 16)
def _split_people(names: str, urls: str) -> tuple[tuple[str, str | None], ...]:
    name_list = [_person_cell(n) for n in names.split(",")] if names.strip() else []
    url_list = [_profile_url(u) for u in urls.split(",")] if urls.strip() else []
    if len(url_list) != len(name_list):  # a name with a comma in it: names cannot be paired with URLs
        url_list = [None] * len(name_list) if len(name_list) != 1 else [url_list[0] if url_list else None]
    return tuple(zip(name_list, url_list))


def parse_messages(table: Table) -> list[Message]:
    out = []
    for row in table.rows:
        if row.empty or "spam" in row.get("folder").lower():
            continue
        try:
            at = parse_time(row.get("date"))
        except (ValueError, KeyError):
            raise bad_date(table, row, "date", "2023-06-11 15:33:58 UTC") from None
        out.append(
            Message(
                conversation=cell(row.get("conversation id"), v.MAX_LINE),
                sender=_person_cell(row.get("from")),
                sender_url=_profile_url(row.get("sender profile url")),
                recipients=_split_people(row.get("to"), row.get("recipient profile urls")),
                at=at,
                content=row.get("content"),
            )
        )
    return out


# -- the import -------------------------------------------------------------------------------------------------------


def import_linkedin(nb: Notebook, path: str | Path, dry_run: bool = False, progress: Progress | None = None) -> Summary:
    """Import a LinkedIn export (a .zip, its folder, or one of its CSV files) in one transaction.

    Every file is read and checked before anything is written: a bad one raises BadImportFile and the notebook is
    left as it was. With dry_run the same work is done and rolled back; the summary says what would change.
    """
    report = progress or (lambda step, done, total: None)
    report("Reading the export", 0, 1)
    tables = read_export(path)
    summary = Summary(source=Path(path).name, dry_run=dry_run, files=sorted(t.name for t in tables.values()))
    parsed = {
        "connections": parse_connections(tables["connections"], summary) if "connections" in tables else None,
        "positions": parse_positions(tables["positions"]) if "positions" in tables else None,
        "invitations": parse_invitations(tables["invitations"]) if "invitations" in tables else None,
        "messages": parse_messages(tables["messages"]) if "messages" in tables else None,
    }
    nb.ensure_writable()
    with nb.import_run("linkedin", dry_run=dry_run) as run:
        _apply(run, tables, parsed, summary, report)
    return summary


def _apply(run: ImportRun, tables: dict[str, Table], parsed: dict, summary: Summary, report: Progress) -> None:
    if "profile" in tables:
        _import_profile(run, tables["profile"], tables, summary)
    if parsed["connections"] is not None:
        report("Connections", 0, len(parsed["connections"]))
        _import_connections(run, parsed["connections"], summary, report)
    if parsed["positions"] is not None:
        _import_positions(run, parsed["positions"], summary)
    if parsed["invitations"] is not None:
        report("Invitations", 0, len(parsed["invitations"]))
        _import_invitations(run, parsed["invitations"], summary)
    if parsed["messages"] is not None:
        report("Messages", 0, len(parsed["messages"]))
        _import_messages(run, parsed["messages"], summary, tables.get("profile"))
    if "follows" in tables:
        names = [cell(r.get("organization"), v.MAX_NAME) for r in tables["follows"].rows]
        summary.companies_to_watch = run.untracked_companies([n for n in names if n])
    _tick_checklist(run, tables, parsed, summary)
    summary.interactions_added = run.interactions_added
    summary.others_added = run.others_added
    report("Done", 1, 1)


def _import_profile(run: ImportRun, table: Table, tables: dict[str, Table], summary: Summary) -> None:
    row = next((r for r in table.rows if not r.empty), None)
    if row is None:
        return
    name = _name(row.get("first name"), row.get("last name"))
    headline = cell(row.get("headline"))
    location = cell(row.get("geo location") or row.get("location"))
    summary_text = text_cell(row.get("summary"), v.MAX_BODY)
    changed, created = run.update_me(name, headline or None, location or None, summary_text or None)
    summary.profile_updated = changed
    if created:
        summary.notes.append(f"{name} was marked as you (from Profile.csv)")


def _import_connections(run: ImportRun, contacts: list[Contact], summary: Summary, report: Progress) -> None:
    summary.connections = len(contacts)
    if run.me_id is None:
        summary.notes.append(
            "nobody is marked as you: connections were added without a link to you (researcher person edit ME --me)"
        )
    before = run.snapshot()
    seen: set[int] = set()
    for index, contact in enumerate(contacts, 1):
        outcome = run.upsert_contact(contact, before)
        seen.add(outcome.person_id)
        if outcome.added:
            summary.people_added += 1
        elif outcome.changed:
            summary.people_updated += 1
        else:
            summary.people_unchanged += 1
        summary.new_connections += outcome.new_connection
        if outcome.job_change:
            summary.job_changes.append(outcome.job_change)
        if index % 500 == 0:
            report("Connections", index, len(contacts))
    summary.removed_connections = run.remove_from_snapshot([pid for pid in before if pid not in seen])


def _import_positions(run: ImportRun, positions: list[MyPosition], summary: Summary) -> None:
    if run.me_id is None:
        summary.notes.append("Positions.csv skipped: nobody is marked as you")
        return
    for p in positions:
        summary.positions_added += run.add_my_position(p.company, p.title, p.start, p.end)


def _is_stock(message: str) -> bool:
    """Sent with no note, LinkedIn's own sentence went; or the note holds that sentence."""
    return not message.strip() or any(w.code == STOCK_CODE for w in check_invitation(message))


def _import_invitations(run: ImportRun, invitations: list[Invitation], summary: Summary) -> None:
    for inv in invitations:
        person_id = run.person_for(inv.name, inv.url)
        if person_id is None:
            continue
        if inv.outgoing:
            summary.invitations_sent += 1
            summary.invitations_stock += _is_stock(inv.message)
            what = "Invitation sent on LinkedIn"
        else:
            summary.invitations_received += 1
            what = "Invitation received on LinkedIn"
        text = f"{what}: {inv.message}" if inv.message else f"{what} (no message)"
        run.add_interaction(person_id, inv.at, "out" if inv.outgoing else "in", text)
        if inv.outgoing and inv.message:
            summary.invitation_messages_kept += run.add_sent_invitation(person_id, inv.message, inv.at)


def _my_names(run: ImportRun, profile: Table | None, messages: list[Message]) -> set[str]:
    """Who I am in messages.csv: my profile's name and the notebook's me; else whoever is in most conversations."""
    names = set()
    if profile is not None and profile.rows:
        names.add(_name(profile.rows[0].get("first name"), profile.rows[0].get("last name")).lower())
    if run.me_name:
        names.add(run.me_name.lower())
    names.discard("")
    if names:
        return names
    seen: dict[str, set[str]] = {}
    for m in messages:
        for person in [m.sender, *(n for n, _ in m.recipients)]:
            seen.setdefault(person.lower(), set()).add(m.conversation)
    return {max(seen, key=lambda k: len(seen[k]))} if seen else set()


def _import_messages(run: ImportRun, messages: list[Message], summary: Summary, profile: Table | None) -> None:
    me = _my_names(run, profile, messages)
    # One interaction per conversation, day and person: its first message of the day, and how many followed.
    days: dict[tuple[str, str, str, str | None], list] = {}
    for m in sorted(messages, key=lambda m: m.at):
        mine = m.sender.lower() in me
        others = [(n, u) for n, u in m.recipients if n.lower() not in me] if mine else [(m.sender, m.sender_url)]
        for name, url in others:
            if name.lower() in _NOBODY and not url:
                continue
            key = (m.conversation, m.at[:10], name, url)
            entry = days.get(key)
            if entry is None:
                days[key] = [m.at, "out" if mine else "in", 1, m.content]
            else:
                entry[2] += 1
    summary.conversations = len({key[0] for key in days})
    for (_, _, name, url), (at, direction, count, first) in days.items():
        person_id = run.person_for(name, url)
        if person_id is None:
            continue
        words = text_cell(first, 200)
        said = f"LinkedIn messages ({count}): {words}" if words else f"LinkedIn messages ({count})"
        run.add_interaction(person_id, at, direction, said, replace=True)


def _tick_checklist(run: ImportRun, tables: dict[str, Table], parsed: dict, summary: Summary) -> None:
    shown = []
    profile = tables.get("profile")
    if profile is not None and profile.rows:
        row = profile.rows[0]
        shown += [item for item, column in (("headline", "headline"), ("summary", "summary")) if cell(row.get(column))]
    if parsed["positions"]:
        shown.append("experience")
    for kind, item in (("skills", "skills"), ("recommendations", "recommendations received")):
        if kind in tables and any(not r.empty for r in tables[kind].rows):
            shown.append(item)
    summary.checklist_ticked = run.tick_profile(shown)


# -- the generic CSV import -------------------------------------------------------------------------------------------


def import_csv(nb: Notebook, path: str | Path, mapping_spec: str, dry_run: bool = False) -> Summary:
    """Import contacts from any CSV whose columns `mapping_spec` names ("Vorname=first_name,Firma=company,...")."""
    mapping = parse_mapping(mapping_spec)
    path = Path(path).expanduser()
    try:
        if not path.is_file():
            raise BadImportFile(f"cannot read {quoted(str(path))}: it does not exist or is not a file")
        text = decode(_read_capped(path))
    except OSError as exc:
        raise BadImportFile(f"cannot read {quoted(str(path))}: {exc.strerror or exc}") from None
    table = read_table(path.name, text, set(mapping.values()), delimiter=sniff_delimiter(text))
    if table is None:
        missing = ", ".join(sorted(mapping.values()))
        raise BadImportFile(f"{path.name}: no header with the mapped columns ({missing}) in its first rows")
    summary = Summary(source=path.name, dry_run=dry_run, files=[path.name])
    contacts = []
    for row in table.rows:
        values = {f: row.get(column) for f, column in mapping.items()}
        name = cell(values.get("name"), v.MAX_NAME) or _name(values.get("first_name", ""), values.get("last_name", ""))
        if row.empty or not name:
            summary.hidden_skipped += 1
            continue
        try:
            connected = parse_day(values.get("connected_on", ""))
        except (ValueError, KeyError):
            raise bad_date(table, row, mapping["connected_on"], "12 Mar 2024 or 2024-03-12") from None
        contact = _contact(
            Row({**values, "email address": values.get("email", "")}, row.line), name, connected, "title"
        )
        contact.url = _any_url(values.get("url", ""))
        contact.phone = cell(values.get("phone")) or None
        contact.location = cell(values.get("location")) or None
        contact.headline = cell(values.get("headline")) or None
        contacts.append(contact)
    nb.ensure_writable()
    with nb.import_run(None, dry_run=dry_run) as run:
        summary.connections = len(contacts)
        for contact in contacts:
            outcome = run.upsert_contact(contact, {})
            if outcome.added:
                summary.people_added += 1
            elif outcome.changed:
                summary.people_updated += 1
            else:
                summary.people_unchanged += 1
    return summary


def summary_lines(summary: Summary) -> list[str]:
    """The summary as a person reads it (the CLI prints these lines, the TUI shows them)."""
    s = summary
    head = "Would import" if s.dry_run else "Imported"
    lines = [f"{head} {s.source} ({', '.join(s.files)})" + (" — dry run, nothing written" if s.dry_run else "")]
    if s.connections or s.hidden_skipped:
        lines.append(
            f"People: {s.people_added:,} added, {s.people_updated:,} updated, {s.people_unchanged:,} unchanged"
            f" ({plural(s.hidden_skipped, 'hidden row')} skipped)"
        )
        lines.append(f"Connections: {s.connections:,}, {s.new_connections:,} new, {len(s.removed_connections):,} gone")
        lines += [f"  gone: {name}" for name in s.removed_connections[:20]]
    if s.others_added:
        lines.append(f"People from invitations and messages who are no connection: {s.others_added:,} added")
    if s.job_changes:
        lines.append(f"Job changes: {len(s.job_changes)}")
        for change in s.job_changes[:20]:
            was = " at ".join(x for x in (change["from_title"], change["from_company"]) if x) or "?"
            now = " at ".join(x for x in (change["to_title"], change["to_company"]) if x) or "no position"
            lines.append(f"  {change['person']}: {was} -> {now}")
    if s.positions_added or s.profile_updated or s.checklist_ticked:
        ticked = f"; checklist ticked: {', '.join(s.checklist_ticked)}" if s.checklist_ticked else ""
        lines.append(
            f"My career: {plural(s.positions_added, 'position')} added;"
            f" profile {'updated' if s.profile_updated else 'as it was'}{ticked}"
        )
    if s.invitations_sent or s.invitations_received:
        lines.append(
            f"Invitations: {s.invitations_sent:,} sent ({s.invitations_stock:,} with the network's stock text or none),"
            f" {s.invitations_received:,} received, {plural(s.invitation_messages_kept, 'message')} kept"
        )
    if s.conversations:
        lines.append(f"Conversations: {s.conversations:,}")
    lines.append(f"Interactions added: {s.interactions_added:,}")
    if s.companies_to_watch:
        lines.append(f"Companies you follow and do not track yet ({len(s.companies_to_watch)}), to watch:")
        lines += [f"  {name}" for name in s.companies_to_watch[:50]]
        if len(s.companies_to_watch) > 50:
            lines.append(f"  ... and {len(s.companies_to_watch) - 50} more (--json lists them all)")
    lines += [f"Note: {note}" for note in s.notes]
    return lines
