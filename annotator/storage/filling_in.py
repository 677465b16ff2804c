"""A record of a text the project holds fills in the article's missing fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import Article
from annotator.core.text import first_line, title_line

if TYPE_CHECKING:
    from annotator.storage.store import Store


def fill_in(store: Store, held: list[tuple[int, Article]], stamp: str) -> int:
    """A record of a text the project holds fills in the title, source, URL and date its
    article lacks (a table of texts imported first, then the same texts with their titles:
    "6 duplicates skipped", and no way to add them but one F2 at a time); what the article
    has stays. A title comes with its event, as F2's does (the window's list follows the
    events). Returns how many articles changed."""
    filled = 0
    for article_id, article in held:
        row = store._db.execute(
            "SELECT title, source, url, published FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        # (a title that is only the text's first line, as .txt and brat give one, is no news)
        title = title_line(article.title)
        title = "" if title == title_line(first_line(article.text)) else title
        given = (title, article.source, article.url, article.published)
        changes = {
            name: new for name, old, new in zip(_FILLED, row, given, strict=True) if not old and new
        }
        if not changes:
            continue
        assignments = ", ".join(f"{name} = ?" for name in changes)
        store._db.execute(
            f"UPDATE articles SET {assignments} WHERE id = ?", [*changes.values(), article_id]
        )
        if "title" in changes:
            payload = {"before": "", "after": changes["title"]}
            store._event("", article_id, "set_title", payload, stamp)
        filled += 1
    return filled


_FILLED = ("title", "source", "url", "published")
