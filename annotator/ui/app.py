"""``main(argv)``: start the program. First-run questions are asked here, not in the window."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.c_locale import ascii_case_rules
from annotator.core.errors import AnnotatorError
from annotator.core.model import annotator_name
from annotator.core.processes import remove_left_by_dead
from annotator.core.resources import resource_path
from annotator.core.text import readable
from annotator.storage import StorageError, Store
from annotator.storage.backups import upgrade_backup, upgraded_note
from annotator.ui.stop_signals import Caught, windows_close_on_signals
from annotator.ui.system_libraries import (
    display_libraries_problem,
    no_display_problem,
    say_the_window_cannot_start,
)
from annotator.ui.tasks import StoppedWaiting
from annotator.ui.unexpected import unexpected_errors_said
from annotator.ui.user_folders import ORGANIZATION, sample_project_path
from annotator.ui.window_project import LAST_PROJECT, path_of_setting

#: By then start-up is over (the tokenizer is built): what exists now lives on.
STARTUP_SETTLED_MS = 3000
APPLICATION = "Conflict news annotator"
#: The PNG sizes in resources/icons/ (packaging/render_icons.py draws them from the SVG).
ICON_SIZES = (16, 32, 48, 64, 128, 256)
#: The desktop entry's id (packaging/*.desktop): Wayland matches windows to it.
DESKTOP_FILE = "io.github.conflictnews.annotator"


def default_project_path() -> Path:
    return sample_project_path()


def last_project(settings: QSettings) -> Path | None:
    """The project the window showed last, if it is still there."""
    path = _last_recorded(settings)
    return path if path is not None and path.is_file() else None


def _last_recorded(settings: QSettings) -> Path | None:
    last = str(settings.value(LAST_PROJECT, "") or "")
    if not last:
        return None
    try:
        return path_of_setting(last)
    except ValueError:  # not hexadecimal after "fs:": written by hand
        return None


def open_remembered(settings: QSettings) -> tuple[Store | None, str, Path | None]:
    """The project the window showed last, opened (with the copy an upgrade kept aside);
    (None, why, None) if it no longer opens (damaged, emptied, another program's file):
    the sample opens instead, said. It ended the program on every start, and a menu entry,
    which names no project, could never start it again; an emptied one became a new
    project. (None, "", None) if there is none to open."""
    last = _last_recorded(settings)
    if last is None:
        return None, "", None
    if not last.is_file():  # (the sample opened without a word: work on the wrong file)
        return (
            None,
            (
                f"The project opened last, {last}, is not there any more (moved, deleted, or "
                "on a drive that is not mounted); the sample project is open instead. "
                "File → Open project… opens another."
            ),
            None,
        )
    backup = upgrade_backup(last)
    try:
        return Store(last, create=False), "", backup
    except StorageError as error:
        return (
            None,
            (
                f"The project opened last could not be opened ({error}); the sample project "
                "is open instead. File → Open project… opens another."
            ),
            None,
        )


def application_icon() -> QIcon:
    """The program's icon in every size drawn for it; empty if the files are missing."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"annotator-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def sample_articles_folder() -> Path:
    return resource_path("samples")


def create_sample_project(path: Path) -> None:
    """Make the bundled sample project: the sample articles, pre-annotated (spans, claim
    sources and attributes, and what places and factions refer to)."""
    from annotator.formats.importer import import_paths
    from annotator.nlp import load_preannotator

    path.parent.mkdir(parents=True, exist_ok=True)
    # Made aside and put in place whole: a program stopped halfway left a sample without
    # half its articles, which the next start opened as it was. Aside under this process's
    # number: a second start while the first made it deleted the first's file under it
    # ("disk I/O error"); the first one done puts it in place, the other's goes.
    remove_left_by_dead(list(path.parent.glob(f"{path.name}.making*")), r"\.making-(\d+)")
    making = path.with_name(f"{path.name}.making-{os.getpid()}")
    with Store(making) as store:
        import_paths(
            store,
            [sample_articles_folder()],
            format_name="txt",
            preannotator=load_preannotator(None),
        )
    try:
        os.link(making, path)  # never over a sample another start put there meanwhile
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(making, path)
    finally:
        making.unlink(missing_ok=True)


def make_sample_project_waiting(path: Path) -> None:
    """``create_sample_project`` off the GUI thread, with a dialog that says what it waits
    for: on a machine's first start the place index is built (about a minute)."""
    from annotator.kb.geonames import index_is_built
    from annotator.ui.tasks import wait_with_dialog

    label = "Preparing the sample project…"
    if not index_is_built():
        label += "\nBuilding the place index once (about a minute)…"
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        wait_with_dialog(APPLICATION, label, lambda: create_sample_project(path))
    finally:
        QApplication.restoreOverrideCursor()


# -- start ---------------------------------------------------------------------------------------


def freeze_startup_objects() -> None:
    """Keep what start-up made (modules, Qt wrappers, spaCy's tables: objects that live as
    long as the program) out of the garbage collector's full passes. Each pass over them
    holds the interpreter for 100–200 ms, on whichever thread triggers it, and the window
    stops for as long (``gc.freeze``)."""
    gc.collect()
    gc.freeze()


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="annotator gui")
    parser.add_argument("db", nargs="?", type=Path)
    parser.add_argument("--annotator")
    return parser.parse_args(argv[1:])


