"""The news sync against a real local HTTP server: polite, bounded, safe, and consistent when interrupted."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from researcher import __version__
from researcher.store import Notebook
from researcher.sync.engine import BACKOFF_BASE, BACKOFF_CAP, Syncer, backoff_seconds
from researcher.sync.fetch import retry_after_seconds

RSS = "application/rss+xml"
REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's server, on 127.0.0.1 and threaded (concurrent requests are part of the tests)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="module")
def blank_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "notebook.db"
    Notebook(path).close()
    return path


@pytest.fixture(autouse=True)
def _notebook_file(db_path: Path, blank_notebook: Path) -> None:
    """Each test starts from a copy of one freshly migrated empty notebook (migrating costs more than copying)."""
    shutil.copy(blank_notebook, db_path)


def rss(
    items: list[dict[str, str]],
    title: str = "Acme news",
    prolog: str = '<?xml version="1.0" encoding="utf-8"?>',
    extra: str = "",
) -> str:
    """An RSS 2.0 document; each item dict maps element names (guid, title, link, description, pubDate) to text."""
    body = []
    for item in items:
        body.append("<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items()) + "</item>")
    return (
        f'{prolog}\n<rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://127.0.0.1/</link><description>d</description>{extra}\n"
        + "\n".join(body)
        + "\n</channel></rss>\n"
    )


def items(n: int, prefix: str = "post") -> list[dict[str, str]]:
    return [
        {
            "guid": f"urn:{prefix}:{i}",
            "title": f"{prefix.title()} {i}",
            "link": f"http://127.0.0.1/{prefix}/{i}",
            "description": f"Body of {prefix} {i}",
            "pubDate": f"Mon, 0{1 + i % 9} Jan 2024 10:00:00 GMT",
        }
        for i in range(n)
    ]


def follow(db: Path, *urls: str, company: str = "Acme") -> list[int]:
    """Follow `urls` for `company` (created if needed); the feeds' ids."""
    with Notebook(db) as nb:
        try:
            nb.company(company)
        except Exception:
            nb.add_company(company)
        return [nb.add_feed(company, url).id for url in urls]


def feed(db: Path, feed_id: int):
    with Notebook(db) as nb:
        return nb.feed(feed_id)


def stored(db: Path, feed_id: int | None = None) -> list:
    """The visible news items (of one feed), oldest id first."""
    with Notebook(db) as nb:
        rows = nb.news()
    return sorted((n for n in rows if feed_id is None or n.feed_id == feed_id), key=lambda n: n.id)


def sync(db: Path, include_not_due: bool = False, **options):
    options.setdefault("jobs", 4)
    options.setdefault("deadline", 5)
    return Syncer(db, **options).run(include_not_due=include_not_due)


def parse_stamp(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def seconds_until(stamp: str) -> float:
    return (parse_stamp(stamp) - datetime.now(UTC)).total_seconds()


def serve(
    server: HTTPServer,
    path: str,
    body: str | bytes,
    content_type: str = RSS,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> str:
    """Answer every GET of `path` with this response; the absolute URL."""
    server.expect_request(path).respond_with_data(body, status=status, content_type=content_type, headers=headers or {})
    return server.url_for(path)


def all_text(db: Path) -> str:
    """Every text the notebook holds about feeds and news (hidden items included)."""
    with Notebook(db) as nb:
        rows = list(nb.db.query("SELECT title, summary, link, entry_id FROM news_items"))
        rows += list(nb.db.query("SELECT title, url, last_error FROM feeds"))
    return "\n".join(str(v) for row in rows for v in row.values() if v is not None)


# --------------------------------------------------------------------------- fetch and store


def test_first_sync_stores_every_entry_and_names_itself(httpserver: HTTPServer, db_path: Path):
    url = serve(httpserver, "/feed.xml", rss(items(3)))
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert (report.feeds, report.fetched, report.parsed, report.new_items, report.failed) == (1, 1, 1, 3, 0)
    assert [n.title for n in stored(db_path)] == ["Post 0", "Post 1", "Post 2"]
    first = stored(db_path)[0]
    assert (first.summary, first.link, first.published) == (
        "Body of post 0",
        "http://127.0.0.1/post/0",
        "2024-01-01T10:00:00Z",
    )
    f = feed(db_path, feed_id)
    assert (f.title, f.last_status, f.last_error, f.error_count, f.item_count) == ("Acme news", 200, None, 0, 3)
    request, _ = httpserver.log[0]
    agent = request.headers["User-Agent"]
    assert "researcher" in agent and __version__ in agent
    assert "gzip" in request.headers.get("Accept-Encoding", "")


def test_conditional_get_sends_stored_validators_and_a_304_costs_no_parse(httpserver: HTTPServer, db_path: Path):
    etag, modified = '"v1-abc"', "Wed, 03 Jan 2024 10:00:00 GMT"
    body = rss(items(2))

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag or request.headers.get("If-Modified-Since") == modified:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type=RSS, headers={"ETag": etag, "Last-Modified": modified})

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))

    first = sync(db_path)
    assert (first.parsed, first.new_items) == (1, 2)
    f = feed(db_path, feed_id)
    assert (f.etag, f.last_modified) == (etag, modified)

    second = sync(db_path)
    assert (second.fetched, second.not_modified, second.parsed, second.unchanged, second.new_items) == (1, 1, 0, 0, 0)
    request, response = httpserver.log[-1]
    assert request.headers["If-None-Match"] == etag
    assert request.headers["If-Modified-Since"] == modified
    assert response.status_code == 304
    f = feed(db_path, feed_id)
    assert (f.last_status, f.last_error, f.item_count, f.etag) == (304, None, 2, etag)


