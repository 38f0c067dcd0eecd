"""The Notebook: every read and write of the notebook's data, returning plain dataclasses."""

from __future__ import annotations

import difflib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from slugify import slugify
from sqlite_utils import Database

from researcher.store import validate as v
from researcher.store.archive import ArchiveQueries
from researcher.store.cards import CardQueries
from researcher.store.careers import CareerQueries
from researcher.store.connection import BackgroundCheckpoints, connect
from researcher.store.discovery import DiscoveryQueries
from researcher.store.dossier import DossierQueries
from researcher.store.errors import Ambiguous, Invalid, NotebookReadOnly, NotFound, from_sqlite
from researcher.store.forget import ForgetQueries
from researcher.store.graph import GraphQueries
from researcher.store.imports import ImportQueries
from researcher.store.invitations import InvitationQueries
from researcher.store.mentions import MentionQueries
from researcher.store.models import (
    Approach,
    Company,
    Feed,
    Interaction,
    Note,
    OrgUnit,
    Person,
    Position,
    Record,
    Relationship,
    Term,
)
from researcher.store.network import NetworkQueries
from researcher.store.news import NewsQueries
from researcher.store.org import OrgQueries
from researcher.store.person_edits import PersonEdits
from researcher.store.schema import (
    APPROACH_STATUSES,
    CHANNELS,
    COMPANY_SIZES,
    COMPANY_STATUSES,
    FUNCTIONS,
    RELATIONSHIP_KINDS,
)
from researcher.store.vocabulary import VocabularyQueries
from researcher.text import clean_line, clean_text, quoted

R = TypeVar("R", bound=Record)

NETWORK_HOSTS = {
    "linkedin": ("linkedin.com",),
    "viadeo": ("viadeo.com", "viadeo.fr"),
    "xing": ("xing.com", "xing.de"),
    "goldenline": ("goldenline.pl",),
}

_COMPANY_FIELDS = ("name", "sector", "website", "location", "size", "description", "status")
_PERSON_FIELDS = ("name", "headline", "location", "email", "phone")


