"""Hand-written invitations: drafts, marking sent (atomically), and the check of the text."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from researcher.insight.invitations import (
    STOCK_INVITATIONS,
    InvitationContext,
    check,
    context_for,
    find_stock_sentences,
    own_words,
)
from researcher.store import Invalid, Notebook, NotFound

GOOD = (
    "Hi Anna, I read that Zahlwerk is expanding into Poland. I ran the payments data team at "
    "Banque Éclair and would love to hear how your platform copes with it. Best, Jan"
)


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def fill(nb: Notebook) -> Notebook:
    """Me (Jan), and Anna at Zahlwerk, who like me once worked at Banque Éclair and at Kleinbank."""
    nb.add_company("Zahlwerk GmbH", sector="Fintech")
    nb.add_company("Banque Éclair", sector="Fintech")
    me = nb.add_person("Jan Nowak", me=True)
    nb.add_position(me.id, company="banque-eclair", title="Data Engineer", start="2018-01", end="2022-06")
    nb.add_position(me.id, company_name="Kleinbank", title="Intern", start="2016-01", end="2016-06")
    anna = nb.add_person("Anna Schmidt", company="zahlwerk-gmbh", title="Head of Data Platform", start="2022-01")
    nb.add_position(anna.id, company="banque-eclair", title="Data Engineer", start="2017-01", end="2021-12")
    nb.add_position(anna.id, company_name="kleinbank", title="Analyst", start="2015-01", end="2016-12")
    feed = nb.add_feed("zahlwerk-gmbh", "https://zahlwerk.example/feed.xml")
    nb.save_fetch(
        feed.id,
        [
            SimpleNamespace(
                entry_id="1",
                title="Zahlwerk opens an office in Kraków",
                summary="",
                link=None,
                published="2026-03-01T00:00:00Z",
                content_hash="h1",
            ),
            SimpleNamespace(
                entry_id="2",
                title="Zahlwerk raises €30m for its reconciliation engine",
                summary="",
                link=None,
                published="2026-04-01T00:00:00Z",
                content_hash="h2",
            ),
        ],
    )
    nb.add_note("Spoke at PyData about Kubernetes migrations, because she loves sailing.", person=anna.id)
    nb.add_person("Bob Plain")
    return nb


@pytest.fixture
def book(nb: Notebook) -> Notebook:
    return fill(nb)


@pytest.fixture(scope="module")
def ctx() -> InvitationContext:
    """Anna's context, gathered once: the checks only read it."""
    with Notebook(":memory:") as nb:
        return context_for(fill(nb), "anna schmidt")


def bare_ctx(**fields) -> InvitationContext:
    """Only what is given: to check one hook at a time."""
    return InvitationContext(
        name=fields.pop("name", "Anna Schmidt"), first_name=fields.pop("first_name", "Anna"), **fields
    )


# -- the context -------------------------------------------------------------------


def test_context_gathers_what_an_invitation_can_mention(book):
    ctx = context_for(book, "Anna Schmidt")
    assert (ctx.name, ctx.first_name, ctx.company, ctx.title) == (
        "Anna Schmidt",
        "Anna",
        "Zahlwerk GmbH",
        "Head of Data Platform",
    )
    # Tracked by id, untracked by folded name ("kleinbank" == "Kleinbank").
    assert ctx.shared_companies == ["Banque Éclair", "kleinbank"]
    assert ctx.recent_news_titles == [
        "Zahlwerk raises €30m for its reconciliation engine",
        "Zahlwerk opens an office in Kraków",
    ]
    assert ctx.note_words == ["pydata", "kubernetes", "migrations", "sailing"]
    assert not {"about", "because", "she", "spoke", "loves"} & set(ctx.note_words)  # stop, short, generic


def test_context_of_someone_with_no_company_no_news_and_of_me(book):
    bob = context_for(book, "bob plain")
    assert (bob.company, bob.title, bob.shared_companies, bob.recent_news_titles, bob.note_words) == (
        None,
        None,
        [],
        [],
        [],
    )
    assert context_for(book, "jan nowak").shared_companies == []  # not shared with oneself


