"""Claim attributes in the annotation window: the keys that set them, undo that restores a
deleted claim's sources and values exactly, and keys that come from the label scheme."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from annotator.core.relations import AttributeType
from tests.ui.claims.conftest import (
    ACTIVISTS,
    CTRL,
    HTS,
    SHELLED,
    SHIFT,
    TEXT,
    links_column,
    press,
    select,
    sources,
    span_of,
    tags,
    values,
)


def test_attribute_keys_step_each_value_and_undo(qtbot, window):
    claim = SHELLED.text(TEXT)
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_D)
    assert values(window)[(claim, "polarity")] == ("denied", "human")
    press(qtbot, window, Qt.Key.Key_Q)
    assert values(window)[(claim, "quote")] == ("yes", "human")
    press(qtbot, window, Qt.Key.Key_H)  # the suggested "yes" steps to "no": the default
    assert (claim, "hedged") not in values(window)
    assert links_column(window, SHELLED) == "denied · quote · source: activists and state media"
    assert tags(window)[0][0] == "1 DQ"
    press(qtbot, window, Qt.Key.Key_D)  # denied → asserted, the default: nothing stored
    assert (claim, "polarity") not in values(window)

    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert values(window)[(claim, "hedged")] == ("yes", "model")  # as suggested, exactly
    assert values(window)[(claim, "polarity")] == ("denied", "human")
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert values(window) == {(claim, "hedged"): ("yes", "model")}


def test_attribute_key_without_a_claim_selected_says_so(qtbot, window):
    select(window, HTS)
    press(qtbot, window, Qt.Key.Key_D)
    assert "Click a CLAIM span first" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_undo_of_a_span_delete_restores_its_relations_and_values_exactly(qtbot, window):
    claim = SHELLED.text(TEXT)
    before_relations = window.store.relations(window.current.id, "ana")
    select(window, ACTIVISTS)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert sources(window) == set()
    assert links_column(window, SHELLED) == "hedged · no source"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    after = window.store.relations(window.current.id, "ana")
    source = span_of(window, ACTIVISTS)
    assert [(r.id, r.child, r.origin) for r in after] == [
        (before_relations[0].id, source.id, "model")
    ]
    assert links_column(window, SHELLED) == "hedged · source: activists and state media"

    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_Delete)  # the claim: its source link and hedge go
    assert sources(window) == set() and values(window) == {}
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert sources(window) == {(claim, "activists and state media")}
    assert values(window) == {(claim, "hedged"): ("yes", "model")}
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)  # redo the delete, undo it again
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert sources(window) == {(claim, "activists and state media")}


def test_keys_come_from_the_scheme_and_a_taken_key_is_left_out(qtbot, window):
    store = window.store
    hedged = store.attribute_type("hedged")
    store.save_attribute_type(
        AttributeType(hedged.name, hedged.label, hedged.kind, hedged.values, hedged.default, "U")
    )
    # A key the rules refuse now, as a project made before them (or a merge) may hold it.
    with store.transaction():
        store._db.execute("UPDATE attribute_types SET key = 'N' WHERE name = 'polarity'")  # noqa: SLF001
    window.reload_labels()
    actions = window.claims.actions
    assert [k.toString() for k in actions["actionAttribute_hedged"].shortcuts()] == ["U"]
    assert actions["actionAttribute_polarity"].shortcuts() == []  # N is "next article"
    assert "N (polarity)" in window.message_bar.text()
    assert [k.toString() for k in actions["actionRelation_source"].shortcuts()] == ["R"]
    assert [k.toString() for k in actions["actionRemoveRelation_source"].shortcuts()] == ["Shift+R"]
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_U)
    assert (SHELLED.text(TEXT), "hedged") not in values(window)


def test_an_undo_of_a_type_renamed_elsewhere_leaves_the_history_and_says_so(qtbot, window):
    """Renamed in a terminal, a relation type or attribute made Ctrl+Z fail with a
    traceback and no word, the history stuck there; an attribute's was called changed."""
    from annotator.storage import Store

    claim = SHELLED.text(TEXT)
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_D)  # polarity: denied
    press(qtbot, window, Qt.Key.Key_R, SHIFT)  # the claim's sources removed
    assert window.undo_stack.count() == 2
    with Store(window.store.path) as other:  # `annotator labels … set … --name` meanwhile
        source = other.relation_type("source")
        other.save_relation_type(replace(source, name="said_by"), replacing="source")
        polarity = other.attribute_type("polarity")
        other.save_attribute_type(replace(polarity, name="stance"), replacing="polarity")
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    said = window.message_bar.text()
    assert "relation type source was renamed or deleted elsewhere" in said
    assert "leaves the undo history" in said and window.undo_stack.count() == 1
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert "attribute polarity was renamed or deleted elsewhere" in window.message_bar.text()
    assert window.undo_stack.count() == 0
    assert values(window)[(claim, "stance")] == ("denied", "human")  # as it was stored
