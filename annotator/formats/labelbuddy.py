"""``labelbuddy``: labelbuddy's export (JSON Lines or JSON), read.

A document is ``{"text", "metadata", "display_title", "list_title",
"utf8_text_md5_checksum", "annotation_approver", "annotations": [{"start_char",
"end_char", "label_name", "extra_data", "utf8_start_byte", "utf8_end_byte"}]}``, offsets
``start_char``/``end_char`` in code points (labelbuddy's documentation, "Exporting
annotations"). The annotations are one annotator's: ``annotation_approver``, else
``--annotator``'s. A document with an empty ``annotations`` list was not annotated (labelbuddy
exports those too when asked): its text alone is imported, not marked done.

``metadata`` is the article's metadata (its ``title``, ``url``, ``source``, ``published``
the article's own), ``display_title`` its title where the metadata has none. A span has no
note in this program: each annotation's ``extra_data`` (labelbuddy's free text on a span)
is kept in the article's metadata, under ``labelbuddy_extra_data``, with the span's place
and label. A text whose MD5 is not the checksum beside it was changed after labelbuddy
counted the offsets: refused. It was taken for Label Studio's, and refused ("annotation 1
has no 'result'").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.model import Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.article_fields import article_from
from annotator.formats.base import Annotation, Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import first_records, named_json_records
from annotator.formats.records import BadValue, label, name, offset

CHECKSUM = "utf8_text_md5_checksum"
#: Where a span's ``extra_data`` is kept, in the article's metadata.
EXTRA_DATA = "labelbuddy_extra_data"
#: The keys of a document of labelbuddy's export: all others are the article's metadata.
_KNOWN = frozenset(
    {"text", "metadata", "display_title", "list_title", CHECKSUM, "annotation_approver",
     "annotations"}
)  # fmt: skip


def read_labelbuddy(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for line, element, record in named_json_records(path):
        if isinstance(record, Invalid):
            yield record
            continue
        try:
            yield replace(_document(record, line), record=element)
        except BadValue as error:
            yield Invalid(FormatError(path, str(error), line, element))


def _document(record: Any, line: int) -> ImportedDocument:
    if not isinstance(record, dict):
        raise BadValue("expected a JSON object")
    raw_text = record.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise BadValue(
            'document has no "text": export it from labelbuddy with the documents\' text'
        )
    checksum = record.get(CHECKSUM)
    if checksum is not None and checksum != hashlib.md5(raw_text.encode("utf-8")).hexdigest():
        raise BadValue(
            f"the text's MD5 is not its {CHECKSUM} ({checksum}): the text was changed after "
            "labelbuddy exported it, and its offsets may not fit"
        )
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadValue('"metadata" must be an object')
    meta = {**{k: v for k, v in record.items() if k not in _KNOWN}, **metadata}
    fields = dict(metadata)
    for title in ("display_title", "list_title"):
        if fields.get("title") is None and isinstance(record.get(title), str):
            fields["title"] = record[title]
    items = record.get("annotations") or []
    if not isinstance(items, list):
        raise BadValue('"annotations" must be a list')
    spans, extra = _spans(items, raw_text)
    if extra:
        meta[EXTRA_DATA] = extra
    article = article_from(normalize_newlines(raw_text), fields, meta)
    who = name(record.get("annotation_approver"), "annotation_approver")
    made = (Annotation(who, spans),) if spans else ()
    return ImportedDocument(article, made, line)


def _spans(items: list[Any], raw_text: str) -> tuple[list[Span], list[dict[str, Any]]]:
    """The annotations' spans (code points), and the ``extra_data`` of those that have one."""
    to_stored = newline_offset_map(raw_text) if "\r" in raw_text else None
    spans: list[Span] = []
    extra: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        where = f"annotation {number}"
        if not isinstance(item, dict) or not {"start_char", "end_char"} <= item.keys():
            raise BadValue(f"{where} needs start_char, end_char and label_name")
        start = offset(item["start_char"], f"{where}'s start_char")
        end = offset(item["end_char"], f"{where}'s end_char")
        span_label = label(item.get("label_name"), f"{where}'s label_name")
        if not 0 <= start < end <= len(raw_text):
            raise BadValue(
                f"{where} ({start}-{end}) is empty, reversed or outside the text "
                f"({len(raw_text)} characters)"
            )
        if to_stored is not None:
            start, end = to_stored(start), to_stored(end)
        spans.append(Span(start, end, span_label, "human"))
        if item.get("extra_data") not in (None, ""):
            extra.append(
                {"start": start, "end": end, "label": span_label, "extra_data": item["extra_data"]}
            )
    return spans, extra


def looks_like_labelbuddy(record: Any) -> bool:
    """A document of labelbuddy's export: its checksum, or annotations with ``start_char``."""
    if not isinstance(record, dict):
        return False
    if CHECKSUM in record:
        return True
    items = record.get("annotations")
    return (
        isinstance(items, list)
        and bool(items)
        and isinstance(items[0], dict)
        and {"start_char", "end_char", "label_name"} <= items[0].keys()
    )


LABELBUDDY = Format(
    "labelbuddy",
    "labelbuddy's export (text, metadata, annotations: start_char, end_char, label_name)",
    (".jsonl", ".json"),
    read_labelbuddy,
    None,
    detect=lambda path: any(looks_like_labelbuddy(r) for r in first_records(path)),
    holds=frozenset(),
)
