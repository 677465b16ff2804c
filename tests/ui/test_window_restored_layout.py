"""A window's layout saved on a larger screen fits the screen it opens on (the offscreen
screen of the tests is 800 x 600)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import show_active


def saved_on_a_large_screen(qtbot, project, settings: QSettings) -> None:
    """A window 1880 x 1040 with the map docked beside the text, its layout saved."""
    from annotator.ui.main_window import MainWindow

    large = MainWindow(project, "ana")
    qtbot.addWidget(large)
    large.resize(1880, 1040)
    show_active(qtbot, large)
    large.entity_links.places.show()
    QApplication.processEvents()
    assert not large.entity_links.places.dock.isFloating()  # docked: there was room
    large.save_layout(settings)
    large.close()


def reopened(qtbot, project, settings: QSettings, width_for_panels: int | None = None):
    """The window restored from ``settings``, on a screen as wide as ``width_for_panels``
    (the width that keeps a panel docked) if given."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    if width_for_panels is not None:
        window.width_for_panels = width_for_panels
    window.restore_layout(settings)
    show_active(qtbot, window)
    return window


def test_a_layout_from_a_larger_screen_fits_this_one(qtbot, project, tmp_path):
    """Saved at 1880 px with the map docked, it came back 1476 px wide on a 910-px screen,
    its least width 1476 (nothing could shrink it), the status bar off the screen and the
    titles "…"; the map stayed docked on a screen a fresh start leaves it out of."""
    first = reopened(
        qtbot, project, QSettings(str(tmp_path / "none.ini"), QSettings.Format.IniFormat)
    )
    first_columns = first.splitter.sizes()
    first.close()
    settings = QSettings()
    saved_on_a_large_screen(qtbot, project, settings)
    window = reopened(qtbot, project, settings)
    room = window.screen().availableGeometry()
    assert room.contains(window.frameGeometry())
    assert window.minimumSizeHint().width() <= room.width()
    assert not window.entity_links.places.dock.isVisible()  # as a first window here
    assert window.splitter.sizes() == first_columns  # shared for this width, not kept
    window.close()


def test_a_layout_from_the_same_screen_is_kept(qtbot, project):
    settings = QSettings()
    first = reopened(qtbot, project, settings)
    first.resize(first.width() - 10, 500)
    first.save_layout(settings)
    first.close()
    again = reopened(qtbot, project, settings)
    assert again.size() == first.size() and again.columns.restored
    again.close()


def test_a_panel_floating_on_a_larger_screen_is_not_put_over_this_one(qtbot, project):
    """The Model panel saved floating at x=1311 on a 1920-px screen came back on a 1280-px
    one over the label buttons and the span list: placed for another screen, it is hidden
    even where the window has the room to dock it."""
    from annotator.ui.main_window import MainWindow

    settings = QSettings()
    large = MainWindow(project, "ana")
    qtbot.addWidget(large)
    large.resize(1880, 1040)
    show_active(qtbot, large)
    dock = large.model_panel.dock
    large.model_panel.show_panel()
    dock.setFloating(True)
    dock.setGeometry(1311, 34, 460, 640)
    large.save_layout(settings)
    large.close()
    window = reopened(qtbot, project, settings, width_for_panels=0)
    dock = window.model_panel.dock
    assert not dock.isVisible()
    window.model_panel.show_panel()  # placed for this screen, as a first window's
    room = window.screen().availableGeometry()
    assert room.contains(dock.frameGeometry()) or not dock.isFloating()
    window.close()
