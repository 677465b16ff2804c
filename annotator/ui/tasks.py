"""Long work off the GUI thread, with a progress dialog and Cancel.

``run_in_background(window, title, work, on_done)`` runs ``work(store, progress)`` in a
``QThread`` on a ``Store`` of its own (SQLite connections are not shared across threads),
shows progress, and calls ``on_done(result)`` back on the GUI thread. Cancel raises
``Cancelled`` inside the work at its next progress report; its transaction rolls back.

``wait_with_dialog(title, label, work)`` is for work that must end before there is a window
to go on with (making the sample project on the first start, which may build the place
index): it runs ``work()`` on a thread and keeps a busy dialog painted meanwhile.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.progress import Progress
from annotator.storage import Store
from annotator.storage.errors import ProjectGone
from annotator.storage.open_files import file_key
from annotator.ui.stop_signals import stopping
from annotator.ui.widgets import message_box

Work = Callable[[Store, Progress], Any]


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, store_path: str, work: Work, identity: tuple[int, int] | None = None):
        super().__init__()
        self.store_path = store_path
        self.work = work
        self.identity = identity  # the file the window has open
        self.cancel_requested = threading.Event()

    def _progress(self, done: int, total: int) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled()
        self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            # Never a new project where the window's was (moved or deleted meanwhile), nor
            # another file put in its place: the window's edits would be thrown away.
            if self.identity is not None and file_key(Path(self.store_path)) != self.identity:
                raise ProjectGone(  # (since it was started: ``run_in_background`` checks)
                    f"{Path(self.store_path).name} is no longer the file the window opened "
                    "(deleted, moved or replaced meanwhile); nothing was done"
                )
            with Store(self.store_path, create=False) as store:
                result = self.work(store, self._progress)
        except Cancelled:
            self.cancelled.emit()
        except AnnotatorError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug: show it, and keep the trace for the report
            traceback.print_exc()
            self.failed.emit(f"Unexpected error: {error!r}")
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """One piece of long work; keeps itself alive until its thread has finished."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        store_path: str,
        work: Work,
        on_done: Callable[[Any], None],
        identity: tuple[int, int] | None = None,
    ):
        super().__init__(parent)
        self.title = title
        self.on_done = on_done
        self.thread = QThread(self)
        self.worker = _Worker(store_path, work, identity)
        self.worker.moveToThread(self.thread)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)  # keep annotating meanwhile
        self.dialog.setMinimumDuration(300)
        # Shown till the work ends: an import's count reaches its total when the suggestions
        # are made, and the dialog went then, seconds before the articles were written.
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.canceled.connect(self.cancel)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.error: str | None = None
        self.result: Any = None

    def start(self, at_once: bool = False) -> None:
        """Start the work; ``at_once``: its dialog first, painted before the work begins
        (an import loads the suggestion model first, which held the window still: for 3–4
        s nothing showed that it had started, and a user may import again)."""
        if not at_once:
            self.thread.start()
            return
        self.dialog.setLabelText(f"{self.title}: starting…")
        self.dialog.show()
        QTimer.singleShot(50, self, self.thread.start)

    def cancel(self) -> None:
        self.worker.cancel_requested.set()
        self.dialog.setLabelText(f"{self.title}: cancelling…")

    def _progressed(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        if self.worker.cancel_requested.is_set():
            return
        if total and done >= total:
            self.dialog.setLabelText(f"{self.title}: finishing…")
        elif total:  # (a bar at 0 % over 100,000 articles looked stuck)
            self.dialog.setLabelText(f"{self.title}: {done:,} of {total:,}")

    def _succeeded(self, result: Any) -> None:
        self.result = result
        self._finish()
        self.on_done(result)

    def _failed(self, message: str) -> None:
        self.error = message
        self._finish()
        # open(), not exec(): the message does not block the window (or a test driving it).
        message_box(self.parent(), QMessageBox.Icon.Warning, self.title, message).open()

    def _cancelled(self) -> None:
        self.error = "cancelled"
        self._finish()
        parent = self.parent()
        if isinstance(parent, QMainWindow):  # the dialog went, and nothing said why
            parent.statusBar().showMessage(f"{self.title}: cancelled", 10_000)

    def _finish(self) -> None:
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()  # a child of the window: each task kept one, hidden
        self.thread.quit()
        self.thread.wait()
        self.finished.emit()
        self.deleteLater()


def run_in_background(
    parent: QWidget,
    title: str,
    store: Store,
    work: Work,
    on_done: Callable[[Any], None],
    at_once: bool = False,
) -> BackgroundTask | None:
    """Run ``work`` on its own connection to ``store``'s file; see the module docstring.

    An in-memory project cannot be opened twice, so its work runs here and now instead.
    """
    if store.path is None:
        on_done(work(store, lambda done, total: None))
        return None
    try:  # moved, deleted or replaced, or its -wal deleted: said as an edit would say it
        store.check_in_place("nothing was done")
    except ProjectGone as gone:
        message_box(parent, QMessageBox.Icon.Warning, title, str(gone)).open()
        return None
    task = BackgroundTask(parent, title, str(store.path), work, on_done, store.identity)
    task.start(at_once)
    return task


T = TypeVar("T")


class StoppedWaiting(Exception):  # noqa: N818 - not an error: the program is asked to end
    """A stop signal came while ``wait_with_dialog`` waited: the work is left to the
    process's end (it ran on 40-60 s with nothing on screen)."""


def wait_with_dialog(title: str, label: str, work: Callable[[], T]) -> T:
    """``work()`` on a thread of its own while a busy dialog (no Cancel) stays painted;
    returns its result, or raises what it raised (``StoppedWaiting`` if a stop signal
    came first)."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the caller below
            outcome.append((False, error))

    dialog = QProgressDialog(label, "", 0, 0)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    thread = threading.Thread(target=run, name=title, daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: None if thread.is_alive() and not stopping() else loop.quit())
    thread.start()
    timer.start()
    dialog.show()
    loop.exec()
    timer.stop()
    dialog.hide()
    dialog.deleteLater()
    if thread.is_alive():  # stopping: not waited for
        raise StoppedWaiting(title)
    thread.join()
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value
