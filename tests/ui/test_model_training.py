"""Model → Train…: the window trains in a process of its own and shows the held-out scores;
Cancel kills it and leaves the project as it was; an error is one line; Adopt re-suggests
the untouched articles only; training automatically starts after N newly done articles."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.nlp.training import current_model, list_models, train_project
from annotator.storage import Store
from annotator.ui import model_runner
from annotator.ui.model_dialog import show_train_dialog
from annotator.ui.training_choices import BASE_SETTING
from tests.training.conftest import article_text, make_project
from tests.ui.conftest import closing_asks_then_stops, show_active

OLD_MODEL = "old-pipeline-1.0+rules-5"
TRAINING_MS = 120_000  # a tiny base trains in seconds; the machine may be busy


def dump(path: Path) -> list[str]:
    """Everything the project file holds, read on a connection of its own (but the seconds
    of reading the window counts on its own)."""
    with sqlite3.connect(path) as connection:
        lines = [line for line in connection.iterdump() if '"article_status"' not in line]
        statuses = connection.execute(
            "SELECT article_id, annotator, status FROM article_status ORDER BY 1, 2"
        )
        return lines + [repr(row) for row in statuses]


@pytest.fixture
def trained_project(tmp_path) -> Path:
    """20 articles done by ``ann``, 4 nobody opened; every article suggested by an old
    model, so that a re-suggestion shows."""
    path = make_project(tmp_path / "project.db", done=20, untouched=4)
    with Store(path) as store:
        ids = store.article_ids()
        store.add_suggestions([(i, article_text(k)[1]) for k, i in enumerate(ids)], OLD_MODEL)
    return path


@pytest.fixture
def open_window(qtbot):
    windows = []

    def make(path: Path, annotator: str = "ann"):
        from annotator.ui.main_window import MainWindow

        window = MainWindow(Store(path), annotator)
        qtbot.addWidget(window)
        show_active(qtbot, window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.store.close()


def start_training(window, base: Path):
    dialog = show_train_dialog(window)
    dialog.set_base(str(base))
    dialog.train_button.click()
    return dialog


def test_the_model_menu_offers_training_and_the_panel(window):
    texts = [a.text().replace("&", "") for a in window.menus["&Model"].actions() if a.text()]
    assert texts[0] == "Train…"
    assert "Train automatically after every N newly done articles…" in texts
    assert "Model panel" in texts
    assert not window.model_panel.is_shown()  # hidden until asked for
    assert not window.named_actions["actionCancelTraining"].isEnabled()


def test_the_dialog_says_the_scoring_stages_count_characters(window):
    """The worker counts the held-out articles' characters as it scores (by article, one
    long article held "Scoring the current model… 1 of 2" at 50 % for 25 s)."""
    dialog = show_train_dialog(window)
    window.model_training.progressed.emit("scoring the current model", 20_000, 250_112)
    assert dialog.stage.text() == "Scoring the current model… 20,000 of 250,112 characters"
    assert dialog.progress.value() * 250_112 == 20_000 * dialog.progress.maximum()
    window.model_training.progressed.emit("training", 12, 90)
    assert dialog.stage.text() == "Training… 12 of 90"
    dialog.close()


@pytest.mark.slow  # trains for a few seconds
def test_the_window_trains_in_the_background_and_shows_the_scores(
    qtbot, open_window, trained_project, tiny_base
):
    window = open_window(trained_project)
    # (Reading time is the window's to keep, not the training's: a second on the first
    # article, on a loaded machine, wrote a status row and failed the comparison below.)
    window.clock.stop()
    before = dump(trained_project)
    dialog = start_training(window, tiny_base)
    assert window.model_training.is_running()
    assert window.named_actions["actionCancelTraining"].isEnabled()
    # The window works meanwhile: the training is another process.
    qtbot.waitUntil(
        lambda: "training" in window.model_training.status.label.text(), timeout=TRAINING_MS
    )
    assert dialog.stage.isVisible() and dialog.cancel_button.isVisible()
    shown = window.current.id
    window.next_article()
    assert window.current.id != shown
    assert window.model_training.is_running()

    qtbot.waitUntil(dialog.result_view.isVisible, timeout=TRAINING_MS)
    result = window.model_training.latest
    table = dialog.result_view.table
    new_f1 = result["scores"]["LOCATION"]["exact"]["f1"]
    old_f1 = result["current_scores"]["LOCATION"]["exact"]["f1"]
    assert table.cell_text("LOCATION", "exact", "New F1") == f"{new_f1:.2f}"
    assert table.cell_text("LOCATION", "exact", "Current F1") == f"{old_f1:.2f}"
    assert table.cell_text("FACTION", "overlap", "New P") == (
        f"{result['scores']['FACTION']['overlap']['precision']:.2f}"
    )
    verdict = dialog.result_view.verdict_label.text()
    assert verdict.startswith("v1 is ") and "mean exact F1 over LOCATION and FACTION" in verdict
    details = dialog.result_view.details.text()
    assert f"Learned from {result['train_articles']} finished articles" in details
    assert f"{result['held_out_articles']} held out" in details and "Training took" in details
    assert dialog.result_view.adopt_button.isEnabled()
    assert not window.named_actions["actionCancelTraining"].isEnabled()
    # Saved beside the project, not adopted: the project's data is as it was, but for the
    # choices remembered for the next training.
    with Store(trained_project) as store:
        assert [m.version for m in list_models(store)] == [1]
        assert current_model(store) is None
        assert store.setting(BASE_SETTING) == str(tiny_base)
    changed = set(dump(trained_project)) ^ set(before)
    assert changed and all('INSERT INTO "settings"' in line for line in changed)
    # The Model panel lists it and says that no version is adopted (not "no model yet").
    window.named_actions["actionShowModelPanel"].trigger()
    panel = window.model_panel
    assert panel.version_table.rowCount() == 1
    assert panel.current_label.text().startswith("No trained version adopted")


@pytest.mark.slow  # trains for a few seconds
def test_adopt_resuggests_untouched_articles_only_and_the_status_bar_names_the_model(
    qtbot, open_window, trained_project, tiny_base
):
    window = open_window(trained_project)
    store = window.store
    untouched = [i for i in store.article_ids() if not store.started(i, "ann")]
    window.open_article(untouched[0])  # read, not started: it will be suggested again
    assert window.model_label.text() == f"Suggestions: {OLD_MODEL}"
    dialog = start_training(window, tiny_base)
    qtbot.waitUntil(dialog.result_view.isVisible, timeout=TRAINING_MS)
    name = window.model_training.latest["name"]
    with qtbot.waitSignal(window.model_training.adopted, timeout=TRAINING_MS):
        dialog.result_view.adopt_button.click()
        # In the worker process, so the window goes on; the status bar says what it does.
        assert "Adopting v1" in window.model_training.status.label.text()
    with Store(trained_project) as store:
        assert current_model(store).version == 1
        models = {i: store.suggestion_model(i) for i in store.article_ids()}
    assert {models[i] for i in untouched} == {name}
    assert {m for i, m in models.items() if i not in untouched} == {OLD_MODEL}
    assert window.current.id == untouched[0]
    assert window.model_label.text() == f"Suggestions: {name}"
    assert "v1 is the project's model now: 4 untouched articles" in (
        dialog.result_view.adopted_label.text()
    )
    assert not dialog.result_view.adopt_button.isEnabled()


def test_adopting_a_folder_that_is_no_pipeline_says_so_and_changes_nothing(
    qtbot, open_window, trained_project, tmp_path
):
    window = open_window(trained_project)
    before = dump(trained_project)
    folder = tmp_path / "v7"
    folder.mkdir()
    with qtbot.waitSignal(window.model_training.adoptionFailed, timeout=TRAINING_MS):
        window.model_training.adopt({"model": str(folder)})
    message = window.message_bar.text()
    assert message.startswith("Adopting v7: ") and str(folder) in message
    assert "\n" not in message and "Traceback" not in message
    assert window.model_training.adopting is None
    assert window.model_label.text() == f"Suggestions: {OLD_MODEL}"
    assert dump(trained_project) == before


def test_adopting_a_result_judged_against_a_model_since_replaced_asks_first(
    qtbot, open_window, trained_project, tmp_path
):
    """The Train dialog's result, judged against the suggestions of its day; the command
    line adopted v2 meanwhile: Adopt anyway replaced v2 with v1 without a word."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from annotator.nlp.training.registry import MODEL_SETTING
    from annotator.ui.model_training import COMPARED_WITH

    window = open_window(trained_project)
    training = window.model_training
    folder = tmp_path / "v1"
    folder.mkdir()
    result = {"model": str(folder), COMPARED_WITH: window.store.setting(MODEL_SETTING)}
    window.store.set_setting(MODEL_SETTING, "project.models/v2")  # adopted elsewhere since
    training.adopt(result)
    assert training.adopting is None  # nothing started: asked first
    box = window.findChild(QMessageBox, "adoptStale")
    assert box is not None and box.isVisible()
    assert "Since v1 was trained, v2 became the project's model" in box.text()
    with qtbot.waitSignal(training.adoptionFailed, timeout=TRAINING_MS):
        box.findChild(QPushButton, "adoptAnyway").click()  # (a folder that is no pipeline)
    assert window.store.setting(MODEL_SETTING) == "project.models/v2"


