"""The article view's mouse: a click (not a drag) says where, a drag that ends says so, Ctrl
+ the wheel asks for larger or smaller text, hovering a span tells what it is. Positions out
are code points (``offsets``), as everywhere in the view (``article_view.py``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QHelpEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from annotator.core.offsets import Utf16Offsets
from annotator.ui.text_positions import character_under


class MouseText(QPlainTextEdit):
    """A text whose mouse gestures are the annotator's (see the module docstring)."""

    #: A click (not a drag) at a code-point offset: the window selects the span there.
    clicked = Signal(int)
    #: A stretch of text was selected with the mouse (a drag ended).
    dragged = Signal()
    #: Ctrl + the wheel: the text a point larger (1) or smaller (-1), as View → Larger text
    #: does for every view (Qt's own wheel zoom changed this view alone, and was forgotten).
    zoomAsked = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.offsets = Utf16Offsets("")
        self.pressing = False  # the left button is down: a click or a drag under way
        self._press_point: QPointF | None = None  # where the left button went down
        self._wheel_zoom = 0  # the wheel's turn not yet a point of zoom (1/8 degrees)
        #: What the span at a code-point offset is, said on hovering it (None: nothing).
        self.span_tip: Callable[[int], str | None] | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.pressing = event.button() == Qt.MouseButton.LeftButton
        self._press_point = event.position() if self.pressing else None
        extending = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if self.pressing and not extending and self.textCursor().hasSelection():
            # A press inside the selection began Qt's drag and drop of the selected words:
            # a drag from inside the span just labelled selected nothing new, and the next
            # label key relabelled that span. A press starts a selection of its own.
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pressed = self._press_point
        if (
            pressed is not None
            and not self.textCursor().hasSelection()
            and _within_click(pressed, event.position())
        ):
            return  # a hand's tremor in a click: it selected two letters of a span
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        self.pressing = False
        pressed, self._press_point = self._press_point, None
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self.dragged.emit()
            return
        if pressed is not None and _within_click(pressed, event.position()):
            self.clicked.emit(self.offsets.from_utf16(character_under(self, pressed)))

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._wheel_zoom = 0
            super().wheelEvent(event)
            return
        event.accept()
        self._wheel_zoom += event.angleDelta().y()
        steps = int(self._wheel_zoom / 120)  # a notch of a wheel; a touchpad sends less
        if steps:
            self._wheel_zoom -= steps * 120
            for _ in range(abs(steps)):
                self.zoomAsked.emit(1 if steps > 0 else -1)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A span's label (and what it refers to) on hovering it: colour alone said which
        label it was, and LOCATION and FACTION look alike in greyscale."""
        if event.type() == QEvent.Type.ToolTip and self.span_tip is not None:
            assert isinstance(event, QHelpEvent)
            offset = self.offsets.from_utf16(character_under(self, QPointF(event.pos())))
            tip = self.span_tip(offset)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


def _within_click(pressed: QPointF, point: QPointF) -> bool:
    """Whether the pointer is still where the button went down, give or take what the
    desktop allows a click (Qt's drag distance: 10 pixels unless set otherwise)."""
    moved = point - pressed
    return abs(moved.x()) + abs(moved.y()) < QApplication.startDragDistance()
