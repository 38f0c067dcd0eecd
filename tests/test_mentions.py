"""Members in the news: which items name which people and companies, linked when stored and backfilled in bulk."""

from __future__ import annotations

import json
import re

import pytest

from researcher.store import mentions
from researcher.store.mentions import NameMatcher, name_forms, org_key, organisations
from researcher.sync.parse import Entry
from researcher.tui.widgets.news_view import _people_labels

_serial = iter(range(1, 10**6))


def entry(title: str, summary: str = "") -> Entry:
    n = next(_serial)
    return Entry(f"e{n}", title, summary, None, "2026-11-20T08:00:00Z", f"h{n}")


def matcher(*people: str, companies: tuple[str, ...] = ()) -> NameMatcher:
    forms = [f for i, name in enumerate(people) for f in name_forms("person", i, name)]
    forms += [f for i, name in enumerate(companies) for f in name_forms("company", 100 + i, name)]
    return NameMatcher(forms)


def people_named(m: NameMatcher, text: str) -> set[int]:
    return {ref for kind, ref in m.find(text) if kind == "person"}


# -- the matching rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, named",
    [
        ("Lena Hoffmann joins the board", True),
        ("LENA HOFFMANN joins", True),  # case folded
        ("Léna Höffmann joins", True),  # accents folded
        ("an interview with Lena Hoffmann's team", True),  # a possessive is still her name
        ("Lena and Hoffmann met", False),  # not the words in order
        ("Lena joins the board", False),  # a first name alone names nobody
        ("Hoffmann joins the board", False),
        ("Lena Hoffmannsthal joins", False),  # a name inside a longer word
        ("Milena Hoffmann joins", False),
    ],
)
def test_a_person_is_named_by_their_whole_name_on_word_boundaries(text, named):
    assert people_named(matcher("Lena Hoffmann"), text) == ({0} if named else set())


def test_a_first_name_alone_never_matches_even_when_it_is_someone_s_whole_name():
    m = matcher("Anne", "Anne Dupont")
    assert people_named(m, "Anne said hello") == set()  # "Anne" alone names nobody, not even a person named Anne
    assert people_named(m, "Anne Dupont said hello") == {1}


def test_strokes_fold_like_accents():
    m = matcher("Łukasz Kamiński", "Jürgen Weiß")
    assert people_named(m, "Lukasz Kaminski leads the desk; Juergen is away") == {0}
    assert people_named(m, "JÜRGEN WEISS on SCADA") == {1}


def test_the_longest_name_wins_where_two_overlap():
    m = matcher("Anne Marie Dupont", "Marie Dupont")
    assert people_named(m, "Anne Marie Dupont spoke") == {0}
    assert people_named(m, "Marie Dupont spoke") == {1}
    assert people_named(m, "Anne Marie Dupont and Marie Dupont spoke") == {0, 1}


def test_a_company_is_named_with_or_without_its_legal_form():
    m = matcher(companies=("Zahlwerk GmbH", "Rutas Claras SL"))
    assert m.find("Zahlwerk GmbH raises") == {("company", 100)}
    assert m.find("Payouts by Zahlwerk") == {("company", 100)}
    assert m.find("a pilot with Rutas Claras in Madrid") == {("company", 101)}


def test_a_company_whose_name_is_a_common_word_needs_its_capital():
    m = matcher(companies=("Orange SA", "Apple"))
    assert m.find("Orange signs a deal") == {("company", 100)}
    assert m.find("an orange juice and an apple") == set()
    assert m.find("Apple and Orange SA") == {("company", 100), ("company", 101)}
    assert m.find("orange sa") == {("company", 100)}  # the full name needs no capital


@pytest.mark.parametrize("name", ["Via", "Die AG", "Le SA", "Ab"])
def test_a_one_word_company_name_that_is_a_stopword_never_matches_alone(name):
    m = matcher(companies=(name,))
    assert m.find(f"{name.split()[0]} said today that Via and Die Zeit and Le Monde were there") == set()


