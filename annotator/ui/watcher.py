"""Notices when another window or program changed the project file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.storage import StorageError, Store
from annotator.ui.commands import WRITE_ERRORS

#: How often the file is asked; one PRAGMA, a few microseconds.
POLL_MS = 500


class ProjectWatcher(QObject):
    """Emits ``changed`` when another connection committed to the project since the last
    look (SQLite's ``PRAGMA data_version``, through ``Store.data_version``). The window's
    own writes do not count: it shows them already."""

    changed = Signal()
    #: The project file was moved, replaced or deleted, and the work copied aside: the
    #: store reads the copy now (``Store.rescue_now``).
    rescued = Signal()

    def __init__(self, parent: QObject, store: Callable[[], Store], interval: int = POLL_MS):
        super().__init__(parent)
        self._store = store
        self._version = self._read()
        self._told = False  # whether ``rescued`` was emitted for this store
        self._timer = QTimer(self, interval=interval)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def _read(self) -> int | None:
        store = self._store()
        if store.closed:  # the window is closing, or moving to another project
            return None
        try:
            return store.data_version()
        except WRITE_ERRORS:  # busy or gone: look again next time
            return None

    def poll(self) -> None:
        store = self._store()
        if not store.closed and not self._told:
            with contextlib.suppress(StorageError):  # (the copy cannot be read: said later)
                store.rescue_now()
            if store.rescued is not None:  # (by this look, or another window's on the store)
                self._told = True
                self._version = self._read()
                self.rescued.emit()
                return
        version = self._read()
        if version is not None and version != self._version:
            self._version = version
            self.changed.emit()

    def reset(self) -> None:
        """Start over on the current store (after switching projects)."""
        self._version = self._read()
        self._told = False

    def pause(self) -> None:
        """Stop looking while this window's own worker writes (a long article's first
        opening): its commit is no news to the window."""
        self._timer.stop()

    def resume(self) -> None:
        if not self._timer.isActive():
            self.reset()
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
