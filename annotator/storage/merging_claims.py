"""Relations and attribute values under ``annotator merge``: read from one project, written
into another.

Row ids belong to one file, so a relation or value names its spans by value (start, end,
label) here, and is written over the spans (or suggestions) of the same annotator (or
model) and article in the target, found by value again.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.model import SpanKey
from annotator.core.relations import AttributeType, RelationType
from annotator.storage.suggested_names import carry_renames

if TYPE_CHECKING:
    from annotator.storage.store import Store

#: A relation as stored: (head, child, label, origin, created_at, updated_at).
RelationRecord = tuple[SpanKey, SpanKey, str, str, str, str]
#: An attribute value as stored: (span, name, value, origin, updated_at).
AttributeRecord = tuple[SpanKey, str, str, str, str]
#: A model's suggested relation (head, child, label) and value (span, name, value).
SuggestedRelationRecord = tuple[SpanKey, SpanKey, str]
SuggestedAttributeRecord = tuple[SpanKey, str, str]


@dataclass
class ClaimContent:
    """The relations part of a project: scheme, work keyed like spans, suggestions keyed
    like suggestions."""

    relation_types: list[RelationType] = field(default_factory=list)
    attribute_types: list[AttributeType] = field(default_factory=list)
    # (annotator, text hash) -> records
    relations: dict[tuple[str, str], list[RelationRecord]] = field(default_factory=dict)
    attributes: dict[tuple[str, str], list[AttributeRecord]] = field(default_factory=dict)
    # (text hash, model) -> records
    suggested_relations: dict[tuple[str, str], list[SuggestedRelationRecord]] = field(
        default_factory=dict
    )
    suggested_attributes: dict[tuple[str, str], list[SuggestedAttributeRecord]] = field(
        default_factory=dict
    )

    def work(self, key: tuple[str, str]) -> tuple[frozenset, frozenset]:
        """An annotator's relations and values on an article, as compared between projects."""
        return (
            frozenset(record[:3] for record in self.relations.get(key, [])),
            frozenset(record[:3] for record in self.attributes.get(key, [])),
        )


def read_claim_content(connection: sqlite3.Connection, hashes: dict[int, str]) -> ClaimContent:
    """Everything of the relations part of the project on ``connection``; ``hashes`` maps
    its article ids to text hashes."""
    content = ClaimContent()
    content.relation_types = [
        RelationType(name, tuple(json.loads(heads)), tuple(json.loads(children)),
                     color or "#555555", key or "", description or "")
        for name, heads, children, color, key, description in connection.execute(
            "SELECT name, head_labels, child_labels, color, key, description "
            "FROM relation_types ORDER BY position, name"
        )
    ]  # fmt: skip
    content.attribute_types = [
        AttributeType(name, label, kind, tuple(json.loads(values)), default, key or "",
                      description or "")
        for name, label, kind, values, default, key, description in connection.execute(
            'SELECT name, label, kind, "values", "default", key, description '
            "FROM attribute_types ORDER BY position, name"
        )
    ]  # fmt: skip
    relations = defaultdict(list)
    for (
        article_id,
        annotator,
        hs,
        he,
        hl,
        cs,
        ce,
        cl,
        label,
        origin,
        created,
        updated,
    ) in connection.execute(
        """SELECT r.article_id, r.annotator, h.start, h."end", h.label, c.start, c."end",
                      c.label, r.label, r.origin, r.created_at, r.updated_at
               FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child
               ORDER BY r.id"""
    ):
        relations[annotator, hashes[article_id]].append(
            ((hs, he, hl), (cs, ce, cl), label, origin, created or "", updated or "")
        )
    content.relations = dict(relations)
    attributes = defaultdict(list)
    for (
        article_id,
        annotator,
        start,
        end,
        label,
        name,
        value,
        origin,
        updated,
    ) in connection.execute(
        """SELECT a.article_id, a.annotator, s.start, s."end", s.label, a.name, a.value,
                      a.origin, a.updated_at
               FROM span_attributes a JOIN spans s ON s.id = a.span_id
               ORDER BY a.span_id, a.name"""
    ):
        attributes[annotator, hashes[article_id]].append(
            ((start, end, label), name, value, origin, updated or "")
        )
    content.attributes = dict(attributes)
    suggested = defaultdict(list)
    for article_id, model, hs, he, hl, cs, ce, cl, label in connection.execute(
        """SELECT h.article_id, h.model, h.start, h."end", h.label, c.start, c."end", c.label,
                  r.label
           FROM suggested_relations r JOIN suggestions h ON h.id = r.head
           JOIN suggestions c ON c.id = r.child ORDER BY r.id"""
    ):
        suggested[hashes[article_id], model].append(((hs, he, hl), (cs, ce, cl), label))
    content.suggested_relations = dict(suggested)
    values = defaultdict(list)
    for article_id, model, start, end, label, name, value in connection.execute(
        """SELECT s.article_id, s.model, s.start, s."end", s.label, a.name, a.value
           FROM suggested_attributes a JOIN suggestions s ON s.id = a.suggestion_id
           ORDER BY a.suggestion_id, a.name"""
    ):
        values[hashes[article_id], model].append(((start, end, label), name, value))
    content.suggested_attributes = dict(values)
    return content