def test_organisations_with_a_legal_form_are_found_with_their_key():
    found = organisations("Yesterday we signed with Albion Ledger Ltd. and Polsieć Systemy Sp. z o.o. joined")
    assert found["albion ledger"] == "Albion Ledger Ltd."
    assert found["polsiec systemy"].startswith("Polsieć Systemy Sp. z o.o")
    assert organisations("the sa and ag are not companies") == {}
    assert org_key("Zahlwerk GmbH") == org_key("ZAHLWERK") == "zahlwerk"


# -- linking in the notebook ------------------------------------------------------------------------------------


@pytest.fixture
def world(nb):
    nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
    nb.add_company("Caudal Finanzas", sector="Fintech")
    nb.add_person("Lena Hoffmann", company="zahlwerk-gmbh", title="Head of Product")
    feed = nb.add_feed("zahlwerk-gmbh", "https://zahlwerk.example/feed.xml")
    other = nb.add_feed("caudal-finanzas", "https://caudal.example/feed.xml")
    nb.link_mentions()  # nothing stored yet: the queue empties
    return nb, feed.id, other.id


def named(nb, item_id: int) -> tuple[set[str], set[str], set[str]]:
    found = nb.named_in_item(item_id)
    return (
        {p["name"] for p in found["people"]},
        {c["name"] for c in found["companies"]},
        {o["org_key"] for o in found["organisations"]},
    )


def test_items_are_linked_when_stored(world):
    nb, feed, other = world
    nb.save_fetch(feed, [entry("Lena Hoffmann on payouts", "We chose Caudal Finanzas. Albion Ledger Ltd audits it.")])
    nb.save_fetch(other, [entry("Caudal chooses Zahlwerk payouts")])
    zahlwerk_item, caudal_item = (i.id for i in sorted(nb.news(), key=lambda i: i.feed_id))
    assert named(nb, zahlwerk_item) == ({"Lena Hoffmann"}, {"Caudal Finanzas"}, {"albion ledger"})
    # Zahlwerk's own item does not count as naming Zahlwerk; Caudal's item naming Zahlwerk does.
    assert named(nb, caudal_item) == (set(), {"Zahlwerk GmbH"}, set())
    assert [i["id"] for i in nb.news_naming(company="zahlwerk-gmbh")] == [caudal_item]
    assert [i["id"] for i in nb.news_naming(person="lena-hoffmann")] == [zahlwerk_item]


def test_a_changed_item_is_linked_again(world):
    nb, feed, _ = world
    nb.save_fetch(feed, [Entry("x1", "Lena Hoffmann joins", "", None, None, "h1")])
    nb.save_fetch(feed, [Entry("x1", "A new head of product", "", None, None, "h2")])
    assert nb.news_naming(person="lena-hoffmann") == []


@pytest.mark.parametrize("fts_names", [mentions.FTS_NAMES, 0], ids=["full-text index", "one pass"])
def test_people_and_companies_added_later_are_found_in_the_stored_news(world, monkeypatch, fts_names):
    nb, feed, _ = world
    monkeypatch.setattr(mentions, "FTS_NAMES", fts_names)
    nb.save_fetch(feed, [entry("Marek Dąbrowski explains Ledgerkern", "With Banco Brisa and Marek's team")])
    nb.save_fetch(feed, [entry("Nothing about anyone")])
    assert nb.news_naming(person="lena-hoffmann") == []
    nb.add_person("Marek Dabrowski")
    nb.add_company("Banco Brisa")
    assert [i["title"] for i in nb.news_naming(person="marek-dabrowski")] == ["Marek Dąbrowski explains Ledgerkern"]
    assert [i["title"] for i in nb.news_naming(company="banco-brisa")] == ["Marek Dąbrowski explains Ledgerkern"]
    assert nb._scalar("SELECT count(*) FROM mention_queue") == 0


