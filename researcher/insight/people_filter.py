"""The people filter syntax, one for the People screen's `/` line and `researcher person list -q`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from researcher.store.schema import APPROACH_STATUSES, FUNCTIONS

# `key:value` words; the rest of the line is free text (name, headline, company, title).
KEYS = ("company", "sector", "function", "title", "status", "network")
# `former:` / `current:` (or `former:acme`): left, or still at, the company filtered on (else any company).
FLAGS = ("former", "current")
# Values from a closed list may have spaces without quotes (`status:to contact`): the longest known one is taken.
CLOSED = {"status": APPROACH_STATUSES, "function": FUNCTIONS}
# Company and sector names may have spaces without quotes, when the notebook knows the longer name.
NAMED = ("company", "sector")
MAX_NAME_WORDS = 6
SYNTAX = 'words, or company: sector: function: title: status: network:none former: current: ("quotes" for spaces)'

# A word: runs of plain characters and "double-quoted" stretches (an unclosed quote runs to the end).
Known = Callable[[str, str], bool]
_WORD = re.compile(r'(?:[^\s"]+|"[^"]*(?:"|$))+')


@dataclass(frozen=True)
class Word:
    text: str  # without its quotes
    quoted: bool


@dataclass
class PeopleFilter:
    """A parsed filter line: store filters (Notebook.people_list's keys), former/current, and a hint."""

    filters: dict[str, str] = field(default_factory=dict)
    employment: str | None = None  # "former" | "current"
    hint: str | None = None  # how to write what was probably meant (a value with spaces)

    def store_args(self) -> dict[str, Any]:
        return {"filters": dict(self.filters), "employment": self.employment}


def words(text: str) -> list[Word]:
    """The filter line's words; double quotes group words with spaces (`company:"banque eclair"`)."""
    return [Word(m.group().replace('"', ""), '"' in m.group()) for m in _WORD.finditer(text or "")]


def _closed_value(key: str, first: str, rest: list[Word]) -> tuple[str, int]:
    """The longest known value of `key` spelt by `first` and the next plain words; and how many of those it took."""
    known = {value.lower() for value in CLOSED[key]}
    for taken in range(len(rest), 0, -1):
        following = rest[:taken]
        if any(w.quoted or ":" in w.text for w in following):
            continue
        candidate = " ".join([first, *(w.text for w in following)]).lower()
        if candidate in known:
            return candidate, taken
    return first, 0


def _named_value(key: str, first: str, rest: list[Word], known: Known) -> tuple[str, int]:
    """The longest name (`first` and the next plain words) the notebook knows for `key`; and how many words it took."""
    plain = 0
    while plain < min(len(rest), MAX_NAME_WORDS) and not rest[plain].quoted and ":" not in rest[plain].text:
        plain += 1
    for taken in range(plain, 0, -1):
        candidate = " ".join([first, *(w.text for w in rest[:taken])])
        if known(key, candidate):
            return candidate, taken
    return first, 0


def parse_people_filter(text: str, known: Known | None = None) -> PeopleFilter:
    """`company:banque eclair former: status:to contact head` -> filters, employment and free words (`query`).

    A key's value is one word, or "quoted words"; values of a closed list (status, function) may be spelt with
    spaces, and so may a company or a sector the notebook knows (`known(key, value)` says which it knows). An
    unknown key is free text, so a name with a colon still finds its person.
    """
    out = PeopleFilter()
    free: list[str] = []
    items = words(text)
    index = 0
    while index < len(items):
        word = items[index]
        index += 1
        key, sep, value = word.text.partition(":")
        key = key.strip().lower()
        if not sep or (key not in KEYS and key not in FLAGS):
            free.append(word.text)
            continue
        value = value.strip()
        if key in FLAGS:
            out.employment = key
            key = "company"
        if not value:  # `status:` while the value is still being typed, or a bare `former:`
            continue
        taken = 0
        if not word.quoted and key in CLOSED:
            value, taken = _closed_value(key, value, items[index : index + 3])
        elif not word.quoted and key in NAMED and known is not None:
            value, taken = _named_value(key, value, items[index:], known)
        index += taken
        out.filters[key] = value
        if not word.quoted and key not in CLOSED and index < len(items) and ":" not in items[index].text:
            out.hint = f'a {key} with spaces needs quotes: {key}:"{value} {items[index].text}"'
    if free:
        out.filters["query"] = " ".join(free)
    return out


def people_filter(nb, text: str) -> PeopleFilter:
    """The filter line as the notebook understands it (companies and sectors with spaces are looked up)."""
    return parse_people_filter(text, nb.knows_name)


# People read a window at a time (about 7 ms of filtering at 50,000 people): see people_page().
WINDOW = 1000


def people_page(nb, parsed: PeopleFilter, limit: int, after: tuple[str, int] | None = None, pause=None) -> list:
    """The next `limit` people the filter keeps after `after` ((name_key, id); None: from the top), in name
    order. The notebook is read a window at a time and `pause()` is called between windows: a reader thread
    gives the UI thread its turn there (a filter on words calls Python for every person, and the thread
    running it keeps Python's lock away from the UI until it is done), or stops by raising."""
    rows: list = []
    low = after
    while len(rows) < limit:
        high = nb.person_key_after(low, WINDOW)
        rows += nb.people_list(**parsed.store_args(), limit=limit - len(rows), after=low, upto=high)
        if high is None:
            break
        low = high
        if pause is not None:
            pause()
    return rows


def people_count(nb, parsed: PeopleFilter, pause=None) -> int:
    """How many people the filter keeps, counted a window of ids at a time (`pause()` between windows)."""
    total, top = 0, nb.max_person_id()
    for low in range(0, top, WINDOW):
        total += nb.count_people_list(**parsed.store_args(), ids=(low, low + WINDOW))
        if pause is not None and low + WINDOW < top:
            pause()
    return total
