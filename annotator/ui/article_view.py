"""The article as read-only plain text, with spans drawn in their labels' colours.

Spans are drawn by a ``QSyntaxHighlighter``: formats live in each paragraph's layout, not in
the document, so the text is never changed, and one edit re-formats only the paragraphs it
touches. Extra selections would be simpler but repaint every span on every change, which
is what makes long articles freeze in other tools.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.model import CLAIM_KIND, Label, Span
from annotator.ui.offsets import Utf16Offsets

_BLOCK_BREAK = re.compile("[\n\u2029]")  # what QTextDocument.setPlainText starts a block at


@dataclass(frozen=True, slots=True)
class _Drawn:
    start: int  # Qt positions
    end: int
    label: str
    confirmed: bool


class SpanHighlighter(QSyntaxHighlighter):
    """Formats the paragraphs of the article view from the current spans."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self._labels: dict[str, Label] = {}
        self._block_starts: list[int] = [0]
        self._by_block: dict[int, list[_Drawn]] = {}
        self._formats: dict[tuple, QTextCharFormat] = {}

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        self._formats.clear()

    def set_text(self, text: str, offsets: Utf16Offsets) -> None:
        """Learn where the paragraphs of ``text`` start (before the document holds it)."""
        self._block_starts = [0] + [offsets.to_qt(m.end()) for m in _BLOCK_BREAK.finditer(text)]
        self._by_block = {}

    def set_spans(self, spans: Sequence[_Drawn], rehighlight: bool = True) -> None:
        by_block: dict[int, list[_Drawn]] = defaultdict(list)
        for drawn in spans:
            first = bisect_right(self._block_starts, drawn.start) - 1
            last = bisect_right(self._block_starts, drawn.end - 1) - 1
            for block in range(first, last + 1):
                by_block[block].append(drawn)
        self._by_block = dict(by_block)
        if rehighlight:
            self.rehighlight()

    def update_spans(self, spans: Sequence[_Drawn], touched: Iterable[tuple[int, int]]) -> None:
        """Take the new spans, re-formatting only the paragraphs in the ``touched`` ranges."""
        self.set_spans(spans, rehighlight=False)
        document = self.document()
        blocks = set()
        for start, end in touched:
            first = bisect_right(self._block_starts, start) - 1
            last = bisect_right(self._block_starts, max(start, end - 1)) - 1
            blocks.update(range(first, last + 1))
        for number in sorted(blocks):
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        number = self.currentBlock().blockNumber()
        spans = self._by_block.get(number)
        if not spans:
            return
        block_start = self._block_starts[number] if number < len(self._block_starts) else 0
        length = len(text)
        cuts = {0, length}
        for drawn in spans:
            cuts.add(min(max(drawn.start - block_start, 0), length))
            cuts.add(min(max(drawn.end - block_start, 0), length))
        edges = sorted(cuts)
        for left, right in zip(edges, edges[1:], strict=False):
            covering = [
                d for d in spans if d.start - block_start < right and d.end - block_start > left
            ]
            if covering:
                self.setFormat(left, right - left, self._format_for(covering))

    def _format_for(self, covering: list[_Drawn]) -> QTextCharFormat:
        entity = None
        claims = []
        for drawn in covering:
            label = self._labels.get(drawn.label)
            if label is not None and label.kind == CLAIM_KIND:
                claims.append(drawn)
            else:
                entity = drawn
        key = (
            (entity.label, entity.confirmed) if entity else None,
            (claims[0].label, any(c.confirmed for c in claims), min(len(claims), 3))
            if claims
            else None,
        )
        cached = self._formats.get(key)
        if cached is None:
            cached = self._formats[key] = self._make_format(entity, claims)
        return cached

    def _make_format(self, entity: _Drawn | None, claims: list[_Drawn]) -> QTextCharFormat:
        char_format = QTextCharFormat()
        if claims:
            color = self._color(claims[0].label)
            confirmed = any(c.confirmed for c in claims)
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
            color = self._color(entity.label)
            fill = QColor(color)
            # An unconfirmed suggestion is pale and italic: it reads as "proposed" at a glance.
            fill.setAlphaF(0.30 if entity.confirmed else 0.12)
            char_format.setBackground(fill)
            char_format.setForeground(color.darker(170 if entity.confirmed else 110))
            char_format.setFontItalic(not entity.confirmed)
        return char_format

    def _color(self, name: str) -> QColor:
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
        self.highlighter = SpanHighlighter(self.document())
        self._press_position: int | None = None

    # -- content ---------------------------------------------------------------------------

    def show_article(self, text: str, spans: Sequence[Span], confirmed: bool) -> None:
        """Show a new text with its spans, formatted in one pass."""
        self.offsets = Utf16Offsets(text)
        self.highlighter.set_text(text, self.offsets)
        self.highlighter.set_spans(self._drawn(spans, confirmed), rehighlight=False)
        # setPlainText formats each paragraph once, with the spans already in place.
        self.setPlainText(text)

    def update_spans(
        self, spans: Sequence[Span], confirmed: bool, touched: Iterable[tuple[int, int]]
    ) -> None:
        """Redraw after an edit; ``touched`` are the code-point ranges that changed."""
        touched_qt = [(self.offsets.to_qt(s), self.offsets.to_qt(e)) for s, e in touched]
        self.highlighter.update_spans(self._drawn(spans, confirmed), touched_qt)

    def redraw_spans(self, spans: Sequence[Span], confirmed: bool) -> None:
        self.highlighter.set_spans(self._drawn(spans, confirmed))

    def _drawn(self, spans: Sequence[Span], confirmed: bool) -> list[_Drawn]:
        to_qt = self.offsets.to_qt
        return [
            _Drawn(to_qt(s.start), to_qt(s.end), s.label, confirmed or s.origin != "model")
            for s in spans
        ]

    # -- selection in code points ----------------------------------------------------------

    def selected_range(self) -> tuple[int, int]:
        """The selection as code-point offsets (start == end when nothing is selected)."""
        cursor = self.textCursor()
        return (
            self.offsets.from_qt(cursor.selectionStart()),
            self.offsets.from_qt(cursor.selectionEnd()),
        )

    def select_range(self, start: int, end: int, scroll: bool = True) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
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
            self.clicked.emit(self.offsets.from_qt(position))
