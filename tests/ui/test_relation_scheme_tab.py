"""Project → Labels… → Relations and attributes: relation types and claim attributes added,
changed and deleted as an annotator does it, each an undo step of the window, with the
window's claim keys, the project and the review window checked after each change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core import Article
from annotator.core.model import Label
from annotator.core.relations import AttributeType, RelationType, SpanAttribute, SpanRelation
from annotator.storage import Store
from annotator.ui.labels_dialog import RELATIONS_TAB, show_labels
from annotator.ui.relation_scheme_editor import AttributeTypeEditor, RelationTypeEditor
from tests.ui.conftest import open_window, word

TEXT = (
    "ALEPPO, Syria — Government forces shelled rebel positions near Aleppo on Monday, "
    "activists and state media said.\n\nHayat Tahrir al-Sham claimed it killed 40 troops."
)
SHELLED = word(TEXT, "Government forces shelled rebel positions near Aleppo on Monday", "CLAIM")
KILLED = word(TEXT, "it killed 40 troops", "CLAIM")
ACTIVISTS = word(TEXT, "activists and state media", "SOURCE")
HTS = word(TEXT, "Hayat Tahrir al-Sham", "FACTION")
ALEPPO = word(TEXT, "Aleppo", "LOCATION")
CTRL = Qt.KeyboardModifier.ControlModifier
TARGET = RelationType("target", ("CLAIM",), ("LOCATION", "FACTION"), "#aa3300", "T", "Whom")
CERTAINTY = AttributeType("certainty", "CLAIM", "choice", ("low", "mid", "high"), "mid", "C")


@pytest.fixture
def project(tmp_path) -> Store:
    """An article whose claims have sources (SHELLED ← activists, KILLED ← HTS) and a
    hedge, in ana's work and in the model's suggestions."""
    store = Store(tmp_path / "project.db")
    article_id, _ = store.add_articles([Article(TEXT, title="Aleppo"), Article("Quiet.")]).ids
    with store.transaction():
        store.add_suggestions([(article_id, [SHELLED, KILLED, ACTIVISTS, HTS, ALEPPO])], "m-1")
        store.add_suggested_links(
            [
                (
                    article_id,
                    [SpanRelation(SHELLED, ACTIVISTS), SpanRelation(KILLED, HTS)],
                    [SpanAttribute(SHELLED, "hedged", "yes")],
                )
            ],
            "m-1",
        )
    store.start_article(article_id, "ana")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_window(qtbot, project, rows=5)


@pytest.fixture
def dialog(qtbot, window):
    shown = show_labels(window)
    qtbot.waitExposed(shown)
    shown.tabs.setCurrentWidget(shown.relations)
    yield shown
    shown.close()


@pytest.fixture
def tab(dialog):
    return dialog.relations


def rows(model) -> list[list]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def claim_keys(window) -> dict[str, list[str]]:
    """The window's claim actions and their keys, as the Claim menu has them."""
    return {
        name: [key.toString() for key in action.shortcuts()]
        for name, action in window.claims.actions.items()
    }


def stored(store, article_id=1) -> tuple:
    return (
        [(r.id, r.head, r.child, r.label) for r in store.relations(article_id, "ana")],
        store.attribute_values(article_id, "ana"),
    )


def fill_and_accept(monkeypatch, editor_class, fill) -> list[str]:
    """Make the form's ``exec`` fill it as the annotator would and press OK; returns the
    problems it said (a refused OK keeps it open: then Cancel)."""
    said: list[str] = []

    def execute(form) -> int:
        fill(form)
        form.accept()
        if form.result() == QDialog.DialogCode.Accepted:
            return QDialog.DialogCode.Accepted
        said.append(form.problem.text())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(editor_class, "exec", execute)
    return said


def test_the_tab_lists_the_scheme_with_keys_and_what_it_holds(dialog, tab):
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["Labels", RELATIONS_TAB] and dialog.tabs.isTabEnabled(1)
    assert rows(tab.models["relation"]) == [
        ["R", "source", "CLAIM", "FACTION, SOURCE", 2, rows(tab.models["relation"])[0][5]]
    ]
    attributes = [row[:7] for row in rows(tab.models["attribute"])]
    assert attributes == [
        ["D", "polarity", "CLAIM", "choice", "asserted / denied", "asserted", 0],
        ["H", "hedged", "CLAIM", "flag", "no / yes", "no", 1],
        ["Q", "quote", "CLAIM", "flag", "no / yes", "no", 0],
    ]


