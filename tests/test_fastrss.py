"""The RSS 2.0 fast front end gives exactly what feedparser gives, or declines and lets feedparser parse."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from researcher.sync.fastrss import parse_plain
from researcher.sync.parse import _safe_charrefs, normalise, parse_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from sync_farm import make_feed  # noqa: E402  (the benchmark's feeds: the shape the fast path is for)

CORPUS = Path(__file__).resolve().parent / "corpora" / "feedparser-tests"
RSS_HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}


def by_feedparser(data: bytes, headers: dict[str, str]):
    return normalise(
        feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False, sanitize_html=False)
    )


def assert_same(data: bytes, headers: dict[str, str] | None = None) -> bool:
    """If the fast path takes the document, its result equals feedparser's; returns whether it took it."""
    headers = headers or {}
    data = _safe_charrefs(data)
    fast = parse_plain(data, headers)
    if fast is None:
        return False
    assert normalise(fast) == by_feedparser(data, headers)
    return True


def rss(
    items: str,
    channel: str = "<title>Acme news</title><link>https://acme.example/</link>",
    head: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
    rss_attrs: str = 'version="2.0"',
) -> bytes:
    return f"{head}<rss {rss_attrs}><channel>{channel}{items}</channel></rss>".encode()


ITEM = (
    "<item><title>Acme opens in Lyon</title><link>https://acme.example/lyon</link>"
    '<guid isPermaLink="false">acme-1</guid><pubDate>Tue, 03 Nov 2026 09:00:00 +0100</pubDate>'
    "<description>&lt;p&gt;We are &lt;b&gt;hiring&lt;/b&gt; in Lyon.&lt;/p&gt;</description></item>"
)


def test_the_benchmark_farm_goes_through_the_fast_path_with_the_same_result():
    for index in range(40):
        data = make_feed(index, 30, seed=7)
        assert assert_same(data, RSS_HEADERS), f"feed {index} declined"


def test_a_plain_item_is_read_like_feedparser_reads_it():
    data = rss(ITEM)
    assert assert_same(data, RSS_HEADERS)
    parsed = parse_bytes(data, RSS_HEADERS)
    (entry,) = parsed.entries
    assert (parsed.title, parsed.link, parsed.version) == ("Acme news", "https://acme.example/", "rss20")
    assert (entry.entry_id, entry.title, entry.link, entry.published) == (
        "acme-1",
        "Acme opens in Lyon",
        "https://acme.example/lyon",
        "2026-11-03T08:00:00Z",
    )
    assert entry.summary == "We are hiring in Lyon."


@pytest.mark.parametrize(
    "item",
    [
        "<item><guid>https://acme.example/a</guid><title>permalink guid stands in for the link</title></item>",
        '<item><guid isPermaLink="true">https://acme.example/b</guid><link>https://acme.example/c</link></item>',
        "<item><link>https://acme.example/d</link><guid>https://acme.example/e</guid></item>",
        "<item><link></link><guid>https://acme.example/f</guid></item>",
        '<item><guid isPermaLink="True">g</guid></item>',
        "<item><link>https://acme.example/?a=1&amp;amp;b=2&amp;c;d</link></item>",
        "<item><link>http:///acme.example/slashes</link></item>",
        "<item><title>  spaced \n title  </title><description><![CDATA[<ul><li>one</li><li>two</li></ul>]]></description></item>",
        "<item><title>Ã©tÃ© mojibake</title><description>\u0080 cp1252 \u0093quoted\u0094</description></item>",
        "<item><title>&#233;t&#233; &amp; &lt;b&gt;bold&lt;/b&gt;</title></item>",
        "<item><pubDate>not a date</pubDate></item>",
        "<item><pubDate>2026-11-03T09:00:00Z</pubDate></item>",
        "<item></item>",
        "<item><title>a<!--comment-->b<?pi x?>c<![CDATA[<b>]]>d</title></item>",
        "<item><title>   </title><link>  </link><guid isPermaLink='false'>  spaced  </guid></item>",
        "<item><description>line1\r\nline2\ttab</description><link>javascript:alert(1)</link></item>",
        "<item><title>&#x202E;evil \u2028 &#x9b;[31m</title><link>https://x.example/a b</link></item>",
        '<item><author>press@acme.example (Press)</author><category domain="x">jobs</category><comments>https://acme.example/c</comments>'
        '<enclosure url="https://acme.example/a.mp3" length="1" type="audio/mpeg"/><title>extras</title></item>',
    ],
)
def test_odd_items_match_feedparser(item):
    assert assert_same(rss(item), RSS_HEADERS)
    assert assert_same(rss(item + item), RSS_HEADERS)  # duplicate guids told apart the same way


WP = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
    'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
)


