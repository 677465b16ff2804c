"""The project file: one SQLite database per project, through sqlite-utils. No Qt, no spaCy."""

from annotator.storage.store import (
    AddedArticles,
    ArticleRow,
    NewerDatabaseError,
    StatusRow,
    StorageError,
    Store,
)

__all__ = [
    "AddedArticles",
    "ArticleRow",
    "NewerDatabaseError",
    "StatusRow",
    "StorageError",
    "Store",
]