def test_same_body_again_costs_no_parse_when_the_server_ignores_validators(httpserver: HTTPServer, db_path: Path):
    url = serve(httpserver, "/feed.xml", rss(items(2)), headers={"ETag": '"e1"'})
    (feed_id,) = follow(db_path, url)
    assert sync(db_path).parsed == 1

    again = sync(db_path)

    assert (again.fetched, again.unchanged, again.parsed, again.not_modified, again.new_items) == (1, 1, 0, 0, 0)
    assert httpserver.log[-1][0].headers["If-None-Match"] == '"e1"'  # sent, and ignored by the server
    assert feed(db_path, feed_id).item_count == 2


@pytest.mark.parametrize("status, permanent", [(301, True), (308, True), (302, False), (307, False)])
def test_redirects_are_followed_and_only_permanent_ones_move_the_feed(
    httpserver: HTTPServer, db_path: Path, status: int, permanent: bool
):
    new_url = serve(httpserver, "/new/feed.xml", rss(items(2)))
    httpserver.expect_request("/old.xml").respond_with_data("", status=status, headers={"Location": "/new/feed.xml"})
    old_url = httpserver.url_for("/old.xml")
    (feed_id,) = follow(db_path, old_url)

    report = sync(db_path)

    assert (report.failed, report.new_items) == (0, 2)
    assert feed(db_path, feed_id).url == (new_url if permanent else old_url)
    # The next sync asks the new home directly (or the old one again after a temporary redirect).
    sync(db_path)
    assert httpserver.log[-1][0].path == "/new/feed.xml"
    assert [r.path for r, _ in httpserver.log].count("/old.xml") == (1 if permanent else 2)
    assert len(stored(db_path, feed_id)) == 2


def redirect_chain(server: HTTPServer, hops: int) -> str:
    for i in range(hops):
        server.expect_request(f"/hop{i}").respond_with_data("", status=301, headers={"Location": f"/hop{i + 1}"})
    server.expect_request(f"/hop{hops}").respond_with_data(rss(items(1)), content_type=RSS)
    return server.url_for("/hop0")


def test_a_redirect_to_a_local_file_is_refused(httpserver: HTTPServer, db_path: Path):
    httpserver.expect_request("/feed.xml").respond_with_data("", status=301, headers={"Location": "file:///etc/passwd"})
    url = httpserver.url_for("/feed.xml")
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.failed == 1 and "non-web URL" in report.errors[0]["error"]
    assert feed(db_path, feed_id).url == url
    assert "root:" not in all_text(db_path)


def test_five_redirects_are_followed(httpserver: HTTPServer, db_path: Path):
    (feed_id,) = follow(db_path, redirect_chain(httpserver, 5))
    report = sync(db_path)
    assert (report.failed, report.new_items) == (0, 1)
    assert feed(db_path, feed_id).url == httpserver.url_for("/hop5")


def test_more_than_five_redirects_fail(httpserver: HTTPServer, db_path: Path):
    url = redirect_chain(httpserver, 6)
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.failed == 1 and "redirects" in report.errors[0]["error"]
    f = feed(db_path, feed_id)
    assert f.url == url and "redirects" in f.last_error and f.error_count == 1
    assert "/hop6" not in [r.path for r, _ in httpserver.log]
    assert stored(db_path) == []


def test_410_marks_the_feed_gone_and_it_is_not_fetched_again(httpserver: HTTPServer, db_path: Path):
    gone = serve(httpserver, "/gone.xml", "Gone", content_type="text/plain", status=410)
    alive = serve(httpserver, "/alive.xml", rss(items(1)))
    gone_id, _ = follow(db_path, gone, alive)

    report = sync(db_path)

    assert report.failed == 1
    assert report.errors == [{"url": gone, "company": "Acme", "error": report.errors[0]["error"]}]
    assert "410" in report.errors[0]["error"]
    f = feed(db_path, gone_id)
    assert (f.active, f.last_status, f.error_count) == (False, 410, 1)
    assert "410" in f.last_error and "gone" in f.last_error.lower()

    requests_before = len(httpserver.log)
    for include_not_due in (False, True):
        again = sync(db_path, include_not_due=include_not_due)
        assert again.feeds == 1 and again.failed == 0
    assert "/gone.xml" not in [r.path for r, _ in httpserver.log[requests_before:]]


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_retry_after_sets_the_next_attempt_and_only_all_fetches_it_early(
    httpserver: HTTPServer, db_path: Path, status: int, form: str
):
    wait = 7200
    value = (
        str(wait) if form == "seconds" else format_datetime(datetime.now(UTC) + timedelta(seconds=wait), usegmt=True)
    )
    url = serve(
        httpserver, "/busy.xml", "slow down", content_type="text/plain", status=status, headers={"Retry-After": value}
    )
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.failed == 1 and str(status) in report.errors[0]["error"]
    f = feed(db_path, feed_id)
    assert (f.last_status, f.error_count, f.active) == (status, 1, True)
    assert wait - 120 <= seconds_until(f.next_attempt_at) <= wait + 5

    fetched = len(httpserver.log)
    plain = sync(db_path)
    assert (plain.feeds, plain.fetched, plain.skipped_not_due) == (0, 0, 1)
    assert len(httpserver.log) == fetched

    forced = sync(db_path, include_not_due=True)
    assert (forced.feeds, forced.fetched, forced.failed) == (1, 0, 1)
    assert len(httpserver.log) == fetched + 1
    assert feed(db_path, feed_id).error_count == 2


def test_retry_after_parsing():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past) == 0
    future = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    assert 3500 < retry_after_seconds(future) <= 3600


