"""What exported spans refer to: their knowledge-base entries, carried to the writers.

The project's reads for export (``storage.exports``) give spans without their links; an
export adds them here from ``storage.links.links_between`` (a query per batch: few spans are
linked). A batch with links is a ``LinkedBatch``: the ``ArticleBatch`` with a ``kb_id`` per
span (``""`` for none), travelling with it to worker processes.

The forms of an entry's id in the formats:

- JSONL (Prodigy), spaCy, Label Studio, GeoJSON: the id as stored, ``geonames:168519``,
  ``geonames:admin1:SY.12``, ``wikidata:Q41053``, ``annotator:…``, ``project:…``;
- brat: a normalization's ``DB:ID``, ``GeoNames:168519``, ``GeoNamesAdmin1:SY.12``,
  ``Wikidata:Q41053``, ``ConflictActors:…``, ``ProjectActors:…`` (``brat_reference`` and
  ``stored_reference`` turn one into the other; another tool's database is kept as it is).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from annotator.core.model import Span
from annotator.storage import Store
from annotator.storage.exports import AnnotatedArticle, ArticleBatch
from annotator.storage.links import links_between


@dataclass(frozen=True, slots=True)
class LinkedBatch(ArticleBatch):
    """An ``ArticleBatch`` whose spans carry their entries: ``span_kb_ids[j]`` for span ``j``."""

    span_kb_ids: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, items: Sequence[AnnotatedArticle]) -> LinkedBatch:
        plain = ArticleBatch.of(items)
        kb_ids = [span.kb_id for item in items for span in item.spans]
        return cls(**_fields(plain), span_kb_ids=kb_ids)

    def items(self) -> list[AnnotatedArticle]:
        items = ArticleBatch.items(self)
        kb_ids = iter(self.span_kb_ids)
        return [
            dataclasses.replace(
                item, spans=[dataclasses.replace(s, kb_id=next(kb_ids)) for s in item.spans]
            )
            for item in items
        ]

    def select(self, indices: Sequence[int]) -> LinkedBatch:
        firsts = list(accumulate(self.span_counts, initial=0))
        kb_ids = [self.span_kb_ids[j] for i in indices for j in range(firsts[i], firsts[i + 1])]
        return LinkedBatch(**_fields(ArticleBatch.select(self, indices)), span_kb_ids=kb_ids)


def _fields(batch: ArticleBatch) -> dict:
    return {f.name: getattr(batch, f.name) for f in dataclasses.fields(ArticleBatch)}


def kb_ids_of(batch: ArticleBatch) -> list[str]:
    """Each span's entry (``""`` for none); all empty for a batch loaded without links."""
    if isinstance(batch, LinkedBatch):
        return batch.span_kb_ids
    return [""] * len(batch.span_starts)


def with_links(batch: ArticleBatch, store: Store) -> LinkedBatch:
    """``batch`` with the links its annotators made on its spans."""
    if not batch.ids:
        return LinkedBatch(**_fields(batch))
    found = links_between(store, min(batch.ids), max(batch.ids))
    kb_ids: list[str] = []
    firsts = list(accumulate(batch.span_counts, initial=0))
    for i, (article_id, annotator) in enumerate(zip(batch.ids, batch.annotators, strict=True)):
        links = found.get((article_id, annotator), {})
        for j in range(firsts[i], firsts[i + 1]):
            key = (batch.span_starts[j], batch.span_ends[j], batch.span_labels[j])
            kb_ids.append(links.get(key, ""))
    return LinkedBatch(**_fields(batch), span_kb_ids=kb_ids)


def items_with_links(items: list[AnnotatedArticle], store: Store) -> list[AnnotatedArticle]:
    """``items`` with ``kb_id`` set on their linked spans."""
    if not items:
        return items
    ids = [item.article.id or 0 for item in items]
    found = links_between(store, min(ids), max(ids))
    linked = []
    for article_id, item in zip(ids, items, strict=True):
        links = found.get((article_id, item.annotator), {})
        if links:
            spans = [_linked(span, links.get(span.key, "")) for span in item.spans]
            item = dataclasses.replace(item, spans=spans)
        linked.append(item)
    return linked


def _linked(span: Span, kb_id: str) -> Span:
    return dataclasses.replace(span, kb_id=kb_id) if kb_id != span.kb_id else span


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
