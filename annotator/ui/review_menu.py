"""The right button in the review window's gold lane, as in the annotation window
(``span_menu.py``): on a gold span (selected first, as a click selects it) the labels to
relabel it to, Delete, and a claim's source and attributes; on selected words, the labels to
make a gold span of them; Copy and Select All last. The entries are the review window's own
actions (Ctrl+1/2/3…, Del, R, D, H, Q), or say what those do to this span, so each says its
key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.core import editing
from annotator.core.model import Span
from annotator.ui.span_menu import copy_entries, menu_key, relation_entries, show, stepping
from annotator.ui.text_positions import character_under

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def install(window: ReviewWindow) -> None:
    view = window.gold_view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda at: gold_menu(window, at))
    menu_key(view, lambda: view.cursorRect().center())


def gold_menu(window: ReviewWindow, at: QPoint) -> QMenu:
    """The menu for a right click at ``at`` in the gold lane's viewport, shown there."""
    view = window.gold_view
    menu = QMenu(view, objectName="goldMenu")
    # (while a source is chosen, a click chooses it: the status bar says what it expects)
    if window.review is not None and window.claims.choosing is None:
        fill(window, menu, view.offsets.from_utf16(character_under(view, QPointF(at))))
    copy_entries(menu, view)
    return show(menu, view.viewport().mapToGlobal(at))


def fill(window: ReviewWindow, menu: QMenu, offset: int) -> None:
    """For words selected at ``offset``, the labels; for a gold span there, its actions;
    else, for words selected elsewhere, the labels."""
    editor = window.gold_editor
    start, end = window.gold_view.selected_range()
    selected = editor.still_selected()
    words = start < end and selected is None
    if words and start <= offset <= end:
        menu.addActions(list(window.label_actions.values()))
        return
    if selected is not None and selected.start <= offset < selected.end:
        span: Span | None = selected  # (a click there takes the one around it)
    else:
        span = editing.span_under(window.gold, offset, None)
    if span is None:
        if words:
            menu.addActions(list(window.label_actions.values()))
        return
    editor.selected = span
    window.gold_view.select_range(span.start, span.end, scroll=False)
    relabel = menu.addMenu("&Relabel as")
    relabel.setObjectName("goldRelabelMenu")
    own = f"reviewLabel_{span.label}"
    relabel.addActions([a for name, a in window.label_actions.items() if name != own])
    menu.addAction(window.named_actions["reviewDeleteGold"])
    claim_entries = claim_actions(window, span, menu)
    if claim_entries:
        menu.addSeparator()
        menu.addActions(claim_entries)


def claim_actions(window: ReviewWindow, span: Span, menu: QMenu) -> list[QAction]:
    """The gold lane's claim actions that apply to ``span``: choose (and, with one, remove)
    its relations of each type it heads or is the source of, step each attribute of its
    label from the value it has."""
    actions, scheme, found = window.claims.actions, window.claim_scheme, []
    place = (span.start, span.end, span.label)
    for relation_type in scheme.relation_types:
        name = relation_type.name
        heads = span.label in relation_type.head_labels
        if not heads and span.label not in relation_type.child_labels:
            continue
        has_one = any(
            r.label == name and ((e := r.head if heads else r.child).start, e.end, e.label) == place
            for r in window.gold_claims.relations
        )
        remove = actions.get(f"actionRemoveRelation_{name}") if has_one else None
        choose = actions.get(f"actionRelation_{name}")
        found += relation_entries(menu, relation_type, heads, choose, remove)
    values = window.gold_claims.values(span)
    for attribute_type in scheme.attribute_types:
        step = actions.get(f"actionAttribute_{attribute_type.name}")
        if attribute_type.label == span.label and step is not None:
            value = values.get(attribute_type.name, attribute_type.default)
            found.append(stepping(menu, step, attribute_type, value))
    return found
