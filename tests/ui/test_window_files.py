"""Import, export, guidelines, settings and start-up, as the window offers them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser

from annotator.storage.errors import ReadOnlyProject
from annotator.ui.dialogs import run_import
from annotator.ui.export_dialog import ExportDialog, ExportOptions, start_export
from annotator.ui.guidelines import show_guidelines
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import show_active


def test_import_runs_in_the_background_and_fills_the_list(qtbot, window, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Clashes in Kidal\n\nJNIM fighters attacked Kidal, officials said.\n"
    )
    (folder / "b.txt").write_text("Drone strike\n\nA drone hit Marib, the Houthis said.\n")
    before = window.article_model.rowCount()
    task = run_import(window, [folder])
    assert task is not None
    assert window.isEnabled()  # the window stays usable while the import runs
    qtbot.waitUntil(lambda: window.article_model.rowCount() == before + 2, timeout=60_000)
    titles = [row.title for row in window.article_model.rows]
    assert "Clashes in Kidal" in titles and "Drone strike" in titles
    new_id = window.article_model.rows[titles.index("Clashes in Kidal")].id
    assert window.store.suggestions(new_id), "imported articles are pre-annotated"


@pytest.mark.parametrize("gone", ["moved", "deleted", "wal deleted"])
def test_an_import_or_export_never_makes_a_new_project_where_the_windows_was(
    qtbot, window, tmp_path, gone
):
    """With the project moved away while the window was open, File → Import made a new,
    empty project at the old path and consumed the -wal holding the window's edits; with
    the -wal deleted, the import wrote a new one, and both it and the edits were lost."""
    from PySide6.QtWidgets import QMessageBox

    window.done_and_next()  # an edit, still in the -wal
    path = window.store.path
    if gone == "moved":
        (tmp_path / "archive").mkdir()
        path.rename(tmp_path / "archive" / path.name)
    elif gone == "deleted":
        path.unlink()
    else:
        Path(f"{path}-wal").unlink()
    (tmp_path / "a.txt").write_text("Clashes in Kidal\n\nJNIM fighters attacked Kidal.\n")
    assert run_import(window, [tmp_path / "a.txt"]) is None
    out = tmp_path / "out.jsonl"
    assert start_export(window, ExportOptions(out=out, format_name="jsonl")) is None
    said = [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert said and all("nothing was done" in text for text in said)
    assert path.exists() == (gone == "wal deleted")  # nothing made in its place
    assert not Path(f"{path}-wal").exists() or gone != "wal deleted"
    assert not out.exists()


def test_export_runs_in_the_background_and_reports(qtbot, window, tmp_path):
    window.done_and_next()  # the first article, with its three suggestions kept, is done
    out = tmp_path / "dataset.jsonl"
    start_export(window, ExportOptions(out=out, format_name="jsonl", annotator="ana"))
    qtbot.waitUntil(lambda: window.last_export_report is not None, timeout=30_000)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 1
    assert {span["label"] for span in records[0]["spans"]} == {"FACTION", "LOCATION"}
    assert window.last_export_report.article_count == 1


def test_export_dialog_turns_choices_into_options(qtbot, window, tmp_path):
    window.done_and_next()
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    dialog.who_box.setCurrentIndex(dialog.who_box.findData("ana"))
    dialog.split_check.setChecked(True)
    dialog.out_text.setText(str(tmp_path / "corpus"))
    options = dialog.options()
    assert options.format_name == "spacy" and options.annotator == "ana" and not options.gold
    assert options.split == (0.8, 0.1, 0.1)
    assert options.out == tmp_path / "corpus"


def test_guidelines_open_beside_the_window(qtbot, window):
    dialog = show_guidelines(window)
    assert dialog.isVisible() and not dialog.isModal()
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "LOCATION" in text and "FACTION" in text and "CLAIM" in text


def test_the_projects_own_guidelines_come_first_in_f1(qtbot, window, tmp_path, capsys):
    """A team's WEAPON and CASUALTY rules could live only in a label's one-line tooltip: F1
    showed the program's guidelines, always."""
    from annotator.cli import main

    rules = tmp_path / "team.md"
    rules.write_text("# Our rules\n\nWEAPON: a named weapon system.\n", encoding="utf-8")
    path = str(window.store.path)
    assert main(["guidelines", path, "--set", str(rules)]) == 0
    assert "the project's guidelines: 44 characters" in capsys.readouterr().out
    assert main(["guidelines", path]) == 0 and "WEAPON: a named" in capsys.readouterr().out
    text = show_guidelines(window).findChild(QTextBrowser).toPlainText()
    assert text.startswith("Our rules") and "WEAPON: a named weapon system." in text
    assert "The program's guidelines" in text and "CLAIM" in text
    assert main(["guidelines", path, "--clear"]) == 0
    text = show_guidelines(window).findChild(QTextBrowser).toPlainText()  # shown again
    assert "Our rules" not in text and "CLAIM" in text
    assert main(["guidelines", path, "--set", str(tmp_path / "none.md")]) == 1
    assert "none.md: No such file" in capsys.readouterr().err


