"""The article as read-only plain text, with spans drawn in their labels' colours.

Formats (``span_formats.py``) are set on the layout of each paragraph, never in the
document, so the text is never changed. They are set lazily, only for the paragraphs on
screen, and an edit re-formats only the paragraphs it touches: opening a 50,000-character
article with thousands of spans costs what its first screen costs. (Extra selections
would repaint every span on every change; a ``QSyntaxHighlighter`` formats every paragraph
of the article before the first paint.) Claims' tags and the selected span's links are
painted over the text (``relation_painter.py``), also only for the paragraphs on screen.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QWidget

from annotator.core.model import Label, Span
from annotator.ui.claim_links import Tag, TagSource
from annotator.ui.range_marks import RangeMarks
from annotator.ui.relation_painter import PlacedTag, TagPainter
from annotator.ui.span_formats import (
    Drawn,
    PreparedText,
    SpanFormats,
    drawn_spans,
    prepare_text,
    shown_text,
)
from annotator.ui.text_mouse import MouseText
from annotator.ui.theme import is_dark


class ArticleView(MouseText):
    """The article text (read-only, plain, never interpreted as markup) with its spans.

    Positions in and out are code points; the conversion to Qt's UTF-16 happens here,
    through one ``Utf16Offsets`` table per article.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setAccessibleName("Article text")  # the review's lanes name themselves
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.scrolled_to: dict[int, int] = {}  # article id -> its top character, when left
        font = QFont("DejaVu Sans", 12)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.text = ""  # the article shown, in code points
        self.formats = SpanFormats()
        # Paragraphs whose layout has the current formats, with the tags placed in them.
        self._formatted: dict[int, list[PlacedTag]] = {}
        self._formatting = False
        self._lookahead = QTimer(self, singleShot=True, interval=0)
        self._lookahead.timeout.connect(lambda: self.format_visible(screens=2.0))
        self.marks = RangeMarks()  # Qt ranges boxed in the text (the review's)
        self.tag_painter = TagPainter()
        self.tag_painter.set_text_pixels(QFontInfo(font).pixelSize())
        self.relation_color = QColor("#444444")
        # Where the tags come from: the tags of the spans that end in (start, end].
        self._tag_source: TagSource | None = None
        self.updateRequest.connect(lambda *_: self.format_visible())

    # -- content ---------------------------------------------------------------------------

    def set_labels(self, labels: Iterable[Label]) -> None:
        self.formats.set_labels(labels)
        self._redraw_for_palette()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light ↔ dark: the spans follow
            self._redraw_for_palette()

    def _redraw_for_palette(self) -> None:
        """The spans drawn again, for the page this view's palette gives them."""
        palette = self.palette()
        self.formats.set_dark(is_dark(palette), palette.color(self.backgroundRole()))
        self._formatted.clear()
        self.format_visible()

    def set_point_size(self, size: int) -> None:
        """The text's size in points (the view's zoom)."""
        font = self.font()
        font.setPointSize(size)
        self.setFont(font)
        self.tag_painter.set_text_pixels(QFontInfo(font).pixelSize())
        self._formatted.clear()
        self.format_visible()

    def show_article(
        self, text: str, spans: Sequence[Span], confirmed: bool, tags: TagSource | None = None
    ) -> None:
        """Show a new text with its spans (and its claim tags, see ``set_tag_source``); only
        the paragraphs on screen are formatted now."""
        self.show_prepared(prepare_text(text, spans, confirmed), tags)

    def show_prepared(self, prepared: PreparedText, tags: TagSource | None = None) -> None:
        """``show_article`` with the work that needs no widget done beforehand."""
        self.offsets = prepared.offsets
        self.text = prepared.text
        # The article's direction for every paragraph, not each paragraph's first letter.
        option = self.document().defaultTextOption()
        rtl = prepared.right_to_left
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.document().setDefaultTextOption(option)
        self.setPlaceholderText("")  # the "Opening…" of a long article
        self.formats.block_starts = prepared.block_starts
        self.formats.set_spans(prepared.drawn)
        self._tag_source = tags  # (not those of the text before)
        self.tag_painter.clear_links()
        self._formatting = True  # setPlainText asks for updates while the text is half set
        try:
            self.setPlainText(shown_text(prepared.text))
        finally:
            self._formatting = False
        self._formatted = {}
        self.format_visible()

    def update_spans(self, removed: Sequence[Span], added: Sequence[Span], confirmed: bool) -> None:
        """Redraw after an edit: only the paragraphs the changed spans lie in are re-formatted."""
        gone, new = self._drawn(removed, confirmed), self._drawn(added, confirmed)
        self.formats.remove(gone)
        self.formats.add(new)
        self._unformat(self.formats.blocks_touching((d[0], d[1]) for d in (*gone, *new)))
        self.format_visible()

    def redraw_spans(self, spans: Sequence[Span], confirmed: bool) -> None:
        self.formats.set_spans(self._drawn(spans, confirmed))
        self._formatted = {}
        self.format_visible()

    def set_tag_source(self, source: TagSource | None) -> None:
        """Where the claim tags come from (``claim_links.py``): ``source(start, end)`` gives,
        sorted by end, the tags of the spans that end in ``(start, end]`` (code points). It
        is asked a paragraph at a time, for the paragraphs on screen."""
        self._tag_source = source
        self._formatted = {}
        self.format_visible()

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Show these tags (sorted by end): ``set_tag_source`` over a list."""
        tags = list(tags)
        ends = [tag.end for tag in tags]

        def source(start: int, end: int) -> Sequence[Tag]:
            return tags[bisect_left(ends, start + 1) : bisect_left(ends, end + 1)]

        self.set_tag_source(source if tags else None)

    def tags_changed(self, ranges: Iterable[tuple[int, int]] | None = None) -> None:
        """The tags of spans in these code-point ranges changed (``None``: any): their
        paragraphs are formatted again, now if they are on screen."""
        if ranges is None:
            self._formatted = {}
        else:
            to_utf16 = self.offsets.to_utf16
            qt = [(to_utf16(start), to_utf16(end)) for start, end in ranges]
            self._unformat(self.formats.blocks_touching(qt))
        self.format_visible()

    def tags_shown(self) -> list[Tag]:
        """The tags of the paragraphs formatted so far, in text order."""
        return [
            tag
            for number in sorted(self._formatted)
            for placed in self._formatted[number]
            for tag in placed.tags
        ]

    def _unformat(self, blocks: Iterable[int]) -> None:
        for number in blocks:
            self._formatted.pop(number, None)

    def set_links(
        self,
        outlined: Sequence[tuple[int, int]] = (),
        joined: Sequence[tuple[Span, Span]] = (),
        picking: tuple[int, int] | None = None,
    ) -> None:
        """Outline the code-point ranges ``outlined`` and join each (claim, source) pair of
        ``joined``: the selected span's links. ``picking``: the claim whose source is being
        chosen."""
        to_utf16 = self.offsets.to_utf16
        painter = self.tag_painter
        painter.outlined = [(to_utf16(s), to_utf16(e)) for s, e in outlined]
        painter.joined = [
            (to_utf16(c.start), to_utf16(c.end), to_utf16(s.start), to_utf16(s.end))
            for c, s in joined
        ]
        painter.picking = (to_utf16(picking[0]), to_utf16(picking[1])) if picking else None
        self.viewport().update()

    def _drawn(self, spans: Sequence[Span], confirmed: bool) -> list[Drawn]:
        return drawn_spans(self.offsets, spans, confirmed)

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
                    self._apply_formats(block, document)
                if self.blockBoundingGeometry(block).translated(offset).bottom() >= limit:
                    break
                block = block.next()
        finally:
            self._formatting = False
        if screens <= 1.0 and not self._lookahead.isActive():
            self._lookahead.start()

    def _apply_formats(self, block: QTextBlock, document) -> None:
        placed: list[PlacedTag] = []
        if self._tag_source is not None:
            base, length = block.position(), block.length()
            from_utf16 = self.offsets.from_utf16
            tags = self._tag_source(from_utf16(base), from_utf16(base + length - 1))
            placed = self.tag_painter.place(tags, self.offsets, self.text) if tags else []
        gaps = {p.last: (p.length, p.width) for p in placed}
        number = block.blockNumber()
        block.layout().setFormats(self.formats.ranges(number, block.length(), gaps))
        self._formatted[number] = placed
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

    def remember_scroll(self, article_id: int) -> None:
        """Keep where ``article_id`` (the article shown, about to be left) is scrolled to:
        the character at the top of the view (scroll bar values move as lines are laid out)."""
        self.scrolled_to[article_id] = self.visible_offset()

    def restore_scroll(self, article_id: int) -> None:
        """Back on an article: that character's line at the top again, the caret on it (it
        went back to the article's top)."""
        offset = self.scrolled_to.get(article_id, 0)
        if offset <= 0 or offset > len(self.text):
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(offset))
        self.setTextCursor(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())  # from below, the caret's line comes in at the top
        self.ensureCursorVisible()

    def visible_offset(self) -> int:
        """The code-point offset at the top left of what is on screen."""
        return self.offsets.from_utf16(self.cursorForPosition(QPoint(0, 0)).position())

    def visible_end(self) -> int:
        """The code-point offset at the bottom right of what is on screen."""
        corner = QPoint(self.viewport().width() - 1, self.viewport().height() - 1)
        return self.offsets.from_utf16(self.cursorForPosition(corner).position())

    def caret_on_screen(self) -> bool:
        """Whether the caret (the selection's end) is in the part of the text shown."""
        return self.viewport().rect().intersects(self.cursorRect())

    def clear_selection(self, at_end: bool = False) -> None:
        """No selection; the caret at where it began (Tab after Del goes on from the span
        deleted, not from its end, past the spans inside it), or ``at_end`` (Esc: the
        keys go on after the span, not over its words again)."""
        cursor = self.textCursor()
        cursor.setPosition(cursor.selectionEnd() if at_end else cursor.selectionStart())
        self.setTextCursor(cursor)

    # -- boxes around ranges (the review screen marks disagreements with them) -------------

    def set_marks(self, ranges: Sequence[tuple[int, int]], current: int | None = None) -> None:
        """Draw a box around each code-point range; the ``current`` one stands out."""
        to_utf16 = self.offsets.to_utf16
        self.marks.ranges = [(to_utf16(start), to_utf16(end)) for start, end in ranges]
        self.marks.current = current
        self.viewport().update()

    def set_current_mark(self, current: int | None) -> None:
        """Which of the boxes stands out (``None``: none)."""
        self.marks.current = current
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        tags = self.tag_painter
        if self.marks.ranges or self._tag_source is not None or tags.has_links:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if self.marks.ranges:
                self.marks.draw(self, painter, event.rect().bottom())
            tags.paint(
                painter,
                self,
                self._formatted.get,
                self.formats.color,
                self.relation_color,
                QRectF(event.rect()),
            )
            painter.end()
