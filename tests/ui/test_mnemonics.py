"""Every menu item has a letter to reach it from the keyboard (Alt+F, then O), unique in
its menu: a keyboard user opens File → Open project… without the mouse."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.ui.widgets import give_mnemonics, mnemonic
from tests.ui.conftest import open_review


def letters(menu: QMenu) -> list[str | None]:
    return [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator() and a.text()]


def check_menus(menus: dict[str, QMenu]) -> None:
    for title, menu in menus.items():
        if title == "Label selection":
            continue  # each label has its key (1, 2, 3…) shown beside it, and its legend button
        found = letters(menu)
        assert None not in found, (title, [a.text() for a in menu.actions()])
        assert len({m.lower() for m in found if m}) == len(found), (title, found)


def test_every_item_of_the_annotation_window_menus_has_its_own_letter(window):
    check_menus(window.menus)
    assert window.action_open_project.text() == "&Open project…"
    assert window.action_export.text() == "&Export…"
    assert window.action_open_project.toolTip().count("&") == 0  # shown as written


def test_the_review_window_menus_too(qtbot, project):
    review = next(open_review(qtbot, project))
    check_menus(review.menus)


def test_a_written_ampersand_stays_one_and_a_taken_letter_is_not_given_twice(qapp):
    menu = QMenu()
    for text in ("&Save", "Search", "R&&D", "S"):
        menu.addAction(QAction(text, menu))
    give_mnemonics(menu)
    assert [a.text() for a in menu.actions()] == ["&Save", "S&earch", "&R&&D", "S"]
    assert mnemonic("R&&D") is None and mnemonic("R&&&D") == "D"