def test_window_layout_is_remembered(qtbot, project):
    first = MainWindow(project, "ana")
    qtbot.addWidget(first)
    first.resize(760, 560)  # the offscreen screen is 800 x 600
    show_active(qtbot, first)
    first.splitter.setSizes([180, 380, 200])
    sizes = first.splitter.sizes()
    first.close()  # saves geometry and splitter to QSettings
    second = MainWindow(project, "ana")
    qtbot.addWidget(second)
    second.restore_layout(QSettings())
    show_active(qtbot, second)
    assert (second.width(), second.height()) == (760, 560)
    assert second.splitter.sizes() == sizes


def test_main_opens_the_window_as_the_annotator_given_and_remembers_no_name(qtbot, project):
    from annotator.ui.app import APPLICATION, ORGANIZATION, main

    QCoreApplication.setOrganizationName(ORGANIZATION)  # the settings main() reads
    QCoreApplication.setApplicationName(APPLICATION)
    QSettings().setValue("annotator/name", "ana")  # asked on the first start

    def close_when_shown():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                assert widget.annotator == "rima"
                widget.close()
                return
        QTimer.singleShot(50, close_when_shown)

    QTimer.singleShot(50, close_when_shown)
    assert main(["annotator", str(project.path), "--annotator", "rima"]) == 0
    assert QSettings().value("annotator/name") == "ana"  # rima was for that session only


def test_the_first_start_asks_the_name_and_remembers_it(qtbot, project, monkeypatch):
    from annotator.ui import app

    monkeypatch.setattr(app, "_ask_name", lambda settings: "zoe")
    opened = []

    def close_when_shown():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                opened.append(widget.annotator)
                widget.close()
                return
        QTimer.singleShot(50, close_when_shown)

    QTimer.singleShot(50, close_when_shown)
    assert app.main(["annotator", str(project.path)]) == 0
    assert opened == ["zoe"] and QSettings().value("annotator/name") == "zoe"


def test_the_reserved_gold_name_is_refused(qtbot, project, capsys):
    from annotator.ui.app import main

    assert main(["annotator", str(project.path), "--annotator", "gold"]) == 1
    assert "gold is the review's version" in capsys.readouterr().err


def test_opening_another_project_switches_the_window(qtbot, window, tmp_path):
    from annotator.core import Article
    from annotator.storage import Store

    other = Store(tmp_path / "other.db")
    other.add_articles([Article("Clashes near Goma.", title="Goma")])
    window.set_store(other)
    assert window.store is other
    assert [row.title for row in window.article_model.rows] == ["Goma"]
    assert window.current.article.title == "Goma"
    assert "other.db" in window.windowTitle()
    assert not window.undo_stack.canUndo()  # edits of the other project cannot be undone here


