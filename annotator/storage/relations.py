"""Relations and attribute values: who makes each claim, and how the article frames it.

An annotator's relations join two of their spans on one article (``head`` a CLAIM, ``child``
the FACTION or SOURCE span that makes it, for the ``source`` relation); attribute values sit
on one span each. Both are edited here one at a time (the window); whole sets (import,
adjudication, a model's suggestions copied on first opening) are in ``claim_sets``.

What goes with a span: deleting it deletes its relations and values, and relabelling it
deletes those the scheme does not allow on the new label (triggers of migration
``0010_claim_relations``, so it holds for every way a span is removed). An undo must put them
back exactly: ``span_links`` reads them before the edit and ``restore_links`` restores them,
ids included; ``delete_span_with_links`` and ``restore_span`` do both for one span.

Relation ids, like span ids, are never given twice, so an undo that holds one reaches that
relation or nothing (``RelationConflict``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from annotator.core.model import Span
from annotator.core.relations import (
    AttributeValue,
    ClaimWork,
    Relation,
    RelationError,
    RemovedSpan,
    SchemeError,
    SpanLinks,
    by_value,
)
from annotator.storage.base import now
from annotator.storage.claim_scheme import ClaimScheme
from annotator.storage.errors import SpanConflict
from annotator.storage.review_queries import ReviewQueries


class RelationConflict(SpanConflict):
    """A relation was deleted, or restored, elsewhere (another window, another program)."""


_RELATION_COLUMNS = "id, head, child, label, origin"


class Relations(ReviewQueries, ClaimScheme):
    # -- reading -----------------------------------------------------------------------------

    def relations(self, article_id: int, annotator: str) -> list[Relation]:
        return [
            Relation(head, child, label, origin, id_)
            for id_, head, child, label, origin in self._db.execute(
                f"SELECT {_RELATION_COLUMNS} FROM relations WHERE annotator = ? "
                "AND article_id = ? ORDER BY id",
                [annotator, article_id],
            )
        ]

    def attribute_values(self, article_id: int, annotator: str) -> list[AttributeValue]:
        return [
            AttributeValue(span_id, name, value, origin)
            for span_id, name, value, origin in self._db.execute(
                "SELECT span_id, name, value, origin FROM span_attributes "
                "WHERE annotator = ? AND article_id = ? ORDER BY span_id, name",
                [annotator, article_id],
            )
        ]

    def attribute_value(self, span_id: int, name: str) -> AttributeValue | None:
        """The value stored for attribute ``name`` on the span, or ``None`` (the default)."""
        row = self._db.execute(
            "SELECT value, origin FROM span_attributes WHERE span_id = ? AND name = ?",
            [span_id, name],
        ).fetchone()
        return AttributeValue(span_id, name, row[0], row[1]) if row else None

    def claim_work(self, article_id: int, annotator: str) -> ClaimWork:
        """The annotator's relations and values on the article, by span value."""
        return by_value(
            self.spans(article_id, annotator),
            self.relations(article_id, annotator),
            self.attribute_values(article_id, annotator),
        )

    def span_links(self, span_ids: Iterable[int]) -> SpanLinks:
        """The relations touching these spans and the values on them: what deleting or
        relabelling them may take away. Read it before the edit to undo it exactly."""
        ids = sorted(set(span_ids))
        relations: dict[int, Relation] = {}
        values: list[AttributeValue] = []
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            marks = ", ".join("?" * len(chunk))
            for id_, head, child, label, origin in self._db.execute(
                f"SELECT {_RELATION_COLUMNS} FROM relations WHERE head IN ({marks}) "
                f"UNION SELECT {_RELATION_COLUMNS} FROM relations WHERE child IN ({marks})",
                chunk + chunk,
            ):
                relations[id_] = Relation(head, child, label, origin, id_)
            values += [
                AttributeValue(*row)
                for row in self._db.execute(
                    "SELECT span_id, name, value, origin FROM span_attributes "
                    f"WHERE span_id IN ({marks}) ORDER BY span_id, name",
                    chunk,
                )
            ]
        return SpanLinks(tuple(relations[i] for i in sorted(relations)), tuple(values))

    # -- relations ---------------------------------------------------------------------------

    def add_relation(self, article_id: int, annotator: str, relation: Relation) -> Relation:
        """Store a relation between two of the annotator's spans on the article; returns it
        with its id.

        Refused with ``RelationError`` if an end is not the annotator's span on this article,
        with ``SchemeError`` if the relation type does not join such labels (a ``source``
        goes from a CLAIM to a FACTION or SOURCE) or the relation is there already, and with
        ``SpanConflict`` if an end was deleted elsewhere. A relation with an id is one this
        project held before (an undo): it gets its id back, or ``RelationConflict`` if it is
        back already.
        """
        stamp = now()
        with self._writing():
            stored = self._insert_relation(article_id, annotator, relation, stamp)
            self._log_edit(article_id, annotator, "add_relation", relation_payload(stored), stamp)
        return stored

    def delete_relation(
        self,
        relation_id: int,
        *,
        expected: Relation | None = None,
        article_id: int | None = None,
        annotator: str | None = None,
    ) -> Relation:
        """Remove a relation; returns it as it was, so that ``add_relation`` can restore it.

        ``RelationConflict`` (nothing written) if it is gone, is not on ``article_id`` or not
        ``annotator``'s, or differs from ``expected``.
        """
        stamp = now()
        with self._writing():
            row = self._db.execute(
                f"SELECT {_RELATION_COLUMNS}, article_id, annotator FROM relations WHERE id = ?",
                [relation_id],
            ).fetchone()
            if row is None:
                raise RelationConflict(
                    "the relation was deleted elsewhere (another window or program); "
                    "nothing was changed"
                )
            id_, head, child, label, origin, owner_article, owner = row
            before = Relation(head, child, label, origin, id_)
            if (
                (article_id is not None and owner_article != article_id)
                or (annotator is not None and owner != annotator)
                or (expected is not None and expected != before)
            ):
                raise RelationConflict(
                    "the relation was changed elsewhere (another window or program); "
                    "nothing was changed"
                )
            self._db.execute("DELETE FROM relations WHERE id = ?", [relation_id])
            self._log_edit(owner_article, owner, "delete_relation", relation_payload(before), stamp)
        return before

    def _insert_relation(
        self, article_id: int, annotator: str, relation: Relation, stamp: str
    ) -> Relation:
        head = self._own_span(relation.head, article_id, annotator)
        child = self._own_span(relation.child, article_id, annotator)
        relation_type = self.relation_type(relation.label)
        if not relation_type.allows(head.label, child.label):
            raise SchemeError(
                f"a {relation.label} relation goes from {' or '.join(relation_type.head_labels)} "
                f"to {' or '.join(relation_type.child_labels)}, not from {head.label} to "
                f"{child.label}; nothing was saved"
            )
        try:
            cursor = self._db.execute(
                "INSERT INTO relations (id, article_id, annotator, head, child, label, origin, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [relation.id, article_id, annotator, relation.head, relation.child,
                 relation.label, relation.origin, stamp, stamp],
            )  # fmt: skip
        except sqlite3.IntegrityError as error:
            if "relations.id" in str(error):
                raise RelationConflict(
                    "the relation is already back (restored in another window); nothing was changed"
                ) from None
            raise SchemeError(
                f"{self._named(head, article_id)} already has this {relation.label} relation "
                f"to {self._named(child, article_id)}; nothing was saved"
            ) from None
        return Relation(
            relation.head, relation.child, relation.label, relation.origin, cursor.lastrowid
        )

    def _own_span(self, span_id: int, article_id: int, annotator: str) -> Span:
        """The span ``span_id`` if it is the annotator's on the article."""
        row = self._db.execute(
            'SELECT start, "end", label, origin, article_id, annotator FROM spans WHERE id = ?',
            [span_id],
        ).fetchone()
        if row is None:
            raise SpanConflict(
                f"span {span_id} was deleted elsewhere (another window or program); "
                "nothing was changed"
            )
        start, end, label, origin, owner_article, owner = row
        if (owner_article, owner) != (article_id, annotator):
            raise RelationError(
                f"{self._named(Span(start, end, label), owner_article)} is not {annotator}'s "
                "on article "
                f"{article_id}: a relation joins spans of one article and annotator; "
                "nothing was saved"
            )
        return Span(start, end, label, origin, span_id)

    # -- attribute values --------------------------------------------------------------------

    def set_attribute(
        self,
        span_id: int,
        name: str,
        value: str,
        origin: str = "human",
        *,
        article_id: int | None = None,
        annotator: str | None = None,
    ) -> AttributeValue:
        """Set an attribute's value on a span; returns it as stored.

        ``SchemeError`` if the scheme has no such attribute for the span's label or the value
        is not one of its values; ``SpanConflict`` if the span is gone or is not on
        ``article_id`` or not ``annotator``'s.
        """
        stamp = now()
        with self._writing():
            span, owner = self._expect(span_id, None, article_id, annotator)
            attribute_type = self.attribute_type(name)
            if attribute_type.label != span.label:
                raise SchemeError(
                    f"attribute {name} is for {attribute_type.label} spans, not for "
                    f"{self._named(span, owner[0])}; nothing was saved"
                )
            attribute_type.check(value)
            before = self.attribute_value(span_id, name)
            self._db.execute(
                "INSERT INTO span_attributes (span_id, name, value, article_id, annotator, "
                "origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (span_id, name) DO UPDATE SET value = excluded.value, "
                "origin = excluded.origin, updated_at = excluded.updated_at",
                [span_id, name, value, owner[0], owner[1], origin, stamp],
            )
            after = AttributeValue(span_id, name, value, origin)
            payload = {"before": value_payload(before), "after": value_payload(after)}
            self._log_edit(*owner, "set_attribute", payload, stamp)
        return after

    def clear_attribute(
        self,
        span_id: int,
        name: str,
        *,
        article_id: int | None = None,
        annotator: str | None = None,
    ) -> AttributeValue | None:
        """Remove an attribute's value from a span (it has the default again); returns the
        value it had, or ``None`` if it had none."""
        stamp = now()
        with self._writing():
            _, owner = self._expect(span_id, None, article_id, annotator)
            before = self.attribute_value(span_id, name)
            if before is not None:
                self._db.execute(
                    "DELETE FROM span_attributes WHERE span_id = ? AND name = ?", [span_id, name]
                )
                payload = {"before": value_payload(before)}
                self._log_edit(*owner, "clear_attribute", payload, stamp)
        return before

    # -- spans with their links: exact undo --------------------------------------------------

    def restore_links(self, article_id: int, annotator: str, links: SpanLinks) -> SpanLinks:
        """Put back relations and values read with ``span_links`` (after their spans are back),
        relations with their ids; returns them as stored."""
        stamp = now()
        with self._writing():
            relations = tuple(
                self._insert_relation(article_id, annotator, relation, stamp)
                for relation in links.relations
            )
            values = tuple(
                self.set_attribute(
                    value.span,
                    value.name,
                    value.value,
                    value.origin,
                    article_id=article_id,
                    annotator=annotator,
                )
                for value in links.attributes
            )
            if relations:
                self._event(
                    annotator,
                    article_id,
                    "restore_relations",
                    {"relations": [relation_payload(r) for r in relations]},
                    stamp,
                )
        return SpanLinks(relations, values)

    def delete_span_with_links(
        self,
        span_id: int,
        *,
        expected: Span | None = None,
        article_id: int | None = None,
        annotator: str | None = None,
    ) -> RemovedSpan:
        """``delete_span``, returning what went with the span, for ``restore_span``."""
        with self._writing():
            links = self.span_links([span_id])
            span = self.delete_span(
                span_id, expected=expected, article_id=article_id, annotator=annotator
            )
        return RemovedSpan(span, links)

    def restore_span(self, article_id: int, annotator: str, removed: RemovedSpan) -> RemovedSpan:
        """Undo ``delete_span_with_links``: the span with its id, then its relations (whose
        other ends must still be there) and values."""
        with self._writing():
            span = self.add_span(article_id, annotator, removed.span)
            links = self.restore_links(article_id, annotator, removed.links)
        return RemovedSpan(span, links)


def relation_payload(relation: Relation) -> dict[str, Any]:
    return {
        "id": relation.id,
        "head": relation.head,
        "child": relation.child,
        "label": relation.label,
        "origin": relation.origin,
    }


def value_payload(value: AttributeValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"span": value.span, "name": value.name, "value": value.value, "origin": value.origin}


def span_payload(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "origin": span.origin,
    }
