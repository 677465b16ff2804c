"""Closing the window, or opening another project, while an import or export runs in the
background for this one: asked first, then the work is stopped and waited for. Closing
killed the program (SIGABRT: a thread destroyed while it ran), the export lost; "Import
the rest", clicked after opening another project, imported into that one."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox

from annotator.storage import Store
from annotator.ui import dialogs, main_actions
from annotator.ui.tasks import run_in_background
from tests.ui.conftest import answer_leaving, closing_asks_then_stops


def slow_task(window):
    """An export that reports progress and ends only when cancelled."""
    stopped = threading.Event()

    def work(store, progress):
        while True:
            progress(1, 10)  # raises once Cancel is asked for
            stopped.wait(0.01)

    return run_in_background(window, "Exporting", window.store, work, lambda result: None)


def test_closing_while_an_export_runs_asks_then_stops_it_and_waits(qtbot, window, monkeypatch):
    task = slow_task(window)
    qtbot.waitUntil(lambda: task.dialog.value() == 1)
    closing_asks_then_stops(window, monkeypatch, "An export", task.thread.isRunning)


def test_opening_another_project_while_an_export_runs_asks_first(
    qtbot, window, tmp_path, monkeypatch
):
    other = tmp_path / "other.db"
    Store(other).close()
    monkeypatch.setattr(dialogs, "choose_project", lambda parent: other)
    task = slow_task(window)
    qtbot.waitUntil(lambda: task.dialog.value() == 1)
    before = window.store
    asked = answer_leaving(monkeypatch, False)
    main_actions._open_project(window)  # noqa: SLF001 - File → Open project, the file chosen
    assert window.store is before and task.thread.isRunning()
    assert asked == [
        (
            "An export is running: opening another project stops it, and the project stays "
            "as it was. Open anyway?",
            "Open",
        )
    ]
    answer_leaving(monkeypatch, True)
    thread = task.thread
    main_actions._open_project(window)  # noqa: SLF001
    assert not thread.isRunning()
    assert window.store.path == other


def test_import_the_rest_goes_into_the_project_it_was_chosen_for(qtbot, window, tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"text": "Rebels took Idlib."}\n{"title": "no text"}\n', encoding="utf-8")
    dialogs.run_import(window, [path])
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "importRefused") is not None)
    box = window.findChild(QMessageBox, "importRefused")
    first = window.store
    count = first.article_count()
    window.set_store(Store(tmp_path / "other.db"))  # File → Open meanwhile
    box.findChild(type(box.buttons()[0]), "importTheRest").click()
    assert window.store.article_count() == 0  # not into the project open now
    assert "was refused in" in window.message_bar.text()
    assert first.path is not None
    with Store(first.path) as again:
        assert again.article_count() == count
