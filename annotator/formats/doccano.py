"""``doccano``: JSON Lines of ``text`` and ``label: [[start, end, "LABEL"], ...]``.

Offsets are UTF-16 code units, because that is how doccano's annotation screen counts them
(doccano issue #2290): they equal code points except after characters outside the Basic
Multilingual Plane (most emoji), which count two. Projects set to "count grapheme clusters
as one character" are not supported.

Writing adds ``title``, ``source``, ``url``, ``published``, ``article_id``, ``annotator``
and, when the article has any, ``meta``: doccano keeps extra keys as the example's metadata.
An article imported from doccano goes back with its ``Comments``. The file is UTF-8; doccano
drops overlapping spans unless the project allows them (the export report says both).

When the project holds relations (claim sources), every record is written in doccano's
relation format instead, what a sequence labeling project with relation labeling imports
and exports: ``entities`` (``id``, ``start_offset``, ``end_offset``, ``label``) and
``relations`` (``id``, ``from_id``, ``to_id``, ``type``: from the claim to its source).
doccano has no attributes: the export report counts the values not written.

Reading also accepts the ``entities`` (``start_offset``, ``end_offset``, ``label``, or
``[start, end, label]``) of doccano's relation and intent projects, the text under ``data``
and the ``annotations`` of its older exports; keys doccano does not know are the article's
metadata. doccano 1.x's ``annotations`` give each span's ``user`` (one annotation per user,
named by ``user_name``, else ``doccano-user-ID``) and its label as an id, with the name in
``label_name``: an id without its name is refused, since the names are only in the doccano
project. ``relations``
between entities with an ``id`` become relations (``from_id`` the head), where the project's
scheme has their ``type``. Categories (``cats``, or labels that are names rather than spans)
are not held: the import reports them, and a record with nothing but categories is not
marked done. Files from doccano itself name no annotator (ours carry ``annotator``, doccano
1.x's annotations their user): give ``--annotator``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from annotator.core.model import Label, Span
from annotator.core.offsets import Utf16Offsets
from annotator.core.relations import SpanRelation
from annotator.core.spans import has_overlap
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.article_fields import OVERRIDDEN, article_from, metadata_of, with_meta
from annotator.formats.base import (
    Annotation,
    AppendingWriter,
    EncodedBatch,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
)
from annotator.formats.files import first_records, named_json_records
from annotator.formats.kb_links import ClaimTypes, LinkedBatch
from annotator.formats.records import BadValue, label, name, offset
from annotator.storage.export_items import AnnotatedArticle, ArticleBatch

_SPAN_KEYS = ("label", "labels", "entities", "annotations")
#: Keys of a record that are not the example's metadata.
_KNOWN = frozenset(
    {"text", "data", *_SPAN_KEYS, "relations", "cats", "Comments", "id", "annotator", "meta"}
)  # fmt: skip


def read_doccano(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for line, element, record in named_json_records(path):
        if isinstance(record, Invalid):
            yield record
            continue
        try:
            yield replace(_record_of(record, line), record=element)
        except BadValue as error:
            yield Invalid(FormatError(path, str(error), line, element))


def _record_of(record: Any, line: int) -> ImportedDocument:
    if not isinstance(record, dict):
        raise BadValue("expected a JSON object")
    raw_text = record.get("text", record.get("data"))
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise BadValue('record has no "text"')
    meta = record.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BadValue('"meta" must be an object')
    extra = {
        key: value
        for key, value in record.items()
        if key not in _KNOWN or _foreign(key, value)  # a corpus's own "entities": metadata
    }
    merged, overridden = with_meta(extra, meta)
    article = article_from(normalize_newlines(raw_text), record, merged)
    triples, categories = _triples(record)
    not_held: Counter[str] = Counter({OVERRIDDEN: overridden} if overridden else {})
    if categories:
        not_held["doccano categories"] += categories
    spans = _spans(triples, raw_text)
    # doccano 1.x gives each annotation its user: one annotation per user, as in doccano
    record_annotator = name(record.get("annotator"), "annotator")
    groups: dict[str | None, list[int]] = {}
    for index, (*_, user) in enumerate(triples):
        groups.setdefault(user or record_annotator, []).append(index)
    if not groups:
        groups[record_annotator] = []
    relations = _relations(record.get("relations"), triples, spans, list(groups.values()), not_held)
    annotations: tuple[Annotation, ...] = ()
    if any(key in record for key in _SPAN_KEYS) and (triples or not categories):
        annotations = tuple(
            Annotation(who, [spans[i] for i in indices], relations=found)
            for (who, indices), found in zip(groups.items(), relations, strict=True)
        )
    provenance = {key: record[key] for key in ("Comments",) if record.get(key)}
    return ImportedDocument(
        article,
        annotations,
        line,
        not_held=tuple(not_held.items()),
        provenance=("doccano", provenance) if provenance else None,
    )


#: (start, end, label, id or None, the doccano 1.x user's name or None)
Entity = tuple[Any, Any, Any, Any, str | None]


def _triples(record: dict[str, Any]) -> tuple[list[Entity], int]:
    """(start, end, label, id, user) as the record gives them, whichever doccano shape it
    has, and how many categories (labels naming the whole text) it gives besides."""
    triples: list[Entity] = []
    categories = 0
    ids: set[Any] = set()
    cats = record.get("cats")
    if isinstance(cats, list):
        categories += len(cats)
    for key in _SPAN_KEYS:
        items = record.get(key)
        if items is None or _foreign(key, items):
            continue
        if not isinstance(items, list):
            raise BadValue(f'"{key}" must be a list')
        for number, item in enumerate(items, start=1):
            if isinstance(item, str):
                categories += 1  # a text classification label
            elif isinstance(item, list | tuple):
                if len(item) != 3:
                    raise BadValue(f"{key} {number} is not [start, end, label]")
                triples.append((item[0], item[1], item[2], None, None))
            elif isinstance(item, dict) and {"start_offset", "end_offset", "label"} <= item.keys():
                where = f"{key} {number}"
                if isinstance(item.get("id"), str | int):
                    if item["id"] in ids:  # a relation to it took the last one, unsaid
                        raise BadValue(f"{where}: the id {item['id']!r} is given twice")
                    ids.add(item["id"])
                triples.append(
                    (item["start_offset"], item["end_offset"], _label_of(item, where),
                     item.get("id"), _user_of(item, where))
                )  # fmt: skip
            else:
                raise BadValue(f"{key} {number} is not [start, end, label]")
    return triples, categories


def _label_of(item: dict[str, Any], where: str) -> Any:
    """The label's name: doccano 1.x gives its id in ``label``, the name in ``label_name``
    (when it gives it at all)."""
    if item.get("label_name") is not None:
        return item["label_name"]
    value = item["label"]
    if type(value) is int:
        raise BadValue(
            f"{where}'s label is an id ({value}), not a name: doccano 1.x exported label ids "
            "without label_name, and the names are in the doccano project's labels"
        )
    return value


def _user_of(item: dict[str, Any], where: str) -> str | None:
    """Whose annotation a doccano 1.x item is: its ``user_name``, else ``doccano-user-ID``."""
    who = name(item.get("user_name"), f"{where}'s user_name")
    if who is None and type(item.get("user")) is int:
        return f"doccano-user-{item['user']}"
    return who or name(item.get("user"), f"{where}'s user")


def _relations(
    raw: Any,
    triples: list[Entity],
    spans: list[Span],
    groups: list[list[int]],
    not_held: Counter[str],
) -> list[list[SpanRelation]]:
    """``relations`` between the record's entities, by their ``id`` (``from_id`` the head),
    for each group of entities (each annotator's): a relation goes with the group that
    holds both its ends."""
    found: list[list[SpanRelation]] = [[] for _ in groups]
    if raw is None or raw == []:
        return found
    if not isinstance(raw, list):
        raise BadValue('"relations" must be a list')
    by_id = [
        {
            triples[i][3]: spans[i]
            for i in indices
            if isinstance(triples[i][3], int | str) and not isinstance(triples[i][3], bool)
        }
        for indices in groups
    ]
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not {"from_id", "to_id", "type"} <= item.keys():
            raise BadValue(f"relation {number} needs from_id, to_id and type")
        kind = label(item["type"], f"relation {number}'s type")
        ends = (item["from_id"], item["to_id"])
        if not all(isinstance(end, int | str) and not isinstance(end, bool) for end in ends):
            raise BadValue(f"relation {number}'s from_id and to_id must be entity ids")
        for group, ids in enumerate(by_id):
            head, child = ids.get(ends[0]), ids.get(ends[1])
            if head is not None and child is not None:
                found[group].append(SpanRelation(head, child, kind))
                break
        else:
            not_held["doccano relations of entities not imported"] += 1
    return found


def _spans(triples: list[Entity], raw_text: str) -> list[Span]:
    units = Utf16Offsets(raw_text)
    to_stored = newline_offset_map(raw_text)
    length = units.to_utf16(len(raw_text))
    spans = []
    for number, (raw_start, raw_end, raw_label, *_) in enumerate(triples, start=1):
        start = offset(raw_start, f"label {number}'s start")
        end = offset(raw_end, f"label {number}'s end")
        span_label = label(raw_label, f"label {number}'s label")
        if not 0 <= start < end <= length:
            if start >= end and start >= 0 and end <= length:
                raise BadValue(f"label {number} ({start}-{end}) is empty or reversed")
            raise BadValue(f"label {number} ({start}-{end}) lies outside the text")
        if units.splits_pair(start) or units.splits_pair(end):
            raise BadValue(
                f"label {number} ({start}-{end}) splits an emoji or other character "
                "outside the Basic Multilingual Plane (offsets are UTF-16 code units)"
            )
        first, last = units.from_utf16(start), units.from_utf16(end)
        spans.append(Span(to_stored(first), to_stored(last), span_label, origin="human"))
    return spans


def looks_like_doccano(record: Any) -> bool:
    """A record with doccano's span lists (or its text under ``data``) and no Prodigy
    ``spans``."""
    if not isinstance(record, dict) or "spans" in record:
        return False
    labels = record.get("label", record.get("labels"))
    if isinstance(labels, list):
        # Label Studio's JSON-MIN keeps its regions (objects) under its control's name,
        # often "label": doccano's are [start, end, label] lists.
        return not (labels and all(isinstance(item, dict) and "labels" in item for item in labels))
    if isinstance(record.get("data"), str) and "text" not in record:  # doccano's older key
        return True
    # "entities" and "annotations" are common words (the GUM eval data has "entities" of
    # its own): doccano's items carry start_offset, or are [start, end, label].
    for items in (record.get("entities"), record.get("annotations")):
        if isinstance(items, list) and (not items or doccano_items(items)):
            return True
    return False


def doccano_items(items: list) -> bool:
    """Whether a list holds doccano's entities: objects with ``start_offset``, or
    ``[start, end, label]`` lists (the first item tells)."""
    first = items[0] if items else None
    return (isinstance(first, dict) and "start_offset" in first) or (
        isinstance(first, list) and len(first) == 3
    )


def is_doccano_file(path: Path) -> bool:
    """Does the file hold doccano's records? Its first records are looked at, not only the
    first: a text nobody labelled, exported first, has nothing of doccano's shape, and read
    as Prodigy tasks the file would lose every label after it. A record with Prodigy's
    ``spans`` among them makes it Prodigy's."""
    records = first_records(path)
    if any(isinstance(record, dict) and "spans" in record for record in records):
        return False
    if any(_entities_of_another_shape(record) for record in records):
        return False  # a corpus's own "entities" (GUM's start, end, etype): not doccano's
    return any(looks_like_doccano(record) for record in records)


def _entities_of_another_shape(record: Any) -> bool:
    """A record whose spans are only a corpus's own "entities" (not doccano's)."""
    if not isinstance(record, dict) or isinstance(record.get("label"), list):
        return False
    return _foreign("entities", record.get("entities"))


def _foreign(key: str, items: Any) -> bool:
    """Whether ``entities`` or ``annotations`` holds something else than doccano's spans
    (GUM's start, end, etype): the record's metadata then, not its spans."""
    return (
        key in ("entities", "annotations")
        and isinstance(items, list)
        and bool(items)
        and not doccano_items(items)
    )


class DoccanoWriter(AppendingWriter):
    """One record per line, written a batch at a time (``encode_records``)."""

    def __init__(self, path: Path, labels: Sequence[Label], scheme: ClaimTypes | None = None):
        relations = scheme is not None and scheme.in_use
        super().__init__(path, partial(encode_records, relations=relations))


def encode_records(batch: ArticleBatch, relations: bool = False) -> EncodedBatch:
    """The batch as doccano records, one per line; in the relation format if ``relations``."""
    # doccano has no place for attribute values: not made at all
    items = batch.items(attributes=False) if isinstance(batch, LinkedBatch) else batch.items()
    encoded = EncodedBatch(["".join(_record(item, relations) for item in items).encode()])
    encoded.counts["overlapping"] = sum(1 for item in items if has_overlap(item.spans))
    if relations:
        encoded.counts["relations"] = sum(len(item.relations) for item in items)
        encoded.counts["relation format"] = 1
    return encoded


def _record(item: AnnotatedArticle, relations: bool = False) -> str:
    article = item.article
    units = Utf16Offsets(article.text)
    record: dict[str, Any] = {"text": article.text}

    def utf16(offset: int) -> int:
        return offset if units.same else units.to_utf16(offset)

    if item.annotator and relations:  # doccano's relation format
        ids: dict[tuple[int, int, str], int] = {}
        record["entities"] = []
        for span in item.spans:
            ids.setdefault(span.key, len(record["entities"]))
            record["entities"].append(
                {"id": len(record["entities"]), "start_offset": utf16(span.start),
                 "end_offset": utf16(span.end), "label": span.label}
            )  # fmt: skip
        record["relations"] = [
            {"id": n, "from_id": ids[r.head.key], "to_id": ids[r.child.key], "type": r.label}
            for n, r in enumerate(item.relations)
        ]
        record["annotator"] = item.annotator
    elif item.annotator:  # an article nobody annotated goes out without labels, to annotate
        record["label"] = [
            [span.start, span.end, span.label]
            if units.same
            else [units.to_utf16(span.start), units.to_utf16(span.end), span.label]
            for span in item.spans
        ]
        record["annotator"] = item.annotator
    record.update(metadata_of(article))
    if "article_id" not in article.meta:  # (a scraper's own: it stays, in meta, alone)
        record["article_id"] = article.id
    if article.meta:
        record["meta"] = article.meta
    comments = (item.provenance or {}).get("Comments")
    if comments:
        record["Comments"] = comments
    return json.dumps(record, ensure_ascii=False) + "\n"


DOCCANO = Format(
    "doccano",
    "doccano JSON Lines (text, label: [[start, end, label]]; UTF-16 offsets)",
    (".jsonl", ".json"),
    read_doccano,
    DoccanoWriter,
    detect=is_doccano_file,
    scheme=True,
    holds=frozenset({"relations"}),
)
