"""Untrusted text made safe for display: Rich Text objects, never markup, never control bytes."""

from __future__ import annotations

from rich.text import Text

from researcher.text import clean_line, clean_text


def line(value: object, style: str = "") -> Text:
    """One line of untrusted text, shown literally."""
    return Text(clean_line(None if value is None else str(value)), style=style, no_wrap=True, overflow="ellipsis")


def block(value: object, style: str = "") -> Text:
    """Multi-line untrusted text, shown literally."""
    return Text(clean_text(None if value is None else str(value)), style=style)


def when(stamp: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM' (UTC), or '' when missing."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16]


def span(start: str | None, end: str | None) -> str:
    return f"{start or '?'} – {end or 'now'}"
