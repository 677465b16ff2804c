"""The review screen's lists: the articles to review, and one article's disagreements."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt

from annotator.core.model import Span
from annotator.core.relations import ClaimWork
from annotator.core.text import excerpt, isolated
from annotator.review.adjudication import ArticleReview, choice_in_gold
from annotator.review.claim_choices import claim_choice_label
from annotator.review.disagreements import CHANGED, KINDS, ArticleDisagreements
from annotator.ui.models import RowsModel
from annotator.ui.review_claims import Item, is_claim_item, item_class, version_text
from annotator.ui.review_links import is_link_item, link_choice_label
from annotator.ui.widgets import plain_tip

_REVIEW_MARK = {"todo": "○", "in_progress": "◐", "done": "●", "skipped": "↷", "flagged": "⚑",
                CHANGED: "◉"}  # fmt: skip
_REVIEW_WORDS = {CHANGED: "changed by an annotator since it was reviewed"}


class ReviewArticleModel(RowsModel):
    """Articles two or more annotators finished, most disagreements first."""

    COLUMNS = ("", "Title", "All", *(kind.capitalize() for kind in KINDS))
    KEY = "article_id"

    def __init__(self) -> None:
        super().__init__()
        self.status: dict[int, str] = {}

    def set_rows(self, rows: Sequence[ArticleDisagreements]) -> None:
        self.status = {row.article_id: row.review_status for row in rows}
        super().set_rows(rows)

    def set_status(self, article_id: int, status: str) -> None:
        """A listed article's review status (one not listed, reviewed from elsewhere, is
        not counted: "32 / 370 reviewed" of 31)."""
        row = self.row_of(article_id)
        if row >= 0:
            self.status[article_id] = status
            self.changed_row(row)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == 0:
                return (
                    "Review: ○ not started, ◐ in progress, ● reviewed, "
                    "◉ changed by an annotator since it was reviewed"
                )
            if section >= 2:
                kind = "every class" if section == 2 else f"the class “{KINDS[section - 3]}”"
                return f"How many disagreements of {kind} the article has"
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _REVIEW_MARK.get(self.status.get(row.article_id, "todo"), "?")
            if column == 1:
                return row.title or f"Article {row.article_id}"
            if column == 2:
                return row.total
            return row.counts[KINDS[column - 3]]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(
                f"{row.title}\nreview: {self._review_words(row.article_id)}\n"
                f"annotators: {', '.join(row.annotators)}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _review_words(self, article_id: int) -> str:
        status = self.status.get(article_id, "todo")
        return _REVIEW_WORDS.get(status, status)


class DisagreementModel(RowsModel):
    """The current article's disagreements (of spans, then of claims' sources and
    attributes): class, text, each annotator's version, gold's."""

    def __init__(self) -> None:
        super().__init__()
        self.review: ArticleReview | None = None
        self.gold: list[Span] = []
        self.gold_claims = ClaimWork()
        #: An entry's name for the list (the review window gives one that knows entries).
        self.entry_name: Callable[[str], str] = str

    def set_review(
        self,
        review: ArticleReview,
        gold: list[Span],
        items: list[Item] | None = None,
        gold_claims: ClaimWork | None = None,
    ) -> None:
        self.review = review
        self.gold = gold
        self.gold_claims = gold_claims if gold_claims is not None else review.gold_claims
        self.set_rows(items if items is not None else review.disagreements)

    def set_gold(self, gold: list[Span], gold_claims: ClaimWork | None = None) -> None:
        self.gold = gold
        if gold_claims is not None:
            self.gold_claims = gold_claims
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def columns(self) -> list[str]:
        names = self.review.annotators if self.review else []
        return [
            "Gold",
            "Class",
            "Text",
            *(f"{i} {isolated(name)}" for i, name in enumerate(names, 1)),
        ]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.review is None:
            return None
        review = self.review
        disagreement = self.rows[index.row()]
        column = index.column()
        text = review.article.text
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                if is_link_item(disagreement):
                    held = link_choice_label(self.gold, disagreement)
                elif is_claim_item(disagreement):
                    held = claim_choice_label(
                        self.gold_claims, disagreement, review.scheme, self.gold
                    )
                else:
                    held = choice_in_gold(self.gold, disagreement, review.kinds)
                return held or "edited"
            if column == 1:
                return item_class(disagreement)
            if column == 2:
                return excerpt(text[disagreement.start : disagreement.end])
            name = review.annotators[column - 3]
            return version_text(disagreement, name, text, self.entry_name)
        if role == Qt.ItemDataRole.ToolTipRole:  # (a cell cut to its column's width, whole)
            if column == 2:
                return plain_tip(excerpt(text[disagreement.start : disagreement.end], 600))
            if column >= 3:
                name = review.annotators[column - 3]
                return plain_tip(version_text(disagreement, name, text, self.entry_name, 600))
            return plain_tip(str(self.data(index)))
        return None
