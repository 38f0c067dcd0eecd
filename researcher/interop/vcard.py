"""vCard 3.0 export and import of people (through vobject): name, company, title, email, phone, profiles, notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import vobject

from researcher.store import Notebook
from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.models import Person
from researcher.store.notebook import network_of
from researcher.text import clean_line, clean_text, fold, quoted

NETWORKS = ("linkedin", "viadeo", "xing", "goldenline", "other")
MAX_VCARD_BYTES = 20 * 1024 * 1024  # a phone's whole address book is a few MiB
MAX_CARDS = 50_000
# A card from a phone that names a company but no title: a position needs one.
UNKNOWN_TITLE = "(title unknown)"
NOTE_JOIN = "\n\n"
MAX_WARNINGS = 100


# -- export -----------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """(given, family): the last word is the family name; a one-word name is a given name alone."""
    given, _, family = name.rpartition(" ")
    return (given, family) if given else (family, "")


def _notes_text(nb: Notebook, person_id: int) -> str:
    """A person's notes, oldest first, one paragraph each (what NOTE carries, and what an import compares)."""
    return NOTE_JOIN.join(clean_text(n.body).strip() for n in reversed(nb.notes(person=person_id)))


def person_card(nb: Notebook, person: Person) -> vobject.base.Component:
    """One person as a vCard 3.0 component; every value cleaned of controls and bidi overrides (vobject
    escapes `;`, `,`, `\\` and newlines as vCard asks)."""
    card = vobject.vCard()
    name = clean_line(person.name)
    given, family = _split_name(name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = name
    if person.company:
        card.add("org").value = [clean_line(person.company)]
    if person.title:
        card.add("title").value = clean_line(person.title)
    if person.email:
        email = card.add("email")
        email.value = clean_line(person.email)
        email.type_param = "INTERNET"
    if person.phone:
        card.add("tel").value = clean_line(person.phone)
    for network, url in person.profiles.items():
        line = card.add("url")
        line.value = clean_line(url)
        line.type_param = network
    note = _notes_text(nb, person.id)
    if note:
        card.add("note").value = note
    return card


def export_vcard(nb: Notebook, people: Iterable[Person]) -> str:
    """People as a vCard 3.0 file (CRLF lines, folded at 75 octets), in the order given."""
    return "".join(person_card(nb, p).serialize() for p in people)


def people_to_export(nb: Notebook, refs: Iterable[str] = (), company: str | None = None) -> list[Person]:
    """The people named (slug or name), else everyone who is or was at `company`, else everyone."""
    refs = list(refs)
    if refs and company:
        raise Invalid("name people or a company, not both")
    if refs:
        chosen: dict[int, Person] = {}
        for ref in refs:
            person = nb.person(ref)
            chosen.setdefault(person.id, person)
        return list(chosen.values())
    return nb.people(company=company) if company else nb.people()


# -- import -------------------------------------------------------------------------------


@dataclass
class Card:
    """What one vCard says, cleaned: the fields the notebook keeps."""

    number: int
    name: str
    company: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    profiles: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class CardOutcome:
    card: int
    name: str
    action: str  # added | updated | unchanged
    person_id: int | None
    slug: str | None
    changes: list[str] = field(default_factory=list)


@dataclass
class VcardImport:
    cards: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    people: list[CardOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_VCARD_BYTES:
        raise Invalid(f"this vCard file is over {MAX_VCARD_BYTES >> 20} MiB; split it")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older phones wrote their own code page


def _components(text: str) -> list[vobject.base.Component]:
    if "BEGIN:VCARD" not in text.upper():
        raise Invalid("not a vCard file: it holds no BEGIN:VCARD")
    try:
        components = []
        for component in vobject.readComponents(text, ignoreUnreadable=True):
            components.append(component)
            if len(components) > MAX_CARDS:
                raise Invalid(f"this vCard file holds more than {MAX_CARDS:,} cards; split it")
    except Invalid:
        raise
    except Exception as exc:  # vobject raises ParseError, and ValueError and others on broken values
        raise Invalid(f"not a vCard file: {clean_line(str(exc))[:200] or type(exc).__name__}") from None
    for number, component in enumerate(components, 1):
        if component.name.upper() != "VCARD":
            raise Invalid(f"item {number} of the file is a {quoted(component.name)}, not a vCard")
    return components


def _values(component: vobject.base.Component, name: str) -> list[vobject.base.ContentLine]:
    lines = component.contents.get(name, [])
    # The preferred one first (TYPE=PREF in 3.0, PREF=1 in 4.0), otherwise in file order.
    return sorted(lines, key=lambda line: not _is_preferred(line))


def _is_preferred(line: vobject.base.ContentLine) -> bool:
    return "pref" in _types(line) or "PREF" in line.params


def _types(line: vobject.base.ContentLine) -> list[str]:
    """The TYPE values, lower case: TYPE=a,b (3.0) and bare parameters (2.1's EMAIL;WORK;PREF)."""
    return [t.lower() for t in [*line.params.get("TYPE", []), *line.singletonparams]]


def _text(value: Any) -> str:
    if isinstance(value, list):  # ORG's units, CATEGORIES
        value = " ".join(str(part) for part in value if part)
    return clean_line(str(value)) if value is not None else ""


def _card_name(component: vobject.base.Component) -> str:
    for line in _values(component, "fn"):
        name = _text(line.value)
        if name:
            return name
    for line in _values(component, "n"):
        n = line.value
        if isinstance(n, vobject.vcard.Name):
            parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
            name = clean_line(" ".join(_text(p) for p in parts))
            if name:
                return name
    return ""


def _profile(line: vobject.base.ContentLine) -> tuple[str, str] | None:
    """(network, url) of a URL or X-SOCIALPROFILE line; the TYPE names the network, else the host does."""
    raw = _text(line.value)
    if not raw:
        return None
    if "://" not in raw and "." in raw.split("/")[0]:
        raw = "https://" + raw  # "linkedin.com/in/someone", as phones keep them
    named = next((t for t in _types(line) if t in NETWORKS), None)
    return named or network_of(raw), raw


def _read_card(number: int, component: vobject.base.Component, summary: VcardImport) -> Card:
    name = _card_name(component)
    if not name:
        raise Invalid(f"card {number} has no name (neither FN nor N)")
    card = Card(number=number, name=v.required(name, f"card {number}: name", v.MAX_NAME))
    org = next((_text(line.value) for line in _values(component, "org") if _text(line.value)), "")
    title = next((_text(line.value) for line in _values(component, "title") if _text(line.value)), "")
    if org:
        card.company = v.required(org, f"card {number}: company", v.MAX_NAME)
        card.title = v.required(title or UNKNOWN_TITLE, f"card {number}: title", v.MAX_TITLE)
    for kind, lines in (("email", _values(component, "email")), ("phone", _values(component, "tel"))):
        kept = None
        for line in lines:
            value = _text(line.value)
            if not value:
                continue
            try:
                checked = v.email(value) if kind == "email" else v.optional(value, "phone", v.MAX_LINE)
            except Invalid as error:
                summary.warn(f"card {number} ({name}): {kind} skipped: {error}")
                continue
            if kept is None:
                kept = checked
            else:
                summary.warn(f"card {number} ({name}): the notebook keeps one {kind}; {quoted(value)} skipped")
        setattr(card, kind, kept)
    for line in _values(component, "url") + _values(component, "x-socialprofile"):
        found = _profile(line)
        if found is None:
            continue
        network, raw = found
        try:
            url = v.url(raw, f"{network} profile")
        except Invalid as error:
            summary.warn(f"card {number} ({name}): {error}; skipped")
            continue
        if url and network not in card.profiles:
            card.profiles[network] = url
        elif url and card.profiles[network] != url:
            summary.warn(f"card {number} ({name}): a second {network} profile {quoted(url)} skipped")
    notes = [clean_text(str(line.value)).strip() for line in component.contents.get("note", [])]
    card.note = NOTE_JOIN.join(n for n in notes if n)
    if len(card.note) > v.MAX_BODY:
        summary.warn(f"card {number} ({name}): its note is cut to {v.MAX_BODY:,} characters")
        card.note = card.note[: v.MAX_BODY]
    return card


def read_cards(data: bytes | str, summary: VcardImport | None = None) -> list[Card]:
    """Every card of a vCard file (2.1, 3.0 or 4.0), cleaned and checked; Invalid when the file is not one."""
    summary = summary or VcardImport()
    return [_read_card(n, c, summary) for n, c in enumerate(_components(_decode(data)), 1)]


class _Matcher:
    """Finds the person a card is about: by a profile URL, then by name and current company.

    A person matched by name during this import is not matched again by a later card: two
    people of one name at one company stay two.
    """

    def __init__(self, nb: Notebook):
        self.nb = nb
        self.taken: set[int] = set()

    def find(self, card: Card) -> Person | None:
        for url in card.profiles.values():
            found = self.nb.people_with_profile(url)
            if found:
                return found[0]
        company = fold(card.company or "")
        for person in self.nb.people_named(card.name):
            if person.id not in self.taken and fold(person.company or "") == company:
                return person
        return None


def _new_person(nb: Notebook, card: Card) -> Person:
    person = nb.add_person(card.name, email=card.email, phone=card.phone, profiles=card.profiles or None)
    if card.company:
        nb.add_position(person.id, company_name=card.company, title=card.title or UNKNOWN_TITLE)
    if card.note:
        nb.add_note(card.note, person=person.id)
    return person


def _update_person(nb: Notebook, person: Person, card: Card, summary: VcardImport) -> list[str]:
    """Fill what the notebook does not know yet; what it knows is kept (a card never overwrites a field)."""
    changes: list[str] = []
    fields = {k: getattr(card, k) for k in ("email", "phone") if getattr(card, k) and not getattr(person, k)}
    profiles = {n: url for n, url in card.profiles.items() if not getattr(person, f"{n}_url")}
    for key in ("email", "phone"):
        if getattr(card, key) and getattr(person, key) and getattr(card, key) != getattr(person, key):
            summary.warn(
                f"card {card.number} ({card.name}): kept the {key} the notebook has, not {quoted(getattr(card, key))}"
            )
    if fields or profiles:
        nb.edit_person(person.id, profiles=profiles or None, **fields)
        changes += [*fields, *(f"{n} profile" for n in profiles)]
    if card.company:
        if person.company is None:
            nb.add_position(person.id, company_name=card.company, title=card.title or UNKNOWN_TITLE)
            changes.append("position")
        elif fold(person.company) != fold(card.company):
            summary.warn(
                f"card {card.number} ({card.name}): works at {quoted(person.company)} here, the card says"
                f" {quoted(card.company)}; kept {quoted(person.company)}"
            )
    if card.note:
        bodies = [clean_text(n.body).strip() for n in nb.notes(person=person.id)]
        if card.note not in bodies and card.note != NOTE_JOIN.join(reversed(bodies)):
            nb.add_note(card.note, person=person.id)
            changes.append("note")
    return changes


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def import_vcard(nb: Notebook, data: bytes | str, dry_run: bool = False) -> VcardImport:
    """Add the people of a vCard file, or complete the ones the notebook has, in one transaction.

    A card matches a person by a profile URL, else by name and current company; a matched person gets
    only what they lack (email, phone, profiles, a position when they have none, the note when it is new).
    Running it twice changes nothing. `dry_run` reports what would change and writes nothing.
    """
    summary = VcardImport(dry_run=dry_run)
    cards = read_cards(data, summary)
    summary.cards = len(cards)
    try:
        with nb.atomic():
            matcher = _Matcher(nb)
            for card in cards:
                person = matcher.find(card)
                try:
                    if person is None:
                        person = _new_person(nb, card)
                        outcome = CardOutcome(card.number, card.name, "added", person.id, person.slug)
                        summary.added += 1
                    else:
                        changes = _update_person(nb, person, card, summary)
                        action = "updated" if changes else "unchanged"
                        outcome = CardOutcome(card.number, card.name, action, person.id, person.slug, changes)
                        summary.updated += bool(changes)
                        summary.unchanged += not changes
                except Invalid as error:
                    raise Invalid(f"card {card.number} ({quoted(card.name)}): {error}") from None
                matcher.taken.add(person.id)
                summary.people.append(outcome)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if dry_run:  # ids and slugs of people a dry run would add are not theirs yet
        for outcome in summary.people:
            if outcome.action == "added":
                outcome.person_id = outcome.slug = None
    return summary
