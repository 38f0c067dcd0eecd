"""Hostile values at every store entry point: each call stores clean, capped data or fails with one short line.

A table: for each entry point and argument, a list of values a user, a pasted file, another
program or a broken terminal can send (lone surrogates from bytes that are not UTF-8, NUL, escape
sequences, 10,000 and 50,000,000 characters, full-width digits, a broken IPv6 URL, a time past
datetime's range, numbers past SQLite's). Each call either succeeds and leaves only clean, capped
text in the notebook, or raises a ResearcherError (never another exception) whose message is one
short line, and leaves every table exactly as it was.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from types import SimpleNamespace
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from researcher.interop.opml import import_opml
from researcher.store import Notebook
from researcher.store import validate as v
from researcher.store.errors import Invalid, NotFound, ResearcherError
from researcher.text import clean_line, clean_text, quoted

HOSTILE_TEXT = {
    "lone surrogate": "Bad\udcffName",  # `researcher company add $'Bad\xffName'`: argv decoded with surrogateescape
    "surrogates only": "\udcff\udcfe",  # a note piped in as the bytes ff fe
    "split surrogate pair": "\ud83d\ude00 Smile",
    "NUL": "a\x00b",
    "escape sequences": "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b[31mred\x1b[0m\x1b[2J",
    "controls only": "\x1b[2J\x00\x07\u202e\x9b",
    "bidi override": "\u202eexe.gnp",
    "newlines": "one\ntwo\r\nthree",
    "10,000 characters": "x" * 10_000,
    "full-width digits": "２０２１-０９",
    "full-width date": "２０２１-０９-０１",
    "broken IPv6 URL": "http://[::1",
    "bad port": "http://a.example:99999/",
    "past datetime's range": "9999-12-31T23:59:59-23:59",
    "year 1": "0001-01-01",
    "year 9999": "9999-06-01",
    "huge year-month": "99999999999999999999-01",
}
HUGE = "y" * 50_000_000  # built once; used where it is cheap (a length check refuses it at once)

HOSTILE_NUMBERS = {
    "2**63": 2**63,
    "-2**63-1": -(2**63) - 1,
    "10**5000": 10**5000,  # no str(): more than 4,300 digits
    "inf": float("inf"),
    "nan": float("nan"),
    "2.5": 2.5,
    "full-width 2": "２",
    "1e3": "1e3",
    "30 digits": "9" * 30,
    "True": True,
}

Call = Callable[[Notebook, object], object]


def _opml(attributes: str, inner: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0" xmlns:researcher="https://researcher.invalid/opml">'
        f"<body><outline {attributes}>{inner}</outline></body></opml>"
    )


TEXT_ENTRIES: dict[str, Call] = {
    "add_company(name)": lambda nb, x: nb.add_company(x),
    "add_company(sector)": lambda nb, x: nb.add_company("Initech", sector=x),
    "add_company(website)": lambda nb, x: nb.add_company("Initech", website=x),
    "add_company(status)": lambda nb, x: nb.add_company("Initech", status=x),
    "add_company(size)": lambda nb, x: nb.add_company("Initech", size=x),
    "add_company(description)": lambda nb, x: nb.add_company("Initech", description=x),
    "edit_company(ref)": lambda nb, x: nb.edit_company(x, sector="Logistics"),
    "edit_company(name)": lambda nb, x: nb.edit_company("acme", name=x),
    "edit_company(location)": lambda nb, x: nb.edit_company("acme", location=x),
    "add_person(name)": lambda nb, x: nb.add_person(x),
    "add_person(email)": lambda nb, x: nb.add_person("Cy", email=x),
    "add_person(headline)": lambda nb, x: nb.add_person("Cy", headline=x),
    "add_person(phone)": lambda nb, x: nb.add_person("Cy", phone=x),
    "add_person(profiles)": lambda nb, x: nb.add_person("Cy", profiles=[x]),
    "add_person(company)": lambda nb, x: nb.add_person("Cy", company=x, title="CTO"),
    "add_person(title)": lambda nb, x: nb.add_person("Cy", company="acme", title=x),
    "add_person(start)": lambda nb, x: nb.add_person("Cy", company="acme", title="CTO", start=x),
    "add_person(function)": lambda nb, x: nb.add_person("Cy", company="acme", title="CTO", function=x),
    "edit_person(ref)": lambda nb, x: nb.edit_person(x, headline="Hi"),
    "add_position(person)": lambda nb, x: nb.add_position(x, company="acme", title="CTO"),
    "add_position(title)": lambda nb, x: nb.add_position("ann", company="acme", title=x),
    "add_position(company)": lambda nb, x: nb.add_position("ann", company=x, title="CTO"),
    "add_position(company_name)": lambda nb, x: nb.add_position("ann", company_name=x, title="CTO"),
    "add_position(start)": lambda nb, x: nb.add_position("ann", company="acme", title="CTO", start=x),
    "add_position(end)": lambda nb, x: nb.add_position("ann", company="acme", title="CTO", start="2020-01", end=x),
    "add_position(function)": lambda nb, x: nb.add_position("ann", company="acme", title="CTO", function=x),
    "add_position(unit)": lambda nb, x: nb.add_position("ann", company="acme", title="CTO", unit=x),
    "add_relationship(person)": lambda nb, x: nb.add_relationship(x, "bob"),
    "add_relationship(kind)": lambda nb, x: nb.add_relationship("ann", "bob", kind=x),
    "add_relationship(how)": lambda nb, x: nb.add_relationship("ann", "bob", how=x),
    "set_approach(person)": lambda nb, x: nb.set_approach(x, status="invited"),
    "set_approach(status)": lambda nb, x: nb.set_approach("ann", status=x),
    "set_approach(next_action_at)": lambda nb, x: nb.set_approach("ann", next_action_at=x),
    "set_approach(next_step)": lambda nb, x: nb.set_approach("ann", next_step=x),
    "set_approach(at)": lambda nb, x: nb.set_approach("ann", status="invited", at=x),
    "add_interaction(person)": lambda nb, x: nb.add_interaction(x, "email", "Wrote"),
    "add_interaction(channel)": lambda nb, x: nb.add_interaction("ann", x, "Wrote"),
    "add_interaction(summary)": lambda nb, x: nb.add_interaction("ann", "email", x),
    "add_interaction(when)": lambda nb, x: nb.add_interaction("ann", "email", "Wrote", when=x),
    "add_interaction(direction)": lambda nb, x: nb.add_interaction("ann", "email", "Wrote", direction=x),
    "add_note(body)": lambda nb, x: nb.add_note(x, company="acme"),
    "add_note(company)": lambda nb, x: nb.add_note("Note", company=x),
    "add_note(person)": lambda nb, x: nb.add_note("Note", person=x),
    "add_note(created_at)": lambda nb, x: nb.add_note("Note", person="ann", created_at=x),
    "update_note(body)": lambda nb, x: nb.update_note(1, x),
    "add_feed(company)": lambda nb, x: nb.add_feed(x, "https://globex.example/feed"),
    "add_feed(url)": lambda nb, x: nb.add_feed("acme", x),
    "add_feed(title)": lambda nb, x: nb.add_feed("acme", "https://globex.example/feed", x),
    "add_term(term)": lambda nb, x: nb.add_term(x, "a word", company="acme"),
    "add_term(definition)": lambda nb, x: nb.add_term("OKR", x, company="acme"),
    "add_term(company)": lambda nb, x: nb.add_term("OKR", "goals", company=x),
    "add_term(seen_in)": lambda nb, x: nb.add_term("OKR", "goals", seen_in=x),
    "add_org_unit(company)": lambda nb, x: nb.add_org_unit(x, "Sales"),
    "add_org_unit(name)": lambda nb, x: nb.add_org_unit("acme", x),
    "add_org_unit(parent)": lambda nb, x: nb.add_org_unit("acme", "Sales", parent=x),
    "company()": lambda nb, x: nb.company(x),
    "person()": lambda nb, x: nb.person(x),
    "feed()": lambda nb, x: nb.feed(x),
    "remove_feed()": lambda nb, x: nb.remove_feed(x),
    "remove_company()": lambda nb, x: nb.remove_company(x),
    "org_unit()": lambda nb, x: nb.org_unit("acme", x),
    "companies(sector, query)": lambda nb, x: nb.companies(sector=x, query=x),
    "people(sector, query, title)": lambda nb, x: nb.people(sector=x, query=x, title=x),
    "search()": lambda nb, x: nb.search(x),
    "import_opml(folder text)": lambda nb, x: import_opml(
        nb, _opml(f"text={quoteattr(x)}", '<outline type="rss" xmlUrl="https://globex.example/feed"/>')
    ),
    "import_opml(feed title)": lambda nb, x: import_opml(
        nb, _opml('text="Globex"', f'<outline type="rss" text={quoteattr(x)} xmlUrl="https://globex.example/f"/>')
    ),
    "import_opml(xmlUrl)": lambda nb, x: import_opml(
        nb, _opml('text="Globex"', f'<outline type="rss" xmlUrl={quoteattr(x)}/>')
    ),
    "import_opml(researcher:website)": lambda nb, x: import_opml(
        nb, _opml(f'text="Globex" researcher:website={quoteattr(x)}')
    ),
    "import_opml(company)": lambda nb, x: import_opml(
        nb, _opml('text="Globex"', '<outline type="rss" xmlUrl="https://globex.example/f"/>'), company=x
    ),
    "import_opml(document)": lambda nb, x: import_opml(nb, x),
}
# Where a 50,000,000-character value is cheap to try (a length check refuses it before any work).
HUGE_ENTRIES = [
    "add_company(name)",
    "add_company(description)",
    "add_company(status)",
    "add_person(email)",
    "add_position(start)",
    "set_approach(at)",
    "add_position(title)",
    "add_note(body)",
    "add_feed(url)",
    "add_term(definition)",
    "add_interaction(summary)",
    "company()",
    "feed()",
    "org_unit()",
    "import_opml(document)",
]
NUMBER_ENTRIES: dict[str, Call] = {
    "add_relationship(strength)": lambda nb, x: nb.add_relationship("ann", "bob", strength=x),
    "set_approach(priority)": lambda nb, x: nb.set_approach("ann", priority=x),
    "set_network_goal()": lambda nb, x: nb.set_network_goal(x),
    "add_note(news_item)": lambda nb, x: nb.add_note("Note", news_item=x),
    "company(id)": lambda nb, x: nb.company(x),
    "person(id)": lambda nb, x: nb.person(x),
    "feed(id)": lambda nb, x: nb.feed(x),
    "note(id)": lambda nb, x: nb.note(x),
    "update_note(id)": lambda nb, x: nb.update_note(x, "New"),
    "news_item(id)": lambda nb, x: nb.news_item(x),
    "position(id)": lambda nb, x: nb.position(x),
    "mark_news(id)": lambda nb, x: nb.mark_news(x, read=True),
}


def _template() -> Notebook:
    nb = Notebook(":memory:")
    nb.add_company("Acme", sector="Logistics")
    nb.add_person("Ann", company="acme", title="Engineer", start="2020-01")
    nb.add_person("Bob")
    feed = nb.add_feed("acme", "https://acme.example/feed")
    entry = SimpleNamespace(
        entry_id="1", title="News", summary="Body", link="https://acme.example/1", published=None, content_hash="h"
    )
    nb.save_fetch(feed.id, [entry])
    nb.add_note("First note", company="acme")
    nb.add_org_unit("acme", "Engineering")
    nb.add_term("OKR", "objectives and key results", company="acme")
    return nb


TEMPLATE = _template()
WORK = Notebook(":memory:")


@pytest.fixture
def nb() -> Notebook:
    """The template notebook's data, copied into one working connection (copying is far cheaper than migrating)."""
    TEMPLATE.db.conn.backup(WORK.db.conn)
    return WORK


