"""What the annotation window shows once one of its commands wrote (``commands.py``,
``span_commands.py``, ``claim_commands.py``): the spans changed, an article's status, a
claim's sources or values. An undo may reach back to another article, which opens; the
article list's row follows, and so do the other windows on the project
(``tell_the_followers``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.ui.window_project import tell_the_followers

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def show_spans_written(
    window: MainWindow, article_id: int, removed: list[Span], added: list[Span]
) -> None:
    """Spans of ``article_id`` were written (an edit, or an undo or redo of one)."""
    window.source.forget(article_id)
    tell_the_followers(window)
    if window.current is None or article_id != window.current.id or window.current.loading:
        window.open_article(article_id)  # undo of an edit on another article: go there
    else:
        window.editor.show_change(removed, added)
    if window.current.status == "todo":  # the store made it in_progress with the edit
        window.current.status = "in_progress"
    window.article_model.update_row(
        article_id, spans=window.current.own_spans, status=window.current.status
    )
    window.editor.after_change(added)


def show_status_written(window: MainWindow, article_id: int, status: str) -> None:
    """The annotator's status of ``article_id`` was written (marked, or that undone)."""
    window.source.forget(article_id)
    tell_the_followers(window)
    window.article_model.update_row(article_id, status=status)
    if window.current is not None and article_id != window.current.id:
        window.open_article(article_id)  # an undo of "done" goes back to that article
    elif window.current is not None:
        was_confirmed = window.current.confirmed
        window.current.status = status
        window.comments.show_article(window.store.status(article_id, window.annotator).comment)
        if window.current.confirmed != was_confirmed:
            window.view.redraw_spans(window.current.spans, window.current.confirmed)
            window.claims.refresh()
            window.editor.refresh_span_list_soon()
    window._update_progress()
    message = f"Article {article_id}: {status.replace('_', ' ')}"
    window.statusBar().showMessage(message, 3000)


def show_claims_written(window: MainWindow, article_id: int) -> None:
    """A relation or attribute value of ``article_id`` was written (or undone)."""
    window.source.forget(article_id)
    if window.current is None or article_id != window.current.id or window.current.loading:
        window.open_article(article_id)  # undo of an edit on another article: go there
        return
    if window.current.status == "todo":
        window.current.status = "in_progress"
    window.article_model.update_row(article_id, status=window.current.status)
    window.claims.refresh()
