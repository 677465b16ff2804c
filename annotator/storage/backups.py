"""The copy of a project kept before an upgrade (``connections.migrate``): its name, free of
any file already there, and what to tell the user once it was made."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.storage.migrations import known_migration_names
from annotator.storage.open_files import none_begun_on_a_full_disk


def upgrade_backup(path: Path) -> Path | None:
    """Where opening ``path`` will keep a copy of it as it is (``migrate``): the name of
    the backup, when the project was made by an older version of the program; ``None``
    otherwise (up to date, new, not a project, unreadable). Reads only."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    from annotator.storage.errors import StorageError
    from annotator.storage.opening import open_for_reading
    from annotator.storage.read_only import read_only_reason

    if read_only_reason(path):
        return None  # read from an upgraded temporary copy: nothing is kept beside it
    try:
        with none_begun_on_a_full_disk(path):
            # as merge reads its inputs: a plain read-only connection left a -wal and a
            # -shm beside a read-only project
            connection = open_for_reading(path)
            try:
                rows = connection.execute("SELECT name FROM _sqlite_migrations")
                applied = {row[0] for row in rows}
            finally:
                connection.close()
    except (sqlite3.Error, StorageError):
        return None
    pending = [name for name in known_migration_names() if name not in applied]
    if not applied or not pending:
        return None
    return backup_name(path, pending[0])


def backup_name(path: Path, migration: str) -> Path:
    """Where the copy of ``path`` goes before ``migration``: a name no file has (a file of
    that name, the user's, was written over, or made the upgrade fail as "damaged")."""
    stem = _shortened(path, f".before-{migration}.99.bak-journal")  # (SQLite's, as it writes)
    name = path.with_name(f"{stem}.before-{migration}.bak")
    number = 1
    while os.path.lexists(name):
        number += 1
        name = path.with_name(f"{stem}.before-{migration}.{number}.bak")
    return name


def _shortened(path: Path, suffix: str) -> str:
    """The project's file name, cut so that it and ``suffix`` make a name the folder takes
    (a 240-byte project name made the backup's too long, and the project never opened)."""
    try:
        room = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        room = 255
    name = os.fsencode(path.name)
    keep = max(room - len(os.fsencode(suffix)), 1)
    if len(name) <= keep:
        return path.name
    text = os.fsdecode(name[:keep])
    while text and "\udc80" <= text[-1] <= "\udcff":  # the bytes of a character cut in two
        text = text[:-1]
    return text


def upgraded_note(path: Path, backup: Path) -> str:
    """What to tell the user once project ``path`` was upgraded (``upgrade_backup``)."""
    return (
        f"{path}: upgraded to this version's format (older versions of the program no longer "
        f"open it); the file as it was: {backup.name}"
    )
