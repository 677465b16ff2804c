"""The open article's claim links, as the window shows them: who is the source of which
claim, each claim's attribute values, and the tags drawn in the text (no Qt here).

The claims that have a source are numbered in text order (1, 2, 3 …). The text shows each
claim's number in a small tag after its last character, followed by marks for the attribute
values that are not the default (the attribute's key: ``D`` denied, ``H`` hedged, ``Q``
quote); each source span shows the numbers of the claims it is the source of. So ``…were
killed [3 D]`` and ``the army [3]`` read together at a glance, and a claim with no source has
a grey ``–`` tag. (Numbering only the linked claims keeps the numbers of the others when a
claim is made or deleted: the window then redraws one tag, not all.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from annotator.core.editing import overlapping
from annotator.core.model import Span
from annotator.core.relations import (
    AttributeType,
    AttributeValue,
    Relation,
    RelationType,
    SpanLinks,
)
from annotator.core.text import excerpt

#: Kinds of tag.
CLAIM_TAG, SOURCE_TAG = "claim", "source"


#: The tag of a claim without a source.
NO_SOURCE = "–"


class Tag(NamedTuple):
    """A small label drawn after the last character of span ``span`` (``end``, code
    points)."""

    span: int
    end: int
    text: str
    kind: str  # CLAIM_TAG or SOURCE_TAG
    label: str  # the span's label: its colour
    confirmed: bool  # False: a suggestion not confirmed yet (drawn dashed)
    linked: bool = True  # False: a claim without a source (drawn grey)


#: Where the article view gets its tags: those of the spans that end in (start, end]
#: (code points), sorted by end.
TagSource = Callable[[int, int], Sequence[Tag]]


def heads_in_words(relation_type: RelationType) -> str:
    """What a relation starts from, in words: "claim", "faction or source"."""
    return " or ".join(label.lower() for label in relation_type.head_labels)


def attribute_mark(attribute_type: AttributeType, value: str) -> str:
    """How a value shows in a claim's tag: nothing for the default, else the attribute's
    key (or initial), with the value's initial for a choice of more than two values."""
    if value == attribute_type.default:
        return ""
    mark = (attribute_type.key or attribute_type.name[:1]).upper()
    if len(attribute_type.values) > 2:
        mark += value[:1].lower()
    return mark


