"""The project file: one SQLite database per project, through sqlite-utils. No Qt, no spaCy.

The connection is private to this package: other layers call ``Store`` methods and the
functions of its modules (``exports``, ``merging``, ``token_cache``).
"""

from annotator.storage.articles import AddedArticles, ArticleRow, RemovedArticle
from annotator.storage.errors import (
    ArticleConflict,
    CorruptProject,
    DiskFull,
    NewerDatabaseError,
    NotAProject,
    ProjectBusy,
    ProjectGone,
    ProjectIOError,
    ReadOnlyProject,
    SpanConflict,
    StorageError,
)
from annotator.storage.relations import RelationConflict
from annotator.storage.statuses import StatusRow
from annotator.storage.store import Store

__all__ = [
    "AddedArticles",
    "ArticleConflict",
    "ArticleRow",
    "CorruptProject",
    "DiskFull",
    "NewerDatabaseError",
    "NotAProject",
    "ProjectBusy",
    "ProjectGone",
    "ProjectIOError",
    "ReadOnlyProject",
    "RelationConflict",
    "RemovedArticle",
    "SpanConflict",
    "StatusRow",
    "StorageError",
    "Store",
]
