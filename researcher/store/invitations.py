"""Invitation drafts: one per person, written by hand, marked sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from researcher.store import validate as v
from researcher.store.errors import Invalid
from researcher.store.models import Record
from researcher.store.schema import CHANNELS

# Sending an invitation never moves a person back down the pipeline: someone you
# already met does not become "invited" again.
_PAST_INVITED = ("connected", "met", "referred")
_SUMMARY_WORDS = 8


@dataclass
class Invitation(Record):
    id: int
    person_id: int
    text: str
    status: str = "draft"  # draft | sent
    network: str | None = None
    created_at: str = ""
    updated_at: str = ""
    sent_at: str | None = None
    person_name: str | None = None
    person_slug: str | None = None

    @property
    def sent(self) -> bool:
        return self.status == "sent"


def _first_words(text: str, count: int = _SUMMARY_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


class InvitationQueries:
    """Mixed into Notebook; uses its _rows/_one/_resolve helpers."""

    _INVITATION_SELECT = """
        SELECT i.*, p.name AS person_name, p.slug AS person_slug
        FROM invitations i JOIN people p ON p.id = i.person_id
    """

    def _invitation_by_id(self, invitation_id: int) -> Invitation:
        return Invitation.from_row(self._one(self._INVITATION_SELECT + " WHERE i.id = ?", [invitation_id]))

    def _draft_row(self, person_id: int) -> dict[str, Any] | None:
        # One draft per person is the rule; should an older notebook hold several, the newest wins.
        return self._one(
            "SELECT * FROM invitations WHERE person_id = ? AND status = 'draft' ORDER BY id DESC LIMIT 1",
            [person_id],
        )

    @staticmethod
    def _network(network: str | None) -> str | None:
        return v.choice(network, CHANNELS, "network")

    def invitation(self, person: str | int) -> Invitation | None:
        """The person's current draft, else the last invitation sent to them, else None."""
        person_id = self._resolve("people", person, "person")["id"]
        row = self._one(
            self._INVITATION_SELECT + " WHERE i.person_id = ?"
            " ORDER BY i.status = 'draft' DESC, ifnull(i.sent_at, '') DESC, i.id DESC LIMIT 1",
            [person_id],
        )
        return Invitation.from_row(row) if row else None

    def invitations_of(self, person: str | int) -> list[Invitation]:
        """Every invitation to a person: the draft first, then those sent, newest first."""
        person_id = self._resolve("people", person, "person")["id"]
        rows = self._rows(
            self._INVITATION_SELECT + " WHERE i.person_id = ?"
            " ORDER BY i.status = 'draft' DESC, ifnull(i.sent_at, '') DESC, i.id DESC",
            [person_id],
        )
        return [Invitation.from_row(r) for r in rows]

    def save_invitation(self, person: str | int, text: str, network: str | None = None) -> Invitation:
        """Write the person's draft: updates the existing one, else starts it. Empty text is refused."""
        person_row = self._resolve("people", person, "person")
        body = v.text(text, "invitation", v.MAX_SUMMARY)
        if not body:
            raise Invalid(f"an invitation must not be empty (to {person_row['name']})")
        chosen = self._network(network)
        stamp = v.now()
        with self.db.atomic():
            draft = self._draft_row(person_row["id"])
            if draft is None:
                invitation_id = (
                    self.db["invitations"]
                    .insert(
                        {
                            "person_id": person_row["id"],
                            "network": chosen,
                            "text": body,
                            "status": "draft",
                            "created_at": stamp,
                            "updated_at": stamp,
                        }
                    )
                    .last_pk
                )
            else:
                invitation_id = draft["id"]
                values: dict[str, Any] = {"text": body, "updated_at": stamp}
                if chosen is not None:  # no --network keeps the one already chosen
                    values["network"] = chosen
                self.db["invitations"].update(invitation_id, values)
        return self._invitation_by_id(invitation_id)

    def mark_invitation_sent(
        self, person: str | int, network: str | None = None, when: str | None = None
    ) -> Invitation:
        """Mark the draft sent, in one transaction: the invitation, an interaction, the approach status.

        The interaction goes on the invitation's network (LinkedIn when none was said); the
        approach status becomes "invited" unless the person is already further along
        (connected, met, referred).
        """
        person_row = self._resolve("people", person, "person")
        person_id = person_row["id"]
        chosen = self._network(network)
        sent_at = v.timestamp(when, "when")
        with self.db.atomic():
            draft = self._draft_row(person_id)
            if draft is None:
                raise Invalid(f"no invitation drafted for {person_row['name']}")
            channel = chosen or draft["network"] or "linkedin"
            self.db["invitations"].update(
                draft["id"], {"status": "sent", "sent_at": sent_at, "network": channel, "updated_at": v.now()}
            )
            approach = self._one("SELECT status FROM approach WHERE person_id = ?", [person_id])
            if approach is None or approach["status"] not in _PAST_INVITED:
                self.set_approach(person_id, status="invited", at=sent_at)
            self.add_interaction(
                person_id,
                channel=channel,
                summary=f"Invitation sent: {_first_words(draft['text'])}",
                direction="out",
                when=sent_at,
            )
        return self._invitation_by_id(draft["id"])
