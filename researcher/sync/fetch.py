"""Fetching one feed, bounded: timeouts, a total deadline, a size cap after decompression, few redirects."""

from __future__ import annotations

import asyncio
import email.utils
import os
import re
import stat
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from researcher import __version__
from researcher.text import clean_line

USER_AGENT = f"researcher/{__version__} (personal feed reader; python-httpx)"
MAX_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
DEADLINE = 30.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MESSAGE_CHARS = 300  # a failure's line, whatever a server put in it
MAX_VALIDATOR = 1024  # characters of an ETag or Last-Modified worth keeping
MAX_URL = 2048
# In a validator: C0 and C1 controls, DEL, and (in one stored by an earlier release, which decoded
# headers as UTF-8) bidi controls. A value holding one is not kept: it would come back raw in listings.
_UNSAFE_VALIDATOR = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def one_line(text: object) -> str:
    """Text that a server or the system controls, as one short clean line for a message."""
    line = clean_line(str(text))
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


class FetchError(Exception):
    """A fetch that failed; the message is one clean line for the feed's last error."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(one_line(message))
        self.status = status
        self.retry_after = retry_after


@dataclass
class Fetched:
    status: int  # 200 or 304
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None  # the new URL when every redirect on the way was permanent
    final_url: str | None = None  # where the body came from, whatever the redirects (relative links resolve here)
    etag: str | None = None  # the validators as they may be stored and sent back (see validator())
    last_modified: str | None = None
    incomplete: str | None = None  # why the body did not arrive whole, if it did not


def validator(value: str | bytes | None) -> str | None:
    """An ETag or Last-Modified as it is stored, or None when it must not be.

    Validators are opaque bytes (RFC 9110 allows obs-text, bytes 0x80-0xFF, in them): read as
    Latin-1 they round-trip exactly (see wire()). One holding a control character, or too long to
    be a validator, is not kept at all: the feed is then fetched unconditionally.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip(" \t")
    if not value or len(value) > MAX_VALIDATOR or _UNSAFE_VALIDATOR.search(value):
        return None
    return value


def wire(value: str | None) -> bytes | None:
    """A stored validator as the bytes the server sent (None for one that is not safe to send)."""
    value = validator(value)
    if value is None:
        return None
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # stored by an earlier release, which decoded the header as UTF-8
        return value.encode("utf-8")


def safe_url(url: str) -> str | None:
    """A URL a server gave (a Location, a page's link) as plain printable ASCII, or None if it is not a URL.

    Non-ASCII characters (C1 controls and bidi overrides among them) are percent-encoded as httpx
    would on the wire; ASCII controls make it no URL at all.
    """
    if not (url.isascii() and url.isprintable()):
        try:
            url = str(httpx.URL(url))
        except (httpx.InvalidURL, ValueError, TypeError):
            return None
        if not (url.isascii() and url.isprintable()):
            return None
    return url if len(url) <= MAX_URL else None


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


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, str | None]:
    """The body, decompressed here so that a compression bomb is cut off at max_bytes, not inflated,
    and why it is not whole, if it is not (what arrived is still returned: its items are real)."""
    decoder = _decoder(response.headers.get("content-encoding", ""))
    # One growing buffer, handed over as is (a bytearray reads like bytes): joining a list of
    # chunks held a 15 MiB feed twice.
    body = bytearray()
    too_big = FetchError(f"feed larger than {max_bytes / (1024 * 1024):.3g} MiB, not read")
    incomplete = None
    try:
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
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        # Fewer bytes than Content-Length said, a chunked stream without its last chunk, a reset.
        incomplete = f"body cut off after {len(body):,} bytes ({describe(exc)})"
    if incomplete is None and decoder is not None and not decoder.eof:
        # A close-delimited body looks whole to HTTP: only the compressed stream knows it stopped early.
        incomplete = f"compressed body cut off after {len(body):,} bytes"
    return body, incomplete  # type: ignore[return-value]


def _raw_header(response: httpx.Response, name: bytes) -> bytes | None:
    """A header's value as the server sent its bytes (httpx decodes them by a guess)."""
    for key, value in response.headers.raw:
        if key.lower() == name:
            return value
    return None


