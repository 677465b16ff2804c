"""How many annotations an import replaces, and how many of those it changed: the project's
work on an article compared, by a digest, before and after the import wrote it. A span
written again as it was keeps its origin (a file does not say it)."""

from __future__ import annotations

import json
from hashlib import blake2b

from annotator.formats.import_report import ImportReport
from annotator.storage import Store
from annotator.storage.import_records import known_negatives
from annotator.storage.imports import AnnotationRows, article_ids, keep_span_origins, span_origins

#: (article, annotator) -> (state, merged?, the spans' origins by extent and label)
Held = dict[tuple[int, str], tuple[bytes, bool, dict[tuple, str]]]


class Replaced:
    """Counts the annotations the project held that an import replaces (an annotator's spans,
    negatives or status on an article), and those it changed: their state after the import
    differs from before, the annotator's edits since an earlier import gone."""

    def __init__(self, report: ImportReport):
        self.report = report
        #: Decisions that combine (Prodigy's): compared once every record is in.
        self.pending: dict[tuple[int, str], bytes] = {}

    def before(self, store: Store, firsts: list[tuple[AnnotationRows, bool]]) -> Held:
        """The state of what the batch's first annotations of each text will replace."""
        ids = article_ids(store, (rows.text_hash for rows, _ in firsts))
        held: Held = {}
        for rows, merged in firsts:
            article_id = ids.get(rows.text_hash)
            if article_id is not None:
                state = _state(store, article_id, rows.annotator)
                if state is not None:
                    origins = span_origins(store, article_id, rows.annotator)
                    held[(article_id, rows.annotator)] = (state, merged, origins)
        self.report.replaced += len(held)
        return held

    def after(self, store: Store, held: Held) -> None:
        """Count what changed, and give the spans written again their origins back."""
        for key, (state, merged, origins) in held.items():
            keep_span_origins(store, *key, origins)
            if merged:
                self.pending[key] = state
            else:
                self.report.changed += _state(store, *key) != state

    def finish(self, store: Store) -> None:
        self.report.changed += sum(
            _state(store, *key) != state for key, state in self.pending.items()
        )


def _state(store: Store, article_id: int, annotator: str) -> bytes | None:
    """A digest of the annotator's work on the article (spans and what they refer to,
    negatives, relations, attribute values, status); None if there is none."""
    spans = store.spans(article_id, annotator)
    negatives = known_negatives(store, article_id, annotator)
    status = store.status(article_id, annotator).status
    if not spans and not negatives and status == "todo":
        return None
    work = store.claim_work(article_id, annotator)
    keys = [
        sorted((*span.key, span.kb_id or "", span.link_status or "") for span in spans),
        sorted(span.key for span in negatives),
        sorted(relation.key for relation in work.relations),
        sorted(value.key for value in work.attributes),
        status,
    ]
    return blake2b(json.dumps(keys, ensure_ascii=False).encode(), digest_size=16).digest()
