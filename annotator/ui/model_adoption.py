"""Adopting a model from the window (``ModelTraining``'s part): in the worker process, the
untouched articles suggested again; a result judged against a model that another window or
the command line replaced since asks first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from annotator.nlp.training.registry import MODEL_SETTING, current_model
from annotator.ui.model_runner import TrainingProcess, TrainingRequest
from annotator.ui.model_scores import version_name
from annotator.ui.widgets import message_box

if TYPE_CHECKING:
    from annotator.storage import Store
    from annotator.ui.main_window import MainWindow
    from annotator.ui.model_menu import TrainingStatus

#: A training result's key: the project's current model (setting) when it was judged.
COMPARED_WITH = "compared_with"


class Adoption:
    """The adopting half of ``ModelTraining`` (which has the signals and the state)."""

    window: MainWindow
    run: TrainingProcess | None
    adopting: str | None
    adoption: TrainingProcess | None
    latest: dict[str, Any] | None
    status: TrainingStatus
    _store: Store
    store: Store
    adopted: Any
    adoptionStarted: Any  # noqa: N815 - Qt signal naming
    adoptionFailed: Any  # noqa: N815

    def adopt(self, result: dict) -> None:
        """Make the trained model the project's, in the worker process: the untouched
        articles are suggested again with it; then the open article, if untouched, is
        shown anew. Cancel (in the status bar) kills it: its writes are one transaction."""
        if self.adopting is not None:
            return
        if self.run is not None:
            self.window.show_problem("A training is running: wait for it, or cancel it, first.")
            return
        if self.store.path is None or self.store.read_only:
            self.window.show_problem("This project cannot be written to: no model is adopted.")
            return
        if COMPARED_WITH in result and self.store.setting(MODEL_SETTING) != result[COMPARED_WITH]:
            self._ask_to_replace(result)
            return
        self._adopt_now(result)

    def _ask_to_replace(self, result: dict) -> None:
        """Another model became the project's since this one was trained and judged
        (another window, the command line): its scores compared it with the suggestions
        before that, and Adopt replaced the newer model without a word."""
        model = current_model(self.store)
        now = model.path.name if model is not None else "the default pipeline"
        name = version_name(result)
        box = message_box(
            self.window,
            QMessageBox.Icon.Question,
            "Adopt an older comparison?",
            f"Since {name} was trained, {now} became the project's model (in another window "
            f"or from the command line). {name}'s scores were compared with the suggestions "
            f"before it, not with {now}'s.",
            informative=f"Adopt {name} anyway, replacing {now}?",
            name="adoptStale",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        adopt = box.addButton(f"Adopt {name}", QMessageBox.ButtonRole.AcceptRole)
        adopt.setObjectName("adoptAnyway")
        adopt.clicked.connect(lambda: self._adopt_now({**result, COMPARED_WITH: None}))
        box.open()

    def _adopt_now(self, result: dict) -> None:
        path = str(result["model"])
        name = version_name(result)
        run = TrainingProcess(TrainingRequest(self.store.path, adopt=path), self)
        run.progressed.connect(
            lambda stage, done, total: self.status.show_progress(stage, done, total, name)
        )
        run.succeeded.connect(lambda outcome: self._adopted(result, int(outcome["resuggested"])))
        run.failed.connect(lambda message: self._adoption_ended(path, name, message))
        run.cancelled.connect(lambda: self._adoption_ended(path, name, None))
        self.adoption, self.adopting = run, path
        # Its commit is no news to this window, which shows the result itself when it
        # ends: reloading everything on it paused the window 60-140 ms (measured).
        self.window.watcher.pause()
        self.status.show_progress("starting", 0, 0, name)
        self.adoptionStarted.emit(path)
        run.start()

    def adopt_folder(self, folder: Path) -> None:
        """Adopt a model saved earlier (a version from the Model panel)."""
        self.adopt({"model": str(folder)})

    def _adoption_over(self) -> None:
        self.adoption = self.adopting = None
        self.status.hide()
        self.window.watcher.resume()

    def _adoption_ended(self, path: str, name: str, error: str | None) -> None:
        """Adopting failed (``error``) or was cancelled (``None``): the project is as it was."""
        self._adoption_over()
        self.adoptionFailed.emit(path)
        if error is None:
            self.window.statusBar().showMessage(
                f"Adopting {name} cancelled; the project is unchanged", 8000
            )
        else:
            self.window.show_problem(f"Adopting {name}: {error}")

    def _adopted(self, result: dict, resuggested: int) -> None:
        self._adoption_over()
        if self._store is not self.store:
            return  # the window moved to another project meanwhile
        if self.latest is not None and self.latest.get("model") == result.get("model"):
            self.latest = None
        window = self.window
        window.source.forget()
        window.refresh_article_list()
        current = window.current
        untouched = current is not None and not current.loading
        if untouched and not window.store.started(current.id, window.annotator):
            window.open_article(current.id)  # its suggestions are the new model's
        self.adopted.emit(result, resuggested)
        window.statusBar().showMessage(
            f"{version_name(result)} is the project's model: {resuggested} untouched "
            f"article{'s' if resuggested != 1 else ''} suggested again",
            10_000,
        )
