"""A project file moved, replaced or deleted while it was open.

What this process wrote is then in the -wal at the old path, and SQLite, which writes
nothing into a file that has moved, leaves that -wal there when it closes. Whatever file
takes the path next would have it replayed into it when it is opened: a project renamed over
the open one (``mv other.db p.db``, as sync tools and "save as" do) had its articles
replaced by the old project's, silently. So when the store closes, its connection, which
still reads the file it opened, copies the whole project aside (``p.recovered-STAMP.db``),
and the -wal and -shm go; were the copy impossible, the -wal is renamed aside instead, so
that it replays into nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from annotator.storage.open_files import file_key


def recovered_name(path: Path) -> str:
    """What a copy of the project at ``path`` rescued now is called: "p.recovered-…db"."""
    return f"{path.stem}.recovered-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}"


def rescue_if_gone(
    connection: sqlite3.Connection,
    path: Path,
    opened: tuple[int, int],
    wal: tuple[int, int] | None,
    wal_path: Path,
) -> Path | None:
    """If the file ``opened`` (device, inode) is no longer at ``path`` and this connection
    wrote to it (``wal``: the identity of its -wal, at ``wal_path``, once written), copy the
    project beside ``path`` and remove that -wal and its -shm; return where the work went
    (the copy, or the -wal renamed aside), or None when nothing had to be done.

    ``wal_path`` is beside the file SQLite opened: through a symbolic link, beside its
    target (looked for beside the link, it was never found, and the work was lost). Where
    the -wal is gone with its folder (deleted while open), only this connection still
    reads the project: the copy goes to the home folder when ``path``'s folder is gone."""
    if file_key(path) == opened or wal is None:
        return None
    wal_here = file_key(wal_path) == wal
    shm_path = wal_path.with_name(wal_path.name.removesuffix("-wal") + "-shm")
    if not wal_here and wal_path.exists():
        return None  # another file's -wal now: this one's work went with its file's own
    copy = rescue_folder(path) / recovered_name(path)
    try:
        with contextlib.closing(sqlite3.connect(copy)) as target:
            connection.backup(target)
    except (sqlite3.Error, OSError):
        copy.unlink(missing_ok=True)
        if not wal_here:
            return None
        aside = wal_path.with_name(f"{wal_path.name}.{copy.stem.rpartition('.')[2]}")
        try:
            wal_path.rename(aside)
            shm_path.unlink(missing_ok=True)
        except OSError:
            return None  # a folder that takes no change: nothing more can be done here
        return aside
    if wal_here:
        with contextlib.suppress(OSError):  # the copy holds it all; a folder may refuse this
            wal_path.unlink(missing_ok=True)
            shm_path.unlink(missing_ok=True)
    return copy


def rescue_folder(path: Path) -> Path:
    """Beside ``path``; the home folder if ``path``'s folder was deleted too."""
    return path.parent if path.parent.is_dir() else Path.home()


def rescued_note(path: Path, rescued: Path) -> str:
    """What to tell the user of a rescue (``rescue_if_gone``)."""
    if not rescued.name.startswith(f"{path.name}-wal"):  # (the copy: no -wal set aside)
        return (
            f"{path} was moved, replaced or deleted while it was open: every change made "
            f"here is in {rescued}, a copy of the project as this window had it"
        )
    return (
        f"{path} was moved, replaced or deleted while it was open, and no copy could be made: "
        f"its latest changes are in {rescued} (set aside so that they are not applied to "
        "another file); rename it to the -wal of the moved project to recover them"
    )