def test_cli_sync_all_fetches_a_feed_that_is_backing_off(httpserver: HTTPServer, db_path: Path, run_cli):
    url = serve(httpserver, "/busy.xml", "busy", content_type="text/plain", status=503, headers={"Retry-After": "3600"})
    follow(db_path, url)
    assert json.loads(run_cli("sync", "--json").stdout)["failed"] == 1

    plain = run_cli("sync", "--json")
    assert plain.exit_code == 0 and json.loads(plain.stdout)["feeds"] == 0

    httpserver.clear()
    serve(httpserver, "/busy.xml", rss(items(2)))
    forced = run_cli("sync", "--all", "--json")
    assert forced.exit_code == 0, forced.output
    data = json.loads(forced.stdout)
    assert (data["feeds"], data["new_items"], data["failed"]) == (1, 2, 0)
    with Notebook(db_path) as nb:
        f = nb.feeds()[0]
    assert (f.error_count, f.next_attempt_at, f.last_error) == (0, None, None)


def test_a_failing_feed_backs_off_exponentially_and_recovers(httpserver: HTTPServer, db_path: Path):
    url = serve(httpserver, "/broken.xml", "oops", content_type="text/plain", status=500)
    (feed_id,) = follow(db_path, url)

    delays = []
    for attempt in range(1, 4):
        report = sync(db_path, include_not_due=True)
        assert report.failed == 1
        f = feed(db_path, feed_id)
        assert f.error_count == attempt and f.last_status == 500 and "500" in f.last_error
        expected = BACKOFF_BASE * 2 ** (attempt - 1)
        delay = seconds_until(f.next_attempt_at)
        assert 0.8 * expected - 5 <= delay <= 1.2 * expected + 5
        delays.append(delay)
        assert sync(db_path).skipped_not_due == 1  # not due: a plain sync leaves it alone
    assert delays == sorted(delays)

    with Notebook(db_path) as nb:  # after many failures in a row, the wait stops growing at a day
        nb.db.execute("UPDATE feeds SET error_count = 40 WHERE id = ?", [feed_id])
    sync(db_path, include_not_due=True)
    f = feed(db_path, feed_id)
    assert f.error_count == 41 and 0.8 * BACKOFF_CAP - 5 <= seconds_until(f.next_attempt_at) <= BACKOFF_CAP + 5

    httpserver.clear()
    serve(httpserver, "/broken.xml", rss(items(1)))
    assert sync(db_path, include_not_due=True).new_items == 1
    f = feed(db_path, feed_id)
    assert (f.error_count, f.next_attempt_at, f.last_error, f.last_status) == (0, None, None, 200)


def test_backoff_has_jitter_and_is_capped_at_a_day():
    import random

    first = {round(backoff_seconds(1, random.Random(seed))) for seed in range(20)}
    assert len(first) > 10 and all(0.8 * BACKOFF_BASE <= d <= 1.2 * BACKOFF_BASE for d in first)
    assert all(backoff_seconds(n, random.Random(n)) <= BACKOFF_CAP for n in range(1, 200))
    assert backoff_seconds(100, random.Random(1)) >= 0.8 * BACKOFF_CAP


# --------------------------------------------------------------------------- bounded: time and size


class Trickler:
    """A raw HTTP server on 127.0.0.1 that answers every request one byte at a time, never finishing."""

    def __init__(self, interval: float = 0.1, trickle_headers: bool = False):
        self.interval = interval
        self.trickle_headers = trickle_headers
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.xml"
        self.bytes_sent = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                head = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"
                    b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>'
                )
                if not self.trickle_headers:
                    conn.sendall(head)
                    head = b"<!-- " + b"x" * 10000
                for byte in head:
                    if self.stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
                    self.bytes_sent += 1
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def trickler() -> Iterator[Callable[..., Trickler]]:
    made: list[Trickler] = []

    def make(**options) -> Trickler:
        made.append(Trickler(**options))
        return made[-1]

    yield make
    for t in made:
        t.close()


@pytest.mark.parametrize("trickle_headers", [False, True], ids=["slow-body", "slow-headers"])
def test_a_trickling_server_cannot_hold_the_sync_past_its_deadline(
    httpserver: HTTPServer, db_path: Path, trickler, trickle_headers: bool
):
    slow = trickler(trickle_headers=trickle_headers)
    good = serve(httpserver, "/feed.xml", rss(items(2)))
    slow_id, good_id = follow(db_path, slow.url, good)

    started = time.monotonic()
    report = Syncer(db_path, deadline=1.0).run()
    elapsed = time.monotonic() - started

    assert elapsed < 1.0 + 1.5, f"sync took {elapsed:.1f} s with a 1 s deadline"
    assert slow.bytes_sent > 3  # each read came well within the read timeout: only the deadline stops it
    assert (report.failed, report.new_items) == (1, 2)
    f = feed(db_path, slow_id)
    assert "timed out" in f.last_error and f.error_count == 1 and f.next_attempt_at
    assert f.last_error == "timed out after 1 s"  # the deadline that applied, not the default
    assert stored(db_path, slow_id) == [] and len(stored(db_path, good_id)) == 2


def test_a_body_over_the_size_cap_fails(httpserver: HTTPServer, db_path: Path):
    big = rss(items(2), extra="<!--" + "x" * 300_000 + "-->")
    url = serve(httpserver, "/big.xml", big)
    (feed_id,) = follow(db_path, url)

    report = Syncer(db_path, max_bytes=100_000).run()

    assert report.failed == 1 and report.parsed == 0
    f = feed(db_path, feed_id)
    assert f.last_error == "feed larger than 0.0954 MiB, not read" and stored(db_path) == []
    # The same feed under the cap is read.
    assert Syncer(db_path, max_bytes=1_000_000).run(include_not_due=True).new_items == 2


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """A valid gzip of 200 MiB of zeros, about 200 KB: one independently compressed MiB repeated (fast to build)."""
    zeros = bytes(1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)  # no reference to earlier data
    crc = 0
    for _ in range(200):
        crc = zlib.crc32(zeros, crc)
    bomb = (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + block * 200
        + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
        + struct.pack("<II", crc, 200 * 2**20 % 2**32)
    )
    assert len(bomb) < 1024 * 1024
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert inflater.decompress(bomb, 4 * 2**20) == bytes(4 * 2**20)  # it is what it claims to be
    return bomb


