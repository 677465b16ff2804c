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

import os
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from annotator.storage.backups import backup_name
from annotator.storage.errors import (
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_READONLY,
    NewerDatabaseError,
    NotAProject,
    ProjectBusy,
    ProjectIOError,
    ReadOnlyProject,
    StorageError,
    storage_error,
)
from annotator.storage.migrations import known_migration_names, migrations
from annotator.storage.open_files import Connection as _Connection
from annotator.storage.open_files import (
    check_path_length,
    disk_full,
    file_key,
    none_begun_on_a_full_disk,
    open_here,
)

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def connect(path: Path | None, create: bool) -> tuple[sqlite3.Connection, str]:
    """A configured connection to an up-to-date project, and why it is read-only ("" if it
    is not). Raises ``StorageError`` (``NotAProject``, ``ReadOnlyProject``, ...)."""
    if path is None:
        connection = _connection(":memory:", None)
        _migrate(connection, None)
        return connection, ""
    if path.is_dir():
        raise NotAProject(f"{path}: is a folder, not a project file")
    if not path.parent.exists():
        raise StorageError(f"{path}: folder {path.parent} does not exist")
    check_path_length(path)
    empty = _check_header(path, create)
    reason = read_only_reason(path)
    if reason:
        if empty:
            raise ReadOnlyProject(f"{path}: cannot start a project here: {reason}")
        return _open_read_only(path, reason)
    try:
        with none_begun_on_a_full_disk(path):
            connection = _connection(str(path), path)
    except ProjectIOError:
        if empty or not disk_full(path):
            raise
        # No room for the -shm that reading a WAL project takes: "disk I/O error, check
        # the disk", and the work could not even be exported to another disk.
        return _open_read_only(path, "the disk is full")
    try:
        _check_project(connection, path, create)
        _migrate(connection, path)
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
            return _open_read_only(path, "the disk is read-only")
        if code == SQLITE_IOERR and not empty and disk_full(path):
            return _open_read_only(path, "the disk is full")
        if code == SQLITE_FULL and not empty:
            # The upgrade's copy aside (or the upgrade) found no room: read, from an
            # up-to-date copy in a temporary folder; the file stays as it was.
            size = path.stat().st_size / 1e6
            return _open_read_only(
                path, f"the disk has no room to upgrade it: a copy of {size:.1f} MB is kept first"
            )
        raise _opening_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection, ""


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


def _connection(
    target: str,
    path: Path | None,
    uri: bool = False,
    factory: type[_Connection] = _Connection,
) -> sqlite3.Connection:
    connection = sqlite3.connect(
        target,
        uri=uri,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,  # a worker thread may own a Store; one thread at a time
        # Autocommit: no statement opens a transaction behind our back; every write goes
        # through Store._writing (BEGIN IMMEDIATE).
        isolation_level=None,
        factory=factory,
    )
    try:
        # FULL: a committed edit survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as error:
        connection.close()
        raise _opening_error(error, path) from None
    if path is not None:
        connection.count_as_open(file_key(path))
    return connection


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
        connection = _read_only_connection(path, reason)
    elif _stranded_wal(path):
        connection = _copy_connection(path, "it is only read")
    else:
        connection = _connection(str(path), path)
    try:
        _check_project(connection, path, create=False)
        connection.execute("PRAGMA query_only=ON")
    except sqlite3.Error as error:
        connection.close()
        raise _opening_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection


def wal_holds_changes(path: Path) -> bool:
    """Whether the project's ``-wal`` file holds changes not yet in the file itself."""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _stranded_wal(path: Path) -> bool:
    """Changes in ``-wal`` and no ``-shm``: no connection is open, the last writer died."""
    return wal_holds_changes(path) and not Path(f"{path}-shm").exists()


def _read_only_connection(path: Path, reason: str) -> sqlite3.Connection:
    """A connection to a file that cannot be written, which creates no file beside it."""
    if not wal_holds_changes(path):
        # immutable: no locks, no -shm; right only when no -wal file holds newer pages.
        target = f"file:{quote(os.fsencode(path.absolute()))}?mode=ro&immutable=1"
        return _connection(target, path, uri=True)
    if not _stranded_wal(path):
        # A -shm is there (a writer with more rights may be at work): share it.
        try:
            connection = _connection(
                f"file:{quote(os.fsencode(path.absolute()))}?mode=ro", path, True
            )
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return connection
        except (sqlite3.Error, StorageError):
            pass  # a -shm this connection may not use (a read-only medium): a copy it is
    return _copy_connection(path, reason)


class _CopyConnection(_Connection):
    """A connection to a temporary copy of a project; closing it removes the copy."""

    folder = ""

    def close(self) -> None:
        super().close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def _copy_connection(path: Path, reason: str) -> sqlite3.Connection:
    """Read ``path`` with its ``-wal`` from a copy in a temporary folder (see the module
    docstring); nothing is created beside ``path``."""
    wal = Path(f"{path}-wal")

    def copy_with_wal(copy: Path) -> None:
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, f"{copy}-wal")

    return _read_from_copy(
        path,
        copy_with_wal,
        f"{reason}, and its latest changes in {wal.name} could not be read from a temporary "
        "copy ({error}); copy the project with its -wal file to a writable folder and open "
        "it there",
    )


