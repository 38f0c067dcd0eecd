"""Vocabulary: the glossary, suggestions mined from a company's news (hand-made corpora whose distinctive terms
are known), stopwords of each language, dismissals that never come back, and the drill order."""

from __future__ import annotations

import sqlite3
from unittest import mock

import pytest

from researcher.insight import vocabulary
from researcher.insight.vocabulary import (
    accept_suggestion,
    detect_languages,
    dismiss_suggestion,
    drill_order,
    stopwords,
    suggest_terms,
)
from researcher.store import Invalid, Notebook, NotFound
from researcher.store.mentions import words
from researcher.sync.parse import Entry

GENERIC = [
    (
        "{c} announces a new platform for customers",
        "The team says growth was strong this quarter. Customers like the new platform.",
    ),
    ("{c} is hiring", "The team is growing and hiring engineers. The company announces new offices for customers."),
    ("Quarterly update from {c}", "Growth continued this quarter with new customers and a stronger team."),
    ("{c} partners with a bank", "The partnership brings the platform to more customers, the company announces."),
]
ZAHLWERK = [
    (
        "Ledgerkern keeps entries balanced",
        "Every payment is a double entry in Ledgerkern. The Ledgerkern team announces audits.",
    ),
    ("SEPA payouts in seconds", "A payout batch now settles through SEPA in seconds. Customers see each payout batch."),
    ("New licence for e-money", "Zahlwerk received a licence for e-money; the licences cover every EU country."),
    (
        "Reporting reads from Ledgerkern",
        "Finance reads the Ledgerkern balances; SEPA mandates are checked in each payout batch.",
    ),
    ("Zahlwerk is hiring", "The team is hiring engineers for Ledgerkern and SEPA. Growth was strong this quarter."),
]

_serial = iter(range(1, 10**6))


def store(nb, company: str, items: list[tuple[str, str]]) -> None:
    slug = nb.company(company).slug
    feed = nb.add_feed(slug, f"https://{slug}.example/feed-{next(_serial)}.xml")
    entries = []
    for title, summary in items:
        n = next(_serial)
        entries.append(Entry(f"e{n}", title.format(c=company), summary, None, "2026-11-01T08:00:00Z", f"h{n}"))
    nb.save_fetch(feed.id, entries)


@pytest.fixture
def corpus(nb):
    nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
    store(nb, "Zahlwerk GmbH", ZAHLWERK)
    for name in ("Acme Payments", "Borealis Bank", "Cobalt Pay"):
        nb.add_company(name, sector="Fintech")
        store(nb, name, GENERIC * 2)
    return nb


def terms_of(found) -> list[str]:
    return [s.term for s in found.suggestions]


def test_the_distinctive_terms_of_a_hand_made_corpus_come_first(corpus):
    found = suggest_terms(corpus, "zahlwerk-gmbh", limit=5)
    assert found.languages == ["en"]
    assert set(terms_of(found)) >= {"Ledgerkern", "SEPA", "payout batch", "licence"}
    for generic in ("platform", "customers", "team", "growth", "announces", "hiring", "quarter"):
        assert generic not in {s.key for s in suggest_terms(corpus, "zahlwerk-gmbh", limit=100).suggestions}
    ledgerkern = next(s for s in found.suggestions if s.term == "Ledgerkern")
    assert (ledgerkern.count, ledgerkern.items, ledgerkern.elsewhere, ledgerkern.kind) == (6, 3, 0, "word")
    assert "Ledgerkern" in ledgerkern.example and ledgerkern.item_title
    assert next(s for s in found.suggestions if s.term == "SEPA").kind == "acronym"
    assert next(s for s in found.suggestions if s.term == "payout batch").kind == "phrase"


def test_inflections_fold_into_one_suggestion(corpus):
    found = suggest_terms(corpus, "zahlwerk-gmbh", limit=100)
    licence = [s for s in found.suggestions if s.key == "licence"]
    assert len(licence) == 1 and (licence[0].count, licence[0].items) == (3, 1)  # "licence" twice, "licences" once
    assert not [s for s in found.suggestions if s.key in ("licences", "payout batches", "payout")]


