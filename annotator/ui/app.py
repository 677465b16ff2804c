"""``main(argv)``: start the program. First-run questions are asked here, not in the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from platformdirs import user_data_dir
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.model import GOLD
from annotator.core.resources import resource_path
from annotator.storage import StorageError, Store

ORGANIZATION = "annotator"
APPLICATION = "Conflict news annotator"


def default_project_path() -> Path:
    return Path(user_data_dir("annotator", ORGANIZATION)) / "sample-project.db"


def sample_articles_folder() -> Path:
    return resource_path("samples")


def create_sample_project(path: Path) -> None:
    """Make the bundled sample project: the sample articles, pre-annotated."""
    from annotator.formats.importer import import_paths
    from annotator.nlp import load_preannotator

    path.parent.mkdir(parents=True, exist_ok=True)
    with Store(path) as store:
        import_paths(
            store,
            [sample_articles_folder()],
            format_name="txt",
            preannotator=load_preannotator(None),
        )


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="annotator gui")
    parser.add_argument("db", nargs="?", type=Path)
    parser.add_argument("--annotator")
    return parser.parse_args(argv[1:])


def _ask_name(settings: QSettings) -> str | None:
    name = str(settings.value("annotator/name", "") or "")
    while True:
        name, ok = QInputDialog.getText(
            None, APPLICATION, "Your name (stored with every span you make):", text=name
        )
        if not ok:
            return None
        name = name.strip()
        if name and name != GOLD:
            return name


def main(argv: list[str] | None = None) -> int:
    """Run the window; returns the exit status."""
    argv = list(sys.argv if argv is None else argv)
    args = _arguments(argv)
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = QSettings()

    name = args.annotator or str(settings.value("annotator/name", "") or "") or _ask_name(settings)
    if not name:
        return 1
    if name == GOLD:
        print(f"error: '{GOLD}' is reserved for the adjudicated version", file=sys.stderr)
        return 1
    settings.setValue("annotator/name", name)

    path = args.db
    if path is None:
        path = default_project_path()
        if not path.exists():
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                create_sample_project(path)
            finally:
                QApplication.restoreOverrideCursor()
    try:
        store = Store(path)
    except StorageError as error:
        box = QMessageBox(QMessageBox.Icon.Critical, APPLICATION, str(error))
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path, as it is
        box.exec()
        return 1

    from annotator.ui.main_window import MainWindow

    window = MainWindow(store, name)
    window.restore_layout(settings)
    window.show()
    return app.exec()
