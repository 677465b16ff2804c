"""Who works in the window, and what a desktop without Qt's system libraries is told."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog

from annotator.ui.system_libraries import (
    debian_package,
    display_libraries_problem,
    missing_libraries,
    no_display_problem,
)

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd6b5f0000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f3c1c600000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f3c1c5d0000)
\tlibxcb-icccm.so.4 => not found
\tlibglib-2.0.so.0 => not found
"""

DESKTOP = {"DISPLAY": ":0"}


def test_the_libraries_ldd_cannot_find_are_named_with_their_packages():
    assert missing_libraries(LDD_OUTPUT) == [
        "libglib-2.0.so.0",
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
    ]
    assert [debian_package(name) for name in missing_libraries(LDD_OUTPUT)] == [
        "libglib2.0-0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxkbcommon-x11-0",
    ]
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libEGL.so.1") == "libegl1"


def test_a_desktop_lacking_them_gets_one_line_naming_the_packages():
    problem = display_libraries_problem(DESKTOP, lambda path: LDD_OUTPUT, lambda: False)
    assert problem is not None and "\n" not in problem
    assert problem.endswith(
        "sudo apt install libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
        "libxkbcommon-x11-0"
    )
    assert "libxcb-icccm.so.4" in problem


def test_nothing_is_said_when_nothing_is_missing_or_qt_will_not_use_x11():
    complete = "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n"
    assert display_libraries_problem(DESKTOP, lambda path: complete, lambda: True) is None
    for environ in (
        {},  # no display: Qt says so itself
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},  # Qt may use Wayland
    ):
        assert display_libraries_problem(environ, lambda path: LDD_OUTPUT, lambda: False) is None
    forced = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}
    assert display_libraries_problem(forced, lambda path: LDD_OUTPUT, lambda: True) is not None


def test_no_display_is_one_line_not_a_core_dump():
    problem = no_display_problem({})
    assert problem is not None and "\n" not in problem and "DISPLAY" in problem
    there = lambda socket: True  # noqa: E731 - a server listens on every socket
    for environ in (
        {"DISPLAY": ":0"},
        {"DISPLAY": "localhost:10.0"},  # over ssh
        {"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": "/run/user/1000"},
        {"QT_QPA_PLATFORM": "offscreen"},  # chosen: no display needed
    ):
        assert no_display_problem(environ, there) is None
    # A DISPLAY left from another session, with no server behind it: one line too.
    nobody = lambda socket: False  # noqa: E731
    stale = no_display_problem({"DISPLAY": ":77"}, nobody)
    assert stale is not None and "DISPLAY=:77" in stale and "\n" not in stale
    # ssh's forwarded display, left over: nothing answers on localhost:6010
    assert "localhost:10.0" in no_display_problem({"DISPLAY": "localhost:10.0"}, nobody)
    assert no_display_problem({"DISPLAY": "example.org:0"}, nobody) is None  # not asked
    assert no_display_problem({"WAYLAND_DISPLAY": "wayland-9"}, nobody) is not None


def test_the_command_to_type_is_named_as_it_was_started_when_not_on_the_path(tmp_path, monkeypatch):
    """After make run there is no ``annotator`` on the PATH: "annotator --help" was "command
    not found"."""
    from annotator.ui.system_libraries import command_as_run

    started = tmp_path / "bin" / "annotator"
    started.parent.mkdir()
    started.write_text("#!/bin/sh\n")
    started.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert command_as_run(".venv/bin/annotator") == ".venv/bin/annotator"
    assert command_as_run("/usr/lib/python3/x.py") == "annotator"  # not the command itself
    monkeypatch.setenv("PATH", str(started.parent))
    assert command_as_run(str(started)) == "annotator"