def test_the_company_s_own_name_and_the_people_named_are_no_vocabulary(corpus):
    corpus.add_person("Marta Ledgerkern")  # a (fictional) person whose surname is the product's name
    store(corpus, "Zahlwerk GmbH", [("Marta Ledgerkern joins", "Marta Ledgerkern joins Zahlwerk.")])
    keys = {s.key for s in suggest_terms(corpus, "zahlwerk-gmbh", limit=100).suggestions}
    assert "zahlwerk" not in keys and "marta" not in keys and "ledgerkern" not in keys


def test_known_terms_are_not_suggested_and_accepting_one_adds_it_with_its_example(corpus):
    corpus.add_glossary_term("ledgerkern", company="zahlwerk-gmbh", meaning="the ledger")
    assert "Ledgerkern" not in terms_of(suggest_terms(corpus, "zahlwerk-gmbh", limit=100))
    term = accept_suggestion(corpus, "zahlwerk-gmbh", "SEPA", meaning="Single Euro Payments Area")
    assert (term.term, term.definition, term.company) == ("SEPA", "Single Euro Payments Area", "Zahlwerk GmbH")
    assert "SEPA" in term.example and term.seen_in.startswith("news: ")
    assert "SEPA" not in terms_of(suggest_terms(corpus, "zahlwerk-gmbh", limit=100))
    with pytest.raises(NotFound, match="not among the suggestions"):
        accept_suggestion(corpus, "zahlwerk-gmbh", "platform")


def test_a_known_terms_own_phrases_give_way_to_it_unless_they_are_most_of_its_uses(corpus):
    """Once "Freightly" is in the glossary, "launches Freightly" and "Freightly now serves" are no new vocabulary
    (they hold it in a few of its uses: they filled the list of the big notebook's biggest company, whose product
    was known); "Freightly Cloud", which holds most of them, is a name of its own."""
    items = [
        ("Zahlwerk launches Freightly", "Freightly now serves ports."),
        ("Freightly now serves rail", "Zahlwerk launches Freightly in Spain."),
        ("Freightly now serves airports", "A quiet quarter for Freightly."),
    ]
    items += [(f"Freightly Cloud update {n}", "Freightly Cloud gets faster.") for n in range(8)]
    store(corpus, "Zahlwerk GmbH", items)
    corpus.add_glossary_term("Freightly", company="zahlwerk-gmbh", meaning="the freight product")
    after = {s.key for s in suggest_terms(corpus, "zahlwerk-gmbh", limit=200).suggestions}
    assert not after & {"freightly", "launch freightly", "freightly now serve"}
    assert "freightly cloud" in after


def test_a_known_terms_phrases_take_no_place_among_the_candidates_counted_exactly(corpus, monkeypatch):
    """On a big notebook only the best candidates by a sample are counted exactly. A known product name's phrases
    were the best (the product is in most items), took every place, and were then dropped: the list came out
    short, missing the terms that would have come next. They go before the count now."""
    monkeypatch.setattr(vocabulary, "BACKGROUND_SAMPLE", 6)  # a sampled notebook
    monkeypatch.setattr(vocabulary, "EXACTLY_COUNTED", 2)  # two places, counted exactly
    news = "Freightly now serves ports. Freightly grows. Freightly ships."
    store(corpus, "Zahlwerk GmbH", [(f"Zahlwerk launches Freightly {n}", news) for n in range(9)])
    corpus.add_glossary_term("Freightly", company="zahlwerk-gmbh", meaning="the freight product")
    found = terms_of(suggest_terms(corpus, "zahlwerk-gmbh", limit=1))
    assert found and "Freightly" not in found[0]


def test_a_suggestion_shown_can_be_accepted_whatever_the_length_of_the_list(nb, monkeypatch):
    """Accepting looked for the term among 500 suggestions: 2 s on a million items, and a longer list folded
    "Freightly cloud" into the "cloud" it added (a term a third as common), so the one suggestion shown could not
    be accepted. Only the term asked for is scored now."""
    monkeypatch.setattr(vocabulary, "BACKGROUND_SAMPLE", 10)  # a sampled notebook: the best are counted exactly
    monkeypatch.setattr(vocabulary, "EXACTLY_COUNTED", 2)
    nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
    letters = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
    store(
        nb,
        "Zahlwerk GmbH",
        [("Freightly cloud ships", "Fast."), ("Freightly cloud update", "Faster.")]
        + [(f"{w.title()} cloud", "") for w in letters],
    )
    for name in ("Acme Payments", "Borealis Bank", "Cobalt Pay"):
        nb.add_company(name, sector="Fintech")
        store(nb, name, GENERIC * 2 + [("Cloud talk", "The cloud again.")] * 5)
    assert terms_of(suggest_terms(nb, "zahlwerk-gmbh", limit=1)) == ["Freightly cloud"]
    counted: list[str] = []
    count = Notebook.phrase_doc_counts
    monkeypatch.setattr(Notebook, "phrase_doc_counts", lambda self, p, *a: counted.extend(p) or count(self, p, *a))
    term = accept_suggestion(nb, "zahlwerk-gmbh", "Freightly cloud", meaning="the product's cloud")
    assert term.term == "Freightly cloud" and term.example.startswith("Freightly cloud ")
    assert counted == ["freightly cloud"]  # only the term asked for is counted elsewhere


