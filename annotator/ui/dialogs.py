"""The window's secondary screens: open a project, import, the guidelines, About (export:
``export_dialog.py``)."""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.text import counted
from annotator.ui.conveniences import add_close_keys
from annotator.ui.file_dialogs import existing_directory, file_dialog, open_file_names
from annotator.ui.tasks import run_in_background
from annotator.ui.widgets import message_box, open_over, resize_within_screen, said_in_window

if TYPE_CHECKING:
    from annotator.storage import Store
    from annotator.ui.main_window import MainWindow

#: An import that took longer than this (seconds) ends with its report in a box.
REPORT_AFTER_S = 5.0


def _import_filter() -> str:
    """Every suffix an import reads (it listed them by hand, and missed .conllup)."""
    from annotator.formats import import_formats

    suffixes = sorted({suffix for f in import_formats() for suffix in f.suffixes} | {".ann"})
    return f"Articles and annotations ({' '.join('*' + s for s in suffixes)});;All files (*)"


IMPORT_FILTER = _import_filter()


def choose_project(parent: QWidget) -> Path | None:
    """Ask for a project file to open, or a new name to create one: asked first, as a name
    typed wrong made (and left behind) an empty project without a word."""
    dialog = project_dialog(parent)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    if not path.exists() and path.suffix.lower() not in (".db", ".sqlite", ".sqlite3"):
        # (syria_v1.2 was made without .db, and the dialog, showing *.db, hid it)
        path = path.with_name(f"{path.name}.db")
    return path if path.exists() or may_create_project(parent, path) else None


