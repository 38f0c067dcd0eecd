"""Invitation drafts: one per person, written by hand, marked sent."""

from __future__ import annotations


class InvitationQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""