@pytest.mark.parametrize(
    "item",
    [
        "<item><title>t</title><description>short</description><content:encoded><![CDATA[<p>full <b>text</b></p>]]>"
        "</content:encoded></item>",
        "<item><content:encoded><![CDATA[<p>full first</p>]]></content:encoded><description>short after</description></item>",
        "<item><content:encoded><![CDATA[<p>only the full text</p>]]></content:encoded></item>",
        "<item><content:encoded></content:encoded><description>empty full text</description></item>",
        "<item><content:encoded>  </content:encoded></item>",
        "<item><title>WordPress</title><link>https://blog.example/p</link><dc:creator><![CDATA[Ana]]></dc:creator>"
        "<pubDate>Tue, 03 Nov 2026 09:00:00 +0000</pubDate><category><![CDATA[Jobs]]></category>"
        '<guid isPermaLink="false">https://blog.example/?p=12</guid><description><![CDATA[Intro&#8230;]]></description>'
        "<content:encoded><![CDATA[<p>Body</p>]]></content:encoded><wfw:commentRss>https://blog.example/p/feed/</wfw:commentRss>"
        "<slash:comments>3</slash:comments></item>",
    ],
)
def test_full_text_items_match_feedparser(item):
    channel = "<title>Blog</title><link>https://blog.example/</link><sy:updatePeriod>hourly</sy:updatePeriod>"
    assert assert_same(rss(item, channel=channel, rss_attrs=f'version="2.0" {WP}'), RSS_HEADERS)


ATOM_HEADERS = {"content-type": "application/atom+xml"}


def atom(
    entries: str,
    feed: str = '<title>Acme</title><link href="https://acme.example/"/><id>urn:acme</id>',
    attrs: str = "",
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"{attrs}>{feed}{entries}</feed>'
    ).encode()


@pytest.mark.parametrize(
    "entry",
    [
        '<entry><title>T</title><link href="https://a.example/1"/><id>urn:1</id><updated>2026-11-03T09:00:00Z</updated>'
        "<summary>S</summary></entry>",
        '<entry><id>https://a.example/2</id><title type="html">&lt;b&gt;B&lt;/b&gt;</title></entry>',  # the id as link
        '<entry><link rel="alternate" type="text/html" href="h1"/><link rel="alternate" href="h2"/><id>x</id></entry>',
        '<entry><link rel="self" href="s"/><link rel="enclosure" href="e"/><id>tag:a.example,2026:3</id></entry>',
        '<entry><link rel="alternate" type="application/pdf" href="p.pdf"/><id>urn:pdf</id></entry>',
        '<entry><content type="html">&lt;p&gt;C&lt;/p&gt;</content><summary>S after</summary></entry>',
        "<entry><content>only content</content><published>2026-11-01T00:00:00+02:00</published></entry>",
        '<entry><author><name>Ana</name><email>a@x</email><uri>https://x</uri></author><category term="jobs"/>'
        "<title>a</title><updated>garbage</updated></entry>",
        '<entry xml:lang="fr"><title xml:lang="fr">Été &amp; hiver</title></entry>',
        '<entry><link href=" https://a.example/sp "/><id> urn:sp </id></entry>',
        "<entry></entry>",
    ],
)
def test_atom_entries_match_feedparser(entry):
    assert assert_same(atom(entry), ATOM_HEADERS)
    assert assert_same(atom(entry + entry), ATOM_HEADERS)


@pytest.mark.parametrize(
    "feed",
    [
        "<id>urn:feed</id><title>no link: the id stands in</title>",
        '<link href="https://l.example/"/><id>urn:feed</id>',
        '<id>urn:feed</id><link rel="self" href="https://l.example/feed"/><link href="https://l.example/"/>'
        '<updated>2026-11-03T09:00:00Z</updated><subtitle type="html">&lt;i&gt;s&lt;/i&gt;</subtitle>'
        '<generator uri="https://g.example" version="1">G</generator><icon>i.png</icon><author><name>A</name></author>',
    ],
)
def test_atom_feed_fields_match_feedparser(feed):
    assert assert_same(atom("<entry><title>e</title></entry>", feed=feed, attrs=' xml:lang="en"'), ATOM_HEADERS)


@pytest.mark.parametrize(
    "data",
    [
        atom('<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></title></entry>'),
        atom('<entry><content type="image/png">aGk=</content></entry>'),
        atom('<entry><content src="https://x.example/c"/></entry>'),
        atom("<entry><link>https://text.example/link</link></entry>"),
        atom("<entry><title>a</title><title>b</title></entry>"),
        atom("<entry><source><title>s</title></source></entry>"),
        atom("<entry><title>t</title></entry>", attrs=' xml:base="https://x.example/"'),
        b'<feed xmlns="http://purl.org/atom/ns#" version="0.3"><title>Atom 0.3</title></feed>',
    ],
)
def test_atom_outside_the_subset_is_left_to_feedparser(data):
    assert parse_plain(data, ATOM_HEADERS) is None
    parse_bytes(data, ATOM_HEADERS)


def test_plain_ascii_served_as_text_xml_is_taken_like_feedparser_takes_it():
    assert assert_same(rss(ITEM), {"content-type": "text/xml"})


