"""File → Import in the window: its report in a box, its refusals in the window's terms,
and the background work's progress and cancelling."""

from __future__ import annotations

import json
from pathlib import Path


def test_file_import_says_what_it_did_not_import(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.dialogs import run_import

    path = tmp_path / "relations.jsonl"
    path.write_text(
        '{"text": "Google was founded by Larry Page.", "entities": [{"id": 0, '
        '"start_offset": 0, "end_offset": 6, "label": "ORG"}], "relations": [{"from_id": 0, '
        '"to_id": 0, "type": "x"}]}\n'
    )
    run_import(window, [path])
    qtbot.waitUntil(lambda: getattr(window, "last_import_report", None) is not None, timeout=60_000)
    box = window.findChild(QMessageBox, "importReport")
    assert box is not None
    assert "doccano relations of type x: not in the project's scheme 1" in box.informativeText()
    assert window.statusBar().currentMessage().startswith("1 article imported")


def test_a_long_import_ends_with_its_report_in_a_box(qtbot, window, tmp_path, monkeypatch):
    """After a 200-s folder import, the counts were in the status bar for ten seconds
    only, and gone by the time one looked back."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui import dialogs
    from annotator.ui.dialogs import run_import

    path = tmp_path / "one.txt"
    path.write_text("Clashes near Goma\n\nFighting went on near Goma on Friday.\n")
    monkeypatch.setattr(dialogs, "REPORT_AFTER_S", 0.0)  # as if it took long
    run_import(window, [path])
    qtbot.waitUntil(lambda: getattr(window, "last_import_report", None) is not None, timeout=60_000)
    box = window.findChild(QMessageBox, "importReport")
    assert box is not None and box.text().startswith("1 article imported")


def refusal_of(qtbot, window, path: Path) -> str:
    """What the window says when it refuses to import ``path``."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.dialogs import run_import

    run_import(window, [path])
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "importRefused") is not None, timeout=60_000
    )
    return window.findChild(QMessageBox, "importRefused").text()


def test_a_file_of_no_known_format_gets_advice_the_window_can_follow(qtbot, window, tmp_path):
    """It said "give --format", an option of the command line the window does not have."""
    path = tmp_path / "news.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")
    text = refusal_of(qtbot, window, path)
    assert "give --format" not in text
    assert "rename it with its format's extension" in text


def test_a_file_read_as_another_tools_gets_advice_the_window_can_follow(qtbot, window, tmp_path):
    """ "give --format doccano" came in the window, which has no such option."""
    path = tmp_path / "tasks.json"
    task = {"data": {"text": "Rebels took Idlib."}, "annotations": [{"start_offset": 0}]}
    path.write_text(json.dumps([task]), encoding="utf-8")
    text = refusal_of(qtbot, window, path)
    assert "give --format" not in text
    assert "import it with the command line's --format doccano" in text


def test_cancelled_background_work_says_so(qtbot, window):
    """The progress dialog went, and nothing said the import had been cancelled."""
    import time

    from annotator.ui.tasks import run_in_background

    def work(store, progress):
        while True:  # a long article being suggested: progress reported between pieces
            progress(0, 1)
            time.sleep(0.01)

    task = run_in_background(window, "Importing", window.store, work, lambda result: None)
    qtbot.wait(100)
    task.cancel()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Importing: cancelled")


