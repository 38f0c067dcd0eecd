"""Validation of user input shared by the CLI and the TUI; every failure is one clear line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from researcher.store.errors import Invalid
from researcher.text import clean_line

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def now() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def required(value: str | None, what: str) -> str:
    text = clean_line(value)
    if not text:
        raise Invalid(f"{what} must not be empty")
    return text


def optional(value: str | None) -> str | None:
    text = clean_line(value)
    return text or None


def month(value: str | None, what: str = "date") -> str | None:
    """A career date: YYYY-MM (month precision). Empty means open."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    m = _MONTH.match(value)
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise Invalid(f"{what} must be YYYY-MM (e.g. 2021-09), not {value!r}")
    return value


def day(value: str | None, what: str = "date") -> str | None:
    """A calendar date, YYYY-MM-DD."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_day(value, what)
    except ValueError:
        return _bad_day(value, what)


def _bad_day(value: str, what: str):
    raise Invalid(f"{what} must be YYYY-MM-DD (e.g. 2026-12-01), not {value!r}")


def timestamp(value: str | None, what: str = "date") -> str:
    """A point in time: YYYY-MM-DD or a full ISO 8601 timestamp, returned as UTC ISO text."""
    if value is None or not str(value).strip():
        return now()
    value = str(value).strip()
    try:
        if len(value) == 10:
            parsed = datetime.fromisoformat(value).replace(tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
    except ValueError:
        raise Invalid(f"{what} must be YYYY-MM-DD or an ISO 8601 time, not {value!r}") from None
    utc = parsed.astimezone(UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


def url(value: str | None, what: str = "URL") -> str | None:
    """An http(s) URL, or None when empty."""
    text = clean_line(value)
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise Invalid(f"{what} must be an http(s) URL, not {text!r}")
    return text


def email(value: str | None) -> str | None:
    text = clean_line(value)
    if not text:
        return None
    if not _EMAIL.match(text):
        raise Invalid(f"email must look like name@example.org, not {text!r}")
    return text


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().lower()
    for candidate in (text, text.replace("_", " "), text.replace(" ", "_"), text.replace("-", " ")):
        if candidate in allowed:
            return candidate
    raise Invalid(f"{what} must be one of: {', '.join(allowed)} (not {value!r})")


def integer(value, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{what} must be a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise Invalid(f"{what} must be from {low} to {high}, not {number}")
    return number
