"""Statuses: each annotator's progress on each article; who annotated; project counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.core.model import GOLD, STATUSES
from annotator.storage.articles import Articles
from annotator.storage.base import now

#: An annotator's marks that tell a reviewer something (SQL): finished, or flagged or
#: skipped after all; an edit of a done article stamps its status too.
MARKED = "('done', 'flagged', 'skipped')"


@dataclass(frozen=True, slots=True)
class StatusRow:
    status: str = "todo"
    seconds_active: float = 0.0
    comment: str = ""


class Statuses(Articles):
    # -- status ----------------------------------------------------------------------------

    def status(self, article_id: int, annotator: str) -> StatusRow:
        row = self._db.execute(
            "SELECT status, seconds_active, comment FROM article_status "
            "WHERE article_id = ? AND annotator = ?",
            [article_id, annotator],
        ).fetchone()
        return StatusRow(row[0], row[1] or 0.0, row[2] or "") if row else StatusRow()

    def notes_on(self, article_id: int) -> list[tuple[str, str, str]]:
        """(annotator, status, comment) of those who skipped or flagged the article or left
        a comment on it, by name: what a reviewer reads beside their work (the review
        showed none of it, and a skip was only in ``stats``)."""
        return self._db.execute(
            "SELECT annotator, status, COALESCE(comment, '') FROM article_status "
            "WHERE article_id = ? AND annotator != ? "
            "AND (status IN ('skipped', 'flagged') OR COALESCE(comment, '') != '') "
            "ORDER BY annotator COLLATE NOCASE",
            [article_id, GOLD],
        ).fetchall()

    def set_status(
        self, article_id: int, annotator: str, status: str, comment: str | None = None
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        stamp = now()
        with self._writing():
            self._write_status(article_id, annotator, status, stamp, comment)
            payload: dict[str, Any] = {"status": status}
            if comment is not None:
                payload["comment"] = comment
            self._event(annotator, article_id, "status", payload, stamp)

    def set_statuses_in_bulk(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Set many ``(article_id, annotator, status)`` in one transaction, without events:
        for generated or converted data, not for edits."""
        stamp = now()
        with self._writing():
            self._db.executemany(
                "INSERT INTO article_status (article_id, annotator, status, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id, annotator) DO UPDATE "
                "SET status = excluded.status, updated_at = excluded.updated_at",
                ((article_id, annotator, status, stamp) for article_id, annotator, status in rows),
            )

    def add_active_time(self, article_id: int, annotator: str, seconds: float) -> None:
        """Add to the time spent on an article. Bookkeeping: on a read-only project it is
        not kept, and no error is raised. Reading an article leaves it ``todo``."""
        if self.read_only:
            return
        with self._writing():
            self._db.execute(
                "INSERT INTO article_status (article_id, annotator, status, seconds_active, "
                "updated_at) VALUES (?, ?, 'todo', ?, ?) "
                "ON CONFLICT (article_id, annotator) DO UPDATE SET "
                "seconds_active = seconds_active + excluded.seconds_active",
                [article_id, annotator, seconds, now()],
            )

    def status_counts(self, annotator: str) -> dict[str, int]:
        """How many articles this annotator has in each status (unopened ones are ``todo``)."""
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in self._db.execute(
            "SELECT status, COUNT(*) FROM article_status WHERE annotator = ? GROUP BY status",
            [annotator],
        ):
            counts[status] = n
        counts["todo"] += self.article_count() - sum(counts.values())
        return counts

    def done_count(self, annotator: str | None = None) -> int:
        """How many articles ``annotator`` marked done; without one, how many articles
        anyone (gold included) marked done, each counted once: what training learns from."""
        if annotator is not None:
            sql, params = (
                "SELECT COUNT(*) FROM article_status WHERE annotator = ? AND status = 'done'",
                [annotator],
            )
        else:
            sql, params = (
                "SELECT COUNT(DISTINCT article_id) FROM article_status WHERE status = 'done'",
                [],
            )
        return int(self._db.execute(sql, params).fetchone()[0])

    def articles_with_status(self, annotator: str, status: str) -> list[int]:
        if status == "todo":
            sql = (
                "SELECT a.id FROM articles a LEFT JOIN article_status s ON s.article_id = a.id "
                "AND s.annotator = ? WHERE COALESCE(s.status, 'todo') = 'todo' ORDER BY a.id"
            )
            return [r[0] for r in self._db.execute(sql, [annotator])]
        sql = (
            "SELECT article_id FROM article_status WHERE annotator = ? AND status = ? "
            "ORDER BY article_id"
        )
        return [r[0] for r in self._db.execute(sql, [annotator, status])]

    def remove_version(self, article_id: int, annotator: str) -> None:
        """Take an annotator's version of an article away whole, as if never begun: its
        spans (their relations and values go with them), rejections and status. The undo
        of a review's first choice, which made the gold version."""
        with self._writing():
            self.delete_versions([(article_id, annotator)])
            self._event(annotator, article_id, "remove_version", {}, now())

    def delete_versions(self, rows: Iterable[tuple[int, str]]) -> None:
        """Delete the ``(article, annotator)`` versions' spans (their relations and values go
        with them, by the triggers), rejections and statuses; inside a write transaction."""
        rows = list(rows)
        for table in ("spans", "known_negatives", "article_status"):
            self._db.executemany(
                f"DELETE FROM {table} WHERE article_id = ? AND annotator = ?", rows
            )

    def review_list_key(self) -> tuple:
        """What the review list follows, in one cheap read: the finished work (an edit of
        a done article stamps its status) and gold's, by count and latest stamp. Edits of
        articles nobody finished leave it as it was."""
        row = self._db.execute(
            "SELECT COUNT(*), MAX(updated_at) FROM article_status "
            f"WHERE status IN {MARKED} OR annotator = ?",
            [GOLD],
        ).fetchone()
        return tuple(row)

    def _status_exists(self, article_id: int, annotator: str) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM article_status WHERE article_id = ? AND annotator = ?",
                [article_id, annotator],
            ).fetchone()
            is not None
        )

    def _write_status(
        self, article_id: int, annotator: str, status: str, stamp: str, comment: str | None = None
    ) -> None:
        self._db.execute(
            "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
            "VALUES (?, ?, ?, COALESCE(?, ''), ?) ON CONFLICT (article_id, annotator) DO UPDATE "
            "SET status = excluded.status, comment = COALESCE(?, comment), "
            "updated_at = excluded.updated_at",
            [article_id, annotator, status, comment, stamp, comment],
        )

    def _log_edit(
        self, article_id: int, annotator: str, action: str, payload: dict, stamp: str
    ) -> None:
        """An edit of the annotator's article: logged as an event, and the article, if
        ``todo`` for them, is ``in_progress``."""
        self._event(annotator, article_id, action, payload, stamp)
        self._touch_status(article_id, annotator, stamp)

    def _touch_status(self, article_id: int, annotator: str, stamp: str) -> None:
        """An edit makes an article ``todo`` for its annotator ``in_progress``."""
        self._db.execute(
            "INSERT INTO article_status (article_id, annotator, status, updated_at) "
            "VALUES (?, ?, 'in_progress', ?) ON CONFLICT (article_id, annotator) DO UPDATE "
            "SET updated_at = excluded.updated_at, "
            "status = CASE status WHEN 'todo' THEN 'in_progress' ELSE status END",
            [article_id, annotator, stamp],
        )

    # -- annotators, stats ---------------------------------------------------------------

    def annotators(self, include_gold: bool = False) -> list[str]:
        """Who has work in the project: spans, or an article marked past ``todo``. Reading
        alone is not work: a lead or reviewer who opened the annotation window to look was
        listed in ``stats`` as an annotator with every article to do (their reading time is
        still counted, in ``seconds_active``)."""
        names = {
            row[0]
            for row in self._db.execute(
                "SELECT annotator FROM article_status WHERE status != 'todo' "
                "UNION SELECT annotator FROM spans"
            )
        }
        if not include_gold:
            names.discard(GOLD)
        return sorted(names)

    def changed_since_review(self) -> set[int]:
        """Articles reviewed (gold ``done``) that an annotator who finished them edited or
        marked since gold was last written (done again, or flagged or skipped: a flag after
        review is news to the reviewer too): their gold may be out of date."""
        return {
            row[0]
            for row in self._db.execute(
                "SELECT DISTINCT g.article_id FROM article_status g JOIN article_status a "
                "ON a.article_id = g.article_id AND a.annotator != g.annotator "
                "WHERE g.annotator = ? AND g.status = 'done' "
                f"AND a.status IN {MARKED} AND a.updated_at > g.updated_at",
                [GOLD],
            )
        }

    def review_counts(self) -> dict[str, int]:
        """What the review (the ``gold`` version) holds: the articles reviewed (gold
        ``done``, not changed by an annotator since), reviewed and changed since
        (``changed_since_review``), begun (gold spans or a mark) and not marked reviewed,
        and how many articles an annotator marked done, the ones there are to review."""
        reviewed, begun = self._db.execute(
            "SELECT COUNT(status = 'done' OR NULL), COUNT(status != 'done' OR NULL) FROM "
            "(SELECT article_id, status FROM article_status WHERE annotator = :gold "
            "AND status != 'todo' UNION ALL SELECT DISTINCT article_id, 'begun' FROM spans "
            "WHERE annotator = :gold AND article_id NOT IN (SELECT article_id FROM "
            "article_status WHERE annotator = :gold AND status != 'todo'))",
            {"gold": GOLD},
        ).fetchone()
        changed = len(self.changed_since_review())
        (finished,) = self._db.execute(
            "SELECT COUNT(DISTINCT article_id) FROM article_status "
            "WHERE status = 'done' AND annotator != ?",
            [GOLD],
        ).fetchone()
        return {
            "reviewed": reviewed - changed,
            "changed_since_reviewed": changed,
            "begun": begun,
            "done_by_annotators": finished,
        }

    def reviewer_counts(self) -> dict[str, dict[str, int]]:
        """Per reviewer (``by`` of gold's events): the gold edits they made, and the articles
        they marked reviewed (gold ``done``), over the whole log."""
        return {
            name: {"gold_edits": edits, "articles_reviewed": reviewed}
            for name, edits, reviewed in self._db.execute(
                "SELECT json_extract(payload, '$.by') AS who, "
                "SUM(action != 'status'), COUNT(DISTINCT CASE WHEN action = 'status' AND "
                "json_extract(payload, '$.status') = 'done' THEN article_id END) "
                "FROM events WHERE annotator = ? AND who IS NOT NULL GROUP BY who ORDER BY who",
                [GOLD],
            )
        }

    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``: articles, suggestions, spans, statuses."""
        suggestions: dict[str, dict[str, int]] = {}
        for model, label, n in self._db.execute(
            "SELECT model, label, COUNT(*) FROM suggestions GROUP BY model, label ORDER BY 1, 2"
        ):
            suggestions.setdefault(model, {})[label] = n
        spans: dict[str, dict[str, int]] = {}
        for annotator, label, n in self._db.execute(
            "SELECT annotator, label, COUNT(*) FROM spans GROUP BY annotator, label ORDER BY 1, 2"
        ):
            spans.setdefault(annotator, {})[label] = n
        # (gold is the review's version, not an annotator's pile: it read "gold: todo 24")
        statuses = {name: self.status_counts(name) for name in self.annotators()}
        # What a lead needs beside the counts: the time each one spent, the articles nobody
        # finished, and the flags with what their annotators wrote.
        seconds = dict(
            self._db.execute(
                "SELECT annotator, SUM(seconds_active) FROM article_status GROUP BY annotator "
                "HAVING SUM(seconds_active) > 0 ORDER BY 1"
            ).fetchall()
        )
        flagged = [
            {"article": article, "title": title, "annotator": who, "comment": comment}
            for article, title, who, comment in self._db.execute(
                "SELECT s.article_id, a.title, s.annotator, s.comment FROM article_status s "
                "JOIN articles a ON a.id = s.article_id WHERE s.status = 'flagged' "
                "ORDER BY s.article_id, s.annotator"
            )
        ]
        return {
            "articles": self.article_count(),
            "characters": int(
                self._db.execute("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM articles").fetchone()[
                    0
                ]
            ),
            "labels": [label.name for label in self.labels()],
            "suggestions": suggestions,
            "spans": spans,
            "status": statuses,
            "done_by_nobody": self.article_count() - self.done_count(),
            "seconds_active": {name: round(float(n), 1) for name, n in seconds.items()},
            "flagged": flagged,
            "reviewers": self.reviewer_counts(),
            "review": self.review_counts(),
        }
