"""OPML 2.0 import and export of the notebook's feeds, one outline per company."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import BinaryIO
from urllib.parse import urlsplit

from researcher.store import Notebook
from researcher.store import validate as v
from researcher.store.errors import Ambiguous, Invalid, NotFound
from researcher.store.models import Company
from researcher.text import clean_line, fold, quoted

# The company's sector, website and status ride on its outline as attributes in our own
# namespace (researcher:sector, ...), declared on <opml>. Not OPML's `category`: other
# readers put their own folder paths there, and a foreign file must not set a sector or
# fail the import with an unknown status; only a file we wrote carries these attributes.
NAMESPACE = "https://researcher.invalid/opml"
PREFIX = "researcher"
COMPANY_ATTRIBUTES = ("sector", "website", "status")
FEED_SCHEMES = ("http", "https", "file")
# The attributes the import reads; the parser keeps no other (a foreign file's descriptions and
# such cost memory and are never used).
_READ_ATTRIBUTES = ("text", "title", "xmlurl", "type")

# Characters XML 1.0 cannot carry at all, not even as &#...; the store keeps U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def export_opml(nb: Notebook) -> str:
    """The notebook's companies and their feeds as an OPML 2.0 document.

    Every company is an outline (text and title: its name; researcher:sector,
    researcher:website and researcher:status when set) holding one
    `<outline type="rss" xmlUrl=...>` per feed; a company without feeds is an empty
    outline, so a round trip keeps it.
    """
    root = ET.Element("opml", {"version": "2.0", f"xmlns:{PREFIX}": NAMESPACE})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "researcher feeds"
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    feeds_of: dict[int, list] = {}
    for feed in nb.feeds():
        feeds_of.setdefault(feed.company_id, []).append(feed)
    for company in nb.companies():
        name = _xml_text(company.name)
        attributes = {"text": name, "title": name}
        for key in COMPANY_ATTRIBUTES:
            value = getattr(company, key)
            if value:
                attributes[f"{PREFIX}:{key}"] = _xml_text(value)
        outline = ET.SubElement(body, "outline", attributes)
        for feed in sorted(feeds_of.get(company.id, []), key=lambda f: f.url):
            label = _xml_text(feed.title or feed.url)
            ET.SubElement(
                outline, "outline", {"type": "rss", "text": label, "title": label, "xmlUrl": _xml_text(feed.url)}
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass
class _Entry:
    """One thing the file asks for: a company outline, or a feed and where it belongs."""

    outline: ET.Element
    name: str  # the outline's own text (or title), cleaned
    url: str | None = None  # set for a feed
    folder: _Entry | None = None  # a feed's nearest ancestor outline without xmlUrl


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attribute(outline: ET.Element, name: str) -> str | None:
    """An un-namespaced attribute, whatever its case (xmlUrl, xmlurl)."""
    for key, value in outline.attrib.items():
        if key.lower() == name.lower():
            return value
    return None


def _outline_name(outline: ET.Element) -> str:
    return clean_line(_attribute(outline, "text")) or clean_line(_attribute(outline, "title"))


class _OpmlBuilder(ET.TreeBuilder):
    """Builds the tree of an OPML file within limits, keeping only what the import reads.

    Refuses any DOCTYPE: OPML has none, and without one no entity can be declared. Refuses
    more than v.MAX_OPML_OUTLINES outlines (or as many other elements) and any attribute the
    import reads longer than v.MAX_OPML_ATTRIBUTE; drops element text and every other attribute.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outlines = self.others = 0

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise Invalid("not an OPML file: it has a DOCTYPE (refused: OPML has no DTD and entities are not expanded)")

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        if _local(tag) == "outline":
            self.outlines += 1
            where = f"outline {self.outlines:,}"
            if self.outlines > v.MAX_OPML_OUTLINES:
                raise Invalid(
                    f"this OPML file has more than {v.MAX_OPML_OUTLINES:,} outlines; at most {v.MAX_OPML_OUTLINES:,}"
                    " feeds and folders are imported at once: split the file"
                )
        else:
            self.others += 1
            where = f"the <{clean_line(_local(tag))[:40]}> element"
            if self.others > v.MAX_OPML_OUTLINES:
                raise Invalid(
                    f"not an OPML file: it has more than {v.MAX_OPML_OUTLINES:,} elements other than outlines"
                )
        kept = {}
        for key, value in attrs.items():
            if key.lower() in _READ_ATTRIBUTES or key.startswith(f"{{{NAMESPACE}}}"):
                if len(value) > v.MAX_OPML_ATTRIBUTE:
                    raise Invalid(
                        f"{where} of the OPML file: its {quoted(_local(key))} attribute is {len(value):,} characters;"
                        f" at most {v.MAX_OPML_ATTRIBUTE:,}"
                    )
                kept[key] = value
        return super().start(tag, kept)

    def data(self, data: str) -> None:
        """Element text: OPML keeps everything in attributes, so none is kept."""


