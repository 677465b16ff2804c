"""Small builders both windows use: keyboard actions from a table, tables, panels."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QMenu,
    QMessageBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def make_action(
    window: QWidget, name: str, text: str, keys: Sequence[str], slot: Callable, tip: str = ""
) -> QAction:
    """An action with an object name (tests find it by name) and window-wide shortcuts."""
    action = QAction(text, window, objectName=name)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    tip = tip or action.iconText()  # the text without its shortcut markers
    action.setToolTip(plain_tip(f"{tip} ({', '.join(keys)})" if keys else tip))
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as written: Qt renders a tooltip that looks like HTML
    as HTML, and titles, label descriptions and article text come from outside. A word
    longer than ``_LONGEST_WORD`` may break (a run of 600 letters in a comment made the
    tooltip wider than the screen, and an Arabic comment after it landed off screen)."""
    if not text:
        return ""
    breakable = _LONG_WORD.sub(lambda found: found.group() + "\u200b", text)
    return f"<p style='white-space:pre-wrap'>{html.escape(breakable)}</p>"


_LONGEST_WORD = 60
_LONG_WORD = re.compile(rf"[^\s\u200b]{{{_LONGEST_WORD}}}(?=[^\s\u200b])")


def plain_label(text: str = "", **options) -> QLabel:
    """A label that never interprets its text as HTML."""
    label = QLabel(text, **options)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


#: The average character width, in pixels, of the fonts the layout's widths were made for
#: (9–11 pt at 96 DPI).
PLAIN_CHARACTER = 7


def font_scale(widget: QWidget) -> float:
    """How much wider than the layout's pixels the widget's text runs: 1 at usual sizes,
    about 1.5 with the desktop's font at 14 pt (the article list's titles were all "…" in
    220 pixels). A scaled screen (QT_SCALE_FACTOR, QT_FONT_DPI) scales the pixels too: 1."""
    return max(1.0, widget.fontMetrics().averageCharWidth() / PLAIN_CHARACTER)


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
    detailed: str = "",
    name: str = "",
) -> QMessageBox:
    """A message box that shows its texts as written: file names, titles, records and
    messages come from outside, and Qt would render a text that looks like HTML as HTML
    (and open its links) in the main and the informative text alike."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if informative:
        box.setInformativeText(informative)
    for label in box.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setOpenExternalLinks(False)
    if detailed:
        box.setDetailedText(detailed)  # a plain-text view already
    if name:
        box.setObjectName(name)
    return box


def open_over(window: QWidget, box: QMessageBox) -> None:
    """Open ``box`` over ``window`` (window-modal, not blocking), and give the window the
    keys back when it closes: with no window manager to hand them back (an X session
    without one, Xvfb), they went to no window, and Ctrl+Q after an export's report did
    nothing."""
    box.finished.connect(lambda _result: window.activateWindow() if window.isVisible() else None)
    box.open()


class Act(NamedTuple):
    """One row of a window's action table: ``handler(window)`` runs when it is triggered."""

    name: str  # the objectName tests and settings find it by
    text: str
    keys: Sequence[str]
    handler: Callable[[Any], object]
    tip: str = ""


def add_actions(window: QWidget, rows: Iterable[Act]) -> dict[str, QAction]:
    """Make one action per row, each triggering ``row.handler(window)``; keyed by name."""
    return {
        row.name: make_action(
            window, row.name, row.text, row.keys, lambda _=False, h=row.handler: h(window), row.tip
        )
        for row in rows
    }


def action_text(text: str) -> str:
    """``text`` shown literally in a menu or on a button: ``&`` is not a shortcut marker."""
    return text.replace("&", "&&")


def give_mnemonics(menu: QMenu, only: Collection[QAction] | None = None) -> None:
    """Underline a letter in each item of ``menu`` that has none, a different one from the
    others' (Alt+F, then O, opens File → Open project…): a word's first letter where one is
    free, else any free letter; an item with none free keeps none. Items whose text
    changes later (Undo's "Undo relabel …") lose it, as in most programs. ``only``: the
    items it may change (a right-click menu's own entries, the window's actions in it
    keeping the letters of their menus); a key written after a tab is no letter of it."""
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    used = {m.lower() for a in actions if (m := mnemonic(a.text()))}
    for action in actions:
        text = action.text()
        if mnemonic(text) is not None or (only is not None and action not in only):
            continue
        words = text.split("\t")[0]
        letters = [i for i, c in enumerate(words) if c.isalnum()]
        starts = [i for i in letters if i == 0 or not text[i - 1].isalnum()]
        free = next((i for i in (*starts, *letters) if text[i].lower() not in used), None)
        if free is not None:
            used.add(text[free].lower())
            action.setText(f"{text[:free]}&{text[free:]}")


