"""A Label Studio annotation's results (``labelstudio``): the ``labels`` regions on the
imported text as spans, with what refers to them: the ``kb_id`` text areas (the spans'
links) and ``link_status`` ones (the linker's verdict on a span without an entry),
``relation`` results between regions and per-region ``choices`` (attribute values).
What is not held is counted by kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from annotator.core.model import Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.core.text import newline_offset_map
from annotator.formats.labelstudio_export import KB_CONTROL, VERDICT_CONTROL
from annotator.formats.labelstudio_regions import region_spans
from annotator.formats.records import BadValue, kb_id, label, link_verdict

Links = tuple[list[SpanRelation], list[SpanAttribute]]


def task_results(
    where: str, results: Any, raw_text: str, not_held: Counter[str], target: str | None = None
) -> tuple[list[Span], bool, tuple[str, str] | None, Links]:
    """The spans of ``labels`` results on the text (``target``, its ``to_name``); whether
    there were others (counted in ``not_held``); the (from_name, to_name) of the first
    ``labels`` result; the relations and per-region choices between and on those spans."""
    if not isinstance(results, list):
        raise BadValue(f'{where}: "result" must be a list')
    to_stored = newline_offset_map(raw_text)
    spans: list[Span] = []
    names: tuple[str, str] | None = None
    other = False
    regions: dict[Any, list[int]] = {}  # region id -> indices of its spans
    entries: list[tuple[Any, Any, str]] = []  # (region id, number, the kb_id text area's value)
    verdicts: list[tuple[Any, int, Any]] = []  # (region id, number, the link_status one's)
    relations: list[tuple[Any, Any, list[str]]] = []  # (from region, to region, labels)
    choices: list[tuple[Any, str, list[str]]] = []  # (region, control, values)
    for number, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            raise BadValue(f"{where}, result {number} is not an object")
        kind = result.get("type")
        if kind == "textarea" and result.get("from_name") == KB_CONTROL:
            entries.append((result.get("id"), number, _entry(where, number, result)))
            continue
        if kind == "textarea" and result.get("from_name") == VERDICT_CONTROL:
            verdicts.append((result.get("id"), number, _text(where, number, result, "verdict")))
            continue
        if kind == "relation":
            relations.append(_relation(f"{where}, result {number}", result))
            continue
        if kind == "choices" and isinstance(result.get("id"), str | int):
            choices.append(_choices(f"{where}, result {number}", result))
            continue
        if kind != "labels":
            other = True
            shown = kind if isinstance(kind, str) and kind else "untyped"
            not_held[f"Label Studio {'relations' if shown == 'relation' else shown} results"] += 1
            continue
        on = result.get("to_name")
        if target is not None and isinstance(on, str) and on != target:
            other = True
            not_held[f"Label Studio labels results on {on!r}, not the text imported"] += 1
            continue
        value = result.get("value")
        if not isinstance(value, dict) or not {"start", "end", "labels"} <= value.keys():
            raise BadValue(
                f"{where}, result {number} needs value.start, value.end and value.labels"
            )
        made = region_spans(f"{where}, result {number}", value, raw_text, to_stored)
        if isinstance(result.get("id"), str | int):
            regions.setdefault(result["id"], []).extend(range(len(spans), len(spans) + len(made)))
        spans.extend(made)
        if names is None:
            control, target = result.get("from_name"), result.get("to_name")
            if isinstance(control, str) and isinstance(target, str) and control and target:
                names = (control, target)
    for region, _number, entry in entries:
        if not isinstance(region, str | int) or region not in regions:
            other = True
            not_held["Label Studio kb_id text areas of no labelled region"] += 1
            continue
        for index in regions[region]:
            spans[index] = replace(spans[index], kb_id=entry)
    for region, number, verdict in verdicts:
        if not isinstance(region, str | int) or region not in regions:
            other = True
            not_held["Label Studio link_status text areas of no labelled region"] += 1
            continue
        for index in regions[region]:
            what = f"{where}, result {number}'s link_status"
            said = link_verdict(verdict, spans[index].kb_id, what)
            spans[index] = replace(spans[index], link_status=said)
    found: list[SpanRelation] = []
    for source, target, labels in relations:
        if source not in regions or target not in regions:
            other = True
            not_held["Label Studio relations results of regions not imported"] += 1
        elif not labels:
            other = True
            not_held["Label Studio relations results without a label"] += 1
        else:
            found += [
                SpanRelation(spans[a], spans[b], relation_label)
                for relation_label in labels
                for a in regions[source]
                for b in regions[target]
            ]
    values: list[SpanAttribute] = []
    for region, control, chosen in choices:
        if region not in regions:
            other = True
            not_held["Label Studio choices results"] += 1
            continue
        values += [
            SpanAttribute(spans[index], control, value)
            for value in chosen
            for index in regions[region]
        ]
    return spans, other, names, (found, values)


def _relation(where: str, result: dict[str, Any]) -> tuple[Any, Any, list[str]]:
    """(head region, child region, labels) of a ``relation`` result."""
    source, target = result.get("from_id"), result.get("to_id")
    if not isinstance(source, str | int) or not isinstance(target, str | int):
        raise BadValue(f"{where}: a relation needs from_id and to_id")
    if result.get("direction") == "left":
        source, target = target, source
    labels = result.get("labels") or []
    if not isinstance(labels, list):
        raise BadValue(f"{where}: a relation's labels must be a list")
    return source, target, [label(item, f"{where}: a relation label") for item in labels]


def _choices(where: str, result: dict[str, Any]) -> tuple[Any, str, list[str]]:
    """(region, control, values) of a per-region ``choices`` result."""
    value = result.get("value")
    chosen = value.get("choices") if isinstance(value, dict) else None
    if not isinstance(chosen, list):
        raise BadValue(f"{where}: value.choices must be a list")
    control = label(result.get("from_name"), f"{where}: from_name")
    return result["id"], control, [label(item, f"{where}: a choice") for item in chosen]


def _entry(where: str, number: int, result: dict[str, Any]) -> str:
    """The id a ``kb_id`` text area holds: its one line of text."""
    return kb_id(_text(where, number, result, "id"), f"{where}, result {number}'s kb_id")


def _text(where: str, number: int, result: dict[str, Any], what: str) -> Any:
    """The one line of text a per-region text area holds."""
    value = result.get("value")
    texts = value.get("text") if isinstance(value, dict) else None
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or len(texts) != 1:
        raise BadValue(
            f"{where}, result {number}: a {result['from_name']} text area holds one {what}"
        )
    return texts[0]
