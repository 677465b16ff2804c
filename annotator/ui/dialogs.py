"""The window's secondary screens: open a project, import, export, the guidelines."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QTextBrowser, QVBoxLayout, QWidget

from annotator.ui.tasks import run_in_background

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

IMPORT_FILTER = (
    "Articles and annotations (*.txt *.jsonl *.ndjson *.json *.ann *.conll *.conllu *.iob);;"
    "All files (*)"
)


def choose_project(parent: QWidget) -> Path | None:
    """Ask for a project file to open, or a new name to create one."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Open or create a project",
        "",
        "Projects (*.db);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".db")


def run_import(window: MainWindow, paths: list[Path] | None = None, folder: bool = False):
    """Import files (asked for when not given) in the background, pre-annotating new articles."""
    if paths is None:
        if folder:
            chosen = QFileDialog.getExistingDirectory(window, "Import a folder of articles")
            paths = [Path(chosen)] if chosen else []
        else:
            names, _ = QFileDialog.getOpenFileNames(window, "Import articles", "", IMPORT_FILTER)
            paths = [Path(n) for n in names]
    if not paths:
        return None

    def work(store, progress):
        from annotator.formats.importer import import_paths
        from annotator.nlp import load_preannotator

        preannotator = load_preannotator(None)
        return import_paths(store, paths, preannotator=preannotator, progress=progress)

    def done(report) -> None:
        window.refresh_article_list()
        message = f"Imported {report.added} articles, skipped {report.duplicates} duplicates"
        if report.spans:
            message += f", {report.spans} annotated spans"
        window.statusBar().showMessage(message, 10_000)
        if window.current is None and window.article_model.rows:
            window.open_article(window.article_model.rows[0].id)

    return run_in_background(window, "Importing", window.store, work, done)


def show_guidelines(window: QWidget) -> QDialog:
    """Help → Guidelines, beside the window (not modal: one reads it while annotating)."""
    existing = window.findChild(QDialog, "guidelinesDialog")
    if existing is not None:
        existing.show()
        existing.raise_()
        return existing
    dialog = QDialog(window, objectName="guidelinesDialog")
    dialog.setWindowTitle("Annotation guidelines")
    dialog.setWindowFlag(Qt.WindowType.Tool, True)
    browser = QTextBrowser(dialog)
    browser.setOpenExternalLinks(False)
    browser.setMarkdown(guidelines_text())
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    dialog.resize(720, 800)
    dialog.show()
    return dialog


def guidelines_text() -> str:
    return resources.files("annotator").joinpath("resources/guidelines.md").read_text("utf-8")
