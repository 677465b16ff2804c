"""The Model menu (Train…, Cancel, Train automatically…, Show model panel) and the status-bar
item of a running training; ``install(window)`` adds them with the ``ModelTraining``
controller (``model_training.py``) and the Model panel (``model_panel.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QProgressBar,
    QToolButton,
    QWidget,
)

from annotator.ui.widgets import Act, plain_label

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: What Train automatically… proposes.
DEFAULT_EVERY = 20


class TrainingStatus(QWidget):
    """The status-bar item of a running training: what it does, how far, Cancel."""

    def __init__(self, cancel):
        super().__init__(objectName="trainingStatus")
        self.label = plain_label(objectName="trainingStatusLabel")
        self.bar = QProgressBar(objectName="trainingStatusBar", textVisible=False)
        self.bar.setFixedWidth(90)
        self.bar.setMaximumHeight(12)
        button = QToolButton(text="Cancel", objectName="trainingStatusCancel", autoRaise=True)
        button.setToolTip("Stop it; the project stays as it is")
        button.clicked.connect(cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(button)
        self.hide()

    def show_progress(self, stage: str, done: int, total: int, adopting: str = "") -> None:
        """A training's stage (or, with ``adopting``, the adoption of that model's)."""
        self.label.setText(f"Adopting {adopting}: {stage}" if adopting else f"Training: {stage}")
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        self.show()


# -- the menu --------------------------------------------------------------------------------


def _train(window: MainWindow) -> None:
    from annotator.ui.model_dialog import show_train_dialog

    show_train_dialog(window)


def _auto(window: MainWindow) -> None:
    training = window.model_training
    action = window.named_actions["actionAutoTrain"]
    if training.auto_every():
        training.set_auto_every(0)
        window.statusBar().showMessage("Training automatically: off", 5000)
        return
    every, ok = QInputDialog.getInt(
        window,
        "Train automatically",
        "Train a new model in the background after every … newly done articles\n"
        "(the scores then wait in the Model panel: it is adopted only if you say so):",
        DEFAULT_EVERY,
        1,
        10_000,
    )
    if ok:
        training.set_auto_every(every)
    action.setChecked(bool(training.auto_every()))


ACTIONS = (
    Act(
        "actionTrainModel",
        "Train…",
        (),
        _train,
        "Train a model on the project's finished articles and compare it with the current one",
    ),
    Act("actionCancelTraining", "Cancel training", (), lambda w: w.model_training.cancel()),
    Act(
        "actionAutoTrain",
        "Train automatically…",
        (),
        _auto,
        "Train in the background after every N newly done articles",
    ),
    Act(
        "actionShowModelPanel",
        "Model panel",
        ("Ctrl+Shift+M",),
        lambda w: w.model_panel.toggle(),
        "The current model, its versions, and how its suggestions are used (again: hide it)",
    ),
)

MENU = ("&Model", ("actionTrainModel", "actionCancelTraining", "actionAutoTrain", "-",
                   "actionShowModelPanel"))  # fmt: skip


def install(window: MainWindow) -> None:
    """Add the Model menu, the training status item and the Model panel to the window."""
    from annotator.ui.model_panel import ModelPanel
    from annotator.ui.model_training import ModelTraining

    window.add_actions(ACTIONS)
    window.named_actions["actionAutoTrain"].setCheckable(True)
    title, names = MENU
    window.fill(window.menu(title), names)
    window.model_training = ModelTraining(window)
    window.model_panel = ModelPanel(window)
    window.model_training.update_actions()
