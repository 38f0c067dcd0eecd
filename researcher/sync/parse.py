"""Parse feed bytes with feedparser into normalised, plain-text entries."""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

from researcher.sync.fastrss import PlainFeedStream, parse_plain
from researcher.text import clean_line, clean_text

_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "pre",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "figure",
    "header",
    "footer",
}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_LOOKS_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--)")


class _TextExtractor(HTMLParser):
    """HTML to readable text: paragraphs as blank-line blocks, list items as bullets, links as `text (url)`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0
        self.links: list[tuple[str, int]] = []

    def _newlines(self, n: int) -> None:
        self.parts.append("\n" * n)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self._newlines(2)
            if tag == "pre":
                self.pre += 1
        elif tag == "br":
            self._newlines(1)
        elif tag == "li":
            self._newlines(1)
            self.parts.append("• ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.parts)))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self._newlines(2)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href.startswith(("http://", "https://", "mailto:")) and href not in label:
                self.parts.append(f" ({href})" if label else href)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            # In HTML a line break in the source is a space, except inside <pre> (other runs of
            # white space are folded line by line in text()).
            self.parts.append(data if self.pre else data.replace("\n", " "))

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


# Markup made only of plain tags with quoted attributes: what most feeds send, and what
# _simple_markup() walks with one regex instead of HTMLParser's character-level scanner.
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""
    r"""(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?)*)\s*(/?)>"""
)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'))?""")
_NOT_SIMPLE = re.compile(r"<[!?]|<(?:script|style)\b", re.IGNORECASE)


def _simple_markup(markup: str) -> str | None:
    """The extractor's text for markup of plain tags, driven by a regex; None for anything else
    (comments, scripts, unquoted attributes, a stray "<"...), which HTMLParser then reads."""
    if _NOT_SIMPLE.search(markup):
        return None
    extractor = _TextExtractor()
    pos = 0
    for match in _TAG.finditer(markup):
        text = markup[pos : match.start()]
        if "<" in text:
            return None
        if text:
            extractor.handle_data(html.unescape(text))
        closing, name, attrs, self_closing = match.groups()
        name = name.lower()
        if closing:
            if attrs or self_closing:
                return None
            extractor.handle_endtag(name)
        else:
            pairs = []
            for attr in _ATTR.finditer(attrs):
                value = attr[2] if attr[2] is not None else attr[3]
                pairs.append((attr[1].lower(), html.unescape(value) if value is not None else None))
            extractor.handle_starttag(name, pairs)
            if self_closing:
                extractor.handle_endtag(name)  # what HTMLParser's handle_startendtag does
        pos = match.end()
    text = markup[pos:]
    if "<" in text:
        return None
    if text:
        extractor.handle_data(html.unescape(text))
    return extractor.text()


def html_to_text(markup: str | None) -> str:
    """Readable plain text from an HTML fragment (or plain text, which passes through)."""
    if not markup:
        return ""
    if not _LOOKS_HTML.search(markup):
        # Plain text (entities at most): keep its own line breaks.
        lines = [" ".join(line.split()) for line in html.unescape(markup).splitlines()]
        return clean_text("\n".join(lines).strip())
    text = _simple_markup(markup)
    if text is None:
        text = _html_parser_text(markup)
    return clean_text(text)


def _html_parser_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient; this guards against pathological input only
        return markup
    return parser.text()


@dataclass
class Entry:
    entry_id: str
    title: str
    summary: str
    link: str | None
    published: str | None
    content_hash: str


@dataclass
class ParsedFeed:
    title: str | None
    link: str | None
    entries: list[Entry]
    bozo: bool
    error: str | None
    version: str = ""  # feedparser's name for the format ("rss20", "atom10"...); "" when not a feed
    # Read by an XML parser to its end. False when feedparser's lenient parser had to take over: the
    # document may have been cut short (a close-delimited body that lost its connection looks whole).
    well_formed: bool = True


def _utc(struct) -> str | None:
    if not struct:
        return None
    try:
        stamp = datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    return stamp.isoformat().replace("+00:00", "Z")


def _body(entry: Any) -> str:
    content = entry.get("content")
    if content:
        best = max(content, key=lambda c: len(c.get("value") or ""))
        if best.get("value"):
            return best["value"]
    return entry.get("summary") or entry.get("description") or ""


def _safe_link(value: Any) -> str | None:
    link = clean_line(value if isinstance(value, str) else None)
    return link or None


