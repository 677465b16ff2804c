"""Claim tags and source connectors, painted over the article view.

Each tag (``claim_links.Tag``) sits in a gap opened after the last character of its span:
the character's layout format gets extra letter spacing as wide as the tag (the ``gaps``
of ``SpanFormats.ranges``), so a tag never covers a letter and the text is never changed.
Tags are found, placed and painted like the formats: a paragraph at a time, only for the
paragraphs on screen, so a long article costs what its first screen costs. The selected claim
(or source) is joined to its sources (or claims) by a thin curve between their tags, and
their words are outlined. In the dark theme the tags stand on the dark page and the
connectors are drawn lighter (``theme.readable``), so a dark relation colour still shows.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.offsets import Utf16Offsets
from annotator.core.text import right_to_left
from annotator.nlp.tokens import inside_character
from annotator.ui.claim_links import CLAIM_TAG, Tag
from annotator.ui.range_marks import range_rects
from annotator.ui.theme import contrast, is_dark, legible, over, readable

_PAD = 3.0  # inside a tag, left and right
_SPACE = 2.0  # between a tag and what is next to it
_TAG_SHARE = 10 / 16  # a tag's height in pixels, to its text's
_GREY = QColor("#9a9a9a")
_DARK_PAGE = "#1f2023"  # the dark palette's Base (``theme.dark_palette``)


@dataclass
class PlacedTag:
    """The tags hung at one span end, in Qt positions: the last character (``last``, of
    ``length`` UTF-16 units, gets the gap) and the end."""

    last: int
    length: int
    end: int
    tags: list[Tag]
    widths: list[float]
    after_right_to_left: bool = False  # hung on the character after a right-to-left word
    #: ... a space between two right-to-left words ("قوات سوريا الديمقراطية إن"): its gap
    #: opens on the space's right, as in a right-to-left paragraph.
    within_right_to_left: bool = False
    #: Where the spans end (Qt), when that is not ``end``: hung after a right-to-left word,
    #: the links of a claim looked for its tag at the span's end and found none.
    span_end: int | None = None

    @property
    def width(self) -> float:
        return sum(self.widths) + _SPACE * (len(self.widths) + 1)


class TagPainter:
    """How tags look and where they go, and the links of the selected span.

    Tags are placed a paragraph at a time, when the view formats it (``place``); the view
    keeps them with the paragraph's formats and hands them back to ``paint``.
    """

    def __init__(self) -> None:
        self.font = QFont("DejaVu Sans")
        self.font.setBold(True)
        self.set_text_pixels(16)
        # The selected span's links: Qt ranges to outline, and claim/source pairs to join.
        self.outlined: list[tuple[int, int]] = []
        self.joined: list[tuple[int, int, int, int]] = []  # claim start/end, source start/end
        self.picking: tuple[int, int] | None = None  # the claim whose source is being chosen

    def set_text_pixels(self, pixels: int) -> None:
        """Size the tags for text ``pixels`` high: 10 pixels beside 12-point text, and as
        much larger as the text is (zoomed in, or a high-DPI screen), where fixed 10-pixel
        tags were specks beside 30-point text."""
        self.font.setPixelSize(max(10, round(pixels * _TAG_SHARE)))
        self.metrics = QFontMetricsF(self.font)
        self._widths: dict[str, float] = {}
        self._images: dict[tuple, QPixmap] = {}

    def place(self, tags: Sequence[Tag], offsets: Utf16Offsets, text: str) -> list[PlacedTag]:
        """Tags (sorted by end) grouped by the end they hang on, in Qt positions.

        A span that ends in a right-to-left letter inside left-to-right text ("… Forces
        (قوات سوريا الديمقراطية)") hangs its tags on the character after it: a gap opened
        in the word's last letter shows inside the word, splitting a letter off it."""
        to_utf16 = offsets.to_utf16
        placed: list[PlacedTag] = []
        for tag in tags:
            if tag.end <= 0:
                continue
            hang = tag.end
            if (
                hang < len(text)
                and text[hang] not in "\n\r"
                and right_to_left(text[hang - 1])
                and not right_to_left(text[hang])
            ):
                hang += 1
            end = to_utf16(hang)
            if placed and placed[-1].end == end:
                placed[-1].tags.append(tag)
                placed[-1].widths.append(self._width(tag))
                continue
            # The gap opens after the whole last character: after its last code point, a
            # flag showed as two letters and a family as three people.
            first = hang - 1
            while first > 0 and text[first] > "\u02ff" and inside_character(text, first):
                first -= 1  # (a mark, a joiner, a modifier: none below U+0300)
            last = to_utf16(first)
            tag_widths = [self._width(tag)]
            hung = hang > tag.end
            within = hung and _right_to_left_after_spaces(text, hang - 1)
            span_end = to_utf16(tag.end) if hung else None
            placed.append(
                PlacedTag(last, end - last, end, [tag], tag_widths, hung, within, span_end)
            )
        return placed

    def _width(self, tag: Tag) -> float:
        width = self._widths.get(tag.text)
        if width is None:
            width = self._widths[tag.text] = self.metrics.horizontalAdvance(tag.text) + 2 * _PAD
        return width

    @property
    def has_links(self) -> bool:
        return bool(self.outlined or self.joined or self.picking)

    def clear_links(self) -> None:
        self.outlined, self.joined, self.picking = [], [], None

    # -- painting --------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        view: QPlainTextEdit,
        placed_in: Callable[[int], list[PlacedTag] | None],
        color: Callable[[str], QColor],
        relation_color: QColor,
        area: QRectF,
    ) -> None:
        """Paint the tags of the paragraphs in ``area`` (what is repainted; ``placed_in``
        gives a paragraph's tags by its number), then the selected span's links."""
        height = self.metrics.height() + 1
        offset = view.contentOffset()
        block = view.firstVisibleBlock()
        first = block.position()
        anchors: dict[tuple[int, str], QRectF] = {}  # (end, kind) -> tag rectangle
        ratio = view.devicePixelRatioF()
        dark = is_dark(view.palette())
        while block.isValid():
            geometry = view.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            placed_here = placed_in(block.blockNumber())
            if placed_here and geometry.bottom() >= area.top():
                base = block.position()
                layout = block.layout()
                rtl = layout.textOption().textDirection() == Qt.LayoutDirection.RightToLeft
                left, top = geometry.left(), geometry.top()
                # Only the tags of the lines repainted: a paragraph may be the whole
                # article, and a 200,000-character one has 7,000 tags.
                low, high = _positions_in(layout, area.top() - top, area.bottom() - top)
                start = bisect_left(placed_here, base + low, key=lambda p: p.end)
                for placed in placed_here[start:]:
                    if placed.last > base + high:
                        break
                    line = layout.lineForTextPosition(placed.last - base)
                    if not line.isValid():
                        continue
                    # The gap of a right-to-left article's word opens on the next
                    # character's right: just left of the word's last letter.
                    opens_left = rtl or placed.within_right_to_left
                    edge = placed.last if placed.after_right_to_left and opens_left else placed.end
                    x = left + line.cursorToX(edge - base)[0] - placed.width + _SPACE
                    y = top + line.y() + 0.5
                    for tag, width in zip(placed.tags, placed.widths, strict=True):
                        image = self._image(tag, width, height, color(tag.label), ratio, dark)
                        painter.drawPixmap(QPointF(x, y), image)
                        anchor = placed.end if placed.span_end is None else placed.span_end
                        anchors[(anchor, tag.kind)] = QRectF(x, y, width, height)
                        x += width + _SPACE
            block = block.next()
        if dark:
            relation_color = readable(relation_color, True, 0.5)
        self._draw_links(painter, view, anchors, first, relation_color)

    def _image(
        self, tag: Tag, width: float, height: float, color: QColor, ratio: float, dark: bool
    ) -> QPixmap:
        """The tag drawn once, kept for every later paint (a few dozen kinds in practice)."""
        key = (
            tag.text,
            tag.kind == CLAIM_TAG and not tag.linked,
            tag.confirmed,
            color.rgba(),
            ratio,
            dark,
        )
        image = self._images.get(key)
        if image is None:
            image = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(self.font)
            self._draw_tag(painter, tag, QRectF(0.5, 0.5, width - 1, height - 1), color, dark)
            painter.end()
            if len(self._images) > 2000:  # numbers of a long article: keep it bounded
                self._images.clear()
            self._images[key] = image
        return image

    def _draw_tag(
        self, painter: QPainter, tag: Tag, rect: QRectF, color: QColor, dark: bool
    ) -> None:
        page = QColor(_DARK_PAGE if dark else "white")  # under the tag: readable over a selection
        if tag.kind == CLAIM_TAG and not tag.linked:  # no source yet: hollow, grey
            painter.setPen(QPen(_GREY, 1.0))
            painter.setBrush(page)
            text = _GREY.lighter(125) if dark else _GREY.darker(130)
        elif tag.confirmed:
            painter.setPen(QPen(color.darker(130), 1.0))  # a white tag on a white page shows
            painter.setBrush(color)
            # White on the label's colour, or near black on a pale one (white, yellow).
            white, black = QColor("white"), QColor("#1a1a1a")
            text = white if contrast(white, color) >= contrast(black, color) else black
        else:  # a suggestion: pale, as suggested spans are
            pale, edge = QColor(color), QColor(color)
            pale.setAlphaF(0.14)
            edge.setAlphaF(0.55)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(page)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(QPen(edge, 1.0))
            pale.setAlphaF(0.3 if dark else 0.14)
            painter.setBrush(pale)
            text = readable(color, True, 0.6) if dark else color.darker(125)
            text = legible(text, over(pale, page), 3.0, dark)  # pale, but to be read
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tag.text)

    def _draw_links(
        self,
        painter: QPainter,
        view: QPlainTextEdit,
        anchors: dict[tuple[int, str], QRectF],
        first: int,
        color: QColor,
    ) -> None:
        if not self.outlined and not self.joined and self.picking is None:
            return
        bottom = view.viewport().height()
        pen = QPen(color, 1.6)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen)
        for start, end in self.outlined:
            for rect in range_rects(view, start, end, bottom):
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
        if self.picking is not None:
            dashed = QPen(color, 1.6, Qt.PenStyle.DashLine)
            painter.setPen(dashed)
            for rect in range_rects(view, *self.picking, bottom):
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
        painter.setPen(pen)
        for claim_start, claim_end, source_start, source_end in self.joined:
            # From the source's tag to the nearer end of the claim: its start when the
            # source comes first ("X said [...]"), else its tag ("[...], X said").
            if source_end <= claim_start:
                start = _point_rect(view, claim_start, bottom)
                claim_at = claim_start
            else:
                start = anchors.get((claim_end, CLAIM_TAG))
                claim_at = claim_end
            stop = anchors.get((source_end, "source"))
            if start is None and stop is None:
                continue
            if start is None:  # the claim is off screen: point towards it
                start = _edge_rect(stop, claim_at < first, bottom)  # type: ignore[arg-type]
            if stop is None:
                stop = _edge_rect(start, source_start < first, bottom)
            painter.drawPath(_connector(start, stop))


