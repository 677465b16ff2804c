"""What the screenshot scripts share: the program's settings kept in a temporary folder (so
nothing of the user's own is read or changed), and a fresh sample project there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

from annotator.storage import Store
from annotator.ui.app import create_sample_project


def keep_settings_in(folder: str) -> None:
    QCoreApplication.setOrganizationName("annotator-screenshot")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def sample_project(folder: str) -> Store:
    """The bundled sample project, made in ``folder`` as the first start makes it, open;
    the settings are kept in ``folder`` too."""
    keep_settings_in(folder)
    path = Path(folder) / "sample.db"
    create_sample_project(path)
    return Store(path)
