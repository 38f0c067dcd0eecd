#!/usr/bin/env python3
"""Kill `researcher` with SIGKILL at random moments and check that the notebook stays sound.

Each trial runs one of three operations as a real process (`researcher --db PATH ...`, the console
script beside this interpreter, in a session of its own), sends SIGKILL to that one PID after a
random delay (as `kill -9 PID` would: not to its group), then checks:

  integrity   PRAGMA integrity_check, PRAGMA foreign_key_check, FTS5 'integrity-check' of every
              search index: on a copy of the files as the kill left them (news_items_fts with
              rank 0: items queued in news_fts_pending are not indexed yet), then on the notebook
              itself after a normal reopen (Notebook(path).index_news()), then after the rerun
  stragglers  no process of the trial (its sessions, or marked by an environment variable) is
              alive 5 s after the kill; any left are counted, then killed
  no loss     the operation run again, unkilled, to completion; then the notebook holds exactly
              the expected data: every item of every farm feed, once (sync); every feed and folder
              of the OPML file, once (import opml); every note whole, a killed one whole or absent

The operations: `sync` of a notebook following feeds of a local farm (sync_farm.py's server, some
feeds answering late); `import opml` of a file of 300 feeds in 50 folders; `note add --company C -`
of ~90 KB bodies, several in a row (the kill lands on whichever runs at that moment).

  .venv/bin/python benchmarks/faults.py [--trials 100] [--seed 1] [--db-dir DIR] [--json]

Exit status 1 when any check failed (stragglers included).
"""

from __future__ import annotations

import argparse
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
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from machine_info import cpu_model  # this directory: run as a script, or imported with it on sys.path
from sync_farm import FarmServer, _sentence, build_farm, copy_db

from researcher.store import Notebook
from researcher.store.schema import FTS_TABLES
from researcher.text import clean_text

OPERATIONS = ("sync", "opml", "note")
CHECKS = ("integrity", "fk", "fts", "stragglers", "lost", "duplicates", "torn", "errors")
MARK = "RESEARCHER_FAULTS_MARK"  # set in every child's environment: its descendants inherit it
GRACE = 5.0  # seconds a killed command's processes get to go away
TIMEOUT = 180.0  # an unkilled run taking longer is hung


@dataclass
class Sizes:
    """How big each operation is."""

    feeds: int = 60  # > sync's POOL_THRESHOLD (8): the parse pool starts
    items: int = 30
    slow_share: float = 0.25  # this share of the feeds (picked at random) answers late
    slow_ms: tuple[int, int] = (100, 1000)
    hosts: int = 4  # feeds spread over 127.0.0.1..4: more downloads at once
    opml_feeds: int = 300
    opml_folders: int = 50
    notes: int = 4  # note add runs in one trial
    note_kib: int = 90  # under the store's 100,000-character limit on a note (validate.MAX_BODY)


@dataclass
class Trial:
    index: int
    op: str
    delay: float  # when the kill was due, seconds after the operation began
    landed: bool = False  # a process was alive and died of the SIGKILL
    killed_at: float | None = None
    written: float = 0.0  # share of the operation's data in the notebook as the kill left it
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    left: dict[str, int] = field(default_factory=dict)  # stragglers by kind
    details: list[str] = field(default_factory=list)

    def fail(self, check: str, count: int, detail: str) -> None:
        if count:
            self.counts[check] += count
            self.details.append(f"{check}: {detail}")


# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------


def researcher_exe() -> str:
    exe = Path(sys.executable).with_name("researcher")
    if not exe.exists():
        raise SystemExit(f"no researcher console script beside {sys.executable}: pip install -e . first")
    return str(exe)


def _proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent, session id) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        fields = stat[stat.rindex(b")") + 2 :].split()
        return fields[0].decode(), int(fields[1]), int(fields[3])
    except (OSError, ValueError, IndexError):
        return None


def _marked(pid: int, mark: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return mark in f.read().split(b"\0")
    except OSError:
        return False


def survivors(sessions: set[int], mark: str) -> list[int]:
    """Live processes (zombies aside) in one of `sessions` or carrying the trial's mark."""
    found = []
    token = f"{MARK}={mark}".encode()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        pid = int(name)
        stat = _proc_stat(pid)
        if stat is None or stat[0] == "Z":
            continue
        if stat[2] in sessions or _marked(pid, token):
            found.append(pid)
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:120]
    except OSError:
        return "?"


