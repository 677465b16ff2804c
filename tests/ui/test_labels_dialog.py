"""Project → Labels…: the label editor, driven as an annotator drives it, with the window
(its legend, keys and colours) and the project checked after each change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QInputDialog, QToolButton

from annotator.core import Span
from annotator.core.labels import RESERVED_KEYS
from annotator.core.model import Label
from annotator.storage import Store
from annotator.ui.labels_dialog import RELATIONS_TAB, show_labels
from tests.ui.conftest import ARTICLES, select_text

TEXT = ARTICLES[0][1]
FORCES = TEXT.index("Government forces")
UNDO = Qt.KeyboardModifier.ControlModifier
REDO = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, key, modifier)


def back_to(qtbot, window) -> None:
    """The annotator clicks back into the window (the dialog stays open beside it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()


def legend(window) -> list[str]:
    """The legend's buttons as the annotator reads them: key and name."""
    return [button.text() for button in window.legend.findChildren(QToolButton)]


def keys(window) -> dict[str, str]:
    return {name: action.shortcut().toString() for name, action in window.label_actions.items()}


@pytest.fixture
def dialog(qtbot, window):
    shown = show_labels(window)
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def test_the_dialog_lists_the_scheme_with_keys_colours_and_spans(dialog, window):
    window.store.start_article(window.current.id, "ana")  # ana's copies of the suggestions
    dialog.refresh()
    model = dialog.model
    rows = [[model.data(model.index(r, c)) for c in range(5)] for r in range(model.rowCount())]
    assert rows == [
        ["1", "LOCATION", "entity", "#1f77b4", 1],
        ["2", "FACTION", "entity", "#d62728", 2],
        ["3", "CLAIM", "claim", "#9467bd", 0],
        ["4", "SOURCE", "entity", "#e69f00", 0],
    ]
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DecorationRole) == QColor("#1f77b4")
    assert not dialog.outside_box.isVisibleTo(dialog)  # every label is in the scheme
    tab = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())].index(RELATIONS_TAB)
    assert tab == 1  # the place relation types and claim attributes are edited in


def test_the_span_counts_follow_the_windows_own_edits(qtbot, dialog, window):
    """Enter in the window accepted the suggestions: the dialog kept saying 0 spans."""
    model = dialog.model

    def spans_of(name: str) -> int:
        row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 1)) == name)
        return model.data(model.index(row, 4))

    assert spans_of("LOCATION") == 0
    window.named_actions["actionDone"].trigger()  # Enter: the suggestions accepted
    qtbot.waitUntil(lambda: spans_of("LOCATION") == 1)
    assert spans_of("FACTION") == 2
    # Another window's (or program's) span: the count stayed, and an undo of an added
    # label was then refused for a span the dialog did not show.
    with Store(window.store.path) as other:
        other.add_span(window.current.id, "ben", Span(0, 3, "LOCATION"))
    qtbot.waitUntil(lambda: spans_of("LOCATION") == 2, timeout=3000)


def test_a_label_added_is_usable_at_once_with_its_key(qtbot, dialog, window):
    assert dialog.add_label("PERSON")
    assert [label.name for label in window.store.labels()][-1] == "PERSON"
    assert legend(window)[-1] == "5  PERSON" and keys(window)["PERSON"] == "5"
    start = TEXT.index("activists")
    select_text(window.view, start, start + 9)
    back_to(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_5)
    assert (start, start + 9, "PERSON") in {s.key for s in window.store.spans(1, "ana")}


def with_militia(window, dialog) -> None:
    """The project's own label MILITIA (key 5), on "Government forces" of ana's article."""
    window.store.add_label(Label("MILITIA", "entity", "#8c564b", "5"))
    window.store.start_article(window.current.id, "ana")
    window.store.add_span(window.current.id, "ana", Span(FORCES, FORCES + 10, "MILITIA"))
    window.reload_from_store()
    dialog.refresh()


def test_rename_applies_at_once_and_ctrl_z_in_the_window_undoes_it(qtbot, dialog, window):
    with_militia(window, dialog)
    dialog.select("MILITIA")
    assert dialog.rename_selected("ARMED_GROUP")
    assert legend(window)[4] == "5  ARMED_GROUP" and "ARMED_GROUP" in window.label_actions
    assert "ARMED_GROUP" in {s.label for s in window.current.spans}  # the open article follows
    assert "ARMED_GROUP" in {s.label for s in window.store.spans(1, "ana")}
    assert window.undo_stack.undoText() == "rename MILITIA to ARMED_GROUP"

    window.activateWindow()  # the window's Ctrl+Z, the dialog still open beside it
    window.action_undo.trigger()
    assert legend(window)[4] == "5  MILITIA"
    assert "MILITIA" in {s.label for s in window.store.spans(1, "ana")}
    assert dialog.model.rows[4].name == "MILITIA"  # the dialog follows too
    window.action_redo.trigger()
    assert legend(window)[4] == "5  ARMED_GROUP"


