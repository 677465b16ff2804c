"""Regression: PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call.

After a few thousand calls the interpreter aborts with "deallocating None". pyproject.toml
keeps PySide6-Essentials below 6.12 on Python < 3.12; this test fails if that slips.
"""

import sys

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument


def test_void_qt_calls_keep_the_reference_count_of_none(qapp):
    document = QTextDocument("Rebels shelled the outskirts of Aleppo. " * 50)
    cursor = QTextCursor(document)
    char_format = QTextCharFormat()
    before = sys.getrefcount(None)
    for position in range(2000):
        cursor.setPosition(position % 1000)
        cursor.setPosition(position % 1000 + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(char_format)
    # Other threads may hold a few references briefly; 2,000 lost ones are the bug.
    assert abs(sys.getrefcount(None) - before) < 100
