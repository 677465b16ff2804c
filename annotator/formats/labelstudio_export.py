"""Writing Label Studio tasks (``labelstudio``): the JSON task list and the labeling config
it needs. See ``labelstudio.py`` for the format; reading is there."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from annotator.core.model import GOLD, Label
from annotator.formats.article_fields import metadata_of
from annotator.formats.base import LEFT_OUT_BY_TYPE, Omission
from annotator.formats.kb_links import ClaimTypes
from annotator.formats.labelstudio_task_ids import TaskIds, moved_notes
from annotator.storage.export_items import AnnotatedArticle

#: The command line's advice in a note; the window says its own (``ui/export_dialog.py``).
RENAME_ATTRIBUTES = "annotator labels DB attribute set NAME --name NEW"
#: What tasks name their text, their control and their object when nothing else is known.
DATA_KEY, FROM_NAME, TO_NAME = "text", "label", "text"
#: The per-region text area that holds what a span refers to (``geonames:168519``).
KB_CONTROL = "kb_id"
#: The per-region text area that holds the linker's verdict on a span without an entry
#: (``generic``, ``ambiguous``, ``unknown``).
VERDICT_CONTROL = "link_status"


def labeling_config(
    labels: Sequence[Label],
    names: Sequence[tuple[str, str, str]] = (),
    linked: Sequence[str] = (),
    scheme: ClaimTypes | None = None,
    judged: Sequence[str] = (),
) -> str:
    """The labeling config that exported tasks need: a ``<Labels>`` control per
    (from_name, to_name, data key) the tasks use, on a ``<Text>`` object; a per-region
    ``kb_id`` text area on the first object in ``linked`` (whose regions refer to entries),
    a ``link_status`` one on the first in ``judged`` (whose regions carry verdicts); and
    the scheme's relation types (``<Relations>``) and attributes (per-region ``<Choices>``,
    shown on a selected region of their label)."""
    items = "\n".join(
        f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}/>"
        for label in labels
    )
    pairs = list(dict.fromkeys(names or [(FROM_NAME, TO_NAME, DATA_KEY)]))
    controls = "".join(
        f"  <Labels name={quoteattr(control)} toName={quoteattr(target)}>\n{items}\n  </Labels>\n"
        for control, target, _ in pairs
    )
    objects = "".join(
        f"  <Text name={quoteattr(target)} value={quoteattr('$' + key)}/>\n"
        for target, key in dict.fromkeys((target, key) for _, target, key in pairs)
    )
    areas = "".join(
        f'  <TextArea name={quoteattr(KB_CONTROL)} toName={quoteattr(target)} perRegion="true" '
        'maxSubmissions="1" editable="true" placeholder="knowledge-base id, e.g. '
        'geonames:168519"/>\n'
        for target in linked[:1]  # a control name is unique in a config
    )
    areas += "".join(
        f"  <TextArea name={quoteattr(VERDICT_CONTROL)} toName={quoteattr(target)} "
        'perRegion="true" maxSubmissions="1" editable="true" placeholder="without an '
        'entry: generic, ambiguous or unknown"/>\n'
        for target in judged[:1]
    )
    claims = _claim_controls(scheme, pairs) if scheme is not None else ""
    return f"<View>\n{controls}{objects}{areas}{claims}</View>\n"


def control_names(pairs: Iterable[tuple[str, str, str]]) -> set[str]:
    """The names a labeling config gives its controls and objects, for the tasks' (from_name,
    to_name, data key): an attribute of one of these names would be a second control of that
    name, so its values are not written (``LEFT_OUT_BY_TYPE``)."""
    return {
        KB_CONTROL,
        VERDICT_CONTROL,
        *(name for control, target, _ in pairs for name in (control, target)),
    }


def _claim_controls(scheme: ClaimTypes, pairs: list[tuple[str, str, str]]) -> str:
    control, target, _ = pairs[0]
    relations = "".join(
        f"    <Relation value={quoteattr(t.name)}/>\n" for t in scheme.relation_types
    )
    # Two relation types between the same regions (a source that is also a target) are one
    # relation with both labels, which Label Studio shows only with choice="multiple".
    choice = ' choice="multiple"' if len(scheme.relation_types) > 1 else ""
    controls = f"  <Relations{choice}>\n{relations}  </Relations>\n" if relations else ""
    for t in scheme.attribute_types:  # a control name is unique in a config
        if t.name in control_names(pairs):
            continue
        choices = "".join(f"    <Choice value={quoteattr(value)}/>\n" for value in t.values)
        controls += (
            f'  <Choices name={quoteattr(t.name)} toName={quoteattr(target)} perRegion="true" '
            f'choice="single" visibleWhen="region-selected" whenTagName={quoteattr(control)} '
            f"whenLabelValue={quoteattr(t.label)}>\n{choices}  </Choices>\n"
        )
    return controls


class LabelStudioWriter:
    """A JSON list of tasks, written one task at a time, and the labeling config for them."""

    CONFIG_SUFFIX = ".labeling-config.xml"

    def __init__(
        self,
        path: Path,
        labels: Sequence[Label],
        scheme: ClaimTypes | None = None,
        task_ids: TaskIds | None = None,
    ):
        self.path = path
        # (one for every part of a split: an id is unique across them too)
        self.task_ids = task_ids or TaskIds()
        self.moved: Counter[str] = Counter()  # tasks written under new ids, by why
        self.scheme = scheme
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.file.write("[")
        self.first = True
        self.labels = list(labels)
        self.names: dict[tuple[str, str, str], None] = {}  # (from_name, to_name, data key)
        self.config = path.with_name(path.name + self.CONFIG_SUFFIX)
        self.linked: set[str] = set()  # the objects (to_name) whose regions have a kb_id
        self.judged: set[str] = set()  # and those whose regions have a verdict
        self.counts: Counter[str] = Counter()  # relations and attribute values written
        self.clashing: set[str] = set()  # attributes named as a control: not written

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        article = item.article
        kept = item.provenance or {}
        control = _name_or(kept.get("from_name"), FROM_NAME)
        target = _name_or(kept.get("to_name"), TO_NAME)
        key = _name_or(kept.get("data_key"), DATA_KEY)
        self.names.setdefault((control, target, key))
        known = {label.name for label in self.labels}
        for span in item.spans:
            if span.label not in known:
                self.labels.append(Label(span.label))
                known.add(span.label)
        results = []
        regions: dict[tuple[int, int, str], str] = {}  # span -> its region id
        for number, span in enumerate(item.spans, start=1):
            region = f"{article.id}-{number}"
            regions.setdefault(span.key, region)
            results.append(
                {
                    "id": region,
                    "from_name": control,
                    "to_name": target,
                    "type": "labels",
                    "origin": "manual",
                    "value": {
                        "start": span.start,
                        "end": span.end,
                        "text": span.text(article.text),
                        "labels": [span.label],
                    },
                }
            )
            # What it refers to, or the linker's word on why nothing (it was dropped,
            # unsaid), each in a text area of the region's own.
            for area, text, objects in (
                (KB_CONTROL, span.kb_id, self.linked),
                (VERDICT_CONTROL, "" if span.kb_id else span.link_status, self.judged),
            ):
                if text:
                    objects.add(target)
                    results.append(
                        {
                            "id": region,
                            "from_name": area,
                            "to_name": target,
                            "type": "textarea",
                            "origin": "manual",
                            "value": {"start": span.start, "end": span.end, "text": [text]},
                        }
                    )
        results += self._claims(item, regions, target)
        data: dict[str, Any] = {key: article.text, **metadata_of(article)}
        if "article_id" not in article.meta:  # (a scraper's own: it stays, in meta, alone)
            data["article_id"] = article.id
        if article.meta:
            data["meta"] = article.meta
        task_id, moved = self.task_ids.task_id(article.id or 0, kept.get("id"))
        self.moved[moved] += bool(moved)
        task: dict[str, Any] = {"id": task_id, "data": data}
        if item.annotator:  # an article nobody annotated goes out as a task to annotate
            task["meta"] = {"annotator": item.annotator, "status": item.status}
            if item.comment:  # why it was flagged
                task["meta"]["comment"] = item.comment
            task["annotations"] = [{"result": results, "ground_truth": item.annotator == GOLD}]
        self.file.write(("\n" if self.first else ",\n") + json.dumps(task, ensure_ascii=False))
        self.first = False
        return []

    def _claims(
        self, item: AnnotatedArticle, regions: dict[tuple[int, int, str], str], target: str
    ) -> list[dict[str, Any]]:
        """A claim's source as a ``relation`` result from the claim's region to the
        source's (``direction`` right), its attribute values as per-region ``choices``."""
        results: list[dict[str, Any]] = []
        # One result per pair of regions, with every label between them: Label Studio
        # keeps only the first relation of a pair (``RelationStore``, "duplicated relation").
        pairs: dict[tuple[str, str], list[str]] = {}
        for relation in item.relations:
            head, child = regions.get(relation.head.key), regions.get(relation.child.key)
            if head and child:
                pairs.setdefault((head, child), []).append(relation.label)
                self.counts["relations"] += 1
        results += [
            {"from_id": head, "to_id": child, "type": "relation", "direction": "right",
             "labels": labels}
            for (head, child), labels in pairs.items()
        ]  # fmt: skip
        for value in item.attributes:
            region = regions.get(value.span.key)
            if value.name in control_names(self.names):
                self.counts[f"attributes {LEFT_OUT_BY_TYPE}"] += 1
                self.clashing.add(value.name)
                continue
            if region is None:
                continue
            results.append(
                {"id": region, "from_name": value.name, "to_name": target, "type": "choices",
                 "origin": "manual", "value": {"start": value.span.start, "end": value.span.end,
                                               "choices": [value.value]}}
            )  # fmt: skip
            self.counts["attributes"] += 1
        return results

    @property
    def notes(self) -> list[str]:
        """What the report says of this file beside the counts."""
        notes = moved_notes(self.moved)
        if not self.clashing:
            return notes
        return notes + [
            f"the values of the attributes {', '.join(sorted(self.clashing))} are left out "
            "(counted below): the labeling config has a control or an object of that name "
            f"already; rename them ({RENAME_ATTRIBUTES}) to export them"
        ]

    def close(self) -> None:
        self.file.write("\n]\n")
        self.file.close()
        config = labeling_config(
            self.labels, list(self.names), sorted(self.linked), self.scheme, sorted(self.judged)
        )
        self.config.write_text(config, encoding="utf-8")

    def companions(self) -> dict[Path, str]:
        """Files written beside the tasks, and the suffix of their final names."""
        return {self.config: self.CONFIG_SUFFIX}

    def discard(self) -> None:
        self.file.close()
        self.config.unlink(missing_ok=True)


def _name_or(value: Any, default: str) -> str:
    return value if isinstance(value, str) and value else default
