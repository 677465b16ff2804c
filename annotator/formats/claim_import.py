"""Which relations and attribute values of an imported file the project keeps: those its
scheme has (``Store.relation_types``, ``Store.attribute_types``), between spans of the
labels the scheme allows, with values the attribute has. The others are counted by kind in
the import's report, named after the tool and the type ("brat relations (R) of type
Family: not in the project's scheme 2"), never dropped without a word.

A value that is the attribute's default is kept by not storing it (a span without a stored
value has the default); a binary attribute (``PRESENT``, brat's ``A1 hedged T3``) is its
flag's second value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from annotator.core.relations import FLAG, AttributeType, RelationType, SpanAttribute, SpanRelation
from annotator.formats.base import PRESENT

#: How each format's relations and attribute values are called in reports.
RELATION_KINDS = {
    "brat": "brat relations (R)",
    "jsonl": "Prodigy relations",
    "doccano": "doccano relations",
    "labelstudio": "Label Studio relations",
}
ATTRIBUTE_KINDS = {
    "brat": "brat attributes (A)",
    "jsonl": "Prodigy span attributes",
    "labelstudio": "Label Studio per-region choices",
}


class SchemeFilter:
    """Keeps what the project's scheme has; counts the rest in ``not_held``."""

    def __init__(
        self, relation_types: Iterable[RelationType], attribute_types: Iterable[AttributeType]
    ):
        self.relation_types = {t.name: t for t in relation_types}
        self.attribute_types = {t.name: t for t in attribute_types}

    def relations(
        self, relations: Sequence[SpanRelation], format_name: str, not_held: Counter[str]
    ) -> list[SpanRelation]:
        kind = RELATION_KINDS.get(format_name, f"{format_name} relations")
        kept = []
        for relation in relations:
            relation_type = self.relation_types.get(relation.label)
            if relation_type is None:
                not_held[f"{kind} of type {relation.label}: not in the project's scheme"] += 1
            elif not relation_type.allows(relation.head.label, relation.child.label):
                heads, children = relation_type.head_labels, relation_type.child_labels
                not_held[
                    f"{kind} {relation.label} from {relation.head.label} to "
                    f"{relation.child.label}: the scheme's {relation.label} goes from "
                    f"{'/'.join(heads)} to {'/'.join(children)}"
                ] += 1
            else:
                kept.append(relation)
        return kept

    def attributes(
        self, attributes: Sequence[SpanAttribute], format_name: str, not_held: Counter[str]
    ) -> tuple[list[SpanAttribute], int]:
        """The values to store (defaults left out), and how many values were kept in all."""
        kind = ATTRIBUTE_KINDS.get(format_name, f"{format_name} attributes")
        stored, kept = [], 0
        chosen: dict[tuple[tuple[int, int, str], str], str] = {}  # (span, attribute) -> value
        for attribute in attributes:
            attribute_type = self.attribute_types.get(attribute.name)
            value = attribute.value
            if attribute_type is None:
                not_held[f"{kind} {attribute.name}: not in the project's scheme"] += 1
                continue
            if attribute_type.label != attribute.span.label:
                not_held[
                    f"{kind} {attribute.name} on {attribute.span.label} spans: the scheme "
                    f"has it on {attribute_type.label} spans"
                ] += 1
                continue
            if value == PRESENT:
                if attribute_type.kind != FLAG:
                    not_held[
                        f"{kind} {attribute.name} without a value: the scheme's "
                        f"{attribute.name} is a choice ({', '.join(attribute_type.values)})"
                    ] += 1
                    continue
                value = attribute_type.values[1]
            if value not in attribute_type.values:
                not_held[
                    f"{kind} {attribute.name} {value}: not one of its values "
                    f"({', '.join(attribute_type.values)})"
                ] += 1
                continue
            key = (attribute.span.key, attribute.name)
            if key in chosen:  # a span holds one value of an attribute: the first is kept
                if chosen[key] != value:
                    not_held[f"{kind} {attribute.name}: a second value on one span"] += 1
                continue
            chosen[key] = value
            kept += 1
            if value != attribute_type.default:
                stored.append(SpanAttribute(attribute.span, attribute.name, value))
        return stored, kept
