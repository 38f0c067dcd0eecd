"""The feed sync under faults and hostile servers: bodies cut short, odd validators, special files, kills,
a hostile reason phrase or link, a locked notebook."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from researcher.store import Notebook
from researcher.sync.discover import discover
from researcher.sync.engine import POOL_THRESHOLD, Syncer
from tests.test_sync import REPO, Trickler, feed, follow, items, rss, serve, stored

HOSTILE = "\x1b]0;pwned\x07"  # OSC: retitles a terminal
MODIFIED = b"Wed, 03 Jan 2024 10:00:00 GMT"


@pytest.fixture(scope="module")
def make_httpserver() -> Iterator[HTTPServer]:
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
    shutil.copy(blank_notebook, db_path)


def sync(db: Path, **options):
    options.setdefault("jobs", 4)
    options.setdefault("deadline", 5)
    return Syncer(db, **options).run()


# --------------------------------------------------------------------------- a raw HTTP server


class RawServer:
    """An HTTP server on a bare socket: answer(request, n) gives the n-th response's exact bytes, and the
    connection is closed after it (so a body without Content-Length ends where the bytes do)."""

    def __init__(self, answer: Callable[[bytes, int], bytes]):
        self.answer = answer
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.xml"
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
            with conn:
                conn.settimeout(5)
                request = b""
                with contextlib.suppress(OSError):
                    while b"\r\n\r\n" not in request:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        request += chunk
                    self.requests.append(request)
                    conn.sendall(self.answer(request, len(self.requests)))
                    conn.shutdown(socket.SHUT_WR)

    def header(self, n: int, name: bytes) -> bytes | None:
        """A header of the n-th request (1-based), its bytes as sent."""
        for line in self.requests[n - 1].split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[bytes, int], bytes]], RawServer]]:
    made: list[RawServer] = []

    def make(answer: Callable[[bytes, int], bytes]) -> RawServer:
        made.append(RawServer(answer))
        return made[-1]

    yield make
    for server in made:
        server.close()


def response(body: bytes, *headers: bytes, status: bytes = b"200 OK") -> bytes:
    head = [b"HTTP/1.1 " + status, b"Content-Type: application/rss+xml", b"Connection: close", *headers]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


NOT_MODIFIED = b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"
FULL = rss(items(30)).encode()
HALF = FULL[: FULL.index(b"</item>", FULL.index(b"Post 14")) + len(b"</item>\n")]  # 15 items, then nothing


def chunked(body: bytes, last: bool = True) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 4096]), body[i : i + 4096]) for i in range(0, len(body), 4096))
    return out + (b"0\r\n\r\n" if last else b"")


# --------------------------------------------------------------------------- 1. bodies that did not arrive whole


def conditional(server_body: Callable[[int], bytes], *headers: bytes) -> Callable[[bytes, int], bytes]:
    """A server that honours If-None-Match "v1" (the data loss: a cut body's ETag made every later sync a 304)."""

    def answer(request: bytes, n: int) -> bytes:
        if b'if-none-match: "v1"' in request.lower():
            return NOT_MODIFIED
        return server_body(n)

    return answer


@pytest.mark.parametrize("how", ["close-delimited", "content-length", "chunked"])
def test_a_body_cut_short_keeps_its_items_and_the_next_sync_fetches_it_whole(raw_server, db_path: Path, how: str):
    validators = (b'ETag: "v1"', b"Last-Modified: " + MODIFIED)

    def first(n: int) -> bytes:
        if n > 1:
            return response(FULL, *validators)
        if how == "close-delimited":
            return response(HALF, *validators)
        if how == "content-length":
            return response(HALF, b"Content-Length: %d" % len(FULL), *validators)
        return response(chunked(HALF, last=False), b"Transfer-Encoding: chunked", *validators)

    server = raw_server(conditional(first))
    (feed_id,) = follow(db_path, server.url)

    report = sync(db_path)

    assert (report.failed, report.new_items) == (0, 15), report.errors
    f = feed(db_path, feed_id)
    assert f.last_error and f.last_error.startswith("warning:"), f.last_error
    assert (f.etag, f.last_modified, f.content_hash, f.error_count, f.next_attempt_at) == (None, None, None, 0, None)

    report = sync(db_path)  # due at once: not a failure, no backoff

    assert (report.feeds, report.failed, report.new_items) == (1, 0, 15), report.errors
    assert server.header(2, b"If-None-Match") is None and server.header(2, b"If-Modified-Since") is None
    assert [n.title for n in stored(db_path, feed_id)] == [f"Post {i}" for i in range(30)]
    f = feed(db_path, feed_id)
    assert (f.last_error, f.etag, f.last_modified) == (None, '"v1"', MODIFIED.decode())
    assert f.content_hash


@pytest.mark.parametrize("cut", ["half", "trailer"])
def test_a_gzip_body_cut_short_is_fetched_whole_next_time(raw_server, db_path: Path, cut: str):
    whole = gzip.compress(FULL)
    # Half the stream; or all of it but its 8-byte trailer: the XML is whole, the stream is not.
    short = whole[: len(whole) // 2] if cut == "half" else whole[:-8]
    headers = (b"Content-Encoding: gzip", b'ETag: "v1"')
    server = raw_server(conditional(lambda n: response(short if n == 1 else whole, *headers)))
    (feed_id,) = follow(db_path, server.url)

    first = sync(db_path)

    assert first.failed == 0, first.errors
    assert 0 < first.new_items <= 30
    f = feed(db_path, feed_id)
    assert f.last_error and f.last_error.startswith("warning: compressed body cut off"), f.last_error
    assert (f.etag, f.content_hash) == (None, None)

    second = sync(db_path)

    assert second.failed == 0 and first.new_items + second.new_items == 30
    assert len(stored(db_path, feed_id)) == 30
    f = feed(db_path, feed_id)
    assert (f.last_error, f.etag) == (None, '"v1"')


def test_a_warning_stays_until_a_clean_fetch(raw_server, db_path: Path):
    # A server that answers 304 to anything on the second request, ignoring what was asked.
    server = raw_server(lambda _request, n: {1: response(HALF), 2: NOT_MODIFIED}.get(n, response(FULL)))
    (feed_id,) = follow(db_path, server.url)
    sync(db_path)
    warning = feed(db_path, feed_id).last_error
    assert warning and warning.startswith("warning:")

    assert sync(db_path).not_modified == 1
    assert feed(db_path, feed_id).last_error == warning

    assert sync(db_path).new_items == 15
    assert feed(db_path, feed_id).last_error is None


def test_a_warning_on_a_whole_body_survives_a_304_and_an_identical_body(httpserver: HTTPServer, db_path: Path):
    # text/xml without a charset is us-ascii by RFC 3023; the UTF-8 body is read as UTF-8 with a note.
    body = rss([{"guid": "urn:1", "title": "Café"}]).encode()
    url = serve(httpserver, "/override.xml", body, content_type="text/xml", headers={"ETag": '"e1"'})
    (feed_id,) = follow(db_path, url)
    assert sync(db_path).new_items == 1
    f = feed(db_path, feed_id)
    assert f.last_error and f.last_error.startswith("warning: CharacterEncodingOverride")
    assert f.etag == '"e1"' and f.content_hash  # a note on the headers: the body was read whole

    httpserver.clear()
    httpserver.expect_request("/override.xml", headers={"If-None-Match": '"e1"'}).respond_with_data("", status=304)
    assert sync(db_path).not_modified == 1
    assert feed(db_path, feed_id).last_error == f.last_error

    httpserver.clear()
    serve(httpserver, "/override.xml", body, content_type="text/xml")  # ignores validators
    assert sync(db_path).unchanged == 1
    assert feed(db_path, feed_id).last_error == f.last_error


# --------------------------------------------------------------------------- 2. validators are opaque bytes


def test_a_latin1_etag_goes_back_to_the_server_byte_for_byte(raw_server, db_path: Path):
    etag = b'"caf\xe9"'

    def answer(request: bytes, n: int) -> bytes:
        if b"if-none-match: " + etag in request.lower():
            return NOT_MODIFIED
        return response(FULL, b"ETag: " + etag, b"Last-Modified: " + MODIFIED)

    server = raw_server(answer)
    (feed_id,) = follow(db_path, server.url)
    assert sync(db_path).new_items == 30
    assert feed(db_path, feed_id).etag == '"café"'

    for _ in range(2):
        report = sync(db_path)
        assert (report.failed, report.not_modified) == (0, 1), report.errors
    assert server.header(3, b"If-None-Match") == etag


@pytest.mark.parametrize(
    "etag, modified",
    [
        (b'"' + HOSTILE.encode() + b'"', MODIFIED + b"\x1b[2J"),
        (b'"x\x9b2J\x9d0;pwned\x9c"', MODIFIED + b"\x85"),  # 8-bit CSI, OSC, ST and NEL (C1 as obs-text)
        (b'"' + b"x" * 2000 + b'"', MODIFIED + b" " + b"y" * 2000),
    ],
    ids=["escape-sequences", "c1-controls", "too-long"],
)
def test_a_validator_with_control_characters_or_too_long_is_not_kept(
    raw_server, db_path: Path, run_cli, etag: bytes, modified: bytes
):
    server = raw_server(lambda _request, _n: response(FULL, b"ETag: " + etag, b"Last-Modified: " + modified))
    (feed_id,) = follow(db_path, server.url)

    assert sync(db_path).new_items == 30
    f = feed(db_path, feed_id)
    assert (f.etag, f.last_modified) == (None, None)
    listing = run_cli("feed", "list", "--json")
    assert listing.exit_code == 0 and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", listing.stdout)

    report = sync(db_path)  # fetched unconditionally, and fine
    assert (report.failed, report.unchanged) == (0, 1)
    assert server.header(2, b"If-None-Match") is None and server.header(2, b"If-Modified-Since") is None


# --------------------------------------------------------------------------- 3. local files that never end


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "feed.xml"
    os.mkfifo(path)
    yield path
    # If a reader is still stuck opening it (the bug), a writer's open and close lets it go.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def _special(kind: str, fifo: Path) -> Path:
    return fifo if kind == "fifo" else Path("/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_file_feed_is_refused_at_once(db_path: Path, fifo: Path, kind: str):
    (feed_id,) = follow(db_path, str(_special(kind, fifo)))
    done: list = []
    # In a thread, so that a sync that never ends fails this test instead of hanging it.
    worker = threading.Thread(target=lambda: done.append(sync(db_path, deadline=2)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(10)
    assert done, "the sync did not end"
    assert time.monotonic() - started < 5  # ended (the error below says it was refused, not timed out)
    (report,) = done
    assert report.failed == 1
    assert "not a regular file" in report.errors[0]["error"]
    assert "not a regular file" in feed(db_path, feed_id).last_error


def test_cli_sync_with_a_fifo_and_dev_zero_ends(db_path: Path, fifo: Path):
    follow(db_path, str(fifo), "/dev/zero")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "researcher", "--db", str(db_path), "sync", "--json"],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("`researcher sync` did not exit")
    assert time.monotonic() - started < 10
    assert done.returncode == 1, done.stderr  # every feed failed
    report = json.loads(done.stdout)
    assert report["failed"] == 2
    assert all("not a regular file" in e["error"] for e in report["errors"])


# --------------------------------------------------------------------------- 4. a killed sync leaves nothing behind


def session_members(sid: int) -> dict[int, int]:
    """The live processes of a session, as {pid: parent pid} (zombies are not alive)."""
    members = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid, _group, session = text[text.rindex(")") + 2 :].split()[:4]
        if int(session) == sid and state not in ("Z", "X"):
            members[int(entry)] = int(ppid)
    return members


def has_grandchild(pid: int) -> bool:
    members = session_members(pid)
    return any(parent != pid and parent in members for parent in members.values())


def read_all(stream) -> tuple[threading.Thread, list[bytes]]:
    """Read a pipe to its end in a thread (the end comes when no process holds its write end)."""
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(stream.read()), daemon=True)
    reader.start()
    return reader, out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "SIGTERM"])
def test_a_killed_sync_leaves_no_process_behind(httpserver: HTTPServer, db_path: Path, how: signal.Signals):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the parse pool needs two CPUs")
    slow = Trickler(interval=0.2)  # holds one of the host's two connections until the sync's deadline
    try:
        quick = [serve(httpserver, f"/k{i}.xml", rss(items(30, prefix=f"k{i}"))) for i in range(POOL_THRESHOLD + 2)]
        follow(db_path, slow.url, *quick)
        proc = subprocess.Popen(
            [sys.executable, "-m", "researcher", "--db", str(db_path), "sync", "--json"],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            # Until a parse worker exists (a grandchild: the fork server's child) and a feed is stored.
            deadline = time.monotonic() + 30
            while not (has_grandchild(proc.pid) and stored(db_path)):
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "no parse worker started"
                time.sleep(0.05)
            os.kill(proc.pid, how)
            out_reader, _ = read_all(proc.stdout)
            err_reader, err = read_all(proc.stderr)
            code = proc.wait(10)

            err_reader.join(5)
            out_reader.join(5)
            assert not err_reader.is_alive(), "a process the sync started still holds its stderr"
            left = session_members(proc.pid)
            for _ in range(50):
                if not left:
                    break
                time.sleep(0.1)
                left = session_members(proc.pid)
            assert not left, f"still running after the sync died: {left}"
        finally:
            for pid in session_members(proc.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        slow.close()
    if how == signal.SIGTERM:
        text = err[0].decode()
        assert code in (1, 130), text
        assert "Traceback" not in text
        assert len(text.strip().splitlines()) == 1, text
        assert text.startswith("Error: sync interrupted")
        assert len(stored(db_path)) > 0  # the feeds stored before it stopped stay stored


# --------------------------------------------------------------------------- 5. text a server controls


def test_a_hostile_reason_phrase_comes_out_clean(raw_server, db_path: Path):
    server = raw_server(lambda _r, _n: response(b"", b"Content-Length: 0", status=b"500 Oops" + HOSTILE.encode()))
    (feed_id,) = follow(db_path, server.url)
    report = sync(db_path)
    assert report.failed == 1
    (error,) = report.errors
    assert error["error"] == "HTTP 500 Oops"
    assert feed(db_path, feed_id).last_error == "HTTP 500 Oops"


def test_a_hostile_location_comes_out_as_one_short_clean_line(raw_server, db_path: Path):
    # C1 controls are obs-text to HTTP, and httpx takes them (an ESC it refuses itself).
    target = b"ftp://h/" + b"\x9b2J\x9d0;pwned\x9c" * 30
    server = raw_server(lambda _r, _n: b"HTTP/1.1 302 Found\r\nLocation: " + target + b"\r\nContent-Length: 0\r\n\r\n")
    (feed_id,) = follow(db_path, server.url)
    report = sync(db_path)
    (error,) = report.errors
    assert not re.search("[\x00-\x1f\x7f-\x9f]", error["error"]) and len(error["error"]) <= 300, error
    assert error["error"].startswith("redirect to a non-web URL: ftp://h/%C2%9B2J")
    assert feed(db_path, feed_id).last_error == error["error"]


def test_a_hostile_discovered_link_comes_out_clean(httpserver: HTTPServer):
    page = (
        "<html><head>"
        f'<link rel="alternate" type="application/rss+xml" href="/feed{HOSTILE}.xml">'
        '<link rel="alternate" type="application/rss+xml" href="/news\x9b2J\u202e.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        "</head><body>hi</body></html>"
    )
    url = serve(httpserver, "/site", page, content_type="text/html")
    found = discover(url)
    assert found == [httpserver.url_for("/news%C2%9B2J%E2%80%AE.xml"), httpserver.url_for("/atom.xml")]


def test_a_page_with_a_flood_of_feed_links_gives_the_first_few_at_once(httpserver: HTTPServer):
    from researcher.sync.discover import MAX_LINKS

    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="/f{i}.xml">' for i in range(100_000))
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="http://[::1">{links}</head></html>'
    url = serve(httpserver, "/flood", page, content_type="text/html")
    started = time.monotonic()
    found = discover(url)
    assert time.monotonic() - started < 3  # was 8 s and 228 MB: every link kept, each checked against a list
    assert found == [httpserver.url_for(f"/f{i}.xml") for i in range(MAX_LINKS)]  # the broken first one skipped


# --------------------------------------------------------------------------- 6. a notebook locked by another writer


def test_a_feed_stored_while_another_writer_holds_the_lock_is_not_backed_off(
    httpserver: HTTPServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import researcher.store.connection as connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    urls = [serve(httpserver, f"/l{i}.xml", rss(items(2, prefix=f"l{i}"))) for i in range(3)]
    ids = follow(db_path, *urls)
    other = sqlite3.connect(db_path, isolation_level=None)
    real = Notebook.save_fetch

    def save_fetch(self, feed_id, *args, **kwargs):
        if feed_id != ids[1]:
            return real(self, feed_id, *args, **kwargs)
        other.execute("BEGIN IMMEDIATE")  # another writer takes the lock, and keeps it past the busy timeout
        try:
            return real(self, feed_id, *args, **kwargs)
        finally:
            other.execute("ROLLBACK")  # ... then lets go: the failure could be recorded now

    monkeypatch.setattr(Notebook, "save_fetch", save_fetch)
    report = sync(db_path)
    other.close()

    assert (report.failed, report.new_items) == (1, 4)
    (error,) = report.errors
    assert error["url"] == urls[1]
    assert error["error"].startswith("could not store: the notebook is busy"), error
    f = feed(db_path, ids[1])
    assert (f.error_count, f.next_attempt_at) == (0, None)

    monkeypatch.setattr(Notebook, "save_fetch", real)
    again = sync(db_path)  # not backing off: fetched and stored at once
    assert (again.feeds, again.skipped_not_due, again.failed, again.new_items) == (3, 0, 0, 2)


def test_a_feed_served_as_text_html_is_still_found(httpserver: HTTPServer):
    url = serve(httpserver, "/misserved.xml", rss(items(2)), content_type="text/html")
    assert discover(url) == [url]