def mnemonic(text: str) -> str | None:
    """The letter ``&`` marks in an action's text (``&&`` is a written ampersand)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1]
            i += 1
        i += 1
    return None


def attribute_name(object_name: str) -> str:
    """``actionDeleteSpan`` → ``action_delete_span``: the attribute a window keeps it in."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", object_name).lower()


def make_table(model: QAbstractItemModel, name: str, stripes: bool = True) -> QTableView:
    """A read-only table that selects whole rows, one at a time, and leaves Tab to the window."""
    return configure_table(QTableView(objectName=name), model, stripes)


def configure_table(table: QTableView, model: QAbstractItemModel, stripes: bool = True):
    """Set up ``table`` as ``make_table`` does (for subclasses of ``QTableView``)."""
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setShowGrid(False)
    table.setAlternatingRowColors(stripes)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    # The list the keys go to is framed (a faint dotted row was all that changed: F6 to the
    # span list showed nothing one could see).
    table.setStyleSheet(FOCUS_FRAME)
    return table


FOCUS_FRAME = "QTableView:focus { border: 2px solid palette(highlight); }"


class OpenedByClickOnly(QObject):
    """Keeps a list's highlight on the row its window has open (``mark_open`` marks it
    again). A press marks the row under it, but only a left click released on that row
    opens it: a press dragged into the text, or onto another row, or a right click, left
    the list highlighting a row whose article was not the one shown, and Done & next then
    marked the one shown."""

    def __init__(self, table: QTableView, mark_open: Callable[[], None]):
        super().__init__(table)
        self._table = table
        self._mark_open = mark_open
        self._pressed_row = -1
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(event, QMouseEvent):
            return False
        at = event.position().toPoint()
        # (``indexAt`` finds a row beside the list too, where a column stretches to it)
        row = self._table.indexAt(at).row() if self._table.viewport().rect().contains(at) else -1
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._pressed_row = row
        elif event.type() == QEvent.Type.MouseButtonRelease:
            clicked = event.button() == Qt.MouseButton.LeftButton and row == self._pressed_row
            if not clicked or row < 0:
                # (the view's release selects nothing more: marked now, it stays marked)
                self._mark_open()
        return False


def wheel_only_when_focused(*boxes: QWidget) -> None:
    """Combos and spin boxes of a scrolled panel turn with the wheel only once they have the
    keys (a click or Tab gives them); before, the wheel scrolls the panel. Scrolling the
    Model panel over its 'Annotators' combo chose one annotator, whose bars the chart then
    showed under a choice nobody made."""
    for box in boxes:
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # (Qt's WheelFocus: the wheel took it)
        box.installEventFilter(_WheelPassesUnfocused(box))


class _WheelPassesUnfocused(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False
        event.ignore()  # ignored, Qt gives it to the parent: the scroll area scrolls
        return True


def make_panel(widgets: Sequence[QWidget], panel: QWidget | None = None) -> QWidget:
    """Widgets stacked vertically with a small margin: one column of a window (``panel``,
    or a new widget)."""
    panel = panel if panel is not None else QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(6, 6, 6, 6)
    for widget in widgets:
        layout.addWidget(widget)
    return panel


class ElidingComboBox(QComboBox):
    """A combo about ``characters`` wide whatever its entries, a longer one cut with "…",
    whole in its tooltip and in the list it opens: '…as Export chooses (4 done; 4 not
    settled between annotators, left out)' made the Train dialog 1,295 px wide at least,
    past a 1280-px screen scaled 150 %."""

    def __init__(self, characters: int = 40, **options):
        super().__init__(**options)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(characters)
        self.view().setTextElideMode(Qt.TextElideMode.ElideNone)  # (the list opens wider)
        self.currentIndexChanged.connect(lambda _: self.setToolTip(self.currentText()))
        self.model().rowsInserted.connect(self._whole_in_tooltips)

    def _whole_in_tooltips(self, _parent: object, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        # (Qt clips the entry at the box's edge: 'as Ex' gave no sign that more followed)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def said_in_window(message: str, words: Iterable[tuple[str, str]]) -> str:
    """``message`` with the command line's advice said in the window's terms: ``words``
    pairs the command line's words with the window's (the Import and Export reports both
    named options the window does not have)."""
    for command_line, window in words:
        message = message.replace(command_line, window)
    return message


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, made smaller where the screen is smaller (a window
    opened past a small screen's edge hides its buttons)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 20), min(height, room.height() - 40)
    widget.resize(max(width, 200), max(height, 150))
