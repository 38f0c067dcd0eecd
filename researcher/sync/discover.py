"""Feed discovery: from a site page to its feeds (`<link rel="alternate">`, then the usual paths)."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from researcher.sync.fetch import DEADLINE, FetchError, describe, fetch_http, make_client, safe_url
from researcher.sync.parse import parse_bytes

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)
USUAL_PATHS = (
    "/feed",
    "/rss",
    "/feed.xml",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed/",
    "/news/feed",
    "/blog/feed",
    "/news/rss.xml",
    "/blog/rss.xml",
)
PAGE_BYTES = 2 * 1024 * 1024
# A site announces a handful of feeds; a page with thousands is hostile or broken: the first ones are enough.
MAX_LINKS = 20
MAX_HREF = 2_048


class _Enough(Exception):
    """Raised inside the parser to stop reading the page once MAX_LINKS feeds are found."""


class _LinkFinder(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: dict[str, None] = {}  # ordered, and a lookup that stays fast

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("base", "link"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        href = a.get("href", "").strip()
        if not href or len(href) > MAX_HREF:
            return
        try:
            if tag == "base":
                self.base = urljoin(self.base, href)
                return
            rels = a.get("rel", "").lower().split()
            kind = a.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rels and kind in FEED_TYPES:
                # A page's text: percent-encoded like what would be fetched, or dropped (a control character).
                url = safe_url(urljoin(self.base, href))
                if url and urlsplit(url).scheme in ("http", "https"):
                    self.found[url] = None
        except ValueError:  # one malformed link ("http://[::1") is skipped, not the rest of the page
            return
        if len(self.found) >= MAX_LINKS:
            raise _Enough


def feed_links(html: str, base: str) -> list[str]:
    """The feeds a page announces with <link rel="alternate" type="application/rss+xml" ...> (at most MAX_LINKS)."""
    finder = _LinkFinder(base)
    try:
        finder.feed(html)
        finder.close()
    except Exception:  # _Enough, or HTMLParser giving up on pathological markup: what was found stands
        pass
    return list(finder.found)


def _looks_html(body: bytes, headers: dict[str, str]) -> bool:
    """An HTML page, by its content type or its first bytes: a page to read links from, not a feed."""
    head = bytes(body[:512]).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    # A feed served as text/html (servers get it wrong) still begins like one.
    return "html" in headers.get("content-type", "").lower() and not head.startswith((b"<?xml", b"<rss", b"<feed"))


async def _is_feed(client, url: str) -> bool:
    try:
        fetched = await asyncio.wait_for(fetch_http(client, url, max_bytes=PAGE_BYTES * 4), timeout=DEADLINE)
    except Exception:
        return False
    parsed = parse_bytes(fetched.body, fetched.headers)
    return bool(parsed.version) or bool(parsed.entries)


async def discover_async(url: str) -> list[str]:
    """The feed URLs found at `url`: itself if it is a feed, else announced links, else usual paths."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("discovery needs an http(s) URL")
    async with make_client(4) as client:
        try:
            page = await asyncio.wait_for(fetch_http(client, url, max_bytes=PAGE_BYTES * 4), timeout=DEADLINE)
        except Exception as exc:
            raise FetchError(f"cannot fetch {url}: {describe(exc)}") from None
        if not _looks_html(page.body, page.headers):  # (feedparser on a big HTML page takes seconds)
            parsed = parse_bytes(page.body, page.headers)
            if parsed.version or parsed.entries:
                return [page.moved_to or url]
        charset = "utf-8"
        content_type = page.headers.get("content-type", "")
        if "charset=" in content_type:
            charset = content_type.split("charset=")[-1].split(";")[0].strip() or "utf-8"
        try:
            text = page.body[:PAGE_BYTES].decode(charset, errors="replace")
        except LookupError:
            text = page.body[:PAGE_BYTES].decode("utf-8", errors="replace")
        # Relative links and the usual paths belong to the page the redirects led to, temporary ones too.
        base = page.final_url or url
        links = feed_links(text, base)
        if links:
            return links
        root = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        candidates = [root + path for path in USUAL_PATHS]
        checks = await asyncio.gather(*(_is_feed(client, c) for c in candidates))
        return [c for c, ok in zip(candidates, checks) if ok]


def discover(url: str) -> list[str]:
    return asyncio.run(discover_async(url))
