"""The Vocabulary tab and the reading pane, driven through Pilot: the glossary's keys, suggestions accepted and
dismissed, the drill, known terms highlighted (a hostile title stays literal), the people an item names."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.widgets import Input, Static, TabbedContent

from researcher.store import Notebook
from researcher.sync.parse import Entry
from researcher.tui.app import make_app
from researcher.tui.highlight import TERM_STYLE, Glossary
from researcher.tui.screens.company import CompanyScreen
from researcher.tui.screens.person import PersonScreen
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.drill import DrillScreen
from researcher.tui.widgets.news_view import NamedPicker, NewsView
from researcher.tui.widgets.notes_pane import NotesPane
from researcher.tui.widgets.term_form import AcceptForm, TermForm
from researcher.tui.widgets.term_view import TermView
from researcher.tui.widgets.vocabulary_tab import VocabularyTab
from tests.test_dossier_workbench import within_timeout
from tests.test_tui import open_company, settle
from tests.test_tui_walk import footer_keys, footer_redraws
from tests.test_vocabulary import GENERIC, ZAHLWERK, store

HOSTILE = "[bold]Ledgerkern[/bold] opens [@click=app.quit]up[/] in Köln"
SIZE = (120, 40)


@pytest.fixture
def vocab_db(tmp_path: Path) -> Path:
    path = tmp_path / "vocab.db"
    with Notebook(path) as nb:
        nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
        store(nb, "Zahlwerk GmbH", ZAHLWERK)
        for name in ("Acme Payments", "Borealis Bank", "Cobalt Pay"):
            nb.add_company(name, sector="Fintech")
            store(nb, name, GENERIC * 2)
        anna = nb.add_person("Anna Schmidt")
        nb.add_position(anna.id, company="zahlwerk-gmbh", title="CFO", start="2020-01")
        feed = nb.add_feed("zahlwerk-gmbh", "https://zahlwerk.example/more.xml")
        nb.save_fetch(
            feed.id,
            [
                Entry(
                    "h1",
                    HOSTILE,
                    "The LEDGERKERN team and Anna Schmidt met Borealis Bank.",
                    None,
                    "2026-11-20T08:00:00Z",
                    "x1",
                ),
            ],
        )
        nb.add_glossary_term("Ledgerkern", company="zahlwerk-gmbh", meaning="Zahlwerk's double-entry ledger",
                             example="Every payment is a double entry in Ledgerkern.")  # fmt: skip
        nb.add_glossary_term("KYC", meaning="Know your customer")
    return path


async def vocabulary(pilot, name: str = "Zahlwerk GmbH") -> tuple[CompanyScreen, VocabularyTab]:
    screen = await open_company(pilot, name)
    screen.query_one(TabbedContent).active = "vocabulary"
    await settle(pilot)
    tab = screen.query_one(VocabularyTab)
    assert screen.focused is tab.glossary_table
    return screen, tab


def glossary_terms(tab: VocabularyTab) -> list[str]:
    return [t.term for t in tab.terms]


@within_timeout
async def test_glossary_keys_add_edit_read_and_delete(vocab_db):
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, tab = await vocabulary(pilot)
        assert glossary_terms(tab) == ["Ledgerkern", "KYC"]  # the company's terms, then the global ones
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, TermForm)
        form.query_one("#name", Input).value = "Werkbank"
        form.query_one("#meaning", Input).value = "the internal tools"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and "Werkbank" in glossary_terms(tab)
        assert tab.current_term().term == "Werkbank"  # the cursor on what was added
        assert app.nb.term("Werkbank", "zahlwerk-gmbh").definition == "the internal tools"

        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TermForm) and form.query_one("#name", Input).value == "Werkbank"
        form.query_one("#meaning", Input).value = "Zahlwerk's own tools"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.nb.term("Werkbank", "zahlwerk-gmbh").definition == "Zahlwerk's own tools"
        assert tab.current_term().definition == "Zahlwerk's own tools"

        tab.glossary_table.move_cursor(row=glossary_terms(tab).index("Ledgerkern"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TermView)
        shown = str(app.screen.query_one("#term-text", Static).content)
        assert "double-entry ledger" in shown and "Every payment is a double entry in Ledgerkern." in shown
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # no: nothing goes
        await settle(pilot)
        assert "Ledgerkern" in glossary_terms(tab)
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.screen is screen and "Ledgerkern" not in glossary_terms(tab)
        assert [t.term for t in app.nb.terms("zahlwerk-gmbh")] == ["Werkbank"]
        assert tab.glossary_table.cursor_row == 0  # the place is kept: on the row that took its place


async def _to_suggestion(pilot, tab: VocabularyTab, term: str) -> None:
    """Walk down from the glossary into the suggestions (j goes on from the glossary's last row)."""
    if tab.screen.focused is tab.glossary_table:
        for _ in range(len(tab.terms)):
            await pilot.press("j")
    assert tab.screen.focused is tab.suggestion_table
    row = [s.term for s in tab.suggestions].index(term)
    tab.suggestion_table.move_cursor(row=row)
    await pilot.pause()
    assert tab.current_suggestion().term == term


@within_timeout
async def test_a_suggestion_is_accepted_with_its_meaning_and_a_dismissed_one_never_returns(vocab_db):
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, tab = await vocabulary(pilot)
        suggested = [s.term for s in tab.suggestions]
        assert "SEPA" in suggested and "Ledgerkern" not in suggested  # known terms are not suggested
        assert "payout batch" in suggested
        await pilot.press(*["j"] * len(tab.terms))  # down from the glossary's last row: into the suggestions
        assert screen.focused is tab.suggestion_table and tab.suggestion_table.cursor_row == 0
        await pilot.press("k")  # and back up
        assert screen.focused is tab.glossary_table and tab.glossary_table.cursor_row == len(tab.terms) - 1
        await _to_suggestion(pilot, tab, "SEPA")
        await pilot.press("a")
        assert isinstance(app.screen, AcceptForm)
        await pilot.press(*"Single Euro Payments Area", "enter")
        await settle(pilot)
        added = app.nb.term("SEPA", "zahlwerk-gmbh")
        assert added.definition == "Single Euro Payments Area" and "SEPA" in (added.example or "")
        assert "SEPA" in glossary_terms(tab) and "SEPA" not in [s.term for s in tab.suggestions]

        await _to_suggestion(pilot, tab, "payout batch")
        row = tab.suggestion_table.cursor_row
        await pilot.press("x")
        await settle(pilot)
        assert "payout batch" not in [s.term for s in tab.suggestions]
        assert tab.suggestion_table.cursor_row == row  # the next one took its place
        screen.reload()  # as after a sync: mined again
        await settle(pilot)
        assert tab.found is not None and "payout batch" not in [s.term for s in tab.suggestions]
    with Notebook(vocab_db) as nb:
        assert "payout batch" in nb.dismissed_keys("zahlwerk-gmbh")


@within_timeout
async def test_the_glossary_answers_keys_while_suggestions_are_mined(vocab_db, monkeypatch):
    from researcher.tui.widgets import vocabulary_tab

    gate = threading.Event()
    mine = vocabulary_tab.suggest_terms

    def slow(*args, **kwargs):
        gate.wait(10)
        return mine(*args, **kwargs)

    monkeypatch.setattr(vocabulary_tab, "suggest_terms", slow)
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_company(pilot, "Zahlwerk GmbH")
        screen.query_one(TabbedContent).active = "vocabulary"
        for _ in range(20):
            await pilot.pause()
            if screen.terms:
                break
        tab = screen.query_one(VocabularyTab)
        assert tab.suggestion_table.loading and glossary_terms(tab) == ["Ledgerkern", "KYC"]
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TermView) and "Know your customer" in str(
            app.screen.query_one("#term-text", Static).content
        )
        await pilot.press("escape")
        gate.set()
        await settle(pilot)
        assert not tab.suggestion_table.loading and "SEPA" in [s.term for s in tab.suggestions]


