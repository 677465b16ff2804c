"""The right button in the annotation window: Qt's Copy / Select All were all it offered, and
a mouse user could not label, relabel, delete, link or choose a claim's source."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from annotator.ui.widgets import mnemonic
from tests.ui.claims.conftest import (
    ACTIVISTS,
    ALEPPO,
    DIED,
    HTS,
    KILLED,
    SHELLED,
    SHIFT,
    TEXT,
    label_column,
    press,
    select,
    span_of,
)
from tests.ui.conftest import select_text


def shown(action) -> str:
    """An entry's words, without its mnemonic nor the key shown beside it."""
    return action.text().replace("&", "").split("\t")[0]


def texts(menu: QMenu) -> list[str]:
    return [shown(a) for a in menu.actions() if not a.isSeparator()]


def entry(menu: QMenu, text: str):
    return next(a for a in menu.actions() if shown(a) == text)


def right_click(qtbot, widget: QWidget, at: QPoint, name: str) -> QMenu:
    """Press and release the right button at ``at`` of ``widget``'s viewport, as the
    desktop does: the menu it asks for, ``name``, shown."""
    viewport = widget.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=at)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, viewport.mapToGlobal(at))
    QApplication.sendEvent(viewport, event)
    shown = [m for m in widget.findChildren(QMenu, name) if m.isVisible()]
    assert len(shown) == 1
    qtbot.waitExposed(shown[0])
    return shown[0]


def on_text(qtbot, window, offset: int) -> QMenu:
    """Right click on the character at ``offset`` of the text."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(offset))
    rect = view.cursorRect(cursor)
    return right_click(qtbot, view, QPoint(rect.left() + 3, rect.center().y()), "textMenu")


def test_a_right_click_on_a_name_selects_it_and_offers_what_its_keys_do(qtbot, window):
    menu = on_text(qtbot, window, TEXT.index("Aleppo on") + 2)  # inside a claim: the name
    aleppo = span_of(window, ALEPPO)
    assert window.selected_span_id == aleppo.id
    assert texts(menu) == [
        "Relabel as",
        "Delete span",
        "What it refers to…",
        "Label every mention",
        "Copy",
        "Select All",
    ]
    assert entry(menu, "Delete span") is window.action_delete_span  # its key, its words
    relabel = entry(menu, "Relabel as").menu()
    assert texts(relabel) == ["FACTION", "CLAIM", "SOURCE"]
    assert entry(menu, "Copy").isEnabled()
    entry(relabel, "FACTION").trigger()
    menu.close()
    assert any(
        (s.start, s.end, s.label) == (ALEPPO.start, ALEPPO.end, "FACTION")
        for s in window.current.spans
    )


def test_a_right_click_on_a_claim_offers_its_source_and_attributes(qtbot, window):
    menu = on_text(qtbot, window, TEXT.index("shelled") + 2)
    claim = span_of(window, SHELLED)
    assert window.selected_span_id == claim.id
    assert texts(menu)[:2] == ["Relabel as", "Delete span"]
    assert "What it refers to…" not in texts(menu)
    assert texts(menu)[2:5] == ["Choose source…", "Remove sources", "Polarity: asserted → denied"]
    # what the entry does to this claim, suggested hedged: "no → yes" did "yes → no"
    hedged = entry(menu, "Hedged: yes → no")
    assert hedged.text().endswith("\tH")  # its key beside it
    hedged.trigger()
    menu.close()
    assert window.claims.links.value(claim.id, "hedged") is None
    menu = on_text(qtbot, window, TEXT.index("shelled") + 2)
    assert "Hedged: no → yes" in texts(menu)
    menu.close()
    menu = on_text(qtbot, window, TEXT.index("shelled") + 2)  # on the claim selected: it
    assert window.selected_span_id == claim.id
    entry(menu, "Choose source…").trigger()
    menu.close()
    assert window.claims.is_choosing
    assert texts(on_text(qtbot, window, TEXT.index("shelled"))) == ["Copy", "Select All"]


def test_a_right_click_on_a_source_offers_its_claim_keys_in_words_of_the_source(qtbot, window):
    """R on a source picks its claim, Shift+R removes its links: the menu said them in a
    claim's words, "Choose source…" and "Remove sources", and the removal said nothing."""
    menu = on_text(qtbot, window, TEXT.index("activists") + 2)
    activists = span_of(window, ACTIVISTS)
    assert window.selected_span_id == activists.id
    choose, remove = "Choose the claim it is the source of…", "Remove as source of its claims"
    assert texts(menu)[-4:] == [choose, remove, "Copy", "Select All"]
    assert entry(menu, choose).text().endswith("\tR")
    assert entry(menu, remove).text().endswith("\tShift+R")
    entry(menu, remove).trigger()
    menu.close()
    assert window.claims.links.claims_of(activists.id) == []
    said = (
        "'activists and state media' is no longer the source of "
        "'Government forces shelled rebel positio…'"
    )
    assert window.statusBar().currentMessage() == said
    menu = on_text(qtbot, window, TEXT.index("activists") + 2)
    assert remove not in texts(menu)  # (no claim left to take it from)
    entry(menu, choose).trigger()
    menu.close()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Choose the claim 'activists and state media' is the source of (Esc cancels)")
    )


