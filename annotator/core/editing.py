"""The rules of editing spans, shared by the annotation window and the review's gold lane.

Each rule takes the spans as they stand and an annotator's gesture (a selection and a
label key, a click, an edge moved) and returns a ``SpanEdit``: the spans to remove and the
spans to add, with a description for the undo history. A gesture the rules refuse raises
``EditRefused`` with a message for the status bar. Nothing here writes or draws: the
windows turn an edit into an undo command.

Snapping asks a ``Tokens`` object (``core.spans.TokenIndex`` answers it) where the words of
the text begin and end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.spans import entity_conflicts


class Tokens(Protocol):
    """Token boundaries of one text (``core.spans.TokenIndex``)."""

    def snap(self, start: int, end: int) -> tuple[int, int] | None: ...

    def move_edge(self, start: int, end: int, edge: str, step: int) -> tuple[int, int]: ...


class EditRefused(AnnotatorError):
    """The gesture would break a rule of the scheme; the message says which."""


@dataclass(frozen=True)
class SpanEdit:
    """Remove ``removed`` and add ``added``: one undoable change of one span set.

    A span in both (same id) is the same span changed in place.
    """

    removed: list[Span]
    added: list[Span]
    description: str


def edited(span: Span, **changes: object) -> Span:
    """``span`` with ``changes``; an accepted suggestion that is changed becomes ``edited``."""
    origin = "edited" if span.origin == "model" else span.origin
    return replace(span, origin=origin, **changes)  # type: ignore[arg-type]


def same_span(a: Span, b: Span | None) -> bool:
    """The same stored span (same id), or the very object for spans not stored yet."""
    return b is not None and (a is b or (a.id is not None and a.id == b.id))


def applied(spans: Iterable[Span], edit: SpanEdit) -> list[Span]:
    """The span set after ``edit``, in text order (for span sets kept whole, like gold)."""
    kept = [s for s in spans if not any(same_span(s, r) for r in edit.removed)]
    return sorted(kept + list(edit.added), key=lambda s: (s.start, s.end, s.label))


# -- gestures --------------------------------------------------------------------------------


def label_selection(
    spans: Sequence[Span],
    selected: Span | None,
    start: int,
    end: int,
    label: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
    text: str = "",
) -> SpanEdit | Span | None:
    """A label's key: relabel the selected span, or make a span of the selected text.

    The selected span is relabelled when the selection is empty or is exactly that span.
    Returns the edit; an existing identical span (select it instead); or ``None`` when
    nothing changes (the span has that label already). ``tokens`` is ``None`` for
    exact character boundaries.
    """
    if selected is not None and (start == end or (start, end) == (selected.start, selected.end)):
        return relabel(spans, selected, label, kinds, text)
    if start >= end:
        raise EditRefused("Select some text first, or click a span")
    return create(spans, start, end, label, kinds, tokens)


def create(
    spans: Sequence[Span],
    start: int,
    end: int,
    label: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
) -> SpanEdit | Span:
    """A new span of ``label`` over ``[start, end)``, snapped to whole tokens.

    An entity replaces the LOCATION/FACTION spans it overlaps, so redrawing a wrong
    suggestion is one gesture; a CLAIM may contain anything. If the very span exists,
    it is returned instead of an edit.
    """
    if tokens is not None:
        snapped = tokens.snap(start, end)
        if snapped is None:
            raise EditRefused("The selection holds no word")
        start, end = snapped
    new = Span(start, end, label, origin="human")
    existing = next((s for s in spans if s == new), None)
    if existing is not None:
        return existing
    replaced = entity_conflicts(new, spans, kinds)
    verb = f"replace {len(replaced)} span(s) by" if replaced else "add"
    return SpanEdit(replaced, [new], f"{verb} {label}")


def relabel(
    spans: Sequence[Span], span: Span, label: str, kinds: Mapping[str, str], text: str = ""
) -> SpanEdit | None:
    if span.label == label:
        return None
    new = edited(span, label=label)
    return change(spans, span, new, kinds, f"relabel {span.label} → {label}", text)


def move_edge(
    spans: Sequence[Span],
    span: Span,
    tokens: Tokens,
    edge: str,
    step: int,
    kinds: Mapping[str, str],
    text: str = "",
) -> SpanEdit:
    """Widen (+1) or narrow (-1) ``span`` by one token at ``edge`` (``start`` or ``end``)."""
    start, end = tokens.move_edge(span.start, span.end, edge, step)
    if (start, end) == (span.start, span.end):
        raise EditRefused("The span cannot move further that way")
    new = edited(span, start=start, end=end)
    return change(spans, span, new, kinds, f"resize {span.label}", text)


def change(
    spans: Sequence[Span],
    span: Span,
    new: Span,
    kinds: Mapping[str, str],
    description: str,
    text: str = "",
) -> SpanEdit:
    """``span`` becomes ``new``, unless that makes a duplicate or overlaps another entity.

    ``text`` is the article's, to quote the spans in the way in a refusal.
    """
    others = [s for s in spans if not same_span(s, span)]
    if new in others:
        raise EditRefused("That span exists already")
    conflicts = entity_conflicts(new, others, kinds)
    if conflicts:
        names = ", ".join(
            f"{c.label} '{c.text(text)}'" if text else f"{c.label} at {c.start}-{c.end}"
            for c in conflicts
        )
        raise EditRefused(f"Would overlap {names}: LOCATION and FACTION never overlap")
    return SpanEdit([span], [new], description)


def delete(span: Span) -> SpanEdit:
    return SpanEdit([span], [], f"delete {span.label}")


# -- choosing spans --------------------------------------------------------------------------


def span_under(spans: Sequence[Span], offset: int, selected: Span | None) -> Span | None:
    """The span a click at ``offset`` selects: the innermost; a click on the selected span
    takes the next enclosing one, and round again."""
    under = [s for s in spans if s.start <= offset < s.end] or [
        s for s in spans if s.start < offset <= s.end
    ]
    if not under:
        return None
    under.sort(key=lambda s: (s.end - s.start, s.start))
    for i, span in enumerate(under):
        if same_span(span, selected):
            return under[(i + 1) % len(under)]
    return under[0]


def next_span(
    spans: Sequence[Span], selected: Span | None, caret: int, step: int = 1
) -> Span | None:
    """Tab / Shift+Tab: the span after (before) the selected one, or after the caret."""
    if not spans:
        return None
    for i, span in enumerate(spans):
        if same_span(span, selected):
            return spans[(i + step) % len(spans)]
    index = next((i for i, s in enumerate(spans) if s.start >= caret), 0)
    if step < 0:
        index = (index - 1) % len(spans)
    return spans[index]
