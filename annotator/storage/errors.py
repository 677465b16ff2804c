"""What can go wrong with a project file, as errors a user can act on.

SQLite reports a locked, read-only, full, damaged or unreadable file as ``sqlite3`` errors
with a result code; ``storage_error`` turns each into one ``StorageError`` subclass whose
message names the file and says what to do. ``guarded`` applies it to a function of the
storage layer, so no raw ``sqlite3`` traceback leaves ``annotator.storage`` for a cause a
user can fix. Errors that are bugs (a constraint broken by the program, bad SQL) stay loud.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from annotator.core.errors import AnnotatorError

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StorageError(AnnotatorError):
    """A project file cannot be used; the message says why and names the file."""


class NewerDatabaseError(StorageError):
    """The file was written by a newer version of the program; it is left untouched."""


class NotAProject(StorageError):
    """The file is not an annotator project (another program's database, an empty file...)."""


class ProjectBusy(StorageError):
    """Another program kept the project locked for longer than the busy timeout."""


class ReadOnlyProject(StorageError):
    """The project can be read but not written (file, folder or medium is read-only)."""


class ProjectGone(StorageError):
    """The project file was deleted, moved or replaced since it was opened: writes would go
    to a file nobody can open again, so none is made."""


class DiskFull(StorageError):
    """The disk (or the project's size limit) is full; the change was not saved."""


class CorruptProject(StorageError):
    """Pages of the project file are damaged."""


class ProjectIOError(StorageError):
    """The operating system failed to read or write the project file."""


class SpanConflict(StorageError):
    """A span was changed or deleted elsewhere (another window, another program) since it
    was read; the edit that expected it was refused and nothing was written."""


class ArticleConflict(StorageError):
    """An article cannot come back (the undo of its removal): its id or its text was taken
    by an article imported since; nothing was written."""


def describe(path: Path | None) -> str:
    return str(path) if path is not None else "the in-memory project"


def storage_error(error: sqlite3.Error, path: Path | None) -> StorageError | None:
    """The ``StorageError`` a user should see for ``error``, or None if it is a bug."""
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    message = str(error)
    name = describe(path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in message:
        return ProjectBusy(
            f"another program is writing to {name} and kept it locked too long; "
            "nothing was changed, try again"
        )
    if code == SQLITE_READONLY or "readonly database" in message:
        return ReadOnlyProject(
            f"{name} is read-only; nothing was saved (copy it to a writable folder to edit it)"
        )
    if code == SQLITE_FULL or "database or disk is full" in message:
        return DiskFull(
            f"{name}: the disk is full; the last change was not saved, everything saved "
            "before it is intact. Free some space and try again"
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in message:
        return CorruptProject(
            f"{name}: the project file is damaged ({message}); restore it from a backup "
            "(such as a .bak file beside it)"
        )
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM) or "disk I/O error" in message:
        return ProjectIOError(
            f"{name}: the system could not read or write the project file ({message}); "
            "nothing was saved. Check the disk and that the file is still there"
        )
    return None


F = TypeVar("F", bound=Callable[..., Any])


def _path_of(args: tuple[Any, ...]) -> Path | None:
    return getattr(args[0], "path", None) if args else None


def _reraise(error: sqlite3.Error, path: Path | None) -> NoReturn:
    translated = storage_error(error, path)
    if translated is None:
        raise error
    raise translated from error


def guarded(func: F) -> F:
    """``func`` (a method of ``Store``, or a storage function taking the store first) with
    SQLite's errors a user can cause raised as ``StorageError``; generators too."""
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def generator(*args: Any, **kwargs: Any) -> Any:
            try:
                return (yield from func(*args, **kwargs))
            except sqlite3.Error as error:
                _reraise(error, _path_of(args))

        return generator  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as error:
            _reraise(error, _path_of(args))

    return wrapper  # type: ignore[return-value]