def test_the_programs_own_labels_keep_their_names(dialog, window):
    """Renamed, LOCATION's new suggestions came as LOCATION, outside the scheme, and the
    map, GeoJSON and training no longer found its spans."""
    for name, change in (("LOCATION", "rename"), ("FACTION", "merge")):
        dialog.select(name)
        done = (
            dialog.rename_selected("PLACE")
            if change == "rename"
            else dialog.merge_selected("LOCATION")
        )
        assert not done  # refused before any question, in the dialog
        assert f"{name} cannot be" in dialog.problem.text()
    dialog.select("SOURCE")
    assert not dialog.delete_selected()  # used: not "merge it instead", which is refused too
    assert (
        "SOURCE cannot be deleted" in dialog.problem.text() and "Merge" not in dialog.problem.text()
    )
    assert [label.name for label in window.store.labels()][:2] == ["LOCATION", "FACTION"]
    assert not window.undo_stack.canUndo()


def test_rename_asks_for_the_name(monkeypatch, dialog, window):
    with_militia(window, dialog)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("TOWN", True))
    dialog.select("MILITIA")
    dialog.buttons["rename"].click()
    assert window.store.labels()[4].name == "TOWN"


def test_recolour_reaches_the_legend_and_the_text(monkeypatch, dialog, window):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#00aa00"))
    dialog.select("FACTION")
    dialog.buttons["color"].click()
    assert window.store.label("FACTION").color == "#00aa00"
    assert "#00aa00" in window.legend.findChildren(QToolButton)[1].styleSheet()
    assert window.view.formats.color("FACTION") == QColor("#00aa00")
    window.history.undo()
    assert window.store.label("FACTION").color == "#d62728"


def test_a_key_that_collides_is_refused_with_a_message(dialog, window):
    dialog.select("CLAIM")
    assert not dialog.rekey_selected("2")
    assert "The key 2 belongs to FACTION already" in dialog.problem.text()
    assert not dialog.rekey_selected("n")
    assert "taken by the window" in dialog.problem.text()
    assert not window.undo_stack.canUndo() and keys(window)["CLAIM"] == "3"
    assert dialog.rekey_selected("c")
    assert keys(window)["CLAIM"] == "C" and dialog.problem.text() == ""
    assert "C  CLAIM" in legend(window)


def test_a_digit_a_keyless_label_had_by_its_place_is_taken_and_said(dialog, window):
    """The dialog said "Give CLAIM the key 5" while GOSSIP, which had 5 by its place, moved
    to another digit unsaid."""
    from annotator.core.model import Label

    window.store.save_label(Label("GOSSIP", "claim", "#8c564b", ""))  # no key of its own
    window.reload_labels()
    assert keys(window)["GOSSIP"] == "5"
    dialog.select("CLAIM")
    assert dialog.rekey_selected("5")
    assert keys(window)["CLAIM"] == "5" and keys(window)["GOSSIP"] != "5"
    assert window.message_bar.text() == f"GOSSIP answers to {keys(window)['GOSSIP']} now (it had 5)"
    # Every change of the scheme says it (SchemeChange), its undo too.
    assert keys(window)["GOSSIP"] == "3"
    dialog.select("SOURCE")
    assert dialog.rekey_selected("3")
    assert window.message_bar.text() == "GOSSIP answers to 4 now (it had 3)"
    window.undo_stack.undo()
    assert window.message_bar.text() == "GOSSIP answers to 3 now (it had 4)"


