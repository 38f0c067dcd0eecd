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
# Anything the three patterns above (or the CR fix-up) would touch.
_ANY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufffe\uffff]")


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
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def clean_line(value: str | None) -> str:
    """Return untrusted text as one clean line: cleaned, newlines and runs of blanks folded to one space."""
    value = clean_text(value)
    if "\n" in value or "\t" in value:
        value = value.replace("\n", " ").replace("\t", " ")
    if "  " in value:  # (a single space between words is what nearly every line has)
        value = _SPACES.sub(" ", value)
    return value.strip()


# Letters that carry no combining mark in Unicode but that a user types without their stroke.
_STROKES = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(value: str) -> str:
    """Case- and accent-insensitive key for comparing names ("Société" == "societe")."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_STROKES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
