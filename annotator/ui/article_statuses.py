"""What the annotation window says around an article's status: the end of the list reached
with Done, and a comment typed but never flagged (a comment is saved with a flag only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def say_all_done(window: MainWindow) -> None:
    """Done, and no article of the list is left to do: when the list shows only part of
    the project (a filter, a search), say how many of the rest are not done."""
    counts = window.store.status_counts(window.annotator)
    left = sum(counts.values()) - counts["done"]
    articles = window.articles
    narrowed = articles.search_box.text().strip() or articles.status_filter.currentData()
    if left and narrowed:
        window.statusBar().showMessage(
            f"Every article in the list is done; {left} more in the project are not "
            "(clear the search, or show all articles)",
            8000,
        )
    else:
        window.statusBar().showMessage("Every article in the list is done.", 5000)


def say_if_comment_lost(window: MainWindow) -> None:
    """Leaving an article with a comment typed but never flagged: it is not saved; say so."""
    typed, left = window.comment_box.text().strip(), window.current
    if not typed or left is None or left.loading:
        return
    if typed != window.store.status(left.id, window.annotator).comment.strip():
        title = left.article.title or f"article {left.id}"
        window.show_problem(
            f"Not saved: the comment “{typed}” on “{title}”. A comment is saved with a "
            "flag: type it, then Enter (or Flag)."
        )
