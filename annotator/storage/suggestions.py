"""Suggestions: the spans a model proposed, and which model ran on which article."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import Span
from annotator.storage.base import StoreBase, now


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

    def clear_suggestions(self, article_ids: Iterable[int], model: str) -> None:
        pairs = [(i, model) for i in article_ids]
        with self._writing():
            self._db.executemany(
                "DELETE FROM suggestions WHERE article_id = ? AND model = ?", pairs
            )
            self._db.executemany(
                "DELETE FROM preannotated WHERE article_id = ? AND model = ?", pairs
            )

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

    def suggestion_model(self, article_id: int) -> str | None:
        """The model of the article's latest suggestion: the one whose suggestions it shows."""
        # MAX(id) reads the (article_id, model) index alone; ORDER BY id sorted the article's
        # suggestions first (20,000 suggestions: 9 ms against 3, at every opening and edit).
        row = self._db.execute(
            "SELECT model FROM suggestions "
            "WHERE id = (SELECT MAX(id) FROM suggestions WHERE article_id = ?)",
            [article_id],
        ).fetchone()
        return row[0] if row else None

    def suggestion_counts(self, article_ids: Sequence[int]) -> dict[int, int]:
        """How many suggestions each article shows (those of its latest model); articles
        without any are left out. Asked for the rows of a list on screen: a few hundred
        articles take milliseconds, where counting a whole project's would take long."""
        counts: dict[int, tuple[int, int]] = {}  # article -> (latest suggestion id, count)
        ids = list(article_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for article_id, latest, n in self._db.execute(
                "SELECT article_id, MAX(id), COUNT(*) FROM suggestions "
                f"WHERE article_id IN ({','.join('?' * len(chunk))}) GROUP BY article_id, model",
                chunk,
            ):
                if article_id not in counts or latest > counts[article_id][0]:
                    counts[article_id] = (latest, n)
        return {article_id: n for article_id, (_, n) in counts.items()}

    def suggestion_models(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT model FROM suggestions ORDER BY 1")]

    def articles_suggested_by(self, model: str) -> set[int]:
        """Articles that ``model`` pre-annotated (whether or not it suggested anything)."""
        rows = self._db.execute("SELECT article_id FROM preannotated WHERE model = ?", [model])
        return {row[0] for row in rows}
