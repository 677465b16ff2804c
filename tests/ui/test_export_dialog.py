"""File → Export: the format and the path it opens with agree, and follow each other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.ui.export_dialog import ExportDialog


def test_the_export_dialog_opens_on_jsonl_with_a_jsonl_path(qtbot, window):
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.format_box.currentData() == "jsonl"
    assert Path(dialog.out_text.text()).name == "project-dataset.jsonl"  # (project.db's)


def test_the_path_follows_the_format_and_the_split(qtbot, window):
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    shown = []
    for name in ("brat", "spacy", "labelstudio", "conll", "jsonl"):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(name))
        shown.append(Path(dialog.out_text.text()).name)
    assert shown == [
        f"project-dataset{suffix}" for suffix in ("", ".spacy", ".json", ".conll", ".jsonl")
    ]
    dialog.split_check.setChecked(True)
    assert Path(dialog.out_text.text()).name == "project-dataset"  # a folder: train/dev/test
    dialog.split_check.setChecked(False)
    assert Path(dialog.out_text.text()).name == "project-dataset.jsonl"
    assert dialog.options().format_name == "jsonl"


def message_boxes(window):
    from PySide6.QtWidgets import QMessageBox

    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_refused_export_says_what_to_choose_and_the_dialog_keeps_the_choices(
    qtbot, window, tmp_path
):
    """Two annotators finished the same article: the refusal names the dialog's choices,
    not the command line's options, and the dialog opens again as it was."""
    from annotator.ui.export_dialog import ExportOptions, start_export

    store = window.store
    article = window.current.id
    for who in ("ana", "ben"):
        store.start_article(article, who)
        store.set_status(article, who, "done")
    out = tmp_path / "mine" / "corpus.spacy"
    out.parent.mkdir()
    start_export(window, ExportOptions(out=out, format_name="spacy"))
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=60_000)
    (refusal,) = message_boxes(window)
    text = refusal.text()
    assert "versions by several annotators" in text
    assert "choose one annotator under Annotations" in text and "--" not in text
    assert not out.exists()
    refusal.close()

    dialog = ExportDialog(window, window.last_export_options)
    qtbot.addWidget(dialog)
    assert dialog.format_box.currentData() == "spacy"
    assert Path(dialog.out_text.text()) == out
    dialog.who_box.setCurrentIndex(dialog.who_box.findData("ben"))
    assert dialog.options().annotator == "ben"
    # or leave the unsettled article out, as the refusal says: the rest goes out
    assert "tick Leave out articles nobody settled" in text
    dialog.who_box.setCurrentIndex(0)
    dialog.unsettled_check.setChecked(True)
    start_export(window, dialog.options())
    qtbot.waitUntil(lambda: window.last_export_report is not None, timeout=60_000)
    assert window.last_export_report.left_out["several annotators' versions, no gold"] == 1
    assert ExportDialog(window, window.last_export_options).unsettled_check.isChecked()


def test_an_export_of_nothing_says_so_and_which_choice_finds_articles(qtbot, window, tmp_path):
    from annotator.ui.export_dialog import ExportOptions, start_export

    start_export(window, ExportOptions(out=tmp_path / "none.jsonl"))  # nothing is done
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=60_000)
    (report,) = message_boxes(window)
    assert report.windowTitle() == "Nothing exported"
    details = report.informativeText()
    assert "choose another status, or all, under Articles" in details and "--" not in details


def test_a_split_that_does_not_add_up_is_said_and_the_dialog_stays_with_its_choices(qtbot, window):
    """The warning came after the dialog closed, and the next one opened on jsonl, with no
    annotator and no split: every choice to make again."""
    from PySide6.QtWidgets import QMessageBox

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    dialog.split_check.setChecked(True)
    dialog.split_text.setText("0.8,0.3")
    dialog.accept()
    warning = next(box for box in dialog.findChildren(QMessageBox) if box.isVisible())
    assert "add up to 1.1" in warning.text()
    assert dialog.isVisible() and dialog.chosen is None
    assert dialog.format_box.currentData() == "spacy" and dialog.split_check.isChecked()
    warning.close()
    dialog.split_text.setText("0.8,0.2")
    dialog.accept()
    assert not dialog.isVisible() and dialog.chosen.split == (0.8, 0.2)


def test_the_report_box_shows_what_was_not_written_without_show_details(qtbot, window, tmp_path):
    """CoNLL's claims and attribute values not written were under Show Details only: the
    box showed the first five lines, notes on the files among them."""
    from annotator.core import Span
    from annotator.ui.export_dialog import ExportOptions, start_export

    article = window.current
    window.store.replace_annotations(article.id, "ana", [Span(0, 20, "CLAIM")])
    window.store.set_status(article.id, "ana", "done")
    start_export(window, ExportOptions(out=tmp_path / "out.conll", format_name="conll"))
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=60_000)
    (report,) = message_boxes(window)
    shown = report.informativeText()
    assert "1 span not written" in shown
    assert "CLAIM 1: CLAIM is not an entity label" in shown
    # before the notes on the files
    assert shown.index("span not written") < shown.index("only articles marked done")
    assert "3 attribute values of spans (effective: defaults included) are not written" in shown