def test_context_keeps_only_the_last_ten_news_items(book):
    feed = book.feeds("zahlwerk-gmbh")[0]
    book.save_fetch(
        feed.id,
        [
            SimpleNamespace(
                entry_id=f"n{i}",
                title=f"Item {i}",
                summary="",
                link=None,
                published=f"2026-05-{i + 1:02d}T00:00:00Z",
                content_hash=f"x{i}",
            )
            for i in range(12)
        ],
    )
    titles = context_for(book, "anna-schmidt").recent_news_titles
    assert titles == [f"Item {i}" for i in range(11, 1, -1)]


# -- the rules ---------------------------------------------------------------------


def test_a_good_personal_text_passes(ctx):
    assert check(GOOD, ctx) == []


def test_too_short_counts_only_your_own_words(ctx):
    warnings = check("Hi Anna, loved your Zahlwerk talk. Best, Jan", ctx)
    assert codes(warnings) == ["too_short"]
    assert warnings[0].message == "only 4 words of your own — aim for a dozen"
    # Greetings, the person's name and sign-offs do not count, in any of the four languages.
    assert own_words("Dzień dobry Pani Anno, Zahlwerk! Pozdrawiam, Jan", ctx) == ["anno", "zahlwerk"]
    assert own_words("Sehr geehrte Frau Schmidt, danke. Viele Grüße, Jan Nowak", ctx) == ["danke"]
    assert own_words("Bonjour Anna, merci pour Kraków. Cordialement", ctx) == ["merci", "pour", "krakow"]
    assert own_words("Thanks for the Kraków tip! Merci et à bientôt. Cordialement, Jan N.", ctx) == [
        "thanks",
        "for",
        "the",
        "krakow",
        "tip",
    ]
    assert own_words("Ask me anything. Best regards, Jan", ctx) == ["ask", "me", "anything"]
    assert own_words("Hello Anna Schmidt, Anna's team at Zahlwerk", ctx) == ["team", "at", "zahlwerk"]
    assert codes(check("", ctx))[0] == "too_short"
    assert check("", ctx)[0].message == "no words of your own — aim for a dozen"


def test_too_short_does_not_fire_at_twelve_words(ctx):
    twelve = "Your Zahlwerk talk on reconciliation engines changed how I build data pipelines."
    assert len(own_words(twelve, ctx)) == 12
    assert "too_short" not in codes(check(twelve, ctx))
    eleven = "Your Zahlwerk talk on reconciliation engines changed how I build pipelines."
    assert check(eleven, ctx)[0].message == "only 11 words of your own — aim for a dozen"


def test_stock_sentence_words_are_not_your_own(ctx):
    text = "Hi Anna, I'd like to add you to my professional network on LinkedIn. Zahlwerk rocks!"
    assert own_words(text, ctx) == ["zahlwerk", "rocks"]


NOTHING_SPECIFIC = (
    "Hello, I would love to connect and learn more about what you do. Looking forward to hearing from you."
)


def test_not_specific_fires_on_a_generic_text_with_one_clear_line(ctx):
    warnings = check(NOTHING_SPECIFIC, ctx)
    assert codes(warnings) == ["not_specific"]
    message = warnings[0].message
    assert message.startswith("mentions nothing specific to Anna Schmidt: their company (Zahlwerk GmbH), role,")
    assert "a shared company (Banque Éclair)" in message and message.endswith("their news or your notes")
    assert "\n" not in message
    assert check(NOTHING_SPECIFIC, bare_ctx(name="Bob Plain", first_name="Bob"))[0].message == (
        "mentions nothing specific to Bob Plain, not even their name"
    )