def test_another_project_opens_unsearched_and_unfiltered(qtbot, window, tmp_path):
    """A search (or a status filter) of the project before hid every article of the next,
    and the window said "This project has no articles yet"."""
    from annotator.core import Article
    from annotator.storage import Store

    window.articles.search_box.setText("zzzq")
    window.articles.status_filter.setCurrentIndex(window.articles.status_filter.count() - 1)
    qtbot.waitUntil(lambda: not window.article_model.rows)
    other = Store(tmp_path / "other.db")
    other.add_articles([Article("Clashes near Goma.", title="Goma")])
    window.set_store(other)
    assert window.articles.search_box.text() == ""
    assert window.articles.status_filter.currentIndex() == 0
    assert [row.title for row in window.article_model.rows] == ["Goma"]
    assert window.current.article.title == "Goma"
    assert "no articles" not in window.statusBar().currentMessage()
    qtbot.wait(300)  # (the search's pending refresh, if any, finds the same)
    assert [row.title for row in window.article_model.rows] == ["Goma"]


def test_a_project_replaced_under_the_window_is_copied_when_left(qtbot, window, tmp_path):
    """Replaced by `mv` while open, the project's -wal stayed and was replayed into the file
    that took its name; now the window's work is copied aside, and the window says where."""
    from annotator.core import Article
    from annotator.storage import Store

    old = window.store
    with Store(tmp_path / "incoming.db") as incoming:
        incoming.add_articles([Article("Clashes near Goma.", title="Goma")])
    (tmp_path / "incoming.db").rename(old.path)
    window.set_store(Store(tmp_path / "next.db"))
    assert old.rescued is not None and old.rescued.exists()
    assert f"every change made here is in {old.rescued}" in window.message_bar.text()
    with Store(old.path) as now_there:
        assert [a.title for a in now_there.iter_articles()] == ["Goma"]


def test_a_project_replaced_under_the_window_is_copied_aside_at_the_next_look(
    qtbot, window, tmp_path
):
    """Replaced by `mv` while the window stayed open, a command run on the path had the
    window's -wal replayed into the new file; the window's half-second look now copies its
    work aside at once, says where, and shows that copy read-only."""
    from annotator.core import Article
    from annotator.storage import Store

    store = window.store
    titles = [row.title for row in window.article_model.rows]
    window.store.set_status(window.current.id, window.annotator, "done")  # a write of its own
    with Store(tmp_path / "incoming.db") as incoming:
        incoming.add_articles([Article("Clashes near Goma.", title="Goma")])
    (tmp_path / "incoming.db").rename(store.path)
    window.watcher.poll()
    assert store.rescued is not None and store.rescued.exists()
    shown = window.message_bar.text()
    assert f"every change made here is in {store.rescued}" in shown
    assert "The window shows that copy now, read-only" in shown
    assert "(read-only)" in window.windowTitle()
    assert [row.title for row in window.article_model.rows] == titles
    # Nothing to undo in the copy (Undo stayed on, each step refused), and an edit refused
    # names the copy, not the file no longer there ("r1.db is open read-only").
    assert not window.undo_stack.canUndo()
    with pytest.raises(ReadOnlyProject) as refused:
        store.set_status(window.current.id, window.annotator, "todo")
    assert str(refused.value).startswith(f"{store.rescued} is open read-only (a copy of ")
    with Store(store.path) as now_there:  # another program, the window still open
        assert [a.title for a in now_there.iter_articles()] == ["Goma"]


def test_a_rescue_the_review_window_made_first_is_said_in_both_windows(qtbot, window, tmp_path):
    """The review's own look made the copy, and nothing listened: neither window said so,
    and the title stayed "project.db"; the first edit learnt it."""
    from annotator.core import Article
    from annotator.storage import Store
    from annotator.ui.review_window import open_review_window

    store = window.store
    window.store.set_status(window.current.id, window.annotator, "done")  # a write of its own
    review = open_review_window(window)
    with Store(tmp_path / "incoming.db") as incoming:
        incoming.add_articles([Article("Clashes near Goma.", title="Goma")])
    (tmp_path / "incoming.db").rename(store.path)
    review.follower.watcher.poll()
    assert store.rescued is not None
    assert f"every change made here is in {store.rescued}" in review.message_bar.text()
    window.watcher.poll()
    assert f"every change made here is in {store.rescued}" in window.message_bar.text()
    assert window.windowTitle().startswith(f"{store.rescued.name} (read-only)")
    review.close()


