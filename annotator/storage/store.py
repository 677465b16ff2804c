"""``Store``: every read and write of a project file goes through here.

Edits (one span, one status) are each their own short transaction, committed before the
method returns, so whatever the window shows as saved is on disk (WAL, ``synchronous=FULL``).
Bulk work groups many writes with ``with store.transaction():``, all or nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, STATUSES, Article, Label, Span
from annotator.storage.migrations import known_migration_names, migrations

BUSY_TIMEOUT_MS = 10_000
_SPAN_COLUMNS = 'id, start, "end", label, origin'


class StorageError(AnnotatorError):
    """A project file cannot be used; the message says why and names the file."""


class NewerDatabaseError(StorageError):
    """The file was written by a newer version of the program; it is left untouched."""


@dataclass(frozen=True, slots=True)
class AddedArticles:
    ids: list[int] = field(default_factory=list)  # new articles, in input order
    duplicates: int = 0  # texts already in the project (or repeated in the input)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the article list: enough to show it without loading the text."""

    id: int
    title: str
    status: str
    spans: int


@dataclass(frozen=True, slots=True)
class StatusRow:
    status: str = "todo"
    seconds_active: float = 0.0
    comment: str = ""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """A project: articles, labels, suggestions, each annotator's spans and statuses, events.

    ``Store(path)`` opens the file, creating it if needed, and brings its schema up to date
    (after copying the file aside). ``Store()`` is an in-memory project, for tests.
    """

    def __init__(self, path: str | Path = ":memory:"):
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            self.path = self.path.expanduser()
            if self.path.is_dir():
                raise StorageError(f"{self.path}: is a folder, not a project file")
            if not self.path.parent.exists():
                raise StorageError(f"{self.path}: folder {self.path.parent} does not exist")
        conn = sqlite3.connect(
            str(self.path) if self.path else ":memory:",
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,  # a worker thread may own a Store; one thread at a time
        )
        try:
            self.db = Database(conn)
            self._check_file()
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StorageError(f"{self.path}: not an annotator project ({error})") from None
        except StorageError:
            conn.close()
            raise
        self._label_cache: list[Label] | None = None

    # -- opening ---------------------------------------------------------------------------

    def _check_file(self) -> None:
        """Refuse files that are not projects, or are projects of a newer program, untouched."""
        try:
            tables = set(self.db.table_names())
        except sqlite3.DatabaseError:
            raise StorageError(f"{self.path}: not an SQLite database") from None
        if not tables:
            return
        if "_sqlite_migrations" not in tables or "articles" not in tables:
            raise StorageError(f"{self.path}: an SQLite database, but not an annotator project")
        applied = {m.name for m in migrations.applied(self.db)}
        unknown = sorted(applied - set(known_migration_names()))
        if unknown:
            raise NewerDatabaseError(
                f"{self.path}: made by a newer version of annotator (schema {unknown[-1]}); "
                "upgrade the program to open it"
            )

    def _configure(self) -> None:
        if self.path is not None:
            self.db.execute("PRAGMA journal_mode=WAL").fetchall()
        # FULL: a committed edit survives a power cut, not only a crash.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA foreign_keys=ON")

    def _migrate(self) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        if self.path is not None and migrations.applied(self.db):
            self._backup(f"before-{pending[0].name}")
        migrations.apply(self.db)

    def _backup(self, reason: str) -> Path:
        """Copy the project file aside through SQLite's backup API (safe with WAL)."""
        assert self.path is not None
        target = self.path.with_name(f"{self.path.name}.{reason}.bak")
        destination = sqlite3.connect(str(target))
        with destination:
            self.db.conn.backup(destination)
        destination.close()
        return target

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all; nested blocks are savepoints."""
        with self.db.atomic():
            yield self

    def schema_version(self) -> str:
        applied = migrations.applied(self.db)
        return applied[-1].name if applied else ""

    def copy_to(self, target: str | Path) -> None:
        """Write a consistent copy of the whole project to ``target`` (overwritten)."""
        target = Path(target)
        if target.exists():
            target.unlink()
        destination = sqlite3.connect(str(target))
        with destination:
            self.db.conn.backup(destination)
        destination.close()

    # -- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

    # -- labels ----------------------------------------------------------------------------

    def labels(self) -> list[Label]:
        if self._label_cache is None:
            self._label_cache = [
                Label(name, kind, color or "#888888", key or "", description or "")
                for name, kind, color, key, description in self.db.execute(
                    "SELECT name, kind, color, key, description FROM labels ORDER BY position, name"
                )
            ]
        return list(self._label_cache)

    def label_kinds(self) -> dict[str, str]:
        return {label.name: label.kind for label in self.labels()}

    def save_label(self, label: Label) -> None:
        """Add a label to the scheme, or change its kind, colour, key or description."""
        position = self.db.execute(
            "SELECT COALESCE((SELECT position FROM labels WHERE name = ?), "
            "(SELECT COALESCE(MAX(position), -1) + 1 FROM labels))",
            [label.name],
        ).fetchone()[0]
        with self.db.atomic():
            self.db.table("labels").upsert(
                {
                    "name": label.name,
                    "kind": label.kind,
                    "color": label.color,
                    "key": label.key,
                    "description": label.description,
                    "position": position,
                },
                pk="name",
            )
        self._label_cache = None

    # -- articles --------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> AddedArticles:
        """Insert articles whose text is not yet in the project, in one transaction."""
        ids: list[int] = []
        duplicates = 0
        stamp = now()
        with self.db.atomic():
            for article in articles:
                cursor = self.db.conn.execute(
                    "INSERT OR IGNORE INTO articles "
                    "(text_hash, title, text, source, url, published, meta, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.text_hash,
                        article.title,
                        article.text,
                        article.source,
                        article.url,
                        article.published,
                        json.dumps(article.meta, ensure_ascii=False),
                        stamp,
                    ],
                )
                if cursor.rowcount == 1:
                    ids.append(int(cursor.lastrowid or 0))
                else:
                    duplicates += 1
        return AddedArticles(ids, duplicates)

    def article(self, article_id: int) -> Article:
        row = self.db.execute(
            "SELECT id, text, title, source, url, published, meta FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no article {article_id}")
        return _article(row)

    def iter_articles(
        self, ids: Sequence[int] | None = None, batch: int = 500
    ) -> Iterator[Article]:
        """Articles in id order (or in the order of ``ids``), fetched ``batch`` at a time."""
        columns = "id, text, title, source, url, published, meta"
        if ids is None:
            last = 0
            while True:
                rows = self.db.execute(
                    f"SELECT {columns} FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                    [last, batch],
                ).fetchall()
                if not rows:
                    return
                yield from (_article(row) for row in rows)
                last = rows[-1][0]
        else:
            for i in range(0, len(ids), batch):
                chunk = list(ids[i : i + batch])
                marks = ",".join("?" * len(chunk))
                found = {
                    row[0]: row
                    for row in self.db.execute(
                        f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk
                    )
                }
                yield from (_article(found[i]) for i in chunk if i in found)

    def article_ids(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def article_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_id_for_hash(self, text_hash: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE text_hash = ?", [text_hash]).fetchone()
        return int(row[0]) if row else None

    def search(self, query: str, limit: int = 10_000) -> list[int]:
        """Ids of articles whose title or text match ``query`` (FTS5, words as typed)."""
        terms = [t.replace('"', '""') for t in query.split()]
        if not terms:
            return self.article_ids()
        # Each word quoted: punctuation in the query is text to find, not FTS syntax.
        # The last word matches as a prefix, so the list narrows while one types.
        match = " ".join(f'"{t}"' for t in terms) + "*"
        rows = self.db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        )
        return [row[0] for row in rows]

    def article_list(self, annotator: str, status: str | None = None) -> list[ArticleRow]:
        """Every article with this annotator's status and span count, in id order."""
        sql = """
            SELECT a.id, a.title, COALESCE(s.status, 'todo'),
                   (SELECT COUNT(*) FROM spans p
                     WHERE p.article_id = a.id AND p.annotator = :annotator)
            FROM articles a
            LEFT JOIN article_status s ON s.article_id = a.id AND s.annotator = :annotator
        """
        params: dict[str, Any] = {"annotator": annotator}
        if status is not None:
            sql += " WHERE COALESCE(s.status, 'todo') = :status"
            params["status"] = status
        sql += " ORDER BY a.id"
        return [ArticleRow(*row) for row in self.db.execute(sql, params)]

    # -- suggestions -----------------------------------------------------------------------

    def add_suggestions(self, suggestions: Iterable[tuple[int, Sequence[Span]]], model: str) -> int:
        """Store the model's spans for many articles in one transaction; returns how many.

        Each article is recorded as pre-annotated by ``model``, also when it got no span.
        """
        count = 0
        stamp = now()
        with self.db.atomic():
            for article_id, spans in suggestions:
                self.db.conn.executemany(
                    'INSERT INTO suggestions (article_id, start, "end", label, model, score) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(article_id, s.start, s.end, s.label, model, s.score) for s in spans],
                )
                self.db.conn.execute(
                    "INSERT OR REPLACE INTO preannotated (article_id, model, at) VALUES (?, ?, ?)",
                    [article_id, model, stamp],
                )
                count += len(spans)
        return count

    def clear_suggestions(self, article_ids: Iterable[int], model: str) -> None:
        pairs = [(i, model) for i in article_ids]
        with self.db.atomic():
            self.db.conn.executemany(
                "DELETE FROM suggestions WHERE article_id = ? AND model = ?", pairs
            )
            self.db.conn.executemany(
                "DELETE FROM preannotated WHERE article_id = ? AND model = ?", pairs
            )

    def suggestions(self, article_id: int, model: str | None = None) -> list[Span]:
        """The suggestions of ``model`` for an article, or of the latest model that made any."""
        if model is None:
            model = self.suggestion_model(article_id)
            if model is None:
                return []
        return [
            Span(start, end, label, origin="model", id=None, score=score)
            for start, end, label, score in self.db.execute(
                'SELECT start, "end", label, score FROM suggestions '
                'WHERE article_id = ? AND model = ? ORDER BY start, "end", label',
                [article_id, model],
            )
        ]

    def suggestion_model(self, article_id: int) -> str | None:
        row = self.db.execute(
            "SELECT model FROM suggestions WHERE article_id = ? ORDER BY id DESC LIMIT 1",
            [article_id],
        ).fetchone()
        return row[0] if row else None

    def suggestion_models(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT model FROM suggestions ORDER BY 1")]

    def articles_suggested_by(self, model: str) -> set[int]:
        """Articles that ``model`` pre-annotated (whether or not it suggested anything)."""
        rows = self.db.execute("SELECT article_id FROM preannotated WHERE model = ?", [model])
        return {row[0] for row in rows}

    # -- spans -----------------------------------------------------------------------------

    def spans(self, article_id: int, annotator: str) -> list[Span]:
        rows = self.db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE article_id = ? AND annotator = ? "
            'ORDER BY start, "end", label, id',
            [article_id, annotator],
        )
        # Positional arguments build faster, and an article can hold thousands of spans.
        return [Span(start, end, label, origin, id_) for id_, start, end, label, origin in rows]

    def span(self, span_id: int) -> Span:
        row = self.db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", [span_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        id_, start, end, label, origin = row
        return Span(start, end, label, origin=origin, id=id_)

    def add_span(self, article_id: int, annotator: str, span: Span) -> Span:
        """Store a new span (its ``origin`` as given; its ``id`` reused if set, for redo)."""
        stamp = now()
        with self.db.atomic():
            stored = self._insert_span(article_id, annotator, span, stamp, keep_id=True)
            self._event(annotator, article_id, "add_span", _span_payload(stored), stamp)
            self._touch_status(article_id, annotator, stamp)
        return stored

    def _insert_span(
        self, article_id: int, annotator: str, span: Span, stamp: str, keep_id: bool = False
    ) -> Span:
        cursor = self.db.conn.execute(
            'INSERT INTO spans (id, article_id, annotator, start, "end", label, origin, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [span.id if keep_id else None, article_id, annotator, span.start, span.end,
             span.label, span.origin, stamp, stamp],
        )  # fmt: skip
        return Span(span.start, span.end, span.label, span.origin, int(cursor.lastrowid or 0))

    def update_span(
        self,
        span_id: int,
        start: int,
        end: int,
        label: str,
        origin: str,
        expected: Span | None = None,
    ) -> Span:
        """Change a span's extent, label or origin; returns it as stored."""
        stamp = now()
        with self.db.atomic():
            article_id, annotator = self._span_owner(span_id)
            before = self.span(span_id)
            if expected is not None and before != expected:  # shim until SpanConflict
                raise StorageError("the span was changed in another window or program")
            self.db.conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, origin = ?, updated_at = ? '
                "WHERE id = ?",
                [start, end, label, origin, stamp, span_id],
            )
            after = Span(start, end, label, origin=origin, id=span_id)
            self._event(
                annotator,
                article_id,
                "update_span",
                {"before": _span_payload(before), "after": _span_payload(after)},
                stamp,
            )
            self._touch_status(article_id, annotator, stamp)
        return after

    def delete_span(self, span_id: int, expected: Span | None = None) -> Span:
        """Remove a span; returns it as it was, so it can be restored with ``add_span``."""
        stamp = now()
        with self.db.atomic():
            article_id, annotator = self._span_owner(span_id)
            before = self.span(span_id)
            if expected is not None and before != expected:  # shim until SpanConflict
                raise StorageError("the span was changed in another window or program")
            self.db.conn.execute("DELETE FROM spans WHERE id = ?", [span_id])
            self._event(annotator, article_id, "delete_span", _span_payload(before), stamp)
            self._touch_status(article_id, annotator, stamp)
        return before

    def replace_spans(
        self, article_id: int, annotator: str, spans: Iterable[Span], action: str = "replace_spans"
    ) -> list[Span]:
        """Make ``spans`` the annotator's whole set for the article (import, adjudication)."""
        stamp = now()
        with self.db.atomic():
            self.db.conn.execute(
                "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
            )
            stored = [self._insert_span(article_id, annotator, span, stamp) for span in spans]
            self._event(
                annotator, article_id, action, {"spans": [_span_payload(s) for s in stored]}, stamp
            )
        return stored

    def open_article(self, article_id: int, annotator: str) -> list[Span]:
        """The annotator's spans; the first time they open an article, its suggestions.

        Suggestions are copied once, as spans of origin ``model``, and the article becomes
        ``in_progress``; from then on the annotator's spans are theirs alone.
        """
        with self.db.atomic():
            if self._status_exists(article_id, annotator):
                return self.spans(article_id, annotator)
            stamp = now()
            self.db.conn.executemany(
                'INSERT INTO spans (article_id, annotator, start, "end", label, origin, '
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'model', ?, ?)",
                [
                    (article_id, annotator, s.start, s.end, s.label, stamp, stamp)
                    for s in self.suggestions(article_id)
                ],
            )
            self._write_status(article_id, annotator, "in_progress", stamp)
            self._event(
                annotator, article_id, "open", {"model": self.suggestion_model(article_id)}, stamp
            )
        return self.spans(article_id, annotator)

    def _span_owner(self, span_id: int) -> tuple[int, str]:
        row = self.db.execute(
            "SELECT article_id, annotator FROM spans WHERE id = ?", [span_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        return row[0], row[1]

    # -- status ----------------------------------------------------------------------------

    def status(self, article_id: int, annotator: str) -> StatusRow:
        row = self.db.execute(
            "SELECT status, seconds_active, comment FROM article_status "
            "WHERE article_id = ? AND annotator = ?",
            [article_id, annotator],
        ).fetchone()
        return StatusRow(row[0], row[1] or 0.0, row[2] or "") if row else StatusRow()

    def set_status(
        self, article_id: int, annotator: str, status: str, comment: str | None = None
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        stamp = now()
        with self.db.atomic():
            self._write_status(article_id, annotator, status, stamp, comment)
            payload: dict[str, Any] = {"status": status}
            if comment is not None:
                payload["comment"] = comment
            self._event(annotator, article_id, "status", payload, stamp)

    def add_active_time(self, article_id: int, annotator: str, seconds: float) -> None:
        with self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO article_status (article_id, annotator, status, seconds_active, "
                "updated_at) VALUES (?, ?, 'in_progress', ?, ?) "
                "ON CONFLICT (article_id, annotator) DO UPDATE SET "
                "seconds_active = seconds_active + excluded.seconds_active",
                [article_id, annotator, seconds, now()],
            )

    def status_counts(self, annotator: str) -> dict[str, int]:
        """How many articles this annotator has in each status (unopened ones are ``todo``)."""
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in self.db.execute(
            "SELECT status, COUNT(*) FROM article_status WHERE annotator = ? GROUP BY status",
            [annotator],
        ):
            counts[status] = n
        counts["todo"] += self.article_count() - sum(counts.values())
        return counts

    def articles_with_status(self, annotator: str, status: str) -> list[int]:
        if status == "todo":
            sql = (
                "SELECT a.id FROM articles a LEFT JOIN article_status s ON s.article_id = a.id "
                "AND s.annotator = ? WHERE COALESCE(s.status, 'todo') = 'todo' ORDER BY a.id"
            )
            return [r[0] for r in self.db.execute(sql, [annotator])]
        sql = (
            "SELECT article_id FROM article_status WHERE annotator = ? AND status = ? "
            "ORDER BY article_id"
        )
        return [r[0] for r in self.db.execute(sql, [annotator, status])]

    def _status_exists(self, article_id: int, annotator: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM article_status WHERE article_id = ? AND annotator = ?",
                [article_id, annotator],
            ).fetchone()
            is not None
        )

    def _write_status(
        self, article_id: int, annotator: str, status: str, stamp: str, comment: str | None = None
    ) -> None:
        self.db.conn.execute(
            "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
            "VALUES (?, ?, ?, COALESCE(?, ''), ?) ON CONFLICT (article_id, annotator) DO UPDATE "
            "SET status = excluded.status, comment = COALESCE(?, comment), "
            "updated_at = excluded.updated_at",
            [article_id, annotator, status, comment, stamp, comment],
        )

    def _touch_status(self, article_id: int, annotator: str, stamp: str) -> None:
        """An edit on an article nobody opened yet makes it ``in_progress`` for its annotator."""
        self.db.conn.execute(
            "INSERT INTO article_status (article_id, annotator, status, updated_at) "
            "VALUES (?, ?, 'in_progress', ?) ON CONFLICT (article_id, annotator) DO UPDATE "
            "SET updated_at = excluded.updated_at",
            [article_id, annotator, stamp],
        )

    # -- annotators, events, stats ---------------------------------------------------------

    def annotators(self, include_gold: bool = False) -> list[str]:
        names = {
            row[0]
            for row in self.db.execute(
                "SELECT annotator FROM article_status UNION SELECT annotator FROM spans"
            )
        }
        if not include_gold:
            names.discard(GOLD)
        return sorted(names)

    def events(self, article_id: int | None = None, annotator: str | None = None) -> list[dict]:
        where: list[str] = []
        params: list[object] = []
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        if annotator is not None:
            where.append("annotator = ?")
            params.append(annotator)
        sql = "SELECT ts, annotator, article_id, action, payload FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            {
                "ts": ts,
                "annotator": a,
                "article_id": i,
                "action": action,
                "payload": json.loads(payload),
            }
            for ts, a, i, action, payload in self.db.execute(sql + " ORDER BY id", params)
        ]

    def _event(
        self, annotator: str, article_id: int | None, action: str, payload: dict, stamp: str
    ) -> None:
        self.db.conn.execute(
            "INSERT INTO events (ts, annotator, article_id, action, payload) "
            "VALUES (?, ?, ?, ?, ?)",
            [stamp, annotator, article_id, action, json.dumps(payload, ensure_ascii=False)],
        )

    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``: articles, suggestions, spans, statuses."""
        suggestions: dict[str, dict[str, int]] = {}
        for model, label, n in self.db.execute(
            "SELECT model, label, COUNT(*) FROM suggestions GROUP BY model, label ORDER BY 1, 2"
        ):
            suggestions.setdefault(model, {})[label] = n
        spans: dict[str, dict[str, int]] = {}
        for annotator, label, n in self.db.execute(
            "SELECT annotator, label, COUNT(*) FROM spans GROUP BY annotator, label ORDER BY 1, 2"
        ):
            spans.setdefault(annotator, {})[label] = n
        statuses = {name: self.status_counts(name) for name in self.annotators(include_gold=True)}
        return {
            "articles": self.article_count(),
            "characters": int(
                self.db.execute("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM articles").fetchone()[0]
            ),
            "labels": [label.name for label in self.labels()],
            "suggestions": suggestions,
            "spans": spans,
            "status": statuses,
        }

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file (SQLite's
        ``PRAGMA data_version``): a window polls it to see other windows' edits."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])


def _article(row: Sequence[Any]) -> Article:
    id_, text, title, source, url, published, meta = row
    return Article(
        text=text,
        title=title or "",
        source=source or "",
        url=url or "",
        published=published or "",
        meta=json.loads(meta) if meta else {},
        id=id_,
    )


def _span_payload(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "origin": span.origin,
    }
