"""The project file: one SQLite database per project, through sqlite-utils. No Qt, no spaCy.

The connection is private to this package: other layers call ``Store`` methods and the
functions of its modules (``exports``, ``merging``, ``token_cache``).
"""

from annotator.storage.articles import AddedArticles, ArticleRow
from annotator.storage.errors import (
    CorruptProject,
    DiskFull,
    NewerDatabaseError,
    NotAProject,
    ProjectBusy,
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
    "ArticleRow",
    "CorruptProject",
    "DiskFull",
    "NewerDatabaseError",
    "NotAProject",
    "ProjectBusy",
    "ProjectIOError",
    "ReadOnlyProject",
    "RelationConflict",
    "SpanConflict",
    "StatusRow",
    "StorageError",
    "Store",
]