def test_the_gui_without_a_display_says_so_and_exits_1(tmp_path):
    """A process: Qt aborted it (SIGABRT, exit 134) after several lines."""
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environ.pop("QT_QPA_PLATFORM", None)
    environ["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "gui", str(tmp_path / "p.db"), "--annotator", "ana"],
        capture_output=True, text=True, env=environ, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("annotator: no display") and done.stderr.count("\n") == 1
    assert not (tmp_path / "p.db").exists()


def test_the_window_switches_annotator_and_refuses_gold(qtbot, window, monkeypatch):
    first = window.current.id
    window.action_done.trigger()  # ana finished the first article
    assert window.switch_annotator("ben")
    assert window.annotator == "ben" and "ben" in window.windowTitle()
    assert window.current.id == first  # ben starts where nobody of his has been: the first
    assert window.store.status(first, "ben").status == "todo"  # read, not edited
    assert [row.status for row in window.article_model.rows][0] == "todo"
    assert window.progress_label.text() == "0 / 3 done"
    assert not window.undo_stack.canUndo()  # ana's edits are not undone from ben's window
    assert not window.switch_annotator("gold")
    assert "gold is the review's version" in window.message_bar.text()
    assert window.annotator == "ben"
    assert not window.switch_annotator("b\ten")
    assert "no tab" in window.message_bar.text() and window.annotator == "ben"
    # Through the menu: the name asked for becomes the default for the next start.
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("cem", True))
    window.action_switch_annotator.trigger()
    assert window.annotator == "cem" and QSettings().value("annotator/name") == "cem"


def test_a_name_that_differs_in_case_only_is_the_projects_annotator(qtbot, window):
    """ "Ben" beside "ben": 0 done where ben had finished his, no word, and the agreement
    then compared "Ben / ben"."""
    window.action_done.trigger()  # ana finished the first article
    assert window.switch_annotator("ben") and window.switch_annotator("ANA")
    assert window.annotator == "ana" and window.progress_label.text() == "1 / 3 done"
    assert "the project's spelling of 'ANA'" in window.statusBar().currentMessage()
    assert window.switch_annotator("Dora") and window.annotator == "Dora"  # a new name


def test_the_windows_open_within_a_small_screen(qtbot, project):
    """They opened at fixed sizes (1400 x 860, guidelines 720 x 800) past a small screen."""
    from annotator.ui.guidelines import show_guidelines
    from annotator.ui.main_window import MainWindow

    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert room.width() < 1400  # the offscreen screen, 800 x 600
    assert window.width() <= room.width() and window.height() <= room.height()
    guidelines = show_guidelines(window)
    assert guidelines.height() <= room.height()
    guidelines.close()
    window.close()


@contextmanager
def larger_font(qapp, factor: float) -> Iterator[None]:
    """The application's font ``factor`` times its size (a desktop's large font), then as
    it was."""
    from PySide6.QtGui import QFont

    usual = qapp.font()
    large = QFont(usual)
    large.setPointSizeF(usual.pointSizeF() * factor)
    qapp.setFont(large)
    try:
        yield
    finally:
        qapp.setFont(usual)


def test_with_a_large_font_the_window_still_fits_the_screen(qtbot, project, qapp):
    """With QT_FONT_DPI=144 on a 1024-px screen the window opened 1137 px wide: the span
    list's readable least, at that font, did not fit beside the text's. It gives way."""

    from annotator.ui.main_window import MainWindow

    with larger_font(qapp, 1.8):
        window = MainWindow(project, "ana")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        room = window.screen().availableGeometry()
        assert window.width() <= room.width()
        assert window.span_list.isVisible() and window.span_list.width() > 100
        window.close()


def test_with_a_large_font_the_article_list_is_wide_enough_to_read(qtbot, project, qapp):
    """At QT_FONT_DPI=144 every title read "…" and the span counts "5(": the columns had the
    pixels of a usual font."""

    from annotator.ui.main_layout import share_columns
    from annotator.ui.main_window import MainWindow
    from annotator.ui.widgets import font_scale

    # the text to 45 characters, the list, the text to 60, the spans, each 1.5 times wider
    assert share_columns(1900, [108, 260, 382], 1.5) == [330, 880, 690]
    assert share_columns(1400, [108, 260, 382], 1.5) == [330, 688, 382]
    with larger_font(qapp, 1.6):
        window = MainWindow(project, "ana")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        table = window.article_list
        scale = font_scale(table)
        assert scale > 1.3
        assert table.columnWidth(2) >= round(48 * scale)  # the spans' count, whole
        window.close()


