"""The review window's widgets: the article list on the left, the lanes in the centre, the
disagreements and the keys on the right. Built once by ``build_review_layout``; what they
show is the window's business (``review_window.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
)

from annotator.core.text import excerpt, isolated
from annotator.ui import panes, review_menu
from annotator.ui.conveniences import zoom
from annotator.ui.key_guards import EscAfterEnter, ListKeys, PlainKeys, keep_list_keys
from annotator.ui.review_actions import KEYS_HELP
from annotator.ui.review_articles import search_changed
from annotator.ui.review_lanes import ReviewLanes
from annotator.ui.review_links import EntryNames
from annotator.ui.review_models import DisagreementModel, ReviewArticleModel
from annotator.ui.widgets import (
    OpenedByClickOnly,
    make_panel,
    make_table,
    plain_label,
    plain_tip,
)

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def build_review_layout(window: ReviewWindow) -> None:
    """Make the window's lists, lanes and labels, and set them as its central widget."""
    window.article_model = ReviewArticleModel()
    window.article_list = review_table(window.article_model, "reviewArticles")
    window.article_list.setAccessibleName("Articles to review")
    header = window.article_list.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(window.article_model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        window.article_list.setColumnWidth(column, 24 if column == 0 else 58)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    window.article_list.clicked.connect(window.article_clicked)
    window.article_list.activated.connect(window.article_activated)  # Enter on a row
    OpenedByClickOnly(window.article_list, lambda: mark_open_article(window))
    window.progress_label = plain_label(objectName="reviewProgress")
    # (``review_articles.py``: the box remembered, the list following it)
    window.singles = QCheckBox("Single annotators' articles too", objectName="reviewSingles")
    window.singles.setToolTip(
        "List the articles one annotator finished as well, to check that work and settle "
        "it into gold (they have nothing to disagree on: they come last)"
    )
    window.review_search = QLineEdit(
        placeholderText="Find: words of a title, or #12",
        clearButtonEnabled=True,
        objectName="reviewSearch",
        accessibleName="Find an article to review",
    )
    window.review_search.textChanged.connect(lambda _: search_changed(window))
    window.review_search.returnPressed.connect(lambda: open_first_found(window))
    left = make_panel(
        [
            QLabel("<b>Articles to review</b>"),
            window.review_search,
            window.article_list,
            window.progress_label,
            window.singles,
        ]
    )

    window.title_label = plain_label(objectName="reviewTitle", wordWrap=True)
    window.title_label.setStyleSheet("font-size: 16px; font-weight: 600;")
    # Annotator names as typed; wrapped, so a longer line does not widen the column.
    window.where_label = plain_label(objectName="reviewWhere", wordWrap=True)
    # What the annotators said of the article: a skip and why, a flag's comment.
    window.notes_label = plain_label(objectName="reviewNotes", wordWrap=True)
    window.lanes = ReviewLanes(window.labels)
    window.lanes.set_relation_types(window.claim_scheme.relation_types)
    window.lanes.zoomAsked.connect(lambda step: zoom(window, step))  # (Ctrl + the wheel)
    window.gold_view = window.lanes.gold_view
    window.gold_view.clicked.connect(lambda offset: window.gold_editor.clicked(offset))
    review_menu.install(window)  # the right button on the gold lane
    centre = make_panel(
        [
            window.message_bar,
            window.title_label,
            window.notes_label,
            window.where_label,
            window.lanes,
        ]
    )

    window.disagreement_model = DisagreementModel()
    window.disagreement_model.entry_name = EntryNames(window.store).name
    window.disagreement_list = review_table(window.disagreement_model, "reviewDisagreements")
    window.disagreement_list.setAccessibleName("Disagreements")
    # A narrow column cuts a version in the middle too, as the words already are: cut at
    # the end, 'LOCATION 'ال…' was all that showed of every Arabic name.
    window.disagreement_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    VersionsFitted(window.disagreement_list)
    window.disagreement_list.clicked.connect(lambda index: window.go_to(index.row()))
    window.disagreement_list.activated.connect(lambda index: window.go_to(index.row()))
    OpenedByClickOnly(window.disagreement_list, lambda: mark_current_disagreement(window))
    # Enter and Tab on a list act on it, not as the window's keys (Enter marked the article
    # reviewed from a list the reviewer was moving in).
    window.list_keys = ListKeys(window, back_to=window.gold_view)
    keep_list_keys(window.list_keys, window.disagreement_list)
    # The article list's plain keys are its own (1 took a choice of the open article), and
    # the search box's are typed; Esc goes back to the gold lane from both.
    window.plain_keys = PlainKeys(window, back_to=window.gold_view)
    keep_list_keys(window.plain_keys, window.article_list, window.review_search)
    # Enter there sends the keys to the gold lane, and the Esc meant to leave the box
    # closed the window: that one only says where the keys are (``article_activated``).
    window.esc_after_enter = EscAfterEnter(
        window.gold_view, lambda said: window.statusBar().showMessage(said, 5000)
    )
    keys = QLabel(KEYS_HELP)
    keys.setWordWrap(True)
    right = make_panel([QLabel("<b>Disagreements</b>"), window.disagreement_list, keys])

    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)  # (the lists dragged shut, with no way back)
    for panel in (left, centre, right):
        splitter.addWidget(panel)
    splitter.setSizes([360, 640, 500])  # (three annotators' versions in the list, whole)
    # A smaller window takes from the lists too, the lanes most: with the lists kept whole,
    # the lanes were 90 px wide on a scaled or small screen, a word a line.
    for column, stretch in enumerate((1, 3, 1)):
        splitter.setStretchFactor(column, stretch)
    window.setCentralWidget(splitter)
    # F6 / Shift+F6 between the lists and the lanes, Ctrl+F to the articles (Tab walks the
    # disagreements).
    lanes = window.lanes
    panes.install(
        window,
        "review",
        lambda: (window.article_list, *lanes.views, window.disagreement_list),
        window.review_search,
    )


