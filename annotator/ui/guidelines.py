"""The annotation guidelines (Help → Guidelines, F1): the project's own above the program's,
in a window beside the one they are read from, and F1 while a modal dialog runs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.resources import resource_text
from annotator.storage.base import GUIDELINES_SETTING
from annotator.ui.conveniences import add_close_keys
from annotator.ui.widgets import resize_within_screen


def show_guidelines(window: QWidget, over: QWidget | None = None) -> QDialog:
    """Help → Guidelines, beside the window (not modal: one reads it while annotating);
    ``over`` a modal dialog, a child of it (the dialog blocks the window's children)."""
    host = over or window
    existing = _open_guidelines(host)
    if existing is not None:
        _show_guidelines_of(existing, window)
        existing.show()
        existing.raise_()
        return existing
    dialog = QDialog(host, objectName="guidelinesDialog")
    dialog.setWindowTitle("Annotation guidelines")
    # A window of its own, not a tool window: Qt counts a tool window's keys as its
    # parent's, so the annotation window's keys (Esc, the label keys) acted from here.
    dialog.setWindowFlag(Qt.WindowType.Window, True)
    browser = QTextBrowser(dialog, accessibleName="Annotation guidelines")
    browser.setObjectName("guidelinesText")
    browser.setOpenExternalLinks(False)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    add_close_keys(dialog)
    resize_within_screen(dialog, 720, 800)
    _show_guidelines_of(dialog, window)
    dialog.show()
    return dialog


def _show_guidelines_of(dialog: QDialog, window: QWidget) -> None:
    """The project's own guidelines, if it has some, above the program's; read at every
    showing (another project may be open now)."""
    store = getattr(window, "store", None)
    own = store.setting(GUIDELINES_SETTING) if store is not None and not store.closed else ""
    if dialog.property("own") == own and dialog.property("shown"):
        return  # as shown: set again, the text would jump back to its top
    browser = dialog.findChild(QTextBrowser, "guidelinesText")
    browser.setMarkdown(guidelines_text(own))
    dialog.setProperty("own", own)
    dialog.setProperty("shown", True)


def follow_guidelines(window: QWidget) -> None:
    """The project's guidelines changed elsewhere (``annotator guidelines --set``): an open
    guidelines window shows them (it kept the old ones until F1 was pressed again)."""
    dialog = _open_guidelines(window)
    if dialog is not None and dialog.isVisible():
        _show_guidelines_of(dialog, window)


def _open_guidelines(host: QWidget) -> QDialog | None:
    """The guidelines window ``host`` opened, if any (its own: not one over a dialog)."""
    return host.findChild(QDialog, "guidelinesDialog", Qt.FindChildOption.FindDirectChildrenOnly)


def guidelines_text(own: str = "") -> str:
    """The program's guidelines, after the project's own (``annotator guidelines DB --set``)."""
    general = resource_text("guidelines.md")
    if not own.strip():
        return general
    return f"{own.rstrip()}\n\n---\n\n# The program's guidelines\n\n{general}"


class HelpOverModals(QObject):
    """F1 while a modal dialog runs (Export, Preferences, the link dialog): the window's F1,
    an application shortcut, is blocked by it, and nothing opened. The guidelines open over
    the dialog instead, as a window of its own that the dialog does not block."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or event.key() != Qt.Key.Key_F1:  # type: ignore[attr-defined]
            return False
        modal = QApplication.activeModalWidget()
        if modal is None:
            return False  # the window's own F1 works
        show_guidelines(_project_window(modal), over=modal)
        return True


def _project_window(widget: QWidget) -> QWidget:
    """The window a dialog belongs to whose project's guidelines it shows (one with a
    ``store``), else the dialog itself."""
    found: QWidget | None = widget
    while found is not None and not hasattr(found, "store"):
        found = found.parentWidget()
    return found or widget


_HELP: HelpOverModals | None = None


def help_over_modals() -> None:
    """Install ``HelpOverModals`` on the application, once."""
    global _HELP
    if _HELP is None:
        _HELP = HelpOverModals(QApplication.instance())
        QApplication.instance().installEventFilter(_HELP)
