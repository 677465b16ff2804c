"""``labelstudio``: Label Studio's JSON task list, spans as ``labels`` results.

Each article is a task, ``{"id": ..., "data": {"text": ..., "title": ...}, "meta": {...},
"annotations": [{"result": [...]}]}``; each span a result ``{"type": "labels", "from_name":
"label", "to_name": "text", "value": {"start", "end", "text", "labels": [LABEL]}}``. Offsets
are code points: Label Studio's frontend has counted code points, not JavaScript's UTF-16
units, since its fix for emoji offsets (label-studio #1559, label-studio-frontend #308), and
its JSON export holds them as stored. The gold version is marked ``ground_truth``. Beside the
tasks goes the labeling config a project needs to show them (``OUT.labeling-config.xml``,
``<Labels name=... toName=...>`` on ``<Text name=... value="$text">``). A task imported from
Label Studio goes back with its ``id``, ``from_name``, ``to_name`` and data key.

Reading takes Label Studio's JSON export (tasks with ``data``, ``annotations`` or the
``completions`` of old versions, and ``predictions``) and its JSON-MIN export (one flat record
per annotation: the data's fields, each control's regions under its name, ``annotator``):

- ``labels`` results become the annotator's spans (``completed_by``: an e-mail when Label
  Studio gives one, else ``labelstudio-user-ID``; else the ``annotator`` our exports put in
  the task's ``meta``); a result's ``text`` must be the text at its offsets. An annotation
  without ``result`` is refused (it would be an empty one, marked done). It is done, unless
  our export's ``meta.status`` says its annotator's work was in progress, skipped or
  flagged.
- A task is imported with one text: ``text``, else the object the results name (a title
  last); ``labels`` results whose ``to_name`` is another of the task's texts are not held.
- An annotation marked ``ground_truth`` is the gold version too (annotator ``gold``,
  whatever ``--annotator`` says), beside its annotator's own; two that differ are refused.
- A per-region text area named ``kb_id`` (a ``textarea`` result with its region's ``id``)
  is what the region refers to, the span's link; our exports write it, and the labeling
  config beside them has the ``<TextArea name="kb_id" perRegion="true">`` to show it.
  One named ``link_status`` is the linker's verdict on a region without an entry
  (``generic``, ``ambiguous``, ``unknown``), written and read back likewise.
- ``relation`` results (``from_id``, ``to_id``, ``direction``, ``labels``: as Label
  Studio's ``RelationStore`` serializes them) between labelled regions become relations, one
  per label, from ``from_id`` to ``to_id`` (``right`` and ``bi``) or the other way
  (``left``); per-region ``choices`` results (a region's ``id``, ``from_name`` the control)
  become that region's attribute values, the control's name the attribute's. Our exports
  write both, a claim's source as a relation from the claim's region to the source's, and
  the labeling config declares them (``<Relations>``, ``<Choices perRegion="true">``).
- ``predictions`` become suggestions of the model named by their ``model_version``.
- Other results (choices of the whole task, text areas, ratings...), relations without a
  label or to regions not imported, and cancelled annotations are not held: the import
  reports them by kind and count, and an annotation made only of them does not mark the
  article done. Nor are ``drafts`` (work saved but never submitted, which Label Studio
  keeps apart from the annotations): those holding results are counted.
- In JSON-MIN, a single choice or text area is written as a plain value, which cannot be
  told from a field of the data: it is kept as the article's metadata.

An annotation's results are read in ``labelstudio_results.py``, JSON-MIN records and
regions in ``labelstudio_regions.py``, and tasks written in ``labelstudio_export.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.model import GOLD, Span
from annotator.core.text import normalize_newlines
from annotator.formats.article_fields import METADATA, article_from
from annotator.formats.base import (
    NOT_DONE,
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
)
from annotator.formats.files import first_records, iter_json_records
from annotator.formats.labelstudio_export import (
    DATA_KEY,
    FROM_NAME,
    TO_NAME,
    LabelStudioWriter,
    labeling_config,
)
from annotator.formats.labelstudio_regions import DRAFTS, drafts_with_work, is_regions, min_record
from annotator.formats.labelstudio_results import task_results
from annotator.formats.records import BadValue, name

_TASK_KEYS = ("data", "annotations", "completions", "predictions")
_OURS = ("annotator", "status", "comment")  # what our exports put in a task's meta


def read_labelstudio(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for number, (line, task) in enumerate(iter_json_records(path), start=1):
        if isinstance(task, Invalid):
            yield task
            continue
        record = f"task {number}"
        try:
            if not isinstance(task, dict):
                raise BadValue("a task must be a JSON object")
            if "id" in task and isinstance(task["id"], int | str):
                record += f" (id {task['id']})"
            if any(key in task for key in _TASK_KEYS):
                yield _task(path, task, line, record)
            else:
                yield min_record(path, task, line, record)
        except BadValue as error:
            yield Invalid(FormatError(path, str(error), record=record))
        except FormatError as error:
            yield Invalid(error)


def _task(path: Path, task: dict[str, Any], line: int, record: str) -> ImportedDocument:
    data = task.get("data", task)
    if isinstance(data, str):
        raise BadValue(
            '"data" must be an object; a text under "data" is doccano\'s: give --format doccano'
        )
    if not isinstance(data, dict):
        raise BadValue('"data" must be an object')
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise BadValue('"annotations" must be a list')
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        raise BadValue('"predictions" must be a list')
    key = _text_key(data, [*annotations, *predictions])
    target = _text_object(key, [*annotations, *predictions])
    raw_text = data[key]
    meta: dict[str, Any] = task["meta"] if isinstance(task.get("meta"), dict) else {}
    own_meta = {k: v for k, v in meta.items() if k not in _OURS}
    if isinstance(data.get("meta"), dict):
        own_meta = {**data["meta"], **own_meta}
    # The task's other data fields (a category, an id of the user's) are kept with the
    # article's metadata, not dropped.
    extra = {k: v for k, v in data.items() if k not in (key, "meta", *METADATA)}
    own_meta = {**extra, **own_meta}
    fields = {k: v for k, v in data.items() if k != key}
    article = article_from(normalize_newlines(raw_text), fields, own_meta)
    not_held: Counter[str] = Counter()
    drafts = drafts_with_work(task.get("drafts"))
    if drafts:
        not_held[DRAFTS] += drafts
    names: tuple[str, str] | None = None
    sets: list[Annotation] = []
    gold: tuple[str, Annotation] | None = None  # (where, the ground truth)
    for count, annotation in enumerate(annotations, start=1):
        where = f"annotation {count}"
        if not isinstance(annotation, dict):
            raise BadValue(f"{where} is not an object")
        if annotation.get("was_cancelled") or annotation.get("skipped"):
            not_held["Label Studio cancelled annotations"] += 1
            continue
        if "result" not in annotation:
            raise BadValue(_no_result(where, annotation))
        results = annotation["result"] or []
        spans, other, used, links = task_results(where, results, raw_text, not_held, target)
        names = names or used
        if not spans and other:  # made only of kinds not held: not an annotation here
            continue
        made = Annotation(None, spans, relations=links[0], attributes=links[1])
        author = _annotator(annotation)
        if annotation.get("ground_truth") is True:
            # (an unfinished review, "in_progress" in our export's meta, stays unfinished)
            status = _our_status(meta, GOLD)
            kept = replace(
                made, annotator=GOLD, gold=True, status=status, comment=_comment(meta, status)
            )
            gold = _one_gold(gold, where, kept)
            if author is None or author == GOLD:
                continue  # gold's alone (as our exports write it)
        who = author or name(meta.get("annotator"), "meta.annotator")
        status = _our_status(meta, who)
        sets.append(replace(made, annotator=who, status=status, comment=_comment(meta, status)))
    if gold is not None:
        sets.append(gold[1])
    suggestions: list[tuple[str, list[Span]]] = []
    for count, prediction in enumerate(predictions, start=1):
        where = f"prediction {count}"
        if not isinstance(prediction, dict):
            raise BadValue(f"{where} is not an object")
        held: Counter[str] = Counter()
        results = prediction.get("result") or []
        spans, _, used, links = task_results(where, results, raw_text, held, target)
        names = names or used
        held["Label Studio relations"] += len(links[0])  # a model's: suggestions hold none
        held["Label Studio per-region choices"] += len(links[1])
        held = +held
        for kind, n in held.items():
            not_held[kind.replace("Label Studio ", "Label Studio prediction ")] += n
        model = name(prediction.get("model_version"), "model_version") or "labelstudio"
        suggestions.append((model, spans))
    control, target = names or (FROM_NAME, TO_NAME)
    provenance = {"from_name": control, "to_name": target, "data_key": key}
    if isinstance(task.get("id"), int | str):
        provenance["id"] = task["id"]
    return ImportedDocument(
        article,
        tuple(sets),
        line,
        record,
        suggestions=tuple(suggestions),
        not_held=tuple(not_held.items()),
        provenance=("labelstudio", provenance),
    )


def _one_gold(
    earlier: tuple[str, Annotation] | None, where: str, annotation: Annotation
) -> tuple[str, Annotation]:
    """The task's ground truth: refused if two annotations claim it and differ, since which
    one is gold cannot be told."""
    if earlier is not None and _content(earlier[1]) != _content(annotation):
        raise BadValue(
            f"{earlier[0]} and {where} are both ground_truth but differ: which is gold cannot "
            "be told; unmark one in Label Studio"
        )
    return earlier or (where, annotation)


def _content(annotation: Annotation) -> tuple[set, set, set]:
    return (
        {(span.key, span.kb_id) for span in annotation.spans},
        {relation.key for relation in annotation.relations},
        {value.key for value in annotation.attributes},
    )


def _text_object(key: str, tasks: list[Any]) -> str | None:
    """The name (``to_name``) of the object that shows the text imported: the data key
    when a ``labels`` result names it, else the one object they name (``<Text name="text"
    value="$body">``); None when none is named. A task is imported with one text: results
    on its other texts are not held."""
    named: dict[str, None] = {}
    for task in tasks:
        for result in _results_of(task):
            on = result.get("to_name") if isinstance(result, dict) else None
            if isinstance(on, str) and result.get("type") == "labels":
                named[on] = None
    if key in named or not named:
        return key if named else None
    if len(named) == 1:
        return next(iter(named))
    raise BadValue(
        f"the results label several texts ({', '.join(named)}) and none is named after the "
        f"data's {key!r}: which one is the text cannot be told"
    )


def _no_result(where: str, annotation: dict[str, Any]) -> str:
    """Why an annotation without ``result`` is refused: it would be an empty annotation."""
    if _doccano_item(annotation):
        return f'{where} has no "result" but doccano\'s start_offset: give --format doccano'
    return f'{where} has no "result", where Label Studio keeps its regions'


def _results_of(item: Any) -> list[Any]:
    """An annotation's or prediction's results, to look through before they are checked
    (``task_results`` refuses a "result" that is no list, naming it)."""
    results = item.get("result") if isinstance(item, dict) else None
    return results if isinstance(results, list) else []


def _text_key(data: dict[str, Any], annotations: list[Any]) -> str:
    """Which field of the data holds the text: ``text``, else the object the results name,
    else the only text among the fields."""
    candidates = [DATA_KEY]
    for annotation in annotations:
        for result in _results_of(annotation):
            if isinstance(result, dict) and isinstance(result.get("to_name"), str):
                candidates.append(result["to_name"])
    # A title is the article's title: the text is another object, if the results name one.
    candidates.sort(key=lambda candidate: candidate in METADATA)
    for key in candidates:
        if isinstance(data.get(key), str) and data[key].strip():
            return key
    texts = [k for k, v in data.items() if isinstance(v, str) and v.strip() and k not in
             ("title", "url", "source", "published")]  # fmt: skip
    if len(texts) == 1:
        return texts[0]
    keys = ", ".join(sorted(map(str, data))) or "none"
    raise BadValue(f'no "text" in the task\'s data (its fields: {keys})')


def _our_status(meta: dict[str, Any], who: str | None) -> str | None:
    """The status our export gave the task's annotator's work, where it was not done
    (``meta.status``: in progress, skipped or flagged); else None: a finished annotation."""
    status = meta.get("status")
    if status in NOT_DONE and meta.get("annotator") == who:
        return str(status)
    return None


def _comment(meta: dict[str, Any], status: str | None) -> str:
    """Why a version our export wrote was flagged (``meta.comment``); "" for the others."""
    comment = meta.get("comment") if status == "flagged" else None
    return comment if isinstance(comment, str) else ""


def _annotator(annotation: dict[str, Any]) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return name(who.get("email") or who.get("id"), "completed_by")
    if isinstance(who, int) and not isinstance(who, bool):
        return f"labelstudio-user-{who}"
    return name(who, "completed_by")


def looks_like_labelstudio(record: Any) -> bool:
    """A Label Studio task, or a JSON-MIN record (regions with ``labels``, or its fields)."""
    if not isinstance(record, dict) or isinstance(record.get("data"), str):
        return False  # doccano's older records keep their text under "data"
    if any(key in record for key in ("data", "completions", "predictions")):
        return True
    if "annotations" in record and _labelstudio_annotations(record["annotations"]):
        return True
    if "text" in record and ("annotation_id" in record or "lead_time" in record):
        return True
    return any(
        is_regions(value) and any("labels" in region for region in value)
        for key, value in record.items()
        if key not in ("spans", "entities", "annotations", "label")
    )


def _labelstudio_annotations(annotations: Any) -> bool:
    """Are these a task's annotations (their regions under ``result``), not doccano's
    (``start_offset``, ``end_offset``, ``label``)? An empty list tells nothing."""
    if not isinstance(annotations, list):
        return True  # a task's, broken: its reader says how
    if any(isinstance(item, dict) and "result" in item for item in annotations):
        return True
    return bool(annotations) and not any(_doccano_item(item) for item in annotations)


def _doccano_item(item: Any) -> bool:
    return (isinstance(item, dict) and "start_offset" in item) or (
        isinstance(item, list) and len(item) == 3
    )


LABELSTUDIO = Format(
    "labelstudio",
    "Label Studio JSON tasks with labels results (JSON or JSON-MIN)",
    (".json", ".jsonl", ".ndjson"),
    read_labelstudio,
    LabelStudioWriter,
    # Any of its first records: a task nobody labelled has JSON-MIN's fields only.
    detect=lambda path: any(looks_like_labelstudio(r) for r in first_records(path)),
    aliases=("label-studio",),
    scheme=True,
    holds=frozenset({"links", "verdicts", "relations", "attributes", "status"}),
)


__all__ = ["LABELSTUDIO", "LabelStudioWriter", "labeling_config", "read_labelstudio"]
