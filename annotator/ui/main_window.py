"""The annotation window: one article at a time, its spans corrected from the keyboard.

``MainWindow`` composes the parts, each in a module of its own: the article list
(``article_list.py``), the article view (``article_view.py``), the labels and spans column
(``side_panel.py``), the span gestures (``span_editor.py``, over the rules of
``core/editing.py``), the active-time clock (``clock.py``), and the actions, menus and
toolbar as tables (``main_actions.py``). Every edit is an undo command (``commands.py``)
that writes to the ``Store`` first and then calls ``spans_changed`` / ``status_changed``
here; the window redraws from those (``window_written.py``) and never writes spans itself.

More features slot in without growing this class (``frame.py``): ``add_actions(rows)`` for
their keys, ``menu(title)`` for their menu, ``add_side_panel(name, title, widget)`` for a
docked panel, ``add_status_item(widget)`` for the status bar.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QWidget

from annotator.core.model import Label, Span
from annotator.nlp.tokens import blank_english
from annotator.storage import Store
from annotator.ui import conveniences, model_menu
from annotator.ui.article_commands import with_start
from annotator.ui.article_loader import ArticleSource, LoadedArticle
from annotator.ui.article_statuses import (
    CHANGED_ELSEWHERE,
    CommentBox,
    done_and_next,
    flag_article,
    save_active_time,
    say_if_comment_lost,
)
from annotator.ui.claim_sources import ClaimEditor
from annotator.ui.clock import ActiveClock
from annotator.ui.commands import StatusChange
from annotator.ui.entity_links import EntityLinks
from annotator.ui.frame import WindowFrame
from annotator.ui.guidelines import help_over_modals
from annotator.ui.main_actions import label_rows
from annotator.ui.main_layout import build_main_actions, build_main_widgets, keep_columns_open
from annotator.ui.open_article import OpenArticle
from annotator.ui.places_panel import MAP_BESIDE_TEXT
from annotator.ui.span_editor import SpanEditor
from annotator.ui.status_bar import FittingStatusBar
from annotator.ui.watcher import ProjectWatcher
from annotator.ui.widgets import add_actions, font_scale, resize_within_screen
from annotator.ui.window_follow import follow_the_file
from annotator.ui.window_project import (
    say_about_the_project_file,
    show_no_article,
    show_rescued,
    start_over,
    switch_annotator,
    window_title,
    work_on,
)
from annotator.ui.window_written import (
    show_claims_written,
    show_spans_written,
    show_status_written,
)


class MainWindow(WindowFrame):
    """``MainWindow(store, annotator_name)``: the window over a project; opens no dialog itself."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    articleShown = Signal(int)  # noqa: N815 - Qt signal naming
    #: Emitted after the label scheme was read again (changed here or elsewhere).
    labelsReloaded = Signal()  # noqa: N815

    def __init__(self, store: Store, annotator_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        help_over_modals()  # F1 in a modal dialog
        self._list_key: tuple[object, ...] = ()  # what the article list showed (reload_from_store)
        self.store: Store
        self.annotator: str
        work_on(self, store, annotator_name)
        self.current: OpenArticle | None = None
        self.editor = SpanEditor(self)
        self.claims = ClaimEditor(self)  # claims' sources and attributes
        self.last_export_report = None  # what the last File → Export wrote
        self.last_export_options = None  # its choices, offered again by the next
        self.labels: list[Label] = []
        #: The keys before the moves the yellow bar says (``window_follow._keys_moved``).
        self.keys_before_moves: dict[str, str] | None = None
        self.kinds: dict[str, str] = {}
        self.label_actions: dict[str, QAction] = {}
        self.setWindowTitle(window_title(self))
        resize_within_screen(self, MAP_BESIDE_TEXT, 860)  # the map beside, where it fits
        self.width_for_panels = MAP_BESIDE_TEXT  # (and so in a layout from a larger screen)
        build_main_widgets(self)
        self.view.selectionChanged.connect(self.editor.selection_moved)
        self.view.dragged.connect(self.editor.selection_moved)
        self.articles.articleChosen.connect(self._article_chosen)
        self.articles.searchAccepted.connect(lambda: self.view.setFocus())
        self.articles.filterChanged.connect(self.refresh_article_list)
        self.comments = CommentBox(self)
        build_main_actions(self)
        self.entity_links = EntityLinks(self)  # what names refer to: L, the map, the list
        conveniences.install(self)
        self.labels_dialog = None  # Project → Labels…, while it is open
        self.unsaved_seconds: dict[int, float] = {}  # active time a full disk refused
        self.clock = ActiveClock(self, lambda seconds: save_active_time(self, seconds))
        self.flag_warned: int | None = None  # the flagged article Enter warned about
        self.clock.changed.connect(self.time_label.setText)
        self.source = ArticleSource(self, lambda: self.store, lambda: self.annotator)
        self.source.loaded.connect(self._long_loaded)
        self.source.failed.connect(self._open_failed)
        self.reload_labels()
        self.refresh_article_list()
        say_about_the_project_file(self)
        self.watcher = ProjectWatcher(self, lambda: self.store)
        self.watcher.changed.connect(self._changed_elsewhere)
        self.watcher.rescued.connect(lambda: show_rescued(self))
        model_menu.install(self)  # Model → Train…, the Model panel

        # spaCy's tokenizer takes half a second to build: build it before the first span.
        threading.Thread(target=blank_english, daemon=True).start()
        first = self.articles.first_to_open(self.store.setting(f"last_article:{self.annotator}"))
        if first is not None:
            self.open_article(first)
        else:
            show_no_article(self)
        # The keys go to the text from the start: the search box, first in the tab order,
        # took the label keys as typing, and the list Enter.
        self.view.setFocus()

    # -- labels ----------------------------------------------------------------------------

    def reload_labels(self) -> None:
        """(Re)build the legend and one action per label from the project's scheme."""
        self.labels = labels = self.store.labels()
        self.kinds = {label.name: label.kind for label in self.labels}
        for action in self.label_actions.values():
            self.removeAction(action)
            action.deleteLater()
        self.label_menu.clear()
        made = add_actions(self, label_rows(self.labels))
        self.label_actions = {label.name: made[f"actionLabel_{label.name}"] for label in labels}
        self.label_menu.addActions(list(self.label_actions.values()))
        self.legend.set_labels(self.labels, self.label_actions)
        self.view.set_labels(self.labels)
        self.span_list.set_labels(self.labels)
        self.claims.reload_scheme()
        if self.labels_dialog is not None:  # Project → Labels… shows this project's scheme
            self.labels_dialog.refresh()
        self.labelsReloaded.emit()

    # -- the article list ------------------------------------------------------------------

    def refresh_article_list(self) -> None:
        self._list_key = self.store.article_list_key(self.annotator)
        self.source.forget()
        # (A damaged page: said in the bar, the list as it was; not a traceback per refresh.)
        key = self._list_key
        self.try_write(
            lambda: self.articles.fill(self.store, self.annotator, key), reading="the article list"
        )
        if self.current is not None:
            self.articles.select(self.current.id)
        self._update_progress()

    def _article_chosen(self, article_id: int) -> None:
        if self.current is None or article_id != self.current.id:
            self.open_article(article_id)

    def _remember_article(self) -> None:
        if self.current is not None:
            key, value = f"last_article:{self.annotator}", str(self.current.id)
            self.try_write(lambda: self.store.set_setting(key, value))

    def _update_progress(self) -> None:
        if self.articles.assigned_only:  # of the articles given to them
            given = self.store.assignment_counts(self.annotator)[self.annotator]
            done, total = given["done"], given["articles"]
        else:
            counts = self.store.status_counts(self.annotator)
            done, total = counts["done"], sum(counts.values())
        self.progress_label.setText(f"{done:,} / {total:,} done")

    # -- opening articles ------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article; the first time, the annotator's spans start from the suggestions.
        A long article is read on a worker thread and shown when it is ready."""
        self.clock.save_now()
        if self.current is not None and not self.current.loading:
            self.view.remember_scroll(self.current.id)
        opened = self.try_write(lambda: self.source.open(article_id), reading="it")
        if isinstance(opened, LoadedArticle):
            self._show(opened)
        elif opened is not None:  # a long article: its title now, the rest when read
            if self.current is not None and self.current.id != article_id:
                # here: once read, the long article is "current" already (the bar kept
                # "The label keys changed elsewhere", said on the article before it)
                self._leave_article()
            self.watcher.pause()
            self.current = OpenArticle(opened, [], "todo", loading=True)
            self.editor.clear_selection()
            self.editor.refresh_span_list_soon()
            self.centre.show_opening(opened)
            self.articles.select(article_id)

    def _long_loaded(self, loaded: LoadedArticle) -> None:
        current = self.current  # still waiting for it? (else it was read for nothing)
        if current is not None and current.loading and current.id == loaded.article.id:
            self._show(loaded)

    def _show(self, loaded: LoadedArticle) -> None:
        article, spans, status = loaded.article, loaded.spans, loaded.status
        article_id = article.id
        assert article_id is not None
        # Another article, or a long one read meanwhile: shown where it was left.
        another = self.current is None or self.current.id != article_id or self.current.loading
        if self.current is not None and self.current.id != article_id:
            self._leave_article()
        say_if_comment_lost(self)
        self.current = OpenArticle(article, spans, status.status, read_with_it=loaded.read_with_it)
        self.watcher.resume()
        self.editor.selected_span_id = None
        tags = self.claims.load()  # claims' sources and attributes, drawn with the text
        if loaded.prepared is not None:
            self.view.show_prepared(loaded.prepared, tags)
        else:
            self.view.show_article(article.text, spans, self.current.confirmed, tags)
        if another:
            self.view.restore_scroll(article_id)
        self.claims.shown()
        self.editor.refresh_span_list_soon()
        self.centre.set_heading(article)
        self.comments.show_article(status.comment)
        self.article_model.update_row(
            article_id, status=status.status, spans=self.current.own_spans
        )
        self.articles.select(article_id)
        self.show_suggestion_model(loaded.model)
        if self.store.read_only:  # (it showed "active 0:45" of time nothing keeps)
            self.clock.stop_article()
        else:
            self.clock.start_article(status.seconds_active)
        self.editor.tokenize_while_reading()
        self.source.read_ahead_soon(self.articles.following(article_id))
        self.articleShown.emit(article_id)

    def _leave_article(self) -> None:
        """What was said of the article shown is taken back as another one opens."""
        self.clear_problem()  # a refusal there says nothing of the next article
        bar = self.statusBar()
        if isinstance(bar, FittingStatusBar):  # nor "this article was changed elsewhere"
            bar.take_back(CHANGED_ELSEWHERE)
        self.flag_warned = None  # back on a flagged article, Enter asks again

    def show_suggestion_model(self, model: str | None) -> None:
        """Name, in the status bar, the model whose suggestions the open article shows."""
        assert self.current is not None
        begun = self.current.status != "todo" or (self.current.spans and self.current.started)
        self.model_label.setText(
            f"Suggestions: {model}"
            if model
            else "Begun without suggestions"
            if begun
            else "No suggestions for this article"
        )

    def _open_failed(self, article_id: int, message: str) -> None:
        self.watcher.resume()
        self.show_problem(message)

    def next_article(self, step: int = 1) -> None:
        if not self.article_model.rows:
            return
        target = self.articles.step_from(self.current.id if self.current else None, step)
        if target is not None:
            self.open_article(target)
        else:
            self.statusBar().showMessage("No more articles in this direction", 3000)

    # -- statuses --------------------------------------------------------------------------

    def done_and_next(self) -> None:
        done_and_next(self)

    def skip_article(self) -> None:
        if self.current is not None and self.set_status("skipped"):
            self.next_article()

    def flag_article(self) -> None:
        flag_article(self)

    def set_status(self, status: str, comment: str | None = None) -> bool:
        """Give the open article ``status`` (one undo step); whether it was saved."""
        assert self.current is not None
        if self.current.loading:
            self.statusBar().showMessage("Still opening this article…", 3000)
            return False
        change = StatusChange(self.store, self, self.current.id, self.annotator, status, comment)
        return self.push(with_start(self, change))  # done on an untouched article accepts it

    # -- spans: what tests, dialogs and scripts reach on the window (see span_editor.py) ----

    @property
    def selected_span_id(self) -> int | None:
        return self.editor.selected_span_id

    def apply_label(self, label: str) -> None:
        self.editor.apply_label(label)

    def clear_selection(self) -> None:
        self.editor.clear_selection()

    def _span_clicked(self, offset: int) -> None:
        self.editor.span_clicked(offset)

    # -- what commands report --------------------------------------------------------------

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None:
        """Spans were written: shown (``window_written.py``)."""
        show_spans_written(self, article_id, removed, added)

    def status_changed(self, article_id: int, status: str) -> None:
        """An article's status was written: shown (``window_written.py``)."""
        show_status_written(self, article_id, status)

    def claims_changed(self, article_id: int) -> None:
        """A relation or attribute value of ``article_id`` was written (or undone)."""
        show_claims_written(self, article_id)

    def edit_failed(self, message: str) -> None:
        """A command's write failed: say why, and show what the project holds."""
        self.show_problem(f"{message} The article shows what is saved.")
        self.reload_from_store()

    def _changed_elsewhere(self) -> None:
        if self.reload_from_store():  # an import or another window of the same name
            self.statusBar().showMessage(CHANGED_ELSEWHERE, 8000)

    def reload_from_store(self) -> bool:
        """Show what the project holds now (``window_follow.py``); whether the open
        article's spans changed."""
        return follow_the_file(self)

    # -- project ---------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        """Switch the window to another project."""
        start_over(self, store, self.annotator)

    def switch_annotator(self, name: str) -> bool:
        """Work under ``name`` in this window: its spans, statuses and place in the list.
        The reserved name ``gold`` is refused (gold is made in the review window)."""
        return switch_annotator(self, name)

    # -- lifetime --------------------------------------------------------------------------

    def restore_columns(self, settings: QSettings, group: str, fitted: bool) -> None:
        splitter = settings.value(f"{group}/splitter")
        # Columns sized for another desktop font are shared afresh: kept after the font grew,
        # the titles read "Govern…" and the spans "Idli…ince".
        saved_scale = settings.value(f"{group}/splitterFontScale", 1.0)
        try:
            same_font = abs(float(saved_scale) - font_scale(self.splitter)) < 0.1
        except (TypeError, ValueError):
            same_font = False
        # Columns of a larger screen's window are shared afresh too: kept, they left the
        # titles "…" and "K…" on a 910-px one.
        if splitter is not None and same_font and not fitted:
            self.columns.restored = self.splitter.restoreState(splitter)
            keep_columns_open(self.splitter)

    def save_columns(self, settings: QSettings, group: str) -> None:
        settings.setValue(f"{group}/splitter", self.splitter.saveState())
        settings.setValue(f"{group}/splitterFontScale", font_scale(self.splitter))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.clock.save_now()
        self._remember_article()
        # Nothing may touch the project once the window is gone (its file may be closed next).
        self.clock.stop()
        self.watcher.stop()
        self.source.stop()
        self.editor.stop()
        self.articles.stop()
        self.save_layout(QSettings())
        super().closeEvent(event)