@pytest.mark.parametrize(
    "mention",
    [
        "Anna",  # first name
        "Ms Schmidt",  # last name
        "ZAHLWERK",  # company, any case
        "Zahlwerk GmbH",
        "the data platform",  # words of their title
        "Banque Eclair",  # a shared company, accents folded
        "Kleinbank",  # a shared untracked company
        "reconciliation",  # a word of a recent news title
        "Krakow",  # ... accents folded
        "kubernetes",  # a note word
        "migration",  # ... by its stem
    ],
)
def test_not_specific_does_not_fire_when_something_specific_is_mentioned(ctx, mention):
    text = f"{NOTHING_SPECIFIC} {mention}."
    assert "not_specific" not in codes(check(text, ctx))


def test_each_kind_of_hook_counts_on_its_own():
    generic = "I would love to hear about your work sometime soon, it sounds fascinating."
    assert "not_specific" in codes(check(generic, bare_ctx()))
    assert "not_specific" not in codes(check(generic + " Société Générale?", bare_ctx(company="Société Générale")))
    assert "not_specific" not in codes(check(generic + " As a VP?", bare_ctx(title="VP of Sales")))
    assert "not_specific" in codes(check(generic + " vp", bare_ctx(title="VP of Sales")))  # "vp" is no acronym
    assert "not_specific" not in codes(check(generic + " Sales!", bare_ctx(title="VP of Sales")))
    assert "not_specific" not in codes(check(generic + " Ledgerkern", bare_ctx(shared_companies=["Ledgerkern"])))
    assert "not_specific" not in codes(
        check(generic + " Brasília", bare_ctx(recent_news_titles=["Opening in Brasilia"]))
    )
    assert "not_specific" not in codes(check(generic + " Origami!", bare_ctx(note_words=["origami"])))
    # Generic news words ("announces") and legal forms ("GmbH") are no hook.
    assert "not_specific" in codes(check(generic + " announces", bare_ctx(recent_news_titles=["Acme announces"])))
    assert "not_specific" in codes(check(generic + " GmbH", bare_ctx(company="Acme GmbH")))
    # Nor are words any invitation uses, even when a note holds them.
    assert "not_specific" in codes(check(generic + " Looking forward!", bare_ctx(note_words=["looking", "forward"])))


def test_words_inside_a_stock_sentence_are_not_specific():
    ctx = bare_ctx(name="Bob Plain", first_name="Bob", title="Professional Network Architect")
    text = "I'd like to add you to my professional network on LinkedIn."
    assert "not_specific" in codes(check(text, ctx))


# -- stock sentences -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, network, language",
    [
        ("I'd like to add you to my professional network on LinkedIn.", "LinkedIn", "English"),
        ("Hi Anna, I'd like to join your LinkedIn network.", "LinkedIn", "English"),
        ("hi ANNA -- i would like to join your linkedin network!!!", "LinkedIn", "English"),
        ("I’d like to add you to my professional network", "LinkedIn", "English"),
        ("Je souhaiterais vous ajouter à mon réseau professionnel sur LinkedIn.", "LinkedIn", "French"),
        ("Bonjour Anna, je souhaiterai vous ajouter a mon reseau professionnel sur Linkedin", "LinkedIn", "French"),
        ("J’aimerais vous ajouter à mon réseau LinkedIn !", "LinkedIn", "French"),
        ("Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.", "LinkedIn", "German"),
        (
            "Hallo Anna, ich moechte Sie gern zu meinem beruflichen Netzwerk auf LinkedIn hinzufuegen",
            "LinkedIn",
            "German",
        ),
        ("Chciałbym dodać Cię do mojej sieci zawodowej na LinkedIn.", "LinkedIn", "Polish"),
        ("Dzień dobry! Chciałabym dodać Cię do mojej sieci kontaktów na LinkedIn. Pozdrawiam", "LinkedIn", "Polish"),
        ("CHCIALBYM DODAC CIE DO MOJEJ SIECI ZAWODOWEJ NA LINKEDIN", "LinkedIn", "Polish"),
        ("Je vous invite à rejoindre mon réseau sur Viadeo.", "Viadeo", "French"),
        ("Ich würde Sie gerne als Kontakt hinzufügen.", "Xing", "German"),
        ("Hallo Anna,\n\nich würde dich gerne als Kontakt hinzufügen :)", "Xing", "German"),
    ],
)
def test_stock_sentences_are_detected_in_every_language(ctx, text, network, language):
    warnings = check(text, ctx)
    assert "stock_sentence" in codes(warnings)
    stock = next(w for w in warnings if w.code == "stock_sentence")
    assert stock.message == f"reads like the network's default invitation ({network}, {language})"


