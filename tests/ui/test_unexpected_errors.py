"""An error nothing expected, in one of the window's slots, is said in the window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMessageBox

from annotator.ui import unexpected


def raised() -> tuple:
    try:
        {}["missing"]
    except KeyError:
        return sys.exc_info()
    raise AssertionError


def test_an_unexpected_error_is_said_once_and_written_down(qtbot, window, tmp_path, monkeypatch):
    """A menu entry whose code failed did nothing: the error went to standard error only,
    which a window started from the desktop does not show."""
    log = tmp_path / "errors.log"
    monkeypatch.setattr(unexpected, "errors_log", lambda: log)
    monkeypatch.setattr(unexpected, "_said", set())
    monkeypatch.setattr(unexpected, "_shown", [])
    with unexpected.unexpected_errors_said():
        assert sys.excepthook is unexpected.say_unexpected
        sys.excepthook(*raised())
        sys.excepthook(*raised())  # the same error again: written, not said again
    assert sys.excepthook is not unexpected.say_unexpected
    boxes = [
        box for box in window.findChildren(QMessageBox) if box.objectName() == "unexpectedError"
    ]
    assert len(boxes) == 1
    assert boxes[0].text().endswith("KeyError: 'missing'")
    assert f"The details are in {log}." in boxes[0].informativeText()
    assert log.read_text(encoding="utf-8").count("KeyError: 'missing'") == 2


def test_the_error_is_said_over_a_window_when_none_is_active(qtbot, window, monkeypatch):
    """An error of a timer while the user was in another program: no window was active, the
    box had no parent, and it was gone at once, unseen (and, said once, never again)."""
    monkeypatch.setattr(unexpected, "errors_log", lambda: window.store.path.with_name("e.log"))
    monkeypatch.setattr(unexpected, "_said", set())
    monkeypatch.setattr(unexpected, "_shown", [])
    monkeypatch.setattr(unexpected.QApplication, "activeWindow", staticmethod(lambda: None))
    unexpected.say_unexpected(*raised())
    qtbot.wait(50)
    [box] = [b for b in window.findChildren(QMessageBox) if b.objectName() == "unexpectedError"]
    assert box.isVisible()
    box.done(0)
    assert unexpected._shown == []  # noqa: SLF001 - let go once closed


def test_the_log_keeps_its_newest_part(tmp_path, monkeypatch):
    log = tmp_path / "errors.log"
    monkeypatch.setattr(unexpected, "errors_log", lambda: log)
    monkeypatch.setattr(unexpected, "LOG_BYTES", 2_000)
    for n in range(100):
        unexpected._log(f"error {n}\n")  # noqa: SLF001
    text = log.read_text(encoding="utf-8")
    assert len(text) <= 2_000 and text.startswith("--- ") and "error 99" in text