async def fetch_http(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET a feed with conditional headers, following at most MAX_REDIRECTS redirects."""
    headers: dict[str, bytes] = {}
    if sent := wire(etag):
        headers["If-None-Match"] = sent
    if sent := wire(last_modified):
        headers["If-Modified-Since"] = sent
    current = url
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", current, headers=headers) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location", status)
                target = safe_url(urljoin(str(response.url), location.strip()))
                if target is None:
                    raise FetchError(f"HTTP {status} to an invalid URL", status)
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-web URL: {target[:200]}", status)
                permanent = permanent and status in (301, 308)
                current = target
                continue
            moved = current if permanent and current != url else None
            etag, modified = (
                validator(_raw_header(response, b"etag")),
                validator(_raw_header(response, b"last-modified")),
            )
            if status == 304:
                await response.aread()  # (empty) so that the connection goes back to the pool
                return Fetched(304, headers=dict(response.headers), moved_to=moved, etag=etag, last_modified=modified)
            if status != 200:
                reason = "gone" if status == 410 else response.reason_phrase or "error"
                raise FetchError(
                    f"HTTP {status} {reason}".strip(), status, retry_after_seconds(response.headers.get("retry-after"))
                )
            body, incomplete = await _read_capped(response, max_bytes)
            return Fetched(200, body, dict(response.headers), moved, current, etag, modified, incomplete)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def local_path(url: str) -> Path | None:
    """The file behind a file:// URL (or a plain path), else None."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if not parts.scheme:
        return Path(url)
    return None


_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return next((kind for test, kind in _FILE_KINDS if test(mode)), "a special file")


def _read_file(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most max_bytes. Anything else (a FIFO, /dev/zero, a socket) is refused
    before it is read, and opening never waits (a FIFO's open waits for a writer; O_NONBLOCK does not)."""
    too_big = FetchError(f"feed larger than {max_bytes / (1024 * 1024):.3g} MiB, not read")
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # refused before opening: opening some devices already does something
            raise FetchError(f"cannot read {path}: not a regular file ({_file_kind(mode)})")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with open(fd, "rb", buffering=0) as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # swapped since the stat above
                raise FetchError(f"cannot read {path}: not a regular file ({_file_kind(info.st_mode)})")
            if info.st_size > max_bytes:
                raise too_big
            data = bytearray()
            while len(data) <= max_bytes:
                chunk = handle.read(min(1 << 20, max_bytes + 1 - len(data)))
                if not chunk:  # the end (or, for a file that honours O_NONBLOCK, nothing to read now)
                    break
                data += chunk
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise too_big
    return bytes(data)


T = TypeVar("T")


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """work() in a thread of its own that never holds up the process's exit: a read stuck in the kernel
    (a hung network file system) times out with the sync, and asyncio's default executor, which
    waits for its threads when the loop closes, never has it."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(setter, value) -> None:
        if not future.done():  # not given up on (cancelled by the deadline)
            setter(value)

    def run() -> None:
        try:
            outcome = (future.set_result, work())
        except Exception as exc:
            outcome = (future.set_exception, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:
            pass  # the loop has closed: nobody waits for this any more

    threading.Thread(target=run, name="researcher-file-read", daemon=True).start()
    return await future


async def fetch_file(path: Path, max_bytes: int = MAX_BYTES) -> Fetched:
    """A local feed file, read with the same size cap as a download (and the caller's deadline)."""
    return Fetched(200, await in_daemon_thread(lambda: _read_file(path, max_bytes)))


def describe(exc: BaseException) -> str:
    """One clean line for any failure of a fetch."""
    if isinstance(exc, FetchError):
        return str(exc)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return f"timed out after {DEADLINE:.0f} s"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {CONNECT_TIMEOUT:.0f} s"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(exc, httpx.ConnectError):
        return one_line(f"could not connect: {exc}") if str(exc) else "could not connect"
    return one_line(f"{type(exc).__name__}: {exc}")