def test_a_dismissed_term_never_comes_back_whatever_its_inflection(corpus):
    assert dismiss_suggestion(corpus, "zahlwerk-gmbh", "licences") == "licence"
    dismiss_suggestion(corpus, "zahlwerk-gmbh", "Payout batches")
    store(
        corpus,
        "Zahlwerk GmbH",
        [("More licences", "Two licences more, and a licence in Norway. Payout batches too.")] * 3,
    )
    keys = {s.key for s in suggest_terms(corpus, "zahlwerk-gmbh", limit=500).suggestions}
    assert not keys & {"licence", "licences", "payout batch", "payout batchs"}
    # A dismissal is per company.
    corpus.add_company("Other Pay")
    store(corpus, "Other Pay", [("Licences", "A licence and more licences. A payout batch. Payout batches.")] * 3)
    assert "licence" in {s.key for s in suggest_terms(corpus, "other-pay", limit=500).suggestions}


def test_a_company_without_news_gets_no_suggestions(corpus):
    corpus.add_company("Quiet Co")
    found = suggest_terms(corpus, "quiet-co")
    assert found.suggestions == [] and found.items_read == 0


def test_a_phrase_with_a_stopword_inside_is_counted_elsewhere_as_its_outer_words_one_word_apart(nb):
    """The exact count reads the stopword's places in every item ("for" is in most): the loose one does not, and
    counts from above (reversals too), so a suggestion is never ranked higher than it is."""
    nb.add_company("Acme")
    store(
        nb,
        "Acme",
        [
            ("Costs for freight", "Up."),
            ("Costs of freight", "Down."),
            ("Freight costs", "Flat."),
            ("Costs and more freight", "Later."),
            ("Nothing here", "At all."),
        ],
    )
    nb.index_news()
    assert nb.phrase_doc_counts({"costs for freight", "freight costs"}) == {"costs for freight": 1, "freight costs": 1}
    assert nb.phrase_doc_counts({"costs for freight", "freight costs"}, loose={"for"}) == {
        "costs for freight": 3,  # for, of, and the reversal; not two words apart
        "freight costs": 1,  # no middle word: exact
    }


def test_phrase_counts_on_two_connections_are_the_counts_on_one(tmp_path):
    """Half of many phrase counts run on a second connection, in a thread (twice as fast on two processors): the
    same counts; inside a transaction, on one connection only (the other would not see what it wrote)."""
    with Notebook(tmp_path / "nb.db") as nb:
        nb.add_company("Acme")
        store(nb, "Acme", ZAHLWERK + GENERIC)
        nb.index_news()
        phrases = {f"{a} {b}" for a in ("payout", "sepa", "the", "team") for b in ("batch", "payouts", "is", "team")}
        serial = {p: nb.phrase_doc_counts({p})[p] for p in phrases}
        assert len(phrases) >= 8 and any(serial.values())
        opened: list[tuple] = []
        real = sqlite3.connect
        with mock.patch.object(sqlite3, "connect", side_effect=lambda *a, **k: opened.append(a) or real(*a, **k)):
            assert nb.phrase_doc_counts(phrases) == serial
            assert len(opened) == 1 and opened[0][0].endswith("?mode=ro")  # read only
            opened.clear()
            with nb.db.conn:
                nb.db.conn.execute("UPDATE companies SET location = 'Berlin'")  # a transaction is open
                assert nb.phrase_doc_counts(phrases) == serial
            assert opened == []
        # A second connection refused: the counts are made on the first one.
        with mock.patch.object(sqlite3, "connect", side_effect=sqlite3.OperationalError("unable to open")):
            assert nb.phrase_doc_counts(phrases) == serial


