"""Training from the window: on the project's finished work in the background, its scores,
adopting the model, training automatically. ``ModelTraining`` is ``window.model_training``
(``model_menu.install`` adds it, with the Model menu and panel); Model → Train… and the Model
panel (``model_dialog.py``, ``model_panel.py``) show what it does.

A training runs in a process of its own (``model_runner.py``) with ``--no-adopt``: it never
writes to the project, and the window adopts the model only when the user says so, in the
worker process again (``--adopt``: ``adopt_model`` suggests the untouched articles again;
loading and running a pipeline on a thread of the window would make it stutter).

Training automatically is a setting of the project (its ``settings`` table), not of this
computer: the count of articles marked done since the last training is a fact of the project
file, which several annotators' windows may share, so every window sees the same mark and
only the one that moves it (in one transaction) starts the training. It never adopts: the
scores wait in the Model panel, with Adopt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal

from annotator.core.text import counted
from annotator.nlp.training import MIN_HELD_OUT, MIN_TRAIN
from annotator.nlp.training.model_folders import training_elsewhere
from annotator.nlp.training.registry import MODEL_SETTING
from annotator.ui.commands import WRITE_ERRORS, failure_message
from annotator.ui.leaving import may_leave, stop_background
from annotator.ui.model_adoption import COMPARED_WITH, Adoption
from annotator.ui.model_runner import TrainingProcess, TrainingRequest
from annotator.ui.model_scores import verdict, version_name
from annotator.ui.training_choices import (
    AUTO_SETTING,
    BASE_SETTING,
    MARK_SETTING,
    READ_ONLY_NOTE,
    SOURCE_SETTING,
    done_so_far,
    request_for,
)

if TYPE_CHECKING:
    from annotator.storage import Store
    from annotator.ui.main_window import MainWindow


class ModelTraining(Adoption, QObject):
    """Training, its result and adoption for one window; the dialog and the panel show it.

    Signals: ``started(request, automatic)``, ``progressed(stage, done, total)``, then one
    of ``succeeded(result)``, ``failed(message)``, ``cancelled()``; ``adopted(result,
    resuggested)`` when a model became the project's; ``adoptionStarted(path)`` and
    ``adoptionFailed(path)`` around it.
    """

    started = Signal(object, bool)
    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    adoptionStarted = Signal(str)  # noqa: N815 - Qt signal naming
    adoptionFailed = Signal(str)  # noqa: N815
    adopted = Signal(object, int)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.run: TrainingProcess | None = None
        self.automatic = False  # whether the running (or last) training started by itself
        self.latest: dict[str, Any] | None = None  # the last result, until adopted
        self.last_error = ""
        self.adopting: str | None = None  # the model folder being adopted
        self.adoption: TrainingProcess | None = None  # the worker adopting it
        self.dialog = None  # Model → Train…, while it is open
        self._chosen = ("", "", 0)  # the running training's source, base, done count
        self._store = window.store
        self._compared_with = ""  # the project's current model when the training started
        from annotator.ui.model_menu import TrainingStatus

        self.status = TrainingStatus(self.cancel)
        window.add_status_item(self.status)
        window.installEventFilter(self)
        window.articleShown.connect(self._check_project)
        window.history.stack.indexChanged.connect(self.consider_auto_training)
        window.watcher.changed.connect(self.consider_auto_training)

    @property
    def store(self) -> Store:
        return self.window.store

    def is_running(self) -> bool:
        return self.run is not None

    # -- choices remembered in the project -------------------------------------------------

    def choices(self) -> tuple[str, str]:
        """(whose work, base) last chosen in Model → Train…, for this project."""
        return self.store.setting(SOURCE_SETTING), self.store.setting(BASE_SETTING)

    def remember(self, source: str, base: str, count: int) -> None:
        """A training chosen in the dialog succeeded: its choices are the project's (the
        next automatic training makes the same), and newly done articles count from the
        ``count`` done when it started. Written only then, so that a cancelled or failed
        training leaves the project exactly as it was."""

        def write() -> None:
            with self.store.transaction():
                self.store.set_setting(SOURCE_SETTING, source)
                self.store.set_setting(BASE_SETTING, base)
                self.store.set_setting(MARK_SETTING, str(count))

        self._write_quietly(write)

    def auto_every(self) -> int:
        """Train automatically after this many newly done articles; 0: never."""
        value = self.store.setting(AUTO_SETTING)
        return int(value) if value.isdigit() else 0

    def set_auto_every(self, every: int) -> bool:
        """Turn training automatically on (after every ``every`` newly done articles) or off
        (0); counting starts now unless a training already set the mark."""
        source, _ = self.choices()

        def write() -> None:
            with self.store.transaction():
                self.store.set_setting(AUTO_SETTING, str(max(every, 0)) if every > 0 else "")
                if every > 0 and not self.store.setting(MARK_SETTING):
                    self.store.set_setting(MARK_SETTING, str(done_so_far(self.store, source)))

        ok = self._write_quietly(write, say=True)
        self.update_actions()
        return ok

    def newly_done(self) -> int:
        """Articles of the chosen work marked done since the last training started."""
        source, _ = self.choices()
        mark = self.store.setting(MARK_SETTING)
        return done_so_far(self.store, source) - (int(mark) if mark.lstrip("-").isdigit() else 0)

    def _write_quietly(self, write, say: bool = False) -> bool:
        try:
            write()
        except WRITE_ERRORS as error:
            if say:
                self.window.show_problem(failure_message(error))
            return False
        return True

    # -- training --------------------------------------------------------------------------

    def start(self, source: str | None = None, base: str | None = None, *, automatic=False):
        """Train on the project's finished work in a process of its own; ``None`` for the
        choices remembered in the project. Returns the running ``TrainingProcess``, or
        ``None`` (a training runs already, or the project has no file)."""
        if self.run is not None or self.adoption is not None:
            busy = "A training is running" if self.run else "A model is being adopted"
            self.window.statusBar().showMessage(f"{busy} already", 5000)
            return None
        if self.store.path is None:
            self.window.show_problem(
                "An in-memory project cannot be trained from the window: save it to a file."
            )
            return None
        if self.store.read_only:  # found after a minute's training, at Adopt
            self.window.show_problem(READ_ONLY_NOTE)
            return None
        remembered = self.choices()
        source = remembered[0] if source is None else source
        base = remembered[1] if base is None else base
        self._chosen = (source, base, done_so_far(self.store, source))
        return self._launch(request_for(self.store, source, base), automatic)

    def _launch(self, request: TrainingRequest, automatic: bool) -> TrainingProcess:
        run = TrainingProcess(request, self)
        run.progressed.connect(self._progressed)
        run.succeeded.connect(self._succeeded)
        run.failed.connect(self._failed)
        run.cancelled.connect(self._cancelled)
        self.run, self.automatic, self.last_error = run, automatic, ""
        self._store = self.store
        self._compared_with = self.store.setting(MODEL_SETTING)  # the current model then
        self.status.show_progress("starting", 0, 0)
        self.update_actions()
        run.start()
        self.started.emit(request, automatic)
        return run

    def cancel(self) -> None:
        """Stop the running training, or the adoption (the project stays as it was)."""
        if self.run is not None:
            self.run.cancel()
        elif self.adoption is not None:
            self.adoption.cancel()

    def consider_auto_training(self, *_: object) -> None:
        """Start a training if it is on and enough articles were marked done since the
        last one; the mark moves in one transaction, so of several windows one starts."""
        every = self.auto_every() if not self.store.closed else 0
        busy = self.run is not None or self.adoption is not None
        if not every or busy or self.store.path is None or self.store.read_only:
            return
        source, _ = self.choices()
        if self.newly_done() < every:
            return
        if training_elsewhere(self.store.path):
            return  # another window's (or a terminal's): the next edit looks again
        count = done_so_far(self.store, source)
        if count < MIN_TRAIN + MIN_HELD_OUT:
            return  # too few yet: a worker each time said so in the bar, after every Enter

        def claim() -> bool:
            with self.store.transaction():
                if self.newly_done() < every:
                    return False  # another window started one meanwhile
                self.store.set_setting(MARK_SETTING, str(count))
                return True

        try:
            claimed = claim()
        except WRITE_ERRORS:
            return  # busy: the next edit looks again
        if claimed:
            self.window.statusBar().showMessage(
                f"{counted(every, 'more article')} done: training a new model in the background",
                8000,
            )
            self.start(automatic=True)

    def _progressed(self, stage: str, done: int, total: int) -> None:
        self.status.show_progress(stage, done, total)
        self.progressed.emit(stage, done, total)

    def _over(self) -> None:
        self.run = None
        self.status.hide()
        self.update_actions()

    def _succeeded(self, result: dict) -> None:
        self._over()
        if self._store is not self.store:
            return  # the window moved to another project meanwhile
        # which model was current when it was judged: adopting it once another is
        # current asks first (``adopt``)
        result = {**result, COMPARED_WITH: self._compared_with}
        self.latest = result
        if not self.automatic:  # (an automatic one moved the mark when it started)
            self.remember(*self._chosen)
        name = version_name(result)
        judged = verdict(result, name)
        self.succeeded.emit(result)
        if not self._dialog_showing():
            self.window.model_panel.show_latest()
        how = "better" if judged.better else "not better"
        self.window.statusBar().showMessage(
            f"Training done: {name} is {how} than the current suggestions "
            "(the Model panel shows the scores, and Adopt)",
            15_000,
        )

    def _failed(self, message: str) -> None:
        # (the window's user chose "Start from", and never typed --base)
        message = message.replace("--base:", "Start from:").replace("--base ", "Start from ")
        self._over()
        self.last_error = message
        self.failed.emit(message)
        if not self._dialog_showing():
            self.window.show_problem(f"Training: {message}")

    def _cancelled(self) -> None:
        self._over()
        self.cancelled.emit()
        self.window.statusBar().showMessage("Training cancelled; the project is unchanged", 8000)

    def _dialog_showing(self) -> bool:
        return self.dialog is not None and self.dialog.isVisible()

    def update_actions(self) -> None:
        """The Model menu's state: whether a training runs, whether training
        automatically is on and after how many articles."""
        actions = self.window.named_actions
        actions["actionCancelTraining"].setEnabled(self.run is not None)
        every = self.auto_every() if not self.store.closed else 0
        auto = actions["actionAutoTrain"]
        auto.setChecked(bool(every))
        auto.setText(
            f"Train &automatically after every {every} newly done articles"
            if every
            else "Train &automatically after every N newly done articles…"
        )

    # -- the window's life -----------------------------------------------------------------

    def _check_project(self, _article_id: int = 0) -> None:
        """After the window moved to another project: the training of the old one stops,
        and its result is forgotten."""
        if self._store is self.store:
            return
        self._store = self.store
        self.stop()
        if self.dialog is not None:  # the other project's choices and counts
            self.dialog.close()
        self.status.hide()
        self.latest = None
        self.update_actions()
        self.window.model_panel.refresh()

    def stop(self) -> None:
        """The window closes or moves to another project: a running training or adoption
        is killed (nothing of it is kept; the project stays as it was)."""
        for run in (self.run, self.adoption):
            if run is not None:
                run.blockSignals(True)
                run.wait_gone()
        if self.adoption is not None:
            self.window.watcher.resume()
        self.run = self.adoption = self.adopting = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Close:
            if not may_leave(self.window):  # asked first; Cancel keeps it all going
                event.ignore()
                return True
            stop_background(self.window)
        return False
