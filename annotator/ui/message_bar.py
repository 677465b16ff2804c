"""A strip that says why something did not happen, where the annotator is looking.

Not a modal box: an annotator clicking all day should not have to dismiss anything, but
must see that an edit was not saved. The strip stays for a while (or until closed) and
shows the latest message, in plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

#: How long a message stays unless closed (an edit refused must be seen, then go away).
SHOW_MS = 20_000


class MessageBar(QFrame):
    """A yellow strip with a message and a close button; hidden when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="messageBar")
        self.setStyleSheet(
            "#messageBar { background: #fff4c2; border: 1px solid #e0c050; border-radius: 4px; }"
            "#messageBar QLabel, #messageBar QToolButton { color: #3a3000; }"  # dark theme too
        )
        self.label = QLabel(objectName="messageText", wordWrap=True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton(text="×", objectName="messageClose", autoRaise=True)
        close.setToolTip("Close")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=SHOW_MS)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()
        self._timer.start()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