def test_an_undone_delete_says_the_key_another_program_gave_away_meanwhile(dialog, window):
    """WEAPON (its own 5) deleted, RUMOUR given 5 by `annotator labels set`, the delete
    undone: WEAPON came back on 6, and nothing said so."""
    from annotator.core.model import Label
    from annotator.storage import Store

    window.store.save_label(Label("WEAPON", "entity", "#8c564b", "5"))
    window.store.save_label(Label("RUMOUR", "claim", "#777777", "6"))
    window.reload_labels()
    dialog.refresh()
    dialog.select("WEAPON")
    assert dialog.delete_selected()
    with Store(window.store.path) as other:
        other.change_label("RUMOUR", key="5")
    window.undo_stack.undo()
    assert keys(window)["WEAPON"] == "6"
    assert "WEAPON answers to 6 now (it had 5)" in window.message_bar.text()
    window.undo_stack.redo()  # deleted again: the note on its key goes
    assert not window.message_bar.isVisible()


def test_describe_toggle_kind_and_move(dialog, window):
    dialog.select("CLAIM")
    assert dialog.describe_selected("What a source says.")
    assert window.label_actions["CLAIM"].toolTip().count("What a source says.") == 1
    assert dialog.move_selected(-1)
    assert [label.name for label in window.store.labels()] == [
        "LOCATION",
        "CLAIM",
        "FACTION",
        "SOURCE",
    ]
    assert legend(window)[1] == "3  CLAIM"  # keys stay with their labels
    with_militia(window, dialog)
    dialog.select("MILITIA")
    assert dialog.toggle_kind()
    assert window.kinds["MILITIA"] == "claim"
    dialog.select("FACTION")  # the program's own: it suggests and links it as an entity
    assert not dialog.toggle_kind()
    assert window.kinds["FACTION"] == "entity"


def test_delete_only_an_unused_label_else_offer_merge(dialog, window):
    with_militia(window, dialog)
    dialog.select("MILITIA")
    assert not dialog.delete_selected()
    assert "MILITIA is used by 1 span of 1 annotator" in dialog.problem.text()
    assert "Merge it into another label" in dialog.problem.text()
    # the command for this project, to paste (it said "annotator labels PROJECT ...")
    import shlex

    project = shlex.quote(str(window.store.path))
    assert f"annotator labels {project} delete MILITIA --force." in dialog.problem.text()
    dialog.select("CLAIM")  # the program's own, used or not
    assert not dialog.delete_selected()
    assert "CLAIM cannot be deleted" in dialog.problem.text()
    assert dialog.add_label("PERSON")
    assert dialog.delete_selected()
    assert [label.name for label in window.store.labels()][-1] == "MILITIA"
    window.history.undo()
    assert [label.name for label in window.store.labels()][-1] == "PERSON"


