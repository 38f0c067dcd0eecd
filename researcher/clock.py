"""Today's date in one place, so views that depend on it can be pinned in tests and snapshots."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()


def this_month() -> str:
    """The current month as YYYY-MM (the open end of a current position)."""
    return today().strftime("%Y-%m")
