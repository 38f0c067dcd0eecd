"""Markdown export: a company's interview brief (the dossier), and a vault of every company and person for Obsidian."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt
from slugify import slugify

from researcher.insight.dossier import Dossier, company_dossier
from researcher.insight.org import OrgNode, OrgPerson, org_chart
from researcher.insight.paths import WarmPath
from researcher.store import Notebook, ResearcherError
from researcher.store.models import Company, Person
from researcher.text import clean_line, clean_text, quoted
from researcher.words import plural

MY_NOTES = "My notes"
MY_NOTES_HINT = "<!-- Yours: researcher keeps what you write under this heading when it exports this file again. -->"
NEWS_IN_BRIEF = 10
PEOPLE_IN_BRIEF = 50
INTERACTIONS_IN_BRIEF = 20
COMPANIES_DIR = "companies"
PEOPLE_DIR = "people"

# -- escaping -----------------------------------------------------------------------------

# Inline Markdown (and Obsidian's #tags, ==highlight==, %%comments%%, $math$, ^block ids): backslash-escaped,
# so that no text from a feed or another program becomes a link, an image, HTML, emphasis, code or a tag.
_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~=$%^]|&(?=#?\w+;))")
# What starts a block at the start of a line: a bullet, an ordered list item (`+` and `-` mid-line are text).
_BULLET = re.compile(r"^([-+])")
_ORDERED = re.compile(r"^(\d+)([.)])")
# YAML treats these as line breaks or refuses them raw; JSON leaves them raw inside strings.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def md_line(value: object) -> str:
    """Untrusted text as Markdown text inside a line: cleaned, every character Markdown acts on inline escaped."""
    return _INLINE.sub(r"\\\1", clean_line(str(value)) if value is not None else "")


def md_block(value: object) -> str:
    """Untrusted multi-line text as Markdown paragraphs: each line escaped and unindented (no heading, list,
    quote, code block or HTML can start), runs of blank lines kept as one paragraph break."""
    out: list[str] = []
    for line in clean_text(str(value or "")).split("\n"):
        line = md_line(line)
        line = _ORDERED.sub(r"\1\\\2", _BULLET.sub(r"\\\1", line))
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


# A note is the user's Markdown (the TUI renders it so): lists, emphasis, #tags and [[wikilinks]] stay; what
# could run script, hide or swallow the sections after it is escaped: HTML and entities, inline and reference
# links (a javascript: target), headings (a note's "## My notes" would take the user's section), setext
# underlines, and code fences (an unclosed one would swallow every heading below it).
_NOTE_ESCAPES = re.compile(r"[<>]|&(?=#?\w+;)|\](?=[(\[])")
_NOTE_LINE_START = re.compile(r"^(\s*)(#|\[|`{3}|~{3}|=+\s*$|-+\s*$)")


def md_note(value: object) -> str:
    """A note (the user's own Markdown) made safe to embed: see _NOTE_ESCAPES."""
    lines = clean_text(str(value or "")).strip("\n").split("\n")
    out = []
    for line in lines:
        line = _NOTE_ESCAPES.sub(lambda m: "\\" + m.group(), line.rstrip())
        out.append(_NOTE_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    return "\n".join(out)


def md_url(url: str | None) -> str | None:
    """A link destination for an http(s) URL (`<...>`, nothing in it that could close it), else None."""
    link = clean_line(url)
    try:
        if urlsplit(link).scheme.lower() not in ("http", "https"):
            return None
    except ValueError:
        return None
    return "<" + quote(link, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


def md_link(text: object, url: str | None) -> str:
    """`[text](url)` for an http(s) URL; the text alone otherwise (javascript:, data:, file: never link)."""
    destination = md_url(url)
    label = md_line(text) or md_line(url)
    return f"[{label}]({destination})" if destination else label


def wikilink(folder: str, slug: str, name: str) -> str:
    """`[[folder/slug|name]]` (Obsidian): the slug is the file name; what would close the link leaves the name."""
    alias = clean_line(name).translate(str.maketrans({"[": "(", "]": ")", "|": "/", "#": "♯", "^": "ˆ"}))
    return f"[[{folder}/{slug}|{alias}]]"


def yaml_value(value: object) -> str:
    """A YAML scalar or flow list for a front matter property: JSON strings, which YAML reads as they are."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool | int):
        return json.dumps(value)
    text = json.dumps(clean_line(str(value)), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter(properties: dict[str, object]) -> str:
    lines = [f"{key}: {yaml_value(value)}" for key, value in properties.items() if value not in (None, "", [])]
    return "---\n" + "\n".join(lines) + "\n---\n"


def tag(value: str | None) -> str | None:
    """An Obsidian tag from a name: letters, digits, - and _ (no spaces, no #)."""
    return slugify(value) or None if value else None


# -- keeping the user's section ------------------------------------------------------------


def _body_start(lines: list[str]) -> int:
    """The first line after the YAML front matter (0 when there is none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


# The sections an export writes; the user's section ends where one of them (or any level-1 heading) begins.
GENERATED_SECTIONS = frozenset(
    {"Overview", "Latest news", "Named in the news", "Vocabulary", "Organisation", "People to approach", "Career paths",
     "Notes from the notebook", "Career", "Whom they know", "Approach"}
)  # fmt: skip


def my_notes(document: str) -> str | None:
    """What an earlier export holds under `## My notes` (None: no such section): up to the next level-1
    heading or heading of a generated section, else to the end, so `## ` sections the user added under it stay
    theirs. Headings are found as Markdown reads them: a `## ` inside a code block is not one."""
    lines = document.split("\n")
    start = _body_start(lines)
    tokens = MarkdownIt("commonmark").parse("\n".join(lines[start:]))
    begin: int | None = None  # the first line of the section's text
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        title = tokens[i + 1].content.strip()
        if begin is None:
            if token.tag == "h2" and title == MY_NOTES:
                begin = token.map[1]
        elif token.tag == "h1" or (token.tag == "h2" and title in GENERATED_SECTIONS):
            return "\n".join(lines[start + begin : start + token.map[0]]).strip("\n")
    if begin is None:
        return None
    return "\n".join(lines[start + begin :]).strip("\n")


def keep_my_notes(new: str, old: str | None) -> str:
    """The new export with the `## My notes` section of the earlier file put back in place of the empty one."""
    kept = my_notes(old) if old else None
    if kept is None:
        return new
    marker = f"## {MY_NOTES}\n\n{MY_NOTES_HINT}\n"
    if marker not in new:
        return new
    return new.replace(marker, f"## {MY_NOTES}\n\n{kept}\n" if kept else f"## {MY_NOTES}\n", 1)


def _my_notes_section() -> list[str]:
    return [f"## {MY_NOTES}", "", MY_NOTES_HINT]


# -- the company dossier --------------------------------------------------------------------


@dataclass
class Links:
    """How a file names people and companies: wikilinks in a vault, bold names in a lone brief."""

    vault: bool = False

    def person(self, slug: str | None, name: str) -> str:
        return wikilink(PEOPLE_DIR, slug, name) if self.vault and slug else f"**{md_line(name)}**"

    def company(self, slug: str | None, name: str) -> str:
        return wikilink(COMPANIES_DIR, slug, name) if self.vault and slug else md_line(name)


def _path_line(path: WarmPath, links: Links, slugs: dict[int, str]) -> str:
    steps = ["you"]
    for link in path.links:
        steps.append(f"{links.person(slugs.get(link.to_id), link.to_name)} ({md_line(link.reason)})")
    return " → ".join(steps)


def _overview(d: Dossier) -> list[str]:
    c, o = d.company, d.overview
    out = ["## Overview", ""]
    facts = [
        ("Sector", c.sector),
        ("Status", c.status),
        ("Website", md_link(c.website, c.website) if c.website else None),
        ("Location", c.location),
        ("Size", c.size),
    ]
    out += [f"- {label}: {value if label == 'Website' else md_line(value)}" for label, value in facts if value]
    out.append(
        f"- In the notebook: {plural(o.people_now, 'person', 'people')} here now, {o.former} who left,"
        f" {plural(o.feeds, 'feed')}, {plural(o.news, 'news item')} ({o.unread} unread), {plural(o.terms, 'term')}"
    )
    if c.description:
        out += ["", md_block(c.description)]
    return out


def _news(nb: Notebook, d: Dossier) -> list[str]:
    out = ["## Latest news", ""]
    items = nb.news(company=d.company.id, limit=NEWS_IN_BRIEF)
    if not items:
        return [*out, "No news yet: follow a feed (`researcher feed add`) and sync."]
    for item in items:
        when = (item.published or item.fetched_at or "")[:10]
        out.append(f"- {when + ' — ' if when else ''}{md_link(item.title or item.link or 'untitled', item.link)}")
    return out


def _vocabulary(d: Dossier) -> list[str]:
    out = ["## Vocabulary", ""]
    if not d.vocabulary:
        return [*out, "No terms yet."]
    for t in d.vocabulary:
        definition = clean_line(t.definition)
        example = f" *{md_line(t.example)}*" if t.example else ""
        out.append(f"- **{md_line(t.term)}**" + (f": {md_line(definition)}" if definition else "") + example)
    return out


def _org_person(p: OrgPerson, unit: OrgNode | None, links: Links) -> str:
    head = " (head)" if unit is not None and unit.head_id == p.person_id else ""
    manager = f", reports to {md_line(p.manager)}" if p.manager else ""
    return f"{links.person(p.slug, p.name)}{head}, {md_line(p.title)}{manager}"


def _organisation(nb: Notebook, d: Dossier, links: Links) -> list[str]:
    """The Organisation tab's tree (insight.org.org_chart, without its warm paths: People to approach has them)."""
    chart = org_chart(nb, d.company.id, paths=False)
    out = ["## Organisation", ""]
    if not chart.units:
        return [*out, "No units yet."]
    for unit, depth in chart.walk():
        pad = "  " * depth
        count = f" ({plural(unit.total, 'person', 'people')})" if unit.total else ""
        out.append(f"{pad}- {md_line(unit.name)}{count}")
        out += [f"{pad}  - {_org_person(p, unit, links)}" for p in unit.people]
    if chart.unplaced:
        shown = ", ".join(_org_person(p, None, links) for p in chart.unplaced[:PEOPLE_IN_BRIEF])
        out += ["", f"In no unit yet: {shown}"]
    return out


def _in_the_news(d: Dossier) -> list[str]:
    out = ["## Named in the news", ""]
    if not d.in_the_news:
        return [*out, "Not named in other companies' news yet."]
    for item in d.in_the_news[:NEWS_IN_BRIEF]:
        when = (item.get("published") or item.get("fetched_at") or "")[:10]
        title = md_link(item.get("title") or item.get("link") or "untitled", item.get("link"))
        out.append(f"- {when + ' — ' if when else ''}{title} ({md_line(item.get('company'))})")
    return out


def _people(d: Dossier, links: Links) -> list[str]:
    page = d.people
    out = ["## People to approach", ""]
    if not page.rows:
        return [*out, "Nobody here in the notebook yet."]
    if page.why_no_paths:
        out += [f"No warm paths: {md_line(page.why_no_paths)}.", ""]
    slugs = {r.person_id: r.slug for r in page.rows}
    for row in page.rows:
        role = md_line(row.title or "?") + (f", {md_line(row.unit)}" if row.unit else "")
        when = (f"since {row.since}" if row.since else "now") if row.current else f"left {row.left or '?'}"
        state = ", ".join(x for x in (row.approach_status, f"priority {row.priority}" if row.priority else "") if x)
        out.append(f"- {links.person(row.slug, row.name)}: {role} ({when})" + (f" — {md_line(state)}" if state else ""))
        if row.is_me:
            out.append("  - This is you.")
        elif row.path is not None:
            out.append(f"  - Warmest path: {_path_line(row.path, links, slugs)}")
        elif not page.why_no_paths:
            out.append("  - No path from you found.")
    if page.has_more:
        out += ["", f"And {page.total - len(page.rows)} more (`researcher company show` pages through them)."]
    return out


def _careers(d: Dossier, links: Links) -> list[str]:
    flows = d.careers
    out = ["## Career paths", ""]
    if not flows.moves:
        return [*out, "No career paths yet."]
    came = ", ".join(f"{md_line(name)} ({n})" for name, n in flows.came_from[:10]) or "—"
    left = ", ".join(f"{md_line(name)} ({n})" for name, n in flows.left_to[:10]) or "—"
    out += [f"- Came from: {came}", f"- Left to: {left}", ""]
    for m in flows.moves[:PEOPLE_IN_BRIEF]:
        before = f"{md_line(m.before.title)} at {md_line(m.before.company_name)} → " if m.before else ""
        after = f" → {md_line(m.after.title)} at {md_line(m.after.company_name)}" if m.after else ""
        span = f"{m.stint.start or '?'}–{m.stint.end or 'now'}"
        out.append(
            f"- {links.person(m.person_slug, m.person_name)}: {before}**{md_line(m.stint.title)}** ({span}){after}"
        )
    if len(flows.moves) > PEOPLE_IN_BRIEF:
        out += ["", f"And {len(flows.moves) - PEOPLE_IN_BRIEF} more passages."]
    return out


def _notes(notes: list) -> list[str]:
    out = ["## Notes from the notebook", ""]
    if not notes:
        return [*out, "None yet."]
    for n in notes:
        out += [f"### {n.created_at[:10]}", "", md_note(n.body), ""]
    return out[:-1]


def company_markdown(nb: Notebook, d: Dossier, vault: bool = False) -> str:
    """The interview brief of one company as Markdown with Obsidian properties (YAML front matter)."""
    c = d.company
    links = Links(vault)
    properties = {
        "company": c.name,
        "sector": c.sector,
        "status": c.status,
        "url": c.website,
        "updated": (c.updated_at or "")[:10] or None,
        "tags": [t for t in ("company", tag(c.sector), tag(c.status)) if t],
    }
    sections = [
        [f"# {md_line(c.name)}"],
        _overview(d),
        _news(nb, d),
        _in_the_news(d),
        _vocabulary(d),
        _organisation(nb, d, links),
        _people(d, links),
        _careers(d, links),
        _notes(d.notes),
        _my_notes_section(),
    ]
    return front_matter(properties) + "\n" + "\n\n".join("\n".join(s) for s in sections) + "\n"


def export_dossier(nb: Notebook, company: str | int, today: date | None = None) -> tuple[Company, str]:
    """The company and its brief (from the dossier the TUI shows: company_dossier)."""
    d = company_dossier(nb, company, people_limit=PEOPLE_IN_BRIEF, today=today)
    return d.company, company_markdown(nb, d)


# -- the vault ------------------------------------------------------------------------------


def person_markdown(nb: Notebook, person: Person) -> str:
    """One person's file in a vault: who they are, their career, whom they know, the approach, notes."""
    links = Links(vault=True)
    approach = nb.approach(person.id)
    properties = {
        "person": person.name,
        "company": person.company,
        "title": person.title,
        "status": approach.status if approach else None,
        "priority": approach.priority if approach else None,
        **{network: url for network, url in person.profiles.items()},
        "updated": (person.updated_at or "")[:10] or None,
        "tags": [
            t for t in ("person", "me" if person.is_me else None, tag(approach.status if approach else None)) if t
        ],
    }
    about = [f"# {md_line(person.name)}", ""]
    if person.headline:
        about.append(f"*{md_line(person.headline)}*")
        about.append("")
    facts = [("Location", md_line(person.location) if person.location else None),
             ("Email", md_line(person.email) if person.email else None),
             ("Phone", md_line(person.phone) if person.phone else None)]  # fmt: skip
    facts += [(network.capitalize(), md_link(url, url)) for network, url in person.profiles.items()]
    about += [f"- {label}: {value}" for label, value in facts if value] or ["No contact details yet."]
    career = ["## Career", ""]
    for p in reversed(nb.positions_of(person.id)):
        span = f"{p.start or '?'}–{p.end or 'now'}"
        career.append(f"- {span}: {md_line(p.title)} at {links.company(p.company_slug, p.company_name)}")
    if len(career) == 2:
        career.append("No positions yet.")
    known = ["## Whom they know", ""]
    for r in nb.relationships_of(person.id):
        how = f", {md_line(r.how)}" if r.how else ""
        known.append(
            f"- {links.person(r.other_slug, r.other_name or '')}: {r.kind.replace('_', ' ')}, strength {r.strength}{how}"
        )
    if len(known) == 2:
        known.append("Nobody linked yet.")
    pipeline = ["## Approach", ""]
    if approach:
        pipeline.append(f"- Status: {md_line(approach.status)}, priority {approach.priority}")
        if approach.next_action_at or approach.next_step:
            pipeline.append(f"- Next: {approach.next_action_at or 'no date'} — {md_line(approach.next_step or '')}")
    else:
        pipeline.append("Not in the approach pipeline.")
    for i in nb.interactions_of(person.id)[:INTERACTIONS_IN_BRIEF]:
        pipeline.append(f"- {i.at[:10]} {md_line(i.channel)} ({i.direction}): {md_line(i.summary)}")
    sections = [about, career, known, pipeline, _notes(nb.notes(person=person.id)), _my_notes_section()]
    return front_matter(properties) + "\n" + "\n\n".join("\n".join(s) for s in sections) + "\n"


def index_markdown(companies: list[Company]) -> str:
    lines = ["# Companies", ""]
    lines += [f"- {wikilink(COMPANIES_DIR, c.slug, c.name)} — {md_line(c.status)}" for c in companies]
    return front_matter({"tags": ["index"]}) + "\n" + "\n".join(lines) + "\n\n" + "\n".join(_my_notes_section()) + "\n"


def vault_files(
    nb: Notebook, today: date | None = None, progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[str, str]]:
    """(relative path, Markdown) for every file of a vault: index.md, companies/SLUG.md, people/SLUG.md."""
    companies = nb.companies()
    total = len(companies) + nb.count_people() + 1
    yield "index.md", index_markdown(companies)
    done = 1
    for c in companies:
        d = company_dossier(nb, c.id, people_limit=PEOPLE_IN_BRIEF, today=today)
        yield f"{COMPANIES_DIR}/{c.slug}.md", company_markdown(nb, d, vault=True)
        done += 1
        if progress:
            progress(done, total)
    page = 0
    while batch := nb.people(limit=1000, offset=page * 1000):
        for person in batch:
            yield f"{PEOPLE_DIR}/{person.slug}.md", person_markdown(nb, person)
            done += 1
            if progress:
                progress(done, total)
        page += 1


def save_markdown(path: Path, text: str) -> Path:
    """Write an export whole or not at all (a temporary file beside it, renamed over it), keeping the `## My
    notes` of the file it replaces. A fault is one line (ResearcherError)."""
    try:
        old = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".researcher-", suffix=".tmp")
    except (OSError, ValueError) as exc:
        raise ResearcherError(f"cannot write {quoted(path)}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(keep_my_notes(text, old))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ResearcherError(f"cannot write {quoted(path)}: {exc.strerror or exc}") from None
    return path
