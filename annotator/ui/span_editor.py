"""What the keys and the mouse do to the open article's spans in the annotation window.

The rules (what a label key makes of a selection, which span a click selects, how far an
edge moves) are in ``core/editing.py``; here they meet the window: the selection in the
text and in the span list are kept in step, an edit becomes a ``SpanChange`` on the undo
stack, and a refusal is said in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core import editing
from annotator.core.model import Span
from annotator.ui.commands import SpanChange

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

Rule = Callable[[list[Span]], "editing.SpanEdit | Span | None"]


class SpanEditor:
    """The span gestures of one window, and which span is selected."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.selected_span_id: int | None = None
        self.exact_boundaries = False

    def _say(self, message: str, ms: int = 3000) -> None:
        self.window.statusBar().showMessage(message, ms)

    @property
    def selected(self) -> Span | None:
        current = self.window.current
        return current.span(self.selected_span_id) if current is not None else None

    def _tokens(self):
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
                spans, selected, start, end, label, kinds, self._tokens(), text
            )
        )

    def create_span(self, start: int, end: int, label: str) -> Span | None:
        """Make a span of ``label`` over a selection (see ``core.editing.create``); returns
        it as stored, or ``None`` if the rules refused."""
        if self.window.current is None:
            return None
        kinds = self.window.kinds
        made = self.edit(
            lambda spans: editing.create(spans, start, end, label, kinds, self._tokens())
        )
        return self.selected if made else None

    def delete_selected_span(self) -> None:
        self._edit_selected(lambda spans, span: editing.delete(span))

    def move_edge(self, edge: str, step: int) -> None:
        """Widen (+1) or narrow (-1) the selected span by one token at ``edge``."""
        current = self.window.current
        if current is None:
            return
        kinds = self.window.kinds
        self._edit_selected(
            lambda spans, span: editing.move_edge(
                spans, span, current.tokens, edge, step, kinds, current.article.text
            )
        )

    def _edit_selected(self, rule: Callable[[list[Span], Span], editing.SpanEdit]) -> None:
        if self.window.current is None:
            return
        span = self.selected
        if span is None:
            self._say("Click a span first")
            return
        self.edit(lambda spans: rule(spans, span))

    def edit(self, rule: Rule) -> bool:
        """Ask a rule for the edit of the open article's spans and push it, or say why not.
        Returns whether the rule accepted the gesture."""
        window = self.window
        current = window.current
        assert current is not None
        try:
            edit = rule(current.spans)
        except editing.EditRefused as refusal:
            self._say(str(refusal), 5000)
            return False
        if isinstance(edit, Span):  # the span exists already: select it
            self.select_span(edit)
        elif edit is not None:
            window.undo_stack.push(
                SpanChange(
                    window.store,
                    window,
                    current.id,
                    window.annotator,
                    edit.removed,
                    edit.added,
                    edit.description,
                )
            )
        return True

    # -- selection: the text and the list in step ------------------------------------------

    def select_span(self, span: Span, scroll: bool = True) -> None:
        self.selected_span_id = span.id
        self.window.view.select_range(span.start, span.end, scroll)
        self.window.span_list.select_span(span.id)

    def span_clicked(self, offset: int) -> None:
        """Select the innermost span under a click; clicking again takes the enclosing one."""
        current = self.window.current
        if current is None:
            return
        chosen = editing.span_under(current.spans, offset, self.selected)
        if chosen is None:
            self.selected_span_id = None
            self.window.span_list.clear_span_selection()
        else:
            self.select_span(chosen, scroll=False)

    def select_next_span(self, step: int = 1) -> None:
        current = self.window.current
        if current is None:
            return
        caret = self.window.view.selected_range()[0]
        chosen = editing.next_span(current.spans, self.selected, caret, step)
        if chosen is not None:
            self.select_span(chosen)

    def clear_selection(self) -> None:
        self.selected_span_id = None
        self.window.view.clear_selection()
        self.window.span_list.clear_span_selection()

    def after_change(self, added: list[Span]) -> None:
        """After an edit: a single new span is selected, otherwise nothing."""
        if len(added) == 1:
            self.select_span(added[0])
        else:
            self.selected_span_id = None
            self.window.view.clear_selection()
