"""Model → Train…: whose work to learn from and which pipeline to start from, then the
training's progress (with Cancel) and its held-out scores beside the current suggestions'
(with Adopt). Not modal: the annotator keeps working while it trains; closing the dialog
leaves the training running, and its result then waits in the Model panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD
from annotator.formats.export_choice import preview_export
from annotator.formats.export_report import DEFAULT_STATUS
from annotator.nlp.training import MIN_HELD_OUT, MIN_TRAIN, current_model
from annotator.nlp.training.data import CLAIM_LABEL, LEARNED_LABELS, kept_labels_note
from annotator.ui.file_dialogs import existing_directory
from annotator.ui.model_runner import TrainingRequest
from annotator.ui.model_scores import TrainingResultView
from annotator.ui.training_choices import READ_ONLY_NOTE
from annotator.ui.widgets import ElidingComboBox, plain_label, resize_within_screen

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: The base combo's entry that asks for a folder.
_CHOOSE = "?choose"
#: The stages counted in characters (of the held-out articles), said so in the dialog
#: (counted by article, one long article held the bar at "1 of 2" for 25 s).
_COUNTED_IN = {"scoring the current model": "characters", "scoring the new model": "characters"}


def default_base(store) -> str:
    """What the worker starts from without ``--base``, in words."""
    from annotator.nlp.training.bases import base_pipeline_name, recorded_base

    try:
        name = base_pipeline_name(store, None)
    except AnnotatorError:
        return "no pipeline is installed: choose one"
    model = current_model(store)
    if model is not None and model.training.get("base"):
        if recorded_base(store) is not None:
            return f"the current model's base, {name}"
        gone = model.training["base"]
        return f"the default pipeline, {name} (the current model's base, {gone}, is gone)"
    return f"the default pipeline, {name}"


class TrainDialog(QDialog):
    """See the module docstring; ``train()`` starts with the choices shown."""

    def __init__(self, window: MainWindow):
        super().__init__(window, objectName="trainDialog")
        # Not ``self.window``: that hid QWidget.window(), and the clock, asking it of the
        # folder picker's parent, raised 'MainWindow' object is not callable every second.
        self.main_window = window
        self.training = window.model_training
        self.setWindowTitle("Train a model")
        self.source = ElidingComboBox(objectName="trainSource")  # (wider than the screen)
        self.base = QComboBox(objectName="trainBase")
        self.base.activated.connect(self._base_activated)
        self.hint = plain_label(objectName="trainHint", wordWrap=True)
        form = QFormLayout()
        form.addRow("Learn from:", self.source)
        form.addRow("Start from:", self.base)

        self.stage = plain_label(objectName="trainingStage")
        self.progress = QProgressBar(objectName="trainingProgress")
        self.cancel_button = QPushButton("Cancel training", objectName="cancelTrainingButton")
        self.cancel_button.clicked.connect(self.training.cancel)
        self.error = plain_label(objectName="trainingError", wordWrap=True)
        self.error.setStyleSheet("color: #b3261e;")
        self.result_view = TrainingResultView()
        self.result_view.adoptRequested.connect(self.training.adopt)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.train_button = buttons.addButton("Train", QDialogButtonBox.ButtonRole.ActionRole)
        self.train_button.setObjectName("startTrainingButton")
        self.train_button.clicked.connect(self.train)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        for widget in (self.stage, self.progress, self.cancel_button, self.error):
            layout.addWidget(widget)
        # In a scroll area: capped to a small screen, the summary was drawn over the table.
        self.result_scroll = QScrollArea(objectName="trainingResultScroll")
        self.result_scroll.setWidgetResizable(True)
        self.result_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.result_scroll.setWidget(self.result_view)
        layout.addWidget(self.result_scroll, 1)
        # Adopt under the scroll area, always in sight: in it, a tall result (or a short
        # screen) left Adopt below the fold, to be scrolled to.
        self.adopt_row = QWidget(objectName="adoptRow")
        row = QHBoxLayout(self.adopt_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.result_view.adopted_label, 1)
        row.addWidget(self.result_view.adopt_button)
        layout.addWidget(self.adopt_row)
        layout.addStretch()  # the room left while no result is shown: below, not between
        layout.addWidget(buttons)

        self.training.started.connect(self._started)
        self.training.progressed.connect(self._progressed)
        self.training.succeeded.connect(self._succeeded)
        self.training.failed.connect(self._failed)
        self.training.cancelled.connect(self._cancelled)
        self.training.adoptionStarted.connect(lambda _: self.result_view.set_adopting(True))
        self.training.adoptionFailed.connect(lambda _: self.result_view.set_adopting(False))
        self.training.adopted.connect(self._adopted)
        # The intro and the result's note name the scheme's labels: renamed while the
        # dialog was open, or while it trained, they said "ARMS" of WEAPON.
        window.labelsReloaded.connect(self.follow_scheme)
        self.fill_choices()
        self.show_state()
        self.resize(760, 300)

    def follow_scheme(self) -> None:
        """What is learned, of the scheme's labels as they are now."""
        labels = [label.name for label in self.main_window.labels]
        self.result_view.follow_scheme(labels)
        others = kept_labels_note(labels)
        self.hint.setText(
            f"It learns {' and '.join(LEARNED_LABELS)}, and where {CLAIM_LABEL} spans begin "
            f"and end"
            + (f"; {others}" if others else "")
            + f". The finished articles are split by their text: most are learned from, the "
            f"rest held out to score the new model and the current suggestions on. At least "
            f"{MIN_TRAIN} to learn from and {MIN_HELD_OUT} held out are needed: "
            f"{MIN_TRAIN + MIN_HELD_OUT} finished articles are enough. Training runs in the "
            "background; the model is adopted only if you say so."
        )

    def fill_choices(self) -> None:
        """Whose work (with how many articles each has done) and the base pipelines; what
        is learned, of the scheme's labels."""
        store = self.main_window.store
        self.follow_scheme()
        source, base = self.training.choices()
        self.source.clear()
        # Articles several annotators finished and nobody settled are left out of it, as
        # of an export: said here (it said "13 done", and 11 were learned from).
        unsettled = preview_export(store, None, DEFAULT_STATUS, count=False).rivals.count
        left_out = f"; {unsettled} not settled between annotators, left out" if unsettled else ""
        self.source.addItem(
            f"Each article's gold version, else its one annotator's, as Export chooses "
            f"({store.done_count()} done{left_out})",
            "",
        )
        self.source.addItem(f"The gold versions only ({store.done_count(GOLD)})", GOLD)
        for name in store.annotators():
            self.source.addItem(f"{name}'s finished articles ({store.done_count(name)})",
                                f"annotator:{name}")  # fmt: skip
        self.source.setCurrentIndex(max(0, self.source.findData(source)))
        self.base.clear()
        self.base.addItem(f"Automatic: {default_base(store)}", "")
        if base:
            self.base.addItem(base, base)
        self.base.addItem("A pipeline folder…", _CHOOSE)
        self.base.setCurrentIndex(max(0, self.base.findData(base)))

    def _base_activated(self, index: int) -> None:
        if self.base.itemData(index) != _CHOOSE:
            return
        folder = existing_directory(self, "A spaCy pipeline folder to start from")
        if not folder:
            self.base.setCurrentIndex(0)
            return
        self.set_base(folder)

    def set_base(self, base: str) -> None:
        """Start from ``base`` (a pipeline's name or folder)."""
        found = self.base.findData(base)
        if found < 0:
            self.base.insertItem(self.base.count() - 1, base, base)
            found = self.base.findData(base)
        self.base.setCurrentIndex(found)

    def train(self) -> None:
        """Start training with the choices shown."""
        self.training.start(self.source.currentData() or "", self.base.currentData() or "")

    # -- what the training does ------------------------------------------------------------

    def show_state(self) -> None:
        running = self.training.is_running()
        read_only = self.main_window.store.read_only
        if read_only and not running:
            self.error.setText(READ_ONLY_NOTE)
        self.train_button.setEnabled(not running and not read_only)
        self.source.setEnabled(not running)
        self.base.setEnabled(not running)
        for widget in (self.stage, self.progress, self.cancel_button):
            widget.setVisible(running)
        if running and self.training.run is not None:
            self.stage.setText(f"Training on {self.training.run.request.source}…")
            self.progress.setRange(0, 0)
        self.error.setVisible(bool(self.error.text()))
        latest = self.training.latest
        shown = latest is not None and not running and not self.error.text()
        self.result_view.setVisible(shown)
        self.result_scroll.setVisible(shown)
        self.adopt_row.setVisible(shown)
        if latest is not None and latest is not self.result_view.result:
            self.result_view.show_result(latest)

    def _started(self, request: TrainingRequest, automatic: bool) -> None:
        self.error.setText("")
        self.show_state()

    def _progressed(self, stage: str, done: int, total: int) -> None:
        unit = f" {_COUNTED_IN[stage]}" if stage in _COUNTED_IN else ""
        self.stage.setText(f"{stage[:1].upper()}{stage[1:]}… {done:,} of {total:,}{unit}")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _succeeded(self, result: dict) -> None:
        self.show_state()
        hint = self.sizeHint()  # the result's room in it: a small screen scrolls it
        resize_within_screen(
            self, max(self.width(), hint.width()), max(self.height(), hint.height())
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.show_state()

    def _cancelled(self) -> None:
        self.error.setText("Cancelled: the project is as it was.")
        self.show_state()

    def _adopted(self, result: dict, resuggested: int) -> None:
        if self.result_view.result is not None and self.result_view.result.get(
            "model"
        ) == result.get("model"):
            self.result_view.set_adopted(resuggested)


def show_train_dialog(window: MainWindow) -> TrainDialog:
    """Model → Train…: the dialog, made once per window (shown again, it shows the run)."""
    training = window.model_training
    if training.dialog is None:
        training.dialog = TrainDialog(window)
    dialog = training.dialog
    if not training.is_running():
        dialog.fill_choices()
        dialog.error.setText("")  # the last run's error is no word on the next one
        dialog.show_state()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
