"""Token boundaries for the formats that need tokens: Prodigy's ``tokens``, CoNLL, DocBin.

All of them use spaCy's blank English tokenizer (``annotator.nlp.tokens``), the same on every
machine, so a span that lies on token boundaries here does so in every export.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY

from annotator.core.model import ENTITY_KIND, Span
from annotator.core.spans import filter_overlapping, overlaps
from annotator.nlp.tokens import blank_english


@dataclass(frozen=True, slots=True)
class Tokens:
    """Every token of a text, whitespace tokens included, as spaCy's ``Doc`` has them."""

    starts: list[int]
    ends: list[int]
    trailing_space: list[bool]  # followed by one space that belongs to no token
    is_space: list[bool]  # a token of whitespace only (line breaks, runs of spaces)

    @classmethod
    def of(cls, text: str) -> Tokens:
        columns = blank_english().tokenizer(text).to_array([IDX, LENGTH, SPACY, IS_SPACE])
        starts = columns[:, 0]
        return cls(
            starts.tolist(),
            (starts + columns[:, 1]).tolist(),
            columns[:, 2].astype(bool).tolist(),
            columns[:, 3].astype(bool).tolist(),
        )

    def __len__(self) -> int:
        return len(self.starts)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) indices, inclusive, of the tokens ``[start, end)`` touches."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
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


def is_entity(span: Span, kinds: Mapping[str, str]) -> bool:
    """Labels missing from the scheme count as entities, as everywhere else."""
    return kinds.get(span.label, ENTITY_KIND) == ENTITY_KIND


def entity_layer(spans: Iterable[Span]) -> tuple[list[Span], list[tuple[Span, Span]]]:
    """One layer of non-overlapping entities, and each left-out span with one it overlaps.

    Entities should never overlap; when they do (an import, a merge) the longest stays,
    by the same rule as ``spacy.util.filter_spans``.
    """
    spans = list(spans)
    kept = filter_overlapping(spans)
    chosen = {id(span) for span in kept}
    left_out = [
        (span, next(k for k in kept if overlaps(span, k)))
        for span in spans
        if id(span) not in chosen
    ]
    return kept, left_out