def test_a_renamed_person_is_linked_by_the_new_name_only(world):
    nb, feed, _ = world
    nb.save_fetch(feed, [entry("Lena Hoffmann joins"), entry("Lena Schulz joins")])
    nb.edit_person("lena-hoffmann", name="Lena Schulz")
    assert [i["title"] for i in nb.news_naming(person="lena-hoffmann")] == ["Lena Schulz joins"]


def test_removing_a_person_removes_their_links_and_the_matcher_forgets_them(world):
    nb, feed, _ = world
    nb.save_fetch(feed, [entry("Lena Hoffmann joins")])
    nb.remove_person("lena-hoffmann")
    assert nb._scalar("SELECT count(*) FROM news_people") == 0
    nb.save_fetch(feed, [entry("Lena Hoffmann leaves")])  # would fail on the foreign key with a stale matcher
    assert nb._scalar("SELECT count(*) FROM news_people") == 0


def test_tracking_an_organisation_links_its_news_and_positions(world):
    nb, feed, _ = world
    nb.save_fetch(feed, [entry("Audit", "Albion Ledger Ltd audits our ledger")])
    nb.add_person("Ann Lee")
    nb.add_position("ann-lee", company_name="Albion Ledger Ltd", title="Analyst", start="2015-01", end="2018-01")
    company, counts = nb.track_organisation("albion ledger")
    assert company.name == "Albion Ledger Ltd"  # the careers' spelling: that name keeps naming it
    assert counts == {"positions_linked": 1, "news_linked": 1}
    assert nb._scalar("SELECT count(*) FROM news_orgs") == 0
    assert nb.company("Albion Ledger Ltd").id == company.id
    assert [p.company_id for p in nb.positions_of("ann-lee")] == [company.id]


def test_backfill_reads_the_items_in_bulk_not_one_query_per_item(world, monkeypatch):
    nb, feed, _ = world
    nb.save_fetch(feed, [entry(f"Item {i}", "Marek Dabrowski and others" if i % 3 else "nobody") for i in range(400)])
    for fts_names in (mentions.FTS_NAMES, 0):
        monkeypatch.setattr(mentions, "FTS_NAMES", fts_names)
        nb.add_person(f"Marek Dabrowski {fts_names}")
        nb.add_person("Marek Dabrowski")
        statements: list[str] = []
        nb.db.conn.set_trace_callback(statements.append)
        try:
            nb.link_mentions()
        finally:
            nb.db.conn.set_trace_callback(None)
        reads = [s for s in statements if re.search(r"FROM news_items\b", s)]
        assert len(reads) <= 3, reads[:5]
        assert len(nb.news_naming(person=nb.people(query="Marek Dabrowski")[0].id, limit=1000)) == 266
        nb.remove_person(nb.people(query="Marek Dabrowski")[0].id)
        for p in nb.people(query="Marek Dabrowski"):
            nb.remove_person(p.id)


def test_relinking_everything_gives_the_same_links(world):
    nb, feed, other = world
    nb.save_fetch(feed, [entry("Lena Hoffmann and Caudal Finanzas", "Albion Ledger Ltd too")])
    nb.save_fetch(other, [entry("Zahlwerk and Lena Hoffmann")])
    before = [nb._rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("news_people", "news_companies", "news_orgs")]
    assert nb.relink_all_mentions() == 5
    after = [nb._rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("news_people", "news_companies", "news_orgs")]
    assert after == before


def test_show_json_of_a_person_and_a_company_lists_the_news_naming_them(run_cli, db_path):
    from researcher.store import Notebook

    with Notebook(db_path) as nb:
        nb.add_company("Zahlwerk GmbH")
        nb.add_company("Caudal Finanzas")
        nb.add_person("Lena Hoffmann")
        feed = nb.add_feed("caudal-finanzas", "https://caudal.example/feed.xml")
        nb.save_fetch(feed.id, [entry("Lena Hoffmann of Zahlwerk visits")])
    person = json.loads(run_cli("person", "show", "lena-hoffmann", "--json").stdout)
    company = json.loads(run_cli("company", "show", "zahlwerk-gmbh", "--json").stdout)
    assert [i["title"] for i in person["in_the_news"]] == ["Lena Hoffmann of Zahlwerk visits"]
    assert [i["title"] for i in company["in_the_news"]] == ["Lena Hoffmann of Zahlwerk visits"]


