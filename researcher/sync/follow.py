"""Following a feed, the one workflow behind `researcher feed add` and the TUI's feed form."""

from __future__ import annotations

from researcher.store import Notebook, ResearcherError
from researcher.store.models import Feed


class NoFeedFound(ResearcherError):
    """The page could not be fetched, or announces no feed (each face says how to follow it anyway)."""


def follow_feed(nb: Notebook, company: str | int, url: str, discover: bool = True) -> tuple[Feed, list[str]]:
    """Follow a feed for a company: a feed URL, file:// or a path as it is; a site page (http(s), unless
    `discover` is False) has its feeds found and the first one followed. Returns the feed and the other
    feeds found. An unknown company or a bad URL fails before any network traffic."""
    from researcher.sync.discover import discover as find_feeds
    from researcher.sync.fetch import FetchError

    company_id = nb.company(company).id
    target = nb.normalise_feed_url(url)
    others: list[str] = []
    if discover and target.startswith(("http://", "https://")):
        try:
            found = find_feeds(target)
        except FetchError as exc:
            raise NoFeedFound(str(exc)) from None
        if not found:
            raise NoFeedFound(f"no feed found at {target}")
        target, others = found[0], found[1:]
    return nb.add_feed(company_id, target), others
