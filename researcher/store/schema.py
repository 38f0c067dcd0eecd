"""The notebook schema, built and evolved only through sqlite_utils.Migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database, Migrations

from researcher.text import clean_line

COMPANY_STATUSES = ("watching", "researching", "target", "applied", "interviewing", "closed")
APPROACH_STATUSES = ("identified", "to contact", "invited", "connected", "met", "referred", "closed")
CHANNELS = ("linkedin", "viadeo", "xing", "goldenline", "email", "phone", "in person", "event", "other")
NETWORKS = ("linkedin", "viadeo", "xing", "goldenline", "other")
RELATIONSHIP_KINDS = ("knows", "worked_with", "introduced_by")
FUNCTIONS = (
    "engineering",
    "product",
    "data",
    "design",
    "sales",
    "marketing",
    "finance",
    "hr",
    "operations",
    "legal",
    "leadership",
    "research",
    "consulting",
    "support",
)
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+")

# Accents folded ("é" matches "e"), so a search for "societe" finds "Société".
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FTS_TABLES = {
    "companies": ["name", "sector", "location", "description"],
    "people": ["name", "headline", "location"],
    "news_items": ["title", "summary"],
    "notes": ["body"],
    "terms": ["term", "definition"],
}


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


SCHEMA_V1 = f"""
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    sector TEXT,
    website TEXT,
    location TEXT,
    size TEXT,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'watching' CHECK (status IN {_in(COMPANY_STATUSES)}),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX companies_name_key ON companies(name_key);
CREATE INDEX companies_sector ON companies(sector);

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    last_fetch_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX feeds_company ON feeds(company_id);

CREATE TABLE news_items (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    link TEXT,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    published TEXT,
    fetched_at TEXT NOT NULL,
    updated_at TEXT,
    content_hash TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (feed_id, entry_id)
);
CREATE INDEX news_company_published ON news_items(company_id, published);
CREATE INDEX news_unread ON news_items(read, deleted, published);

CREATE TABLE org_units (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    parent_id INTEGER REFERENCES org_units(id) ON DELETE SET NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    term TEXT NOT NULL CHECK (trim(term) <> ''),
    definition TEXT NOT NULL DEFAULT '',
    seen_in TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX terms_unique ON terms(ifnull(company_id, 0), term);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    headline TEXT,
    location TEXT,
    email TEXT,
    phone TEXT,
    linkedin_url TEXT,
    viadeo_url TEXT,
    xing_url TEXT,
    goldenline_url TEXT,
    other_url TEXT,
    is_me INTEGER NOT NULL DEFAULT 0 CHECK (is_me IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_name_key ON people(name_key, id);
CREATE UNIQUE INDEX people_only_one_me ON people(is_me) WHERE is_me = 1;

CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- A position at an untracked company keeps only its name; removing a tracked
    -- company keeps the career path intact (the name stays).
    company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    company_name TEXT NOT NULL CHECK (trim(company_name) <> ''),
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    function TEXT,
    org_unit_id INTEGER REFERENCES org_units(id) ON DELETE SET NULL,
    start TEXT CHECK (start IS NULL OR start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),  -- NULL: not known
    "end" TEXT CHECK ("end" IS NULL OR ("end" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND "end" >= ifnull(start, "end")))
);
CREATE INDEX positions_person ON positions(person_id);
CREATE INDEX positions_company ON positions(company_id);

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'knows' CHECK (kind IN {_in(RELATIONSHIP_KINDS)}),
    strength INTEGER NOT NULL DEFAULT 2 CHECK (strength BETWEEN 1 AND 3),
    how TEXT,
    created_at TEXT NOT NULL,
    CHECK (person_id <> other_id),
    UNIQUE (person_id, other_id, kind)
);
CREATE INDEX relationships_other ON relationships(other_id);

