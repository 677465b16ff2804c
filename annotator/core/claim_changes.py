"""Which suggestions an annotator changed through their claim links alone.

A suggestion the annotator kept where it was (origin ``model``) but gave another source or
another attribute value is a corrected one, as the usage figures count it
(``storage/usage.py``); the span list says so. Compared by value with the model's own
relations and values at the same places. A span made by hand where a suggestion was (one
deleted and made again) is that suggestion, kept or corrected, as the figures count it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from annotator.core.model import Span, SpanKey, SpanLink
from annotator.core.relations import AttributeType, AttributeValue, ClaimWork, Relation, by_id

Compared = tuple[frozenset, frozenset]  # a span's values and relations


def changed_by_claims(
    spans: Sequence[Span],
    work: ClaimWork,
    suggested: ClaimWork,
    attribute_types: Iterable[AttributeType],
) -> set[int]:
    """Ids of the ``model`` spans whose values or relations in ``work`` (by value) differ
    from the suggestion's (``ClaimComparison``)."""
    comparison = ClaimComparison(spans, suggested, attribute_types)
    relations, values = by_id(spans, work.relations, work.attributes)
    of_span: dict[int | None, list[Relation]] = {}
    for relation in relations:
        for end in (relation.head, relation.child):
            of_span.setdefault(end, []).append(relation)
    valued: dict[int | None, list[AttributeValue]] = {}
    for value in values:
        valued.setdefault(value.span, []).append(value)
    spans_by_id = {span.id: span for span in spans if span.id is not None}
    return {
        span.id
        for span in spans
        if span.id is not None
        and comparison.changed(span, of_span.get(span.id, []), valued.get(span.id, []), spans_by_id)
    }


class ClaimComparison:
    """The annotator's spans beside the model's relations and values, made once per set of
    spans; ``changed`` then tells of one span, from its own relations and values (a long
    article's 20,000 spans compared whole took a tenth of a second at each claim edit: the
    span list asks for the rows it shows).

    Relations are compared by the suggestion each end came from: a span kept or made by
    hand is its own place, an edited one the suggested end it overlaps most (the usage
    figures pair them so; a claim given as its source a span whose edge was moved read
    "suggested"). A suggested relation whose other end the annotator deleted is not counted
    against the span (the deletion is counted there), and one to a span made by hand
    differs from any suggested."""

    def __init__(
        self,
        spans: Sequence[Span],
        suggested: ClaimWork,
        attribute_types: Iterable[AttributeType],
        suggested_links: Mapping[SpanKey, Collection[SpanLink]] | None = None,
    ):
        self.spans = spans
        kept: set[SpanKey] = set()
        self._suggestions: dict[SpanKey, int] = {}  # the spans still as suggested: their ids
        #: The links of the suggestions at the places of spans made by hand, from
        #: ``suggested_links`` (each suggestion's, by place): deleted and made again.
        self._remade: dict[SpanKey, Collection[SpanLink]] = {}
        edited: list[SpanKey] = []
        for span in spans:
            key = (span.start, span.end, span.label)
            if span.origin == "edited":
                edited.append(key)
                continue
            kept.add(key)
            if span.origin == "human" and suggested_links and key in suggested_links:
                self._remade[key] = suggested_links[key]
            elif span.origin != "model":
                continue
            if span.id is not None:
                self._suggestions[key] = span.id
        # The suggested ends no span kept, whatever their label: a source relabelled is
        # the suggestion it came from, as the usage figures pair them (its claim read
        # "corrected" while they counted it accepted).
        left = _Places(
            key
            for relation in suggested.relations
            for key in (relation.head.key, relation.child.key)
            if key not in kept
        )
        self._came_from: dict[SpanKey, SpanKey] = {
            key: left.most_overlapping(key) or (-1, -1, f"edited {key}") for key in edited
        }
        self._kept = kept
        taken = kept | set(self._came_from.values())
        self._defaults = {t.name: t.default for t in attribute_types}
        self._then = _by_key(suggested, lambda key: key if key in taken else None, self._defaults)

    def changed(
        self,
        span: Span,
        relations: Iterable[Relation],
        values: Iterable[AttributeValue],
        spans_by_id: Mapping[int, Span],
    ) -> bool:
        """Whether ``span``, a suggestion kept as it was (or made again by hand), has other
        relations (those it is an end of, by span id) or values than the model gave it."""
        key = span.key
        if span.id is None or self._suggestions.get(key) != span.id:
            return False
        defaults = self._defaults
        held = frozenset((v.name, v.value) for v in values if v.value != defaults.get(v.name))
        linked = set()
        for relation in relations:
            head, child = spans_by_id.get(relation.head), spans_by_id.get(relation.child)
            if head is None or child is None:
                continue
            ends = self._as_suggested(head.key), self._as_suggested(child.key)
            if ends[0] is not None and ends[1] is not None:
                linked.add((ends[0], ends[1], relation.label))
        now = (held, frozenset(linked)) if held or linked else None
        return now != self._then.get(key)

    def origin(
        self,
        span: Span,
        relations: Iterable[Relation],
        values: Iterable[AttributeValue],
        spans_by_id: Mapping[int, Span],
    ) -> str:
        """The span's origin as the usage figures count it: a suggestion whose relations or
        values changed is ``edited``; one made by hand where a suggestion was (deleted and
        made again) is that suggestion, ``model`` with its link, relations and values, else
        ``edited`` (it read "added", counted accepted)."""
        links = self._remade.get(span.key)
        if span.origin == "human" and links is not None:
            as_suggested = (span.kb_id, span.link_status) in links
        elif span.origin == "model":
            as_suggested = True
        else:
            return span.origin
        if as_suggested and not self.changed(span, relations, values, spans_by_id):
            return "model"
        return "edited"

    def _as_suggested(self, key: SpanKey) -> SpanKey | None:
        return key if key in self._kept else self._came_from.get(key)


class _Places:
    """Places found by what overlaps a span (thousands of edited spans each looked through
    every one)."""

    def __init__(self, keys: Iterable[SpanKey]):
        self.keys = sorted(set(keys))
        self.starts = [key[0] for key in self.keys]
        self.longest = max((end - start for start, end, _ in self.keys), default=0)

    def most_overlapping(self, key: SpanKey) -> SpanKey | None:
        """The place that overlaps ``key`` most, if any does."""
        start, end, _ = key
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        best, most = None, 0
        for s, e, label in self.keys[first:last]:
            if (overlap := min(end, e) - max(start, s)) > most:
                best, most = (s, e, label), overlap
        return best


def _by_key(
    work: ClaimWork, end_of: Callable[[SpanKey], SpanKey | None], defaults: dict[str, str]
) -> dict[SpanKey, Compared]:
    """Each span's (values, relations) by its place, defaults left out; a relation's ends
    named by ``end_of``, and left out where one has none."""
    values: dict[SpanKey, set[tuple[str, str]]] = {}
    relations: dict[SpanKey, set[tuple[SpanKey, SpanKey, str]]] = {}
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