def test_every_stock_sentence_in_the_data_is_detected_with_a_name_filled_in(ctx):
    for network, language, sentences in STOCK_INVITATIONS:
        for sentence in sentences:
            text = sentence.replace("[Name]", "Anna Schmidt")
            found = find_stock_sentences(text.upper())
            assert found and (found[0].network, found[0].language) == (network, language), sentence


def test_a_stock_sentence_inside_a_longer_personal_text_still_warns_but_only_that(ctx):
    text = GOOD + " I'd like to add you to my professional network on LinkedIn."
    assert codes(check(text, ctx)) == ["stock_sentence"]


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        "I'd like to join your team at Zahlwerk because my background in payments data fits well.",
        "I would like to add you to my list of people to ask about reconciliation at Zahlwerk.",
        "Ich möchte Sie gerne etwas zu Ihrem Vortrag über Kubernetes bei Zahlwerk fragen.",
    ],
)
def test_personal_texts_that_share_some_words_are_not_stock(ctx, text):
    assert "stock_sentence" not in codes(check(text, ctx))


def test_check_without_a_context_checks_length_and_stock_only():
    assert codes(check("I'd like to add you to my professional network on LinkedIn.")) == [
        "too_short",
        "stock_sentence",
    ]
    assert check("one two three four five six seven eight nine ten eleven twelve") == []


def test_a_long_pasted_text_is_checked_quickly(ctx):
    import time

    text = ("I would like to add you to my network on the platform because " * 60) + "lorem ipsum " * 3000
    started = time.perf_counter()
    check(text, ctx)
    assert time.perf_counter() - started < 2


# -- drafts ----------------------------------------------------------------------------


def test_no_invitation_yet(book):
    assert book.invitation("anna schmidt") is None
    assert book.invitations_of("anna schmidt") == []


def test_saving_keeps_one_draft_per_person_and_updates_it(book):
    first = book.save_invitation("anna schmidt", "  First\x1b[31m try  ", network="xing")
    assert (first.text, first.status, first.network, first.person_name) == (
        "First try",
        "draft",
        "xing",
        "Anna Schmidt",
    )
    second = book.save_invitation("Anna Schmidt", GOOD)
    assert second.id == first.id and second.text == GOOD
    assert second.network == "xing"  # kept when no network is given
    third = book.save_invitation("anna-schmidt", GOOD + "!", network="LinkedIn")
    assert third.id == first.id and third.network == "linkedin"
    assert book.db["invitations"].count == 1
    assert book.invitation("anna schmidt") == third


def test_saving_refuses_empty_text_an_unknown_network_and_an_unknown_person(book):
    with pytest.raises(Invalid, match="must not be empty"):
        book.save_invitation("anna schmidt", " \n\x1b[0m ")
    with pytest.raises(Invalid, match="network must be one of"):
        book.save_invitation("anna schmidt", "Hello", network="myspace")
    with pytest.raises(NotFound):
        book.save_invitation("nobody at all", "Hello")
    with pytest.raises(NotFound):
        book.invitation("nobody at all")
    assert book.db["invitations"].count == 0


# -- sending ---------------------------------------------------------------------------