def test_a_relation_type_added_with_the_form_is_a_key_of_the_window_and_undone(
    monkeypatch, qtbot, tab, window
):
    def fill(form: RelationTypeEditor) -> None:
        form.name.setText("target")
        form.head_choice.set_chosen(["CLAIM"])
        form.child_choice.set_chosen(["LOCATION", "FACTION"])
        form.key.setText("t")
        form.description.setPlainText("Whom the claim is about")

    fill_and_accept(monkeypatch, RelationTypeEditor, fill)
    tab.buttons["relation_add"].click()
    assert window.store.relation_type("target").child_labels == ("LOCATION", "FACTION")
    assert claim_keys(window)["actionRelation_target"] == ["T"]
    assert claim_keys(window)["actionRemoveRelation_target"] == ["Shift+T"]
    assert "T on a claim: click its target" in window.side.claim_keys.text()
    assert [row[1] for row in rows(tab.models["relation"])] == ["source", "target"]
    assert window.undo_stack.undoText() == "add relation target"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert [t.name for t in window.store.relation_types()] == ["source"]
    assert "actionRelation_target" not in window.claims.actions
    assert [row[1] for row in rows(tab.models["relation"])] == ["source"]  # the tab follows


def test_renaming_and_rekeying_the_source_relation_keeps_the_sources(tab, window):
    before = stored(window.store)
    tab.select("relation", "source")
    source = window.store.relation_type("source")
    speaker = RelationType("speaker", source.head_labels, source.child_labels, source.color, "G")
    assert tab.edit("relation", speaker)
    assert window.undo_stack.undoText() == "rename relation source to speaker"
    assert {r.label for r in window.store.relations(1, "ana")} == {"speaker"}
    assert claim_keys(window)["actionRelation_speaker"] == ["G"]
    assert "actionRelation_source" not in window.claims.actions
    window.history.undo()
    assert stored(window.store) == before
    assert claim_keys(window)["actionRelation_source"] == ["R"]


def test_deleting_a_relation_type_says_what_goes_asks_and_undo_brings_it_back(
    monkeypatch, tab, window
):
    before = stored(window.store)
    questions = []

    def answer(box) -> int:
        questions.append(box.text())
        return (
            QMessageBox.StandardButton.Cancel
            if len(questions) == 1
            else QMessageBox.StandardButton.Yes
        )

    monkeypatch.setattr(QMessageBox, "exec", answer)
    tab.select("relation", "source")
    assert not tab.delete("relation")  # cancelled: nothing changed
    assert questions == [
        "Delete the relation source and everything of it: 2 relations of 1 annotator, 2 suggested?"
    ]
    assert window.store.relation_types() and not window.undo_stack.canUndo()
    assert tab.delete("relation")
    assert window.store.relation_types() == [] and window.store.relations(1, "ana") == []
    assert "actionRelation_source" not in window.claims.actions
    assert window.undo_stack.undoText() == "delete relation source"
    window.history.undo()
    assert stored(window.store) == before  # the same relations, the same ids
    assert window.store.suggested_work(1).relations  # and the suggested ones
    assert claim_keys(window)["actionRelation_source"] == ["R"]
    window.history.redo()
    assert window.store.relations(1, "ana") == []