def test_a_refusal_goes_when_the_dialog_is_reopened_or_the_scheme_changes(qtbot, dialog, window):
    """The red line of a refused delete stayed after Esc and reopening, and after
    ``annotator labels rename`` (the table said ARMED_GROUP, the line MILITIA)."""
    with_militia(window, dialog)
    dialog.select("MILITIA")
    assert not dialog.delete_selected()
    press(qtbot, dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert show_labels(window) is dialog
    assert dialog.problem.text() == ""

    other = Store(window.store.path)  # another program on the same file
    for change in (
        lambda: other.rename_label("MILITIA", "ARMED_GROUP", by="lead"),
        lambda: other.delete_label("ARMED_GROUP", by="lead", force=True),
    ):
        dialog.select(dialog.model.rows[4].name)
        assert not dialog.delete_selected()
        assert "is used by 1 span" in dialog.problem.text()
        change()
        qtbot.waitUntil(lambda: dialog.problem.text() == "", timeout=3000)
    assert [label.name for label in dialog.model.rows][-1] == "SOURCE"
    other.close()
    dialog.select("CLAIM")
    dialog.delete_selected()  # a refusal the scheme did not change under stays said
    window.store.add_span(window.current.id, "ana", Span(0, 6, "LOCATION"))
    dialog.refresh()
    assert "CLAIM cannot be deleted" in dialog.problem.text()


def test_merge_relabels_the_spans_and_undo_brings_them_back(dialog, window):
    article = window.current.id
    with_militia(window, dialog)
    before = {(s.id, s.key) for s in window.store.spans(article, "ana")}
    dialog.select("MILITIA")
    assert dialog.merge_selected("FACTION")
    assert "MILITIA" not in {s.label for s in window.store.spans(article, "ana")}
    assert "MILITIA" not in window.label_actions
    assert "MILITIA" not in {s.label for s in window.current.spans}
    window.history.undo()
    assert {(s.id, s.key) for s in window.store.spans(article, "ana")} == before
    assert legend(window) == ["1  LOCATION", "2  FACTION", "3  CLAIM", "4  SOURCE", "5  MILITIA"]


def test_labels_of_imported_files_are_listed_and_adopted(qtbot, dialog, window):
    article = window.current.id
    window.store.add_span(article, "ana", Span(FORCES, FORCES + 10, "PERSON"))  # an import
    window.store.add_span(article + 1, "ben", Span(0, 6, "WEAPON"))
    window.reload_from_store()
    dialog.refresh()
    assert dialog.outside_box.isVisibleTo(dialog)
    assert dialog.outside_text.text().startswith(
        "Labels not in the project's scheme: PERSON, WEAPON."
    )
    assert window.view.formats.color("PERSON") == QColor("#888888")  # grey until adopted
    assert "PERSON" not in window.label_actions

    dialog.outside.item(0).setSelected(True)
    assert dialog.adopt()
    assert [label.name for label in window.store.labels()][-1] == "PERSON"
    assert keys(window)["PERSON"] == "5"
    assert window.view.formats.color("PERSON") != QColor("#888888")
    assert dialog.outside.count() == 1  # WEAPON still outside
    assert dialog.merge_outside("WEAPON", "FACTION")
    assert window.store.spans(article + 1, "ben")[0].label == "FACTION"
    assert not dialog.outside_box.isVisibleTo(dialog)


def test_the_reserved_keys_are_the_windows_own(window):
    """Every single-key shortcut of the window (not a label's) is a key no label may have."""
    single = set()
    for name, action in window.named_actions.items():
        if name.startswith("actionLabel_"):
            continue
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if len(text) == 1 and text.isalnum():
                single.add(text.upper())
    assert single <= RESERVED_KEYS


def test_a_colour_like_another_labels_is_said_in_the_dialog(dialog, window):
    from PySide6.QtGui import QColor

    dialog.select("FACTION")
    assert dialog.recolour_selected(QColor("#e69f00"))
    assert "FACTION looks like SOURCE" in dialog.problem.text()


def test_undo_of_a_merge_finds_a_span_deleted_and_brought_back_since(qtbot, dialog, window):
    """The span came back (undo of Del) under a new id; the merge's undo looked for the old
    one and left it the target's, and the undo of the step before was refused as "changed
    elsewhere", though no other window was open."""
    article = window.current.id
    window.store.add_label(Label("TOWN", "entity", "#8c564b", "5"))
    window.reload_labels()
    back_to(qtbot, window)
    start = TEXT.index("rebel positions")
    select_text(window.view, start, start + len("rebel positions"))
    press(qtbot, window.view, Qt.Key.Key_5)  # TOWN, by the annotator: one step
    dialog.refresh()
    dialog.select("TOWN")
    assert dialog.merge_selected("LOCATION")
    back_to(qtbot, window)
    town = next(s for s in window.current.spans if s.start == start)
    window.editor.select_span(town)
    press(qtbot, window.view, Qt.Key.Key_Delete)
    press(qtbot, window.view, Qt.Key.Key_Z, UNDO)  # the span back, under a new id
    press(qtbot, window.view, Qt.Key.Key_Z, UNDO)  # the merge undone: TOWN again
    assert {s.label for s in window.store.spans(article, "ana") if s.start == start} == {"TOWN"}
    press(qtbot, window.view, Qt.Key.Key_Z, UNDO)  # the span made with TOWN, undone
    assert all(s.start != start for s in window.store.spans(article, "ana"))
    assert "changed elsewhere" not in window.message_bar.text()


def test_the_dialog_closed_is_deleted_not_left_in_the_window(qtbot, window):
    """Each opening after a close left a whole dialog behind: memory grew all day."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from annotator.ui.labels_dialog import LabelsDialog

    for _ in range(3):
        show_labels(window).close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(LabelsDialog) == []
    assert show_labels(window) is window.labels_dialog  # and it opens again


def test_enter_on_a_selected_label_renames_it_and_asks_for_no_new_one(
    qtbot, dialog, window, monkeypatch
):
    """Add… was the dialog's default button: Enter on a label asked for a new label."""
    asked = []

    def get_text(_parent, title, _label, text=""):
        asked.append(title)
        return "", False  # cancelled

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    window.store.add_label(Label("WEAPON", "entity"))
    dialog.refresh()
    dialog.select("WEAPON")
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    press(qtbot, dialog.table, Qt.Key.Key_Return)
    assert asked == ["Rename"]
    assert not any(
        button.autoDefault() for button in dialog.findChildren(type(dialog.buttons["add"]))
    )
