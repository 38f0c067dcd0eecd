"""Known glossary terms highlighted in text the reader reads: styled spans on the plain text, never markup.

A term matches whole words only, case and accents folded as the glossary folds them ("Zahlwerk-Quote" in a
summary matches the term "zahlwerk quote"; "Anne" never matches inside "Annex"). The longest term wins where
terms overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.markdown import Heading, Markdown, Paragraph
from rich.text import Text

from researcher.store.mentions import WORD, fold_words

TERM_STYLE = "underline cyan"


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of each word of `text`, positions in `text` itself."""
    if text.isascii():  # folding keeps every position: one pass
        return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text.lower())]
    out = []
    for m in WORD.finditer(text):
        folded = "".join(WORD.findall(fold_words(m.group())))
        if folded:
            out.append((folded, m.start(), m.end()))
    return out


class Glossary:
    """The terms to find: a trie of their folded words, walked from each word of a text that starts one."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.root: dict[str | None, Any] = {}
        for term in terms:
            words = [w for w, _, _ in _tokens(term)]
            if not words:
                continue
            node = self.root
            for word in words:
                node = node.setdefault(word, {})
            node[None] = True

    def __bool__(self) -> bool:
        return bool(self.root)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every term found in `text`, in order, none overlapping."""
        if not self.root:
            return []
        tokens = _tokens(text)
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            node, j, end = self.root, i, -1
            while j < len(tokens):
                node = node.get(tokens[j][0])
                if node is None:
                    break
                j += 1
                if None in node:
                    end = j
            if end > 0:
                found.append((tokens[i][1], tokens[end - 1][2]))
                i = end
            else:
                i += 1
        return found

    def stylize(self, text: Text, style: str = TERM_STYLE) -> Text:
        """Style the terms found in `text` (in place; returned for chaining)."""
        for start, end in self.spans(text.plain):
            text.stylize(style, start, end)
        return text


def glossary_of(terms: Iterable[Any], company_id: int | None = None) -> Glossary:
    """The glossary a company's text is read with: its own terms and the global ones (every term if None)."""
    return Glossary(t.term for t in terms if company_id is None or t.company_id is None or t.company_id == company_id)


class _Glossed:
    """Mixed into a Markdown element: its text is stylized with the glossary of the Markdown it belongs to."""

    glossary: Glossary | None = None

    @classmethod
    def create(cls, markdown: Markdown, token: Any):
        element = super().create(markdown, token)  # type: ignore[misc]
        element.glossary = getattr(markdown, "glossary", None)
        return element

    def __rich_console__(self, console, options):
        if self.glossary:
            self.glossary.stylize(self.text)  # type: ignore[attr-defined]
        yield from super().__rich_console__(console, options)  # type: ignore[misc]


class _Paragraph(_Glossed, Paragraph):
    pass


class _Heading(_Glossed, Heading):
    pass


def highlight_markdown(markdown: Markdown, glossary: Glossary | None) -> Markdown:
    """Have a Markdown renderable highlight the glossary's terms in its paragraphs and headings (a fenced code
    block stays as written). The spans go on the text Rich parsed, so the note's own characters are never read as markup."""
    if glossary:
        markdown.glossary = glossary  # type: ignore[attr-defined]
        markdown.elements = {**type(markdown).elements, "paragraph_open": _Paragraph, "heading_open": _Heading}
    return markdown
