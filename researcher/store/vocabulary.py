"""Glossary queries: terms per company and global, dismissed suggestions, drill history, the news mining reads."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid, NotFound
from researcher.store.models import Term
from researcher.store.schema import NEWS_SORT_KEY
from researcher.text import quoted

MAX_EXAMPLE = 1_000  # an example sentence, in characters
# The newest items of a company that vocabulary mining reads (a company's news beyond that says little new).
MINING_ITEMS = 1_500

_TERM_SELECT = "SELECT t.*, c.name AS company FROM terms t LEFT JOIN companies c ON c.id = t.company_id"


class VocabularyQueries:
    """Mixed into Notebook; uses its db and _rows/_one/_scalar/_resolve helpers."""

    # -- the glossary ----------------------------------------------------------------------------------------

    def _term_scope(self, company: str | int | None) -> int | None:
        return None if company is None else self._resolve("companies", company, "company")["id"]

    def _term_row(self, term: str, company_id: int | None) -> dict[str, Any] | None:
        text = v.line(term, "term", 4 * v.MAX_NAME)
        return self._one(
            _TERM_SELECT + " WHERE ifnull(t.company_id, 0) = ifnull(?, 0) AND fold(t.term) = fold(?) ORDER BY t.id",
            [company_id, text],
        )

    def term(self, term: str | int, company: str | int | None = None) -> Term:
        """A glossary entry by id, or by its words (case and accents aside) in a company's glossary or the global one."""
        if isinstance(term, int):
            row = self._one(_TERM_SELECT + " WHERE t.id = ?", [term if -(2**63) <= term < 2**63 else 0])
        else:
            row = self._term_row(term, self._term_scope(company))
        if row is None:
            where = "the global glossary" if company is None else f"the glossary of {self.company(company).name}"
            raise NotFound(f"no term {quoted(term)} in {where}")
        return Term.from_row(row)

    def _term_values(self, meaning: str | None, seen_in: str | None, example: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if meaning is not None:
            values["definition"] = v.text(meaning, "meaning", v.MAX_DEFINITION)
        if seen_in is not None:
            values["seen_in"] = v.optional(seen_in, "seen in", v.MAX_LINE)
        if example is not None:
            values["example"] = v.optional(example, "example", MAX_EXAMPLE)
        return values

    def add_glossary_term(
        self,
        term: str,
        company: str | int | None = None,
        meaning: str = "",
        seen_in: str | None = None,
        example: str | None = None,
    ) -> Term:
        """Add a term to a company's glossary (or the global one); the same words twice is an error."""
        company_id = self._term_scope(company)
        text = v.required(term, "term", v.MAX_NAME)
        values = self._term_values(meaning or "", seen_in, example)
        with self.db.atomic():
            if self._term_row(text, company_id):
                raise Invalid(f"{quoted(text)} is already in this glossary; change it with `researcher term edit`")
            term_id = (
                self.db["terms"]
                .insert({"company_id": company_id, "term": text, "created_at": v.now(), **values})
                .last_pk
            )
        return self.term(term_id)

    def edit_term(
        self,
        term: str | int,
        company: str | int | None = None,
        *,
        new_term: str | None = None,
        meaning: str | None = None,
        seen_in: str | None = None,
        example: str | None = None,
    ) -> Term:
        """Change a glossary entry: its words, meaning, where it was seen, its example (None leaves a field as it is)."""
        current = self.term(term, company)
        values = self._term_values(meaning, seen_in, example)
        if new_term is not None:
            values["term"] = v.required(new_term, "term", v.MAX_NAME)
            clash = self._term_row(values["term"], current.company_id)
            if clash and clash["id"] != current.id:
                raise Invalid(f"{quoted(values['term'])} is already in this glossary")
        if values:
            self.db["terms"].update(current.id, values)
        return self.term(current.id)

    def remove_term(self, term: str | int, company: str | int | None = None) -> Term:
        """Remove a glossary entry with its drill history; nothing of its text stays in the file."""
        current = self.term(term, company)
        with self.db.atomic():
            self.db.execute("DELETE FROM terms WHERE id = ?", [current.id])
            self._forget("terms")
        return current

    # -- suggestions turned down -----------------------------------------------------------------------------

    def dismiss_term(self, company: str | int, key: str, term: str) -> None:
        """Never suggest this term (by its folded lemma key) for this company again."""
        company_id = self._resolve("companies", company, "company")["id"]
        self.db.execute(
            "INSERT INTO term_dismissals (company_id, key, term, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (company_id, key) DO NOTHING",
            [company_id, v.required(key, "term", 4 * v.MAX_NAME), v.required(term, "term", 4 * v.MAX_NAME), v.now()],
        )

    def dismissed_keys(self, company: str | int) -> set[str]:
        company_id = self._resolve("companies", company, "company")["id"]
        return {r["key"] for r in self._rows("SELECT key FROM term_dismissals WHERE company_id = ?", [company_id])}

    # -- the drill --------------------------------------------------------------------------------------------

    def record_drill(self, term_id: int, known: bool, at: str | None = None) -> None:
        """One answer of the interview drill: the term was known, or not yet."""
        self.term(term_id)
        stamp = v.timestamp(at, "time") if at else v.now()
        self.db["term_drills"].insert({"term_id": term_id, "at": stamp, "known": int(bool(known))})

    def drill_states(self, company: str | int | None = None) -> list[dict[str, Any]]:
        """Every term of a company's glossary and the global one (or of all glossaries), with its drill record:
        drills, misses, the last answer (known: 1, not yet: 0, never drilled: None) and when."""
        where, params = "", []
        if company is not None:
            where = " WHERE t.company_id = ? OR t.company_id IS NULL"
            params.append(self._resolve("companies", company, "company")["id"])
        return self._rows(
            f"""SELECT t.id, t.term, t.definition, t.example, t.seen_in, t.company_id, c.name AS company,
                   c.slug AS company_slug, c.status AS company_status,
                   (SELECT count(*) FROM term_drills d WHERE d.term_id = t.id) AS drills,
                   (SELECT count(*) FROM term_drills d WHERE d.term_id = t.id AND d.known = 0) AS misses,
                   (SELECT known FROM term_drills d WHERE d.term_id = t.id ORDER BY at DESC, id DESC LIMIT 1) AS last_known,
                   (SELECT max(at) FROM term_drills d WHERE d.term_id = t.id) AS last_at
                FROM terms t LEFT JOIN companies c ON c.id = t.company_id{where}
                ORDER BY t.term COLLATE NOCASE, t.id""",
            params,
        )

    # -- what mining reads ------------------------------------------------------------------------------------

    def company_news_texts(self, company: str | int, limit: int = MINING_ITEMS) -> list[tuple[int, str, str]]:
        """(id, title, summary) of a company's newest items, not deleted, newest first. The read and the unread are
        read each in the order of their index and merged (one ORDER BY sorted all of a company's items, whole:
        35 ms for the 11,000 of the biggest company of a million, against 4)."""
        company_id = self._resolve("companies", company, "company")["id"]
        part = (
            f"SELECT id, title, summary, {NEWS_SORT_KEY} AS sort_key FROM news_items"
            " WHERE read = {} AND company_id = :company AND deleted = 0"
        )
        rows = self.db.conn.execute(
            f"{part.format(0)} UNION ALL {part.format(1)} ORDER BY sort_key DESC, id DESC LIMIT :limit",
            {"company": company_id, "limit": limit},
        ).fetchall()
        return [(item_id, title, summary) for item_id, title, summary, _ in rows]

    def names_in_company_news(self, company_id: int) -> list[str]:
        """The names of the people a company's news names (linked mentions)."""
        return [
            name
            for (name,) in self.db.conn.execute(
                "SELECT DISTINCT p.name FROM news_people m JOIN people p ON p.id = m.person_id"
                " JOIN news_items n ON n.id = m.news_item_id WHERE n.company_id = ?",
                [company_id],
            )
        ]

    def company_names_and_places(self) -> list[tuple[str, str]]:
        """(name, location or "") of every company the notebook tracks."""
        return self.db.conn.execute("SELECT name, ifnull(location, '') FROM companies").fetchall()

    def background_sample(self, limit: int, top: int, total: int) -> list[tuple[int, str, str]]:
        """(company id, title, summary) of `limit` items drawn at random from the whole news, deleted ones too (all
        of them when there are no more); the same sample while the newest item is `top`. `total`: news_total()."""
        conn = self.db.conn
        if total <= limit:
            return conn.execute("SELECT company_id, title, summary FROM news_items").fetchall()
        rng = random.Random(top * 7919)
        rows: list[tuple[int, str, str]] = []
        tried: set[int] = set()
        while len(rows) < limit and len(tried) < top:
            ids = [i for i in {rng.randint(1, top) for _ in range(limit)} if i not in tried]
            tried.update(ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows += conn.execute(
                    f"SELECT company_id, title, summary FROM news_items WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        return rows[:limit]

    def company_item_count(self, company_id: int) -> int:
        """A company's items, deleted ones too (as news_total counts them)."""
        return self._scalar("SELECT count(*) FROM news_items WHERE company_id = ?", [company_id])

    def news_total(self) -> int:
        """Items in the full-text index (deleted ones too: they still tell how common a word is)."""
        return self._scalar("SELECT count(*) FROM news_items")

    def _vocab_table(self) -> str | None:
        """A per-connection view of the news index's vocabulary (in temp: nothing is written to the notebook);
        None where the connection may create nothing at all (a notebook open read-only)."""
        if not getattr(self, "_vocab_ready", False):
            try:
                self.db.conn.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.news_vocabulary USING fts5vocab(main, news_items_fts, row)"
                )
            except sqlite3.OperationalError:
                return None
            self._vocab_ready = True
        return "temp.news_vocabulary"

    def word_doc_counts(self, index_words: set[str]) -> dict[str, int]:
        """How many news items hold each word (words as the full-text index spells them)."""
        table = self._vocab_table()
        if table is None:
            return self.phrase_doc_counts(index_words)  # a query a word: slower, but it only reads
        return self._counts([(word, f"SELECT doc FROM {table} WHERE term = ?", word) for word in index_words])

    def _counts(self, queries: list[tuple[str, str, str]], in_two: bool = False) -> dict[str, int]:
        """(key, a one-value SELECT with one parameter, its parameter) each: the values, 0 where none, a hundred
        queries to a statement. `in_two`: half of them run meanwhile on a second connection, in a thread of its
        own (SQLite lets go of the interpreter while it reads: two processors count in half the time). Only the
        notebook's tables, not this connection's temp ones, and only outside a transaction (the second connection
        would not see what it wrote)."""
        if in_two and len(queries) >= 8 and self.path is not None and not self.db.conn.in_transaction:
            half = len(queries) // 2
            with ThreadPoolExecutor(1) as pool:
                theirs = pool.submit(self._counts_read_only, queries[half:])
                out = self._counts(queries[:half])
                try:
                    out.update(theirs.result())
                except sqlite3.Error:  # a second connection refused (a folder that forbids its files): on this one
                    out.update(self._counts(queries[half:]))
            return out
        return self._counts_on(self.db.conn, queries)

    def _counts_read_only(self, queries: list[tuple[str, str, str]]) -> dict[str, int]:
        conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return self._counts_on(conn, queries)
        finally:
            conn.close()

    @staticmethod
    def _counts_on(conn: sqlite3.Connection, queries: list[tuple[str, str, str]]) -> dict[str, int]:
        out: dict[str, int] = {}
        for start in range(0, len(queries), 100):
            chunk = queries[start : start + 100]
            values = conn.execute(
                "SELECT " + ", ".join(f"ifnull(({sql}), 0)" for _, sql, _ in chunk), [param for *_, param in chunk]
            ).fetchone()
            out.update(zip((key for key, _, _ in chunk), values))
        return out

    def phrase_doc_counts(self, phrases: set[str], loose: Collection[str] = ()) -> dict[str, int]:
        """How many news items hold each phrase (its words, in order, as the full-text index spells them).

        A three-word phrase whose middle word is in `loose` (stopwords: "costs for freight") is counted as its
        outer words with one word between them, in either order. The exact query reads the middle word's places in
        every item holding it ("for" is in 9 items of 10: 30 ms a phrase on a million items, against 2 ms). The
        count is an upper bound, the same but for reversals ("freight x costs"), and a bound from above only ever
        ranks a suggestion lower."""
        queries = []
        for phrase in phrases:
            words = phrase.split(" ")
            if len(words) == 3 and words[1] in loose:
                query = f'NEAR("{words[0]}" "{words[2]}", 1)'
            else:
                query = '"' + phrase + '"'
            queries.append((phrase, "SELECT count(*) FROM news_items_fts WHERE news_items_fts MATCH ?", query))
        return self._counts(queries, in_two=True)
