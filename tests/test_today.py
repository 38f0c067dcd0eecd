"""Today: since the last visit, news of the companies in play, follow-ups due and overdue, people in the news,
terms to drill; the visit is recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from researcher.insight.today import mark_visit, today_view
from researcher.sync.parse import Entry

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
_serial = iter(range(1, 10**6))


def item(title: str, summary: str = "") -> Entry:
    n = next(_serial)
    return Entry(f"e{n}", title, summary, None, "2026-11-24T08:00:00Z", f"h{n}")


@pytest.fixture
def world(nb):
    feeds = {}
    for name, status in (("Zahlwerk", "target"), ("Azurine", "applied"), ("Quiet Co", "watching")):
        nb.add_company(name, status=status)
        feeds[name] = nb.add_feed(name, f"https://{nb.company(name).slug}.example/feed.xml").id
    nb.add_person("Lena Hoffmann", company="zahlwerk", title="Head of Product")
    for name, date in (("Ann Overdue", "2026-11-20"), ("Bob Today", "2026-11-25"), ("Cy Later", "2026-12-01")):
        nb.add_person(name)
        nb.set_approach(name, status="to contact", next_action_at=date, next_step=f"write to {name}")
    nb.add_glossary_term("Ledgerkern", company="zahlwerk")
    nb.add_glossary_term("Hidden job market")
    known = nb.add_glossary_term("SEPA", company="zahlwerk")
    nb.record_drill(known.id, known=True)
    nb.add_glossary_term("Sleepy", company="quiet-co")  # a company not in play: not drilled today
    nb.save_fetch(feeds["Zahlwerk"], [item("Lena Hoffmann on Ledgerkern")])
    nb.save_fetch(feeds["Quiet Co"], [item("Quiet news naming Lena Hoffmann")])
    return nb, feeds


def test_the_first_visit_shows_the_last_week(world):
    nb, _ = world
    view = today_view(nb, NOW)
    assert view.first_visit and view.since == "2026-11-18T09:00:00Z"
    assert [(i["title"], i["company"]) for i in view.news] == [("Lena Hoffmann on Ledgerkern", "Zahlwerk")]
    assert [r["name"] for r in view.overdue] == ["Ann Overdue"]
    assert [r["name"] for r in view.due_today] == ["Bob Today"]
    lena = view.people_in_news[0]
    assert (lena["name"], lena["item_count"]) == ("Lena Hoffmann", 2)  # named in any company's news
    assert [t["term"] for t in view.terms_to_drill] == ["Hidden job market", "Ledgerkern"]
    assert view.terms_to_drill_total == 2


def test_after_a_visit_only_what_is_new_shows(world):
    nb, feeds = world
    mark_visit(nb, NOW)
    view = today_view(nb, NOW)
    assert not view.first_visit and view.since == "2026-11-25T09:00:00Z"
    assert (view.news, view.news_total, view.people_in_news) == ([], 0, [])
    nb.save_fetch(feeds["Azurine"], [item("Azurine hires", "Lena Hoffmann joins Azurine")])
    nb.save_fetch(feeds["Quiet Co"], [item("Not in play")])
    view = today_view(nb, NOW)
    assert [i["title"] for i in view.news] == ["Azurine hires"] and view.news_total == 1
    assert [(p["name"], [i["title"] for i in p["items"]]) for p in view.people_in_news] == [
        ("Lena Hoffmann", ["Azurine hires"])
    ]
    assert [r["name"] for r in view.overdue] == ["Ann Overdue"]  # follow-ups stay until done


def test_today_on_the_command_line_records_the_visit_unless_peeking(run_cli, db_path):
    from researcher.store import Notebook

    with Notebook(db_path) as nb:
        nb.add_company("Zahlwerk", status="target")
    assert run_cli("today", "--peek", "--json").exit_code == 0
    with Notebook(db_path) as nb:
        assert nb.setting("today_last_visit") is None
    first = run_cli("today")
    assert first.exit_code == 0 and "first visit" in first.stdout
    with Notebook(db_path) as nb:
        assert nb.setting("today_last_visit") is not None
    assert "first visit" not in run_cli("today").stdout
