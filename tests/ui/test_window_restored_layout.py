"""A window's layout saved on a larger screen fits the screen it opens on (the offscreen
screen of the tests is 800 x 600)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize
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


def on_a_screen(monkeypatch, width: int, height: int) -> None:
    """The windows' screen as ``width`` x ``height`` (the offscreen one is 800 x 600)."""
    from annotator.ui.frame import WindowFrame

    room = QRect(0, 0, width, height)
    monkeypatch.setattr(WindowFrame, "screen_room", lambda _window: room, raising=False)


def test_a_smaller_screens_session_leaves_the_larger_ones_layout(qtbot, project, monkeypatch):
    """A day on a laptop (910 x 512: 1366 x 768 scaled 150 %) overwrote the desk's layout
    (1920 x 1080): back at the desk, the window was 1780 x 860, the map not docked, the
    article list 160 px ("Govern…")."""
    settings = QSettings()
    on_a_screen(monkeypatch, 1920, 1080)
    saved_on_a_large_screen(qtbot, project, settings)
    desk = reopened(qtbot, project, settings)
    desk.splitter.setSizes([420, 900, 400])
    QApplication.processEvents()
    left = (desk.size(), desk.splitter.sizes())
    desk.save_layout(settings)
    desk.close()
    monkeypatch.undo()  # the laptop: the desk's layout fitted to it
    laptop = reopened(qtbot, project, settings)
    assert laptop.screen().availableGeometry().contains(laptop.frameGeometry())
    laptop.resize(700, 500)
    laptop.splitter.setSizes([160, 400, 140])
    QApplication.processEvents()
    laptop.save_layout(settings)
    laptop.close()
    on_a_screen(monkeypatch, 1920, 1080)
    again = reopened(qtbot, project, settings)
    assert (again.size(), again.splitter.sizes()) == left
    assert again.entity_links.places.dock.isVisible()
    assert not again.entity_links.places.dock.isFloating()
    again.close()


def test_a_layout_is_restored_from_the_nearest_larger_screen(qtbot, project, monkeypatch):
    """Saved on 2560 x 1440 and on 1920 x 1080: a 1600 x 900 screen opens the 1920 one's,
    fitted; a larger screen than any saved opens as a first window (not a smaller one's)."""
    from annotator.ui.frame import layout_to_restore

    settings = QSettings()
    for width, height in ((2560, 1440), (1920, 1080)):
        on_a_screen(monkeypatch, width, height)
        window = reopened(qtbot, project, settings)
        window.save_layout(settings)
        window.close()
    assert layout_to_restore(settings, "window", QSize(1600, 900)) == "window/1920x1080"
    assert layout_to_restore(settings, "window", QSize(1920, 1080)) == "window/1920x1080"
    assert layout_to_restore(settings, "window", QSize(2000, 1080)) == "window/2560x1440"
    assert layout_to_restore(settings, "window", QSize(3840, 2160)) is None


def test_a_layout_saved_for_every_screen_by_an_older_version_is_read(qtbot, project):
    first = reopened(qtbot, project, QSettings())
    first.resize(first.width() - 10, 500)
    settings = QSettings()
    settings.setValue("window/geometry", first.saveGeometry())  # (no screen's size)
    settings.setValue("window/state", first.saveState())
    first.close()
    again = reopened(qtbot, project, settings)
    assert again.size() == first.size()
    again.close()
