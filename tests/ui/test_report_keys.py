"""After an import's or an export's report box closes, the window has the keys again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox


def close_with_ok(qtbot, window, name: str) -> None:
    """Wait for the report box ``name`` to be the active window, then press its OK."""
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, name) is not None, timeout=60_000)
    box = window.findChild(QMessageBox, name)
    qtbot.waitUntil(box.isActiveWindow)
    box.button(QMessageBox.StandardButton.Ok).click()


def test_ctrl_q_closes_the_window_after_the_export_report(qtbot, window, tmp_path):
    """The report closed, the keys went to no window (none active): Ctrl+Q did nothing,
    and the program ended only on SIGTERM."""
    from annotator.ui.export_dialog import ExportOptions, start_export

    start_export(window, ExportOptions(out=tmp_path / "all.jsonl", status="all"))
    close_with_ok(qtbot, window, "exportReport")
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_window_has_the_keys_after_the_import_report(qtbot, window, tmp_path):
    from annotator.ui.dialogs import run_import

    path = tmp_path / "tasks.jsonl"
    path.write_text('{"text": "Rebels took Gao.", "spans": [], "answer": "reject"}\n')
    run_import(window, [path])
    close_with_ok(qtbot, window, "importReport")
    qtbot.waitUntil(window.isActiveWindow)