def test_marking_sent_logs_an_interaction_and_moves_the_status_to_invited(book):
    book.set_approach("anna schmidt", status="to contact", at="2026-05-01")
    book.save_invitation("anna schmidt", GOOD, network="xing")
    sent = book.mark_invitation_sent("anna schmidt", when="2026-06-01")
    assert (sent.status, sent.sent_at, sent.network) == ("sent", "2026-06-01T00:00:00Z", "xing")
    [interaction] = book.interactions_of("anna schmidt")
    assert (interaction.channel, interaction.direction, interaction.at) == ("xing", "out", "2026-06-01T00:00:00Z")
    assert interaction.summary == "Invitation sent: Hi Anna, I read that Zahlwerk is expanding…"
    assert book.approach("anna schmidt").status == "invited"
    assert book.status_changes("anna schmidt")[0]["to_status"] == "invited"
    # The sent invitation is still shown until a new draft is started.
    assert book.invitation("anna schmidt") == sent
    draft = book.save_invitation("anna schmidt", "A second try, on LinkedIn this time.")
    assert draft.id != sent.id and book.invitation("anna schmidt") == draft
    assert [i.status for i in book.invitations_of("anna schmidt")] == ["draft", "sent"]


def test_sending_defaults_to_linkedin_and_a_network_given_at_send_time_wins(book):
    book.save_invitation("anna schmidt", GOOD)
    assert book.mark_invitation_sent("anna schmidt").network == "linkedin"
    assert book.interactions_of("anna schmidt")[0].channel == "linkedin"
    book.save_invitation("bob plain", "Hello Bob", network="linkedin")
    assert book.mark_invitation_sent("bob plain", network="email").network == "email"
    assert book.interactions_of("bob plain")[0].channel == "email"
    assert book.approach("bob plain").status == "invited"  # no approach yet: one is started


@pytest.mark.parametrize("status", ["connected", "met", "referred"])
def test_sending_never_moves_a_person_back_down_the_pipeline(book, status):
    book.set_approach("anna schmidt", status=status)
    book.save_invitation("anna schmidt", GOOD)
    book.mark_invitation_sent("anna schmidt")
    assert book.approach("anna schmidt").status == status
    assert len(book.interactions_of("anna schmidt")) == 1


def test_sending_without_a_draft_is_invalid(book):
    with pytest.raises(Invalid, match="no invitation drafted for Anna Schmidt"):
        book.mark_invitation_sent("anna schmidt")
    book.save_invitation("anna schmidt", GOOD)
    book.mark_invitation_sent("anna schmidt")
    with pytest.raises(Invalid, match="no invitation drafted for Anna Schmidt"):
        book.mark_invitation_sent("anna schmidt")  # the draft was sent already
    with pytest.raises(NotFound):
        book.mark_invitation_sent("nobody at all")


def _snapshot(nb: Notebook) -> dict:
    return {t: list(nb.db[t].rows) for t in ("invitations", "interactions", "approach", "status_changes")}


def test_marking_sent_is_all_or_nothing(book, monkeypatch):
    book.set_approach("anna schmidt", status="to contact")
    book.save_invitation("anna schmidt", GOOD)
    before = _snapshot(book)
    real = Notebook.add_interaction

    def with_a_bad_channel(self, person, channel, summary, **kwargs):
        return real(self, person, "carrier pigeon", summary, **kwargs)

    # The invitation and the approach are written before the interaction fails.
    monkeypatch.setattr(Notebook, "add_interaction", with_a_bad_channel)
    with pytest.raises(Invalid, match="channel"):
        book.mark_invitation_sent("anna schmidt")
    assert _snapshot(book) == before
    assert book.invitation("anna schmidt").status == "draft"
    assert book.approach("anna schmidt").status == "to contact"

    monkeypatch.setattr(Notebook, "add_interaction", real)
    with pytest.raises(Invalid):
        book.mark_invitation_sent("anna schmidt", network="carrier pigeon")
    with pytest.raises(Invalid):
        book.mark_invitation_sent("anna schmidt", when="last tuesday")
    assert _snapshot(book) == before
    assert book.mark_invitation_sent("anna schmidt").status == "sent"


def test_a_notebook_file_keeps_the_sent_state(db_path):
    with Notebook(db_path) as first:
        first.add_person("Anna Schmidt")
        first.save_invitation("anna schmidt", GOOD)
        first.mark_invitation_sent("anna schmidt", network="viadeo")
    with Notebook(db_path) as again:
        invitation = again.invitation("anna schmidt")
        assert (invitation.status, invitation.network) == ("sent", "viadeo")
        assert again.approach("anna schmidt").status == "invited"
