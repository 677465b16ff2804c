"""Articles: importing them, reading them, listing them (searching them: ``search.py``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Article
from annotator.core.text import title_line
from annotator.storage import saved_rows
from annotator.storage.base import StoreBase, now
from annotator.storage.errors import ArticleConflict
from annotator.storage.saved_rows import SavedRows


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

    @property
    def started(self) -> bool:
        """Whether the annotator started on it (``Store.started``); until then it shows
        its suggestions."""
        return self.spans > 0 or self.status != "todo"


@dataclass(frozen=True)
class RemovedArticle:
    """An article taken out of the project with every row that hung on it (spans,
    statuses, suggestions, links, token cache...), parents first: ``restore_article`` puts
    them all back with their ids. The events log keeps its rows (it is append-only)."""

    article_id: int
    title: str
    rows: tuple[SavedRows, ...]

    def count(self, table: str) -> int:
        return sum(len(saved) for saved in self.rows if saved.table == table)


@dataclass(frozen=True, slots=True)
class AnnotatorWork:
    """One annotator's work on one article, as a removal's confirmation lists it."""

    annotator: str
    spans: int
    status: str


ARTICLE_COLUMNS = "id, text, title, source, url, published, meta"


def article_from_row(row: Sequence[Any]) -> Article:
    """An ``Article`` from the ``ARTICLE_COLUMNS`` of a row."""
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


class Articles(StoreBase):
    # -- articles --------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> AddedArticles:
        """Insert articles whose text is not yet in the project, in one transaction."""
        ids: list[int] = []
        duplicates = 0
        stamp = now()
        with self._writing():
            for article in articles:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO articles "
                    "(text_hash, title, text, source, url, published, meta, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.text_hash,
                        title_line(article.title),
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
        row = self._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no article {article_id}")
        return article_from_row(row)

    def iter_articles(
        self, ids: Sequence[int] | None = None, batch: int = 500
    ) -> Iterator[Article]:
        """Articles in id order (or in the order of ``ids``), fetched ``batch`` at a time."""
        columns = ARTICLE_COLUMNS
        if ids is None:
            last = 0
            while True:
                rows = self._db.execute(
                    f"SELECT {columns} FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                    [last, batch],
                ).fetchall()
                if not rows:
                    return
                yield from (article_from_row(row) for row in rows)
                last = rows[-1][0]
        else:
            for i in range(0, len(ids), batch):
                chunk = list(ids[i : i + batch])
                marks = ",".join("?" * len(chunk))
                found = {
                    row[0]: row
                    for row in self._db.execute(
                        f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk
                    )
                }
                yield from (article_from_row(found[i]) for i in chunk if i in found)

    def article_ids(self) -> list[int]:
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def article_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_id_for_hash(self, text_hash: str) -> int | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE text_hash = ?", [text_hash]
        ).fetchone()
        return int(row[0]) if row else None

    def article_list(
        self, annotator: str, status: str | None = None, *, assigned_only: bool = False
    ) -> list[ArticleRow]:
        """Every article with this annotator's status and span count, in id order, or only
        those given to them (``assignments.py``). (An article they have not started on
        shows its suggestions: ``suggestion_counts``.)"""
        # The span counts grouped once from the annotator's spans (an index range), not
        # counted article by article: half the time on 10,000 articles.
        sql = """
            SELECT a.id, a.title, COALESCE(s.status, 'todo'), COALESCE(n.spans, 0)
            FROM articles a
            LEFT JOIN article_status s ON s.article_id = a.id AND s.annotator = :annotator
            LEFT JOIN (SELECT article_id, COUNT(*) AS spans FROM spans
                       WHERE annotator = :annotator GROUP BY article_id) n
                   ON n.article_id = a.id
        """
        params: dict[str, Any] = {"annotator": annotator}
        where = []
        if status is not None:
            where.append("COALESCE(s.status, 'todo') = :status")
            params["status"] = status
        if assigned_only:
            where.append(
                "a.id IN (SELECT article_id FROM assignments WHERE annotator = :annotator)"
            )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.id"
        return [ArticleRow(*row) for row in self._db.execute(sql, params)]

    def articles_key(self) -> tuple[Any, ...]:
        """What changes when an article is added, removed or retitled (texts never change):
        their count, the last id, the last title edit."""
        return tuple(
            self._db.execute(
                "SELECT (SELECT COUNT(*) FROM articles), (SELECT MAX(id) FROM articles), "
                "(SELECT MAX(id) FROM events WHERE action = 'set_title')"
            ).fetchone()
        )

    def article_list_key(self, annotator: str) -> tuple[Any, ...]:
        """What ``article_list`` shows, in cheap reads (1-2 ms on 6,000 articles): the
        articles and their titles' edits, the annotator's statuses and spans, by count and
        latest, the suggestions (an untouched article shows their count) and the articles
        given to the annotator. Another
        annotator's edit leaves it as it was: a window need not read its list again (115 ms
        on 6,000 articles, on every edit of every other window)."""
        return self.articles_key() + tuple(
            value
            for sql in (
                "SELECT COUNT(*), MAX(updated_at) FROM article_status WHERE annotator = :who",
                "SELECT COUNT(*), MAX(id), TOTAL(article_id) FROM spans WHERE annotator = :who",
                "SELECT COUNT(*), MAX(id) FROM suggestions",
                "SELECT COUNT(*), TOTAL(article_id) FROM assignments WHERE annotator = :who",
            )
            for value in self._db.execute(sql, {"who": annotator}).fetchone()
        )

    # -- titles, removal -------------------------------------------------------------------

    def set_article_title(self, article_id: int, title: str, by: str = "") -> str:
        """Give an article a new title (one line; the search index follows); returns the
        title it had, which undoes the change when given back."""
        title = title_line(title)
        with self._writing():
            before = self.article(article_id).title
            if title != before:
                self._db.execute("UPDATE articles SET title = ? WHERE id = ?", [title, article_id])
                self._event(by, article_id, "set_title", {"before": before, "after": title}, now())
        return before

    def article_work(self, article_id: int) -> list[AnnotatorWork]:
        """Who has work on the article (gold included): their spans and status, by name."""
        rows = self._db.execute(
            """
            SELECT who, (SELECT COUNT(*) FROM spans p WHERE p.article_id = :id
                           AND p.annotator = who),
                   COALESCE((SELECT status FROM article_status s WHERE s.article_id = :id
                              AND s.annotator = who), 'todo')
            FROM (SELECT annotator AS who FROM spans WHERE article_id = :id
                  UNION SELECT annotator FROM article_status WHERE article_id = :id
                    AND status != 'todo')
            ORDER BY who
            """,
            {"id": article_id},
        )
        return [AnnotatorWork(*row) for row in rows]

    def remove_article(self, article_id: int, by: str = "") -> RemovedArticle:
        """Take an article out of the project with everything that hangs on it (every
        table whose foreign key leads to it), in one transaction; returns it all, for
        ``restore_article``. The search index follows; the events log keeps its rows."""
        with self._writing():
            article = self.article(article_id)
            plan = _dependants(self._db)
            rows = tuple(
                saved_rows.read(self._db, table, where, {"article": article_id})
                for table, where in plan
            )
            for table, where in reversed(plan):  # the rows that refer to others go first
                self._db.execute(
                    f"DELETE FROM {saved_rows.quote(table)} WHERE {where}", {"article": article_id}
                )
            removed = RemovedArticle(article_id, article.title, rows)
            self._event(
                by,
                article_id,
                "remove_article",
                {
                    "title": article.title,
                    "text_hash": article.text_hash,
                    "rows": {saved.table: len(saved) for saved in rows if saved.rows},
                },
                now(),
            )
        return removed

    def restore_article(self, removed: RemovedArticle, by: str = "") -> None:
        """Put a removed article back exactly as it was (same ids, spans, statuses...).

        ``ArticleConflict`` (nothing written) if an article imported since took its id
        or has its text."""
        with self._writing():
            try:
                for saved in removed.rows:
                    saved_rows.put_back(self._db, saved)
            except sqlite3.IntegrityError:
                raise ArticleConflict(
                    f"article {removed.article_id} ({removed.title or 'untitled'}) cannot come "
                    "back: an article imported since has its place or its text"
                ) from None
            self._event(by, removed.article_id, "restore_article", {"title": removed.title}, now())


def _dependants(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(table, where)`` for ``articles`` and every table whose foreign keys lead to it,
    each ``where`` selecting the rows of the article (bound as ``:article``); parents
    before the tables that refer to them."""
    quote = saved_rows.quote
    depth: dict[str, int] = {"articles": 0}
    clauses: dict[str, list[str]] = {"articles": ["id = :article"]}
    followed: set[tuple[str, str, str]] = set()
    queue = ["articles"]
    while queue:
        parent = queue.pop(0)
        where = " OR ".join(f"({c})" for c in clauses[parent])
        for ref in saved_rows.references_to(db, parent):
            edge = (ref.table, ref.column, parent)
            if ref.table == parent or edge in followed or depth[parent] >= 5:
                continue
            followed.add(edge)
            if parent == "articles":
                clause = f"{quote(ref.column)} = :article"
            else:
                clause = (
                    f"{quote(ref.column)} IN (SELECT {quote(ref.parent_column)} "
                    f"FROM {quote(parent)} WHERE {where})"
                )
            clauses.setdefault(ref.table, []).append(clause)
            depth[ref.table] = max(depth.get(ref.table, 0), depth[parent] + 1)
            queue.append(ref.table)
    order = sorted(depth, key=lambda table: depth[table])
    return [(table, " OR ".join(f"({c})" for c in clauses[table])) for table in order]