def test_an_attribute_added_changed_stepped_and_deleted_with_its_values(qtbot, tab, window):
    assert tab.add("attribute", CERTAINTY)
    assert claim_keys(window)["actionAttribute_certainty"] == ["C"]
    assert "C certainty" in window.side.claim_keys.text()

    claim = next(s for s in window.current.spans if s.key == SHELLED.key)
    window.editor.select_span(claim)
    window.claims.actions["actionAttribute_certainty"].trigger()  # the C key
    assert window.store.attribute_value(claim.id, "certainty").value == "high"
    before = stored(window.store)

    tab.select("attribute", "certainty")
    wider = AttributeType(
        "certainty", "CLAIM", "choice", ("low", "mid", "high", "sure"), "mid", "C"
    )
    assert tab.edit("attribute", wider)
    narrower = AttributeType("certainty", "CLAIM", "choice", ("low", "mid"), "mid", "C")
    assert not tab.edit("attribute", narrower)  # a stored value is "high"
    assert "stored values of certainty are not among low, mid: high 1" in tab.problem.text()
    assert window.undo_stack.undoText() == "change attribute certainty"

    assert tab.delete("attribute", confirm=True)
    assert "certainty" not in {v.name for v in window.store.attribute_values(1, "ana")}
    window.history.undo()
    assert stored(window.store) == before
    window.history.undo()  # the change
    window.history.undo()  # the value
    window.history.undo()  # the addition
    assert [t.name for t in window.store.attribute_types()] == ["polarity", "hedged", "quote"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("1", "one letter A–Z, not '1' (digits are the labels' keys)"),
        ("n", "the key N is taken by the window"),
        ("d", "the key D belongs to the attribute polarity already"),
        ("l", "the key L is taken by the window"),
    ],
)
def test_a_key_that_collides_is_refused_in_the_form(monkeypatch, tab, window, key, message):
    def fill(form: AttributeTypeEditor) -> None:
        form.name.setText("certainty")
        form.kind.setCurrentText("choice")
        form.values.setText("low, mid, high")
        form.default.setCurrentText("mid")
        form.key.setText(key)

    said = fill_and_accept(monkeypatch, AttributeTypeEditor, fill)
    assert not tab.add("attribute")
    assert len(said) == 1 and message.lower() in said[0].lower()
    assert "certainty" not in {t.name for t in window.store.attribute_types()}
    assert not window.undo_stack.canUndo()


def test_a_label_cannot_take_a_claim_key_and_a_claim_cannot_take_a_label_key(dialog, tab, window):
    dialog.select("LOCATION")
    assert not dialog.rekey_selected("r")
    assert "The key R belongs to the relation source already" in dialog.problem.text()
    assert dialog.rekey_selected("w")
    assert not tab.add("relation", RelationType("target", ("CLAIM",), ("LOCATION",), key="W"))
    assert "The key W belongs to the label LOCATION already" in tab.problem.text()


def test_del_acts_on_the_tab_that_has_the_focus(monkeypatch, qtbot, dialog, tab, window):
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Cancel)
    tab.select("relation", "source")
    tab.tables["relation"].setFocus()
    qtbot.waitUntil(lambda: tab.tables["relation"].hasFocus())
    tab.delete = lambda kind, confirm=None: tab.say(f"delete {kind}")  # the key's target
    qtbot.keyClick(tab.tables["relation"], Qt.Key.Key_Delete)
    assert tab.problem.text() == "Delete relation"
    assert [label.name for label in window.store.labels()][0] == "LOCATION"  # labels untouched


def test_the_open_dialog_shows_the_project_opened_after_it(qtbot, tmp_path, dialog, window):
    other = Store(tmp_path / "other.db")
    other.add_articles([Article("Nothing happened.")])
    other.add_label(Label("PERSON"))
    other.take_relation_type("source")
    window.set_store(other)
    assert [label.name for label in dialog.model.rows][-1] == "PERSON"
    assert dialog.relations.models["relation"].rowCount() == 0
    assert dialog.add_label("WEAPON")  # changes go to the project shown
    assert other.label("WEAPON").key == "6"


def test_the_review_window_follows_a_relation_recoloured_and_a_label_renamed(
    qtbot, dialog, tab, window
):
    from annotator.ui.review_window import open_review_window

    review = open_review_window(window)
    qtbot.addWidget(review)
    tab.select("relation", "source")
    source = window.store.relation_type("source")
    recoloured = RelationType("source", source.head_labels, source.child_labels, "#00aa00", "R")
    assert tab.edit("relation", recoloured)
    assert review.lanes.gold_view.relation_color.name() == "#00aa00"
    assert review.claim_scheme.relation_types[0].color == "#00aa00"

    dialog.tabs.setCurrentIndex(0)
    window.store.add_label(Label("MILITIA", "entity", "#8c564b", "5"))  # the project's own
    window.reload_from_store()
    dialog.refresh()
    dialog.select("MILITIA")
    assert dialog.rename_selected("ARMED")
    assert "reviewLabel_ARMED" in review.label_actions
    assert review.label_actions["reviewLabel_ARMED"].shortcut().toString() == "Ctrl+5"
    assert "Ctrl+5 ARMED" in review.lanes.gold_name.text()
    window.history.undo()
    assert "reviewLabel_MILITIA" in review.label_actions
    review.close()
