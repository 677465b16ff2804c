"""The review window's layout across restarts, and its disagreement list in a narrow window
(the offscreen screen of the tests is 800 x 600)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.storage import Store
from annotator.ui.review_window import ReviewWindow
from tests.ui.conftest import show_active


@pytest.fixture
def merged(merged_project):
    store = Store(merged_project)
    yield store
    store.close()


def opened(qtbot, store: Store) -> ReviewWindow:
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    show_active(qtbot, review)
    return review


def test_the_review_window_opens_as_it_was_left(qtbot, merged):
    """Its size, its columns and its lanes were forgotten at each restart: lanes dragged
    taller than their line and a half came back at it."""
    first = opened(qtbot, merged)
    first.resize(700, 520)
    QApplication.processEvents()
    columns = first.centralWidget()
    columns.setSizes([150, 400, 150])
    lanes = first.lanes.sizes()
    first.lanes.setSizes([lanes[0] + 60, *lanes[1:-1], lanes[-1] - 60])
    left = (first.size(), columns.sizes(), first.lanes.sizes())
    first.close()
    again = opened(qtbot, merged)
    assert (again.size(), again.centralWidget().sizes(), again.lanes.sizes()) == left
    again.close()


def test_a_review_layout_from_a_larger_screen_fits_this_one(qtbot, merged):
    first = opened(qtbot, merged)
    first.resize(1880, 1040)
    first.centralWidget().setSizes([400, 1000, 440])
    first.close()
    again = opened(qtbot, merged)
    room = again.screen().availableGeometry()
    assert room.contains(again.frameGeometry())
    assert again.centralWidget().sizes()[1] < 1000  # this width's columns
    again.close()


def test_a_narrow_disagreement_list_shows_every_annotators_version(qtbot, merged):
    """At 1280 x 720 scaled 150 % the list showed gold, the class and ana's version; ben's
    and cem's were behind the scroll bar."""
    review = opened(qtbot, merged)
    review.centralWidget().setSizes([180, 360, 320])
    QApplication.processEvents()
    table = review.disagreement_list
    columns = review.disagreement_model.columnCount()
    assert columns >= 6  # gold, class, words, three annotators
    versions_end = max(
        table.columnViewportPosition(c) + table.columnWidth(c) for c in (0, 1, 3, 4, 5)
    )
    assert versions_end <= table.viewport().width()
    review.close()


def test_a_smaller_screens_session_leaves_the_larger_ones_review_layout(qtbot, merged, monkeypatch):
    """One review layout for every screen: a session on a 910-px laptop screen left its
    columns and size for the desk's 1920-px one too."""
    from PySide6.QtCore import QRect

    from annotator.ui.frame import WindowFrame

    def on_a_screen(width: int, height: int) -> None:
        room = QRect(0, 0, width, height)
        monkeypatch.setattr(WindowFrame, "screen_room", lambda _window: room, raising=False)

    on_a_screen(1920, 1080)
    desk = opened(qtbot, merged)
    desk.resize(760, 540)  # (within the tests' real screen: Qt keeps a window within it)
    desk.centralWidget().setSizes([150, 400, 150])
    QApplication.processEvents()
    left = (desk.size(), desk.centralWidget().sizes())
    desk.close()
    monkeypatch.undo()  # the laptop (the tests' 800 x 600 screen)
    laptop = opened(qtbot, merged)
    laptop.resize(700, 500)
    laptop.centralWidget().setSizes([250, 250, 150])
    QApplication.processEvents()
    laptop.close()
    on_a_screen(1920, 1080)
    again = opened(qtbot, merged)
    assert (again.size(), again.centralWidget().sizes()) == left
    again.close()
