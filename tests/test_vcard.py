"""vCard export and import: round trips, matching, idempotence, dry runs, hostile values and broken files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import vobject

from researcher.interop.vcard import UNKNOWN_TITLE, export_vcard, import_vcard, people_to_export, read_cards
from researcher.store import Notebook
from researcher.store.errors import Invalid
from tests.test_cli_hostile import digest

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
HOSTILE_NAME = "Jean\\Luc; Pi,card"


def _filled(nb: Notebook) -> Notebook:
    nb.add_company("Acme; Inc, \\ Ltd")
    lee = nb.add_person(
        "Ann Lee",
        company="Acme; Inc, \\ Ltd",
        title="Head of payments; EMEA, \\ ops",
        email="ann@acme.example",
        phone="+33 1 23 45 67 89",
        profiles=["https://www.linkedin.com/in/ann-lee", "https://www.xing.com/profile/ann", "https://ann.example/"],
    )
    nb.add_note("Met at the fintech meetup\nAsk about: payments; cards, \\ wallets", person=lee.id)
    nb.add_note("Second note", person=lee.id)
    hostile = nb.add_person(HOSTILE_NAME)
    nb.add_position(hostile.id, company_name="Untracked GmbH", title="CTO")
    nb.add_person("Solo")
    # Two people of one name at one company, no profiles: they must stay two.
    nb.add_person("Anna Schmidt", company="Acme; Inc, \\ Ltd", title="Developer")
    nb.add_person("Anna Schmidt", company="Acme; Inc, \\ Ltd", title="Developer")
    return nb


def _all(nb: Notebook) -> str:
    return export_vcard(nb, people_to_export(nb))


def test_round_trip_into_an_empty_notebook_gives_the_same_cards(nb: Notebook):
    """export -> import into an empty notebook -> export: the same cards, byte for byte."""
    first = _all(_filled(nb))
    other = Notebook(":memory:")
    summary = import_vcard(other, first)
    assert (summary.cards, summary.added, summary.updated) == (5, 5, 0)
    assert _all(other) == first
    ann = other.person("ann-lee")
    assert ann.company == "Acme; Inc, \\ Ltd" and ann.title == "Head of payments; EMEA, \\ ops"
    assert ann.profiles == {
        "linkedin": "https://www.linkedin.com/in/ann-lee",
        "xing": "https://www.xing.com/profile/ann",
        "other": "https://ann.example/",
    }
    assert other.person("jean-luc-pi-card").name == HOSTILE_NAME
    assert len(other.people(query="anna schmidt")) == 2


def test_the_cards_are_vcard_3_that_vobject_reads_back(nb: Notebook):
    text = _all(_filled(nb))
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    cards = list(vobject.readComponents(text))
    ann = next(c for c in cards if c.fn.value == "Ann Lee")
    assert ann.version.value == "3.0"
    assert ann.org.value == ["Acme; Inc, \\ Ltd"]
    assert ann.n.value.family == "Lee" and ann.n.value.given == "Ann"
    assert ann.email.value == "ann@acme.example" and ann.tel.value == "+33 1 23 45 67 89"
    assert {u.params["TYPE"][0]: u.value for u in ann.contents["url"]}[
        "linkedin"
    ] == "https://www.linkedin.com/in/ann-lee"
    assert ann.note.value == "Met at the fintech meetup\nAsk about: payments; cards, \\ wallets\n\nSecond note"
    # The separators are escaped, not structure: ORG is one unit, the title one value.
    assert "ORG:Acme\\; Inc\\, \\\\ Ltd\r\n" in text


def test_importing_twice_changes_nothing(nb: Notebook, tmp_path: Path):
    text = _all(_filled(nb))
    path = tmp_path / "n.db"
    with Notebook(path) as other:
        import_vcard(other, text)
    before = digest(path)
    with Notebook(path) as other:
        summary = import_vcard(other, text)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 5)
    assert digest(path) == before


def test_into_the_notebook_it_came_from_nothing_changes(nb: Notebook):
    text = _all(_filled(nb))
    counts = nb.counts()
    summary = import_vcard(nb, text)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 5)
    assert nb.counts() == counts and len(nb.notes(person="ann-lee")) == 2


def test_a_card_matches_by_profile_url_first_then_by_name_and_company(nb: Notebook):
    nb.add_company("Acme")
    renamed = nb.add_person("Ann Lee-Martin", profiles=["https://www.linkedin.com/in/ann-lee"])
    same_name_elsewhere = nb.add_person("Bob Stone", company="Acme", title="CFO")
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.example\r\n"
        "URL:https://www.linkedin.com/in/ann-lee\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:BOB STONE\r\nORG:acme\r\nTEL:+49 30 1\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nORG:Other Corp\r\nTITLE:CFO\r\nEND:VCARD\r\n"
    )
    summary = import_vcard(nb, cards)
    assert [o.action for o in summary.people] == ["updated", "updated", "added"]
    assert summary.people[0].person_id == renamed.id and summary.people[0].changes == ["email"]
    assert summary.people[1].person_id == same_name_elsewhere.id and summary.people[1].changes == ["phone"]
    assert nb.person(renamed.id).name == "Ann Lee-Martin"  # what the notebook knows is kept
    assert nb.person(renamed.id).email == "ann@x.example"
    assert nb.count_people() == 3


def test_a_card_never_overwrites_what_the_notebook_knows(nb: Notebook):
    nb.add_company("Acme")
    nb.add_person("Ann Lee", company="Acme", title="CTO", email="ann@acme.example", phone="1")
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Acme\r\nTITLE:Intern\r\nEMAIL:other@x.example\r\nEND:VCARD\r\n"
    )
    summary = import_vcard(nb, card)
    assert summary.unchanged == 1
    ann = nb.person("ann-lee")
    assert (ann.email, ann.title) == ("ann@acme.example", "CTO")
    assert any("kept the email" in w for w in summary.warnings)


def test_dry_run_reports_and_writes_nothing(nb: Notebook, tmp_path: Path):
    text = _all(_filled(nb))
    path = tmp_path / "n.db"
    with Notebook(path) as other:
        other.add_person("Solo")
    before = digest(path)
    with Notebook(path) as other:
        summary = import_vcard(other, text, dry_run=True)
    assert summary.dry_run and (summary.added, summary.unchanged) == (4, 1)
    assert all(o.person_id is None for o in summary.people if o.action == "added")
    assert digest(path) == before


def test_hostile_values_are_cleaned_on_import(nb: Notebook):
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        "FN:Eve\\nil \x1b[31mRed\u202eTxet\r\n"
        "ORG:Evil\x9b2J Corp\r\nTITLE:Boss\\, \x07big\r\n"
        "NOTE:line one\\nline\x1b]0;pwned\x07 two\r\n"
        "END:VCARD\r\n"
    )
    import_vcard(nb, card)
    person = nb.people()[0]
    assert person.name == "Eve il RedTxet" and person.company == "Evil Corp" and person.title == "Boss, big"
    (note,) = nb.notes(person=person.id)
    assert note.body == "line one\nline two"
    assert not UNSAFE.search(_all(nb).replace("\r\n", ""))


def test_hostile_values_in_the_notebook_are_cleaned_on_export(nb: Notebook):
    person = nb.add_person("Ann Lee", email="ann@acme.example")
    nb.db.execute(
        "UPDATE people SET name = ?, phone = ? WHERE id = ?", ["Ann\x1b[2J\u202e Lee\nX", "+1\x9b31m 555", person.id]
    )
    text = _all(nb)
    assert not UNSAFE.search(text.replace("\r\n", ""))
    card = vobject.readOne(text)
    assert card.fn.value == "Ann Lee X" and card.tel.value == "+1 555"


def test_cards_from_a_phone(nb: Notebook):
    """vCard 2.1 with quoted-printable, several emails and phones, a social profile without a scheme."""
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
        "EMAIL;HOME:j@home.example\r\nEMAIL;WORK;PREF:j@work.example\r\nTEL;CELL:+49 170 1\r\nTEL;WORK:+49 30 2\r\n"
        "ORG:Zahlwerk GmbH;Payments\r\n"
        "X-SOCIALPROFILE;TYPE=xing:www.xing.com/profile/juergen\r\n"
        "URL:not a url\r\n"
        "END:VCARD\r\n"
    )
    summary = import_vcard(nb, card)
    assert summary.added == 1
    person = nb.people()[0]
    assert person.name == "Jürgen Müller"
    assert person.email == "j@work.example"  # the preferred one
    assert person.phone == "+49 170 1"
    assert person.xing_url == "https://www.xing.com/profile/juergen"
    assert (person.company, person.title) == ("Zahlwerk GmbH Payments", UNKNOWN_TITLE)
    assert len(summary.warnings) == 3  # the second email, the second phone, the URL that is not one


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no BEGIN:VCARD"),
        ("hello world", "no BEGIN:VCARD"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n", "not a vCard file"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:a@b.example\r\nEND:VCARD\r\n", "card 1 has no name"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\nBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "not a vCard"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + "x" * 500 + "\r\nEND:VCARD\r\n", "card 1: name"),
    ],
)
def test_a_bad_file_is_one_error_and_nothing_written(nb: Notebook, text: str, message: str):
    nb.add_person("Solo")
    counts = nb.counts()
    with pytest.raises(Invalid, match=message):
        import_vcard(nb, text.encode())
    assert nb.counts() == counts


def test_a_bad_card_after_good_ones_writes_nothing(nb: Notebook):
    good = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\n"
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\r\nORG:Acme\r\nTITLE:" + "t" * 400 + "\r\nEND:VCARD\r\n"
    with pytest.raises(Invalid, match="card 2"):
        import_vcard(nb, good + bad)
    assert nb.count_people() == 0


def test_read_cards_accepts_a_bom_and_latin1(nb: Notebook):
    assert read_cards("\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nEND:VCARD\r\n".encode())[0].name == "Zoë"
    assert read_cards(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xeb\r\nEND:VCARD\r\n")[0].name == "Zoë"


def test_people_to_export_by_name_or_company(nb: Notebook):
    _filled(nb)
    assert [p.name for p in people_to_export(nb, ["ann lee", "ann-lee"])] == ["Ann Lee"]
    assert {p.name for p in people_to_export(nb, company="acme-inc-ltd")} == {"Ann Lee", "Anna Schmidt"}
    with pytest.raises(Invalid, match="not both"):
        people_to_export(nb, ["ann-lee"], company="acme-inc-ltd")


# -- the CLI ---------------------------------------------------------------------------------------------------


def test_cli_export_and_import(run_cli, db_path: Path, tmp_path: Path):
    with Notebook(db_path) as nb:
        _filled(nb)
    out = tmp_path / "people.vcf"
    assert run_cli("export", "vcard", "-o", str(out)).exit_code == 0
    assert out.read_bytes().count(b"BEGIN:VCARD\r\n") == 5
    one = run_cli("export", "vcard", "ann lee")
    assert one.exit_code == 0 and one.stdout.count("BEGIN:VCARD") == 1 and "FN:Ann Lee" in one.stdout
    dry = run_cli("import", "vcard", str(out), "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.startswith("Would add 0 people, would update 0, 5 unchanged (5 cards)")
    data = json.loads(run_cli("import", "vcard", str(out), "--json").stdout)
    assert (data["cards"], data["unchanged"], data["dry_run"]) == (5, 5, False)


def test_cli_import_into_a_new_notebook(run_cli, tmp_path: Path):
    path = tmp_path / "in.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Acme\r\nTITLE:CTO\r\nEND:VCARD\r\n")
    result = run_cli("import", "vcard", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Added 1 person, updated 0, 0 unchanged (1 card)", "  added    Ann Lee"]


def test_cli_bad_file_is_one_error_line(run_cli, db_path: Path, tmp_path: Path):
    with Notebook(db_path) as nb:
        nb.add_person("Solo")
    before = digest(db_path)
    path = tmp_path / "bad.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n"
    )
    result = run_cli("import", "vcard", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: card 2 has no name (neither FN nor N)"]
    assert digest(db_path) == before
    missing = run_cli("export", "vcard", "-o", str(tmp_path / "no" / "such.vcf"))
    assert (
        missing.exit_code == 1
        and missing.stderr.startswith("Error: cannot write")
        and "does not exist" in missing.stderr
    )