CREATE TABLE approach (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'identified' CHECK (status IN {_in(APPROACH_STATUSES)}),
    priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    next_action_at TEXT,
    next_step TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX status_changes_person ON status_changes(person_id);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN {_in(CHANNELS)}),
    direction TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
    summary TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX interactions_person ON interactions(person_id, at);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    network TEXT CHECK (network IS NULL OR network IN {_in(CHANNELS)}),
    text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX invitations_person ON invitations(person_id);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    news_item_id INTEGER REFERENCES news_items(id) ON DELETE CASCADE,
    body TEXT NOT NULL CHECK (trim(body) <> ''),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((company_id IS NOT NULL) + (person_id IS NOT NULL) + (news_item_id IS NOT NULL) = 1)
);
CREATE INDEX notes_company ON notes(company_id, created_at);
CREATE INDEX notes_person ON notes(person_id, created_at);
CREATE INDEX notes_news ON notes(news_item_id);

CREATE TABLE profile_checklist (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN {_in(NETWORKS)}),
    item TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    UNIQUE (network, item)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""

MIGRATION_SET = "researcher"
migrations = Migrations(MIGRATION_SET)
# Every migration of this release, in order. Releases only ever append to this list, and each sets
# PRAGMA user_version to its length: a notebook whose mark is higher, or that records a migration
# missing here, was written by a newer release.
MIGRATION_NAMES: list[str] = []


def migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register a migration (`@migration("007_...")`), in order, in MIGRATION_NAMES too."""
    MIGRATION_NAMES.append(name)
    return migrations(name=name)


@migration("001_initial_schema")
def _initial_schema(db: Database) -> None:
    db.executescript(SCHEMA_V1)
    for table, columns in FTS_TABLES.items():
        db[table].enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZER)


@dataclass(frozen=True)
class FileSurvey:
    """What a database file holds, read without writing anything: its tables, the researcher
    migrations it records and its version mark."""

    tables: tuple[str, ...]
    applied: tuple[str, ...]
    version: int

    @property
    def empty(self) -> bool:
        # A first start that stopped between creating the migrations table and the first migration
        # leaves that table alone, empty: still a new notebook.
        return not self.applied and set(self.tables) <= {Migrations.migrations_table}

    @property
    def is_notebook(self) -> bool:
        return bool(self.applied)

    @property
    def newer_reason(self) -> str | None:
        """Why this release must not write the notebook (a newer one wrote it), or None."""
        unknown = [name for name in self.applied if name not in MIGRATION_NAMES]
        if unknown:
            schema = clean_line(unknown[-1])[:80]
        elif self.version > len(MIGRATION_NAMES):
            schema = f"version {self.version}; this one knows {len(MIGRATION_NAMES)}"
        else:
            return None
        return f"this notebook was written by a newer researcher (schema {schema}); upgrade researcher to change it"

    @property
    def pending(self) -> list[str]:
        return [name for name in MIGRATION_NAMES if name not in self.applied]


def survey(db: Database) -> FileSurvey:
    """Read what the file holds (raises sqlite3.DatabaseError for a file that is not SQLite)."""
    conn = db.conn
    tables = tuple(
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
        )
    )
    applied: tuple[str, ...] = ()
    if Migrations.migrations_table in tables:
        try:
            applied = tuple(
                row[0]
                for row in conn.execute(
                    f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ? ORDER BY rowid",
                    [MIGRATION_SET],
                )
            )
        except sqlite3.OperationalError:  # another program's table of that name, other columns
            applied = ()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return FileSurvey(tables, applied, version)


def migrate(db: Database, surveyed: FileSurvey | None = None) -> None:
    """Bring a notebook of any earlier release up to the current schema, and mark its version."""
    surveyed = surveyed or survey(db)
    if surveyed.pending:
        migrations.apply(db)
    if surveyed.version != len(MIGRATION_NAMES):
        db.execute(f"PRAGMA user_version = {len(MIGRATION_NAMES)}")


@migration("002_warm_path_indexes")
def _warm_path_indexes(db: Database) -> None:
    # Warm paths look for the colleagues whose stints at a company overlap a given stint:
    # a range on start within one company, read from this index alone (end and person
    # ride along) without touching the table.
    db.execute('CREATE INDEX IF NOT EXISTS positions_company_start ON positions(company_id, start, "end", person_id)')


@migration("003_news_count_indexes")
def _news_count_indexes(db: Database) -> None:
    # Unread and item counts per feed and per company: without these, SQLite walks the
    # global unread index once per feed (seconds with a few thousand items, minutes at a million).
    db.execute("CREATE INDEX IF NOT EXISTS news_feed_state ON news_items(feed_id, deleted, read)")
    db.execute("CREATE INDEX IF NOT EXISTS news_company_state ON news_items(company_id, deleted, read)")
    db.execute("ANALYZE")


@migration("004_news_fts_queue")
def _news_fts_queue(db: Database) -> None:
    # A sync stores thousands of items, one feed per transaction; FTS5 writes a new index
    # segment at every commit, which made indexing most of a cold sync's work. New items now
    # wait in a queue that Notebook.index_news() folds into the index in one statement (at the
    # end of a sync, every few hundred feeds, and before a search). Rows still queued are not in
    # the index, so the update and delete triggers must not ask FTS5 to remove them: that would
    # corrupt an external-content index.
    for statement in _NEWS_FTS_QUEUE:  # one by one: executescript would commit the migration's transaction
        db.execute(statement)


_NEWS_FTS_QUEUE = (
    "CREATE TABLE IF NOT EXISTS news_fts_pending (id INTEGER PRIMARY KEY)",
    "DROP TRIGGER IF EXISTS news_items_ai",
    "DROP TRIGGER IF EXISTS news_items_au",
    "DROP TRIGGER IF EXISTS news_items_ad",
    """CREATE TRIGGER news_items_ai AFTER INSERT ON news_items BEGIN
      INSERT OR IGNORE INTO news_fts_pending (id) VALUES (new.id);
    END""",
    # Only a change of the indexed text touches the index (marking an item read does not).
    """CREATE TRIGGER news_items_au AFTER UPDATE OF title, summary ON news_items
    WHEN NOT EXISTS (SELECT 1 FROM news_fts_pending WHERE id = old.id) BEGIN
      INSERT INTO news_items_fts (news_items_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary);
      INSERT INTO news_items_fts (rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    """CREATE TRIGGER news_items_ad AFTER DELETE ON news_items BEGIN
      INSERT INTO news_items_fts (news_items_fts, rowid, title, summary)
        SELECT 'delete', old.id, old.title, old.summary WHERE NOT EXISTS (SELECT 1 FROM news_fts_pending WHERE id = old.id);
      DELETE FROM news_fts_pending WHERE id = old.id;
    END""",
)