def normalise_entries(raw_entries: Iterable[Any]) -> Iterator[Entry]:
    """feedparser's entries as Entry: stable ids (duplicates told apart), plain text, UTC dates."""
    seen: dict[str, int] = {}
    taken: set[str] = set()
    for raw in raw_entries:
        title = clean_line(html_to_text(raw.get("title") or ""))
        summary = html_to_text(_body(raw))
        link = _safe_link(raw.get("link"))
        # dict.get: FeedParserDict's own get() maps a missing updated_parsed to published_parsed with a
        # deprecation warning, and published_parsed is tried first anyway.
        published = _utc(
            dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed") or dict.get(raw, "created_parsed")
        )
        base_id = clean_line(raw.get("id") or raw.get("guid") or "") or link
        if not base_id:
            base_id = "sha1:" + hashlib.sha1(f"{title}\x00{published}\x00{summary[:200]}".encode()).hexdigest()
        # Feeds that reuse one guid for several entries: tell them apart by order of appearance
        # (and never onto an id that another entry of the feed already has, such as a literal "x#2").
        n = seen.get(base_id, 0)
        entry_id = base_id if n == 0 else f"{base_id}#{n + 1}"
        while entry_id in taken:
            n += 1
            entry_id = f"{base_id}#{n + 1}"
        seen[base_id] = n + 1
        taken.add(entry_id)
        digest = hashlib.sha1(f"{title}\x00{summary}\x00{link}\x00{published}".encode()).hexdigest()
        yield Entry(entry_id, title, summary, link, published, digest)


def normalise(parsed: Any) -> ParsedFeed:
    """feedparser's result as ParsedFeed: stable ids, plain text, UTC dates."""
    entries = list(normalise_entries(parsed.get("entries", [])))
    feed = parsed.get("feed", {})
    error = None
    well_formed = True
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        error = clean_line(f"{type(exc).__name__}: {exc}") if exc else "malformed feed"
        # These two are notes on the headers, after which the strict XML parser still read the whole
        # document (had it failed, its error would be the one here).
        well_formed = isinstance(exc, (CharacterEncodingOverride, NonXMLContentType))
    return ParsedFeed(
        title=clean_line(html_to_text(feed.get("title") or "")) or None,
        link=_safe_link(feed.get("link")),
        entries=entries,
        bozo=bool(parsed.get("bozo")),
        error=error,
        version=parsed.get("version") or "",
        well_formed=well_formed,
    )


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_SURROGATE_PAIR = re.compile(
    rb"&#(?:[xX]0*[dD][89abAB][0-9a-fA-F]{2}|0*5[56][0-9]{3});"
    rb"&#(?:[xX]0*[dD][c-fC-F][0-9a-fA-F]{2}|0*5[67][0-9]{3});"
)


def _charref_value(match: re.Match) -> int:
    digits = (match[1] if match[1] is not None else match[2]).lstrip(b"0") or b"0"
    if len(digits) > 8:
        return 0x110000  # beyond Unicode, whatever its value (and no int() of a 5,000-digit number)
    return int(digits, 16 if match[1] is not None else 10)


def _join_pair(match: re.Match) -> bytes:
    high, low = (_charref_value(m) for m in _CHARREF.finditer(match[0]))
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        return b"&#x%X;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return match[0]


def _fix_charref(match: re.Match) -> bytes:
    value = _charref_value(match)
    return b"&#xFFFD;" if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF else match[0]


def _safe_charrefs(data: bytes) -> bytes:
    """Character references that make feedparser raise, and so lose the whole feed: an emoji written as its
    two UTF-16 halves (`&#55357;&#56832;`, a common generator bug) is joined; a lone half or a number
    beyond Unicode becomes U+FFFD."""
    if b"&#" not in data:
        return data
    return _CHARREF.sub(_fix_charref, _SURROGATE_PAIR.sub(_join_pair, data))


def parse_bytes(data: bytes, headers: dict[str, str] | None = None, url: str | None = None) -> ParsedFeed:
    """Parse a feed body; feedparser sees the response headers for the encoding."""
    data = _safe_charrefs(data)
    fast = parse_plain(data, headers)
    if fast is not None:
        return normalise(fast)
    # No HTML sanitising: every body becomes plain text (html_to_text) and is never rendered as
    # HTML, and sanitising costs half of feedparser's time.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers or {}, resolve_relative_uris=False, sanitize_html=False
    )
    return normalise(parsed)


class StreamedFeed:
    """A plain RSS 2.0 or Atom 1.0 body read entry by entry, for big bodies: `entries()` yields each Entry as it
    is read (raising fastrss.Declined if the document leaves the fast path's subset part way),
    and `meta()`, once they are all read, gives the feed's title and link."""

    def __init__(self, stream: PlainFeedStream):
        self._stream = stream

    def entries(self) -> Iterator[Entry]:
        return normalise_entries(self._stream.items())

    def meta(self) -> ParsedFeed:
        return normalise(self._stream.result([]))


def stream_bytes(data: bytes, headers: dict[str, str] | None = None) -> StreamedFeed | None:
    """A StreamedFeed for a plain RSS 2.0 or Atom 1.0 body, or None: parse it whole with parse_bytes."""
    stream = PlainFeedStream.open(_safe_charrefs(data), headers)
    return StreamedFeed(stream) if stream is not None else None
