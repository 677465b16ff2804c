"""The windows worked with the mouse: rows pressed and not clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

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
