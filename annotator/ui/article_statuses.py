"""What the annotation window says and keeps around an article's status: the end of the list
reached with Done, the comment box (a comment is saved with a flag only), the active time."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def done_and_next(window: MainWindow) -> None:
    """Enter: mark the open article done and open the next one not done. On a flagged
    article it asks first, and Enter again replaces the flag: it did so without a word,
    and the article left the Flagged list."""
    current = window.current
    if current is None:
        return
    if window.flag_warned != current.id and not current.loading:
        row = window.store.status(current.id, window.annotator)
        if row.status == "flagged":
            window.flag_warned = current.id
            window.show_problem(
                f"This article is flagged (“{row.comment}”): Enter again marks it done "
                "instead, N goes on and keeps the flag"
            )
            return
    if not window.set_status("done"):
        return
    following = window.articles.next_not_done(current.id)
    if following is not None:
        window.open_article(following)
        return
    say_all_done(window)


def flag_article(window: MainWindow) -> None:
    """F: flag the open article with the comment typed (asked for if there is none)."""
    if window.current is None:
        return
    comment = window.comment_box.text().strip()
    if not comment:
        window.comment_box.setFocus()
        window.statusBar().showMessage("Type why you flag it, then press Enter", 5000)
        return
    if window.set_status("flagged", comment):
        window.flag_warned = None  # flagged anew: Enter asks again


def say_all_done(window: MainWindow) -> None:
    """Done, and no article of the list is left to do: when the list shows only part of
    the project (a filter, a search), say how many of the rest are not done."""
    window.clear_problem()  # "flagged: Enter again marks it done" was answered
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


#: Said when another window or program changed the open article's spans (an import
#: replacing this annotator's work, a second window of the same name).
CHANGED_ELSEWHERE = (
    "This article was changed by another window or program: it shows what the project holds now"
)


def save_active_time(window: MainWindow, seconds: float) -> None:
    """Add the clock's seconds to the open article. Seconds the project refuses (a full
    disk, said in the bar) wait in ``window.unsaved_seconds`` under their article and go
    with the next save: they were lost when the article changed meanwhile. A read-only
    project keeps no time."""
    current = window.current
    if current is None or window.store.read_only:  # (it said "Not saved" every 30 s)
        return
    pending = window.unsaved_seconds
    pending[current.id] = pending.get(current.id, 0.0) + seconds

    def add() -> bool:
        with window.store.transaction():
            for article_id, waiting in pending.items():
                window.store.add_active_time(article_id, window.annotator, waiting)
        return True

    if window.try_write(add):
        pending.clear()


class CommentBox:
    """The window's comment box and the open article's comment as last read from the
    project: a comment typed and not saved (a flag refused on a full disk) is kept when the
    window shows what the project holds, to be flagged again."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.stored = ""
        window.comment_box.returnPressed.connect(self._entered)

    def show_article(self, comment: str) -> None:
        """Another article: its comment (a comment typed for the last one goes)."""
        self.stored = comment
        self.window.comment_box.setText(comment)

    def show_stored(self, comment: str) -> None:
        """The project's comment now, unless one typed and not saved is in the box."""
        box = self.window.comment_box
        if box.hasFocus():
            return
        if box.text() == self.stored or not box.text():
            box.setText(comment)
        self.stored = comment

    def _entered(self) -> None:
        window = self.window
        typed = window.comment_box.text().strip()
        if window.current is not None and typed and window.set_status("flagged", typed):
            window.view.setFocus()  # (not saved: the comment stays, to try again)
