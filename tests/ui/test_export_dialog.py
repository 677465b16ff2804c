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