def test_the_review_opened_after_switching_project_is_the_new_projects(qtbot, window, tmp_path):
    """The old project's review window, closed, was found again and shown: on a closed
    project, its undo history with it."""
    from annotator.core import Article
    from annotator.storage import Store
    from annotator.ui.review_window import open_review_window

    old = open_review_window(window)
    assert old.store is window.store
    other = Store(tmp_path / "other.db")
    other.add_articles([Article("Clashes near Goma.", title="Goma")])
    window.set_store(other)
    review = open_review_window(window)
    assert review is not old and review.store is other
    review.close()


def test_the_public_handles_of_the_window_are_kept(window):
    """DESIGN.md's handles: object names and default keys that outside checks rely on."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QPlainTextEdit

    view = window.findChild(QPlainTextEdit, "articleView")
    assert view is window.view and view.isReadOnly()
    keys = {
        "actionNext": ["N", "PgDown"],
        "actionPrevious": ["P", "PgUp"],
        "actionDone": ["Return", "Enter"],
        "actionSkip": ["S"],
        "actionUndo": ["Ctrl+Z"],
        "actionRedo": ["Ctrl+Shift+Z", "Ctrl+Y"],
        "actionDeleteSpan": ["Del", "Backspace"],
        "actionLabel_LOCATION": ["1"],
        "actionLabel_FACTION": ["2"],
        "actionLabel_CLAIM": ["3"],
        "actionExport": ["Ctrl+Shift+E"],
        "actionReview": ["Ctrl+R"],
    }
    for name, expected in keys.items():
        action = window.findChild(QAction, name)
        assert action is not None, name
        assert action.shortcuts() == [QKeySequence(key) for key in expected], name


def test_the_project_dialog_takes_a_new_name_and_its_button_says_open(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    from annotator.ui.dialogs import project_dialog

    dialog = project_dialog(None)
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave  # a new name creates one
    dialog.show()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    assert [b.text() for b in buttons.buttons()] == ["Open", "Cancel"]


@pytest.mark.parametrize("answer", ["Create", "Cancel"])
def test_a_project_name_not_there_is_created_only_when_asked_to(qtbot, tmp_path, answer):
    """A name typed wrong in File → Open project opened a new, empty project, unasked, and
    left it behind."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.dialogs import may_create_project

    asked = []

    def answer_when_shown():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_when_shown)
            return
        asked.append((box.objectName(), box.text()))
        next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(20, answer_when_shown)
    path = tmp_path / "sampel.db"
    assert may_create_project(None, path) is (answer == "Create")
    assert asked == [("newProjectBox", f"There is no project sampel.db in {tmp_path}.")]
    assert not path.exists()  # (made only once the window opens it)


def test_open_project_asks_before_it_makes_one_and_opens_one_there_unasked(
    tmp_path, project, monkeypatch
):
    from annotator.ui import dialogs

    class Chosen:  # the file dialog, answered
        def __init__(self, name):
            self.name = name

        def exec(self):
            return 1

        def selectedFiles(self):  # noqa: N802 - Qt's name
            return [str(self.name)]

    asked = []
    monkeypatch.setattr(dialogs, "may_create_project", lambda p, path: asked.append(path))
    monkeypatch.setattr(dialogs, "project_dialog", lambda parent: Chosen(tmp_path / "typo"))
    assert dialogs.choose_project(None) is None and asked == [tmp_path / "typo.db"]
    monkeypatch.setattr(dialogs, "project_dialog", lambda parent: Chosen(tmp_path / "syria_v1.2"))
    assert dialogs.choose_project(None) is None and asked[-1] == tmp_path / "syria_v1.2.db"
    asked.pop()
    monkeypatch.setattr(dialogs, "project_dialog", lambda parent: Chosen(project.path))
    assert dialogs.choose_project(None) == project.path and len(asked) == 1


