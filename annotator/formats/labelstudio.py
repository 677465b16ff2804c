"""``labelstudio``: Label Studio's JSON task list, spans as ``labels`` results.

Each article is a task, ``{"data": {"text": ..., "title": ...}, "meta": {...},
"annotations": [{"result": [...]}]}``; each span a result ``{"type": "labels", "from_name":
"label", "to_name": "text", "value": {"start", "end", "text", "labels": [LABEL]}}``. Offsets
are code points: Label Studio's frontend has counted code points, not JavaScript's UTF-16
units, since its fix for emoji offsets (label-studio #1559, label-studio-frontend #308), and
its JSON export holds them as stored. The gold version is marked ``ground_truth``. The
project needs a labeling config with those names: ``labeling_config(labels)`` writes one.

Reading takes ``data.text`` (or a task without ``data``, as Label Studio allows), every
annotation that was not cancelled (``annotations``, or ``completions`` in old exports), and
its ``labels`` results; a result's ``text`` must be the text at its offsets. Each annotation
is imported as its annotator's: ``completed_by`` (an e-mail when Label Studio gives one,
else ``labelstudio-user-ID``), else the ``annotator`` our exports put in the task's ``meta``.
Predictions and other result types (choices, relations, text areas) are not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from annotator.core.model import GOLD, Label, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import Format, FormatError, ImportedDocument, Omission
from annotator.formats.files import article_from, as_text, metadata_of, read_json
from annotator.storage.exports import AnnotatedArticle

_TASK_KEYS = re.compile(rb'"(data|annotations|completions|predictions)"\s*:')


def labeling_config(labels: Sequence[Label]) -> str:
    """The Label Studio labeling config that exported tasks need (``<Labels>`` on ``$text``)."""
    items = "\n".join(
        f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}/>"
        for label in labels
    )
    return (
        "<View>\n"
        '  <Labels name="label" toName="text">\n'
        f"{items}\n"
        "  </Labels>\n"
        '  <Text name="text" value="$text"/>\n'
        "</View>\n"
    )


def read_labelstudio(path: Path) -> Iterator[ImportedDocument]:
    tasks = read_json(path)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise FormatError(path, "expected a JSON list of Label Studio tasks")
    for number, task in enumerate(tasks, start=1):
        record = f"task {number}"
        if not isinstance(task, dict):
            raise FormatError(path, "a task must be a JSON object", record=record)
        if "id" in task:
            record += f" (id {task['id']})"
        data = task.get("data", task)
        if not isinstance(data, dict):
            raise FormatError(path, '"data" must be an object', record=record)
        raw_text = data.get("text")
        if not isinstance(raw_text, str) or not raw_text.strip():
            raise FormatError(path, 'no "text" in the task\'s data', record=record)
        meta: dict[str, Any] = task["meta"] if isinstance(task.get("meta"), dict) else {}
        own_meta = {k: v for k, v in meta.items() if k not in ("annotator", "status")}
        if isinstance(data.get("meta"), dict):
            own_meta = {**data["meta"], **own_meta}
        article = article_from(normalize_newlines(raw_text), data, own_meta)
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            raise FormatError(path, '"annotations" must be a list', record=record)
        sets: list[tuple[str | None, list[Span]]] = []
        for count, annotation in enumerate(annotations, start=1):
            if not isinstance(annotation, dict):
                raise FormatError(path, f"annotation {count} is not an object", record=record)
            if annotation.get("was_cancelled"):
                continue
            where = f"{record}, annotation {count}"
            spans = _spans(path, where, annotation.get("result") or [], raw_text)
            name = _annotator(annotation) or as_text(meta.get("annotator")) or None
            sets.append((name, spans))
        if not sets:
            yield ImportedDocument(article, None, None, None, record)
        else:
            (name, spans), *more = sets
            yield ImportedDocument(article, spans, name, None, record, tuple(more))


def _spans(path: Path, where: str, results: Any, raw_text: str) -> list[Span]:
    if not isinstance(results, list):
        raise FormatError(path, '"result" must be a list', record=where)
    to_stored = newline_offset_map(raw_text)
    spans: list[Span] = []
    for number, result in enumerate(results, start=1):
        if not isinstance(result, dict) or result.get("type") != "labels":
            continue
        value: Any = result.get("value")
        try:
            start, end = int(value["start"]), int(value["end"])
            labels = [str(label) for label in value["labels"]]
        except (KeyError, TypeError, ValueError):
            raise FormatError(
                path, f"result {number} needs value.start, value.end and value.labels", record=where
            ) from None
        if not 0 <= start < end <= len(raw_text):
            raise FormatError(
                path, f"result {number} ({start}-{end}) lies outside the text", record=where
            )
        stated = value.get("text")
        if stated is not None and normalize_newlines(str(stated)) != normalize_newlines(
            raw_text[start:end]
        ):
            raise FormatError(
                path,
                f"result {number} ({start}-{end}) says {stated!r} but the text there is "
                f"{raw_text[start:end]!r}",
                record=where,
            )
        spans.extend(
            Span(to_stored(start), to_stored(end), label, origin="human") for label in labels
        )
    return spans


def _annotator(annotation: dict[str, Any]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return as_text(who.get("email") or who.get("id"))
    if isinstance(who, int):
        return f"labelstudio-user-{who}"
    return as_text(who)


def _looks_like_labelstudio(path: Path) -> bool:
    """A JSON list (or one task) with Label Studio's task keys near its start."""
    try:
        with path.open("rb") as file:
            head = file.read(1 << 16)
    except OSError:
        return False
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1] in (b"[", b"{") and _TASK_KEYS.search(head) is not None


class LabelStudioWriter:
    """A JSON list of tasks, written one task at a time."""

    def __init__(self, path: Path, labels: Sequence[Label]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.file.write("[")
        self.first = True

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        article = item.article
        results = [
            {
                "id": f"{article.id}-{number}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "origin": "manual",
                "value": {
                    "start": span.start,
                    "end": span.end,
                    "text": span.text(article.text),
                    "labels": [span.label],
                },
            }
            for number, span in enumerate(item.spans, start=1)
        ]
        data: dict[str, Any] = {
            "text": article.text,
            **metadata_of(article),
            "article_id": article.id,
        }
        if article.meta:
            data["meta"] = article.meta
        task: dict[str, Any] = {"data": data}
        if item.annotator:  # an article nobody annotated goes out as a task to annotate
            task["meta"] = {"annotator": item.annotator, "status": item.status}
            task["annotations"] = [{"result": results, "ground_truth": item.annotator == GOLD}]
        self.file.write(("\n" if self.first else ",\n") + json.dumps(task, ensure_ascii=False))
        self.first = False
        return []

    def close(self) -> None:
        self.file.write("\n]\n")
        self.file.close()

    def discard(self) -> None:
        self.file.close()


LABELSTUDIO = Format(
    "labelstudio",
    "Label Studio JSON tasks with labels results",
    (".json",),
    read_labelstudio,
    LabelStudioWriter,
    aliases=("label-studio",),
    detect=_looks_like_labelstudio,
)
