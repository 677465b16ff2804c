"""``jsonl`` / ``prodigy``: JSON Lines in Prodigy's task format.

A record holds ``text``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``: every
token of spaCy's blank English tokenizer, whitespace tokens included, so tokens and their
``ws`` rebuild the text exactly), ``spans`` (``start``, ``end``, ``label``, ``token_start``,
``token_end``, the last inclusive, as Prodigy counts), ``meta`` (title, source, url,
published, the article id and the article's own metadata), ``_annotator_id`` and ``answer``:
``"accept"`` for a finished version; ``"ignore"`` with ``_status`` (``in_progress``,
``skipped``, ``flagged``, and Prodigy's ``flagged: true``) for one that is not, so that
Prodigy's recipes never train on half-done work. Offsets are code points. Every span is
written, overlapping claims included; a span off token boundaries keeps its exact offsets
and its token indices cover the tokens it touches (the export report lists it). Lines are
compact JSON, as Prodigy writes its own. Exported without tokens (``annotator export
--no-tokens``), records have no ``tokens`` and spans no token indices: a recipe that needs
them tokenizes again. An article imported from Prodigy keeps its ``_input_hash`` and
``_task_hash``.

Who claims what, as Prodigy's ``rel.manual`` writes relations: a task whose claims have
sources carries ``relations``, each ``{"head": 12, "child": 3, "head_span": {"start",
"end", "token_start", "token_end", "label"}, "child_span": {...}, "label": "source"}``, the
head the claim, the child its source, ``head`` and ``child`` the index of each span's last
token (``token_end``), as ``rel.manual`` counts them. A span's attribute values are its
``attributes`` object, ``{"hedged": "no", "polarity": "denied", "quote": "no"}``: every
attribute of its label, the default where none was set (Prodigy keeps keys it does not know
on a span). Without tokens, relations have no ``head``, ``child`` or token indices.

Reading takes ``text``, optional ``title``, ``url``, ``source``, ``published`` (at the top or
in ``meta``), and ``spans`` (``start``, ``end``, ``label``; a ``text`` given for a span must be
the text at those offsets), the way Prodigy's ``data-to-spacy`` reads a dataset:

- ``"answer": "accept"``: the spans are the annotator's; a task without ``spans`` is an
  annotation with nothing in it (the annotator saw the text and found nothing to mark).
  A span marked ``"answer": "reject"`` inside it is a known negative, not an annotation.
- ``"answer": "reject"``: its spans are known negatives; ``"ignore"``: the text only, but
  for this program's own export of work not done (``_status``: ``in_progress``,
  ``skipped`` or ``flagged``), which comes back as the annotator's, with that status.
  ``"flagged": true`` (Prodigy's flag) marks an accepted task's annotation flagged.
- Binary decisions (``ner.teach``, ``_view_id`` ``"ner"``: one suggested span, accepted or
  rejected, several tasks per text) are combined per text and annotator, and leave the
  article *in progress*, not done: the rest of its text was never looked at. A span the
  annotator answered twice counts once, as the later answer says (``db-out`` lists answers
  in the order they were given): accepted then rejected, it is a known negative only. The
  import counts such spans (``import_claims.Claims.decide``).
- ``relations`` whose ``head_span`` and ``child_span`` are spans of the task (same start,
  end and label) become relations, and spans' ``attributes`` attribute values, where the
  project's scheme has them; relations between tokens only (dependencies) or spans the task
  does not have, and text classification (``label`` or ``accept`` at the top of a task),
  are not held: the import reports them by count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.model import Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.article_fields import (
    OVERRIDDEN,
    article_from,
    folded_name,
    text_key_of,
    unwrapped_records,
    with_meta,
)
from annotator.formats.base import (
    NOT_DONE,
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
)
from annotator.formats.doccano import doccano_items
from annotator.formats.files import named_json_records
from annotator.formats.labelbuddy import looks_like_labelbuddy
from annotator.formats.prodigy_export import HASHES, JsonlWriter
from annotator.formats.records import (
    BadValue,
    kb_id,
    label,
    label_problem,
    link_verdict,
    name,
    offset,
)

#: A record's "entities" that look like spans of no format read here (GUM's start, end,
#: etype; spaCy-like start, end, label objects): kept in the metadata, not read as spans.
ENTITIES_KEPT = (
    '"entities" objects with start and end, of no format this program reads (kept in the '
    "article's metadata, not read as spans: doccano's have start_offset, Prodigy's are "
    '"spans")'
)
#: Prodigy's views of one suggested span to accept or reject (``ner.teach``).
BINARY_VIEWS = ("ner",)
#: The keys of a Prodigy task (its "_" ones aside). Any other top-level field, such as a
#: news scraper's "authors" or "publish_date", is kept in the article's metadata: it was
#: dropped without a word.
TASK_KEYS = frozenset(
    {"text", "meta", "spans", "tokens", "answer", "relations", "accept", "options", "label",
     "html", "image", "audio", "video", "audio_spans", "choice_style", "field_id",
     "field_label", "field_rows", "field_placeholder", "field_autofocus", "user_input",
     "orig_text", "annotator", "score", "priority", "spans_count", "flagged"}
)  # fmt: skip


def read_jsonl(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for line, element, record in named_json_records(path):
        if isinstance(record, Invalid):
            yield record
            continue
        for named, task in unwrapped_records(element, record):
            try:
                yield replace(_task(task, line), record=named)
            except BadValue as error:
                yield Invalid(FormatError(path, str(error), line, named))
            except FormatError as error:
                yield Invalid(error)


def _other_tools_spans(record: dict[str, Any]) -> tuple[str, str] | None:
    """(the tool, its ``--format``) whose span fields a record holds: doccano's ``label``
    triples or ``entities``, Label Studio JSON-MIN's ``label`` regions; else None."""
    labels, entities = record.get("label"), record.get("entities")
    first = labels[0] if isinstance(labels, list) and labels else None
    # (An "entities" list of another shape, a news corpus's own, stays in the metadata:
    # taken for doccano's, it sent the user to --format doccano, which refused it.)
    if isinstance(first, list) or (isinstance(entities, list) and doccano_items(entities)):
        return ("doccano", "doccano")
    if isinstance(first, dict) and {"start", "end"} <= first.keys():
        return ("Label Studio JSON-MIN", "labelstudio")
    if looks_like_labelbuddy(record):  # (--format jsonl made its annotations metadata, unsaid)
        return ("labelbuddy", "labelbuddy")
    return None