@pytest.mark.slow  # trains for a few seconds
def test_cancelling_an_adoption_leaves_the_project_unchanged(
    qtbot, open_window, trained_project, tiny_base, tmp_path
):
    with Store(trained_project) as store:
        saved = train_project(store, base=str(tiny_base), out=tmp_path / "v9", adopt=False)
    window = open_window(trained_project)
    before = dump(trained_project)
    training = window.model_training
    training.adopt({"model": str(saved.model_dir)})
    assert training.status.isVisible() and "Adopting v9" in training.status.label.text()
    with qtbot.waitSignal(training.adoptionFailed, timeout=10_000):
        training.cancel()
    assert training.adopting is None and not training.status.isVisible()
    assert "Adopting v9 cancelled; the project is unchanged" in window.statusBar().currentMessage()
    assert dump(trained_project) == before
    assert window.model_label.text() == f"Suggestions: {OLD_MODEL}"


@pytest.mark.slow  # starts the worker
def test_cancel_kills_the_training_and_leaves_the_project_unchanged(
    qtbot, open_window, trained_project, tiny_base
):
    window = open_window(trained_project)
    before = dump(trained_project)
    dialog = start_training(window, tiny_base)
    run = window.model_training.run
    qtbot.waitUntil(lambda: run.stage == "training", timeout=TRAINING_MS)
    pid = run.process.processId()
    # As the worker leaves a model it was saving when killed (20 MB, kept for an hour):
    half_saved = trained_project.with_name("project.models") / f".training-{pid}-x1y2"
    half_saved.mkdir(parents=True)
    (half_saved / "model").write_bytes(b"\0" * 1000)
    # ... and the version it has just put in place, cancelled before it said so (it stayed,
    # listed as saved, while the window said the project was as it was); not one copied in.
    from datetime import UTC, datetime

    from annotator.nlp.training.registry import COPIED_FROM

    now = datetime.now(UTC).isoformat(timespec="seconds")
    for name, extra in (("v1", {}), ("v2", {COPIED_FROM: {"path": "/elsewhere"}})):
        (half_saved.parent / name).mkdir()
        meta = {"name": "project_model", "annotator": {"trained_at": now}, **extra}
        (half_saved.parent / name / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with qtbot.waitSignal(window.model_training.cancelled, timeout=10_000):
        dialog.cancel_button.click()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not half_saved.exists()
    assert sorted(p.name for p in half_saved.parent.iterdir()) == ["v2"]
    assert not window.model_training.is_running()
    assert dialog.error.text() == "Cancelled: the project is as it was."
    assert not dialog.result_view.isVisible() and dialog.train_button.isEnabled()
    assert dump(trained_project) == before


def test_closing_the_window_while_training_asks_first(
    qtbot, open_window, trained_project, tiny_base, monkeypatch
):
    """Ctrl+Q threw away a training under way without a word."""
    window = open_window(trained_project)
    dialog = start_training(window, tiny_base)
    dialog.close()
    run = window.model_training.run
    qtbot.waitUntil(lambda: run.stage != "", timeout=TRAINING_MS)
    closing_asks_then_stops(window, monkeypatch, "A training", window.model_training.is_running)


def test_a_training_error_shows_one_line(qtbot, open_window, tmp_path, tiny_base):
    window = open_window(make_project(tmp_path / "few.db", done=3, untouched=9))
    dialog = start_training(window, tiny_base)
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=TRAINING_MS)
    message = dialog.error.text()
    assert message.startswith("too few finished articles to train on: 3")
    assert "at least 10 are needed (8 to learn from and 2 to score on): mark 7 more" in message
    assert "\n" not in message and "Traceback" not in message
    assert dialog.error.isVisible() and not dialog.result_view.isVisible()
    assert dialog.train_button.isEnabled()


