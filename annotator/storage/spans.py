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
from dataclasses import replace
from typing import Any

from annotator.core.model import Span
from annotator.storage.base import LINKED, now, stored_status
from annotator.storage.errors import SpanConflict
from annotator.storage.statuses import Statuses
from annotator.storage.suggestions import Suggestions

_SPAN_COLUMNS = 'id, start, "end", label, origin, kb_id, link_status'


class Spans(Suggestions, Statuses):
    def spans(self, article_id: int, annotator: str) -> list[Span]:
        rows = self._db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE article_id = ? AND annotator = ? "
            'ORDER BY start, "end", label, id',
            [article_id, annotator],
        )
        # Positional arguments build faster, and an article can hold thousands of spans.
        return [
            Span(start, end, label, origin, id_, None, kb_id, status)
            for id_, start, end, label, origin, kb_id, status in rows
        ]

    def span(self, span_id: int) -> Span:
        """The span stored under ``span_id``; ``KeyError`` if there is none."""
        row = self._db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", [span_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        id_, start, end, label, origin, kb_id, status = row
        return Span(start, end, label, origin=origin, id=id_, kb_id=kb_id, link_status=status)

    def add_span(
        self, article_id: int, annotator: str, span: Span, *, was: int | None = None
    ) -> Span:
        """Store a span (its ``origin`` as given); returns it with its id.

        A span without an id gets a new one. A span with an id is one this project held
        before and lost (the undo of a delete, the redo of an add): it gets its id back,
        which no other span can have taken, since ids are never reused. If a span holds
        that id already (restored in another window), ``SpanConflict``; and if the same
        span was made again since it was deleted (another window, a merge). ``was``: the
        id such a span had, given back under a new one (the window's undo).
        """
        stamp = now()
        with self._writing():
            if was is not None and self._made_again(article_id, annotator, replace(span, id=was)):
                raise SpanConflict(self._again(span, article_id))
            stored = self._insert_span(article_id, annotator, span, stamp, keep_id=True)
            self._log_edit(article_id, annotator, "add_span", _span_payload(stored), stamp)
        return stored

    def _made_again(self, article_id: int, annotator: str, span: Span) -> bool:
        """Whether more spans the same as ``span`` (a deleted one, by its id) are there than
        when it was deleted: made since, in another window or by a merge."""
        row = self._db.execute(
            "SELECT json_extract(payload, '$.twins') FROM events WHERE article_id = ? "
            "AND annotator = ? AND action = 'delete_span' AND json_extract(payload, '$.id') = ? "
            "ORDER BY id DESC LIMIT 1",
            [article_id, annotator, span.id],
        ).fetchone()
        if row is None:
            return False  # never deleted here: the redo of an add
        return self._same_spans(article_id, annotator, span) > (row[0] or 0)

    def _again(self, span: Span, article_id: int) -> str:
        return (
            f"{self._named(span, article_id)} is there again (made in another window, or "
            "brought by a merge); nothing was changed"
        )

    def _insert_span(
        self, article_id: int, annotator: str, span: Span, stamp: str, keep_id: bool = False
    ) -> Span:
        span_id = span.id if keep_id else None
        if span_id is not None and self._made_again(article_id, annotator, span):
            # Undone (or redone) after another window or a merge put the same span back: a
            # second one, the same, is no edit of the user's.
            raise SpanConflict(self._again(span, article_id))
        status = stored_status(span.kb_id, span.link_status)
        try:
            cursor = self._db.execute(
                'INSERT INTO spans (id, article_id, annotator, start, "end", label, origin, '
                "kb_id, link_status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [span_id, article_id, annotator, span.start, span.end, span.label,
                 span.origin, span.kb_id, status, stamp, stamp],
            )  # fmt: skip
        except sqlite3.IntegrityError as error:
            if span_id is not None and "spans.id" in str(error):
                raise SpanConflict(
                    f"{self._named(span, article_id)} is already back (restored in another "
                    "window); nothing was changed"
                ) from None
            raise
        return Span(
            span.start,
            span.end,
            span.label,
            span.origin,
            int(cursor.lastrowid or 0),
            kb_id=span.kb_id,
            link_status=status,
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
        link_status: str | None = None,
    ) -> Span:
        """Change a span's extent, label or origin, and with ``kb_id`` its entry (``""``:
        none; ``None`` keeps it); returns it as stored. ``link_status`` gives an unlinked
        span's verdict back (an undo of a relabel, which dropped it).

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
            status = before.link_status
            if kb_id is not None and kb_id != before.kb_id:
                # an entry given back (undo) counts as chosen: the linker's doubts were about
                # the span before it was edited
                status = LINKED if kb_id else ""
                self._db.execute(
                    "UPDATE spans SET kb_id = ?, link_status = ? WHERE id = ?",
                    [kb_id, status, span_id],
                )
            elif label != before.label and not before.kb_id:
                # the linker's word on a span of another label ("generic" on a FACTION) is
                # no word on this one: a LOCATION said "generic: no one actor"
                status = ""
                self._db.execute("UPDATE spans SET link_status = '' WHERE id = ?", [span_id])
            kept = before.kb_id if kb_id is None else kb_id
            if link_status is not None and not kept and link_status != status:
                status = link_status
                self._db.execute("UPDATE spans SET link_status = ? WHERE id = ?", [status, span_id])
            after = Span(start, end, label, origin, span_id, None, kept, status)
            payload = {"before": _span_payload(before), "after": _span_payload(after)}
            self._log_edit(*owner, "update_span", payload, stamp)
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
            # How many the same stay (a script's twins): its undo gives it back beside them,
            # not beside one another window or a merge made since (``_made_again``).
            twins = self._same_spans(*owner, before)
            payload = {**_span_payload(before), **({"twins": twins} if twins else {})}
            self._log_edit(*owner, "delete_span", payload, stamp)
        return before

    def _same_spans(self, article_id: int, annotator: str, span: Span) -> int:
        (count,) = self._db.execute(
            "SELECT count(*) FROM spans WHERE article_id = ? AND annotator = ? AND start = ? "
            'AND "end" = ? AND label = ? AND id != ?',
            [article_id, annotator, span.start, span.end, span.label, span.id],
        ).fetchone()
        return int(count)

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
        what = self._named(expected, article_id) if expected is not None else f"span {span_id}"
        if row is None:
            raise SpanConflict(
                f"{what} was deleted elsewhere (another window or program); nothing was changed"
            )
        id_, start, end, label, origin, kb_id, status, owner_article, owner = row
        stored = Span(start, end, label, origin=origin, id=id_, kb_id=kb_id, link_status=status)
        if (article_id is not None and owner_article != article_id) or (
            annotator is not None and owner != annotator
        ):
            raise SpanConflict(
                f"{self._named(stored, owner_article)} is not the span this edit was made on "
                "(it belongs to another article or annotator); nothing was changed"
            )
        if expected is not None and (start, end, label, origin) != (
            expected.start,
            expected.end,
            expected.label,
            expected.origin,
        ):
            raise SpanConflict(
                f"{what} was changed elsewhere (another window or program; it is now "
                f"{self._named(stored, owner_article)}); nothing was changed"
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


def _span_payload(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "origin": span.origin,
        **({"kb_id": span.kb_id} if span.kb_id else {}),
    }