def test_the_background_sample_is_drawn_once_while_the_news_stays_the_same(tmp_path, monkeypatch):
    """A second dossier's mining reads and splits no background item again (a third of a mining on a million
    items); news that arrives draws a new sample; and the suggestions are the same either way."""
    monkeypatch.setattr(vocabulary, "BACKGROUND_SAMPLE", 6)  # fewer items than the notebook holds: a sample
    monkeypatch.setattr(vocabulary, "_SAMPLES", {})
    with Notebook(tmp_path / "nb.db") as nb:
        nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
        store(nb, "Zahlwerk GmbH", ZAHLWERK)
        for name in ("Acme Payments", "Borealis Bank", "Cobalt Pay"):
            nb.add_company(name, sector="Fintech")
            store(nb, name, GENERIC * 2)
        drawn = []
        draw = Notebook.background_sample
        monkeypatch.setattr(Notebook, "background_sample", lambda self, *a: drawn.append(a) or draw(self, *a))
        first = suggest_terms(nb, "zahlwerk-gmbh")
        again = suggest_terms(nb, "zahlwerk-gmbh")
        suggest_terms(nb, "acme-payments")
        assert len(drawn) == 1 and first == again and terms_of(first)
        store(nb, "Cobalt Pay", [("Cobalt Pay opens in Lisbon", "A new office.")])
        suggest_terms(nb, "zahlwerk-gmbh")
        assert len(drawn) == 2
    monkeypatch.setattr(vocabulary, "_SAMPLES", {})
    with Notebook(tmp_path / "nb.db") as nb:  # the same notebook, read again without the sample kept
        monkeypatch.setattr(Notebook, "background_sample", draw)
        assert suggest_terms(nb, "zahlwerk-gmbh").suggestions == suggest_terms(nb, "zahlwerk-gmbh").suggestions


# -- languages and their stopwords ---------------------------------------------------------------------------------

CORPORA = {
    "en": [
        (
            "The bank opens a branch in the city",
            "It is the first branch of the bank in the north and it will hire staff there.",
        ),
        (
            "What we have learned about clearing",
            "We have learned that clearing is where most of the cost is, and we are working on it.",
        ),
        (
            "Clearing for the whole region",
            "From today the clearing house of the region settles all of our payments overnight.",
        ),
    ],
    "fr": [
        (
            "La banque ouvre une agence à Lyon",
            "C'est la première agence de la banque dans la région et elle va recruter.",
        ),
        (
            "Ce que nous avons appris sur la compensation",
            "Nous avons appris que la compensation est au cœur de nos coûts et nous y travaillons.",
        ),
        (
            "La compensation pour toute la région",
            "Depuis aujourd'hui la chambre de compensation règle tous nos paiements pendant la nuit.",
        ),
    ],
    "de": [
        (
            "Die Bank eröffnet eine Filiale in Köln",
            "Es ist die erste Filiale der Bank im Rheinland und sie wird dort Personal einstellen.",
        ),
        (
            "Was wir über das Clearing gelernt haben",
            "Wir haben gelernt, dass beim Clearing die meisten Kosten entstehen, und wir arbeiten daran.",
        ),
        (
            "Clearing für die ganze Region",
            "Ab heute wickelt die Clearingstelle der Region alle unsere Zahlungen über Nacht ab.",
        ),
    ],
    "pl": [
        (
            "Bank otwiera oddział w Gdańsku",
            "To pierwszy oddział banku na północy kraju i będzie tam zatrudniał pracowników.",
        ),
        (
            "Czego nauczyliśmy się o rozliczeniach",
            "Nauczyliśmy się, że rozliczenia to większość naszych kosztów, i nad tym pracujemy.",
        ),
        (
            "Rozliczenia dla całego regionu",
            "Od dziś izba rozliczeniowa regionu rozlicza wszystkie nasze płatności w nocy.",
        ),
    ],
    "es": [
        (
            "El banco abre una oficina en Valencia",
            "Es la primera oficina del banco en la región y allí va a contratar personal.",
        ),
        (
            "Lo que hemos aprendido sobre la compensación",
            "Hemos aprendido que la compensación es donde está la mayor parte del coste y trabajamos en ello.",
        ),
        (
            "Compensación para toda la región",
            "Desde hoy la cámara de compensación de la región liquida todos nuestros pagos por la noche.",
        ),
    ],
}