def test_a_read_only_project_is_not_trained_it_could_not_adopt_the_model(
    qtbot, open_window, trained_project, tiny_base
):
    """It trained for a minute, wrote a model beside the project, then refused Adopt."""
    trained_project.chmod(0o444)
    try:
        window = open_window(trained_project)
        assert window.store.read_only
        dialog = show_train_dialog(window)
        assert not dialog.train_button.isEnabled()
        assert dialog.error.isVisible() and "project is read-only" in dialog.error.text()
        assert window.model_training.start("", str(tiny_base)) is None
        assert window.model_training.run is None
        assert not trained_project.with_name("project.models").exists()
    finally:
        trained_project.chmod(0o644)


def test_a_crashed_training_shows_its_last_line_not_the_trace(
    qtbot, open_window, trained_project, monkeypatch
):
    crash = "import sys; sys.stderr.write('Traceback (most recent call last):\\n  File x\\n'); raise MemoryError('out of memory')"  # noqa: E501
    monkeypatch.setattr(model_runner, "worker_command", lambda: (sys.executable, ["-c", crash]))
    window = open_window(trained_project)
    dialog = show_train_dialog(window)
    dialog.close()  # no dialog: the message bar says it
    window.model_training.start()
    qtbot.waitUntil(lambda: not window.model_training.is_running(), timeout=30_000)
    message = window.model_training.last_error
    assert message == (
        "the training process failed (exit status 1): MemoryError: out of memory; "
        "the project is as it was"
    )
    assert window.message_bar.text() == f"Training: {message}"


