"""The whole notebook as one JSON document: exported in a fixed order and format, imported into an empty notebook."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, TextIO

from researcher.store import Notebook
from researcher.store.archive import USER_TABLES
from researcher.store.errors import Invalid
from researcher.store.schema import MIGRATION_NAMES
from researcher.text import clean_text, quoted

FORMAT = "researcher-notebook"
VERSION = 1
MAX_JSON_BYTES = 1 << 30  # a notebook of a million news items exports to about 600 MB

# JSON escapes C0 controls itself; these it would leave raw: C1 controls and bidi overrides a terminal acts on
# (the export may go to stdout), and lone surrogates UTF-8 cannot encode.
_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def export_lines(nb: Notebook) -> Iterator[str]:
    """The export, a line at a time: a header, then each user table (in USER_TABLES order) with one row a line,
    keys sorted, rows in primary-key order; all read from one state of the notebook."""
    if nb.read_only_reason:  # it may hold tables this release does not know: the export would leave them out
        raise Invalid("this notebook was written by a newer researcher; export it with that release")
    yield "{\n"
    with nb.snapshot():
        yield f'  "format": {_dumps(FORMAT)},\n  "version": {VERSION},\n  "schema": {nb.schema_version()},\n'
        yield '  "tables": {'

        for t, table in enumerate(USER_TABLES):
            yield ("," if t else "") + f"\n    {_dumps(table)}: ["
            count = 0
            for row in nb.table_rows(table):
                yield ("," if count else "") + "\n      " + _dumps(row)
                count += 1
            yield "\n    ]" if count else "]"
    yield "\n  }\n}\n"


def export_json(nb: Notebook, out: TextIO) -> None:
    for line in export_lines(nb):
        out.write(line)


def import_json(nb: Notebook, data: bytes, dry_run: bool = False) -> dict[str, Any]:
    """Load an export into an empty notebook, in one transaction; the rows per table (what would be, with dry_run)."""
    document = _parse(data)
    del data
    counts = {table: len(rows) for table, rows in document["tables"].items() if isinstance(rows, list) and rows}
    nb.load_tables(_tables(nb, document), dry_run=dry_run)
    return {
        "dry_run": dry_run,
        "tables": {table: counts[table] for table in USER_TABLES if table in counts},
        "rows": sum(counts.values()),
    }


def _parse(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid("the file is not UTF-8 text, so not a researcher JSON export; nothing was changed") from None
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise Invalid(f"the file is not valid JSON{where}; nothing was changed") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Invalid(
            "the file is not a researcher JSON export (`researcher export json` writes one); nothing was changed"
        )
    if document.get("version") != VERSION:
        raise Invalid(
            f"the export's format version {quoted(document.get('version'))} is not {VERSION}; nothing was changed"
        )
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise Invalid("the export does not say which notebook schema it holds; nothing was changed")
    if schema > len(MIGRATION_NAMES):
        raise Invalid(
            f"the export was written by a newer researcher (schema {schema}; this one knows {len(MIGRATION_NAMES)});"
            " upgrade researcher to import it"
        )
    if not isinstance(document.get("tables"), dict):
        raise Invalid("the export holds no tables; nothing was changed")
    return document


def _tables(nb: Notebook, document: dict[str, Any]) -> dict[str, tuple[list[str], Iterator[tuple[Any, ...]]]]:
    """Each table's columns and rows, checked: known tables and columns here, and as the rows are loaded the
    same columns on every row, scalar values; text cleaned as any imported text is (an export is clean already)."""
    found: dict[str, tuple[list[str], Iterator[tuple[Any, ...]]]] = {}
    for table, rows in document["tables"].items():
        if table not in USER_TABLES:
            raise Invalid(f"the export has a table {quoted(table)} this notebook does not know; nothing was changed")
        if not isinstance(rows, list):
            raise Invalid(f"the export's {table} is not a list of rows; nothing was changed")
        if not rows:
            continue
        known = set(nb.table_columns(table))
        first = rows[0]
        if not isinstance(first, dict):
            raise Invalid(f"{table} row 1 is not an object; nothing was changed")
        columns = sorted(first)
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise Invalid(f"{table} has no column {quoted(unknown[0])}; nothing was changed")
        found[table] = (columns, _rows(table, rows, columns))
    return found


def _rows(table: str, rows: list[Any], columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows checked one at a time, each parsed row let go once loaded (a big export's objects take
    several times its size in memory)."""
    for n in range(len(rows)):
        row, rows[n] = rows[n], None
        yield _row(table, n + 1, row, columns)


def _row(table: str, number: int, row: Any, columns: list[str]) -> tuple[Any, ...]:
    if not isinstance(row, dict) or sorted(row) != columns:
        raise Invalid(f"{table} row {number} does not have the columns of the first row; nothing was changed")
    values = []
    for column in columns:
        value = row[column]
        if isinstance(value, str):
            value = clean_text(value)
        elif isinstance(value, bool) or not (value is None or isinstance(value, int | float)):
            raise Invalid(f"{table} row {number}: {column} is not text, a number or null; nothing was changed")
        elif (isinstance(value, int) and not -(2**63) <= value < 2**63) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            raise Invalid(f"{table} row {number}: {column} is a number too big for the notebook; nothing was changed")
        values.append(value)
    return tuple(values)
