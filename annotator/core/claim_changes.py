"""Which suggestions an annotator changed through their claim links alone.

A suggestion the annotator kept where it was (origin ``model``) but gave another source or
another attribute value is a corrected one, as the usage figures count it
(``storage/usage.py``); the span list says so. Compared by value with the model's own
relations and values at the same places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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

    A relation counts where both its ends are among the spans kept or made by hand; a
    suggested one whose other end the annotator deleted or moved is not counted against the
    span (the other end's change is counted there), and one to a span made by hand differs
    from any suggested."""
    ends = {span.key for span in spans if span.origin in ("model", "human")}
    defaults = {t.name: t.default for t in attribute_types}
    now, then = _by_key(work, ends, defaults), _by_key(suggested, ends, defaults)
    return {
        span.id
        for span in spans
        if span.origin == "model"
        and span.id is not None
        and now.get(span.key) != then.get(span.key)
    }


def _by_key(
    work: ClaimWork, ends: set[Key], defaults: dict[str, str]
) -> dict[Key, tuple[frozenset, frozenset]]:
    """Each span's (values, relations) by its place, defaults and dangling relations left out."""
    values: dict[Key, set[tuple[str, str]]] = {}
    relations: dict[Key, set[tuple[Key, Key, str]]] = {}
    for attribute in work.attributes:
        if attribute.value != defaults.get(attribute.name):
            values.setdefault(attribute.span.key, set()).add((attribute.name, attribute.value))
    for relation in work.relations:
        head, child = relation.head.key, relation.child.key
        if head in ends and child in ends:
            for end in (head, child):
                relations.setdefault(end, set()).add((head, child, relation.label))
    return {
        key: (frozenset(values.get(key, ())), frozenset(relations.get(key, ())))
        for key in values.keys() | relations.keys()
    }