def network_of(url: str) -> str:
    """Which network a profile URL belongs to (linkedin, viadeo, xing, goldenline or other)."""
    host = (urlsplit(url).hostname or "").lower()
    for network, hosts in NETWORK_HOSTS.items():
        if any(host == h or host.endswith("." + h) for h in hosts):
            return network
    return "other"


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A name or slug to look up longer than this names nothing (names are capped at v.MAX_NAME; notebooks
# made before the cap may hold longer ones, hence the margin), and is not worth a query.
_MAX_REF = 4 * v.MAX_NAME


def _lookup(ref: str, limit: int) -> str | None:
    """`ref` cleaned to look up; None when it is too long to name anything (a 50 MB one is not even cleaned)."""
    if isinstance(ref, str) and len(ref) > 4 * limit:
        return None
    text = clean_line(ref)
    return text if len(text) <= limit else None


def _row_id(value: int, what: str) -> int:
    """`value` as a row id SQLite can take (a bigger int raises OverflowError there): no row has any other."""
    if not isinstance(value, int) or not -(2**63) <= value < 2**63:
        raise NotFound(f"no {what} with id {quoted(value)}")
    return value


def _is_file(text: str) -> bool:
    """Whether `text` is the path of an existing file; a path the system cannot even look at is not."""
    try:
        return Path(text).expanduser().exists()
    except (OSError, RuntimeError, ValueError):  # name too long, no permission, no home directory, NUL
        return False


# Entries of one fetch are written this many at a time (a streamed 20,000-item feed never is a list).
_SAVE_BATCH = 500


# News items already in the search index (those still queued are not: removing them scrubs nothing there).
_INDEXED_NEWS = "SELECT 1 FROM news_items n WHERE NOT EXISTS (SELECT 1 FROM news_fts_pending q WHERE q.id = n.id) AND"


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class Notebook(
    GraphQueries,
    CareerQueries,
    InvitationQueries,
    NetworkQueries,
    NewsQueries,
    PersonEdits,
    DossierQueries,
    DiscoveryQueries,
    MentionQueries,
    VocabularyQueries,
    OrgQueries,
    ImportQueries,
    CardQueries,
    ArchiveQueries,
    ForgetQueries,
):
    """One notebook file. Open with `Notebook(path)`; one instance per thread."""

    def __init__(self, path: str | os.PathLike | None = None, db: Database | None = None, create: bool = True):
        self.path = Path(path) if path not in (None, ":memory:") else None
        self.db = db if db is not None else connect(path, create=create)

    @property
    def read_only_reason(self) -> str | None:
        """Why this notebook is open read-only (a newer researcher wrote it), or None: show it once."""
        return getattr(self.db, "read_only_reason", None)

    @property
    def warning(self) -> str | None:
        """Something the user should know that did not stop the opening, or None: show it once."""
        return getattr(self.db, "warning", None)

    def _forget(self, *fts_tables: str) -> None:
        """Scrub what a removal deleted from the file (see NotebookDatabase.forget)."""
        forget = getattr(self.db, "forget", None)
        if forget is not None:
            forget(fts_tables)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ensure_writable(self) -> None:
        """Raise the one-line reason when this notebook cannot be written (a newer release's, a read-only file or
        medium), before long work whose results could not be stored. Writes nothing."""
        if self.read_only_reason:
            raise NotebookReadOnly(self.read_only_reason)
        conn = self.db.conn
        began = not conn.in_transaction
        try:
            # A write that matches no row: SQLite still asks the file for write access, and refuses a read-only one.
            conn.execute("UPDATE settings SET value = value WHERE 0")
        except sqlite3.Error as exc:
            raise from_sqlite(exc) from None
        finally:
            if began and conn.in_transaction:
                conn.rollback()  # the statement opened a write transaction: holding it would lock out every writer

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (before copying the file, say)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def background_checkpoints(self) -> BackgroundCheckpoints:
        """Checkpoint from a thread beside this connection while it writes a lot (stop() it after)."""
        if self.path is None:
            raise Invalid("an in-memory notebook has no write-ahead log")
        return BackgroundCheckpoints(self.db, self.path)

    @contextmanager
    def atomic(self) -> Iterator[Notebook]:
        """Group several writes into one transaction: all land or none."""
        with self.db.atomic():
            yield self

    # -- helpers -------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable | dict = ()) -> list[dict[str, Any]]:
        # Straight on the connection: db.query() wraps every SELECT in a savepoint (three
        # statements for one), which showed in the sync's per-feed cost.
        cursor = self.db.conn.execute(sql, params if isinstance(params, dict) else list(params))
        keys = [d[0] for d in cursor.description]
        return [dict(zip(keys, row)) for row in cursor.fetchall()]

    def _records(self, cls: type[R], sql: str, params: Iterable | dict = ()) -> list[R]:
        """The rows of a query as records of `cls` (see Record.from_rows)."""
        cursor = self.db.conn.execute(sql, params if isinstance(params, dict) else list(params))
        return cls.from_rows([d[0] for d in cursor.description], cursor.fetchall())

    def _one(self, sql: str, params: Iterable | dict = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: Iterable | dict = ()):
        return self.db.execute(sql, params).fetchone()[0]

    def _unique_slug(self, table: str, name: str) -> str:
        base = slugify(name) or {"companies": "company", "people": "person"}.get(table, "item")
        slug, n = base, 2
        while self._one(f"SELECT 1 FROM {table} WHERE slug = ?", [slug]):
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _resolve(self, table: str, ref: str | int, what: str) -> dict[str, Any]:
        """Find a row by id, slug or name (case- and accent-insensitive)."""
        if isinstance(ref, int):
            row = self._one(f"SELECT * FROM {table} WHERE id = ?", [_row_id(ref, what)])
            if row is None:
                raise NotFound(f"no {what} with id {ref}")
            return row
        text = _lookup(ref, _MAX_REF)
        if text is None:
            raise NotFound(f"unknown {what} {quoted(ref)}")
        if not text:
            raise Invalid(f"{what} name must not be empty")
        row = self._one(f"SELECT * FROM {table} WHERE slug = ?", [text])
        if row:
            return row
        key = slugify(text)
        if key:
            rows = self._rows(f"SELECT * FROM {table} WHERE name_key = ? ORDER BY id", [key])
        else:  # a name of symbols only ("🎉"): nothing to fold, so only the exact name
            rows = self._rows(f"SELECT * FROM {table} WHERE name = ? ORDER BY id", [text])
        if not rows and text.lower() != text:
            # Slugs are lower case; "ACME-2" is still the slug acme-2.
            rows = self._rows(f"SELECT * FROM {table} WHERE slug = ?", [text.lower()])
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            exact = [r for r in rows if r["name"] == text]
            if len(exact) == 1:
                return exact[0]
            slugs = ", ".join(r["slug"] for r in rows)
            plural = "people" if what == "person" else "companies" if what == "company" else what + "s"
            raise Ambiguous(f"{len(rows)} {plural} are named {quoted(text)}; use a slug: {slugs}")
        # A name's first words are enough when they name one record ("zahlwerk" -> "Zahlwerk GmbH").
        if key:
            rows = self._rows(
                f"SELECT * FROM {table} WHERE name_key LIKE ? ESCAPE '\\' LIMIT 2",
                [key.replace("_", "\\_").replace("%", "\\%") + "-%"],
            )
            if len(rows) == 1:
                return rows[0]
        suggestion = self._suggest(table, key)
        raise NotFound(f"unknown {what} {quoted(text)}{suggestion}")

    def _suggest(self, table: str, key: str) -> str:
        """' (did you mean x, y?)' for a name that matched nothing: partial matches, else close spellings."""
        if not key or len(key) > v.MAX_NAME:  # no name is that long; difflib on a long key takes seconds
            return ""
        slugs = [
            r["slug"]
            for r in self._rows(
                f"SELECT slug FROM {table} WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key LIMIT 3", [_like(key)]
            )
        ]
        if not slugs:
            keys = {r["name_key"]: r["slug"] for r in self._rows(f"SELECT name_key, slug FROM {table} LIMIT 100000")}
            slugs = [keys[k] for k in difflib.get_close_matches(key, list(keys), n=3, cutoff=0.75)]
        return f" (did you mean {', '.join(slugs)}?)" if slugs else ""

    # -- companies -----------------------------------------------------------

    def _company_values(self, fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "name":
                out["name"] = v.required(value, "company name", v.MAX_NAME)
                out["name_key"] = slugify(out["name"])
            elif key == "website":
                out["website"] = v.url(value, "website")
            elif key == "status":
                out["status"] = v.choice(value, COMPANY_STATUSES, "status") or "watching"
            elif key == "size":
                out["size"] = v.choice(value, COMPANY_SIZES, "size")
            elif key == "description":
                out["description"] = v.text(value, "description", v.MAX_BODY) or None
            elif key in _COMPANY_FIELDS:
                out[key] = v.optional(value, key, v.MAX_LINE)
            else:
                raise Invalid(f"unknown company field {quoted(key)}")
        return out

    def add_company(self, name: str, **fields: Any) -> Company:
        values = self._company_values({"name": name, **{k: x for k, x in fields.items() if x is not None}})
        stamp = v.now()
        with self.db.atomic():
            values.update(slug=self._unique_slug("companies", values["name"]), created_at=stamp, updated_at=stamp)
            values.setdefault("status", "watching")
            company_id = self.db["companies"].insert(values).last_pk
        return self.company(company_id)

    def edit_company(self, ref: str | int, **fields: Any) -> Company:
        row = self._resolve("companies", ref, "company")
        values = self._company_values(fields)
        if values:
            values["updated_at"] = v.now()
            self.db["companies"].update(row["id"], values)
        return self.company(row["id"])

    def remove_company(self, ref: str | int) -> Company:
        """Remove a company with its feeds, news, notes, terms and units; nothing of their text stays in the file."""
        company = self.company(ref)
        with self.db.atomic():
            indexed = self._indexed_with(
                company.id,
                news_items=_INDEXED_NEWS + " n.company_id = ?",
                notes="SELECT 1 FROM notes WHERE company_id = ?1"
                " OR news_item_id IN (SELECT id FROM news_items WHERE company_id = ?1)",
                terms="SELECT 1 FROM terms WHERE company_id = ?",
            )
            self.db.execute("DELETE FROM companies WHERE id = ?", [company.id])
            self._forget("companies", *indexed)
        return company

    _COMPANY_SELECT = """
        SELECT c.*,
          (SELECT count(DISTINCT p.person_id) FROM positions p
            WHERE p.company_id = c.id AND p."end" IS NULL) AS people_count,
          (SELECT count(*) FROM news_items n
            WHERE n.company_id = c.id AND n.read = 0 AND n.deleted = 0) AS unread_count,
          (SELECT max(created_at) FROM notes WHERE notes.company_id = c.id) AS last_note_at
        FROM companies c
    """

    def company(self, ref: str | int) -> Company:
        row = self._resolve("companies", ref, "company")
        return Company.from_row(self._one(self._COMPANY_SELECT + " WHERE c.id = ?", [row["id"]]))

    def companies(
        self, sector: str | None = None, status: str | None = None, query: str | None = None
    ) -> list[Company]:
        where, params = [], []
        if sector:
            where.append("fold(c.sector) = fold(?)")
            params.append(clean_line(sector))
        if status:
            where.append("c.status = ?")
            params.append(v.choice(status, COMPANY_STATUSES, "status"))
        if query:
            where.append(
                "fold(c.name || ' ' || ifnull(c.sector, '') || ' ' || ifnull(c.location, '')) LIKE fold(?) ESCAPE '\\'"
            )
            params.append(_like(clean_line(query)))
        sql = self._COMPANY_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [Company.from_row(r) for r in self._rows(sql + " ORDER BY c.name_key, c.id", params)]

    def sectors(self) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT sector FROM companies WHERE sector IS NOT NULL ORDER BY sector COLLATE NOCASE"
        )
        return [r["sector"] for r in rows]

    # -- people --------------------------------------------------------------

    def _person_values(self, fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "name":
                out["name"] = v.required(value, "person name", v.MAX_NAME)
                out["name_key"] = slugify(out["name"])
            elif key == "email":
                out["email"] = v.email(value)
            elif key in _PERSON_FIELDS:
                out[key] = v.optional(value, key, v.MAX_LINE)
            elif key.endswith("_url") and key[:-4] in ("linkedin", "viadeo", "xing", "goldenline", "other"):
                out[key] = v.url(value, f"{key[:-4]} profile")
            else:
                raise Invalid(f"unknown person field {quoted(key)}")
        return out

    def _profile_values(self, profiles: Iterable[str] | dict[str, str] | None) -> dict[str, str | None]:
        """Profile URLs keyed by column: a list is sorted by host, a dict names its networks."""
        if not profiles:
            return {}
        pairs = profiles.items() if isinstance(profiles, dict) else ((None, p) for p in profiles)
        out: dict[str, str | None] = {}
        for network, raw in pairs:
            url = v.url(raw, "profile")
            if url is None:
                if network:  # an emptied field clears that network's profile
                    out[f"{network}_url"] = None
                continue
            network = network or network_of(url)
            if network not in ("linkedin", "viadeo", "xing", "goldenline", "other"):
                raise Invalid(f"unknown network {quoted(network)}")
            out[f"{network}_url"] = url
        return out

    def add_person(
        self,
        name: str,
        *,
        company: str | int | None = None,
        title: str | None = None,
        function: str | None = None,
        start: str | None = None,
        profiles: Iterable[str] | dict[str, str] | None = None,
        me: bool = False,
        **fields: Any,
    ) -> Person:
        values = self._person_values({"name": name, **{k: x for k, x in fields.items() if x is not None}})
        values.update(self._profile_values(profiles))
        if title and not company:
            raise Invalid("--title needs --company (a title is held at a company)")
        if company:
            self._resolve("companies", company, "company")  # an unknown company is the error to report
            if not clean_line(title):
                raise Invalid("--company needs --title (a position has a title)")
        stamp = v.now()
        with self.db.atomic():
            values.update(slug=self._unique_slug("people", values["name"]), created_at=stamp, updated_at=stamp)
            person_id = self.db["people"].insert(values).last_pk
            if company:
                self.add_position(person_id, company=company, title=title or "", function=function, start=start)
            if me:
                self.set_me(person_id)
        return self.person(person_id)

    def edit_person(
        self, ref: str | int, profiles: Iterable[str] | dict[str, str] | None = None, **fields: Any
    ) -> Person:
        row = self._resolve("people", ref, "person")
        values = self._person_values(fields)
        values.update(self._profile_values(profiles))
        if values:
            values["updated_at"] = v.now()
            self.db["people"].update(row["id"], values)
        return self.person(row["id"])

    def remove_person(self, ref: str | int) -> Person:
        """Remove a person with their career, links, approach, notes and invitations; nothing stays in the file."""
        person = self.person(ref)
        with self.db.atomic():
            indexed = self._indexed_with(person.id, notes="SELECT 1 FROM notes WHERE person_id = ?")
            self.db.execute("DELETE FROM people WHERE id = ?", [person.id])
            self._forget("people", *indexed)
        return person

    def _indexed_with(self, key: int, **probes: str) -> list[str]:
        """The full-text indexed tables whose probe finds rows for `key` (the ones a removal empties)."""
        return [table for table, probe in probes.items() if self._one(probe + " LIMIT 1", [key])]

    def set_me(self, ref: str | int) -> Person:
        row = self._resolve("people", ref, "person")
        with self.db.atomic():
            self.db.execute("UPDATE people SET is_me = 0 WHERE is_me = 1 AND id <> ?", [row["id"]])
            self.db.execute("UPDATE people SET is_me = 1 WHERE id = ?", [row["id"]])
        return self.person(row["id"])

    def me(self) -> Person | None:
        row = self._one("SELECT id FROM people WHERE is_me = 1")
        return self.person(row["id"]) if row else None

    # The person's current position: the open one that started last.
    _PERSON_SELECT = """
        SELECT p.*, cur.company_name AS company, co.slug AS company_slug, cur.title AS title,
               cur.function AS function, a.status AS approach_status, a.priority AS priority
        FROM people p
        LEFT JOIN positions cur ON cur.id = (
            SELECT id FROM positions WHERE person_id = p.id AND "end" IS NULL
            ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1)
        LEFT JOIN companies co ON co.id = cur.company_id
        LEFT JOIN approach a ON a.person_id = p.id
    """

    def person(self, ref: str | int) -> Person:
        row = self._resolve("people", ref, "person")
        return Person.from_row(self._one(self._PERSON_SELECT + " WHERE p.id = ?", [row["id"]]))

    def _people_filter(
        self,
        company: str | int | None,
        sector: str | None,
        function: str | None,
        query: str | None,
        status: str | None,
        title: str | None = None,
        network: str | None = None,
    ) -> tuple[str, list[Any]]:
        where, params = [], []
        if company is not None:
            company_id = self._resolve("companies", company, "company")["id"]
            where.append("EXISTS (SELECT 1 FROM positions x WHERE x.person_id = p.id AND x.company_id = ?)")
            params.append(company_id)
        if sector:
            where.append(
                "EXISTS (SELECT 1 FROM positions x JOIN companies y ON y.id = x.company_id"
                " WHERE x.person_id = p.id AND fold(y.sector) = fold(?))"
            )
            params.append(clean_line(sector))
        if function:
            where.append("EXISTS (SELECT 1 FROM positions x WHERE x.person_id = p.id AND x.function = ?)")
            params.append(v.choice(function, FUNCTIONS, "function"))
        if status:
            where.append("a.status = ?")
            params.append(v.choice(status, APPROACH_STATUSES, "approach status"))
        if title and title.strip():
            for word in clean_line(title).split():
                where.append(
                    "EXISTS (SELECT 1 FROM positions x WHERE x.person_id = p.id"
                    " AND fold(x.title) LIKE fold(?) ESCAPE '\\')"
                )
                params.append(_like(word))
        if network:
            network = network.strip().lower()
            columns = [f"p.{n}_url" for n in ("linkedin", "viadeo", "xing", "goldenline", "other")]
            if network in ("none", "offline"):
                where.append(" AND ".join(f"{c} IS NULL" for c in columns))
            elif network in ("linkedin", "viadeo", "xing", "goldenline", "other"):
                where.append(f"p.{network}_url IS NOT NULL")
            else:
                raise Invalid("network must be one of: linkedin, viadeo, xing, goldenline, other, none")
        if query and query.strip():
            where.append(
                "fold(p.name || ' ' || ifnull(p.headline, '') || ' ' || ifnull(cur.company_name, '')"
                " || ' ' || ifnull(cur.title, '')) LIKE fold(?) ESCAPE '\\'"
            )
            params.append(_like(clean_line(query)))
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def people(
        self,
        company: str | int | None = None,
        sector: str | None = None,
        function: str | None = None,
        query: str | None = None,
        status: str | None = None,
        title: str | None = None,
        network: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Person]:
        """People, by name; paged with limit/offset so big notebooks never load whole."""
        where, params = self._people_filter(company, sector, function, query, status, title, network)
        sql = self._PERSON_SELECT + where + " ORDER BY p.name_key, p.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [Person.from_row(r) for r in self._rows(sql, params)]

    def count_people(self, **filters: Any) -> int:
        where, params = self._people_filter(
            filters.get("company"),
            filters.get("sector"),
            filters.get("function"),
            filters.get("query"),
            filters.get("status"),
            filters.get("title"),
            filters.get("network"),
        )
        return self._scalar(
            "SELECT count(*) FROM people p LEFT JOIN positions cur ON cur.id = ("
            'SELECT id FROM positions WHERE person_id = p.id AND "end" IS NULL'
            " ORDER BY ifnull(start, '') DESC, id DESC LIMIT 1)"
            " LEFT JOIN approach a ON a.person_id = p.id" + where,
            params,
        )

    # -- positions -----------------------------------------------------------

    def add_position(
        self,
        person: str | int,
        *,
        company: str | int | None = None,
        company_name: str | None = None,
        title: str,
        start: str | None = None,
        end: str | None = None,
        function: str | None = None,
        unit: str | None = None,
    ) -> Position:
        """Add a career step. `company` must be tracked; `company_name` records an untracked one."""
        person_id = self._resolve("people", person, "person")["id"]
        title = v.required(title, "title", v.MAX_TITLE)
        start_month = v.month(start, "start")
        end_month = v.month(end, "end")
        if start_month and end_month and end_month < start_month:
            raise Invalid(f"end {end_month} is before start {start_month}")
        if end_month and not start_month:
            raise Invalid("a position with an end needs a start")
        values: dict[str, Any] = {
            "person_id": person_id,
            "title": title,
            "start": start_month,
            "end": end_month,
            "function": v.choice(function, FUNCTIONS, "function"),
        }
        if company is not None:
            tracked = self._resolve("companies", company, "company")
            values.update(company_id=tracked["id"], company_name=tracked["name"])
        elif company_name:
            name = v.required(company_name, "company name", v.MAX_NAME)
            tracked_rows = self._rows("SELECT id, name FROM companies WHERE name_key = ?", [slugify(name)])
            if len(tracked_rows) == 1:
                values.update(company_id=tracked_rows[0]["id"], company_name=tracked_rows[0]["name"])
            else:
                values.update(company_id=None, company_name=name)
        else:
            raise Invalid("a position needs a company")
        if unit:
            if values["company_id"] is None:
                raise Invalid("an org unit needs a tracked company")
            values["org_unit_id"] = self.org_unit(values["company_id"], unit)["id"]
        position_id = self.db["positions"].insert(values).last_pk
        return self.position(position_id)

    _POSITION_SELECT = """
        SELECT pos.*, c.slug AS company_slug, u.name AS org_unit, pe.name AS person_name, pe.slug AS person_slug
        FROM positions pos
        JOIN people pe ON pe.id = pos.person_id
        LEFT JOIN companies c ON c.id = pos.company_id
        LEFT JOIN org_units u ON u.id = pos.org_unit_id
    """

    def position(self, position_id: int) -> Position:
        row = self._one(self._POSITION_SELECT + " WHERE pos.id = ?", [_row_id(position_id, "position")])
        if row is None:
            raise NotFound(f"no position with id {position_id}")
        return Position.from_row(row)

    def remove_position(self, position_id: int) -> Position:
        position = self.position(position_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM positions WHERE id = ?", [position_id])
            self._forget()
        return position

    def positions_of(self, person: str | int) -> list[Position]:
        """A career path, oldest first; positions with an unknown start come last."""
        person_id = self._resolve("people", person, "person")["id"]
        rows = self._rows(
            self._POSITION_SELECT + " WHERE pos.person_id = ?"
            " ORDER BY pos.start IS NULL, pos.start, ifnull(pos.\"end\", '9999-99'), pos.id",
            [person_id],
        )
        return [Position.from_row(r) for r in rows]

    def positions_at(self, company: str | int, current: bool | None = None) -> list[Position]:
        """Positions of everyone who is (current=True), was (False) or either (None) at a company."""
        company_id = self._resolve("companies", company, "company")["id"]
        sql = self._POSITION_SELECT + " WHERE pos.company_id = ?"
        if current is True:
            sql += ' AND pos."end" IS NULL'
        elif current is False:
            sql += ' AND pos."end" IS NOT NULL'
        sql += ' ORDER BY pos."end" IS NOT NULL, pos.start DESC, pe.name COLLATE NOCASE'
        return self._records(Position, sql, [company_id])

    def positions_of_people_at(self, company: str | int) -> list[Position]:
        """Every position of every person who ever worked at a company (for career flows)."""
        company_id = self._resolve("companies", company, "company")["id"]
        return self._records(
            Position,
            self._POSITION_SELECT + " WHERE pos.person_id IN (SELECT person_id FROM positions WHERE company_id = ?)"
            " ORDER BY pos.person_id, pos.start IS NULL, pos.start, pos.id",
            [company_id],
        )

    # -- relationships and approach ------------------------------------------

    def add_relationship(
        self, person: str | int, other: str | int, kind: str = "knows", strength: int = 2, how: str | None = None
    ) -> Relationship:
        a = self._resolve("people", person, "person")
        b = self._resolve("people", other, "person")
        if a["id"] == b["id"]:
            raise Invalid("a person cannot know themselves")
        kind = v.choice(kind, RELATIONSHIP_KINDS, "kind") or "knows"
        strength = v.integer(strength, 1, 3, "strength")
        with self.db.atomic():
            # One link per pair and kind, whichever way round it was first entered.
            existing = self._one(
                "SELECT id FROM relationships WHERE kind = ? AND ((person_id = ? AND other_id = ?)"
                " OR (person_id = ? AND other_id = ? AND kind <> 'introduced_by'))",
                [kind, a["id"], b["id"], b["id"], a["id"]],
            )
            values = {"strength": strength, "how": v.optional(how, "how", v.MAX_LINE)}
            if existing:
                self.db["relationships"].update(existing["id"], values)
                rel_id = existing["id"]
            else:
                rel_id = (
                    self.db["relationships"]
                    .insert({"person_id": a["id"], "other_id": b["id"], "kind": kind, "created_at": v.now(), **values})
                    .last_pk
                )
        return self.relationships_of(a["id"], only_id=rel_id)[0]

    def relationships_of(self, person: str | int, only_id: int | None = None) -> list[Relationship]:
        """Everyone linked to a person, seen from that person (other_* is the other side)."""
        person_id = self._resolve("people", person, "person")["id"]
        sql = """
            SELECT r.id, r.person_id, r.other_id, r.kind, r.strength, r.how, r.created_at,
                   o.name AS other_name, o.slug AS other_slug
            FROM relationships r JOIN people o ON o.id = r.other_id WHERE r.person_id = :p
            UNION ALL
            SELECT r.id, r.other_id, r.person_id,
                   CASE r.kind WHEN 'introduced_by' THEN 'introduced' ELSE r.kind END,
                   r.strength, r.how, r.created_at, o.name, o.slug
            FROM relationships r JOIN people o ON o.id = r.person_id WHERE r.other_id = :p
        """
        rows = self._rows(f"SELECT * FROM ({sql}) ORDER BY strength DESC, other_name COLLATE NOCASE", {"p": person_id})
        if only_id is not None:
            rows = [r for r in rows if r["id"] == only_id]
        return [Relationship.from_row(r) for r in rows]

    def all_relationships(self) -> list[dict[str, Any]]:
        return self._rows("SELECT person_id, other_id, kind, strength, how FROM relationships")

    def approach(self, person: str | int) -> Approach | None:
        person_id = self._resolve("people", person, "person")["id"]
        row = self._one("SELECT * FROM approach WHERE person_id = ?", [person_id])
        return Approach.from_row(row) if row else None

    def set_approach(
        self,
        person: str | int,
        status: str | None = None,
        priority: int | None = None,
        next_action_at: str | None = None,
        next_step: str | None = None,
        at: str | None = None,
        cadence_days: int | str | None = None,
    ) -> Approach:
        """Update a person's approach state; a status change is logged with its time.

        None leaves a field as it is; an empty next step, next date or cadence ("" or 0) clears it.
        """
        person_id = self._resolve("people", person, "person")["id"]
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = v.choice(status, APPROACH_STATUSES, "approach status")
        if priority is not None:
            values["priority"] = v.integer(priority, 1, 3, "priority")
        if next_action_at is not None:
            values["next_action_at"] = v.day(next_action_at, "next action date")
        if next_step is not None:
            values["next_step"] = v.optional(next_step, "next step", v.MAX_LINE)
        if cadence_days is not None:
            cleared = str(cadence_days).strip() in ("", "0")
            values["cadence_days"] = None if cleared else v.integer(cadence_days, 1, 3650, "keep-in-touch days")
        stamp = v.timestamp(at, "time") if at else v.now()
        with self.db.atomic():
            old = self._one("SELECT * FROM approach WHERE person_id = ?", [person_id])
            if old is None:
                self.db["approach"].insert({"person_id": person_id, "updated_at": stamp, **values})
            else:
                self.db["approach"].update(person_id, {"updated_at": stamp, **values})
            new_status = values.get("status")
            old_status = old["status"] if old else None
            if new_status and new_status != old_status:
                self.db["status_changes"].insert(
                    {"person_id": person_id, "from_status": old_status, "to_status": new_status, "at": stamp}
                )
        return self.approach(person_id)  # type: ignore[return-value]

    def status_changes(self, person: str | int) -> list[dict[str, Any]]:
        person_id = self._resolve("people", person, "person")["id"]
        return self._rows("SELECT * FROM status_changes WHERE person_id = ? ORDER BY at DESC, id DESC", [person_id])

    def add_interaction(
        self, person: str | int, channel: str, summary: str, when: str | None = None, direction: str = "out"
    ) -> Interaction:
        person_id = self._resolve("people", person, "person")["id"]
        values = {
            "person_id": person_id,
            "channel": v.choice(channel, CHANNELS, "channel"),
            "direction": v.choice(direction, ("in", "out"), "direction") or "out",
            "summary": v.text(summary, "summary", v.MAX_SUMMARY),
            "at": v.timestamp(when, "when"),
            "created_at": v.now(),
        }
        if not values["summary"]:
            raise Invalid("say what happened: the summary must not be empty")
        if not values["channel"]:
            raise Invalid(f"channel must be one of: {', '.join(CHANNELS)}")
        interaction_id = self.db["interactions"].insert(values).last_pk
        return Interaction.from_row(self._one("SELECT * FROM interactions WHERE id = ?", [interaction_id]))

    def interactions_of(self, person: str | int) -> list[Interaction]:
        person_id = self._resolve("people", person, "person")["id"]
        rows = self._rows("SELECT * FROM interactions WHERE person_id = ? ORDER BY at DESC, id DESC", [person_id])
        return [Interaction.from_row(r) for r in rows]

    # -- notes ---------------------------------------------------------------

    def add_note(
        self,
        body: str,
        *,
        company: str | int | None = None,
        person: str | int | None = None,
        news_item: int | None = None,
        created_at: str | None = None,
    ) -> Note:
        text = v.text(body, "note", v.MAX_BODY)
        if not text:
            raise Invalid("a note must not be empty")
        targets = [t for t in (company, person, news_item) if t is not None]
        if len(targets) != 1:
            raise Invalid("a note is attached to exactly one company, person or news item")
        values: dict[str, Any] = {"body": text}
        if company is not None:
            values["company_id"] = self._resolve("companies", company, "company")["id"]
        elif person is not None:
            values["person_id"] = self._resolve("people", person, "person")["id"]
        else:
            if not self._one("SELECT 1 FROM news_items WHERE id = ?", [_row_id(news_item, "news item")]):
                raise NotFound(f"no news item with id {news_item}")
            values["news_item_id"] = news_item
        stamp = v.timestamp(created_at, "note date") if created_at else v.now()
        values.update(created_at=stamp, updated_at=stamp)
        note_id = self.db["notes"].insert(values).last_pk
        return self.note(note_id)

    def note(self, note_id: int) -> Note:
        row = self._one(
            """SELECT n.*, coalesce(c.name, p.name, i.title) AS subject FROM notes n
               LEFT JOIN companies c ON c.id = n.company_id LEFT JOIN people p ON p.id = n.person_id
               LEFT JOIN news_items i ON i.id = n.news_item_id WHERE n.id = ?""",
            [_row_id(note_id, "note")],
        )
        if row is None:
            raise NotFound(f"no note with id {note_id}")
        return Note.from_row(row)

    def update_note(self, note_id: int, body: str) -> Note:
        self.note(note_id)
        text = v.text(body, "note", v.MAX_BODY)
        if not text:
            raise Invalid("a note must not be empty (delete it instead)")
        self.db["notes"].update(note_id, {"body": text, "updated_at": v.now()})
        return self.note(note_id)

    def remove_note(self, note_id: int) -> Note:
        note = self.note(note_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM notes WHERE id = ?", [note_id])
            self._forget("notes")
        return note

    def notes(
        self,
        *,
        company: str | int | None = None,
        person: str | int | None = None,
        news_item: int | None = None,
        limit: int | None = None,
    ) -> list[Note]:
        """Notes on one subject, newest first."""
        if company is not None:
            column, key = "company_id", self._resolve("companies", company, "company")["id"]
        elif person is not None:
            column, key = "person_id", self._resolve("people", person, "person")["id"]
        elif news_item is not None:
            column, key = "news_item_id", news_item
        else:
            raise Invalid("say whose notes: a company, a person or a news item")
        sql = f"SELECT *, NULL AS subject FROM notes WHERE {column} = ? ORDER BY created_at DESC, id DESC"
        params: list[Any] = [key]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Note.from_row(r) for r in self._rows(sql, params)]

    # -- feeds and news ------------------------------------------------------

    @staticmethod
    def normalise_feed_url(raw: str) -> str:
        """An http(s) or file:// URL; an existing local path becomes a file:// URL."""
        text = v.line(raw, "feed URL", v.MAX_URL)
        if not text:
            raise Invalid("feed URL must not be empty")
        try:
            scheme = urlsplit(text).scheme
        except ValueError:  # "http://[::1": Invalid IPv6 URL
            raise Invalid(f"feed URL is not a valid URL: {quoted(text)}") from None
        if scheme in ("http", "https"):
            return v.url(text, "feed URL")  # type: ignore[return-value]
        if scheme == "file":
            return text
        if not scheme and _is_file(text):
            return v.capped(Path(text).expanduser().resolve().as_uri(), "feed URL", v.MAX_URL)
        raise Invalid(f"feed URL must be http(s), file:// or an existing file, not {quoted(text)}")

    def add_feed(self, company: str | int, url: str, title: str | None = None) -> Feed:
        company_id = self._resolve("companies", company, "company")["id"]
        normalised = self.normalise_feed_url(url)
        existing = self._one(
            "SELECT c.name FROM feeds f JOIN companies c ON c.id = f.company_id WHERE f.url = ?", [normalised]
        )
        if existing:
            raise Invalid(f"feed {quoted(normalised)} is already followed for {existing['name']}")
        feed_id = (
            self.db["feeds"]
            .insert(
                {
                    "company_id": company_id,
                    "url": normalised,
                    "title": v.optional(title, "feed title", v.MAX_TITLE),
                    "created_at": v.now(),
                }
            )
            .last_pk
        )
        return self.feed(feed_id)

    _FEED_SELECT = """
        SELECT f.*, c.name AS company, c.slug AS company_slug,
          (SELECT count(*) FROM news_items n WHERE n.feed_id = f.id AND n.deleted = 0) AS item_count,
          (SELECT count(*) FROM news_items n WHERE n.feed_id = f.id AND n.deleted = 0 AND n.read = 0) AS unread_count
        FROM feeds f JOIN companies c ON c.id = f.company_id
    """

    def feed(self, ref: int | str) -> Feed:
        if isinstance(ref, int):
            row = self._one(self._FEED_SELECT + " WHERE f.id = ?", [_row_id(ref, "feed")])
        else:
            text = _lookup(ref, v.MAX_URL)
            row = self._one(self._FEED_SELECT + " WHERE f.url = ?", [text]) if text is not None else None
            if row is None and text:
                try:
                    row = self._one(self._FEED_SELECT + " WHERE f.url = ?", [self.normalise_feed_url(text)])
                except Invalid:
                    row = None
        if row is None:
            raise NotFound(f"no feed {quoted(ref)}")
        return Feed.from_row(row)

    def feeds(self, company: str | int | None = None) -> list[Feed]:
        if company is None:
            rows = self._rows(self._FEED_SELECT + " ORDER BY c.name COLLATE NOCASE, f.url")
        else:
            company_id = self._resolve("companies", company, "company")["id"]
            rows = self._rows(self._FEED_SELECT + " WHERE f.company_id = ? ORDER BY f.url", [company_id])
        return [Feed.from_row(r) for r in rows]

    def remove_feed(self, ref: int | str) -> Feed:
        feed = self.feed(ref)
        with self.db.atomic():
            indexed = self._indexed_with(
                feed.id,
                news_items=_INDEXED_NEWS + " n.feed_id = ?",
                notes="SELECT 1 FROM notes WHERE news_item_id IN (SELECT id FROM news_items WHERE feed_id = ?)",
            )
            self.db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
            self._forget(*indexed)
        return feed

    def save_fetch(
        self,
        feed_id: int,
        entries: Iterable[Any] = (),
        *,
        title: str | Callable[[], str | None] | None = None,
        status: int | None = None,
        error: str | None = None,
        fetched_at: str | None = None,
        **validators: Any,
    ) -> tuple[int, int]:
        """Store one fetch of a feed in one transaction: entries, validators, status, error.

        New entries are added, changed ones updated in place (read, starred and deleted
        survive). Returns (new, updated). `entries` may be a generator: it is read and written
        a batch at a time (a streamed feed's title, known only at its end, may then be passed
        as a function). If it raises, nothing of this fetch is stored.
        """
        stamp = fetched_at or v.now()
        with self.db.atomic():
            feed = self._one("SELECT company_id FROM feeds WHERE id = ?", [feed_id])
            if feed is None:
                raise NotFound(f"no feed with id {feed_id}")
            last_id = self.newest_item_id()
            changed: list[int] = []  # items whose text changed: the people and companies they name are found again
            entries = iter(entries)
            first = next(entries, None)
            known: dict[str, tuple[int, str | None]] = {}
            if first is not None:
                # One query for what the feed already has, then batched writes: a cold sync
                # stores thousands of items and per-row round trips dominated its time.
                for row in self.db.execute(
                    "SELECT entry_id, id, content_hash FROM news_items WHERE feed_id = ?", [feed_id]
                ):
                    known[row[0]] = (row[1], row[2])
                entries = itertools.chain((first,), entries)
            new = updated = 0
            for batch in _batches(entries, _SAVE_BATCH) if first is not None else ():
                inserts, updates = [], []
                for entry in batch:
                    # Cleaned here too: whatever the parser, no control byte reaches the notebook.
                    values = (
                        clean_line(entry.title),
                        clean_text(entry.summary).strip(),
                        clean_line(entry.link) or None,
                        entry.published,
                        entry.content_hash,
                    )
                    old = known.get(entry.entry_id)
                    if old is None:
                        inserts.append((feed_id, feed["company_id"], entry.entry_id, stamp, *values))
                        known[entry.entry_id] = (0, entry.content_hash)
                    elif old[1] != entry.content_hash:
                        updates.append((*values, stamp, old[0]))
                if inserts:
                    self.db.conn.executemany(
                        "INSERT INTO news_items (feed_id, company_id, entry_id, fetched_at, title, summary, link,"
                        " published, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        inserts,
                    )
                if updates:
                    self.db.conn.executemany(
                        "UPDATE news_items SET title = ?, summary = ?, link = ?, published = ?, content_hash = ?,"
                        " updated_at = ? WHERE id = ?",
                        updates,
                    )
                    changed += [u[-1] for u in updates]
                new += len(inserts)
                updated += len(updates)
            if new or changed:
                self.link_saved_items(feed_id, last_id, changed)
            self._record_fetch(feed_id, stamp, title() if callable(title) else title, status, error, validators)
        return new, updated

    def save_fetches_without_entries(self, fetches: Iterable[tuple[int, int, dict[str, Any]]]) -> None:
        """Several fetches that brought nothing to store (304s, bodies identical to the last), as
        (feed_id, status, validators), in one transaction: one commit each cost more than the fetch.
        A failure's error is cleared, a warning about the body ("warning: ...") is not: nothing
        new was read, so it still holds."""
        stamp = v.now()
        with self.db.atomic():
            for feed_id, status, validators in fetches:
                self._record_fetch(feed_id, stamp, None, status, None, validators, keep_warning=True)

    _KEEP_WARNING = "last_error = CASE WHEN last_error LIKE 'warning:%' THEN last_error END"

    def _record_fetch(
        self,
        feed_id: int,
        stamp: str,
        title: str | None,
        status: int | None,
        error: str | None,
        validators: dict[str, Any],
        keep_warning: bool = False,
    ) -> None:
        feed_values: dict[str, Any] = {"last_fetch_at": stamp, "last_status": status}
        if not keep_warning:
            feed_values["last_error"] = error
        if title:
            feed_values["title"] = clean_line(title)
        for key in ("etag", "last_modified", "content_hash", "next_attempt_at", "error_count", "active"):
            if key in validators:
                feed_values[key] = validators[key]
        moved = validators.get("url")
        if moved and not self._one("SELECT 1 FROM feeds WHERE url = ? AND id <> ?", [moved, feed_id]):
            feed_values["url"] = moved  # a permanent redirect: follow the feed to its new home
        self._update_feed(feed_id, feed_values, self._KEEP_WARNING if keep_warning else None)

    def _update_feed(self, feed_id: int, values: dict[str, Any], assignment: str | None = None) -> None:
        # A plain UPDATE (keys come from save_fetch's fixed list): sqlite-utils' update()
        # re-reads the table's schema on every call.
        assignments = ", ".join([f"{key} = ?" for key in values] + ([assignment] if assignment else []))
        self.db.conn.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", [*values.values(), feed_id])

    def feeds_due(
        self, company: str | int | None = None, include_not_due: bool = False, now: str | None = None
    ) -> list[Feed]:
        """Feeds to fetch now: active ones whose next attempt is due (or all active with include_not_due)."""
        # No counts here: the sync needs only each feed's state.
        sql = (
            "SELECT f.*, c.name AS company, c.slug AS company_slug FROM feeds f JOIN companies c ON c.id = f.company_id"
            " WHERE f.active = 1"
        )
        params: list[Any] = []
        if company is not None:
            sql += " AND f.company_id = ?"
            params.append(self._resolve("companies", company, "company")["id"])
        if not include_not_due:
            sql += " AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= ?)"
            params.append(now or v.now())
        return [Feed.from_row(r) for r in self._rows(sql + " ORDER BY f.id", params)]

    def count_feeds(self, company: str | int | None = None, active_only: bool = False) -> int:
        sql, params = "SELECT count(*) FROM feeds WHERE 1", []
        if company is not None:
            sql += " AND company_id = ?"
            params.append(self._resolve("companies", company, "company")["id"])
        if active_only:
            sql += " AND active = 1"
        return self._scalar(sql, params)

    def record_feed_failure(
        self, feed_id: int, error: str, status: int | None, next_attempt_at: str | None, gone: bool = False
    ) -> Feed:
        """A failed fetch: error, status, one more error, the next attempt; a gone feed stops being fetched."""
        self.db.execute(
            "UPDATE feeds SET last_error = ?, last_status = ?, last_fetch_at = ?, error_count = error_count + 1,"
            " next_attempt_at = ?, active = CASE WHEN ? THEN 0 ELSE active END WHERE id = ?",
            [clean_line(error)[:500], status, v.now(), next_attempt_at, int(gone), feed_id],
        )
        return self.feed(feed_id)

    def reactivate_feed(self, ref: int | str) -> Feed:
        feed = self.feed(ref)
        self.db["feeds"].update(feed.id, {"active": 1, "error_count": 0, "next_attempt_at": None})
        return self.feed(feed.id)

    # -- vocabulary and organisation -----------------------------------------

    def add_term(
        self, term: str, definition: str = "", company: str | int | None = None, seen_in: str | None = None
    ) -> Term:
        company_id = self._resolve("companies", company, "company")["id"] if company is not None else None
        values = {
            "company_id": company_id,
            "term": v.required(term, "term", v.MAX_NAME),
            "definition": v.text(definition, "definition", v.MAX_DEFINITION),
            "seen_in": v.optional(seen_in, "seen in", v.MAX_LINE),
            "created_at": v.now(),
        }
        existing = self._one(
            "SELECT id FROM terms WHERE ifnull(company_id, 0) = ifnull(?, 0) AND term = ?", [company_id, values["term"]]
        )
        if existing:
            self.db["terms"].update(existing["id"], {k: values[k] for k in ("definition", "seen_in")})
            term_id = existing["id"]
        else:
            term_id = self.db["terms"].insert(values).last_pk
        return Term.from_row(
            self._one(
                "SELECT t.*, c.name AS company FROM terms t LEFT JOIN companies c ON c.id = t.company_id WHERE t.id = ?",
                [term_id],
            )
        )

    def terms(self, company: str | int | None = None, include_global: bool = False) -> list[Term]:
        sql = "SELECT t.*, c.name AS company FROM terms t LEFT JOIN companies c ON c.id = t.company_id"
        params: list[Any] = []
        if company is not None:
            params.append(self._resolve("companies", company, "company")["id"])
            sql += " WHERE t.company_id = ?" + (" OR t.company_id IS NULL" if include_global else "")
        rows = self._rows(sql + " ORDER BY t.company_id IS NULL, t.term COLLATE NOCASE", params)
        return [Term.from_row(r) for r in rows]

    def add_org_unit(self, company: str | int, name: str, parent: str | None = None) -> OrgUnit:
        company_id = self._resolve("companies", company, "company")["id"]
        name = v.required(name, "unit name", v.MAX_NAME)
        parent_id = self.org_unit(company_id, parent)["id"] if parent else None
        if self._one("SELECT 1 FROM org_units WHERE company_id = ? AND name = ?", [company_id, name]):
            raise Invalid(f"this company already has a unit named {quoted(name)}")
        unit_id = self.db["org_units"].insert({"company_id": company_id, "name": name, "parent_id": parent_id}).last_pk
        return OrgUnit.from_row(self._one("SELECT * FROM org_units WHERE id = ?", [unit_id]))

    def org_unit(self, company: str | int, name: str) -> dict[str, Any]:
        company_id = company if isinstance(company, int) else self._resolve("companies", company, "company")["id"]
        rows = self._rows("SELECT * FROM org_units WHERE company_id = ?", [company_id])
        text = _lookup(name, _MAX_REF)
        wanted = slugify(text) if text is not None else None
        for row in rows:
            if slugify(row["name"]) == wanted:
                return row
        raise NotFound(f"unknown org unit {quoted(name)}")

    def org_tree(self, company: str | int) -> list[OrgUnit]:
        """The company's units as a forest, each with the people currently in it."""
        company_id = self._resolve("companies", company, "company")["id"]
        units = {
            r["id"]: OrgUnit.from_row(r)
            for r in self._rows(
                "SELECT * FROM org_units WHERE company_id = ? ORDER BY name COLLATE NOCASE", [company_id]
            )
        }
        for position in self.positions_at(company_id, current=True):
            if position.org_unit_id in units:
                units[position.org_unit_id].people.append(position)
        roots = []
        for unit in units.values():
            if unit.parent_id in units:
                units[unit.parent_id].children.append(unit)
            else:
                roots.append(unit)
        return roots

    # -- search --------------------------------------------------------------

    def index_news(self) -> int:
        """Fold the news items stored since the last call into the search index; returns how many.

        A sync queues its new items (see migration 004) and calls this every few hundred feeds
        and at its end; a search calls it first, so it never misses an item a killed sync stored.
        """
        if self.read_only_reason or self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM news_fts_pending)").fetchone()[0]:
            return 0  # a newer release's notebook is only read: its queued items stay unsearchable here
        with self.db.atomic():
            count = self.db.execute(
                "INSERT INTO news_items_fts (rowid, title, summary)"
                " SELECT n.id, n.title, n.summary FROM news_fts_pending p JOIN news_items n ON n.id = p.id"
            ).rowcount
            self.db.execute("DELETE FROM news_fts_pending")
        return count

    def counts(self) -> dict[str, int]:
        tables = (
            "companies",
            "people",
            "positions",
            "relationships",
            "feeds",
            "news_items",
            "notes",
            "terms",
            "org_units",
        )
        return {t: self._scalar(f"SELECT count(*) FROM {t}") for t in tables}
