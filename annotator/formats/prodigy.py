"""``jsonl`` / ``prodigy``: JSON Lines with ``text`` and optional metadata and ``spans``.

A record is Prodigy's task format: ``text``, optional ``title``, ``url``, ``source``,
``published``, ``meta`` and, for annotated data, ``spans`` of ``start``, ``end``, ``label``
(code-point offsets) with ``_annotator_id`` naming who made them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.model import Article, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import Format, FormatError, ImportedDocument
from annotator.formats.files import iter_json_lines

_METADATA = ("title", "url", "source", "published")


def read_jsonl(path: Path) -> Iterator[ImportedDocument]:
    for line, record in iter_json_lines(path):
        raw_text = record.get("text")
        if not isinstance(raw_text, str):
            raise FormatError(path, 'record has no "text" string', line)
        if not raw_text.strip():
            raise FormatError(path, 'record has an empty "text"', line)
        text = normalize_newlines(raw_text)
        meta = record.get("meta") or {}
        if not isinstance(meta, dict):
            raise FormatError(path, '"meta" must be an object', line)
        fields = {name: _string(record.get(name, meta.get(name, ""))) for name in _METADATA}
        article = Article(text=text, meta=meta, **fields)
        spans = None
        if "spans" in record and record.get("answer", "accept") != "reject":
            spans = _spans(path, line, record["spans"], raw_text, text)
        annotator = record.get("_annotator_id") or record.get("annotator")
        yield ImportedDocument(article, spans, _string(annotator) or None, line)


def _spans(path: Path, line: int, raw_spans: Any, raw_text: str, text: str) -> list[Span]:
    if not isinstance(raw_spans, list):
        raise FormatError(path, '"spans" must be a list', line)
    to_stored = newline_offset_map(raw_text)
    spans = []
    for number, item in enumerate(raw_spans, start=1):
        try:
            start, end, label = int(item["start"]), int(item["end"]), str(item["label"])
        except (KeyError, TypeError, ValueError):
            raise FormatError(
                path, f"span {number} needs integer start, end and a label", line
            ) from None
        if not 0 <= start < end <= len(raw_text):
            raise FormatError(
                path, f"span {number} ({start}-{end}) lies outside the text", line
            )
        stated = item.get("text") if isinstance(item, dict) else None
        if stated is not None and normalize_newlines(raw_text[start:end]) != normalize_newlines(
            str(stated)
        ):
            raise FormatError(
                path,
                f"span {number} ({start}-{end}) says {stated!r} but the text there is "
                f"{raw_text[start:end]!r}",
                line,
            )
        spans.append(Span(to_stored(start), to_stored(end), label, origin="human"))
    return spans


def _string(value: Any) -> str:
    return "" if value is None else str(value)


JSONL = Format(
    "jsonl",
    "JSON Lines in Prodigy's task format (text, meta, spans)",
    (".jsonl", ".ndjson"),
    read_jsonl,
    aliases=("prodigy",),
)
