"""The project files this process has open, so that it never opens them otherwise.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. Were this process to read a project it has a connection to (its header, or the
file as an import), another process closing its own connection would then take itself for
the last one, checkpoint and delete the -wal under ours, whose later commits no other
program would see. So every connection the program makes counts its file here
(``Connection``), and ``open_here`` tells the code that would read a file itself.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

#: (device, inode) of each project file with connections, and how many.
_OPEN: dict[tuple[int, int], int] = {}
_LOCK = threading.Lock()  # background tasks open and close on their threads


def file_key(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), or None if it is not there."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


#: The files SQLite keeps beside a project, and locks as it does the project itself.
COMPANIONS = ("-wal", "-shm", "-journal")


def open_here(path: Path) -> bool:
    """Whether this process has ``path`` open as a project, or ``path`` is the ``-wal``,
    ``-shm`` or ``-journal`` of one: a file not to be read as anything else while it is
    (File → Import of "project.db-shm" dropped the window's lock on it)."""
    if file_key(path) in _OPEN:
        return True
    for suffix in COMPANIONS:
        if path.name.endswith(suffix):
            return file_key(path.with_name(path.name[: -len(suffix)])) in _OPEN
    return False


class Connection(sqlite3.Connection):
    """A connection that counts its project file as open until it is closed."""

    key: tuple[int, int] | None = None

    def count_as_open(self, key: tuple[int, int] | None) -> None:
        if key is None:
            return
        with _LOCK:
            _OPEN[key] = _OPEN.get(key, 0) + 1
        self.key = key

    def close(self) -> None:
        super().close()
        key, self.key = self.key, None
        with _LOCK:
            if key is not None and key in _OPEN:
                _OPEN[key] -= 1
                if not _OPEN[key]:
                    del _OPEN[key]