def add_claim_scheme(
    store: Store,
    relation_types: Iterable[RelationType],
    attribute_types: Iterable[AttributeType],
    renames: dict[str, dict[str, str]] | None = None,
) -> None:
    """The planned relation types and attributes, into ``store``. ``renames``: a project
    the merge made, whose scheme is then the inputs' alone, in their order (the program's
    own types it was made with go: a source renamed attributed_to, key R, was refused
    beside the new file's own source), and calls the built-in types as its inputs did
    (``renames_of``; its pre-annotation suggested the old names, outside its scheme)."""
    relation_types, attribute_types = list(relation_types), list(attribute_types)
    held = {t.name for t in store.relation_types()} | {t.name for t in store.attribute_types()}
    if renames is not None:
        for table, planned in (
            ("relation_types", {t.name for t in relation_types}),
            ("attribute_types", {t.name for t in attribute_types}),
        ):
            for (name,) in store._db.execute(f"SELECT name FROM {table}").fetchall():
                if name not in planned:  # (nothing hangs on it yet)
                    store._db.execute(f"DELETE FROM {table} WHERE name = ?", [name])
    # Those it holds first: one that gives up its key (a copy's planned without it) frees
    # it for a new one.
    for relation_type in sorted(relation_types, key=lambda t: t.name not in held):
        store.save_relation_type(relation_type)
    for attribute_type in sorted(attribute_types, key=lambda t: t.name not in held):
        store.save_attribute_type(attribute_type)
    if renames:
        carry_renames(store._db, renames)


def renames_of(names: Iterable[dict[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """Each built-in type's name as the first input that has it calls it, renamed or not:
    that input's type is the one the merged scheme gives its key (one that kept
    ``source``, before one that renamed it ``attributed_to``: ``source`` held the key R
    and the older suggestions, new ones went to ``attributed_to``)."""
    chosen: dict[str, dict[str, str]] = {}
    for of_one in names:
        for kind, named in of_one.items():
            for built_in, now in named.items():
                if now:  # ("": deleted there)
                    chosen.setdefault(kind, {}).setdefault(built_in, now)
    return chosen


def add_relations_and_values(
    store: Store,
    ids: dict[str, int],
    relations: dict[tuple[str, str], list[RelationRecord]],
    attributes: dict[tuple[str, str], list[AttributeRecord]],
) -> int:
    """Insert relations and values over the spans already written (found by value), with
    new relation ids; returns how many relations."""
    rows, value_rows = [], []
    for key in sorted(set(relations) | set(attributes)):
        annotator, text_hash = key
        article_id = ids[text_hash]
        span_ids: dict[SpanKey, int] = {}
        for id_, start, end, label in store._db.execute(
            'SELECT id, start, "end", label FROM spans WHERE annotator = ? AND article_id = ? '
            "ORDER BY id",
            [annotator, article_id],
        ):
            span_ids.setdefault((start, end, label), id_)
        rows += [
            (article_id, annotator, span_ids[head], span_ids[child], label, origin, created,
             updated)
            for head, child, label, origin, created, updated in relations.get(key, [])
        ]  # fmt: skip
        value_rows += [
            (span_ids[span], name, value, article_id, annotator, origin, updated)
            for span, name, value, origin, updated in attributes.get(key, [])
        ]
    store._db.executemany(
        "INSERT OR IGNORE INTO relations (article_id, annotator, head, child, label, origin, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    store._db.executemany(
        "INSERT OR REPLACE INTO span_attributes (span_id, name, value, article_id, annotator, "
        "origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        value_rows,
    )
    return len(rows)


def add_suggested_links(
    store: Store,
    ids: dict[str, int],
    relations: dict[tuple[str, str], list[SuggestedRelationRecord]],
    attributes: dict[tuple[str, str], list[SuggestedAttributeRecord]],
) -> None:
    """Insert a model's suggested relations and values over its suggestions (by value)."""
    for key in sorted(set(relations) | set(attributes)):
        text_hash, model = key
        suggestion_ids: dict[SpanKey, int] = {}
        for id_, start, end, label in store._db.execute(
            'SELECT id, start, "end", label FROM suggestions WHERE article_id = ? AND model = ? '
            "ORDER BY id",
            [ids[text_hash], model],
        ):
            suggestion_ids.setdefault((start, end, label), id_)
        store._db.executemany(
            "INSERT OR IGNORE INTO suggested_relations (head, child, label) VALUES (?, ?, ?)",
            [
                (suggestion_ids[h], suggestion_ids[c], label)
                for h, c, label in relations.get(key, [])
            ],
        )
        store._db.executemany(
            "INSERT OR REPLACE INTO suggested_attributes (suggestion_id, name, value) "
            "VALUES (?, ?, ?)",
            [(suggestion_ids[span], name, value) for span, name, value in attributes.get(key, [])],
        )
