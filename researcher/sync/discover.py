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


class _LinkFinder(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href)
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = a.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and a.get("href"):
            # A page's text: percent-encoded like what would be fetched, or dropped (a control character).
            url = safe_url(urljoin(self.base, a["href"].strip()))
            if url and urlsplit(url).scheme in ("http", "https") and url not in self.found:
                self.found.append(url)


def feed_links(html: str, base: str) -> list[str]:
    """The feeds a page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    finder = _LinkFinder(base)
    try:
        finder.feed(html)
        finder.close()
    except Exception:
        pass
    return finder.found


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
