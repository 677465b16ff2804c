"""The claims schema (migration ``0010_claim_relations``): the SOURCE label, relations
between spans, attribute values of spans, their scheme, a model's suggested relations and
values, and the triggers that keep them consistent with spans and suggestions."""

from __future__ import annotations

import json

from sqlite_utils import Database

from annotator.core.model import DEFAULT_LABELS
from annotator.core.relations import DEFAULT_ATTRIBUTE_TYPES, DEFAULT_RELATION_TYPES


def add_claim_schema(db: Database) -> None:
    """Who claims what: the SOURCE label, relations between spans (a claim and its source),
    attribute values of spans (a claim's polarity, hedging, quotation), their scheme, and a
    model's suggested relations and values.

    - ``relation_types`` and ``attribute_types`` are the scheme (``annotator.core.relations``):
      which labels a relation joins, an attribute's label, kind, values (JSON lists).
    - ``relations``: an annotator's relations, ``head`` and ``child`` being ``spans.id``;
      ids are never given twice (``AUTOINCREMENT``), as for spans.
    - ``span_attributes``: one value per (span, attribute); a span without one has the
      attribute's default.
    - ``suggested_relations`` / ``suggested_attributes``: the same over ``suggestions.id``.

    Span and suggestion ids are referenced without a FOREIGN KEY clause: with foreign keys
    on, rebuilding ``spans`` (as ``0005`` did) would cascade into relations. Triggers keep the
    links consistent instead: deleting a span (or suggestion) deletes its relations and
    values, and relabelling a span deletes those the scheme no longer allows on it. A
    migration that rebuilds ``spans`` or ``suggestions`` must create their triggers again
    (``LINK_TRIGGERS``).
    """
    labels = {row[0]: row[1] for row in db.execute("SELECT name, key FROM labels")}
    source = next(label for label in DEFAULT_LABELS if label.name == "SOURCE")
    if source.name not in labels:
        key = source.key if source.key not in labels.values() else ""
        db.execute(
            "INSERT INTO labels (name, kind, color, key, description, position) VALUES "
            "(?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM labels))",
            [source.name, source.kind, source.color, key, source.description],
        )

    db.execute(
        """CREATE TABLE relation_types (
            name TEXT PRIMARY KEY,
            head_labels TEXT NOT NULL,
            child_labels TEXT NOT NULL,
            color TEXT,
            key TEXT,
            description TEXT,
            position INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE attribute_types (
            name TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            kind TEXT NOT NULL,
            "values" TEXT NOT NULL,
            "default" TEXT NOT NULL,
            key TEXT,
            description TEXT,
            position INTEGER
        )"""
    )
    for position, relation in enumerate(DEFAULT_RELATION_TYPES):
        db.execute(
            "INSERT INTO relation_types VALUES (?, ?, ?, ?, ?, ?, ?)",
            [relation.name, json.dumps(relation.head_labels), json.dumps(relation.child_labels),
             relation.color, relation.key, relation.description, position],
        )  # fmt: skip
    for position, attribute in enumerate(DEFAULT_ATTRIBUTE_TYPES):
        db.execute(
            "INSERT INTO attribute_types VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [attribute.name, attribute.label, attribute.kind, json.dumps(attribute.values),
             attribute.default, attribute.key, attribute.description, position],
        )  # fmt: skip

    db.execute(
        """CREATE TABLE relations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            annotator TEXT NOT NULL,
            head INTEGER NOT NULL,
            child INTEGER NOT NULL,
            label TEXT NOT NULL,
            origin TEXT NOT NULL,
            created_at TEXT,
            updated_at TEXT,
            UNIQUE (head, child, label)
        )"""
    )
    db.execute("CREATE INDEX idx_relations_child ON relations (child)")
    db.execute("CREATE INDEX idx_relations_annotator ON relations (annotator, article_id)")
    db.execute(
        """CREATE TABLE span_attributes (
            span_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            annotator TEXT NOT NULL,
            origin TEXT NOT NULL,
            updated_at TEXT,
            PRIMARY KEY (span_id, name)
        )"""
    )
    db.execute(
        "CREATE INDEX idx_span_attributes_annotator ON span_attributes (annotator, article_id)"
    )
    db.execute(
        """CREATE TABLE suggested_relations (
            id INTEGER PRIMARY KEY,
            head INTEGER NOT NULL,
            child INTEGER NOT NULL,
            label TEXT NOT NULL,
            UNIQUE (head, child, label)
        )"""
    )
    db.execute("CREATE INDEX idx_suggested_relations_child ON suggested_relations (child)")
    db.execute(
        """CREATE TABLE suggested_attributes (
            suggestion_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, name)
        )"""
    )
    for trigger in LINK_TRIGGERS:
        db.execute(trigger)


#: The triggers that keep relations and attribute values consistent with spans and
#: suggestions (``0010_claim_relations``).
LINK_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS spans_delete_links AFTER DELETE ON spans BEGIN
        DELETE FROM relations WHERE head = OLD.id;
        DELETE FROM relations WHERE child = OLD.id;
        DELETE FROM span_attributes WHERE span_id = OLD.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS spans_relabel_links AFTER UPDATE OF label ON spans
    WHEN NEW.label IS NOT OLD.label BEGIN
        DELETE FROM relations WHERE head = NEW.id AND NOT EXISTS (
            SELECT 1 FROM relation_types t, json_each(t.head_labels) allowed
             WHERE t.name = relations.label AND allowed.value = NEW.label);
        DELETE FROM relations WHERE child = NEW.id AND NOT EXISTS (
            SELECT 1 FROM relation_types t, json_each(t.child_labels) allowed
             WHERE t.name = relations.label AND allowed.value = NEW.label);
        DELETE FROM span_attributes WHERE span_id = NEW.id AND NOT EXISTS (
            SELECT 1 FROM attribute_types t
             WHERE t.name = span_attributes.name AND t.label = NEW.label);
    END""",
    """CREATE TRIGGER IF NOT EXISTS suggestions_delete_links AFTER DELETE ON suggestions BEGIN
        DELETE FROM suggested_relations WHERE head = OLD.id;
        DELETE FROM suggested_relations WHERE child = OLD.id;
        DELETE FROM suggested_attributes WHERE suggestion_id = OLD.id;
    END""",
)
