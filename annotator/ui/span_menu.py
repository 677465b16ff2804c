"""The right button in the annotation window: on a span of the text (selected first, as a
click selects it) or on its row in the span list, what can be done to it; on selected
words, the labels to make a span of them; Copy and Select All last. (Qt's Copy and
Select All were all it offered: a mouse user could not label, relabel, delete, link
or choose a claim's source from where they were.)

The entries are the window's own actions (``main_actions.py``, the label actions, the
link actions), so a menu entry says the key that does the same, and does it the same way;
a claim's entries trigger its actions in words of what they do to this span ("Remove as
source of its claims" on a source, where the claim's "Remove sources" was said)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QPlainTextEdit

from annotator.core import editing
from annotator.core.model import ENTITY_KIND, Span
from annotator.core.relations import AttributeType, RelationType
from annotator.ui.claim_links import heads_in_words
from annotator.ui.text_positions import character_under
from annotator.ui.widgets import action_text, give_mnemonics

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    """The menus of the text and of the span list's rows."""
    for widget, show in ((window.view, text_menu), (window.span_list, row_menu)):
        widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        widget.customContextMenuRequested.connect(lambda at, show=show: show(window, at))
    view, span_list = window.view, window.span_list
    menu_key(view, lambda: view.cursorRect().center())
    menu_key(span_list, lambda: span_list.visualRect(span_list.currentIndex()).center())


def menu_key(widget: QAbstractScrollArea, where: Callable[[], QPoint]) -> None:
    """Shift+F10 opens ``widget``'s menu where the keys are (``where``, in its viewport), as
    the Menu key does: the desktops' other key for it did nothing."""
    shortcut = QShortcut(
        QKeySequence("Shift+F10"), widget, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
    )
    shortcut.activated.connect(lambda: widget.customContextMenuRequested.emit(where()))


def text_menu(window: MainWindow, at: QPoint) -> QMenu:
    """The menu for a right click at ``at`` in the text's viewport, shown there."""
    view = window.view
    offset = view.offsets.from_utf16(character_under(view, QPointF(at)))
    menu = QMenu(view, objectName="textMenu")
    fill(window, menu, offset)
    copy_entries(menu, view)
    return show(menu, view.viewport().mapToGlobal(at))


def copy_entries(menu: QMenu, view: QPlainTextEdit) -> None:
    """Copy and Select All, last, after a line if the menu has entries before them."""
    if menu.actions():
        menu.addSeparator()
    copy = menu.addAction("&Copy", view.copy)
    copy.setShortcut(QKeySequence.StandardKey.Copy)
    copy.setEnabled(view.textCursor().hasSelection())
    menu.addAction("Select &All", view.selectAll).setShortcut(QKeySequence.StandardKey.SelectAll)


def row_menu(window: MainWindow, at: QPoint) -> QMenu | None:
    """The menu for a right click on a row of the span list: that span's, selected."""
    span_list = window.span_list
    row = span_list.indexAt(at).row()
    if row < 0 or window.current is None or window.claims.is_choosing:
        return None
    window.editor.select_span(span_list.span_model.spans[row])
    menu = QMenu(span_list, objectName="spanMenu")
    span_actions(window, menu, window.editor.selected)
    return show(menu, span_list.viewport().mapToGlobal(at)) if menu.actions() else None


def show(menu: QMenu, where: QPoint) -> QMenu:
    # The window's actions keep their menus' letters; the entries made here get free ones
    # ("Choose source…" and "Copy" shared C, "Remove sources" and "Relabel as" R: R opened
    # Relabel as).
    give_mnemonics(menu, only=[a for a in menu.actions() if a.parent() is menu])
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(where)
    return menu


def fill(window: MainWindow, menu: QMenu, offset: int) -> None:
    """What the right button offers at ``offset``: for words selected there, the labels;
    for a span there, its actions; else, for words selected elsewhere, the labels."""
    current, editor = window.current, window.editor
    if current is None or current.loading or window.claims.is_choosing:
        return  # (while choosing, a click chooses: the status bar says what it expects)
    start, end = window.view.selected_range()
    words = start < end and editor.selected is None
    if words and start <= offset <= end:
        menu.addActions(list(window.label_actions.values()))
        return
    span = span_at(window, offset)
    if span is not None:
        editor.select_span(span, scroll=False)
        span_actions(window, menu, editor.selected)
    elif words:
        menu.addActions(list(window.label_actions.values()))