def test_a_gzip_bomb_is_cut_off_at_the_cap_without_inflating_it(
    httpserver: HTTPServer, db_path: Path, gzip_bomb: bytes
):
    httpserver.expect_request("/bomb.xml").respond_with_data(
        gzip_bomb, content_type=RSS, headers={"Content-Encoding": "gzip"}
    )
    (feed_id,) = follow(db_path, httpserver.url_for("/bomb.xml"))

    tracemalloc.start()
    try:
        report = Syncer(db_path, max_bytes=1024 * 1024).run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.failed == 1 and report.parsed == 0
    assert feed(db_path, feed_id).last_error == "feed larger than 1 MiB, not read"
    assert peak < 20 * 1024 * 1024, f"peak memory {peak / 2**20:.0f} MiB while reading a 1 MiB-capped body"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_feed_is_read(httpserver: HTTPServer, db_path: Path, encoding: str):
    body = rss(items(3)).encode()
    packed = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    httpserver.expect_request("/feed.xml").respond_with_data(
        packed, content_type=RSS, headers={"Content-Encoding": encoding}
    )
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))

    report = sync(db_path)

    assert (report.failed, report.new_items) == (0, 3)
    f = feed(db_path, feed_id)
    assert f.last_error is None and f.title == "Acme news"
    assert [n.title for n in stored(db_path)] == ["Post 0", "Post 1", "Post 2"]


# --------------------------------------------------------------------------- hostile and unusual documents


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs &lol9;</title><link>http://127.0.0.1/</link><description>d</description>
<item><guid>urn:laugh</guid><title>Laugh &lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
 <!ENTITY % remote SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Leak &xxe;</title><link>http://127.0.0.1/</link><description>d</description>
