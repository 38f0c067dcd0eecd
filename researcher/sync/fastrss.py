"""A fast front end for plain RSS 2.0 and Atom 1.0 documents, giving exactly what feedparser gives.

feedparser spends about 20 ms on a 30-item feed, nearly all of it in its pure-Python SAX
handlers, and a cold sync of hundreds of feeds is mostly that. Most feeds are plain RSS 2.0 or
Atom 1.0 made of a handful of elements, and for those this module builds, from the
C-accelerated ElementTree pull parser, the same result dictionary feedparser would (the fields
`parse.normalise` reads: feed title and link; each entry's title, link, id, summary, content and
date), about ten times faster and streaming, so a 15 MiB feed never becomes a tree.

It is deliberately narrow. It returns None, and feedparser parses the document as before, as
soon as anything is outside the subset it knows to match feedparser on: another format or
version, a DOCTYPE, an encoding feedparser would guess or override, xml:base, an element or
attribute not on its lists, an element repeated where feedparser's precedence rules would
apply, markup inside a text element (Atom's xhtml), or any XML error. feedparser's own helpers
do the parts whose details matter (encoding detection, date parsing, URI fix-ups, the cp1252
mapping), and the tests check the two agree on every document of feedparser's test suite that
this accepts.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin

_ATOM = "{http://www.w3.org/2005/Atom}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_SY = "{http://purl.org/rss/1.0/modules/syndication/}"
_WFW = ("{http://wellformedweb.org/CommentAPI/}", "{http://wellformedweb.org/commentAPI/}")

# Item children: text elements we read (at most one of each), text elements we skip, others.
# (What a WordPress feed holds is on these lists: its comment links and counts, creator, categories.)
_ITEM_READ = {"title", "link", "guid", "pubDate", "description", _CONTENT}
_ITEM_SKIP_TEXT = {
    "author",
    "comments",
    "category",
    _DC + "creator",
    "{http://purl.org/rss/1.0/modules/slash/}comments",
    *(ns + "commentRss" for ns in _WFW),
}
_ITEM_SKIP_EMPTY = {"enclosure"}
# Channel children: text elements we read, text elements we skip, <image>'s text children.
_CHANNEL_READ = {"title", "link"}
_CHANNEL_SKIP_TEXT = {
    "description",
    "language",
    "lastBuildDate",
    "pubDate",
    "generator",
    "copyright",
    "managingEditor",
    "webMaster",
    "docs",
    "ttl",
    "category",
    _SY + "updatePeriod",
    _SY + "updateFrequency",
    _SY + "updateBase",
}
_IMAGE_CHILDREN = {"title", "url", "link", "width", "height", "description"}
# Attributes that change nothing feedparser reports in the fields we read.
_ATTRS_OK = {
    "guid": {"isPermaLink"},
    "category": {"domain"},
    "enclosure": {"url", "length", "type"},
    _ATOM + "link": {"rel", "href", "type"},
}
_ENTITY_FIX = re.compile("&([A-Za-z0-9_]+);")
_CHUNK = 1 << 16


_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_LANG = _XML_NS + "lang"
# Atom 1.0: entry and feed children.
_A = _ATOM
_ATOM_ENTRY_TEXT = {_A + "title", _A + "summary", _A + "content"}
_ATOM_DATES = {_A + "published", _A + "updated"}
_ATOM_PEOPLE = {_A + "author", _A + "contributor"}
_ATOM_PERSON_PARTS = {_A + "name", _A + "email", _A + "uri"}
_ATOM_FEED_SKIP = {
    _A + "updated",
    _A + "subtitle",
    _A + "rights",
    _A + "generator",
    _A + "icon",
    _A + "logo",
    _A + "category",
}
_ATOM_ATTRS = {
    _A + "link": {"rel", "type", "href", "hreflang", "title", "length"},
    _A + "category": {"term", "scheme", "label"},
    _A + "generator": {"uri", "version"},
    _A + "title": {"type"},
    _A + "summary": {"type"},
    _A + "content": {"type"},
    _A + "subtitle": {"type"},
    _A + "rights": {"type"},
}
# Text constructs: of type text or html only (xhtml is inline markup, other types may be base64).
_ATOM_TEXT_CONSTRUCTS = {_A + "title", _A + "summary", _A + "content", _A + "subtitle", _A + "rights"}


def _atom_leaf(elem) -> None:
    allowed = _ATOM_ATTRS.get(elem.tag, ())
    for name in elem.attrib:
        if name not in allowed and name != _LANG:
            raise Declined
    if len(elem):
        raise Declined
    if elem.tag in _ATOM_TEXT_CONSTRUCTS and elem.get("type", "text").lower() not in ("text", "html"):
        raise Declined


def _atom_person(elem) -> None:
    for name in elem.attrib:
        if name != _LANG:
            raise Declined
    for part in elem:
        if part.tag not in _ATOM_PERSON_PARTS:
            raise Declined
        _atom_leaf(part)


def _atom_link(elem) -> str | None:
    """The href feedparser takes as the link (an alternate HTML link), or None."""
    _atom_leaf(elem)
    href = elem.get("href")
    if href is None:
        raise Declined  # a link given as text: feedparser's other path
    rel = elem.get("rel", "alternate").lower()
    kind = elem.get("type", "application/atom+xml" if rel == "self" else "text/html")
    mixin = _FeedParserMixin
    return _urljoin("", href) if rel == "alternate" and mixin.map_content_type(kind) in mixin.html_types else None


def _atom_entry(elem) -> dict[str, Any]:
    for name in elem.attrib:
        if name != _LANG:
            raise Declined
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    link = None
    for child in elem:
        tag = child.tag
        if tag in _ATOM_ENTRY_TEXT or tag in _ATOM_DATES or tag == _A + "id":
            _once(child, seen, _atom_leaf)
            if tag == _A + "id":
                entry["id"] = _uri_text(child.text)
            elif tag == _A + "title":
                entry["title"] = _text(child.text)
            elif tag == _A + "summary":
                entry["summary"] = _text(child.text)
            elif tag == _A + "content":
                entry["content"] = [{"value": _text(child.text)}]
            else:
                value = _text(child.text)
                key = "published" if tag == _A + "published" else "updated"
                entry[key] = value
                entry[key + "_parsed"] = _parse_date(value)
        elif tag == _A + "link":
            href = _atom_link(child)
            if href is not None:
                link = href  # the last alternate HTML link
        elif tag in _ATOM_PEOPLE:
            _atom_person(child)
        elif tag == _A + "category":
            _atom_leaf(child)
        else:
            raise Declined
    # feedparser: an alternate link wins; else the id (which it reads as a permalink) stands in.
    if link is not None:
        entry["link"] = link
    elif "id" in entry:
        entry["link"] = entry["id"]
    if "content" in entry and "summary" not in entry:
        entry["summary"] = entry["content"][0]["value"]
    return entry


def _atom_feed_child(elem, feed: dict[str, Any], seen: set[str]) -> None:
    tag = elem.tag
    if tag in (_A + "title", _A + "id"):
        _once(elem, seen, _atom_leaf)
        if tag == _A + "title":
            feed["title"] = _text(elem.text)
        else:
            feed["id"] = _uri_text(elem.text)
            feed.setdefault("link", feed["id"])  # until an alternate link says otherwise
    elif tag == _A + "link":
        href = _atom_link(elem)
        if href is not None:
            feed["link"] = href
    elif tag in _ATOM_PEOPLE:
        _atom_person(elem)
    elif tag in _ATOM_FEED_SKIP:
        _atom_leaf(elem)
    else:
        raise Declined


class Declined(Exception):
    """The document is outside the subset: feedparser must parse it."""


def _repaired(output: str) -> str:
    # What feedparser's pop() does to every value after stripping it (with sanitising and URI
    # resolution off): undo UTF-8 read as Latin-1, map the cp1252 range (neither changes ASCII).
    if output.isascii():
        return output
    try:
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(_cp1252)


def _text(value: str | None) -> str:
    return _repaired((value or "").strip())


def _uri_text(value: str | None) -> str:
    # The same for elements feedparser resolves as URIs (against an empty base here).
    return _repaired(_urljoin("", (value or "").strip()))


def _check_attrs(elem) -> None:
    allowed = _ATTRS_OK.get(elem.tag, ())
    for name in elem.attrib:
        if name not in allowed:
            raise Declined


def _leaf(elem) -> None:
    """A text element: no attributes beyond the harmless ones, no child elements."""
    _check_attrs(elem)
    if len(elem):
        raise Declined


def _once(elem, seen: set[str], check) -> None:
    """An element read at most once: feedparser's precedence between repeats is not mimicked here."""
    if elem.tag in seen:
        raise Declined
    seen.add(elem.tag)
    check(elem)