def dump(nb: Notebook) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = [r[0] for r in nb.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(map(tuple, nb.db.execute(f'SELECT * FROM "{t}"').fetchall()), key=repr) for t in tables}


def _assert_clean(state: dict[str, list[tuple]]) -> None:
    for table, rows in state.items():
        for row in rows:
            for cell in row:
                if isinstance(cell, str):
                    assert clean_text(cell) == cell, (table, cell[:80])
                    assert len(cell) <= v.MAX_BODY, (table, len(cell))


def _assert_one_line(error: ResearcherError) -> None:
    message = str(error)
    assert message and len(message) <= 300, message[:400]
    assert "\n" not in message and clean_line(message) == message, message
    message.encode("utf-8")  # nothing a terminal or a log cannot take


def check(nb: Notebook, call: Call, value: object) -> None:
    """`call(nb, value)` stores clean, capped data or raises a ResearcherError of one line, changing nothing."""
    before = dump(nb)
    try:
        call(nb, value)
    except ResearcherError as error:
        _assert_one_line(error)
        assert dump(nb) == before
    else:
        _assert_clean(dump(nb))


TEXT_CASES = [(entry, label) for entry in TEXT_ENTRIES for label in HOSTILE_TEXT] + [
    (entry, "50 MB") for entry in HUGE_ENTRIES
]