def test_channel_extras_match_feedparser():
    channel = (
        "<title>Acme</title><link>https://acme.example/?x=1&amp;y=2</link><description>d</description>"
        "<language>fr-fr</language><image><url>https://acme.example/i.png</url><title>Image title</title>"
        "<link>https://acme.example/image</link></image>"
        '<atom:link href="https://acme.example/feed" rel="self" type="application/rss+xml"/>'
    )
    data = rss(ITEM, channel=channel, rss_attrs='version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"')
    assert assert_same(data, RSS_HEADERS)


@pytest.mark.parametrize(
    "data, headers",
    [
        (rss(ITEM, head='<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]>'), {}),
        (rss(ITEM, rss_attrs='version="0.91"'), {}),
        (rss(ITEM, rss_attrs='version="2.0" xml:base="https://acme.example/"'), {}),
        (rss("<item><title>a</title><title>b</title></item>"), {}),
        (rss("<item><title>a <b>bold</b></title></item>"), {}),
        (rss('<item><media:title xmlns:media="http://search.yahoo.com/mrss/">x</media:title></item>'), {}),
        (
            rss(
                '<item><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">a</content:encoded>'
                '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">b</content:encoded></item>'
            ),
            {},
        ),
        (rss('<item><source url="https://x.example/">X</source></item>'), {}),
        (
            rss(
                ITEM, channel='<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="alternate" href="https://x/"/>'
            ),
            {},
        ),
        (rss(ITEM), {"content-type": "text/plain"}),  # not an XML media type: feedparser flags it
        (rss("<item><title>été</title></item>"), {"content-type": "text/xml"}),  # RFC 3023 says us-ascii: an override
        (rss(ITEM), {"content-location": "https://acme.example/feeds/"}),
        (
            rss(ITEM, head='<?xml version="1.0" encoding="iso-8859-1"?>'),
            {"content-type": "application/xml; charset=utf-16"},
        ),
        (b'<rss version="2.0"><channel><item><title>unclosed</channel></rss>', {}),
        (
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
            b"<channel><title>RSS 1.0</title></channel></rdf:RDF>",
            {},
        ),
        (b"<html><body><rss></rss></body></html>", {}),
    ],
)
def test_anything_outside_the_subset_is_left_to_feedparser(data, headers):
    assert parse_plain(data, headers) is None
    parse_bytes(data, headers)  # and the full parser copes


def test_every_corpus_document_the_fast_path_takes_matches_feedparser():
    taken = sum(assert_same(doc.read_bytes()) for doc in sorted(CORPUS.rglob("*.xml")))
    assert taken > 100  # the subset is not empty in practice: plain RSS 2.0 is common


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


def _xml(value: str) -> str:
    # Characters XML 1.0 cannot carry become spaces (either parser would refuse the whole document).
    return (
        "".join(c if c in "\t\n\r" or 0x20 <= ord(c) < 0xFFFE else " " for c in value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_text,
    link=_text,
    guid=_text,
    permalink=st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']),
    body=_text,
    date=st.sampled_from(["", "Tue, 03 Nov 2026 09:00:00 GMT", "2026-11-03", "garbage"]),
    full=st.one_of(st.none(), _text),
    full_first=st.booleans(),
    with_description=st.booleans(),
)
def test_generated_items_match_feedparser(title, link, guid, permalink, body, date, full, full_first, with_description):
    content = "" if full is None else f"<content:encoded>{_xml(full)}</content:encoded>"
    description = f"<description>{_xml(body)}</description>" if with_description else ""
    item = (
        f"<item><title>{_xml(title)}</title><link>{_xml(link)}</link><guid{permalink}>{_xml(guid)}</guid>"
        f"<pubDate>{date}</pubDate>" + (content + description if full_first else description + content) + "</item>"
    )
    taken = assert_same(
        rss(item, channel=f"<title>{_xml(title)}</title><link>{_xml(link)}</link>", rss_attrs=f'version="2.0" {WP}'),
        RSS_HEADERS,
    )
    assert taken


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_text,
    link=_text,
    ident=_text,
    body=_text,
    full=st.one_of(st.none(), _text),
    kinds=st.tuples(
        st.sampled_from(["", ' type="text"', ' type="html"', ' type="HTML"']),
        st.sampled_from(["", ' type="text"', ' type="html"']),
    ),
    order=st.permutations(["title", "link", "id", "summary", "content", "updated"]),
)
def test_generated_atom_entries_match_feedparser(title, link, ident, body, full, kinds, order):
    parts = {
        "title": f"<title{kinds[0]}>{_xml(title)}</title>",
        "link": f'<link href="{_xml(link).replace(chr(34), "&quot;")}"/>',
        "id": f"<id>{_xml(ident)}</id>",
        "summary": f"<summary{kinds[1]}>{_xml(body)}</summary>",
        "content": "" if full is None else f"<content{kinds[0]}>{_xml(full)}</content>",
        "updated": "<updated>2026-11-03T09:00:00Z</updated>",
    }
    assert assert_same(
        atom(
            "<entry>" + "".join(parts[k] for k in order) + "</entry>",
            feed=f"<title>{_xml(title)}</title><id>{_xml(ident)}</id>",
        ),
        ATOM_HEADERS,
    )
