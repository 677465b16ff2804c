"""The one place where UTF-16 positions meet Python's code-point offsets.

Qt's text classes count UTF-16 code units, and so do JavaScript tools such as doccano: a
character outside the Basic Multilingual Plane (most emoji) counts two. The store, spaCy and
every other format count code points. The window (for each article it shows), the doccano
format, WebAnno TSV (Java counts so) and ner-annotator's export (in ``spacy-json``) convert
through this table; nothing else converts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Convert offsets for one text; O(1) for text without astral characters, O(log n) else."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "utf16_length")

    def __init__(self, text: str):
        # Code-point positions of astral characters, and where each starts in UTF-16.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length = len(text)
        self.utf16_length = len(text) + len(self._astral_cp)

    @property
    def same(self) -> bool:
        """Both counts agree everywhere (no character outside the BMP)."""
        return not self._astral_cp

    def to_utf16(self, offset: int) -> int:
        """Code-point offset → UTF-16 position."""
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def from_utf16(self, position: int) -> int:
        """UTF-16 position → code-point offset; inside a surrogate pair, the character's start."""
        if not self._astral_cp:
            return position
        before = bisect_right(self._astral_u16, position - 1)  # astral chars starting earlier
        if self.splits_pair(position):
            return self._astral_cp[before - 1]
        return position - before

    def splits_pair(self, position: int) -> bool:
        """Does this UTF-16 position fall between the two halves of a surrogate pair?"""
        if not self._astral_cp:
            return False
        before = bisect_right(self._astral_u16, position - 1)
        return bool(before) and position == self._astral_u16[before - 1] + 1