@pytest.mark.parametrize("entry, label", TEXT_CASES, ids=[f"{e}-{label}" for e, label in TEXT_CASES])
def test_hostile_text(nb: Notebook, entry: str, label: str) -> None:
    check(nb, TEXT_ENTRIES[entry], HUGE if label == "50 MB" else HOSTILE_TEXT[label])


NUMBER_CASES = [(entry, label) for entry in NUMBER_ENTRIES for label in HOSTILE_NUMBERS]


@pytest.mark.parametrize("entry, label", NUMBER_CASES, ids=[f"{e}-{label}" for e, label in NUMBER_CASES])
def test_hostile_numbers(nb: Notebook, entry: str, label: str) -> None:
    check(nb, NUMBER_ENTRIES[entry], HOSTILE_NUMBERS[label])


# -- what the table's generic checks do not say --------------------------------


def test_text_that_was_not_utf8_is_stored_with_replacement_characters(nb: Notebook) -> None:
    assert nb.add_company("Bad\udcffName").name == "Bad\ufffdName"
    assert nb.add_note("\udcff\udcfe", company="acme").body == "\ufffd\ufffd"
    assert nb.add_person("\ud83d\ude00 Smile").name == "\U0001f600 Smile"  # a split pair is put back together


@pytest.mark.parametrize(
    "call",
    [
        lambda nb: nb.add_position("ann", company="acme", title="CTO", start="２０２１-０９"),
        lambda nb: v.month("２０２１-０９", "start"),
        lambda nb: v.day("２０２１-０９-０１", "next action date"),
        lambda nb: v.timestamp("２０２１-０９-０１T10:00", "when"),
    ],
)
def test_dates_in_other_digits_say_which_digits(nb: Notebook, call) -> None:
    with pytest.raises(Invalid, match="in the digits 0-9"):
        call(nb)


