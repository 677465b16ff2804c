"""What the keys and the mouse do to the open article's spans in the annotation window.

The rules (what a label key makes of a selection, which span a click selects, how far an
edge moves) are in ``core/editing.py``; here they meet the window: the selection in the
text and in the span list are kept in step, an edit becomes a ``SpanChange`` on the undo
stack, and a refusal is said in the status bar.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent

from annotator.core import editing
from annotator.core.model import Span
from annotator.core.relations import what_became_of_claims
from annotator.core.text import isolated
from annotator.nlp.tokens import blank_english_ready
from annotator.ui.article_commands import with_start
from annotator.ui.every_mention import offer_every_mention
from annotator.ui.open_article import text_order
from annotator.ui.span_commands import SpanChange

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

Rule = Callable[[list[Span]], "editing.SpanEdit | Span | None"]

#: What a span gesture with no span selected says (from the keyboard, Tab selects one).
SELECT_A_SPAN = "Select a span first (click it, or Tab to it)"

#: The span list follows the text this long after an edit (see ``show_change``).
SPAN_LIST_AFTER_EDIT_MS = 40


class SpanEditor:
    """The span gestures of one window, which span is selected, and the spans redrawn
    after each change."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.selected_span_id: int | None = None
        #: The span Esc let go of, and where it left the caret (its end): Tab from there
        #: goes on from that span, to the names inside a claim too.
        self.left: tuple[int | None, int] | None = None
        self.exact_boundaries = False
        self.written: editing.SpanEdit | None = None  # the last gesture's edit, once on disk
        self.span_list_soon = QTimer(window, singleShot=True, interval=0)
        self.span_list_soon.timeout.connect(self.refresh_span_list)
        self._tokenize_soon = QTimer(window, singleShot=True, interval=50)
        self._tokenize_soon.timeout.connect(self._tokenize_a_stretch)

    def toggle_exact_boundaries(self, exact: bool) -> None:
        """Edit → Exact boundaries: new spans snap to whole tokens, or take the characters."""
        self.exact_boundaries = exact
        self.window.exact_label.setVisible(exact)
        self.say(f"New spans snap to {'exact characters' if exact else 'whole tokens'}")

    def say(self, message: str, ms: int = 3000) -> None:
        self.window.statusBar().showMessage(message, ms)

    @property
    def selected(self) -> Span | None:
        current = self.window.current
        return current.span(self.selected_span_id) if current is not None else None

    def tokenize_while_reading(self) -> None:
        """An article was opened: tokenize it while the annotator reads (50 ms from now, a
        stretch per turn of the event loop, the one on screen first), so a key seldom
        waits for the tokenizer and nothing stalls."""
        self._tokenize_soon.start(50)

    def _tokenize_a_stretch(self) -> None:
        if not blank_english_ready():  # still built on its thread: waiting would stall
            self._tokenize_soon.start(50)
            return
        current = self.window.current
        if current is not None and current.tokens.prepare(self.window.view.visible_offset()):
            self._tokenize_soon.start(0)

    def stop(self) -> None:
        """The window closes: no timer may touch the article any more."""
        self._tokenize_soon.stop()
        self.span_list_soon.stop()

    def tokens(self):
        """What new spans snap to: the article's tokens, or ``None`` for exact characters."""
        current = self.window.current
        assert current is not None
        return None if self.exact_boundaries else current.tokens

    # -- gestures --------------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """The label key: relabel the selected span, or make a span of the selected text."""
        current = self.window.current
        if current is None:
            return
        start, end = self.window.view.selected_range()
        selected = self.selected
        kinds = self.window.kinds
        text = current.article.text
        self.edit(
            lambda spans: editing.label_selection(
                spans, selected, start, end, label, kinds, self.tokens(), text
            )
        )
        made = self.written
        if made is not None and not made.removed and self.window.current is current:
            offer_every_mention(self)  # a new span that replaced nothing (which is said)

    def create_span(self, start: int, end: int, label: str) -> Span | None:
        """Make a span of ``label`` over a selection (see ``core.editing.create``); returns
        it as stored, or ``None`` if the rules refused."""
        if self.window.current is None:
            return None
        kinds = self.window.kinds
        made = self.edit(
            lambda spans: editing.create(spans, start, end, label, kinds, self.tokens())
        )
        return self.selected if made else None

    def delete_selected_span(self) -> None:
        in_list = self.window.span_list.hasFocus()
        deleted = self.selected
        self.edit_selected(lambda spans, span: editing.delete(span))
        current = self.window.current
        if in_list and deleted is not None and self.written is not None and current is not None:
            # In the list, Del moves on to the next row, as lists do: the list went back to
            # its top, and Down then Del deleted the article's first span.
            after = [s for s in current.spans if (s.start, s.end) > (deleted.start, deleted.end)]
            following = after[0] if after else (current.spans[-1] if current.spans else None)
            if following is not None:
                self.select_span(following)

    def move_edge(self, edge: str, step: int) -> None:
        """Widen (+1) or narrow (-1) the selected span by one token at ``edge``; with no span
        selected, the text's selection from the caret (words chosen from the keyboard, for
        a label key or a source)."""
        current = self.window.current
        if current is None:
            return
        view = self.window.view
        option = view.document().defaultTextOption()
        if option.textDirection() == Qt.LayoutDirection.RightToLeft:
            step = -step  # right to left, → goes back in the text: the arrows keep their side
        if self.selected is None:
            start, end = view.selected_range()
            start, end = current.tokens.move_edge(start, end, edge, step)
            view.select_range(start, end)
            return
        kinds = self.window.kinds
        self.edit_selected(
            lambda spans, span: editing.move_edge(
                spans, span, current.tokens, edge, step, kinds, current.article.text
            )
        )

    def edit_selected(self, rule: Callable[[list[Span], Span], editing.SpanEdit]) -> None:
        if self.window.current is None:
            return
        span = self.selected
        if span is None:
            self.say(SELECT_A_SPAN)
            return
        self.edit(lambda spans: rule(spans, span))

    def edit(self, rule: Rule) -> bool:
        """Ask a rule for the edit of the open article's spans and push it, or say why not.
        Returns whether the rule accepted the gesture."""
        window = self.window
        current = window.current
        assert current is not None
        self.written = None
        if current.loading:
            self.say("Still opening this article…")
            return False
        try:
            edit = rule(current.spans)
        except editing.EditRefused as refusal:
            self.say(str(refusal), 5000)
            return False
        if isinstance(edit, Span):  # the span exists already: select it
            self.select_span(edit)
        elif edit is not None:
            change = SpanChange.of_open_article(window, edit)
            if window.push(with_start(window, change)):  # the first edit copies suggestions
                self.written = edit
                self._say_replaced(edit, change, current.article.text)
        return True

    def _say_replaced(self, edit: editing.SpanEdit, change: SpanChange, text: str) -> None:
        """A new span that took the place of others says which, and what became of the
        claims whose source it replaced: a source inside it is it now, else they lost it."""
        kept = {span.id for span in edit.added}
        replaced = [span for span in edit.removed if span.id is None or span.id not in kept]
        if replaced and edit.added:
            new = edit.added[0]
            names = ", ".join(f"{s.label} '{isolated(s.text(text))}'" for s in replaced)
            said = f"{new.label} '{isolated(new.text(text))}' replaced {names}"
            became = what_became_of_claims(
                [r.label for r in change.carried], [r.label for r in change.dropped]
            )
            self.say(f"{'; '.join([said, *became])} (Ctrl+Z undoes it)", 8000)

    # -- selection: the text and the list in step ------------------------------------------

    def select_span(self, span: Span, scroll: bool = True) -> None:
        self.selected_span_id = span.id
        view = self.window.view
        view.select_range(span.start, span.end, scroll)
        self.window.span_list.select_span(span.id)
        self.window.claims.show_focus()
        # Said to a screen reader, which read the words and not which label they have.
        view.setAccessibleDescription(self.span_tip(span.start, span) or "")
        QAccessible.updateAccessibility(
            QAccessibleEvent(view, QAccessible.Event.DescriptionChanged)
        )

    def span_tip(self, offset: int, span: Span | None = None) -> str | None:
        """What the span at ``offset`` is, in words: its label, its text and what it refers
        to (the text's tooltip; colour alone said it, and LOCATION and FACTION look alike
        in greyscale)."""
        current = self.window.current
        if current is None:
            return None
        span = span or editing.span_under(current.spans, offset, None)
        if span is None:
            return None
        words = " ".join(span.text(current.article.text).split())
        tip = f"{span.label}: {words[:80]}{'…' if len(words) > 80 else ''}"
        reference = self.window.span_model.describe(span)
        return f"{tip}\n{reference.text}" if reference is not None else tip

    def selection_moved(self) -> None:
        """The text's selection changed: a span clicked before and no longer shown selected
        (another stretch dragged, the caret moved) is no longer the one Del, Shift+arrows
        or a label key act on."""
        view = self.window.view
        if view.pressing:
            return  # a click on the selected span takes the enclosing one: decided on release
        span = self.selected
        if span is not None and view.selected_range() != (span.start, span.end):
            self._forget_selected()

    def span_clicked(self, offset: int) -> None:
        """Select the innermost span under a click; clicking again takes the enclosing one."""
        current = self.window.current
        if current is None:
            return
        if self.window.claims.is_choosing:  # the click chooses a claim's source
            self.window.claims.clicked(offset)
            return
        chosen = editing.span_under(current.spans, offset, self.selected)
        if chosen is None:
            self._forget_selected()
        else:
            self.select_span(chosen, scroll=False)

    def select_next_span(self, step: int = 1) -> None:
        current = self.window.current
        if current is None:
            return
        view = self.window.view
        caret = view.selected_range()[0]
        choosing = self.window.claims.choosing
        # Choosing a source, the walk starts from the claim and passes over it: the claim
        # is not its own source.
        selected = self.selected or (choosing.anchor if choosing is not None else None)
        if selected is None and self.left is not None and self.left[1] == caret:
            selected = current.span(self.left[0])  # (Esc's caret after a claim: not past it)
        if not view.caret_on_screen():  # scrolled away with the wheel: from what is shown
            selected = None  # (it went back to the article's first span, at the top)
            caret = view.visible_offset() if step > 0 else view.visible_end() + 1
        chosen = editing.next_span(current.spans, selected, caret, step)
        if choosing is not None and chosen is not None and chosen.id == choosing.anchor.id:
            chosen = editing.next_span(current.spans, chosen, caret, step)
        if chosen is not None:
            self.select_span(chosen)
            if choosing is not None:  # a refusal said of the span before is said no more
                self.window.claims.prompt_again()

    def clear_selection(self, at_end: bool = False) -> None:
        left = self.selected_span_id
        self._forget_selected()
        self.window.view.clear_selection(at_end)
        if at_end and left is not None:
            self.left = (left, self.window.view.selected_range()[1])

    def _forget_selected(self) -> None:
        """No span selected: not in the list, and no claim's links drawn."""
        self.selected_span_id = None
        self.window.span_list.clear_span_selection()
        self.window.claims.show_focus()

    # -- redrawing -------------------------------------------------------------------------

    def show_change(self, removed: list[Span], added: list[Span]) -> None:
        """An edit of the open article was written: redraw the paragraphs it touched."""
        current = self.window.current
        assert current is not None
        gone = {s.id for s in removed}
        spans = [s for s in current.spans if s.id not in gone]
        for span in added:  # the list stays in text order without sorting it all again
            insort(spans, span, key=text_order)
        current.spans = spans
        self.window.view.update_spans(removed, added, current.confirmed)
        self.window.claims.spans_changed(removed, added)  # links may have gone or come back
        self.window.entity_links.spans_changed(removed, added)  # and verdicts
        # The list follows a moment later: an annotator pressing keys in a row sees each
        # edit in the text at once, and the list is drawn once for the run. (Unless it
        # still shows another article: then at once.)
        current_list = self.window.span_model.article_id == current.id
        self.span_list_soon.start(SPAN_LIST_AFTER_EDIT_MS if current_list else 0)

    def show_stored(self, spans: list[Span]) -> None:
        """The open article's spans as the project holds them now (another window wrote)."""
        current = self.window.current
        assert current is not None
        current.spans = spans
        self.window.entity_links.spans_stored(spans)
        self.window.view.redraw_spans(spans, current.confirmed)
        if self.selected_span_id is not None and self.selected is None:
            self.clear_selection()  # the selected span is gone
        self.window.claims.refresh()
        self.span_list_soon.start(0)

    def refresh_span_list_soon(self) -> None:
        self.span_list_soon.start(0)

    def refresh_span_list(self) -> None:
        """Bring the span list up to date. It runs just after the article is drawn: a table
        of many rows costs more to paint than the highlighted text itself."""
        current = self.window.current
        model = self.window.span_model
        if current is None:
            model.set_spans("", [], False, None)
            return
        another_article = model.article_id != current.id
        model.set_spans(current.article.text, current.spans, current.confirmed, current.id)
        self.window.claims.fill_span_list()
        if another_article:
            self.window.span_list.scrollToTop()  # not where the last article's list was
        self.window.span_list.select_span(self.selected_span_id)

    def after_change(self, added: list[Span]) -> None:
        """After an edit: a single new span is selected, otherwise nothing."""
        if len(added) == 1:
            self.select_span(added[0])
        else:
            self.selected_span_id = None
            self.window.view.clear_selection()
            self.window.claims.show_focus()
