"""Which suggestions an annotator changed through their claim links alone.

A suggestion the annotator kept where it was (origin ``model``) but gave another source or
another attribute value is a corrected one, as the usage figures count it
(``storage/usage.py``); the span list says so. Compared by value with the model's own
relations and values at the same places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from annotator.core.model import Span
from annotator.core.relations import AttributeType, ClaimWork

Key = tuple[int, int, str]  # start, end, label


def changed_by_claims(
    spans: Sequence[Span],
    work: ClaimWork,
    suggested: ClaimWork,
    attribute_types: Iterable[AttributeType],
) -> set[int]:
    """Ids of the ``model`` spans whose values or relations differ from the suggestion's.

    Relations are compared by the suggestion each end came from: a span kept or made by
    hand is its own place, an edited one the suggested end it overlaps most (the usage
    figures pair them so; a claim given as its source a span whose edge was moved read
    "suggested"). A suggested relation whose other end the annotator deleted is not counted
    against the span (the deletion is counted there), and one to a span made by hand
    differs from any suggested."""
    kept = {span.key for span in spans if span.origin in ("model", "human")}
    ends = {end.key for r in suggested.relations for end in (r.head, r.child)}
    left = [key for key in ends if key not in kept]
    came_from: dict[Key, Key] = {
        span.key: _most_overlapping(span.key, left) or (-1, -1, f"edited {span.key}")
        for span in spans
        if span.origin == "edited"
    }

    def as_suggested(key: Key) -> Key | None:
        return key if key in kept else came_from.get(key)

    def suggested_end(key: Key) -> Key | None:
        return key if key in kept or key in came_from.values() else None

    defaults = {t.name: t.default for t in attribute_types}
    now = _by_key(work, as_suggested, defaults)
    then = _by_key(suggested, suggested_end, defaults)
    return {
        span.id
        for span in spans
        if span.id is not None
        and span.origin == "model"
        and now.get(span.key) != then.get(span.key)
    }


def _most_overlapping(key: Key, among: Sequence[Key]) -> Key | None:
    """The place of ``among`` of ``key``'s label that overlaps it most, if any does."""
    start, end, label = key
    overlaps = [(min(end, e) - max(start, s), (s, e, lab)) for s, e, lab in among if lab == label]
    best = max(overlaps, default=(0, None))
    return best[1] if best[0] > 0 else None


def _by_key(
    work: ClaimWork, end_of: Callable[[Key], Key | None], defaults: dict[str, str]
) -> dict[Key, tuple[frozenset, frozenset]]:
    """Each span's (values, relations) by its place, defaults left out; a relation's ends
    named by ``end_of``, and left out where one has none."""
    values: dict[Key, set[tuple[str, str]]] = {}
    relations: dict[Key, set[tuple[Key, Key, str]]] = {}
    for attribute in work.attributes:
        if attribute.value != defaults.get(attribute.name):
            values.setdefault(attribute.span.key, set()).add((attribute.name, attribute.value))
    for relation in work.relations:
        head, child = end_of(relation.head.key), end_of(relation.child.key)
        if head is not None and child is not None:
            for end in (relation.head.key, relation.child.key):
                relations.setdefault(end, set()).add((head, child, relation.label))
    return {
        key: (frozenset(values.get(key, ())), frozenset(relations.get(key, ())))
        for key in values.keys() | relations.keys()
    }