<item><guid>urn:xxe</guid><title>Secret &xxe;</title><description>before &xxe; after</description></item>
</channel></rss>
"""


def test_a_billion_laughs_feed_is_not_expanded(httpserver: HTTPServer, db_path: Path):
    url = serve(httpserver, "/laughs.xml", BILLION_LAUGHS)
    (feed_id,) = follow(db_path, url)

    tracemalloc.start()
    try:
        started = time.monotonic()
        report = sync(db_path)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert elapsed < 5 and peak < 50 * 1024 * 1024
    assert report.failed + report.parsed >= 1
    assert len(all_text(db_path)) < 10_000
    assert "lollollol" not in all_text(db_path)
    assert feed(db_path, feed_id).item_count <= 1


def test_an_external_entity_feed_leaks_no_local_file(httpserver: HTTPServer, db_path: Path):
    url = serve(httpserver, "/xxe.xml", XXE)
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.failed + report.parsed == 1
    text = all_text(db_path)
    assert "root:" not in text and "/bin/" not in text
    for item in stored(db_path, feed_id):  # when it parses, the entry is kept without the entity
        assert "root" not in item.title + item.summary


ACCENTED_TITLE = "Société Générale à Zürich: l’équipe café ouvre — 5 €"


@pytest.mark.parametrize(
    "charset, prolog, header",
    [
        ("windows-1252", True, False),
        ("windows-1252", False, True),
        ("windows-1252", True, True),
        ("iso-8859-1", True, False),
        ("iso-8859-1", False, True),
    ],
    ids=["cp1252-prolog", "cp1252-header", "cp1252-both", "latin1-prolog", "latin1-header"],
)
def test_a_non_utf8_feed_stores_correct_accents(
    httpserver: HTTPServer, db_path: Path, charset: str, prolog: bool, header: bool
):
    title = ACCENTED_TITLE if charset == "windows-1252" else "Société Générale à Zürich: équipe café ouvre"
    prolog_text = f'<?xml version="1.0" encoding="{charset}"?>' if prolog else '<?xml version="1.0"?>'
    body = rss(
        [{"guid": "urn:1", "title": title, "description": f"Résumé: {title}"}], title="Actualités", prolog=prolog_text
    ).encode(charset)
    content_type = f"application/rss+xml; charset={charset}" if header else "application/rss+xml"
    httpserver.expect_request("/feed.xml").respond_with_data(body, headers={"Content-Type": content_type})
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))

    report = sync(db_path)

    assert report.failed == 0
    (item,) = stored(db_path, feed_id)
    assert item.title == title
    assert item.summary == f"Résumé: {title}"
    assert feed(db_path, feed_id).title == "Actualités"


def test_broken_character_references_do_not_lose_the_feed(httpserver: HTTPServer, db_path: Path):
    """Emoji written as two UTF-16 halves (a common generator bug), lone halves, numbers beyond Unicode."""
    body = rss(
        [
            {"guid": "urn:1", "title": "Launch &#55357;&#56832; day"},
            {"guid": "urn:2", "title": "Half &#xD800; and huge &#x110000; and &#99999999999999;"},
            {"guid": "urn:3", "title": "Plain &#233;t&#xE9;"},
        ]
    ).replace("&amp;#", "&#")
    (feed_id,) = follow(db_path, serve(httpserver, "/feed.xml", body))

    report = sync(db_path)

    assert (report.failed, report.new_items) == (0, 3), report.errors
    titles = [n.title for n in stored(db_path, feed_id)]
    assert titles == ["Launch \U0001f600 day", "Half \ufffd and huge \ufffd and \ufffd", "Plain été"]


def test_an_html_page_instead_of_a_feed_is_reported_as_not_a_feed(httpserver: HTTPServer, db_path: Path):
    page = "<!DOCTYPE html><html><head><title>Acme</title></head><body><h1>Welcome</h1><p>Hi</p></body></html>"
    url = serve(httpserver, "/", page, content_type="text/html; charset=utf-8")
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.failed == 1 and report.errors[0]["error"].startswith("not a feed")
    f = feed(db_path, feed_id)
    assert f.last_error.startswith("not a feed") and f.error_count == 1
    assert f.content_hash is None and stored(db_path) == []


def test_duplicate_guids_in_one_feed_are_told_apart(httpserver: HTTPServer, db_path: Path):
    entries = [
        {"guid": "urn:same", "title": "First"},
        {"guid": "urn:same", "title": "Second"},
        {"guid": "urn:same#2", "title": "Third"},
        {"guid": "urn:other", "title": "Fourth"},
    ]
    url = serve(httpserver, "/feed.xml", rss(entries))
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.new_items == 4
    assert sorted(n.title for n in stored(db_path, feed_id)) == ["First", "Fourth", "Second", "Third"]
    assert len({n.entry_id for n in stored(db_path, feed_id)}) == 4


def test_entries_without_guid_get_stable_ids_and_a_resync_adds_no_duplicates(httpserver: HTTPServer, db_path: Path):
    entries = [
        {"title": "Has a link", "link": "http://127.0.0.1/a", "pubDate": "Mon, 01 Jan 2024 10:00:00 GMT"},
        {"title": "Only a title and a date", "pubDate": "Tue, 02 Jan 2024 10:00:00 GMT"},
        {"title": "Only a title"},
    ]
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(rss(entries), content_type=RSS)
    # The second answer differs (another build date) so that it is parsed again, not skipped by its hash.
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(
        rss(entries, extra="<lastBuildDate>Wed, 03 Jan 2024 10:00:00 GMT</lastBuildDate>"), content_type=RSS
    )
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))

    assert sync(db_path).new_items == 3
    first = {n.title: n.entry_id for n in stored(db_path, feed_id)}
    assert first["Has a link"] == "http://127.0.0.1/a"
    assert first["Only a title and a date"] != first["Only a title"]

    again = sync(db_path)

    assert (again.parsed, again.new_items, again.updated_items) == (1, 0, 0)
    assert {n.title: n.entry_id for n in stored(db_path, feed_id)} == first


def test_an_updated_entry_is_updated_in_place_and_keeps_its_read_and_starred_state(
    httpserver: HTTPServer, db_path: Path
):
    before = items(2)
    after = [dict(before[0], title="Post 0 (corrected)", description="New body"), before[1]]
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(rss(before), content_type=RSS)
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(rss(after), content_type=RSS)
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))
    sync(db_path)
    item = next(n for n in stored(db_path, feed_id) if n.title == "Post 0")
    with Notebook(db_path) as nb:
        nb.mark_news(item.id, read=True, starred=True)

    report = sync(db_path)

    assert (report.new_items, report.updated_items) == (0, 1)
    updated = next(n for n in stored(db_path, feed_id) if n.id == item.id)
    assert (updated.title, updated.summary, updated.read, updated.starred) == (
        "Post 0 (corrected)",
        "New body",
        True,
        True,
    )
    assert len(stored(db_path, feed_id)) == 2


def test_a_deleted_item_does_not_come_back(httpserver: HTTPServer, db_path: Path):
    before = items(3)
    after = [dict(before[0], title="Post 0 edited")] + before[1:] + items(1, prefix="extra")
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(rss(before), content_type=RSS)
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(rss(after), content_type=RSS)
    (feed_id,) = follow(db_path, httpserver.url_for("/feed.xml"))
    sync(db_path)
    victims = [n for n in stored(db_path, feed_id) if n.title in ("Post 0", "Post 1")]
    with Notebook(db_path) as nb:
        for n in victims:
            nb.delete_news(n.id)

    report = sync(db_path)

    assert report.new_items == 1
    assert sorted(n.title for n in stored(db_path, feed_id)) == ["Extra 0", "Post 2"]
    with Notebook(db_path) as nb:
        assert feed(db_path, feed_id).item_count == 2
        assert nb.db.execute("SELECT count(*) FROM news_items WHERE feed_id = ?", [feed_id]).fetchone()[0] == 4


def test_one_broken_feed_does_not_stop_the_others(httpserver: HTTPServer, db_path: Path):
    good = [serve(httpserver, f"/good{i}.xml", rss(items(3 + i, prefix=f"g{i}"))) for i in range(4)]
    broken = [
        serve(httpserver, "/error.xml", "boom", content_type="text/plain", status=500),
        serve(httpserver, "/garbage.xml", b"\x00\xff\xfe garbage \x89PNG", content_type="application/octet-stream"),
        serve(httpserver, "/truncated.xml", rss(items(2))[:90]),
        "http://127.0.0.1:9/refused.xml",  # nothing listens on the discard port
    ]
    ids = follow(db_path, *good[:2], *broken, *good[2:])

    report = sync(db_path, jobs=3)

    assert report.feeds == 8 and report.failed >= 3
    assert {e["url"] for e in report.errors} <= set(broken)
    by_url = dict(zip([*good[:2], *broken, *good[2:]], ids))
    for i, url in enumerate(good):
        f = feed(db_path, by_url[url])
        assert f.item_count == 3 + i and f.last_error is None


def test_at_most_two_connections_per_host(httpserver: HTTPServer, db_path: Path):
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def slow(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        try:
            time.sleep(0.15)
            return Response(rss(items(1, prefix=request.path.strip("/").split(".")[0])), content_type=RSS)
        finally:
            with lock:
                state["now"] -= 1

    for i in range(8):
        httpserver.expect_request(f"/f{i}.xml").respond_with_handler(slow)
    follow(db_path, *(httpserver.url_for(f"/f{i}.xml") for i in range(8)))

    report = sync(db_path, jobs=8)

    assert (report.failed, report.new_items) == (0, 8)
    assert state["peak"] == 2, f"{state['peak']} requests at once to one host"


def test_a_slow_host_does_not_hold_back_the_others(httpserver: HTTPServer, db_path: Path, trickler):
    """Feeds waiting for a busy host do not take the job slots of feeds on other hosts.

    Hosts are told apart by name: the fast feed is on the same loopback server, named `localhost`.
    """
    slow = trickler(interval=0.05)
    slow_urls = [slow.url.replace("/feed.xml", f"/s{i}.xml") for i in range(4)]
    fast_url = serve(httpserver, "/fast.xml", rss(items(1))).replace("127.0.0.1", "localhost")
    fast_ids = follow(db_path, *slow_urls, fast_url)
    order = []

    Syncer(db_path, jobs=2, deadline=0.5, progress=lambda o: order.append(o.url)).run()

    assert order.index(fast_url) < 3, order
    assert feed(db_path, fast_ids[-1]).item_count == 1


# --------------------------------------------------------------------------- crash consistency


KILLER = textwrap.dedent("""
    import os, sys
    from researcher.store import Notebook
    from researcher.sync.engine import Syncer

    mode, db = sys.argv[1], sys.argv[2]
    outcomes = []

    def progress(outcome):
        outcomes.append(outcome)
        if mode == "between-feeds" and len(outcomes) == 2:
            os._exit(3)

    if mode == "mid-transaction":
        real_update = Notebook._update_feed
        saves = []

        def update(self, feed_id, values, *rest):
            if "last_fetch_at" in values:
                saves.append(feed_id)
                if len(saves) == 3:
                    os._exit(3)  # entries written, feed row not yet: the transaction is open
            return real_update(self, feed_id, values, *rest)

        Notebook._update_feed = update

    Syncer(db, jobs=1, progress=progress, deadline=5).run()
    os._exit(0)
