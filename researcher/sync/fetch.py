"""Fetching one feed, bounded: timeouts, a total deadline, a size cap after decompression, few redirects."""

from __future__ import annotations

import asyncio
import email.utils
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from researcher import __version__

USER_AGENT = f"researcher/{__version__} (personal feed reader; python-httpx)"
MAX_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
DEADLINE = 30.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


class FetchError(Exception):
    """A fetch that failed; the message is one line for the feed's last error."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass
class Fetched:
    status: int  # 200 or 304
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None  # the new URL when every redirect on the way was permanent
    final_url: str | None = None  # where the body came from, whatever the redirects (relative links resolve here)


def make_client(jobs: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False,  # followed by hand: counted, and permanent ones remembered
        timeout=httpx.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=READ_TIMEOUT, pool=DEADLINE),
        limits=httpx.Limits(max_connections=max(2 * jobs, 8), max_keepalive_connections=max(2 * jobs, 8)),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,
    )


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _decoder(encoding: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise FetchError(f"unsupported content encoding {encoding!r}")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, decompressed here so that a compression bomb is cut off at max_bytes, not inflated."""
    decoder = _decoder(response.headers.get("content-encoding", ""))
    # One growing buffer, handed over as is (a bytearray reads like bytes): joining a list of
    # chunks held a 15 MiB feed twice.
    body = bytearray()
    too_big = FetchError(f"feed larger than {max_bytes / (1024 * 1024):.3g} MiB, not read")
    async for raw in response.aiter_raw():
        if decoder is None:
            if len(body) + len(raw) > max_bytes:
                raise too_big
            body += raw
            continue
        pending = raw
        while pending:
            try:
                out = decoder.decompress(pending, max_bytes - len(body) + 1)
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed body: {exc}") from None
            if len(body) + len(out) > max_bytes:
                raise too_big
            body += out
            pending = decoder.unconsumed_tail
    return body  # type: ignore[return-value]


async def fetch_http(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET a feed with conditional headers, following at most MAX_REDIRECTS redirects."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", current, headers=headers) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location", status)
                target = urljoin(str(response.url), location.strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-web URL: {target[:200]}", status)
                permanent = permanent and status in (301, 308)
                current = target
                continue
            moved = current if permanent and current != url else None
            if status == 304:
                await response.aread()  # (empty) so that the connection goes back to the pool
                return Fetched(304, headers=dict(response.headers), moved_to=moved)
            if status != 200:
                reason = "gone" if status == 410 else response.reason_phrase or "error"
                raise FetchError(
                    f"HTTP {status} {reason}".strip(), status, retry_after_seconds(response.headers.get("retry-after"))
                )
            body = await _read_capped(response, max_bytes)
            return Fetched(200, body, dict(response.headers), moved, current)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def local_path(url: str) -> Path | None:
    """The file behind a file:// URL (or a plain path), else None."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if not parts.scheme:
        return Path(url)
    return None


async def fetch_file(path: Path, max_bytes: int = MAX_BYTES) -> Fetched:
    def read() -> bytes:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FetchError(f"feed larger than {max_bytes / (1024 * 1024):.3g} MiB, not read")
        return data

    try:
        return Fetched(200, await asyncio.to_thread(read))
    except FetchError:
        raise
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None


def describe(exc: BaseException) -> str:
    """One line for any failure of a fetch."""
    if isinstance(exc, FetchError):
        return str(exc)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return f"timed out after {DEADLINE:.0f} s"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {CONNECT_TIMEOUT:.0f} s"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {exc}" if str(exc) else "could not connect"
    if isinstance(exc, httpx.HTTPError):
        return f"{type(exc).__name__}: {exc}"
    return f"{type(exc).__name__}: {exc}"
