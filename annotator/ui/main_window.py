"""The annotation window: one article at a time, its spans corrected from the keyboard.

``MainWindow`` composes the parts, each in a module of its own: the article list
(``article_list.py``), the article view (``article_view.py``), the labels and spans column
(``side_panel.py``), the span gestures (``span_editor.py``, over the rules of
``core/editing.py``), the active-time clock (``clock.py``), and the actions, menus and
toolbar as tables (``main_actions.py``). Every edit is an undo command (``commands.py``)
that writes to the ``Store`` first and then calls ``spans_changed`` / ``status_changed``
here; the window redraws from those and never writes spans itself.

More features slot in without growing this class (``frame.py``): ``add_actions(rows)`` for
their keys, ``menu(title)`` for their menu, ``add_side_panel(name, title, widget)`` for a
docked panel, ``add_status_item(widget)`` for the status bar.
"""

from __future__ import annotations

import threading
from bisect import insort

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from annotator.core.model import Label, Span
from annotator.nlp.tokens import blank_english
from annotator.storage import Store
from annotator.ui.article_list import ArticleListPanel
from annotator.ui.article_pane import ArticlePane
from annotator.ui.clock import ActiveClock
from annotator.ui.commands import StatusChange
from annotator.ui.frame import WindowFrame
from annotator.ui.main_actions import ACTIONS, CHECKABLE, MENUS, TOOLBAR
from annotator.ui.open_article import OpenArticle, ReadAhead, text_order
from annotator.ui.side_panel import AnnotationPanel, TypingGuard
from annotator.ui.span_editor import SpanEditor
from annotator.ui.widgets import make_action

SPAN_LIST_AFTER_EDIT_MS = 40