@pytest.mark.parametrize(
    "value, message",
    [
        ("9999-12-31T23:59:59-23:59", "when must be from 1900 to 2100"),
        ("1899-12-31", "when must be from 1900 to 2100"),
        ("2101-01-01T00:00:00+00:00", "when must be from 1900 to 2100"),
        ("2100-12-31T23:59-01:00", "when must be from 1900 to 2100"),  # 2101 in UTC
        ("2026-W01-1", "when must be YYYY-MM-DD or an ISO 8601 time"),
        ("20260101", "when must be YYYY-MM-DD or an ISO 8601 time"),
        ("2026-02-30", "when must be YYYY-MM-DD or an ISO 8601 time"),
    ],
)
def test_times_outside_a_career_or_not_iso_are_refused(value: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        v.timestamp(value, "when")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T14:30+01:00", "2026-03-01T13:30:00Z"),
        ("2026-03-01t14:30:15.5z", "2026-03-01T14:30:15Z"),
        ("2026-03-01 14:30", "2026-03-01T14:30:00Z"),
        ("1900-01-01", "1900-01-01T00:00:00Z"),
    ],
)
def test_iso_times_in_range_are_taken(value: str, expected: str) -> None:
    assert v.timestamp(value) == expected


@pytest.mark.parametrize("value", ["http://[::1", "http://a.example:99999/", "http://a.example:port/", "http://:80/"])
def test_broken_urls_are_one_line(nb: Notebook, value: str) -> None:
    for call in (lambda: v.url(value), lambda: nb.add_feed("acme", value), lambda: Notebook.normalise_feed_url(value)):
        with pytest.raises(Invalid) as error:
            call()
        _assert_one_line(error.value)


def test_an_existing_path_that_cannot_be_looked_at_is_no_feed(nb: Notebook) -> None:
    with pytest.raises(Invalid, match="feed URL must be http"):
        nb.add_feed("acme", "a" * 300)  # a file name too long for the system (ENAMETOOLONG)
    with pytest.raises(NotFound):
        nb.feed("a" * 300)


@pytest.mark.parametrize(
    "value, expected",
    [(3, 3), ("2", 2), (" 1 ", 1), (2.0, 2), ("+3", 3)],
)
def test_whole_numbers_are_taken(value, expected: int) -> None:
    assert v.integer(value, 1, 3, "priority") == expected


