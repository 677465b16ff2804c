"""Token boundaries computed a stretch at a time, only where a gesture needs them
(``core.editing``'s ``Tokens``): a million-character article never waits for its
tokenizer."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

Bounds = list[tuple[int, int]]

#: Characters per stretch: spaCy's tokenizer takes ~10–15 ms for this many news text (more
#: on a busy machine), well under the 100 ms a window may pause.
STRETCH = 5_000


def stretches(text: str, size: int = STRETCH) -> list[int]:
    """Where the stretches of ``text`` start: each ends just after a line break (or else a
    space) so that no token crosses from one to the next."""
    starts = [0]
    while len(text) - starts[-1] > size:
        begin = starts[-1]
        limit = begin + size
        cut = text.rfind("\n", begin + size // 2, limit)
        if cut < 0:
            cut = text.rfind(" ", begin + 1, limit)
        # Text with no whitespace for a whole stretch is cut where it is.
        starts.append(cut + 1 if cut >= 0 else limit)
    return starts


class LazyTokens:
    """The token boundaries of one text, for snapping selections and moving span edges.

    The text is cut into stretches at whitespace (tokens never cross whitespace, so each
    stretch tokenizes as it would inside the whole text), and a stretch is tokenized the
    first time a question needs it. ``tokenize(text)`` returns sorted (start, end) pairs.
    """

    def __init__(self, text: str, tokenize: Callable[[str], Bounds], size: int = STRETCH):
        self.text = text
        self._tokenize = tokenize
        self._starts = stretches(text, size)
        self._tokens: list[tuple[list[int], list[int]] | None] = [None] * len(self._starts)

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def complete(self) -> bool:
        return all(t is not None for t in self._tokens)

    def stretch_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def prepare(self, offset: int | None = None) -> bool:
        """Tokenize one stretch not done yet: the one at ``offset`` if it is not, else the
        first; returns whether any is left to do."""
        index = self.stretch_of(offset) if offset is not None else None
        if index is None or self._tokens[index] is not None:
            index = next((i for i, t in enumerate(self._tokens) if t is None), None)
        if index is not None:
            self._stretch(index)
        return not self.complete

    def _stretch(self, index: int) -> tuple[list[int], list[int]]:
        done = self._tokens[index]
        if done is None:
            begin = self._starts[index]
            end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
            bounds = self._tokenize(self.text[begin:end])
            done = self._tokens[index] = (
                [begin + s for s, _ in bounds],
                [begin + e for _, e in bounds],
            )
        return done

    def _between(self, first: int, last: int) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        ends: list[int] = []
        for index in range(first, last + 1):
            s, e = self._stretch(index)
            starts += s
            ends += e
        return starts, ends

    def bounds(self) -> Bounds:
        """Every token's (start, end), tokenizing what is left."""
        starts, ends = self._between(0, len(self._starts) - 1)
        return list(zip(starts, ends, strict=True))

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Expand ``[start, end)`` to whole tokens; ``None`` if it touches no token.

        An empty range (a caret) takes the token under it.
        """
        if start > end:
            start, end = end, start
        starts, ends = self._between(self.stretch_of(start), self.stretch_of(max(start, end - 1)))
        if start == end:
            i = bisect_right(starts, start) - 1
            if i >= 0 and starts[i] <= start < ends[i]:
                return starts[i], ends[i]
            return None
        first = bisect_right(ends, start)  # first token ending after start
        last = bisect_left(starts, end) - 1  # last token starting before end
        if first > last:
            return None
        return starts[first], ends[last]

    def move_edge(self, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
        """Move one edge of ``[start, end)`` by one token outwards (+1) or inwards (-1).

        The span never becomes empty; at the text's ends, or a one-token span narrowed, it
        stays as it is. Only the stretches up to the neighbouring token are tokenized.
        """
        count = len(self._starts)
        if edge == "end" and step > 0:
            for index in range(self.stretch_of(end), count):
                ends = self._stretch(index)[1]
                i = bisect_right(ends, end)
                if i < len(ends):
                    return start, ends[i]
            return start, end
        if edge == "end":
            for index in range(self.stretch_of(end), -1, -1):
                ends = self._stretch(index)[1]
                i = bisect_left(ends, end) - 1
                if i >= 0:
                    return (start, ends[i]) if ends[i] > start else (start, end)
            return start, end
        if edge == "start" and step > 0:
            for index in range(self.stretch_of(start), -1, -1):
                starts = self._stretch(index)[0]
                i = bisect_left(starts, start) - 1
                if i >= 0:
                    return starts[i], end
            return start, end
        if edge == "start":
            for index in range(self.stretch_of(start), count):
                starts = self._stretch(index)[0]
                i = bisect_right(starts, start)
                if i < len(starts):
                    return (starts[i], end) if starts[i] < end else (start, end)
            return start, end
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
