"""``doccano``: JSON Lines of ``text`` and ``label: [[start, end, "LABEL"], ...]``.

Offsets are UTF-16 code units, because that is how doccano's annotation screen counts them
(doccano issue #2290): they equal code points except after characters outside the Basic
Multilingual Plane (most emoji), which count two. Projects set to "count grapheme clusters
as one character" are not supported.

Writing adds ``title``, ``source``, ``url``, ``published``, ``article_id``, ``annotator``
and, when the article has any, ``meta``: doccano keeps extra keys as the example's metadata.
Reading also accepts the ``entities`` (``start_offset``, ``end_offset``, ``label``) of
doccano's relation projects and the ``annotations`` of its older exports. Files from doccano
itself name no annotator (ours carry ``annotator``): give ``--annotator``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core.model import Label, Span
from annotator.core.offsets import Utf16Offsets
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import (
    AppendingWriter,
    EncodedBatch,
    Format,
    FormatError,
    ImportedDocument,
)
from annotator.formats.files import article_from, iter_json_lines, metadata_of
from annotator.storage.exports import AnnotatedArticle, ArticleBatch


def read_doccano(path: Path) -> Iterator[ImportedDocument]:
    for line, record in iter_json_lines(path):
        raw_text = record.get("text", record.get("data"))
        if not isinstance(raw_text, str) or not raw_text.strip():
            raise FormatError(path, 'record has no "text"', line)
        meta = record.get("meta") or {}
        if not isinstance(meta, dict):
            raise FormatError(path, '"meta" must be an object', line)
        article = article_from(normalize_newlines(raw_text), record, meta)
        triples = list(_triples(path, line, record))
        spans = _spans(path, line, triples, raw_text) if _has_labels(record) else None
        annotator = record.get("annotator")
        yield ImportedDocument(
            article, spans, annotator if isinstance(annotator, str) else None, line
        )


def _has_labels(record: dict[str, Any]) -> bool:
    return any(key in record for key in ("label", "labels", "entities", "annotations"))


def _triples(path: Path, line: int, record: dict[str, Any]) -> Iterator[tuple[Any, Any, Any]]:
    """(start, end, label) as the record gives them, whichever doccano shape it has."""
    labels = record.get("label", record.get("labels"))
    if labels is not None:
        if not isinstance(labels, list):
            raise FormatError(path, '"label" must be a list of [start, end, label]', line)
        for number, item in enumerate(labels, start=1):
            if isinstance(item, str):
                raise FormatError(
                    path, "labels are categories, not spans (a text classification file?)", line
                )
            if not isinstance(item, list | tuple) or len(item) != 3:
                raise FormatError(path, f"label {number} is not [start, end, label]", line)
            yield item[0], item[1], item[2]
    for key in ("entities", "annotations"):
        items = record.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise FormatError(path, f'"{key}" must be a list', line)
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise FormatError(path, f"{key} item {number} is not an object", line)
            yield item.get("start_offset"), item.get("end_offset"), item.get("label")


def _spans(path: Path, line: int, triples: list[tuple[Any, Any, Any]], raw_text: str) -> list[Span]:
    units = Utf16Offsets(raw_text)
    to_stored = newline_offset_map(raw_text)
    length = units.to_utf16(len(raw_text))
    spans = []
    for number, (raw_start, raw_end, label) in enumerate(triples, start=1):
        if not isinstance(raw_start, int) or not isinstance(raw_end, int) or label in (None, ""):
            raise FormatError(path, f"label {number} needs integer offsets and a label", line)
        if not 0 <= raw_start < raw_end <= length:
            raise FormatError(
                path, f"label {number} ({raw_start}-{raw_end}) lies outside the text", line
            )
        if units.splits_pair(raw_start) or units.splits_pair(raw_end):
            raise FormatError(
                path,
                f"label {number} ({raw_start}-{raw_end}) splits an emoji or other character "
                "outside the Basic Multilingual Plane (offsets are UTF-16 code units)",
                line,
            )
        start, end = units.from_utf16(raw_start), units.from_utf16(raw_end)
        spans.append(Span(to_stored(start), to_stored(end), str(label), origin="human"))
    return spans


def _looks_like_doccano(path: Path) -> bool:
    """A first record with doccano's span lists and no Prodigy ``spans``."""
    try:
        with path.open(encoding="utf-8-sig") as file:
            first = next((line for line in file if line.strip()), "")
        record = json.loads(first)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(record, dict) or "spans" in record:
        return False
    if isinstance(record.get("label", record.get("labels")), list):
        return True
    # "entities" and "annotations" are common words (the GUM eval data has "entities" of
    # its own): doccano's items carry start_offset.
    return any(
        isinstance(items, list)
        and (not items or (isinstance(items[0], dict) and "start_offset" in items[0]))
        for items in (record.get("entities"), record.get("annotations"))
    )


class DoccanoWriter(AppendingWriter):
    """One record per line, written a batch at a time (``encode_records``)."""

    def __init__(self, path: Path, labels: Sequence[Label]):
        super().__init__(path, encode_records)


def encode_records(batch: ArticleBatch) -> EncodedBatch:
    """The batch as doccano records, one per line."""
    return EncodedBatch(["".join(map(_record, batch.items())).encode()])


def _record(item: AnnotatedArticle) -> str:
    article = item.article
    units = Utf16Offsets(article.text)
    record: dict[str, Any] = {"text": article.text}
    if item.annotator:  # an article nobody annotated goes out without labels, to annotate
        record["label"] = [
            [span.start, span.end, span.label]
            if units.same
            else [units.to_utf16(span.start), units.to_utf16(span.end), span.label]
            for span in item.spans
        ]
        record["annotator"] = item.annotator
    record.update(metadata_of(article))
    record["article_id"] = article.id
    if article.meta:
        record["meta"] = article.meta
    return json.dumps(record, ensure_ascii=False) + "\n"


DOCCANO = Format(
    "doccano",
    "doccano JSON Lines (text, label: [[start, end, label]]; UTF-16 offsets)",
    (".jsonl", ".json"),
    read_doccano,
    DoccanoWriter,
    detect=_looks_like_doccano,
)
