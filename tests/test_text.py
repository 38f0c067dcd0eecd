"""Cleaning untrusted text, folding names, and HTML to plain text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from researcher.sync.parse import html_to_text
from researcher.text import clean_line, clean_text, fold

FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Text that mixes ordinary letters with every kind of character a terminal could act on.
nasty_chars = st.one_of(
    st.characters(),
    st.sampled_from(list("\x1b\x9b\x9d\x90\x07\x9c\\[]0123456789;m \t\r\n\u202a\u202e\u2066\u2069\u200fé")),
)
nasty_text = st.text(nasty_chars, max_size=60)


# -- clean_text ---------------------------------------------------------------


def test_clean_text_removes_escape_sequences_and_keeps_the_words():
    assert clean_text("\x1b[31mred\x1b[0m alert") == "red alert"
    assert clean_text("title\x1b]0;pwned\x07 here") == "title here"  # OSC: set the terminal title
    assert clean_text("a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"  # OSC 8 hyperlink


def test_clean_text_removes_c1_controls_and_eight_bit_csi():
    assert clean_text("x\x9b2Jy") == "xy"  # 8-bit CSI "clear screen"
    assert clean_text("a\x85b\x80c") == "abc"


def test_clean_text_removes_bidi_overrides():
    # "Trojan Source": the override would make the text read differently from what is stored.
    assert clean_text("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_text("\u2066isolated\u2069 \u202aembedded\u202c") == "isolated embedded"


def test_clean_text_keeps_newlines_and_tabs_and_normalises_line_ends():
    assert clean_text("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour"


def test_clean_text_normalises_to_nfc_and_keeps_unicode_letters():
    assert clean_text("Socie\u0301te\u0301") == "Société"
    assert clean_text("Łukasz Żółć — 東京 🚀") == "Łukasz Żółć — 東京 🚀"


def test_clean_text_keeps_markup_literally():
    assert clean_text("[b]x[/b] <i>y</i>") == "[b]x[/b] <i>y</i>"


@pytest.mark.parametrize("value", [None, ""])
def test_clean_text_of_nothing_is_empty(value):
    assert clean_text(value) == ""


# -- clean_line ---------------------------------------------------------------


def test_clean_line_makes_one_line_with_single_spaces():
    assert clean_line("  Banque\n\n  Éclair \t SA  ") == "Banque Éclair SA"
    assert clean_line("a\r\nb") == "a b"
    assert clean_line(None) == ""


@given(nasty_text)
def test_clean_line_never_outputs_controls_or_bidi_overrides(value):
    out = clean_line(value)
    assert not FORBIDDEN.search(out), repr(out)
    assert out == out.strip()
    assert "  " not in out


@given(nasty_text)
def test_clean_line_is_idempotent(value):
    once = clean_line(value)
    assert clean_line(once) == once


@given(nasty_text)
def test_clean_text_keeps_only_tab_and_newline_among_controls(value):
    out = clean_text(value)
    assert not FORBIDDEN.search(out.replace("\n", "").replace("\t", "")), repr(out)
    assert "\r" not in out


# -- fold ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Société Générale", "société générale".replace("é", "e")),
        ("Łukasz", "lukasz"),
        ("Zoë", "zoe"),
        ("ZOË", "zoe"),
        ("Søren Ærø", "soren aero"),
        ("Straße", "strasse"),
        ("Đorđe", "dorde"),
        ("Zoe\u0308", "zoe"),  # decomposed input folds the same as composed
    ],
)
def test_fold_ignores_case_and_accents(name, key):
    assert fold(name) == key


def test_fold_keeps_different_names_different():
    assert fold("Lukas") != fold("Łukasz")
    assert fold("Zoë") != fold("Zoé Z")


# -- html_to_text -------------------------------------------------------------


def test_html_to_text_keeps_paragraphs_as_blocks():
    assert html_to_text("<p>First   paragraph.</p><p>Second paragraph.</p>") == "First paragraph.\n\nSecond paragraph."
    assert html_to_text("<h2>Title</h2>Text<br>next line") == "Title\n\nText\nnext line"


def test_html_to_text_joins_the_source_lines_of_a_paragraph():
    # In HTML a newline in the source is a space: a hard-wrapped summary is one paragraph.
    assert html_to_text("<p>We are pleased\nto announce</p>") == "We are pleased to announce"


def test_plain_text_summary_keeps_its_line_breaks():
    assert html_to_text("Line one\nLine two &amp; more") == "Line one\nLine two & more"
    assert html_to_text("<pre>a\n  b</pre>") == "a\nb"  # lines kept (indentation is not)


def test_html_to_text_shows_list_items_as_bullets():
    text = html_to_text("<p>We hire:</p><ul><li>Data engineers</li><li>Designers</li></ul>")
    assert text.splitlines() == ["We hire:", "", "• Data engineers", "• Designers"]


def test_html_to_text_shows_links_as_text_then_url():
    text = html_to_text('<p>Read <a href="https://bank.example/news/1">our news</a> today.</p>')
    assert text == "Read our news (https://bank.example/news/1) today."


def test_html_to_text_does_not_repeat_a_url_shown_as_its_own_text():
    text = html_to_text('<a href="https://bank.example/">https://bank.example/</a>')
    assert text == "https://bank.example/"


def test_html_to_text_hides_unsafe_link_targets():
    text = html_to_text('<a href="javascript:alert(1)">click</a>')
    assert text == "click"


def test_html_to_text_drops_scripts_styles_and_comments():
    html = (
        "<style>p { color: red }</style><p>Visible</p>"
        "<script>alert('x'); document.write('<p>hidden</p>')</script><!-- secret --><p>Also visible</p>"
    )
    text = html_to_text(html)
    assert text == "Visible\n\nAlso visible"


def test_html_to_text_decodes_entities_and_strips_controls():
    assert html_to_text("<p>R&amp;D &eacute;quipe &#x1b;[31m\u202eok</p>") == "R&D équipe [31mok"


def test_html_to_text_passes_plain_text_through():
    assert html_to_text("Just words.") == "Just words."
    assert html_to_text(None) == ""
