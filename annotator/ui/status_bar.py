"""The windows' status bar: a message too long for the room left of the permanent items
(the progress, the active time, the model's name) ends in "…" instead of being cut off
mid-word, and hovering shows it whole.

Qt's own ``QStatusBar`` clips a long message at the first permanent item; this one paints
the message itself, as Qt does (``qstatusbar.cpp``), but elided.

A new edit ends what was said of the step before (``end_step_message``): "Undone: …",
"Select a span first". A notice said for longer (the project upgraded, with its backup's
name; the article changed by another program; an import's report) keeps its time: a step's
message said meanwhile shows for its own time, then the notice again.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget

from annotator.ui.widgets import plain_tip

#: Said for this long or less, a message tells of one step; said longer (or until replaced),
#: it is a notice.
STEP_MESSAGE_MS = 6000


class FittingStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.permanent: list[QWidget] = []
        self._of_a_step = False  # the message shown tells of one step
        #: The notice said last and when its time ends (time.monotonic()): a step's message
        #: said meanwhile goes before it, and the notice comes back for the rest of its time.
        self._notice: tuple[str, float] | None = None
        self.messageChanged.connect(self._message_changed)

    def showMessage(self, message: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        self._of_a_step = 0 < timeout <= STEP_MESSAGE_MS
        if timeout > STEP_MESSAGE_MS:
            self._notice = (message, time.monotonic() + timeout / 1000)
        elif timeout == 0:
            self._notice = None  # said until replaced (a prompt): the notice is over
        super().showMessage(message, timeout)

    def clearMessage(self) -> None:  # noqa: N802 - Qt's name
        if not self._of_a_step:
            self._notice = None  # the notice itself taken down
        super().clearMessage()

    def take_back(self, message: str) -> None:
        """``message`` is no news any more (moving on to another article): gone, whether
        shown or waiting behind a step's message (it came back on the next article)."""
        if self._notice is not None and self._notice[0] == message:
            self._notice = None
        if self.currentMessage() == message:
            self.clearMessage()

    def end_step_message(self) -> None:
        """A new edit was made: what was said of the step before goes (the first edit in a
        project just upgraded wiped the backup's name from the bar), a notice stays."""
        if self._of_a_step:
            self.clearMessage()

    def _message_changed(self, message: str) -> None:
        if not message and self._notice is not None:
            # a step's message ended ("Refers to Kidal, ML", "Claim 10: hedged yes" took
            # the backup's name away for good): the notice again, for the rest of its time
            notice, until = self._notice
            left = until - time.monotonic()
            if left > 0.5:
                self._of_a_step = False
                super().showMessage(notice, int(left * 1000))
                return
            self._notice = None
        self._tell_whole()

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802
        super().addPermanentWidget(widget, stretch)
        self.permanent.append(widget)

    def message_rect(self) -> QRect:
        """Where the message goes: from the left edge to the first permanent item shown."""
        left, right = 6, self.width() - 12
        shown = [w for w in self.permanent if w.isVisible()]
        if shown:
            right = min(right, min(w.x() for w in shown) - 2)
        return QRect(left, 0, max(right - left, 0), self.height())

    def shown_message(self) -> str:
        """The message as painted: whole, or elided to the room it has."""
        message = self.currentMessage()
        room = self.message_rect().width()
        return self.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, room)

    def _tell_whole(self) -> None:
        message = self.currentMessage()
        self.setToolTip(plain_tip(message) if message != self.shown_message() else "")
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._tell_whole()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self.currentMessage():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        for widget in self.permanent:
            if widget.isVisible():
                option.rect = widget.geometry().adjusted(-2, -1, 2, 1)
                self.style().drawPrimitive(
                    QStyle.PrimitiveElement.PE_FrameStatusBarItem, option, painter, widget
                )
        painter.setPen(self.palette().windowText().color())
        flags = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(
            self.message_rect(), flags | Qt.TextFlag.TextSingleLine, self.shown_message()
        )
