"""Suggestions: the spans a model proposed, and which model ran on which article."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import Span, SpanKey, SpanLink
from annotator.storage.base import StoreBase, now, stored_status


class Suggestions(StoreBase):
    # -- suggestions -----------------------------------------------------------------------

    def add_suggestions(self, suggestions: Iterable[tuple[int, Sequence[Span]]], model: str) -> int:
        """Store the model's spans for many articles in one transaction; returns how many.

        Each article is recorded as pre-annotated by ``model``, also when it got no span.
        """
        count = 0
        stamp = now()
        with self._writing():
            for article_id, spans in suggestions:
                self._db.executemany(
                    'INSERT INTO suggestions (article_id, start, "end", label, model, score) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(article_id, s.start, s.end, s.label, model, s.score) for s in spans],
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO preannotated (article_id, model, at) VALUES (?, ?, ?)",
                    [article_id, model, stamp],
                )
                count += len(spans)
        return count

    def clear_suggestions(self, article_ids: Iterable[int], model: str | None = None) -> None:
        """Remove ``model``'s suggestions of the articles (every model's with ``None``),
        and the note that it pre-annotated them."""
        rows: list[tuple[int] | tuple[int, str]]
        if model is None:
            which, rows = "article_id = ?", [(i,) for i in article_ids]
        else:
            which, rows = "article_id = ? AND model = ?", [(i, model) for i in article_ids]
        with self._writing():
            self._db.executemany(f"DELETE FROM suggestions WHERE {which}", rows)
            self._db.executemany(f"DELETE FROM preannotated WHERE {which}", rows)

    def suggestions(self, article_id: int, model: str | None = None) -> list[Span]:
        """The suggestions of ``model`` for an article, or of the latest model that made any."""
        if model is None:
            model = self.suggestion_model(article_id)
            if model is None:
                return []
        return [
            Span(start, end, label, origin="model", id=None, score=score, kb_id=kb_id)
            for start, end, label, score, kb_id in self._db.execute(
                'SELECT start, "end", label, score, kb_id FROM suggestions '
                'WHERE article_id = ? AND model = ? ORDER BY start, "end", label',
                [article_id, model],
            )
        ]

    def suggested_link(
        self, article_id: int, start: int, end: int, label: str
    ) -> tuple[str, str] | None:
        """(entry, link status) of the suggestion shown at exactly this span, if any."""
        model = self.suggestion_model(article_id)
        row = self._db.execute(
            "SELECT kb_id, link_status FROM suggestions WHERE article_id = ? AND model = ? "
            'AND start = ? AND "end" = ? AND label = ?',
            [article_id, model, start, end, label],
        ).fetchone()
        return (row[0] or "", row[1] or "") if row else None

    def suggestion_model(self, article_id: int) -> str | None:
        """The model that pre-annotated the article last, whose suggestions it shows: none,
        if that model found nothing (an older model's stay stored, not shown)."""
        row = self._db.execute(f"SELECT {_LATEST_MODEL.format(article='?')}", [article_id])
        return row.fetchone()[0]

    def suggested_links(self, article_id: int) -> dict[SpanKey, set[SpanLink]]:
        """What the latest model's suggestions refer to, (entry, link status) as a span
        stores them, by place. The span list reads a span made by hand where a suggestion
        was (deleted and made again) as that suggestion, as the usage figures do."""
        model = self.suggestion_model(article_id)
        found: dict[SpanKey, set[SpanLink]] = {}
        if model is None:
            return found
        # (all at once: 4,000 places asked for in chunks took 5 times as long)
        for start, end, label, kb_id, status in self._db.execute(
            'SELECT start, "end", label, kb_id, link_status FROM suggestions '
            "WHERE article_id = ? AND model = ?",
            [article_id, model],
        ):
            found.setdefault((start, end, label), set()).add((kb_id, stored_status(kb_id, status)))
        return found

    def suggestion_counts(self, article_ids: Sequence[int]) -> dict[int, int]:
        """How many suggestions each article shows (those of its latest model); articles
        without any are left out. Asked for the rows of a list on screen: a few hundred
        articles take milliseconds, where counting a whole project's would take long."""
        counts: dict[int, int] = {}
        ids = list(article_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            latest = _LATEST_MODEL.format(article="a.id")
            for article_id, n in self._db.execute(
                "SELECT a.id, (SELECT COUNT(*) FROM suggestions g "
                f"WHERE g.article_id = a.id AND g.model = {latest}) FROM articles a "
                f"WHERE a.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                if n:
                    counts[article_id] = n
        return counts

    def suggestion_models(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT model FROM suggestions ORDER BY 1")]

    def articles_suggested_by(self, model: str) -> set[int]:
        """Articles that ``model`` pre-annotated (whether or not it suggested anything)."""
        rows = self._db.execute("SELECT article_id FROM preannotated WHERE model = ?", [model])
        return {row[0] for row in rows}


#: The model that pre-annotated article ``{article}`` last. ``INSERT OR REPLACE`` gives a run's
#: row a new rowid, so the rowid orders runs of one millisecond; rows from before the
#: ``preannotated`` table have no time, and the newest suggestion tells among them.
_LATEST_MODEL = """(SELECT q.model FROM preannotated q WHERE q.article_id = {article}
    ORDER BY q.at DESC, CASE WHEN q.at != '' THEN q.rowid ELSE
        (SELECT MAX(g.id) FROM suggestions g WHERE g.article_id = q.article_id
            AND g.model = q.model) END DESC
    LIMIT 1)"""