def _item(elem) -> dict[str, Any]:
    _check_attrs(elem)
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    guid_is_link = False
    for child in elem:
        tag = child.tag
        if tag in _ITEM_READ:
            _once(child, seen, _leaf)
            if tag == "title":
                entry["title"] = _text(child.text)
            elif tag == "description":
                entry["summary"] = _text(child.text)
            elif tag == _CONTENT:
                entry["content"] = [{"value": _text(child.text)}]
            elif tag == "pubDate":
                value = _text(child.text)
                entry["published"] = value
                entry["published_parsed"] = _parse_date(value)
            elif tag == "link":
                link = _uri_text(child.text)
                entry["link"] = _ENTITY_FIX.sub(r"&\g<1>", link.replace("&amp;", "&"))
            else:  # guid
                guid_is_link = child.get("isPermaLink", "true") == "true"
                entry["id"] = _uri_text(child.text) if guid_is_link else _text(child.text)
        elif tag in _ITEM_SKIP_TEXT or tag in _ITEM_SKIP_EMPTY:
            _leaf(child)
        else:
            raise Declined
    if guid_is_link and "link" not in entry:
        entry["link"] = entry["id"]  # a permalink guid stands in for a missing <link>
    if "content" in entry and "summary" not in entry:
        entry["summary"] = entry["content"][0]["value"]  # feedparser copies it there when there is no description
    return entry


