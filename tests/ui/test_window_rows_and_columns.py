"""The windows worked with the mouse: rows pressed and not clicked, columns dragged."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QTableView

from annotator.core import Article
from annotator.core.model import Span
from annotator.storage import Store
from tests.ui.conftest import open_review


def press_and_release_off(qtbot, table: QTableView, row: int, button=Qt.MouseButton.LeftButton):
    """Press on ``row`` and release the button outside the list (dragged into the text),
    or, for another button than the left, on the row itself."""
    viewport = table.viewport()
    pressed = table.visualRect(table.model().index(row, 1)).center()
    qtbot.mousePress(viewport, button, pos=pressed)
    left = button == Qt.MouseButton.LeftButton
    qtbot.mouseRelease(
        viewport, button, pos=QPoint(viewport.width() + 200, 40) if left else pressed
    )


def marked_row(table: QTableView) -> int:
    (selected,) = table.selectionModel().selectedRows()
    return selected.row()


@pytest.mark.parametrize("button", [Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton])
def test_an_article_pressed_and_not_clicked_leaves_the_open_one_marked(qtbot, window, button):
    """Pressed, dragged into the text and released there, the row stayed highlighted while
    the text showed the article before; Done & next then marked the one shown."""
    first = window.current.id
    press_and_release_off(qtbot, window.article_list, 2, button)
    assert window.current.id == first
    assert window.article_model.rows[marked_row(window.article_list)].id == first
    window.done_and_next()
    assert window.store.status(first, "ana").status == "done"
    assert window.article_model.rows[marked_row(window.article_list)].id == window.current.id


@pytest.fixture
def finished(tmp_path) -> Store:
    """Two articles ana and ben finished, with two disagreements on each."""
    store = Store(tmp_path / "finished.db")
    texts = ["Rebels shelled Idlib on Monday.", "Troops entered Kidal on Tuesday."]
    for article_id in store.add_articles([Article(text) for text in texts]).ids:
        store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
        store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
        for name in ("ana", "ben"):
            store.set_status(article_id, name, "done")
    yield store
    store.close()


def test_a_review_row_pressed_and_not_clicked_leaves_the_open_one_marked(qtbot, finished):
    for review in open_review(qtbot, finished):
        shown = review.review.article.id
        press_and_release_off(qtbot, review.article_list, 1)
        assert review.review.article.id == shown
        rows = review.article_model.rows
        assert rows[marked_row(review.article_list)].article_id == shown
        assert review.current == 0
        press_and_release_off(qtbot, review.disagreement_list, 1)
        assert review.current == 0 and marked_row(review.disagreement_list) == 0


def drag_handle(qtbot, splitter: QSplitter, handle: int, to_x: int) -> None:
    """Drag the grip before column ``handle`` to ``to_x`` in the splitter (past an edge)."""
    grip = splitter.handle(handle)
    middle = grip.rect().center()
    qtbot.mousePress(grip, Qt.MouseButton.LeftButton, pos=middle)
    target = grip.mapFrom(splitter, QPoint(to_x, middle.y()))
    qtbot.mouseMove(grip, target)
    qtbot.mouseRelease(grip, Qt.MouseButton.LeftButton, pos=target)


def test_the_article_list_and_the_spans_column_cannot_be_dragged_shut(qtbot, window):
    """Dragged to the window's edges, they were gone, with a 3-px grip at the edge and
    nothing in View to bring them back."""
    splitter = window.splitter
    drag_handle(qtbot, splitter, 1, -50)
    drag_handle(qtbot, splitter, 2, splitter.width() + 50)
    sizes = splitter.sizes()
    assert sizes[0] >= window.articles.minimumSizeHint().width() > 40
    assert sizes[2] >= window.side.minimumSizeHint().width() > 40
    assert window.article_list.width() > 0 and window.span_list.width() > 0


def test_a_layout_saved_with_a_column_shut_opens_with_every_column(qtbot, window):
    splitter = window.splitter
    splitter.setChildrenCollapsible(True)  # as an earlier version saved it
    splitter.setSizes([0, 800, 0])
    settings = QSettings()
    window.save_layout(settings)
    window.restore_layout(settings)
    assert all(size > 40 for size in splitter.sizes())
    drag_handle(qtbot, splitter, 1, -50)
    assert splitter.sizes()[0] > 40


def test_the_review_windows_columns_cannot_be_dragged_shut(qtbot, finished):
    for review in open_review(qtbot, finished):
        splitter = review.centralWidget()
        assert isinstance(splitter, QSplitter)
        drag_handle(qtbot, splitter, 1, -50)
        drag_handle(qtbot, splitter, 2, splitter.width() + 50)
        assert all(size > 40 for size in splitter.sizes())
        assert review.article_list.width() > 0 and review.disagreement_list.width() > 0


def test_the_span_list_shows_six_rows_before_the_key_hints_show(qtbot):
    """At 1366 x 768 scaled 150 % the span list, where the annotator works, showed 3 rows
    while the key hints under it took 6 lines."""
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    from annotator.core.model import DEFAULT_LABELS
    from annotator.ui.side_panel import AnnotationPanel

    holder = QWidget()
    qtbot.addWidget(holder)
    side = AnnotationPanel(QObject(), holder)
    side.claim_keys.setText("R on a claim: click its source · D polarity · H hedged · Q quote")
    actions = {label.name: QAction(label.name, holder) for label in DEFAULT_LABELS}
    side.legend.set_labels(list(DEFAULT_LABELS), actions)
    holder.resize(320, 900)
    holder.show()
    qtbot.waitExposed(holder)
    row = side.span_list.verticalHeader().defaultSectionSize()
    seen = set()
    for height in range(300, 900, 20):
        side.setGeometry(0, 0, 300, height)
        QApplication.processEvents()
        rows = side.span_list.viewport().height() / row
        seen.add(side.hints_hidden)
        assert side.hints_hidden or rows >= 5.5, height  # six rows, the last may be cut
    assert seen == {True, False}  # shown where there is room
