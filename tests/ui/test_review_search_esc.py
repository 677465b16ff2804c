"""Esc in the review window after Enter in its search box or article list sent the keys to
the gold lane: the first one says where the keys are, and only the next closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core import Article
from annotator.core.model import Span
from annotator.storage import Store
from tests.ui.conftest import open_review


@pytest.fixture
def project(tmp_path) -> Store:
    """Two articles ana and ben finished, with a disagreement on each."""
    store = Store(tmp_path / "project.db")
    texts = ["Rebels shelled Idlib on Monday.", "Troops entered Kidal on Tuesday."]
    for article_id in store.add_articles([Article(text) for text in texts]).ids:
        store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
        for name in ("ana", "ben"):
            store.set_status(article_id, name, "done")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_review(qtbot, project)


def search_and_enter(qtbot, window, typed: str) -> None:
    qtbot.keyClick(window.gold_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.review_search.hasFocus)
    qtbot.keyClicks(window.review_search, typed)
    qtbot.keyClick(window.review_search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.gold_view


def test_esc_right_after_a_searchs_enter_says_where_the_keys_are(qtbot, window, project):
    """Ctrl+F, #2, Enter, then Esc (to leave the box, as the keys line says) closed the
    review, and the next keys went into the main window unnoticed."""
    second = project.article_ids()[1]
    search_and_enter(qtbot, window, f"#{second}")
    assert window.review.article.id == second
    qtbot.keyClick(window.gold_view, Qt.Key.Key_Escape)
    assert window.isVisible()
    assert window.statusBar().currentMessage() == (
        "The keys are in the gold lane: Esc again closes the review"
    )
    qtbot.keyClick(window.gold_view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_after_a_key_in_the_gold_lane_esc_closes_as_before(qtbot, window, project):
    search_and_enter(qtbot, window, f"#{project.article_ids()[0]}")
    qtbot.keyClick(window.gold_view, Qt.Key.Key_N)  # working in the review now
    qtbot.keyClick(window.gold_view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())
