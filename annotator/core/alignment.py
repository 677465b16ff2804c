"""Where the tokens of a text lie: the one table that snapping, export and agreement share.

A ``TokenAlignment`` is a text's tokens as character offsets (code points, end-exclusive),
in order, with whether each is whitespace and whether one space follows it. The tokenizer that
fills it lives above this layer (``annotator.formats.packed_tokens.alignment``, spaCy's
blank English tokenizer); everything below asks the table, never the tokenizer:

- the window snaps a selection to whole tokens and moves span edges token by token
  (``snap``, ``move_edge``, on the ``words``: whitespace tokens are never snapped to);
- exports find the tokens a span covers, or whether it lies exactly on tokens
  (``covering``, ``aligned``; ``ranges`` for many spans at once);
- agreement labels tokens with the spans over them (``ranges``).

Spans touch a token when they share a character with it: the ``expand`` rule of spaCy's
``Doc.char_span``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]


class TokenAlignment:
    """The tokens of one text (or of many texts laid end to end) as sorted offsets."""

    __slots__ = ("ends", "is_space", "space_after", "starts")

    def __init__(
        self,
        starts: npt.ArrayLike,
        ends: npt.ArrayLike,
        is_space: npt.ArrayLike | None = None,
        space_after: npt.ArrayLike | None = None,
    ):
        self.starts: Int64Array = np.asarray(starts, dtype=np.int64).reshape(-1)
        self.ends: Int64Array = np.asarray(ends, dtype=np.int64).reshape(-1)
        count = self.starts.size
        self.is_space = (
            np.zeros(count, dtype=bool) if is_space is None else np.asarray(is_space, dtype=bool)
        )
        self.space_after = (
            np.zeros(count, dtype=bool)
            if space_after is None
            else np.asarray(space_after, dtype=bool)
        )

    @classmethod
    def from_bounds(cls, bounds: Sequence[tuple[int, int]]) -> TokenAlignment:
        """From (start, end) pairs, sorted and disjoint."""
        return cls([s for s, _ in bounds], [e for _, e in bounds])

    @classmethod
    def tiling(
        cls, lengths: npt.ArrayLike, space_after: npt.ArrayLike, is_space: npt.ArrayLike
    ) -> TokenAlignment:
        """From token lengths, for tokens that tile their text: each starts where the one
        before ends, after its space (as spaCy's tokens do)."""
        lengths = np.asarray(lengths, dtype=np.int64)
        after = np.asarray(space_after, dtype=np.int64)
        ends = np.cumsum(lengths + after) - after
        return cls(ends - lengths, ends, is_space, after.astype(bool))

    def __len__(self) -> int:
        return int(self.starts.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenAlignment):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, name), getattr(other, name)) for name in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]  # arrays: equal by value, not hashable

    def bounds(self) -> list[tuple[int, int]]:
        """(start, end) of each token."""
        return list(zip(self.starts.tolist(), self.ends.tolist(), strict=True))

    def words(self) -> TokenAlignment:
        """The tokens that are not whitespace: nobody labels a run of spaces or a line break."""
        keep = ~self.is_space
        return TokenAlignment(
            self.starts[keep], self.ends[keep], self.is_space[keep], self.space_after[keep]
        )

    # -- one span --------------------------------------------------------------------------

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) indices, inclusive, of the tokens ``[start, end)`` touches."""
        first = int(np.searchsorted(self.ends, start, side="right"))
        last = int(np.searchsorted(self.starts, end, side="left")) - 1
        return (first, last) if first <= last else None

    def aligned(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) inclusive token indices if ``[start, end)`` is exactly whole tokens."""
        covered = self.covering(start, end)
        if covered is None:
            return None
        first, last = covered
        if self.starts[first] != start or self.ends[last] != end:
            return None
        return covered

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Expand ``[start, end)`` to whole tokens; ``None`` if it touches no token.

        An empty range (a caret) takes the token under it.
        """
        if start > end:
            start, end = end, start
        if start == end:
            i = int(np.searchsorted(self.starts, start, side="right")) - 1
            if i >= 0 and self.starts[i] <= start < self.ends[i]:
                return int(self.starts[i]), int(self.ends[i])
            return None
        covered = self.covering(start, end)
        if covered is None:
            return None
        return int(self.starts[covered[0]]), int(self.ends[covered[1]])

    def move_edge(self, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
        """Move one edge of ``[start, end)`` by one token outwards (+1) or inwards (-1).

        ``edge`` is ``"start"`` or ``"end"``. The span never becomes empty; at the text's
        ends, or a one-token span narrowed, it stays as it is.
        """
        starts, ends = self.starts, self.ends
        if edge == "end":
            if step > 0:
                i = int(np.searchsorted(ends, end, side="right"))
                return (start, int(ends[i])) if i < ends.size else (start, end)
            i = int(np.searchsorted(ends, end, side="left")) - 1
            return (start, int(ends[i])) if i >= 0 and ends[i] > start else (start, end)
        if edge == "start":
            if step > 0:
                i = int(np.searchsorted(starts, start, side="left")) - 1
                return (int(starts[i]), end) if i >= 0 else (start, end)
            i = int(np.searchsorted(starts, start, side="right"))
            return (int(starts[i]), end) if i < starts.size and starts[i] < end else (start, end)
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")

    # -- many spans ------------------------------------------------------------------------

    def ranges(
        self, span_starts: npt.ArrayLike, span_ends: npt.ArrayLike
    ) -> tuple[Int64Array, Int64Array]:
        """For each span, the tokens it touches: ``first`` and ``last`` (exclusive) indices,
        ``first == last`` for a span that touches none. For tokens of many texts laid end to
        end, shift the spans' offsets the same way."""
        first = np.searchsorted(self.ends, np.asarray(span_starts, dtype=np.int64), side="right")
        last = np.searchsorted(self.starts, np.asarray(span_ends, dtype=np.int64), side="left")
        return first, np.maximum(first, last)
