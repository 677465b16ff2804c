"""SIGTERM (a logout, ``kill``, a session manager) and Ctrl+C in the terminal close the
windows as their close buttons do: the open article remembered, the project closed and its
``-wal`` folded in.

The command line's own handler raises ``KeyboardInterrupt``, which suits a command but not
a window: raised inside Qt's event loop, Qt printed it as an error in an event filter and
the window stayed open. Python runs a handler only between bytecodes, and an idle Qt loop
runs none, so a timer gives it a moment four times a second.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOPPING = "annotatorStopping"  # the application's property while a signal closes it
_TICK_MS = 250


@dataclass
class Caught:
    """The signal that closed the windows, if one did."""

    signum: int | None = None

    @property
    def exit_status(self) -> int | None:
        """128 + the signal's number, as a shell reports a process a signal stopped."""
        return None if self.signum is None else 128 + self.signum


@contextmanager
def windows_close_on_signals(app: QApplication) -> Iterator[Caught]:
    """While the block runs (``app.exec()``), a stop signal closes every window."""
    caught = Caught()

    def close(signum: int, _frame: object) -> None:
        caught.signum = signum
        app.setProperty(STOPPING, True)  # the windows close without asking (stopping())
        QTimer.singleShot(0, app.closeAllWindows)  # from the loop, not inside the handler

    tick = QTimer(interval=_TICK_MS)
    tick.timeout.connect(lambda: None)
    tick.start()
    before = {number: signal.signal(number, close) for number in STOP_SIGNALS}
    try:
        yield caught
    finally:
        tick.stop()
        app.setProperty(STOPPING, False)
        for number, handler in before.items():
            signal.signal(number, handler)


def stopping() -> bool:
    """Whether a stop signal is closing the windows: a window asks nothing then (a question
    would keep it open against the signal)."""
    app = QApplication.instance()
    return bool(app is not None and app.property(STOPPING))
