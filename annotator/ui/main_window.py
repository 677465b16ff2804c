"""The annotation window: one article at a time, its spans corrected from the keyboard.

Every change of spans or status goes through an undo command (``ui/commands.py``) that
writes to the ``Store`` first and then calls ``spans_changed`` / ``status_changed`` here;
the window redraws from those and never writes to the store itself.
"""

from __future__ import annotations

import threading
import time
from bisect import insort
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import STATUSES, Article, Label, Span
from annotator.core.spans import TokenIndex, entity_conflicts
from annotator.nlp.tokens import blank_english, token_bounds
from annotator.storage import StatusRow, Store
from annotator.ui.article_view import ArticleView
from annotator.ui.commands import SpanChange, StatusChange, edited
from annotator.ui.models import ArticleListModel, SpanListModel
from annotator.ui.widgets import make_action, make_panel, make_table

SPAN_LIST_AFTER_EDIT_MS = 40


def _text_order(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id or 0)


_STATUS_FILTERS = [("All articles", None)] + [
    (status.replace("_", " ").capitalize(), status) for status in STATUSES
]


@dataclass
class OpenArticle:
    """The article on screen and this annotator's spans of it, kept in text order."""

    article: Article
    spans: list[Span]
    status: str
    _tokens: TokenIndex | None = field(default=None, repr=False)

    @property
    def id(self) -> int:
        assert self.article.id is not None
        return self.article.id

    @property
    def confirmed(self) -> bool:
        """Once the article is done, suggestions the annotator kept count as confirmed."""
        return self.status == "done"

    @property
    def tokens(self) -> TokenIndex:
        # Tokenised on first use: paging through articles never waits for it.
        if self._tokens is None:
            self._tokens = TokenIndex(token_bounds(self.article.text))
        return self._tokens

    def span(self, span_id: int | None) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)


