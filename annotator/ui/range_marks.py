"""Boxes around ranges of an article view's text: the review screen marks its disagreements
with them, the current one standing out."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.relation_painter import range_rects


class RangeMarks:
    """The Qt ranges boxed (``ranges``), and which one is current."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.current: int | None = None

    def draw(self, view: QPlainTextEdit, painter: QPainter, bottom: int) -> None:
        """Box the ranges on screen (down to ``bottom``, in the viewport), and the current
        one wherever it is: with 3,000 marks a lane, every key in the review framed them
        all, 0.4-0.8 s a paint."""
        first = view.firstVisibleBlock().position()
        last = view.cursorForPosition(QPoint(view.viewport().width() - 1, bottom)).position()
        for index, (start, end) in enumerate(self.ranges):
            current = index == self.current
            if (end < first or start > last) and not current:
                continue
            pen = QPen(QColor("#e67e00") if current else QColor(230, 126, 0, 110))
            pen.setWidthF(2.4 if current else 1.0)
            if not current:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for rect in range_rects(view, start, end, bottom):
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