@migration("005_news_append_friendly_indexes")
def _news_append_friendly_indexes(db: Database) -> None:
    # news_unread ended in `published`, which no query orders by (the inbox orders by
    # ifnull(published, fetched_at), sorted after the filter): new items, all unread, landed at
    # random places in it, and each feed's commit rewrote dozens of its pages. On (read, deleted)
    # alone new items go to its end. news_company_published served no query (news_company_state
    # filters a company's items).
    db.execute("DROP INDEX IF EXISTS news_unread")
    db.execute("CREATE INDEX news_unread ON news_items(read, deleted)")
    db.execute("DROP INDEX IF EXISTS news_company_published")


@migration("006_people_name_key_with_id")
def _people_name_key_with_id(db: Database) -> None:
    # The first release made people_name_key on (name_key) alone; 001 gained the id soon after, so
    # notebooks of that release sorted the people list (by name_key, id) in a temporary b-tree.
    # Every notebook now has the index today's 001 makes.
    wanted = "CREATE INDEX people_name_key ON people(name_key, id)"
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'people_name_key'").fetchone()
    if row is None or row[0] != wanted:
        db.execute("DROP INDEX IF EXISTS people_name_key")
        db.execute(wanted)


@migration("007_keep_in_touch_cadence")
def _keep_in_touch_cadence(db: Database) -> None:
    # How often to hear from a person (every 30, 60, 90... days); any logged interaction restarts the
    # clock, and "gone quiet" is measured against it (NULL: the notebook's default, 90 days).
    db.execute(
        "ALTER TABLE approach ADD COLUMN cadence_days INTEGER"
        " CHECK (cadence_days IS NULL OR cadence_days BETWEEN 1 AND 3650)"
    )


