"""News at scale: every list read in the order of an index, the inbox's company filter, loads off the event loop."""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, TabbedContent

from researcher.insight.search import search as search_hits
from researcher.store import Notebook, NotFound
from researcher.store import news as news_store
from researcher.store.news import PIPELINE, company_statuses
from researcher.tui.app import make_app
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.news import NewsScreen
from researcher.tui.widgets.news_view import PAGE, NewsView, sort_key

SIZE = (120, 40)
STATUSES = ("target", "applied", "interviewing", "watching", "researching", "closed")


def fill(nb: Notebook, companies: int = 40, items: int = 12_000, seed: int = 9) -> None:
    """Companies of every status (the pipeline's few and small), one feed each, and `items` news items: most read,
    a few starred or deleted, some undated, many sharing a date (the id orders those)."""
    rng = random.Random(seed)
    ids = []
    for i in range(companies):
        status = STATUSES[i] if i < len(STATUSES) else rng.choice(("watching", "researching", "closed"))
        company = nb.add_company(f"Company {i:02d}", status=status)
        ids.append((company.id, nb.add_feed(company.id, f"https://c{i}.example/feed.xml").id))
    rows = []
    for n in range(items):
        company_id, feed_id = ids[3 + n % (companies - 3)] if n % 50 else ids[n // 50 % 3]
        day = f"2026-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}T09:00:00Z"
        published = None if rng.random() < 0.05 else day
        read, starred, deleted = rng.random() < 0.85, rng.random() < 0.03, rng.random() < 0.01
        rows.append((feed_id, company_id, f"e{n}", f"Item {n}", "", published, day, read, starred, deleted))
    with nb.atomic():
        nb.db.conn.executemany(
            "INSERT INTO news_items (feed_id, company_id, entry_id, title, summary, published, fetched_at, read,"
            " starred, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


@pytest.fixture(scope="module")
def crowded() -> Notebook:
    notebook = Notebook(":memory:")
    fill(notebook)
    yield notebook
    notebook.close()


def plans_of(nb: Notebook, run: Callable[[], object], marker: str = "FROM news_items n ") -> list[list[str]]:
    """The query plans of the statements `run` executes that read news_items (the lists: as n)."""
    statements: list[str] = []
    nb.db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        nb.db.conn.set_trace_callback(None)
    return [
        [row[3] for row in nb.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        for sql in statements
        if marker in sql and sql.lstrip().upper().startswith("SELECT")
    ]


def reads_news_by_index(plan: list[str]) -> bool:
    """news_items (as n) reached only through an index search, never a scan."""
    accesses = [line for line in plan if re.match(r"(SCAN|SEARCH) n\b", line)]
    return bool(accesses) and all(line.startswith("SEARCH n USING") and "INDEX" in line for line in accesses)


def shapes(nb: Notebook) -> list[dict]:
    """Every list the TUI and the CLI ask for: inbox, all, a company's (all, unread), the starred, by status."""
    company = nb.db.execute("SELECT company_id FROM news_items GROUP BY 1 ORDER BY count(*) DESC").fetchone()[0]
    out = []
    for where in ({}, {"company": company}, {"statuses": PIPELINE}, {"statuses": ("watching",)}):
        for unread in (False, True):
            for starred in (False, True):
                out.append({**where, "unread": unread, "starred": starred})
    return out


@pytest.mark.parametrize("analyzed", [False, True], ids=["no statistics", "ANALYZE"])
def test_no_news_list_sorts_or_scans(crowded, analyzed, monkeypatch):
    """Each list, its first page and the pages after (keyset), is read in index order: no temporary b-tree
    sorts it and no scan walks news_items. (A status filter whose companies hold few items sorts those few:
    that plan is checked apart, with the bound it keeps.)"""
    if analyzed:
        crowded.db.execute("ANALYZE")
    monkeypatch.setattr(news_store, "STATUS_SORT_LIMIT", 0)  # every status list walks the date index
    for shape in shapes(crowded):
        first = crowded.news(limit=50, **shape)
        key = sort_key(first[-1]) if first else ("2026-06-01", 0)
        for page in ({}, {"before": key}, {"until": key}):
            for plan in plans_of(crowded, lambda shape=shape, page=page: crowded.news(limit=50, **shape, **page)):
                assert not any("TEMP B-TREE" in line for line in plan), (shape, page, plan)
                assert reads_news_by_index(plan), (shape, page, plan)


def test_a_status_filter_on_few_items_sorts_only_those(crowded, monkeypatch):
    """The pipeline's companies hold a few hundred items here: read through each company's index, then sorted;
    above the bound, the list walks the date index instead. Both give the same list."""
    few = crowded.count_news(statuses=PIPELINE)
    assert 0 < few <= news_store.STATUS_SORT_LIMIT
    (plan,) = [p for p in plans_of(crowded, lambda: crowded.news(statuses=PIPELINE, limit=50)) if len(p) > 1]
    assert any("news_company_state (company_id=?" in line for line in plan) and reads_news_by_index(plan), plan
    sorted_list = [i.id for i in crowded.news(statuses=PIPELINE)]
    monkeypatch.setattr(news_store, "STATUS_SORT_LIMIT", few - 1)
    assert [i.id for i in crowded.news(statuses=PIPELINE)] == sorted_list


def test_the_counts_read_index_ranges_only(crowded):
    company = crowded.news(limit=1)[0].company_id
    for kw in (
        {},
        {"unread": True},
        {"company": company},
        {"company": company, "unread": True},
        {"statuses": PIPELINE},
    ):
        for plan in plans_of(crowded, lambda kw=kw: crowded.count_news(**kw), "FROM news_items WHERE"):
            assert all("COVERING INDEX" in line for line in plan if re.match(r"(SCAN|SEARCH) news_items", line)), plan


def reference(nb: Notebook, company=None, unread=False, starred=False, statuses=()) -> list[int]:
    """The list as Python sorts it, from every row."""
    rows = nb.db.execute(
        "SELECT n.id, n.company_id, n.read, n.starred, n.deleted, ifnull(n.published, n.fetched_at), c.status"
        " FROM news_items n JOIN companies c ON c.id = n.company_id"
    ).fetchall()
    kept = [
        r
        for r in rows
        if not r[4]
        and (company is None or r[1] == company)
        and (not unread or not r[2])
        and (not starred or r[3])
        and (not statuses or r[6] in statuses)
    ]
    return [r[0] for r in sorted(kept, key=lambda r: (r[5], r[0]), reverse=True)]


def test_paging_any_list_by_key_gives_each_item_once_in_order(crowded, monkeypatch):
    for limit in (0, 10**9):  # both plans of a status filter
        monkeypatch.setattr(news_store, "STATUS_SORT_LIMIT", limit)
        for shape in shapes(crowded):
            got, before = [], None
            while True:
                page = crowded.news(limit=997, before=before, **shape)
                got += [i.id for i in page]
                if len(page) < 997:
                    break
                before = sort_key(page[-1])
            assert got == reference(crowded, **shape), shape


def test_status_names_and_the_pipeline():
    assert company_statuses(["pipeline", "Target", "closed"]) == ("target", "applied", "interviewing", "closed")
    with pytest.raises(Exception, match="company status"):
        company_statuses(["dreaming"])


def test_the_migration_gives_an_old_notebook_its_list_indexes(tmp_path):
    import shutil

    fixture = Path(__file__).parent / "fixtures" / "notebooks" / "after_007.sqlite"
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    with Notebook(path) as nb:
        indexes = dict(nb.db.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'news_items'").fetchall())
        assert "ifnull(published, fetched_at)" in indexes["news_unread"]
        assert "ifnull(published, fetched_at)" in indexes["news_company_state"]
        assert "WHERE starred = 1 AND deleted = 0" in indexes["news_starred"]
        assert [i.title for i in nb.news()] == [
            "Quillfeather hires zeppelin engineers",
            "Quillfeather opens a marmalade lab",
        ]


# -- marks, deletions, search --------------------------------------------------------------------------------------


def two_items(nb: Notebook) -> tuple[int, int]:
    company = nb.add_company("Acme")
    feed = nb.add_feed(company.id, "https://acme.example/feed.xml")
    nb.db.conn.executemany(
        "INSERT INTO news_items (feed_id, company_id, entry_id, title, fetched_at) VALUES (?, ?, ?, ?, ?)",
        [(feed.id, company.id, "a", "Alpha", "2026-01-01T00:00:00Z"), (feed.id, company.id, "b", "Beta", "2026-01-02")],
    )
    a, b = (r[0] for r in nb.db.execute("SELECT id FROM news_items ORDER BY id"))
    return a, b


def test_marking_several_items_is_all_or_nothing(nb):
    a, b = two_items(nb)
    assert [i.id for i in nb.set_news_flags([b, a, b], read=True, starred=True)] == [b, a]
    assert all(i.read and i.starred for i in nb.news())
    with pytest.raises(NotFound, match="no news item with id 999"):
        nb.set_news_flags([a, 999], read=False)
    assert all(i.read for i in nb.news())  # nothing changed
    nb.delete_news_items([b])
    with pytest.raises(NotFound, match=f"news item {b} was deleted"):
        nb.set_news_flags([a, b], starred=False)
    assert nb.news_item(a).starred


def test_deleting_says_what_it_did(nb):
    a, b = two_items(nb)
    done = nb.delete_news_items([a])
    assert [i.id for i in done.deleted] == [a] and done.already == []
    again = nb.delete_news_items([a, b])
    assert [i.id for i in again.deleted] == [b] and again.already == [a]
    assert nb.news() == [] and nb.count_news() == 0
    with pytest.raises(NotFound):
        nb.delete_news_items([12345])


def test_search_ranks_the_newest_news_matches_and_says_where_each_hit_lives(nb, monkeypatch):
    a, b = two_items(nb)
    company = nb.news_item(a).company_id
    feed = nb.news_item(a).feed_id
    nb.db.conn.executemany(
        "INSERT INTO news_items (feed_id, company_id, entry_id, title, fetched_at) VALUES (?, ?, ?, ?, ?)",
        [(feed, company, f"z{n}", f"Zeppelin news {n}", "2026-02-01") for n in range(30)],
    )
    newest = [r[0] for r in nb.db.execute("SELECT id FROM news_items ORDER BY id DESC LIMIT 10")]
    monkeypatch.setattr(news_store, "NEWS_CANDIDATES", 10)
    hits = nb.search("zeppelin", limit=1)
    assert len(hits) == 1 and hits[0]["id"] in newest
    assert len(nb.search("zeppelin", limit=50)) == 30  # five times the limit are ranked
    nb.add_note("Ask about the **zeppelin** team", news_item=b)
    (note,) = [h for h in search_hits(nb, "zeppelin team") if h.kind == "note"]
    assert (note.title, note.detail) == ("Ask about the zeppelin team", "on Beta (news item)")
    assert (note.company_id, note.news_item_id, note.person_id) == (company, b, None)


def test_short_words_match_whole_words_in_the_news_and_prefixes_elsewhere(nb):
    a, _ = two_items(nb)
    nb.db.execute("UPDATE news_items SET title = 'Ab testing at Abacus' WHERE id = ?", [a])
    nb.add_company("Abacus Systems")
    hits = {(h["kind"], h["title"]) for h in nb.search("ab")}
    assert ("news", "Ab testing at Abacus") in hits and ("company", "Abacus Systems") in hits
    nb.db.execute("UPDATE news_items SET title = 'Abacus alone' WHERE id = ?", [a])
    assert {h["kind"] for h in nb.search("ab")} == {"company"}  # "ab" is no word of that item
    assert {h["kind"] for h in nb.search("aba")} == {"company", "news"}


# -- the TUI ----------------------------------------------------------------------------------------------------


async def settle(pilot, rounds: int = 4) -> None:
    """Let the workers a key started (and those their results start) finish and render."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_inbox(pilot) -> tuple[NewsScreen, NewsView]:
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewsScreen)
    return pilot.app.screen, pilot.app.screen.query_one(NewsView)


def title(screen) -> str:
    return str(screen.query_one("#title-bar").render())


async def test_the_inbox_shows_the_pipeline_only_then_every_company_again(demo_db):
    with Notebook(demo_db) as nb:
        pipeline = {c.id for c in nb.companies() if c.status in PIPELINE}
        unread = nb.count_news(unread=True, statuses=PIPELINE)
        assert 0 < unread < nb.count_news(unread=True)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await asyncio.wait_for(open_inbox(pilot), 10)
        await pilot.press("f", "1")  # the pipeline
        await asyncio.wait_for(settle(pilot), 10)
        assert view.statuses == PIPELINE and len(view.items) == unread
        assert {i.company_id for i in view.items} <= pipeline
        assert f"{unread} unread · pipeline companies" in title(screen)
        await pilot.press("f", "0")  # every company
        await asyncio.wait_for(settle(pilot), 10)
        assert view.statuses == () and not {i.company_id for i in view.items} <= pipeline
        assert "pipeline" not in title(screen)


async def test_c_opens_the_items_company_at_the_item(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        _, view = await asyncio.wait_for(open_inbox(pilot), 10)
        view.table.move_cursor(row=3)
        await pilot.pause()
        item = view.current()
        await pilot.press("c")
        await asyncio.wait_for(settle(pilot), 10)
        screen = app.screen
        assert isinstance(screen, CompanyScreen) and screen.company_id == item.company_id
        assert screen.query_one(TabbedContent).active == "news"
        assert screen.query_one("#company-news", NewsView).current().id == item.id
        depth = len(app.screen_stack)
        await pilot.press("c")  # no other company to open from a company's own list
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == depth


@pytest.fixture
def many_unread(tmp_path) -> Path:
    path = tmp_path / "many.db"
    with Notebook(path) as nb:
        company = nb.add_company("Acme", status="target")
        feed = nb.add_feed(company.id, "https://acme.example/feed.xml")
        nb.db.conn.executemany(
            "INSERT INTO news_items (feed_id, company_id, entry_id, title, published, fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (feed.id, company.id, f"e{n}", f"Item {n}", f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}Z", "x")
                for n in range(450)
            ],
        )
        nb.db.conn.commit()
    return path


async def test_the_inbox_loads_in_a_worker_and_pages_as_the_cursor_goes_down(many_unread, monkeypatch):
    """Reading the notebook never runs on the event loop: a slow query leaves the loop free, then the rows show."""
    real = Notebook.news
    threads = []
    gate = threading.Event()  # the first read waits here until the test has watched the loop beat

    def slow_news(self, *args, **kwargs):
        threads.append(threading.current_thread())
        if len(threads) == 1:
            gate.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Notebook, "news", slow_news)
    app = make_app(many_unread)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        view = app.screen.query_one(NewsView)
        gaps = []
        started = time.perf_counter()
        while (len(gaps) < 50 or not threads) and time.perf_counter() - started < 10:
            # The query is held: the loop must still beat every 10 ms or so.
            beat = time.perf_counter()
            await asyncio.sleep(0.01)
            gaps.append(time.perf_counter() - beat)
        assert threads and not view.items
        assert sorted(gaps)[len(gaps) // 2] < 0.05, gaps
        gate.set()
        await settle(pilot)
        assert len(view.items) == PAGE
        for _ in range(4):
            await pilot.press("ctrl+end")
            await asyncio.wait_for(settle(pilot), 10)
        ids = [i.id for i in view.items]
        assert len(ids) == len(set(ids)) == 450 and view.items == sorted(view.items, key=sort_key, reverse=True)
        assert threading.main_thread() not in threads


async def test_a_search_hit_further_down_opens_at_its_item(many_unread):
    with Notebook(many_unread) as nb:
        deep = nb.news()[PAGE + 50]
    app = make_app(many_unread)
    async with app.run_test(size=SIZE) as pilot:
        app.open_company(deep.company_id, tab="news", news_item=deep.id)
        await asyncio.wait_for(settle(pilot), 10)
        assert app.screen.query_one("#company-news", NewsView).current().id == deep.id


async def test_typing_a_search_never_waits_for_it_and_shows_the_last_query(demo_db, monkeypatch):
    real = Notebook.search
    threads = []

    def slow_search(self, query, limit=50):
        threads.append(threading.current_thread())
        time.sleep(0.15)
        return real(self, query, limit)

    monkeypatch.setattr(Notebook, "search", slow_search)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press(*"zahlwerk")
        assert time.perf_counter() - started < 1.0  # 8 searches of 0.15 s would take 1.2 s on the loop
        await asyncio.wait_for(settle(pilot), 10)
        screen = app.screen
        assert screen.query_text == "zahlwerk" and screen.results
        assert all(
            "Zahlwerk" in h.title or "Zahlwerk" in (h.subject or "") or h.kind != "company" for h in screen.results
        )
        assert screen.query_one(DataTable).row_count == len(screen.results)
        assert threading.main_thread() not in threads


def test_a_search_can_be_interrupted(tmp_path):
    """A newer query stops the older one's statement (sqlite3 interrupt), which the worker then drops."""
    path = tmp_path / "x.db"
    with Notebook(path) as nb:
        nb.add_company("Acme")
        conn = nb.db.conn
        timer = threading.Timer(0.05, conn.interrupt)
        timer.start()
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            conn.execute(
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
            ).fetchone()
        timer.join()


def test_mining_reads_a_companys_newest_items_in_index_order(crowded):
    """The newest items of the biggest company, read and unread merged in the order of the index (one ORDER BY
    sorted all of its items: 35 ms for the 11,000 of the biggest company of a million, against 4), are those a
    sort of all of them gives."""
    company = crowded.db.execute("SELECT company_id FROM news_items GROUP BY 1 ORDER BY count(*) DESC").fetchone()[0]
    sorted_whole = crowded.db.conn.execute(
        "SELECT id, title, summary FROM news_items WHERE company_id = ? AND deleted = 0"
        " ORDER BY ifnull(published, fetched_at) DESC, id DESC LIMIT 300",
        [company],
    ).fetchall()
    assert len(sorted_whole) == 300
    assert crowded.company_news_texts(company, limit=300) == sorted_whole
    (plan,) = plans_of(crowded, lambda: crowded.company_news_texts(company, limit=300), marker="FROM news_items")
    assert not any("TEMP B-TREE" in line for line in plan), plan
    assert all("USING INDEX news_company_state" in line for line in plan if line.startswith(("SCAN", "SEARCH")))
