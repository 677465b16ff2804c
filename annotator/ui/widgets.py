"""Small builders both windows use: keyboard actions, tables, panels."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget


def make_action(
    window: QWidget, name: str, text: str, keys: Sequence[str], slot: Callable, tip: str = ""
) -> QAction:
    """An action with an object name (tests find it by name) and window-wide shortcuts."""
    action = QAction(text, window, objectName=name)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(f"{tip or text} ({', '.join(keys)})" if keys else tip or text)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def make_table(model: QAbstractItemModel, name: str, stripes: bool = True) -> QTableView:
    """A read-only table that selects whole rows, one at a time, and leaves Tab to the window."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setShowGrid(False)
    table.setAlternatingRowColors(stripes)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    return table


def make_panel(widgets: Sequence[QWidget]) -> QWidget:
    """Widgets stacked vertically with a small margin: one column of a window."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(6, 6, 6, 6)
    for widget in widgets:
        layout.addWidget(widget)
    return panel
