"""The open article's claim links, as the window shows them: who is the source of which
claim, each claim's attribute values, and the tags drawn in the text (no Qt here).

Claims are numbered in text order (1, 2, 3 …). The text shows each claim's number in a
small tag after its last character, followed by marks for the attribute values that are not
the default (the attribute's key: ``D`` denied, ``H`` hedged, ``Q`` quote); each source span
shows the numbers of the claims it is the source of. So ``…were killed ³ᴰ`` and ``the army
³`` read together at a glance, and a claim with no source has a grey tag.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.model import Span
from annotator.core.relations import AttributeType, AttributeValue, Relation, RelationType

#: Kinds of tag.
CLAIM_TAG, SOURCE_TAG = "claim", "source"


@dataclass(frozen=True, slots=True)
class Tag:
    """A small label drawn after the last character of a span (``end``, code points)."""

    end: int
    text: str
    kind: str  # CLAIM_TAG or SOURCE_TAG
    label: str  # the span's label: its colour
    confirmed: bool  # False: a suggestion not confirmed yet (drawn dashed)
    linked: bool = True  # False: a claim without a source (drawn grey)


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
        self.relations = list(relations)
        self._values: dict[int, dict[str, AttributeValue]] = {}
        for value in values:
            self._values.setdefault(value.span, {})[value.name] = value
        self._heads: dict[int, list[Relation]] = {}
        self._children: dict[int, list[Relation]] = {}
        for relation in self.relations:
            self._heads.setdefault(relation.head, []).append(relation)
            self._children.setdefault(relation.child, []).append(relation)
        self.numbers: dict[int, int] = {}  # claim span id -> its number in the text

    # -- the scheme ------------------------------------------------------------------------

    @property
    def head_labels(self) -> set[str]:
        """Labels of the spans that have sources (and numbers): the claims."""
        return {label for t in self.relation_types for label in t.head_labels} | {
            t.label for t in self.attribute_types
        }

    def relation_type(self, name: str) -> RelationType | None:
        return next((t for t in self.relation_types if t.name == name), None)

    def attributes_of(self, label: str) -> list[AttributeType]:
        return [t for t in self.attribute_types if t.label == label]

    # -- reading ---------------------------------------------------------------------------

    def sources_of(self, span_id: int | None, label: str | None = None) -> list[Relation]:
        """The relations from this claim (to its sources), of ``label`` or every type."""
        found = self._heads.get(span_id, []) if span_id is not None else []
        return [r for r in found if label is None or r.label == label]

    def claims_of(self, span_id: int | None) -> list[Relation]:
        """The relations to this span (it is the source of their claims)."""
        return self._children.get(span_id, []) if span_id is not None else []

    def value(self, span_id: int | None, name: str) -> AttributeValue | None:
        """The stored value of attribute ``name`` on the span, or ``None`` (the default)."""
        return self._values.get(span_id, {}).get(name) if span_id is not None else None

    def values(self, span: Span) -> list[tuple[AttributeType, str, AttributeValue | None]]:
        """Each attribute of the span's label: its type, the value (stored or default), and
        the stored value."""
        found = []
        for attribute_type in self.attributes_of(span.label):
            stored = self.value(span.id, attribute_type.name)
            found.append(
                (attribute_type, stored.value if stored else attribute_type.default, stored)
            )
        return found

    # -- what the window shows -------------------------------------------------------------

    def number_claims(self, spans: Sequence[Span]) -> None:
        """Number the claims among ``spans`` (in text order) 1, 2, 3 …"""
        heads = self.head_labels
        self.numbers = {}
        for span in spans:
            if span.label in heads and span.id is not None:
                self.numbers[span.id] = len(self.numbers) + 1

    def tags(self, spans: Sequence[Span], confirmed: bool) -> list[Tag]:
        """The tags of the claims and sources among ``spans`` (numbered first with
        ``number_claims``), in the order of their ends. ``confirmed``: the article is done."""
        found: list[Tag] = []
        for span in spans:
            if span.id is None:
                continue
            number = self.numbers.get(span.id)
            if number is not None:
                marks = "".join(attribute_mark(t, v) for t, v, _ in self.values(span))
                relations = self.sources_of(span.id)
                stored = [v for _, _, v in self.values(span) if v is not None]
                suggested = any(r.origin == "model" for r in relations) or any(
                    v.origin == "model" for v in stored
                )
                text = f"{number} {marks}" if marks else str(number)
                found.append(
                    Tag(
                        span.end,
                        text,
                        CLAIM_TAG,
                        span.label,
                        confirmed or not suggested,
                        bool(relations),
                    )
                )
            claims = [
                self.numbers[r.head] for r in self.claims_of(span.id) if r.head in self.numbers
            ]
            if claims:
                suggested = all(r.origin == "model" for r in self.claims_of(span.id))
                found.append(
                    Tag(
                        span.end,
                        ",".join(str(n) for n in claims),
                        SOURCE_TAG,
                        span.label,
                        confirmed or not suggested,
                    )
                )
        found.sort(key=lambda tag: tag.end)
        return found

    def _claim_numbers(self, span_id: int | None) -> list[int]:
        """The numbers of the claims ``span_id`` is the source of, in order."""
        return sorted(
            self.numbers[r.head] for r in self.claims_of(span_id) if r.head in self.numbers
        )

    def describe(self, span: Span, text: str, spans_by_id: dict[int, Span]) -> str:
        """What the span list says of a span's links: ``source: …`` and the attribute
        values of a claim (``denied · hedged · quote``), ``source of 2, 5`` for a source."""
        parts = []
        relations = self.sources_of(span.id)
        if relations:
            names = [
                _quote(spans_by_id[r.child].text(text)) for r in relations if r.child in spans_by_id
            ]
            parts.append("source: " + "; ".join(names))
        elif span.id in self.numbers:
            parts.append("no source")
        for attribute_type, value, _ in self.values(span):
            if value != attribute_type.default:
                parts.append(value if attribute_type.kind != "flag" else attribute_type.name)
        claims = sorted(
            self.numbers[r.head] for r in self.claims_of(span.id) if r.head in self.numbers
        )
        if claims:
            parts.append("source of " + ", ".join(str(n) for n in claims))
        return " · ".join(parts)


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tags_within(tags: Sequence[Tag], ends: Sequence[int], start: int, end: int) -> list[Tag]:
    """The tags whose span ends in ``(start, end]`` (``ends``: the tags' ends, sorted)."""
    return list(tags[bisect_left(ends, start + 1) : bisect_left(ends, end + 1)])
