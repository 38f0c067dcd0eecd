"""Cleaning of untrusted text: no control characters, no bidi overrides, no escape sequences."""

from __future__ import annotations

import re
import unicodedata

# ANSI/VT escape sequences (CSI, OSC, DCS/PM/APC and two-byte escapes), 7-bit and 8-bit forms.
_ESCAPE_SEQ = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]          # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])   # OSC, DCS, SOS, PM, APC ...
    .*?(?:\x07|\x1b\\|\x9c|$)                 # ... up to BEL or ST (or end)
  | \x1b[@-Z\\-_]                             # other two-byte escapes
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates (Trojan Source), marks, BOM, and the noncharacters U+FFFE/U+FFFF.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]+")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (argv, os.environ, file names use
# surrogateescape). SQLite cannot store them (UnicodeEncodeError), no terminal can show them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Anything the patterns above (or the CR fix-up) would touch; one class, so checking it costs one scan.
_ANY_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufffe\uffff\ud800-\udfff]"
)


def clean_text(value: str | None) -> str:
    """Return multi-line untrusted text with escape sequences, controls and bidi overrides removed."""
    if not value:
        return ""
    value = str(value)
    # Fast path: most text has nothing to remove (this runs on every stored feed entry).
    if _ANY_UNSAFE.search(value):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = _ESCAPE_SEQ.sub("", value)
        value = _CONTROL.sub("", value)
        value = _BIDI.sub("", value)
        if _SURROGATE.search(value):
            value = _replace_surrogates(value)
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def _replace_surrogates(value: str) -> str:
    """Each lone surrogate becomes U+FFFD (as `errors="replace"` would have made of the bad byte); a high-low
    pair, which some producers leave split, becomes the character it encodes."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_line(value: str | None) -> str:
    """Return untrusted text as one clean line: cleaned, newlines and runs of blanks folded to one space."""
    value = clean_text(value)
    if "\n" in value or "\t" in value:
        value = value.replace("\n", " ").replace("\t", " ")
    if "  " in value:  # (a single space between words is what nearly every line has)
        value = _SPACES.sub(" ", value)
    return value.strip()


def quoted(value: object, limit: int = 60) -> str:
    """`value` as an error message may echo it: cleaned, on one line, quoted, cut to `limit` characters with "…".

    Only the head of the value is cleaned, so a 50 MB argument costs no more than a short one.
    """
    try:
        raw = str(value)
    except ValueError:  # an int of more than 4,300 digits has no str()
        return "a number too long to show"
    head = clean_line(raw[: limit * 2 + 16])
    if len(head) > limit or len(raw) > limit * 2 + 16:
        head = head[:limit].rstrip() + "…"
    return repr(head)


# Letters that carry no combining mark in Unicode but that a user types without their stroke.
_STROKES = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(value: str) -> str:
    """Case- and accent-insensitive key for comparing names ("Société" == "societe")."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_STROKES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
