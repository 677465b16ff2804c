"""The keyboard's way between a window's parts: F6 / Shift+F6 go round the panes, Ctrl+F to
the article search (Tab walks the spans, and the disagreements, so it cannot); the label
buttons take no focus; Ctrl+Shift+M shows and hides the Model panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from annotator.storage import Store
from tests.ui.conftest import open_review

F6 = Qt.Key.Key_F6
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), key, modifier)


def test_f6_goes_round_the_annotation_windows_panes_and_esc_comes_back_to_the_text(qtbot, window):
    assert focused() is window.view
    order = [window.span_list, window.comment_box, window.search_box, window.article_list]
    for pane in order:
        press(qtbot, F6)
        assert focused() is pane
    press(qtbot, F6)
    assert focused() is window.view
    press(qtbot, F6, SHIFT)
    assert focused() is window.article_list
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is window.view


def test_ctrl_f_goes_to_the_search_with_what_was_searched_selected(qtbot, window):
    window.search_box.setText("Aleppo")
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is window.search_box
    assert window.search_box.selectedText() == "Aleppo"  # typing replaces it
    press(qtbot, Qt.Key.Key_Tab)  # Tab goes on to the filter, not to the next span
    assert focused() is window.status_filter


def test_the_label_buttons_take_no_focus_so_tab_and_enter_keep_their_meaning(qtbot, window):
    buttons = window.legend.findChildren(QToolButton)
    assert buttons and all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in buttons)
    window.comment_box.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() not in buttons


def test_ctrl_shift_m_shows_the_model_panel_and_hides_it_again(qtbot, window):
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    assert window.model_panel.is_shown()
    window.activateWindow()  # a floating panel may have taken the focus
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    assert not window.model_panel.is_shown()


@pytest.fixture
def review(qtbot, merged_project):
    store = Store(merged_project)  # three annotators' GUM news, merged
    yield from open_review(qtbot, store)
    store.close()


def test_f6_and_ctrl_f_reach_the_review_windows_lists(qtbot, review):
    assert review.gold_view.isVisible()
    review.gold_view.setFocus()
    press(qtbot, F6)
    assert focused() is review.disagreement_list
    press(qtbot, F6)
    assert focused() is review.article_list
    press(qtbot, Qt.Key.Key_Escape)  # back to the gold lane, the window stays open
    assert focused() is review.gold_view and review.isVisible()
    press(qtbot, Qt.Key.Key_F, CTRL)  # the search box over the articles
    assert focused() is review.review_search


def test_enter_on_the_review_list_opens_the_article_and_its_review_takes_the_keys(qtbot, review):
    """The list kept the focus: 1 took nothing, N jumped the list to another title while
    the screen showed this article, and the next Enter opened that one."""
    review.article_list.setFocus()
    qtbot.waitUntil(lambda: focused() is review.article_list)
    target = review.article_model.rows[1].article_id
    review.article_list.setCurrentIndex(review.article_model.index(1, 1))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.review is not None and review.review.article.id == target)
    assert focused() is review.gold_view


def test_the_review_list_finds_an_article_by_title_words_or_number(qtbot, review):
    """A reviewer looking for one article among 89 had the list's order only."""
    rows = list(review.article_model.rows)
    wanted = rows[-1]
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(review.review_search, f"#{wanted.article_id}")
    assert [r.article_id for r in review.article_model.rows] == [wanted.article_id]
    assert review.progress_label.text().endswith("reviewed of the 1 found")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.review.article.id == wanted.article_id)
    assert focused() is review.gold_view
    review.review_search.setText(" ".join(wanted.title.split()[:2]).upper())
    assert wanted.article_id in [r.article_id for r in review.article_model.rows]
    review.review_search.clear()
    assert [r.article_id for r in review.article_model.rows] == [r.article_id for r in rows]
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(review.review_search, "1 N")  # typed, not the review's keys
    assert review.review_search.text() == "1 N"
    press(qtbot, Qt.Key.Key_Escape)  # back to the gold lane, the window stays open
    assert focused() is review.gold_view and review.isVisible()


def test_f6_stops_at_the_panels_shown(qtbot, window):
    """Focus never went to the Model panel. (It went to the article list dragged to 0 px,
    where nobody saw it: a column stops at its least width now, test_window_rows_and_columns.py.)"""
    window.model_panel.show_panel()
    QApplication.processEvents()
    dock = window.model_panel.dock
    window.comment_box.setFocus()
    press(qtbot, F6)
    qtbot.waitUntil(lambda: focused() is not None and dock.isAncestorOf(focused()))
    if dock.isFloating():  # in a window of its own, made the active one
        qtbot.waitUntil(dock.isActiveWindow)
    press(qtbot, F6)  # round again, to the search box
    qtbot.waitUntil(lambda: focused() is window.search_box)


def test_ctrl_f_works_from_a_side_panel_floating_in_a_window_of_its_own(qtbot, window):
    dock = window.model_panel.dock
    window.model_panel.show_panel()
    dock.setFloating(True)
    dock.activateWindow()
    qtbot.waitUntil(dock.isActiveWindow)
    dock.widget().setFocus()
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: focused() is window.search_box)


def test_ctrl_f_goes_to_the_article_column_dragged_to_the_edge(qtbot, window):
    """The keys went to a search box nobody could see, and filtered a list nobody saw: the
    column stops at its least width, where the box shows."""
    sizes = window.splitter.sizes()
    window.splitter.setSizes([0, sizes[0] + sizes[1], sizes[2]])
    QApplication.processEvents()
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert window.splitter.sizes()[0] > 100 and focused() is window.search_box


def test_f6_goes_to_the_map_before_the_model_panel(qtbot, window):
    places, model = window.entity_links.places.dock, window.model_panel.dock
    places.show()
    window.model_panel.show_panel()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.comment_box.setFocus()
    for dock in (places, model):
        press(qtbot, F6)
        qtbot.waitUntil(
            lambda dock=dock: dock.isAncestorOf(focused()) or focused() is dock.widget()
        )


def test_the_label_buttons_are_measured_as_soon_as_they_are_made(qtbot, window):
    """Made while the window showed, the buttons were hidden till the next turn of the event
    loop: the legend measured 0 pixels, its place in the column kept them, and File → Open
    of another project (after a read-only one) showed no label buttons at all."""
    column = window.side.layout()
    legend = column.itemAt(column.indexOf(window.legend))
    window.reload_labels()  # as a project opened in the window does
    assert legend.sizeHint().height() >= window.legend.minimumSizeHint().height() > 0
    assert all(b.isVisibleTo(window) for b in window.legend.findChildren(QToolButton))
