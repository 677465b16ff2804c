"""How many annotations an import replaces, and how many of those it changed: the project's
work on an article compared, by a digest, before and after the import wrote it. A span
written again as it was keeps its origin (a file does not say it)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from hashlib import blake2b

from annotator.core.model import Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.formats.import_report import ImportReport
from annotator.storage import Store
from annotator.storage.import_records import known_negatives
from annotator.storage.imports import AnnotationRows, keep_span_origins, span_origins

#: (article, annotator) -> (state, the spans' origins by extent and label)
Held = dict[tuple[int, str], tuple[bytes, dict[tuple, str]]]


class Replaced:
    """Counts the annotations the project held that an import replaces (an annotator's spans,
    negatives or status on an article), and those it changed: their state after the import
    differs from before, the annotator's edits since an earlier import gone."""

    def __init__(self, report: ImportReport):
        self.report = report

    def before(self, store: Store, firsts: list[AnnotationRows], ids: Mapping[str, int]) -> Held:
        """The state of what the batch's first annotations of each text will replace (on the
        articles ``ids`` names by text hash)."""
        held: Held = {}
        for rows in firsts:
            article_id = ids.get(rows.text_hash)
            if article_id is not None:
                state = _state(store, article_id, rows.annotator)
                if state is not None:
                    origins = span_origins(store, article_id, rows.annotator)
                    held[(article_id, rows.annotator)] = (state, origins)
        self.report.replaced += len(held)
        return held

    def after(self, store: Store, held: Held) -> None:
        """Count what changed, and give the spans written again their origins back."""
        for key, (state, origins) in held.items():
            keep_span_origins(store, *key, origins)
            self.report.changed += _state(store, *key) != state


def unchanged(annotations: list[AnnotationRows], held: Held, ids: Mapping[str, int]) -> set[int]:
    """Which of ``annotations`` (by index) would replace an annotator's work (as ``held``
    before the batch) with the same work: writing them again changed nothing but the time,
    and a reviewed article then counted as changed since its review (re-importing an
    export marked every one so)."""
    same = set()
    for index, rows in enumerate(annotations):
        article_id = ids.get(rows.text_hash) if rows.replace else None
        stored = held.get((article_id, rows.annotator)) if article_id is not None else None
        if stored is None or rows.status is None:
            continue
        given = _digest(
            rows.spans, rows.negatives, rows.relations, rows.attributes, rows.status, rows.comment
        )
        if stored[0] == given:
            same.add(index)
    return same


def _state(store: Store, article_id: int, annotator: str) -> bytes | None:
    """A digest of the annotator's work on the article (spans and what they refer to,
    negatives, relations, attribute values, status and a flag's comment); None if there
    is none."""
    spans = store.spans(article_id, annotator)
    negatives = known_negatives(store, article_id, annotator)
    status = store.status(article_id, annotator)
    if not spans and not negatives and status.status == "todo":
        return None
    work = store.claim_work(article_id, annotator)
    return _digest(spans, negatives, work.relations, work.attributes, status.status, status.comment)


def _digest(
    spans: Sequence[Span],
    negatives: Sequence[Span],
    relations: Sequence[SpanRelation],
    attributes: Sequence[SpanAttribute],
    status: str,
    comment: str,
) -> bytes:
    keys = [
        sorted((*span.key, span.kb_id or "", span.link_status or "") for span in spans),
        sorted(span.key for span in negatives),
        sorted(relation.key for relation in relations),
        sorted(value.key for value in attributes),
        status,
        comment,
    ]
    return blake2b(json.dumps(keys, ensure_ascii=False).encode(), digest_size=16).digest()