def _task(record: Any, line: int) -> ImportedDocument:
    if not isinstance(record, dict):
        raise BadValue(f"expected a JSON object, found {_json_kind(record)}")
    # (news-please writes "text": null beside its "maintext")
    text_key = "text" if isinstance(record.get("text"), str) else text_key_of(record)
    raw_text = record.get(text_key)
    if not isinstance(raw_text, str):
        raise BadValue('record has no "text" string')
    if not raw_text.strip():
        raise BadValue(f'record has an empty "{text_key}"')
    text = normalize_newlines(raw_text)
    meta = record.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BadValue('"meta" must be an object')
    extra = {
        k: v
        for k, v in record.items()
        if k not in TASK_KEYS and k != text_key and not k.startswith("_")
    }
    merged, overridden = with_meta(extra, meta)
    article = article_from(text, record, merged)
    answer = record.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise BadValue(f'"answer" must be accept, reject or ignore, not {answer!r}')
    who = name(record.get("_annotator_id", record.get("annotator")), "_annotator_id")
    if "spans" not in record and (tool := _other_tools_spans(record)):
        # The format was told by the file's first records: spans of another tool's shape
        # further on were dropped, exit 0, not a word.
        shown, fmt = tool
        raise BadValue(f"holds {shown}'s spans, but the file was read as Prodigy tasks (by "
                       f"its first records): give --format {fmt}")  # fmt: skip
    not_held: list[tuple[str, int]] = [(OVERRIDDEN, overridden)] if overridden else []
    entities = record.get("entities")
    if isinstance(entities, list) and any(
        isinstance(item, dict) and {"start", "end"} <= item.keys() for item in entities
    ):  # (spans of a shape no tool here writes: kept, and said, not dropped unsaid)
        not_held.append((ENTITIES_KEPT, 1))
    classified = _classification(record)
    if classified:
        not_held.append(("Prodigy text classification", classified))
    accepted, rejected, attributes = _spans(record.get("spans"), raw_text)
    relations = _relations(record.get("relations"), raw_text, accepted, not_held)
    binary = record.get("_view_id") in BINARY_VIEWS
    if answer == "reject":
        rejected, accepted = rejected + accepted, []
        if relations or attributes:
            not_held.append(("Prodigy relations and attributes of rejected tasks", 1))
            relations, attributes = [], []
    annotations: tuple[Annotation, ...] = ()
    if classified and not accepted and not rejected:
        pass  # a text classification task: its decision is counted above, not held
    elif answer == "ignore" and (status := _our_status(record)):
        # this program's export of work not done: the annotator's, as it was
        annotations = (
            Annotation(
                who, accepted, rejected, complete=False, status=status,
                relations=relations, attributes=attributes, comment=_comment(record),
            ),
        )  # fmt: skip
    elif answer == "ignore":
        not_held.append(("Prodigy ignored tasks", 1))
    elif answer == "reject" and not rejected:
        not_held.append(("Prodigy rejected tasks without spans", 1))
    elif answer == "reject" or binary:
        annotations = (
            Annotation(
                who, accepted, rejected, complete=False, merge=True,
                relations=relations, attributes=attributes,
            ),
        )  # fmt: skip
    elif "answer" in record or "spans" in record:
        # a whole annotation, maybe empty; Prodigy's flag asks for another look
        flagged = "flagged" if record.get("flagged") is True else None
        annotations = (Annotation(who, accepted, rejected, relations=relations,
                                  attributes=attributes, status=flagged,
                                  comment=_comment(record) if flagged else ""),)  # fmt: skip
    hashes = {key: record[key] for key in HASHES if isinstance(record.get(key), int)}
    if annotations and annotations[0].merge:
        hashes.pop("_task_hash", None)  # decisions combined: no longer that one task
    return ImportedDocument(
        article,
        annotations,
        line,
        not_held=tuple(not_held),
        provenance=("jsonl", hashes) if hashes else None,
        text_from="" if folded_name(text_key) == "text" else text_key,
    )


