"""A big LinkedIn export imported: 5,000 connections and 50,000 messages, its time and peak memory (target <= 10 s).

Writes an invented export (a .zip with Profile, Positions, Connections, Invitations and messages) into a temporary
folder, imports it into a new notebook (and, with --into, into a copy of an existing one), then imports it again
(the idempotent run), printing wall-clock and CPU seconds. Peak memory: tracemalloc's peak of Python allocations
during a third, traced import, and the process's maximum resident set size (ru_maxrss).

    .venv/bin/python benchmarks/import_scale.py [--connections 5000] [--messages 50000] [--into /tmp/big-lead.db]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import shutil
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from researcher.interop.linkedin import import_linkedin
from researcher.store import Notebook

FIRST = "Ada Bram Cleo Dario Edda Fritz Gala Hugo Ilse Jonas Kaja Leon Mila Nils Olga Piet Quin Rhea Sven Tove".split()
LAST = "Amberlo Brisk Corvane Dunmore Ellery Falkner Grisby Holloway Ingram Jessop Kestrel Lomax Marchetti".split()


def _csv(header: list[str], rows, preamble: str = "") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + preamble + out.getvalue()).encode()


def make_export(path: Path, connections: int, messages: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    people = [
        (f"{rng.choice(FIRST)}{i}", rng.choice(LAST), f"https://www.linkedin.com/in/p{i}", f"Company {i % 700}")
        for i in range(connections)
    ]
    files = {
        "Profile.csv": _csv(
            ["First Name", "Last Name", "Headline", "Summary", "Geo Location"],
            [["Benchmark", "Me", "Engineer", "About me", "Lyon"]],
        ),
        "Positions.csv": _csv(
            ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
            [["Company 1", "Engineer", "", "", "Mar 2020", ""], ["Company 2", "Intern", "", "", "2018", "2019"]],
        ),
        "Connections.csv": _csv(
            ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
            (
                [f, last, u, "", c, f"Title {i % 50}", f"{1 + i % 28} Mar {2015 + i % 10}"]
                for i, (f, last, u, c) in enumerate(people)
            ),
            'Notes:\r\n"When exporting your connection data, you may notice..."\r\n\r\n',
        ),
        "Invitations.csv": _csv(
            ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"],
            (
                [
                    "Benchmark Me",
                    f"{f} {last}",
                    f"{1 + i % 12}/{1 + i % 28}/25, {1 + i % 12}:0{i % 10} PM",
                    "",
                    "OUTGOING",
                    "",
                    u,
                ]
                for i, (f, last, u, _) in enumerate(people[:1000])
            ),
        ),
    }
    rows = []
    for i in range(messages):
        f, last, u, _ = people[rng.randrange(len(people))]
        mine = rng.random() < 0.5
        at = f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 UTC"
        sender, sender_url, to, to_url = (
            ("Benchmark Me", "", f"{f} {last}", u) if mine else (f"{f} {last}", u, "Benchmark Me", "")
        )
        rows.append(
            [f"conv-{u}", "", sender, sender_url, to, to_url, at, "", f"Message {i} about the weather", "INBOX"]
        )
    files["messages.csv"] = _csv(
        [
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "SUBJECT",
            "CONTENT",
            "FOLDER",
        ],
        rows,
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"Basic_LinkedInDataExport/{name}", data)
    return path


def timed_import(db: Path, export: Path) -> tuple[float, float, dict]:
    """Wall-clock and CPU seconds of one import (on a shared machine the CPU time is the steadier figure)."""
    started, cpu = time.perf_counter(), time.process_time()
    with Notebook(db) as nb:
        summary = import_linkedin(nb, export)
    return time.perf_counter() - started, time.process_time() - cpu, summary.to_dict()


def peak_memory(db: Path, export: Path) -> int:
    """tracemalloc's peak of Python allocations during one import (a run of its own: tracing slows it down)."""
    tracemalloc.start()
    with Notebook(db) as nb:
        import_linkedin(nb, export)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=5_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--into", type=Path, help="Also import into a copy of this notebook (never written itself).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        export = make_export(tmp / "export.zip", args.connections, args.messages)
        print(
            f"export: {export.stat().st_size / 1e6:.1f} MB zip, {args.connections:,} connections, {args.messages:,} messages"
        )
        targets = [("new notebook", tmp / "new.db")]
        if args.into:
            shutil.copy(args.into, tmp / "copy.db")
            targets.append((f"copy of {args.into.name}", tmp / "copy.db"))
        for label, db in targets:
            for run in ("first import", "again (idempotent)"):
                took, cpu, summary = timed_import(db, export)
                print(
                    f"{label}, {run}: {took:.2f} s ({cpu:.2f} s CPU); people added {summary['people_added']:,},"
                    f" unchanged {summary['people_unchanged']:,}, interactions added {summary['interactions_added']:,}"
                )
        peak = peak_memory(tmp / "traced.db", export)
        print(f"tracemalloc peak of a first import into a new notebook: {peak / 2**20:.0f} MiB")
        print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