class _TypingGuard(QObject):
    """Lets text boxes keep plain keys (digits, N, Enter) that are window shortcuts elsewhere."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
            if modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                event.accept()
                return True
        return False


class MainWindow(QMainWindow):
    """``MainWindow(store, annotator_name)``: the window over a project; opens no dialog itself."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    articleShown = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, store: Store, annotator_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator_name
        self.current: OpenArticle | None = None
        self.selected_span_id: int | None = None
        self.exact_boundaries = False
        self.last_export_report = None  # what the last File → Export wrote
        self.undo_stack = QUndoStack(self)
        self._last_input = time.monotonic()
        self._active_seconds = 0.0  # this article, this visit, not yet saved
        self._saved_seconds = 0.0  # this article, earlier visits
        self._typing_guard = _TypingGuard(self)
        self.setWindowTitle(self._window_title())
        self.resize(1400, 860)

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()
        self.reload_labels()
        self.refresh_article_list()

        self._span_list_soon = QTimer(self, singleShot=True, interval=0)
        self._span_list_soon.timeout.connect(self._refresh_span_list)
        self._prefetched: tuple[Article, list[Span], StatusRow] | None = None
        self._prefetch_soon = QTimer(self, singleShot=True, interval=30)
        self._prefetch_soon.timeout.connect(self._prefetch_next)
        self._tokenize_soon = QTimer(self, singleShot=True, interval=50)
        self._tokenize_soon.timeout.connect(lambda: self.current and self.current.tokens)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

        # spaCy's tokenizer takes half a second to build: build it before the first span.
        threading.Thread(target=blank_english, daemon=True).start()
        first = self._first_article_to_open()
        if first is not None:
            self.open_article(first)
        else:
            self.view.setPlainText("")
            self._set_title(None)
            self.statusBar().showMessage("This project has no articles yet: File → Import…")

    # -- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        # Left: the corpus.
        self.search_box = QLineEdit(placeholderText="Search articles…", clearButtonEnabled=True)
        self.search_box.setObjectName("searchBox")
        self.status_filter = QComboBox(objectName="statusFilter")
        for text, status in _STATUS_FILTERS:
            self.status_filter.addItem(text, status)
        self.article_model = ArticleListModel()
        self.article_list = make_table(self.article_model, "articleList")
        self._fixed_columns(self.article_list, [28, None, 48])
        left = make_panel([self.search_box, self.status_filter, self.article_list])

        # Centre: the article.
        self.title_label = QLabel(objectName="articleTitle", wordWrap=True)
        self.title_label.setStyleSheet("font-size: 17px; font-weight: 600; padding: 6px 4px 0 4px;")
        self.meta_label = QLabel(objectName="articleMeta")
        self.meta_label.setStyleSheet("color: #666; padding: 0 4px 4px 4px;")
        self.view = ArticleView()
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        centre = make_panel([self.title_label, self.meta_label, self.view])

        # Right: labels, spans, comment.
        self.legend = QWidget(objectName="legend")
        self.legend_layout = QVBoxLayout(self.legend)
        self.legend_layout.setContentsMargins(0, 0, 0, 0)
        self.legend_layout.setSpacing(4)
        self.span_model = SpanListModel()
        self.span_list = make_table(self.span_model, "spanList")
        self._fixed_columns(self.span_list, [84, None, 120])
        self.comment_box = QLineEdit(placeholderText="Comment (saved with a flag)…")
        self.comment_box.setObjectName("commentBox")
        keys = QLabel(
            "<small>Select text, press a label's key · click a span to select it<br>"
            "Del remove · Shift+←/→ move end · Ctrl+Shift+←/→ move start<br>"
            "Tab next span · Enter done &amp; next · N/P next/previous</small>"
        )
        keys.setStyleSheet("color: #555;")
        keys.setWordWrap(True)
        right = make_panel(
            [
                self._caption("Labels"),
                self.legend,
                self._caption("Spans"),
                self.span_list,
                self.comment_box,
                keys,
            ]
        )
        for box in (self.search_box, self.comment_box):
            box.installEventFilter(self._typing_guard)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        for panel in (left, centre, right):
            self.splitter.addWidget(panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([300, 780, 320])
        self.setCentralWidget(self.splitter)

        self.progress_label = QLabel(objectName="progressLabel")
        self.time_label = QLabel(objectName="timeLabel")
        self.model_label = QLabel(objectName="modelLabel")
        for widget in (self.progress_label, self.time_label, self.model_label):
            self.statusBar().addPermanentWidget(widget)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; color: #444; padding-top: 4px;")
        return label

    @staticmethod
    def _fixed_columns(table: QTableView, widths: list[int | None]) -> None:
        """Fixed widths, one stretching column: sizing to contents reads every row, which
        costs tens of milliseconds on an article with thousands of spans."""
        header = table.horizontalHeader()
        for column, width in enumerate(widths):
            if width is None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                table.setColumnWidth(column, width)

    def _action(self, name: str, text: str, keys: list[str], slot, tip: str = "") -> QAction:
        return make_action(self, name, text, keys, slot, tip)

    def _build_actions(self) -> None:
        a = self._action
        self.action_next = a(
            "actionNext", "Next article", ["N", "PgDown"], lambda: self.next_article(1)
        )
        self.action_previous = a(
            "actionPrevious", "Previous article", ["P", "PgUp"], self.previous_article
        )
        self.action_done = a(
            "actionDone",
            "Done && next",
            ["Return", "Enter"],
            self.done_and_next,
            "Mark done and go to the next article not done",
        )
        self.action_skip = a("actionSkip", "Skip", ["S"], self.skip_article)
        self.action_flag = a(
            "actionFlag",
            "Flag…",
            ["F"],
            self.flag_article,
            "Flag the article with the comment in the side panel",
        )
        self.action_delete = a(
            "actionDeleteSpan", "Delete span", ["Del", "Backspace"], self.delete_selected_span
        )
        self.action_next_span = a(
            "actionNextSpan", "Next span", ["Tab"], lambda: self.select_next_span(1)
        )
        self.action_previous_span = a(
            "actionPreviousSpan",
            "Previous span",
            ["Shift+Tab", "Backtab"],
            lambda: self.select_next_span(-1),
        )
        # Widen (+1) or narrow (-1) the selected span by a token; the arrow points where the
        # edge moves.
        self.edge_actions = [
            a(name, text, [key], lambda _=False, edge=edge, step=step: self.move_edge(edge, step))
            for name, text, key, edge, step in (
                ("actionEndRight", "Extend end by a token", "Shift+Right", "end", +1),
                ("actionEndLeft", "Shrink end by a token", "Shift+Left", "end", -1),
                ("actionStartLeft", "Extend start by a token", "Ctrl+Shift+Left", "start", +1),
                ("actionStartRight", "Shrink start by a token", "Ctrl+Shift+Right", "start", -1),
            )
        ]
        self.action_exact = a(
            "actionExactBoundaries", "Exact character boundaries", ["Ctrl+E"], self._toggle_exact
        )
        self.action_exact.setCheckable(True)
        self.action_clear = a(
            "actionClearSelection", "Clear selection", ["Esc"], self.clear_selection
        )

        self.action_undo = self.undo_stack.createUndoAction(self, "Undo")
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.action_redo = self.undo_stack.createRedoAction(self, "Redo")
        self.action_redo.setObjectName("actionRedo")
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.action_undo, self.action_redo):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

        self.action_open = a(
            "actionOpenProject", "Open project…", ["Ctrl+O"], self.open_project_dialog
        )
        self.action_import = a("actionImport", "Import files…", ["Ctrl+I"], self.import_dialog)
        self.action_import_folder = a(
            "actionImportFolder", "Import a folder…", [], lambda: self.import_dialog(folder=True)
        )
        self.action_export = a("actionExport", "Export…", ["Ctrl+Shift+E"], self.export_dialog)
        self.action_review = a(
            "actionReview", "Review disagreements…", ["Ctrl+R"], self.open_review
        )
        self.action_agreement = a("actionAgreement", "Agreement…", [], self.open_agreement)
        self.action_guidelines = a("actionGuidelines", "Guidelines", ["F1"], self.show_guidelines)
        self.action_quit = a("actionQuit", "Quit", ["Ctrl+Q"], self.close)
        self.label_actions: dict[str, QAction] = {}

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (
            self.action_open,
            self.action_import,
            self.action_import_folder,
            self.action_export,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.action_undo, self.action_redo])
        edit.addSeparator()
        self.label_menu = edit.addMenu("Label selection")
        edit.addActions([self.action_delete, self.action_next_span, self.action_previous_span])
        edit.addSeparator()
        edit.addActions([*self.edge_actions, self.action_exact])
        article = bar.addMenu("&Article")
        article.addActions([self.action_done, self.action_skip, self.action_flag])
        article.addSeparator()
        article.addActions([self.action_next, self.action_previous])
        review = bar.addMenu("&Review")
        review.addActions([self.action_review, self.action_agreement])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_guidelines)

        tools = self.addToolBar("Article")
        tools.setObjectName("articleToolBar")
        tools.setMovable(False)
        tools.addActions([self.action_previous, self.action_next])
        tools.addSeparator()
        tools.addActions([self.action_done, self.action_skip, self.action_flag])
        tools.addSeparator()
        tools.addActions([self.action_undo, self.action_redo])

    def _connect(self) -> None:
        self.view.clicked.connect(self._span_clicked)
        self.span_list.selectionModel().selectionChanged.connect(self._span_row_selected)
        self.article_list.clicked.connect(self._article_row_clicked)
        self.article_list.activated.connect(self._article_row_clicked)
        self.status_filter.currentIndexChanged.connect(lambda _: self.refresh_article_list())
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.refresh_article_list)
        self.search_box.textChanged.connect(lambda _: self._search_timer.start())
        self.comment_box.returnPressed.connect(self._comment_entered)

    def reload_labels(self) -> None:
        """(Re)build the legend and one action per label from the project's scheme."""
        self.labels: list[Label] = self.store.labels()
        self.kinds = {label.name: label.kind for label in self.labels}
        for action in self.label_actions.values():
            self.removeAction(action)
            action.deleteLater()
        self.label_actions.clear()
        self.label_menu.clear()
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for position, label in enumerate(self.labels, start=1):
            key = label.key or (str(position) if position < 10 else "")
            action = self._action(
                f"actionLabel_{label.name}",
                label.name,
                [key] if key else [],
                lambda _=False, name=label.name: self.apply_label(name),
                label.description,
            )
            self.label_actions[label.name] = action
            self.label_menu.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setText(f"{key}  {label.name}" if key else label.name)
            button.setToolTip(label.description)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(
                button.sizePolicy().horizontalPolicy().Expanding,
                button.sizePolicy().verticalPolicy(),
            )
            button.setStyleSheet(_legend_style(label))
            self.legend_layout.addWidget(button)
        self.view.set_labels(self.labels)
        self.span_model.set_labels(self.labels)

    # -- the article list ------------------------------------------------------------------

    def refresh_article_list(self) -> None:
        self._prefetched = None
        status = self.status_filter.currentData()
        rows = self.store.article_list(self.annotator, status)
        query = self.search_box.text().strip()
        if query:
            found = set(self.store.search(query))
            rows = [row for row in rows if row.id in found]
        self.article_model.set_rows(rows)
        if self.current is not None:
            self._select_article_row(self.current.id)
        self._update_progress()

    def _select_article_row(self, article_id: int) -> None:
        row = self.article_model.row_of(article_id)
        selection = self.article_list.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        index = self.article_model.index(row, 1)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.article_list.scrollTo(index)

    def _article_row_clicked(self, index) -> None:
        article_id = self.article_model.data(index, Qt.ItemDataRole.UserRole)
        if article_id is not None and (self.current is None or article_id != self.current.id):
            self.open_article(article_id)

    def _remember_article(self) -> None:
        if self.current is not None:
            self.store.set_setting(f"last_article:{self.annotator}", str(self.current.id))

    def _first_article_to_open(self) -> int | None:
        remembered = self.store.setting(f"last_article:{self.annotator}")
        if remembered.isdigit() and self.article_model.row_of(int(remembered)) >= 0:
            return int(remembered)
        for row in self.article_model.rows:
            if row.status not in ("done", "skipped"):
                return row.id
        return self.article_model.rows[0].id if self.article_model.rows else None

    # -- opening articles ------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article; the first time, the annotator's spans start from the suggestions."""
        self._save_active_time()
        loaded = self._prefetched
        self._prefetched = None
        if loaded is None or loaded[0].id != article_id:
            loaded = self._load(article_id)
        article, spans, status = loaded
        self.current = OpenArticle(article, spans, status.status)
        self._saved_seconds = status.seconds_active
        self.selected_span_id = None
        self.view.show_article(article.text, spans, self.current.confirmed)
        self._span_list_soon.start(0)
        self._set_title(article)
        self.comment_box.setText(status.comment)
        self.article_model.update_row(article_id, status=status.status, spans=len(spans))
        self._select_article_row(article_id)
        self.model_label.setText(self._model_text(article_id))
        self._update_time_label()
        self._tokenize_soon.start()  # while the annotator reads, not when they press a key
        self._prefetch_soon.start()
        self.articleShown.emit(article_id)

    def _load(self, article_id: int) -> tuple[Article, list[Span], StatusRow]:
        spans = self.store.open_article(article_id, self.annotator)
        return self.store.article(article_id), spans, self.store.status(article_id, self.annotator)

    def _prefetch_next(self) -> None:
        """While the annotator reads, read the next article of the list, so Next shows it at
        once. Only articles opened before: a first opening writes, and waits for the key."""
        self._prefetched = None
        if self.current is None:
            return
        row = self.article_model.row_of(self.current.id)
        rows = self.article_model.rows
        if 0 <= row < len(rows) - 1 and rows[row + 1].status != "todo":
            following = rows[row + 1].id
            self._prefetched = (
                self.store.article(following),
                self.store.spans(following, self.annotator),
                self.store.status(following, self.annotator),
            )

    def _forget_prefetched(self, article_id: int) -> None:
        if self._prefetched is not None and self._prefetched[0].id == article_id:
            self._prefetched = None

    def _set_title(self, article: Article | None) -> None:
        if article is None:
            self.title_label.setText("")
            self.meta_label.setText("")
            return
        self.title_label.setText(article.title or f"Article {article.id}")
        meta = [part for part in (article.source, article.published, article.url) if part]
        self.meta_label.setText(
            " · ".join(meta) + f"  (#{article.id}, {len(article.text):,} characters)"
        )

    def _model_text(self, article_id: int) -> str:
        model = self.store.suggestion_model(article_id)
        return f"Suggestions: {model}" if model else "No suggestions for this article"

    def next_article(self, step: int = 1) -> None:
        rows = self.article_model.rows
        if not rows:
            return
        if self.current is None:
            self.open_article(rows[0].id)
            return
        row = self.article_model.row_of(self.current.id)
        if row < 0:  # filtered out: continue from where it would stand in id order
            row = next((i for i, r in enumerate(rows) if r.id > self.current.id), len(rows))
            row -= 1 if step > 0 else 0
        target = row + step
        if 0 <= target < len(rows):
            self.open_article(rows[target].id)
        else:
            self.statusBar().showMessage("No more articles in this direction", 3000)

    def previous_article(self) -> None:
        self.next_article(-1)

    # -- statuses --------------------------------------------------------------------------

    def done_and_next(self) -> None:
        if self.current is None:
            return
        self._set_status("done")
        rows = self.article_model.rows
        start = self.article_model.row_of(self.current.id)
        for offset in range(1, len(rows) + 1):
            row = rows[(start + offset) % len(rows)]
            if row.status != "done":
                self.open_article(row.id)
                return
        self.statusBar().showMessage("Every article in the list is done.", 5000)

    def skip_article(self) -> None:
        if self.current is not None:
            self._set_status("skipped")
            self.next_article()

    def flag_article(self) -> None:
        if self.current is None:
            return
        comment = self.comment_box.text().strip()
        if not comment:
            self.comment_box.setFocus()
            self.statusBar().showMessage("Type why you flag it, then press Enter", 5000)
            return
        self._set_status("flagged", comment)

    def _comment_entered(self) -> None:
        if self.current is not None and self.comment_box.text().strip():
            self._set_status("flagged", self.comment_box.text().strip())
            self.view.setFocus()

    def _set_status(self, status: str, comment: str | None = None) -> None:
        assert self.current is not None
        self.undo_stack.push(
            StatusChange(self.store, self, self.current.id, self.annotator, status, comment)
        )

    # -- spans: from keys and mouse --------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """The label key: relabel the selected span, or make a span of the selected text."""
        if self.current is None:
            return
        start, end = self.view.selected_range()
        selected = self.current.span(self.selected_span_id)
        if selected is not None and (
            start == end or (start, end) == (selected.start, selected.end)
        ):
            self._relabel(selected, label)
        elif start < end:
            self.create_span(start, end, label)
        else:
            self.statusBar().showMessage("Select some text first, or click a span", 3000)

    def create_span(self, start: int, end: int, label: str) -> Span | None:
        """Make a span of ``label`` over a selection, snapped to whole tokens.

        An entity replaces the LOCATION/FACTION spans it overlaps, so redrawing a wrong
        suggestion is one gesture; a CLAIM may contain anything.
        """
        assert self.current is not None
        if not self.exact_boundaries:
            snapped = self.current.tokens.snap(start, end)
            if snapped is None:
                self.statusBar().showMessage("The selection holds no word", 3000)
                return None
            start, end = snapped
        new = Span(start, end, label, origin="human")
        existing = next((s for s in self.current.spans if s == new), None)
        if existing is not None:
            self._select_span(existing)
            return existing
        replaced = entity_conflicts(new, self.current.spans, self.kinds)
        verb = f"replace {len(replaced)} span(s) by" if replaced else "add"
        self.undo_stack.push(self._change(replaced, [new], f"{verb} {label}"))
        return self.current.span(self.selected_span_id)

    def _relabel(self, span: Span, label: str) -> None:
        if span.label == label:
            return
        self._change_span(span, edited(span, label=label), f"relabel {span.label} → {label}")

    def delete_selected_span(self) -> None:
        if self.current is None:
            return
        span = self.current.span(self.selected_span_id)
        if span is None:
            self.statusBar().showMessage("Click a span first", 3000)
            return
        self.undo_stack.push(self._change([span], [], f"delete {span.label}"))

    def move_edge(self, edge: str, step: int) -> None:
        """Widen (+1) or narrow (-1) the selected span by one token at ``edge``."""
        if self.current is None:
            return
        span = self.current.span(self.selected_span_id)
        if span is None:
            self.statusBar().showMessage("Click a span first", 3000)
            return
        start, end = self.current.tokens.move_edge(span.start, span.end, edge, step)
        if (start, end) == (span.start, span.end):
            self.statusBar().showMessage("The span cannot move further that way", 3000)
            return
        self._change_span(span, edited(span, start=start, end=end), f"resize {span.label}")

    def _change_span(self, span: Span, new: Span, text: str) -> None:
        assert self.current is not None
        others = [s for s in self.current.spans if s.id != span.id]
        if new in others:
            self.statusBar().showMessage("That span exists already", 3000)
            return
        conflicts = entity_conflicts(new, others, self.kinds)
        if conflicts:
            names = ", ".join(f"{c.label} '{c.text(self.current.article.text)}'" for c in conflicts)
            self.statusBar().showMessage(
                f"Would overlap {names}: LOCATION and FACTION never overlap", 5000
            )
            return
        self.undo_stack.push(self._change([span], [new], text))

    def _change(self, before: list[Span], after: list[Span], text: str) -> SpanChange:
        assert self.current is not None
        return SpanChange(self.store, self, self.current.id, self.annotator, before, after, text)

    # -- what commands report --------------------------------------------------------------

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None:
        self._forget_prefetched(article_id)
        if self.current is None or article_id != self.current.id:
            self.open_article(article_id)  # undo of an edit on another article: go there
        else:
            gone = {s.id for s in removed}
            spans = [s for s in self.current.spans if s.id not in gone]
            for span in added:  # the list stays in text order without sorting it all again
                insort(spans, span, key=_text_order)
            self.current.spans = spans
            self.view.update_spans(removed, added, self.current.confirmed)
            # The list follows a moment later: an annotator pressing keys in a row sees each
            # edit in the text at once, and the list is drawn once for the run. (Unless it
            # still shows another article: then at once.)
            current_list = self.span_model.article_id == article_id
            self._span_list_soon.start(SPAN_LIST_AFTER_EDIT_MS if current_list else 0)
            self.article_model.update_row(article_id, spans=len(spans), status=self.current.status)
        if self.current.status == "todo":  # the store made it in_progress with the edit
            self.current.status = "in_progress"
            self.article_model.update_row(article_id, status=self.current.status)
        if len(added) == 1:
            self._select_span(added[0])
        else:
            self.selected_span_id = None
            self.view.clear_selection()

    def status_changed(self, article_id: int, status: str) -> None:
        self._forget_prefetched(article_id)
        self.article_model.update_row(article_id, status=status)
        if self.current is not None and article_id != self.current.id:
            self.open_article(article_id)  # an undo of "done" goes back to that article
        elif self.current is not None:
            was_confirmed = self.current.confirmed
            self.current.status = status
            self.comment_box.setText(self.store.status(article_id, self.annotator).comment)
            if self.current.confirmed != was_confirmed:
                self.view.redraw_spans(self.current.spans, self.current.confirmed)
                self._span_list_soon.start(0)
        self._update_progress()
        message = f"Article {article_id}: {status.replace('_', ' ')}"
        self.statusBar().showMessage(message, 3000)

    # -- span selection --------------------------------------------------------------------

    def _refresh_span_list(self) -> None:
        """Bring the span list up to date. It runs just after the article is drawn: a table
        of many rows costs more to paint than the highlighted text itself."""
        if self.current is None:
            self.span_model.set_spans("", [], False, None)
            return
        self.span_model.set_spans(
            self.current.article.text, self.current.spans, self.current.confirmed, self.current.id
        )
        self._select_span_row(self.selected_span_id)

    def _select_span(self, span: Span, scroll: bool = True) -> None:
        self.selected_span_id = span.id
        self.view.select_range(span.start, span.end, scroll)
        self._select_span_row(span.id)

    def _select_span_row(self, span_id: int | None) -> None:
        row = self.span_model.row_of(span_id) if span_id is not None else -1
        if row < 0:
            self._clear_span_list_selection()
        else:
            selection = self.span_list.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(
                self.span_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            selection.blockSignals(False)
            self.span_list.viewport().update()
            self.span_list.scrollTo(self.span_model.index(row, 0))

    def _span_clicked(self, offset: int) -> None:
        """Select the innermost span under a click; clicking again takes the enclosing one."""
        if self.current is None:
            return
        under = [s for s in self.current.spans if s.start <= offset < s.end] or [
            s for s in self.current.spans if s.start < offset <= s.end
        ]
        if not under:
            self.selected_span_id = None
            self._clear_span_list_selection()
            return
        under.sort(key=lambda s: (s.end - s.start, s.start))
        ids = [s.id for s in under]
        if self.selected_span_id in ids:
            chosen = under[(ids.index(self.selected_span_id) + 1) % len(under)]
        else:
            chosen = under[0]
        self._select_span(chosen, scroll=False)

    def _span_row_selected(self) -> None:
        rows = self.span_list.selectionModel().selectedRows()
        if rows and self.current is not None:
            span = self.span_model.spans[rows[0].row()]
            self._select_span(span)

    def _clear_span_list_selection(self) -> None:
        selection = self.span_list.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        selection.blockSignals(False)
        self.span_list.viewport().update()

    def select_next_span(self, step: int = 1) -> None:
        if self.current is None or not self.current.spans:
            return
        spans = self.current.spans
        ids = [s.id for s in spans]
        if self.selected_span_id in ids:
            index = (ids.index(self.selected_span_id) + step) % len(spans)
        else:
            caret = self.view.selected_range()[0]
            index = next((i for i, s in enumerate(spans) if s.start >= caret), 0)
            if step < 0:
                index = (index - 1) % len(spans)
        self._select_span(spans[index])

    def clear_selection(self) -> None:
        self.selected_span_id = None
        self.view.clear_selection()
        self._clear_span_list_selection()

    def _toggle_exact(self) -> None:
        self.exact_boundaries = self.action_exact.isChecked()
        mode = "exact characters" if self.exact_boundaries else "whole tokens"
        self.statusBar().showMessage(f"New spans snap to {mode}", 3000)

    # -- status bar, active time -----------------------------------------------------------

    def _update_progress(self) -> None:
        counts = self.store.status_counts(self.annotator)
        total = sum(counts.values())
        self.progress_label.setText(f"{counts['done']} / {total} done")

    def _tick(self) -> None:
        # Time counts while the window is in front and someone touched it in the last minute.
        if (
            self.current is not None
            and self.isActiveWindow()
            and time.monotonic() - self._last_input < 60
        ):
            self._active_seconds += 1
            if self._active_seconds >= 30:
                self._save_active_time()
            self._update_time_label()

    def _update_time_label(self) -> None:
        if self.current is None:
            self.time_label.setText("")
            return
        seconds = int(self._saved_seconds + self._active_seconds)
        self.time_label.setText(f"active {seconds // 60}:{seconds % 60:02d}")

    def _save_active_time(self) -> None:
        if self.current is not None and self._active_seconds:
            self.store.add_active_time(self.current.id, self.annotator, self._active_seconds)
            self._saved_seconds += self._active_seconds
        self._active_seconds = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self._last_input = time.monotonic()
        return False

    # -- project, import, export, review (dialogs live in their own modules) ---------------

    def open_project_dialog(self) -> None:
        from annotator.ui.dialogs import choose_project

        path = choose_project(self)
        if path is not None:
            self.set_store(Store(path))

    def set_store(self, store: Store) -> None:
        """Switch the window to another project."""
        self._save_active_time()
        self._remember_article()
        self.store.close()
        self.store = store
        self.undo_stack.clear()
        self.current = None
        self.setWindowTitle(self._window_title())
        self.reload_labels()
        self.refresh_article_list()
        first = self._first_article_to_open()
        if first is not None:
            self.open_article(first)

    def import_dialog(self, folder: bool = False) -> None:
        from annotator.ui.dialogs import run_import

        run_import(self, folder=folder)

    def export_dialog(self) -> None:
        from annotator.ui.dialogs import run_export

        run_export(self)

    def open_review(self) -> None:
        from annotator.ui.review_window import open_review_window

        open_review_window(self)

    def open_agreement(self) -> None:
        from annotator.ui.agreement_view import show_agreement

        show_agreement(self)

    def show_guidelines(self) -> None:
        from annotator.ui.dialogs import show_guidelines

        show_guidelines(self)

    def _window_title(self) -> str:
        name = self.store.path.name if self.store.path else "in-memory project"
        return f"{name} — {self.annotator} — Conflict news annotator"

    # -- lifetime --------------------------------------------------------------------------

    def restore_layout(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._save_active_time()
        self._remember_article()
        # Nothing may touch the project once the window is gone (its file may be closed next).
        for timer in (self._clock, self._prefetch_soon, self._tokenize_soon, self._span_list_soon):
            timer.stop()
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        self.save_layout(QSettings())
        super().closeEvent(event)


def _legend_style(label: Label) -> str:
    return (
        "QToolButton { text-align: left; padding: 5px 8px; border-radius: 4px; "
        f"border: 1px solid {label.color}; border-left: 6px solid {label.color}; "
        "background: white; font-weight: 600; }"
        f"QToolButton:hover {{ background: {label.color}22; }}"
    )
