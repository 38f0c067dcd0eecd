#!/usr/bin/env python3
"""Benchmark warm paths (`researcher path`) on a notebook of 50,000 people and 200,000 positions.

Builds (or, with --reuse, reopens) a synthetic notebook, deterministic from --seed:

  companies      3,000, Zipf-skewed (exponent 0.8): the biggest gets 5% of all stints (9,500
                 over the years, about 2,000 at a time), two thirds have fewer than 40
  people         50,000, careers of 2-6 positions between 2000 and 2026 (about 200,000 positions);
                 about 4% of positions at untracked companies, 1% with an unknown start,
                 most careers end in an open (current) position
  relationships  about 50,000 declared (knows / worked_with / introduced_by, strength 1-3), most
                 between people who were at the same company, the rest at random; "me" has ~150
  hermits        10 more people nobody can reach (their only stint has no start): no path

then measures, for --targets random people (30):

  in-process     find_paths(nb, target) on one open notebook (page cache warm, first search of
                 each target): median / p90 / max in ms (wall, and CPU time), how many had a path;
                 then the 10 hermits (no path: suggestions are computed instead)
  cold process   `python -c` that imports researcher, opens the notebook and runs find_paths
                 (what `researcher path` will cost) --runs times: median / p90 / max wall ms,
                 with the interpreter start alone for reference

Run from the repository root:

  .venv/bin/python benchmarks/path_scale.py [--db /tmp/path_scale.db] [--reuse] [--targets 30] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from machine_info import cpu_model  # noqa: E402  (this directory)
from make_notebook import (  # noqa: E402  (this directory: the names and the career model are shared)
    FIRST_MONTH,
    career,
    company_names,
    declared_links,
    month_text,
    person_name,
    zipf_weights,
)
from slugify import slugify  # noqa: E402

from researcher.insight.paths import find_paths  # noqa: E402
from researcher.store import Notebook  # noqa: E402

STAMP = "2026-01-01T00:00:00Z"
HERMITS = 10


def build(path: Path, seed: int, people: int, companies: int, relationships: int) -> dict[str, int]:
    """Write the synthetic notebook with bulk inserts (one transaction per table)."""
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    nb = Notebook(path)
    db = nb.db
    t0 = time.perf_counter()

    names = company_names(rng, companies)
    company_rows = [
        {
            "id": cid,
            "slug": slugify(name),
            "name_key": slugify(name),
            "name": name,
            "status": "watching",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
        for cid, name in enumerate(names, start=1)
    ]
    with db.atomic():
        db["companies"].insert_all(company_rows, batch_size=2000)
    company_names_by_id = dict(enumerate(names, start=1))

    # Zipf-like company popularity: a few very large companies, a long tail of small ones.
    weights = zipf_weights(companies)
    company_ids = list(range(1, companies + 1))
    rng.shuffle(company_ids)  # the biggest company is not id 1

    people_rows, position_rows, slugs = [], [], set()
    at_company: dict[int, list[int]] = {}
    last_month = 2026 * 12 + 10  # 2026-11
    for pid in range(1, people + 1):
        name = person_name(rng)
        slug = base = slugify(name)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        people_rows.append(
            {
                "id": pid,
                "slug": slug,
                "name_key": base,
                "name": name,
                "is_me": int(pid == 1),
                "created_at": STAMP,
                "updated_at": STAMP,
            }
        )
        for stint in career(rng, company_ids, weights, FIRST_MONTH, last_month):
            cid = stint.company_id
            position_rows.append(
                {
                    "person_id": pid,
                    "company_id": cid,
                    "company_name": company_names_by_id[cid] if cid else f"Elsewhere {stint.chosen}",
                    "title": "Engineer",
                    "start": None if stint.start is None else month_text(stint.start),
                    "end": None if stint.end is None else month_text(stint.end),
                }
            )
            if cid:
                at_company.setdefault(cid, []).append(pid)
    with db.atomic():
        db["people"].insert_all(people_rows, batch_size=5000)
        db["positions"].insert_all(position_rows, batch_size=10000)

    # Declared relationships: mostly former colleagues, some from elsewhere; "me" has about 150.
    my_companies = [r["company_id"] for r in position_rows if r["person_id"] == 1 and r["company_id"]]
    rel_rows = [
        {"person_id": a, "other_id": b, "kind": kind, "strength": strength, "how": None, "created_at": STAMP}
        for a, b, kind, strength in declared_links(rng, people, at_company, my_companies, relationships)
    ]
    with db.atomic():
        db["relationships"].insert_all(rel_rows, batch_size=10000)
        # A few people nobody can reach (one stint, start unknown, no relationships): their
        # searches end in suggestions, the people at their company I am closest to.
        hermits = [
            {
                "id": people + i,
                "slug": f"hermit-{i}",
                "name_key": f"hermit-{i}",
                "name": f"Hermit {i}",
                "is_me": 0,
                "created_at": STAMP,
                "updated_at": STAMP,
            }
            for i in range(1, HERMITS + 1)
        ]
        db["people"].insert_all(hermits)
        db["positions"].insert_all(
            {
                "person_id": h["id"],
                "company_id": cid,
                "company_name": company_names_by_id[cid],
                "title": "Engineer",
                "start": None,
                "end": None,
            }
            for h, cid in zip(hermits, rng.sample(company_ids[:200], HERMITS))
        )
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = nb.counts()
    nb.close()
    print(
        f"built {path} in {time.perf_counter() - t0:.1f} s: {counts['people']} people, {counts['positions']}"
        f" positions, {counts['companies']} companies, {counts['relationships']} relationships"
    )
    return counts


def machine() -> str:
    model = cpu_model(default=platform.processor() or "?")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}"
        f" usable), {model}; load average {load}; Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def summary(values_ms: list[float]) -> str:
    values = sorted(values_ms)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return f"median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms   max {values[-1]:7.1f} ms"


COLD = """
import sys, time
t0 = time.perf_counter()
from researcher.store import Notebook
from researcher.insight.paths import find_paths
t1 = time.perf_counter()
import networkx  # find_paths imports it on first use; timed apart here
t2 = time.perf_counter()
nb = Notebook(sys.argv[1])
t3 = time.perf_counter()
r = find_paths(nb, int(sys.argv[2]))
t4 = time.perf_counter()
nb.close()
print(*(f"{(b - a) * 1000:.1f}" for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4))), len(r.paths))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("/tmp/path_scale.db"))
    parser.add_argument("--reuse", action="store_true", help="reuse the notebook at --db if it exists")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--companies", type=int, default=3_000)
    parser.add_argument("--relationships", type=int, default=50_000)
    parser.add_argument("--targets", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5, help="cold-process runs")
    args = parser.parse_args()

    print("machine:", machine())
    if not (args.reuse and args.db.exists()):
        build(args.db, args.seed, args.people, args.companies, args.relationships)

    nb = Notebook(args.db)
    counts = nb.counts()
    print(
        f"notebook: {counts['people']} people, {counts['positions']} positions, {counts['companies']} companies,"
        f" {counts['relationships']} relationships"
    )
    me = nb.me()
    assert me is not None, "the notebook has no me"
    biggest = nb._one(
        "SELECT company_id, count(*) AS n FROM positions WHERE company_id IS NOT NULL"
        " GROUP BY company_id ORDER BY n DESC LIMIT 1"
    )
    print(f"biggest company: {biggest['n']} positions")
    ids = [r["id"] for r in nb._rows("SELECT id FROM people WHERE is_me = 0 AND slug NOT LIKE 'hermit-%'")]
    targets = random.Random(args.seed + 1).sample(ids, args.targets)
    hermits = [r["id"] for r in nb._rows("SELECT id FROM people WHERE slug LIKE 'hermit-%' ORDER BY id")]

    find_paths(nb, targets[0])  # warm the page cache and the imports, not measured
    times, cpu, with_path, hops, suggested = [], [], 0, [], 0
    for t in targets:
        t0, c0 = time.perf_counter(), time.process_time()
        result = find_paths(nb, t)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if result.paths:
            with_path += 1
            hops.append(len(result.paths[0].links))
        elif result.suggestions:
            suggested += 1
    unreachable, suggestions = [], []
    for t in hermits:
        t0 = time.perf_counter()
        result = find_paths(nb, t)
        unreachable.append((time.perf_counter() - t0) * 1000)
        suggestions.append(sum(1 for s in result.suggestions if s.path))
    nb.close()
    print(f"\nfind_paths in-process, {len(times)} targets:  {summary(times)}")
    print(f"  CPU time (this process only, less sensitive to a busy machine):  {summary(cpu)}")
    print(
        f"  {with_path} with a path (best path {statistics.mean(hops) if hops else 0:.1f} links on average),"
        f" {suggested} with suggestions only"
    )

    if unreachable:
        print(f"\nno path (suggestions instead), {len(unreachable)} targets:  {summary(unreachable)}")
        print(f"  suggestions with a path: {statistics.mean(suggestions):.1f} of 5 on average")

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    starts = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
        starts.append((time.perf_counter() - t0) * 1000)
    walls, parts = [], []
    for i in range(args.runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(args.db), str(targets[i % len(targets)])],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        walls.append((time.perf_counter() - t0) * 1000)
        parts.append([float(x) for x in out.split()[:4]])
    print(f"\ncold process (start + import + open + find_paths + exit), {args.runs} runs:  {summary(walls)}")
    medians = [statistics.median(p[i] for p in parts) for i in range(4)]
    print(
        f"  inside it, medians: import researcher {medians[0]:.0f} ms, import networkx {medians[1]:.0f} ms,"
        f" open {medians[2]:.0f} ms, find_paths {medians[3]:.0f} ms (cold SQLite cache);"
        f" a bare interpreter starts and exits in {statistics.median(starts):.0f} ms"
    )
    verdict = "meets" if statistics.median(times) < 200 else "MISSES"
    print(f"\ntarget: find_paths median < 200 ms: {verdict} ({statistics.median(times):.1f} ms)")


if __name__ == "__main__":
    main()
