"""Validation of user input shared by the CLI and the TUI; every failure is one clear line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from researcher.store.errors import Invalid
from researcher.text import clean_line, clean_text, quoted

# How long a field may be, in characters after cleaning. Generous for anything a person writes;
# they stop a pasted file or a hostile import from making one field megabytes (a 50 MB OPML
# attribute once became a company whose name, slug and name key were 52 million characters each).
MAX_NAME = 200  # a company, person, org unit or term
MAX_TITLE = 300  # a position's title, a feed's title
MAX_LINE = 300  # headline, location, sector, phone, how two people know each other, next step, seen in...
MAX_URL = 2_048  # what browsers and servers reliably accept
MAX_EMAIL = 254  # RFC 5321's limit on an address in a mail path
MAX_BODY = 100_000  # a note, a company's description
MAX_DEFINITION = 10_000  # a term's definition
MAX_SUMMARY = 10_000  # what happened in an interaction
# Dates a job seeker's notebook can hold: no career step, interaction or note is in year 9999.
MIN_YEAR, MAX_YEAR = 1900, 2100
# Whole numbers: nothing the notebook counts comes near this; bigger ones are refused unprinted.
MAX_DIGITS = 18

# OPML import: a file of feeds to follow, not a data dump.
MAX_OPML_BYTES = 10 * 1024 * 1024
MAX_OPML_OUTLINES = 10_000  # feeds and folders; as many other elements again at most
MAX_OPML_ATTRIBUTE = MAX_URL  # each attribute the import reads (text, title, xmlUrl, type, researcher:*)

# A value this many times over its limit is refused before it is cleaned: cleaning 50 MB to
# count it would cost time and memory for nothing. (Cleaning shrinks colour codes and such, so
# a value a little over the limit is counted after cleaning.)
_PRECHECK_FACTOR = 4

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The shape of an ISO 8601 time in ASCII digits; datetime.fromisoformat checks the rest.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[Tt ][0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_LONGEST_CHOICE = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def now() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def capped(text: str, what: str, limit: int) -> str:
    """`text` when it has at most `limit` characters; else Invalid naming the field and the limit."""
    if len(text) > limit:
        raise Invalid(f"{what} is {len(text):,} characters; at most {limit:,}")
    return text


def _precheck(value: object, what: str, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit * _PRECHECK_FACTOR:
        capped(value, what, limit)


def line(value: str | None, what: str, limit: int = MAX_LINE) -> str:
    """One clean line, capped; may be empty."""
    _precheck(value, what, limit)
    return capped(clean_line(value), what, limit)


def text(value: str | None, what: str, limit: int = MAX_BODY) -> str:
    """Multi-line text (a note, a description), cleaned, stripped and capped; may be empty."""
    _precheck(value, what, limit)
    return capped(clean_text(value).strip(), what, limit)


def required(value: str | None, what: str, limit: int = MAX_NAME) -> str:
    result = line(value, what, limit)
    if not result:
        raise Invalid(f"{what} must not be empty")
    return result


def optional(value: str | None, what: str = "text", limit: int = MAX_LINE) -> str | None:
    return line(value, what, limit) or None


def _digits_hint(value: str) -> str:
    """A hint for dates typed with other digits ('２０２１-０９' matches \\d but is no date SQLite can sort)."""
    return " in the digits 0-9" if any(c.isdigit() and not c.isascii() for c in value[:64]) else ""


def _in_years(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def month(value: str | None, what: str = "date") -> str | None:
    """A career date: YYYY-MM (month precision). Empty means open."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    m = _MONTH.fullmatch(value)
    if not m or not 1 <= int(m.group(2)) <= 12 or not _in_years(int(m.group(1))):
        raise Invalid(
            f"{what} must be YYYY-MM{_digits_hint(value)} (e.g. 2021-09), from {MIN_YEAR} to {MAX_YEAR},"
            f" not {quoted(value)}"
        )
    return value


def day(value: str | None, what: str = "date") -> str | None:
    """A calendar date, YYYY-MM-DD."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        if _DAY.fullmatch(value):
            parsed = date.fromisoformat(value)
            if _in_years(parsed.year):
                return parsed.isoformat()
    except ValueError:
        pass
    raise Invalid(
        f"{what} must be YYYY-MM-DD{_digits_hint(value)} (e.g. 2026-12-01), from {MIN_YEAR} to {MAX_YEAR},"
        f" not {quoted(value)}"
    )


def timestamp(value: str | None, what: str = "date") -> str:
    """A point in time: YYYY-MM-DD or a full ISO 8601 timestamp, returned as UTC ISO text."""
    if value is None or not str(value).strip():
        return now()
    value = str(value).strip()
    parsed = _iso_time(value) if _TIMESTAMP.fullmatch(value) else None
    if parsed is None:
        raise Invalid(
            f"{what} must be YYYY-MM-DD or an ISO 8601 time{_digits_hint(value)} (e.g. 2026-03-01T14:30+01:00),"
            f" not {quoted(value)}"
        )
    if not _in_years(parsed.year):
        raise Invalid(f"{what} must be from {MIN_YEAR} to {MAX_YEAR}, not {quoted(value)}")
    # In range, so no overflow: 9999-12-31T23:59:59-23:59 is valid ISO but past datetime.max in UTC.
    utc = parsed.astimezone(UTC).replace(microsecond=0)
    if not _in_years(utc.year):
        raise Invalid(f"{what} must be from {MIN_YEAR} to {MAX_YEAR}, not {quoted(value)}")
    return utc.isoformat().replace("+00:00", "Z")


def _iso_time(value: str) -> datetime | None:
    """The time `value` names (UTC when it names no zone); None when it names none."""
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def url(value: str | None, what: str = "URL") -> str | None:
    """An http(s) URL, or None when empty."""
    link = line(value, what, MAX_URL)
    if not link:
        return None
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 (urlsplit parses the port lazily: "http://a:x/" fails only here)
    except ValueError:  # "http://[::1": Invalid IPv6 URL
        raise Invalid(f"{what} is not a valid URL: {quoted(link)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in link:
        raise Invalid(f"{what} must be an http(s) URL, not {quoted(link)}")
    return link


def email(value: str | None) -> str | None:
    address = line(value, "email", MAX_EMAIL)
    if not address:
        return None
    if not _EMAIL.match(address):
        raise Invalid(f"email must look like name@example.org, not {quoted(address)}")
    return address


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value)
    if len(text) <= _LONGEST_CHOICE:  # (no choice is longer; a 50 MB value is not copied four times)
        text = text.strip().lower()
        for candidate in (text, text.replace("_", " "), text.replace(" ", "_"), text.replace("-", " ")):
            if candidate in allowed:
                return candidate
    raise Invalid(f"{what} must be one of: {', '.join(allowed)} (not {quoted(value)})")


def integer(value, low: int, high: int, what: str) -> int:
    """A whole number from `low` to `high`: an int, an integral float, or ASCII digits (never True/False)."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        digits = value.strip()
        if len(digits.lstrip("+-")) > MAX_DIGITS:
            raise Invalid(f"{what} must be from {low} to {high}")
        number = int(digits)
    if number is None:
        raise Invalid(f"{what} must be a whole number from {low} to {high}")
    if not low <= number <= high:
        shown = f", not {number}" if abs(number) < 10**MAX_DIGITS else ""
        raise Invalid(f"{what} must be from {low} to {high}{shown}")
    return number
