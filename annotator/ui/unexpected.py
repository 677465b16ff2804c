"""An error nothing expected, raised in one of the window's slots or timers: said in a
dialog, with its details written to a file, not only on standard error. Qt prints such an
error and goes on; a window started from the desktop showed nothing (a menu entry whose
code failed simply did nothing, and the annotator could not tell anyone why)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from annotator.ui.user_folders import data_folder
from annotator.ui.widgets import message_box

#: The log keeps this much (the newest), so that a timer failing every second cannot fill a disk.
LOG_BYTES = 1_000_000


def errors_log() -> Path:
    return data_folder() / "errors.log"


@contextmanager
def unexpected_errors_said() -> Iterator[None]:
    """While the window runs, an unexpected error is said (``say_unexpected``)."""
    before = sys.excepthook
    sys.excepthook = say_unexpected
    try:
        yield
    finally:
        sys.excepthook = before


_said: set[tuple[str, str]] = set()  # (the error's type, where it was raised): said once


def say_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Print the error as Python does, write it to the log, and say it in a dialog, once
    per kind and place (a timer failing on every tick opened a box a second)."""
    sys.__excepthook__(kind, error, trace)
    if issubclass(kind, KeyboardInterrupt):
        return
    details = "".join(traceback.format_exception(kind, error, trace))
    logged = _log(details)
    frames = traceback.extract_tb(trace)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    if (kind.__name__, where) in _said or QApplication.instance() is None:
        return
    _said.add((kind.__name__, where))
    kept = f"The details are in {logged}." if logged else "The details could not be written."
    box = message_box(
        _a_window(),
        QMessageBox.Icon.Critical,
        "Something went wrong",
        f"Something went wrong, and what you asked for may not have been done: "
        f"{kind.__name__}: {error}",
        informative=(
            "Every edit the window said was saved is saved. "
            f"{kept} Please send them with a bug report (annotator --self-test prints what "
            "else one needs)."
        ),
        detailed=details,
        name="unexpectedError",
    )
    _shown.append(box)  # (kept: with no window to hold it, the box went at once)
    box.finished.connect(lambda _: _shown.remove(box))
    box.open()


_shown: list[QMessageBox] = []


def _a_window() -> QWidget | None:
    """The window to show the box over: the active one, else a visible one (an error of a
    timer while the user was in another program: no window was active, and the box,
    with no parent, was gone at once)."""
    if (active := QApplication.activeWindow()) is not None:
        return active
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
    return next((w for w in shown if isinstance(w, QMainWindow)), shown[0] if shown else None)


def _log(details: str) -> Path | None:
    """Append the error to the log (cut to its newest ``LOG_BYTES``); its path, or None."""
    path = errors_log()
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{details}\n")
        if path.stat().st_size > LOG_BYTES:
            kept = path.read_bytes()[-LOG_BYTES // 2 :]
            path.write_bytes(kept[kept.find(b"\n--- ") + 1 :])
        return path
    return None
