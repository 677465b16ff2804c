"""The review screen's gold lane edited directly, by the rules of the annotation window
(``core/editing.py``): click a span, ``Ctrl+1/2/3…`` label the selection or relabel the
clicked span, ``Del`` removes it. Each edit is a ``GoldChange`` made by the window. A
claim's source and attributes are set in ``review_gold_claims.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core import editing
from annotator.core.lazy_tokens import LazyTokens
from annotator.core.model import Span
from annotator.core.relations import carried_by_value, what_became_of_claims
from annotator.core.text import isolated
from annotator.nlp.tokens import token_bounds

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


class GoldLaneEditor:
    """Which gold span is selected, and the gestures on the gold lane."""

    def __init__(self, window: ReviewWindow):
        self.window = window
        self.selected: Span | None = None
        self._tokens: LazyTokens | None = None

    def forget(self) -> None:
        """Another article (or gold written again): nothing is selected, no source is
        being chosen."""
        self.selected = None
        self._tokens = None
        self.window.claims.cancel(quiet=True)

    def tokens(self) -> LazyTokens:
        """The open article's words, cut when first asked for."""
        if self._tokens is None:
            text = self.window.review.article.text if self.window.review is not None else ""
            self._tokens = LazyTokens(text, token_bounds)
        return self._tokens

    def clicked(self, offset: int) -> None:
        window = self.window
        if window.claims.choosing is not None:
            window.claims.clicked(offset)  # the source (or claim) being chosen
            return
        self.selected = editing.span_under(window.gold, offset, self.selected)
        if self.selected is not None:
            span = self.selected
            window.gold_view.select_range(span.start, span.end, scroll=False)

    def label_selection(self, label: str) -> None:
        """Relabel the clicked gold span, or add a span over the selection."""
        window = self.window
        if window.review is None:
            return
        start, end = window.gold_view.selected_range()
        text = window.review.article.text
        tokens, selected, kinds = self.tokens(), self.still_selected(), window.kinds
        self._edit(
            lambda: editing.label_selection(
                window.gold, selected, start, end, label, kinds, tokens, text
            )
        )

    def still_selected(self) -> Span | None:
        """The gold span the reviewer has selected: the one clicked, while the lane still
        shows it selected (the caret moved by the keys leaves it), or the one whose words
        were selected from the keyboard exactly."""
        shown = self.window.gold_view.selected_range()
        if self.selected is not None and (self.selected.start, self.selected.end) == shown:
            return self.selected
        text = self.window.review.article.text if self.window.review is not None else ""
        start, end = shown
        words = (start + len(text[start:end]) - len(text[start:end].lstrip()),
                 end - len(text[start:end]) + len(text[start:end].rstrip()))  # fmt: skip
        # Ctrl+Shift+→ takes the space after a word: the words alone are the span's.
        return next((s for s in self.window.gold if (s.start, s.end) == words), None)

    def delete_selected(self) -> None:
        selected = self.still_selected()
        if selected is None:
            self.window.statusBar().showMessage(
                "Select a span in the gold lane first (click it, or select its words)", 3000
            )
            return
        self._edit(lambda: editing.delete(selected))
        # Its words stayed selected, as if it were still there (and a second Del said
        # "Select a span first"); the annotation window lets them go too.
        self.selected = None
        self.window.gold_view.clear_selection()

    def _edit(self, rule: Callable[[], editing.SpanEdit | Span | None]) -> None:
        window = self.window
        text = window.review.article.text if window.review is not None else ""
        try:
            edit = rule()
        except editing.EditRefused as refusal:
            window.statusBar().showMessage(str(refusal), 4000)
            return
        if isinstance(edit, editing.SpanEdit):
            after = editing.applied(window.gold, edit)
            # A claim's source replaced by a span drawn over it and more: that span is the
            # source now (it was dropped unsaid), as in the annotation window.
            claims, carried, dropped = carried_by_value(
                window.gold_claims, edit.removed, edit.added, window.claim_scheme.relation_types
            )
            done = window.push(
                window.gold_change(after, f"gold: {edit.description}", claims=claims)
            )
            if done and (carried or dropped) and edit.added:
                new = edit.added[0]
                became = what_became_of_claims(
                    [r.label for r in carried], [r.label for r in dropped]
                )
                joint = ": " if carried else "; "
                said = f"Gold: {new.label} '{isolated(new.text(text))}'{joint}{'; '.join(became)}"
                window.statusBar().showMessage(f"{said} (Ctrl+Z undoes it)", 8000)