def test_the_progress_dialog_stays_till_the_work_ends(qtbot, window):
    """An import counts its articles done when their suggestions are made; the dialog
    closed then, seconds before they were written, and Cancel went with it."""
    import threading

    from annotator.ui.tasks import run_in_background

    release = threading.Event()

    halfway = threading.Event()

    def work(store, progress):
        progress(1_200, 3_000)  # said in numbers: "0 %" over 100,000 articles looked stuck
        halfway.wait(10)
        progress(3_000, 3_000)  # every article suggested...
        release.wait(10)  # ...still writing them
        return "written"

    results = []
    task = run_in_background(window, "Importing", window.store, work, results.append)
    try:
        qtbot.waitUntil(lambda: task.dialog.value() == 1_200)
        assert task.dialog.labelText() == "Importing: 1,200 of 3,000"
        halfway.set()
        qtbot.waitUntil(lambda: task.dialog.value() == 3_000)
        task.dialog.show()  # (its 300 ms before showing itself, at once)
        qtbot.wait(100)
        assert task.dialog.isVisible()
        assert task.dialog.labelText() == "Importing: finishing…"
    finally:  # (a failure above left the work waiting, and the window's closing with it)
        halfway.set()
        release.set()
    qtbot.waitUntil(lambda: results == ["written"])


def test_an_import_shows_its_dialog_before_its_work_begins(qtbot, window, tmp_path):
    """An import loads the suggestion model first, which held the window still: for 3–4 s
    nothing showed it had started (a user may import again)."""
    import threading

    from annotator.ui.tasks import run_in_background

    began = threading.Event()

    def work(store, progress):
        began.set()
        return None

    done: list = []
    task = run_in_background(window, "Importing", window.store, work, done.append, at_once=True)
    assert task is not None and task.dialog.isVisible() and not began.is_set()
    assert task.dialog.labelText() == "Importing: starting…"
    qtbot.waitUntil(lambda: done == [None])


def test_file_import_asks_for_its_dialog_at_once(window, tmp_path, monkeypatch):
    from annotator.ui import dialogs

    asked: list[bool] = []
    monkeypatch.setattr(
        dialogs, "run_in_background", lambda *args, at_once=False: asked.append(at_once)
    )
    path = tmp_path / "one.txt"
    path.write_text("Shelling hit Homs on Monday.")
    dialogs.run_import(window, [path])
    assert asked == [True]


def test_file_import_reads_a_labelbuddy_export(qtbot, window, tmp_path):
    from annotator.ui.dialogs import run_import

    text = "Wagner fighters withdrew from Bakhmut."
    document = {
        "text": text,
        "metadata": {"source": "telegram"},
        "annotation_approver": "ana",
        "annotations": [{"start_char": 0, "end_char": 15, "label_name": "FACTION"}],
    }
    path = tmp_path / "labelbuddy.json"
    path.write_text(json.dumps([document]), encoding="utf-8")
    run_import(window, [path])  # (refused: 'annotation 1 has no "result"', Label Studio's)
    qtbot.waitUntil(lambda: getattr(window, "last_import_report", None) is not None, timeout=60_000)
    report = window.last_import_report
    assert (report.spans, report.annotators) == (1, ["ana"])


def test_annotations_that_name_nobody_are_said_in_the_windows_words(qtbot, window, tmp_path):
    """ "`annotator import --annotator NAME` gives them to one" was said after File → Import,
    which has no such choice."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.dialogs import run_import

    path = tmp_path / "tasks.json"
    path.write_text(
        json.dumps([{"id": 1, "data": {"text": "Army jets bombed Nyala."}, "annotations": [
            {"result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                         "value": {"start": 17, "end": 22, "labels": ["LOCATION"]}}]}]}]),
        encoding="utf-8",
    )  # fmt: skip
    run_import(window, [path])
    qtbot.waitUntil(lambda: getattr(window, "last_import_report", None) is not None, timeout=60_000)
    box = window.findChild(QMessageBox, "importReport")
    (said,) = [line for line in box.detailedText().splitlines() if "name no annotator" in line]
    assert "went to the annotator imported: File → Switch annotator… to it shows" in said
    assert "the window imports under no other name; the command line's" in said
    # the command line says its own
    (line,) = [line for line in window.last_import_report.summary_lines() if "no annotator" in line]
    assert line.endswith(": `annotator import --annotator NAME` gives them to one, "
                         "`--annotator gold` to the review's version")  # fmt: skip
