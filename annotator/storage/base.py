"""The part of ``Store`` every other part builds on: the connection, write transactions,
settings, labels and the event log.

How a storage module reads and writes (the connection is private to ``annotator.storage``):

- read with ``store._db.execute(sql, params)`` (``_db`` is the ``sqlite3.Connection``);
- write inside ``with store._writing():`` (or the public ``store.transaction()``), which
  begins with ``BEGIN IMMEDIATE`` at the outermost level, so the write lock is taken before
  the first read and the busy timeout applies, and a savepoint when nested. It commits at the
  end or rolls everything back, and raises SQLite's errors as ``StorageError`` subclasses;
- decorate a module-level function that takes the store first with ``@guarded``
  (``annotator.storage.errors``), so that its SQLite errors reach the user as messages.
  ``Store``'s own public methods are guarded already.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from sqlite_utils import Database

from annotator.core.model import GOLD, Label, Span
from annotator.storage import connections, opening
from annotator.storage.errors import ProjectGone, ReadOnlyProject, describe, storage_error
from annotator.storage.migrations import migrations
from annotator.storage.open_files import file_key
from annotator.storage.read_only import open_read_only
from annotator.storage.rescue import rescue_folder, rescue_if_gone

#: ``link_status`` of a span or suggestion whose ``kb_id`` names its entry.
LINKED = "linked"

#: The settings key of the project's own annotation guidelines (Markdown; F1 shows them).
GUIDELINES_SETTING = "guidelines"


def stored_status(kb_id: str, status: str) -> str:
    """The link status a span with entry ``kb_id`` is stored with: ``linked`` with an entry;
    without one, the linker's word for why (``ambiguous``…), or ``""`` (settled: no entry)."""
    return LINKED if kb_id else ("" if status == LINKED else status)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class StoreBase:
    """The connection and its transactions; see the module docstring for their rules."""

    def __init__(self, path: str | Path = ":memory:", *, create: bool = True):
        self.path: Path | None = Path(path).expanduser() if str(path) != ":memory:" else None
        connection, reason = opening.connect(self.path, create)
        self._db: sqlite3.Connection = connection
        #: Why the project cannot be written ("" when it can): a read-only file, folder or
        #: disk. Every write then raises ``ReadOnlyProject``.
        self.read_only_reason = reason
        # The file opened (device, inode), to notice it gone or replaced; None in memory.
        self._file = file_key(self.path) if self.path is not None else None
        # Where SQLite keeps the -wal: beside the file opened, a symbolic link's target.
        self._real_path = Path(os.path.realpath(self.path)) if self.path is not None else None
        self._wal: tuple[int, int] | None = None  # its -wal, once a write made it
        self._savepoints = 0
        self._label_cache: list[Label] | None = None
        self._label_cache_version = -1

    @property
    def read_only(self) -> bool:
        """Whether the project was opened read-only (``read_only_reason`` says why)."""
        return bool(self.read_only_reason)

    def close(self) -> None:
        path, opened = self.path, self._file
        if (
            not self.closed
            and not self.read_only
            and self.rescued is None  # (``rescue_now`` did it: the -wal is gone)
            and path is not None
            and opened is not None
        ):
            self.rescued = rescue_if_gone(self._db, path, opened, self._wal, self._wal_path)
        self._db.close()
        self.closed = True

    def rescue_now(self) -> Path | None:
        """If the file opened is gone from its path (moved, replaced, deleted) and this
        connection wrote to it: copy the work aside now (``rescue.py``), not when the window
        closes, and read that copy from then on, read-only. Meanwhile any program opening
        the path had this connection's -wal replayed into the file there: a command run on
        a project renamed over the open one wrote the old one's spans into it. Returns the
        copy, or the -wal set aside where no copy could be made (a full disk: the work
        stays where this connection has it), once; None when there is nothing to do."""
        path, opened = self.path, self._file
        if self.closed or self.read_only or self.rescued is not None or self._wal is None:
            return None
        if path is None or opened is None or file_key(path) == opened:
            return None
        rescued = rescue_if_gone(self._db, path, opened, self._wal, self._wal_path)
        self.rescued = rescued
        if rescued is None or rescued.name.startswith(self._wal_path.name):
            return rescued
        self._db.close()  # (before another program makes a -wal of its own at the path)
        reason = f"a copy of {path.name}, which was moved, replaced or deleted"
        self._db, self.read_only_reason = open_read_only(rescued, reason)
        return rescued

    #: Whether ``close`` was called: nothing can be read or written any more.
    closed = False
    #: Who edits the gold version through this store (the review window's user), recorded
    #: as ``by`` in each gold event: gold itself is one version, its reviewers several.
    reviewer: str | None = None
    #: Where the work went at ``close``, the file having been moved, replaced or deleted
    #: meanwhile (a copy of the project beside its old path; ``rescue.py``), else None.
    rescued: Path | None = None

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """All writes inside commit together or not at all; nested blocks are savepoints.

        The write lock is taken when the outermost block begins (``BEGIN IMMEDIATE``):
        keep bulk work in batches of a few seconds, other windows wait for it.
        """
        with self._writing():
            yield self

    @property
    def identity(self) -> tuple[int, int] | None:
        """The file opened (device, inode); None in memory."""
        return self._file

    def check_in_place(self, consequence: str) -> None:
        """Raise ``ProjectGone`` if the file opened is no longer at its path (deleted, moved
        or replaced): whatever opens the path now opens another file, or makes one."""
        if self.path is None or self._file is None:
            return  # in memory
        if file_key(self.path) != self._file:
            advice = "open the project again where it is now"
            wal = file_key(self._wal_path)
            if self.rescued is not None:  # (``rescue_now``)
                advice = f"the changes before this one are in {self.rescued}" + (
                    " (set aside: rename it to the -wal of the moved project to recover them)"
                    if self.rescued.name.startswith(self._wal_path.name)
                    else ""
                )
            elif self._wal is not None and (wal == self._wal or wal is None):
                # SQLite does not fold the -wal into a file moved away from it, and a
                # folder deleted took it along: closing copies the project aside
                # (``rescue.py``), from what this connection still reads.
                where = rescue_folder(self.path)
                advice = (
                    "close the window: every change is then copied "
                    + ("beside it" if where == self.path.parent else f"to {where}")
                    + f", as {self.path.stem}.recovered-….db"
                )
            raise ProjectGone(
                f"{describe(self.path)} is no longer there (deleted, moved or replaced since "
                f"it was opened); {consequence}: {advice}"
            )
        if self._wal is not None and file_key(self._wal_path) != self._wal:
            # SQLite would go on writing to the file deleted, and no other program would
            # see those edits; they would be gone with this one.
            raise ProjectGone(
                f"{describe(self._wal_path)}, which holds the latest changes, was deleted or "
                f"replaced while the project was open; {consequence}: close the window "
                "(what was saved before is kept then) and open the project again"
            )

    @property
    def _wal_path(self) -> Path:
        assert self._real_path is not None
        return Path(f"{self._real_path}-wal")

    def check_writable(self) -> None:
        """``ReadOnlyProject`` if the project cannot be written: a command says so before
        its slow work (loading a model), not after it."""
        if self.read_only:
            raise ReadOnlyProject(
                # (the copy a rescue opened, by its name: "r1.db is open read-only" was
                # said of a file no longer there)
                f"{describe(self.rescued or self.path)} is open read-only "
                f"({self.read_only_reason}); nothing was saved"
            )

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self.check_writable()
        if self._db.in_transaction:
            yield from self._savepoint()
            return
        self.check_in_place("nothing was saved")
        try:
            connections.begin_immediate(self._db, self.path)
        except sqlite3.Error as error:
            self._raise_storage_error(error)
        try:
            yield
            self._db.execute("COMMIT")
            if self._wal is None and self._file is not None and not self.read_only:
                self._wal = file_key(self._wal_path)
        except BaseException as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                self._raise_storage_error(error)
            raise
        finally:
            self._label_cache = None  # a rolled-back label change must not stay cached

    def _savepoint(self) -> Iterator[None]:
        self._savepoints += 1
        name = f"store_{self._savepoints}"
        self._db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # An error may already have ended the whole transaction, savepoint included.
            if self._db.in_transaction:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
            raise
        else:
            self._db.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    def _raise_storage_error(self, error: sqlite3.Error) -> NoReturn:
        translated = storage_error(error, self.path)
        if translated is None:
            raise error
        raise translated from error

    def _named(self, span: Span, article_id: int | None) -> str:
        """``the LOCATION span 'Homs'`` (its text, from the article, when known; else its
        offsets): how a message names a span to someone who sees words, not offsets."""
        row = None
        if article_id is not None:  # SQLite's substr counts characters, as Python does
            row = self._db.execute(
                "SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                [span.start + 1, span.end - span.start, article_id],
            ).fetchone()
        if not row or not row[0]:
            return f"the {span.label} span at {span.start}–{span.end}"
        words = " ".join(row[0].split())
        shown = words if len(words) <= 40 else words[:39] + "…"
        return f"the {span.label} span '{shown}'"

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file (SQLite's
        ``PRAGMA data_version``): a window polls it to see other windows' edits."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def schema_version(self) -> str:
        applied = migrations.applied(Database(self._db))
        return applied[-1].name if applied else ""

    def copy_to(self, target: str | Path) -> None:
        """Write a consistent copy of the whole project to ``target`` (overwritten)."""
        target = Path(target)
        if target.exists():
            target.unlink()
        connections.backup(self._db, target)

    # -- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._writing():
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- labels ----------------------------------------------------------------------------

    def labels(self) -> list[Label]:
        """The label scheme, in order; as the file holds it now, whoever changed it."""
        # Kept while no other connection has committed (one PRAGMA to ask): another window
        # or `annotator labels` may change the scheme; this connection's own writes drop it.
        version = self.data_version()
        if self._label_cache is None or self._label_cache_version != version:
            self._label_cache = [
                Label(name, kind, color or "#888888", key or "", description or "")
                for name, kind, color, key, description in self._db.execute(
                    "SELECT name, kind, color, key, description FROM labels ORDER BY position, name"
                )
            ]
            self._label_cache_version = version
        return list(self._label_cache)

    def label_kinds(self) -> dict[str, str]:
        return {label.name: label.kind for label in self.labels()}

    def save_label(self, label: Label) -> None:
        """Add a label to the scheme, or change its kind, colour, key or description."""
        with self._writing():
            self._db.execute(
                "INSERT INTO labels (name, kind, color, key, description, position) "
                "VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM labels)) "
                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, color = excluded.color, "
                "key = excluded.key, description = excluded.description",
                [label.name, label.kind, label.color, label.key, label.description],
            )

    # -- the event log ---------------------------------------------------------------------

    def events(self, article_id: int | None = None, annotator: str | None = None) -> list[dict]:
        where: list[str] = []
        params: list[object] = []
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        if annotator is not None:
            where.append("annotator = ?")
            params.append(annotator)
        sql = "SELECT ts, annotator, article_id, action, payload FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            {
                "ts": ts,
                "annotator": a,
                "article_id": i,
                "action": action,
                "payload": json.loads(payload),
            }
            for ts, a, i, action, payload in self._db.execute(sql + " ORDER BY id", params)
        ]

    def _event(
        self, annotator: str, article_id: int | None, action: str, payload: dict, stamp: str
    ) -> None:
        if annotator == GOLD and self.reviewer:
            payload = {**payload, "by": self.reviewer}
        self._db.execute(
            "INSERT INTO events (ts, annotator, article_id, action, payload) "
            "VALUES (?, ?, ?, ?, ?)",
            [stamp, annotator, article_id, action, json.dumps(payload, ensure_ascii=False)],
        )
