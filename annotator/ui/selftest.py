"""The window's part of ``annotator --self-test``: Qt starts offscreen and the window opens.

The command line runs the checks (``annotator/cli/selftest.py``); what needs PySide6 is here,
so Qt stays in ``ui/``. Nothing here writes to the user's settings or projects.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QSettings,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget

from annotator.core.c_locale import ascii_case_rules
from annotator.core.errors import AnnotatorError
from annotator.storage import Store
from annotator.ui.app import ICON_SIZES, application_icon

#: Kept for the life of the process: a QApplication that is garbage-collected takes every
#: widget with it.
_application: QApplication | None = None


class WindowCheckFailed(AnnotatorError):
    """The window opened but did not show what it should."""


def start_qt() -> str:
    """Start Qt (offscreen, when this call starts it) and load the application icon.

    Returns one line for the report: PySide6 and Qt versions, the platform, the icon sizes.
    """
    global _application
    app = QApplication.instance()
    if app is None:
        # Offscreen for this check only: the self-test must pass on a machine with no
        # display, and say nothing about the user's desktop session.
        previous = os.environ.get("QT_QPA_PLATFORM")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        try:
            app = _application = QApplication([sys.argv[0] if sys.argv else "annotator"])
            ascii_case_rules()  # Qt set the user's locale again (``core/c_locale.py``)
        finally:
            if previous is None:
                del os.environ["QT_QPA_PLATFORM"]
            else:
                os.environ["QT_QPA_PLATFORM"] = previous
    sizes = sorted(size.width() for size in application_icon().availableSizes())
    if sizes != sorted(ICON_SIZES):
        missing = sorted(set(ICON_SIZES) - set(sizes))
        raise WindowCheckFailed(f"application icon sizes missing: {missing}")
    platform = app.platformName() if isinstance(app, QApplication) else "?"
    return (
        f"PySide6 {PySide6.__version__}, Qt {qVersion()}, platform {platform}, "
        f"icon {len(sizes)} sizes"
    )


#: Qt messages of the offscreen platform that say nothing about the installation.
_HARMLESS = ("does not support propagateSizeHints",)


@contextmanager
def qt_messages() -> Iterator[list[str]]:
    """Collect Qt's warnings while the block runs (for the report) instead of printing them."""
    said: list[str] = []

    def keep(kind: QtMsgType, context: object, message: str) -> None:
        if not any(harmless in message for harmless in _HARMLESS):
            said.append(message)

    previous = qInstallMessageHandler(keep)
    try:
        yield said
    finally:
        qInstallMessageHandler(previous)


@contextmanager
def _scratch_settings() -> Iterator[None]:
    """QSettings go to a temporary folder: the window saves its layout when it closes."""
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    default_format = QSettings.defaultFormat()
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as folder:
        QCoreApplication.setOrganizationName("annotator-self-test")
        QCoreApplication.setApplicationName("annotator-self-test")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        try:
            yield
        finally:
            QSettings.setDefaultFormat(default_format)
            QCoreApplication.setOrganizationName(names[0])
            QCoreApplication.setApplicationName(names[1])


def open_window(
    store: Store, annotator_name: str, article_id: int
) -> tuple[dict[str, int], list[str]]:
    """Open the window on ``store``, check it shows the article, close it.

    The project must hold that one article. Returns the spans the window gave the annotator,
    counted per label (until they edit, the article's suggestions), and what Qt
    warned about meanwhile.
    """
    from annotator.ui.main_window import MainWindow

    with _scratch_settings(), qt_messages() as warnings:
        window = MainWindow(store, annotator_name)
        try:
            window.show()
            QApplication.processEvents()
            view = window.findChild(QWidget, "articleView")
            if not isinstance(view, QPlainTextEdit | QTextEdit):
                raise WindowCheckFailed("the window has no article view")
            if view.toPlainText() != store.article(article_id).text:
                raise WindowCheckFailed("the article view does not show the article's text")
            if window.grab().isNull():
                raise WindowCheckFailed("the window cannot be drawn")
            counts: dict[str, int] = {}
            shown = window.current.spans if window.current is not None else []
            for span in shown:
                counts[span.label] = counts.get(span.label, 0) + 1
            return counts, warnings
        finally:
            window.close()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
