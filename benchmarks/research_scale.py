#!/usr/bin/env python3
"""Benchmark the research half at scale: vocabulary mining, linking names in the news, discovery, Today, org.

Works on a copy of a generated notebook (benchmarks/make_notebook.py; with --build it makes one of
--people 5000 --news 100000 in a temp dir first) and measures, in this process:

  mining     suggest_terms() for the company with the most news items: the first call (which loads the
             language model and the lemma dictionary) and then the median of --repeats warm calls;
             also `researcher term suggest` as a cold process, as a user runs it
  linking    relink_all_mentions(): every item against every person and company, in one pass; and
             link_mentions() of a queue of every name (what a notebook migrated to 009 does once)
  matching   the per-item cost of the matcher save_fetch runs on each stored item
  others     discover(), today_view(), org_chart() of the biggest company, sectors()

Targets (issue #10): mining <= 1 s, linking 100,000 items <= 10 s. Run from the repository root:

  .venv/bin/python benchmarks/research_scale.py --build
  .venv/bin/python benchmarks/research_scale.py --db /tmp/gen/big.db --repeats 3
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from machine_info import cpu_model  # noqa: E402

from researcher.store import Notebook  # noqa: E402


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def line(what: str, seconds: float, note: str = "", target: float | None = None) -> None:
    verdict = "" if target is None else ("  PASS" if seconds <= target else "  FAIL") + f" (<= {target:g} s)"
    print(f"  {what:46} {seconds:8.3f} s  {note}{verdict}", flush=True)


def build(folder: Path, people: int, news: int) -> Path:
    path = folder / "research.db"
    cmd = [sys.executable, str(HERE / "make_notebook.py"), "--db", str(path), "--people", str(people)]
    subprocess.run([*cmd, "--news", str(news)], check=True, stdout=subprocess.DEVNULL)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a generated notebook (copied first: never written)")
    parser.add_argument("--build", action="store_true", help="make one of --people/--news in a temp dir")
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--news", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db and not args.build:
        parser.error("give --db PATH or --build")
    with tempfile.TemporaryDirectory(prefix="research-scale-") as tmp:
        folder = Path(tmp)
        if args.build:
            t, source = timed(build, folder, args.people, args.news)
            print(f"built {source.name} ({args.people:,} people, {args.news:,} news items) in {t:.1f} s")
        else:
            source = args.db
        db = folder / "copy.db"
        shutil.copy(source, db)
        for suffix in ("-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copy(f"{source}{suffix}", f"{db}{suffix}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, load {load:.2f}")
        run(db, args.repeats)
    return 0


def run(db: Path, repeats: int) -> None:
    from researcher.insight.discovery import discover, sectors
    from researcher.insight.org import org_chart
    from researcher.insight.today import today_view
    from researcher.insight.vocabulary import suggest_terms
    from researcher.store.mentions import NameMatcher

    with Notebook(db) as nb:
        t, _ = timed(nb.index_news)
        counts = nb.counts()
        print(
            f"notebook: {counts['people']:,} people, {counts['companies']:,} companies, {counts['news_items']:,} items"
        )
        line("index_news (items left queued)", t)

        print("\nlinking names in the news")
        with nb.atomic():  # as migration 009 leaves a notebook: every name queued, organisations to find
            nb.db.execute("INSERT OR IGNORE INTO mention_queue SELECT 'person', id FROM people")
            nb.db.execute("INSERT OR IGNORE INTO mention_queue SELECT 'company', id FROM companies")
            nb.db.execute("UPDATE mention_state SET orgs_pending = 1")
        queued = nb._scalar("SELECT count(*) FROM mention_queue")
        items = counts["news_items"]
        t, made = timed(nb.link_mentions)
        line(f"link_mentions, queue of {queued:,} names", t, f"{made:,} links", target=10 * items / 100_000)
        t, made = timed(nb.relink_all_mentions)
        line(f"relink_all_mentions, {items:,} items", t, f"{made:,} links", target=10 * items / 100_000)
        nb._mention_matcher = None  # built afresh, as a new process's first save_fetch does
        t, matcher = timed(nb.name_matcher)
        line("build the matcher (every name)", t, f"{len(matcher.firsts):,} first words")
        rows = nb.db.conn.execute("SELECT title, summary, company_id FROM news_items LIMIT 20000").fetchall()
        t, _ = timed(lambda: [matcher.find(f"{a}\n{b}", own_company=c) for a, b, c in rows])
        print(
            f"  {'match one item (what save_fetch adds per item)':46} {1e6 * t / len(rows):8.1f} µs  over {len(rows):,}"
        )
        assert isinstance(matcher, NameMatcher)

        print("\nvocabulary mining")
        company = nb._one(
            "SELECT c.slug, count(*) AS n FROM news_items n JOIN companies c ON c.id = n.company_id"
            " GROUP BY n.company_id ORDER BY n DESC LIMIT 1"
        )
        t, found = timed(suggest_terms, nb, company["slug"])
        line(f"first call ({company['n']:,} items of {company['slug'][:20]})", t, "loads the models")
        warm = [timed(suggest_terms, nb, company["slug"])[0] for _ in range(repeats)]
        line(f"warm, median of {repeats}", statistics.median(warm), "", target=1)
        print("    " + ", ".join(f"{s.term} ({s.count})" for s in found.suggestions[:10]))
        researcher = Path(sys.executable).with_name("researcher")
        if researcher.exists():
            cold = []
            for _ in range(repeats):
                start = time.perf_counter()
                subprocess.run(
                    [str(researcher), "--db", str(db), "term", "suggest", company["slug"], "--json"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                cold.append(time.perf_counter() - start)
            line(f"`researcher term suggest`, median of {repeats}", statistics.median(cold), "a whole process")

        print("\nthe other research views")
        t, found = timed(discover, nb)
        line("discover()", t, f"{len(found)} shown")
        t, _ = timed(today_view, nb)
        line("today_view()", t)
        biggest = nb._one(
            'SELECT c.slug, count(*) AS n FROM positions p JOIN companies c ON c.id = p.company_id WHERE p."end"'
            " IS NULL GROUP BY p.company_id ORDER BY n DESC LIMIT 1"
        )
        t, chart = timed(org_chart, nb, biggest["slug"])
        line(f"org_chart() of {biggest['slug'][:20]} ({biggest['n']} people)", t, "with warm paths")
        t, _ = timed(sectors, nb)
        line("sectors()", t)


if __name__ == "__main__":
    sys.exit(main())
