"""File dialogs never open the files they list: closing a descriptor of the open project's
file dropped SQLite's locks, and another program then deleted the window's -wal."""

from __future__ import annotations

import ast
import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from annotator.core.model import Article
from annotator.storage import Store
from annotator.ui.dialogs import project_dialog
from annotator.ui.file_dialogs import file_dialog

LOCKS = Path("/proc/locks")


def locks_held() -> int:
    """The POSIX locks this process holds (Linux)."""
    pid = f" {os.getpid()} "
    return sum(pid in line for line in LOCKS.read_text().splitlines())


@pytest.mark.skipif(not LOCKS.exists(), reason="needs Linux's /proc/locks")
@pytest.mark.parametrize("make", [project_dialog, lambda parent: file_dialog(parent, "Import")])
def test_a_file_dialog_on_the_projects_folder_keeps_its_locks(qtbot, tmp_path, make):
    with Store(tmp_path / "project.db") as store:
        store.add_articles([Article("Rebels shelled Idlib.")])
        held = locks_held()
        assert held, "an open WAL project holds locks"
        dialog = make(None)
        qtbot.addWidget(dialog)
        dialog.setDirectory(str(tmp_path))
        dialog.show()
        end = time.monotonic() + 1.5  # the dialog's worker thread reads the folder
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)
        assert locks_held() == held
        dialog.close()


def test_no_other_module_makes_a_file_dialog():
    """Every file dialog comes from ``ui.file_dialogs`` (a native or plain one sniffs files)."""
    ui = Path(__file__).resolve().parents[2] / "annotator" / "ui"
    found = []
    for path in ui.glob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id == "QFileDialog":
                found.append(f"{path.name}:{node.lineno}")
            if (
                isinstance(called, ast.Attribute)
                and isinstance(called.value, ast.Name)
                and called.value.id == "QFileDialog"
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_a_folder_typed_key_by_key_is_the_one_chosen(qtbot, tmp_path):
    """Typed key by key into Qt's dialog, "…/f500" also selected "…/f" on the way (seen
    with xdotool and QTest.keyClicks on a shown dialog), and Import a folder took "f"."""
    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QLineEdit

    from annotator.ui.file_dialogs import the_folder_chosen

    class AsQtLeftIt:  # the dialog's state after the typing: both folders selected
        def __init__(self, typed: str):
            self.edit = QLineEdit(typed, objectName="fileNameEdit")

        def selectedFiles(self) -> list[str]:  # noqa: N802 - Qt's name
            return [str(tmp_path / "f"), str(tmp_path / "f500")]

        def findChild(self, kind, name):  # noqa: N802
            return self.edit if name == "fileNameEdit" else None

        def directory(self) -> QDir:
            return QDir(str(tmp_path))

    assert the_folder_chosen(AsQtLeftIt(str(tmp_path / "f500"))) == str(tmp_path / "f500")
    assert the_folder_chosen(AsQtLeftIt("f500")) == str(tmp_path / "f500")
    assert the_folder_chosen(AsQtLeftIt(str(tmp_path / "f"))) == str(tmp_path / "f")
