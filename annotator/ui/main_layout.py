"""The annotation window's widgets and actions, built: the article list, the article pane,
the labels and spans column in a splitter, the status bar's items, and the actions, menus and
toolbar from the tables of ``main_actions.py``. The window connects what it handles itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter

from annotator.ui import span_menu
from annotator.ui.article_list import ArticleListPanel
from annotator.ui.article_pane import ArticlePane
from annotator.ui.key_guards import (
    ListKeys,
    PlainKeys,
    TokenSteps,
    TypingGuard,
    WindowKeysFirst,
    keep_list_keys,
)
from annotator.ui.main_actions import ACTIONS, CHECKABLE, MENUS, TOOLBAR
from annotator.ui.side_panel import AnnotationPanel
from annotator.ui.status_name import StatusBarName
from annotator.ui.widgets import font_scale, plain_label

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: The article's text never gets narrower than this (about 30 characters a line): in a small
#: window the article list and the spans column give way before the text is unreadable.
ARTICLE_MIN_WIDTH = 260

#: The text's width where the window has the room: a side panel (the map, the Model panel)
#: docks beside it only where the text keeps this much, else it floats.
TEXT_WIDTH = 720

#: How a first window's width fills its columns (article list, text, spans): each column
#: its least, then each in turn up to its width here: the list to the first words of a
#: title (160 px), the text to 360 px (about 45 characters a line), the list to where
#: titles read, the text to 480 (about 60), the spans; the text takes what is left. Qt
#: alone shrank all three in proportion, so on a 1024-px screen the text was the narrowest
#: column (about 290 px); with the text served to 480 first, the list kept 132 px there,
#: and on a laptop scaled 150 % its least (108): every title read "…"; served to 360 first,
#: a 1366-px laptop scaled 150 % still read "Go…", "Ku…".
COLUMN_STAGES = ((0, 160), (1, 360), (0, 220), (1, 480), (2, 460))


def build_main_widgets(window: MainWindow) -> None:
    """The window's panels, with the names tests and dialogs use for their parts."""
    window.typing_guard = TypingGuard(window)
    window.articles = ArticleListPanel(window.typing_guard)
    window.search_box = window.articles.search_box
    window.status_filter = window.articles.status_filter
    window.article_model = window.articles.model
    window.article_model.countFailed.connect(window.show_problem)
    window.article_list = window.articles.table

    window.centre = ArticlePane(window.message_bar)
    window.centre.setMinimumWidth(ARTICLE_MIN_WIDTH)
    window.view = window.centre.view
    window.title_label = window.centre.title_label
    window.view.clicked.connect(window.editor.span_clicked)
    window.view.span_tip = window.editor.span_tip
    # The arrows move a caret in the text, and Shift+→ (Ctrl+Shift+←) select words from it
    # (``SpanEditor.move_edge``): spans are made from the keyboard too.
    window.view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    window.window_keys_first = WindowKeysFirst(window)
    window.view.installEventFilter(window.window_keys_first)

    window.side = AnnotationPanel(window.typing_guard)
    window.legend = window.side.legend
    window.span_list = window.side.span_list
    window.span_model = window.span_list.span_model
    window.comment_box = window.side.comment_box
    window.span_list.spanChosen.connect(window.editor.select_span)
    # The span list's keys act on the span its row selects (2 relabels it, Del deletes it);
    # the article list's and the filter's are theirs (a letter finds an article).
    window.list_keys = ListKeys(window)
    keep_list_keys(window.list_keys, window.span_list)
    window.plain_keys = PlainKeys(window)
    TokenSteps(window.view, lambda: window.current.tokens if window.current else None)
    keep_list_keys(window.plain_keys, window.article_list, window.status_filter)
    # Enter on a row: the article opens (``activated``) or the span is selected, and the
    # keys go to the text, where labelling goes on; so do they after a click on an article
    # (the first key went to the list: Tab, then 2, said "Select some text first").
    window.article_list.activated.connect(lambda _: window.view.setFocus())
    window.article_list.clicked.connect(lambda _: window.view.setFocus())
    window.span_list.activated.connect(lambda _: _span_row_activated(window))
    span_menu.install(window)  # the right button, in the text and on a span's row

    window.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
    keep_columns_open(window.splitter)
    for panel, stretch in ((window.articles, 0), (window.centre, 1), (window.side, 0)):
        window.splitter.addWidget(panel)
        window.splitter.setStretchFactor(window.splitter.count() - 1, stretch)
    window.splitter.setSizes([220, TEXT_WIDTH, 460])  # the text takes what is spare
    window.columns = FirstColumns(window.splitter)
    window.panel_takes_from = (window.centre, TEXT_WIDTH)
    window.setCentralWidget(window.splitter)

    window.progress_label = plain_label(objectName="progressLabel")
    window.time_label = plain_label(objectName="timeLabel")
    # A model's name, as given: the room the message leaves, its end kept (``StatusBarName``).
    window.model_label = StatusBarName(objectName="modelLabel")
    # Where the project is, when that matters: a network drive, a synced folder (the yellow
    # bar's note went after 20 s, and nothing said it again).
    window.drive_label = plain_label(objectName="sharedDriveLabel", visible=False)
    # Spans taking the characters selected, not whole tokens: a check mark in the Edit menu
    # was all that said so, and a mouse user could not tell why a span no longer snapped.
    window.exact_label = plain_label(
        "Exact characters (Ctrl+E)", objectName="exactBoundariesLabel", visible=False
    )
    for widget in (
        window.exact_label,
        window.drive_label,
        window.progress_label,
        window.time_label,
    ):
        window.add_status_item(widget)
    window.add_status_item(window.model_label)


