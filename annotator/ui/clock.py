"""The active-time clock: how long someone actually worked on the open article."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

#: Time counts while someone touched the window this recently.
IDLE_AFTER_SECONDS = 60
#: Seconds counted are saved at least this often, and whenever the article changes.
SAVE_EVERY_SECONDS = 30


class ActiveClock(QObject):
    """Counts seconds while ``window`` (or a dialog of it) is in front and was touched in
    the last minute.

    ``save(seconds)`` adds counted seconds to the open article (called every 30 s and by
    ``save_now``). ``changed`` carries the text for the status bar.
    """

    changed = Signal(str)

    def __init__(self, window: QWidget, save: Callable[[float], None]):
        super().__init__(window)
        self.window = window
        self.save = save
        self.running = False  # an article is open
        self._last_input = time.monotonic()
        self._active = 0.0  # this article, this visit, not yet saved
        self._saved = 0.0  # this article, earlier visits and saved parts of this one
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def start_article(self, seconds_before: float) -> None:
        """A new article is open; it had ``seconds_before`` from earlier visits."""
        self._saved = seconds_before
        self._active = 0.0
        self.running = True
        self._show()

    def stop_article(self) -> None:
        self.running = False
        self._active = 0.0
        self.changed.emit("")

    def save_now(self) -> None:
        if self.running and self._active:
            self.save(self._active)
            self._saved += self._active
        self._active = 0.0

    def stop(self) -> None:
        """The window closes: count no more, and touch nothing."""
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]

    def _tick(self) -> None:
        if (
            self.running
            and self._in_front()
            and time.monotonic() - self._last_input < IDLE_AFTER_SECONDS
        ):
            self._active += 1
            if self._active >= SAVE_EVERY_SECONDS:
                self.save_now()
            self._show()

    def _in_front(self) -> bool:
        """The window, or a dialog of it (choosing an entry with L counted no time)."""
        active = QApplication.activeWindow()
        while isinstance(active, QDialog) and active is not self.window:
            active = active.parentWidget()
            # QWidget.window unbound: a dialog's own ``window`` attribute (the Train dialog's
            # main window) hid it, and each tick raised "'MainWindow' object is not callable".
            active = QWidget.window(active) if active is not None else None
        return active is self.window

    def _show(self) -> None:
        seconds = int(self._saved + self._active)
        self.changed.emit(f"active {seconds // 60}:{seconds % 60:02d}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self._last_input = time.monotonic()
        return False
