"""Label Studio regions and JSON-MIN records (``labelstudio``): a ``labels`` region as
spans, and a JSON-MIN export's flat record (the data's fields, each control's regions under
its name) as a document. See ``labelstudio.py`` for the format."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.core.model import Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.article_fields import article_from
from annotator.formats.base import Annotation, ImportedDocument
from annotator.formats.labelstudio_export import DATA_KEY, FROM_NAME, TO_NAME
from annotator.formats.records import BadValue, label, name, offset

#: The fields of a JSON-MIN record that are not the task's data.
_MIN_FIELDS = frozenset(
    {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement",
     "history", "was_cancelled", "drafts", "predictions", "meta"}
)  # fmt: skip


#: How the report names the drafts left out: work saved in Label Studio, never submitted.
DRAFTS = "Label Studio drafts (saved, not submitted)"


def drafts_with_work(drafts: Any) -> int:
    """How many of a task's (or JSON-MIN record's) ``drafts`` hold results: they are not
    annotations (nobody submitted them), so they are left out, and counted, not dropped
    without a word. Empty ones, which Label Studio saves on its own, leave nothing out."""
    if not isinstance(drafts, list):
        return 0
    return sum(1 for draft in drafts if isinstance(draft, dict) and draft.get("result"))


def region_spans(where: str, value: dict[str, Any], raw_text: str, to_stored: Any) -> list[Span]:
    start = offset(value["start"], f"{where}: value.start")
    end = offset(value["end"], f"{where}: value.end")
    names = value["labels"]
    if not isinstance(names, list):
        raise BadValue(f"{where}: value.labels must be a list of label names, not {_shown(names)}")
    if not names:
        raise BadValue(f"{where}: value.labels is empty")
    labels = [label(item, f"{where}: a label") for item in names]
    if not 0 <= start < end <= len(raw_text):
        if start >= end and start >= 0 and end <= len(raw_text):
            raise BadValue(f"{where} ({start}-{end}) is empty or reversed")
        raise BadValue(f"{where} ({start}-{end}) lies outside the text")
    stated = value.get("text")
    if stated is not None and normalize_newlines(str(stated)) != normalize_newlines(
        raw_text[start:end]
    ):
        raise BadValue(
            f"{where} ({start}-{end}) says {stated!r} but the text there is {raw_text[start:end]!r}"
        )
    return [Span(to_stored(start), to_stored(end), item, origin="human") for item in labels]


def min_record(path: Path, record: dict[str, Any], line: int, where: str) -> ImportedDocument:
    """A JSON-MIN record: the task's data, each control's regions under its name."""
    raw_text = record.get(DATA_KEY)
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise BadValue('no "text" in the record (a Label Studio task or JSON-MIN record)')
    not_held: Counter[str] = Counter()
    spans: list[Span] = []
    data: dict[str, Any] = {}
    control: str | None = None
    for key, value in record.items():
        if key == DATA_KEY or key in _MIN_FIELDS:
            continue
        if not is_regions(value):
            data[key] = value
            continue
        for number, region in enumerate(value, start=1):
            if "labels" in region and "start" in region and "end" in region:
                to_stored = newline_offset_map(raw_text)
                spans.extend(region_spans(f"{key} {number}", region, raw_text, to_stored))
                control = control or key
            elif "choices" in region:
                not_held["Label Studio choices results"] += 1
            else:
                not_held[f"Label Studio {key} results"] += 1
    meta = record["meta"] if isinstance(record.get("meta"), dict) else {}
    article = article_from(normalize_newlines(raw_text), data, {**meta, **data})
    annotated = spans or control or record.get("annotation_id") is not None
    sets: tuple[Annotation, ...] = ()
    if annotated and (spans or not not_held):
        who = record.get("annotator")
        who = (
            f"labelstudio-user-{who}" if isinstance(who, int) and not isinstance(who, bool) else who
        )
        sets = (Annotation(name(who, "annotator"), spans),)
    drafts = drafts_with_work(record.get("drafts"))
    if drafts:  # counted after deciding the annotation: they are not part of it
        not_held[DRAFTS] += drafts
    provenance: dict[str, Any] = {"from_name": control or FROM_NAME, "to_name": TO_NAME,
                                  "data_key": DATA_KEY}  # fmt: skip
    if isinstance(record.get("id"), int | str):
        provenance["id"] = record["id"]
    return ImportedDocument(
        article, sets, line, where, not_held=tuple(not_held.items()),
        provenance=("labelstudio", provenance),
    )  # fmt: skip


def is_regions(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    return json.dumps(value)[:40] if not isinstance(value, float) else str(value)
