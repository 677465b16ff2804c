"""Every menu item has a letter to reach it from the keyboard (Alt+F, then O), unique in
its menu: a keyboard user opens File → Open project… without the mouse."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.ui.widgets import give_mnemonics, mnemonic
from tests.ui.conftest import open_window


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


def test_a_written_ampersand_stays_one_and_a_taken_letter_is_not_given_twice(qapp):
    menu = QMenu()
    for text in ("&Save", "Search", "R&&D", "S"):
        menu.addAction(QAction(text, menu))
    give_mnemonics(menu)
    assert [a.text() for a in menu.actions()] == ["&Save", "S&earch", "&R&&D", "S"]
    assert mnemonic("R&&D") is None and mnemonic("R&&&D") == "D"


def test_undo_keeps_its_letter_once_it_names_the_edit(window):
    """ "Undo delete FACTION" had none: Alt+E, U did nothing after the first edit."""
    window.editor.select_next_span(1)  # the first suggestion, Government forces
    window.action_delete_span.trigger()
    assert window.action_undo.text().startswith("&Undo ")
    window.action_undo.trigger()
    assert window.action_redo.text().startswith("&Redo ")
    check_menus({"Edit": window.menus["&Edit"]})


def test_names_with_an_ampersand_show_as_written_in_the_claim_menu(qtbot, project):
    """A relation "Q&A" showed as "Choose QA…", its A underlined twice."""
    from annotator.core.relations import AttributeType, RelationType

    project.save_relation_type(RelationType("Q&A", ("CLAIM",), ("LOCATION",), key="K"), new=True)
    project.save_attribute_type(
        AttributeType("cert", "CLAIM", "choice", ("low", "R&D"), "low", key="Y"), new=True
    )
    project.save_attribute_type(  # (capitalize() made it "Ihl")
        AttributeType("IHL", "CLAIM", "flag", ("no", "yes"), "no", key="J"), new=True
    )
    window = next(open_window(qtbot, project))
    texts = [a.text() for a in window.menus["C&laim"].actions() if a.text()]
    assert any(t.replace("&&", "+").replace("&", "") == "Choose Q+A…" for t in texts), texts
    assert any("R&&D" in t for t in texts), texts
    assert any(t.replace("&", "").startswith("IHL: no") for t in texts), texts
    check_menus({"Claim": window.menus["C&laim"]})