@within_timeout
async def test_the_drill_brings_a_not_yet_term_back_first(vocab_db):
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, tab = await vocabulary(pilot)
        await pilot.press("r")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        first, second = (c.term for c in drill.cards)
        card = str(drill.query_one("#drill-card", Static).content)
        assert first in card and "double-entry" not in card and "Know your customer" not in card  # hidden
        await pilot.press("space")
        assert "space reveals" not in str(drill.query_one("#drill-card", Static).content)
        await pilot.press("k")  # the first known
        await pilot.press("space", "n")  # the second not yet
        assert "1 known, 1 not yet" in str(drill.query_one("#drill-card", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("r")
        await settle(pilot)
        assert [c.term for c in app.screen.cards] == [second, first]  # not yet first
        await pilot.press("escape")
    with Notebook(vocab_db) as nb:
        states = {r["term"]: r["last_known"] for r in nb.drill_states("zahlwerk-gmbh")}
        assert states == {first: 1, second: 0}


def _styled(text: Text, style: str = TERM_STYLE) -> list[str]:
    return [text.plain[s.start : s.end] for s in text.spans if str(s.style) == style]


@within_timeout
async def test_the_reading_pane_highlights_known_terms_lists_the_people_named_and_m_opens_them(vocab_db):
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_company(pilot, "Zahlwerk GmbH")
        screen.query_one(TabbedContent).active = "news"
        await settle(pilot)
        view = screen.query_one(NewsView)
        view.select_item(next(i.id for i in view.items if i.title == HOSTILE))
        await pilot.pause(0.3)  # who the item names is read once the cursor rests on it
        await settle(pilot)
        text = view.query_one(".reading-text", Static).content
        assert isinstance(text, Text) and HOSTILE in text.plain  # the markup of the title is text
        assert _styled(text) == ["Ledgerkern", "LEDGERKERN"]  # case folded, whole words
        named = str(view.query_one(".reading-named", Static).content)
        assert "People named  Anna Schmidt" in named and "Companies named  Borealis Bank" in named
        await pilot.press("m")
        assert isinstance(app.screen, NamedPicker)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.is_running  # [@click=app.quit] in the title did nothing


@within_timeout
async def test_known_terms_are_highlighted_in_notes(vocab_db):
    with Notebook(vocab_db) as nb:
        nb.add_note(
            "# About the ledger\n\nThe **ledgerkern** team, and kyc checks. Not in ledgerkerns.",
            company="zahlwerk-gmbh",
        )
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_company(pilot, "Zahlwerk GmbH")
        screen.query_one(TabbedContent).active = "notes"
        await settle(pilot)
        pane = screen.query_one(NotesPane)
        group = pane.query_one(".note-text", Static).content
        console = Console(width=80, color_system="truecolor", force_terminal=True)
        found = [
            s.text
            for s in console.render(group.renderables[1])
            if s.style and s.style.underline and s.style.color and s.style.color.name == "cyan"
        ]
        assert found == ["ledgerkern", "kyc"]  # a term's whole words only: "ledgerkerns" is another word


def test_terms_match_whole_words_with_case_and_accents_folded_the_longest_first():
    glossary = Glossary(["Zahlwerk Quote", "Quote", "Straße", "Anne", "Ł ódź"])
    text = "ZAHLWERK-QUOTE, a quote; Annex and Anne; STRASSE, Strasse; Ł Ódź"
    assert [text[a:b] for a, b in glossary.spans(text)] == [
        "ZAHLWERK-QUOTE",  # the phrase, not "QUOTE" inside it
        "quote",
        "Anne",  # never inside "Annex"
        "STRASSE",
        "Strasse",
        "Ł Ódź",
    ]
    assert Glossary([]).spans(text) == [] and Glossary(["..."]).spans(text) == []


def test_highlighting_styles_the_plain_text_and_reads_no_markup():
    text = Glossary(["bold"]).stylize(Text("[bold]x[/bold] \x1b[31m"))
    assert text.plain == "[bold]x[/bold] \x1b[31m" and _styled(text) == ["bold", "bold"]


@within_timeout
async def test_the_footer_offers_m_only_on_an_item_that_names_someone_and_is_not_redrawn_on_every_move(
    vocab_db, monkeypatch
):
    """Moving down the inbox redraws the footer only when its keys change (Textual's rebuilt every key: 25 ms a
    row while j was held on a big notebook)."""
    redraws = footer_redraws(monkeypatch)
    app = make_app(vocab_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        view = app.screen.query_one(NewsView)
        hostile = next(i for i, item in enumerate(view.items) if item.title == HOSTILE)
        plain = [i for i in range(len(view.items)) if i != hostile][:6]
        assert len(plain) == 6
        view.table.move_cursor(row=plain[0])
        await pilot.pause(0.3)
        await settle(pilot)
        assert "m" not in footer_keys(app)
        before = len(redraws)
        for row in plain[1:]:
            view.table.move_cursor(row=row)
            await pilot.pause(0.25)  # who the item names is read once the cursor rests on it
        await settle(pilot)
        assert len(redraws) == before  # five items naming nobody: the same keys, no redraw
        view.table.move_cursor(row=hostile)
        await pilot.pause(0.3)
        await settle(pilot)
        assert "m" in footer_keys(app)
        assert len(redraws) == before + 1
        view.table.move_cursor(row=plain[0])
        await pilot.pause(0.3)
        await settle(pilot)
        assert "m" not in footer_keys(app)
