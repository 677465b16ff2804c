"""Spans: each annotator's current spans, edited one at a time (the window) or replaced as a
whole (import, adjudication).

A span's id is its identity for as long as the project lives: ids are never given again
(``spans.id`` is ``AUTOINCREMENT``, migration ``0005_span_identities``), so an undo stack
that holds an id can only ever reach that span. Edits that name a span can say what they
expect to find (``expected=``, ``article_id=``, ``annotator=``); if another window or
program changed or deleted it meanwhile, the edit raises ``SpanConflict`` and writes
nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Span
from annotator.storage.base import now
from annotator.storage.errors import SpanConflict
from annotator.storage.statuses import Statuses
from annotator.storage.suggestions import Suggestions

_SPAN_COLUMNS = 'id, start, "end", label, origin, kb_id'


class Spans(Suggestions, Statuses):
    def spans(self, article_id: int, annotator: str) -> list[Span]:
        rows = self._db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE article_id = ? AND annotator = ? "
            'ORDER BY start, "end", label, id',
            [article_id, annotator],
        )
        # Positional arguments build faster, and an article can hold thousands of spans.
        return [
            Span(start, end, label, origin, id_, None, kb_id)
            for id_, start, end, label, origin, kb_id in rows
        ]

    def span(self, span_id: int) -> Span:
        """The span stored under ``span_id``; ``KeyError`` if there is none."""
        row = self._db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", [span_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        id_, start, end, label, origin, kb_id = row
        return Span(start, end, label, origin=origin, id=id_, kb_id=kb_id)

    def add_span(self, article_id: int, annotator: str, span: Span) -> Span:
        """Store a span (its ``origin`` as given); returns it with its id.

        A span without an id gets a new one. A span with an id is one this project held
        before and lost (the undo of a delete, the redo of an add): it gets its id back,
        which no other span can have taken, since ids are never reused. If a span holds
        that id already (restored in another window), ``SpanConflict``.
        """
        stamp = now()
        with self._writing():
            stored = self._insert_span(article_id, annotator, span, stamp, keep_id=True)
            self._event(annotator, article_id, "add_span", _span_payload(stored), stamp)
            self._touch_status(article_id, annotator, stamp)
        return stored

    def _insert_span(
        self, article_id: int, annotator: str, span: Span, stamp: str, keep_id: bool = False
    ) -> Span:
        span_id = span.id if keep_id else None
        try:
            cursor = self._db.execute(
                'INSERT INTO spans (id, article_id, annotator, start, "end", label, origin, '
                "kb_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [span_id, article_id, annotator, span.start, span.end, span.label,
                 span.origin, span.kb_id, stamp, stamp],
            )  # fmt: skip
        except sqlite3.IntegrityError as error:
            if span_id is not None and "spans.id" in str(error):
                raise SpanConflict(
                    f"{_describe(span)} is already back (restored in another window); "
                    "nothing was changed"
                ) from None
            raise
        return Span(
            span.start,
            span.end,
            span.label,
            span.origin,
            int(cursor.lastrowid or 0),
            kb_id=span.kb_id,
        )

    def update_span(
        self,
        span_id: int,
        start: int,
        end: int,
        label: str,
        origin: str,
        *,
        expected: Span | None = None,
        article_id: int | None = None,
        annotator: str | None = None,
        kb_id: str | None = None,
    ) -> Span:
        """Change a span's extent, label or origin, and with ``kb_id`` its entry (``""``:
        none; ``None`` keeps it); returns it as stored.

        ``SpanConflict`` (nothing written) if the span is gone, or is not on ``article_id``
        or not ``annotator``'s, or differs from ``expected`` (start, end, label, origin).
        """
        stamp = now()
        with self._writing():
            before, owner = self._expect(span_id, expected, article_id, annotator)
            self._db.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, origin = ?, updated_at = ? '
                "WHERE id = ?",
                [start, end, label, origin, stamp, span_id],
            )
            if kb_id is not None and kb_id != before.kb_id:
                # an entry given back (undo) counts as chosen: the linker's doubts were about
                # the span before it was edited
                self._db.execute(
                    "UPDATE spans SET kb_id = ?, link_status = ? WHERE id = ?",
                    [kb_id, "linked" if kb_id else "", span_id],
                )
            kept = before.kb_id if kb_id is None else kb_id
            after = Span(start, end, label, origin=origin, id=span_id, kb_id=kept)
            self._event(
                owner[1],
                owner[0],
                "update_span",
                {"before": _span_payload(before), "after": _span_payload(after)},
                stamp,
            )
            self._touch_status(*owner, stamp)
        return after

    def delete_span(
        self,
        span_id: int,
        *,
        expected: Span | None = None,
        article_id: int | None = None,
        annotator: str | None = None,
    ) -> Span:
        """Remove a span; returns it as it was, so that ``add_span`` can restore it.

        ``SpanConflict`` (nothing written) as for ``update_span``.
        """
        stamp = now()
        with self._writing():
            before, owner = self._expect(span_id, expected, article_id, annotator)
            self._db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            self._event(owner[1], owner[0], "delete_span", _span_payload(before), stamp)
            self._touch_status(*owner, stamp)
        return before

    def _expect(
        self,
        span_id: int,
        expected: Span | None,
        article_id: int | None,
        annotator: str | None,
    ) -> tuple[Span, tuple[int, str]]:
        """The stored span and its (article, annotator), if they are what the caller expects."""
        row = self._db.execute(
            f"SELECT {_SPAN_COLUMNS}, article_id, annotator FROM spans WHERE id = ?", [span_id]
        ).fetchone()
        what = _describe(expected) if expected is not None else f"span {span_id}"
        if row is None:
            raise SpanConflict(
                f"{what} was deleted elsewhere (another window or program); nothing was changed"
            )
        id_, start, end, label, origin, kb_id, owner_article, owner = row
        stored = Span(start, end, label, origin=origin, id=id_, kb_id=kb_id)
        if (article_id is not None and owner_article != article_id) or (
            annotator is not None and owner != annotator
        ):
            raise SpanConflict(
                f"{what} is not the span this edit was made on (it belongs to another "
                "article or annotator); nothing was changed"
            )
        if expected is not None and (start, end, label, origin) != (
            expected.start,
            expected.end,
            expected.label,
            expected.origin,
        ):
            raise SpanConflict(
                f"{what} was changed elsewhere (another window or program; it is now "
                f"{_describe(stored)}); nothing was changed"
            )
        return stored, (owner_article, owner)

    def replace_spans(
        self, article_id: int, annotator: str, spans: Iterable[Span], action: str = "replace_spans"
    ) -> list[Span]:
        """Make ``spans`` the annotator's whole set for the article (import, adjudication).

        The spans get new ids.
        """
        stamp = now()
        with self._writing():
            self._db.execute(
                "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
            )
            stored = [self._insert_span(article_id, annotator, span, stamp) for span in spans]
            self._event(
                annotator, article_id, action, {"spans": [_span_payload(s) for s in stored]}, stamp
            )
        return stored

    def add_spans_in_bulk(self, rows: Iterable[tuple[int, str, int, int, str, str]]) -> int:
        """Insert many spans, ``(article_id, annotator, start, end, label, origin)``, in one
        transaction and without events: for generated or converted data, not for edits."""
        stamp = now()
        with self._writing():
            cursor = self._db.executemany(
                'INSERT INTO spans (article_id, annotator, start, "end", label, origin, '
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row + (stamp, stamp) for row in rows),
            )
        return cursor.rowcount

    # -- starting on an article -------------------------------------------------------------

    def open_article(self, article_id: int, annotator: str) -> list[Span]:
        """What the annotator sees of an article: their spans, or, until they start on it
        (``started``), its suggestions. Writes nothing: reading an article leaves it
        ``todo``.

        Suggestions not copied yet come as spans of origin ``model`` whose ``id`` is minus
        the suggestion's id (``is_suggestion``): the first edit copies them
        (``copy_suggestions``) and finds each copy by that id.
        """
        if self.started(article_id, annotator):
            return self.spans(article_id, annotator)
        return self.suggested_spans(article_id)

    def started(self, article_id: int, annotator: str) -> bool:
        """Whether the annotator started on the article: they have spans on it, or a status
        other than ``todo`` (then their spans, even none, are their version)."""
        row = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM spans WHERE article_id = :a AND annotator = :who) "
            "OR EXISTS (SELECT 1 FROM article_status WHERE article_id = :a "
            "AND annotator = :who AND status != 'todo')",
            {"a": article_id, "who": annotator},
        ).fetchone()
        return bool(row[0])

    def suggested_spans(self, article_id: int) -> list[Span]:
        """The suggestions of the latest model, in text order, as spans whose id is minus
        the suggestion's (``is_suggestion``)."""
        model = self.suggestion_model(article_id)
        if model is None:
            return []
        return [
            Span(start, end, label, "model", -id_, score, kb_id)
            for id_, start, end, label, score, kb_id in self._db.execute(
                'SELECT id, start, "end", label, score, kb_id FROM suggestions '
                'WHERE article_id = ? AND model = ? ORDER BY start, "end", label, id',
                [article_id, model],
            )
        ]

    def copy_suggestions(self, article_id: int, annotator: str) -> CopiedSuggestions:
        """Start the annotator on the article: its suggestions become their spans (origin
        ``model``, with the suggestions' knowledge-base links). Returns which span each
        suggestion became (``CopiedSuggestions.span_ids``). The edit made with it sets the
        status (an edit makes it ``in_progress``; done on an untouched article accepts the
        suggestions).

        ``SpanConflict`` (nothing written) if they started on it already (another window).
        It is the first key an annotator presses on an article, so it reads no more than
        the suggestions' ids: 20,000 suggestions take one statement.
        """
        stamp = now()
        with self._writing():
            if self.started(article_id, annotator):
                raise SpanConflict(
                    f"article {article_id} was started in another window meanwhile; "
                    "nothing was changed"
                )
            model = self.suggestion_model(article_id)
            suggestion_ids = [
                row[0]
                for row in self._db.execute(
                    "SELECT id FROM suggestions WHERE article_id = ? AND model = ? ORDER BY id",
                    [article_id, model],
                )
            ]
            # An AUTOINCREMENT table numbers the rows of one INSERT … SELECT one after
            # another, in its order, above the last id it gave (nobody else writes: the
            # transaction holds the write lock). Checked below.
            (last,) = self._db.execute(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'spans'), 0)"
            ).fetchone()
            self._db.execute(
                'INSERT INTO spans (article_id, annotator, start, "end", label, origin, '
                "kb_id, link_status, created_at, updated_at) "
                "SELECT article_id, ?, start, \"end\", label, 'model', kb_id, link_status, ?, ? "
                "FROM suggestions WHERE article_id = ? AND model = ? ORDER BY id",
                [annotator, stamp, stamp, article_id, model],
            )
            first, final, count = self._db.execute(
                "SELECT MIN(id), MAX(id), COUNT(*) FROM spans WHERE id > ?", [last]
            ).fetchone()
            n = len(suggestion_ids)
            if count != n or (n and (first, final) != (last + 1, last + n)):
                raise RuntimeError(f"spans copied from suggestions got ids {first}–{final}")
            self._event(annotator, article_id, "open", {"model": model, "spans": n}, stamp)
        return CopiedSuggestions(
            article_id,
            annotator,
            model,
            dict(zip(suggestion_ids, range(last + 1, last + n + 1), strict=True)),
        )

    def uncopy_suggestions(self, copied: CopiedSuggestions) -> dict[int, int]:
        """Undo ``copy_suggestions`` (and the edits made since, undone already): delete the
        annotator's spans of the article, which must be the suggestions' copies unchanged
        (their ids may differ: an undone delete put a copy back under a new id), and make
        it ``todo``. Returns which span each suggestion was when it was deleted.

        ``SpanConflict`` (nothing written) if the article holds anything else (it was
        edited, or marked, meanwhile in another window).
        """
        article_id, annotator = copied.article_id, copied.annotator
        stamp = now()
        with self._writing():
            held = sorted(
                self._db.execute(
                    'SELECT start, "end", label, origin, id FROM spans '
                    "WHERE article_id = ? AND annotator = ?",
                    [article_id, annotator],
                )
            )
            suggested = sorted(
                self._db.execute(
                    "SELECT start, \"end\", label, 'model', id FROM suggestions "
                    "WHERE article_id = ? AND model = ?",
                    [article_id, copied.model],
                )
            )
            status = self.status(article_id, annotator).status
            same = [row[:4] for row in held] == [row[:4] for row in suggested]
            if not same or set(copied.span_ids) != {row[4] for row in suggested}:
                status = "changed"
            if status not in ("todo", "in_progress"):
                raise SpanConflict(
                    f"article {article_id} was edited elsewhere (another window or program) "
                    "since it was started; nothing was changed"
                )
            self._db.execute(
                "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
            )
            self._db.execute(
                "UPDATE article_status SET status = 'todo', updated_at = ? "
                "WHERE article_id = ? AND annotator = ?",
                [stamp, article_id, annotator],
            )
            self._event(annotator, article_id, "unopen", {"spans": len(held)}, stamp)
        return {theirs[4]: mine[4] for theirs, mine in zip(suggested, held, strict=True)}

    def start_article(self, article_id: int, annotator: str) -> list[Span]:
        """The annotator's spans of the article, starting them on it first (copying the
        suggestions, ``in_progress``) if they have not: for scripts that edit as the window
        does."""
        if not self.started(article_id, annotator) and not self.read_only:
            with self._writing():
                if not self.started(article_id, annotator):
                    self.copy_suggestions(article_id, annotator)
                    self._write_status(article_id, annotator, "in_progress", now())
        return self.open_article(article_id, annotator)


def is_suggestion(span: Span) -> bool:
    """A suggestion shown before the annotator started on the article (not a span yet)."""
    return span.id is not None and span.id < 0


@dataclass(frozen=True)
class CopiedSuggestions:
    """What ``copy_suggestions`` made: ``span_ids`` maps each suggestion's id to the id of
    the annotator's span copied from it."""

    article_id: int
    annotator: str
    model: str | None
    span_ids: dict[int, int]


def _describe(span: Span) -> str:
    return f"the {span.label} span at {span.start}–{span.end}"


def _span_payload(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "origin": span.origin,
        **({"kb_id": span.kb_id} if span.kb_id else {}),
    }
