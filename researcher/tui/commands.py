"""Command palette (ctrl+p): jump to any company or person by name, accents and case aside."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from researcher.text import clean_line, fold


def _folded(label: str) -> tuple[str, list[int]]:
    """The label folded as names are compared (accents and case aside), and where each folded
    character came from in the label ("ß" folds to "ss": both point at the one "ß")."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(label):
        for folded in fold(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _match(matcher: Matcher, label: str) -> tuple[float, Content]:
    """Score the label against the query with accents and case ignored, and highlight the matched
    letters of the label as written. Built from plain text: Matcher.highlight parses markup."""
    key, origin = _folded(label)
    score, offsets = matcher.fuzzy_search.match(fold(matcher.query), key)
    content = Content(label)
    for index in sorted({origin[offset] for offset in offsets}) if score else ():
        if not label[index].isspace():
            content = content.stylize(matcher.match_style, index, index + 1)
    return score, content


def _highlight(matcher: Matcher, label: str) -> Content:
    return _match(matcher, label)[1]


class JumpProvider(Provider):
    """Companies and people as palette entries; names are untrusted and shown as plain Text."""

    async def startup(self) -> None:
        nb = self.app.nb
        self.entries = [("Company", c.id, clean_line(c.name), clean_line(c.sector)) for c in nb.companies()]
        # Bounded, so a notebook of 50,000 people opens the palette instantly; search queries SQL.
        self.entries += [("Person", p.id, clean_line(p.name), clean_line(p.company)) for p in nb.people(limit=2000)]

    def _open(self, kind: str, entity_id: int) -> None:
        if kind == "Company":
            self.app.open_company(entity_id)
        else:
            self.app.open_person(entity_id)

    async def discover(self) -> Hits:
        for kind, entity_id, name, detail in self.entries[:40]:
            yield DiscoveryHit(
                Text(f"{kind}: {name}"),
                partial(self._open, kind, entity_id),
                text=f"{kind}: {name}",
                help=escape(detail) or None,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        entries = list(self.entries)
        if len(query) >= 2:  # people beyond the preloaded ones, straight from SQL
            known = {(k, i) for k, i, _, _ in entries}
            for p in self.app.nb.people(query=query, limit=50):
                if ("Person", p.id) not in known:
                    entries.append(("Person", p.id, clean_line(p.name), clean_line(p.company)))
        for kind, entity_id, name, detail in entries:
            label = f"{kind}: {name}"
            score, shown = _match(matcher, label)
            if score > 0:
                yield Hit(
                    score,
                    shown,
                    partial(self._open, kind, entity_id),
                    text=label,
                    help=escape(detail) or None,
                )  # the palette parses help as markup