def test_the_pass_for_many_names_goes_a_batch_at_a_time_and_resumes(world, monkeypatch, tmp_path):
    """A reader spends a small budget on it and reads what is linked; each batch is its own transaction; the next
    call (or the sync) goes on from where it stopped, and the end result is the one pass's."""
    nb, feed, _ = world
    nb.save_fetch(feed, [entry(f"Item {n}: Marek Dąbrowski at Banco Brisa") for n in range(12)])
    monkeypatch.setattr(mentions, "FTS_NAMES", 0)  # two names are "many": the pass over every item
    monkeypatch.setattr(mentions, "_SCAN_BATCH", 5)
    nb.add_person("Marek Dabrowski")
    nb.add_company("Banco Brisa")
    nb.link_mentions(budget=0)  # a reader with no time: the pass is set up, nothing read yet
    assert nb.mentions_pending() == 12 and nb.news_naming(person="marek-dabrowski", limit=100) == []
    nb.link_mentions(budget=-1)  # out of time at once: one batch goes through all the same, then it stops
    assert nb.mentions_pending() == 7
    assert len(nb.news_naming(person="marek-dabrowski", limit=100)) == 5
    assert not nb.db.conn.in_transaction  # each batch committed: other writers wait one batch at most
    nb.link_mentions()  # as the sync does: to the end
    assert nb.mentions_pending() == 0
    assert len(nb.news_naming(person="marek-dabrowski", limit=100)) == 12
    assert len(nb.news_naming(company="banco-brisa", limit=100)) == 12


def test_the_sync_finishes_the_pass_left_by_readers(tmp_path, monkeypatch):
    from researcher.store import Notebook
    from researcher.sync.engine import Syncer

    path = tmp_path / "nb.db"
    with Notebook(path) as nb:
        acme = nb.add_company("Acme")
        feed = nb.add_feed(acme.id, "https://acme.example/feed.xml")
        nb.save_fetch(feed.id, [entry(f"Ann Lee speaks, part {n}") for n in range(3)])
        monkeypatch.setattr(mentions, "FTS_NAMES", 0)
        nb.add_person("Ann Lee")
        nb.link_mentions(budget=0)
        assert nb.mentions_pending() == 3
        nb.db.conn.execute("UPDATE feeds SET next_attempt_at = '2999-01-01'")  # nothing due: only the pass runs
        nb.db.conn.commit()
    Syncer(path).run()
    with Notebook(path) as nb:
        assert nb.mentions_pending() == 0 and len(nb.news_naming(person="ann-lee")) == 3


def test_people_of_one_name_are_all_named_with_where_they_are_the_one_at_the_items_company_first(world):
    nb, feed, other = world
    nb.add_person("Anna Schmidt", company="caudal-finanzas", title="CFO")
    nb.add_person("Anna Schmidt", company="zahlwerk-gmbh", title="Engineer")
    nb.add_person("Anna Schmidt")  # at no company now
    nb.save_fetch(feed, [entry("Anna Schmidt joins the payouts team")])
    (item,) = nb.news()
    people = nb.named_in_item(item.id)["people"]
    assert [p["company"] for p in people] == ["Zahlwerk GmbH", "Caudal Finanzas", None]  # the item is Zahlwerk's
    assert _people_labels({"people": people}) == [
        "Anna Schmidt (Zahlwerk GmbH)",
        "Anna Schmidt (Caudal Finanzas)",
        "Anna Schmidt (no company now)",
    ]
    assert _people_labels({"people": people[:1]}) == ["Anna Schmidt"]  # a name of one person: as it is
