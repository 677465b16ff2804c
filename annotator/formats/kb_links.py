"""What exported spans link to: their knowledge-base entries, the spans they are related to
(a claim and its source) and their attribute values, carried to the writers.

The project's reads for export (``storage.exports``) give spans without their links; an
export adds them here from ``storage.links.links_between`` (and ``verdicts_between``) and
``storage.claim_exports.claims_between`` (a few queries per batch). A batch with links is a
``LinkedBatch``: the ``ArticleBatch`` with a ``kb_id`` per span (``""`` for none), the
linker's verdict on each span without one (``"generic"``, ``"ambiguous"``, ``"unknown"``;
``""`` for none), and each article's relations and attribute values by span value,
travelling with it to worker processes. Writers write attribute values *effective*
(``effective_attributes``): every attribute of the scheme on every span of its label, the
stored value or else the default, so that a file says what each claim is without the reader
knowing the defaults.

The forms of an entry's id in the formats:

- JSONL (Prodigy), spaCy, Label Studio, GeoJSON: the id as stored, ``geonames:168519``,
  ``geonames:admin1:SY.12``, ``wikidata:Q41053``, ``annotator:…``, ``project:…``;
- brat: a normalization's ``DB:ID``, ``GeoNames:168519``, ``GeoNamesAdmin1:SY.12``,
  ``Wikidata:Q41053``, ``ConflictActors:…``, ``ProjectActors:…`` (``brat_reference`` and
  ``stored_reference`` turn one into the other; another tool's database is kept as it is).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from annotator.core.model import Span
from annotator.core.relations import AttributeType, RelationType, SpanAttribute, SpanRelation
from annotator.storage import Store
from annotator.storage.claim_exports import (
    AttributeRow,
    RelationRow,
    claims_between,
    holds_relations,
)
from annotator.storage.export_items import AnnotatedArticle, ArticleBatch
from annotator.storage.links import LINKED, links_between, verdicts_between


@dataclass(frozen=True)
class ClaimTypes:
    """The project's relation and attribute scheme, for the writers that declare it (brat's
    ``annotation.conf``, Label Studio's labeling config) or choose their shape by it
    (doccano's relation format): ``Format.scheme``."""

    relation_types: tuple[RelationType, ...] = ()
    attribute_types: tuple[AttributeType, ...] = ()
    #: Whether some annotator of the project has made a relation.
    in_use: bool = False

    @classmethod
    def of(cls, store: Store) -> ClaimTypes:
        return cls(
            tuple(store.relation_types()), tuple(store.attribute_types()), holds_relations(store)
        )

    def attribute(self, name: str) -> AttributeType | None:
        return next((t for t in self.attribute_types if t.name == name), None)


@dataclass(frozen=True, slots=True)
class LinkedBatch(ArticleBatch):
    """An ``ArticleBatch`` whose spans carry their entries (``span_kb_ids[j]`` for span ``j``)
    or the linker's verdict where they have none (``span_verdicts[j]``), and whose articles
    carry their relations and stored attribute values (``relations[i]``, ``attributes[i]``
    for article ``i``, by span value), with the scheme's attributes that make the values
    effective (``effective_attributes``)."""

    span_kb_ids: list[str] = field(default_factory=list)
    span_verdicts: list[str] = field(default_factory=list)
    relations: list[list[RelationRow]] = field(default_factory=list)
    attributes: list[list[AttributeRow]] = field(default_factory=list)
    attribute_types: tuple[AttributeType, ...] = ()

    @classmethod
    def of(cls, items: Sequence[AnnotatedArticle]) -> LinkedBatch:
        """The batch of these articles (their values taken as they are: effective)."""
        plain = ArticleBatch.of(items)
        spans = [span for item in items for span in item.spans]
        return cls(
            **_fields(plain),
            span_kb_ids=[span.kb_id for span in spans],
            span_verdicts=[_verdict(span.kb_id, span.link_status) for span in spans],
            relations=[[relation_row(r) for r in item.relations] for item in items],
            attributes=[[attribute_row(a) for a in item.attributes] for item in items],
        )

    def items(self, attributes: bool = True) -> list[AnnotatedArticle]:
        """The articles with their links; without attribute values if not ``attributes``
        (for writers with no place for them)."""
        items = ArticleBatch.items(self)
        kb_ids = iter(self.span_kb_ids)
        verdicts = iter(verdicts_of(self))
        relations = relations_of(self)
        values = effective_attributes(self) if attributes else [[] for _ in items]
        return [
            dataclasses.replace(
                item,
                spans=[_linked(span, next(kb_ids), next(verdicts)) for span in item.spans],
                relations=[span_relation(row) for row in relations[i]],
                attributes=[span_attribute(row) for row in values[i]],
            )
            for i, item in enumerate(items)
        ]

    def select(self, indices: Sequence[int]) -> LinkedBatch:
        firsts = list(accumulate(self.span_counts, initial=0))
        spans = [j for i in indices for j in range(firsts[i], firsts[i + 1])]
        verdicts = verdicts_of(self)
        return LinkedBatch(
            **_fields(ArticleBatch.select(self, indices)),
            span_kb_ids=[self.span_kb_ids[j] for j in spans],
            span_verdicts=[verdicts[j] for j in spans],
            relations=[self.relations[i] for i in indices] if self.relations else [],
            attributes=[self.attributes[i] for i in indices] if self.attributes else [],
            attribute_types=self.attribute_types,
        )


def _fields(batch: ArticleBatch) -> dict:
    return {f.name: getattr(batch, f.name) for f in dataclasses.fields(ArticleBatch)}


def kb_ids_of(batch: ArticleBatch) -> list[str]:
    """Each span's entry (``""`` for none); all empty for a batch loaded without links."""
    if isinstance(batch, LinkedBatch):
        return batch.span_kb_ids
    return [""] * len(batch.span_starts)


def verdicts_of(batch: ArticleBatch) -> list[str]:
    """The linker's verdict on each span without an entry (``""`` for none); all empty for a
    batch loaded without links."""
    if isinstance(batch, LinkedBatch) and batch.span_verdicts:
        return batch.span_verdicts
    return [""] * len(batch.span_starts)


def verdict_counts(spans: Iterable[Span]) -> Counter[str]:
    """The linker's verdicts on these spans without an entry, by verdict."""
    verdicts = (_verdict(span.kb_id, span.link_status) for span in spans)
    return Counter(verdict for verdict in verdicts if verdict)


def relations_of(batch: ArticleBatch) -> list[list[RelationRow]]:
    """Each article's relations; none for a batch loaded without links."""
    if isinstance(batch, LinkedBatch) and batch.relations:
        return batch.relations
    return [[] for _ in batch.ids]


def stored_attributes(batch: ArticleBatch) -> list[list[AttributeRow]]:
    """Each article's stored attribute values; none for a batch loaded without links."""
    if isinstance(batch, LinkedBatch) and batch.attributes:
        return batch.attributes
    return [[] for _ in batch.ids]


def attribute_types_of(batch: ArticleBatch) -> dict[str, list[AttributeType]]:
    """The scheme's attributes by the label they are on (none: values as they are)."""
    by_label: dict[str, list[AttributeType]] = {}
    for attribute_type in batch.attribute_types if isinstance(batch, LinkedBatch) else ():
        by_label.setdefault(attribute_type.label, []).append(attribute_type)
    return by_label


def effective_attributes(batch: ArticleBatch) -> list[list[AttributeRow]]:
    """Each article's values of every attribute on every span whose label has attributes:
    the stored value, else the attribute's default (for the writers that go article by
    article; JSON Lines lays them out with numpy)."""
    stored = stored_attributes(batch)
    by_label = attribute_types_of(batch)
    if not by_label:
        return stored
    found: list[list[AttributeRow]] = [[] for _ in stored]
    firsts = list(accumulate(batch.span_counts, initial=0))
    values = {
        (i, s, e, label, name): value
        for i, rows in enumerate(stored)
        for s, e, label, name, value in rows
    }
    seen: set[tuple[int, int, int, str]] = set()
    labels = batch.span_labels
    for j in (j for j, label in enumerate(labels) if label in by_label):
        i = bisect_right(firsts, j) - 1
        key = (i, batch.span_starts[j], batch.span_ends[j], labels[j])
        if key in seen:  # the same span twice: its values once
            continue
        seen.add(key)
        found[i] += [
            (*key[1:], t.name, values.get((*key, t.name), t.default)) for t in by_label[labels[j]]
        ]
    return found


def attribute_count(batch: ArticleBatch) -> int:
    """How many effective attribute values the batch's spans have."""
    by_label = attribute_types_of(batch)
    if not by_label:
        return sum(map(len, stored_attributes(batch)))
    per_label = Counter(batch.span_labels)
    return sum(n * len(by_label.get(label, ())) for label, n in per_label.items())


def with_links(batch: ArticleBatch, store: Store) -> LinkedBatch:
    """``batch`` with the links its annotators made on its spans: entries, relations and
    attribute values (stored; made effective with the scheme's attributes, which it carries)."""
    if not batch.ids:
        return LinkedBatch(**_fields(batch))
    first, last = min(batch.ids), max(batch.ids)
    found = links_between(store, first, last)
    judged = verdicts_between(store, first, last)
    relations, stored = claims_between(store, first, last, [a for a in batch.annotators if a])
    kb_ids: list[str] = []
    verdicts: list[str] = []
    firsts = list(accumulate(batch.span_counts, initial=0))
    for i, (article_id, annotator) in enumerate(zip(batch.ids, batch.annotators, strict=True)):
        links = found.get((article_id, annotator), {})
        said = judged.get((article_id, annotator), {})
        for j in range(firsts[i], firsts[i + 1]):
            key = (batch.span_starts[j], batch.span_ends[j], batch.span_labels[j])
            kb_ids.append(links.get(key, ""))
            verdicts.append(said.get(key, ""))
    pairs = list(zip(batch.ids, batch.annotators, strict=True))
    return LinkedBatch(
        **_fields(batch),
        span_kb_ids=kb_ids,
        span_verdicts=verdicts,
        relations=[relations.get(pair, []) for pair in pairs],
        attributes=[stored.get(pair, []) for pair in pairs],
        attribute_types=tuple(store.attribute_types()),
    )


def items_with_links(items: list[AnnotatedArticle], store: Store) -> list[AnnotatedArticle]:
    """``items`` with ``kb_id`` set on their linked spans (``link_status`` on those the
    linker judged without an entry), and their relations and (effective) attribute values."""
    if not items:
        return items
    ids = [item.article.id or 0 for item in items]
    found = links_between(store, min(ids), max(ids))
    judged = verdicts_between(store, min(ids), max(ids))
    relations, stored = claims_between(
        store, min(ids), max(ids), [item.annotator for item in items if item.annotator]
    )
    types = tuple(store.attribute_types())
    linked = []
    for article_id, item in zip(ids, items, strict=True):
        links = found.get((article_id, item.annotator), {})
        said = judged.get((article_id, item.annotator), {})
        if links or said:
            spans = [
                _linked(span, links.get(span.key, ""), said.get(span.key, ""))
                for span in item.spans
            ]
            item = dataclasses.replace(item, spans=spans)
        pair = (article_id, item.annotator)
        one = LinkedBatch(
            **_fields(ArticleBatch.of([item])),
            attributes=[stored.get(pair, [])],
            attribute_types=types,
        )
        item = dataclasses.replace(
            item,
            relations=[span_relation(r) for r in relations.get(pair, [])],
            attributes=[span_attribute(row) for row in effective_attributes(one)[0]],
        )
        linked.append(item)
    return linked


def relation_row(relation: SpanRelation) -> RelationRow:
    return (*relation.head.key, *relation.child.key, relation.label)


def attribute_row(attribute: SpanAttribute) -> AttributeRow:
    return (*attribute.span.key, attribute.name, attribute.value)


def span_relation(row: RelationRow) -> SpanRelation:
    hs, he, hl, cs, ce, cl, label = row
    return SpanRelation(Span(hs, he, hl), Span(cs, ce, cl), label)


def span_attribute(row: AttributeRow) -> SpanAttribute:
    start, end, label, name, value = row
    return SpanAttribute(Span(start, end, label), name, value)


def _linked(span: Span, kb_id: str, verdict: str = "") -> Span:
    status = LINKED if kb_id else verdict
    if (kb_id, status) == (span.kb_id, span.link_status):
        return span
    return dataclasses.replace(span, kb_id=kb_id, link_status=status)


def _verdict(kb_id: str, status: str) -> str:
    """The linker's verdict on a span without an entry; ``""`` for a linked span."""
    return "" if kb_id or status == LINKED else status


# -- brat's form ----------------------------------------------------------------------------

#: Stored prefix -> brat normalization database, most specific first.
BRAT_DATABASES = (
    ("geonames:admin1:", "GeoNamesAdmin1"),
    ("geonames:", "GeoNames"),
    ("wikidata:", "Wikidata"),
    ("annotator:", "ConflictActors"),
    ("project:", "ProjectActors"),
)


def brat_reference(kb_id: str) -> str:
    """``geonames:168519`` → ``GeoNames:168519`` (a normalization's ``DB:ID``)."""
    for prefix, database in BRAT_DATABASES:
        if kb_id.startswith(prefix):
            return f"{database}:{kb_id[len(prefix) :]}"
    return kb_id  # another tool's database:id, as it came


def stored_reference(reference: str) -> str:
    """``GeoNames:168519`` → ``geonames:168519``; another database's reference as it is."""
    database, _, rest = reference.partition(":")
    for prefix, known in BRAT_DATABASES:
        if database == known:
            return prefix + rest
    return reference
