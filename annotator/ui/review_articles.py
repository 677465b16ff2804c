"""The review window's articles: which are listed, and marking one reviewed.

The list holds the articles two or more annotators finished, most disagreements first; with
"single annotators' articles too" ticked, those one annotator finished as well, at the end
(nothing to disagree on): a lead who sees an annotator accept every suggestion can check
that work and settle it into gold. Without it, such articles went into the default export
and into training unchecked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from annotator.core.model import GOLD
from annotator.review.disagreements import ArticleDisagreements, rank_articles
from annotator.ui.commands import CommandGroup, StatusChange, StoreCommand

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

#: Whether the list takes single annotators' articles too, remembered between sessions.
SINGLES_SETTING = "review/singles"


def listed(window: ReviewWindow) -> list[ArticleDisagreements]:
    """The articles to review, ranked, and of them those the search box finds."""
    least = 1 if window.singles.isChecked() else 2
    window.ranked = rank_articles(window.store, least=least)
    return found_in(window.ranked, window.review_search.text())


def found_in(rows: list[ArticleDisagreements], query: str) -> list[ArticleDisagreements]:
    """The rows whose title holds every word of ``query`` (case aside), or ``#12``'s: a
    reviewer looking for one article among 89 had the list's order only."""
    query = query.strip()
    if re.fullmatch(r"#\d+", query):
        return [row for row in rows if row.article_id == int(query[1:])]
    words = query.casefold().split()
    return [row for row in rows if all(word in row.title.casefold() for word in words)]


def search_changed(window: ReviewWindow) -> None:
    """The list as the search box says now (from the rows ranked last: ranking again takes
    a few hundred milliseconds on a large project)."""
    window.article_model.set_rows(found_in(window.ranked, window.review_search.text()))
    window.update_progress()
    if window.review is not None:
        window.select_row(window.review.article.id)


def restore_singles(window: ReviewWindow) -> None:
    """The box as it was left, then following the reviewer's clicks."""
    shown = QSettings().value(SINGLES_SETTING, False, type=bool)
    window.singles.setChecked(bool(shown))
    window.singles.toggled.connect(lambda checked: show_singles(window, checked))


def show_singles(window: ReviewWindow, shown: bool) -> None:
    QSettings().setValue(SINGLES_SETTING, shown)
    window.refresh_articles()
    if window.review is None:
        first = window.first_to_review()
        if first is not None:
            window.open_article(first)


def nothing_to_review(window: ReviewWindow) -> str:
    if window.singles.isChecked():
        return "No article is marked done yet: nothing to review."
    return (
        "No article is marked done by two or more annotators yet: nothing to review (tick "
        "“Single annotators' articles too” to check one annotator's work)."
    )


def mark_reviewed_and_next(window: ReviewWindow) -> None:
    """Save the gold version as it stands, mark the article reviewed, open the next."""
    if window.review is None:
        return
    article_id = window.review.article.id
    assert article_id is not None
    unseen = len(set(range(len(window.items))) - window.seen)
    if unseen and window.warned_unseen != article_id:
        # A stray Enter would settle the rest as gold holds them now, unseen.
        window.warned_unseen = article_id
        # In the yellow bar too: a status-bar line alone went unnoticed.
        window.show_problem(
            f"Not marked reviewed: {unseen} of {len(window.items)} disagreements not looked "
            "at yet (N goes to the next). Enter again marks the article reviewed with gold "
            "as it stands"
        )
        return
    window.clear_problem()
    window.warned_unseen = None
    parts: list[StoreCommand] = []
    was = None
    if not window.review.gold_saved:
        parts.append(window.gold_change(window.gold, "save agreed spans as gold"))
        was = "in_progress"  # as saving gold leaves it: a redo found it so, and refused
    parts.append(StatusChange(window.store, window, article_id, GOLD, "done", was=was))
    if not window.push(CommandGroup(window.store, window, "article reviewed", parts)):
        return
    following = window.next_to_review(window.article_model.row_of(article_id))
    if following is not None and following != article_id:
        window.open_article(following)
    else:
        window.statusBar().showMessage("Every article in the list is reviewed.", 5000)
