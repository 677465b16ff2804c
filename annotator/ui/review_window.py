"""Review → Review disagreements: settle annotators' disagreements into the gold version.

The window shows one article at a time: each annotator's spans in a lane of their own, all
on the same text, with every disagreement boxed and the current one in bold; below them the
gold lane, pre-filled with what everyone agreed on (``review_lanes.py``). After the span
disagreements come those of claims' sources and attributes (``review_claims.py``). Keys
take one annotator's version of the current disagreement (1–9), all of them (A) or none
(0), and move on to the next. The gold lane can also be edited directly, by the same rules as the
annotation window (``core/editing.py``). Every change is an undo command that writes
through ``review.adjudication.save_gold``; the computations live in ``annotator/review``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from annotator.core.model import Label, Span
from annotator.core.relations import ClaimWork
from annotator.review.adjudication import ArticleReview, open_review
from annotator.review.claims import claim_scheme
from annotator.review.disagreements import ArticleDisagreements
from annotator.storage import Store
from annotator.ui.conveniences import add_close_keys
from annotator.ui.frame import WindowFrame
from annotator.ui.gold_commands import GoldChange
from annotator.ui.key_guards import TokenSteps
from annotator.ui.review_actions import ACTIONS, TOOLBAR
from annotator.ui.review_articles import (
    listed,
    mark_reviewed_and_next,
    nothing_to_review,
    restore_singles,
)
from annotator.ui.review_choices import take_choice, take_lane
from annotator.ui.review_claims import (
    Item,
    review_items,
    show_claim_tags,
    show_current_links,
)
from annotator.ui.review_follow import ReviewFollower, gold_label_rows, same_place
from annotator.ui.review_gold import GoldLaneEditor
from annotator.ui.review_gold_claims import GoldClaimEditor
from annotator.ui.review_layout import (
    build_review_layout,
    restore_review_columns,
    save_review_columns,
    show_notes,
    show_versions_first,
)
from annotator.ui.review_place import remember_place, remembered_place
from annotator.ui.review_where import where_text
from annotator.ui.review_written import show_gold_written, show_status_written
from annotator.ui.widgets import resize_within_screen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QTableView

    from annotator.ui.article_view import ArticleView
    from annotator.ui.key_guards import EscAfterEnter
    from annotator.ui.review_lanes import ReviewLanes
    from annotator.ui.review_models import DisagreementModel, ReviewArticleModel


class ReviewWindow(WindowFrame):
    """Adjudication: annotators' lanes over the same text, a gold lane, keys to choose."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    articleShown = Signal(int)  # noqa: N815 - Qt signal naming

    SETTINGS_GROUP = "review"

    # Made by ``build_review_layout`` (``review_layout.py``).
    article_model: ReviewArticleModel
    article_list: QTableView
    progress_label: QLabel
    title_label: QLabel
    notes_label: QLabel
    where_label: QLabel
    lanes: ReviewLanes
    gold_view: ArticleView
    disagreement_model: DisagreementModel
    disagreement_list: QTableView
    esc_after_enter: EscAfterEnter

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Review disagreements")
        self.store = store
        self.review: ArticleReview | None = None
        self.gold: list[Span] = []
        self.gold_claims = ClaimWork()  # gold's sources and attribute values, by value
        self.items: list[Item] = []  # the disagreements of spans, then of claims
        self.ranked: list[ArticleDisagreements] = []  # the list before the search box
        self.current: int | None = None  # index of the current disagreement
        self.seen_by_article: dict[int, set[int]] = {}  # the disagreements made current, by article
        self.warned_unseen: int | None = None  # the article Enter was just refused for
        self.gold_editor = GoldLaneEditor(self)
        self.labels: list[Label] = store.labels()
        self.kinds = {label.name: label.kind for label in self.labels}
        self.claim_scheme = claim_scheme(store)  # the relation types and attributes compared
        build_review_layout(self)
        # (Ctrl+←/→ by the tokens spans snap to, as in the annotation window)
        TokenSteps(self.gold_view, lambda: self.gold_editor.tokens() if self.review else None)
        self.add_actions(ACTIONS)
        self.label_actions = self.add_actions(gold_label_rows(self.labels))
        self.add_undo_actions("review")
        # R, D, H, Q on a gold claim, after the window's own keys (``review_gold_claims.py``)
        self.claims = GoldClaimEditor(self)
        self.lanes.set_claim_keys(self.claims.reload_scheme())
        add_close_keys(self)  # Esc, Ctrl+W
        self.add_toolbar("reviewToolBar", "Review", TOOLBAR)
        resize_within_screen(self, 1500, 900)
        restore_singles(self)
        self.refresh_articles()
        place = remembered_place(self)  # where this reviewer was, last time
        first = place[0] if place is not None else self.first_to_review()
        if first is not None:
            self.open_article(first)
            if place is not None and place[1] is not None:
                self.go_to(place[1])
        else:
            self.where_label.setText(nothing_to_review(self))
        self.follower = ReviewFollower(self)  # what other windows and programs change
        self.restore_layout(QSettings())  # (after the first article: its lanes are there)
        self.gold_view.setFocus()  # Enter and the keys act on the review, not on a list

    # -- articles --------------------------------------------------------------------------

    def refresh_articles(self) -> None:
        self.article_model.set_rows(listed(self))
        self.update_progress()
        if self.review is not None:  # re-ranked: the article on screen stays marked
            self.select_row(self.review.article.id)

    def select_row(self, article_id: int | None) -> None:
        row = self.article_model.row_of(article_id or 0)
        if row >= 0:
            self.article_list.selectionModel().setCurrentIndex(
                self.article_model.index(row, 1),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def update_progress(self) -> None:
        statuses = self.article_model.status.values()
        done = sum(1 for s in statuses if s == "done")
        shown = len(self.article_model.rows)
        found = f" of the {shown} found" if self.review_search.text().strip() else ""
        self.progress_label.setText(f"{done} / {shown} reviewed{found}")

    def first_to_review(self) -> int | None:
        return self.next_to_review(-1)

    def next_to_review(self, after_row: int) -> int | None:
        rows = self.article_model.rows
        for offset in range(1, len(rows) + 1):
            row = rows[(after_row + offset) % len(rows)]
            if self.article_model.status.get(row.article_id) != "done":
                return row.article_id
        return rows[0].article_id if rows and after_row < 0 else None

    def article_clicked(self, index: QModelIndex) -> None:
        article_id = self.article_model.rows[index.row()].article_id
        if self.review is None or article_id != self.review.article.id:
            self.open_article(article_id)

    def article_activated(self, index: QModelIndex) -> None:
        """Enter on a row: open it, and the keys go to its review (1 took nothing, N
        searched the list, and the next Enter opened another article)."""
        self.article_clicked(index)
        self.gold_view.setFocus()
        self.esc_after_enter.arm()

    def open_article(self, article_id: int) -> None:
        """Show an article's versions, its disagreements and its gold lane."""
        if self.review is not None and self.review.article.id != article_id:
            remember_place(self)  # (the disagreements looked at on the one left)
        self.show_review(open_review(self.store, article_id))
        remember_place(self)

    def show_review(self, review: ArticleReview, keep: Item | None = None) -> None:
        """Show ``review``, on the disagreement where ``keep`` was (else the first)."""
        article_id = review.article.id
        assert article_id is not None
        if self.review is None or self.review.article.id != article_id:
            self.clear_problem()  # a refusal on the article left is no news here
        self.review = review
        self.gold = list(review.gold)
        self.gold_claims = review.gold_claims
        self.items = review_items(review)
        self.gold_editor.forget()
        marks = [(d.start, d.end) for d in self.items]
        self.lanes.show_review(review.article.text, review.versions, self.gold, marks)
        show_claim_tags(self)
        self.title_label.setText(review.article.title or f"Article {article_id}")
        show_notes(self, article_id)
        self.disagreement_model.set_review(review, self.gold, self.items, self.gold_claims)
        show_versions_first(self.disagreement_list)
        self.select_row(article_id)
        self.go_to(same_place(self.items, keep) if self.items else None)
        self.articleShown.emit(article_id)

    def next_article(self, step: int) -> None:
        rows = self.article_model.rows
        if not rows or self.review is None:
            return
        row = self.article_model.row_of(self.review.article.id or 0) + step
        if 0 <= row < len(rows):
            self.open_article(rows[row].article_id)

    @property
    def seen(self) -> set[int]:
        """The disagreements made current on the article shown. Kept per article: back on
        one (an undo goes there), what was looked at there still was."""
        if self.review is None or self.review.article.id is None:
            return set()
        return self.seen_by_article.setdefault(self.review.article.id, set())

    def done_and_next(self) -> None:
        """Enter: gold as it stands, the article reviewed, the next (``review_articles``)."""
        mark_reviewed_and_next(self)

    def current_text(self) -> str:
        """The text of the article under review ("" if none)."""
        return self.review.article.text if self.review is not None else ""

    # -- disagreements ---------------------------------------------------------------------

    def current_disagreement(self) -> Item | None:
        """The disagreement (of spans, or of a claim's source or attributes) now current."""
        if self.review is None or self.current is None:
            return None
        return self.items[self.current]

    def go_to(self, index: int | None) -> None:
        """Make disagreement ``index`` current: boxed in bold in every lane, scrolled to."""
        review = self.review
        if review is None:
            return
        if index is not None and not 0 <= index < len(self.items):
            index = None
        self.current = index
        self.warned_unseen = None
        self.statusBar().clearMessage()  # of the disagreement left ("Last disagreement…")
        if index is not None:
            self.seen.add(index)
        show_current_links(self)
        if index is None:
            self.lanes.set_current(None)
            done = "no disagreements" if not self.items else "all seen"
            self.where_label.setText(f"{len(self.items)} disagreements · {done}")
            return
        disagreement = self.items[index]
        self.show_where()
        self.lanes.set_current(index, disagreement.start)
        # Not with the selection's signals blocked: the list repaints on them (only a click
        # on a row, not the selection, makes a disagreement current).
        self.disagreement_list.selectionModel().setCurrentIndex(
            self.disagreement_model.index(index, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.disagreement_list.scrollTo(self.disagreement_model.index(index, 0))

    def show_where(self) -> None:
        self.where_label.setText(where_text(self))

    def step(self, step: int) -> None:
        if self.review is None or not self.items:
            return
        current = -1 if self.current is None and step > 0 else (self.current or 0)
        self.go_to(max(0, min(len(self.items) - 1, current + step)))

    def take_annotator(self, lane: int) -> None:
        """Settle the current disagreement with the version of the annotator in ``lane``."""
        take_lane(self, lane)

    def take(self, choice: str) -> None:
        """Settle the current disagreement: an annotator's version, ``all`` or ``none``."""
        take_choice(self, choice)

    def go_after_choice(self, index: int, said: str = "") -> None:
        """Make ``index`` current, saying ``said``; past the last one, stay on it and say
        so too."""
        assert self.review is not None
        last = len(self.items) - 1
        self.go_to(min(index, last))
        if index > last:
            said = f"{said}; last disagreement" if said else "Last disagreement"
            said += ": Enter marks the article reviewed"
        if said:
            self.statusBar().showMessage(said, 5000)

    # -- what commands report --------------------------------------------------------------

    def gold_change(
        self,
        after: list[Span],
        text: str,
        disagreement: int | None = None,
        claims: ClaimWork | None = None,
    ) -> GoldChange:
        assert self.review is not None and self.review.article.id is not None
        return GoldChange(
            self.store,
            self,
            self.review.article.id,
            list(self.gold),
            after,
            text,
            saved=self.review.gold_saved,
            disagreement=disagreement,
            claims_before=self.gold_claims,
            claims_after=claims,
        )

    def gold_written(self, article_id: int, spans: list[Span], focus: int | None) -> None:
        """Gold was written (a choice, an edit, an undo or redo of one): shown again
        (``review_written.py``), on ``focus`` if it is not None."""
        show_gold_written(self, article_id, spans, focus)

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None:
        """Not used here: the review changes gold only, through ``gold_written``."""

    def edit_failed(self, message: str) -> None:
        """A write failed: say why, and show the article as the project holds it."""
        self.show_problem(f"{message} The article shows what is saved.")
        self.reload_from_store()

    def reload_from_store(self) -> None:
        """Read the list and the open article again, staying on the current disagreement."""
        self.refresh_articles()
        if self.review is not None and self.review.article.id is not None:
            keep = self.current_disagreement()
            self.show_review(open_review(self.store, self.review.article.id), keep)

    def status_changed(self, article_id: int, status: str) -> None:
        """An article's review status was written (``review_written.py``)."""
        show_status_written(self, article_id, status)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown, the lanes are brought to the current disagreement once they have their
        size: scrolled before, on the window's first opening, they showed the article's
        start, and a reviewer took a version they could not see."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._bring_current_into_view)  # (not once it is gone)

    def _bring_current_into_view(self) -> None:
        if self.review is not None and self.current is not None:
            self.lanes.set_current(self.current, self.items[self.current].start)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # The undo history stays: Ctrl+R shows this window again (a step that what changed
        # meanwhile makes impossible is refused then, as any undo is).
        self.follower.stop()
        remember_place(self)
        self.save_layout(QSettings())
        super().closeEvent(event)

    def restore_columns(self, settings: QSettings, group: str, fitted: bool) -> None:
        if not fitted:  # (from a larger screen: this one's first columns)
            restore_review_columns(self, settings, group)

    def save_columns(self, settings: QSettings, group: str) -> None:
        save_review_columns(self, settings, group)


def open_review_window(window) -> ReviewWindow:
    """Review → Review disagreements, beside the annotation window (one at a time)."""
    existing = window.findChild(ReviewWindow)
    if existing is not None:
        existing.follower.catch_up()  # closed, it had stopped following the file
        existing.show()
        existing.raise_()
        existing.activateWindow()  # its keys (Ctrl+Z...) act there, not in the other window
        existing.gold_view.setFocus()  # the keys act on the review again, not on a list
        return existing
    review = ReviewWindow(window.store, window)
    review.setWindowFlag(Qt.WindowType.Window, True)
    review.show()
    return review
