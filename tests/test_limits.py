"""Length limits: every field the store writes is capped, and an OPML import stays small in time and memory."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from researcher.interop.opml import import_opml
from researcher.store import Notebook
from researcher.store import validate as v
from researcher.store.errors import Invalid


@pytest.fixture
def nb() -> Notebook:
    nb = Notebook(":memory:")
    nb.add_company("Acme")
    nb.add_person("Ann")
    nb.add_person("Bob")
    return nb


# (what the message names, its limit, a call that stores a value of the given length there)
FIELDS: list[tuple[str, int, Callable[[Notebook, str], object]]] = [
    ("company name", v.MAX_NAME, lambda nb, x: nb.add_company(x)),
    ("company name", v.MAX_NAME, lambda nb, x: nb.edit_company("acme", name=x)),
    ("sector", v.MAX_LINE, lambda nb, x: nb.add_company("Initech", sector=x)),
    ("location", v.MAX_LINE, lambda nb, x: nb.edit_company("acme", location=x)),
    ("website", v.MAX_URL, lambda nb, x: nb.add_company("Initech", website="https://a.example/" + x[18:])),
    ("description", v.MAX_BODY, lambda nb, x: nb.add_company("Initech", description=x)),
    ("person name", v.MAX_NAME, lambda nb, x: nb.add_person(x)),
    ("headline", v.MAX_LINE, lambda nb, x: nb.add_person("Cy", headline=x)),
    ("phone", v.MAX_LINE, lambda nb, x: nb.edit_person("ann", phone=x)),
    ("email", v.MAX_EMAIL, lambda nb, x: nb.add_person("Cy", email="a@" + x[6:] + ".org")),
    ("profile", v.MAX_URL, lambda nb, x: nb.add_person("Cy", profiles=["https://a.example/" + x[18:]])),
    ("title", v.MAX_TITLE, lambda nb, x: nb.add_position("ann", company="acme", title=x)),
    ("company name", v.MAX_NAME, lambda nb, x: nb.add_position("ann", company_name=x, title="CTO")),
    ("how", v.MAX_LINE, lambda nb, x: nb.add_relationship("ann", "bob", how=x)),
    ("next step", v.MAX_LINE, lambda nb, x: nb.set_approach("ann", next_step=x)),
    ("summary", v.MAX_SUMMARY, lambda nb, x: nb.add_interaction("ann", "email", x)),
    ("note", v.MAX_BODY, lambda nb, x: nb.add_note(x, company="acme")),
    ("note", v.MAX_BODY, lambda nb, x: nb.update_note(nb.add_note("short", person="ann").id, x)),
    ("feed URL", v.MAX_URL, lambda nb, x: nb.add_feed("acme", "https://a.example/" + x[18:])),
    ("feed title", v.MAX_TITLE, lambda nb, x: nb.add_feed("acme", f"https://a.example/{len(x)}", x)),
    ("term", v.MAX_NAME, lambda nb, x: nb.add_term(x, "a word", company="acme")),
    ("definition", v.MAX_DEFINITION, lambda nb, x: nb.add_term("OKR", x, company="acme")),
    ("seen in", v.MAX_LINE, lambda nb, x: nb.add_term("OKR", "goals", company="acme", seen_in=x)),
    ("unit name", v.MAX_NAME, lambda nb, x: nb.add_org_unit("acme", x)),
]


@pytest.mark.parametrize("what, limit, store", FIELDS, ids=[f"{f[0]}-{i}" for i, f in enumerate(FIELDS)])
def test_a_field_takes_its_limit_and_refuses_one_more_character(nb: Notebook, what, limit, store) -> None:
    store(nb, "x" * limit)  # at the limit: stored
    with pytest.raises(Invalid) as error:
        store(nb, "y" * (limit + 1))
    assert str(error.value) == f"{what} is {limit + 1:,} characters; at most {limit:,}"


def test_a_huge_name_is_refused_by_its_length_before_anything_is_done_with_it(nb: Notebook) -> None:
    before = nb.counts()
    with pytest.raises(Invalid) as error:
        nb.add_company("Acme " * 10_400_002 + "xx")
    assert str(error.value) == "company name is 52,000,012 characters; at most 200"
    assert nb.counts() == before


def test_the_limit_counts_what_is_stored_not_the_escape_codes_around_it(nb: Notebook) -> None:
    coloured = "\x1b[1;31m" + "x" * v.MAX_NAME + "\x1b[0m"  # a name pasted from a coloured terminal
    assert nb.add_company(coloured).name == "x" * v.MAX_NAME


# -- OPML ----------------------------------------------------------------------


def _opml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head/><body>{body}</body></opml>'


def _feeds(count: int) -> str:
    items = "".join(f'<outline type="rss" text="F{i}" xmlUrl="https://a.example/{i}"/>' for i in range(count))
    return _opml(f'<outline text="Acme">{items}</outline>')


def test_an_opml_file_over_the_size_limit_is_refused_before_it_is_parsed(nb: Notebook) -> None:
    before = nb.counts()
    # Well-formed, so only the size can refuse it; as bytes (what the CLI reads) and as an open file.
    document = _opml('<outline text="Big" description="' + "x" * v.MAX_OPML_BYTES + '"/>').encode()
    for source in (document, io.BytesIO(document)):
        with pytest.raises(Invalid, match=r"^this OPML file is over 10 MiB \(10,485,760 bytes\)"):
            import_opml(nb, source)
    assert nb.counts() == before


def test_an_opml_file_is_read_no_further_than_the_size_limit(nb: Notebook) -> None:
    source = io.BytesIO(b" " * (3 * v.MAX_OPML_BYTES))
    with pytest.raises(Invalid, match="over 10 MiB"):
        import_opml(nb, source)
    assert source.tell() == v.MAX_OPML_BYTES + 1


def test_an_opml_file_just_under_the_size_limit_is_imported(nb: Notebook) -> None:
    head = '<outline text="Acme"><outline type="rss" xmlUrl="https://a.example/feed"/></outline>'
    document = _opml(head).encode()
    document = document.replace(b"<head/>", b"<head>" + b" " * (v.MAX_OPML_BYTES - len(document) - 6) + b"</head>")
    assert len(document) == v.MAX_OPML_BYTES
    assert import_opml(nb, document)["feeds_added"] == 1


def test_more_outlines_than_the_limit_are_refused(nb: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    before = nb.counts()
    with pytest.raises(Invalid, match="more than 10,000 outlines; at most 10,000 feeds and folders"):
        import_opml(nb, _feeds(v.MAX_OPML_OUTLINES))  # and the folder: one too many
    assert nb.counts() == before
    monkeypatch.setattr(v, "MAX_OPML_OUTLINES", 5)
    assert import_opml(nb, _feeds(4))["feeds_added"] == 4  # 5 outlines: the folder and 4 feeds
    with pytest.raises(Invalid, match="more than 5 outlines"):
        import_opml(nb, _feeds(5))
    with pytest.raises(Invalid, match="not an OPML file: it has more than 5 elements other than outlines"):
        import_opml(nb, _opml("<x/>" * 6))


@pytest.mark.parametrize("attribute", ["text", "title", "xmlUrl", "researcher:sector"])
def test_an_attribute_the_import_reads_is_capped(nb: Notebook, attribute: str) -> None:
    before = nb.counts()
    outline = f'<outline {attribute}="{"x" * (v.MAX_OPML_ATTRIBUTE + 1)}" xmlns:researcher="https://researcher.invalid/opml"/>'
    with pytest.raises(Invalid) as error:
        import_opml(nb, _opml(outline))
    name = attribute.rpartition(":")[2]
    assert str(error.value) == f"outline 1 of the OPML file: its '{name}' attribute is 2,049 characters; at most 2,048"
    assert nb.counts() == before


def test_attributes_the_import_does_not_read_are_not_capped(nb: Notebook) -> None:
    outline = '<outline text="Acme" description="' + "x" * 100_000 + '"/>'
    assert import_opml(nb, _opml(outline)) == {"companies_added": 0, "feeds_added": 0, "feeds_skipped": 0}


@pytest.mark.parametrize(
    "outline, message",
    [
        ('<outline text="{x}"/>', "company 'xxxxx"),
        ('<outline text="Acme"><outline text="{x}" xmlUrl="https://a.example/f"/></outline>', "feed title is 2,000"),
    ],
)
def test_an_opml_name_over_its_field_limit_fails_the_whole_import(nb: Notebook, outline: str, message: str) -> None:
    before = nb.counts()
    with pytest.raises(Invalid, match=message) as error:
        import_opml(nb, _opml('<outline text="First"/>' + outline.format(x="x" * 2_000)))
    assert len(str(error.value)) < 200
    assert nb.counts() == before


_PEAK_RSS = textwrap.dedent(
    """
    import resource, sys
    from researcher.interop.opml import import_opml
    from researcher.store import Notebook
    nb = Notebook(sys.argv[2])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open(sys.argv[1], "rb") as f:
            import_opml(nb, f.read())  # as the CLI does today: the whole file in memory
        print("imported")
    except Exception as e:
        print(type(e).__name__)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """
)


@pytest.mark.parametrize("size", [50_000_000, v.MAX_OPML_BYTES - 200])
def test_importing_a_huge_attribute_keeps_memory_bounded(tmp_path: Path, size: int) -> None:
    # Measured on 2 vCPUs before the limits: the 50 MB file took 11 s and a 1.1 GB peak, then made
    # a company whose name was 50 million characters.
    path = tmp_path / "big.opml"
    path.write_text(_opml(f'<outline text="{"A" * size}"><outline type="rss" xmlUrl="https://a.example/"/></outline>'))
    db = tmp_path / "notebook.db"
    Notebook(db).close()
    run = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(path), str(db)], capture_output=True, text=True)
    outcome, grown_mb = run.stdout.split()
    assert outcome == "Invalid", run.stderr
    assert int(grown_mb) < 120  # the file's bytes (which the CLI reads whole) and one copy of a 10 MiB attribute
    assert db.stat().st_size < 1_000_000


def test_an_invitation_is_capped_and_a_search_takes_its_first_words(nb):
    import time

    from researcher.store.errors import Invalid

    nb.add_person("Ann Lee")
    with pytest.raises(Invalid, match="invitation is 20,000 characters; at most 10,000"):
        nb.save_invitation("ann-lee", "x" * 20_000)
    assert nb.invitation("ann-lee") is None
    started = time.monotonic()
    assert [(h["kind"], h["id"]) for h in nb.search("ann " * 5_000)] == [(h["kind"], h["id"]) for h in nb.search("ann")]
    assert time.monotonic() - started < 0.3
