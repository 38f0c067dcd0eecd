"""Members in the news: the news items that name a tracked person, a tracked company or an untracked organisation.

The matching rule, in one place:

- Text and names are compared as words: lower case, accents and strokes folded ("Łukasz Żółć" is "lukasz
  zolc"), split on anything that is not a letter or a digit. A name matches a run of whole words, so "Anne"
  never matches inside "Annecy", and "Lena Hoffmann's" names Lena Hoffmann.
- A person is named by their full name only, all its words in order; a one-word name ("Madonna") names
  nobody, nor does a first name alone ("Anne"). Where two names overlap ("Anne Marie Dupont" and "Marie
  Dupont"), the longest match at the leftmost place wins.
- A company is named by its full name ("Zahlwerk GmbH") or by that name without its legal form
  ("Zahlwerk"). A one-word form is a common word in some names ("Orange", "Via", "Die"): it counts only
  where the text writes it with a capital letter, only with three letters or more, and never when it is a
  stopword of one of the feeds' usual languages. An item never counts as naming its own company.
- An untracked organisation is found by its legal form: up to four capitalised words before "GmbH",
  "SA", "Ltd", "Sp. z o.o." and the like ("Albion Ledger Ltd"), kept by its org key (its words without
  the legal form) for discovery.

Items are linked as they are stored (Notebook.save_fetch calls link_saved_items); people and companies added or
renamed later wait in mention_queue (filled by triggers, migration 009) until link_mentions() searches the news
already stored for their names: through the full-text index for a few names, in one pass over the items for many.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.text import quoted

# Letters that carry no combining mark in Unicode but that a user types without their stroke.
_STROKES = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_STROKED = re.compile("[łøđßæœıþ]")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
WORD = re.compile(r"[^\W_]+")

# Legal forms, as folded words, longest first (a name ends with at most one).
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "gmbh",
                "gmbh co kg",
                "ag",
                "kg",
                "kgaa",
                "se",
                "sa",
                "s a",
                "sas",
                "sasu",
                "sarl",
                "sl",
                "s l",
                "slu",
                "ltd",
                "limited",
                "plc",
                "inc",
                "llc",
                "corp",
                "bv",
                "b v",
                "nv",
                "n v",
                "ab",
                "asa",
                "a s",
                "oy",
                "oyj",
                "spa",
                "s p a",
                "srl",
                "s r l",
                "sp z o o",
            )
        ),
        key=len,
        reverse=True,
    )
)
# How the legal forms are written in running text (case matters: "sa" or "ag" in a sentence is not one).
_LEGAL_TEXT = (
    r"(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|KGaA|AG|KG|SE|SASU|SAS|SARL|SA|S\.A\.|SLU|SL|S\.L\.|Ltd\.?|Limited|PLC|plc"
    r"|Inc\.?|LLC|Corp\.?|BV|B\.V\.|NV|N\.V\.|AB|ASA|A/S|Oyj|Oy|S\.p\.A\.|SpA|Srl|S\.r\.l\.|[Ss]p\.\s?z\s?o\.\s?o\.)"
)
_HAS_LEGAL = re.compile(r"(?<![\w.])" + _LEGAL_TEXT + r"(?!\w)")
_ORG = re.compile(r"((?:[^\W\d_][\w&'’.-]*[ \u00a0]){1,6})" + _LEGAL_TEXT + r"(?!\w)")
# Small words that may sit inside an organisation's name ("Banque de France SA", "Smith & Sons Ltd").
_CONNECTORS = {"&", "de", "du", "des", "la", "le", "der", "die", "und", "von", "y", "del", "of", "and", "i", "e"}
_MAX_ORG_WORDS = 4
_MIN_SINGLE = 3  # letters a one-word company form needs
# Languages whose stopwords a one-word company form must not be (the feeds' usual languages).
COMMON_WORD_LANGUAGES = ("en", "fr", "de", "pl", "es", "it", "nl", "pt", "sv", "da", "no", "cs")

# Names looked for through the full-text index one by one; more than this, one pass over every item.
FTS_NAMES = 50
_BATCH = 2000
_SCAN_BATCH = 5000  # items a transaction of the pass for many names reads
# Seconds a reader (Today, a person's news, discovery...) spends on that pass before it reads what is linked:
# a small notebook's pass ends within it; a big one's goes on a step per read, and the sync finishes it.
READ_BUDGET = 0.3


def fold_words(text: str) -> str:
    """`text` lower case with accents and strokes folded, for word matching (fast on long text)."""
    if text.isascii():  # most news: nothing to fold but the case (translate() would cost more than the rest)
        return text.lower()
    text = text.casefold()
    if _STROKED.search(text):
        text = text.translate(_STROKES)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return WORD.findall(fold_words(text))


def strip_legal(tokens: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The words of a company name without a legal form at its end ("zahlwerk gmbh" -> "zahlwerk")."""
    tokens = tuple(tokens)
    for form in LEGAL_FORMS:
        if len(tokens) > len(form) and tokens[-len(form) :] == form:
            return tokens[: -len(form)]
    return tokens