def may_create_project(parent: QWidget | None, path: Path) -> bool:
    """Whether to make a new, empty project at ``path``, which is not there."""
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        "New project",
        f"There is no project {path.name} in {path.parent}.",
        "Create a new, empty project there? (File → Import then brings in articles.)",
        name="newProjectBox",
    )
    create = box.addButton("Create", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(create)
    box.exec()
    return box.clickedButton() is create


def project_dialog(parent: QWidget) -> QFileDialog:
    """A file dialog that takes a file that exists or a new name (a save dialog underneath),
    its button saying what it does."""
    dialog = file_dialog(parent, "Open or create a project", "", "Projects (*.db);;All files (*)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Open")
    return dialog


def run_import(
    window: MainWindow,
    paths: list[Path] | None = None,
    folder: bool = False,
    skip_invalid: bool = False,
):
    """Import files (asked for when not given) in the background, pre-annotating new articles.

    A file with an invalid record is refused whole, nothing imported (as ``annotator import``
    does); the message offers to import the rest instead (``skip_invalid``), and the report
    then lists each record left out and why.
    """
    if paths is None:
        if folder:
            chosen = existing_directory(window, "Import a folder of articles")
            paths = [Path(chosen)] if chosen else []
        else:
            paths = [Path(n) for n in open_file_names(window, "Import articles", IMPORT_FILTER)]
    if not paths:
        return None
    chosen_paths = list(paths)
    chosen_for = window.store
    warnings: list[str] = []  # written by the work, read once it is done
    began = time.monotonic()

    def work(store, progress):
        from annotator.formats import FormatError
        from annotator.formats.importer import check_import, import_paths
        from annotator.nlp.loading import project_preannotator

        try:  # every file is read and checked before anything is written
            plan = check_import(chosen_paths, skip_invalid=skip_invalid)
        except FormatError as error:
            if skip_invalid:
                return ImportRefused(str(error))
            try:  # is there a rest to offer? (a table without a text column has none)
                check_import(chosen_paths, skip_invalid=True)
            except FormatError:
                return ImportRefused(str(error), rest=False)
            return ImportRefused(str(error))
        preannotator = project_preannotator(store)  # its current model, else the default
        if preannotator.linker is not None:
            # Here, off the GUI thread: the place index is built once per machine (35–50 s).
            warning = preannotator.linker.prepare()
            if warning:
                warnings.append(warning[0].upper() + warning[1:] + ".")
        return import_paths(
            store, chosen_paths, preannotator=preannotator, progress=progress, plan=plan
        )

    def done(report) -> None:
        if isinstance(report, ImportRefused):
            offered = not skip_invalid and report.rest
            _import_refused(window, chosen_paths, report.message, not offered, chosen_for)
            return
        window.refresh_article_list()
        window.last_import_report = report
        lines = [*(in_window_words(line) for line in report.summary_lines()), *warnings]
        window.statusBar().showMessage(lines[0], 10_000)
        # Something to say beyond the counts (what was not imported, why), or an import
        # long enough to look away from: the status bar's ten seconds went unseen.
        if len(lines) > 1 or time.monotonic() - began > REPORT_AFTER_S:
            report_box = message_box(
                window,
                QMessageBox.Icon.Information,
                "Import finished",
                lines[0],
                informative="\n".join(lines[1:6]),
                detailed="\n".join(lines),
                name="importReport",
            )
            open_over(window, report_box)
        if window.current is None and window.article_model.rows:
            window.open_article(window.article_model.rows[0].id)

    before = window.store.article_count()
    task = run_in_background(window, "Importing", window.store, work, done, at_once=True)
    if task is not None:
        task.finished.connect(lambda: _say_what_a_cancel_kept(window, task, before, chosen_for))
    return task


def in_window_words(line: str) -> str:
    """An import report's line with the command line's advice said as the window's: "went
    to the annotator imported: `annotator import --annotator NAME` gives them to one" was
    said after File → Import, which has no such choice."""
    from annotator.core.model import GOLD
    from annotator.formats.import_report import NAME_THE_UNNAMED

    return said_in_window(
        line,
        (
            (f" or --annotator {GOLD} asked", ""),
            (
                NAME_THE_UNNAMED,
                "File → Switch annotator… to it shows and corrects their version (the window "
                "imports under no other name; the command line's `annotator import --annotator "
                f"NAME` gives them to one, `--annotator {GOLD}` to the review's version)",
            ),
        ),
    )


def _say_what_a_cancel_kept(window: MainWindow, task, before: int, store: Store) -> None:
    """A cancelled import keeps the batches it wrote (each whole): "Importing: cancelled"
    said nothing of the 4,000 articles it had added. (Not after File → Open, which
    cancelled it: the window shows another project.)"""
    if task.error != "cancelled" or window.store is not store:
        return
    window.refresh_article_list()
    added = window.store.article_count() - before
    if added > 0:
        window.statusBar().showMessage(
            f"Importing: cancelled; {counted(added, 'article')} imported before it stopped "
            "(each batch whole) stay",
            15_000,
        )


@dataclass(frozen=True)
class ImportRefused:
    """A file was refused (an invalid record): nothing was imported. ``rest``: whether
    other records would import without the invalid ones."""

    message: str
    rest: bool = True


def _import_refused(
    window: MainWindow, paths: list[Path], message: str, no_rest: bool, store: Store
) -> QMessageBox:
    """Say why nothing was imported; offer to import the valid records into ``store`` (the
    project they were chosen for) and list the rest, unless ``no_rest`` (skipped already,
    or there is none: the offer then ended in "nothing valid to import")."""
    window.last_import_report = None
    # The window has no format choice: the advice is the file's name, or the command line.
    message = message.replace(
        "; give --format",
        ": rename it with its format's extension, or import it with the command line's --format",
    )
    message = re.sub(
        r"give --format (\w+)", r"import it with the command line's --format \1", message
    )
    window.statusBar().showMessage(f"Nothing imported: {message}", 10_000)
    box = message_box(
        window,
        QMessageBox.Icon.Warning,
        "Import refused",
        message,
        informative="Nothing was imported."
        + (
            ""
            if no_rest
            else " The valid records can be imported without the invalid ones, which "
            "are then listed with the reason for each."
        ),
        name="importRefused",
    )
    if not no_rest:
        rest = box.addButton(
            "Import the rest, list what is skipped", QMessageBox.ButtonRole.AcceptRole
        )
        rest.setObjectName("importTheRest")
        rest.clicked.connect(lambda: _import_the_rest(window, paths, store))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def _import_the_rest(window: MainWindow, paths: list[Path], store: Store) -> None:
    """The valid records, into the project the files were chosen for: clicked after File →
    Open, they went into the project open then."""
    if window.store is not store:
        names = ", ".join(path.name for path in paths)
        window.show_problem(
            f"Not imported: {names} was refused in {_project_name(store)}, and the window "
            f"has opened {_project_name(window.store)} since; import it there again"
        )
        return
    run_import(window, paths, skip_invalid=True)


def _project_name(store: Store) -> str:
    return store.path.name if store.path is not None else "a project in memory"


def show_about(window: MainWindow) -> QDialog:
    """Help → About: what runs, on which project, with which model; one button copies it
    all, for a bug report."""
    dialog = QDialog(window, objectName="aboutDialog")
    dialog.setWindowTitle("About the annotator")
    text = QPlainTextEdit(
        about_text(window), dialog, objectName="aboutText", accessibleName="About this program"
    )
    text.setReadOnly(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text.toPlainText()))
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    add_close_keys(dialog)
    resize_within_screen(dialog, 640, 360)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def about_text(window: MainWindow) -> str:
    from importlib.metadata import PackageNotFoundError, version

    import PySide6

    from annotator import __version__
    from annotator.nlp.loading import default_suggester_name
    from annotator.nlp.spacy_preannotator import RULES_VERSION, suggester_name
    from annotator.nlp.training import ModelError, current_model

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    store = window.store
    try:  # named as the status bar names a model: with the rules that run it
        model = current_model(store)
        if model is None:
            suggests = default_suggester_name()
        elif not model.present:
            suggests = f"missing: {model.path} (the project's current model; train or adopt one)"
        else:
            suggests = f"{suggester_name(model.meta)} ({model.path})"
        articles = str(store.article_count())
    except (ModelError, OSError, ValueError, AnnotatorError, sqlite3.DatabaseError) as error:
        # About is where one looks when something is wrong: it says what it cannot read.
        suggests = articles = f"unreadable ({error})"
    return "\n".join(
        (
            f"Conflict-news annotator {__version__} (rules version {RULES_VERSION})",
            "",
            f"Project: {store.path or 'in memory'}",
            f"Articles: {articles}",
            f"Annotator: {window.annotator}",
            f"New articles are suggested by: {suggests}",
            f"Settings: {QSettings().fileName()}",
            "",
            f"Python {sys.version.split()[0]} · Qt {qVersion()} · PySide6 {PySide6.__version__}"
            f" · spaCy {installed('spacy')} · SQLite {sqlite3.sqlite_version}",
            f"Running from: {Path(sys.executable).parent}",
        )
    )
