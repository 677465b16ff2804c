"""Which character of a text view lies under a point of its viewport."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit


def character_under(view: QPlainTextEdit, point: QPointF) -> int:
    """The Qt position of the character drawn under ``point``. ``cursorForPosition`` gives
    the nearest gap between characters: on the right half of a name's last letter, the gap
    after it, and a click there selected the claim around the name."""
    cursor = view.cursorForPosition(point.toPoint())
    here = view.cursorRect(cursor)
    before = QTextCursor(cursor)
    if not before.movePosition(QTextCursor.MoveOperation.PreviousCharacter):
        return cursor.position()
    there = view.cursorRect(before)
    low, high = sorted((there.center().x(), here.center().x()))  # either direction
    if there.top() == here.top() and low <= point.x() <= high:
        return before.position()  # between the two gaps: the character before
    return cursor.position()
