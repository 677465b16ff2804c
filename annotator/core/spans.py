"""Pure rules about spans: overlap, the entity layer, token snapping."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence

from annotator.core.model import ENTITY_KIND, Span


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def has_overlap(spans: Iterable[Span]) -> bool:
    """Do any two of these spans share a character?"""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    return any(b.start < a.end for a, b in zip(ordered, ordered[1:], strict=False))


def validate_span(span: Span, text_length: int) -> None:
    """Raise ``ValueError`` with a readable message if ``span`` cannot lie in such a text."""
    if not 0 <= span.start < span.end <= text_length:
        raise ValueError(
            f"span {span.start}-{span.end} {span.label} does not fit a text of "
            f"{text_length} characters"
        )


def entity_conflicts(span: Span, others: Iterable[Span], kinds: Mapping[str, str]) -> list[Span]:
    """The spans that ``span`` may not coexist with: LOCATION and FACTION never overlap.

    ``kinds`` maps label names to their kind; claims conflict with nothing.
    """
    if kinds.get(span.label, ENTITY_KIND) != ENTITY_KIND:
        return []
    return [
        other
        for other in others
        if other is not span
        and kinds.get(other.label, ENTITY_KIND) == ENTITY_KIND
        and overlaps(span, other)
        and (other.id is None or other.id != span.id)
    ]


def filter_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans (earliest first on ties), sorted by start.

    The same rule as ``spacy.util.filter_spans``, for the entity layer.
    """
    kept: list[Span] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= s or span.start >= e for s, e in taken):
            kept.append(span)
            taken.append((span.start, span.end))
    return sorted(kept, key=lambda s: (s.start, s.end))


class TokenIndex:
    """Token boundaries of one text, for snapping selections and moving span edges.

    ``bounds`` are (start, end) character offsets of the tokens, sorted and disjoint.
    """

    def __init__(self, bounds: Sequence[tuple[int, int]]):
        self.starts = [s for s, _ in bounds]
        self.ends = [e for _, e in bounds]

    def __len__(self) -> int:
        return len(self.starts)

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Expand ``[start, end)`` to whole tokens; ``None`` if it touches no token.

        An empty range (a caret) takes the token under it.
        """
        if start > end:
            start, end = end, start
        if start == end:
            i = bisect_right(self.starts, start) - 1
            if i >= 0 and self.starts[i] <= start < self.ends[i]:
                return self.starts[i], self.ends[i]
            return None
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first > last:
            return None
        return self.starts[first], self.ends[last]

    def move_edge(self, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
        """Move one edge of ``[start, end)`` by one token outwards (+1) or inwards (-1).

        ``edge`` is ``"start"`` or ``"end"``. The span never becomes empty; at the text's
        ends, or a one-token span narrowed, it stays as it is.
        """
        if edge == "end":
            if step > 0:
                i = bisect_right(self.ends, end)
                return (start, self.ends[i]) if i < len(self.ends) else (start, end)
            i = bisect_left(self.ends, end) - 1
            return (start, self.ends[i]) if i >= 0 and self.ends[i] > start else (start, end)
        if edge == "start":
            if step > 0:
                i = bisect_left(self.starts, start) - 1
                return (self.starts[i], end) if i >= 0 else (start, end)
            i = bisect_right(self.starts, start)
            return (
                (self.starts[i], end)
                if i < len(self.starts) and self.starts[i] < end
                else (
                    start,
                    end,
                )
            )
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")


def snap_to_tokens(
    start: int, end: int, bounds: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """One-off :meth:`TokenIndex.snap`; build a ``TokenIndex`` to snap many times."""
    return TokenIndex(bounds).snap(start, end)
