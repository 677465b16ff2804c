"""The reads behind agreement, the disagreement list and adjudication (``annotator.review``).

They fetch whole columns at once: agreement over ten thousand articles must not pay a query,
or a Python object, per span.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.core.model import GOLD
from annotator.storage.starting import Starting


class ReviewQueries(Starting):
    def done_marks(self) -> list[tuple[int, str]]:
        """(article id, annotator) of every article an annotator (not gold) marked done."""
        return self._db.execute(
            "SELECT article_id, annotator FROM article_status "
            "WHERE status = 'done' AND annotator != ?",
            [GOLD],
        ).fetchall()

    def statuses_of(self, annotator: str) -> dict[int, str]:
        """Article id -> this annotator's status, for the articles they have one on."""
        return dict(
            self._db.execute(
                "SELECT article_id, status FROM article_status WHERE annotator = ?", [annotator]
            ).fetchall()
        )

    def article_titles(self) -> dict[int, str]:
        return {
            id_: title or ""
            for id_, title in self._db.execute("SELECT id, title FROM articles").fetchall()
        }

    def text_lengths(self) -> dict[int, int]:
        """Article id -> length of its text in code points."""
        return dict(self._db.execute("SELECT id, LENGTH(text) FROM articles").fetchall())

    def texts(self, article_ids: Sequence[int]) -> list[str]:
        """The texts of these articles, in id order (one pass over the table)."""
        wanted = set(article_ids)
        rows = self._db.execute("SELECT id, text FROM articles ORDER BY id")
        return [text for id_, text in rows if id_ in wanted]

    def annotators_done(self, article_id: int) -> list[str]:
        """Who (not gold) marked the article done, by name."""
        return [
            name
            for (name,) in self._db.execute(
                "SELECT annotator FROM article_status WHERE article_id = ? AND status = 'done' "
                "AND annotator != ? ORDER BY annotator",
                [article_id, GOLD],
            )
        ]

    def annotators_of(self, article_id: int) -> list[str]:
        """Who (not gold) started on the article (spans, or a status past ``todo``: one who
        only read it has neither), by name."""
        return [
            name
            for (name,) in self._db.execute(
                "SELECT annotator FROM article_status WHERE article_id = ? AND annotator != ? "
                "AND status != 'todo' "
                "UNION SELECT annotator FROM spans WHERE article_id = ? AND annotator != ? "
                "ORDER BY 1",
                [article_id, GOLD, article_id, GOLD],
            )
        ]

    def span_bounds(self) -> tuple[int | None, int | None]:
        """(largest article id, longest text): the ranges packed span keys must cover."""
        max_article, longest_text = self._db.execute(
            "SELECT MAX(id), MAX(LENGTH(text)) FROM articles"
        ).fetchone()
        return max_article, longest_text

    def packed_span_keys(
        self, annotators: Sequence[str], labels: Sequence[str], longest_text: int
    ) -> Iterator[int]:
        """Each span of ``annotators`` that could fit in a text, as one integer:

        ``(((article * n + start) * n + length) * L + label) * A + annotator`` with
        ``n = longest_text + 1``, ``L = len(labels) + 1`` (the last code: a label outside
        ``labels``) and ``A = len(annotators)``; names are coded by their index. The caller
        checks that the keys fit in 63 bits.
        """
        n_annotators, n_labels, n_offsets = len(annotators), len(labels) + 1, longest_text + 1
        marks = ", ".join("?" * len(annotators))
        annotator_case = " ".join(f"WHEN ? THEN {i}" for i in range(n_annotators))
        label_case = " ".join(f"WHEN ? THEN {i}" for i in range(len(labels)))
        cursor = self._db.execute(
            f'SELECT (((article_id * {n_offsets} + start) * {n_offsets} + ("end" - start)) '
            f"* {n_labels} + CASE label {label_case} ELSE {len(labels)} END) * {n_annotators} "
            f"+ CASE annotator {annotator_case} END "
            f'FROM spans WHERE annotator IN ({marks}) AND 0 <= start AND start < "end" '
            f'AND "end" <= {int(longest_text)}',
            [*labels, *annotators, *annotators],
        )
        for (key,) in cursor:
            yield key

    def span_label_names(self, annotators: Sequence[str]) -> list[str]:
        """Every label the annotators' spans carry, in name order."""
        marks = ", ".join("?" * len(annotators))
        return [
            name
            for (name,) in self._db.execute(
                f"SELECT DISTINCT label FROM spans WHERE annotator IN ({marks}) ORDER BY label",
                list(annotators),
            )
        ]

    def span_rows(self, annotators: Sequence[str]) -> Iterator[tuple[int, str, int, int, str]]:
        """(article id, annotator, start, end, label) of the annotators' non-empty spans."""
        marks = ", ".join("?" * len(annotators))
        yield from self._db.execute(
            'SELECT article_id, annotator, start, "end", label FROM spans '
            f'WHERE annotator IN ({marks}) AND 0 <= start AND start < "end"',
            list(annotators),
        )
