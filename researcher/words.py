"""Small wording helpers for what the faces print: counts with the right noun."""

from __future__ import annotations


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 company', '2 companies': the count and its noun (plural_form defaults to singular + 's')."""
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"
