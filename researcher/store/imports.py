"""What an import of contacts writes (people, positions, links to me, interactions, job changes), in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slugify import slugify

from researcher import clock
from researcher.store import validate as v
from researcher.store.network import PROFILE_ITEMS
from researcher.text import fold

if TYPE_CHECKING:
    from researcher.store.notebook import Notebook

_PROFILE_COLUMNS = ("linkedin_url", "viadeo_url", "xing_url", "goldenline_url", "other_url")
_URL_KEY = re.compile(r"^https?://(www\.)?")


def url_key(url: str) -> str:
    """A profile URL as compared: no scheme, no www, no trailing slash, lower case."""
    return _URL_KEY.sub("", url.strip().lower()).rstrip("/")


@dataclass
class Contact:
    """One person as a file lists them (cells already cleaned)."""

    name: str
    url: str | None = None
    email: str | None = None
    company: str | None = None
    title: str | None = None
    connected_on: str | None = None
    line: int = 0
    phone: str | None = None
    location: str | None = None
    headline: str | None = None


@dataclass
class Outcome:
    person_id: int
    added: bool = False
    changed: bool = False
    new_connection: bool = False
    job_change: dict[str, str | None] | None = None


class _Rollback(Exception):
    """Raised into the transaction of a dry run, so that it ends rolled back."""


def _same(a: str | None, b: str | None) -> bool:
    return fold(a or "").strip() == fold(b or "").strip()


class ImportQueries:
    """Mixed into Notebook: `with nb.import_run("linkedin") as run:` writes one import in one transaction."""

    def import_run(self, network: str | None, dry_run: bool = False) -> ImportRun:
        return ImportRun(self, network, dry_run)  # type: ignore[arg-type]

    def career_events(
        self, person: str | int | None = None, limit: int = 100, since: str | None = None
    ) -> list[dict[str, Any]]:
        """Job changes seen by imports, newest first (one person's, or everyone's; those recorded since a time)."""
        sql = (
            "SELECT e.*, p.name AS person_name, p.slug AS person_slug FROM career_events e"
            " JOIN people p ON p.id = e.person_id WHERE 1"
        )
        params: list[Any] = []
        if person is not None:
            sql += " AND e.person_id = ?"
            params.append(self._resolve("people", person, "person")["id"])  # type: ignore[attr-defined]
        if since is not None:
            sql += " AND e.created_at >= ?"
            params.append(since)
        return self._rows(sql + " ORDER BY e.at DESC, e.id DESC LIMIT ?", [*params, limit])  # type: ignore[attr-defined]


class ImportRun:
    """One import: a transaction (rolled back for a dry run), and what it has learnt of the notebook so far."""

    def __init__(self, nb: Notebook, network: str | None, dry_run: bool = False):
        self.nb, self.network, self.dry_run = nb, network, dry_run
        self.conn = nb.db.conn
        self.interactions_added = 0
        self.others_added = 0  # people met in invitations and messages who are no connection
        self._how = "LinkedIn connection" if network == "linkedin" else "a contact imported from a file"
        self._tx: Any = None

    # -- the transaction -------------------------------------------------------------------------------------------

    def __enter__(self) -> ImportRun:
        self._tx = self.nb.db.atomic()
        self._tx.__enter__()
        try:
            self._load()
        except BaseException as exc:
            self._tx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None and self.dry_run:
            rollback = _Rollback()
            self._tx.__exit__(_Rollback, rollback, None)
            return False
        return bool(self._tx.__exit__(kind, exc, tb))

    def _load(self) -> None:
        me = self.nb._one("SELECT id, name FROM people WHERE is_me = 1")
        self.me_id: int | None = me["id"] if me else None
        self.me_name: str | None = me["name"] if me else None
        self.stamp = v.now()
        self.slugs = {r[0] for r in self.conn.execute("SELECT slug FROM people")}
        self.by_url: dict[str, int] = {}
        for row in self.conn.execute(
            f"SELECT id, {', '.join(_PROFILE_COLUMNS)} FROM people"
            f" WHERE {' OR '.join(c + ' IS NOT NULL' for c in _PROFILE_COLUMNS)}"
        ):
            for url in row[1:]:
                if url:
                    self.by_url.setdefault(url_key(url), row[0])
        self.contacts = {
            r[0] for r in self.conn.execute("SELECT person_id FROM imported_contacts WHERE network = ?", [self.network])
        }
        self.seen_at: dict[tuple[int, str], tuple[int, str]] = {
            (r[0], r[1]): (r[2], r[3])
            for r in self.conn.execute("SELECT person_id, at, id, summary FROM interactions WHERE channel = 'linkedin'")
        }
        self.companies: dict[str, tuple[int | None, str] | None] = {}
        self.people_found: dict[tuple[str, str | None], int] = {}

    # -- people ----------------------------------------------------------------------------------------------------

    def _slug(self, name: str) -> str:
        base = slugify(name) or "person"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def _url_column(self, url: str) -> str:
        from researcher.store.notebook import network_of  # the notebook module imports this one

        return f"{network_of(url)}_url"

    def _insert_person(self, contact: Contact) -> int:
        values: dict[str, Any] = {
            "slug": self._slug(contact.name),
            "name_key": slugify(contact.name),
            "name": contact.name,
            "headline": contact.headline,
            "location": contact.location,
            "email": contact.email,
            "phone": contact.phone,
            "created_at": self.stamp,
            "updated_at": self.stamp,
        }
        if contact.url:
            values[self._url_column(contact.url)] = contact.url
        columns = ", ".join(values)
        cursor = self.conn.execute(
            f"INSERT INTO people ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values())
        )
        person_id = cursor.lastrowid
        if contact.url:
            self.by_url[url_key(contact.url)] = person_id
        return person_id

    def _candidates(self, name: str, url: str | None) -> list[dict[str, Any]]:
        """People of that name who have no other profile on the URL's network."""
        rows = self.nb._rows(
            f"SELECT id, {', '.join(_PROFILE_COLUMNS)} FROM people WHERE name_key = ? ORDER BY id", [slugify(name)]
        )
        if url:
            column = self._url_column(url)
            rows = [r for r in rows if not r[column]]
        return rows

    def _match(self, contact: Contact) -> int | None:
        """The person this contact is: by profile URL, then by name and company (or, with no company, name alone
        when it names one person without a career)."""
        if contact.url and (found := self.by_url.get(url_key(contact.url))):
            return found
        rows = self._candidates(contact.name, contact.url)
        if not rows:
            return None
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        positions = self.nb._rows(f"SELECT person_id, company_name FROM positions WHERE person_id IN ({marks})", ids)
        if contact.company:
            same = sorted({p["person_id"] for p in positions if _same(p["company_name"], contact.company)})
        else:
            with_career = {p["person_id"] for p in positions}
            same = [i for i in ids if i not in with_career]
        return same[0] if len(same) == 1 else None

    def person_for(self, name: str, url: str | None) -> int | None:
        """The person an invitation or a message is with: by URL, then by name (one of my connections first);
        added when the notebook has nobody of that name."""
        key = (name, url)
        if key in self.people_found:
            return self.people_found[key]
        found = self.by_url.get(url_key(url)) if url else None
        if found is None and name:
            rows = self._candidates(name, url)
            connected = [r["id"] for r in rows if r["id"] in self.contacts]
            found = (connected or [r["id"] for r in rows] or [None])[0]
        if found is None and name:
            found = self._insert_person(Contact(name=name, url=url))
            self.others_added += 1
        self.people_found[key] = found  # type: ignore[assignment]
        return found

    def _fill(self, person_id: int, contact: Contact) -> bool:
        """Fill the person's empty fields from the contact; never overwrite what the user wrote."""
        row = self.nb._one("SELECT * FROM people WHERE id = ?", [person_id]) or {}
        values = {}
        for key in ("email", "phone", "location", "headline"):
            if getattr(contact, key) and not row.get(key):
                values[key] = getattr(contact, key)
        if contact.url:
            column = self._url_column(contact.url)
            if not row.get(column):
                values[column] = contact.url
                self.by_url[url_key(contact.url)] = person_id
        if not values:
            return False
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"UPDATE people SET {sets}, updated_at = ? WHERE id = ?", [*values.values(), self.stamp, person_id]
        )
        return True

    # -- careers ---------------------------------------------------------------------------------------------------

    def _company(self, name: str) -> tuple[int | None, str]:
        """A tracked company of that name (its id and name), else the name alone."""
        key = slugify(name)
        if key not in self.companies:
            rows = self.nb._rows("SELECT id, name FROM companies WHERE name_key = ? LIMIT 2", [key]) if key else []
            self.companies[key] = (rows[0]["id"], rows[0]["name"]) if len(rows) == 1 else None
        return self.companies[key] or (None, name)

    def _insert_position(self, person_id: int, company: str, title: str, start: str | None, end: str | None) -> None:
        company_id, company_name = self._company(company)
        self.conn.execute(
            'INSERT INTO positions (person_id, company_id, company_name, title, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
            [person_id, company_id, company_name, title, start, end],
        )

    def _open_positions(self, person_id: int) -> list[dict[str, Any]]:
        return self.nb._rows(
            'SELECT id, company_name, title, start FROM positions WHERE person_id = ? AND "end" IS NULL', [person_id]
        )

    def _ensure_position(self, person_id: int, contact: Contact) -> bool:
        """Add the contact's current position unless the person holds one at that company already."""
        if not (contact.company and contact.title):
            return False
        if any(_same(p["company_name"], contact.company) for p in self._open_positions(person_id)):
            return False
        self._insert_position(person_id, contact.company, contact.title, None, None)
        return True

    def _job_change(self, person_id: int, name: str, before: tuple[str | None, str | None], contact: Contact) -> dict:
        """Close the position the last import saw, open the new one, and record the change, dated today."""
        month, day = clock.this_month(), clock.today().isoformat()
        old_company, old_title = before
        for p in self._open_positions(person_id):
            if old_company and _same(p["company_name"], old_company):
                end = max(month, p["start"] or month)
                self.conn.execute('UPDATE positions SET "end" = ? WHERE id = ?', [end, p["id"]])
        if contact.company and contact.title:
            self._insert_position(person_id, contact.company, contact.title, month, None)
        kind = "left" if not contact.company else "joined" if not old_company else "changed"
        event = {
            "person": name,
            "at": day,
            "kind": kind,
            "from_company": old_company,
            "from_title": old_title,
            "to_company": contact.company,
            "to_title": contact.title,
        }
        self.conn.execute(
            "INSERT INTO career_events (person_id, at, kind, from_company, from_title, to_company, to_title, source,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [person_id, day, kind, old_company, old_title, contact.company, contact.title, self.network, self.stamp],
        )
        return event

    def add_my_position(self, company: str, title: str, start: str | None, end: str | None) -> int:
        """One step of my own career, unless I have it already (same company, title and start): 1 if added. A step
        that has ended since gets its end."""
        for p in self.nb._rows(
            'SELECT id, company_name, title, start, "end" FROM positions WHERE person_id = ?', [self.me_id]
        ):
            if _same(p["company_name"], company) and _same(p["title"], title) and p["start"] == start:
                if end and not p["end"]:
                    self.conn.execute('UPDATE positions SET "end" = ? WHERE id = ?', [end, p["id"]])
                return 0
        self._insert_position(self.me_id, company, title, start, end)  # type: ignore[arg-type]
        return 1

    # -- connections -----------------------------------------------------------------------------------------------

    def snapshot(self) -> dict[int, tuple[str | None, str | None]]:
        """Each connection's company and title as the last import of this network saw them."""
        if self.network is None:
            return {}
        return {
            r[0]: (r[1], r[2])
            for r in self.conn.execute(
                "SELECT person_id, company, title FROM imported_contacts WHERE network = ?", [self.network]
            )
        }

    def upsert_contact(self, contact: Contact, before: dict[int, tuple[str | None, str | None]]) -> Outcome:
        person_id = self._match(contact)
        if person_id is None:
            person_id = self._insert_person(contact)
            outcome = Outcome(person_id, added=True)
            self._ensure_position(person_id, contact)
        else:
            outcome = Outcome(person_id)
            outcome.changed = self._fill(person_id, contact)
            seen = before.get(person_id)
            if seen is not None and not (_same(seen[0], contact.company) and _same(seen[1], contact.title)):
                outcome.job_change = self._job_change(person_id, contact.name, seen, contact)
                outcome.changed = True
            elif seen is None:
                outcome.changed = self._ensure_position(person_id, contact) or outcome.changed
        outcome.changed = self._link_to_me(person_id, contact.connected_on) or outcome.changed
        if self.network is not None:
            outcome.new_connection = person_id not in before
            if before.get(person_id) != (contact.company, contact.title):
                self.conn.execute(
                    "INSERT INTO imported_contacts (network, person_id, company, title, connected_on, imported_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (network, person_id) DO UPDATE SET company = excluded.company,"
                    " title = excluded.title, connected_on = excluded.connected_on, imported_at = excluded.imported_at",
                    [self.network, person_id, contact.company, contact.title, contact.connected_on, self.stamp],
                )
                before[person_id] = (contact.company, contact.title)
            self.contacts.add(person_id)
        return outcome

    def _link_to_me(self, person_id: int, connected_on: str | None) -> bool:
        """A "knows" link between me and the person (strength 1 unless the user said more), with its date."""
        if self.me_id is None or person_id == self.me_id:
            return False
        row = self.conn.execute(
            "SELECT id, connected_on FROM relationships WHERE kind = 'knows' AND"
            " ((person_id = ?1 AND other_id = ?2) OR (person_id = ?2 AND other_id = ?1))",
            [self.me_id, person_id],
        ).fetchone()
        if row is None:
            self.conn.execute(
                "INSERT INTO relationships (person_id, other_id, kind, strength, how, created_at, connected_on)"
                " VALUES (?, ?, 'knows', 1, ?, ?, ?)",
                [self.me_id, person_id, self._how, self.stamp, connected_on],
            )
            return True
        if connected_on and row[1] != connected_on:
            self.conn.execute("UPDATE relationships SET connected_on = ? WHERE id = ?", [connected_on, row[0]])
            return True
        return False

    def remove_from_snapshot(self, person_ids: list[int]) -> list[str]:
        """Forget that these people were connections (they are gone from the newer export); their names."""
        names = []
        for person_id in person_ids:
            row = self.nb._one("SELECT name FROM people WHERE id = ?", [person_id])
            self.conn.execute(
                "DELETE FROM imported_contacts WHERE network = ? AND person_id = ?", [self.network, person_id]
            )
            if row:
                names.append(row["name"])
        return sorted(names, key=fold)

    # -- me --------------------------------------------------------------------------------------------------------

    def update_me(
        self, name: str, headline: str | None, location: str | None, summary: str | None
    ) -> tuple[bool, bool]:
        """My profile from the export: headline and location replace mine, the summary becomes a note on me.
        Marks the person of that name as me (added if needed) when nobody is. Returns (changed, me marked)."""
        marked = False
        if self.me_id is None:
            if not name:
                return False, False
            rows = self._candidates(name, None)
            self.me_id = rows[0]["id"] if len(rows) == 1 else self._insert_person(Contact(name=name))
            self.conn.execute("UPDATE people SET is_me = 1 WHERE id = ?", [self.me_id])
            self.me_name, marked = name, True
        row = self.nb._one("SELECT headline, location FROM people WHERE id = ?", [self.me_id]) or {}
        values = {k: x for k, x in (("headline", headline), ("location", location)) if x and row.get(k) != x}
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.conn.execute(
                f"UPDATE people SET {sets}, updated_at = ? WHERE id = ?", [*values.values(), self.stamp, self.me_id]
            )
        changed = bool(values) or marked
        if summary and not self.nb._one("SELECT 1 FROM notes WHERE person_id = ? AND body = ?", [self.me_id, summary]):
            self.conn.execute(
                "INSERT INTO notes (person_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [self.me_id, summary, self.stamp, self.stamp],
            )
            changed = True
        return changed, marked

    def tick_profile(self, items: list[str]) -> list[str]:
        """Tick these items of my LinkedIn profile checklist; the ones that were not ticked yet."""
        known = {i.lower(): i for i in PROFILE_ITEMS["linkedin"]}
        done = {
            r[0] for r in self.conn.execute("SELECT item FROM profile_checklist WHERE network = 'linkedin' AND done")
        }
        ticked = []
        for item in items:
            item = known.get(item.lower(), item)
            if item not in done:
                self.conn.execute(
                    "INSERT INTO profile_checklist (network, item, done) VALUES ('linkedin', ?, 1)"
                    " ON CONFLICT (network, item) DO UPDATE SET done = 1",
                    [item],
                )
                ticked.append(item)
        return ticked

    # -- conversations ---------------------------------------------------------------------------------------------

    def add_interaction(self, person_id: int, at: str, direction: str, summary: str, replace: bool = False) -> None:
        """A LinkedIn interaction, once per person and time: a later import updates its summary when `replace`."""
        summary = summary[: v.MAX_SUMMARY]
        existing = self.seen_at.get((person_id, at))
        if existing is not None:
            if replace and existing[1] != summary:
                self.conn.execute("UPDATE interactions SET summary = ? WHERE id = ?", [summary, existing[0]])
                self.seen_at[(person_id, at)] = (existing[0], summary)
            return
        cursor = self.conn.execute(
            "INSERT INTO interactions (person_id, at, channel, direction, summary, created_at)"
            " VALUES (?, ?, 'linkedin', ?, ?, ?)",
            [person_id, at, direction, summary, self.stamp],
        )
        self.seen_at[(person_id, at)] = (cursor.lastrowid, summary)
        self.interactions_added += 1

    def add_sent_invitation(self, person_id: int, text: str, at: str) -> int:
        """An invitation I sent, its text kept (once): 1 if added."""
        if self.nb._one(
            "SELECT 1 FROM invitations WHERE person_id = ? AND status = 'sent' AND sent_at = ?", [person_id, at]
        ):
            return 0
        self.conn.execute(
            "INSERT INTO invitations (person_id, network, text, status, created_at, updated_at, sent_at)"
            " VALUES (?, 'linkedin', ?, 'sent', ?, ?, ?)",
            [person_id, text, self.stamp, self.stamp, at],
        )
        return 1

    def untracked_companies(self, names: list[str]) -> list[str]:
        """The names among these that name no tracked company, once each, in order."""
        out, seen = [], set()
        for name in names:
            key = slugify(name)
            if key and key not in seen and self._company(name)[0] is None:
                seen.add(key)
                out.append(name)
        return out
