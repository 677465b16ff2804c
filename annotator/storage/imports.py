"""Writing an import: many articles with their annotations, a batch per transaction.

``formats.importer`` reads and checks every file first; what it hands over here is known to
be valid, so a batch is written with one ``executemany`` per table rather than a call per
span. Each batch is one transaction: other windows on the project wait for one batch at a
time, not for the whole import, and a batch is all or nothing.

What a batch writes, per article: the article (unless its text is already in the project),
each annotator's spans (replacing that annotator's spans on the article, or added to them for
decisions made one span at a time) with the relations between them and their attribute
values (checked against the scheme by the importer), their status, the spans they rejected
(known negatives),
suggestions (a model's, or a tool's predictions: replacing that model's earlier ones), the
fields of the tool it came from (``provenance``), and the event log's entries, as the
edits of the window would. What it kept beside the spans is read back in ``import_records``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Article, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.core.text import title_line
from annotator.storage.base import now
from annotator.storage.errors import guarded
from annotator.storage.filling_in import fill_in
from annotator.storage.store import Store

_CHUNK = 500  # values bound in one IN (...) list


@dataclass(frozen=True, slots=True)
class AnnotationRows:
    """One annotator's annotation of one text."""

    text_hash: str
    annotator: str
    spans: Sequence[Span]
    negatives: Sequence[Span] = ()
    #: "done"; "in_progress" for partial annotations (taken with a set that replaces the
    #: annotator's, else left as it is if they have one); None for rejections alone,
    #: which touch no status.
    status: str | None = "done"
    #: True: the annotator's whole set, replacing theirs; False: decisions added to it.
    replace: bool = True
    #: Relations between the spans, and values of their attributes, by span value (both
    #: ends among ``spans``, or among the annotator's spans already stored when added to
    #: them); the scheme allows them.
    relations: Sequence[SpanRelation] = ()
    attributes: Sequence[SpanAttribute] = ()
    comment: str = ""  # a flag's


@dataclass
class ImportBatch:
    """What one transaction of an import writes."""

    articles: list[tuple[str, Article]] = field(default_factory=list)  # (text hash, article)
    #: Which of ``articles`` came with an annotator's work: a text the project holds is a
    #: duplicate skipped only without it (another annotator's version of it is no duplicate).
    with_work: set[int] = field(default_factory=set)
    annotations: list[AnnotationRows] = field(default_factory=list)
    #: (text hash, model, spans): the model's suggestions for the text, replacing its earlier.
    suggestions: list[tuple[str, str, Sequence[Span]]] = field(default_factory=list)
    #: (text hash, format, fields): what the text's tool keeps, written back on export.
    provenance: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class BatchWritten:
    added: list[int] = field(default_factory=list)  # ids of the articles added, in order
    duplicates: int = 0  # records of texts the project already held, bringing no new work
    #: articles the project held whose empty title, source, URL or date a record filled in
    filled: int = 0
    spans: int = 0
    negatives: int = 0
    unaccepted: int = 0  # spans an annotator had that their decisions now reject: removed
    suggestions: int = 0
    relations: int = 0
    attributes: int = 0


@guarded
def article_ids(store: Store, hashes: Iterable[str]) -> dict[str, int]:
    """The ids of the articles with these text hashes (those the project holds)."""
    wanted = list(dict.fromkeys(hashes))
    found: dict[str, int] = {}
    for first in range(0, len(wanted), _CHUNK):
        chunk = wanted[first : first + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            store._db.execute(
                f"SELECT text_hash, id FROM articles WHERE text_hash IN ({marks})", chunk
            ).fetchall()
        )
    return found


@guarded
def write_import_batch(store: Store, batch: ImportBatch) -> BatchWritten:
    """Write a batch in one transaction (see the module docstring)."""
    written = BatchWritten()
    stamp = now()
    conn = store._db
    with store.transaction():
        known = article_ids(store, (digest for digest, _ in batch.articles))
        new: dict[str, Article] = {}
        for index, (digest, article) in enumerate(batch.articles):
            if digest in known or digest in new:
                written.duplicates += index not in batch.with_work
            else:
                new[digest] = article
        written.filled = fill_in(
            store, [(known[d], a) for d, a in batch.articles if d in known], stamp
        )
        conn.executemany(
            "INSERT OR IGNORE INTO articles "
            "(text_hash, title, text, source, url, published, meta, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (digest, title_line(a.title), a.text, a.source, a.url, a.published,
                 json.dumps(a.meta, ensure_ascii=False), stamp)
                for digest, a in new.items()
            ],
        )  # fmt: skip
        added = article_ids(store, new)
        written.added = [added[digest] for digest in new if digest in added]
        ids = {**known, **added}
        fresh = set(written.added)
        _write_annotations(store, batch.annotations, ids, fresh, stamp, written)
        _write_suggestions(store, batch.suggestions, ids, fresh, stamp, written)
        conn.executemany(
            "INSERT OR REPLACE INTO provenance (article_id, format, record) VALUES (?, ?, ?)",
            [
                (ids[digest], name, json.dumps(fields, ensure_ascii=False))
                for digest, name, fields in batch.provenance
                if digest in ids
            ],
        )
    return written