def test_each_entry_of_a_spans_menu_has_its_own_letter(qtbot, window):
    """ "Choose source…" and "Copy" shared C, "Relabel as" and "Remove sources" R:
    pressing R with the menu open opened Relabel as."""
    for words in ("activists", "shelled"):
        menu = on_text(qtbot, window, TEXT.index(words) + 2)
        found = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        assert None not in found and len({m.lower() for m in found if m}) == len(found)
        menu.close()
    menu = on_text(qtbot, window, TEXT.index("shelled") + 2)
    claim = span_of(window, SHELLED)
    remove = entry(menu, "Remove sources")
    qtbot.keyClick(menu, mnemonic(remove.text()))
    assert window.claims.links.sources_of(claim.id) == []
    said = "'Government forces shelled rebel positio…': 1 source removed"
    assert window.statusBar().currentMessage() == said
    assert not entry(menu, "Relabel as").menu().isVisible()


def test_a_right_click_on_selected_words_offers_the_labels(qtbot, window):
    start = TEXT.index("rebel positions")
    select_text(window.view, start, start + len("rebel positions"))
    menu = on_text(qtbot, window, start + 3)
    assert texts(menu) == ["LOCATION", "FACTION", "CLAIM", "SOURCE", "Copy", "Select All"]
    entry(menu, "FACTION").trigger()
    menu.close()
    made = window.editor.selected
    assert made is not None and (made.start, made.label) == (start, "FACTION")


def test_a_right_click_on_plain_text_offers_copy_alone(qtbot, window):
    window.clear_selection()
    menu = on_text(qtbot, window, TEXT.index("The Observatory") + 2)
    assert texts(menu) == ["Copy", "Select All"]
    assert not entry(menu, "Copy").isEnabled()
    assert window.selected_span_id is None


def test_a_right_click_on_a_span_list_row_offers_that_spans_menu(qtbot, window):
    span_list = window.span_list
    activists = span_of(window, ACTIVISTS)
    row = span_list.span_model.row_of(activists.id)
    at = span_list.visualRect(span_list.span_model.index(row, 1)).center()
    menu = right_click(qtbot, span_list, at, "spanMenu")
    assert window.selected_span_id == activists.id
    assert texts(menu)[:4] == [
        "Relabel as",
        "Delete span",
        "What it refers to…",
        "Label every mention",
    ]
    entry(menu, "Delete span").trigger()
    menu.close()
    assert all(s.key != ACTIVISTS.key for s in window.current.spans)


def test_shift_f10_opens_the_menu_where_the_keys_are(qtbot, window):
    """The Menu key opened it at the caret; Shift+F10, the desktops' other key, did nothing."""
    window.editor.select_span(span_of(window, ALEPPO))
    qtbot.keyClick(window.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menus = [m for m in window.view.findChildren(QMenu, "textMenu") if m.isVisible()]
    assert len(menus) == 1 and "Delete span" in texts(menus[0])
    menus[0].close()
    window.span_list.setFocus()
    qtbot.keyClick(window.span_list, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menus = [m for m in window.span_list.findChildren(QMenu, "spanMenu") if m.isVisible()]
    assert len(menus) == 1 and "Delete span" in texts(menus[0])
    menus[0].close()


def test_a_removal_names_the_claims_by_their_words_not_numbers_it_changes(qtbot, window):
    """A claim's number goes with its last source and the claims after it are numbered
    again: "'group' is no longer the source of claims 4, 5" was said, and claim 4 was then
    another claim."""
    for claim in (KILLED, DIED):  # Hayat Tahrir al-Sham the source of claims 2 and 3
        select(window, claim)
        press(qtbot, window, Qt.Key.Key_R)
        window._span_clicked(HTS.start + 2)  # noqa: SLF001 - a click on the FACTION span
    assert label_column(window, DIED) == "CLAIM 3"
    select(window, HTS)
    press(qtbot, window, Qt.Key.Key_R, SHIFT)
    assert window.statusBar().currentMessage() == (
        "'Hayat Tahrir al-Sham' is no longer the source of 'it killed 40 troops' and "
        "'12 civilians died'"
    )
    assert label_column(window, DIED) == "CLAIM"  # (no claim 3 left to be named)
    for claim in (KILLED, DIED):
        select(window, claim)
        press(qtbot, window, Qt.Key.Key_R)
        window._span_clicked(HTS.start + 2)  # noqa: SLF001
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R, SHIFT)  # claim 1 off: 'it killed 40 troops' is 1
    assert label_column(window, KILLED) == "CLAIM 1"
    said = "'Government forces shelled rebel positio…': 1 source removed"
    assert window.statusBar().currentMessage() == said