def _channel_child(elem, feed: dict[str, Any], seen: set[str]) -> None:
    tag = elem.tag
    if tag in _CHANNEL_READ:
        _once(elem, seen, _leaf)
        if tag == "title":
            feed["title"] = _text(elem.text)
        else:
            feed["link"] = _ENTITY_FIX.sub(r"&\g<1>", _uri_text(elem.text))
    elif tag in _CHANNEL_SKIP_TEXT:
        _leaf(elem)
    elif tag == "image":
        _check_attrs(elem)
        for child in elem:
            if child.tag not in _IMAGE_CHILDREN:
                raise Declined
            _leaf(child)
    elif tag == _ATOM + "link":
        _leaf(elem)
        if elem.get("rel") != "self" or "href" not in elem.attrib:
            raise Declined  # any other atom:link may set the feed's link
    else:
        raise Declined


_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*['"]([^'"]+)['"]""")


def _utf8_as_is(data: bytes, headers: dict[str, str]) -> bool:
    """Whether feedparser would read these bytes as the UTF-8 (or ASCII) they already are, with no
    warning, so the parser can take them as they are. convert_to_utf8 decides that by decoding and
    re-encoding the whole body (three copies of a 15 MiB feed at once); here its decision is taken
    on the document's start, where everything it looks at is (BOM, declaration, and the headers),
    and the rest is only checked to decode."""
    head = data[:2048]
    if len(data) > len(head):
        cut = len(head)
        while cut and head[cut - 1] >= 0x80:  # never end the sample inside a multi-byte character
            cut -= 1
        head = head[:cut]
    probe: dict[str, Any] = {"bozo": False}
    convert_to_utf8(headers, head, probe)
    encoding = (probe.get("encoding") or "").lower()
    if probe.get("bozo") or encoding not in ("utf-8", "us-ascii"):
        return False
    declared = _DECLARED.match(data, 3 if data.startswith(codecs.BOM_UTF8) else 0)  # (no copy of the body)
    if declared and declared[1].decode("ascii", "replace").lower() not in ("utf-8", "utf8", "us-ascii", "ascii"):
        return False  # the XML parser would read the declared encoding, not the one feedparser chose
    if data.isascii():
        return True
    if encoding != "utf-8" or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class PlainFeedStream:
    """A plain RSS 2.0 or Atom 1.0 document read entry by entry: `items()` yields each item as feedparser's entry
    dictionary, then `feed` holds the channel's fields. The document's own bytes are the only
    copy held, so a 15 MiB feed never becomes 20,000 entries in memory at once.

    `open()` returns None when the document's start already rules the fast path out; `items()`
    raises Declined when a later part does (the caller then lets feedparser parse it all).
    """

    def __init__(self, data: bytes):
        self._data = data
        self.feed: dict[str, Any] = {}
        self.version = "rss20"

    @classmethod
    def open(cls, data: bytes, headers: dict[str, str] | None = None) -> PlainFeedStream | None:
        head = data[:4096]
        if (b"<rss" not in head and b"feed" not in head) or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            return None
        headers = dict(headers or {})
        if "content-location" in headers:
            return None  # a base URI for relative links: feedparser's job
        if _utf8_as_is(data, headers):
            return cls(data)
        probe: dict[str, Any] = {"bozo": False}
        data = convert_to_utf8(headers, data, probe)
        if probe.get("bozo") or not probe.get("encoding"):
            return None
        return cls(data)

    def result(self, entries: list[dict[str, Any]]) -> dict[str, Any]:
        """feedparser's result dictionary (the parts `normalise` reads)."""
        return {"bozo": False, "version": self.version, "feed": self.feed, "entries": entries}

    def items(self) -> Iterator[dict[str, Any]]:
        try:
            yield from self._items()
        except ParseError as exc:
            raise Declined(str(exc)) from None

    def _items(self) -> Iterator[dict[str, Any]]:
        data, self._data = self._data, b""
        parser = XMLPullParser(events=("start", "end"))
        seen: set[str] = set()
        depth = 0
        root = channel = None
        channels = 0
        atom = False
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for event, elem in parser.read_events():
                if event == "start":
                    depth += 1
                    if any((name.startswith(_XML_NS) and name != _LANG) or name == "base" for name in elem.attrib):
                        raise Declined("xml:base")
                    if depth == 1:
                        if elem.tag == _A + "feed":
                            if set(elem.attrib) - {_LANG}:
                                raise Declined("Atom with attributes")
                            atom, self.version = True, "atom10"
                        elif (
                            elem.tag != "rss"
                            or set(elem.attrib) - {"version"}
                            or not elem.get("version", "").startswith("2.")
                        ):
                            raise Declined("not RSS 2.0 or Atom 1.0")
                        root = elem
                    elif depth == 2 and not atom:
                        if elem.tag != "channel" or channels:
                            raise Declined("not one channel")
                        channels += 1
                        _check_attrs(elem)
                        channel = elem
                    continue
                depth -= 1
                if atom:
                    if depth == 1:  # a child of <feed>, complete
                        if elem.tag == _A + "entry":
                            entry = _atom_entry(elem)
                            root.remove(elem)
                            yield entry
                        else:
                            _atom_feed_child(elem, self.feed, seen)
                            root.remove(elem)
                elif depth == 2:  # a child of <channel>, complete
                    if elem.tag == "item":
                        entry = _item(elem)
                        channel.remove(elem)  # a finished item leaves nothing behind
                        yield entry
                    else:
                        _channel_child(elem, self.feed, seen)
                        channel.remove(elem)
                elif depth == 1:
                    root.remove(elem)
        del data
        parser.close()
        if root is None or not (atom or channels):
            raise Declined("no channel")


def parse_plain(data: bytes, headers: dict[str, str] | None = None) -> dict[str, Any] | None:
    """feedparser's result (the parts `normalise` reads) for a plain RSS 2.0 or Atom 1.0 document, or None."""
    stream = PlainFeedStream.open(data, headers)
    if stream is None:
        return None
    try:
        entries = list(stream.items())
    except Declined:
        return None
    return stream.result(entries)