def _write_annotations(
    store: Store,
    annotations: list[AnnotationRows],
    ids: dict[str, int],
    fresh: set[int],
    stamp: str,
    written: BatchWritten,
) -> None:
    conn = store._db
    replaced = [
        (ids[a.text_hash], a.annotator)
        for a in annotations
        if a.replace and ids[a.text_hash] not in fresh
    ]
    conn.executemany("DELETE FROM spans WHERE article_id = ? AND annotator = ?", replaced)
    conn.executemany("DELETE FROM known_negatives WHERE article_id = ? AND annotator = ?", replaced)
    next_id = _next_span_id(store)
    span_rows: list[tuple[Any, ...]] = []
    negative_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    done_rows: list[tuple[Any, ...]] = []
    open_rows: list[tuple[Any, ...]] = []
    replacing_rows: list[tuple[Any, ...]] = []
    linked: list[tuple[int, AnnotationRows, dict[tuple[int, int, str], int]]] = []
    for annotation in annotations:
        article_id = ids[annotation.text_hash]
        who = annotation.annotator
        spans = list(annotation.spans)
        added = not annotation.replace and article_id not in fresh
        if added:
            have = _span_keys(store, article_id, who)
            spans = [span for span in spans if span.key not in have]
            # A span the annotator had, rejected now: the later answer stands.
            unaccepted = [(article_id, who, *s.key) for s in annotation.negatives if s.key in have]
            conn.executemany(
                "DELETE FROM spans WHERE article_id = ? AND annotator = ? AND start = ? "
                'AND "end" = ? AND label = ?',
                unaccepted,
            )
            written.unaccepted += len(unaccepted)
        payload = []
        if annotation.relations or annotation.attributes:
            ids_of = _span_ids(store, article_id, who) if added else {}
            ids_of.update({span.key: next_id + n for n, span in enumerate(spans)})
            linked.append((article_id, annotation, ids_of))
        for span in spans:
            span_rows.append(
                (next_id, article_id, who, span.start, span.end, span.label, span.origin,
                 stamp, stamp)
            )  # fmt: skip
            payload.append(
                {"id": next_id, "start": span.start, "end": span.end, "label": span.label,
                 "origin": span.origin}
            )  # fmt: skip
            next_id += 1
        negative_rows += [(article_id, who, s.start, s.end, s.label) for s in annotation.negatives]
        entry: dict[str, Any] = {"spans": payload}
        if not annotation.replace:
            entry["merged"] = True
        if annotation.negatives:
            entry["negatives"] = [[s.start, s.end, s.label] for s in annotation.negatives]
        event_rows.append((stamp, who, article_id, "import", _json(entry)))
        if annotation.status == "done":
            done_rows.append((article_id, who, stamp))
            event_rows.append((stamp, who, article_id, "status", '{"status": "done"}'))
        elif annotation.status is not None:
            # A set that replaced the annotator's brings its status with it (binary
            # decisions over a done set left it "done", a span short); decisions added to
            # a set leave its status as it is.
            rows = replacing_rows if annotation.replace else open_rows
            rows.append((article_id, who, annotation.status, annotation.comment, stamp))
        written.spans += len(spans)
    conn.executemany(
        'INSERT INTO spans (id, article_id, annotator, start, "end", label, origin, created_at, '
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        span_rows,
    )
    before = store._db.total_changes
    conn.executemany(
        'INSERT OR IGNORE INTO known_negatives (article_id, annotator, start, "end", label) '
        "VALUES (?, ?, ?, ?, ?)",
        negative_rows,
    )
    written.negatives += store._db.total_changes - before
    conn.executemany(
        "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
        "VALUES (?, ?, 'done', '', ?) ON CONFLICT (article_id, annotator) DO UPDATE "
        "SET status = excluded.status, updated_at = excluded.updated_at",
        done_rows,
    )
    conn.executemany(
        "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, annotator) DO NOTHING",
        open_rows,
    )
    conn.executemany(
        "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, annotator) DO UPDATE "
        "SET status = excluded.status, comment = excluded.comment, "
        "updated_at = excluded.updated_at",
        replacing_rows,
    )
    conn.executemany(
        "INSERT INTO events (ts, annotator, article_id, action, payload) VALUES (?, ?, ?, ?, ?)",
        event_rows,
    )
    _write_links(store, linked, stamp, written)


