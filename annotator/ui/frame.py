"""What both windows are built on: actions from a table, menus and a toolbar by name, undo
and redo written through (``history.py``), a message bar for what did not happen, docked
side panels and status-bar items."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

from annotator.ui.commands import WRITE_ERRORS, StoreCommand, failure_message
from annotator.ui.history import EditHistory
from annotator.ui.message_bar import MessageBar
from annotator.ui.status_bar import FittingStatusBar
from annotator.ui.widgets import (
    Act,
    add_actions,
    attribute_name,
    give_mnemonics,
    resize_within_screen,
)

T = TypeVar("T")

#: The least width a side panel takes beside the content (the map, the Model panel).
SIDE_PANEL_WIDTH = 260


class WindowFrame(QMainWindow):
    """A main window whose actions, menus, panels and status items are added by table.

    ``add_actions(rows)`` makes actions (kept in ``named_actions`` by object name, and as
    attributes: ``actionNext`` → ``action_next``); ``menu(title)`` is a menu-bar menu,
    made before Help on first use; ``fill(menu_or_toolbar, names)`` adds actions by name
    (``-`` a separator, ``menu:Title`` a submenu); ``add_side_panel`` docks a panel;
    ``add_status_item`` puts a widget in the status bar.
    """

    #: Where the layout is remembered in QSettings.
    SETTINGS_GROUP = "window"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.named_actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.history = EditHistory(self)
        self.undo_stack = self.history.stack
        self.message_bar = MessageBar()  # each window places it over what it shows
        self.setStatusBar(FittingStatusBar(self))
        #: The part that gives its width to a docked side panel, and the width it keeps
        #: (the annotation window's text, 720 px); None: the content's size hint.
        self.panel_takes_from: tuple[QWidget, int] | None = None
        #: Actions whose keys work in a side panel floating in a window of its own too
        #: (F6, Ctrl+F): a window's keys stop at its own edge.
        self.panel_actions: list[QAction] = []
        #: The least width of a window that keeps a docked side panel beside its content
        #: (the annotation window's ``MAP_BESIDE_TEXT``), where it opens on a smaller screen
        #: than its layout was saved on; 0: any.
        self.width_for_panels = 0

    def add_actions(self, rows: Iterable[Act]) -> dict[str, QAction]:
        made = add_actions(self, rows)
        for name, action in made.items():
            self._keep(name, action)
        return made

    def add_undo_actions(self, prefix: str) -> tuple[QAction, QAction]:
        """Undo (Ctrl+Z) and redo (Ctrl+Shift+Z, Ctrl+Y), named ``<prefix>Undo``/``Redo``."""
        undo, redo = self.history.make_actions(self, prefix)
        self._keep(undo.objectName(), undo)
        self._keep(redo.objectName(), redo)
        return undo, redo

    def push(self, command: StoreCommand) -> bool:
        """Make an edit: written, then on the undo stack; ``False`` if the write failed."""
        return self.history.push(command)

    def try_write(self, write: Callable[[], T], reading: str = "") -> T | None:
        """Run a write that is not an undoable edit (active time), or a read that may fail
        (``reading``: what it reads, "it" for an article opened); if the project refuses
        it, say why and return ``None``."""
        try:
            return write()
        except WRITE_ERRORS as error:
            self.show_problem(failure_message(error, reading))
            return None

    def show_problem(self, message: str) -> None:
        """Say why something did not happen: in the message bar, and in the status bar."""
        self.message_bar.show_message(message)
        self.statusBar().showMessage(message, 10_000)

    def clear_problem(self) -> None:
        """Take back what ``show_problem`` said: moving on, it is no news (its status-bar
        copy stayed ten seconds on the next article, "flagged" on one that was not)."""
        bar = self.statusBar()
        if isinstance(bar, FittingStatusBar):
            bar.take_back(self.message_bar.text())
        elif bar.currentMessage() == self.message_bar.text():
            bar.clearMessage()
        self.message_bar.hide()

    def _keep(self, name: str, action: QAction) -> None:
        self.named_actions[name] = action
        setattr(self, attribute_name(name), action)

    def menu(self, title: str) -> QMenu:
        """The menu-bar menu ``title``, made (before Help) if it is not there yet."""
        if title not in self.menus:
            menu = QMenu(title, self)
            help_menu = self.menus.get("&Help")
            if help_menu is not None:
                self.menuBar().insertMenu(help_menu.menuAction(), menu)
            else:
                self.menuBar().addMenu(menu)
            self.menus[title] = menu
        return self.menus[title]

    def fill(self, target: QMenu | QToolBar, names: Sequence[str]) -> None:
        for name in names:
            if name == "-":
                target.addSeparator()
            elif name.startswith("menu:") and isinstance(target, QMenu):
                self.menus[name[5:]] = target.addMenu(name[5:])
            else:
                target.addAction(self.named_actions[name])
        if isinstance(target, QMenu):
            give_mnemonics(target)

    def add_toolbar(self, name: str, title: str, names: Sequence[str]) -> QToolBar:
        tools = self.addToolBar(title)
        tools.setObjectName(name)
        tools.setMovable(False)
        self.fill(tools, names)
        return tools

    def add_side_panel(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """A panel docked at the right; its place and size are remembered with the window."""
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def show_side_panel(self, dock: QDockWidget, floating: tuple[int, int], top: bool) -> None:
        """Show a side panel: beside the content where it keeps its width (what
        ``panel_takes_from`` names), else in a window of its own (``floating`` its size, at
        most half the screen) over this one's right side, at the ``top`` or the bottom (two
        panels do not cover each other, nor the status bar). Docked regardless, a panel made
        the window wider than a small screen, or squeezed the article list to "…" on a
        scaled one, or the text to 490 px in a 1580-px window."""
        if not dock.isVisible() and not dock.isFloating():
            content = self.centralWidget()
            keeps = content.sizeHint().width() if content is not None else 0
            if self.panel_takes_from is not None:
                content, keeps = self.panel_takes_from
            width = max(dock.minimumSizeHint().width(), SIDE_PANEL_WIDTH)
            if content is not None and content.width() - width < keeps:
                screen = self.screen().availableGeometry()
                frame = self.geometry().intersected(screen)
                margin = self.statusBar().height() + 8
                w = min(floating[0], screen.width() // 2)
                h = max(min(floating[1], frame.height() // 2 - margin - 8), 120)  # its half
                y = frame.top() + margin if top else frame.bottom() - h - margin
                dock.setFloating(True)
                dock.setGeometry(
                    max(frame.right() - w - 8, screen.left()), max(y, screen.top()), w, h
                )
        for action in self.panel_actions:
            if action not in dock.actions():
                dock.addAction(action)
        dock.show()
        dock.raise_()

    def add_status_item(self, widget: QWidget) -> None:
        self.statusBar().addPermanentWidget(widget)

    # -- the layout, remembered, one for each size of screen --------------------------------

    def screen_room(self) -> QRect:
        """Where the window may be on its screen (the screen's available geometry)."""
        return self.screen().availableGeometry()

    def restore_layout(self, settings: QSettings) -> bool:
        """The layout saved last on a screen of this size; else the one of the nearest larger
        screen, made to fit this one (``fit_to_screen``); else the one an older version saved
        for every screen; else none (a first window's): whether it had to be fitted."""
        group = layout_to_restore(settings, self.SETTINGS_GROUP, self.screen_room().size())
        if group is None:
            return False
        geometry = settings.value(f"{group}/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value(f"{group}/state")
        if state is not None:
            self.restoreState(state)
        saved = saved_window_size(geometry)
        room = self.screen_room()
        fitted = False
        if saved is not None and (saved.width() > room.width() or saved.height() > room.height()):
            self.fit_to_screen(saved)
            fitted = True
        self.restore_columns(settings, group, fitted)
        return fitted

    def restore_columns(self, settings: QSettings, group: str, fitted: bool) -> None:
        """What a window keeps inside besides its panels (its columns), from ``group``; not
        where the layout was ``fitted`` from a larger screen's."""

    def fit_to_screen(self, saved: QSize) -> None:
        """A layout saved on a larger screen, laid out as a first window on this one: the
        side panels docked only where the window is ``width_for_panels`` wide, none floating
        (each was placed for the other screen), the window within the screen. Saved at
        1880 px with the map docked, it came back 1476 px wide on a 910-px screen, unable
        to shrink, the status bar off it, and a Model panel saved floating over the labels."""
        room = self.screen_room()
        width = min(saved.width(), room.width() - 20)
        for dock in self.findChildren(QDockWidget):
            if dock.isFloating() or width < self.width_for_panels:
                dock.hide()  # its key shows it again, placed for this screen
                dock.setFloating(False)
        resize_within_screen(self, saved.width(), saved.height())
        self.move(room.topLeft())

    def save_layout(self, settings: QSettings) -> None:
        """The layout, for the next time on a screen of this size (one layout for every
        screen was overwritten by a laptop's, 891 x 472, and the desk's 1920-px screen had
        that one the next morning, the map undocked and the titles "Govern…")."""
        group = screen_group(self.SETTINGS_GROUP, self.screen_room().size())
        settings.setValue(f"{group}/geometry", self.saveGeometry())
        settings.setValue(f"{group}/state", self.saveState())
        self.save_columns(settings, group)

    def save_columns(self, settings: QSettings, group: str) -> None:
        """What ``restore_columns`` reads, in ``group``."""


def screen_group(group: str, room: QSize) -> str:
    """Where the layout of a screen of ``room`` (its available size) is kept in ``group``."""
    return f"{group}/{room.width()}x{room.height()}"


def layout_to_restore(settings: QSettings, group: str, room: QSize) -> str | None:
    """The settings group of the layout for a screen of ``room``: the one saved for that
    size, else the one of the smallest screen at least as large (fitted), else the one an
    older version kept for every screen (in ``group`` itself), else None."""
    settings.beginGroup(group)
    screens = [size for name in settings.childGroups() if (size := screen_size(name))]
    kept_for_every_screen = settings.contains("geometry")
    settings.endGroup()
    if room in screens:
        return screen_group(group, room)
    larger = [s for s in screens if s.width() >= room.width() and s.height() >= room.height()]
    if larger:
        return screen_group(group, min(larger, key=lambda s: s.width() * s.height()))
    return group if kept_for_every_screen else None


def screen_size(name: str) -> QSize | None:
    """``1920x1080`` as a size; None for a name that is not one."""
    width, x, height = name.partition("x")
    return QSize(int(width), int(height)) if x and width.isdigit() and height.isdigit() else None


def saved_window_size(geometry: object) -> QSize | None:
    """The window's size as ``saveGeometry`` wrote it (its frame: magic, version, then the
    frame's left, top, right, bottom), or None if that is not what ``geometry`` holds."""
    data = bytes(geometry.data()) if isinstance(geometry, QByteArray) else b""
    if len(data) < 24:
        return None
    magic, _major, _minor, left, top, right, bottom = struct.unpack(">IHH4i", data[:24])
    if magic != 0x1D9D0CB:
        return None
    return QSize(right - left + 1, bottom - top + 1)
