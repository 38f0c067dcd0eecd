"""The dossier's Vocabulary tab: the glossary (the company's terms and the global ones), the suggestions mined
from the company's news below it, and the interview drill.

The glossary arrives through the dossier's tab loading (CompanyScreen); suggestions are mined in a thread
worker of their own the first time the tab is shown (seconds on a big notebook: the glossary answers keys
meanwhile), and again after a sync. (A child process instead of the thread was tried: on two shared vCPUs it
stalled the event loop no less, and took longer.) Every change goes through the functions `researcher term ...` calls:
add_glossary_term, edit_term, remove_term, accept_suggestion, dismiss_suggestion, drill_order, record_drill.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from researcher.insight import dossier
from researcher.insight.vocabulary import (
    Suggestion,
    Suggestions,
    accept_suggestion,
    dismiss_suggestion,
    drill_order,
    suggest_terms,
)
from researcher.store import Notebook, ResearcherError
from researcher.store.mentions import words
from researcher.store.models import Term
from researcher.tui import safe
from researcher.tui.highlight import Glossary

SUGGESTIONS = 30  # suggestions listed


def glossary(nb: Notebook, company_id: int) -> list[Term]:
    """The company's glossary (the dossier's part) and then the global one: what `researcher term list C` lists."""
    own = dossier.PARTS["vocabulary"](nb, company_id)
    return own + [t for t in nb.terms(company_id, include_global=True) if t.company_id is None]


class _Hopping(DataTable):
    """A list whose cursor moves on into the next list (or back into the one before) at its ends."""

    onward = 0  # 1: down at the last row goes on into the list below; -1: up at the first row, into the one above

    def _tab(self) -> VocabularyTab:
        return self.query_ancestor(VocabularyTab)

    def action_cursor_down(self) -> None:
        at_end = self.row_count == 0 or self.cursor_row >= self.row_count - 1
        if not (self.onward > 0 and at_end and self._tab().hop(self, 1)):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not (self.onward < 0 and (self.cursor_row or 0) <= 0 and self._tab().hop(self, -1)):
            super().action_cursor_up()


class GlossaryTable(_Hopping):
    onward = 1
    BINDINGS = [
        Binding("a", "add_term", "Add term", tooltip="To this company's glossary or the global one"),
        Binding("e", "edit_term", "Edit term"),
        Binding("d", "delete_term", "Delete term", tooltip="Asks first"),
    ]

    def action_add_term(self) -> None:
        self._tab().add_term()

    def action_edit_term(self) -> None:
        self._tab().edit_term()

    def action_delete_term(self) -> None:
        self._tab().delete_term()


class SuggestionTable(_Hopping):
    onward = -1
    BINDINGS = [
        Binding("a", "accept", "Accept", tooltip="Add the suggestion to the glossary; then type its meaning"),
        Binding("x", "dismiss", "Dismiss", tooltip="Never suggested for this company again"),
    ]

    def action_accept(self) -> None:
        self._tab().accept()

    def action_dismiss(self) -> None:
        self._tab().dismiss_suggestion()


class VocabularyTab(Vertical):
    BINDINGS = [Binding("r", "drill", "Drill", tooltip="Rehearse the glossary: not-yet terms come first")]

    DEFAULT_CSS = """
    VocabularyTab #terms-table {
        height: 1fr;
        min-height: 4;
    }
    VocabularyTab #suggestions-table {
        height: 1fr;
        min-height: 4;
    }
    VocabularyTab .vocabulary-heading {
        height: 1;
        padding: 0 1;
        background: $primary 15%;
    }
    VocabularyTab #suggestion-detail {
        height: auto;
        max-height: 3;
        padding: 0 1;
    }
    """

    class Changed(Message):
        """The glossary changed: the tabs that show its terms (the Overview's count, the highlights) follow."""

        def __init__(self, keep: int | None = None) -> None:
            super().__init__()
            self.keep = keep

    def __init__(self, company_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.company_id = company_id
        self.company_name = ""
        self.terms: list[Term] = []
        self.suggestions: list[Suggestion] = []
        self.found: Suggestions | None = None
        self.suggestions_stale = True  # mined when the glossary is next shown
        self._keep_term: int | None = None
        self._width = 0
        self._generation = 0  # of the mining under way

    def compose(self) -> ComposeResult:
        yield GlossaryTable(cursor_type="row", zebra_stripes=True, id="terms-table")
        yield Static(
            Text("Suggestions from the news", style="bold"), id="suggestions-title", classes="vocabulary-heading"
        )
        yield SuggestionTable(cursor_type="row", zebra_stripes=True, id="suggestions-table")
        yield Static(id="suggestion-detail")
        yield Static(
            Text(
                "enter reads a term whole · r drill · on a suggestion: a accepts, x dismisses",
                style="dim",
            ),
            classes="hint",
        )

    def on_mount(self) -> None:
        self._columns()

    def on_resize(self) -> None:
        self._columns()

    @property
    def glossary_table(self) -> GlossaryTable:
        return self.query_one(GlossaryTable)

    @property
    def suggestion_table(self) -> SuggestionTable:
        return self.query_one(SuggestionTable)

    def _columns(self) -> None:
        """(Re)lay the columns out for the screen's width: long meanings and sentences must not push the rest off."""
        width = self.app.size.width
        if width == self._width:
            return
        self._width = width
        terms = self.glossary_table
        terms.clear(columns=True)
        terms.add_column("Term", width=20)
        terms.add_column("Meaning", width=max(24, width - 52))
        terms.add_column("Seen in", width=22)
        found = self.suggestion_table
        found.clear(columns=True)
        found.add_column("Suggested", width=22)
        found.add_column("Times", width=14)
        found.add_column("In the sentence", width=max(22, width - 46))
        if self.terms:
            self._fill_terms(self.terms)
        if self.suggestions or self.found is not None:
            self._fill_suggestions(self.suggestion_table.cursor_row or 0)

    # -- the glossary --------------------------------------------------------------

    def show_terms(self, terms: list[Term]) -> None:
        """The glossary as read (by the dossier's loading), keeping the reader's place; suggestions are mined the
        first time, and after a sync."""
        self._fill_terms(terms)
        if self.suggestions_stale:
            self.load_suggestions()
        else:
            self._drop_known()

    def _fill_terms(self, terms: list[Term]) -> None:
        table = self.glossary_table
        row = table.cursor_row or 0
        keep = self._keep_term
        if keep is None and 0 <= row < len(self.terms):
            keep = self.terms[row].id
        self._keep_term = None
        self.terms = terms
        table.clear()
        for t in terms:
            seen = Text("global · ", style="dim") if t.company_id is None else Text()
            seen.append_text(safe.line(t.seen_in, style="dim"))
            table.add_row(safe.line(t.term, style="bold"), safe.line(t.definition), seen)
        if not terms:
            table.add_row(Text("No terms yet: press a to add one.", style="dim italic"), "", "")
        else:
            ids = [t.id for t in terms]
            table.move_cursor(row=ids.index(keep) if keep in ids else min(row, len(terms) - 1))

    def current_term(self) -> Term | None:
        row = self.glossary_table.cursor_row
        if row is None or not 0 <= row < len(self.terms):
            return None
        return self.terms[row]

    def _changed(self, keep: int | None = None) -> None:
        self._keep_term = keep
        self.post_message(self.Changed(keep))

    def add_term(self) -> None:
        from researcher.tui.widgets.term_form import TermForm

        self.app.push_screen(
            TermForm(self.company_id, self.company_name), lambda saved: saved is not None and self._changed(saved)
        )

    def edit_term(self) -> None:
        from researcher.tui.widgets.term_form import TermForm

        term = self.current_term()
        if term is not None:
            self.app.push_screen(
                TermForm(self.company_id, self.company_name, term),
                lambda saved: saved is not None and self._changed(saved),
            )

    def delete_term(self) -> None:
        from researcher.tui.widgets.confirm import ConfirmModal

        term = self.current_term()
        if term is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.nb.remove_term(term.id)
            except ResearcherError as exc:
                self.app.report(exc)
                return
            self.app.notify(f"Removed {term.term} from the glossary.", markup=False)
            self._changed()

        where = "the global glossary" if term.company_id is None else "this company's glossary"
        question = Text.assemble("Delete “", safe.line(term.term), f"” from {where}, with its drill history?")
        self.app.push_screen(ConfirmModal(question), answered)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table is self.glossary_table:
            from researcher.tui.widgets.term_view import TermView

            term = self.current_term()
            if term is not None:
                self.app.push_screen(TermView(term))
        else:
            self.accept()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.data_table is self.suggestion_table:
            self._detail()

    def hop(self, table: DataTable, delta: int) -> bool:
        """Move from the end of one list into the other; False when there is nothing to move to."""
        other = self.suggestion_table if delta > 0 else self.glossary_table
        if other is table or not other.row_count:
            return False
        other.move_cursor(row=0 if delta > 0 else other.row_count - 1)
        other.focus()
        return True

    # -- suggestions ---------------------------------------------------------------

    def load_suggestions(self) -> None:
        self.suggestions_stale = False
        self.suggestion_table.loading = True
        self._generation += 1
        self._mine(self._generation)

    @work(thread=True, exclusive=True, group="vocabulary-suggest", exit_on_error=False)
    def _mine(self, generation: int) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                found = suggest_terms(nb, self.company_id, limit=SUGGESTIONS)
        except Exception as exc:  # shown the one way every error is
            self.app.call_from_thread(self._mining_failed, generation, exc)
            return
        self.app.call_from_thread(self._mined, generation, found)

    def _mining_failed(self, generation: int, error: Exception) -> None:
        if not self.is_mounted or generation != self._generation:
            return
        self.suggestion_table.loading = False
        self.suggestions_stale = True  # tried again when the glossary is next shown
        self.query_one("#suggestion-detail", Static).update(Text("Suggestions could not be read.", style="dim italic"))
        self.app.report(error)

    def _mined(self, generation: int, found: Suggestions) -> None:
        if not self.is_mounted or generation != self._generation:
            return  # a later mining (after a sync) is under way: its result is the one to show
        self.suggestion_table.loading = False
        row = self.suggestion_table.cursor_row or 0
        self.found = found
        self.suggestions = list(found.suggestions)
        heading = Text("Suggestions from the news", style="bold")
        heading.append(f"  {found.items_read} items read", style="dim")
        if found.languages:
            heading.append(f" ({', '.join(found.languages)})", style="dim")
        heading.append(f" against {found.items_elsewhere} elsewhere", style="dim")
        self.query_one("#suggestions-title", Static).update(heading)
        self._drop_known()
        self._fill_suggestions(row)

    def _drop_known(self) -> None:
        """Suggestions now in the glossary (added by hand meanwhile) go from the list."""
        known = {" ".join(words(t.term)) for t in self.terms}
        kept = [s for s in self.suggestions if " ".join(words(s.term)) not in known]
        if len(kept) != len(self.suggestions):
            self.suggestions = kept
            self._fill_suggestions(self.suggestion_table.cursor_row or 0)

    def _fill_suggestions(self, row: int) -> None:
        table = self.suggestion_table
        table.clear()
        for s in self.suggestions:
            sentence = Glossary([s.term]).stylize(safe.line(s.example, style="italic"))
            table.add_row(
                safe.line(s.term, style="bold"),
                Text(f"{s.count}× in {s.items} item" + ("s" if s.items != 1 else ""), style="dim"),
                sentence,
            )
        if not self.suggestions:
            what = "No suggestions: the company's news has no terms it holds more than the rest."
            if self.found is not None and not self.found.items_read:
                what = "No suggestions: no news of this company yet (press f to follow a feed, s to sync)."
            table.add_row(Text(what, style="dim italic"), "", "")
        else:
            table.move_cursor(row=min(row, len(self.suggestions) - 1))
        self._detail()

    def current_suggestion(self) -> Suggestion | None:
        row = self.suggestion_table.cursor_row
        if row is None or not 0 <= row < len(self.suggestions):
            return None
        return self.suggestions[row]

    def _detail(self) -> None:
        """The highlighted suggestion's sentence, whole, and the item it is from."""
        s = self.current_suggestion()
        detail = self.query_one("#suggestion-detail", Static)
        if s is None:
            detail.update("")
            return
        text = Glossary([s.term]).stylize(safe.block(f"“{s.example}”", style="italic"))
        text.append("  from ", style="dim")
        text.append_text(safe.line(s.item_title, style="dim"))
        text.append(f"  · {s.kind}, {s.elsewhere} items elsewhere", style="dim")
        detail.update(text)

    def _remove_suggestion(self, s: Suggestion) -> None:
        """The suggestion goes from the list; the cursor stays where it was, now on the next one."""
        if s in self.suggestions:
            row = self.suggestions.index(s)
            self.suggestions.remove(s)
            self._fill_suggestions(row)

    def accept(self) -> None:
        from researcher.tui.widgets.term_form import AcceptForm

        s = self.current_suggestion()
        if s is None:
            return

        def typed(meaning: str | None) -> None:
            if meaning is not None:
                self._remove_suggestion(s)
                self._accept(s, meaning)

        self.app.push_screen(AcceptForm(s), typed)

    @work(thread=True, group="vocabulary-accept", exit_on_error=False)
    def _accept(self, s: Suggestion, meaning: str) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                added = accept_suggestion(nb, self.company_id, s.term, meaning=meaning)
        except Exception as exc:
            self.app.call_from_thread(self._undo, s, exc)
            return
        self.app.call_from_thread(self._accepted, added)

    def _accepted(self, added: Term) -> None:
        if self.is_mounted:
            self.app.notify(f"Added {added.term} to the glossary of {added.company}.", markup=False)
            self._changed(added.id)

    def _undo(self, s: Suggestion, error: Exception) -> None:
        """An accept or a dismissal failed: the suggestion comes back where it was, the error is shown."""
        self.app.report(error)
        if self.is_mounted and s not in self.suggestions:
            self.suggestions.append(s)
            self.suggestions.sort(key=lambda x: (-x.score, -x.count, x.term.casefold()))
            self._fill_suggestions(self.suggestion_table.cursor_row or 0)

    def dismiss_suggestion(self) -> None:
        s = self.current_suggestion()
        if s is not None:
            self._remove_suggestion(s)
            self._dismiss(s)

    @work(thread=True, group="vocabulary-dismiss", exit_on_error=False)
    def _dismiss(self, s: Suggestion) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                shown = dismiss_suggestion(nb, self.company_id, s.term)
        except Exception as exc:
            self.app.call_from_thread(self._undo, s, exc)
            return
        self.app.call_from_thread(self.app.notify, f"{shown} will not be suggested again.", markup=False)

    # -- the drill -----------------------------------------------------------------

    def action_drill(self) -> None:
        self._drill_cards()

    @work(thread=True, exclusive=True, group="vocabulary-drill", exit_on_error=False)
    def _drill_cards(self) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:
                cards = drill_order(nb, self.company_id)
        except Exception as exc:
            self.app.call_from_thread(self.app.report, exc)
            return
        self.app.call_from_thread(self._start_drill, cards)

    def _start_drill(self, cards: list) -> None:
        from researcher.tui.widgets.drill import DrillScreen

        if not self.is_mounted:
            return
        if not cards:
            self.app.notify("No terms to drill yet: press a to add one, or accept a suggestion.", severity="warning")
            return

        def done(result: tuple[int, int] | None) -> None:
            if result and sum(result):
                self.app.notify(f"{result[0]} known, {result[1]} not yet (those come first next time).")

        self.app.push_screen(DrillScreen(cards), done)
