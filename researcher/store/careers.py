"""Queries behind career-path studies: who holds or held a role, and what came before."""

from __future__ import annotations


class CareerQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""
