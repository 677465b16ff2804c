"""Starting on an article: what an annotator sees before their first edit (the suggestions,
written nowhere), and the first edit's copy of them into the annotator's spans.

Reading an article writes nothing, so opening articles to look leaves them ``todo``; the
first edit (``copy_suggestions``, undone by ``uncopy_suggestions``) makes the suggestions the
annotator's spans, with their knowledge-base links.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Span
from annotator.storage.base import now
from annotator.storage.errors import SpanConflict
from annotator.storage.spans import Spans


class Starting(Spans):
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

    def shown_model(self, article_id: int, annotator: str) -> str | None:
        """The model whose suggestions the annotator sees on the article: on one they
        started, the model whose suggestions they took (the latest ``open``; None if they
        began with none, or their spans were imported); else the latest model's."""
        if not self.started(article_id, annotator):
            return self.suggestion_model(article_id)
        sql = f"SELECT {TAKEN_MODEL.format(article='?', annotator='?')}"
        return self._db.execute(sql, [article_id, annotator]).fetchone()[0]

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
            Span(start, end, label, "model", -id_, score, kb_id, status)
            for id_, start, end, label, score, kb_id, status in self._db.execute(
                'SELECT id, start, "end", label, score, kb_id, link_status FROM suggestions '
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


#: The model whose suggestions ``{annotator}`` took on ``{article}``: the latest ``open``
#: (an undone start is opened again, maybe with another model's); NULL if none.
TAKEN_MODEL = """(SELECT json_extract(e.payload, '$.model') FROM events e
    WHERE e.article_id = {article} AND e.annotator = {annotator} AND e.action = 'open'
    ORDER BY e.id DESC LIMIT 1)"""


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