def test_gold_of_a_project_with_none_is_refused_in_the_dialog_with_its_choices(qtbot, window):
    """The dialog closed, then the refusal came over the main window (a split that does
    not add up, unsettled articles: refused in the dialog, with every choice)."""
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    dialog.who_box.setCurrentIndex(dialog.who_box.findData("gold"))
    dialog.accept()
    warning = next(box for box in dialog.findChildren(QMessageBox) if box.isVisible())
    assert "has no gold version yet: adjudicate in the review window first" in warning.text()
    assert "or choose one annotator under Annotations" in warning.text()
    assert dialog.isVisible() and dialog.chosen is None
    assert dialog.format_box.currentData() == "spacy"
    assert dialog.who_box.currentData() == "gold"
    assert dialog.focusWidget() is dialog.who_box  # the choice to change


def test_a_bare_file_name_goes_in_the_folder_the_field_showed(qtbot, window, tmp_path):
    """ "rel.jsonl" typed over the path was written to the program's working folder."""
    dialog = ExportDialog(window)
    dialog.out_text.setText("rel.jsonl")
    assert dialog.options().out == window.store.path.parent / "rel.jsonl"
    dialog.out_text.setText(str(tmp_path / "abs.jsonl"))
    assert dialog.options().out == tmp_path / "abs.jsonl"


def test_a_dataset_there_is_replaced_only_when_the_user_says_so(qtbot, window, monkeypatch):
    """A typed (or offered) path went over the dataset there without a question, and the
    next project's dialog offered the last project's path."""
    window.store.set_status(window.current.id, "ana", "done")  # something to replace it with
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    out = Path(dialog.out_text.text())
    out.write_text("last week's dataset\n", encoding="utf-8")
    asked = []
    monkeypatch.setattr(ExportDialog, "_may_replace", lambda self, path: asked.append(path))
    dialog.accept()
    assert asked == [out] and dialog.chosen is None  # refused: the dialog stays open
    assert dialog.result() != dialog.DialogCode.Accepted
    monkeypatch.setattr(ExportDialog, "_may_replace", lambda self, path: True)
    dialog.accept()
    assert dialog.chosen is not None and dialog.chosen.out == out


def test_a_folder_given_for_a_file_is_refused_before_any_question(
    qtbot, window, tmp_path, monkeypatch
):
    """It asked "Replace the folder", and once the user agreed to lose the folder, said it
    was a folder and refused."""
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "notes.txt").write_text("kept\n", encoding="utf-8")
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.out_text.setText(str(folder))
    asked = []
    monkeypatch.setattr(ExportDialog, "_may_replace", lambda self, path: asked.append(path))
    dialog.accept()
    assert asked == [] and dialog.chosen is None
    box = next(b for b in dialog.findChildren(QMessageBox) if b.isVisible())
    assert "victim is a folder; give a file name" in box.text()
    assert (folder / "notes.txt").exists()


def test_the_projects_own_file_is_refused_and_a_splits_folder_is_not_asked_about(
    qtbot, window, tmp_path, monkeypatch
):
    """The project file given as the dataset: "Replace it?", then, agreed, "one of the
    project's own files". A split into a folder there: "Replace the folder?", though the
    export writes into it and replaces nothing."""
    asked = []
    monkeypatch.setattr(ExportDialog, "_may_replace", lambda self, path: asked.append(path))
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.out_text.setText(str(window.store.path))
    dialog.accept()
    assert asked == [] and dialog.chosen is None
    box = next(b for b in dialog.findChildren(QMessageBox) if b.isVisible())
    assert "is one of the project's own files" in box.text()
    box.close()
    folder = tmp_path / "splits"
    folder.mkdir()
    (folder / "notes.txt").write_text("kept\n", encoding="utf-8")
    dialog.out_text.setText(str(folder))
    dialog.split_check.setChecked(True)
    dialog.split_text.setText("0.8,0.2")
    dialog.accept()
    assert asked == [] and dialog.chosen is not None and dialog.chosen.split == (0.8, 0.2)


def test_the_last_exports_path_is_offered_again_for_its_project_only(qtbot, window, tmp_path):
    from annotator.storage import Store

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.out_text.setText(str(tmp_path / "mine.jsonl"))
    chosen = dialog.options()
    assert Path(ExportDialog(window, chosen).out_text.text()) == tmp_path / "mine.jsonl"
    window.set_store(Store(tmp_path / "other.db"))
    offered = Path(ExportDialog(window, chosen).out_text.text())
    assert offered.name == "other-dataset.jsonl"