def kinds(pids: list[int]) -> dict[str, int]:
    """What the processes are: multiprocessing's helpers by name, anything else by its command line."""
    found: dict[str, int] = {}
    servers = {pid for pid in pids if "forkserver import main" in cmdline(pid)}
    for pid in pids:
        line = cmdline(pid)
        if "resource_tracker import main" in line:
            kind = "resource tracker"
        elif pid in servers:
            parent = (_proc_stat(pid) or ("", 0, 0))[1]
            kind = "parse worker" if parent in servers else "forkserver"  # workers are forked by the server
        else:
            kind = line[:60]
        found[kind] = found.get(kind, 0) + 1
    return found


def wait_gone(sessions: set[int], mark: str, grace: float) -> dict[str, int]:
    """Wait up to `grace` s for the trial's processes to go; kill (by PID) and count by kind those that stay."""
    deadline = time.monotonic() + grace
    while True:
        left = survivors(sessions, mark)
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    described = kinds(left)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    end = time.monotonic() + 5
    while survivors(sessions, mark) and time.monotonic() < end:
        time.sleep(0.02)
    return described


@dataclass
class Command:
    argv: list[str]
    stdin: Path | None = None


@dataclass
class Series:
    """What running a list of commands in a row (one of them perhaps killed) came to."""

    returncodes: list[int]
    sessions: set[int]
    killed: int | None = None  # index of the command the SIGKILL landed on
    killed_at: float | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def run_series(
    commands: list[Command], work: Path, mark: str, kill_after: float | None = None, tag: str = "run"
) -> Series:
    """Run commands one after the other; at `kill_after` s from the start SIGKILL whichever is running."""
    env = {**os.environ, MARK: mark}
    env.pop("RESEARCHER_DB", None)
    series = Series([], set())
    start = time.monotonic()
    for k, cmd in enumerate(commands):
        with (
            open(cmd.stdin, "rb") if cmd.stdin else open(os.devnull, "rb") as stdin,
            open(work / f"{tag}-{k}.out", "wb") as out,
            open(work / f"{tag}-{k}.err", "wb") as err,
        ):
            proc = subprocess.Popen(cmd.argv, stdin=stdin, stdout=out, stderr=err, env=env, start_new_session=True)
        series.sessions.add(proc.pid)  # a new session's id is its leader's PID
        left = None if kill_after is None else start + kill_after - time.monotonic()
        try:
            proc.wait(TIMEOUT if left is None else max(0.0, left))
        except subprocess.TimeoutExpired:
            if left is None:
                os.killpg(proc.pid, signal.SIGKILL)  # hung: the whole session, it is not a trial's kill
                series.errors.append(f"{' '.join(cmd.argv[3:])}: hung for {TIMEOUT:g} s")
            else:
                series.killed_at = time.monotonic() - start
                os.kill(proc.pid, signal.SIGKILL)  # this PID only, as `kill -9 PID` would
            proc.wait()
        series.returncodes.append(proc.returncode)
        if proc.returncode == -signal.SIGKILL and series.killed_at is not None:
            series.killed = k
            break
        if proc.returncode != 0:
            text = (work / f"{tag}-{k}.err").read_text(errors="replace").strip().splitlines()
            series.errors.append(f"{' '.join(cmd.argv[3:])[:60]}: exit {proc.returncode}: {text[-1:] or ''}")
        series.killed_at = None  # a kill due just after the process ended reached nothing
    series.seconds = time.monotonic() - start
    return series


