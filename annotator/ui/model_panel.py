"""The Model panel (Model → Show model panel; hidden until asked for): the project's current
model, the latest training's scores with Adopt, the saved versions (any can be adopted
again, or removed to free its room), and how each version's suggestions are used, per
label and annotator (``model_chart.py``). What it says of the models, and why the versions'
figures do not compare, is ``model_description.py``.

It reads the project only while it is shown, and again a moment after an edit or another
window's change (so marking articles done grows the chart without a cost per keystroke).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.nlp.preannotate import SETTING_NAME
from annotator.nlp.training import ModelError, ModelInfo, current_model, list_models, remove_model
from annotator.nlp.training.data import LEARNED_LABELS
from annotator.nlp.training.registry import folder_bytes
from annotator.storage.usage import suggestion_usage
from annotator.ui.commands import WRITE_ERRORS, failure_message
from annotator.ui.conveniences import confirm_removal
from annotator.ui.model_chart import EACH, EVERYONE, UsageChart, usage_sections
from annotator.ui.model_description import VERSIONS_NOTE, describe_model, when
from annotator.ui.model_scores import TrainingResultView
from annotator.ui.widgets import plain_label, wheel_only_when_focused

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: How long after an edit the chart is read again (edits come in bursts).
REFRESH_MS = 1500


class ModelPanel(QWidget):
    """See the module docstring; docked as ``modelPanel``."""

    VERSION_COLUMNS = ("Version", "Trained", "Articles", *LEARNED_LABELS, "")
    CURRENT = len(VERSION_COLUMNS) - 1  # the column that says which version is current

    def __init__(self, window: MainWindow):
        super().__init__(objectName="modelPanelContents")
        self.main_window = window  # not ``self.window``, which would hide QWidget.window()
        self.training = window.model_training
        self.versions: list[ModelInfo] = []

        self.current_label = plain_label(objectName="currentModel", wordWrap=True)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.latest_box = QGroupBox("Latest training", objectName="latestTraining")
        self.latest_view = TrainingResultView()
        self.latest_view.adoptRequested.connect(self.training.adopt)
        self.latest_view.follow_scheme([label.name for label in window.labels])
        window.labelsReloaded.connect(
            lambda: self.latest_view.follow_scheme([label.name for label in window.labels])
        )
        QVBoxLayout(self.latest_box).addWidget(self.latest_view)

        self.version_table = QTableWidget(0, len(self.VERSION_COLUMNS), objectName="modelVersions")
        self.version_table.setHorizontalHeaderLabels(list(self.VERSION_COLUMNS))
        self.version_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.version_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.version_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.version_table.verticalHeader().setVisible(False)
        self.version_table.verticalHeader().setDefaultSectionSize(22)
        self.version_table.setShowGrid(False)
        header = self.version_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.CURRENT, QHeaderView.ResizeMode.Stretch)
        # Every column stays whole (a date cut to "2…" says nothing): a narrow panel
        # scrolls the table sideways, and its text still wraps.
        self.version_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.version_table.setToolTip(
            "Each version's exact F1 on its own held-out articles (the split grows with the "
            "project, so versions are compared by what they were scored on)."
        )
        self.version_table.itemSelectionChanged.connect(self._version_selected)
        self.adopt_version = QPushButton("Adopt", objectName="adoptVersionButton")
        self.adopt_version.setToolTip("Make the selected version the project's model")
        self.adopt_version.clicked.connect(self._adopt_selected)
        self.adopt_version.setEnabled(False)
        self.remove_version = QPushButton(
            "Remove…", objectName="removeVersionButton", enabled=False
        )
        self.remove_version.setToolTip(
            "Delete the selected version's folder to free its room (not the current model's)"
        )
        self.remove_version.clicked.connect(self._remove_selected)
        self.confirm = confirm_removal  # tests answer it
        versions_box = QGroupBox("Versions")
        versions_layout = QVBoxLayout(versions_box)
        versions_layout.addWidget(self.version_table)
        self.versions_note = plain_label(VERSIONS_NOTE, objectName="versionsNote", wordWrap=True)
        versions_layout.addWidget(self.versions_note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_version)
        row.addWidget(self.adopt_version)
        versions_layout.addLayout(row)

        self.who = QComboBox(objectName="usageWho")
        wheel_only_when_focused(self.who)
        self.who.currentIndexChanged.connect(lambda _: self.refresh_usage())
        self.chart = UsageChart()
        self.usage_note = plain_label(objectName="usageNote", wordWrap=True)
        usage_box = QGroupBox("How suggestions are used")  # a short title: it sets the least width
        usage_layout = QVBoxLayout(usage_box)
        who_form = QFormLayout()
        who_form.addRow("Annotators:", self.who)
        usage_layout.addLayout(who_form)
        usage_layout.addWidget(self.usage_note)
        usage_layout.addWidget(self.chart)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        current_box = QGroupBox("Current model")
        QVBoxLayout(current_box).addWidget(self.current_label)
        for widget in (current_box, self.latest_box, versions_box, usage_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll = QScrollArea(
            objectName="modelPanelScroll", widgetResizable=True, accessibleName="Model panel"
        )
        scroll.setWidget(self)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.dock = window.add_side_panel("modelPanel", "Model", scroll)
        self.dock.hide()
        self.dock.visibilityChanged.connect(lambda visible: visible and self.refresh())

        self._later = QTimer(self, singleShot=True, interval=REFRESH_MS)  # the chart
        self._later.timeout.connect(self.refresh_usage)
        self._later_all = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._later_all.timeout.connect(self.refresh)
        window.history.stack.indexChanged.connect(self._soon)
        # Another program may have trained or adopted a model: all of it is read again.
        window.watcher.changed.connect(lambda *_: self.is_shown() and self._later_all.start())
        self.training.succeeded.connect(lambda _: self.refresh())
        self.training.adopted.connect(self._adopted)
        self.training.adoptionStarted.connect(self._adoption_started)
        self.training.adoptionFailed.connect(self._adoption_failed)

    # -- showing ---------------------------------------------------------------------------

    def show_panel(self) -> None:
        self.main_window.show_side_panel(self.dock, floating=(460, 640), top=True)
        self.refresh()

    def toggle(self) -> None:
        """Model → Model panel (Ctrl+Shift+M): show the panel, or hide it when it shows."""
        if self.is_shown():
            self.dock.hide()
        else:
            self.show_panel()

    def show_latest(self) -> None:
        """A training finished while no dialog showed it: the panel shows its scores."""
        self.show_panel()
        self.main_window.statusBar().repaint()

    def is_shown(self) -> bool:
        return self.dock.isVisible()

    def _soon(self, *_: object) -> None:
        if self.is_shown():
            self._later.start()

    def refresh(self) -> None:
        """Read the project again: the current model, the versions, the chart."""
        if not self.is_shown() or self.main_window.store.closed:
            return
        store = self.main_window.store
        try:
            model, about = current_model(store), ""
        except ModelError as error:  # the project names a model that cannot be read
            model, about = None, str(error)
        latest = self.training.latest
        self.latest_box.setVisible(latest is not None)
        if latest is not None and latest is not self.latest_view.result:
            self.latest_view.show_result(latest)
        try:
            self.versions, trouble = (list_models(store) if store.path is not None else []), ""
        except ModelError as error:
            self.versions, trouble = [], str(error)
        about = about or describe_model(model, store.setting(SETTING_NAME), len(self.versions))
        self.current_label.setText("\n".join(filter(None, (about, trouble))))
        self._fill_versions(model)
        self.versions_note.setVisible(bool(self.versions))
        self._fill_who(store)
        self.refresh_usage()

    def _fill_versions(self, model: ModelInfo | None) -> None:
        table = self.version_table
        table.setRowCount(0)
        for info in self.versions:
            row = table.rowCount()
            table.insertRow(row)
            training = info.training
            scores = training.get("held_out_scores") or {}
            is_current = info.is_the(model)
            cells = [
                f"v{info.version}",
                when(str(training.get("trained_at", "")), "%d %b %H:%M"),
                str(training.get("train_articles", "")),
                *(
                    f"{scores[label]['exact']['f1']:.2f}" if label in scores else ""
                    for label in LEARNED_LABELS
                ),
                "current" if is_current else "",
            ]
            held = training.get("held_out_articles")
            tip = (
                f"Exact F1 on the {held} articles held out when v{info.version} was trained: "
                "versions scored on other held-out articles do not compare"
                if held
                else ""
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 3 <= column < 3 + len(LEARNED_LABELS):
                    item.setToolTip(tip)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()  # filled while hidden (a floating panel), it kept
        # the widths of the empty table: "current" was cut
        bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)  # if needed
        rows = 22 * max(table.rowCount(), 1)
        table.setFixedHeight(table.horizontalHeader().height() + rows + bar + 4)
        self._version_selected()

    def _adoption_failed(self, _message: str) -> None:
        self.latest_view.set_adopting(False)
        self._version_selected()  # its Adopt button may be pressed again

    def _version_selected(self) -> None:
        rows = self.version_table.selectionModel().selectedRows()
        marker = self.version_table.item(rows[0].row(), self.CURRENT) if rows else None
        free = marker is not None and marker.text() != "current"
        free = free and self.training.adopting is None
        self.adopt_version.setEnabled(free)
        self.remove_version.setEnabled(free)

    def _adopt_selected(self) -> None:
        rows = self.version_table.selectionModel().selectedRows()
        if rows:
            self.training.adopt_folder(Path(self.versions[rows[0].row()].path))

    def _remove_selected(self) -> None:
        """Delete the selected version's folder, after a question that says its size."""
        rows = self.version_table.selectionModel().selectedRows()
        if not rows or self.training.adopting is not None:
            return
        model = self.versions[rows[0].row()]
        question = (
            f"Remove v{model.version} ({folder_bytes(model.path) / 1e6:.1f} MB)? Its folder "
            f"is deleted: it can no longer be adopted. What it suggested stays in the project."
        )
        if not self.confirm(self.main_window, question, "model version"):
            return
        try:
            freed = remove_model(self.main_window.store, model.version or 0)
        except ModelError as error:
            self.main_window.show_problem(str(error))
        else:
            said = f"Removed v{model.version}: {freed / 1e6:.1f} MB freed"
            self.main_window.statusBar().showMessage(said, 5000)
        self.refresh()

    def _fill_who(self, store) -> None:
        chosen = self.who.currentData()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("Each annotator", EACH)
        self.who.addItem("Everyone together", EVERYONE)
        for name in store.annotators():
            self.who.addItem(name, name)
        found = self.who.findData(chosen) if chosen is not None else 0
        self.who.setCurrentIndex(max(found, 0))
        self.who.blockSignals(False)

    def refresh_usage(self) -> None:
        if not self.is_shown() or self.main_window.store.closed:
            return
        store = self.main_window.store
        try:
            usage: dict[str, Any] = suggestion_usage(store)
        except WRITE_ERRORS as error:  # busy: the next change reads it again
            self.usage_note.setText(failure_message(error))
            return
        who = self.who.currentData()
        labels = [label.name for label in self.main_window.labels]
        sections = usage_sections(usage, EACH if who is None else who, labels)
        self.chart.set_sections(sections)
        self.chart.setVisible(bool(sections))
        if not usage:
            self.usage_note.setText(
                "No finished articles yet: the chart fills in as articles are marked done, "
                "one bar per model version and annotator."
            )
        elif not sections:
            self.usage_note.setText("This annotator has no finished articles yet.")
        else:
            self.usage_note.setText(
                "Of all spans on finished articles, per label: the suggestions accepted "
                "unchanged, edited and deleted, and the spans added that no suggestion had. "
                "Versions in order, oldest first."
            )

    def _adoption_started(self, path: str) -> None:
        self.latest_view.set_adopting(True)
        self.adopt_version.setEnabled(False)
        self.remove_version.setEnabled(False)  # not the model being adopted, nor another

    def _adopted(self, result: dict, resuggested: int) -> None:
        if self.latest_view.result is not None and self.latest_view.result.get(
            "model"
        ) == result.get("model"):
            self.latest_view.set_adopted(resuggested)
        self.refresh()
        if self.training.latest is None and self.latest_view.result is not None:
            self.latest_box.setVisible(self.latest_view.result.get("model") == result["model"])
