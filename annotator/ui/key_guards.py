"""Keys a widget keeps from the window's one-key shortcuts: typed into a text box
(``TypingGuard``), or meaning what they mean in a list or a filter (``ListKeys``; every
plain key in the lists that are not about spans, ``PlainKeys``); and the
other way round, the window's keys kept from a text that moves a caret (``WindowKeysFirst``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableView, QWidget

if TYPE_CHECKING:
    from annotator.core.editing import Tokens
    from annotator.ui.article_view import ArticleView


class TypingGuard(QObject):
    """Lets text boxes keep plain keys (digits, N, Enter) that are window shortcuts elsewhere."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride:
            if Qt.Key.Key_F1 <= event.key() <= Qt.Key.Key_F35:  # type: ignore[attr-defined]
                return False  # F1 (help) and the other function keys work in a text box too
            if event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
                return False  # Esc leaves the box for the text
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
            if modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                event.accept()
                return True
        return False


class TokenSteps(QObject):
    """Ctrl+←/→ in the text step the caret over the tokens spans snap to, not Qt's words:
    "p.m." took three steps, and Ctrl+← stopped inside "Al-|Ghaza". → goes to the end of
    the next token (Shift+→ then takes the one after), ← to the start of the one before;
    right to left, the arrows keep their side."""

    def __init__(self, view: ArticleView, tokens: Callable[[], Tokens | None]):
        super().__init__(view)
        self.view = view
        self.tokens = tokens
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress:
            return False
        key, modifiers = event.key(), event.modifiers()  # type: ignore[attr-defined]
        if modifiers != Qt.KeyboardModifier.ControlModifier or key not in _ARROWS:
            return False
        tokens = self.tokens()
        if tokens is None:
            return False
        direction = self.view.document().defaultTextOption().textDirection()
        onward = (key == Qt.Key.Key_Right) != (direction == Qt.LayoutDirection.RightToLeft)
        start, end = self.view.selected_range()
        if onward:
            caret = tokens.move_edge(end, end, "end", 1)[1]
        else:
            caret = tokens.move_edge(start, start, "start", 1)[0]
        self.view.select_range(caret, caret)
        return True


_ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


class EscBack(QObject):
    """Esc takes the keys back to ``back_to`` (the review's gold lane) instead of closing
    the window: from a list, or an annotator's lane, where it closed the review window."""

    def __init__(self, parent: QObject, back_to: QWidget | None = None):
        super().__init__(parent)
        self.back_to = back_to

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = event.key()  # type: ignore[attr-defined]
        # (Not to a hidden lane, with nothing to review: Esc closes the window then.)
        if key == Qt.Key.Key_Escape and self.back_to is not None and self.back_to.isVisible():
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.back_to.setFocus()
            return True
        return False


class EscClears(QObject):
    """Esc in the review's gold lane drops the selection there, if there is one, before it
    closes the window: a reviewer pressing Esc to let go of a span lost the review window."""

    def __init__(self, view: ArticleView):
        super().__init__(view)
        self.view = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if event.key() != Qt.Key.Key_Escape or not self.view.textCursor().hasSelection():  # type: ignore[attr-defined]
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            self.view.clear_selection()
        return True


class EscAfterEnter(QObject):
    """The first Esc in the review's gold lane after Enter in the search box or the article
    list sent the keys there (``arm``) stays in the window and says where the keys are: a
    reviewer leaving the box by Esc, as the keys line says, closed the review, and the next
    keys went into the main window unnoticed. Any other key, a click or leaving the lane
    makes Esc close again."""

    def __init__(self, view: ArticleView, say: Callable[[str], None]):
        super().__init__(view)
        self.view = view
        self.say = say
        self.armed = False
        view.installEventFilter(self)

    def arm(self) -> None:
        self.armed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.FocusOut, QEvent.Type.MouseButtonPress):
            self.armed = False
        if not self.armed or kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key in _MODIFIER_KEYS:
            return False
        if key != Qt.Key.Key_Escape:
            self.armed = False  # (a shortcut's key comes as an override alone: N, 2)
            return False
        if self.view.textCursor().hasSelection():
            if kind == QEvent.Type.KeyPress:
                self.armed = False  # a selection let go of: Esc did not close (``EscClears``)
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            self.armed = False
            self.say("The keys are in the gold lane: Esc again closes the review")
        return True


_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta)


class ListKeys(EscBack):
    """Enter and Tab keep their meaning in a list or a filter: Enter activates the row (the
    article list opens it; the span list goes back to the text) and Tab moves the focus on.
    As the window's shortcuts they marked the open article done, and selected the next span,
    while the user was moving in a list. Esc goes ``back_to`` (``EscBack``)."""

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if super().eventFilter(watched, event):
            return True
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in self.KEYS:  # type: ignore[attr-defined]
            return _kept(event)
        return False


class PlainKeys(ListKeys):
    """A list or filter that is not about spans keeps every plain key (a letter or digit
    finds a row by its first letters; Del, Space, PgDown are its own): in the article list
    and the status filter, 2 relabelled the selected span (its link dropped), Del deleted it
    and S skipped the open article, unseen. Function keys (F1) and Esc still reach the window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if super().eventFilter(watched, event):
            return True
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key == Qt.Key.Key_Escape or Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35:
            return False
        return _kept(event)


def _kept(event: QEvent) -> bool:
    """Keep a key pressed without modifiers (Shift and the keypad aside) from the window's
    shortcuts: the widget takes it."""
    modifiers = event.modifiers() & ~(  # type: ignore[attr-defined]
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    )
    if modifiers == Qt.KeyboardModifier.NoModifier:
        event.accept()
        return True
    return False


def keep_list_keys(guard: ListKeys, *widgets: QWidget) -> None:
    """``ListKeys`` on each widget; a table's Tab leaves it instead of moving between cells."""
    for widget in widgets:
        widget.installEventFilter(guard)
        if isinstance(widget, QTableView):
            widget.setTabKeyNavigation(False)


class WindowKeysFirst(QObject):
    """In a text whose caret the arrows move (selecting words from the keyboard), the
    window's own keys stay the window's: the text would take Shift+←/→ (a span's edges) and
    PgDown/PgUp (the next article) for its caret."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        pressed = QKeySequence(event.keyCombination())  # type: ignore[attr-defined]
        for action in self.window.actions():
            if action.isEnabled() and pressed in action.shortcuts():
                event.ignore()  # not the text's: the shortcut fires
                return True
        return False
