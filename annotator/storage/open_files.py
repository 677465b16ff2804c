"""The project files this process has open, so that it never opens them otherwise.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. Were this process to read a project it has a connection to (its header, or the
file as an import), another process closing its own connection would then take itself for
the last one, checkpoint and delete the -wal under ours, whose later commits no other
program would see. So every connection the program makes counts its file here
(``Connection``), and ``open_here`` tells the code that would read a file itself.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


def disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW
    except OSError:
        return False


#: Free bytes below which a disk counts as full: a -shm takes 32 KiB at once.
FULL_BELOW = 64 * 1024


@contextmanager
def none_begun_on_a_full_disk(path: Path) -> Iterator[None]:
    """On a full disk, opening a WAL project begins a -wal and a -shm (empty, 3 bytes) and
    fails: remove those it began, which were not there before (a live connection's -shm is
    32 KiB, and it was there before)."""
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    had = [companion.exists() for companion in companions]
    try:
        yield
    finally:
        if disk_full(path):
            for companion, there in zip(companions, had, strict=True):
                with contextlib.suppress(OSError):
                    if not there and companion.stat().st_size < 32 * 1024:
                        companion.unlink()


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
