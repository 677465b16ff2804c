"""Whole sets of relations and attribute values: replacing an annotator's work on an article
(import, adjudication), a model's suggested relations and values and their copy to an
annotator when they start on an article, the counts of ``annotator stats``, and the bulk
reads behind agreement and the disagreement list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.core.model import Span
from annotator.core.relations import (
    AttributeValue,
    ClaimWork,
    RelationError,
    SchemeError,
    SpanAttribute,
    SpanLinks,
    SpanRelation,
    by_id,
)
from annotator.storage.base import now
from annotator.storage.relations import Relations, relation_payload, span_payload, value_payload
from annotator.storage.starting import CopiedSuggestions
from annotator.storage.suggested_names import ATTRIBUTE, RELATION, suggested_names


class ClaimSets(Relations):
    # -- whole sets: import, adjudication ----------------------------------------------------

    def replace_annotations(
        self,
        article_id: int,
        annotator: str,
        spans: Iterable[Span],
        relations: Iterable[SpanRelation] = (),
        attributes: Iterable[SpanAttribute] = (),
        action: str = "replace_spans",
    ) -> tuple[list[Span], SpanLinks]:
        """Make these spans, relations and values the annotator's whole work on the article,
        in one transaction (import, adjudication); spans and relations get new ids.

        Relations and values name their spans by value, which must be among ``spans``
        (``RelationError`` otherwise); the scheme is checked as for single edits.
        """
        stamp = now()
        with self._writing():
            self._db.execute(
                "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
            )
            stored = [self._insert_span(article_id, annotator, span, stamp) for span in spans]
            relations, attributes = list(relations), list(attributes)
            by_ids, values = by_id(stored, relations, attributes)
            if len(by_ids) != len(relations) or len(values) != len(attributes):
                raise RelationError(
                    f"a relation or attribute value of article {article_id} names a span "
                    f"{annotator} does not have there; nothing was saved"
                )
            links = SpanLinks(
                tuple(
                    self._insert_relation(article_id, annotator, relation, stamp)
                    for relation in by_ids
                ),
                tuple(self._insert_value(article_id, annotator, value, stamp) for value in values),
            )
            self._event(
                annotator,
                article_id,
                action,
                {
                    "spans": [span_payload(s) for s in stored],
                    "relations": [relation_payload(r) for r in links.relations],
                    "attributes": [value_payload(v) for v in links.attributes],
                },
                stamp,
            )
        return stored, links

    def _insert_value(
        self, article_id: int, annotator: str, value: AttributeValue, stamp: str
    ) -> AttributeValue:
        span = self._own_span(value.span, article_id, annotator)
        attribute_type = self.attribute_type(value.name)
        if attribute_type.label != span.label:
            raise SchemeError(
                f"attribute {value.name} is for {attribute_type.label} spans, not for "
                f"{self._named(span, article_id)}; nothing was saved"
            )
        attribute_type.check(value.value)
        self._db.execute(
            "INSERT OR REPLACE INTO span_attributes (span_id, name, value, article_id, "
            "annotator, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [value.span, value.name, value.value, article_id, annotator, value.origin, stamp],
        )
        return value

    # -- a model's suggestions ---------------------------------------------------------------

    def add_suggested_links(
        self,
        links: Iterable[tuple[int, Sequence[SpanRelation], Sequence[SpanAttribute]]],
        model: str,
    ) -> int:
        """Store a model's relations and values for many articles, in one transaction;
        returns how many relations.

        Each names its spans by value among the model's suggestions for the article, which
        must be stored first (``add_suggestions``, in the same transaction for all or
        nothing); a span not among them is a ``ValueError``.
        """
        count = 0
        with self._writing():
            # (by the names the project calls them now: "source" may be "attributed_to")
            names = suggested_names(self._db)
            relation_name, attribute_name = names[RELATION], names[ATTRIBUTE]
            for article_id, relations, attributes in links:
                ids: dict[tuple[int, int, str], int] = {}
                for id_, start, end, label in self._db.execute(
                    'SELECT id, start, "end", label FROM suggestions '
                    "WHERE article_id = ? AND model = ? ORDER BY id",
                    [article_id, model],
                ):
                    ids.setdefault((start, end, label), id_)
                missing = [
                    span
                    for span in [*(r.head for r in relations), *(r.child for r in relations)]
                    + [a.span for a in attributes]
                    if span.key not in ids
                ]
                if missing:
                    raise ValueError(
                        f"article {article_id}: {missing[0]} is not a suggestion of {model}"
                    )
                # (a built-in type the project deleted: "" here, and not suggested)
                relation_rows = [
                    (ids[r.head.key], ids[r.child.key], label)
                    for r in relations
                    if (label := relation_name.get(r.label, r.label))
                ]
                self._db.executemany(
                    "INSERT OR IGNORE INTO suggested_relations (head, child, label) "
                    "VALUES (?, ?, ?)",
                    relation_rows,
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO suggested_attributes (suggestion_id, name, value) "
                    "VALUES (?, ?, ?)",
                    [
                        (ids[a.span.key], name, a.value)
                        for a in attributes
                        if (name := attribute_name.get(a.name, a.name))
                    ],
                )
                count += len(relation_rows)
        return count

    def suggested_work(self, article_id: int, model: str | None = None) -> ClaimWork:
        """A model's relations and values for the article (the latest model's by default)."""
        if model is None:
            model = self.suggestion_model(article_id)
            if model is None:
                return ClaimWork()
        # Joined in SQL: an article with 20,000 suggestions and a few relations makes a few
        # spans here, not 20,000 (opening a long article waits for this on the GUI thread).
        relations = [
            SpanRelation(
                Span(h_start, h_end, h_label, "model"),
                Span(c_start, c_end, c_label, "model"),
                label,
                "model",
            )
            for h_start, h_end, h_label, c_start, c_end, c_label, label in self._db.execute(
                'SELECT h.start, h."end", h.label, c.start, c."end", c.label, r.label '
                "FROM suggestions h JOIN suggested_relations r ON r.head = h.id "
                "JOIN suggestions c ON c.id = r.child "
                "WHERE h.article_id = ? AND h.model = ? AND c.model = h.model ORDER BY r.id",
                [article_id, model],
            )
        ]
        attributes = [
            SpanAttribute(Span(start, end, label, "model"), name, value, "model")
            for start, end, label, name, value in self._db.execute(
                'SELECT s.start, s."end", s.label, a.name, a.value '
                "FROM suggestions s JOIN suggested_attributes a ON a.suggestion_id = s.id "
                "WHERE s.article_id = ? AND s.model = ? ORDER BY a.suggestion_id, a.name",
                [article_id, model],
            )
        ]
        return ClaimWork(tuple(relations), tuple(attributes))

    def copy_suggestions(self, article_id: int, annotator: str) -> CopiedSuggestions:
        """``Spans.copy_suggestions``, and the model's relations and values with them: the
        annotator starts on an article with the suggested sources and attributes too, as
        theirs with origin ``model``, joined to the spans each suggestion became."""
        stamp = now()
        with self._writing():
            copied = super().copy_suggestions(article_id, annotator)
            span_of = copied.span_ids
            if not span_of:
                return copied
            # joined, not ``IN (?, ...)``: an article may hold more suggestions than SQLite
            # takes variables in one statement
            where = "s.article_id = ? AND s.model = ?"
            self._db.executemany(
                "INSERT OR IGNORE INTO relations (article_id, annotator, head, child, label, "
                "origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'model', ?, ?)",
                [
                    (article_id, annotator, span_of[head], span_of[child], label, stamp, stamp)
                    for head, child, label in self._db.execute(
                        "SELECT r.head, r.child, r.label FROM suggestions s "
                        f"JOIN suggested_relations r ON r.head = s.id WHERE {where} ORDER BY r.id",
                        [article_id, copied.model],
                    )
                    if child in span_of
                ],
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO span_attributes (span_id, name, value, article_id, "
                "annotator, origin, updated_at) VALUES (?, ?, ?, ?, ?, 'model', ?)",
                [
                    (span_of[suggestion], name, value, article_id, annotator, stamp)
                    for suggestion, name, value in self._db.execute(
                        "SELECT a.suggestion_id, a.name, a.value FROM suggestions s "
                        f"JOIN suggested_attributes a ON a.suggestion_id = s.id WHERE {where}",
                        [article_id, copied.model],
                    )
                    if suggestion in span_of
                ],
            )
        return copied

    # -- counts ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """``Statuses.stats``, with relations per annotator and label, attribute values per
        annotator, attribute and value, and per model the suggested relations, attribute
        values and link statuses."""
        figures = super().stats()
        relations: dict[str, dict[str, int]] = {}
        for annotator, label, n in self._db.execute(
            "SELECT annotator, label, COUNT(*) FROM relations GROUP BY 1, 2 ORDER BY 1, 2"
        ):
            relations.setdefault(annotator, {})[label] = n
        attributes: dict[str, dict[str, dict[str, int]]] = {}
        for annotator, name, value, n in self._db.execute(
            "SELECT annotator, name, value, COUNT(*) FROM span_attributes "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ):
            attributes.setdefault(annotator, {}).setdefault(name, {})[value] = n
        suggested: dict[str, dict[str, int]] = {}
        for model, label, n in self._db.execute(
            "SELECT s.model, r.label, COUNT(*) FROM suggested_relations r "
            "JOIN suggestions s ON s.id = r.head GROUP BY 1, 2 ORDER BY 1, 2"
        ):
            suggested.setdefault(model, {})[label] = n
        suggested_values: dict[str, dict[str, dict[str, int]]] = {}
        for model, name, value, n in self._db.execute(
            "SELECT s.model, a.name, a.value, COUNT(*) FROM suggested_attributes a "
            "JOIN suggestions s ON s.id = a.suggestion_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ):
            suggested_values.setdefault(model, {}).setdefault(name, {})[value] = n
        # What the linker answered for each suggested place and faction ('' : not asked).
        suggested_links: dict[str, dict[str, int]] = {}
        for model, status, n in self._db.execute(
            "SELECT model, link_status, COUNT(*) FROM suggestions WHERE link_status != '' "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        ):
            suggested_links.setdefault(model, {})[status] = n
        # and each annotator's: linked to an entry, or a verdict (generic, unknown, ...)
        links: dict[str, dict[str, int]] = {}
        for annotator, status, n in self._db.execute(
            "SELECT annotator, CASE WHEN kb_id != '' THEN 'linked' ELSE link_status END, "
            "COUNT(*) FROM spans WHERE kb_id != '' OR link_status != '' "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        ):
            links.setdefault(annotator, {})[status] = n
        figures.update(
            relations=relations,
            attributes=attributes,
            links=links,
            suggested_relations=suggested,
            suggested_attributes=suggested_values,
            suggested_links=suggested_links,
            relation_types=[t.name for t in self.relation_types()],
            attribute_types=[t.name for t in self.attribute_types()],
        )
        return figures

    # -- the reads behind agreement and the disagreement list -------------------------------

    def packed_relation_rows(
        self,
        annotators: Sequence[str],
        labels: Sequence[str],
        relation_labels: Sequence[str],
        longest_text: int,
    ) -> list[tuple[int, int, int]]:
        """Every relation of the annotators as three integers (a project holds hundreds of
        thousands; three ints cost a third of nine):

        - ``(article * A + annotator) * (T + 1) + relation label``;
        - the claim (head) and the source (child), each ``(start * n + end) * (L + 1) +
          label``, with ``n = longest_text + 1``;

        names coded by index in ``annotators`` (A), ``relation_labels`` (T) and ``labels``
        (L); the last code of a label stands for one not among them."""
        if not annotators:
            return []
        n, n_labels, n_kinds = longest_text + 1, len(labels) + 1, len(relation_labels) + 1
        marks = ", ".join("?" * len(annotators))
        who, label, kind = (_cases(len(names)) for names in (annotators, labels, relation_labels))

        def span(alias: str) -> str:
            return (
                f'({alias}.start * {n} + {alias}."end") * {n_labels} '
                f"+ CASE {alias}.label {label} ELSE {n_labels - 1} END"
            )

        return self._db.execute(
            f"SELECT (r.article_id * {len(annotators)} + CASE r.annotator {who} END) * {n_kinds} "
            f"+ CASE r.label {kind} ELSE {n_kinds - 1} END, {span('h')}, {span('c')} "
            "FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child "
            f"WHERE r.annotator IN ({marks})",
            [*annotators, *relation_labels, *labels, *labels, *annotators],
        ).fetchall()

    def packed_attribute_rows(
        self,
        annotators: Sequence[str],
        labels: Sequence[str],
        values: Sequence[tuple[str, Sequence[str]]],
        longest_text: int,
    ) -> list[tuple[int, int]]:
        """Every attribute value of the annotators as two integers:

        - ``((article * A + annotator) * (N + 1) + attribute) * (V + 1) + value``;
        - the span, ``(start * n + end) * (L + 1) + label`` as in ``packed_relation_rows``;

        ``values`` lists the attributes (N) with their values (V: the most any has); an
        attribute or value not among them has the last code."""
        if not annotators:
            return []
        n, n_labels = longest_text + 1, len(labels) + 1
        n_names, n_values = len(values) + 1, max((len(vs) for _, vs in values), default=0) + 1
        marks = ", ".join("?" * len(annotators))
        who, label, name = (_cases(len(names)) for names in (annotators, labels, values))
        pairs = [(a, v, k) for a, vs in values for k, v in enumerate(vs)]
        value = " ".join("WHEN a.name = ? AND a.value = ? THEN ?" for _ in pairs) or (
            "WHEN NULL THEN -1"
        )
        return self._db.execute(
            f"SELECT ((a.article_id * {len(annotators)} + CASE a.annotator {who} END) "
            f"* {n_names} + CASE a.name {name} ELSE {n_names - 1} END) * {n_values} "
            f"+ CASE {value} ELSE {n_values - 1} END, "
            f'(s.start * {n} + s."end") * {n_labels} '
            f"+ CASE s.label {label} ELSE {n_labels - 1} END "
            "FROM span_attributes a JOIN spans s ON s.id = a.span_id "
            f"WHERE a.annotator IN ({marks})",
            [*annotators, *(a for a, _ in values), *(x for pair in pairs for x in pair),
             *labels, *annotators],
        ).fetchall()  # fmt: skip


def _cases(n: int) -> str:
    """The WHEN clauses of a CASE that codes ``n`` names (bound as parameters) by index."""
    return " ".join(f"WHEN ? THEN {i}" for i in range(n)) or "WHEN NULL THEN -1"
