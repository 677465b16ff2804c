"""File dialogs that never open the files they list.

A file dialog sniffs each file's content for its icon and type (Qt's through the MIME
database, a desktop's native one through its own). Opening and closing the open project's
file drops every POSIX lock this process holds on it, SQLite's included
(``storage.open_files``): another program then takes itself for the project's only user,
checkpoints and deletes the ``-wal`` under the window, whose later edits are lost, and the
file can be damaged. So the program uses Qt's own dialog with icons chosen by name alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QStyle, QWidget


class NameOnlyIcons(QAbstractFileIconProvider):
    """A folder or a file icon, and a type from the suffix: nothing read from the file."""

    def icon(self, what: object) -> QIcon:  # type: ignore[override]
        style = QApplication.style()
        folder = isinstance(what, QFileInfo) and what.isDir()
        pixmap = QStyle.StandardPixmap.SP_DirIcon if folder else QStyle.StandardPixmap.SP_FileIcon
        return style.standardIcon(pixmap)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        return f"{info.suffix()} file" if info.suffix() else "File"


def file_dialog(
    parent: QWidget | None, caption: str, start: str = "", filters: str = ""
) -> QFileDialog:
    """Qt's own file dialog, with ``NameOnlyIcons`` (see the module docstring)."""
    dialog = QFileDialog(parent, caption, start, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    icons = NameOnlyIcons()
    dialog.setIconProvider(icons)
    dialog._icons = icons  # type: ignore[attr-defined]  # the dialog does not own it
    return dialog


def open_file_names(parent: QWidget, caption: str, filters: str = "") -> list[str]:
    """Files that exist, one or more; [] if cancelled."""
    dialog = file_dialog(parent, caption, "", filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return dialog.selectedFiles() if dialog.exec() else []


def existing_directory(parent: QWidget, caption: str, start: str = "") -> str:
    """A folder that exists; "" if cancelled."""
    dialog = file_dialog(parent, caption, start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    return the_folder_chosen(dialog) if dialog.exec() else ""


def the_folder_chosen(dialog: QFileDialog) -> str:
    """The folder the dialog was given. A path typed key by key also selects the folders
    whose names it passed on the way ("/data/f" on the way to "/data/f500"), and the first
    of them was taken: another folder than the one typed was imported."""
    chosen = dialog.selectedFiles()
    if len(chosen) > 1:
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        typed = Path(edit.text().strip()).expanduser() if edit is not None else Path()
        if not typed.is_absolute():
            typed = Path(dialog.directory().absolutePath()) / typed
        for path in chosen:
            if Path(path) == typed:
                return path
    return chosen[0] if chosen else ""


def save_file_name(parent: QWidget, caption: str, start: str = "") -> str:
    """A file to write (asked before one is replaced); "" if cancelled."""
    dialog = file_dialog(parent, caption, start)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chosen = dialog.selectedFiles() if dialog.exec() else []
    return chosen[0] if chosen else ""
