"""What the review window shows once one of its commands wrote (``gold_commands.py``,
``review_articles.py``): gold after a choice, an edit, an undo or redo of one, with the
disagreement to go on from; an article's review status, marked or undone. Either may reach
back to another article (an undo), which opens first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import GOLD, Span
from annotator.review.adjudication import open_review
from annotator.review.disagreements import review_statuses
from annotator.ui.review_claims import review_items, show_claim_tags, show_current_links

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def show_gold_written(
    window: ReviewWindow, article_id: int, spans: list[Span], focus: int | None
) -> None:
    """Gold was written as ``spans``; ``focus`` is the disagreement to make current: the one
    undone, or the next after a choice."""
    if window.review is None or article_id != window.review.article.id:
        window.open_article(article_id)  # an undo reached back to another article
    assert window.review is not None
    if not window.review.gold_saved or not spans:
        # gold saved from now on; or, its first save undone, the agreed spans again
        window.review = open_review(window.store, article_id)
        window.items = review_items(window.review)
        window.disagreement_model.review = window.review
        window.disagreement_model.rows = window.items
        spans = spans if window.review.gold_saved else list(window.review.gold)
    window.gold = spans
    # Unsaved (its first save undone), gold is the agreed claim work, as on opening:
    # gold's stored (none) dropped every agreed source and value at the next choice.
    saved = window.review.gold_saved
    window.gold_claims = (
        window.store.claim_work(article_id, GOLD) if saved else window.review.gold_claims
    )
    window.gold_editor.forget()
    window.gold_view.redraw_spans(spans, confirmed=True)
    show_claim_tags(window)  # gold may number a claim no lane had: every lane follows
    show_current_links(window)
    window.disagreement_model.set_gold(spans, window.gold_claims)
    status = review_statuses(window.store).get(article_id, "todo")  # ◉ stays until Enter
    window.article_model.set_status(article_id, status)
    window.update_progress()
    if focus is not None:
        window.go_after_choice(focus)
    elif window.current is not None:
        window.show_where()


def show_status_written(window: ReviewWindow, article_id: int, status: str) -> None:
    """An article's review status was written (marked reviewed, or that undone)."""
    window.article_model.set_status(article_id, status)
    window.update_progress()
    if window.review is None or window.review.article.id != article_id:
        window.open_article(article_id)  # an undo reached back: show what it changed
    assert window.review is not None
    title = window.review.article.title or f"article {article_id}"
    words = {"done": "reviewed", "in_progress": "review in progress"}
    window.statusBar().showMessage(f"“{title}”: {words.get(status, 'not reviewed')}", 3000)