def _our_status(record: dict[str, Any]) -> str | None:
    """The status this program's export gave an ignored task (``_status``: work in
    progress, skipped or flagged), if the task has an annotator; else None."""
    status = record.get("_status")
    if status in NOT_DONE and "_annotator_id" in record:
        return str(status)
    return None


def _comment(record: dict[str, Any]) -> str:
    """Why a task was flagged (``_comment``, as this program's export writes it)."""
    comment = record.get("_comment")
    return comment if isinstance(comment, str) else ""


def _classification(record: dict[str, Any]) -> int:
    """How many categories a text classification task decides (0: not one)."""
    if isinstance(record.get("label"), str):
        return 1
    accepted = record.get("accept")
    if isinstance(accepted, list) and ("options" in record or accepted):
        return max(len(accepted), 1)
    return 0


def _spans(raw_spans: Any, raw_text: str) -> tuple[list[Span], list[Span], list[SpanAttribute]]:
    """The spans a task accepts, those it marks rejected, and the accepted spans' attribute
    values."""
    if raw_spans is None:
        return [], [], []
    if not isinstance(raw_spans, list):
        raise BadValue('"spans" must be a list')
    to_stored = newline_offset_map(raw_text) if "\r" in raw_text else None
    length = len(raw_text)
    accepted: list[Span] = []
    rejected: list[Span] = []
    attributes: list[SpanAttribute] = []
    for number, item in enumerate(raw_spans, start=1):
        # The checks of ``records`` on the slow path only: a file holds millions of spans.
        try:
            start, end, name = item["start"], item["end"], item["label"]
        except (KeyError, TypeError):
            raise BadValue(f"span {number} needs start, end and a label") from None
        if type(start) is not int:
            start = offset(start, f"span {number}'s start")
        if type(end) is not int:
            end = offset(end, f"span {number}'s end")
        if type(name) is not str or label_problem(name):
            label(name, f"span {number}'s label")
        if not 0 <= start < end <= length:
            raise BadValue(_outside(f"span {number}", start, end, length))
        stated = item.get("text")
        if stated is not None and normalize_newlines(raw_text[start:end]) != normalize_newlines(
            str(stated)
        ):
            raise BadValue(
                f"span {number} ({start}-{end}) says {stated!r} but the text there is "
                f"{raw_text[start:end]!r}"
            )
        if to_stored is not None:
            start, end = to_stored(start), to_stored(end)
        entry = kb_id(item["kb_id"], f"span {number}'s kb_id") if "kb_id" in item else ""
        verdict = ""
        if "link_status" in item:
            verdict = link_verdict(item["link_status"], entry, f"span {number}'s link_status")
        span = Span(start, end, name, "human", kb_id=entry, link_status=verdict)
        if item.get("answer") == "reject":
            rejected.append(span)
            continue
        accepted.append(span)
        if "attributes" in item:
            attributes += _attributes(item["attributes"], span, f"span {number}")
    return accepted, rejected, attributes


