"""Queries behind warm paths: relationships and shared history as graph edges."""

from __future__ import annotations


class GraphQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""
