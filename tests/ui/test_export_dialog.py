"""File → Export: the format and the path it opens with agree, and follow each other."""

from __future__ import annotations

from pathlib import Path

from annotator.ui.dialogs import ExportDialog


def test_the_export_dialog_opens_on_jsonl_with_a_jsonl_path(qtbot, window):
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.format_box.currentData() == "jsonl"
    assert Path(dialog.out_text.text()).name == "dataset.jsonl"


def test_the_path_follows_the_format_and_the_split(qtbot, window):
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    shown = []
    for name in ("brat", "spacy", "labelstudio", "conll", "jsonl"):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(name))
        shown.append(Path(dialog.out_text.text()).name)
    assert shown == ["dataset", "dataset.spacy", "dataset.json", "dataset.conll", "dataset.jsonl"]
    dialog.split_check.setChecked(True)
    assert Path(dialog.out_text.text()).name == "dataset"  # a folder for train/dev/test
    dialog.split_check.setChecked(False)
    assert Path(dialog.out_text.text()).name == "dataset.jsonl"
    assert dialog.options().format_name == "jsonl"


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
