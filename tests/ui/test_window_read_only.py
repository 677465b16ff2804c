"""A read-only project opens in the window, says so at once, and every edit is refused with
a message: nothing on the undo stack, the article as the file holds it."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import select_text, show_active


def _fingerprint(path):
    return {p.name: hashlib.sha256(p.read_bytes()).digest() for p in path.parent.glob("*.db*")}


def test_a_read_only_project_says_so_and_refuses_edits(qtbot, project):
    path = project.path
    spans = project.start_article(1, "ana")  # suggestions copied while it was writable
    project.close()
    path.chmod(0o444)
    before = _fingerprint(path)
    store = Store(path)
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert "(read-only)" in window.windowTitle()
    assert window.message_bar.text().startswith(f"{path} is read-only (the file is read-only)")
    assert window.current.spans == spans

    text = window.current.article.text
    start = text.index("rebel positions")
    select_text(window.view, start, start + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert window.message_bar.text().startswith("Not saved:")
    assert "read-only" in window.message_bar.text()
    assert not window.undo_stack.canUndo()
    assert window.current.spans == spans  # the screen shows what is stored
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # done: refused the same way
    assert window.current.id == 1 and window.current.status == "in_progress"
    window.close()
    store.close()
    assert _fingerprint(path) == before  # not a byte written, no -wal or -shm left


def test_a_project_file_deleted_while_the_window_is_open_refuses_edits(qtbot, project):
    path = project.path
    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    path.unlink()  # another program, or the annotator in a file manager
    text = window.current.article.text
    start = text.index("rebel positions")
    select_text(window.view, start, start + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    message = window.message_bar.text()
    assert message.startswith("Not saved:") and "is no longer there" in message
    assert not window.undo_stack.canUndo()
    window.close()


def test_the_read_only_advice_names_a_wal_file_that_holds_the_latest_edits(
    qtbot, project, tmp_path
):
    import shutil

    project.start_article(1, "ana")  # committed into project.db-wal, not yet into the file
    copied = tmp_path / "copy"
    copied.mkdir()
    for name in ("project.db", "project.db-wal"):
        shutil.copy(project.path.with_name(name), copied / name)
    (copied / "project.db").chmod(0o444)
    store = Store(copied / "project.db")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert "copy it together with project.db-wal (it holds the latest edits)" in (
        window.message_bar.text()
    )
    window.close()
    store.close()


def test_a_read_only_project_keeps_no_time_and_gives_none_to_the_next_project(
    qtbot, project, tmp_path
):
    """Its clock's save was refused every 30 s ("Not saved"), and the seconds waited under
    its article ids: saved into the project opened next, on other articles (or a traceback
    on every tick where it had no such article)."""
    from annotator.core.model import Article
    from annotator.ui.article_statuses import save_active_time
    from annotator.ui.window_project import start_over

    path = project.path
    project.close()
    path.chmod(0o444)
    store = Store(path)
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.message_bar.hide()
    for _ in range(3):  # a clock that counts nothing, and shows nothing
        window.clock._tick()
    assert window.time_label.text() == ""
    save_active_time(window, 35.0)
    assert window.unsaved_seconds == {} and not window.message_bar.isVisible()
    window.unsaved_seconds[window.current.id] = 12.0  # (refused by a full disk, say)
    other = Store(tmp_path / "other.db")
    other.add_articles([Article(f"Calm in town {k}.") for k in range(3)])
    start_over(window, other, "ana")
    assert window.unsaved_seconds == {}
    assert other._db.execute("SELECT COUNT(*) FROM article_status").fetchone()[0] == 0
    window.close()


def test_a_project_in_a_synced_folder_says_so_as_it_opens(qtbot, tmp_path):
    """Two computers on one project in Dropbox lose edits, silently; the window says it."""
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    store = Store(synced / "syria.db")
    store.add_articles([Article("Shelling in Idlib.", title="Idlib")])
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.message_bar.text().startswith("syria.db is in a folder Dropbox keeps in sync")
    # and it stays said in the status bar (the yellow bar's note goes after 20 s)
    assert window.drive_label.isVisibleTo(window)
    assert window.drive_label.text() == "syria.db is in a folder Dropbox keeps in sync"
    assert window.statusBar().currentMessage() == ""  # (said twice there, three times in all)
    assert "have it open on one computer at a time" in window.drive_label.toolTip()
    window.set_store(Store(tmp_path / "local.db"))  # a project on this computer's disk
    assert not window.drive_label.isVisibleTo(window)
    window.close()
    store.close()
