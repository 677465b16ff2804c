"""The gazetteer for the window, made ready off the GUI thread.

The place index is built once per machine (35–50 s, ``kb.geonames.ensure_index``) and then
opens at once. ``place_index()`` is the process's one ``PlaceIndex``: ``start()`` opens or
builds it on a worker thread and emits ``ready`` (or ``failed`` with a message) back on the
GUI thread; until then the map and the link dialog say the index is being built. Windows
start it when they need places (an article with links, the link dialog); tests give a small
gazetteer with ``use``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.kb.geonames import CACHE_ADVICE
from annotator.kb.places import Gazetteer

IDLE, BUILDING, READY, FAILED = "idle", "building", "ready", "failed"


def _open_default() -> Gazetteer:
    from annotator.kb.geonames import default_gazetteer

    return default_gazetteer()


class PlaceIndex(QObject):
    """The gazetteer, once it is ready (``gazetteer``), and its state."""

    ready = Signal()
    failed = Signal(str)
    #: Emitted (from the worker thread; queued to the GUI thread) when the work ends.
    _finished = Signal(object, str)

    def __init__(self, source: Callable[[], Gazetteer] = _open_default):
        super().__init__()
        self.source = source
        self.gazetteer: Gazetteer | None = None
        self.state = IDLE
        self.error = ""
        self._finished.connect(self._done)

    @property
    def is_ready(self) -> bool:
        return self.state == READY

    def start(self) -> None:
        """Open (or build) the index on a worker thread, unless it is under way or done."""
        if self.state in (BUILDING, READY):
            return
        self.state = BUILDING
        threading.Thread(target=self._work, name="place-index", daemon=True).start()

    def _work(self) -> None:
        try:
            gazetteer = self.source()
        except (OSError, sqlite3.Error, AnnotatorError) as error:  # a full disk, a bad file...
            # (anything else would end the thread, the index "being built" for ever)
            self._finished.emit(
                None, f"The place index could not be built: {error} ({CACHE_ADVICE})"
            )
        else:
            self._finished.emit(gazetteer, "")

    def _done(self, gazetteer: Gazetteer | None, error: str) -> None:
        if gazetteer is None:
            self.state, self.error = FAILED, error
            self.failed.emit(error)
        else:
            self.gazetteer, self.state = gazetteer, READY
            self.ready.emit()

    def use(self, gazetteer: Gazetteer) -> None:
        """Take ``gazetteer`` as the index, ready now (tests, and tools that have one)."""
        self.gazetteer, self.state, self.error = gazetteer, READY, ""
        self.ready.emit()


_index: PlaceIndex | None = None


def place_index() -> PlaceIndex:
    """The process's place index (windows share it: one gazetteer, built once). Its first
    call also reads the entries every link names, off the GUI thread (``_read_entries``)."""
    global _index
    if _index is None:
        _index = PlaceIndex()
        threading.Thread(target=_read_entries, name="kb-entries", daemon=True).start()
    return _index


def _read_entries() -> None:
    """The shipped actors and the countries' names, read once per process (both cached):
    read on the GUI thread, they paused the first article with links 40-60 ms (measured)."""
    from annotator.kb.actors import shipped_actors
    from annotator.kb.geonames import country_codes_by_name

    shipped_actors()
    country_codes_by_name()


def reset_place_index(index: PlaceIndex | None = None) -> PlaceIndex:
    """Start over with ``index`` (a new, idle one by default): for tests."""
    global _index
    _index = index or PlaceIndex()
    return _index
