"""Writing projects' work into another: the SQL under ``annotator merge`` (what it reads
of each input is ``merge_reading``). Everything is keyed by the article's text hash, and
spans are written with new ids: row ids belong to one project file.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Label
from annotator.storage.base import now
from annotator.storage.merge_reading import (
    ArticleRecord,
    EventRecord,
    NegativeRecord,
    SpanRecord,
    StatusRecord,
    SuggestionRecord,
)
from annotator.storage.store import Store


def add_labels(store: Store, labels: Iterable[Label]) -> None:
    for label in labels:
        store.save_label(label)


def add_articles(store: Store, articles: Iterable[ArticleRecord]) -> int:
    """Insert articles (keeping their import time); returns how many."""
    rows = [
        (a.text_hash, a.title, a.text, a.source, a.url, a.published, a.meta, a.imported_at)
        for a in articles
    ]
    store._db.executemany(
        "INSERT INTO articles (text_hash, title, text, source, url, published, meta, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def article_ids_by_hash(store: Store) -> dict[str, int]:
    return dict(store._db.execute("SELECT text_hash, id FROM articles").fetchall())


def add_suggestions(
    store: Store,
    ids: dict[str, int],
    suggestions: dict[tuple[str, str], list[SuggestionRecord]],
    preannotated: dict[tuple[str, str], str],
) -> int:
    """Insert suggestions, and the record of which model ran on which article; returns how
    many suggestions."""
    store._db.executemany(
        "INSERT OR IGNORE INTO preannotated (article_id, model, at) VALUES (?, ?, ?)",
        [(ids[text_hash], model, at) for (text_hash, model), at in preannotated.items()],
    )
    rows = [
        (ids[text_hash], s.start, s.end, s.label, model, s.score, s.kb_id, s.link_status,
         s.link_note)
        for (text_hash, model), records in suggestions.items()
        for s in records
    ]  # fmt: skip
    store._db.executemany(
        'INSERT INTO suggestions (article_id, start, "end", label, model, score, kb_id, '
        "link_status, link_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def add_spans(
    store: Store, ids: dict[str, int], spans: dict[tuple[str, str], list[SpanRecord]]
) -> int:
    """Insert spans with new row ids, keeping origin and times; returns how many."""
    rows = [
        (ids[text_hash], annotator, *record)
        for (annotator, text_hash), records in spans.items()
        for record in records
    ]
    store._db.executemany(
        'INSERT INTO spans (article_id, annotator, start, "end", label, origin, created_at, '
        "updated_at, kb_id, link_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def add_negatives(
    store: Store, ids: dict[str, int], negatives: dict[tuple[str, str], list[NegativeRecord]]
) -> int:
    """Insert the spans annotators rejected; returns how many."""
    rows = [
        (ids[text_hash], annotator, *record)
        for (annotator, text_hash), records in negatives.items()
        for record in records
    ]
    store._db.executemany(
        'INSERT OR IGNORE INTO known_negatives (article_id, annotator, start, "end", label) '
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def add_provenance(
    store: Store, ids: dict[str, int], provenance: dict[tuple[str, str], str]
) -> None:
    store._db.executemany(
        "INSERT OR IGNORE INTO provenance (article_id, format, record) VALUES (?, ?, ?)",
        [(ids[text_hash], name, record) for (text_hash, name), record in provenance.items()],
    )


def add_actors(store: Store, actors: dict[str, tuple[str, str, str, str]]) -> None:
    store._db.executemany(
        "INSERT OR IGNORE INTO kb_actors (id, name, record, added_by, added_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [(kb_id, *actor) for kb_id, actor in actors.items()],
    )


def remove_work(store: Store, ids: dict[str, int], keys: Iterable[tuple[str, str]]) -> None:
    """Delete an annotator's work on articles ((annotator, text hash)): their spans (their
    relations and values go with them, by the triggers), rejections and status."""
    store.delete_versions((ids[text_hash], annotator) for annotator, text_hash in keys)


def touch_statuses(store: Store, ids: dict[str, int], keys: Iterable[tuple[str, str]]) -> None:
    """Stamp now the statuses of work that replaced older work of the project's: a review
    settled on the older work sees it as changed since (``changed_since_review``); the
    copy's own stamp, older than the review, hid it."""
    stamp = now()
    store._db.executemany(
        "UPDATE article_status SET updated_at = ? WHERE article_id = ? AND annotator = ?",
        [(stamp, ids[text_hash], annotator) for annotator, text_hash in keys],
    )


def keep_longer_times(
    store: Store, ids: dict[str, int], longer: dict[tuple[str, str], float]
) -> None:
    """Raise the reading time of statuses to what an input holds, where that is longer."""
    store._db.executemany(
        "UPDATE article_status SET seconds_active = MAX(seconds_active, ?) "
        "WHERE article_id = ? AND annotator = ?",
        [
            (seconds, ids[text_hash], annotator)
            for (annotator, text_hash), seconds in longer.items()
        ],
    )


def add_statuses(
    store: Store, ids: dict[str, int], statuses: dict[tuple[str, str], StatusRecord]
) -> int:
    rows = [
        (ids[text_hash], annotator, s.status, s.seconds_active, s.comment, s.updated_at)
        for (annotator, text_hash), s in statuses.items()
    ]
    store._db.executemany(
        "INSERT INTO article_status (article_id, annotator, status, seconds_active, comment, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def add_events(store: Store, ids: dict[str, int], events: Iterable[EventRecord]) -> int:
    rows = [
        (
            e.ts,
            e.annotator,
            ids[e.text_hash] if e.text_hash is not None else None,
            e.action,
            e.payload,
        )
        for e in events
    ]
    store._db.executemany(
        "INSERT INTO events (ts, annotator, article_id, action, payload) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