def org_key(name: str) -> str:
    """The key an organisation is known by whatever its spelling: folded words without the legal form."""
    tokens = words(name)
    return " ".join(strip_legal(tokens) or tokens)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Stopwords of the feeds' usual languages, folded: no one-word company name matches them."""
    import stopwordsiso

    return frozenset(fold_words(w) for w in stopwordsiso.stopwords(list(COMMON_WORD_LANGUAGES)))


@dataclass(frozen=True)
class NameForm:
    kind: str  # person | company
    ref_id: int
    words: tuple[str, ...]
    capitalised: bool  # a one-word company form: only where the text writes it with a capital


def name_forms(kind: str, ref_id: int, name: str) -> list[NameForm]:
    """The word sequences that name a person or a company (see the module's rule)."""
    tokens = tuple(words(name))
    if kind == "person":
        return [NameForm(kind, ref_id, tokens, False)] if len(tokens) >= 2 and len("".join(tokens)) >= 4 else []
    forms = []
    for candidate in dict.fromkeys((tokens, strip_legal(tokens))):
        if len(candidate) >= 2:
            forms.append(NameForm(kind, ref_id, candidate, False))
        elif candidate:
            word = candidate[0]
            if len(word) >= _MIN_SINGLE and not word.isdigit() and word not in common_words():
                forms.append(NameForm(kind, ref_id, candidate, True))
    return forms


class NameMatcher:
    """Finds the people and companies a text names: a trie of their names' words, walked from each word of the
    text that starts a name (see the module's rule). A walk costs a name's length, however many names share
    its first word ("Banque ...", "Company ...")."""

    def __init__(self, forms: Iterable[NameForm] = ()):
        self.root: dict[str | None, Any] = {}
        for form in forms:
            node = self.root
            for word in form.words:
                node = node.setdefault(word, {})
            node.setdefault(None, []).append(form)
        self.firsts = frozenset(self.root)

    def __bool__(self) -> bool:
        return bool(self.firsts)

    def find(self, text: str, own_company: int | None = None) -> set[tuple[str, int]]:
        """(kind, id) of every person and company `text` names (but `own_company`, the item's own)."""
        tokens = WORD.findall(fold_words(text))
        hits = self.firsts.intersection(tokens)
        if not hits:
            return set()
        found: set[tuple[str, int]] = set()
        capitals: dict[str, bool] = {}
        covered = 0  # tokens before this index belong to a name already matched
        for i in [i for i, token in enumerate(tokens) if token in hits]:
            if i < covered:
                continue
            ends: list[tuple[int, list[NameForm]]] = []  # the names that end along the walk, shortest first
            node, j = self.root, i
            while j < len(tokens):
                node = node.get(tokens[j])
                if node is None:
                    break
                j += 1
                if None in node:
                    ends.append((j - i, node[None]))
            for size, forms in reversed(ends):  # the longest name that counts wins
                accepted = [f for f in forms if self._counts(f, text, own_company, capitals)]
                if accepted or any(f.kind == "company" and f.ref_id == own_company for f in forms):
                    found.update((f.kind, f.ref_id) for f in accepted)
                    covered = i + size  # its own company's name covers its words, and names nothing
                    break
        return found

    @staticmethod
    def _counts(form: NameForm, text: str, own_company: int | None, capitals: dict[str, bool]) -> bool:
        if form.kind == "company" and form.ref_id == own_company:
            return False
        if form.capitalised:
            word = form.words[0]
            if word not in capitals:
                capitals[word] = _capitalised(text, word)
            return capitals[word]
        return True


