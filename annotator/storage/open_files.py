"""The project files this process has open, so that it never opens them otherwise.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. Were this process to read a project it has a connection to (its header, or the
file as an import), another process closing its own connection would then take itself for
the last one, checkpoint and delete the -wal under ours, whose later commits no other
program would see. So every connection the program makes counts its file here
(``Connection``), and ``open_here`` tells the code that would read a file itself.

Beside that, what the file system allows a project: a path SQLite can open with its -wal
(``check_path_length``), and room for the -wal and -shm reading takes (``disk_full``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from annotator.storage.errors import StorageError

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


#: SQLite's longest path (its Unix VFS), and the longest name a folder entry may have;
#: the -journal beside a project needs 8 bytes more than the project's own.
SQLITE_LONGEST_PATH, LONGEST_NAME, COMPANION_BYTES = 512, 255, len(b"-journal")


def folder_problem(path: Path) -> str:
    """Why no file can be made at ``path`` for want of its folder ("" if it has one): a
    file where the folder should be, or no folder. (SQLite's "unable to open database file"
    came as a traceback.)"""
    if path.parent.exists() and not path.parent.is_dir():
        return f"{path.parent} is a file, not a folder"
    if not path.parent.is_dir():
        return f"folder {path.parent} does not exist"
    return ""


def check_path_length(path: Path) -> None:
    """A path too long for SQLite, or a name too long for its -wal or -journal beside it,
    said in words: SQLite's "unable to open database file" came as a traceback, and a
    253-byte name as "check the disk"."""
    length = len(os.fsencode(path.absolute())) + COMPANION_BYTES
    if length > SQLITE_LONGEST_PATH:
        raise StorageError(
            f"{path}: the path is too long for SQLite ({length - COMPANION_BYTES:,} bytes; at "
            f"most {SQLITE_LONGEST_PATH - COMPANION_BYTES}): move the project to a folder with "
            "a shorter path"
        )
    if len(os.fsencode(path.name)) + COMPANION_BYTES > LONGEST_NAME:
        raise StorageError(
            f"{path.name}: the file name is too long for the files SQLite keeps beside it "
            f"(at most {LONGEST_NAME - COMPANION_BYTES} bytes): give the project a shorter name"
        )


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


def file_uri(path: Path, query: str) -> str:
    """SQLite's URI for ``path`` with ``query`` ("mode=ro"): its bytes quoted, so that a
    "#", "?" or "%41" in a folder's name stays the file's name (the rest was read as the
    URI's query, and a file was made at the path cut there), and a name of bytes that are
    no UTF-8 is the file's (quoting its text failed on them)."""
    return f"file:{quote(os.fsencode(Path(path).absolute()))}?{query}"
