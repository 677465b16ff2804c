"""Moving between a window's parts from the keyboard. Tab cannot do it: in the annotation
window it walks the spans, in the review window the disagreements. So ``F6`` and
``Shift+F6`` go round the window's panes (the article list, the text, the span list...), as
in most desktop programs, and ``Ctrl+F`` goes to the article search (the review window's
article list), from a side panel floating in a window of its own too. A list or a text box
gives the keys back to the text with ``Esc``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from annotator.ui.frame import WindowFrame
from annotator.ui.widgets import Act

Panes = Callable[[], Sequence[QWidget]]


def next_pane(panes: Sequence[QWidget], step: int) -> QWidget | None:
    """Focus the pane after (``step`` 1) or before (-1) the one that has the focus, among
    those shown; returns it. From outside every pane, F6 starts at the first."""
    shown = [pane for pane in panes if pane.isEnabled() and _seen(pane)]
    if not shown:
        return None
    focused = QApplication.focusWidget()
    at = next(
        (i for i, pane in enumerate(shown) if focused is pane or pane.isAncestorOf(focused)),
        None,
    )
    chosen = shown[0 if at is None and step > 0 else ((at or 0) + step) % len(shown)]
    _focus(chosen, Qt.FocusReason.TabFocusReason)
    return chosen


def _seen(pane: QWidget) -> bool:
    """Shown, and not in a part of no size: the keys would go where nobody sees."""
    widget: QWidget | None = pane
    while widget is not None:
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            return False
        widget = None if widget.isWindow() else widget.parentWidget()
    return True


def _focus(widget: QWidget, reason: Qt.FocusReason) -> None:
    """Give ``widget`` the keys, in a window of its own too (a side panel floating, or the
    main window from such a panel): focus in a window that is not active goes nowhere."""
    window = QWidget.window(widget)  # unbound: a pane may name an attribute ``window``
    if window is not QApplication.activeWindow():
        window.activateWindow()
    widget.setFocus(reason)
    if isinstance(widget, QLineEdit):
        widget.selectAll()  # typing replaces what was searched before


def install(
    window: WindowFrame, prefix: str, panes: Panes, find: QWidget, menu: str | None = None
) -> None:
    """``F6`` / ``Shift+F6`` over ``panes()`` (in the window's reading order) and ``Ctrl+F``
    to ``find``, as actions ``<prefix>NextPane``, ``<prefix>PreviousPane``, ``<prefix>Find``
    (in ``menu``, if given)."""

    def find_it(_: WindowFrame) -> None:
        _focus(find, Qt.FocusReason.ShortcutFocusReason)

    rows = (
        Act(f"{prefix}NextPane", "Next pane", ("F6",), lambda _: next_pane(panes(), 1)),
        Act(
            f"{prefix}PreviousPane",
            "Previous pane",
            ("Shift+F6",),
            lambda _: next_pane(panes(), -1),
        ),
        Act(f"{prefix}Find", "Find an article", ("Ctrl+F",), find_it),
    )
    window.panel_actions.extend(window.add_actions(rows).values())
    if menu is not None:
        window.fill(window.menu(menu), ("-", *(row.name for row in rows)))
