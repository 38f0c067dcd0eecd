"""The store: schema and connection, lookups, validation, cascades, search, feeds, clean text."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from researcher.store import Ambiguous, Invalid, Notebook, NotFound
from researcher.store.models import Position
from researcher.store.schema import migrations
from researcher.sync.parse import Entry, parse_bytes

# -- schema and connection ----------------------------------------------------


def test_schema_is_created_through_sqlite_utils_migrations(nb):
    applied = [m.name for m in migrations.applied(nb.db)]
    registered = [m.name for m in migrations._migrations]
    assert applied == registered and applied, "every registered migration is recorded"
    assert migrations.pending(nb.db) == []
    rows = list(nb.db["_sqlite_migrations"].rows_where("migration_set = ?", ["researcher"]))
    assert [r["name"] for r in rows] == registered
    for table in ("companies", "people", "positions", "relationships", "feeds", "news_items", "notes", "terms"):
        assert nb.db[table].exists(), table


def test_reopening_a_notebook_applies_nothing_twice_and_keeps_the_data(db_path):
    with Notebook(db_path) as first:
        first.add_company("Banque Éclair", sector="Fintech")
        first.add_person("Hélène Dubois", company="banque-eclair", title="CTO", start="2021-09")
        before = list(first.db["_sqlite_migrations"].rows)
    with Notebook(db_path) as again:
        assert list(again.db["_sqlite_migrations"].rows) == before
        assert again.company("banque eclair").sector == "Fintech"
        assert again.person("helene dubois").title == "CTO"
        assert again.search("eclair")[0]["title"] == "Banque Éclair"
    with Notebook(db_path) as third:
        assert [c.name for c in third.companies()] == ["Banque Éclair"]
        assert list(third.db["_sqlite_migrations"].rows) == before


def test_a_notebook_file_is_private_and_uses_wal_foreign_keys_and_a_busy_timeout(db_path):
    with Notebook(db_path) as book:
        book.add_company("Acme")  # a write, so the -wal file exists too
        assert book.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert book.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert book.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        for suffix in ("", "-wal"):
            path = f"{db_path}{suffix}"
            if os.path.exists(path):
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    # WAL is a property of the file: another connection sees it.
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


# -- slugs and lookups --------------------------------------------------------


def test_slugs_come_from_python_slugify(nb):
    assert nb.add_company("Banque Éclair & Fils").slug == "banque-eclair-fils"
    assert nb.add_person("Łukasz Żółć").slug == "lukasz-zolc"


def test_names_that_slug_the_same_get_distinct_slugs(nb):
    first = nb.add_company("Société Générale")
    second = nb.add_company("Societe Generale")
    third = nb.add_company("SOCIÉTÉ GÉNÉRALE!")
    assert first.slug == "societe-generale"
    assert len({first.slug, second.slug, third.slug}) == 3
    assert nb.company(second.slug).name == "Societe Generale"
    assert nb.company(third.slug).name == "SOCIÉTÉ GÉNÉRALE!"


def test_people_with_the_same_name_get_distinct_slugs(nb):
    a = nb.add_person("Anna Nowak")
    b = nb.add_person("Anna Nowak")
    assert a.slug != b.slug
    assert nb.person(b.slug).id == b.id


@pytest.mark.parametrize(
    "ref",
    [
        "Société Générale",
        "societe generale",
        "SOCIETE GENERALE",
        "société générale",
        "societe-generale",
        "SOCIETE-GENERALE",
    ],
)
def test_company_lookup_by_slug_or_name_ignores_case_and_accents(nb, ref):
    company = nb.add_company("Société Générale")
    nb.add_company("Other Bank")
    assert nb.company(ref).id == company.id


def test_person_lookup_by_slug_or_name_ignores_case_and_accents(nb):
    person = nb.add_person("Łukasz Żółć")
    for ref in ("Łukasz Żółć", "lukasz zolc", "LUKASZ ZOLC", "lukasz-zolc", person.id):
        assert nb.person(ref).id == person.id


def test_an_ambiguous_name_names_the_slugs_and_the_slug_still_works(nb):
    first = nb.add_company("Société Générale")
    second = nb.add_company("Societe Generale")
    with pytest.raises(Ambiguous) as excinfo:
        nb.company("societe generale")
    message = str(excinfo.value)
    assert first.slug in message and second.slug in message
    assert nb.company(first.slug).id == first.id
    assert nb.company(second.slug).id == second.id
    assert nb.company(second.slug.upper()).id == second.id
    # The exact spelling of one name picks it out.
    assert nb.company("Société Générale").id == first.id


def test_an_ambiguous_person_name_raises(nb):
    a = nb.add_person("Anna Nowak")
    b = nb.add_person("anna nowak")
    with pytest.raises(Ambiguous) as excinfo:
        nb.person("ANNA NOWAK")
    assert a.slug in str(excinfo.value) and b.slug in str(excinfo.value)


def test_an_unknown_name_raises_not_found_with_a_suggestion(nb):
    nb.add_company("Banque Éclair")
    with pytest.raises(NotFound) as excinfo:
        nb.company("eclair")
    assert "eclair" in str(excinfo.value)
    assert "banque-eclair" in str(excinfo.value)  # the suggestion
    with pytest.raises(NotFound):
        nb.company("Zzyzx Corp")
    with pytest.raises(NotFound):
        nb.person("Nobody")
    with pytest.raises(NotFound):
        nb.company(999)


def test_an_empty_reference_is_invalid(nb):
    with pytest.raises(Invalid):
        nb.company("   ")


# -- companies ------------------------------------------------------------------


def test_company_fields_are_validated(nb):
    with pytest.raises(Invalid):
        nb.add_company("")
    with pytest.raises(Invalid):
        nb.add_company("\x1b[0m\u202e")  # nothing left once cleaned
    with pytest.raises(Invalid):
        nb.add_company("Acme", website="ftp://acme.example")
    with pytest.raises(Invalid):
        nb.add_company("Acme", status="dreaming")
    assert nb.companies() == []
    acme = nb.add_company("Acme", website="https://acme.example", status="target", sector="Retail")
    assert (acme.website, acme.status, acme.sector) == ("https://acme.example", "target", "Retail")


def test_edit_company_changes_fields_and_keeps_the_slug(nb):
    acme = nb.add_company("Acme")
    edited = nb.edit_company("acme", name="Acme Corp", status="applied")
    assert (edited.id, edited.slug, edited.name, edited.status) == (acme.id, "acme", "Acme Corp", "applied")
    assert nb.company("acme corp").id == acme.id


def test_companies_filter_by_sector_ignoring_accents(nb):
    nb.add_company("A", sector="Énergie")
    nb.add_company("B", sector="Fintech")
    assert [c.name for c in nb.companies(sector="energie")] == ["A"]


# -- me -------------------------------------------------------------------------


def test_exactly_one_person_is_me(nb):
    ann = nb.add_person("Ann", me=True)
    bob = nb.add_person("Bob")
    assert nb.me().id == ann.id
    nb.set_me("bob")
    assert nb.me().id == bob.id
    assert nb.person("ann").is_me is False
    assert [p.name for p in nb.people() if p.is_me] == ["Bob"]
    nb.add_person("Cid", me=True)
    assert [p.name for p in nb.people() if p.is_me] == ["Cid"]


def test_the_unique_index_forbids_two_mes(nb):
    nb.add_person("Ann", me=True)
    bob = nb.add_person("Bob")
    with pytest.raises(sqlite3.IntegrityError):
        nb.db.execute("UPDATE people SET is_me = 1 WHERE id = ?", [bob.id])


def test_no_me_until_one_is_set(nb):
    nb.add_person("Ann")
    assert nb.me() is None


# -- positions ----------------------------------------------------------------


@pytest.fixture
def acme_and_ann(nb):
    nb.add_company("Acme Corp")
    nb.add_person("Ann Lee")
    return nb


@pytest.mark.parametrize("bad", ["2020-13", "2020-1", "abc", "2020-00", "2020/01", "20-01", "2020-01-15"])
def test_position_dates_must_be_yyyy_mm(acme_and_ann, bad):
    nb = acme_and_ann
    with pytest.raises(Invalid):
        nb.add_position("ann-lee", company="acme-corp", title="Dev", start=bad)
    with pytest.raises(Invalid):
        nb.add_position("ann-lee", company="acme-corp", title="Dev", start="2019-01", end=bad)
    assert nb.positions_of("ann-lee") == []


def test_position_end_before_start_is_rejected(acme_and_ann):
    nb = acme_and_ann
    with pytest.raises(Invalid):
        nb.add_position("ann-lee", company="acme-corp", title="Dev", start="2020-06", end="2020-05")
    assert nb.positions_of("ann-lee") == []
    same_month = nb.add_position("ann-lee", company="acme-corp", title="Intern", start="2020-06", end="2020-06")
    assert same_month.end == "2020-06"


def test_an_open_end_is_the_current_position(acme_and_ann):
    nb = acme_and_ann
    past = nb.add_position("ann-lee", company="acme-corp", title="Dev", start="2015-01", end="2019-12")
    now = nb.add_position("ann-lee", company="acme-corp", title="Lead", start="2020-01")
    assert now.end is None and now.current
    assert not past.current
    ann = nb.person("ann-lee")
    assert (ann.company, ann.title) == ("Acme Corp", "Lead")
    assert [p.title for p in nb.positions_at("acme-corp", current=True)] == ["Lead"]
    assert [p.title for p in nb.positions_at("acme-corp", current=False)] == ["Dev"]
    assert nb.company("acme-corp").people_count == 1
    assert [p.title for p in nb.positions_of("ann-lee")] == ["Dev", "Lead"]


def test_an_untracked_company_is_kept_by_name(acme_and_ann):
    nb = acme_and_ann
    pos = nb.add_position("ann-lee", company_name="Tiny Startup", title="Founder", start="2010-01", end="2012-01")
    assert pos.company_id is None
    assert pos.company_name == "Tiny Startup"
    assert nb.positions_of("ann-lee")[0].company_name == "Tiny Startup"


def test_a_company_name_of_a_tracked_company_links_to_it(acme_and_ann):
    nb = acme_and_ann
    pos = nb.add_position("ann-lee", company_name="acme corp", title="Dev", start="2020-01")
    assert pos.company_id == nb.company("Acme Corp").id
    assert pos.company_name == "Acme Corp"
    assert [p.person_name for p in nb.positions_at("acme-corp")] == ["Ann Lee"]


def test_a_tracked_company_must_exist(acme_and_ann):
    with pytest.raises(NotFound):
        acme_and_ann.add_position("ann-lee", company="Nope Inc", title="Dev", start="2020-01")


def test_add_person_with_a_company_adds_the_position_in_one_go(nb):
    nb.add_company("Acme Corp")
    ann = nb.add_person("Ann Lee", company="acme corp", title="CTO", start="2021-09")
    assert (ann.company, ann.company_slug, ann.title) == ("Acme Corp", "acme-corp", "CTO")


def test_add_person_with_a_bad_position_adds_nobody(nb):
    nb.add_company("Acme Corp")
    with pytest.raises(Invalid):
        nb.add_person("Ann Lee", company="acme corp", title="CTO", start="2021-13")
    with pytest.raises(NotFound):
        nb.add_person("Ann Lee", company="Nope", title="CTO")
    with pytest.raises(Invalid):
        nb.add_person("Ann Lee", company="acme corp")  # a position needs a title
    assert nb.people() == []
    assert nb.counts()["positions"] == 0


def test_add_person_at_a_company_reports_the_real_problem(nb):
    nb.add_company("Acme Corp")
    with pytest.raises(NotFound, match="Nope"):
        nb.add_person("Ann Lee", company="Nope")  # the unknown company, not the missing title
    with pytest.raises(Invalid, match="title"):
        nb.add_person("Ann Lee", company="acme-corp", title="  ")
    with pytest.raises(Invalid, match="company"):
        nb.add_person("Ann Lee", title="CTO")
    assert nb.people() == []
    assert nb.counts()["positions"] == 0


# -- deletions ----------------------------------------------------------------


def _count(nb, table, where="1", params=()):
    return nb.db.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


def _fts_count(nb, table):
    return nb.db.execute(f"SELECT count(*) FROM {table}_fts").fetchone()[0]


def test_removing_a_company_removes_what_belongs_to_it_but_keeps_career_paths(nb, tmp_path):
    acme = nb.add_company("Zebracorp", sector="Fintech", description="Payments for zebras")
    other = nb.add_company("Other")
    feed = nb.add_feed(acme.id, "https://zebracorp.example/feed.xml")
    nb.save_fetch(feed.id, [Entry("1", "Zebracorp raises funds", "Quokkas invest", None, None, "h1")])
    item = nb.news(company=acme.id)[0]
    nb.add_note("Zebracorp note about quokkas", company=acme.id)
    nb.add_note("Note on the news: wombat", news_item=item.id)
    nb.add_term("Stripeology", "the zebra way", company=acme.id)
    nb.add_org_unit(acme.id, "Data", None)
    nb.add_note("Other note", company=other.id)
    ann = nb.add_person("Ann Lee")
    nb.add_position(ann.id, company=acme.id, title="Dev", start="2019-01", unit="Data")

    nb.remove_company("zebracorp")

    with pytest.raises(NotFound):
        nb.company("zebracorp")
    for table in ("feeds", "news_items", "terms", "org_units"):
        assert _count(nb, table) == 0, table
    assert [n.body for n in nb.notes(company=other.id)] == ["Other note"]
    assert _count(nb, "notes") == 1
    # No FTS ghosts: the search index lost every row with the company.
    for word in ("zebracorp", "zebras", "quokkas", "wombat", "stripeology", "zebra"):
        assert nb.search(word) == [], word
    assert _fts_count(nb, "companies") == 1
    assert _fts_count(nb, "news_items") == 0
    assert _fts_count(nb, "terms") == 0
    assert _fts_count(nb, "notes") == 1
    # The career path keeps the name.
    [pos] = nb.positions_of("ann-lee")
    assert (pos.company_id, pos.company_name, pos.org_unit_id) == (None, "Zebracorp", None)


def test_removing_a_person_removes_everything_about_them(nb):
    nb.add_company("Acme")
    me = nb.add_person("Me Myself", me=True)
    ann = nb.add_person("Annabelle Quartz", company="acme", title="CTO", headline="Quartzite expert")
    bob = nb.add_person("Bob")
    nb.add_relationship(me.id, ann.id)
    nb.add_relationship(ann.id, bob.id, kind="worked_with")
    nb.add_relationship(bob.id, ann.id, kind="introduced_by")
    nb.set_approach(ann.id, status="to contact")
    nb.add_interaction(ann.id, "email", "Sent a hello", when="2026-01-05")
    nb.db["invitations"].insert(
        {"person_id": ann.id, "network": "linkedin", "text": "Hello Ann", "created_at": "x", "updated_at": "x"}
    )
    nb.add_note("Annabelle likes obsidian", person=ann.id)
    nb.add_note("Bob likes tea", person=bob.id)

    nb.remove_person("annabelle quartz")

    with pytest.raises(NotFound):
        nb.person("annabelle-quartz")
    for table in ("positions", "relationships", "approach", "status_changes", "interactions", "invitations"):
        assert _count(nb, table, "1") == 0, table
    assert nb.relationships_of(me.id) == [] and nb.relationships_of(bob.id) == []
    assert [n.body for n in nb.notes(person=bob.id)] == ["Bob likes tea"]
    assert _count(nb, "notes") == 1
    for word in ("annabelle", "quartzite", "obsidian"):
        assert nb.search(word) == [], word
    assert _fts_count(nb, "people") == 2
    assert nb.company("acme").people_count == 0
    assert nb.me().id == me.id


# -- relationships and approach ----------------------------------------------


def test_one_relationship_per_pair_and_kind_whichever_way_round(nb):
    a, b = nb.add_person("Ann"), nb.add_person("Bob")
    nb.add_relationship("ann", "bob", strength=1)
    again = nb.add_relationship("bob", "ann", strength=3, how="school")
    assert _count(nb, "relationships") == 1
    assert (again.strength, again.how) == (3, "school")
    nb.add_relationship("ann", "bob", kind="worked_with")
    assert _count(nb, "relationships") == 2
    assert {(r.other_name, r.kind) for r in nb.relationships_of(a.id)} == {("Bob", "knows"), ("Bob", "worked_with")}
    assert {(r.other_name, r.kind) for r in nb.relationships_of(b.id)} == {("Ann", "knows"), ("Ann", "worked_with")}


def test_relationships_of_shows_both_directions(nb):
    ann, bob, cid = nb.add_person("Ann"), nb.add_person("Bob"), nb.add_person("Cid")
    nb.add_relationship("ann", "bob", strength=3)
    nb.add_relationship("cid", "ann", strength=1)
    seen = nb.relationships_of("ann")
    assert [(r.other_name, r.strength) for r in seen] == [("Bob", 3), ("Cid", 1)]
    assert all(r.person_id == ann.id for r in seen)
    assert [r.other_id for r in seen] == [bob.id, cid.id]
    assert [r.other_id for r in nb.relationships_of("bob")] == [ann.id]
    assert [r.other_id for r in nb.relationships_of("cid")] == [ann.id]


def test_a_relationship_needs_two_different_known_people(nb):
    nb.add_person("Ann")
    with pytest.raises(Invalid):
        nb.add_relationship("ann", "ann")
    with pytest.raises(NotFound):
        nb.add_relationship("ann", "ghost")
    with pytest.raises(Invalid):
        nb.add_relationship("ann", nb.add_person("Bob").id, strength=4)
    assert _count(nb, "relationships") == 0


def test_set_approach_logs_status_changes(nb):
    nb.add_person("Ann")
    nb.set_approach("ann", status="identified", at="2026-01-01")
    nb.set_approach("ann", status="to contact", at="2026-01-02")
    nb.set_approach("ann", priority=1, at="2026-01-03")  # no status change, nothing logged
    nb.set_approach("ann", status="to contact", at="2026-01-04")  # same status, nothing logged
    approach = nb.set_approach("ann", status="invited", at="2026-01-05")
    assert (approach.status, approach.priority) == ("invited", 1)
    changes = [(c["from_status"], c["to_status"], c["at"][:10]) for c in nb.status_changes("ann")]
    assert changes == [
        ("to contact", "invited", "2026-01-05"),
        ("identified", "to contact", "2026-01-02"),
        (None, "identified", "2026-01-01"),
    ]
    with pytest.raises(Invalid):
        nb.set_approach("ann", status="married")
    assert nb.approach("ann").status == "invited"


# -- notes --------------------------------------------------------------------


def test_notes_come_newest_first(nb):
    nb.add_company("Acme")
    nb.add_note("old", company="acme", created_at="2025-01-01")
    nb.add_note("newest", company="acme", created_at="2026-03-01")
    nb.add_note("middle", company="acme", created_at="2025-06-01")
    assert [n.body for n in nb.notes(company="acme")] == ["newest", "middle", "old"]
    # Two notes in the same second: the later one first.
    nb.add_person("Ann")
    nb.add_note("first", person="ann", created_at="2026-01-01T10:00:00Z")
    nb.add_note("second", person="ann", created_at="2026-01-01T10:00:00Z")
    assert [n.body for n in nb.notes(person="ann")] == ["second", "first"]
    assert nb.company("acme").last_note_at.startswith("2026-03-01")


def test_update_note(nb):
    nb.add_company("Acme")
    note = nb.add_note("draft", company="acme")
    updated = nb.update_note(note.id, "  final\n\nversion  ")
    assert updated.body == "final\n\nversion"
    assert nb.notes(company="acme")[0].body == "final\n\nversion"
    with pytest.raises(Invalid):
        nb.update_note(note.id, "  \n ")
    assert nb.note(note.id).body == "final\n\nversion"


def test_an_empty_note_is_rejected(nb):
    nb.add_company("Acme")
    for body in ("", "   ", "\n\t\n", "\x1b[0m"):
        with pytest.raises(Invalid):
            nb.add_note(body, company="acme")
    with pytest.raises(Invalid):
        nb.add_note("no subject")
    assert _count(nb, "notes") == 0


def test_a_note_keeps_its_lines(nb):
    nb.add_company("Acme")
    note = nb.add_note("# Title\n\n- one\n- two\n", company="acme")
    assert note.body == "# Title\n\n- one\n- two"


# -- search -------------------------------------------------------------------


def test_search_folds_accents(nb):
    nb.add_company("Société Générale", sector="Banque")
    nb.add_company("Acme")
    nb.add_note("Rencontre avec l'équipe de la Société", company="acme")
    nb.add_term("Société anonyme", "a public limited company")
    kinds = {(r["kind"], r["title"]) for r in nb.search("societe")}
    assert ("company", "Société Générale") in kinds
    assert ("note", "Rencontre avec l'équipe de la Société") in kinds
    assert ("term", "Société anonyme") in kinds
    assert {r["kind"] for r in nb.search("EQUIPE")} == {"note"}
    assert nb.search("Générale")[0]["title"] == "Société Générale"


def test_search_finds_people_and_news_and_not_deleted_news(nb):
    nb.add_company("Acme")
    nb.add_person("Renée Zołnierz", headline="Ingénieure données")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    nb.save_fetch(feed.id, [Entry("a", "Acme ouvre à Kraków", "", None, None, "h")])
    assert {r["kind"] for r in nb.search("renee")} == {"person"}
    assert {r["kind"] for r in nb.search("ingenieure")} == {"person"}
    assert {r["kind"] for r in nb.search("krakow")} == {"news"}
    nb.db.execute("UPDATE news_items SET deleted = 1")
    assert nb.search("krakow") == []


def _fts_ok(nb) -> None:
    # FTS5's own check that the index matches its content table (raises when it does not);
    # queued items first, or the check would count them as missing.
    nb.index_news()
    nb.db.execute("INSERT INTO news_items_fts (news_items_fts, rank) VALUES ('integrity-check', 1)")


def test_news_stored_but_not_yet_indexed_is_still_found(nb):
    # A sync indexes its items in batches; one killed before its batch still leaves them findable.
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    nb.save_fetch(feed.id, [Entry("a", "Acme opens in Kraków", "", None, None, "h")])
    assert nb._scalar("SELECT count(*) FROM news_fts_pending") == 1
    assert [r["title"] for r in nb.search("krakow")] == ["Acme opens in Kraków"]
    assert nb._scalar("SELECT count(*) FROM news_fts_pending") == 0
    assert nb.index_news() == 0
    _fts_ok(nb)


def test_news_changed_or_deleted_before_and_after_indexing_keeps_the_index_sound(nb):
    nb.add_company("Acme")
    nb.add_company("Zeta")
    acme = nb.add_feed("acme", "https://acme.example/feed")
    zeta = nb.add_feed("zeta", "https://zeta.example/feed")
    nb.save_fetch(acme.id, [Entry("a", "Lisbon office", "", None, None, "h1")])
    nb.index_news()
    nb.save_fetch(acme.id, [Entry("b", "Porto office", "", None, None, "h2")])
    nb.save_fetch(zeta.id, [Entry("z", "Madrid office", "", None, None, "h3")])
    # Changed in place: one item already indexed, one still queued.
    nb.save_fetch(
        acme.id, [Entry("a", "Lyon office", "", None, None, "h4"), Entry("b", "Krakow office", "", None, None, "h5")]
    )
    nb.db.execute("UPDATE news_items SET read = 1")  # marking read leaves the index alone
    nb.remove_company("zeta")  # a queued item deleted before it was ever indexed
    assert nb._scalar("SELECT count(*) FROM news_fts_pending") == 1
    _fts_ok(nb)
    assert nb.search("madrid") == []
    assert nb.search("lisbon") == [] and nb.search("porto") == []
    assert {r["title"] for r in nb.search("office")} == {"Lyon office", "Krakow office"}
    _fts_ok(nb)
    nb.remove_company("acme")  # indexed items deleted
    assert nb.search("office") == []
    _fts_ok(nb)


@pytest.mark.parametrize("query", ["", "   ", '"', "AND", "*", "a OR", "NEAR(", "-x", "col:umn"])
def test_search_with_odd_input_does_not_crash(nb, query):
    nb.add_company("Acme")
    assert isinstance(nb.search(query), list)


# -- feeds --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://acme.example/feed.xml", "http://acme.example/rss?x=1", "file:///srv/feeds/acme.xml"]
)
def test_feed_urls_accepted(nb, url):
    nb.add_company("Acme")
    assert nb.add_feed("acme", url).url == url


def test_an_existing_local_path_becomes_a_file_url(nb, tmp_path):
    nb.add_company("Acme")
    path = tmp_path / "acme feed.xml"
    path.write_text("<rss/>")
    added = nb.add_feed("acme", str(path))
    assert added.url == path.resolve().as_uri()
    assert added.url.startswith("file://")
    # The same file given as its URL is the same feed.
    with pytest.raises(Invalid):
        nb.add_feed("acme", path.resolve().as_uri())
    assert nb.feed(str(path)).id == added.id


@pytest.mark.parametrize(
    "url", ["ftp://acme.example/feed.xml", "not a url", "http://", "javascript:alert(1)", "", "/no/such/file.xml"]
)
def test_feed_urls_rejected(nb, url):
    nb.add_company("Acme")
    with pytest.raises(Invalid):
        nb.add_feed("acme", url)
    assert nb.feeds() == []


def test_a_feed_is_followed_once(nb):
    nb.add_company("Acme")
    nb.add_company("Other")
    nb.add_feed("acme", "https://acme.example/feed")
    with pytest.raises(Invalid) as excinfo:
        nb.add_feed("other", "https://acme.example/feed")
    assert "Acme" in str(excinfo.value)
    assert len(nb.feeds()) == 1


def test_remove_feed_drops_its_news(nb):
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    nb.save_fetch(feed.id, [Entry("1", "One", "", None, None, "h")])
    nb.remove_feed("https://acme.example/feed")
    assert nb.feeds() == [] and nb.news() == []
    with pytest.raises(NotFound):
        nb.remove_feed("https://acme.example/feed")


def _entry(entry_id, title, summary="", published="2026-01-01T00:00:00Z"):
    return Entry(entry_id, title, summary, f"https://acme.example/{entry_id}", published, f"{title}|{summary}")


def test_save_fetch_inserts_updates_in_place_and_never_duplicates(nb):
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    first = [_entry("a", "Alpha"), _entry("b", "Beta", published="2026-01-02T00:00:00Z")]
    assert nb.save_fetch(feed.id, first, title="Acme news", etag='"v1"') == (2, 0)
    ids = {n.entry_id: n.id for n in nb.news()}
    assert [n.title for n in nb.news()] == ["Beta", "Alpha"]
    nb.mark_news(ids["a"], read=True, starred=True)

    # The same entries again: nothing new, nothing changed.
    assert nb.save_fetch(feed.id, first) == (0, 0)
    assert len(nb.news()) == 2

    # Alpha changed upstream, Gamma is new.
    second = [
        _entry("a", "Alpha (corrected)", "more"),
        first[1],
        _entry("c", "Gamma", published="2026-01-03T00:00:00Z"),
    ]
    assert nb.save_fetch(feed.id, second) == (1, 1)
    news = {n.entry_id: n for n in nb.news()}
    assert sorted(news) == ["a", "b", "c"]
    alpha = news["a"]
    assert (alpha.id, alpha.title, alpha.summary) == (ids["a"], "Alpha (corrected)", "more")
    assert alpha.read and alpha.starred  # the user's marks survive the update
    assert not news["c"].read
    stored = nb.feed(feed.id)
    assert (stored.title, stored.etag, stored.item_count, stored.unread_count) == ("Acme news", '"v1"', 3, 2)
    assert nb.company("acme").unread_count == 2


def test_save_fetch_records_an_error_without_losing_news(nb):
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    nb.save_fetch(feed.id, [_entry("a", "Alpha")])
    nb.save_fetch(feed.id, [], status=503, error="Service Unavailable")
    stored = nb.feed(feed.id)
    assert (stored.last_status, stored.last_error, stored.item_count) == (503, "Service Unavailable", 1)
    with pytest.raises(NotFound):
        nb.save_fetch(9999, [_entry("x", "X")])


# -- untrusted text -----------------------------------------------------------

DIRTY = "Evil\x1b[31m Corp\x1b]0;owned\x07\x9b2J\x85 \u202egnp.exe\u2066!\u2069"


def test_untrusted_text_is_stored_without_escapes_controls_or_bidi(nb):
    company = nb.add_company(DIRTY, sector="Fin\x1b[1mtech", description="line one\x1b[2J\nline\u202e two")
    raw = nb.db["companies"].get(company.id)
    assert raw["name"] == "Evil Corp gnp.exe!"
    assert raw["sector"] == "Fintech"
    assert raw["description"] == "line one\nline two"
    person = nb.add_person("Zoë\x1b[8m \u2067Hidden\u2069\x9d0;x\x9c", headline="CEO\x07\x00")
    raw = nb.db["people"].get(person.id)
    assert (raw["name"], raw["headline"]) == ("Zoë Hidden", "CEO")
    note = nb.add_note("ok\x1b[A\x1b[2K\u202etext\x7f", person=person.id)
    assert nb.db["notes"].get(note.id)["body"] == "oktext"


def test_markup_is_stored_verbatim(nb):
    company = nb.add_company("[b]x[/b]", description="[link=https://evil.example]click[/link] <b>hi</b>")
    raw = nb.db["companies"].get(company.id)
    assert raw["name"] == "[b]x[/b]"
    assert raw["description"] == "[link=https://evil.example]click[/link] <b>hi</b>"
    assert nb.add_person("[red]Ann[/red]").name == "[red]Ann[/red]"
    assert nb.add_note("[bold]note[/]", company=company.id).body == "[bold]note[/]"


def test_feed_text_is_stored_clean_through_parse_and_save_fetch(nb):
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Acme \u202enews</title>'
        "<item><guid>1</guid><title>Big \u202eweN\u2066 [b]deal[/b]</title>"
        "<description>&lt;p&gt;Hello&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;\u2067ok</description>"
        "<link>https://acme.example/1</link></item></channel></rss>"
    ).encode()
    parsed = parse_bytes(rss)
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    nb.save_fetch(feed.id, parsed.entries, title=parsed.title)
    [row] = nb.db["news_items"].rows
    assert row["title"] == "Big weN [b]deal[/b]"
    assert row["summary"] == "Hello\n\nok"
    assert nb.feed(feed.id).title == "Acme news"


# -- two writers (cron's sync while the TUI is open) ---------------------------------


def test_a_commit_from_another_connection_during_a_write_is_a_wait_not_a_failure(tmp_path, monkeypatch):
    """A transaction that reads before it writes used to fail at its first write ("database is
    locked", at once) when another connection had committed since its first read."""
    import threading

    db = tmp_path / "notebook.db"
    nb = Notebook(db)
    nb.add_company("Acme")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    other = sqlite3.connect(db, timeout=10, check_same_thread=False)
    outcome: list = []

    def commit_elsewhere() -> None:
        try:
            other.execute("UPDATE companies SET description = 'edited in the TUI'")
            other.commit()
            outcome.append("committed")
        except sqlite3.Error as exc:
            outcome.append(exc)

    real_one = Notebook._one
    racer: list[threading.Thread] = []

    def one(self, sql, params=()):
        row = real_one(self, sql, params)
        if "company_id FROM feeds" in sql and not racer:  # save_fetch's first read
            racer.append(threading.Thread(target=commit_elsewhere))
            racer[0].start()
            racer[0].join(0.5)  # time to commit, if nothing stops it
        return row

    monkeypatch.setattr(Notebook, "_one", one)
    assert nb.save_fetch(feed.id, [Entry("a", "Acme opens in Lyon", "", None, None, "h")]) == (1, 0)
    racer[0].join(10)
    assert outcome == ["committed"]  # the other writer waited for this one, then went through
    assert nb.company("acme").description == "edited in the TUI"
    assert [n.title for n in nb.news()] == ["Acme opens in Lyon"]
    other.close()
    nb.close()


def test_news_lists_are_served_by_indexes(nb):
    # The inbox (unread, every company) and a company's news filter through an index, not a scan.
    def plan(sql: str) -> str:
        return " ".join(str(r[3]) for r in nb.db.execute("EXPLAIN QUERY PLAN " + sql))

    inbox = plan(
        "SELECT id FROM news_items n WHERE n.deleted = 0 AND n.read = 0"
        " ORDER BY ifnull(n.published, n.fetched_at) DESC, n.id DESC LIMIT 200"
    )
    assert "USING INDEX news_unread" in inbox or "USING COVERING INDEX news_unread" in inbox
    company = plan(
        "SELECT id FROM news_items n WHERE n.deleted = 0 AND n.company_id = 3"
        " ORDER BY ifnull(n.published, n.fetched_at) DESC, n.id DESC"
    )
    assert "news_company_state" in company


def test_records_built_from_a_cursors_rows_equal_those_built_one_dict_at_a_time(nb):
    from researcher.store.models import NewsItem

    acme = nb.add_company("Acme")
    ann = nb.add_person("Ann Lee", company="acme", title="CTO")
    nb.add_position(ann.id, company_name="Globex", title="Engineer", start="2018-01", end="2020-12")
    cursor = nb.db.conn.execute(nb._POSITION_SELECT + " ORDER BY pos.id")
    keys, rows = [d[0] for d in cursor.description], cursor.fetchall()
    fast = Position.from_rows(keys, rows)
    assert fast == [Position.from_row(dict(zip(keys, row))) for row in rows] == nb.positions_of(ann.id)[::-1]
    assert nb.positions_of_people_at(acme.id) == nb.positions_of(ann.id)
    # Columns that are not the record's fields, or a bool to convert: one dict at a time, as before.
    assert (
        Position.from_rows(["id", "person_id", "company_name", "title", "start", "extra"], [(1, 2, "X", "T", None, 0)])[
            0
        ].end
        is None
    )
    item = NewsItem.from_rows(
        [
            "id",
            "feed_id",
            "company_id",
            "entry_id",
            "title",
            "summary",
            "link",
            "published",
            "fetched_at",
            "read",
            "starred",
        ],
        [(1, 1, 1, "e", "T", "", None, None, "2026-01-01", 1, 0)],
    )[0]
    assert item.read is True and item.starred is False


def test_a_record_changed_with_but_is_a_copy(nb):
    nb.add_company("Acme")
    ann = nb.add_person("Ann Lee", company="acme", title="CTO")
    (position,) = nb.positions_of(ann.id)
    moved = position.but(start="2019-05")
    assert moved.start == "2019-05" and position.start != "2019-05"
    assert moved == Position(**{**position.to_dict(), "start": "2019-05"})
