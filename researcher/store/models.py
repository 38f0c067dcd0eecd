"""Plain dataclasses the store hands out; no widget or command ever sees a cursor."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


class Record:
    """Mixin: build from a row dict (ignoring extra keys) and dump to JSON-ready dicts."""

    @classmethod
    def _shape(cls) -> tuple[frozenset[str], frozenset[str]]:
        """The field names and the bool fields, read once per class (fields() costs more than the copy)."""
        shape = cls.__dict__.get("_shape_cache")
        if shape is None:
            found = fields(cls)  # type: ignore[arg-type]
            shape = (frozenset(f.name for f in found), frozenset(f.name for f in found if f.type == "bool"))
            cls._shape_cache = shape  # type: ignore[attr-defined]
        return shape

    @classmethod
    def from_row(cls, row: dict[str, Any]):
        names, bools = cls._shape()
        # SQLite has no boolean: 0/1 columns become real bools here.
        return cls(**{k: (bool(v) if k in bools else v) for k, v in row.items() if k in names})

    @classmethod
    def from_rows(cls, keys: list[str], rows: list[tuple]) -> list:
        """Records from a cursor's rows and column names. When the columns are the record's fields (none a bool to
        convert), each record takes its row as its attributes, without a dict per row nor __init__: 39,000
        positions of a big company's career flows in 0.05 s instead of 0.13 s."""
        names, bools = cls._shape()
        if bools or set(keys) != names or len(keys) != len(names):
            return [cls.from_row(dict(zip(keys, row))) for row in rows]
        new = object.__new__
        out = []
        for row in rows:
            record = new(cls)
            record.__dict__ = dict(zip(keys, row))
            out.append(record)
        return out

    def but(self, **changes: Any):
        """A copy with some fields changed (the fields as they are: no __init__ to run again)."""
        copy = object.__new__(type(self))
        copy.__dict__ = {**self.__dict__, **changes}
        return copy

    def to_dict(self) -> dict[str, Any]:
        # Flat records copy their fields as they are (asdict deep-copies each value: 9,000 positions of a big
        # company's career flows took 1.2 s); a record holding others (an org unit) goes through asdict.
        if self._nested():
            return asdict(self)  # type: ignore[call-overload]
        return {f: getattr(self, f) for f in self._ordered()}

    @classmethod
    def _ordered(cls) -> tuple[str, ...]:
        order = cls.__dict__.get("_order_cache")
        if order is None:
            order = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
            cls._order_cache = order  # type: ignore[attr-defined]
        return order

    @classmethod
    def _nested(cls) -> bool:
        nested = cls.__dict__.get("_nested_cache")
        if nested is None:
            nested = any("list" in str(f.type) or "dict" in str(f.type) for f in fields(cls))  # type: ignore[arg-type]
            cls._nested_cache = nested  # type: ignore[attr-defined]
        return nested


@dataclass
class Company(Record):
    id: int
    slug: str
    name: str
    sector: str | None = None
    website: str | None = None
    location: str | None = None
    size: str | None = None
    description: str | None = None
    status: str = "watching"
    created_at: str = ""
    updated_at: str = ""
    # Filled by list queries:
    people_count: int = 0
    unread_count: int = 0
    last_note_at: str | None = None


@dataclass
class Person(Record):
    id: int
    slug: str
    name: str
    headline: str | None = None
    location: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin_url: str | None = None
    viadeo_url: str | None = None
    xing_url: str | None = None
    goldenline_url: str | None = None
    other_url: str | None = None
    is_me: bool = False
    created_at: str = ""
    updated_at: str = ""
    # Filled by list queries: the current position, if any, and the approach state.
    company: str | None = None
    company_slug: str | None = None
    title: str | None = None
    function: str | None = None
    approach_status: str | None = None
    priority: int | None = None

    @property
    def profiles(self) -> dict[str, str]:
        """The person's profile URLs by network (only the networks they are on)."""
        out = {}
        for network in ("linkedin", "viadeo", "xing", "goldenline", "other"):
            url = getattr(self, f"{network}_url")
            if url:
                out[network] = url
        return out


@dataclass
class Position(Record):
    id: int
    person_id: int
    company_name: str
    title: str
    start: str | None
    end: str | None = None
    company_id: int | None = None
    company_slug: str | None = None
    function: str | None = None
    org_unit_id: int | None = None
    org_unit: str | None = None
    person_name: str | None = None
    person_slug: str | None = None
    manager_id: int | None = None  # whom the holder reports to there (a person)

    @property
    def current(self) -> bool:
        return self.end is None


@dataclass
class Relationship(Record):
    id: int
    person_id: int
    other_id: int
    kind: str
    strength: int
    how: str | None = None
    other_name: str | None = None
    other_slug: str | None = None
    created_at: str = ""


@dataclass
class Approach(Record):
    person_id: int
    status: str = "identified"
    priority: int = 2
    next_action_at: str | None = None
    next_step: str | None = None
    updated_at: str = ""
    cadence_days: int | None = None  # keep in touch every so many days (None: the notebook's default)


@dataclass
class Interaction(Record):
    id: int
    person_id: int
    at: str
    channel: str
    direction: str = "out"
    summary: str = ""
    created_at: str = ""


@dataclass
class Note(Record):
    id: int
    body: str
    created_at: str
    updated_at: str
    company_id: int | None = None
    person_id: int | None = None
    news_item_id: int | None = None
    # Name of what the note is attached to, for lists that mix targets.
    subject: str | None = None


@dataclass
class Feed(Record):
    id: int
    company_id: int
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_fetch_at: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_count: int = 0
    next_attempt_at: str | None = None
    active: bool = True
    created_at: str = ""
    company: str | None = None
    company_slug: str | None = None
    item_count: int = 0
    unread_count: int = 0


@dataclass
class NewsItem(Record):
    id: int
    feed_id: int
    company_id: int
    entry_id: str
    title: str
    summary: str = ""
    link: str | None = None
    published: str | None = None
    fetched_at: str = ""
    read: bool = False
    starred: bool = False
    company: str | None = None
    company_slug: str | None = None


@dataclass
class Term(Record):
    id: int
    term: str
    definition: str = ""
    seen_in: str | None = None
    company_id: int | None = None
    company: str | None = None
    created_at: str = ""
    example: str | None = None  # a sentence that uses it


@dataclass
class OrgUnit(Record):
    id: int
    company_id: int
    name: str
    parent_id: int | None = None
    children: list[OrgUnit] = field(default_factory=list)
    people: list[Position] = field(default_factory=list)