class ClaimLinks:
    """One annotator's relations and attribute values on the open article, by span id,
    with the scheme that types them."""

    def __init__(
        self,
        relations: Iterable[Relation] = (),
        values: Iterable[AttributeValue] = (),
        relation_types: Sequence[RelationType] = (),
        attribute_types: Sequence[AttributeType] = (),
    ):
        self.relation_types = list(relation_types)
        self.attribute_types = list(attribute_types)
        self._types_of: dict[str, list[AttributeType]] = {}
        for attribute_type in self.attribute_types:
            self._types_of.setdefault(attribute_type.label, []).append(attribute_type)
        # The claims: spans that have sources (or other relations from them) and numbers,
        # and a hollow tag while they have none.
        self.head_labels: frozenset[str] = frozenset(
            label for t in self.relation_types for label in t.head_labels
        )
        # Spans that carry values: their tag shows the values that are not the default.
        self.valued_labels: frozenset[str] = frozenset(self._types_of)
        self.relations: list[Relation] = []
        self._values: dict[int, dict[str, AttributeValue]] = {}
        self._heads: dict[int, list[Relation]] = {}
        self._children: dict[int, list[Relation]] = {}
        self.numbers: dict[int, int] = {}  # claim span id -> its number in the text
        self._set(relations, values)

    def _set(self, relations: Iterable[Relation], values: Iterable[AttributeValue]) -> None:
        self.relations = list(relations)
        self._values = {}
        for value in values:
            self._values.setdefault(value.span, {})[value.name] = value
        self._heads, self._children = {}, {}
        for relation in self.relations:
            self._heads.setdefault(relation.head, []).append(relation)
            self._children.setdefault(relation.child, []).append(relation)

    def empty(self) -> ClaimLinks:
        """No links, the same scheme."""
        return ClaimLinks((), (), self.relation_types, self.attribute_types)

    def touches(self, span_ids: Iterable[int | None]) -> bool:
        """Whether any of these spans has a relation or a value."""
        return any(i in self._heads or i in self._children or i in self._values for i in span_ids)

    def replace_spans(self, gone: set[int], links: SpanLinks) -> None:
        """Spans ``gone`` were removed or changed; ``links`` are what the store holds now on
        the changed and added ones."""
        known = {r.id for r in links.relations}
        relations = [
            r
            for r in self.relations
            if r.head not in gone and r.child not in gone and r.id not in known
        ]
        values = [
            v for by_name in self._values.values() for v in by_name.values() if v.span not in gone
        ]
        self._set([*relations, *links.relations], [*values, *links.attributes])

    # -- the scheme ------------------------------------------------------------------------

    def relation_type(self, name: str) -> RelationType | None:
        return next((t for t in self.relation_types if t.name == name), None)

    def attributes_of(self, label: str) -> list[AttributeType]:
        return self._types_of.get(label, [])

    # -- reading ---------------------------------------------------------------------------

    def sources_of(self, span_id: int | None, label: str | None = None) -> list[Relation]:
        """The relations from this claim (to its sources), of ``label`` or every type."""
        found = self._heads.get(span_id, []) if span_id is not None else []
        return [r for r in found if label is None or r.label == label]

    def claims_of(self, span_id: int | None) -> list[Relation]:
        """The relations to this span (it is the source of their claims)."""
        return self._children.get(span_id, []) if span_id is not None else []

    def held_values(self, span_id: int | None) -> list[AttributeValue]:
        """The values stored on the span (the others are the defaults)."""
        return list(self._values.get(span_id, {}).values()) if span_id is not None else []

    def value(self, span_id: int | None, name: str) -> AttributeValue | None:
        """The stored value of attribute ``name`` on the span, or ``None`` (the default)."""
        return self._values.get(span_id, {}).get(name) if span_id is not None else None

    def values(self, span: Span) -> list[tuple[AttributeType, str, AttributeValue | None]]:
        """Each attribute of the span's label: its type, the value (stored or default), and
        the stored value."""
        stored = self._values.get(span.id, {}) if span.id is not None else {}
        return [
            (t, stored[t.name].value if t.name in stored else t.default, stored.get(t.name))
            for t in self.attributes_of(span.label)
        ]

    # -- what the window shows -------------------------------------------------------------

    def number_claims(self, spans: Sequence[Span]) -> dict[int, Span]:
        """Number the claims among ``spans`` that have a source, in text order: 1, 2, 3 …;
        returns the spans that have links (claims with sources, sources), by id."""
        heads, children = self._heads, self._children
        self.numbers = {}
        linked: dict[int, Span] = {}
        number = 0
        for span in spans:
            span_id = span.id
            if span_id in heads:
                number += 1
                self.numbers[span_id] = number
                linked[span_id] = span
            elif span_id in children:
                linked[span_id] = span  # type: ignore[index]
        return linked

    def claim_tag(self, span: Span, confirmed: bool) -> Tag | None:
        """The tag of ``span`` as a claim (its number and marks), or ``None`` if it is none.
        A span whose label has attributes but heads no relation shows its marks alone.
        ``confirmed``: the article is done."""
        heads = span.label in self.head_labels
        if not (heads or span.label in self.valued_labels) or span.id is None:
            return None
        relations = self._heads.get(span.id, ())
        values = self._values.get(span.id)
        number = self.numbers.get(span.id)
        text = str(number) if number is not None else NO_SOURCE if heads else ""
        suggested = any(r.origin == "model" for r in relations)
        if values:
            marks = "".join(
                attribute_mark(t, values[t.name].value)
                for t in self.attributes_of(span.label)
                if t.name in values
            )
            text = f"{text} {marks}".strip() if marks else text
            suggested = suggested or any(v.origin == "model" for v in values.values())
        if not text:
            return None  # no relation to have, every value the default
        return Tag(
            span.id,
            span.end,
            text,
            CLAIM_TAG,
            span.label,
            confirmed or not suggested,
            bool(relations) or not heads,
        )

    def tags(self, spans: Iterable[Span], confirmed: bool) -> list[Tag]:
        """The tags of the claims and sources among ``spans`` (numbered first with
        ``number_claims``), in the order of their ends. ``confirmed``: the article is done."""
        found: list[Tag] = []
        children = self._children
        for span in spans:
            span_id = span.id
            if span_id is None:
                continue
            tag = self.claim_tag(span, confirmed)
            if tag is not None:
                found.append(tag)
            if span_id in children:
                claims = self._claim_numbers(span_id)
                if claims:
                    suggested = all(r.origin == "model" for r in children[span_id])
                    text = ",".join(str(n) for n in claims)
                    found.append(
                        Tag(
                            span_id,
                            span.end,
                            text,
                            SOURCE_TAG,
                            span.label,
                            confirmed or not suggested,
                        )
                    )
        found.sort(key=lambda tag: tag.end)
        return found

    def tags_between(
        self, spans: Sequence[Span], start: int, end: int, confirmed: bool
    ) -> list[Tag]:
        """``tags`` of the spans that end in ``(start, end]`` (one paragraph): ``spans`` in
        text order, a ``SpanList`` finds them by bisection."""
        near = overlapping(spans, start, end)
        return self.tags((s for s in near if start < s.end <= end), confirmed)

    def _claim_numbers(self, span_id: int | None, label: str | None = None) -> list[int]:
        """The numbers of the claims ``span_id`` is the source of (by relations of
        ``label``, or of every type), in order."""
        return sorted(
            self.numbers[r.head]
            for r in self.claims_of(span_id)
            if r.head in self.numbers and (label is None or r.label == label)
        )

    def describe(self, span: Span, text: str, spans_by_id: Mapping[int, Span]) -> str:
        """What the span list says of a span's links: the attribute values of a claim and
        its ``source: …`` (``denied · hedged · source: …``), ``source of 2, 5`` for a
        source; each relation by its type's name. The values first: short, and what a
        narrow column cut out of "source: Kurdish-led … · denied" was "denied"."""
        parts = [
            value if attribute_type.kind != "flag" else attribute_type.name
            for attribute_type, value, _ in self.values(span)
            if value != attribute_type.default
        ]
        relations = self.sources_of(span.id)
        for name in dict.fromkeys(r.label for r in relations):
            names = [
                excerpt(spans_by_id[r.child].text(text), 40)
                for r in relations
                if r.label == name and r.child in spans_by_id
            ]
            parts.append(f"{name}: " + "; ".join(names))
        if not relations and span.label in self.head_labels:
            types = [t.name for t in self.relation_types if span.label in t.head_labels]
            parts.append("no " + " or ".join(types))
        for name in dict.fromkeys(r.label for r in self.claims_of(span.id)):
            numbers = self._claim_numbers(span.id, name)
            if numbers:
                parts.append(f"{name} of " + ", ".join(str(n) for n in numbers))
        return " · ".join(parts)