@pytest.mark.slow  # trains for a few seconds
def training_automatically(open_window, path: Path, every: int):
    """(A window on ``path`` training automatically after every ``every`` done articles,
    the articles "ann" has not started.)"""
    window = open_window(path)
    assert window.model_training.set_auto_every(every)
    todo = [i for i in window.store.article_ids() if not window.store.started(i, "ann")]
    return window, todo


def test_training_automatically_starts_after_n_done_and_never_adopts(
    qtbot, open_window, tmp_path, tiny_base
):
    path = make_project(tmp_path / "auto.db", done=18, untouched=4)
    with Store(path) as store:
        store.set_setting(BASE_SETTING, str(tiny_base))
    window, todo = training_automatically(open_window, path, every=2)
    training = window.model_training
    assert window.named_actions["actionAutoTrain"].isChecked()
    assert "after every 2 newly done" in window.named_actions["actionAutoTrain"].text()
    window.open_article(todo[0])
    window.done_and_next()
    assert not training.is_running()  # one newly done of two
    assert training.newly_done() == 1
    window.open_article(todo[1])
    window.done_and_next()
    assert training.is_running() and training.automatic
    assert training.run.request.base == str(tiny_base)
    with qtbot.waitSignal(training.succeeded, timeout=TRAINING_MS):
        pass
    # Not modal and not adopted: the scores wait in the Model panel, with Adopt.
    panel = window.model_panel
    assert panel.is_shown() and panel.latest_box.isVisible()
    assert panel.latest_view.adopt_button.isEnabled()
    assert panel.latest_view.table.rowCount() == 6
    assert current_model(window.store) is None
    assert training.newly_done() == 0
    assert window.model_training.dialog is None


