"""CLI: approach, interactions, invitations, careers, network health — JSON shapes and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from researcher.cli import main
from tests.test_cli import dump


@pytest.fixture
def demo(demo_master, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_master, path)
    return path


def cli(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


def js(db: Path, *args: str):
    result = cli(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_approach_show_and_change(demo):
    state = js(demo, "approach", "lena hoffmann")
    assert state["approach"]["status"] == "invited" and state["history"]
    changed = js(demo, "approach", "lena hoffmann", "--status", "met", "--priority", "1", "--next", "2026-12-02")
    assert changed["approach"]["status"] == "met" and changed["approach"]["next_action_at"] == "2026-12-02"
    assert changed["history"][0]["from_status"] == "invited" and changed["history"][0]["to_status"] == "met"


def test_interaction_add_and_activity(demo):
    added = js(
        demo,
        "interaction",
        "add",
        "lena hoffmann",
        "--channel",
        "email",
        "--summary",
        "Sent my notes",
        "--when",
        "2026-11-24",
        "--direction",
        "out",
    )
    assert added["channel"] == "email" and added["at"].startswith("2026-11-24")
    events = js(demo, "interaction", "list", "lena hoffmann")
    assert events[0]["kind"] == "interaction" and events[0]["text"] == "Sent my notes"
    assert {e["kind"] for e in events} >= {"interaction", "note", "status"}
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)


def test_people_filters_by_network_and_title(demo):
    offline = js(demo, "person", "list", "--network", "none")
    assert len(offline) == 6 and all(
        not any(p[f"{n}_url"] for n in ("linkedin", "viadeo", "xing", "goldenline", "other")) for p in offline
    )
    heads = js(demo, "person", "list", "--title", "head product")
    assert "Lena Hoffmann" in {p["name"] for p in heads}


def test_network_health_json(demo):
    health = js(demo, "network")
    assert health["goal"] == 100 and health["meaningful_count"] == 21 and health["offline"] == 6
    assert health["never_contacted_count"] == len(health["never_contacted"])
    assert [f["next_action_at"] for f in health["follow_ups"]] == sorted(
        f["next_action_at"] for f in health["follow_ups"]
    )
    assert {p["network"] for p in health["profiles"]} == {"linkedin", "viadeo"}
    assert cli(demo, "network", "goal", "80").exit_code == 0
    assert cli(demo, "network", "profile", "linkedin", "recommendations received").exit_code == 0
    health = js(demo, "network")
    assert health["goal"] == 80
    linkedin = next(p for p in health["profiles"] if p["network"] == "linkedin")
    assert "recommendations received" in linkedin["done"]


def test_invite_check_and_sent(demo):
    warned = js(
        demo, "invite", "sabine kramer", "--text", "I'd like to add you to my professional network on LinkedIn."
    )
    assert {w["code"] for w in warned["warnings"]} >= {"stock_sentence", "too_short"}
    good = (
        "Hi Sabine, Tomasz told me how the Sensorik team at Schienenblick plans its releases; "
        "I would love to hear how product and engineering share the roadmap there."
    )
    assert js(demo, "invite", "sabine kramer", "--text", good)["warnings"] == []
    sent = js(demo, "invite", "sabine kramer", "--sent")
    assert sent["invitation"]["status"] == "sent" and sent["approach_status"] == "invited"


def test_careers_json(demo):
    study = js(demo, "careers", "--title", "head of product")
    assert len(study["holders"]) == 6 and study["stepping_stones"]
    assert cli(demo, "careers").exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ("approach", "nobody at all", "--status", "met"),
        ("approach", "lena hoffmann", "--next", "2026-13-40"),
        ("interaction", "add", "nobody at all", "--channel", "email", "--summary", "x"),
        ("interaction", "add", "lena hoffmann", "--channel", "email", "--summary", "x", "--when", "yesterday"),
        ("interaction", "add", "lena hoffmann", "--channel", "email", "--summary", "   "),
        ("invite", "nobody at all", "--text", "hello"),
        ("invite", "lena hoffmann", "--sent"),
        ("careers", "--title", "head", "--company", "no such company"),
        ("network", "profile", "linkedin", "   "),
    ],
)
def test_bad_input_exits_1_and_writes_nothing(demo, args):
    before = dump(demo)
    result = cli(demo, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert dump(demo) == before


def test_approach_keeps_in_touch_every_n_days_and_clears(run_cli):
    run_cli("person", "add", "Lena Hoffmann")
    set_ = run_cli("approach", "lena-hoffmann", "--every", "30", "--next", "2026-12-01", "--step", "call", "--json")
    assert set_.exit_code == 0, set_.output
    state = json.loads(set_.stdout)["approach"]
    assert (state["cadence_days"], state["next_action_at"], state["next_step"]) == (30, "2026-12-01", "call")
    assert "keep in touch every 30 days" in run_cli("approach", "lena-hoffmann").stdout
    cleared = json.loads(
        run_cli("approach", "lena-hoffmann", "--every", "0", "--next", "", "--step", "", "--json").stdout
    )
    assert (cleared["approach"]["cadence_days"], cleared["approach"]["next_action_at"]) == (None, None)
    assert cleared["approach"]["next_step"] is None
    assert run_cli("approach", "lena-hoffmann", "--every", "4000").exit_code == 2