@pytest.mark.parametrize("language", sorted(CORPORA))
def test_stopwords_of_each_language_are_never_suggested(nb, language):
    nb.add_company("Banca", sector="Fintech")
    store(nb, "Banca", CORPORA[language] * 2)
    nb.add_company("Elsewhere")
    store(nb, "Elsewhere", [(t, s) for other, items in CORPORA.items() if other != language for t, s in items[:1]])
    found = suggest_terms(nb, "banca", limit=200)
    assert found.languages[0] == language
    assert found.suggestions, "a corpus with repeated content words has suggestions"
    banned = stopwords((language,))
    for s in found.suggestions:
        assert not banned.intersection(words(s.term)[:1] + words(s.term)[-1:]), (s.term, language)


def test_language_detection_reads_each_language():
    for language, items in CORPORA.items():
        assert detect_languages(f"{t}\n{s}" for t, s in items) == [language]


# -- the glossary ------------------------------------------------------------------------------------------------


def test_glossary_terms_are_added_edited_and_removed_per_company_and_globally(nb):
    nb.add_company("Zahlwerk GmbH")
    term = nb.add_glossary_term(
        "Ledgerkern", company="zahlwerk", meaning="the ledger", seen_in="news", example="It is."
    )
    assert (term.company, term.seen_in, term.example) == ("Zahlwerk GmbH", "news", "It is.")
    glob = nb.add_glossary_term("ATS", meaning="Applicant tracking system")
    assert glob.company is None
    with pytest.raises(Invalid, match="already in this glossary"):
        nb.add_glossary_term("LEDGERKERN", company="zahlwerk")
    nb.add_glossary_term("Ledgerkern")  # the global glossary is another one
    edited = nb.edit_term("ledgerkern", "zahlwerk", new_term="Ledgerkern 2", meaning="v2", example="")
    assert (edited.term, edited.definition, edited.example) == ("Ledgerkern 2", "v2", None)
    assert [t.term for t in nb.terms("zahlwerk", include_global=True)] == ["Ledgerkern 2", "ATS", "Ledgerkern"]
    nb.remove_term("ats")
    with pytest.raises(NotFound, match="no term 'ATS' in the global glossary"):
        nb.term("ATS")


# -- the drill ---------------------------------------------------------------------------------------------------


def test_the_drill_puts_terms_missed_last_time_first_then_new_ones_then_known_ones(nb):
    nb.add_company("Zahlwerk GmbH")
    ids = {t: nb.add_glossary_term(t, company="zahlwerk").id for t in ("Alpha", "Beta", "Gamma", "Delta")}
    nb.record_drill(ids["Alpha"], known=True, at="2026-11-01T08:00:00Z")
    nb.record_drill(ids["Beta"], known=True, at="2026-11-01T08:00:00Z")
    nb.record_drill(ids["Beta"], known=False, at="2026-11-02T08:00:00Z")  # the last answer counts
    nb.record_drill(ids["Gamma"], known=False, at="2026-11-01T08:00:00Z")
    nb.record_drill(ids["Gamma"], known=True, at="2026-11-03T08:00:00Z")
    order = drill_order(nb, "zahlwerk")
    assert [(c.term, c.state) for c in order] == [
        ("Beta", "not yet"),
        ("Delta", "new"),
        ("Alpha", "known"),
        ("Gamma", "known"),
    ]
    assert (order[0].drills, order[0].misses) == (2, 1)


def test_mining_needs_no_network_the_models_ship_with_the_packages(tmp_path):
    """Language model, stopwords and lemma dictionaries load from the installed packages: with every socket
    refused, a fresh process still mines (a download at run time would fail here)."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import socket, sys
        def refused(*args, **kwargs):
            raise OSError("no network in this test")
        socket.socket.connect = socket.socket.connect_ex = refused
        socket.create_connection = socket.getaddrinfo = refused
        sys.path.insert(0, "tests")
        from test_vocabulary import CORPORA, store
        from researcher.store import Notebook
        from researcher.insight.vocabulary import suggest_terms
        nb = Notebook(":memory:")
        for name, language in (("Banca", "fr"), ("Other", "en"), ("Andere", "de")):
            nb.add_company(name)
            store(nb, name, CORPORA[language] * 2)
        found = suggest_terms(nb, "banca")
        print(found.languages[0], len(found.suggestions))
        """
    )
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    language, count = done.stdout.split()
    assert language == "fr" and int(count) > 0
