"""The annotation window's everyday conveniences, added to it as a table of actions
(``install``): Project → Labels… and Actors…, edit an article's title, remove an article, Edit →
Preferences…, the article's text size (Ctrl+plus, Ctrl+minus, Ctrl+0, remembered), the
theme, F1 from anywhere, Esc and Ctrl+W closing the secondary windows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QStyle,
    QWidget,
)

from annotator.storage.articles import AnnotatorWork
from annotator.ui import panes
from annotator.ui.article_commands import ArticleRemoval, TitleChange
from annotator.ui.article_view import ArticleView
from annotator.ui.preferences import (
    DEFAULT_FONT,
    FONT_SIZE,
    MAX_FONT,
    MIN_FONT,
    THEME,
    PreferencesDialog,
)
from annotator.ui.theme import follower
from annotator.ui.widgets import Act

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: The span list's columns but the text (label, origin) and the least of the text column:
#: the side panel never gets narrower than this, so the text stays readable.
SPAN_TEXT_MIN = 100


def _labels(window: MainWindow) -> None:
    from annotator.ui.labels_dialog import show_labels

    show_labels(window)


def _actors(window: MainWindow) -> None:
    from annotator.ui.actors_dialog import show_actors

    show_actors(window)


ACTIONS = (
    Act(
        "actionLabels", "Labels…", ("Ctrl+Shift+L",), _labels, "The project's labels: add, rename…"
    ),
    Act(
        "actionActors",
        "Actors…",
        (),
        _actors,
        "The project's own actors (New faction…): rename, other names, countries, remove",
    ),
    Act("actionEditTitle", "Edit article title…", ("F2",), lambda w: edit_title(w)),
    Act("actionRemoveArticle", "Remove article from project…", (), lambda w: remove_article(w)),
    Act("actionPreferences", "Preferences…", ("Ctrl+,",), lambda w: edit_preferences(w)),
    Act("actionZoomIn", "Larger text", ("Ctrl++", "Ctrl+="), lambda w: zoom(w, 1)),
    Act("actionZoomOut", "Smaller text", ("Ctrl+-",), lambda w: zoom(w, -1)),
    Act("actionZoomReset", "Text at its usual size", ("Ctrl+0",), lambda w: zoom(w, 0)),
)

MENUS = (
    ("&Project", ("actionLabels", "actionActors", "-", "actionEditTitle", "actionRemoveArticle")),
    ("&View", ("actionZoomIn", "actionZoomOut", "actionZoomReset")),
)


def install(window: MainWindow) -> None:
    """Add the conveniences to the annotation window (its actions, menus, settings)."""
    window.add_actions(ACTIONS)
    for title, names in MENUS:
        window.fill(window.menu(title), names)
    window.fill(window.menus["&Edit"], ("-", "actionPreferences"))
    # F6 / Shift+F6 between the window's parts, Ctrl+F to the search (Tab walks the spans);
    # then the side panels shown (the map, the Model panel), docked or floating.
    in_reading_order = (
        window.search_box, window.article_list, window.view, window.span_list, window.comment_box
    )  # fmt: skip

    def shown_panes() -> list[QWidget]:
        docks = window.findChildren(QDockWidget)  # as made: the map, then the Model panel
        return [*in_reading_order, *(dock.widget() for dock in docks if dock.isVisible())]

    panes.install(window, "action", shown_panes, window.search_box, "&View")
    # Help from wherever the focus is: a dialog, the review window, a text box.
    window.named_actions["actionGuidelines"].setShortcutContext(
        Qt.ShortcutContext.ApplicationShortcut
    )
    # The span list keeps its text columns readable (the span's text, what it refers to),
    # however small the window: the columns that stretch share the room that is left.
    table = window.span_list
    header = table.horizontalHeader()
    stretching = QHeaderView.ResizeMode.Stretch
    columns = range(header.count())
    fixed = sum(header.sectionSize(c) for c in columns if header.sectionResizeMode(c) != stretching)
    stretched = sum(1 for c in columns if header.sectionResizeMode(c) == stretching)
    scrollbar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    least = fixed + SPAN_TEXT_MIN * stretched + scrollbar + 2 * table.frameWidth()
    # ... but not past a narrow screen's edge (large fonts, a small screen scaled), where the
    # window opened wider than the screen and hid its right side and the status bar.
    table.setMinimumWidth(least)
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = max(screen.availableGeometry().width() - 20, window.width())
        excess = window.minimumSizeHint().width() - room
        if excess > 0:
            table.setMinimumWidth(max(least - excess, least // 2))
            # The window's least width from its parts again: the splitter passes no change of
            # a part's up to the window's layout, which kept the old one.
            window.splitter.updateGeometry()
            window.layout().activate()
            window.resize(min(window.width(), room), window.height())
    window.view.zoomAsked.connect(lambda step: zoom(window, step))  # (Ctrl + the wheel)
    settings = QSettings()
    window.view.set_point_size(FONT_SIZE.read(settings))
    follower().apply(THEME.read(settings))


def add_close_keys(window: QWidget) -> None:
    """Esc and Ctrl+W close ``window`` (a secondary window: review, guidelines, agreement)."""
    action = QAction("Close", window, objectName="actionCloseWindow")
    action.setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(window.close)
    window.addAction(action)


# -- the text size -------------------------------------------------------------------------------


def zoom(window: QMainWindow, step: int) -> int:
    """Make the article's text a point larger (1) or smaller (-1), or its usual size (0);
    remembered, and applied to every article view (the review's lanes too)."""
    settings = QSettings()
    size = FONT_SIZE.read(settings) + step if step else DEFAULT_FONT
    size = min(max(size, MIN_FONT), MAX_FONT)
    FONT_SIZE.write(settings, size)
    apply_font_size(size)
    window.statusBar().showMessage(f"Text size {size} pt", 2000)
    return size


def apply_font_size(size: int) -> None:
    for widget in QApplication.allWidgets():
        if isinstance(widget, ArticleView):
            widget.set_point_size(size)


# -- preferences -----------------------------------------------------------------------------


def edit_preferences(window: MainWindow) -> PreferencesDialog:
    """Edit → Preferences…; OK applies them at once."""
    dialog = PreferencesDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # each opening kept one
    dialog.accepted.connect(lambda: apply_preferences(dialog))
    dialog.open()
    return dialog


def apply_preferences(dialog: PreferencesDialog) -> None:
    dialog.save()
    settings = QSettings()
    apply_font_size(FONT_SIZE.read(settings))
    follower().apply(THEME.read(settings))


# -- articles --------------------------------------------------------------------------------


def edit_title(window: MainWindow, title: str | None = None) -> bool:
    """Give the open article a new title (asked for when not given); one undoable edit."""
    current = window.current
    if current is None:
        return False
    if title is None:
        title, ok = QInputDialog.getText(
            window, "Edit the title", "Title of this article:", text=current.article.title
        )
        if not ok:
            return False
    if " ".join(title.split()) == current.article.title:
        return False
    return window.push(TitleChange(window.store, window, current.id, title))


def describe_work(work: list[AnnotatorWork]) -> str:
    """``the work of 2 annotators (ana: 3 spans, in progress; ben: 1 span, done) and gold``."""
    people = [w for w in work if w.annotator != "gold"]
    parts = [
        f"{w.annotator}: {w.spans} span{'s' if w.spans != 1 else ''}, {w.status.replace('_', ' ')}"
        for w in people
    ]
    gold = " and its gold version" if any(w.annotator == "gold" for w in work) else ""
    if not people:
        return "nobody's work yet" + gold
    count = f"{len(people)} annotator{'s' if len(people) != 1 else ''}"
    return f"the work of {count} ({'; '.join(parts)}){gold}"


def confirm_removal(window: QWidget, question: str, what: str = "article") -> bool:
    """Ask before removing an article (or ``what`` else); Cancel is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, f"Remove {what}", question, parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a title, as it is
    box.setObjectName(f"remove{what.title().replace(' ', '')}Question")
    remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    # Enter keeps the article: the annotator's Enter is "done & next", pressed all day.
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is remove


def remove_article(
    window: MainWindow, confirm: Callable[[MainWindow, str], bool] = confirm_removal
) -> bool:
    """Remove the open article from the project, after a confirmation that says whose work
    it holds; Ctrl+Z puts it back until the window closes."""
    current = window.current
    if current is None or current.loading:
        return False
    title = current.article.title or f"article {current.id}"
    holds = describe_work(window.store.article_work(current.id))
    question = (
        f"Remove “{title}” from the project? It holds {holds}, removed with it.\n\n"
        "Edit → Undo (Ctrl+Z) puts it back until this window closes."
    )
    if not confirm(window, question):
        return False
    return window.push(ArticleRemoval(window.store, window, current.id))
