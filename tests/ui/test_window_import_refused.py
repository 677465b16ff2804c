"""File → Import of a file with an invalid record, under a hostile name: refused whole with
the record named, then, if asked, the rest imported and the skipped records listed with
their reasons. File names and records show as written in every message box, never as HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from annotator.ui.dialogs import run_import
from annotator.ui.export_dialog import ExportOptions, start_export
from tests.ui.test_window_plain_text import shown_by

RECORDS = (
    '{"text": "Rebels took Kidal on Monday."}\n'
    '{"text": "Clashes near Goma.", "spans": [{"start": 0, "end": 7, "label": null}]}\n'
    '{"text": "Aid convoys waited at the border for a second day."}\n'
)


@pytest.fixture
def hostile_file(tmp_path) -> Path:
    """``<b>x</b>&y.jsonl``: markup and an ampersand in the name a message must show."""
    folder = tmp_path / "<b>x<"  # a name cannot hold "/": the path does
    folder.mkdir()
    path = folder / "b>&y.jsonl"
    path.write_text(RECORDS, encoding="utf-8")
    assert str(path).endswith("<b>x</b>&y.jsonl")
    return path


def shown_texts(box: QMessageBox) -> list[str]:
    """What each text of a message box puts on screen (rich text rendered, as Qt does)."""
    return [shown_by(label) for label in box.findChildren(QLabel) if label.text()]


def wait_for_box(qtbot, window, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, name) is not None, timeout=60_000)
    return window.findChild(QMessageBox, name)


def test_a_refused_import_names_the_record_and_can_import_the_rest(qtbot, window, hostile_file):
    before = window.store.article_count()
    run_import(window, [hostile_file])
    refused = wait_for_box(qtbot, window, "importRefused")
    message = f"{hostile_file}:2: span 1's label must be a name, not null"
    assert shown_texts(refused)[0] == message  # the file, the record and why, literally
    assert "Nothing was imported" in refused.informativeText()
    assert window.store.article_count() == before

    refused.findChild(QPushButton, "importTheRest").click()
    report_box = wait_for_box(qtbot, window, "importReport")
    report = window.last_import_report
    assert (report.added, report.skipped) == (2, 1)
    assert window.store.article_count() == before + 2
    said = report_box.informativeText()
    assert "1 invalid record skipped, as asked" in said and "--skip-invalid" not in said
    assert f"  {message}" in report_box.detailedText().splitlines()
    for text in shown_texts(report_box):
        assert "<b>" not in text or "<b>x</b>&y.jsonl" in text
    assert window.article_model.rowCount() == before + 2


def test_nothing_valid_to_import_offers_nothing_more(qtbot, window, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Goma.", "spans": [{"start": 0, "end": 4, "label": {}}]}\n')
    run_import(window, [path], skip_invalid=True)
    refused = wait_for_box(qtbot, window, "importRefused")
    assert "nothing valid to import" in refused.text()
    assert refused.findChild(QPushButton, "importTheRest") is None


def test_a_file_with_no_valid_record_is_refused_without_the_offer_of_a_rest(
    qtbot, window, tmp_path
):
    """An ACLED table (no text column) offered "Import the rest", which then said "nothing
    valid to import"."""
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,fatalities\nSYR1,3\n", encoding="utf-8")
    run_import(window, [path])
    refused = wait_for_box(qtbot, window, "importRefused")
    assert "no column of texts" in refused.text()
    assert refused.findChild(QPushButton, "importTheRest") is None
    assert "valid records" not in refused.informativeText()


def test_message_boxes_show_file_names_as_written(qtbot, window, hostile_file):
    out = hostile_file.with_name("b>&out.jsonl")  # .../<b>x</b>&out.jsonl
    start_export(window, ExportOptions(out=out, status="all"))
    box = wait_for_box(qtbot, window, "exportReport")
    texts = shown_texts(box)
    assert any(str(out) in text for text in texts), texts
    assert all(label.openExternalLinks() is False for label in box.findChildren(QLabel))


def test_a_failure_names_a_hostile_project_as_written(qtbot, hostile_file):
    from annotator.core import Article
    from annotator.storage import Store
    from annotator.ui.main_window import MainWindow

    path = hostile_file.with_name("b>&project.db")  # .../<b>x</b>&project.db
    with Store(path) as store:
        store.add_articles([Article("Rebels took Kidal.", title="<i>Kidal</i> & Gao")])
    path.chmod(0o444)
    window = MainWindow(Store(path), "ana")
    qtbot.addWidget(window)
    run_import(window, [hostile_file], skip_invalid=True)  # a read-only project refuses
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=60_000)
    failure = window.findChild(QMessageBox)
    assert shown_texts(failure)[0].startswith(f"{path} is open read-only")
    window.close()
    window.store.close()


def test_a_cancelled_import_says_what_it_kept(qtbot, window):
    """Cancel said "Importing: cancelled", and nothing of the 4,000 articles it had added
    (each batch is written whole)."""
    from types import SimpleNamespace

    from annotator.core.model import Article
    from annotator.ui.dialogs import _say_what_a_cancel_kept

    before = window.store.article_count()
    window.store.add_articles([Article(f"Clashes near Gao, day {k}.") for k in range(3)])
    _say_what_a_cancel_kept(window, SimpleNamespace(error="cancelled"), before, window.store)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Importing: cancelled; 3 articles imported before it stopped")
    )
    assert window.article_model.rowCount() == before + 3  # and the list shows them
