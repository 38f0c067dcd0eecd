#!/usr/bin/env python3
"""Benchmark `researcher sync` against a local farm of RSS feeds.

Builds N feeds x M items (RSS 2.0, about 23 KB each at 30 items) in a temp dir, serves
them from a separate process on 127.0.0.1 (ThreadingHTTPServer, HTTP/1.1 keep-alive,
ETag + Last-Modified, 304 on matching validators; URLs under /ignore/ ignore the
validators and always answer 200 with the full body; under /delay/MS/ the answer waits
MS milliseconds), then measures, median of
--repeats runs, wall time and peak RSS (os.wait4 ru_maxrss of each measured child) of:

  floor              feedparser.parse over the same bytes, sequential, one process
  researcher cold    `researcher --db X sync --json` on a fresh notebook
  researcher warm    the same notebook again, server honours validators (expect 304s)
  researcher ignored warm sync of a notebook whose URLs ignore validators (expect parsed 0)
  newsboat cold/warm `newsboat -x reload` with reload-threads 8 (if installed)
  reader cold/warm   reader.update_feeds(workers=8) from PyPI `reader` (if importable)
  memory (--memory)  1,000 feeds, one of them 15 MiB: peak RSS of `researcher sync`
                     (and, for reference, of feedparser.parse on the big feed alone)

Everything it makes lives in one temp dir, removed at the end. No request leaves
127.0.0.1. Run from the repository root:

  .venv/bin/python benchmarks/sync_farm.py [--feeds 500] [--items 30] [--repeats 3]
      [--only researcher,newsboat,reader,floor] [--memory] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from machine_info import cpu_model  # this directory: run as a script, or imported with it on sys.path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TOOLS = ("researcher", "newsboat", "reader", "floor")
BASE_TIME = 1767225600  # 2026-01-01T00:00:00Z: every date in the farm is derived from it


# ---------------------------------------------------------------------------
# The farm: deterministic, realistic-looking RSS 2.0
# ---------------------------------------------------------------------------

_WORDS = """
the a of to and in for on with at by from that this is are was were be has have will can new our
we you they it as its their more than about after over into up out not all one two three first
company team product platform engineering hiring release customers market growth data cloud
security open source launch partnership funding round series revenue quarter annual report
remote office berlin paris london warsaw lisbon amsterdam munich lyon krakow dublin madrid
developer designer manager engineer analyst research infrastructure mobile web api pricing
feature update improvement performance reliability latency migration database kubernetes
python rust typescript java golang postgres sqlite analytics machine learning model search
privacy compliance gdpr audit support community conference meetup talk workshop interview
culture values leadership board ceo cto cfo chief officer vice president head director lead
announces introduces expands acquires opens closes joins leaves welcomes celebrates shares
today week month year morning evening during while because although however therefore
""".split()

_SYLLABLES = "ka lo mi ter van sol bri den cor ul ex nex tra vi ra mon ber gal fin zo qui pel sta ro".split()


def _word(rng: random.Random) -> str:
    if rng.random() < 0.12:  # made-up product and place names
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return rng.choice(_WORDS)


def _sentence(rng: random.Random, lo: int = 6, hi: int = 15) -> str:
    words = [_word(rng) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.15:
        words.insert(
            rng.randrange(len(words)), f"{rng.randint(2, 500)}%" if rng.random() < 0.5 else str(rng.randint(1990, 2026))
        )
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....!?")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _description_html(rng: random.Random, site: str) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        sentences = [_sentence(rng) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.35:
            i = rng.randrange(len(sentences))
            sentences[i] = (
                f'{sentences[i]} <a href="https://{site}/blog/{rng.randint(1, 9999)}">{_word(rng)} {_word(rng)}</a>.'
            )
        if rng.random() < 0.3:
            i = rng.randrange(len(sentences))
            tag = rng.choice(("strong", "em", "code"))
            sentences[i] = f"<{tag}>{sentences[i]}</{tag}>"
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    if rng.random() < 0.2:
        paragraphs.append(
            "<ul>" + "".join(f"<li>{_sentence(rng, 3, 7)}</li>" for _ in range(rng.randint(2, 4))) + "</ul>"
        )
    if rng.random() < 0.1:
        paragraphs.append(f'<p><img src="https://{site}/img/{rng.randint(1, 999)}.png" alt="{_word(rng)}"></p>')
    return "\n".join(paragraphs)


def _item_xml(rng: random.Random, site: str, n: int, when: int, cdata: bool) -> str:
    title = _sentence(rng, 4, 11).rstrip(".!?")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    link = f"https://{site}/news/{n}-{slug}"
    body = _description_html(rng, site)
    desc = f"<![CDATA[{body}]]>" if cdata else _xml_escape(body)
    author = (
        f"\n      <author>press@{site} ({_word(rng).title()} {_word(rng).title()})</author>"
        if rng.random() < 0.3
        else ""
    )
    category = "".join(f"\n      <category>{_word(rng)}</category>" for _ in range(rng.randint(0, 2)))
    return (
        "    <item>\n"
        f"      <title>{_xml_escape(title)}</title>\n"
        f"      <link>{link}</link>\n"
        f'      <guid isPermaLink="false">{site}-news-{n}</guid>\n'
        f"      <pubDate>{formatdate(when, usegmt=True)}</pubDate>{author}{category}\n"
        f"      <description>{desc}</description>\n"
        "    </item>\n"
    )


def make_feed(index: int, items: int, seed: int, max_bytes: int = 0) -> bytes:
    """RSS 2.0 for feed `index`: `items` items, or (max_bytes > 0) as many items as fit in max_bytes."""
    rng = random.Random(seed * 1_000_003 + index)
    name = f"{''.join(rng.choice(_SYLLABLES) for _ in range(3)).title()} {rng.choice(('Labs', 'Systems', 'GmbH', 'SAS', 'Cloud', 'Works', 'Group'))}"
    site = re.sub(r"[^a-z]", "", name.lower()) + f"{index}.example"
    cdata = rng.random() < 0.5
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{name} blog</title>\n"
        f"    <link>https://{site}/</link>\n"
        f"    <description>News, releases and job openings from {name}.</description>\n"
        f"    <language>{rng.choice(('en-us', 'en-gb', 'fr-fr', 'de-de', 'pl-pl'))}</language>\n"
        f"    <lastBuildDate>{formatdate(BASE_TIME - index * 60, usegmt=True)}</lastBuildDate>\n"
        "    <generator>sync_farm</generator>\n"
        f'    <atom:link href="https://{site}/feed.xml" rel="self" type="application/rss+xml"/>\n'
    )
    tail = "  </channel>\n</rss>\n"
    parts = [head]
    size = len(head) + len(tail)  # the text is ASCII: characters are bytes
    when = BASE_TIME - index * 60
    n = 0
    while max_bytes or n < items:
        when -= rng.randint(600, 3 * 86400)
        part = _item_xml(rng, site, 100_000 - n, when, cdata)
        if max_bytes and size + len(part) > max_bytes:
            break
        parts.append(part)
        size += len(part)
        n += 1
    parts.append(tail)
    return "".join(parts).encode("utf-8")


def build_farm(root: Path, count: int, items: int, seed: int, big_bytes: int) -> dict:
    feeds = root / "feeds"
    feeds.mkdir(parents=True)
    total = 0
    for i in range(count):
        data = make_feed(i, items, seed)
        (feeds / f"{i}.xml").write_bytes(data)
        total += len(data)
    info = {"feeds": count, "items": items, "bytes": total}
    if big_bytes:
        data = make_feed(999_999, 0, seed, max_bytes=big_bytes)
        (feeds / "big.xml").write_bytes(data)
        info["big_bytes"] = len(data)
        info["big_items"] = data.count(b"<item>")
    return info


# ---------------------------------------------------------------------------
# The server (runs in its own process: `sync_farm.py --serve DIR`)
# ---------------------------------------------------------------------------


def serve(directory: str, max_lifetime: float, parent: int, hosts: int = 1) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files: dict[str, tuple[bytes, str, str, int]] = {}
    for path in sorted(Path(directory).glob("*.xml")):
        data = path.read_bytes()
        stamp = BASE_TIME - int(hashlib.sha1(path.name.encode()).hexdigest()[:6], 16) % 100_000  # deterministic
        files["/feeds/" + path.name] = (
            data,
            '"' + hashlib.sha1(data).hexdigest()[:20] + '"',
            formatdate(stamp, usegmt=True),
            stamp,
        )
    stats = {"200": 0, "304": 0, "404": 0, "bytes": 0}
    lock = threading.Lock()

    def count(key: str, sent: int = 0) -> None:
        with lock:
            stats[key] += 1
            stats["bytes"] += sent

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sync_farm/1"
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
            # Status line, headers and body in ONE write, with TCP_NODELAY: headers and body written apart
            # meet Nagle + delayed ACK and every 200 then costs the client 40 ms, whatever the client.
            lines = [
                f"HTTP/1.1 {status} {self.responses[status][0]}",
                f"Server: {self.server_version}",
                f"Date: {self.date_time_string()}",
                *(f"{k}: {v}" for k, v in headers.items()),
            ]
            send_body = status != 304 and not head
            if status != 304:
                lines.append(f"Content-Length: {len(body)}")
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body if send_body else b""))
            count(str(status), len(body) if send_body else 0)

        def _not_modified(self, etag: str, stamp: int) -> bool:
            inm = self.headers.get("If-None-Match")
            if inm is not None:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2)
                tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
                return "*" in tags or etag in tags
            ims = self.headers.get("If-Modified-Since")
            if ims:
                try:
                    return stamp <= parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError, IndexError, OverflowError):
                    return False
            return False

        def _handle(self, head: bool) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/_stats":
                with lock:
                    body = json.dumps(stats).encode()
                    if "reset" in self.path:
                        for key in stats:
                            stats[key] = 0
                self._send(200, body, {"Content-Type": "application/json"}, head)
                with lock:  # the stats request itself is not counted
                    stats["200"] -= 1
                    stats["bytes"] -= len(body)
                return
            delay = re.fullmatch(r"/delay/(\d+)(/.+)", path)
            if delay:  # a slow server: it answers after this many milliseconds
                time.sleep(int(delay[1]) / 1000)
                path = delay[2]
            ignore = path.startswith("/ignore/")
            if ignore:
                path = path[len("/ignore") :]
            entry = files.get(path)
            if entry is None:
                self._send(404, b"not found\n", {"Content-Type": "text/plain"}, head)
                return
            data, etag, modified, stamp = entry
            headers = {"ETag": etag, "Last-Modified": modified, "Cache-Control": "max-age=0"}
            if not ignore and self._not_modified(etag, stamp):
                self._send(304, b"", headers, head)
                return
            headers["Content-Type"] = "application/rss+xml; charset=utf-8"
            self._send(200, data, headers, head)

        def do_GET(self) -> None:
            self._handle(False)

        def do_HEAD(self) -> None:
            self._handle(True)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256  # the default 5 drops SYNs under 8+ parallel clients: 1 s retransmits

        def handle_error(self, request, client_address) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up is no news
                super().handle_error(request, client_address)

    servers = [Server(("127.0.0.1", 0), Handler)]
    port = servers[0].server_address[1]
    for k in range(2, hosts + 1):  # --hosts: more loopback addresses, same port when free
        try:
            servers.append(Server((f"127.0.0.{k}", port), Handler))
        except OSError:
            servers.append(Server((f"127.0.0.{k}", 0), Handler))

    def watchdog() -> None:
        deadline = time.monotonic() + max_lifetime
        while time.monotonic() < deadline and os.getppid() == parent:
            time.sleep(1)
        os._exit(0)  # lifetime over or parent gone: stop by ourselves

    threading.Thread(target=watchdog, daemon=True).start()
    for extra in servers[1:]:
        threading.Thread(target=extra.serve_forever, daemon=True).start()
    print(json.dumps([list(srv.server_address[:2]) for srv in servers]), flush=True)
    servers[0].serve_forever()


class FarmServer:
    def __init__(self, directory: Path, max_lifetime: float, hosts: int = 1):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--serve",
                str(directory),
                "--hosts",
                str(hosts),
                "--max-lifetime",
                str(max_lifetime),
                "--parent",
                str(os.getpid()),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        try:
            self.bases = [f"http://{host}:{port}" for host, port in json.loads(line)]
        except ValueError:
            self.stop()
            raise RuntimeError(f"farm server did not start (got {line!r})") from None
        self.base = self.bases[0]

    def url(self, i: int | str, ignore: bool = False, delay_ms: int = 0) -> str:
        """Feed i's URL; with --hosts K, feed i lives on 127.0.0.(1 + i % K) (the big feed on the first).
        With delay_ms, the server waits that long before it answers."""
        base = self.bases[i % len(self.bases)] if isinstance(i, int) else self.base
        return f"{base}{f'/delay/{delay_ms}' if delay_ms else ''}{'/ignore' if ignore else ''}/feeds/{i}.xml"

    def stats(self, reset: bool = False) -> dict:
        req = urllib.request.Request(self.base + "/_stats" + ("?reset=1" if reset else ""))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# ---------------------------------------------------------------------------
# Measuring a child process
# ---------------------------------------------------------------------------


class Run:
    def __init__(self, rc: int, wall: float, rss_mb: float, out: str, err: str, timed_out: bool, tree_mb: float = 0.0):
        self.rc, self.wall, self.rss_mb, self.out, self.err, self.timed_out = rc, wall, rss_mb, out, err, timed_out
        self.tree_mb = tree_mb  # peak of the summed PSS of all the command's processes (sampled)

    def json(self) -> dict | None:
        """The last JSON object printed on stdout, if any."""
        text = self.out.strip()
        for start in [m.start() for m in re.finditer(r"^\{", text, re.M)] + [0]:
            try:
                return json.loads(text[start:])
            except ValueError:
                continue
        return None


GNU_TIME = "/usr/bin/time"

# Fallback when GNU time is missing: a tiny launcher (python -I -S, ~8 MB) forks the command and reports
# its ru_maxrss. The launcher is needed because a child's ru_maxrss starts from the RSS of whoever forked
# it (with vfork, which subprocess uses, from the forker's *peak*): measured straight from this process
# it would read this process's own peak (the farm is built here) instead of the command's.
LAUNCHER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(ru.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def rss_method() -> str:
    if os.access(GNU_TIME, os.X_OK):
        return "GNU time (%M, the command's ru_maxrss)"
    return "python launcher + os.wait4 ru_maxrss (reads at least the launcher's ~8 MB)"


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def session_pss_kib(sid: int, exclude: int) -> int:
    """Summed PSS (RSS where smaps_rollup is missing) of the processes of session `sid`, KiB."""
    total = 0
    try:
        pids = [int(d) for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        if pid == exclude:
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            if int(stat[stat.rindex(b")") + 2 :].split()[3]) != sid:
                continue
            try:
                with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                    for line in f:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    total += int(f.read().split()[1]) * _PAGE_KIB
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(cmd: list[str], work: Path, timeout: float, env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run cmd as a child: its wall time, its peak RSS (ru_maxrss: the largest single process of the
    command, exact) and the peak of the summed PSS of all its processes (sampled every 0.1 s: counts
    worker processes, which ru_maxrss does not add up)."""
    out_path, err_path, rss_path = work / "child.out", work / "child.err", work / "child.rss"
    rss_path.unlink(missing_ok=True)
    if os.access(GNU_TIME, os.X_OK):
        full = [GNU_TIME, "-o", str(rss_path), "-f", "%M", *cmd]
    else:
        full = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(rss_path), *cmd]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        done = threading.Event()
        tree_peak = [0]

        def sample() -> None:  # in a thread: the blocking wait below keeps the wall time exact
            while not done.wait(0.1):
                tree_peak[0] = max(tree_peak[0], session_pss_kib(proc.pid, exclude=proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.isdir("/proc/self"):
            sampler.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
            done.set()
        wall = time.perf_counter() - start
        if sampler.is_alive():
            sampler.join()
    kib = 0
    try:
        numbers = re.findall(r"^(\d+)\s*$", rss_path.read_text(), re.M)
        kib = int(numbers[-1]) if numbers else 0
    except OSError:
        pass
    return Run(
        proc.returncode,
        wall,
        kib / 1024,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        timed_out.is_set(),
        max(tree_peak[0], kib) / 1024,
    )


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        s = Path(str(src) + suffix)
        d = Path(str(dst) + suffix)
        if d.exists():
            d.unlink()
        if s.exists():
            shutil.copyfile(s, d)


def tail(text: str, lines: int = 6) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------

FLOOR_CODE = r"""
import json, sys, time
from pathlib import Path

from machine_info import cpu_model  # this directory: run as a script, or imported with it on sys.path
import feedparser
paths = [Path(p) for p in sys.argv[1:]]
blobs = [p.read_bytes() for p in paths]
t = time.perf_counter()
items = 0
for b in blobs:
    items += len(feedparser.parse(b).entries)
dt = time.perf_counter() - t
print(json.dumps({"parse_s": dt, "feeds": len(blobs), "items": items, "ms_per_feed": 1000 * dt / max(1, len(blobs))}))
"""

NOTEBOOK_CODE = r"""
import json, sys
from researcher.store import Notebook
path, urls = sys.argv[1], json.loads(sys.stdin.read())
nb = Notebook(path)
with nb.atomic():
    for i, url in enumerate(urls):
        c = nb.add_company(f"Company {i}")
        nb.add_feed(c.id, url)
nb.close()
"""

READER_SETUP_CODE = r"""
import json, sys
from reader import make_reader
r = make_reader(sys.argv[1])
for url in json.loads(sys.stdin.read()):
    r.add_feed(url)
r.close()
"""

READER_UPDATE_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
from reader import make_reader
r = make_reader(sys.argv[1])
t = time.perf_counter()
c = {"fetched": 0, "not_modified": 0, "new_items": 0, "updated_items": 0, "errors": 0}
for res in r.update_feeds_iter(workers=int(sys.argv[2]), scheduled=False):  # default skips feeds not due
    v = res.value
    if v is None:
        c["not_modified"] += 1
    elif isinstance(v, Exception):
        c["errors"] += 1
        c.setdefault("first_error", repr(v)[:300])
    else:
        c["fetched"] += 1
        c["new_items"] += v.new
        c["updated_items"] += v.modified
c["update_s"] = time.perf_counter() - t
c["import_s"] = t - t0
c["entries"] = r.get_entry_counts().total
r.close()
print(json.dumps(c))
"""


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path):
        self.args = args
        self.tmp = tmp
        self.work = tmp / "work"
        self.work.mkdir()
        self.home = tmp / "home"
        self.home.mkdir()
        self.py = sys.executable
        self.researcher = self._researcher_bin()
        self.results: dict[str, dict] = {}
        self.skipped: dict[str, str] = {}
        self.server: FarmServer | None = None
        env = dict(os.environ)
        for key in list(env):
            if key.lower() in ("http_proxy", "https_proxy", "all_proxy"):
                del env[key]
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local/share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            LANG=env.get("LANG") or "C.UTF-8",
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.env = env

    # -- helpers --------------------------------------------------------------

    def _researcher_bin(self) -> str | None:
        candidate = Path(sys.executable).parent / "researcher"
        if candidate.exists():
            return str(candidate)
        return shutil.which("researcher")

    def run(self, cmd: list[str], env: dict | None = None, cwd: Path | None = None, stdin: str | None = None) -> Run:
        if stdin is not None:  # setup helpers only (not measured precisely)
            t = time.perf_counter()
            try:
                p = subprocess.run(
                    cmd,
                    input=stdin,
                    capture_output=True,
                    text=True,
                    env=env or self.env,
                    cwd=cwd,
                    timeout=self.args.timeout,
                )
            except subprocess.TimeoutExpired:
                return Run(-9, time.perf_counter() - t, 0.0, "", f"timed out after {self.args.timeout:.0f} s", True)
            return Run(p.returncode, time.perf_counter() - t, 0.0, p.stdout, p.stderr, False)
        return measure(cmd, self.work, self.args.timeout, env or self.env, cwd)

    def record(
        self, name: str, runs: list[Run], counters: dict | None = None, note: str = "", http: dict | None = None
    ) -> dict:
        walls = [r.wall for r in runs]
        entry = {
            "wall_s": statistics.median(walls),
            "walls_s": walls,
            "peak_rss_mb": max(r.rss_mb for r in runs),
            "tree_pss_mb": max(r.tree_mb for r in runs),
            "counters": counters or {},
            "http": http or {},
            "note": note,
        }
        self.results[name] = entry
        extra = f"  http {http['200']}x200 {http['304']}x304" if http else ""
        print(
            f"  {name:<28} {entry['wall_s']:8.3f} s  {entry['peak_rss_mb']:7.1f} MB  all processes "
            f"{entry['tree_pss_mb']:7.1f} MB{extra}",
            flush=True,
        )
        return entry

    def check(self, run: Run, what: str) -> bool:
        if run.timed_out:
            print(f"  {what}: timed out after {self.args.timeout:.0f} s")
            return False
        if run.rc != 0:
            print(f"  {what}: exit code {run.rc}\n{tail(run.err or run.out)}")
            return False
        return True

    def urls(self, count: int, ignore: bool = False, big: bool = False) -> list[str]:
        urls = [self.server.url(i, ignore) for i in range(count)]
        if big:
            urls[-1] = self.server.url("big", ignore)
        return urls

    # -- scenarios ---------------------------------------------------------------

    def floor(self) -> None:
        print("floor: feedparser.parse over the farm bytes, sequential, one process")
        paths = [str(self.tmp / "farm/feeds" / f"{i}.xml") for i in range(self.args.feeds)]
        runs, parsed = [], []
        for _ in range(self.args.repeats):
            run = self.run([self.py, "-c", FLOOR_CODE, *paths])
            if not self.check(run, "floor"):
                return
            runs.append(run)
            parsed.append(run.json())
        parse_s = statistics.median(p["parse_s"] for p in parsed)
        counters = {
            "feeds": parsed[0]["feeds"],
            "items": parsed[0]["items"],
            "parse_s": parse_s,
            "ms_per_feed": 1000 * parse_s / max(1, parsed[0]["feeds"]),
        }
        entry = self.record("floor (parse loop only)", runs, counters)
        entry["wall_s"] = parse_s  # the floor is the parse loop, not the interpreter start
        entry["process_wall_s"] = statistics.median(r.wall for r in runs)
        print(
            f"    parse loop {parse_s:.3f} s = {counters['ms_per_feed']:.2f} ms/feed, process {entry['process_wall_s']:.3f} s"
        )

    def _sync_cmd(self, db: Path, all_flag: bool) -> list[str]:
        return [self.researcher, "--db", str(db), "sync", *(["--all"] if all_flag else []), "--json"]

    def _researcher_available(self) -> tuple[bool, bool]:
        if not self.researcher:
            print("researcher sync: not available yet (no researcher executable)")
            return False, False
        help_run = self.run([self.researcher, "sync", "--help"])
        if help_run.rc != 0:
            reason = "No such command" if "No such command" in help_run.err else f"exit code {help_run.rc}"
            print(f"researcher sync: not available yet ({reason})")
            self.skipped["researcher"] = f"sync command not available ({reason})"
            return False, False
        return True, "--all" in help_run.out

    def _make_notebook(self, path: Path, urls: list[str]) -> bool:
        run = self.run([self.py, "-c", NOTEBOOK_CODE, str(path)], stdin=json.dumps(urls), cwd=REPO)
        if run.rc != 0:
            print(f"  could not create the notebook:\n{tail(run.err)}")
            return False
        return True

    def _sync(self, db: Path, all_flag: bool, label: str) -> tuple[Run | None, dict | None]:
        self.server.stats(reset=True)
        run = self.run(self._sync_cmd(db, all_flag))
        http = self.server.stats()
        if not self.check(run, label):
            return None, None
        data = run.json()
        if data is None:
            print(f"  {label}: no JSON on stdout:\n{tail(run.out)}")
            return None, None
        counters = data.get("totals") or data.get("summary") or data
        counters = {k: v for k, v in counters.items() if not isinstance(v, (list, dict))}
        counters["errors"] = len(data["errors"]) if isinstance(data.get("errors"), list) else data.get("errors", 0)
        if counters["errors"] and isinstance(data.get("errors"), list):
            print(f"  {label}: {counters['errors']} errors, first: {str(data['errors'][0])[:200]}")
        return run, {"counters": counters, "http": http}

    def _cache_bytecode(self) -> None:
        """Compile researcher's modules once, as pip does for an installed package and as any first run
        does: an editable install under PYTHONDONTWRITEBYTECODE would otherwise recompile every module on
        every measured run (reader, installed from PyPI, has its bytecode compiled at install)."""
        code = "import compileall, pathlib, researcher; compileall.compile_dir(pathlib.Path(researcher.__file__).parent, quiet=1)"
        subprocess.run(
            [self.py, "-c", code],
            cwd=REPO,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
            capture_output=True,
            timeout=120,
        )

    def researcher_scenarios(self) -> None:
        ok, has_all = self._researcher_available()
        if not ok:
            return
        self._cache_bytecode()
        n, reps = self.args.feeds, self.args.repeats
        print(f"researcher sync ({'--all' if has_all else 'no --all flag'}): {n} feeds")
        template = self.work / "nb_template.db"
        template_ign = self.work / "nb_template_ignore.db"
        if not (
            self._make_notebook(template, self.urls(n)) and self._make_notebook(template_ign, self.urls(n, ignore=True))
        ):
            return

        def series(label: str, db_for_run, warm: bool) -> None:
            runs, last = [], None
            for i in range(reps):
                db = db_for_run(i)
                run, info = self._sync(db, has_all and warm, label)
                if run is None:
                    return
                runs.append(run)
                last = info
            self.record(label, runs, last["counters"], http=last["http"])

        def fresh(name: str, tmpl: Path):
            def make(i: int) -> Path:
                db = self.work / name
                copy_db(tmpl, db)
                return db

            return make

        startup = [self.run([self.researcher, "sync", "--help"]) for _ in range(reps)]
        if all(r.rc == 0 for r in startup):
            self.record("researcher startup (sync --help)", startup, note="interpreter + imports, no work")
        series("researcher cold", fresh("nb_cold.db", template), warm=False)
        if "researcher cold" not in self.results:
            return
        series("researcher warm (304)", lambda i: self.work / "nb_cold.db", warm=True)
        ign = self.work / "nb_ignore.db"
        copy_db(template_ign, ign)
        run, _ = self._sync(ign, False, "researcher cold (ignore mode)")
        if run is None:
            return
        series("researcher warm (ignored)", lambda i: ign, warm=True)

    def memory_scenario(self) -> None:
        ok, _ = self._researcher_available() if "researcher" not in self.skipped else (False, False)
        if not ok:
            return
        count = self.args.memory_feeds
        print(
            f"memory: researcher sync cold, {count} feeds, one of them {self.farm_info['big_bytes'] / 2**20:.1f} MiB "
            f"({self.farm_info['big_items']} items)"
        )
        db = self.work / "nb_memory.db"
        if not self._make_notebook(db, self.urls(count, big=True)):
            return
        run, info = self._sync(db, False, "researcher memory")
        if run is None:
            return
        self.record("researcher memory (cold)", [run], info["counters"], http=info["http"])
        # reference: what feedparser alone takes for the big feed
        code = "import sys, feedparser; d = feedparser.parse(open(sys.argv[1], 'rb').read()); print(len(d.entries))"
        ref = self.run([self.py, "-c", code, str(self.tmp / "farm/feeds/big.xml")])
        if self.check(ref, "feedparser big feed"):
            self.record("feedparser big feed alone", [ref], {"items": int(ref.out.strip() or 0)})

    def newsboat(self) -> None:
        exe = shutil.which("newsboat")
        if not exe:
            print("newsboat: not installed (apt-get install newsboat), skipped")
            self.skipped["newsboat"] = "not installed"
            return
        n, reps = self.args.feeds, self.args.repeats
        print(f"newsboat: {n} feeds, reload-threads {self.args.workers}")
        d = self.work / "newsboat"
        d.mkdir(exist_ok=True)
        urls, config, cache = d / "urls", d / "config", d / "cache.db"
        urls.write_text("\n".join(self.urls(n)) + "\n")
        config.write_text(f"reload-threads {self.args.workers}\nshow-read-feeds yes\ndownload-timeout 120\n")
        cmd = [exe, "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", str(config)]

        def once(fresh: bool, label: str) -> tuple[Run | None, dict]:
            if fresh:
                for p in d.glob("cache.db*"):
                    p.unlink()
            self.server.stats(reset=True)
            run = self.run(cmd, cwd=d)
            http = self.server.stats()
            if not self.check(run, label):
                return None, http
            if run.err.strip() or run.out.strip():
                self.notes.setdefault("newsboat output", (run.out + run.err).strip()[:500])
            return run, http

        def counts() -> dict:
            try:
                with sqlite3.connect(cache) as con:
                    return {
                        "feeds": con.execute("SELECT count(*) FROM rss_feed").fetchone()[0],
                        "items": con.execute("SELECT count(*) FROM rss_item").fetchone()[0],
                    }
            except sqlite3.Error as exc:
                return {"cache_error": str(exc)}

        for label, fresh in (("newsboat cold", True), ("newsboat warm", False)):
            if not fresh:
                # Quirk: on the cold reload newsboat tries to store ETag/Last-Modified before the feed's row
                # exists, so nothing is kept and the 2nd reload sends no validators (all 200s). Only from the
                # 3rd reload on does it send If-None-Match / If-Modified-Since. Record the 2nd reload apart.
                run, http = once(False, "newsboat 2nd reload")
                if run is None:
                    return
                self.record(
                    "newsboat 2nd reload",
                    [run],
                    counts(),
                    http=http,
                    note="newsboat keeps no validators from its first reload: the 2nd one gets 200s",
                )
            runs, http = [], {}
            for _ in range(reps):
                run, http = once(fresh, label)
                if run is None:
                    return
                runs.append(run)
            self.record(label, runs, counts(), http=http)

    def reader(self) -> None:
        probe = self.run([self.py, "-c", "import reader, sys; print(reader.__version__)"])
        if probe.rc != 0:
            print("reader: not importable (pip install reader sgmllib3k), skipped")
            self.skipped["reader"] = "not importable"
            return
        self.versions["reader"] = probe.out.strip()
        n, reps = self.args.feeds, self.args.repeats
        print(f"reader {probe.out.strip()}: {n} feeds, update_feeds(workers={self.args.workers})")
        template, db = self.work / "reader_template.db", self.work / "reader.db"
        setup = self.run([self.py, "-c", READER_SETUP_CODE, str(template)], stdin=json.dumps(self.urls(n)))
        if setup.rc != 0:
            print(f"  reader setup failed:\n{tail(setup.err)}")
            return
        cmd = [self.py, "-c", READER_UPDATE_CODE, str(db), str(self.args.workers)]
        for label, fresh in (("reader cold", True), ("reader warm", False)):
            runs, last, http = [], {}, {}
            for _ in range(reps):
                if fresh:
                    copy_db(template, db)
                self.server.stats(reset=True)
                run = self.run(cmd)
                http = self.server.stats()
                if not self.check(run, label):
                    return
                runs.append(run)
                last = run.json() or {}
            if last.get("errors"):
                print(f"  {label}: {last['errors']} errors, first: {last.get('first_error')}")
            entry = self.record(label, runs, last, http=http)
            entry["note"] = f"update_feeds alone {last.get('update_s', 0):.3f} s (last run)"

    # -- main ------------------------------------------------------------------------

    def machine(self) -> dict:
        model = cpu_model(default="unknown")
        affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        info = {
            "nproc": affinity,
            "cpu_count": os.cpu_count(),
            "cpu": model,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_start": os.getloadavg()[0],
        }
        try:
            info["mem_total"] = next(
                line.split(":", 1)[1].strip()
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        except (OSError, StopIteration):
            pass
        return info

    def main(self) -> dict:
        a = self.args
        self.notes: dict[str, str] = {}
        self.versions: dict[str, str] = {}
        m = self.machine()
        print(
            f"machine: {m['nproc']} cores ({m['cpu']}), {m.get('mem_total', '?')} RAM, Python {m['python']}, {m['platform']}"
        )
        print(
            f"load average (1 min): {m['loadavg_start']:.2f}"
            + ("  WARNING: the machine is busy, timings will be noisy" if m["loadavg_start"] > 0.5 * m["nproc"] else "")
        )
        for name, cmd in (
            ("feedparser", [self.py, "-c", "import feedparser; print(feedparser.__version__)"]),
            ("httpx", [self.py, "-c", "import httpx; print(httpx.__version__)"]),
            ("newsboat", ["newsboat", "--version"]),
        ):
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=self.env)
                if p.returncode == 0:
                    self.versions[name] = p.stdout.strip().splitlines()[0]
            except (OSError, subprocess.TimeoutExpired):
                pass
        try:
            rev = subprocess.run(
                ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=30
            )
            if rev.returncode == 0:
                self.versions["researcher (git)"] = rev.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            pass
        print(f"peak RSS: {rss_method()}")
        print("versions: " + ", ".join(f"{k} {v}" for k, v in self.versions.items()))

        memory = a.memory and "researcher" in a.only
        count = max(a.feeds, a.memory_feeds if memory else 0)
        t = time.perf_counter()
        self.farm_info = build_farm(
            self.tmp / "farm", count, a.items, a.seed, big_bytes=int(a.big_mib * 2**20) if memory else 0
        )
        avg = self.farm_info["bytes"] / count / 1024
        print(
            f"farm: {count} feeds x {a.items} items, {avg:.1f} KiB/feed on average, "
            f"{self.farm_info['bytes'] / 2**20:.1f} MiB in all, built in {time.perf_counter() - t:.1f} s"
        )
        self.server = FarmServer(self.tmp / "farm/feeds", a.max_lifetime, a.hosts)
        more = f" (+{a.hosts - 1} more loopback hosts, feed i on 127.0.0.(1 + i % {a.hosts}))" if a.hosts > 1 else ""
        print(
            f"server: {self.server.base} (validators honoured), {self.server.base}/ignore/ (validators ignored){more}\n"
        )
        try:
            if "floor" in a.only:
                self.floor()
            if "researcher" in a.only:
                self.researcher_scenarios()
            if "newsboat" in a.only:
                self.newsboat()
            if "reader" in a.only:
                self.reader()
            if memory:
                self.memory_scenario()
        finally:
            self.server.stop()
        m["rss_method"] = rss_method()
        m["loadavg_end"] = os.getloadavg()[0]
        return {
            "machine": m,
            "versions": self.versions,
            "params": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(a).items() if k != "json"},
            "farm": self.farm_info,
            "scenarios": self.results,
            "skipped": self.skipped,
            "notes": self.notes,
        }


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _counter_text(c: dict) -> str:
    keys = (
        "feeds",
        "fetched",
        "not_modified",
        "unchanged",
        "parsed",
        "failed",
        "new_items",
        "updated_items",
        "errors",
        "items",
        "entries",
        "ms_per_feed",
    )
    parts = []
    for k in keys:
        if k in c:
            v = c[k]
            parts.append(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}")
    return " ".join(parts)


def report(data: dict) -> None:
    s = data["scenarios"]
    print("\n" + "=" * 100)
    m = data["machine"]
    print(
        f"machine: nproc {m['nproc']}, {m['cpu']}, Python {m['python']}; load average {m['loadavg_start']:.2f} "
        f"at start, {m['loadavg_end']:.2f} at end"
        + ("  (busy machine: noisy timings)" if max(m["loadavg_start"], m["loadavg_end"]) > 0.5 * m["nproc"] else "")
    )
    print(
        f"farm: {data['params']['feeds']} feeds x {data['params']['items']} items, repeats {data['params']['repeats']}, "
        f"hosts {data['params']['hosts']}"
    )
    print(f"\n{'scenario':<30}{'median s':>10}{'peak MB':>9}{'all MB':>8}  http 200/304  counters")
    print("-" * 100)
    for name, e in s.items():
        http = e.get("http") or {}
        h = f"{http.get('200', '')}/{http.get('304', '')}" if http else ""
        print(
            f"{name:<30}{e['wall_s']:>10.3f}{e['peak_rss_mb']:>9.1f}{e['tree_pss_mb']:>8.1f}  {h:>12}  "
            f"{_counter_text(e['counters'])}"
        )
    for name, why in data["skipped"].items():
        print(f"{name:<30}{'skipped':>10}  {why}")

    def ratio(a: str, b: str) -> float | None:
        if a in s and b in s and s[b]["wall_s"] > 0:
            return s[a]["wall_s"] / s[b]["wall_s"]
        return None

    rows = []
    cold = s.get("researcher cold")
    warm = s.get("researcher warm (304)")
    ign = s.get("researcher warm (ignored)")
    mem = s.get("researcher memory (cold)")
    r = ratio("researcher cold", "newsboat cold")
    rows.append(("cold / newsboat cold", r, "<= 0.60", None if r is None else r <= 0.6))
    r = ratio("researcher cold", "reader cold")
    rows.append(("cold / reader cold", r, "<= 0.30", None if r is None else r <= 0.3))
    r = ratio("researcher warm (304)", "researcher cold")
    parsed = warm["counters"].get("parsed") if warm else None
    rows.append(
        (
            f"warm(304) / cold  [parsed={parsed}]",
            r,
            "<= 0.05, 0 parsed",
            None if r is None else (r <= 0.05 and parsed == 0),
        )
    )
    r = ratio("researcher warm (ignored)", "researcher cold")
    parsed = ign["counters"].get("parsed") if ign else None
    rows.append((f"warm-ignored / cold  [parsed={parsed}]", r, "0 parsed", None if ign is None else parsed == 0))
    peak = max((e["peak_rss_mb"] for e in (cold, warm, ign, mem) if e), default=None)
    rows.append(
        (
            "researcher peak RSS, largest process (MB)" + (" incl. 15 MiB" if mem else ""),
            peak,
            "<= 150",
            None if peak is None else peak <= 150,
        )
    )
    tree = max((e["tree_pss_mb"] for e in (cold, warm, ign, mem) if e), default=None)
    rows.append(
        (
            "researcher peak, all processes PSS (MB)" + (" incl. 15 MiB" if mem else ""),
            tree,
            "<= 150",
            None if tree is None else tree <= 150,
        )
    )
    if cold and "floor (parse loop only)" in s:
        rows.append(("cold / parse floor", ratio("researcher cold", "floor (parse loop only)"), "(info)", None))
    print(f"\n{'ratio':<45}{'value':>10}  {'target':<20}verdict")
    print("-" * 100)
    data["ratios"] = {}
    for name, value, target, ok in rows:
        v = "n/a" if value is None else f"{value:.3f}"
        verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:<45}{v:>10}  {target:<20}{verdict}")
        data["ratios"][name] = {"value": value, "target": target, "pass": ok}
    for k, v in data.get("notes", {}).items():
        print(f"\nnote ({k}): {v}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feeds", type=int, default=500)
    p.add_argument("--items", type=int, default=30)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", default=",".join(TOOLS), help="comma list of: " + ",".join(TOOLS))
    p.add_argument("--memory", action="store_true", help="also the memory scenario (1,000 feeds, one 15 MiB)")
    p.add_argument("--memory-feeds", type=int, default=1000, help="feeds in the memory scenario")
    p.add_argument("--big-mib", type=float, default=15, help="size of its big feed, at most (MiB)")
    p.add_argument("--workers", type=int, default=8, help="parallelism given to newsboat and reader")
    p.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="spread the feeds over this many loopback addresses 127.0.0.1..N (default 1: all on "
        "127.0.0.1, where a per-host connection limit throttles a client)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed to each child process")
    p.add_argument("--max-lifetime", type=float, default=1800, help="the farm server stops itself after this")
    p.add_argument("--keep-tmp", action="store_true", help="leave the temp dir for inspection")
    p.add_argument("--json", metavar="OUT", help="write the numbers to this file")
    p.add_argument("--serve", help=argparse.SUPPRESS)
    p.add_argument("--parent", type=int, default=0, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.serve:
        serve(a.serve, a.max_lifetime, a.parent or os.getppid(), a.hosts)
        return 0
    a.only = {t.strip() for t in a.only.split(",") if t.strip()}
    unknown = a.only - set(TOOLS)
    if unknown:
        p.error(f"--only: unknown {', '.join(sorted(unknown))} (choose from {', '.join(TOOLS)})")
    if a.feeds < 1 or a.items < 0 or a.repeats < 1:
        p.error("--feeds and --repeats must be >= 1, --items >= 0")
    if not 1 <= a.hosts <= 254:
        p.error("--hosts must be within 1..254")
    tmp = Path(tempfile.mkdtemp(prefix="sync_farm-"))
    try:
        bench = Bench(a, tmp)
        data = bench.main()
        report(data)
        if a.json:
            Path(a.json).write_text(json.dumps(data, indent=2) + "\n")
            print(f"\nwrote {a.json}")
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130
    finally:
        if a.keep_tmp:
            print(f"temp dir kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