def test_columns_saved_at_another_font_size_are_shared_afresh(qtbot, project, qapp):
    """The desktop's font made larger after a day's work: the saved columns came back, and
    the titles read "Govern…", the spans "Idli…ince"."""
    from PySide6.QtCore import QSettings

    from annotator.ui.main_window import MainWindow

    settings = QSettings()

    def window_restored() -> MainWindow:
        window = MainWindow(project, "ana")
        qtbot.addWidget(window)
        window.restore_layout(settings)
        return window

    first = window_restored()
    first.save_layout(settings)
    first.close()
    again = window_restored()
    assert again.columns.restored  # the same font: the user's columns, as left
    again.close()
    with larger_font(qapp, 1.6):
        assert not window_restored().columns.restored


def test_a_first_window_gives_the_text_its_room_before_the_lists(qtbot, project):
    """On a 1024-px screen the text was the narrowest column (about 290 px): Qt shrank the
    three columns' first widths in proportion. Then the list kept 132 px there, and 108 on a
    laptop scaled 150 %, with every title "…": the text gets 45 characters a line first."""
    from annotator.ui.main_layout import share_columns

    least = [108, 260, 382]
    assert share_columns(994, least) == [220, 392, 382]  # a 1024-px screen: titles read
    assert share_columns(900, least) == [160, 358, 382]  # 1366 px scaled 150 %
    assert share_columns(870, least) == [160, 328, 382]  # ... a window a little narrower
    assert share_columns(1400, least) == [220, 720, 460]
    assert share_columns(1800, least) == [220, 1120, 460]
    assert share_columns(700, least) == least  # each its least: the window allows no less
    from annotator.ui.main_window import MainWindow

    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lists, text, spans = window.splitter.sizes()
    assert text >= min(480, window.width() // 3) and text > lists
    window.close()


def test_the_gui_on_a_path_that_is_no_project_says_so_and_makes_none(
    tmp_path, capsys, qapp, monkeypatch
):
    """A typo opened a new, empty project and left it (with its -wal and -shm) behind; then
    it was said on standard error only, nothing for a start from the desktop."""
    from annotator.ui.app import main

    shown = message_boxes(monkeypatch)
    missing = tmp_path / "projcet.db"
    assert main(["annotator", str(missing), "--annotator", "ana"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {missing}: no such project") and err.count("\n") == 1
    assert [text for _, text in shown] == [err.strip().removeprefix("error: ")]
    assert list(tmp_path.iterdir()) == []


def message_boxes(monkeypatch) -> list:
    """The (icon, text) of each message box the program shows, none of them shown."""
    from annotator.ui import widgets

    shown = []

    class Box:
        def __init__(self, parent, icon, title, text):
            shown.append((icon, text))

        def exec(self):
            return 0

        def open(self):
            pass

    monkeypatch.setattr(widgets, "message_box", Box)
    return shown


def test_the_gui_on_a_project_damaged_past_its_header_says_so_in_a_dialog(
    tmp_path, qapp, monkeypatch, project
):
    """A damaged articles page failed while the window was made: the reason went to stderr
    only, and started from the desktop the program just did not appear."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.storage.errors import CorruptProject
    from annotator.ui import app, main_window

    def damaged(*args, **kwargs):
        raise CorruptProject(f"{project.path.name}: the project file is damaged")

    shown = message_boxes(monkeypatch)
    monkeypatch.setattr(main_window, "MainWindow", damaged)
    assert app.main(["annotator", str(project.path), "--annotator", "ana"]) == 1
    assert shown == [
        (QMessageBox.Icon.Critical, f"{project.path.name}: the project file is damaged")
    ]


def test_a_sample_project_that_cannot_be_made_says_why_in_a_dialog(
    tmp_path, qapp, monkeypatch, capsys
):
    """XDG_DATA_HOME naming a file: the name was asked, then the window vanished; the
    reason ("Not a directory") went to standard error only."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui import app

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(app, "default_project_path", lambda: blocker / "sample-project.db")
    shown = message_boxes(monkeypatch)
    assert app.main(["annotator", "--annotator", "ana"]) == 1
    ((icon, text),) = shown
    assert icon == QMessageBox.Icon.Critical
    assert text.startswith("The sample project could not be made") and str(blocker) in text
    # and how to go on (it said only why)
    assert text.endswith("or set HOME to a folder you can write to.")
    assert text in capsys.readouterr().err


def test_a_short_column_hides_the_key_hints_before_it_squeezes_the_label_buttons(qtbot):
    """At a large font on a low screen (shorter than the window's least height) the label
    buttons were squeezed till their names were cut in half, while the key hints kept
    their lines."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QToolButton, QWidget

    from annotator.core.model import DEFAULT_LABELS
    from annotator.ui.side_panel import AnnotationPanel

    holder = QWidget()  # a child is given any height, as a window too low for it gives it
    qtbot.addWidget(holder)
    side = AnnotationPanel(QObject(), holder)
    side.claim_keys.setText("R on a claim: click its source · D polarity · H hedged · Q quote")
    actions = {}
    for label in DEFAULT_LABELS:
        actions[label.name] = QAction(label.name, holder)
    side.legend.set_labels(list(DEFAULT_LABELS), actions)
    holder.resize(320, 700)
    holder.show()
    qtbot.waitExposed(holder)
    side.setGeometry(0, 0, 300, 640)
    qtbot.waitUntil(lambda: not side.hints_hidden)
    assert all(hint.isVisible() for hint in side.key_hints)
    side.setGeometry(0, 0, 300, 300)
    qtbot.waitUntil(lambda: side.hints_hidden)
    qtbot.wait(50)
    buttons = side.legend.findChildren(QToolButton)
    assert buttons and all(b.height() >= b.sizeHint().height() for b in buttons)
    side.setGeometry(0, 0, 300, 640)
    qtbot.waitUntil(lambda: not side.hints_hidden and side.key_hints[1].isVisible())


def test_a_system_library_qt_cannot_load_is_one_line_naming_the_package(monkeypatch, capsys):
    """Without libGL.so.1 the window died with 20 lines of traceback; --self-test and the
    command line said it well."""
    import importlib.abc
    import sys

    from annotator.cli import main

    class NoLibGL(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "annotator.ui.app":
                raise ImportError(
                    "libGL.so.1: cannot open shared object file: No such file or directory"
                )
            return None

    monkeypatch.delitem(sys.modules, "annotator.ui.app")
    monkeypatch.setattr(sys, "meta_path", [NoLibGL(), *sys.meta_path])
    assert main(["gui", "p.db"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "annotator: the window cannot start here: the system library libGL.so.1 was not found "
        "(the command line works without it). On Debian or Ubuntu: sudo apt install libgl1\n"
    )


def test_started_from_the_menu_a_missing_library_is_shown_and_logged(tmp_path, monkeypatch):
    """From the desktop's menu (no terminal) a missing libGL started nothing, without a
    word: the line went to a standard error nobody sees."""
    from annotator.ui.system_libraries import say_the_window_cannot_start

    tools = tmp_path / "bin"
    tools.mkdir()
    told = tmp_path / "told"
    (tools / "notify-send").write_text(f'#!/bin/sh\nprintf "%s|" "$@" > {told}\n')
    (tools / "notify-send").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    problem = "annotator: the window cannot start here: libGL.so.1 was not found"
    say_the_window_cannot_start(problem)  # (pytest's standard error is no terminal)
    deadline = time.monotonic() + 5
    while not told.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert problem in told.read_text(encoding="utf-8")
    log = tmp_path / "data" / "annotator" / "errors.log"
    assert problem in log.read_text(encoding="utf-8")


def test_two_first_starts_make_the_sample_side_by_side(tmp_path, monkeypatch):
    """A second start deleted the first's half-made sample under it: the first said "disk
    I/O error"; now each makes its own, the first done puts it in place."""
    from annotator.core import Article
    from annotator.ui import app

    monkeypatch.setattr("annotator.nlp.load_preannotator", lambda *_: None)
    made = []

    def importing(store, *_, **__):
        store.add_articles([Article(f"Sample {len(made)} from Idlib.")])
        made.append(store.path)

    monkeypatch.setattr("annotator.formats.importer.import_paths", importing)
    path = tmp_path / "sample-project.db"
    other = tmp_path / "sample-project.db.making-1"  # pid 1 runs: another start's, kept
    gone = tmp_path / "sample-project.db.making-999999999"  # no such process: a leftover
    other.write_bytes(b"half")
    gone.write_bytes(b"half")
    app.create_sample_project(path)
    assert made[0].name.startswith("sample-project.db.making-")
    assert other.read_bytes() == b"half" and not gone.exists()
    first = path.read_bytes()
    app.create_sample_project(path)  # another start, done later: the first's stays
    assert path.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sample-project.db",
        "sample-project.db.making-1",
    ]


def test_the_project_shown_last_is_the_one_opened_with_none_named(qtbot, window, tmp_path):
    """`annotator` and the menu entry opened the sample every time, never the real work."""
    from PySide6.QtCore import QSettings

    from annotator.storage import Store
    from annotator.ui.app import last_project

    assert last_project(QSettings()) == window.store.path.resolve()
    other = Store(tmp_path / "other.db")
    window.set_store(other)  # File → Open project
    assert last_project(QSettings()) == (tmp_path / "other.db").resolve()
    window.set_store(Store(":memory:"))  # (nothing to open again)
    assert last_project(QSettings()) == (tmp_path / "other.db").resolve()
    (tmp_path / "other.db").unlink()  # gone: the sample, as before
    assert last_project(QSettings()) is None
    # A name of bytes that are no UTF-8 was kept with U+FFFD for them: never found again.
    odd = tmp_path / os.fsdecode(b"caf\xe9.db")
    window.set_store(Store(odd))
    assert last_project(QSettings()) == odd.resolve()


@pytest.mark.parametrize("kind", ["damaged", "empty", "another program's"])
def test_a_project_shown_last_that_no_longer_opens_gives_way_to_the_sample(tmp_path, kind):
    """`annotator` ended with an error dialog on every start, and the menu entry, which
    names no project, could never start it again; an emptied one became a new project."""
    import sqlite3

    from annotator.storage import Store
    from annotator.ui.app import open_remembered
    from annotator.ui.window_project import LAST_PROJECT

    last = tmp_path / "work.db"
    if kind == "damaged":
        last.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    elif kind == "empty":
        last.write_bytes(b"")
    else:
        with sqlite3.connect(last) as other:
            other.execute("CREATE TABLE contacts (name)")
    before = last.read_bytes()
    QSettings().setValue(LAST_PROJECT, str(last))
    store, note, _ = open_remembered(QSettings())
    assert store is None and note.startswith("The project opened last could not be opened (")
    assert "the sample project is open instead" in note
    assert last.read_bytes() == before
    last.unlink()
    Store(last).close()  # a project again: it opens
    store, note, _ = open_remembered(QSettings())
    assert store is not None and store.path == last and note == ""
    store.close()
    last.unlink()  # gone (a drive not mounted, say): the sample opened without a word
    store, note, _ = open_remembered(QSettings())
    assert store is None and note.startswith(f"The project opened last, {last}, is not there")
    assert "the sample project is open instead" in note


def test_settings_that_cannot_be_saved_are_said(tmp_path, qapp):
    """A settings folder that could not be written (XDG_CONFIG_HOME read-only, or a file):
    the name was asked at every start, the last project and sizes lost, without a word."""
    from PySide6.QtCore import QSettings

    from annotator.ui.app import settings_unkept

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    broken = QSettings(str(blocker / "annotator.conf"), QSettings.Format.IniFormat)
    broken.setValue("annotator/name", "ana")
    said = settings_unkept(broken)
    assert said.startswith(f"Settings cannot be saved in {blocker / 'annotator.conf'}")
    fine = QSettings(str(tmp_path / "annotator.conf"), QSettings.Format.IniFormat)
    fine.setValue("annotator/name", "ana")
    assert settings_unkept(fine) == ""
