"""Boxes around ranges of an article view's text: the review screen marks its disagreements
with them, the current one standing out; and where a range lies on screen (``range_rects``,
which the selected span's outline and links use too)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.text import right_to_left


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


def range_rects(view: QPlainTextEdit, start: int, end: int, bottom: float) -> list[QRectF]:
    """One rectangle per laid-out line the Qt range covers, in viewport coordinates (only
    from the first paragraph on screen down)."""
    rects = []
    block = view.document().findBlock(start)
    first = view.firstVisibleBlock()
    if block.blockNumber() < first.blockNumber():
        block = first
    offset = view.contentOffset()
    while block.isValid() and block.position() < end:
        top_left = view.blockBoundingGeometry(block).translated(offset).topLeft()
        if top_left.y() > bottom:
            break
        layout = block.layout()
        base = block.position()
        units = block.text().encode("utf-16-le")  # Qt's positions are UTF-16 units
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            line_start = base + line.textStart()
            left, right = max(start, line_start), min(end, line_start + line.textLength())
            if left >= right:
                continue
            near = units[2 * max(left - base - 1, 0) : 2 * (right - base + 1)]
            if any(map(right_to_left, near.decode("utf-16-le", "ignore"))):
                # Words of both directions: a run's edges are not where the range's first
                # and last positions are (an outline framed the word before an Arabic span).
                runs = line.glyphRuns(left - base, right - left)
                spans = _joined(
                    sorted((b.left(), b.right()) for b in (r.boundingRect() for r in runs))
                )
            else:
                spans = [(line.cursorToX(left - base)[0], line.cursorToX(right - base)[0])]
            for x1, x2 in spans:
                rects.append(QRectF(x1, line.y(), x2 - x1, line.height()).translated(top_left))
        block = block.next()
    return rects


def _joined(extents: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Extents on one line, sorted, with those that touch made one (a run per font)."""
    joined: list[tuple[float, float]] = []
    for x1, x2 in extents:
        if x2 <= x1:
            continue
        if joined and x1 <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], x2))
        else:
            joined.append((x1, x2))
    return joined
