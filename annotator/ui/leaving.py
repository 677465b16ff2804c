"""Leaving a project, by closing the window or opening another, stops what runs in the
background for it: a training or a model's adoption, an import or an export. Ask first
(Ctrl+Q threw away minutes of training without a word; closing during an export killed
the program, the export lost; opening another project killed a training unsaid), then
stop it and wait till it has stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from annotator.ui.stop_signals import stopping
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: What a background task is, by its title, in a question.
_TASK_NAMES = {"Importing": "An import", "Exporting": "An export"}


def running_tasks(window: MainWindow) -> list[BackgroundTask]:
    """The window's imports and exports under way."""
    return [task for task in window.findChildren(BackgroundTask) if task.thread.isRunning()]


def busy_with(window: MainWindow) -> list[str]:
    """What runs in the background for the open project, in words ("A training")."""
    training = window.model_training
    busy = []
    if training.is_running():
        busy.append("A training")
    elif training.adopting is not None:
        busy.append("A model's adoption")
    busy += [_TASK_NAMES.get(task.title, task.title) for task in running_tasks(window)]
    return busy


def may_leave(window: MainWindow, leaving: str = "closing the window", verb: str = "Close") -> bool:
    """Whether the user lets ``leaving`` stop the background work (asked if there is any)."""
    busy = busy_with(window)
    if not busy or stopping():
        return True
    what = busy[0] if len(busy) == 1 else ", ".join(busy[:-1]) + " and " + busy[-1].lower()
    verb_s = "is" if len(busy) == 1 else "are"
    them = "it" if len(busy) == 1 else "them"
    after = (
        "; the articles the import has written so far stay in the project"
        if "An import" in busy
        else ", and the project stays as it was"
    )
    question = f"{what} {verb_s} running: {leaving} stops {them}{after}. {verb} anyway?"
    return _ask(window, question, verb)


def stop_background(window: MainWindow) -> None:
    """Stop the training or adoption, and each import or export, waiting for them."""
    window.model_training.stop()
    for task in running_tasks(window):
        task.cancel()
        # Its event loop ends once the work returns (the task's own quit comes through
        # this thread's events, which wait here); a thread destroyed while it ran aborted
        # the program.
        task.thread.quit()
        task.thread.wait()


def _ask(window: MainWindow, question: str, verb: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, verb, question, parent=window)
    box.setObjectName("closeWhileTrainingQuestion")
    leave = box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is leave