def build_main_actions(window: MainWindow) -> None:
    """The actions of ``main_actions.ACTIONS`` with their menus and the toolbar."""
    window.add_actions(ACTIONS)
    for name in CHECKABLE:
        window.named_actions[name].setCheckable(True)
    window.add_undo_actions("action")
    for title, names in MENUS:
        window.fill(window.menu(title), names)
    window.label_menu = window.menus["Label selection"]
    window.add_toolbar("articleToolBar", "Article", TOOLBAR)


def keep_columns_open(splitter: QSplitter) -> None:
    """A column dragged to the window's edge stops at its least width: it went shut, the
    article list or the spans with it, and only a 3-px grip at the edge brought it back
    (nothing in View did). Again after ``restoreState``, which gives back a layout's
    collapsing with its widths, and a column saved shut opens to its least."""
    splitter.setChildrenCollapsible(False)
    if 0 in (sizes := splitter.sizes()):
        splitter.setSizes(sizes)  # (0 made the least width; no zero, nothing moves)


def share_columns(width: int, least: list[int], scale: float = 1.0) -> list[int]:
    """The columns' widths in a splitter ``width`` wide whose columns need ``least``, their
    wanted widths ``scale`` times wider for large fonts (``widgets.font_scale``)."""
    sizes = list(least)
    left = width - sum(sizes)
    for column, wanted in COLUMN_STAGES:
        more = max(0, min(left, round(wanted * scale) - sizes[column]))
        sizes[column] += more
        left -= more
    sizes[1] += max(left, 0)
    return sizes


class FirstColumns(QObject):
    """Shares the splitter's width among its columns (``share_columns``) when it is first
    shown, unless ``restored``: a layout the settings gave back is kept as it was."""

    def __init__(self, splitter: QSplitter):
        super().__init__(splitter)
        self.restored = False
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QSplitter):
            watched.removeEventFilter(self)
            if not self.restored:
                columns = [watched.widget(i) for i in range(watched.count())]
                least = [max(c.minimumSizeHint().width(), c.minimumWidth()) for c in columns]
                room = watched.width() - watched.handleWidth() * (len(columns) - 1)
                watched.setSizes(share_columns(room, least, font_scale(watched)))
        return False


def _span_row_activated(window) -> None:
    """Enter (or a double click) on a span's row: the keys go to the text; while a claim's
    source is being chosen, that span is chosen (a click on its row only selected it)."""
    window.view.setFocus()
    if window.claims.is_choosing:
        window.claims.confirm()
    else:  # (it did nothing one could see, and the README's Enter marks done)
        window.statusBar().showMessage("Back in the text: Enter there marks the article done", 4000)