def mark_open_article(window: ReviewWindow) -> None:
    """The article list marks the article under review (a row pressed and not clicked)."""
    if window.review is not None:
        window.select_row(window.review.article.id)


def mark_current_disagreement(window: ReviewWindow) -> None:
    """The disagreement list marks the current disagreement (a row pressed, not clicked)."""
    table, current = window.disagreement_list, window.current
    if current is None:
        table.clearSelection()
        return
    table.selectionModel().setCurrentIndex(  # (not ``go_to``: the lanes stay where they are)
        window.disagreement_model.index(current, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def open_first_found(window: ReviewWindow) -> None:
    """Enter in the search box: the first article found opens, and its review takes the
    keys."""
    if window.article_model.rows:
        window.article_activated(window.article_model.index(0, 1))


def review_table(model, name: str) -> QTableView:
    """A list of the review window: columns the reviewer can widen, the last one stretched."""
    table = make_table(model, name, stripes=False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def show_notes(window: ReviewWindow, article_id: int) -> None:
    """Under the title, what the annotators said of the article: "ana skipped it: 'not
    conflict news?' · ben flagged it" (hidden when nobody said anything)."""
    said, whole = [], []
    for name, status, comment in window.store.notes_on(article_id):
        name = isolated(name)  # (each on its own: an override in one turned the rest round)
        did = {"skipped": f"{name} skipped it", "flagged": f"{name} flagged it"}.get(
            status, f"{name} ({status.replace('_', ' ')})"
        )
        # Each in a few words, and 400 characters of it in the tooltip (a comment of 1,650
        # characters took 19 lines, the lanes below it a line each; six in the tooltip
        # ran off the screen).
        said.append(f"{did}: \u201c{isolated(excerpt(comment, 80))}\u201d" if comment else did)
        whole.append(f"{did}: \u201c{isolated(excerpt(comment, 400))}\u201d" if comment else did)
    if len(said) > 3:
        said[3:] = [f"and {len(said) - 3} more (hover)"]
    window.notes_label.setText(" · ".join(said))
    window.notes_label.setToolTip(plain_tip("\n\n".join(whole)) if whole else "")
    window.notes_label.setVisible(bool(said))


def show_versions_first(table: QTableView) -> None:
    """The disagreement list's columns: gold's choice, the class, each annotator's version,
    then the words, last and cut to 220 px (they are boxed in the lanes). After the words,
    the versions were off to the right in a 1,500-px window, behind a scroll bar."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    words = 2  # (the model's third column)
    if header.visualIndex(words) != header.count() - 1:
        header.moveSection(header.visualIndex(words), header.count() - 1)
    table.setColumnWidth(words, min(table.columnWidth(words), 220))
    # A long version ("← FACTION 'Syrian Democratic Forces'") or annotator's name took
    # the room of the next: each is cut, whole in its cell's tooltip.
    for column in (0, *range(3, header.count())):
        table.setColumnWidth(column, min(table.columnWidth(column), 150 if column else 90))
    fit_versions(table)


#: The least width of a version's column in a narrow list (a label's first letters).
VERSION_LEAST = 40


def fit_versions(table: QTableView) -> None:
    """In a list too narrow for them, the class and the versions share its width, the
    narrow ones kept whole, the wide ones cut to equal widths (at least ``VERSION_LEAST``,
    cut in the middle, whole in the tooltip): at 1280 x 720 scaled 150 % ben's version was
    behind the scroll bar, ana's alone in sight."""
    shared = [1, *range(3, table.horizontalHeader().count())]
    room = table.viewport().width() - table.columnWidth(0)
    if sum(table.columnWidth(column) for column in shared) <= room:
        return
    by_width = sorted(shared, key=table.columnWidth)
    for place, column in enumerate(by_width):
        share = max(room // (len(by_width) - place), VERSION_LEAST)
        width = min(table.columnWidth(column), share)
        table.setColumnWidth(column, width)
        room -= width


class VersionsFitted(QObject):
    """Fits the disagreement list's versions to its width again as it changes (the window
    or the splitter resized)."""

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        self._width = 0
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.table.viewport().width() != self._width:
            self._width = self.table.viewport().width()
            show_versions_first(self.table)
        return False


# -- the layout, remembered (the window's size and place: ``WindowFrame``) -----------------


def restore_review_columns(window: ReviewWindow, settings: QSettings, group: str) -> None:
    """The widths of the window's columns and lanes as the reviewer left them: at 1280 x
    720 scaled 150 % the lanes showed a line and a half each, and dragged taller they were
    back at that after a restart."""
    for key, splitter in _splitters(window).items():
        state = settings.value(f"{group}/{key}")
        if state is not None:
            splitter.restoreState(state)
            splitter.setChildrenCollapsible(False)  # (restoreState gives back collapsing)


def save_review_columns(window: ReviewWindow, settings: QSettings, group: str) -> None:
    for key, splitter in _splitters(window).items():
        settings.setValue(f"{group}/{key}", splitter.saveState())


def _splitters(window: ReviewWindow) -> dict[str, QSplitter]:
    columns = window.centralWidget()
    assert isinstance(columns, QSplitter)
    return {"columns": columns, "lanes": window.lanes}
