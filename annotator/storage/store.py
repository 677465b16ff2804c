"""``Store``: every read and write of a project file goes through here.

Edits (one span, one status) are each their own short transaction, committed before the
method returns, so whatever the window shows as saved is on disk (WAL, ``synchronous=FULL``).
Bulk work groups many writes with ``with store.transaction():``, all or nothing. Every write
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``), so it waits for
another program's write (up to the busy timeout) instead of failing.

``Store`` is one class put together from the modules of this package, one per part of the
project (``base``: connection, transactions, settings, labels, events; ``articles``;
``suggestions``; ``search``; ``statuses``; ``spans``; ``review_queries``; ``scheme`` and
``label_merging``: changes to the labels; ``claim_scheme``: relation types and attributes;
``relations``: relations and attribute values edited one by one; ``claim_sets``: them as
whole sets, suggested and copied when an annotator starts on an article; ``assignments``:
who works on which article). Each public method
raises SQLite's errors a user can cause (locked, read-only, disk full, damaged file) as
``StorageError`` subclasses (``annotator.storage.errors``).
"""

from __future__ import annotations

import inspect

from annotator.storage.assignments import Assignments
from annotator.storage.claim_sets import ClaimSets
from annotator.storage.errors import guarded
from annotator.storage.label_merging import LabelMerging
from annotator.storage.search import Search


class Store(ClaimSets, LabelMerging, Assignments, Search):
    """A project: articles, labels, suggestions, each annotator's spans, relations, attribute
    values and statuses, events.

    ``Store(path)`` opens the file, creating it if it is missing (or empty, unless
    ``create=False``), and brings its schema up to date (after copying the file aside).
    A file that cannot be written opens read-only (``read_only``, ``read_only_reason``).
    ``Store()`` is an in-memory project, for tests.
    """


def _guard_public_methods(cls: type) -> None:
    for name in dir(cls):
        member = inspect.getattr_static(cls, name)
        if not name.startswith("_") and inspect.isfunction(member) and name != "transaction":
            setattr(cls, name, guarded(member))


# ``transaction`` is left as it is: it raises StorageError itself, when the block ends.
_guard_public_methods(Store)
