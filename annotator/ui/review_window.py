"""Review → Review disagreements: settle annotators' disagreements into the gold version.

The window shows one article at a time: each annotator's spans in a lane of their own, all
on the same text, with every disagreement boxed and the current one in bold; below them the
gold lane, pre-filled with what everyone agreed on. Keys take one annotator's version of the
current disagreement (1–9), all of them (A) or none (0), and move on to the next. The gold
lane can also be edited directly. Every change is an undo command that writes through
``review.adjudication.save_gold``; the computations themselves live in ``annotator/review``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Label, Span
from annotator.core.spans import TokenIndex, entity_conflicts
from annotator.nlp.tokens import token_bounds
from annotator.review.adjudication import (
    ArticleReview,
    can_take_all,
    choice_in_gold,
    open_review,
    save_gold,
    take_all,
    take_none,
    take_version,
)
from annotator.review.disagreements import KINDS, ArticleDisagreements, Disagreement, rank_articles
from annotator.storage import Store
from annotator.ui.article_view import ArticleView
from annotator.ui.commands import StatusChange
from annotator.ui.models import RowsModel
from annotator.ui.widgets import make_action, make_panel, make_table

_REVIEW_MARK = {"todo": "○", "in_progress": "◐", "done": "●", "skipped": "↷", "flagged": "⚑"}
MAX_LANES = 9  # keys 1–9


class GoldChange(QUndoCommand):
    """Replace an article's gold version (``before`` → ``after``), saved at once."""

    def __init__(
        self,
        store: Store,
        on_saved: Callable[[int, list[Span]], None],
        article_id: int,
        before: list[Span],
        after: list[Span],
        text: str,
    ):
        super().__init__(text)
        self.store = store
        self.on_saved = on_saved
        self.article_id = article_id
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.on_saved(self.article_id, save_gold(self.store, self.article_id, self.after))

    def undo(self) -> None:
        self.on_saved(self.article_id, save_gold(self.store, self.article_id, self.before))


