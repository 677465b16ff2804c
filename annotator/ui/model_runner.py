"""Training in a process of its own (``annotator.nlp.training.worker``), watched from the window.

Why a process and not a thread: training holds the interpreter for minutes (spaCy's updates
release the GIL only in short stretches), so a thread would make the window stutter; and a
crash of training (out of memory, a bad base pipeline) must not take the window with it. The
worker prints JSON lines; ``QProcess`` hands them over as they come, on the event loop, so
the window never waits for it.

Cancel kills the process: the worker writes the model to a temporary folder and renames it
only when whole, and with ``--no-adopt`` it never writes to the project, so a killed run
leaves the project as it was (the window adopts the model itself, if the user wants it).
"""

from __future__ import annotations

import json
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, Signal

WORKER_MODULE = "annotator.nlp.training.worker"

#: How much of the end of the worker's standard error is kept, to say why it died.
_STDERR_TAIL = 8000


@dataclass(frozen=True)
class TrainingRequest:
    """What to train: the project file, whose work, and the base pipeline (``None``: the
    worker's own choice, as ``annotator train`` makes it); or, with ``adopt``, the model
    folder to make the project's (the worker then re-suggests the untouched articles)."""

    project: Path
    annotator: str | None = None
    gold: bool = False
    base: str | None = None
    adopt: str | None = None

    def arguments(self) -> list[str]:
        """The worker's arguments: it saves the model beside the project, never adopts;
        or it adopts ``adopt``."""
        if self.adopt is not None:
            return [str(self.project), "--adopt", self.adopt]
        args = [str(self.project), "--no-adopt"]
        if self.gold:
            args.append("--gold")
        elif self.annotator:
            args += ["--annotator", self.annotator]
        if self.base:
            args += ["--base", self.base]
        return args

    @property
    def source(self) -> str:
        """Whose work, in words."""
        if self.gold:
            return "the gold versions"
        if self.annotator:
            return f"{self.annotator}'s finished articles"
        return "the finished articles (gold where there is one)"


def worker_command() -> tuple[str, list[str]]:
    """The program and the first arguments that start the worker: this Python, ``-m``."""
    return sys.executable, ["-m", WORKER_MODULE]


class TrainingProcess(QObject):
    """One run of the worker. Signals, each on the event loop: ``progressed(stage, done,
    total)`` as it goes; then exactly one of ``succeeded(result)`` (the worker's ``result``
    object), ``failed(message)`` (one line for the user) or ``cancelled()``."""

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, request: TrainingRequest, parent: QObject | None = None):
        super().__init__(parent)
        self.request = request
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read_output)
        self.process.readyReadStandardError.connect(self._read_errors)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error_occurred)
        self.process.started.connect(self._started)
        self.pid = 0  # the worker's, once started (gone once it is killed)
        self.stage = ""
        self._pending = b""
        self._stderr = b""  # its end: chunks may split a line, so split only when it died
        self._result: dict[str, Any] | None = None
        self._error: str | None = None
        self._cancelling = False
        self._over = False
        self._before: set[str] = set()  # the models folder's names when it started
        self._since = ""  # and when

    def start(self) -> None:
        from annotator.nlp.training.registry import models_folder_of

        folder = models_folder_of(self.request.project)
        self._before = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        self._since = datetime.now(UTC).isoformat(timespec="seconds")
        program, args = worker_command()
        self.process.start(program, args + self.request.arguments())

    def is_running(self) -> bool:
        return not self._over

    def cancel(self) -> None:
        """Kill the worker; ``cancelled`` follows when it has gone."""
        if self._over:
            return
        self._cancelling = True
        if self.process.state() == QProcess.ProcessState.NotRunning:
            self._end(self.cancelled)
        else:
            self.process.kill()

    def wait_gone(self, msecs: int = 5000) -> None:
        """Kill the worker and wait for it (the window is closing)."""
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self._cancelling = True
            self.process.kill()
            self.process.waitForFinished(msecs)

    # -- what the worker says --------------------------------------------------------------

    def _read_output(self) -> None:
        self._pending += bytes(self.process.readAllStandardOutput().data())
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self._take(line)

    def _take(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            return  # not ours (a library printing to standard output)
        if not isinstance(message, dict):
            return
        if "result" in message:
            self._result = message["result"]
        elif "error" in message:
            self._error = " ".join(str(message["error"]).split())
        elif "stage" in message:
            self.stage = str(message["stage"])
            self.progressed.emit(self.stage, int(message["done"]), int(message["total"]))

    def _read_errors(self) -> None:
        chunk = bytes(self.process.readAllStandardError().data())
        self._stderr = (self._stderr + chunk)[-_STDERR_TAIL:]

    def _started(self) -> None:
        self.pid = int(self.process.processId())

    def _remove_unfinished(self) -> None:
        """A worker killed (Cancel, or from outside) while saving left its model folder
        half-written: remove it now."""
        from annotator.nlp.training.model_folders import remove_unfinished
        from annotator.nlp.training.registry import models_folder_of

        if self.pid:
            remove_unfinished(models_folder_of(self.request.project), self.pid)

    def _remove_saved(self) -> None:
        """Cancelled just as the training put its model in place (the worker lives a moment
        more to say so): that version goes too. It stayed, 20 MB, listed as saved, while the
        window said the project was as it was."""
        from annotator.nlp.training.model_folders import ModelError
        from annotator.nlp.training.registry import delete_version, saved_since

        if self.request.adopt is not None or not self._since:
            return
        for path in saved_since(self.request.project, self._before, self._since):
            with suppress(ModelError):  # (another user's files, say: it stays, as before)
                delete_version(path)

    def _finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        self._read_output()
        if self._pending.strip():
            self._take(self._pending)
            self._pending = b""
        self._read_errors()
        if self._over:
            return
        if exit_status == QProcess.ExitStatus.CrashExit or self._cancelling:
            self._remove_unfinished()
        if self._cancelling:
            self._remove_saved()
            self._end(self.cancelled)
        elif self._result is not None and exit_code == 0:
            self._end(self.succeeded, self._result)
        elif self._error:
            self._end(self.failed, self._error)
        else:
            self._end(self.failed, self._crash_line(exit_code, exit_status))

    def _error_occurred(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._over:
            program, _ = worker_command()
            why = self.process.errorString()
            what = "Adopting the model" if self.request.adopt is not None else "Training"
            self._end(self.failed, f"{what} could not start ({program}: {why}).")

    def _crash_line(self, exit_code: int, exit_status: QProcess.ExitStatus) -> str:
        """One line on a worker that died without saying why: the last line it wrote to
        standard error (an exception's last line names it), never the whole trace."""
        lines = self._stderr.decode("utf-8", "replace").splitlines()
        last = next((line.strip() for line in reversed(lines) if line.strip()), "")
        if exit_status == QProcess.ExitStatus.CrashExit:
            how = "was killed"
        else:
            how = f"failed (exit status {exit_code})"
        stage = f" while {self.stage}" if self.stage else ""
        work = "adopting" if self.request.adopt is not None else "training"
        said = f"the {work} process {how}{stage}" + (f": {last[:300]}" if last else "")
        return said + "; the project is as it was"

    def _end(self, signal, *args) -> None:
        self._over = True
        signal.emit(*args)
