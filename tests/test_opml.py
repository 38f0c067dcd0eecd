"""OPML import and export: round trips, real-world shapes, and hostile or broken files."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from researcher.interop.opml import NAMESPACE, export_opml, import_opml
from researcher.store import Notebook
from researcher.store.connection import _prepare
from researcher.store.errors import Ambiguous, Invalid, NotFound
from researcher.text import clean_line


def _nb() -> Notebook:
    return Notebook(":memory:")


_TEMPLATE: Notebook | None = None


def _fresh_nb() -> Notebook:
    """An empty notebook copied from a migrated one: migrating costs ~50 ms, far too much per example."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = _nb()
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    _TEMPLATE.db.conn.backup(conn)
    return Notebook(db=_prepare(conn))


def _snapshot(nb: Notebook) -> dict[str, tuple]:
    """Companies (name -> fields, sorted feeds) in a form two notebooks can be compared by."""
    feeds: dict[str, list[tuple[str, str | None]]] = {}
    for feed in nb.feeds():
        feeds.setdefault(feed.company, []).append((feed.url, feed.title))
    return {
        c.name: (c.sector, c.website, c.status, sorted(feeds.get(c.name, []), key=lambda f: f[0]))
        for c in nb.companies()
    }


def _state(nb: Notebook):
    return nb.counts(), _snapshot(nb)


def _opml(body: str, head: str = "<head><title>t</title></head>") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">{head}<body>{body}</body></opml>'


@pytest.fixture
def filled() -> Notebook:
    nb = _nb()
    nb.add_company("Acme & Sons <Ltd>", sector="Logistics", website="https://acme.example/?a=1&b=2", status="target")
    nb.add_company('Société "Générale" [b]markup[/b]', sector="Banque", status="applied")
    nb.add_company("Zebra 🦓 Labs")  # no feeds, defaults only
    nb.add_feed("Acme & Sons <Ltd>", "https://acme.example/feed.xml?x=1&y=<2>", "Acme news & views")
    nb.add_feed("Acme & Sons <Ltd>", "https://blog.acme.example/rss")
    nb.add_feed("societe-generale-b-markup-b", "http://sg.example/atom", "Le blog <SG>")
    yield nb
    nb.close()


# -- export ------------------------------------------------------------------


def test_export_is_an_opml_2_document(filled: Notebook) -> None:
    text = export_opml(filled)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "researcher feeds"
    assert parsedate_to_datetime(root.findtext("head/dateCreated")).tzinfo is not None
    companies = {o.get("text"): o for o in root.findall("body/outline")}
    assert set(companies) == {"Acme & Sons <Ltd>", 'Société "Générale" [b]markup[/b]', "Zebra 🦓 Labs"}
    acme = companies["Acme & Sons <Ltd>"]
    assert acme.get("title") == "Acme & Sons <Ltd>"
    assert acme.get(f"{{{NAMESPACE}}}sector") == "Logistics"
    assert acme.get(f"{{{NAMESPACE}}}website") == "https://acme.example/?a=1&b=2"
    assert acme.get(f"{{{NAMESPACE}}}status") == "target"
    feeds = {o.get("xmlUrl"): o for o in acme.findall("outline")}
    assert set(feeds) == {"https://acme.example/feed.xml?x=1&y=<2>", "https://blog.acme.example/rss"}
    assert all(o.get("type") == "rss" for o in feeds.values())
    assert feeds["https://acme.example/feed.xml?x=1&y=<2>"].get("text") == "Acme news & views"
    assert feeds["https://blog.acme.example/rss"].get("title") == "https://blog.acme.example/rss"  # no title: the URL
    assert list(companies["Zebra 🦓 Labs"]) == []


def test_export_of_an_empty_notebook() -> None:
    root = ET.fromstring(export_opml(_nb()))
    assert root.find("body") is not None and list(root.find("body")) == []


# -- round trips -------------------------------------------------------------


def test_round_trip_keeps_companies_fields_and_feeds(filled: Notebook) -> None:
    target = _nb()
    counts = import_opml(target, export_opml(filled))
    assert counts == {"companies_added": 3, "feeds_added": 3, "feeds_skipped": 0}
    assert _snapshot(target) == _snapshot(filled)
    # Bytes too, and a second import changes nothing.
    again = import_opml(target, export_opml(filled).encode("utf-8"))
    assert again == {"companies_added": 0, "feeds_added": 0, "feeds_skipped": 3}
    assert _snapshot(target) == _snapshot(filled)


# Any character but lone surrogates (SQLite cannot store them) and the two XML cannot carry;
# controls are welcome: the store strips them, and the test compares with what it stored.
_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff") | st.sampled_from(
    list("&<>\"'[]/\\ éèÉçñüßøłœ🦓🚀")
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.text(_ALPHABET, min_size=1, max_size=24), min_size=1, max_size=4),
    data=st.data(),
)
def test_round_trip_property(names: list[str], data: st.DataObject) -> None:
    source = _fresh_nb()
    stored = []
    for i, raw in enumerate(names):
        if not clean_line(raw) or clean_line(raw) in stored:
            continue  # empty after the store's cleaning, or the same name twice: the store's business
        company = source.add_company(raw)
        stored.append(company.name)
        for j in range(data.draw(st.integers(0, 2))):
            source.add_feed(company.id, f"https://feeds{i}.example/{j}?q=a&b=<{i}>", title=raw)
    expected = _snapshot(source)
    target = _fresh_nb()
    import_opml(target, export_opml(source))
    assert _snapshot(target) == expected
    assert sorted(c.name for c in target.companies()) == sorted(stored)