def _read_from_copy(path: Path, make: Callable[[Path], None], failure: str) -> sqlite3.Connection:
    """A read-only connection to a copy of ``path`` that ``make`` writes in a temporary
    folder, removed when the connection closes; ``ReadOnlyProject`` saying ``failure``
    (with ``{error}`` filled in) if it cannot be made."""
    folder = tempfile.mkdtemp(prefix="annotator-read-only-")
    copy = Path(folder) / path.name
    try:
        make(copy)
        connection = _connection(
            f"file:{quote(str(copy))}?mode=ro", path, uri=True, factory=_CopyConnection
        )
    except (OSError, sqlite3.Error, StorageError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        # (replace, not format: a file's name may hold braces)
        raise ReadOnlyProject(f"{path}: " + failure.replace("{error}", str(error))) from None
    assert isinstance(connection, _CopyConnection)
    connection.folder = folder
    weakref.finalize(connection, shutil.rmtree, folder, True)  # if never closed
    return connection


def _open_read_only(path: Path, reason: str) -> tuple[sqlite3.Connection, str]:
    """A connection that only reads ``path``, and why (``reason``, and that it was read
    from an up-to-date copy if it was made by an older version)."""
    connection = _read_only_connection(path, reason)
    try:
        _check_project(connection, path, create=False)
        if migrations.pending(Database(connection)):
            older, connection = connection, _upgraded_copy(connection, path, reason)
            older.close()
            reason += "; made by an older version, it is read from an up-to-date copy"
        connection.execute("PRAGMA query_only=ON")
    except sqlite3.Error as error:
        connection.close()
        raise _opening_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection, reason


def _upgraded_copy(connection: sqlite3.Connection, path: Path, reason: str) -> sqlite3.Connection:
    """A project of an older schema that cannot be written, read from a copy brought up to
    date in a temporary folder (removed when the connection closes), as ``merge`` reads its
    inputs: it could not be opened at all ("open it once where it can be written")."""

    def upgraded(copy: Path) -> None:
        backup(connection, copy)
        upgrading = _connection(str(copy), None)
        try:
            _migrate(upgrading, None)  # (no copy aside of a temporary copy)
        finally:
            upgrading.close()

    return _read_from_copy(
        path,
        upgraded,
        f"made by an older version of annotator and read-only ({reason}); an up-to-date "
        "copy could not be made in a temporary folder ({error}): open it once where it can "
        "be written, to upgrade it",
    )


def reading_error(error: sqlite3.Error, path: Path) -> StorageError:
    """What a user sees when reading ``path`` failed (damaged, unreadable...)."""
    return _opening_error(error, path)


def _opening_error(error: sqlite3.Error, path: Path | None) -> StorageError:
    translated = storage_error(error, path)
    if translated is not None:
        return translated
    return NotAProject(f"{path}: not an annotator project ({error})")


def _check_project(connection: sqlite3.Connection, path: Path, create: bool) -> None:
    """Refuse, untouched, files that are not projects or are projects of a newer program.

    Reads only. A database without tables is a new project when ``create`` allows it.
    """
    db = Database(connection)
    tables = set(db.table_names())
    if not tables:
        if not create:
            raise NotAProject(f"{path}: an empty database, not a project")
        return
    if "_sqlite_migrations" not in tables or "articles" not in tables:
        raise NotAProject(f"{path}: an SQLite database, but not an annotator project")
    applied = {m.name for m in migrations.applied(db)}
    unknown = sorted(applied - set(known_migration_names()))
    if unknown:
        raise NewerDatabaseError(
            f"{path}: made by a newer version of annotator (schema {unknown[-1]}); "
            "upgrade the program to open it"
        )


def _migrate(connection: sqlite3.Connection, path: Path | None) -> None:
    db = Database(connection)
    pending = migrations.pending(db)
    if not pending:
        return
    if path is not None and migrations.applied(db):
        backup(connection, backup_name(path, pending[0].name))
    begin_immediate(connection, path)
    try:
        migrations.apply(db)  # reads what is pending again: another program may have upgraded
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def begin_immediate(connection: sqlite3.Connection, path: Path | None) -> None:
    """Start a write transaction holding the write lock from its first statement.

    A deferred ``BEGIN`` that reads before it writes cannot wait for the lock: SQLite
    refuses it at once, because its snapshot may be stale. ``BEGIN IMMEDIATE`` waits (the
    busy timeout); where SQLite still answers "busy" without waiting (WAL recovery, a
    checkpoint) it is tried again until the timeout has run out.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            busy = isinstance(storage_error(error, path), ProjectBusy)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def backup(connection: sqlite3.Connection, target: Path) -> Path:
    """Copy the project aside through SQLite's backup API (safe with WAL). A copy that
    failed (no room) is removed: an empty ``.bak`` per attempt looked like a backup."""
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            connection.backup(destination)
    except BaseException:
        destination.close()
        for leftover in (target, Path(f"{target}-journal"), Path(f"{target}-wal")):
            leftover.unlink(missing_ok=True)
        raise
    destination.close()
    return target
