"""A project's SQLite connection as every part of the program uses it, and the schema's
checks and upgrade: the pieces that opening a file read-write (``opening``) and read-only
(``read_only``) share."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from annotator.storage.backups import backup_name
from annotator.storage.errors import (
    NewerDatabaseError,
    NotAProject,
    ProjectBusy,
    StorageError,
    storage_error,
)
from annotator.storage.migrations import known_migration_names, migrations
from annotator.storage.open_files import Connection as _Connection
from annotator.storage.open_files import file_key

BUSY_TIMEOUT_MS = 10_000


def new_connection(
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
        raise opening_error(error, path) from None
    if path is not None:
        connection.count_as_open(file_key(path))
    return connection


def opening_error(error: sqlite3.Error, path: Path | None) -> StorageError:
    translated = storage_error(error, path)
    if translated is not None:
        return translated
    return NotAProject(f"{path}: not an annotator project ({error})")


@contextmanager
def closed_on_failure(connection: sqlite3.Connection, path: Path) -> Iterator[None]:
    """Close ``connection`` if the block fails, an SQLite error said of ``path``."""
    try:
        yield
    except sqlite3.Error as error:
        connection.close()
        raise opening_error(error, path) from None
    except BaseException:
        connection.close()
        raise


def check_project(connection: sqlite3.Connection, path: Path, create: bool) -> None:
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


def migrate(connection: sqlite3.Connection, path: Path | None) -> None:
    db = Database(connection)
    pending = migrations.pending(db)
    if not pending:
        return
    kept = None
    if path is not None and migrations.applied(db):
        kept = backup(connection, backup_name(path, pending[0].name))
    try:
        begin_immediate(connection, path)
        migrations.apply(db)  # reads what is pending again: another program may have upgraded
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if kept is not None:
            # Not upgraded: the file is as it was. The copy took the last free room of a
            # nearly full disk, and a note said "upgraded" because it was there.
            kept.unlink(missing_ok=True)
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
