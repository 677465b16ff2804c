"""Pure rules about spans: overlap, the entity layer; token snapping is ``core.alignment``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from annotator.core.alignment import TokenAlignment
from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY_KIND, Span
from annotator.core.text import excerpt, isolated


class EntityConflict(AnnotatorError):
    """A span would overlap a LOCATION or FACTION span of another label where they may not
    (in gold: taking every version, or a source or link whose span clashes)."""

    clash: tuple[Span, Span] | None = None  # (the span refused, gold's in its way)

    @classmethod
    def in_gold(cls, span: Span, other: Span) -> EntityConflict:
        """``span`` cannot come into gold past ``other``; said with what to do (it said
        "settle that span first" of a span settled already)."""
        error = cls(
            f"the {span.label} span at {span.start}-{span.end} would overlap the {other.label} "
            f"span at {other.start}-{other.end} that gold holds{_WHAT_TO_DO}"
        )
        error.clash = (span, other)
        return error

    def in_words(self, text: str) -> str:
        """The refusal with the spans' words ("characters 5-29" meant nothing to a reviewer
        of right-to-left text)."""
        if self.clash is None:
            return str(self)
        span, other = (span_in_words(s, text) for s in self.clash)
        return f"{span} would overlap {other}, which gold holds{_WHAT_TO_DO}"


_WHAT_TO_DO = (
    ": delete or change that one in gold first (select it in the gold lane), then take this again"
)


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def has_overlap(spans: Iterable[Span]) -> bool:
    """Do any two of these spans share a character?"""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    return any(b.start < a.end for a, b in zip(ordered, ordered[1:], strict=False))


def first_overlap(spans: Iterable[Span]) -> tuple[Span, Span] | None:
    """The first two of ``spans`` that share a character, in text order, or ``None``."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label))
    for i, span in enumerate(ordered):
        for later in ordered[i + 1 :]:
            if later.start >= span.end:
                break
            return span, later
    return None


def span_in_words(span: Span, text: str) -> str:
    """``LOCATION 'الخرطوم'``: a span for a message, its words cut if long and isolated
    (right to left, the quote marks and the label broke apart around them)."""
    return f"{span.label} '{isolated(excerpt(span.text(text), 40))}'"


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


#: How an export says it wrote a span without the spaces at its edges (``without_edge_spaces``).
EDGE_SPACES = (
    "written without the spaces at its edges (spaCy and CoNLL readers refuse an entity that "
    "begins or ends with a space)"
)


def without_edge_spaces(span: Span, text: str) -> Span:
    """``span`` without the whitespace at its edges (``span`` itself if it has none, or is
    nothing but whitespace). The window never makes such a span; imported files bring them
    ("Aleppo  "), and in CoNLL the B- tag went on the space, which is not written."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end or (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end)


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


class TokenIndex(TokenAlignment):
    """A ``TokenAlignment`` made from (start, end) pairs: the window's name for it."""

    __slots__ = ()

    def __init__(self, bounds: Sequence[tuple[int, int]]):
        super().__init__([s for s, _ in bounds], [e for _, e in bounds])


def snap_to_tokens(
    start: int, end: int, bounds: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """One-off :meth:`TokenAlignment.snap`; build one alignment to snap many times."""
    return TokenAlignment.from_bounds(bounds).snap(start, end)
