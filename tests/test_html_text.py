"""HTML to plain text: the regex walk for simple markup gives exactly what HTMLParser gives."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from researcher.sync.parse import _html_parser_text, _simple_markup, html_to_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from sync_farm import _description_html  # noqa: E402

TAGS = [
    "p",
    "a",
    "b",
    "strong",
    "em",
    "code",
    "ul",
    "ol",
    "li",
    "br",
    "img",
    "div",
    "pre",
    "h2",
    "td",
    "table",
    "tr",
    "span",
    "P",
    "A",
    "LI",
    "script",
    "style",
    "blockquote",
]
ATTRS = ["href", "HREF", "alt", "title", "src", "class", "data-x", "xml:lang"]
VALUES = [
    "https://acme.example/a?x=1&amp;y=2",
    "mailto:jobs@acme.example",
    "/relative",
    "",
    "a &quot;b&quot;",
    "ftp://x",
    "javascript:alert(1)",
    "é &eacute; &#233;",
]
TEXT = st.sampled_from(
    [
        "Hello",
        " world ",
        "\n",
        "  \t ",
        "&amp;",
        "&lt;b&gt;",
        "&eacute;t&eacute;",
        "&nbsp;",
        "a > b",
        "x < y",
        "5 &lt 6",
        "&#x1F600;",
        "\u00a0",
        "Lyon",
        "https://acme.example/a",
        "",
    ]
)


@st.composite
def tag(draw) -> str:
    name = draw(st.sampled_from(TAGS))
    kind = draw(st.sampled_from(["open", "close", "self"]))
    if kind == "close":
        return f"</{name}{draw(st.sampled_from(['', ' ', ' x']))}>"
    attrs = "".join(
        f" {draw(st.sampled_from(ATTRS))}"
        + draw(
            st.sampled_from(
                [
                    "",
                    f'="{draw(st.sampled_from(VALUES))}"',
                    f"='{draw(st.sampled_from(VALUES))}'",
                    f' = "{draw(st.sampled_from(VALUES))}"',
                    "=bare",
                ]
            )
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    return f"<{name}{attrs}{'/' if kind == 'self' else ''}>"


markup = st.lists(
    st.one_of(TEXT, tag(), st.sampled_from(["<!-- c -->", "<", "< p>", "</>", "<?x?>"])), max_size=14
).map("".join)


@settings(max_examples=600, deadline=None)
@given(markup)
def test_the_regex_walk_agrees_with_html_parser(value):
    fast = _simple_markup(value)
    if fast is not None:
        assert fast == _html_parser_text(value)


def test_the_regex_walk_takes_what_feeds_usually_send():
    import random

    rng = random.Random(3)
    for _ in range(300):
        value = _description_html(rng, "acme.example")
        assert _simple_markup(value) == _html_parser_text(value)


def test_html_becomes_readable_text():
    value = (
        '<p>We are <strong>hiring</strong> in <a href="https://acme.example/lyon">Lyon</a>.</p>'
        '<ul><li>Python</li><li>SQL &amp; data</li></ul><p><img src="x.png" alt="team"/><br>Apply now</p>'
    )
    assert html_to_text(value) == (
        "We are hiring in Lyon (https://acme.example/lyon).\n\n• Python\n• SQL & data\n\n[team]\nApply now"
    )
    assert html_to_text("<p>a</p><!-- hidden --><script>alert(1)</script><p>b</p>") == "a\n\nb"
