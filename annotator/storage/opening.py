"""Opening a project file: read-write or read-only, never a write before it is known to be
a project, and the schema brought up to date.

- A missing file becomes a new project (when creating is allowed); so does an empty
  (zero-byte) file, but only when creating is allowed: ``annotator stats`` on an empty file
  says so and leaves it empty, ``annotator import`` starts a project in it.
- Another program's SQLite database, a newer project, a file that is no database at all:
  refused before anything is written (no switch to WAL; the bytes stay the same).
- A read-only file, a file in a read-only folder, a read-only medium: opened read-only
  (``mode=ro``; ``immutable=1`` when no ``-wal`` file holds changes, so that SQLite creates
  no ``-wal``/``-shm`` files beside it). The file's permission bits count even for root:
  a file marked read-only is opened read-only.
- A read-only project whose ``-wal`` holds changes but has no ``-shm`` beside it (its last
  writer was killed, then the file was made read-only or copied): SQLite would create the
  ``-shm`` wherever the folder lets it, and leave it behind, or fail on a read-only medium.
  Such a project is read from a copy of the file and its ``-wal`` in a temporary folder,
  removed when the connection closes. (No writer can be at work on it: a connection in
  WAL mode always has the ``-shm`` file.)
- ``open_for_reading`` opens a file that must only be read (``annotator merge``'s inputs)
  by the same rules, whether it can be written or not: the file stays byte for byte as it
  was and no ``-wal``/``-shm`` file is left beside it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.storage.connections import (
    check_project,
    closed_on_failure,
    migrate,
    new_connection,
    opening_error,
)
from annotator.storage.errors import (
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_READONLY,
    NotAProject,
    ProjectIOError,
    ReadOnlyProject,
    StorageError,
)
from annotator.storage.open_files import (
    check_path_length,
    disk_full,
    folder_problem,
    none_begun_on_a_full_disk,
    open_here,
)
from annotator.storage.read_only import (
    copy_connection,
    open_read_only,
    read_only_connection,
    read_only_reason,
    stranded_wal,
)

SQLITE_MAGIC = b"SQLite format 3\x00"


def connect(path: Path | None, create: bool) -> tuple[sqlite3.Connection, str]:
    """A configured connection to an up-to-date project, and why it is read-only ("" if it
    is not). Raises ``StorageError`` (``NotAProject``, ``ReadOnlyProject``, ...)."""
    if path is None:
        connection = new_connection(":memory:", None)
        migrate(connection, None)
        return connection, ""
    if path.is_dir():
        raise NotAProject(f"{path}: is a folder, not a project file")
    if path.exists() and not path.is_file():  # /dev/null: "disk I/O error, check the disk"
        raise NotAProject(f"{path}: is a device or a pipe, not a project file")
    if folder := folder_problem(path):
        raise StorageError(f"{path}: {folder}")
    check_path_length(path)
    empty = _check_header(path, create)
    reason = read_only_reason(path)
    if reason:
        if empty:
            raise ReadOnlyProject(f"{path}: cannot start a project here: {reason}")
        return open_read_only(path, reason)
    try:
        with none_begun_on_a_full_disk(path):
            connection = new_connection(str(path), path)
    except ProjectIOError:
        if empty or not disk_full(path):
            raise
        # No room for the -shm that reading a WAL project takes: "disk I/O error, check
        # the disk", and the work could not even be exported to another disk.
        return open_read_only(path, "the disk is full")
    try:
        check_project(connection, path, create)
        migrate(connection, path)
        # After the schema exists: a new project is then never a WAL file without tables.
        # Asked first, so that opening a project already in WAL mode takes no lock at all.
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode=WAL").fetchall()
    except sqlite3.Error as error:
        connection.close()
        code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (SQLITE_READONLY, SQLITE_CANTOPEN) and not empty:
            # The system refused a write that the permission bits allowed (a read-only
            # mount, a medium): read-only it is.
            return open_read_only(path, "the disk is read-only")
        if code == SQLITE_IOERR and not empty and disk_full(path):
            return open_read_only(path, "the disk is full")
        if code == SQLITE_FULL and not empty:
            # The upgrade's copy aside (or the upgrade) found no room: read, from an
            # up-to-date copy in a temporary folder; the file stays as it was.
            size = path.stat().st_size / 1e6
            return open_read_only(
                path, f"the disk has no room to upgrade it: a copy of {size:.1f} MB is kept first"
            )
        raise opening_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection, ""


def _check_header(path: Path, create: bool) -> bool:
    """Whether ``path`` is missing or empty (a project may start there); raises if it is
    neither empty nor an SQLite database, or if it may not be created."""
    if not path.exists():
        if not create:
            raise StorageError(f"{path}: no such project file")
        return True
    if open_here(path):
        return False  # a project this process has open: read, its header would cost locks
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StorageError(f"{path}: cannot be read ({error.strerror})") from None
    if not header:
        if not create:
            raise NotAProject(
                f"{path}: an empty file, not a project "
                f"(`annotator import {path} FILE...` starts a project in it)"
            )
        return True
    if header != SQLITE_MAGIC:
        raise NotAProject(f"{path}: not an SQLite database")
    return False


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that reads the project at ``path`` and can never change the file.

    A read-only file, folder or medium is opened as ``Store`` opens it (``immutable=1``,
    or from a temporary copy when its ``-wal`` holds changes and has no ``-shm``); a
    writable one through a connection that refuses to write (``query_only``), which, like
    any last connection to close, removes the ``-wal``/``-shm`` files it made. A writable
    file whose ``-wal`` holds changes and has no ``-shm`` is read from a copy too: closing a
    connection to it would write those changes into the file. Raises ``StorageError``
    naming the file: missing, empty, not SQLite, another program's database, a newer
    project. A project of an older schema opens (``migrations.pending`` tells).
    """
    _check_header(path, create=False)
    reason = read_only_reason(path)
    if reason:
        connection = read_only_connection(path, reason)
    elif stranded_wal(path):
        connection = copy_connection(path, "it is only read")
    else:
        connection = new_connection(str(path), path)
    with closed_on_failure(connection, path):
        check_project(connection, path, create=False)
        connection.execute("PRAGMA query_only=ON")
    return connection