def _read(source: bytes | str | BinaryIO) -> bytes | str:
    """The document, refused before it is parsed when it is over v.MAX_OPML_BYTES (a file is read no further)."""
    if hasattr(source, "read"):
        source = source.read(v.MAX_OPML_BYTES + 1)
    if len(source) > v.MAX_OPML_BYTES:
        unit = "characters" if isinstance(source, str) else "bytes"
        raise Invalid(
            f"this OPML file is over {v.MAX_OPML_BYTES // 2**20} MiB ({v.MAX_OPML_BYTES:,} {unit});"
            " a list of feeds is far smaller: is it the right file?"
        )
    return source


def _parse(source: bytes | str) -> ET.Element:
    """The <body> of an OPML document; anything else is Invalid.

    Python 3.11's expat refuses billion-laughs expansion and ElementTree never fetches
    an external entity; on top of that any DOCTYPE is refused, so an external entity
    cannot even be declared (expat would silently blank its reference in an attribute).
    """
    parser = ET.XMLParser(target=_OpmlBuilder())
    try:
        parser.feed(source)
        root = parser.close()
    except ET.ParseError as error:
        raise Invalid(f"not an OPML file: {clean_line(str(error))}") from None
    except UnicodeEncodeError:  # a str with lone surrogates (bytes that were not UTF-8, escaped)
        raise Invalid(
            "not an OPML file: its text is not valid Unicode (it was read from bytes that are not UTF-8)"
        ) from None
    if _local(root.tag) != "opml":
        raise Invalid(f"not an OPML file: the root element is <{clean_line(_local(root.tag))}>, not <opml>")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise Invalid("not an OPML file: it has no <body>")
    return body


def _entries(body: ET.Element) -> Iterator[_Entry]:
    """Feeds and feedless company outlines in document order (iterative: nesting depth is the file's choice)."""
    stack: list[tuple[Iterator[ET.Element], _Entry | None]] = [(iter(body), None)]
    while stack:
        children, folder = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
            continue
        if _local(outline.tag) != "outline":
            continue
        name = _outline_name(outline)
        url = _attribute(outline, "xmlUrl")
        has_children = any(_local(child.tag) == "outline" for child in outline)
        if url is not None:
            yield _Entry(outline, name, url=url, folder=folder)
            inner = folder  # a feed is no folder: whatever it holds belongs to the folder above
        else:
            entry = _Entry(outline, name)
            inner = entry if name else folder
            # A leaf outline with no type is a company without feeds (what export writes);
            # typed leaves (link, include, rss without xmlUrl) are not companies.
            if name and not has_children and _attribute(outline, "type") is None:
                yield entry
        if has_children:
            stack.append((iter(outline), inner))


