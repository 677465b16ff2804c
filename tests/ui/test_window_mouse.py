"""The article text under the mouse as a hand moves it: a drag that starts on the span just
selected, a click that trembles, Ctrl and the wheel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import ARTICLES
from tests.ui.test_window_editing import click, point_at, press, shown

TEXT = ARTICLES[0][1]
LEFT = Qt.MouseButton.LeftButton


def test_a_drag_from_inside_the_selected_span_selects_what_it_crosses(qtbot, window):
    """Pressed inside the span just clicked, a drag began Qt's drag and drop of the selected
    words: nothing new was selected, and the next label key relabelled that span."""
    aleppo = TEXT.index("Aleppo on")
    click(qtbot, window, aleppo + 2)
    assert window.view.selected_range() == (aleppo, aleppo + 6)
    end = TEXT.index("on Monday") + 2
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=point_at(window, aleppo + 1))
    qtbot.mouseMove(viewport, pos=point_at(window, end))
    qtbot.mouseRelease(viewport, LEFT, pos=point_at(window, end))
    assert window.view.selected_range()[1] >= end
    assert window.selected_span_id is None
    press(qtbot, window, Qt.Key.Key_3)
    labels = {(start, label) for start, _, label, _ in shown(window)}
    assert (aleppo, "LOCATION") in labels  # not relabelled
    assert any(label == "CLAIM" and start <= aleppo + 1 for start, label in labels)


def test_a_click_that_moves_a_few_pixels_is_still_a_click(qtbot, window):
    """Pressed on "Hayat Tahrir al-Sham" and released 6 px away, two letters were selected,
    and 1 then put a LOCATION 'Tahrir' in place of the FACTION."""
    hayat = TEXT.index("Hayat")
    viewport = window.view.viewport()
    pressed = point_at(window, hayat + 8)
    moved = pressed + QPoint(min(6, QApplication.startDragDistance() - 1), 0)
    qtbot.mousePress(viewport, LEFT, pos=pressed)
    qtbot.mouseMove(viewport, pos=moved)
    qtbot.mouseRelease(viewport, LEFT, pos=moved)
    assert window.current.span(window.selected_span_id).label == "FACTION"
    assert window.view.selected_range() == (hayat, hayat + 20)


def test_ctrl_and_the_wheel_zoom_as_larger_text_does(qtbot, window):
    """Qt's own wheel zoom changed this view alone: Preferences kept 12 pt, the tags their
    size, and Larger text after it made the text smaller."""
    from annotator.ui.preferences import FONT_SIZE

    QApplication.processEvents()
    before = window.view.font().pointSize()
    tags = window.view.tag_painter.font.pixelSize()

    def wheel(delta: int) -> None:
        viewport = window.view.viewport()
        at = QPointF(viewport.rect().center())
        event = QWheelEvent(
            at, QPointF(viewport.mapToGlobal(at.toPoint())), QPoint(), QPoint(0, delta),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(viewport, event)

    try:
        wheel(120)
        wheel(120)
        assert window.view.font().pointSize() == before + 2
        assert FONT_SIZE.read(QSettings()) == before + 2
        assert window.view.tag_painter.font.pixelSize() > tags
        wheel(60)  # half a notch (a touchpad): nothing yet
        assert window.view.font().pointSize() == before + 2
        wheel(60)
        assert window.view.font().pointSize() == before + 3
        window.named_actions["actionZoomIn"].trigger()
        assert window.view.font().pointSize() == before + 4
        wheel(-120 * 4)
        assert window.view.font().pointSize() == before
    finally:
        window.named_actions["actionZoomReset"].trigger()


def test_exact_character_boundaries_say_so_in_the_status_bar(qtbot, window):
    """On, a check mark in the Edit menu was all that said why a span no longer snapped to
    whole words."""
    label = window.exact_label
    assert label.isHidden()
    qtbot.keyClick(window.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.exact_boundaries and label.isVisible()
    assert "Ctrl+E" in label.text()
    window.named_actions["actionExactBoundaries"].trigger()
    assert not window.editor.exact_boundaries and label.isHidden()