def _ask_name(settings: QSettings) -> str | None:
    """The annotator's name, asked until it is one (``core.model.annotator_name``), saying
    why a name was refused; ``None`` if they cancel."""
    name = str(settings.value("annotator/name", "") or "")
    # Said before Cancel is pressed: started from a desktop menu, stderr is read by no one.
    asked = "Your name, stored with every span you make (Cancel quits: a name is needed):"
    question = asked
    while True:
        name, ok = QInputDialog.getText(None, APPLICATION, question, text=name)
        if not ok:
            return None
        try:
            return annotator_name(name)
        except AnnotatorError as refusal:
            question = f"Not that name: {refusal}.\n{asked}"


def main(argv: list[str] | None = None) -> int:
    """Run the window; returns the exit status."""
    argv = list(sys.argv if argv is None else argv)
    args = _arguments(argv)
    if QApplication.instance() is None:
        problem = no_display_problem() or display_libraries_problem()
        if problem is not None:
            say_the_window_cannot_start(problem)
            return 1
    # Qt reads its options from the arguments too; one that is no UTF-8 (a file name of
    # other bytes, kept by Python as lone surrogates) crashed it, a segmentation fault.
    app = QApplication.instance() or QApplication([readable(arg) for arg in argv])
    ascii_case_rules()  # Qt set the user's locale again: a Turkish one broke the window
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(application_icon())
    app.setDesktopFileName(DESKTOP_FILE)
    # From here on, SIGTERM and Ctrl+C close what shows (the name asked at the first start,
    # the sample being made, the window, a dialog saying it cannot start): the first
    # start's question ignored them.
    with windows_close_on_signals(app) as caught, unexpected_errors_said():
        if args.db is not None and not Path(args.db).exists():
            # A typo would otherwise open (and leave behind) a new, empty project; said in
            # a dialog too, for a start from the desktop.
            status = _cannot_start(
                f"{args.db}: no such project (annotator import {args.db} FILES makes one "
                "with articles; File → Open project in the window makes an empty one)"
            )
        else:
            status = _run(app, args, caught)
    if caught.exit_status is not None:
        print(f"annotator: closed by {signal.Signals(caught.signum).name}", file=sys.stderr)
        return caught.exit_status
    return status


def _cannot_start(message: str) -> int:
    """Say why the window cannot open, in a dialog and on standard error; the status."""
    from annotator.ui.widgets import message_box

    print(f"error: {message}", file=sys.stderr)
    message_box(None, QMessageBox.Icon.Critical, APPLICATION, message).exec()
    return 1