def _point_rect(view: QPlainTextEdit, position: int, bottom: float) -> QRectF | None:
    """A thin rectangle at the top of the character at Qt ``position``, if on screen."""
    block = view.document().findBlock(position)
    if not block.isValid() or block.blockNumber() < view.firstVisibleBlock().blockNumber():
        return None
    top_left = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    if top_left.y() > bottom:
        return None
    line = block.layout().lineForTextPosition(position - block.position())
    if not line.isValid():
        return None
    x = top_left.x() + line.cursorToX(position - block.position())[0]
    return QRectF(x, top_left.y() + line.y() + 2, 0, 0)


def _edge_rect(near: QRectF, above: bool, bottom: float) -> QRectF:
    y = -4.0 if above else bottom + 4.0
    return QRectF(near.center().x() - 1, y, 2, 0)


def _connector(a: QRectF, b: QRectF) -> QPainterPath:
    """A curve from the top of tag ``a`` to the top of tag ``b``, bowed upwards."""
    start = QPointF(a.center().x(), a.top())
    stop = QPointF(b.center().x(), b.top())
    lift = max(14.0, min(40.0, abs(stop.x() - start.x()) / 4 + abs(stop.y() - start.y()) / 6))
    path = QPainterPath(start)
    path.cubicTo(
        QPointF(start.x(), min(start.y(), stop.y()) - lift),
        QPointF(stop.x(), min(start.y(), stop.y()) - lift),
        stop,
    )
    return path


def _positions_in(layout: QTextLayout, top: float, bottom: float) -> tuple[int, int]:
    """The positions in a paragraph from the start of its first line that reaches below
    ``top`` to the end of its last line that starts above ``bottom`` (y from the
    paragraph's top): found by halving, a long paragraph has thousands of lines."""
    count = layout.lineCount()
    if not count:
        return 0, 0
    line = layout.lineAt
    first = bisect_left(range(count), top, key=lambda i: line(i).y() + line(i).height())
    last = bisect_left(range(count), bottom, key=lambda i: line(i).y()) - 1
    first, last = min(first, count - 1), max(min(last, count - 1), 0)
    end = line(last)
    return line(first).textStart(), end.textStart() + end.textLength() + 1


def _right_to_left_after_spaces(text: str, i: int) -> bool:
    """Whether the right-to-left words go on after the spaces at ``i`` ("قوات سوريا
    الديمقراطية إن"): the spaces are part of their run, and a tag hung on one, drawn as in
    left-to-right text, covered the next word."""
    while i < len(text) and text[i] in " \t\u00a0":
        i += 1
    return i < len(text) and right_to_left(text[i])
