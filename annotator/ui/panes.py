"""Moving between a window's parts from the keyboard. Tab cannot do it: in the annotation
window it walks the spans, in the review window the disagreements. So ``F6`` and
``Shift+F6`` go round the window's panes (the article list, the text, the span list...), as
in most desktop programs, and ``Ctrl+F`` goes to the article search (the review window's
article list). A list or a text box gives the keys back to the text with ``Esc``."""

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
    shown = [pane for pane in panes if pane.isVisible() and pane.isEnabled()]
    if not shown:
        return None
    focused = QApplication.focusWidget()
    at = next(
        (i for i, pane in enumerate(shown) if focused is pane or pane.isAncestorOf(focused)),
        None,
    )
    chosen = shown[0 if at is None and step > 0 else ((at or 0) + step) % len(shown)]
    chosen.setFocus(Qt.FocusReason.TabFocusReason)
    if isinstance(chosen, QLineEdit):
        chosen.selectAll()  # typing replaces what was searched before
    return chosen


def install(
    window: WindowFrame, prefix: str, panes: Panes, find: QWidget, menu: str | None = None
) -> None:
    """``F6`` / ``Shift+F6`` over ``panes()`` (in the window's reading order) and ``Ctrl+F``
    to ``find``, as actions ``<prefix>NextPane``, ``<prefix>PreviousPane``, ``<prefix>Find``
    (in ``menu``, if given)."""

    def find_it(_: WindowFrame) -> None:
        find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(find, QLineEdit):
            find.selectAll()

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
    window.add_actions(rows)
    if menu is not None:
        window.fill(window.menu(menu), ("-", *(row.name for row in rows)))