""")


@pytest.mark.parametrize("mode", ["between-feeds", "mid-transaction"])
def test_a_sync_killed_midway_leaves_a_consistent_notebook_that_the_next_sync_completes(
    httpserver: HTTPServer, db_path: Path, mode: str
):
    urls = [
        serve(httpserver, f"/k{i}.xml", rss(items(2 + i, prefix=f"k{i}")), headers={"ETag": f'"k{i}"'})
        for i in range(5)
    ]
    ids = follow(db_path, *urls)
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    killed = subprocess.run(
        [sys.executable, "-c", KILLER, mode, str(db_path)], env=env, capture_output=True, text=True, timeout=60
    )

    assert killed.returncode == 3, killed.stderr
    with Notebook(db_path) as nb:
        feeds = nb.feeds()
        counts = {
            row["feed_id"]: row["n"]
            for row in nb.db.query("SELECT feed_id, count(*) AS n FROM news_items GROUP BY feed_id")
        }
    done = [f for f in feeds if f.content_hash]
    assert len(done) == 2
    for f in feeds:
        expected = 2 + urls.index(f.url)
        if f.content_hash or f.etag or f.last_fetch_at:
            assert counts.get(f.id) == expected, f"{f.url} has validators but {counts.get(f.id)} items"
        else:
            assert f.id not in counts, f"{f.url} has items but no validators"

    report = sync(db_path)

    assert (report.feeds, report.failed) == (5, 0)
    assert report.unchanged == 2 and report.parsed == 3
    for feed_id, url in zip(ids, urls):
        assert len(stored(db_path, feed_id)) == 2 + urls.index(url)


# --------------------------------------------------------------------------- untrusted text


@pytest.mark.parametrize("raw_escapes", [False, True], ids=["well-formed", "raw-ESC"])
def test_markup_and_escape_sequences_are_stored_as_plain_text(httpserver: HTTPServer, db_path: Path, raw_escapes: bool):
    title = "[@click=app.quit]Breaking[/] \x9b31m news \u202eevil\u202c [bold]now[/bold]"
    body = rss(
        [
            {
                "guid": "urn:x",
                "title": title,
                "link": "http://127.0.0.1/x\u202e",
                "description": "<p>[red]alert[/red] &#x9b;2J \x9b2J \u202egnp.exe</p>",
            }
        ],
        title="[link=file:///etc]Feed[/link] \u202e",
    )
    if raw_escapes:
        # Raw ESC and BEL are not XML: sent anyway by a hostile server, the lenient parser takes over.
        body = body.replace("Breaking[/]", "Breaking[/]\x1b[31m red\x1b[0m\x1b]8;;http://x\x07link\x1b]8;;\x07")
    url = serve(httpserver, "/feed.xml", body.encode())
    (feed_id,) = follow(db_path, url)

    report = sync(db_path)

    assert report.new_items == 1, report.errors
    (item,) = stored(db_path, feed_id)
    f = feed(db_path, feed_id)
    for text in (item.title, item.summary, item.link or "", f.title or ""):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e\u202c"), repr(text)
    assert item.title.startswith("[@click=app.quit]Breaking[/]")
    assert "[bold]now[/bold]" in item.title and "evil" in item.title
    assert ("red" in item.title) is raw_escapes and "31m" in item.title and "8;;" not in item.title
    assert "[red]alert[/red]" in item.summary and "gnp.exe" in item.summary
    assert item.link == "http://127.0.0.1/x"
    assert f.title == "[link=file:///etc]Feed[/link]"


# --------------------------------------------------------------------------- the CLI


def test_cli_sync_json_reports_every_count_and_each_error(httpserver: HTTPServer, db_path: Path, run_cli):
    good = serve(httpserver, "/feed.xml", rss(items(2)))
    bad = serve(httpserver, "/missing.xml", "no", content_type="text/plain", status=404)
    follow(db_path, good, bad, company="Banque Éclair")

    result = run_cli("sync", "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {
        "feeds",
        "fetched",
        "not_modified",
        "unchanged",
        "parsed",
        "failed",
        "new_items",
        "updated_items",
        "errors",
    } <= set(data)
    assert (data["feeds"], data["fetched"], data["parsed"], data["failed"], data["new_items"]) == (2, 1, 1, 1, 2)
    assert (data["not_modified"], data["unchanged"], data["updated_items"]) == (0, 0, 0)
    assert len(data["errors"]) == 1
    error = data["errors"][0]
    assert set(error) == {"url", "company", "error"}
    assert (error["url"], error["company"]) == (bad, "Banque Éclair") and "404" in error["error"]

    again = json.loads(run_cli("sync", "--json").stdout)
    assert (again["feeds"], again["unchanged"], again["parsed"]) == (1, 1, 0)


def test_cli_sync_text_lists_the_errors(httpserver: HTTPServer, db_path: Path, run_cli):
    follow(db_path, serve(httpserver, "/gone.xml", "", status=410))
    result = run_cli("sync")
    assert result.exit_code == 1  # the only feed failed: cron must notice
    assert "1 failed" in result.stdout and "410" in result.stdout and "/gone.xml" in result.stdout


def test_cli_news_json(httpserver: HTTPServer, db_path: Path, run_cli):
    follow(db_path, serve(httpserver, "/feed.xml", rss(items(3))))
    assert run_cli("sync", "--json").exit_code == 0

    result = run_cli("news", "--json")

    assert result.exit_code == 0, result.output
    news = json.loads(result.stdout)
    assert [n["title"] for n in news] == ["Post 2", "Post 1", "Post 0"]  # newest first
    assert news[0]["company"] == "Acme" and news[0]["read"] is False and news[0]["link"] == "http://127.0.0.1/post/2"
    assert json.loads(run_cli("news", "--json", "--limit", "1").stdout)[0]["title"] == "Post 2"


PAGE = """<!DOCTYPE html><html><head><title>Acme</title>
<link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="Blog" href="blog/atom.xml">
<link rel="stylesheet" href="/style.css">
</head><body>Hello</body></html>"""


def test_cli_feed_add_discovers_the_feed_a_page_announces(httpserver: HTTPServer, db_path: Path, run_cli):
    page = serve(httpserver, "/page.html", PAGE, content_type="text/html; charset=utf-8")
    serve(httpserver, "/feed.xml", rss(items(1)))
    follow(db_path, company="Acme")

    result = run_cli("feed", "add", "Acme", page, "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["url"] == httpserver.url_for("/feed.xml")
    assert data["other_feeds"] == [httpserver.url_for("/blog/atom.xml")]
    with Notebook(db_path) as nb:
        assert [f.url for f in nb.feeds()] == [httpserver.url_for("/feed.xml")]


def test_cli_feed_add_finds_a_feed_at_a_usual_path(httpserver: HTTPServer, db_path: Path, run_cli):
    page = serve(
        httpserver, "/", "<html><head><title>No links</title></head><body>Hi</body></html>", content_type="text/html"
    )
    serve(httpserver, "/feed.xml", rss(items(1)))
    httpserver.no_handler_status_code = 404
    follow(db_path, company="Acme")

    result = run_cli("feed", "add", "Acme", page)

    assert result.exit_code == 0, result.output
    assert httpserver.url_for("/feed.xml") in result.stdout
    with Notebook(db_path) as nb:
        assert [f.url for f in nb.feeds()] == [httpserver.url_for("/feed.xml")]
    assert sync(db_path).new_items == 1


def test_cli_feed_add_of_a_feed_url_keeps_it(httpserver: HTTPServer, db_path: Path, run_cli):
    url = serve(httpserver, "/news.rss", rss(items(1)))
    follow(db_path, company="Acme")
    result = run_cli("feed", "add", "Acme", url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == url


def test_cli_feed_add_fails_clearly_when_no_feed_is_found(httpserver: HTTPServer, db_path: Path, run_cli):
    page = serve(httpserver, "/", "<html><body>nothing</body></html>", content_type="text/html")
    httpserver.no_handler_status_code = 404
    follow(db_path, company="Acme")
    result = run_cli("feed", "add", "Acme", page)
    assert result.exit_code == 1
    assert "no feed found" in result.output and "--no-discover" in result.output
    with Notebook(db_path) as nb:
        assert nb.feeds() == []


def test_cli_feed_discover_lists_the_feeds(httpserver: HTTPServer, run_cli):
    page = serve(httpserver, "/page.html", PAGE, content_type="text/html")

    result = run_cli("feed", "discover", page)

    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [httpserver.url_for("/feed.xml"), httpserver.url_for("/blog/atom.xml")]
    as_json = run_cli("feed", "discover", page, "--json")
    assert json.loads(as_json.stdout) == [httpserver.url_for("/feed.xml"), httpserver.url_for("/blog/atom.xml")]


def test_feed_discovery_resolves_links_against_the_page_it_was_redirected_to(httpserver: HTTPServer, run_cli):
    httpserver.expect_request("/start").respond_with_data("", status=302, headers={"Location": "/en/home.html"})
    serve(
        httpserver,
        "/en/home.html",
        '<html><head><link rel="alternate" type="application/rss+xml" href="feed.xml"></head></html>',
        content_type="text/html",
    )

    result = run_cli("feed", "discover", httpserver.url_for("/start"), "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [httpserver.url_for("/en/feed.xml")]


# --------------------------------------------------------------------------- the parse pool


class _DyingPool:
    """A process pool whose worker died: every task fails with BrokenProcessPool."""

    def __init__(self, when: str):
        self.when, self.shut = when, False

    def submit(self, fn, *args):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        if self.when == "submit":
            raise BrokenProcessPool("a worker died")
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, **_):
        self.shut = True


@pytest.mark.parametrize("when", ["submit", "result"])
def test_a_dead_parse_worker_costs_no_feed_the_parse_moves_into_the_process(db_path: Path, when: str):
    import asyncio

    syncer = Syncer(db_path)
    pool = syncer._pool = _DyingPool(when)
    parsed = asyncio.run(syncer._parse(rss(items(3)).encode(), {}))
    assert [e.title for e in parsed.entries] == ["Post 0", "Post 1", "Post 2"]
    assert syncer._pool is None and pool.shut


# --------------------------------------------------------------------------- big bodies, streamed


def _as_rows(db: Path, feed_id: int) -> list[tuple]:
    return [(n.entry_id, n.title, n.summary, n.link, n.published) for n in stored(db, feed_id)]


def test_a_big_plain_rss_body_is_streamed_into_the_notebook_with_the_same_result(
    httpserver: HTTPServer, tmp_path: Path, blank_notebook: Path, monkeypatch: pytest.MonkeyPatch
):
    import researcher.sync.engine as engine

    body = rss(items(1200, prefix="big") + items(3, prefix="big"))  # duplicate guids too
    url = serve(httpserver, "/big.xml", body)
    streamed = []
    real = engine.stream_bytes
    monkeypatch.setattr(engine, "stream_bytes", lambda *args: streamed.append(args) or real(*args))
    results = {}
    for threshold in (1 << 40, 1000):  # whole in a worker (or thread) / streamed here
        streamed.clear()
        monkeypatch.setattr(engine, "STREAM_BYTES", threshold)
        monkeypatch.setattr(engine, "_SAVE_BATCH", 100, raising=False)
        db = tmp_path / f"{threshold}.db"
        shutil.copy(blank_notebook, db)
        (feed_id,) = follow(db, url)
        report = sync(db)
        assert (report.parsed, report.new_items, report.failed) == (1, 1203, 0)
        assert feed(db, feed_id).title == "Acme news"
        results[threshold] = _as_rows(db, feed_id)
        assert len(streamed) == (threshold == 1000)
    assert results[1000] == results[1 << 40]
    assert {row[0] for row in results[1000]} >= {"urn:big:0#2", "urn:big:2#2"}


def test_a_big_body_that_leaves_the_plain_subset_late_is_parsed_whole_and_stored_once(
    httpserver: HTTPServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import researcher.sync.engine as engine

    monkeypatch.setattr(engine, "STREAM_BYTES", 1000)
    tried = []
    real = engine.stream_bytes
    monkeypatch.setattr(engine, "stream_bytes", lambda *args: tried.append(args) or real(*args))
    odd = (
        "<item><guid>urn:odd</guid><title>Odd one</title>"
        '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Full text&lt;/p&gt;'
        "</content:encoded></item>"
    )
    body = rss(items(800), extra="").replace("</channel>", odd + "</channel>")
    (feed_id,) = follow(db_path, serve(httpserver, "/late.xml", body))
    report = sync(db_path)
    assert len(tried) == 1  # streamed first, then parsed whole
    assert (report.parsed, report.new_items, report.failed) == (1, 801, 0)
    rows = stored(db_path, feed_id)
    assert len(rows) == len({r.entry_id for r in rows}) == 801
    assert [r.summary for r in rows if r.entry_id == "urn:odd"] == ["Full text"]
    assert sync(db_path, include_not_due=True).new_items == 0


def test_a_feed_that_cannot_be_stored_fails_alone(
    httpserver: HTTPServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import sqlite3

    urls = [serve(httpserver, f"/s{i}.xml", rss(items(2, prefix=f"s{i}"))) for i in range(3)]
    ids = follow(db_path, *urls)
    real = Notebook.save_fetch

    def save_fetch(self, feed_id, *args, **kwargs):
        if feed_id == ids[1]:  # something in this feed the notebook refuses (a lock is not the feed's fault)
            raise sqlite3.IntegrityError("CHECK constraint failed: news_items")
        return real(self, feed_id, *args, **kwargs)

    monkeypatch.setattr(Notebook, "save_fetch", save_fetch)
    report = sync(db_path)
    assert (report.new_items, report.failed) == (4, 1)
    assert report.errors[0]["url"] == urls[1] and "could not store" in report.errors[0]["error"]
    assert feed(db_path, ids[1]).last_error and feed(db_path, ids[1]).error_count == 1


def test_a_big_sync_checkpoints_beside_the_writer_and_leaves_a_sound_notebook(
    httpserver: HTTPServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import sqlite3

    import researcher.sync.engine as engine
    from researcher.store.connection import BackgroundCheckpoints

    monkeypatch.setattr(BackgroundCheckpoints, "INTERVAL", 0.01)
    monkeypatch.setattr(BackgroundCheckpoints, "WAL_LIMIT", 1)  # restart the log after every round
    rounds = []
    real = BackgroundCheckpoints.restart_if_oversized

    def restart_if_oversized(self) -> None:
        # On a loaded machine the whole sync can finish before the checkpoint thread's first round: give
        # the thread (at most 2 s) to find the log oversized once, so the restart is tested, not the timing.
        deadline = time.monotonic() + 2
        while not any(rounds) and not self.oversized and time.monotonic() < deadline:
            time.sleep(0.005)
        rounds.append(self.oversized)
        real(self)

    monkeypatch.setattr(BackgroundCheckpoints, "restart_if_oversized", restart_if_oversized)
    urls = [serve(httpserver, f"/c{i}.xml", rss(items(40, prefix=f"c{i}"))) for i in range(engine.POOL_THRESHOLD + 4)]
    follow(db_path, *urls)
    report = sync(db_path)
    assert (report.failed, report.new_items) == (0, 40 * len(urls))
    assert len(rounds) == len(urls) and any(rounds)  # the log was made to start over, mid-sync
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM news_items").fetchone() == (40 * len(urls),)
    conn.close()
    with Notebook(db_path) as nb:
        assert len(nb.search("c3")) > 0
