"""The article as read-only plain text, with spans drawn in their labels' colours.

Formats are set on the layout of each paragraph (``QTextLayout.setFormats``), never in the
document, so the text is never changed. They are set lazily, only for the paragraphs on
screen, and an edit re-formats only the paragraphs it touches: opening a 50,000-character
article with thousands of spans costs what its first screen costs. (Extra selections
would repaint every span on every change; a ``QSyntaxHighlighter`` formats every paragraph
of the article before the first paint.)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.model import CLAIM_KIND, Label, Span
from annotator.core.offsets import Utf16Offsets

_BLOCK_BREAK = re.compile("[\n\u2029]")  # where QTextDocument.setPlainText starts a paragraph

#: A span as drawn: Qt start, Qt end, label, confirmed.
Drawn = tuple[int, int, str, bool]


class SpanFormats:
    """The character formats each paragraph gets from the current spans.

    Spans are kept sorted by start, with the length of the longest: the spans of one
    paragraph are then found by bisection when it is formatted, so nothing is done for
    paragraphs nobody scrolls to.
    """

    def __init__(self) -> None:
        self._labels: dict[str, Label] = {}
        self.block_starts: list[int] = [0]
        self._spans: list[Drawn] = []  # sorted
        self._starts: list[int] = []  # their starts, for bisection
        self._reach = 0  # no span is longer: how far back a paragraph's spans can start
        self._cache: dict[tuple, QTextCharFormat] = {}

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        self._cache.clear()

    def set_text(self, text: str, offsets: Utf16Offsets) -> None:
        """Learn where the paragraphs of ``text`` start, in Qt positions."""
        self.block_starts = [0] + [offsets.to_utf16(m.end()) for m in _BLOCK_BREAK.finditer(text)]
        self.set_spans([])

    def set_spans(self, spans: Iterable[Drawn]) -> None:
        self._spans = sorted(spans)
        self._starts = [drawn[0] for drawn in self._spans]
        self._reach = max((drawn[1] - drawn[0] for drawn in self._spans), default=0)

    def add(self, spans: Iterable[Drawn]) -> None:
        for drawn in spans:
            index = bisect_right(self._spans, drawn)
            self._spans.insert(index, drawn)
            self._starts.insert(index, drawn[0])
            self._reach = max(self._reach, drawn[1] - drawn[0])

    def remove(self, spans: Iterable[Drawn]) -> None:
        for drawn in spans:
            index = bisect_left(self._spans, drawn)
            if index < len(self._spans) and self._spans[index] == drawn:
                del self._spans[index]
                del self._starts[index]

    def spans_within(self, start: int, end: int) -> list[Drawn]:
        """The spans that overlap ``[start, end)``."""
        low = bisect_left(self._starts, start - self._reach)
        high = bisect_left(self._starts, end)
        return [drawn for drawn in self._spans[low:high] if drawn[1] > start]

    def blocks_touching(self, ranges: Iterable[tuple[int, int]]) -> set[int]:
        blocks: set[int] = set()
        for start, end in ranges:
            first = bisect_right(self.block_starts, start) - 1
            last = bisect_right(self.block_starts, max(start, end - 1)) - 1
            blocks.update(range(first, last + 1))
        return blocks

    def ranges(self, number: int, length: int) -> list[QTextLayout.FormatRange]:
        """Format ranges for paragraph ``number`` of ``length`` characters (sweep over edges)."""
        base = self.block_starts[number]
        spans = self.spans_within(base, base + length)
        if not spans:
            return []
        opens: dict[int, list[Drawn]] = defaultdict(list)
        closes: dict[int, list[Drawn]] = defaultdict(list)
        for drawn in spans:
            start, end = max(drawn[0] - base, 0), min(drawn[1] - base, length)
            if start < end:
                opens[start].append(drawn)
                closes[end].append(drawn)
        active: dict[Drawn, int] = {}  # a span drawn twice counts twice
        result = []
        positions = sorted(opens.keys() | closes.keys())
        for left, right in zip(positions, positions[1:], strict=False):
            for drawn in closes.get(left, ()):
                if active[drawn] == 1:
                    del active[drawn]
                else:
                    active[drawn] -= 1
            for drawn in opens.get(left, ()):
                active[drawn] = active.get(drawn, 0) + 1
            if active:
                format_range = QTextLayout.FormatRange()
                format_range.start = left
                format_range.length = right - left
                format_range.format = self._format_for(list(active))
                result.append(format_range)
        return result

    def _format_for(self, covering: list[Drawn]) -> QTextCharFormat:
        entity = None
        claims = []
        for drawn in covering:
            label = self._labels.get(drawn[2])
            if label is not None and label.kind == CLAIM_KIND:
                claims.append(drawn)
            else:
                entity = drawn
        key = (
            (entity[2], entity[3]) if entity else None,
            (claims[0][2], any(c[3] for c in claims), min(len(claims), 3)) if claims else None,
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._make_format(entity, claims)
        return cached

    def _make_format(self, entity: Drawn | None, claims: list[Drawn]) -> QTextCharFormat:
        char_format = QTextCharFormat()
        if claims:
            color = self.color(claims[0][2])
            confirmed = any(c[3] for c in claims)
            char_format.setFontUnderline(True)
            char_format.setUnderlineColor(color)
            char_format.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.SingleUnderline
                if confirmed
                else QTextCharFormat.UnderlineStyle.DashUnderline
            )
            if entity is None:
                tint = QColor(color)
                tint.setAlphaF(min(0.07 * len(claims), 0.2))  # nested claims read darker
                char_format.setBackground(tint)
        if entity is not None:
            color = self.color(entity[2])
            fill = QColor(color)
            # Dashed means "proposed", for entities as for claims: an unconfirmed suggestion
            # is pale, in its colour, dash-underlined (inside a claim, the claim's line shows).
            # Not italics: many fonts have no oblique Arabic, which would show as boxes.
            fill.setAlphaF(0.30 if entity[3] else 0.10)
            char_format.setBackground(fill)
            char_format.setForeground(color.darker(170 if entity[3] else 115))
            if not entity[3] and not claims:
                char_format.setFontUnderline(True)
                char_format.setUnderlineColor(color)
                char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        return char_format

    def color(self, name: str) -> QColor:
        label = self._labels.get(name)
        return QColor(label.color if label else "#888888")


class ArticleView(QPlainTextEdit):
    """The article text (read-only, plain, never interpreted as markup) with its spans.

    Positions in and out are code points; the conversion to Qt's UTF-16 happens here,
    through one ``Utf16Offsets`` table per article.
    """

    #: A click (not a drag) at a code-point offset: the window selects the span there.
    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        font = QFont("DejaVu Sans", 12)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.offsets = Utf16Offsets("")
        self.formats = SpanFormats()
        self._formatted: set[int] = set()  # paragraphs whose layout has the current formats
        self._formatting = False
        self._lookahead = QTimer(self, singleShot=True, interval=0)
        self._lookahead.timeout.connect(lambda: self.format_visible(screens=2.0))
        self._press_position: int | None = None
        self._marks: list[tuple[int, int]] = []  # Qt ranges boxed in the text (review)
        self._current_mark: int | None = None
        self.updateRequest.connect(lambda *_: self.format_visible())

    # -- content ---------------------------------------------------------------------------

    def set_labels(self, labels: Iterable[Label]) -> None:
        self.formats.set_labels(labels)
        self._formatted.clear()
        self.format_visible()

    def show_article(self, text: str, spans: Sequence[Span], confirmed: bool) -> None:
        """Show a new text with its spans; only the paragraphs on screen are formatted now."""
        self.offsets = Utf16Offsets(text)
        self.formats.set_text(text, self.offsets)
        self.formats.set_spans(self._drawn(spans, confirmed))
        self._formatting = True  # setPlainText asks for updates while the text is half set
        try:
            self.setPlainText(text)
        finally:
            self._formatting = False
        self._formatted = set()
        self.format_visible()

    def update_spans(self, removed: Sequence[Span], added: Sequence[Span], confirmed: bool) -> None:
        """Redraw after an edit: only the paragraphs the changed spans lie in are re-formatted."""
        gone, new = self._drawn(removed, confirmed), self._drawn(added, confirmed)
        self.formats.remove(gone)
        self.formats.add(new)
        self._formatted -= self.formats.blocks_touching((d[0], d[1]) for d in (*gone, *new))
        self.format_visible()

    def redraw_spans(self, spans: Sequence[Span], confirmed: bool) -> None:
        self.formats.set_spans(self._drawn(spans, confirmed))
        self._formatted = set()
        self.format_visible()

    def _drawn(self, spans: Sequence[Span], confirmed: bool) -> list[Drawn]:
        to_utf16 = self.offsets.to_utf16
        return [
            (to_utf16(s.start), to_utf16(s.end), s.label, confirmed or s.origin != "model")
            for s in spans
        ]

    def format_visible(self, screens: float = 1.0) -> None:
        """Give the paragraphs on screen their current formats now; the next screen's
        follow as soon as the event loop is idle, before anyone can scroll there."""
        if self._formatting:  # re-formatting a paragraph asks for an update, which lands here
            return
        self._formatting = True
        try:
            block = self.firstVisibleBlock()
            limit = self.viewport().height() * screens
            offset = self.contentOffset()
            document = self.document()
            while block.isValid():
                number = block.blockNumber()
                if number not in self._formatted:
                    self._formatted.add(number)
                    self._apply_formats(block, document)
                if self.blockBoundingGeometry(block).translated(offset).bottom() >= limit:
                    break
                block = block.next()
        finally:
            self._formatting = False
        if screens <= 1.0 and not self._lookahead.isActive():
            self._lookahead.start()

    def _apply_formats(self, block: QTextBlock, document) -> None:
        block.layout().setFormats(self.formats.ranges(block.blockNumber(), block.length()))
        document.markContentsDirty(block.position(), block.length())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.format_visible()

    # -- selection in code points ----------------------------------------------------------

    def selected_range(self) -> tuple[int, int]:
        """The selection as code-point offsets (start == end when nothing is selected)."""
        cursor = self.textCursor()
        return (
            self.offsets.from_utf16(cursor.selectionStart()),
            self.offsets.from_utf16(cursor.selectionEnd()),
        )

    def select_range(self, start: int, end: int, scroll: bool = True) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if scroll:
            self.ensureCursorVisible()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mousePressEvent(event)
        self._press_position = self.cursorForPosition(event.position().toPoint()).position()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        position = self.cursorForPosition(event.position().toPoint()).position()
        if position == self._press_position:
            self.clicked.emit(self.offsets.from_utf16(position))

    # -- boxes around ranges (the review screen marks disagreements with them) -------------

    def set_marks(self, ranges: Sequence[tuple[int, int]], current: int | None = None) -> None:
        """Draw a box around each code-point range; the ``current`` one stands out."""
        to_utf16 = self.offsets.to_utf16
        self._marks = [(to_utf16(start), to_utf16(end)) for start, end in ranges]
        self._current_mark = current
        self.viewport().update()

    def set_current_mark(self, current: int | None) -> None:
        """Which of the boxes stands out (``None``: none)."""
        self._current_mark = current
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._marks:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._draw_marks(painter, event.rect().bottom())
            painter.end()

    def _draw_marks(self, painter: QPainter, bottom: int) -> None:
        first = self.firstVisibleBlock().position()
        for index, (start, end) in enumerate(self._marks):
            current = index == self._current_mark
            if end < first and not current:
                continue
            pen = QPen(QColor("#e67e00") if current else QColor(230, 126, 0, 110))
            pen.setWidthF(2.4 if current else 1.0)
            if not current:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for rect in self._range_rects(start, end, bottom):
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)

    def _range_rects(self, start: int, end: int, bottom: int) -> list[QRectF]:
        """One rectangle per laid-out line the range covers, in viewport coordinates."""
        rects = []
        block = self.document().findBlock(start)
        offset = self.contentOffset()
        while block.isValid() and block.position() < end:
            top_left = self.blockBoundingGeometry(block).translated(offset).topLeft()
            if top_left.y() > bottom:
                break
            layout = block.layout()
            base = block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                line_start = base + line.textStart()
                left, right = max(start, line_start), min(end, line_start + line.textLength())
                if left < right:
                    x1 = line.cursorToX(left - base)[0]
                    x2 = line.cursorToX(right - base)[0]
                    rect = QRectF(x1, line.y(), x2 - x1, line.height())
                    rects.append(rect.translated(top_left))
            block = block.next()
        return rects
