"""Articles: importing them, reading them, listing and searching them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Article
from annotator.storage.base import StoreBase, now


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

    def search(self, query: str, limit: int = 10_000) -> list[int]:
        """Ids of articles whose title or text match ``query`` (FTS5, words as typed)."""
        terms = [t.replace('"', '""') for t in query.split()]
        if not terms:
            return self.article_ids()
        # Each word quoted: punctuation in the query is text to find, not FTS syntax.
        # The last word matches as a prefix, so the list narrows while one types.
        match = " ".join(f'"{t}"' for t in terms) + "*"
        rows = self._db.execute(
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
        return [ArticleRow(*row) for row in self._db.execute(sql, params)]