def test_characters_xml_cannot_carry_are_dropped_from_the_export() -> None:
    source = _nb()
    source.add_company("Acme\uffff Corp\ufffe")  # the store keeps these noncharacters
    target = _nb()
    import_opml(target, export_opml(source))
    assert [c.name for c in target.companies()] == ["Acme Corp"]


def test_names_differing_only_in_case_stay_two_companies() -> None:
    source = _nb()
    source.add_company("Acme")
    source.add_company("ACME")
    target = _nb()
    assert import_opml(target, export_opml(source))["companies_added"] == 2
    assert sorted(c.name for c in target.companies()) == ["ACME", "Acme"]


# -- real-world shapes -------------------------------------------------------

FEEDLY_LIKE = _opml("""
  <outline text="Acme" title="Acme">
    <outline type="rss" text="Acme Blog" title="Acme Blog" xmlUrl="https://acme.example/blog.xml" htmlUrl="https://acme.example/"/>
    <outline type="rss" text="Acme Jobs" xmlUrl="https://acme.example/jobs.xml"/>
  </outline>
  <outline title="Work">
    <outline text="Globex">
      <outline type="rss" text="Globex News" xmlUrl="https://globex.example/news"/>
    </outline>
    <outline type="rss" text="Sector digest" xmlUrl="https://digest.example/rss"/>
  </outline>
  <outline type="rss" text="Initech Engineering" xmlUrl="https://initech.example/feed"/>
  <outline type="link" text="Not a feed" url="https://example.org/"/>
""")


def test_nested_folders_go_to_the_nearest_folder() -> None:
    nb = _nb()
    counts = import_opml(nb, FEEDLY_LIKE)
    assert counts == {"companies_added": 4, "feeds_added": 5, "feeds_skipped": 0}
    by_company = {}
    for feed in nb.feeds():
        by_company.setdefault(feed.company, set()).add(feed.url)
    assert by_company == {
        "Acme": {"https://acme.example/blog.xml", "https://acme.example/jobs.xml"},
        "Globex": {"https://globex.example/news"},
        "Work": {"https://digest.example/rss"},
        # A top-level feed with no folder: its own title names the company.
        "Initech Engineering": {"https://initech.example/feed"},
    }
    assert nb.feed("https://acme.example/blog.xml").title == "Acme Blog"
    assert {c.name for c in nb.companies()} == {"Acme", "Globex", "Work", "Initech Engineering"}


def test_folders_match_existing_companies_case_and_accent_insensitively() -> None:
    nb = _nb()
    nb.add_company("Société Générale", sector="Banking", status="target")
    counts = import_opml(
        nb,
        _opml("""
      <outline text="SOCIETE generale" xmlns:r="https://researcher.invalid/opml" r:sector="Other" r:status="closed">
        <outline type="rss" text="SG" xmlUrl="https://sg.example/rss"/>
      </outline>"""),
    )
    assert counts == {"companies_added": 0, "feeds_added": 1, "feeds_skipped": 0}
    company = nb.company("Société Générale")
    assert (company.sector, company.status) == ("Banking", "target")  # attributes only apply to new companies
    assert nb.feed("https://sg.example/rss").company == "Société Générale"


def test_a_folder_matching_two_existing_companies_is_ambiguous() -> None:
    nb = _nb()
    nb.add_company("Acme")
    nb.add_company("ACME")
    before = _state(nb)
    with pytest.raises(Ambiguous, match="acme, acme-2"):
        import_opml(nb, _opml('<outline text="acme"><outline type="rss" xmlUrl="https://a.example/"/></outline>'))
    assert _state(nb) == before


def test_company_argument_takes_every_feed() -> None:
    nb = _nb()
    nb.add_company("Umbrella Corp")
    counts = import_opml(nb, FEEDLY_LIKE, company="umbrella corp")
    assert counts == {"companies_added": 0, "feeds_added": 5, "feeds_skipped": 0}
    assert [c.name for c in nb.companies()] == ["Umbrella Corp"]
    assert {f.company for f in nb.feeds()} == {"Umbrella Corp"}


def test_company_argument_must_exist() -> None:
    nb = _nb()
    with pytest.raises(NotFound):
        import_opml(nb, FEEDLY_LIKE, company="Nobody")
    assert nb.counts()["companies"] == 0


def test_newsboat_like_flat_export_with_a_company() -> None:
    nb = _nb()
    nb.add_company("Acme")
    flat = _opml(
        '<outline type="rss" xmlUrl="https://a.example/1" htmlUrl="https://a.example/" title="One"/>'
        '<outline type="rss" xmlUrl="https://a.example/2"/>'
    )
    assert import_opml(nb, flat, company="Acme")["feeds_added"] == 2
    assert nb.feed("https://a.example/2").title is None