def _attributes(raw: Any, span: Span, where: str) -> list[SpanAttribute]:
    """A span's ``attributes`` object: names and their values."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise BadValue(f'{where}\'s "attributes" must be an object of names and values')
    return [
        SpanAttribute(
            span,
            label(attribute, f"an attribute of {where}"),
            label(value, f"{where}'s attribute {attribute}"),
        )
        for attribute, value in raw.items()
    ]


def _relations(
    raw: Any, raw_text: str, spans: list[Span], not_held: list[tuple[str, int]]
) -> list[SpanRelation]:
    """A task's ``relations`` between its spans (``head_span``, ``child_span``, ``label``);
    the others are counted in ``not_held``."""
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise BadValue('"relations" must be a list')
    to_stored = newline_offset_map(raw_text)
    by_key = {span.key: span for span in spans}
    by_extent: dict[tuple[int, int], list[Span]] = {}
    for span in spans:
        by_extent.setdefault((span.start, span.end), []).append(span)
    found: list[SpanRelation] = []
    between_tokens = missing = 0
    for number, item in enumerate(raw, start=1):
        where = f"relation {number}"
        if not isinstance(item, dict):
            raise BadValue(f"{where} is not an object")
        ends = [item.get("head_span"), item.get("child_span")]
        if not all(isinstance(end, dict) for end in ends):
            between_tokens += 1
            continue
        kind = label(item.get("label"), f"{where}'s label")
        matched = []
        for side, end in zip(("head_span", "child_span"), ends, strict=True):
            start = offset(end.get("start"), f"{where}'s {side}.start")
            stop = offset(end.get("end"), f"{where}'s {side}.end")
            if not 0 <= start < stop <= len(raw_text):
                raise BadValue(_outside(f"{where}'s {side}", start, stop, len(raw_text)))
            extent = (to_stored(start), to_stored(stop))
            named = end.get("label")
            if named is None:  # some scripts leave a span's label out: the extent decides
                candidates = by_extent.get(extent, [])
                matched.append(candidates[0] if len(candidates) == 1 else None)
            else:
                matched.append(by_key.get((*extent, label(named, f"{where}'s {side}.label"))))
        head, child = matched
        if head is None or child is None:
            missing += 1
            continue
        found.append(SpanRelation(head, child, kind))
    if between_tokens:
        not_held.append(
            ("Prodigy relations between tokens (no head_span/child_span)", between_tokens)
        )
    if missing:
        not_held.append(("Prodigy relations whose spans the task does not have", missing))
    return found


def _outside(what: str, start: int, end: int, length: int) -> str:
    if start >= end and start >= 0 and end <= length:
        return f"{what} ({start}-{end}) is empty or reversed: its start must come before its end"
    return f"{what} ({start}-{end}) lies outside the text ({length} characters)"


def _json_kind(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null", bool: "true or false"}.get(
        type(value), "a number"
    )


JSONL = Format(
    "jsonl",
    "JSON Lines in Prodigy's task format (text, tokens, spans, meta)",
    (".jsonl", ".ndjson", ".json"),
    read_jsonl,
    JsonlWriter,
    aliases=("prodigy",),
    holds=frozenset({"links", "verdicts", "relations", "attributes", "status", "negatives"}),
)