def _kinds_text(kinds: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def check_integrity(path: Path, trial: Trial, stage: str, news_rank: int = 1) -> None:
    """integrity_check, foreign_key_check and every FTS5 index's integrity-check of the notebook at path."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        trial.fail("integrity", rows != ["ok"], f"{stage}: {'; '.join(rows)[:200]}")
        rows = con.execute("PRAGMA foreign_key_check").fetchall()
        trial.fail("fk", len(rows), f"{stage}: {rows[:5]}")
        for table in FTS_TABLES:
            rank = news_rank if table == "news_items" else 1  # 1: the index matches its content table too
            try:
                con.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', ?)", [rank])
            except sqlite3.Error as exc:
                trial.fail("fts", 1, f"{stage}: {table}_fts: {exc}")
    except sqlite3.Error as exc:
        trial.fail("integrity", 1, f"{stage}: {exc}")
    finally:
        con.close()


def _rows(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------------------
# The lab: farm, templates, one trial
# ---------------------------------------------------------------------------


class Lab:
    """Everything the trials share: the feed farm and its server, template notebooks, inputs."""

    def __init__(self, root: Path, sizes: Sizes, seed: int, grace: float = GRACE):
        self.root, self.sizes, self.seed, self.grace = root, sizes, seed, grace
        self.exe = researcher_exe()
        self.run_id = uuid.uuid4().hex[:12]
        self.templates = root / "templates"
        self.templates.mkdir(parents=True, exist_ok=True)
        self.server: FarmServer | None = None
        self.typical: dict[str, float] = {}

    # -- preparing ---------------------------------------------------------------

    def prepare(self) -> None:
        s, rng = self.sizes, random.Random(self.seed)
        farm = self.root / "farm"
        shutil.rmtree(farm, ignore_errors=True)
        build_farm(farm, s.feeds, s.items, self.seed, big_bytes=0)
        self.server = FarmServer(farm / "feeds", max_lifetime=6 * 3600, hosts=s.hosts)
        self.feed_links: dict[str, set[str]] = {}
        with Notebook(self.templates / "sync.db") as nb, nb.atomic():
            slow = set(rng.sample(range(s.feeds), round(s.slow_share * s.feeds)))
            for i in range(s.feeds):
                url = self.server.url(i, delay_ms=rng.randint(*s.slow_ms) if i in slow else 0)
                feed = nb.add_feed(nb.add_company(f"Farm company {i}").id, url)
                xml = (farm / "feeds" / f"{i}.xml").read_text()
                self.feed_links[feed.url] = set(re.findall(r"<item>\s*<title>.*?</title>\s*<link>(.*?)</link>", xml))

        self.opml = self.templates / "feeds.opml"
        self.opml_expected: dict[str, str] = {}  # feed URL -> its company
        folders = []
        for k in range(s.opml_folders):
            name = f"Folder company {k} {_sentence(rng, 1, 2).rstrip('.!?')}"
            urls = [f"https://news{k}-{j}.example/feed.xml" for j in range(k, s.opml_feeds, s.opml_folders)]
            self.opml_expected.update((Notebook.normalise_feed_url(u), name) for u in urls)
            feeds = "".join(f'      <outline type="rss" text="feed {j}" xmlUrl="{u}"/>\n' for j, u in enumerate(urls))
            folders.append(f"    <outline text={quoteattr(name)}>\n{feeds}    </outline>\n")
        self.opml.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head><title>faults</title></head>\n'
            f"  <body>\n{''.join(folders)}  </body>\n</opml>\n"
        )
        with Notebook(self.templates / "opml.db") as nb:
            for name in ("Existing one", "Existing two"):
                nb.add_note(f"A note on {name}.", company=nb.add_company(name).slug)
        self.opml_companies = {"Existing one", "Existing two", *self.opml_expected.values()}

        self.note_files: list[Path] = []
        self.note_bodies: list[str] = []
        for k in range(s.notes):
            lines, size = [f"# Note {k} of the faults run", ""], 0
            while size < s.note_kib * 1024:
                lines.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 6))))
                size += len(lines[-1]) + 1
            body = "\n".join(lines) + "\n"
            path = self.templates / f"note-{k}.md"
            path.write_text(body)
            self.note_files.append(path)
            self.note_bodies.append(clean_text(body).strip())  # what add_note stores
        with Notebook(self.templates / "note.db") as nb:
            nb.add_note("Already there before the trial.", company=nb.add_company("Notes company").slug)
        for name in ("sync", "opml", "note"):
            with Notebook(self.templates / f"{name}.db") as nb:
                nb.checkpoint()

    def commands(self, op: str, db: Path) -> list[Command]:
        base = [self.exe, "--db", str(db)]
        if op == "sync":
            return [Command([*base, "sync", "--json"])]
        if op == "opml":
            return [Command([*base, "import", "opml", "--json", str(self.opml)])]
        return [Command([*base, "note", "add", "--company", "notes-company", "-"], f) for f in self.note_files]

    def calibrate(self) -> dict[str, Trial]:
        """Each operation twice, unkilled: the checks pass without faults, and its typical duration
        (the faster run: the first may pay for cold caches)."""
        out = {}
        for op in OPERATIONS:
            first, second = self.trial(-1, op, delay=None), self.trial(-1, op, delay=None)
            for check, n in first.counts.items():
                second.counts[check] += n
            second.details[:0] = first.details
            second.seconds = self.typical[op] = min(first.seconds, second.seconds)
            out[op] = second
        return out

    # -- one trial ---------------------------------------------------------------

    def trial(self, index: int, op: str, delay: float | None) -> Trial:
        """Run `op` on a fresh copy of its template, kill it after `delay` s (None: never), check everything."""
        work = self.root / f"trial-{index:03d}-{op}" if index >= 0 else self.root / f"calibrate-{op}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        db = work / "notebook.db"
        copy_db(self.templates / f"{op}.db", db)
        trial = Trial(index, op, delay if delay is not None else 0.0)
        mark = f"{self.run_id}-{index}-{op}"
        commands = self.commands(op, db)
        series = run_series(commands, work, mark, kill_after=delay)
        trial.seconds = series.seconds
        trial.landed, trial.killed_at = series.killed is not None, series.killed_at
        left = wait_gone(series.sessions, mark, self.grace)
        trial.fail("stragglers", sum(left.values()), f"left after {self.grace:g} s: {_kinds_text(left)}")
        trial.left = left
        trial.fail("errors", len(series.errors), "; ".join(series.errors))

        # As the kill left it, before anything opens it for writing: on a copy (an FTS5 check writes).
        snapshot = work / "as-killed.db"
        copy_db(db, snapshot)
        check_integrity(snapshot, trial, "as killed", news_rank=0)
        trial.written = self._written(op, snapshot)
        try:
            with Notebook(db) as nb:
                nb.index_news()
        except Exception as exc:  # the notebook no longer opens: that says it all
            trial.fail("integrity", 1, f"reopen: {exc}")
            return trial
        check_integrity(db, trial, "reopened")

        rest = [] if series.killed is None and op == "note" else commands[series.killed or 0 :]
        if rest:
            again = run_series(rest, work, mark + "-again", tag="rerun")
            trial.fail("errors", len(again.errors), "rerun: " + "; ".join(again.errors))
            left = wait_gone(again.sessions, mark + "-again", self.grace)
            trial.fail("stragglers", sum(left.values()), f"rerun: left after {self.grace:g} s: {_kinds_text(left)}")
            for kind, n in left.items():
                trial.left[kind] = trial.left.get(kind, 0) + n
            check_integrity(db, trial, "after rerun")
        getattr(self, f"_expect_{op}")(db, trial, series)
        if not any(trial.counts.values()):
            shutil.rmtree(work, ignore_errors=True)
        return trial

    def _written(self, op: str, path: Path) -> float:
        try:
            if op == "sync":
                return _rows(path, "SELECT count(*) FROM news_items")[0][0] / sum(map(len, self.feed_links.values()))
            if op == "opml":
                return _rows(path, "SELECT count(*) FROM feeds")[0][0] / len(self.opml_expected)
            bodies = set(self.note_bodies)
            return sum(body in bodies for (body,) in _rows(path, "SELECT body FROM notes")) / len(bodies)
        except sqlite3.Error:
            return 0.0

    def _expect_sync(self, db: Path, trial: Trial, series: Series) -> None:
        got: dict[str, list[tuple[str, str]]] = {url: [] for url in self.feed_links}
        for url, link, title in _rows(
            db, "SELECT f.url, n.link, n.title FROM news_items n JOIN feeds f ON f.id = n.feed_id"
        ):
            got.setdefault(url, []).append((link, title))
        lost = dups = unknown = 0
        for url, links in self.feed_links.items():
            rows = got.pop(url, [])
            have = {link for link, _ in rows}
            lost += len(links - have)
            dups += len(rows) - len(set(rows))
            unknown += len(have - links)
        unknown += sum(len(rows) for rows in got.values())
        trial.fail("lost", lost, f"{lost} farm items missing")
        trial.fail("duplicates", dups, f"{dups} items stored twice (same feed, link and title)")
        trial.fail("errors", unknown, f"{unknown} items the farm never served")
        failing = _rows(db, "SELECT url, last_error FROM feeds WHERE last_error IS NOT NULL OR last_fetch_at IS NULL")
        trial.fail("errors", len(failing), f"feeds not synced cleanly: {failing[:3]}")

    def _expect_opml(self, db: Path, trial: Trial, series: Series) -> None:
        names = {}
        for name, count in _rows(db, "SELECT name, count(*) FROM companies GROUP BY name"):
            names[name] = count
        lost = sum(1 for n in self.opml_companies if n not in names)
        dups = sum(c - 1 for c in names.values())
        unknown = sorted(set(names) - self.opml_companies)
        feeds = dict(_rows(db, "SELECT f.url, c.name FROM feeds f JOIN companies c ON c.id = f.company_id"))
        lost += sum(1 for u in self.opml_expected if u not in feeds)
        misplaced = [u for u, name in self.opml_expected.items() if u in feeds and feeds[u] != name]
        trial.fail("lost", lost, f"{lost} companies or feeds of the OPML missing")
        trial.fail("duplicates", dups, f"{dups} companies twice")
        trial.fail("errors", len(unknown), f"companies from nowhere: {unknown[:3]}")
        trial.fail("errors", len(set(feeds) - set(self.opml_expected)), "feeds from nowhere")
        trial.fail("errors", len(misplaced), f"feeds under the wrong company: {misplaced[:3]}")

    def _expect_note(self, db: Path, trial: Trial, series: Series) -> None:
        counts = dict.fromkeys(self.note_bodies, 0)
        torn = []
        for (body,) in _rows(db, "SELECT body FROM notes"):
            if body in counts:
                counts[body] += 1
            elif body != "Already there before the trial." and not body.startswith("A note on "):
                torn.append(len(body))
        killed = series.killed
        lost = dups = 0
        for k, body in enumerate(self.note_bodies):
            allowed = (1, 2) if k == killed else (1,)  # a killed save that landed, then its rerun
            lost += counts[body] < min(allowed)
            dups += max(0, counts[body] - max(allowed))
        trial.fail("torn", len(torn), f"{len(torn)} notes cut short (lengths {torn[:3]})")
        trial.fail("lost", lost, f"{lost} saved notes missing")
        trial.fail("duplicates", dups, f"{dups} notes stored more often than saved")
        missing = 1 - len(_rows(db, "SELECT 1 FROM notes WHERE body = 'Already there before the trial.'"))
        trial.fail("lost", missing, "the note made before the trial is gone")

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


# ---------------------------------------------------------------------------
# Running and reporting
# ---------------------------------------------------------------------------


def machine() -> dict:
    info = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu_model(default="unknown"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "loadavg_start": os.getloadavg()[0],
    }
    try:
        rev = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parents[1]), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        info["researcher (git)"] = rev.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return info


def run(
    trials: int,
    seed: int,
    root: Path,
    sizes: Sizes | None = None,
    ops: list[str] | None = None,
    kill_fraction: float | dict[str, float] | None = None,
    grace: float = GRACE,
    say=lambda line: None,
) -> dict:
    """The core: prepare, calibrate, run `trials` trials (round robin over `ops`), summarise.

    The kill is due uniformly between 3 ms and 1.05 x the operation's calibrated duration
    (kill_fraction: at that fraction of it instead, one for all or one per operation).
    """
    ops = ops or list(OPERATIONS)
    rng = random.Random(seed)
    lab = Lab(root, sizes or Sizes(), seed, grace)
    started = time.monotonic()
    info = machine()
    try:
        lab.prepare()
        calibration = lab.calibrate()
        for op, t in calibration.items():
            say(
                f"calibrate {op}: {t.seconds:.2f} s unkilled"
                + (f"  FAILED {t.details}" if any(t.counts.values()) else "")
            )
        results = []
        for i in range(trials):
            op = ops[i % len(ops)]
            typical = lab.typical[op]
            fraction = kill_fraction.get(op) if isinstance(kill_fraction, dict) else kill_fraction
            delay = typical * fraction if fraction is not None else rng.uniform(0.003, 1.05 * typical)
            t = lab.trial(i, op, delay)
            results.append(t)
            state = "killed" if t.landed else "missed"
            say(
                f"trial {i:3d} {op:5s} kill at {delay:6.3f} s: {state}"
                + (f"  {'; '.join(t.details)}" if t.details else "")
            )
    finally:
        lab.close()
    info["loadavg_end"] = os.getloadavg()[0]
    return {
        "machine": info,
        "params": {"trials": trials, "seed": seed, "grace_s": grace, **asdict(lab.sizes)},
        "calibration": {op: {"seconds": t.seconds, **t.counts, "details": t.details} for op, t in calibration.items()},
        "summary": summarise(results, ops),
        "trials": [asdict(t) for t in results],
        "seconds": round(time.monotonic() - started, 1),
    }


def summarise(results: list[Trial], ops: list[str]) -> dict:
    out = {}
    for op in [*ops, "all"]:
        mine = [t for t in results if op in ("all", t.op)]
        times = [t.killed_at for t in mine if t.killed_at is not None]
        row = {"trials": len(mine), "landed": sum(t.landed for t in mine)}
        row.update({check: sum(t.counts[check] for t in mine) for check in CHECKS})
        row["failed_trials"] = sum(any(t.counts.values()) for t in mine)
        landed = [t for t in mine if t.landed]  # where in the work the kills fell
        row["killed_before_writes"] = sum(t.written == 0 for t in landed)
        row["killed_mid_writes"] = sum(0 < t.written < 1 for t in landed)
        row["killed_after_writes"] = sum(t.written >= 1 for t in landed)
        row["stragglers_by_kind"] = {}
        for t in mine:
            for kind, n in t.left.items():
                row["stragglers_by_kind"][kind] = row["stragglers_by_kind"].get(kind, 0) + n
        row["median_kill_s"] = round(statistics.median(times), 3) if times else None
        row["median_delay_s"] = round(statistics.median(t.delay for t in mine), 3) if mine else None
        out[op] = row
    return out


def failures(data: dict) -> int:
    return sum(data["summary"]["all"][check] for check in CHECKS) + sum(
        sum(v for k, v in c.items() if k in CHECKS) for c in data["calibration"].values()
    )


def table(data: dict) -> str:
    m = data["machine"]
    lines = [
        f"machine: {m['nproc']} cores ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}, {m['platform']}; "
        f"load {m['loadavg_start']:.2f} -> {m['loadavg_end']:.2f}; researcher {m.get('researcher (git)', '?')}",
        "calibration (unkilled): " + ", ".join(f"{op} {c['seconds']:.2f} s" for op, c in data["calibration"].items()),
        "",
        "op     trials  landed  (before/mid/after writes)  integrity  fk  fts  stragglers  lost  dups  torn  errors"
        "  median kill s",
    ]
    for op, r in data["summary"].items():
        where = f"{r['killed_before_writes']}/{r['killed_mid_writes']}/{r['killed_after_writes']}"
        kill = "-" if r["median_kill_s"] is None else f"{r['median_kill_s']:.3f}"
        lines.append(
            f"{op:<6}{r['trials']:>7}{r['landed']:>8}  {where:^25}{r['integrity']:>11}{r['fk']:>4}{r['fts']:>5}"
            f"{r['stragglers']:>12}{r['lost']:>6}{r['duplicates']:>6}{r['torn']:>6}{r['errors']:>8}{kill:>15}"
        )
    left = data["summary"]["all"]["stragglers_by_kind"]
    if left:
        lines.append(f"\nprocesses left {data['params']['grace_s']:g} s after a kill: {_kinds_text(left)}")
    lines.append(f"\n{data['params']['trials']} trials in {data['seconds']:.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--trials", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--db-dir", type=Path, help="where the notebooks go (kept); default a temp dir")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    a = p.parse_args(argv)
    if a.trials < 0:
        p.error("--trials must be >= 0")
    root = a.db_dir or Path(tempfile.mkdtemp(prefix="faults-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        data = run(a.trials, a.seed, root, say=lambda line: print(line, file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    bad = failures(data)
    print(json.dumps(data, indent=2) if a.json else table(data))
    if a.db_dir is None:
        if bad:
            print(f"failed trials kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
