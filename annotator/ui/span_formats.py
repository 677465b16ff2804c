"""How spans look in the article view: the character formats of each paragraph.

Formats are set on the layout of each paragraph (``QTextLayout.setFormats``), never in the
document, so the text is never changed; ``SpanFormats`` answers which formats a paragraph
gets, by bisection over the spans sorted by start. A gap (extra letter spacing after one
character) makes room for a claim's tag (``relation_painter.py``). ``prepare_text`` does
all the work of showing a text that needs no widget (offsets, paragraph starts, spans in
Qt positions), so that a long article can be prepared on a worker thread.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextLayout

from annotator.core.label_colours import OUTSIDE_SCHEME_COLOR
from annotator.core.model import CLAIM_KIND, Label, Span
from annotator.core.offsets import Utf16Offsets
from annotator.core.text import mostly_right_to_left
from annotator.ui.theme import contrast, legible, over, readable

_BLOCK_BREAK = re.compile("[\n\u2029]")  # where QTextDocument.setPlainText starts a paragraph
#: Qt's frame marks, which setPlainText also takes for paragraph breaks: shown as "�" (one
#: code unit for one, so every offset holds), else the paragraphs counted here and Qt's
#: disagree (an article holding U+FDD0 crashed the window).
_FRAME_MARKS = {0xFDD0: 0xFFFD, 0xFDD1: 0xFFFD}


def shown_text(text: str) -> str:
    """The text as the view holds it: the article's, but for Qt's frame marks."""
    return text.translate(_FRAME_MARKS)


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
        #: Drawn on a dark page: text lighter, tints stronger (``theme.readable``).
        self.dark = False
        self.page = QColor("#ffffff")  # the page the text is drawn on

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        self._cache.clear()

    def set_dark(self, dark: bool, page: QColor) -> None:
        """Draw for a dark page or a light one, of colour ``page``."""
        if dark != self.dark or page != self.page:
            self.dark, self.page = dark, page
            self._cache.clear()

    def set_text(self, text: str, offsets: Utf16Offsets) -> None:
        """Learn where the paragraphs of ``text`` start, in Qt positions."""
        self.block_starts = block_starts(text, offsets)
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

    def ranges(
        self, number: int, length: int, gaps: dict[int, tuple[int, float]] | None = None
    ) -> list[QTextLayout.FormatRange]:
        """Format ranges for paragraph ``number`` of ``length`` characters (sweep over edges).

        ``gaps``: Qt position of a character → (its length in UTF-16 units, the width of the
        gap opened after it)."""
        base = self.block_starts[number]
        spans = self.spans_within(base, base + length)
        if not spans and not gaps:
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
        gapped = {p - base: gap for p, gap in (gaps or {}).items()}
        for start, (size, _) in gapped.items():
            opens.setdefault(start, [])
            closes.setdefault(start + size, [])
        positions = sorted(opens.keys() | closes.keys())
        for left, right in zip(positions, positions[1:], strict=False):
            for drawn in closes.get(left, ()):
                if active[drawn] == 1:
                    del active[drawn]
                else:
                    active[drawn] -= 1
            for drawn in opens.get(left, ()):
                active[drawn] = active.get(drawn, 0) + 1
            gap = gapped.get(left)
            if active or gap:
                format_range = QTextLayout.FormatRange()
                format_range.start = left
                format_range.length = right - left
                format_range.format = self._format_for(list(active), gap[1] if gap else 0.0)
                result.append(format_range)
        return result

    def _format_for(self, covering: list[Drawn], gap: float = 0.0) -> QTextCharFormat:
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
            gap,
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._make_format(entity, claims)
            if gap:
                cached.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
                cached.setFontLetterSpacing(gap)
        return cached

    def _make_format(self, entity: Drawn | None, claims: list[Drawn]) -> QTextCharFormat:
        char_format = QTextCharFormat()
        dark = self.dark
        if claims:
            color = self.color(claims[0][2])
            confirmed = any(c[3] for c in claims)
            char_format.setFontUnderline(True)
            char_format.setUnderlineColor(readable(color, True, 0.2) if dark else color)
            char_format.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.SingleUnderline
                if confirmed
                else QTextCharFormat.UnderlineStyle.DashUnderline
            )
            if entity is None:
                tint = QColor(color)
                # Nested claims read darker; a dark page needs more of the colour to show it.
                tint.setAlphaF(min((0.12 if dark else 0.07) * len(claims), 0.3 if dark else 0.2))
                char_format.setBackground(tint)
        if entity is not None:
            color = self.color(entity[2])
            fill = QColor(color)
            # Dashed means "proposed", for entities as for claims: an unconfirmed suggestion
            # is pale, in its colour, dash-underlined (inside a claim, the claim's line shows).
            # Not italics: many fonts have no oblique Arabic, which would show as boxes.
            if dark:  # a stronger tint, and text lighter than the colour: readable on dark
                fill.setAlphaF(0.42 if entity[3] else 0.16)
                text = readable(color, True, 1.0 if entity[3] else 0.45)
            else:
                fill.setAlphaF(0.30 if entity[3] else 0.10)
                text = color.darker(170 if entity[3] else 115)
            # Whatever colour the label was given (white, yellow): confirmed text reads at
            # WCAG AA over its tint, a suggestion's, paler, at 3:1; where no shade of the
            # text gets there (white text on a white tint on the dark page), a lighter tint.
            ratio = 4.5 if entity[3] else 3.0
            text = legible(text, over(fill, self.page), ratio, dark)
            while contrast(text, over(fill, self.page)) < ratio and fill.alphaF() > 0.08:
                fill.setAlphaF(fill.alphaF() - 0.04)
                text = legible(text, over(fill, self.page), ratio, dark)
            char_format.setForeground(text)
            char_format.setBackground(fill)
            if not entity[3] and not claims:
                char_format.setFontUnderline(True)
                char_format.setUnderlineColor(readable(color, True, 0.2) if dark else color)
                char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        return char_format

    def color(self, name: str) -> QColor:
        label = self._labels.get(name)
        return QColor(label.color if label else OUTSIDE_SCHEME_COLOR)


def block_starts(text: str, offsets: Utf16Offsets) -> list[int]:
    """Where the paragraphs of ``text`` start, in Qt positions."""
    return [0] + [offsets.to_utf16(m.end()) for m in _BLOCK_BREAK.finditer(text)]


def drawn_spans(offsets: Utf16Offsets, spans: Sequence[Span], confirmed: bool) -> list[Drawn]:
    to_utf16 = offsets.to_utf16
    return [
        (to_utf16(s.start), to_utf16(s.end), s.label, confirmed or s.origin != "model")
        for s in spans
    ]


@dataclass
class PreparedText:
    """What showing a text needs besides Qt: made by ``prepare_text``, which touches no
    widget, so a long article can be prepared on a worker thread."""

    text: str
    offsets: Utf16Offsets
    block_starts: list[int]
    drawn: list[Drawn]
    right_to_left: bool = False  # every paragraph laid out right to left


def prepare_text(text: str, spans: Sequence[Span], confirmed: bool) -> PreparedText:
    offsets = Utf16Offsets(text)
    drawn = sorted(drawn_spans(offsets, spans, confirmed))
    return PreparedText(
        text, offsets, block_starts(text, offsets), drawn, mostly_right_to_left(text)
    )
