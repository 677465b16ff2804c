"""The one place where Qt's UTF-16 positions meet Python's code-point offsets.

Qt's text classes count UTF-16 code units: a character outside the Basic Multilingual Plane
(most emoji, some CJK) takes two. The store, spaCy and every export count code points. Each
article shown gets one ``Utf16Offsets`` table; nothing else in the program converts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Convert offsets for one text; O(1) for pure-BMP text, O(log n) otherwise."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "utf16_length")

    def __init__(self, text: str):
        # Code-point positions of astral characters, and where each starts in UTF-16.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length = len(text)
        self.utf16_length = len(text) + len(self._astral_cp)

    def to_qt(self, offset: int) -> int:
        """Code-point offset → UTF-16 position."""
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def from_qt(self, position: int) -> int:
        """UTF-16 position → code-point offset.

        A position inside a surrogate pair (Qt never puts the cursor there, but a caller
        might compute one) rounds down to the character's start.
        """
        if not self._astral_cp:
            return position
        before = bisect_right(self._astral_u16, position - 1)  # astral chars starting earlier
        if before and position == self._astral_u16[before - 1] + 1:
            return self._astral_cp[before - 1]  # between the two halves of a pair
        return position - before
