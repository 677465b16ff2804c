"""Streaming reads for dataset export: whose version of each article, with texts and spans.

Everything here walks the project in article-id order, a batch of articles at a time, so
memory stays flat however large the project is.

Which annotator's spans stand for an article (its *version*):

- with an annotator named (``gold`` included), that annotator's, where they have any;
- otherwise, in order of preference: the gold version; else the one annotator who marked
  the article done; else the one annotator who started on it. When two annotators tie at
  the first of these that applies, the article has *rival* versions and no choice is made
  (``Version.rivals``).

An annotator has a version of an article once they have started on it (``Store.started``):
a span on it, or a status other than ``todo``. Opening an article to look leaves a ``todo``
row (the time spent) and no version, so the export treats it as an article nobody
annotated, not as finished work with nothing in it; ``done`` with no spans is a version (an
article without entities is an answer). Gold spans are written by adjudication, which is
finished work: a gold version without a status row counts as ``done``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from annotator.core.model import GOLD, Span
from annotator.storage.articles import ARTICLE_COLUMNS, article_from_row
from annotator.storage.errors import guarded
from annotator.storage.export_items import AnnotatedArticle, ArticleBatch
from annotator.storage.import_records import provenance_between
from annotator.storage.store import Store
from annotator.storage.token_cache import cached_tokens
from annotator.storage.usage import articles_with_spans


@dataclass(frozen=True, slots=True)
class Version:
    """Whose spans stand for an article, and that annotator's status on it."""

    article_id: int
    annotator: str | None  # None: nobody's (not annotated, or rival versions)
    status: str  # the annotator's status; "todo" when nobody annotated it
    rivals: tuple[tuple[str, str], ...] = ()  # (annotator, status) of tied versions


@guarded
def iter_versions(
    store: Store, annotator: str | None = None, batch: int = 500
) -> Iterator[list[Version]]:
    """The version of every article, in id order, a batch at a time (see the module doc)."""
    last = 0
    while True:
        ids = [
            row[0]
            for row in store._db.execute(
                "SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, batch]
            )
        ]
        if not ids:
            return
        yield _versions(store, ids, annotator)
        last = ids[-1]


@guarded
def versions_between(
    store: Store, first: int, last: int, annotator: str | None = None
) -> list[Version]:
    """The version of each article whose id is in ``first..last``, in id order."""
    ids = [
        row[0]
        for row in store._db.execute(
            "SELECT id FROM articles WHERE id BETWEEN ? AND ? ORDER BY id", [first, last]
        )
    ]
    return _versions(store, ids, annotator) if ids else []


def _versions(store: Store, ids: list[int], annotator: str | None) -> list[Version]:
    candidates = _candidates(store, ids[0], ids[-1], annotator)
    return [_choose(article_id, candidates.get(article_id, []), annotator) for article_id in ids]


@guarded
def load_articles(
    store: Store, versions: Sequence[Version], provenance: str | None = None
) -> list[AnnotatedArticle]:
    """Texts and spans for these versions (id order), with two queries whatever their number;
    with what each article's tool keeps, for the format named by ``provenance``."""
    chosen = list(versions)
    if not chosen:
        return []
    ids = [v.article_id for v in chosen]
    marks = ",".join("?" * len(ids))
    rows = {
        row[0]: row
        for row in store._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids
        )
    }
    wanted = {(v.article_id, v.annotator) for v in chosen if v.annotator is not None}
    spans: dict[int, list[Span]] = defaultdict(list)
    names = sorted({annotator for _, annotator in wanted})
    if names:
        who = ",".join("?" * len(names))
        for article_id, name, id_, start, end, label, origin in store._db.execute(
            'SELECT article_id, annotator, id, start, "end", label, origin FROM spans '
            f"WHERE article_id BETWEEN ? AND ? AND +annotator IN ({who}) "
            'ORDER BY article_id, start, "end", label, id',
            [min(ids), max(ids), *names],
        ):
            theirs = spans[article_id] if (article_id, name) in wanted else None
            # A twin (same edges and label: a script's, the window makes none) goes out once.
            if theirs is not None and not (theirs and theirs[-1].key == (start, end, label)):
                theirs.append(Span(start, end, label, origin, id_))
    kept = provenance_between(store, min(ids), max(ids), provenance) if provenance else {}
    comments = _flag_comments(store, chosen)
    return [
        AnnotatedArticle(
            article_from_row(rows[v.article_id]),
            spans.get(v.article_id, []),
            v.annotator or "",
            v.status,
            kept.get(v.article_id),
            comment=comments[k] if comments else "",
        )
        for k, v in enumerate(chosen)
        if v.article_id in rows
    ]


