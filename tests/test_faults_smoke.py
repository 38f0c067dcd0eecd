"""benchmarks/faults.py in small: one SIGKILL trial of each operation, and its checks catch damage."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from researcher.store import Notebook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import faults  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the trials read /proc")

SMALL = faults.Sizes(feeds=12, items=5, slow_ms=(50, 250), hosts=2, opml_feeds=30, opml_folders=5, notes=2, note_kib=50)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Three trials, one per operation, each killed part way through its calibrated duration (the sync once
    its parse pool has started)."""
    return faults.run(
        3,
        seed=7,
        root=tmp_path_factory.mktemp("faults"),
        sizes=SMALL,
        kill_fraction={"sync": 0.7, "opml": 0.4, "note": 0.4},
        grace=faults.GRACE,
    )


def test_a_kill_at_any_moment_loses_and_breaks_nothing(smoke: dict) -> None:
    for op, calibration in smoke["calibration"].items():
        assert not calibration["details"], f"{op} unkilled: {calibration['details']}"
    assert [t["op"] for t in smoke["trials"]] == ["sync", "opml", "note"]
    for trial in smoke["trials"]:
        assert trial["landed"], f"{trial['op']}: the kill came after the process had ended"
        assert trial["counts"] == dict.fromkeys(trial["counts"], 0), f"{trial['op']}: {trial['details']}"
    assert faults.failures(smoke) == 0


def test_no_process_outlives_a_kill(smoke: dict) -> None:
    assert smoke["summary"]["all"]["stragglers"] == 0, [t["details"] for t in smoke["trials"]]


def test_the_checks_catch_a_damaged_notebook(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with Notebook(path) as nb:
        nb.add_note("A whole note.", company=nb.add_company("Acme").slug)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("INSERT INTO notes_fts (rowid, body) VALUES (99, 'indexed, never stored')")
    con.execute("INSERT INTO notes (company_id, body, created_at, updated_at) VALUES (42, 'orphan', 'x', 'x')")
    con.close()
    trial = faults.Trial(0, "note", 0.0)
    faults.check_integrity(path, trial, "test")
    assert trial.counts["fts"] == 1 and trial.counts["fk"] == 1, trial.details
    assert trial.counts["integrity"] == 0


def test_a_torn_or_lost_note_is_caught(tmp_path: Path) -> None:
    lab = faults.Lab(tmp_path, SMALL, seed=1)
    lab.note_bodies = ["first note, whole", "second note, whole"]
    path = tmp_path / "notes.db"
    with Notebook(path) as nb:
        company = nb.add_company("Notes company").slug
        nb.add_note("Already there before the trial.", company=company)
        nb.add_note("first note, wh", company=company)  # cut short
    trial = faults.Trial(0, "note", 0.0)
    lab._expect_note(path, trial, faults.Series([0], set(), killed=0))
    assert trial.counts["torn"] == 1 and trial.counts["lost"] == 2, trial.details