def _capitalised(text: str, folded: str) -> bool:
    """Whether `text` writes the word `folded` with a capital letter somewhere."""
    return any(
        word[:1].isupper() and (word.lower() == folded or fold_words(word) == folded) for word in WORD.findall(text)
    )


def organisations(text: str) -> dict[str, str]:
    """Organisations with a legal form that `text` names, as {org key: name as written}."""
    if not _HAS_LEGAL.search(text):
        return {}
    out: dict[str, str] = {}
    for match in _ORG.finditer(text):
        before = match.group(1).split()
        kept: list[str] = []
        for word in reversed(before):
            if word.endswith(".") and len(word) > 3:
                break  # "...chose Caudal Finanzas. Albion Ledger Ltd": a sentence ended there
            if word[:1].isupper() or (kept and word.lower() in _CONNECTORS):
                kept.append(word)
                continue
            break
        kept.reverse()
        while kept and not kept[0][:1].isupper():
            kept.pop(0)
        kept = kept[-_MAX_ORG_WORDS:]
        if not kept:
            continue
        name = " ".join(kept + [match.group(0)[len(match.group(1)) :]]).strip(" ,")
        key = org_key(name)
        if key and key not in out:
            out[key] = name
    return out


def index_word(word: str) -> str:
    """A folded word as the full-text index spells it (it folds accents, not strokes: "łukasz" stays)."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", word.lower()))


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class MentionQueries:
    """Mixed into Notebook; uses its db and _rows/_one/_scalar/_resolve helpers."""

    _mention_matcher: tuple[int, NameMatcher, frozenset[str]] | None = None

    # -- the matcher ---------------------------------------------------------------------------------------

    def _names_version(self) -> int:
        row = self.db.conn.execute("SELECT names_version FROM mention_state WHERE id = 1").fetchone()
        return row[0] if row else 0

    def _name_rows(self, people: list[int] | None = None, companies: list[int] | None = None) -> list[NameForm]:
        forms: list[NameForm] = []
        for kind, table, ids in (("person", "people", people), ("company", "companies", companies)):
            if ids is None:
                rows = self.db.conn.execute(f"SELECT id, name FROM {table}")
            elif not ids:
                continue
            else:
                rows = (r for chunk in _chunks(ids) for r in self.db.conn.execute(
                    f"SELECT id, name FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ))  # fmt: skip
            for ref_id, name in rows:
                forms += name_forms(kind, ref_id, name)
        return forms

    def name_matcher(self) -> NameMatcher:
        """The matcher for every person and company of the notebook, kept until a name changes."""
        version = self._names_version()
        cached = self._mention_matcher
        if cached is None or cached[0] != version:
            forms = self._name_rows()
            tracked = frozenset(self._company_keys())
            self._mention_matcher = cached = (version, NameMatcher(forms), tracked)
        return cached[1]

    def _company_keys(self, ids: list[int] | None = None) -> set[str]:
        """The org keys of tracked companies (all, or these): their names with and without the legal form."""
        if ids is None:
            names = [r[0] for r in self.db.conn.execute("SELECT name FROM companies")]
        else:
            names = [
                r[0]
                for chunk in _chunks(ids)
                for r in self.db.conn.execute(
                    f"SELECT name FROM companies WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            ]
        return {key for name in names for key in (org_key(name), " ".join(words(name))) if key}

    def _tracked_org_keys(self) -> frozenset[str]:
        self.name_matcher()
        return self._mention_matcher[2]  # type: ignore[index]

    # -- linking ---------------------------------------------------------------------------------------------

    def _link_rows(self, rows: Iterable[tuple], matcher: NameMatcher, orgs: bool) -> int:
        """Link (id, company_id, title, summary) rows to what they name; returns the links made."""
        people, companies, named_orgs = [], [], []
        tracked = self._tracked_org_keys() if orgs else frozenset()
        for item_id, company_id, title, summary in rows:
            text = f"{title}\n{summary}"
            for kind, ref_id in matcher.find(text, own_company=company_id) if matcher else ():
                (people if kind == "person" else companies).append((ref_id, item_id))
            if orgs:
                for key, name in organisations(text).items():
                    if key not in tracked:
                        named_orgs.append((key, item_id, name[:200]))
        conn = self.db.conn
        if people:
            conn.executemany("INSERT OR IGNORE INTO news_people (person_id, news_item_id) VALUES (?, ?)", people)
        if companies:
            conn.executemany("INSERT OR IGNORE INTO news_companies (company_id, news_item_id) VALUES (?, ?)", companies)
        if named_orgs:
            conn.executemany(
                "INSERT OR IGNORE INTO news_orgs (org_key, news_item_id, name) VALUES (?, ?, ?)", named_orgs
            )
        return len(people) + len(companies) + len(named_orgs)

    def link_saved_items(self, feed_id: int, after_id: int, changed_ids: list[int]) -> None:
        """Inside save_fetch's transaction: link the feed's items stored after `after_id` and those it changed."""
        conn = self.db.conn
        for chunk in _chunks(changed_ids):
            marks = ",".join("?" * len(chunk))
            for table in ("news_people", "news_companies", "news_orgs"):
                conn.execute(f"DELETE FROM {table} WHERE news_item_id IN ({marks})", chunk)
        # Every item past after_id is this fetch's: they were inserted in this transaction, which holds the write lock.
        rows = conn.execute("SELECT id, company_id, title, summary FROM news_items WHERE id > ?", [after_id]).fetchall()
        for chunk in _chunks(changed_ids):
            rows += conn.execute(
                f"SELECT id, company_id, title, summary FROM news_items WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        if rows:
            self._link_rows(rows, self.name_matcher(), orgs=True)

    def link_mentions(self, budget: float | None = None) -> int:
        """Search the news already stored for the names added or changed since the last call; returns the links
        made. A few names are looked up through the full-text index at once. Many (a notebook just migrated, a
        big import) need a pass over every item: it goes a batch at a time, each batch its own transaction, and
        resumes where it stopped; `budget` is the seconds to spend on it now (None: to the end, as the sync does;
        READ_BUDGET for a reader). A notebook open read-only is left as it is."""
        if self.read_only_reason:
            return 0
        made = 0
        if self._one("SELECT 1 FROM mention_queue UNION ALL SELECT 1 FROM mention_state WHERE orgs_pending LIMIT 1"):
            self.index_news()  # the full-text search below must see every item
            made += self._link_queue()
        if budget != 0 and self._scalar("SELECT scan_upto FROM mention_state WHERE id = 1") is not None:
            made += self._scan(budget)
        return made

    def mentions_pending(self) -> int:
        """How many stored items the pass for many names has still to read (0: none pending)."""
        upto = self._scalar("SELECT scan_upto FROM mention_state WHERE id = 1")
        if upto is None:
            return 0
        return self._scalar("SELECT count(*) FROM news_items WHERE id > ?", [upto]) or 0

    def _link_queue(self) -> int:
        """The queued names: through the index when few, else the start of a pass (unless one is under way:
        then they wait for the next)."""
        with self.db.atomic():
            state = self._one("SELECT orgs_pending, scan_upto FROM mention_state WHERE id = 1")
            if state is not None and state["scan_upto"] is not None:
                return 0
            queued = self._rows("SELECT kind, ref_id FROM mention_queue")
            people = [r["ref_id"] for r in queued if r["kind"] == "person"]
            companies = [r["ref_id"] for r in queued if r["kind"] == "company"]
            conn = self.db.conn
            for table, column, ids in (
                ("news_people", "person_id", people),
                ("news_companies", "company_id", companies),
            ):
                for chunk in _chunks(ids):
                    conn.execute(f"DELETE FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)
            forms = self._name_rows(people, companies)
            for key in self._company_keys(companies):
                conn.execute("DELETE FROM news_orgs WHERE org_key = ?", [key])  # tracked now: linked below
            orgs = bool(state and state["orgs_pending"])
            conn.execute("DELETE FROM mention_queue")
            conn.execute("UPDATE mention_state SET orgs_pending = 0 WHERE orgs_pending")
            if orgs or len(forms) > FTS_NAMES:
                names = json.dumps({"person": people, "company": companies})
                conn.execute(
                    "UPDATE mention_state SET scan_upto = 0, scan_names = ?, scan_orgs = ? WHERE id = 1",
                    [names, int(orgs)],
                )
                return 0
            matcher = NameMatcher(forms)
            return self._link_rows(self._candidates(forms), matcher, orgs=False) if matcher else 0

    def _scan(self, budget: float | None) -> int:
        """The pass over every item for the names it was started with, a batch per transaction, until the end
        or the budget; the batch that crosses the budget is finished."""
        state = self._one("SELECT scan_upto, scan_names, scan_orgs FROM mention_state WHERE id = 1")
        names = json.loads(state["scan_names"] or "{}")
        matcher = NameMatcher(self._name_rows(names.get("person", []), names.get("company", [])))
        orgs = bool(state["scan_orgs"])
        upto, made = state["scan_upto"], 0
        deadline = None if budget is None else time.monotonic() + budget
        while True:  # a batch at least: every call moves the pass on
            with self.db.atomic():
                rows = self.db.conn.execute(
                    "SELECT id, company_id, title, summary FROM news_items WHERE id > ? ORDER BY id LIMIT ?",
                    [upto, _SCAN_BATCH],
                ).fetchall()
                if not rows:
                    self.db.conn.execute(
                        "UPDATE mention_state SET scan_upto = NULL, scan_names = NULL, scan_orgs = 0 WHERE id = 1"
                    )
                    break
                made += self._link_rows(rows, matcher, orgs=orgs)
                upto = rows[-1][0]
                self.db.conn.execute("UPDATE mention_state SET scan_upto = ? WHERE id = 1", [upto])
            if deadline is not None and time.monotonic() >= deadline:
                break
        return made

    def _candidates(self, forms: list[NameForm]) -> list[tuple]:
        """The items the full-text index finds for each name form (a superset of those naming it)."""
        ids: set[int] = set()
        for form in forms:
            # The index folds accents but not strokes ("ł"): ask for both spellings when they differ.
            phrases = {" ".join(form.words)}
            phrases.add(" ".join(index_word(w) for w in form.words))
            query = " OR ".join(f'"{p}"' for p in phrases)
            ids.update(
                r[0]
                for r in self.db.conn.execute("SELECT rowid FROM news_items_fts WHERE news_items_fts MATCH ?", [query])
            )
        rows: list[tuple] = []
        for chunk in _chunks(sorted(ids)):
            rows += self.db.conn.execute(
                f"SELECT id, company_id, title, summary FROM news_items WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        return rows

    def relink_all_mentions(self) -> int:
        """Link every item to every name again, in one pass (after a bulk import; the benchmark); returns the links."""
        self.ensure_writable()
        with self.db.atomic():
            for table in ("news_people", "news_companies", "news_orgs", "mention_queue"):
                self.db.conn.execute(f"DELETE FROM {table}")
            # The pass reads items while it writes links: read them all first (ids and text stream from a cursor
            # that the inserts would otherwise disturb), a batch at a time by id.
            matcher = self.name_matcher()
            made, last = 0, 0
            while True:
                rows = self.db.conn.execute(
                    "SELECT id, company_id, title, summary FROM news_items WHERE id > ? ORDER BY id LIMIT ?",
                    [last, _BATCH],
                ).fetchall()
                if not rows:
                    break
                made += self._link_rows(rows, matcher, orgs=True)
                last = rows[-1][0]
        return made

    # -- tracking a discovered organisation --------------------------------------------------------------------

    def track_organisation(self, name: str, sector: str | None = None) -> tuple[Any, dict[str, int]]:
        """Track a company the notebook so far knew by name only: it takes the spelling the careers use most
        (so that name keeps naming it everywhere), the positions at that name link to it, and so do the news
        items that named it. Returns the company and how many positions and items were linked."""
        text = v.required(name, "company name", v.MAX_NAME)
        key = org_key(text)
        if not key:
            raise Invalid(f"{quoted(text)} has no letters or digits to name a company by")
        for row in self._rows("SELECT name, slug FROM companies"):
            if key in (org_key(row["name"]), " ".join(words(row["name"]))):
                raise Invalid(f"{row['name']} is already tracked ({row['slug']})")
        spellings: dict[str, int] = {}
        for row in self._rows(
            "SELECT company_name, count(*) AS n FROM positions WHERE company_id IS NULL GROUP BY company_name"
        ):
            if org_key(row["company_name"]) == key:
                spellings[row["company_name"]] = row["n"]
        spelling = max(spellings, key=lambda s: (spellings[s], s)) if spellings else text
        with self.db.atomic():
            company = self.add_company(spelling, sector=sector)
            linked = 0
            for chunk in _chunks(list(spellings)):
                linked += self.db.execute(
                    "UPDATE positions SET company_id = ? WHERE company_id IS NULL"
                    f" AND company_name IN ({','.join('?' * len(chunk))})",
                    [company.id, *chunk],
                ).rowcount
            items = self.db.execute(
                "INSERT OR IGNORE INTO news_companies (company_id, news_item_id)"
                " SELECT ?, news_item_id FROM news_orgs WHERE org_key = ?",
                [company.id, key],
            ).rowcount
            self.db.execute("DELETE FROM news_orgs WHERE org_key = ?", [key])
        self.link_mentions(budget=READ_BUDGET)  # the rest of the news naming it (queued when it was added)
        items = self._scalar("SELECT count(*) FROM news_companies WHERE company_id = ?", [company.id]) or items
        return self.company(company.id), {"positions_linked": linked, "news_linked": items}

    # -- reading -----------------------------------------------------------------------------------------------

    def _link_if_queued(self, kind: str, ref_id: int) -> None:
        if not self.read_only_reason and self._one(
            "SELECT 1 FROM mention_queue WHERE kind = ? AND ref_id = ?", [kind, ref_id]
        ):
            self.link_mentions(budget=READ_BUDGET)

    def news_naming(
        self, person: str | int | None = None, company: str | int | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The news items that name a person (or a company, outside its own feeds), newest first."""
        if (person is None) == (company is None):
            raise ValueError("news_naming takes a person or a company")
        if person is not None:
            ref_id = self._resolve("people", person, "person")["id"]
            self._link_if_queued("person", ref_id)
            table, column = "news_people", "person_id"
        else:
            ref_id = self._resolve("companies", company, "company")["id"]
            self._link_if_queued("company", ref_id)
            table, column = "news_companies", "company_id"
        return self._rows(
            f"""SELECT n.id, n.title, n.link, n.published, n.fetched_at, n.read, c.name AS company, c.slug AS company_slug
                FROM {table} m JOIN news_items n ON n.id = m.news_item_id JOIN companies c ON c.id = n.company_id
                WHERE m.{column} = ? AND n.deleted = 0
                ORDER BY ifnull(n.published, n.fetched_at) DESC, n.id DESC LIMIT ?""",
            [ref_id, limit],
        )

    def named_in_item(self, item_id: int) -> dict[str, list[dict[str, Any]]]:
        """The people, tracked companies and untracked organisations a news item names.

        Each person comes with the company they are at now (None if none): two people of one name are both named
        by an item that names it, and the one at the item's own company comes first."""
        item = self.news_item(item_id)
        self.link_mentions(budget=READ_BUDGET)
        return {
            "people": self._rows(
                "SELECT p.id, p.slug, p.name, here.company_id, here.company FROM news_people m"
                " JOIN people p ON p.id = m.person_id"
                " LEFT JOIN (SELECT pos.person_id, pos.company_id, ifnull(c.name, pos.company_name) AS company,"
                "   row_number() OVER (PARTITION BY pos.person_id ORDER BY pos.start DESC, pos.id DESC) AS n"
                "   FROM positions pos LEFT JOIN companies c ON c.id = pos.company_id"
                '   WHERE pos."end" IS NULL AND pos.person_id IN (SELECT person_id FROM news_people WHERE news_item_id = ?)'
                " ) here ON here.person_id = p.id AND here.n = 1"
                " WHERE m.news_item_id = ? ORDER BY ifnull(here.company_id = ?, 0) DESC, p.name_key, p.id",
                [item_id, item_id, item.company_id],
            ),
            "companies": self._rows(
                "SELECT c.id, c.slug, c.name FROM news_companies m JOIN companies c ON c.id = m.company_id"
                " WHERE m.news_item_id = ? ORDER BY c.name_key",
                [item_id],
            ),
            "organisations": self._rows(
                "SELECT org_key, name FROM news_orgs WHERE news_item_id = ? ORDER BY org_key", [item_id]
            ),
        }