@guarded
def load_batch(
    store: Store,
    versions: Sequence[Version],
    tokenizer: str | None = None,
    provenance: str | None = None,
    negatives: bool = False,
    asked: str | None = None,
) -> ArticleBatch:
    """Texts and spans for these versions (id order) as an ``ArticleBatch``, with the token
    cache entries of ``tokenizer`` if one is named and what each article's tool keeps for
    the format named by ``provenance``; the known negatives if ``negatives``, of ``asked``
    alone where one annotator's versions are exported. One query per annotator involved."""
    chosen = list(versions)
    if not chosen:
        return ArticleBatch(*([] for _ in range(14)))
    first, last = chosen[0].article_id, chosen[-1].article_id
    rows = {
        row[0]: row
        for row in store._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id BETWEEN ? AND ?", [first, last]
        )
    }
    chosen = [v for v in chosen if v.article_id in rows]
    whose: dict[str, set[int]] = defaultdict(set)
    for v in chosen:
        if v.annotator is not None:
            whose[v.annotator].add(v.article_id)
    spans: list[tuple[int, int, int, str]] = []
    for name, theirs in whose.items():
        found = store._db.execute(  # from the index (annotator, article_id, start, ...) alone
            'SELECT article_id, start, "end", label FROM spans '
            "WHERE annotator = ? AND article_id BETWEEN ? AND ? "
            'ORDER BY article_id, start, "end", label, id',
            [name, min(theirs), max(theirs)],
        ).fetchall()
        if not set(map(itemgetter(0), found)) <= theirs:  # spans on articles not exported
            found = [row for row in found if row[0] in theirs]
        # A twin (same edges and label: a script's, the window makes none) goes out once;
        # the rows are sorted, so twins are neighbours.
        spans.extend(row for row, _ in groupby(found))
    if len(whose) > 1:
        spans.sort(key=itemgetter(0))  # stable: each article's spans stay in order
    article_rows = [rows[v.article_id] for v in chosen]
    ids, texts, titles, sources, urls, published, metas = (
        list(column) for column in zip(*article_rows, strict=True)
    )
    owners, starts, ends, labels = (
        (list(column) for column in zip(*spans, strict=True)) if spans else ([], [], [], [])
    )
    cache = cached_tokens(store, ids, tokenizer) if tokenizer else {}
    kept = _provenance_rows(store, ids[0], ids[-1], provenance) if provenance and ids else {}
    rejected = _negative_rows(store, chosen, asked) if negatives else {}
    return ArticleBatch(
        ids,
        texts,
        [title or "" for title in titles],
        [source or "" for source in sources],
        [url or "" for url in urls],
        [date or "" for date in published],
        [meta or "{}" for meta in metas],
        [v.annotator or "" for v in chosen],
        [v.status for v in chosen],
        [bisect_right(owners, i) - bisect_left(owners, i) for i in ids],
        starts,
        ends,
        labels,
        [cache.get(i) for i in ids],
        [kept.get(i) for i in ids] if provenance else [],
        [rejected.get(i, []) for i in ids] if negatives else [],
        _flag_comments(store, chosen),
    )


def _flag_comments(store: Store, chosen: Sequence[Version]) -> list[str]:
    """Each flagged version's comment, in order ("" for the others); [] when none has one."""
    flagged = [v for v in chosen if v.status == "flagged" and v.annotator is not None]
    if not flagged:
        return []
    comments = {
        (article_id, who): comment
        for article_id, who, comment in store._db.execute(
            "SELECT article_id, annotator, comment FROM article_status WHERE status = 'flagged' "
            "AND article_id BETWEEN ? AND ?",
            [min(v.article_id for v in flagged), max(v.article_id for v in flagged)],
        )
    }
    found = [comments.get((v.article_id, v.annotator or ""), "") for v in chosen]
    return found if any(found) else []