def settings_unkept(settings: QSettings) -> str:
    """Why the window's settings cannot be kept, if they cannot: a settings folder that
    cannot be written lost the name, the last project and the sizes at every start, unsaid."""
    settings.sync()
    if settings.status() == QSettings.Status.NoError:
        return ""
    return (
        f"Settings cannot be saved in {settings.fileName()}: your name, the last project "
        "and the window's sizes will be asked again next time (make that folder writable, "
        "or set XDG_CONFIG_HOME to one that is)"
    )


def _run(app: QApplication, args: argparse.Namespace, caught: Caught) -> int:
    """``main`` once the application exists: the name, the project, the window."""
    settings = QSettings()

    # A name given with --annotator is for this session only; the one asked for (on the
    # first start) is remembered for every project.
    name = args.annotator or str(settings.value("annotator/name", "") or "")
    if not name:
        name = _ask_name(settings) or ""
        if caught.signum is not None:
            return 1
        if not name:
            print(
                "annotator: no name given: the window stores your name with every edit "
                "(start again and give one, or start it as annotator gui --annotator NAME)",
                file=sys.stderr,
            )
            return 1
        settings.setValue("annotator/name", name)
    try:
        name = annotator_name(name)
    except AnnotatorError as refusal:
        print(f"error: --annotator: {refusal}", file=sys.stderr)
        return 1

    path, store, note, backup = args.db, None, "", None
    if path is None:
        store, note, backup = open_remembered(settings)
        path = store.path if store is not None else None
        if note:
            print(f"annotator: {note}", file=sys.stderr)
    if store is None and path is None:
        path = default_project_path()
        if not path.exists():
            try:
                make_sample_project_waiting(path)
            except StoppedWaiting:
                return 1  # (a stop signal: it is said in main)
            except (OSError, AnnotatorError) as error:
                # A data folder that is a file, or a full disk: said on standard error
                # only, the window vanished after the name was typed.
                where = f"{error.filename}: " if isinstance(error, OSError) else ""
                why = error.strerror if isinstance(error, OSError) and error.strerror else error
                return _cannot_start(
                    f"The sample project could not be made ({where}{why}). Name a project "
                    "to open (annotator gui PROJECT.db), or set HOME to a folder you can "
                    "write to."
                )
            if caught.signum is not None:
                return 1
    if store is None:
        backup = upgrade_backup(path)  # made by an older version: upgraded as it opens
        try:
            store = Store(path)
        except StorageError as error:
            return _cannot_start(str(error))

    from annotator.ui.main_window import MainWindow

    try:
        window = MainWindow(store, store.spelling(name))  # "ben" where the project has "Ben"
    except StorageError as error:  # a page the first reads reach is damaged
        store.close()
        return _cannot_start(str(error))
    window.restore_layout(settings)
    window.show()
    unkept = settings_unkept(settings)
    if unkept and not note:
        window.show_problem(unkept)
    if note:
        from annotator.ui.widgets import message_box

        message_box(window, QMessageBox.Icon.Warning, APPLICATION, note).open()
    elif backup is not None and backup.exists():
        window.statusBar().showMessage(upgraded_note(path, backup), 20_000)
    freeze_startup_objects()
    # Again once the tokenizer, built on a thread meanwhile, is there.
    QTimer.singleShot(STARTUP_SETTLED_MS, freeze_startup_objects)
    status = app.exec() if caught.signum is None else 1  # (stopped while it was opening)
    # Closed, the last connection folds the -wal into the project file: left open until the
    # process ended (the objects frozen above), the edits stayed in the -wal beside it, and
    # a copy of the .db alone held none of them.
    window.store.close()
    if window.store.rescued is not None and window.store.path is not None:
        from annotator.storage.rescue import rescued_note

        note = rescued_note(window.store.path, window.store.rescued)
        print(f"annotator: {note}", file=sys.stderr)
    return status