def span_at(window: MainWindow, offset: int) -> Span | None:
    """The span a right click at ``offset`` is about: the selected one, if it is there
    (a click there takes the one around it), else the innermost there."""
    current, selected = window.current, window.editor.selected
    if current is None:
        return None
    if selected is not None and selected.start <= offset < selected.end:
        return selected
    return editing.span_under(current.spans, offset, None)


def span_actions(window: MainWindow, menu: QMenu, span: Span | None) -> None:
    """The selected ``span``'s entries: the labels to relabel it to, Delete, what it refers
    to and every mention for a name, a claim's source and attributes."""
    if span is None:
        return
    named = window.named_actions
    relabel = menu.addMenu("&Relabel as")
    relabel.setObjectName("relabelMenu")
    relabel.addActions([a for name, a in window.label_actions.items() if name != span.label])
    menu.addAction(named["actionDeleteSpan"])
    kind = window.kinds.get(span.label, ENTITY_KIND)
    if kind == ENTITY_KIND:
        menu.addActions([named["actionLink"], named["actionEveryMention"]])
    claim_entries = claim_actions(window, span, menu)
    if claim_entries:
        menu.addSeparator()
        menu.addActions(claim_entries)


def claim_actions(window: MainWindow, span: Span, menu: QMenu) -> list[QAction]:
    """The claim scheme's actions that apply to ``span``: choose (and, with one, remove)
    its relations of each type it heads or is the source of (R on a source picks its
    claim), step each attribute of its label from the value it has."""
    claims, found = window.claims, []
    links = claims.links
    for relation_type in links.relation_types:
        name = relation_type.name
        heads = span.label in relation_type.head_labels
        if not heads and span.label not in relation_type.child_labels:
            continue
        if heads:
            linked = bool(links.sources_of(span.id, name))
        else:
            linked = any(r.label == name for r in links.claims_of(span.id))
        remove = claims.actions[f"actionRemoveRelation_{name}"]
        found += relation_entries(
            menu,
            relation_type,
            heads,
            claims.actions[f"actionRelation_{name}"],
            remove if span.id is not None and linked else None,
        )
    for attribute_type, value, _ in links.values(span):
        action = claims.actions[f"actionAttribute_{attribute_type.name}"]
        found.append(stepping(menu, action, attribute_type, value))
    return found


def relation_entries(
    menu: QMenu,
    relation_type: RelationType,
    heads: bool,
    choose: QAction | None,
    remove: QAction | None,
) -> list[QAction]:
    """The entries that choose and remove a span's links of ``relation_type``, saying what
    they do to it: on a claim, its sources; on a source, its claims (the claim's words,
    "Choose source…", chose the claim of 'SDF', and "Remove sources" took SDF off its claim).
    """
    name = relation_type.name
    if heads:
        words = (f"Choose {name}…", f"Remove {name}s")
    else:
        claims = " or ".join(f"{label.lower()}s" for label in relation_type.head_labels)
        words = (
            f"Choose the {heads_in_words(relation_type)} it is the {name} of…",
            f"Remove as {name} of its {claims}",
        )
    return [
        entry_for(menu, action, said)
        for action, said in zip((choose, remove), words, strict=True)
        if action is not None
    ]


def stepping(menu: QMenu, action: QAction, attribute_type: AttributeType, value: str) -> QAction:
    """The entry that steps an attribute, saying what it does to this span: "Hedged: yes →
    no" (the action's own "Hedged: no → yes", read as a promise, did the opposite on a
    hedged claim). Its key shown beside it, as the action's."""
    name = attribute_type.name
    words = f"{name[:1].upper()}{name[1:]}: {value} → {attribute_type.next_value(value)}"
    return entry_for(menu, action, words)


def entry_for(menu: QMenu, action: QAction, words: str) -> QAction:
    """An entry of ``menu`` in ``words`` that triggers the window's ``action``, its key
    shown beside it as the action's."""
    key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    entry = QAction(action_text(words) + (f"\t{key}" if key else ""), menu)
    entry.setObjectName(f"{action.objectName()}Here")
    entry.setEnabled(action.isEnabled())
    entry.triggered.connect(action.trigger)
    return entry