# Every news list orders by this (newest first, then by id); an index serves that order only when a
# query spells the expression exactly as the index does.
NEWS_SORT_KEY = "ifnull(published, fetched_at)"


@migration("008_news_lists_by_date")
def _news_lists_by_date(db: Database) -> None:
    # Every news list (the inbox, all news, a company's, the starred) was filtered, then sorted in a
    # temporary b-tree: 1.4 s for a page of a million items. The two state indexes now end in the
    # lists' sort key, so each (read, deleted) or (company, deleted, read) group is read in date order;
    # a list of both read and unread items merges the two groups (UNION ALL ... ORDER BY). The counts
    # still read the same prefixes. The starred, a few, have an index of their own that no new item
    # enters. Fewer indexes to keep up to date: the sync writes every new item into each one.
    statements = (
        "DROP INDEX IF EXISTS news_unread",
        f"CREATE INDEX news_unread ON news_items(read, deleted, {NEWS_SORT_KEY})",
        "DROP INDEX IF EXISTS news_company_state",
        f"CREATE INDEX news_company_state ON news_items(company_id, deleted, read, {NEWS_SORT_KEY})",
        f"CREATE INDEX IF NOT EXISTS news_starred ON news_items(starred, {NEWS_SORT_KEY})"
        " WHERE starred = 1 AND deleted = 0",
        "ANALYZE news_items",
    )
    for statement in statements:
        db.execute(statement)


@migration("009_research_depth")
def _research_depth(db: Database) -> None:
    # Issue #10: whom a person reports to, a glossary entry's example and drill history, dismissed
    # vocabulary suggestions, and the people, companies and untracked organisations news items name.
    for statement in _RESEARCH_DEPTH:  # one by one: executescript would commit the migration's transaction
        db.execute(statement)


_NAME_CHANGED = "INSERT OR IGNORE INTO mention_queue (kind, ref_id) VALUES ('{kind}', new.id);" + (
    " UPDATE mention_state SET names_version = names_version + 1;"
)