class MainWindow(WindowFrame):
    """``MainWindow(store, annotator_name)``: the window over a project; opens no dialog itself."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    articleShown = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, store: Store, annotator_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator_name
        self.current: OpenArticle | None = None
        self.editor = SpanEditor(self)
        self.last_export_report = None  # what the last File → Export wrote
        self.labels: list[Label] = []
        self.kinds: dict[str, str] = {}
        self.label_actions: dict[str, QAction] = {}
        self.setWindowTitle(self._window_title())
        self.resize(1400, 860)
        self._build_widgets()
        self._build_actions()
        self.clock = ActiveClock(self, self._save_active_time)
        self.clock.changed.connect(self.time_label.setText)
        self._span_list_soon = QTimer(self, singleShot=True, interval=0)
        self._span_list_soon.timeout.connect(self._refresh_span_list)
        self.read_ahead = ReadAhead()
        self._prefetch_soon = QTimer(self, singleShot=True, interval=30)
        self._prefetch_soon.timeout.connect(self._prefetch_next)
        self._tokenize_soon = QTimer(self, singleShot=True, interval=50)
        self._tokenize_soon.timeout.connect(lambda: self.current and self.current.tokens)
        self.reload_labels()
        self.refresh_article_list()

        # spaCy's tokenizer takes half a second to build: build it before the first span.
        threading.Thread(target=blank_english, daemon=True).start()
        first = self.articles.first_to_open(self.store.setting(f"last_article:{self.annotator}"))
        if first is not None:
            self.open_article(first)
        else:
            self.view.setPlainText("")
            self.statusBar().showMessage("This project has no articles yet: File → Import…")

    # -- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._typing_guard = TypingGuard(self)
        self.articles = ArticleListPanel(self._typing_guard)
        self.articles.articleChosen.connect(self._article_chosen)
        self.articles.filterChanged.connect(self.refresh_article_list)
        # The list's parts, by the names tests and dialogs use.
        self.search_box = self.articles.search_box
        self.status_filter = self.articles.status_filter
        self.article_model = self.articles.model
        self.article_list = self.articles.table

        self.centre = ArticlePane()
        self.view = self.centre.view
        self.title_label = self.centre.title_label
        self.view.clicked.connect(self.editor.span_clicked)

        self.side = AnnotationPanel(self._typing_guard)
        self.legend = self.side.legend
        self.span_list = self.side.span_list
        self.span_model = self.span_list.span_model
        self.comment_box = self.side.comment_box
        self.span_list.spanChosen.connect(self.editor.select_span)
        self.comment_box.returnPressed.connect(self._comment_entered)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        for panel, stretch in ((self.articles, 0), (self.centre, 1), (self.side, 0)):
            self.splitter.addWidget(panel)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([300, 780, 320])
        self.setCentralWidget(self.splitter)

        self.progress_label = QLabel(objectName="progressLabel")
        self.time_label = QLabel(objectName="timeLabel")
        self.model_label = QLabel(objectName="modelLabel")
        for widget in (self.progress_label, self.time_label, self.model_label):
            self.add_status_item(widget)

    def _build_actions(self) -> None:
        self.add_actions(ACTIONS)
        for name in CHECKABLE:
            self.named_actions[name].setCheckable(True)
        self.add_undo_actions("action")
        for title, names in MENUS:
            self.fill(self.menu(title), names)
        self.label_menu = self.menus["Label selection"]
        self.add_toolbar("articleToolBar", "Article", TOOLBAR)

    def reload_labels(self) -> None:
        """(Re)build the legend and one action per label from the project's scheme."""
        self.labels = self.store.labels()
        self.kinds = {label.name: label.kind for label in self.labels}
        for action in self.label_actions.values():
            self.removeAction(action)
            action.deleteLater()
        self.label_actions.clear()
        self.label_menu.clear()
        for position, label in enumerate(self.labels, start=1):
            key = label.key or (str(position) if position < 10 else "")
            action = make_action(
                self,
                f"actionLabel_{label.name}",
                label.name,
                [key] if key else [],
                lambda _=False, name=label.name: self.apply_label(name),
                label.description,
            )
            self.label_actions[label.name] = action
            self.label_menu.addAction(action)
        self.legend.set_labels(self.labels, self.label_actions)
        self.view.set_labels(self.labels)
        self.span_model.set_labels(self.labels)

    # -- the article list ------------------------------------------------------------------

    def refresh_article_list(self) -> None:
        self.read_ahead.forget()
        self.articles.fill(self.store, self.annotator)
        if self.current is not None:
            self.articles.select(self.current.id)
        self._update_progress()

    def _article_chosen(self, article_id: int) -> None:
        if self.current is None or article_id != self.current.id:
            self.open_article(article_id)

    def _remember_article(self) -> None:
        if self.current is not None:
            self.store.set_setting(f"last_article:{self.annotator}", str(self.current.id))

    def _update_progress(self) -> None:
        counts = self.store.status_counts(self.annotator)
        self.progress_label.setText(f"{counts['done']} / {sum(counts.values())} done")

    # -- opening articles ------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article; the first time, the annotator's spans start from the suggestions."""
        self.clock.save_now()
        loaded = self.read_ahead.take(article_id)
        if loaded is None:
            spans = self.store.open_article(article_id, self.annotator)
            loaded = (
                self.store.article(article_id),
                spans,
                self.store.status(article_id, self.annotator),
            )
        article, spans, status = loaded
        self.current = OpenArticle(article, spans, status.status)
        self.editor.selected_span_id = None
        self.view.show_article(article.text, spans, self.current.confirmed)
        self._span_list_soon.start(0)
        self.centre.set_heading(article)
        self.comment_box.setText(status.comment)
        self.article_model.update_row(article_id, status=status.status, spans=len(spans))
        self.articles.select(article_id)
        model = self.store.suggestion_model(article_id)
        self.model_label.setText(
            f"Suggestions: {model}" if model else "No suggestions for this article"
        )
        self.clock.start_article(status.seconds_active)
        self._tokenize_soon.start()  # while the annotator reads, not when they press a key
        self._prefetch_soon.start()
        self.articleShown.emit(article_id)

    def _prefetch_next(self) -> None:
        following = self.articles.following_opened(self.current.id) if self.current else None
        self.read_ahead.read(self.store, self.annotator, following)

    def next_article(self, step: int = 1) -> None:
        if not self.article_model.rows:
            return
        target = self.articles.step_from(self.current.id if self.current else None, step)
        if target is not None:
            self.open_article(target)
        else:
            self.statusBar().showMessage("No more articles in this direction", 3000)

    def previous_article(self) -> None:
        self.next_article(-1)

    # -- statuses --------------------------------------------------------------------------

    def done_and_next(self) -> None:
        if self.current is None:
            return
        self._set_status("done")
        following = self.articles.next_not_done(self.current.id)
        if following is not None:
            self.open_article(following)
        else:
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

    # -- spans: what tests, dialogs and scripts reach on the window (see span_editor.py) ----

    @property
    def selected_span_id(self) -> int | None:
        return self.editor.selected_span_id

    def apply_label(self, label: str) -> None:
        self.editor.apply_label(label)

    def create_span(self, start: int, end: int, label: str) -> Span | None:
        return self.editor.create_span(start, end, label)

    def clear_selection(self) -> None:
        self.editor.clear_selection()

    def _span_clicked(self, offset: int) -> None:
        self.editor.span_clicked(offset)

    def _select_span(self, span: Span, scroll: bool = True) -> None:
        self.editor.select_span(span, scroll)

    def toggle_exact_boundaries(self) -> None:
        exact = self.editor.exact_boundaries = self.action_exact_boundaries.isChecked()
        mode = "exact characters" if exact else "whole tokens"
        self.statusBar().showMessage(f"New spans snap to {mode}", 3000)

    # -- what commands report --------------------------------------------------------------

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None:
        self.read_ahead.forget(article_id)
        if self.current is None or article_id != self.current.id:
            self.open_article(article_id)  # undo of an edit on another article: go there
        else:
            gone = {s.id for s in removed}
            spans = [s for s in self.current.spans if s.id not in gone]
            for span in added:  # the list stays in text order without sorting it all again
                insort(spans, span, key=text_order)
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
        self.editor.after_change(added)

    def status_changed(self, article_id: int, status: str) -> None:
        self.read_ahead.forget(article_id)
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

    # -- the span list ---------------------------------------------------------------------

    def _refresh_span_list(self) -> None:
        """Bring the span list up to date. It runs just after the article is drawn: a table
        of many rows costs more to paint than the highlighted text itself."""
        if self.current is None:
            self.span_model.set_spans("", [], False, None)
            return
        self.span_model.set_spans(
            self.current.article.text, self.current.spans, self.current.confirmed, self.current.id
        )
        self.span_list.select_span(self.selected_span_id)

    # -- project ---------------------------------------------------------------------------

    def _save_active_time(self, seconds: float) -> None:
        if self.current is not None:
            self.store.add_active_time(self.current.id, self.annotator, seconds)

    def set_store(self, store: Store) -> None:
        """Switch the window to another project."""
        self.clock.save_now()
        self._remember_article()
        self.store.close()
        self.store = store
        self.undo_stack.clear()
        self.current = None
        self.clock.stop_article()
        self.setWindowTitle(self._window_title())
        self.reload_labels()
        self.refresh_article_list()
        first = self.articles.first_to_open(self.store.setting(f"last_article:{self.annotator}"))
        if first is not None:
            self.open_article(first)

    def _window_title(self) -> str:
        name = self.store.path.name if self.store.path else "in-memory project"
        return f"{name} — {self.annotator} — Conflict news annotator"

    # -- lifetime --------------------------------------------------------------------------

    def restore_layout(self, settings: QSettings) -> None:
        super().restore_layout(settings)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_layout(self, settings: QSettings) -> None:
        super().save_layout(settings)
        settings.setValue("window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.clock.save_now()
        self._remember_article()
        # Nothing may touch the project once the window is gone (its file may be closed next).
        self.clock.stop()
        for timer in (self._prefetch_soon, self._tokenize_soon, self._span_list_soon):
            timer.stop()
        self.save_layout(QSettings())
        super().closeEvent(event)
