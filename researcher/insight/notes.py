"""Notes as read in lists: the Markdown parser every face uses, and a note's first line as plain text."""

from __future__ import annotations

from markdown_it import MarkdownIt

from researcher.text import clean_line, clean_text

# Notes are untrusted (pasted, imported): raw HTML stays text, and links are never clickable.
NOTE_PARSER = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")


def first_line(body: str | None) -> str:
    """A note's first line as plain text, its Markdown marks (`**`, `#`, `-`, links) taken off."""
    text = clean_text(body or "").strip()
    if not text:
        return ""
    line = text.splitlines()[0]
    for token in NOTE_PARSER.parse(line):
        if token.type == "inline" and token.children is not None:
            words = "".join(
                child.content
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "html_inline")
            )
            if words.strip():
                return clean_line(words)
    return clean_line(line)