@pytest.mark.parametrize(
    "value, message",
    [
        (2**63, "priority must be from 1 to 3$"),
        pytest.param(10**5000, "priority must be from 1 to 3$", id="10**5000"),
        ("9" * 30, "priority must be from 1 to 3$"),
        (4, "priority must be from 1 to 3, not 4$"),
        (2.5, "priority must be a whole number from 1 to 3$"),
        (float("inf"), "priority must be a whole number"),
        ("２", "priority must be a whole number"),
        (True, "priority must be a whole number"),
        ("1_0", "priority must be a whole number"),
    ],
)
def test_other_numbers_are_refused_in_one_line(value, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        v.integer(value, 1, 3, "priority")


@pytest.mark.parametrize(
    "call",
    [
        lambda nb, x: nb.company(x),
        lambda nb, x: nb.person(x),
        lambda nb, x: nb.feed(x),
        lambda nb, x: nb.remove_feed(x),
        lambda nb, x: nb.org_unit("acme", x),
        lambda nb, x: nb.add_position("ann", company="acme", title="CTO", start=x),
        lambda nb, x: nb.add_company("Initech", status=x),
        lambda nb, x: nb.add_relationship("ann", "bob", kind=x),
    ],
)
def test_messages_quote_at_most_sixty_characters_of_the_input(nb: Notebook, call) -> None:
    value = "\x1b[31m" + "z" * 9_990 + "\x1b[0m"
    with pytest.raises(ResearcherError) as error:
        call(nb, value)
    assert "'" + "z" * 60 + "…'" in str(error.value)
    assert len(str(error.value)) < 200


def test_quoted_is_cleaned_cut_and_cheap() -> None:
    assert quoted("Acme") == "'Acme'"
    assert quoted("a\x1b[2Jb\nc") == "'ab c'"
    assert quoted("x" * 61) == "'" + "x" * 60 + "…'"
    assert quoted(10**5000) == "a number too long to show"
    assert timeit.timeit(lambda: quoted(HUGE), number=10) < 0.1


def test_a_long_unknown_name_is_answered_at_once_without_suggestions(nb: Notebook) -> None:
    for i in range(2_000):
        nb.db["companies"].insert(
            {"slug": f"c{i}", "name_key": f"company-{i}", "name": f"Company {i}", "created_at": "x", "updated_at": "x"}
        )
    # A notebook made before the limits may hold a name that long (inserted as such a notebook has it).
    legacy = "-".join(f"w{i:05}" for i in range(1_430))
    nb.db["companies"].insert(
        {"slug": "legacy", "name_key": legacy, "name": legacy, "created_at": "x", "updated_at": "x"}
    )
    key = legacy.replace("w00007", "x00007")  # 10,009 characters, one word off
    started = timeit.default_timer()
    with pytest.raises(NotFound) as error:
        nb.company(key)
    assert timeit.default_timer() - started < 0.5
    assert str(error.value) == f"unknown company {quoted(key)}"
    with pytest.raises(NotFound, match="did you mean c1, "):  # a short one still gets its suggestion
        nb.company("company-1x")


def test_an_opml_string_that_was_not_utf8_is_invalid(nb: Notebook) -> None:
    with pytest.raises(Invalid, match="not an OPML file: its text is not valid Unicode"):
        import_opml(nb, _opml('text="Bad\udcffName"'))


# -- generated text --------------------------------------------------------------

# Any character, with the ones that broke something before (and the pieces of dates and URLs) often.
_ANY_CHARACTER = st.one_of(
    st.sampled_from(["\udcff", "\ud83d", "\ude00", "\x00", "\x1b", "\x9b", "\u202e", "\r", "２", "９"]),
    st.sampled_from(list("0129-:T+Z[]/@.h ")),
    st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"]),
)
GENERATED_ENTRIES = [
    "add_company(name)",
    "edit_company(ref)",
    "add_person(email)",
    "add_position(start)",
    "set_approach(next_action_at)",
    "add_interaction(when)",
    "add_note(body)",
    "add_feed(url)",
    "add_term(term)",
    "add_org_unit(name)",
    "company()",
    "feed()",
    "import_opml(folder text)",
]


@pytest.mark.parametrize("entry", GENERATED_ENTRIES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.lists(_ANY_CHARACTER, max_size=40).map("".join))  # (st.text() never draws a lone surrogate)
def test_generated_text(nb: Notebook, entry: str, value: str) -> None:
    TEMPLATE.db.conn.backup(WORK.db.conn)  # the fixture runs once for all examples
    check(nb, TEXT_ENTRIES[entry], value)
