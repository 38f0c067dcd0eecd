"""News lists, marks and search: every list read in the order of an index (migration 008), one function a workflow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid, NotFound
from researcher.store.models import NewsItem
from researcher.store.schema import COMPANY_STATUSES, NEWS_SORT_KEY
from researcher.text import clean_line, quoted

# The lists' order, spelled as the indexes of migration 008 spell it (an index serves an expression only
# when the query writes it the same way).
SORT_KEY = NEWS_SORT_KEY.replace("published", "n.published").replace("fetched_at", "n.fetched_at")
_COLUMNS = f"n.*, c.name AS company, c.slug AS company_slug, {SORT_KEY} AS sort_key"
# CROSS JOIN: SQLite then always walks the news index and looks each company up, never the other way round.
_FROM = "FROM news_items n CROSS JOIN companies c ON c.id = n.company_id"
_NEWS_SELECT = f"SELECT {_COLUMNS} {_FROM}"

# The companies a job seeker is working on: `status:pipeline` in the TUI, `--status pipeline` on the CLI.
PIPELINE = ("target", "applied", "interviewing")

# A status filter whose companies hold at most this many of the items listed sorts them (a few
# milliseconds); with more, the list walks the date index and skips the other companies' items, which
# are then at most 49 in 50.
STATUS_SORT_LIMIT = 20_000

# A search ranks, of the news items it matches, the newest this many (or five times its limit): ranking
# every match of a common word among a million items took seconds.
NEWS_CANDIDATES = 500
# Shorter words match whole words in the news: a prefix of one or two letters matches most of a million
# items, and merging those postings alone took up to a second.
NEWS_PREFIX_MIN = 3


def company_statuses(values: Iterable[str] | None) -> tuple[str, ...]:
    """Company statuses to filter by, validated; "pipeline" stands for target, applied and interviewing."""
    out: list[str] = []
    for value in values or ():
        text = clean_line(value).lower() if isinstance(value, str) else value
        picked = PIPELINE if text == "pipeline" else (v.choice(text, COMPANY_STATUSES, "company status"),)
        out += [s for s in picked if s and s not in out]
    return tuple(out)


def _ids(values: Iterable[int]) -> list[int]:
    """Row ids, each once, in the order given; a value that cannot be a row id names no news item."""
    out: list[int] = []
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or not -(2**63) <= value < 2**63:
            raise NotFound(f"no news item with id {quoted(value)}")
        if value not in out:
            out.append(value)
    return out


def _marks(count: int) -> str:
    return ",".join("?" * count)


@dataclass
class NewsDeletion:
    """What deleting news items did: the items hidden now, and the ids that were hidden already."""

    deleted: list[NewsItem] = field(default_factory=list)
    already: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"deleted": [item.to_dict() for item in self.deleted], "already_deleted": self.already}


SEARCH_WORDS = 32  # words of a search query taken into account


class NewsQueries:
    """Mixed into Notebook; uses its _rows/_one/_scalar/_resolve helpers and index_news()."""

    # -- lists ---------------------------------------------------------------

    def news(
        self,
        company: str | int | None = None,
        unread: bool = False,
        starred: bool = False,
        limit: int | None = None,
        offset: int = 0,
        before: tuple[str, int] | None = None,
        until: tuple[str, int] | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[NewsItem]:
        """News items, newest first: of one company or all, unread only, starred only, of companies with
        these statuses ("pipeline": target, applied, interviewing).

        A list that keeps the reader's place pages by key rather than by offset: an item's key is
        (ifnull(published, fetched_at), id), its place in that order; `before` gives the items older
        than a key, `until` stops at a key (included). Items read meanwhile shift no offset.
        """
        sql, params = self._news_sql(company, unread, starred, before, until, company_statuses(statuses))
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [NewsItem.from_row(r) for r in self._rows(sql, params)]

    def _news_sql(
        self,
        company: str | int | None,
        unread: bool,
        starred: bool,
        before: tuple[str, int] | None,
        until: tuple[str, int] | None,
        statuses: tuple[str, ...],
    ) -> tuple[str, list[Any]]:
        """The query of a news list, every shape of it read in the order of an index (see migration 008)."""
        where: list[tuple[str, list[Any]]] = []
        if before is not None:
            # The first term bounds the index range; the row value then orders items of the same date by id.
            where += [(f"{SORT_KEY} <= ?", [before[0]]), (f"({SORT_KEY}, n.id) < (?, ?)", list(before))]
        if until is not None:
            where += [(f"{SORT_KEY} >= ?", [until[0]]), (f"({SORT_KEY}, n.id) >= (?, ?)", list(until))]
        if statuses:
            where.append((f"c.status IN ({_marks(len(statuses))})", list(statuses)))
        company_id = self._resolve("companies", company, "company")["id"] if company is not None else None
        if starred:
            # The starred are few, with an index of their own; the `+` keeps SQLite from sorting a company's.
            where.append(("n.starred = 1 AND n.deleted = 0", []))
            if unread:
                where.append(("+n.read = 0", []))
            if company_id is not None:
                where.append(("+n.company_id = ?", [company_id]))
            return self._news_select(where, single=True)
        if company_id is not None:
            where.append(("n.company_id = ? AND n.deleted = 0", [company_id]))
        elif statuses and self._status_items(statuses, unread) <= STATUS_SORT_LIMIT:
            # Few items: read them through each company's index and sort them.
            where.append(
                (f"n.company_id IN (SELECT id FROM companies WHERE status IN ({_marks(len(statuses))}))", [*statuses])
            )
            where.append(("n.deleted = 0" + (" AND n.read = 0" if unread else ""), []))
            return self._news_select(where, single=True)
        else:
            where.append(("n.deleted = 0", []))
        return self._news_select(where, reads=(0,) if unread else (0, 1))

    @staticmethod
    def _news_select(
        where: list[tuple[str, list[Any]]], reads: tuple[int, ...] = (), single: bool = False
    ) -> tuple[str, list[Any]]:
        """One SELECT, or one per read state merged in order (UNION ALL ... ORDER BY merges, it does not sort)."""
        clause = " AND ".join(sql for sql, _ in where)
        params = [p for _, values in where for p in values]
        if single:
            return f"{_NEWS_SELECT} WHERE {clause} ORDER BY sort_key DESC, n.id DESC", params
        parts = [f"{_NEWS_SELECT} WHERE n.read = {read} AND {clause}" for read in reads]
        return " UNION ALL ".join(parts) + " ORDER BY sort_key DESC, id DESC", params * len(reads)

    def _status_items(self, statuses: tuple[str, ...], unread: bool) -> int:
        """How many items (unread ones, or all) the companies with these statuses hold, up to STATUS_SORT_LIMIT + 1:
        a count of index ranges that stops there."""
        return self._scalar(
            "SELECT count(*) FROM (SELECT 1 FROM news_items WHERE deleted = 0"
            + (" AND read = 0" if unread else "")
            + f" AND company_id IN (SELECT id FROM companies WHERE status IN ({_marks(len(statuses))})) LIMIT ?)",
            [*statuses, STATUS_SORT_LIMIT + 1],
        )

    def count_news(
        self, company: str | int | None = None, unread: bool = False, statuses: Iterable[str] | None = None
    ) -> int:
        """How many news items there are (not deleted), of one company or all, unread only or all, of companies
        with these statuses."""
        where, params = ["deleted = 0"], []
        if company is not None:
            where.append("company_id = ?")
            params.append(self._resolve("companies", company, "company")["id"])
        picked = company_statuses(statuses)
        if picked:
            where.append(f"company_id IN (SELECT id FROM companies WHERE status IN ({_marks(len(picked))}))")
            params += picked
        if unread:
            where.append("read = 0")
        return self._scalar("SELECT count(*) FROM news_items WHERE " + " AND ".join(where), params)

    # -- what is new since a visit (Today) ----------------------------------------------------------------------

    @staticmethod
    def _newer(after_id: int | None, since: str, id_column: str = "n.id") -> tuple[str, Any]:
        """Items stored after item `after_id` (items get ever larger ids, whatever date their feed gives them), or
        fetched since `since` when there is no such id."""
        return (f"{id_column} > ?", after_id) if after_id is not None else ("n.fetched_at >= ?", since)

    def pipeline_news_since(self, after_id: int | None, since: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """The news of the companies in play (PIPELINE) that is new since a visit, not deleted: how many items, and
        the newest `limit` of them with their company."""
        newer, param = self._newer(after_id, since)
        base = (
            f" FROM news_items n JOIN companies c ON c.id = n.company_id"
            f" WHERE c.status IN ({_marks(len(PIPELINE))}) AND n.deleted = 0 AND {newer}"
        )
        total = self._scalar("SELECT count(*)" + base, [*PIPELINE, param])
        rows = self._rows(
            "SELECT n.id, n.title, n.link, n.published, n.fetched_at, n.read, c.name AS company,"
            " c.slug AS company_slug, c.status AS company_status"
            + base
            + f" ORDER BY {SORT_KEY} DESC, n.id DESC LIMIT ?",
            [*PIPELINE, param, limit],
        )
        return total, rows

    def people_named_since(self, after_id: int | None, since: str) -> list[dict[str, Any]]:
        """Each mention of a person in an item new since a visit (not deleted), with the item and its company: by
        person, then newest item first."""
        newer, param = self._newer(after_id, since, id_column="m.news_item_id")
        return self._rows(
            "SELECT p.id AS person_id, p.name, p.slug, n.id, n.title, c.name AS company, n.published"
            " FROM news_people m JOIN news_items n ON n.id = m.news_item_id JOIN people p ON p.id = m.person_id"
            f" JOIN companies c ON c.id = n.company_id WHERE n.deleted = 0 AND {newer}"
            f" ORDER BY p.name_key, p.id, {SORT_KEY} DESC",
            [param],
        )

    def pipeline_company_count(self) -> int:
        """How many companies are in play (PIPELINE)."""
        return self._scalar(f"SELECT count(*) FROM companies WHERE status IN ({_marks(len(PIPELINE))})", [*PIPELINE])

    def newest_item_id(self) -> int:
        return self._scalar("SELECT ifnull(max(id), 0) FROM news_items")

    def news_by_ids(self, ids: Iterable[int]) -> list[NewsItem]:
        """The news items with these ids that are not deleted, in no particular order."""
        out: list[NewsItem] = []
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._rows(f"{_NEWS_SELECT} WHERE n.deleted = 0 AND n.id IN ({_marks(len(chunk))})", chunk)
            out += [NewsItem.from_row(r) for r in rows]
        return out

    def news_item(self, item_id: int) -> NewsItem:
        """One news item, deleted or not."""
        (checked,) = _ids([item_id])
        row = self._one(f"{_NEWS_SELECT} WHERE n.id = ?", [checked])
        if row is None:
            raise NotFound(f"no news item with id {item_id}")
        return NewsItem.from_row(row)

    # -- marks ---------------------------------------------------------------

    def _live_ids(self, values: Iterable[int]) -> tuple[list[int], list[int]]:
        """The ids given, checked: (those of items not deleted, those of deleted ones); an unknown id raises."""
        ids = _ids(values)
        found: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in self._rows(f"SELECT id, deleted FROM news_items WHERE id IN ({_marks(len(chunk))})", chunk):
                found[row["id"]] = row["deleted"]
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(
                f"no news item with id {missing[0]}" + (f" (nor {len(missing) - 1} more)" if missing[1:] else "")
            )
        return [i for i in ids if not found[i]], [i for i in ids if found[i]]

    def set_news_flags(
        self, ids: Iterable[int], read: bool | None = None, starred: bool | None = None
    ) -> list[NewsItem]:
        """Mark news items read or unread, starred or not (the TUI's space and `*`, `researcher news read|star`):
        all of them or, when one id is unknown or deleted, none. Returns the items as they are now."""
        with self.db.atomic():
            live, gone = self._live_ids(ids)
            if gone:
                raise NotFound(f"news item {gone[0]} was deleted")
            values = {k: int(x) for k, x in (("read", read), ("starred", starred)) if x is not None}
            if values and live:
                assignments = ", ".join(f"{key} = ?" for key in values)
                for start in range(0, len(live), 500):
                    chunk = live[start : start + 500]
                    self.db.conn.execute(
                        f"UPDATE news_items SET {assignments} WHERE id IN ({_marks(len(chunk))})",
                        [*values.values(), *chunk],
                    )
        by_id = {item.id: item for item in self.news_by_ids(live)}
        return [by_id[i] for i in live if i in by_id]

    def mark_news(self, item_id: int, read: bool | None = None, starred: bool | None = None) -> NewsItem:
        """One item's marks (see set_news_flags)."""
        (item,) = self.set_news_flags([item_id], read=read, starred=starred)
        return item

    def delete_news_items(self, ids: Iterable[int]) -> NewsDeletion:
        """Hide news items for good, a tombstone each: a later sync does not bring them back (the TUI's `d`,
        `researcher news rm`). An unknown id changes nothing; an item hidden already stays so."""
        with self.db.atomic():
            live, gone = self._live_ids(ids)
            deleted = {item.id: item for item in self.news_by_ids(live)}
            for start in range(0, len(live), 500):
                chunk = live[start : start + 500]
                self.db.conn.execute(f"UPDATE news_items SET deleted = 1 WHERE id IN ({_marks(len(chunk))})", chunk)
        return NewsDeletion([deleted[i] for i in live if i in deleted], gone)

    def delete_news(self, item_id: int) -> None:
        """Hide one news item for good (see delete_news_items)."""
        self.delete_news_items([item_id])

    # -- search --------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search over companies, people, news, notes and terms (accents folded), best first.

        Each hit: kind, id, title, detail, rank; subject and subject_kind (company, person or news) say
        what a note is about, and its detail says "on <subject>"; company_id, person_id and news_item_id say
        where the hit is shown (a news item: its company's News tab). Words match as prefixes ("kra"
        finds "Kraków"), except words of one or two letters in the news, which match whole words. Of the
        news items that match, the newest NEWS_CANDIDATES (or five times `limit`) are ranked.
        """
        if not isinstance(limit, int) or limit < 1:
            raise Invalid("a search shows at least one hit")
        # The first words are enough: a pasted page as a query would cost seconds of FTS5 work.
        words = [w for w in clean_line(query[:2000]).replace('"', " ").split() if w][:SEARCH_WORDS]
        if not words:
            return []
        self.index_news()
        match = " ".join(f'"{w}"*' for w in words)
        news_match = " ".join(f'"{w}"*' if len(w) >= NEWS_PREFIX_MIN else f'"{w}"' for w in words)
        sql = " UNION ALL ".join(_SEARCH_PARTS) + " ORDER BY rank LIMIT :limit"
        params = {"q": match, "news_q": news_match, "limit": limit, "candidates": max(NEWS_CANDIDATES, 5 * limit)}
        return self._rows(sql, params)


def _search_part(kind: str, table: str, title: str, detail: str, where: dict[str, str]) -> str:
    """One source of search hits; `where` names the columns of the hit (subject, ids of where it is shown)."""
    columns = {
        "subject": "NULL",
        "subject_kind": "NULL",
        "company_id": "NULL",
        "person_id": "NULL",
        "news_item_id": "NULL",
        "joins": "",
        **where,
    }
    return (
        f"SELECT '{kind}' AS kind, t.id AS id, {title} AS title, {detail} AS detail, {columns['subject']} AS subject,"
        f" {columns['subject_kind']} AS subject_kind, {table}_fts.rank AS rank, {columns['company_id']} AS company_id,"
        f" {columns['person_id']} AS person_id, {columns['news_item_id']} AS news_item_id"
        f" FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid{columns['joins']}"
        f" WHERE {table}_fts MATCH :q"
    )


# A note says what it is about: its subject (a company, person or news item) and that subject's kind.
_NOTE_SUBJECT = "coalesce(sc.name, sp.name, si.title)"
_SEARCH_PARTS = (
    _search_part("company", "companies", "t.name", "ifnull(t.sector, '')", {"company_id": "t.id"}),
    _search_part("person", "people", "t.name", "ifnull(t.headline, '')", {"person_id": "t.id"}),
    # The news: the newest matches only, ranked among themselves (see NEWS_CANDIDATES).
    "SELECT 'news' AS kind, t.id AS id, t.title AS title, substr(t.summary, 1, 160) AS detail, NULL AS subject,"
    " NULL AS subject_kind, f.rank AS rank, t.company_id AS company_id, NULL AS person_id, t.id AS news_item_id"
    " FROM (SELECT rowid AS id, rank FROM news_items_fts WHERE news_items_fts MATCH :news_q"
    " ORDER BY rowid DESC LIMIT :candidates) f JOIN news_items t ON t.id = f.id WHERE t.deleted = 0",
    _search_part(
        "note",
        "notes",
        "substr(t.body, 1, 80)",
        f"'on ' || ifnull({_NOTE_SUBJECT}, '?')",
        {
            "subject": _NOTE_SUBJECT,
            "subject_kind": "CASE WHEN t.company_id IS NOT NULL THEN 'company' WHEN t.person_id IS NOT NULL"
            " THEN 'person' WHEN t.news_item_id IS NOT NULL THEN 'news' END",
            "company_id": "coalesce(t.company_id, si.company_id)",
            "person_id": "t.person_id",
            "news_item_id": "t.news_item_id",
            "joins": " LEFT JOIN companies sc ON sc.id = t.company_id LEFT JOIN people sp ON sp.id = t.person_id"
            " LEFT JOIN news_items si ON si.id = t.news_item_id",
        },
    ),
    _search_part("term", "terms", "t.term", "t.definition", {"company_id": "t.company_id"}),
)