_RESEARCH_DEPTH = (
    # Whom the holder of a position reports to there (a person; their current position at that company).
    "ALTER TABLE positions ADD COLUMN manager_id INTEGER REFERENCES people(id) ON DELETE SET NULL",
    # A person's removal finds the positions that named them as manager through this index.
    "CREATE INDEX positions_manager ON positions(manager_id) WHERE manager_id IS NOT NULL",
    "ALTER TABLE terms ADD COLUMN example TEXT",
    """CREATE TABLE term_drills (
        id INTEGER PRIMARY KEY,
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        known INTEGER NOT NULL CHECK (known IN (0, 1))
    )""",
    "CREATE INDEX term_drills_term ON term_drills(term_id, at)",
    # Vocabulary suggestions a user turned down, by their folded lemma key: they never come back.
    """CREATE TABLE term_dismissals (
        company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        term TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (company_id, key)
    )""",
    # Members in the news: which items name which person, tracked company or untracked organisation.
    """CREATE TABLE news_people (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        news_item_id INTEGER NOT NULL REFERENCES news_items(id) ON DELETE CASCADE,
        PRIMARY KEY (person_id, news_item_id)
    )""",
    "CREATE INDEX news_people_item ON news_people(news_item_id)",
    """CREATE TABLE news_companies (
        company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
        news_item_id INTEGER NOT NULL REFERENCES news_items(id) ON DELETE CASCADE,
        PRIMARY KEY (company_id, news_item_id)
    )""",
    "CREATE INDEX news_companies_item ON news_companies(news_item_id)",
    # Organisations with a legal form ("Albion Ledger Ltd") named in the news and not tracked, by org key.
    """CREATE TABLE news_orgs (
        org_key TEXT NOT NULL,
        news_item_id INTEGER NOT NULL REFERENCES news_items(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        PRIMARY KEY (org_key, news_item_id)
    )""",
    "CREATE INDEX news_orgs_item ON news_orgs(news_item_id)",
    # People and companies added or renamed wait here until the news stored before them is searched for
    # their names (Notebook.link_mentions); items stored later are linked as they are saved.
    """CREATE TABLE mention_queue (
        kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
        ref_id INTEGER NOT NULL,
        PRIMARY KEY (kind, ref_id)
    )""",
    # names_version is bumped whenever a name is added, changed or removed: the matcher a connection keeps is
    # rebuilt then. orgs_pending: the items stored before this migration were never searched for organisations.
    "CREATE TABLE mention_state (id INTEGER PRIMARY KEY CHECK (id = 1), names_version INTEGER NOT NULL,"
    " orgs_pending INTEGER NOT NULL DEFAULT 0)",
    "INSERT INTO mention_state (id, names_version, orgs_pending) VALUES (1, 0, 1)",
    "INSERT INTO mention_queue (kind, ref_id) SELECT 'person', id FROM people",
    "INSERT INTO mention_queue (kind, ref_id) SELECT 'company', id FROM companies",
    f"CREATE TRIGGER people_name_ai AFTER INSERT ON people BEGIN {_NAME_CHANGED.format(kind='person')} END",
    "CREATE TRIGGER people_name_au AFTER UPDATE OF name ON people WHEN old.name IS NOT new.name"
    f" BEGIN {_NAME_CHANGED.format(kind='person')} END",
    "CREATE TRIGGER people_name_ad AFTER DELETE ON people BEGIN"
    " DELETE FROM mention_queue WHERE kind = 'person' AND ref_id = old.id;"
    " UPDATE mention_state SET names_version = names_version + 1; END",
    f"CREATE TRIGGER companies_name_ai AFTER INSERT ON companies BEGIN {_NAME_CHANGED.format(kind='company')} END",
    "CREATE TRIGGER companies_name_au AFTER UPDATE OF name ON companies WHEN old.name IS NOT new.name"
    f" BEGIN {_NAME_CHANGED.format(kind='company')} END",
    "CREATE TRIGGER companies_name_ad AFTER DELETE ON companies BEGIN"
    " DELETE FROM mention_queue WHERE kind = 'company' AND ref_id = old.id;"
    " UPDATE mention_state SET names_version = names_version + 1; END",
)


@migration("010_imports_and_career_events")
def _imports_and_career_events(db: Database) -> None:
    # Imports of contacts (a LinkedIn export): when I connected with someone rides on the "knows" link; what the
    # last import of a network saw of each connection (company, title) is kept, so that a newer export shows who
    # changed jobs and who is gone; each change seen is a dated career event (a position ends, another starts).
    statements = (
        "ALTER TABLE relationships ADD COLUMN connected_on TEXT"
        " CHECK (connected_on IS NULL OR connected_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')",
        """CREATE TABLE imported_contacts (
            network TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            company TEXT,
            title TEXT,
            connected_on TEXT,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (network, person_id)
        )""",
        "CREATE INDEX imported_contacts_person ON imported_contacts(person_id)",
        """CREATE TABLE career_events (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('changed', 'joined', 'left')),
            from_company TEXT,
            from_title TEXT,
            to_company TEXT,
            to_title TEXT,
            source TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX career_events_person ON career_events(person_id, at)",
        "CREATE INDEX career_events_at ON career_events(at)",
    )
    for statement in statements:
        db.execute(statement)


@migration("011_mentions_scan_in_steps")
def _mentions_scan_in_steps(db: Database) -> None:
    # Searching every stored item for many names (a notebook just migrated to 009, a big import) took one
    # transaction of over a minute at a million items, run by whichever reader came first. The pass now goes
    # a batch at a time, each its own transaction, from where the last one stopped: which names it looks for,
    # whether it also collects organisations, and the last item id it has read.
    for statement in (
        "ALTER TABLE mention_state ADD COLUMN scan_upto INTEGER",
        "ALTER TABLE mention_state ADD COLUMN scan_names TEXT",
        "ALTER TABLE mention_state ADD COLUMN scan_orgs INTEGER NOT NULL DEFAULT 0",
    ):
        db.execute(statement)