def _write_links(
    store: Store,
    linked: list[tuple[int, AnnotationRows, dict[tuple[int, int, str], int]]],
    stamp: str,
    written: BatchWritten,
) -> None:
    """The relations and attribute values of the annotations just written, by span id, with
    an event each as the window's edits log them."""
    conn = store._db
    relation_rows: list[tuple[Any, ...]] = []
    value_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    for article_id, annotation, ids_of in linked:
        who = annotation.annotator
        relations = [
            (ids_of[r.head.key], ids_of[r.child.key], r.label)
            for r in annotation.relations
            if r.head.key in ids_of and r.child.key in ids_of
        ]
        values = [
            (ids_of[a.span.key], a.name, a.value)
            for a in annotation.attributes
            if a.span.key in ids_of
        ]
        relation_rows += [
            (article_id, who, head, child, label, origin_of(annotation), stamp, stamp)
            for head, child, label in relations
        ]
        value_rows += [
            (span_id, name, value, article_id, who, origin_of(annotation), stamp)
            for span_id, name, value in values
        ]
        entry = {"relations": [list(r) for r in relations], "attributes": [list(v) for v in values]}
        event_rows.append((stamp, who, article_id, "import_links", _json(entry)))
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO relations (article_id, annotator, head, child, label, origin, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        relation_rows,
    )
    written.relations += conn.total_changes - before
    conn.executemany(
        "INSERT OR REPLACE INTO span_attributes (span_id, name, value, article_id, annotator, "
        "origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        value_rows,
    )
    written.attributes += len(value_rows)
    conn.executemany(
        "INSERT INTO events (ts, annotator, article_id, action, payload) VALUES (?, ?, ?, ?, ?)",
        event_rows,
    )


def span_origins(store: Store, article_id: int, annotator: str) -> dict[tuple, str]:
    """Where each of the annotator's spans on the article came from, by extent and label
    (``model``, ``edited``, ``human``...)."""
    return {span.key: span.origin for span in store.spans(article_id, annotator)}


def keep_span_origins(
    store: Store, article_id: int, annotator: str, origins: dict[tuple, str]
) -> None:
    """Give the annotator's spans that an import wrote again with the same extent and label
    the origin they had: a file says nothing of it, and an unchanged export imported back
    turned every accepted suggestion into one made by hand (the usage figures moved)."""
    store._db.executemany(
        "UPDATE spans SET origin = ? WHERE article_id = ? AND annotator = ? AND start = ? "
        'AND "end" = ? AND label = ? AND origin != ?',
        [(origin, article_id, annotator, *key, origin) for key, origin in origins.items()],
    )


def origin_of(annotation: AnnotationRows) -> str:
    """Relations and values take the origin of the annotation's spans (``human`` for files)."""
    return annotation.spans[0].origin if annotation.spans else "human"


def _span_ids(store: Store, article_id: int, annotator: str) -> dict[tuple[int, int, str], int]:
    return {
        (start, end, label): id_
        for id_, start, end, label in store._db.execute(
            'SELECT id, start, "end", label FROM spans WHERE article_id = ? AND annotator = ? '
            "ORDER BY id DESC",
            [article_id, annotator],
        )
    }


def _write_suggestions(
    store: Store,
    suggestions: list[tuple[str, str, Sequence[Span]]],
    ids: dict[str, int],
    fresh: set[int],
    stamp: str,
    written: BatchWritten,
) -> None:
    conn = store._db
    pairs = [(ids[digest], model) for digest, model, _ in suggestions]
    old = [pair for pair in pairs if pair[0] not in fresh]
    conn.executemany("DELETE FROM suggestions WHERE article_id = ? AND model = ?", old)
    rows = [
        (article_id, s.start, s.end, s.label, model, s.score)
        for (article_id, model), (_, _, spans) in zip(pairs, suggestions, strict=True)
        for s in spans
    ]
    conn.executemany(
        'INSERT INTO suggestions (article_id, start, "end", label, model, score) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT OR REPLACE INTO preannotated (article_id, model, at) VALUES (?, ?, ?)",
        [(article_id, model, stamp) for article_id, model in pairs],
    )
    written.suggestions += len(rows)


def _next_span_id(store: Store) -> int:
    """The first span id never given: above every id in use, and above every id SQLite has
    handed out if the table counts them (AUTOINCREMENT), so that no id is ever reused."""
    highest = store._db.execute("SELECT COALESCE(MAX(id), 0) FROM spans").fetchone()[0]
    if store._db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ).fetchone():
        row = store._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'spans'").fetchone()
        if row is not None:
            highest = max(highest, row[0])
    return int(highest) + 1


def _span_keys(store: Store, article_id: int, annotator: str) -> set[tuple[int, int, str]]:
    return {
        (start, end, label)
        for start, end, label in store._db.execute(
            'SELECT start, "end", label FROM spans WHERE article_id = ? AND annotator = ?',
            [article_id, annotator],
        )
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
