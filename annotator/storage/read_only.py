"""Reading a project that cannot be written (a read-only file, folder or medium, a full
disk) without creating any file beside it, from a temporary copy where that takes one (see
``opening``'s docstring for the cases)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from annotator.storage.connections import (
    backup,
    check_project,
    closed_on_failure,
    migrate,
    new_connection,
)
from annotator.storage.errors import ReadOnlyProject, StorageError
from annotator.storage.migrations import migrations
from annotator.storage.open_files import Connection as _Connection
from annotator.storage.open_files import file_uri


def read_only_reason(path: Path) -> str:
    """Why ``path`` cannot be written, or "" if it can (as far as permissions tell)."""
    if read_only_medium(path if path.exists() else path.parent):
        return "the disk is read-only"
    if path.exists() and not writable(path):
        return "the file is read-only"
    if not writable(path.parent):
        return "its folder is read-only"
    return ""


def read_only_medium(path: Path) -> bool:
    """Whether ``path`` lies on a disk mounted read-only."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): permissions will tell
        return False


def writable(path: Path) -> bool:
    """Whether this user may write ``path`` (a file, or a folder to create files in)."""
    # access() answers for this user and sees read-only mounts; the permission bits say
    # what the owner meant, which matters when running as root (access() is always yes).
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def wal_holds_changes(path: Path) -> bool:
    """Whether the project's ``-wal`` file holds changes not yet in the file itself."""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def stranded_wal(path: Path) -> bool:
    """Changes in ``-wal`` and no ``-shm``: no connection is open, the last writer died."""
    return wal_holds_changes(path) and not Path(f"{path}-shm").exists()


def read_only_connection(path: Path, reason: str) -> sqlite3.Connection:
    """A connection to a file that cannot be written, which creates no file beside it."""
    if not wal_holds_changes(path):
        # immutable: no locks, no -shm; right only when no -wal file holds newer pages.
        return new_connection(file_uri(path, "mode=ro&immutable=1"), path, uri=True)
    if not stranded_wal(path):
        # A -shm is there (a writer with more rights may be at work): share it.
        try:
            connection = new_connection(file_uri(path, "mode=ro"), path, True)
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return connection
        except (sqlite3.Error, StorageError):
            pass  # a -shm this connection may not use (a read-only medium): a copy it is
    return copy_connection(path, reason)


class _CopyConnection(_Connection):
    """A connection to a temporary copy of a project; closing it removes the copy."""

    folder = ""

    def close(self) -> None:
        super().close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def copy_connection(path: Path, reason: str) -> sqlite3.Connection:
    """Read ``path`` with its ``-wal`` from a copy in a temporary folder (see the module
    docstring); nothing is created beside ``path``."""
    wal = Path(f"{path}-wal")

    def copy_with_wal(copy: Path) -> None:
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, f"{copy}-wal")

    return read_from_copy(
        path,
        copy_with_wal,
        f"{reason}, and its latest changes in {wal.name} could not be read from a temporary "
        "copy ({error}); copy the project with its -wal file to a writable folder and open "
        "it there",
    )


def read_from_copy(path: Path, make: Callable[[Path], None], failure: str) -> sqlite3.Connection:
    """A read-only connection to a copy of ``path`` that ``make`` writes in a temporary
    folder, removed when the connection closes; ``ReadOnlyProject`` saying ``failure``
    (with ``{error}`` filled in) if it cannot be made."""
    folder = tempfile.mkdtemp(prefix="annotator-read-only-")
    copy = Path(folder) / path.name
    try:
        make(copy)
        connection = new_connection(
            file_uri(copy, "mode=ro"), path, uri=True, factory=_CopyConnection
        )
    except (OSError, sqlite3.Error, StorageError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        # (replace, not format: a file's name may hold braces)
        raise ReadOnlyProject(f"{path}: " + failure.replace("{error}", str(error))) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a copy of the whole project, left in /tmp
        raise
    assert isinstance(connection, _CopyConnection)
    connection.folder = folder
    weakref.finalize(connection, shutil.rmtree, folder, True)  # if never closed
    return connection


def open_read_only(path: Path, reason: str) -> tuple[sqlite3.Connection, str]:
    """A connection that only reads ``path``, and why (``reason``, and that it was read
    from an up-to-date copy if it was made by an older version)."""
    connection = read_only_connection(path, reason)
    with closed_on_failure(connection, path):
        check_project(connection, path, create=False)
        if migrations.pending(Database(connection)):
            older, connection = connection, upgraded_copy(connection, path, reason)
            older.close()
            reason += "; made by an older version, it is read from an up-to-date copy"
    with closed_on_failure(connection, path):  # (the up-to-date copy, if one was made)
        connection.execute("PRAGMA query_only=ON")
    return connection, reason


def upgraded_copy(connection: sqlite3.Connection, path: Path, reason: str) -> sqlite3.Connection:
    """A project of an older schema that cannot be written, read from a copy brought up to
    date in a temporary folder (removed when the connection closes), as ``merge`` reads its
    inputs: it could not be opened at all ("open it once where it can be written")."""

    def upgraded(copy: Path) -> None:
        backup(connection, copy)
        upgrading = new_connection(str(copy), None)
        try:
            migrate(upgrading, None)  # (no copy aside of a temporary copy)
        finally:
            upgrading.close()

    return read_from_copy(
        path,
        upgraded,
        f"made by an older version of annotator and read-only ({reason}); an up-to-date "
        "copy could not be made in a temporary folder ({error}): open it once where it can "
        "be written, to upgrade it",
    )