class ReviewArticleModel(RowsModel):
    """Articles two or more annotators finished, most disagreements first."""

    COLUMNS = ("", "Title", "All", *(kind.capitalize() for kind in KINDS))

    def __init__(self) -> None:
        super().__init__()
        self.status: dict[int, str] = {}

    def row_key(self, row: object) -> object:
        return row.article_id  # type: ignore[attr-defined]

    def set_rows(self, rows: Sequence[ArticleDisagreements]) -> None:
        self.status = {row.article_id: row.review_status for row in rows}
        super().set_rows(rows)

    def set_status(self, article_id: int, status: str) -> None:
        self.status[article_id] = status
        row = self.row_of(article_id)
        if row >= 0:
            self.changed_row(row)

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
            return (
                f"{row.title}\nreview: {self.status.get(row.article_id, 'todo')}\n"
                f"annotators: {', '.join(row.annotators)}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            return Qt.AlignmentFlag.AlignCenter
        return None


class DisagreementModel(RowsModel):
    """The current article's disagreements: class, text, each annotator's version, gold's."""

    def __init__(self) -> None:
        super().__init__()
        self.review: ArticleReview | None = None
        self.gold: list[Span] = []

    def set_review(self, review: ArticleReview, gold: list[Span]) -> None:
        self.review = review
        self.gold = gold
        self.set_rows(review.disagreements)

    def set_gold(self, gold: list[Span]) -> None:
        self.gold = gold
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def columns(self) -> list[str]:
        names = self.review.annotators if self.review else []
        return ["Gold", "Class", "Text", *(f"{i} {name}" for i, name in enumerate(names, 1))]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.review is None:
            return None
        review = self.review
        disagreement = review.disagreements[index.row()]
        column = index.column()
        text = review.article.text
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return choice_in_gold(self.gold, disagreement, review.kinds) or "edited"
            if column == 1:
                return f"{disagreement.kind} ({disagreement.layer})"
            if column == 2:
                return _excerpt(text[disagreement.start : disagreement.end])
            name = review.annotators[column - 3]
            spans = disagreement.versions.get(name, ())
            return "; ".join(f"{s.label} '{_excerpt(s.text(text), 24)}'" for s in spans) or "—"
        return None


class ReviewWindow(QMainWindow):
    """Adjudication: annotators' lanes over the same text, a gold lane, keys to choose."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    articleShown = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Review disagreements")
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.review: ArticleReview | None = None
        self.gold: list[Span] = []
        self.current: int | None = None  # index of the current disagreement
        self.selected_gold_id: int | None = None
        self._tokens: TokenIndex | None = None
        self.labels: list[Label] = store.labels()
        self.kinds = {label.name: label.kind for label in self.labels}
        self._build()
        self._build_actions()
        self.resize(1500, 900)
        self.refresh_articles()
        first = self._next_to_review(-1)
        if first is not None:
            self.open_article(first)
        else:
            self.where_label.setText(
                "No article is marked done by two or more annotators yet: nothing to review."
            )

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.article_model = ReviewArticleModel()
        self.article_list = self._table(self.article_model, "reviewArticles")
        header = self.article_list.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.article_model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.article_list.setColumnWidth(column, 24 if column == 0 else 58)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.article_list.clicked.connect(self._article_clicked)
        self.progress_label = QLabel(objectName="reviewProgress")
        left = make_panel(
            [QLabel("<b>Articles to review</b>"), self.article_list, self.progress_label]
        )

        self.title_label = QLabel(objectName="reviewTitle", wordWrap=True)
        self.title_label.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.where_label = QLabel(objectName="reviewWhere")
        self.lanes = QSplitter(Qt.Orientation.Vertical, objectName="reviewLanes")
        self.lane_views: list[ArticleView] = []
        self.lane_names: list[QLabel] = []
        self.gold_view = self._lane_view("goldLane")
        self.gold_view.clicked.connect(self._gold_clicked)
        self.gold_name = QLabel(
            "<b>gold</b> — what the export will hold (click a span; "
            "Ctrl+1/2/3 label a selection; Del removes)"
        )
        centre = make_panel([self.title_label, self.where_label, self.lanes])

        self.disagreement_model = DisagreementModel()
        self.disagreement_list = self._table(self.disagreement_model, "reviewDisagreements")
        self.disagreement_list.clicked.connect(lambda index: self.go_to(index.row()))
        keys = QLabel(
            "<small><b>Keys</b>: 1–9 take that annotator's version · A all · 0 none "
            "(each moves to the next)<br>N / P next / previous disagreement · Enter: article "
            "reviewed, next article · Ctrl+Z / Ctrl+Shift+Z undo / redo</small>"
        )
        keys.setWordWrap(True)
        right = make_panel([QLabel("<b>Disagreements</b>"), self.disagreement_list, keys])

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for panel in (left, centre, right):
            splitter.addWidget(panel)
        splitter.setSizes([440, 700, 420])
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)

    def _lane_view(self, name: str) -> ArticleView:
        view = ArticleView()
        view.setObjectName(name)
        view.set_labels(self.labels)
        view.document().setDocumentMargin(8)
        font = view.font()
        font.setPointSize(11)
        view.setFont(font)
        # Lanes move together: the same passage in every lane.
        view.verticalScrollBar().valueChanged.connect(self._sync_scroll)
        return view

    def _sync_scroll(self, value: int) -> None:
        for view in (*self.lane_views, self.gold_view):
            if view.verticalScrollBar().value() != value:
                view.verticalScrollBar().blockSignals(True)
                view.verticalScrollBar().setValue(value)
                view.verticalScrollBar().blockSignals(False)
                view.format_visible()

    @staticmethod
    def _table(model, name: str) -> QTableView:
        table = make_table(model, name, stripes=False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _build_actions(self) -> None:
        def add(name: str, text: str, keys: Sequence[str], slot) -> QAction:
            return make_action(self, name, text, keys, slot)

        self.take_actions = [
            add(
                f"reviewTake{i}",
                f"Take annotator {i}'s version",
                [str(i)],
                lambda _=False, i=i: self.take_annotator(i - 1),
            )
            for i in range(1, MAX_LANES + 1)
        ]
        self.action_take_all = add(
            "reviewTakeAll", "Take all versions", ["A"], lambda: self.take("all")
        )
        self.action_take_none = add(
            "reviewTakeNone", "Take none", ["0", "X"], lambda: self.take("none")
        )
        self.action_next = add(
            "reviewNext", "Next disagreement", ["N", "Tab"], lambda: self.step(1)
        )
        self.action_previous = add(
            "reviewPrevious",
            "Previous disagreement",
            ["P", "Shift+Tab", "Backtab"],
            lambda: self.step(-1),
        )
        self.action_done = add(
            "reviewDone", "Article reviewed, next", ["Return", "Enter"], self.done_and_next
        )
        self.action_next_article = add(
            "reviewNextArticle", "Next article", ["PgDown"], lambda: self.next_article(1)
        )
        self.action_previous_article = add(
            "reviewPreviousArticle", "Previous article", ["PgUp"], lambda: self.next_article(-1)
        )
        self.action_delete = add(
            "reviewDeleteGold", "Delete gold span", ["Del", "Backspace"], self.delete_gold_span
        )
        for position, label in enumerate(self.labels, start=1):
            add(
                f"reviewLabel_{label.name}",
                f"Gold: {label.name}",
                [f"Ctrl+{position}"],
                lambda _=False, name=label.name: self.label_gold_selection(name),
            )
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setObjectName("reviewUndo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setObjectName("reviewRedo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        tools = self.addToolBar("Review")
        tools.setObjectName("reviewToolBar")
        tools.setMovable(False)
        tools.addActions(
            [
                self.action_previous,
                self.action_next,
                self.action_take_all,
                self.action_take_none,
                self.action_done,
                undo,
                redo,
            ]
        )

    # -- articles --------------------------------------------------------------------------

    def refresh_articles(self) -> None:
        self.article_model.set_rows(rank_articles(self.store))
        self._update_progress()

    def _update_progress(self) -> None:
        statuses = self.article_model.status.values()
        done = sum(1 for s in statuses if s == "done")
        self.progress_label.setText(f"{done} / {len(self.article_model.rows)} reviewed")

    def _next_to_review(self, after_row: int) -> int | None:
        rows = self.article_model.rows
        for offset in range(1, len(rows) + 1):
            row = rows[(after_row + offset) % len(rows)]
            if self.article_model.status.get(row.article_id) != "done":
                return row.article_id
        return rows[0].article_id if rows and after_row < 0 else None

    def _article_clicked(self, index) -> None:
        article_id = self.article_model.rows[index.row()].article_id
        if self.review is None or article_id != self.review.article.id:
            self.open_article(article_id)

    def open_article(self, article_id: int) -> None:
        """Show an article's versions, its disagreements and its gold lane."""
        review = open_review(self.store, article_id)
        self.review = review
        self.gold = list(review.gold)
        self.selected_gold_id = None
        self._tokens = None
        text = review.article.text
        self._ensure_lanes(len(review.annotators))
        marks = [(d.start, d.end) for d in review.disagreements]
        for number, (view, name_label, name) in enumerate(
            zip(self.lane_views, self.lane_names, review.annotators, strict=False), start=1
        ):
            name_label.setText(f"<b>{number}</b> · {name}")
            view.show_article(text, review.versions[name], confirmed=True)
            view.set_marks(marks)
        self.gold_view.show_article(text, self.gold, confirmed=True)
        self.gold_view.set_marks(marks)
        self.title_label.setText(review.article.title or f"Article {article_id}")
        self.disagreement_model.set_review(review, self.gold)
        self.disagreement_list.resizeColumnsToContents()
        row = self.article_model.row_of(article_id)
        if row >= 0:
            self.article_list.selectionModel().setCurrentIndex(
                self.article_model.index(row, 1),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.go_to(0 if review.disagreements else None)
        self.articleShown.emit(article_id)

    def _ensure_lanes(self, count: int) -> None:
        """One lane per compared annotator (reused between articles), then the gold lane."""
        count = min(count, MAX_LANES)
        while len(self.lane_views) < count:
            view = self._lane_view(f"lane{len(self.lane_views) + 1}")
            name = QLabel()
            self.lane_views.append(view)
            self.lane_names.append(name)
            self.lanes.insertWidget(len(self.lane_views) - 1, _lane(name, view))
        for i, view in enumerate(self.lane_views):
            view.parentWidget().setVisible(i < count)
        if self.gold_view.parentWidget() is None:
            self.lanes.addWidget(_lane(self.gold_name, self.gold_view))

    def next_article(self, step: int) -> None:
        rows = self.article_model.rows
        if not rows or self.review is None:
            return
        row = self.article_model.row_of(self.review.article.id or 0) + step
        if 0 <= row < len(rows):
            self.open_article(rows[row].article_id)

    def done_and_next(self) -> None:
        """Save the gold version as it stands, mark the article reviewed, open the next."""
        if self.review is None:
            return
        article_id = self.review.article.id
        assert article_id is not None
        self.undo_stack.beginMacro("article reviewed")
        if not self.review.gold_saved:
            self.undo_stack.push(self._gold_change(self.gold, "save agreed spans as gold"))
        self.undo_stack.push(StatusChange(self.store, self, article_id, GOLD, "done"))
        self.undo_stack.endMacro()
        following = self._next_to_review(self.article_model.row_of(article_id))
        if following is not None and following != article_id:
            self.open_article(following)
        else:
            self.statusBar().showMessage("Every article in the list is reviewed.", 5000)

    # -- disagreements ---------------------------------------------------------------------

    def go_to(self, index: int | None) -> None:
        """Make disagreement ``index`` current: boxed in bold in every lane, scrolled to."""
        review = self.review
        if review is None:
            return
        if index is not None and not 0 <= index < len(review.disagreements):
            index = None
        self.current = index
        for view in (*self.lane_views, self.gold_view):
            view._current_mark = index  # noqa: SLF001 - the marks are the view's to draw
            view.viewport().update()
        if index is None:
            done = "no disagreements" if not review.disagreements else "all seen"
            self.where_label.setText(f"{len(review.disagreements)} disagreements · {done}")
            return
        disagreement = review.disagreements[index]
        self._show_where()
        for view in (*self.lane_views, self.gold_view):
            view.select_range(disagreement.start, disagreement.start)
        selection = self.disagreement_list.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(
            self.disagreement_model.index(index, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(False)
        self.disagreement_list.scrollTo(self.disagreement_model.index(index, 0))

    def _show_where(self) -> None:
        """Which disagreement is current, its class, the keys, and what gold holds there."""
        assert self.review is not None and self.current is not None
        disagreement: Disagreement = self.review.disagreements[self.current]
        names = [f"{i} {n}" for i, n in enumerate(self.review.annotators, start=1)]
        keys = ", ".join(names) + (", A all" if can_take_all(disagreement) else "") + ", 0 none"
        held = choice_in_gold(self.gold, disagreement, self.review.kinds) or "an edit"
        self.where_label.setText(
            f"Disagreement {self.current + 1} / {len(self.review.disagreements)} · "
            f"{disagreement.kind} on the {disagreement.layer} layer · keys: {keys} · "
            f"gold holds: {held}"
        )

    def step(self, step: int) -> None:
        if self.review is None or not self.review.disagreements:
            return
        current = -1 if self.current is None and step > 0 else (self.current or 0)
        self.go_to(max(0, min(len(self.review.disagreements) - 1, current + step)))

    def take_annotator(self, lane: int) -> None:
        if self.review is not None and lane < len(self.review.annotators):
            self.take(self.review.annotators[lane])

    def take(self, choice: str) -> None:
        """Settle the current disagreement: an annotator's version, ``all`` or ``none``."""
        review = self.review
        if review is None or self.current is None:
            self.statusBar().showMessage("No disagreement selected", 3000)
            return
        disagreement = review.disagreements[self.current]
        try:
            if choice == "all":
                new = take_all(self.gold, disagreement, review.kinds)
            elif choice == "none":
                new = take_none(self.gold, disagreement, review.kinds)
            else:
                new = take_version(self.gold, disagreement, choice, review.kinds)
        except AnnotatorError as error:
            self.statusBar().showMessage(str(error), 5000)
            return
        if new != self.gold or not review.gold_saved:
            self.undo_stack.push(self._gold_change(new, f"take {choice}"))
        if self.current is not None and self.current + 1 < len(review.disagreements):
            self.go_to(self.current + 1)
        else:
            self.go_to(self.current)
            self.statusBar().showMessage(
                "Last disagreement: Enter marks the article reviewed", 5000
            )

    # -- editing the gold lane directly ----------------------------------------------------

    def _gold_clicked(self, offset: int) -> None:
        under = [s for s in self.gold if s.start <= offset < s.end]
        under.sort(key=lambda s: s.end - s.start)
        self.selected_gold_id = under[0].id if under else None
        if under:
            self.gold_view.select_range(under[0].start, under[0].end, scroll=False)

    def label_gold_selection(self, label: str) -> None:
        if self.review is None:
            return
        start, end = self.gold_view.selected_range()
        selected = next((s for s in self.gold if s.id == self.selected_gold_id), None)
        if selected is not None and (start, end) == (selected.start, selected.end):
            new = Span(selected.start, selected.end, label, origin="edited")
            others = [s for s in self.gold if s.id != selected.id]
            if entity_conflicts(new, others, self.kinds):
                self.statusBar().showMessage("LOCATION and FACTION never overlap", 4000)
                return
            self.undo_stack.push(self._gold_change(others + [new], f"gold: relabel {label}"))
            return
        if start >= end:
            self.statusBar().showMessage("Select text in the gold lane first", 3000)
            return
        if self._tokens is None:
            self._tokens = TokenIndex(token_bounds(self.review.article.text))
        snapped = self._tokens.snap(start, end)
        if snapped is None:
            return
        new = Span(snapped[0], snapped[1], label, origin="human")
        if new in self.gold:
            return
        replaced = entity_conflicts(new, self.gold, self.kinds)
        kept = [s for s in self.gold if s not in replaced]
        self.undo_stack.push(self._gold_change(kept + [new], f"gold: add {label}"))

    def delete_gold_span(self) -> None:
        selected = next((s for s in self.gold if s.id == self.selected_gold_id), None)
        if selected is None:
            self.statusBar().showMessage("Click a span in the gold lane first", 3000)
            return
        remaining = [s for s in self.gold if s.id != selected.id]
        self.undo_stack.push(self._gold_change(remaining, f"gold: delete {selected.label}"))

    # -- what commands report --------------------------------------------------------------

    def _gold_change(self, after: list[Span], text: str) -> GoldChange:
        assert self.review is not None and self.review.article.id is not None
        return GoldChange(
            self.store, self.gold_written, self.review.article.id, list(self.gold), after, text
        )

    def gold_written(self, article_id: int, spans: list[Span]) -> None:
        if self.review is None or article_id != self.review.article.id:
            self.open_article(article_id)  # an undo reached back to another article
            return
        self.gold = spans
        self.selected_gold_id = None
        if not self.review.gold_saved:
            self.review = open_review(self.store, article_id)  # gold is saved from now on
            self.disagreement_model.review = self.review
            self.disagreement_model.rows = self.review.disagreements
        self.gold_view.redraw_spans(spans, confirmed=True)
        self.disagreement_model.set_gold(spans)
        self.article_model.set_status(article_id, self.store.status(article_id, GOLD).status)
        self._update_progress()
        if self.current is not None:
            self._show_where()

    def status_changed(self, article_id: int, status: str) -> None:
        self.article_model.set_status(article_id, status)
        self._update_progress()
        self.statusBar().showMessage(f"Article {article_id}: review {status}", 3000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.undo_stack.clear()
        super().closeEvent(event)


def _lane(name: QLabel, view: ArticleView) -> QWidget:
    lane = QWidget()
    layout = QVBoxLayout(lane)
    layout.setContentsMargins(0, 2, 0, 2)
    layout.setSpacing(1)
    layout.addWidget(name)
    layout.addWidget(view)
    return lane


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_review_window(window) -> ReviewWindow:
    """Review → Review disagreements, beside the annotation window (one at a time)."""
    existing = window.findChild(ReviewWindow)
    if existing is not None:
        existing.refresh_articles()
        existing.show()
        existing.raise_()
        return existing
    review = ReviewWindow(window.store, window)
    review.setWindowFlag(Qt.WindowType.Window, True)
    review.show()
    return review
