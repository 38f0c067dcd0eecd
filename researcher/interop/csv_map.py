"""Reading untrusted CSV files: the header found under any preamble, cells cleaned and capped, dates in their formats."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.text import clean_line, clean_text, quoted

# A cell longer than this is cut (a summary or a message may be long; a name never is).
MAX_CELL = 100_000
# How many rows may come before the header (LinkedIn's "Notes:" preamble is two or three).
MAX_PREAMBLE_ROWS = 20
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


class BadImportFile(Invalid):
    """A file that cannot be imported; the message names the file and the row."""


@dataclass
class Row:
    """One data row: cells by lower-case column name, and the line where the row starts."""

    cells: dict[str, str]
    line: int

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def empty(self) -> bool:
        return not any(value.strip() for value in self.cells.values())


@dataclass
class Table:
    """A CSV file read: its name (for messages), its header (lower case) and its rows."""

    name: str
    header: list[str]
    rows: list[Row]

    def error(self, row: Row | None, message: str) -> BadImportFile:
        where = f"{self.name} line {row.line}" if row else self.name
        return BadImportFile(f"{where}: {message}")


def decode(data: bytes) -> str:
    """UTF-8 text without its BOM; a bad byte becomes U+FFFD rather than an error."""
    return data.decode("utf-8-sig", errors="replace")


def _reader(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells), CRLF and quoted newlines handled by csv."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadImportFile(f"line {reader.line_num}: {exc}") from None
        yield start, cells
        start = reader.line_num + 1


def read_table(name: str, text: str, wanted: set[str] | None, delimiter: str = ",") -> Table | None:
    """The table under the first row holding every column of `wanted` (the first row when None); None if no such
    header comes within the preamble's length."""
    rows = _reader(text, delimiter)
    try:
        for index, (_, cells) in enumerate(rows):
            header = [clean_line(c).lower() for c in cells]
            if (wanted is None and any(header)) or (wanted and wanted <= set(header)):
                break
            if index >= MAX_PREAMBLE_ROWS:
                return None
        else:
            return None
        body = []
        for line, cells in rows:
            if not cells:  # a blank line
                continue
            body.append(Row({h: cells[i] if i < len(cells) else "" for i, h in enumerate(header) if h}, line))
    except BadImportFile as exc:
        raise BadImportFile(f"{name} {exc}") from None
    return Table(name, header, body)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (spreadsheets set to German or French) or tab: the one the header line uses most."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def cell(value: str | None, limit: int = v.MAX_LINE) -> str:
    """An untrusted cell as one plain line, cut to `limit` characters."""
    return clean_line((value or "")[: limit * 4])[:limit].strip()


def text_cell(value: str | None, limit: int = MAX_CELL) -> str:
    """An untrusted multi-line cell as plain text, cut to `limit` characters."""
    return clean_text((value or "")[: limit * 4]).strip()[:limit]


def _year(value: int) -> int:
    if not v.MIN_YEAR <= value <= v.MAX_YEAR:
        raise ValueError(value)
    return value


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(value: str) -> str | None:
    """A day as YYYY-MM-DD from `12 Mar 2024`, `2024-03-12`, `12.03.2024` or `03/12/2024` (US); None when empty;
    ValueError when it is none of these."""
    value = value.strip()
    if not value:
        return None
    if m := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = int(m[1]), MONTHS[m[2].lower()], int(m[3])
    elif m := _ISO_DAY.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DOTTED_DAY.fullmatch(value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _SLASHED_DAY.fullmatch(value):
        month, day, year = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(value)
    return datetime(_year(year), month, day).strftime("%Y-%m-%d")


_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{4})")
_YEAR = re.compile(r"\d{4}")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str, end: bool = False) -> str | None:
    """A career month as YYYY-MM from `Mar 2020`, `2020-03` or a year alone (January as a start, December as an end);
    None when empty; ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    if m := _MONTH_YEAR.fullmatch(value):
        month, year = MONTHS[m[1].lower()], int(m[2])
    elif m := _ISO_MONTH.fullmatch(value):
        year, month = int(m[1]), int(m[2])
    elif _YEAR.fullmatch(value):
        year, month = int(value), 12 if end else 1
    else:
        raise ValueError(value)
    if not 1 <= month <= 12:
        raise ValueError(value)
    return f"{_year(year):04d}-{month:02d}"


_US_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),? +(\d{1,2}):(\d{2})(?::(\d{2}))? *([AaPp][Mm])?")
_UTC_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?: ?(?:UTC|Z|\+00:?00))?")


def parse_time(value: str) -> str:
    """A time as ISO 8601 UTC from `1/29/26, 2:37 PM` or `2023-06-11 15:33:58 UTC` (or a day alone); ValueError
    otherwise."""
    value = value.strip()
    if m := _US_TIME.fullmatch(value):
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
        if m[7]:
            if not 1 <= hour <= 12:
                raise ValueError(value)
            hour = hour % 12 + (12 if m[7].lower() == "pm" else 0)
    elif m := _UTC_TIME.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
    else:
        day_only = parse_day(value)
        if day_only is None:
            raise ValueError(value)
        return day_only + "T00:00:00Z"
    return datetime(_year(year), month, day, hour, minute, second).strftime("%Y-%m-%dT%H:%M:%SZ")


def bad_date(table: Table, row: Row, column: str, example: str) -> BadImportFile:
    return table.error(row, f"bad date {quoted(row.get(column))} in {column!r} (expected like {example})")


# -- the generic import: any contacts CSV, its columns named by a mapping ------------------------------------------

FIELDS = (
    "first_name",
    "last_name",
    "name",
    "company",
    "title",
    "url",
    "email",
    "phone",
    "location",
    "headline",
    "connected_on",
)


def parse_mapping(spec: str) -> dict[str, str]:
    """`"Vorname=first_name,Firma=company"` as {field: column (lower case)}; Invalid naming what is wrong."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        column, sep, field = part.rpartition("=")
        column, field = clean_line(column).lower(), clean_line(field).lower()
        if not sep or not column or not field:
            raise Invalid(f"--map: {quoted(part)} is not COLUMN=FIELD")
        if field not in FIELDS:
            raise Invalid(f"--map: unknown field {quoted(field)}; one of {', '.join(FIELDS)}")
        if field in mapping:
            raise Invalid(f"--map: {field} is mapped twice")
        mapping[field] = column
    if not ({"name", "first_name", "last_name"} & set(mapping)):
        raise Invalid("--map must name the column of the name (name, or first_name and last_name)")
    return mapping