def test_automatic_training_waits_quietly_until_enough_articles_are_done(
    qtbot, open_window, tmp_path
):
    """With too few done, each Enter started a worker that said so in the yellow bar."""
    window, todo = training_automatically(
        open_window, make_project(tmp_path / "few.db", done=3, untouched=4), every=1
    )
    training = window.model_training
    window.open_article(todo[0])
    window.done_and_next()
    assert training.newly_done() == 1
    assert not training.is_running() and not window.message_bar.isVisible()


def test_automatic_training_waits_while_another_window_trains_the_project(
    qtbot, open_window, tmp_path
):
    """Three windows on one project, training automatically: two trainings ran at once."""
    from annotator.nlp.training.model_folders import one_training

    window, todo = training_automatically(
        open_window, make_project(tmp_path / "shared.db", done=18, untouched=4), every=1
    )
    training = window.model_training
    with one_training(window.store.path):  # another window's, running
        window.open_article(todo[0])
        window.done_and_next()
        assert not training.is_running()
        assert training.newly_done() == 1  # not claimed: the next edit looks again


def test_the_train_dialog_says_which_labels_it_learns(qtbot, open_window, trained_project):
    """A lead's WEAPON and SOURCE were absent from the scores without a word."""
    from annotator.core.model import Label
    from annotator.storage import Store

    with Store(trained_project) as store:
        store.save_label(Label("WEAPON", "entity", "#000000"))
    window = open_window(trained_project)
    dialog = show_train_dialog(window)
    hint = dialog.hint.text()
    assert hint.startswith("It learns LOCATION and FACTION, and where CLAIM spans begin")
    assert "SOURCE keeps the rules' suggestions; WEAPON is suggested by nothing" in hint
    dialog.close()


def test_a_base_that_is_no_pipeline_is_said_in_the_windows_words(qtbot, open_window, tmp_path):
    """ "Training: --base: cannot load spaCy pipeline ...": the window's user chose Start
    from, and never typed --base."""
    window = open_window(make_project(tmp_path / "p.db", done=12, untouched=2))
    (tmp_path / "not-a-pipeline").mkdir()
    dialog = start_training(window, tmp_path / "not-a-pipeline")
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=TRAINING_MS)
    message = dialog.error.text()
    assert message.startswith("Start from") and "--base" not in message


def test_the_train_dialog_says_what_it_leaves_out_of_the_done_articles(
    qtbot, open_window, trained_project
):
    """It said "(13 done)", and after the training that 2 of them, finished by two
    annotators and settled by nobody, were left out."""
    from annotator.storage import Store

    with Store(trained_project) as store:
        done = store.done_count()
        article = store.article_ids()[0]
        store.start_article(article, "bea")
        store.set_status(article, "bea", "done")
    window = open_window(trained_project)
    dialog = show_train_dialog(window)
    said = dialog.source.itemText(0)
    assert f"({done} done; 1 not settled between annotators, left out)" in said
    dialog.close()


def test_a_long_learn_from_entry_keeps_the_dialog_within_the_screen(window):
    """'…as Export chooses (4 done; 4 not settled between annotators, left out)' made the
    dialog 1,295 px wide at least, past a 1280-px screen scaled 150 %: cut in the box now,
    whole in its tooltip and in the list it opens."""
    from PySide6.QtCore import Qt

    from annotator.core.model import Span

    store = window.store
    for article in store.article_ids():
        for name, end in (("ana", 6), ("ben", 7)):  # done apart, settled by nobody
            store.replace_annotations(article, name, [Span(0, end, "FACTION")])
            store.set_status(article, name, "done")
    dialog = show_train_dialog(window)
    entry = dialog.source.itemText(0)
    assert "not settled between annotators" in entry
    room = dialog.screen().availableGeometry()
    assert dialog.source.fontMetrics().horizontalAdvance(entry) > room.width() * 0.6
    assert dialog.minimumSizeHint().width() <= room.width() * 0.6
    assert dialog.width() <= room.width()
    assert dialog.source.toolTip() == entry
    assert dialog.source.itemData(0, Qt.ItemDataRole.ToolTipRole) == entry
    dialog.close()
