"""Parts the project-level dialogs share (Labels…, Actors…): a column of buttons whose keys
act in the dialog, and the window's Undo, Redo and Ctrl+W there."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: (name, text, keys, what it does) of each button.
ButtonRow = tuple[str, str, str, Callable[[], object]]


def button_column(
    prefix: str, rows: Sequence[ButtonRow], keys_in: QWidget, tab_only: bool = False
) -> tuple[QVBoxLayout, dict[str, QPushButton]]:
    """The buttons of ``rows`` one under the other (object names ``<prefix>_<name>``), each
    with its keys as an action of ``keys_in`` and said in its tooltip; ``tab_only``: the keys
    act in that tab alone (the other tabs have their own Ins, F2, Del)."""
    column = QVBoxLayout()
    buttons: dict[str, QPushButton] = {}
    for name, text, keys, slot in rows:
        button = QPushButton(text, objectName=f"{prefix}_{name}")
        button.setToolTip(f"{text.rstrip('…')} ({keys})")
        button.clicked.connect(lambda _=False, slot=slot: slot())
        action = QAction(keys_in, shortcut=QKeySequence(keys))
        if tab_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False, slot=slot: slot())
        keys_in.addAction(action)
        column.addWidget(button)
        buttons[name] = button
    column.addStretch(1)
    return column, buttons


def window_keys(dialog: QDialog, window: MainWindow) -> None:
    """Ctrl+W closes ``dialog``; the window's Undo and Redo work in it too."""
    close = QAction(dialog, shortcut=QKeySequence("Ctrl+W"))
    close.triggered.connect(dialog.close)
    dialog.addAction(close)
    dialog.addActions([window.named_actions["actionUndo"], window.named_actions["actionRedo"]])