def test_articles_nobody_settled_are_said_before_asking_to_replace_the_file(
    qtbot, window, tmp_path, monkeypatch
):
    """The dialog asked "Replace it with this export?" first; the user agreed, and only then,
    in a report after the dialog had closed, came the refusal."""
    store = window.store
    article = window.current.id
    for who in ("ana", "ben"):
        store.start_article(article, who)
        store.set_status(article, who, "done")
    out = tmp_path / "corpus.jsonl"
    out.write_text("yesterday's dataset\n")
    asked = replace_questions(monkeypatch)
    dialog = dialog_writing_to(qtbot, window, out)
    dialog.accept()
    warning = next(box for box in dialog.findChildren(QMessageBox) if box.isVisible())
    assert "versions by several annotators" in warning.text()
    assert "tick Leave out articles nobody settled" in warning.text()
    assert asked == [] and dialog.isVisible() and dialog.chosen is None
    assert out.read_text() == "yesterday's dataset\n"
    warning.close()
    # one annotator's work has nothing to settle: asked to replace, as before
    dialog.who_box.setCurrentIndex(dialog.who_box.findData("ben"))
    dialog.accept()
    assert asked == [out]


def test_nothing_to_export_asks_nothing_of_the_file_there(qtbot, window, tmp_path, monkeypatch):
    """Articles: flagged, none is: asked "Replace it with this export?", the user agreed, and
    the report said nothing was written, the file left as it was."""
    out = tmp_path / "exists.jsonl"
    out.write_text("yesterday's dataset\n")
    asked = replace_questions(monkeypatch)
    dialog = dialog_writing_to(qtbot, window, out)
    dialog.status_box.setCurrentIndex(dialog.status_box.findData("flagged"))
    dialog.accept()
    assert asked == [] and not dialog.isVisible() and dialog.chosen.status == "flagged"
    # something to write: asked, as before
    window.store.set_status(window.current.id, "ana", "flagged")
    dialog = ExportDialog(window, dialog.chosen)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert asked == [out]


def test_nothing_to_export_into_a_folder_not_empty_is_not_refused(qtbot, window, tmp_path):
    """brat into a folder holding a file, with no article flagged: refused, "remove it",
    for an export that would write nothing; the report says the folder is left as it is."""
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "notes.txt").write_text("kept\n", encoding="utf-8")
    dialog = dialog_writing_to(qtbot, window, folder)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("brat"))
    dialog.out_text.setText(str(folder))
    dialog.status_box.setCurrentIndex(dialog.status_box.findData("flagged"))
    dialog.accept()
    assert dialog.chosen is not None and not dialog.isVisible()
    # something to write: refused, as before
    window.store.set_status(window.current.id, "ana", "flagged")
    dialog = ExportDialog(window, dialog.chosen)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    box = next(b for b in dialog.findChildren(QMessageBox) if b.isVisible())
    assert "not an empty folder" in box.text() and dialog.chosen is None


def replace_questions(monkeypatch) -> list[Path]:
    """The files the dialog asks to replace from now on (answered no)."""
    asked: list[Path] = []
    monkeypatch.setattr(ExportDialog, "_may_replace", lambda self, path: asked.append(path))
    return asked


def dialog_writing_to(qtbot, window, out: Path) -> ExportDialog:
    """File → Export…, shown, with ``out`` typed under Write to."""
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.out_text.setText(str(out))
    return dialog


def test_articles_nobody_annotated_are_left_out_of_conll_and_said_in_the_windows_words(
    qtbot, window, tmp_path
):
    """Articles: all wrote CoNLL's articles nobody annotated all O (texts without any
    entity); doccano's report now says how to leave them out, as the dialog offers it."""
    from annotator.ui.export_dialog import ExportOptions, start_export

    for name, out in (("conll", "all.conll"), ("doccano", "all.jsonl")):
        window.last_export_report = None
        start_export(window, ExportOptions(out=tmp_path / out, format_name=name, status="all"))
        qtbot.waitUntil(lambda: window.last_export_report is not None, timeout=60_000)
        (report,) = message_boxes(window)
        shown = report.informativeText()
        report.close()
        if name == "conll":
            assert "nobody annotated left out: CoNLL has no tag" in shown
            assert not (tmp_path / out).exists()  # nothing else to write
        else:
            assert "(Articles: done leaves them out)" in shown and "--" not in shown


def test_labels_outside_the_scheme_are_said_with_the_windows_labels_dialog(qtbot, window, tmp_path):
    """ "(annotator labels DB adopt adds them to the scheme...)" was said in the window."""
    from annotator.core import Span
    from annotator.ui.export_dialog import ExportOptions, start_export

    article = window.current
    window.store.replace_annotations(article.id, "ana", [Span(0, 5, "WEAPON")])
    window.store.set_status(article.id, "ana", "done")
    start_export(window, ExportOptions(out=tmp_path / "out.jsonl"))
    qtbot.waitUntil(lambda: window.last_export_report is not None, timeout=60_000)
    (report,) = message_boxes(window)
    shown = report.informativeText()
    assert "lacks were written: WEAPON 1 (Project → Labels… adopts them into the scheme" in shown
    assert "annotator labels" not in shown and "annotator labels" not in report.detailedText()
