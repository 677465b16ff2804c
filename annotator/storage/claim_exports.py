"""The relations and attribute values of exported versions, by span value (see ``exports``).

An export reads them a range of articles at a time beside the spans; relations and values
name their spans by start, end and label, as every format does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from annotator.storage.errors import guarded
from annotator.storage.store import Store

#: A relation by span value: (head start, end, label, child start, end, label, relation).
RelationRow = tuple[int, int, str, int, int, str, str]
#: An attribute value by span value: (start, end, label, attribute, value).
AttributeRow = tuple[int, int, str, str, str]


@guarded
def claims_between(
    store: Store, first: int, last: int, annotators: Sequence[str]
) -> tuple[dict[tuple[int, str], list[RelationRow]], dict[tuple[int, str], list[AttributeRow]]]:
    """The relations and stored attribute values of these annotators on articles
    ``first..last`` (ids), by span value: ``(article id, annotator) -> rows``, relations in
    the order they were made, values by span and name. One query per annotator and table,
    from the ``(annotator, article_id)`` indexes."""
    relations: dict[tuple[int, str], list[RelationRow]] = defaultdict(list)
    attributes: dict[tuple[int, str], list[AttributeRow]] = defaultdict(list)
    for name in sorted(set(annotators)):
        for article_id, *row in store._db.execute(
            'SELECT r.article_id, h.start, h."end", h.label, c.start, c."end", c.label, r.label '
            "FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child "
            "WHERE r.annotator = ? AND r.article_id BETWEEN ? AND ? ORDER BY r.article_id, r.id",
            [name, first, last],
        ):
            relations[article_id, name].append(tuple(row))  # type: ignore[arg-type]
        for article_id, *row in store._db.execute(
            'SELECT a.article_id, s.start, s."end", s.label, a.name, a.value '
            "FROM span_attributes a JOIN spans s ON s.id = a.span_id "
            "WHERE a.annotator = ? AND a.article_id BETWEEN ? AND ? "
            'ORDER BY a.article_id, s.start, s."end", s.label, a.name',
            [name, first, last],
        ):
            attributes[article_id, name].append(tuple(row))  # type: ignore[arg-type]
    return relations, attributes


@guarded
def holds_relations(store: Store) -> bool:
    """Whether any annotator of the project has made a relation."""
    return store._db.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None