def _negative_rows(
    store: Store, chosen: Sequence[Version], asked: str | None = None
) -> dict[int, list[tuple[int, int, str]]]:
    """The known negatives of each chosen version's annotator, per article; of an article
    nobody annotated (a task rejected whole leaves it so), ``asked``'s if one annotator's
    versions are exported, else everyone's. An article another annotator has spans on is
    not one nobody annotated: ``--annotator ana`` wrote dan's rejections where ana had no
    version."""
    whose = {v.article_id: v.annotator or asked for v in chosen}
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if not whose:
        return found
    annotated = articles_with_spans(store, whose.keys())
    for article_id, annotator in list(whose.items()):
        if annotator is None and article_id in annotated:
            del whose[article_id]
    if not whose:
        return found
    for article_id, annotator, start, end, label in store._db.execute(
        'SELECT article_id, annotator, start, "end", label FROM known_negatives '
        'WHERE article_id BETWEEN ? AND ? ORDER BY article_id, start, "end", label',
        [min(whose), max(whose)],
    ):
        key = (start, end, label)
        theirs = article_id in whose and whose[article_id] in (None, annotator)
        if theirs and found[article_id][-1:] != [key]:  # not twice: two rejected it
            found[article_id].append(key)
    return found


def _provenance_rows(store: Store, first: int, last: int, format_name: str) -> dict[int, str]:
    return dict(
        store._db.execute(
            "SELECT article_id, record FROM provenance WHERE format = ? "
            "AND article_id BETWEEN ? AND ?",
            [format_name, first, last],
        ).fetchall()
    )


def _candidates(
    store: Store, first: int, last: int, annotator: str | None
) -> dict[int, list[tuple[str, str | None]]]:
    """(annotator, status row or None) of everyone with a version, per article in the range:
    those with spans on it, or a status other than ``todo`` (as ``Store.started``)."""
    # The unary + keeps SQLite off the annotator-only indexes: with one annotator named it
    # would otherwise walk all of their rows for every batch. GROUP BY, which the index
    # hands over in order, leaves UNION one row per annotator and article to sort, not one
    # per span.
    only = "AND +annotator = :who" if annotator is not None else ""
    sql = f"""
        SELECT w.article_id, w.annotator, s.status
        FROM (
            SELECT article_id, annotator FROM article_status
             WHERE article_id BETWEEN :first AND :last {only} AND status != 'todo'
            UNION
            SELECT article_id, annotator FROM spans
             WHERE article_id BETWEEN :first AND :last {only}
             GROUP BY article_id, annotator
        ) AS w
        LEFT JOIN article_status AS s
          ON s.article_id = w.article_id AND s.annotator = w.annotator
        ORDER BY w.article_id, w.annotator
    """
    found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for article_id, name, status in store._db.execute(
        sql, {"first": first, "last": last, "who": annotator}
    ):
        found[article_id].append((name, status))
    return found


def _choose(
    article_id: int, candidates: list[tuple[str, str | None]], annotator: str | None
) -> Version:
    versions = [(name, _status(name, status)) for name, status in candidates]
    if annotator is not None:
        for name, status in versions:
            if name == annotator:
                return Version(article_id, name, status)
        return Version(article_id, None, "todo")
    for name, status in versions:
        if name == GOLD:
            return Version(article_id, name, status)
    done = [(name, status) for name, status in versions if status == "done"]
    tier = done or versions
    if not tier:
        return Version(article_id, None, "todo")
    if len(tier) == 1:
        return Version(article_id, *tier[0])
    return Version(article_id, None, "", rivals=tuple(tier))


def _status(annotator: str, status: str | None) -> str:
    if status is not None:
        return status
    return "done" if annotator == GOLD else "in_progress"
