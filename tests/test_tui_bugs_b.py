"""TUI bugs of issue 9 (news lists, notes, invitations, search, dossier), each driven through Pilot."""

from __future__ import annotations

import contextlib
import webbrowser
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Static, TabbedContent, TextArea

from researcher.store import Notebook
from researcher.tui.app import make_app
from researcher.tui.screens.news import NewsScreen
from researcher.tui.widgets import note_editor
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.invitation_editor import InvitationEditor
from researcher.tui.widgets.note_editor import NoteEditor
from tests.test_tui import open_company, screen_text, settle
from tests.test_tui_people import open_person

SIZE = (120, 40)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_inbox(pilot) -> tuple[NewsScreen, DataTable]:
    await pilot.press("3")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NewsScreen)
    return screen, screen.query_one("NewsView DataTable", DataTable)


async def open_dossier_news(pilot, name: str):
    screen = await open_company(pilot, name)
    await pilot.press("tab")  # Overview -> News
    await pilot.pause()
    assert screen.query_one(TabbedContent).active == "news"
    view = screen.query_one("#company-news")
    return screen, view, view.query_one(DataTable)


# -- 1. deleting a news item asks first, in both lists ------------------------------


async def test_deleting_news_asks_first_in_the_inbox_and_the_dossier(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_inbox(pilot)
        view = screen.query_one("NewsView")
        table.move_cursor(row=2)
        await pilot.pause()
        doomed, after = view.items[2], view.items[3]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and doomed.title in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.nb.count_news() == 106 and view.current().id == doomed.id
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.nb.count_news() == 106 - 1
        assert doomed.id not in [i.id for i in view.items]
        assert table.cursor_row == 2 and view.current().id == after.id  # the place is kept: the next item

        await pilot.press("1")
        await pilot.pause()
        _, view, table = await open_dossier_news(pilot, "Zahlwerk GmbH")
        await pilot.press("j", "j", "j", "k")  # j/k move here too
        await pilot.pause()
        assert table.cursor_row == 2
        doomed = view.current()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.nb.news_item(doomed.id) and view.current().id == doomed.id
        await pilot.press("d", "y")
        await pilot.pause()
        assert doomed.id not in [i.id for i in app.nb.news(company="zahlwerk-gmbh")]


# -- 2. j/k move in the news lists (the dossier's News tab: in the test of 1) -----------


# -- 3. after an action the inbox keeps the reader's place -----------------------------


async def test_a_note_on_a_news_item_keeps_the_inbox_in_place(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_inbox(pilot)
        view = screen.query_one("NewsView")
        await pilot.press("space", "j", "space")  # the first two items read
        for _ in range(28):
            await pilot.press("j")
        await pilot.pause()
        read_ids = [i.id for i in view.items[:2]]
        item, scroll_y = view.current(), table.scroll_y
        assert table.cursor_row == 29 and scroll_y > 0
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Ask about this")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NewsScreen)
        assert [i.id for i in view.items[:2]] == read_ids  # read in this visit: still listed
        assert view.current().id == item.id and table.cursor_row == 29
        assert table.scroll_y == scroll_y
        assert "Ask about this" in screen_text(app)
        screen.reload()  # what a finished sync does to every screen: the place is kept too
        await pilot.pause()
        assert [i.id for i in view.items[:2]] == read_ids and view.current().id == item.id
        await pilot.press("u", "u")  # starting the list anew lets the read items go
        await pilot.pause()
        assert not set(read_ids) & {i.id for i in view.items}


def test_news_window_pages_without_gaps_when_items_are_read(demo_db):
    from researcher.tui.widgets.news_view import sort_key

    with Notebook(demo_db) as nb:
        first = nb.news(unread=True, limit=10)
        for item in first[:5]:
            nb.mark_news(item.id, read=True)
        following = nb.news(unread=True, before=sort_key(first[-1]), limit=10)
        assert [i.id for i in following] == [i.id for i in nb.news(unread=True)][5:15]
        assert [i.id for i in nb.news(until=sort_key(first[2]))] == [i.id for i in first[:3]]
        assert {i.id for i in nb.news_by_ids([first[0].id, first[1].id])} == {first[0].id, first[1].id}


# -- 4. the inbox's count follows every change -------------------------------------------


async def test_the_inbox_count_follows_every_change_and_j_k_move(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_inbox(pilot)
        assert "106 unread" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert "105 unread" in screen_text(app)
        await pilot.press("space")  # unread again
        await pilot.pause()
        assert "106 unread" in screen_text(app)
        await pilot.press("d", "y")
        await pilot.pause()
        assert "105 unread" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert "105 items, 105 unread" in screen_text(app)
        await pilot.press("j", "j", "k")  # j/k move, as in every list
        await pilot.pause()
        assert table.cursor_row == 1
        assert screen.query_one("NewsView").items[1].title in screen_text(app)  # the reading pane follows


# -- 5. `o` says why nothing opened -------------------------------------------------------


async def test_open_says_when_the_browser_cannot_start(demo_db, monkeypatch):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_inbox(pilot)
        item = screen.query_one("NewsView").current()
        monkeypatch.setattr(webbrowser, "open", lambda url, new=0: False)
        await pilot.press("o")
        await pilot.pause()
        said = notifications(app)[-1]
        assert "browser could not be started" in said and item.link in said and "no web link" not in said

        def broken(url, new=0):
            raise webbrowser.Error("could not locate runnable browser")

        monkeypatch.setattr(webbrowser, "open", broken)
        await pilot.press("o")
        await pilot.pause()
        assert "browser could not be started" in notifications(app)[-1]
        assert app.is_running

        app.nb.db.execute("UPDATE news_items SET link = 'javascript:alert(1)' WHERE id = ?", [item.id])
        screen.reload()
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert notifications(app)[-1] == "This item has no web link to open."


# -- 6. the note editor's $EDITOR key -------------------------------------------------------


async def test_the_editor_key_runs_the_editor_with_the_notes_text(demo_db, monkeypatch):
    seen = []

    def fake_editor(path: Path) -> None:
        seen.append(path.read_text(encoding="utf-8"))
        path.write_text("rewritten in my editor", encoding="utf-8")

    monkeypatch.setattr(note_editor, "run_editor", fake_editor, raising=False)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        # Pilot has no real terminal to suspend to.
        monkeypatch.setattr(type(app), "suspend", lambda self: contextlib.nullcontext())
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"draft words", "home")
        await pilot.press("ctrl+e")  # the TextArea's own key stays: end of line
        await pilot.pause()
        assert seen == [] and app.screen.query_one(TextArea).cursor_location == (0, len("draft words"))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert seen == ["draft words"]
        assert app.screen.query_one(TextArea).text == "rewritten in my editor"


# -- 7. the invitation editor asks before a doubtful send ------------------------------------

GOOD_TEXT = (
    "Hi {first}, Tomasz told me how the Sensorik team at Schienenblick plans its releases; "
    "I would love to hear how product and engineering share the roadmap there."
)


async def test_sending_an_invitation_with_warnings_asks_and_says_why(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_person(pilot, "Sabine Krämer")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "I'd like to add you to my professional network on LinkedIn."
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        text = screen_text(app)
        assert "reads like the network's default invitation" in text and "of your own" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InvitationEditor)
        assert app.nb.approach(screen.person_id).status == "to contact"
        assert not any(i.sent for i in app.nb.invitations_of(screen.person_id))
        await pilot.press("ctrl+t", "y")
        await pilot.pause()
        assert app.screen is screen and app.nb.approach(screen.person_id).status == "invited"

        # Someone invited already: asked again, and told when.
        app.nb.set_approach(screen.person_id, status="to contact")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(TextArea).text = GOOD_TEXT.format(first="Sabine")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        sent_on = app.nb.invitations_of(screen.person_id)[0].sent_at[:10]
        assert f"An invitation was already sent on linkedin on {sent_on}." in screen_text(app)


async def test_inviting_someone_already_connected_asks_and_says_so(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_person(pilot, "Amélie Bouchard")
        assert app.nb.approach(screen.person_id).status == "connected"
        await pilot.press("w")
        await pilot.pause()
        editor = app.screen
        editor.query_one(TextArea).text = GOOD_TEXT.format(first="Amélie")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "already connected" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor
        assert not any(i.sent for i in app.nb.invitations_of(screen.person_id))


# -- 8. notes are read as Markdown, and run nothing ---------------------------------------------

HOSTILE_NOTE = "**Why them:** see [the deck](app.quit) and [@click=app.quit]this[/] <b>raw</b>\n\n- first point"


def test_a_note_renders_as_markdown_without_links_or_actions():
    from researcher.tui.widgets.notes_pane import NoteMarkdown, first_line

    console = Console(width=80, force_terminal=True, color_system="truecolor")
    segments = list(console.render(NoteMarkdown(HOSTILE_NOTE + "\n\n[x](https://e.example) \x1b[31mred")))
    assert not any(s.style and (s.style.link or s.style.meta) for s in segments)
    shown = "".join(s.text for s in segments)
    assert "**" not in shown and "Why them:" in shown and "• first point" in shown
    assert "the deck (app.quit)" in shown and "[@click=app.quit]this[/]" in shown and "<b>raw</b>" in shown
    assert "\x1b[31m" not in shown
    assert first_line(HOSTILE_NOTE) == "Why them: see the deck and [@click=app.quit]this[/] <b>raw</b>"


async def test_notes_are_read_as_markdown_in_the_dossier_and_the_inbox(demo_db, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    with Notebook(demo_db) as nb:
        nb.add_note(HOSTILE_NOTE, company="Zahlwerk GmbH", created_at="2026-11-24T12:00:00Z")
        first = nb.news(unread=True, limit=1)[0]
        nb.add_note("Ask **Lena** about it", news_item=first.id)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_company(pilot, "Zahlwerk GmbH")
        screen.query_one(TabbedContent).active = "notes"
        await pilot.pause()
        text = screen_text(app)
        assert "Why them: see the deck (app.quit)" in text and "**Why them:**" not in text
        assert "[@click=app.quit]this[/]" in text and "• first point" in text
        body = screen.query_one("#company-notes .note-text", Static)
        for x in (4, 20, 32, 44):  # click all over the note's first line: nothing runs
            await pilot.click(body, offset=(x, 2))
        await pilot.pause()
        assert app.is_running and opened == []
        await pilot.press("enter")  # the editor keeps the text as written
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text.startswith("**Why them:**")
        await pilot.press("escape")
        await pilot.pause()
        screen.query_one(TabbedContent).active = "overview"  # the latest note, too
        await pilot.pause()
        assert "**Why them:**" not in screen_text(app) and "Why them:" in screen_text(app)
        await open_inbox(pilot)
        text = screen_text(app)
        assert "Ask Lena about it" in text and "**" not in text


# -- 9. a search hit on a note says what the note is about ----------------------------------------


async def test_a_note_found_by_search_names_its_subject(demo_db):
    with Notebook(demo_db) as nb:
        hits = [h for h in nb.search("top target") if h["kind"] == "note"]
        assert hits[0]["subject"] == "Zahlwerk GmbH" and hits[0]["subject_kind"] == "company"
        assert hits[0]["detail"] == "on Zahlwerk GmbH"
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"ledger correctness")
        await pilot.pause()
        text = screen_text(app)
        assert "on Lena Hoffmann  (person)" in text


# -- 10. the dossier's Career paths and Vocabulary read whole -----------------------------------------


async def _check_career_paths(pilot, screen) -> None:
    table = screen.query_one("#careers-table", DataTable)
    used = sum(c.get_render_width(table) for c in table.columns.values())
    assert used <= table.scrollable_content_region.width, (used, table.size)
    assert "Went to" in screen_text(pilot.app)
    row = next(i for i, m in enumerate(screen.moves) if m.person_name == "Jonas Richter")
    table.move_cursor(row=row)
    await pilot.pause()
    text = " ".join(screen_text(pilot.app).split())
    assert "went to Schienenblick GmbH — Senior embedded engineer" in text


async def test_career_paths_fit_keep_their_place_and_terms_read_whole(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_company(pilot, "Auenthal Medizintechnik GmbH")
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "careers"
        await _check_career_paths(pilot, screen)
        table = screen.query_one("#careers-table", DataTable)
        row = table.cursor_row
        await pilot.press("k", "k", "j")  # j/k move in the dossier's tables too
        assert table.cursor_row == row - 1
        await pilot.press("enter")  # open that person, then come back: the place is kept
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and table.cursor_row == row - 1
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert table.cursor_row == row - 1
        await _check_career_paths(pilot, screen)

        await pilot.press("tab", "tab")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "vocabulary"
        table = screen.query_one("#terms-table", DataTable)
        row = next(i for i, t in enumerate(screen.terms) if t.term == "HerzBand")
        assert "June 2026" not in screen_text(app)  # cut in the list
        await pilot.press(*["j"] * row)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "HerzBand 2 received CE marking in June" in text and "2026." in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and table.cursor_row == row
