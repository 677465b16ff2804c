"""What an import kept beside each annotator's spans, read back: the fields of the tool an
article came from (``provenance``: its ids, names, hashes, for exports back to that tool) and
the spans an annotator rejected (``known_negatives``: Prodigy's "reject" decisions)."""

from __future__ import annotations

import json
from typing import Any

from annotator.core.model import Span
from annotator.storage.errors import guarded
from annotator.storage.store import Store


@guarded
def known_negatives(store: Store, article_id: int, annotator: str) -> list[Span]:
    """The spans an annotator rejected on an article (imported Prodigy decisions)."""
    return [
        Span(start, end, label)
        for start, end, label in store._db.execute(
            'SELECT start, "end", label FROM known_negatives WHERE article_id = ? '
            'AND annotator = ? ORDER BY start, "end", label',
            [article_id, annotator],
        )
    ]


@guarded
def provenance(store: Store, article_id: int, format_name: str) -> dict[str, Any] | None:
    """What the article's tool keeps (its ids, names, hashes), as imported; None if none."""
    row = store._db.execute(
        "SELECT record FROM provenance WHERE article_id = ? AND format = ?",
        [article_id, format_name],
    ).fetchone()
    return json.loads(row[0]) if row else None


@guarded
def provenance_between(
    store: Store, first: int, last: int, format_name: str
) -> dict[int, dict[str, Any]]:
    """``provenance`` of the articles whose ids are in ``first..last``, for exports."""
    return {
        article_id: json.loads(record)
        for article_id, record in store._db.execute(
            "SELECT article_id, record FROM provenance WHERE format = ? "
            "AND article_id BETWEEN ? AND ?",
            [format_name, first, last],
        )
    }


@guarded
def imported_ids(store: Store, format_name: str) -> list[tuple[int, Any]]:
    """(article id, the ``id`` its tool gave it, or None) of each article imported from
    ``format_name``, in article order: exports keep a task's id where it is unique."""
    return [
        (article_id, json.loads(record).get("id"))
        for article_id, record in store._db.execute(
            "SELECT article_id, record FROM provenance WHERE format = ? ORDER BY article_id",
            [format_name],
        )
    ]


@guarded
def count_known_negatives(store: Store) -> int:
    return int(store._db.execute("SELECT COUNT(*) FROM known_negatives").fetchone()[0])
