"""SIGTERM and Ctrl+C close the window as its close button does. The command line's handler
raised KeyboardInterrupt inside Qt's loop: Qt printed it and the window stayed open."""

from __future__ import annotations

import os
import signal

import pytest

from annotator.core import Article
from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from annotator.ui.stop_signals import windows_close_on_signals
from tests.ui.conftest import show_active


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_closes_the_window_and_remembers_the_article(qtbot, qapp, tmp_path, signum):
    store = Store(tmp_path / "p.db")
    store.add_articles([Article("Shelling in Homs.", title="one"), Article("Two.", title="two")])
    window = MainWindow(store, "ann")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.open_article(2)
    before = signal.getsignal(signum)
    with windows_close_on_signals(qapp) as caught:
        os.kill(os.getpid(), signum)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert caught.signum == signum and caught.exit_status == 128 + signum
    assert signal.getsignal(signum) is before  # the handler before it is back
    reopened = MainWindow(Store(tmp_path / "p.db"), "ann")  # the article was remembered
    qtbot.addWidget(reopened)
    assert reopened.current is not None and reopened.current.id == 2
    reopened.close()


def test_sigterm_while_the_first_start_asks_a_name_ends_the_program(
    qapp, tmp_path, monkeypatch, capsys
):
    """The question came before the signals were handled: SIGTERM and Ctrl+C did nothing."""
    from annotator.ui import app

    Store(tmp_path / "p.db").close()

    def asked(_settings):
        os.kill(os.getpid(), signal.SIGTERM)  # while the question shows
        return None  # the question closed by the signal

    monkeypatch.setattr(app, "_ask_name", asked)
    err = start_and_terminate(tmp_path / "p.db", capsys)
    assert "no name given" not in err


def test_a_stop_signal_ends_the_wait_for_work_on_a_thread(qapp):
    """The sample being made at the first start: the window went, the process ran on for
    40-60 s with nothing on screen."""
    import threading
    import time

    from annotator.ui.stop_signals import STOPPING
    from annotator.ui.tasks import StoppedWaiting, wait_with_dialog

    release = threading.Event()
    qapp.setProperty(STOPPING, True)
    started = time.monotonic()
    try:
        with pytest.raises(StoppedWaiting):
            wait_with_dialog("Sample", "Preparing…", lambda: release.wait(30))
    finally:
        qapp.setProperty(STOPPING, False)
        release.set()
    assert time.monotonic() - started < 5


def test_sigterm_closes_the_dialog_saying_there_is_no_such_project(qapp, tmp_path, capsys):
    """`annotator gui MISSING.db` showed its dialog before the signals were handled: only
    SIGKILL ended it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGTERM))
    # Without the fix, not for ever; stopped after, or it closed a later test's window.
    safety = QTimer(singleShot=True, interval=5000)
    safety.timeout.connect(QApplication.closeAllWindows)
    safety.start()
    try:
        assert "no such project" in start_and_terminate(tmp_path / "missing.db", capsys)
    finally:
        safety.stop()


def start_and_terminate(project, capsys) -> str:
    """``annotator PROJECT`` started in this process, a SIGTERM on its way (the caller's):
    it ends with 143, saying so; what it printed on standard error."""
    from annotator.ui import app

    before = signal.signal(signal.SIGTERM, lambda *_: None)  # unhandled, it ended pytest
    try:
        status = app.main(["annotator", str(project)])
    finally:
        signal.signal(signal.SIGTERM, before)
    assert status == 128 + signal.SIGTERM
    err = capsys.readouterr().err
    assert "closed by SIGTERM" in err
    return err
