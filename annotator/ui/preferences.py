"""Edit → Preferences…: the text size of the article, the theme, the folder exports start
in. Kept in ``QSettings`` (the user's, for every project) through a small typed spec:
each ``Setting`` knows its key, type, default and the values it accepts, so a hand-edited
or older settings file never reaches the window as a wrong type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.ui.file_dialogs import existing_directory
from annotator.ui.theme import SYSTEM, THEMES

T = TypeVar("T", int, str)

#: The article's text size in points: what Ctrl+minus and Ctrl+plus move between.
MIN_FONT, MAX_FONT, DEFAULT_FONT = 8, 32, 12


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One preference: read as ``kind`` (the default when missing or unreadable), and
    clamped (numbers) or checked against ``choices`` (words)."""

    key: str
    kind: type[T]
    default: T
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()

    def read(self, settings: QSettings) -> T:
        raw = settings.value(self.key, self.default)
        try:
            value = self.kind(raw)
        except (TypeError, ValueError):
            return self.default
        if isinstance(value, int):
            low = self.low if self.low is not None else value
            high = self.high if self.high is not None else value
            return self.kind(min(max(value, low), high))
        if self.choices and value not in self.choices:
            return self.default
        return value

    def write(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, value)


FONT_SIZE = Setting("view/fontSize", int, DEFAULT_FONT, low=MIN_FONT, high=MAX_FONT)
THEME = Setting("view/theme", str, SYSTEM, choices=tuple(THEMES))
EXPORT_FOLDER = Setting("export/folder", str, "")


def export_folder(project: Path | None) -> Path:
    """Where File → Export starts: the folder chosen in the preferences if it still exists,
    else the project's folder; the home folder for an in-memory project, or one in a hidden
    folder (the sample project's, in ~/.local/share: a file manager does not show it)."""
    chosen = EXPORT_FOLDER.read(QSettings())
    if chosen and Path(chosen).is_dir():
        return Path(chosen)
    folder = project.resolve().parent if project is not None else None
    if folder is None or any(part.startswith(".") for part in folder.parts):
        return Path.home()
    return folder


class PreferencesDialog(QDialog):
    """Text size, theme and export folder; OK applies and remembers them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="preferencesDialog")
        self.setWindowTitle("Preferences")
        settings = QSettings()
        self.font_size = QSpinBox(objectName="preferencesFontSize")
        self.font_size.setRange(MIN_FONT, MAX_FONT)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(FONT_SIZE.read(settings))
        self.theme = QComboBox(objectName="preferencesTheme")
        for value, text in THEMES.items():
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(self.theme.findData(THEME.read(settings)), 0))
        self.export_folder = QLineEdit(
            EXPORT_FOLDER.read(settings),
            objectName="preferencesExportFolder",
            accessibleName="Export folder",
        )
        self.export_folder.setPlaceholderText("The project's folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.export_folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout(self)
        form.addRow("Article text size", self.font_size)
        form.addRow("Theme", self.theme)
        form.addRow("Exports start in", folder_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        close = QAction(self, shortcut=QKeySequence("Ctrl+W"))
        close.triggered.connect(self.reject)
        self.addAction(close)

    def _browse(self) -> None:
        chosen = existing_directory(self, "Exports start in", self.export_folder.text())
        if chosen:
            self.export_folder.setText(chosen)

    def save(self) -> None:
        """Remember what the dialog shows."""
        settings = QSettings()
        FONT_SIZE.write(settings, self.font_size.value())
        THEME.write(settings, str(self.theme.currentData()))
        EXPORT_FOLDER.write(settings, self.export_folder.text().strip())