class _Companies:
    """Finds or creates the companies an import names.

    A name matches a company that existed before the import case- and
    accent-insensitively; companies this import created match only by their exact
    name, so "Acme" and "ACME" exported from one notebook come back as two.
    """

    def __init__(self, nb: Notebook):
        self.nb = nb
        self.by_name: dict[str, list[Company]] = {}
        self.by_fold: dict[str, list[Company]] = {}
        for company in nb.companies():
            self.by_name.setdefault(company.name, []).append(company)
            self.by_fold.setdefault(fold(company.name), []).append(company)
        self.added = 0

    def get(self, entry: _Entry) -> Company:
        name = entry.name
        matches = self.by_name.get(name) or self.by_fold.get(fold(name)) or []
        if len(matches) > 1:
            slugs = ", ".join(c.slug for c in matches)
            raise Ambiguous(
                f"{len(matches)} companies are named {quoted(name)} ({slugs}); rename one or import into one company"
            )
        if matches:
            return matches[0]
        extra = {key: entry.outline.get(f"{{{NAMESPACE}}}{key}") for key in COMPANY_ATTRIBUTES}
        try:
            company = self.nb.add_company(name, **extra)
        except Invalid as error:
            raise Invalid(f"company {quoted(name)}: {error}") from None
        self.by_name[company.name] = [company]
        self.added += 1
        return company


def _feed_url(raw: str, label: str, allow_files: bool = False) -> str:
    """The normalised feed URL; only http(s), and file:// when allowed (never a bare path that happens to exist here)."""
    text = clean_line(raw)
    if not text:
        raise Invalid(f"feed {quoted(label)} has an empty xmlUrl")
    try:
        scheme = urlsplit(text).scheme
        if scheme not in FEED_SCHEMES:
            raise Invalid(f"feed URL must be http(s) or file://, not {quoted(text)}")
        if scheme == "file" and not allow_files:
            # Someone else's OPML must not make the sync read files on this machine.
            raise Invalid(f"feed {quoted(text)} is a local file; import with --allow-files if you trust this OPML")
        return Notebook.normalise_feed_url(text)
    except ValueError:  # urlsplit on a broken URL, e.g. "http://[::1"
        raise Invalid(f"feed URL is not a valid URL: {quoted(text)}") from None


def import_opml(
    nb: Notebook, source: bytes | str | BinaryIO, company: str | None = None, allow_files: bool = False
) -> dict[str, int]:
    """Follow the feeds of an OPML file, in one transaction: all of it lands or none.

    A feed (an outline with xmlUrl) goes to `company` when given; otherwise to its
    nearest ancestor outline without xmlUrl; a top-level feed to a company named by its
    own text. Companies are created when missing (with researcher:sector, website and
    status from our own exports); feeds already followed are skipped. Returns
    {"companies_added", "feeds_added", "feeds_skipped"}. file:// feeds only with allow_files.
    `source` may be an open binary file: it is read no further than the size limit.
    """
    entries = list(_entries(_parse(_read(source))))
    feeds_added = feeds_skipped = 0
    with nb.atomic():
        companies = _Companies(nb)
        target = nb.company(company) if company is not None else None
        for entry in entries:
            if entry.url is None:
                if target is None:
                    companies.get(entry)
                continue
            url = _feed_url(entry.url, entry.name, allow_files)
            if target is not None:
                owner = target
            elif entry.folder is not None:
                owner = companies.get(entry.folder)
            elif entry.name:
                owner = companies.get(entry)
            else:
                raise Invalid(f"feed {url} is in no folder and has no title: name a company to import it into")
            try:
                nb.feed(url)
            except NotFound:
                title = entry.name if entry.name not in (url, clean_line(entry.url)) else None
                try:
                    nb.add_feed(owner.id, url, title)
                except Invalid as error:
                    raise Invalid(f"feed {quoted(url)}: {error}") from None
                feeds_added += 1
            else:
                feeds_skipped += 1
    return {"companies_added": companies.added, "feeds_added": feeds_added, "feeds_skipped": feeds_skipped}