def test_a_first_start_without_a_name_says_why_it_stops(qtbot, project, monkeypatch, capsys):
    """Esc at the question ended `make run` with nothing but make's own error."""
    from annotator.ui import app

    monkeypatch.setattr(app, "_ask_name", lambda settings: None)
    assert app.main(["annotator", str(project.path)]) == 1
    assert "no name given" in capsys.readouterr().err


def test_the_first_start_question_says_cancel_quits(qtbot, project, monkeypatch, capsys):
    """Started from a desktop menu, the reason printed on stderr after Cancel is read by no
    one: the question says it before."""
    from annotator.ui import app

    asked = []

    def answer(parent, title, label, text=""):
        asked.append(label)
        return ("", False) if len(asked) > 1 else ("  ", True)  # a blank name, then Cancel

    monkeypatch.setattr(app.QInputDialog, "getText", answer)
    monkeypatch.setattr(app.QSettings, "value", lambda self, key, default=None: default)
    assert app.main(["annotator", str(project.path)]) == 1
    assert len(asked) == 2
    assert all("Cancel quits" in question for question in asked)
    assert asked[1].startswith("Not that name")


def test_open_project_on_a_file_that_cannot_be_opened_says_why(
    qtbot, window, tmp_path, monkeypatch
):
    """A traceback on the terminal, and the window as it was, without a word."""
    from annotator.ui import dialogs, main_actions

    other = tmp_path / "notes.db"
    other.write_text("not a project\n" * 10)
    monkeypatch.setattr(dialogs, "choose_project", lambda parent: other)
    before = window.store
    main_actions._open_project(window)  # noqa: SLF001 - File → Open project, the file chosen
    assert window.store is before
    assert window.message_bar.text().startswith("Not opened: ")
    assert "notes.db" in window.message_bar.text()


def test_opening_an_empty_project_shows_none_of_the_last_ones_article(qtbot, window, tmp_path):
    """The text, heading and spans of the sample's article stayed under the new title."""
    from annotator.storage import Store

    assert window.view.toPlainText() and window.span_model.rowCount()
    window.show_problem("project.db is no longer there: open the project again")
    window.set_store(Store(tmp_path / "mine.db"))
    assert window.message_bar.text() == ""  # the old project's trouble is not this one's
    assert "mine.db" in window.windowTitle()
    assert window.view.toPlainText() == ""
    assert window.span_model.rowCount() == 0
    assert window.title_label.text() == ""
    assert "no articles yet" in window.statusBar().currentMessage()
    # and opening one with articles after it: the message stayed, beside "1 / 18 done"
    window.set_store(Store(project_path_of(window, tmp_path)))
    assert "no articles yet" not in window.statusBar().currentMessage()


def project_path_of(window, tmp_path):
    """A project with an article, made beside ``tmp_path``."""
    from annotator.core import Article
    from annotator.storage import Store

    path = tmp_path / "full.db"
    with Store(path) as store:
        store.add_articles([Article("Rebels shelled Idlib on Monday.")])
    return path


def test_open_project_on_an_older_project_says_it_was_upgraded(
    qtbot, window, monkeypatch, older_project
):
    """Upgraded without a word, a copy of the old file made beside it."""
    from annotator.ui import dialogs, main_actions

    monkeypatch.setattr(dialogs, "choose_project", lambda parent: older_project)
    main_actions._open_project(window)  # noqa: SLF001 - File → Open project, the file chosen
    assert window.statusBar().currentMessage() == (
        f"{older_project}: upgraded to this version's format (older versions of the program no "
        "longer open it); "
        "the file as it was: older.db.before-0002_preannotated.bak"
    )
