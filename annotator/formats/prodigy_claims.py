"""Who claims what in Prodigy tasks (``jsonl``): relations as ``rel.manual`` writes them and
each span's ``attributes`` object, laid out for a batch (``prodigy_export``)."""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any

import numpy as np

from annotator.formats.base import EncodedBatch
from annotator.formats.kb_links import attribute_types_of, relations_of, stored_attributes
from annotator.storage.export_items import ArticleBatch

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

#: Per span of a batch: the first and last token it touches, and whether it touches any.
Covering = tuple[np.ndarray, np.ndarray, np.ndarray]


def span_attributes(
    batch: ArticleBatch, labels: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray, list[bytes]] | None:
    """Per span, whether it has attribute values, and which of the distinct value sets (as
    JSON objects) it has; None when no span has any. ``labels`` codes each span's label by
    its index in ``names``. A span's set is its label's defaults unless values were stored
    on it: those spans alone are looked at one by one."""
    by_label = attribute_types_of(batch)
    stored = stored_attributes(batch)
    if not by_label and not any(stored):
        return None
    options: dict[bytes, int] = {}

    def option(values: dict[str, str]) -> int:
        return options.setdefault(_COMPACT(dict(sorted(values.items()))).encode(), len(options))

    defaults = {name: {t.name: t.default for t in by_label[name]} for name in by_label}
    has = np.array([bool(defaults.get(name)) for name in names] or [False])
    default = np.array([option(defaults[name]) if defaults.get(name) else 0 for name in names]
                       or [0])  # fmt: skip
    present = has[labels] if len(labels) else np.zeros(0, dtype=bool)
    which = default[labels] if len(labels) else np.zeros(0, dtype=np.int64)
    firsts = list(accumulate(batch.span_counts, initial=0))
    for i, rows in enumerate(stored):
        if not rows:
            continue
        of_span: dict[tuple[int, int, str], dict[str, str]] = {}
        for start, end, span_label, attribute, value in rows:
            of_span.setdefault((start, end, span_label), {})[attribute] = value
        for j in range(firsts[i], firsts[i + 1]):
            key = (batch.span_starts[j], batch.span_ends[j], batch.span_labels[j])
            if key in of_span:
                which[j] = option({**defaults.get(key[2], {}), **of_span[key]})
                present[j] = True
    if not present.any():
        return None
    return present, which, list(options)


def attribute_total(present: np.ndarray, which: np.ndarray, options: list[bytes]) -> int:
    """How many values the spans' attribute objects hold."""
    sizes = np.array([len(json.loads(option)) for option in options] or [0])
    return int(sizes[which[present]].sum())


def relations_json(
    batch: ArticleBatch, i: int, first: int, covering: Covering | None, encoded: EncodedBatch
) -> bytes:
    """Article ``i``'s relations as Prodigy's ``rel.manual`` writes them: ``head`` and
    ``child`` the last token of each span, ``head_span`` and ``child_span`` the spans."""
    where: dict[tuple[int, int, str], int] = {}
    for j in range(first, first + batch.span_counts[i]):
        where.setdefault((batch.span_starts[j], batch.span_ends[j], batch.span_labels[j]), j)
    relations = []
    for hs, he, hl, cs, ce, cl, relation_label in relations_of(batch)[i]:
        head, child = where.get((hs, he, hl)), where.get((cs, ce, cl))
        if head is None or child is None:
            continue
        relation: dict[str, Any] = {}
        if covering is not None and covering[2][head] and covering[2][child]:
            relation["head"] = int(covering[1][head])
            relation["child"] = int(covering[1][child])
        relation["head_span"] = _relation_span(hs, he, hl, head, covering)
        relation["child_span"] = _relation_span(cs, ce, cl, child, covering)
        relation["label"] = relation_label
        relations.append(relation)
    encoded.counts["relations"] += len(relations)
    return b',"relations":' + _COMPACT(relations).encode()


def _relation_span(
    start: int, end: int, label: str, j: int, covering: Covering | None
) -> dict[str, Any]:
    span: dict[str, Any] = {"start": start, "end": end}
    if covering is not None and covering[2][j]:
        span["token_start"] = int(covering[0][j])
        span["token_end"] = int(covering[1][j])
    span["label"] = label
    return span