def test_declared_encoding_is_honoured() -> None:
    document = _opml('<outline text="Société"><outline type="rss" xmlUrl="https://s.example/"/></outline>')
    nb = _nb()
    import_opml(nb, document.replace("UTF-8", "ISO-8859-1").encode("latin-1"))
    assert nb.feed("https://s.example/").company == "Société"


def test_top_level_feed_without_any_name_needs_a_company() -> None:
    nb = _nb()
    with pytest.raises(Invalid, match="https://a.example/1"):
        import_opml(nb, _opml('<outline type="rss" xmlUrl="https://a.example/1"/>'))
    assert nb.counts()["companies"] == 0


def test_duplicates_are_skipped_not_errors() -> None:
    nb = _nb()
    nb.add_company("Acme")
    nb.add_feed("Acme", "https://acme.example/blog.xml")
    counts = import_opml(
        nb,
        FEEDLY_LIKE.replace(
            "</body>",
            '<outline text="Again"><outline type="rss" xmlUrl="https://globex.example/news"/></outline></body>',
        ),
    )
    assert counts == {"companies_added": 4, "feeds_added": 4, "feeds_skipped": 2}
    assert nb.feed("https://globex.example/news").company == "Globex"  # the first one wins
    assert nb.feed("https://acme.example/blog.xml").title is None  # the followed feed is left alone


# -- failures leave the notebook as it was ----------------------------------


@pytest.mark.parametrize(
    "url", ["ftp://acme.example/feed", "javascript:alert(1)", "/etc/passwd", "http://", "http://[::1"]
)
def test_bad_url_fails_the_whole_import(filled: Notebook, url: str) -> None:
    before = _state(filled)
    bad = f'<outline text="Bad"><outline type="rss" xmlUrl="{url}"/></outline>'
    document = FEEDLY_LIKE.replace("</body>", bad + "</body>")
    with pytest.raises(Invalid) as error:
        import_opml(filled, document)
    assert url in str(error.value) and "\n" not in str(error.value)
    assert _state(filled) == before


def test_bad_status_from_a_hand_edited_export_fails_cleanly(filled: Notebook) -> None:
    before = _state(filled)
    document = export_opml(filled).replace('researcher:status="target"', 'researcher:status="dreaming"')
    with pytest.raises(Invalid, match="dreaming"):
        import_opml(_nb(), document)
    assert _state(filled) == before


@pytest.mark.parametrize(
    "document, message",
    [
        ("", "not an OPML file"),
        ("<opml version='2.0'><body><outline text='a'></body></opml>", "not an OPML file: mismatched tag"),
        (b"\xff\xfe garbage", "not an OPML file"),
        ("<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        ("<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_broken_or_foreign_files_are_invalid(filled: Notebook, document, message: str) -> None:
    before = _state(filled)
    with pytest.raises(Invalid, match=message) as error:
        import_opml(filled, document)
    assert "\n" not in str(error.value)
    assert _state(filled) == before


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE opml [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<opml version="2.0"><body><outline text="&lol9;">'
    '<outline type="rss" text="&lol9;" xmlUrl="https://lol.example/"/></outline></body></opml>'
)


def test_billion_laughs_is_refused(filled: Notebook) -> None:
    before = _state(filled)
    with pytest.raises(Invalid, match="not an OPML file"):
        import_opml(filled, BILLION_LAUGHS)
    assert _state(filled) == before


@pytest.mark.parametrize(
    "doctype, use",
    [
        ('<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{uri}">]>', "attribute"),
        ('<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{uri}">]>', "text"),
        ('<!DOCTYPE opml [<!ENTITY % ext SYSTEM "{uri}"> %ext;]>', "attribute"),
        ('<!DOCTYPE opml SYSTEM "{uri}">', "attribute"),
    ],
)
def test_external_entities_are_refused_and_never_read(tmp_path: Path, doctype: str, use: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a")
    text = "&xxe;" if use == "attribute" else "Acme"
    body = "&xxe;" if use == "text" else ""
    document = (
        '<?xml version="1.0"?>\n'
        + doctype.format(uri=secret.as_uri())
        + f'<opml version="2.0"><body><outline text="{text}">'
        f'<outline type="rss" text="{text}" xmlUrl="https://xxe.example/">{body}</outline></outline></body></opml>'
    )
    nb = _nb()
    nb.add_company("Existing")
    before = _state(nb)
    with pytest.raises(Invalid, match="not an OPML file") as error:
        import_opml(nb, document)
    assert "TOPSECRET" not in str(error.value)
    assert _state(nb) == before
    assert "TOPSECRET" not in repr(_snapshot(nb))


def test_deeply_nested_outlines_do_not_recurse() -> None:
    depth = 3000
    document = _opml(
        '<outline text="Deep">' * depth + '<outline type="rss" xmlUrl="https://deep.example/"/>' + "</outline>" * depth
    )
    nb = _nb()
    assert import_opml(nb, document)["feeds_added"] == 1
    assert nb.feed("https://deep.example/").company == "Deep"
