"""A screen reader names every part of the windows that takes the focus: each has an
accessible name, a text, a tooltip, or a label that is its buddy (it said "edit" and
"table" for the search box, the text and the lists)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from annotator.storage import Store
from tests.ui.conftest import open_review


def unnamed(top: QWidget) -> list[str]:
    """The shown widgets under ``top`` that Tab can reach and a screen reader cannot name."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if not (widget.isVisible() and widget.isEnabled() and tab):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            continue  # a view's inside: the reader names the view
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not (name or "").strip() and not widget.toolTip().strip():
            found.append(f"{type(widget).__name__}({widget.objectName()})")
    return found


def test_every_part_of_the_annotation_window_has_a_name(window):
    window.model_panel.show_panel()
    window.entity_links.places.show()
    QApplication.processEvents()
    tops = {window, window.model_panel.dock, window.entity_links.places.dock}
    assert [name for top in tops for name in unnamed(top)] == []


@pytest.fixture
def review(qtbot, merged_project):
    store = Store(merged_project)
    yield from open_review(qtbot, store)
    store.close()


def test_every_part_of_the_review_window_has_a_name(review):
    assert review.gold_view.isVisible()
    assert unnamed(review) == []
    assert [view.accessibleName() for view in review.lanes.views][-1] == "Gold version"


def test_the_article_lists_marks_and_grey_figures_are_read_as_words(qtbot, window):
    """The status column is a mark (○ ◐ ●) and the spans column grey when it counts
    suggestions: a screen reader said "46" for both kinds of figure."""
    model = window.article_model
    role = Qt.ItemDataRole.AccessibleTextRole
    first, second = (model.index(row, 0) for row in (0, 1))
    assert model.data(first, role) == "todo"
    assert model.data(first.siblingAtColumn(2), role) == "3 suggestions, not looked at yet"
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # done: its suggestions become spans
    assert model.data(first, role) == "done"
    assert model.data(first.siblingAtColumn(2), role) == "3 spans"
    assert model.data(second.siblingAtColumn(2), role) == "0 suggestions, not looked at yet"
