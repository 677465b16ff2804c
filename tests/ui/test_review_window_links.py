"""The review screen on what spans refer to: link disagreements after the claims' ones,
each version by the entry's name, taken into gold from the keyboard, undone exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.core.model import GOLD
from annotator.storage import Store
from tests.ui.conftest import open_review, review_cell, word

TEXT = "Syrian Arab Army shelling near Saraqib killed four, the army said."
SAA = word(TEXT, "Syrian Arab Army", "FACTION")
SARAQIB = word(TEXT, "Saraqib", "LOCATION")
ARMY = "annotator:syrian-arab-army"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project(tmp_path) -> Store:
    """ana and ben marked the same spans; ana linked both, ben Saraqib elsewhere and the
    army to nothing."""
    store = Store(tmp_path / "project.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    for name, army, place in (("ana", ARMY, "geonames:170592"), ("ben", "", "geonames:99")):
        spans = [replace(SAA, kb_id=army), replace(SARAQIB, kb_id=place)]
        store.replace_annotations(article_id, name, spans, [], [])
        store.set_status(article_id, name, "done")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_review(qtbot, project)


def gold_entries(store: Store, article_id: int) -> dict[str, str]:
    return {s.text(TEXT): s.kb_id for s in store.spans(article_id, GOLD)}


def test_link_disagreements_are_listed_with_each_entry_by_name(window):
    assert window.review.disagreements == []  # the spans agree
    rows = window.disagreement_model.rowCount()
    assert rows == 2
    assert [review_cell(window, row, 1) for row in range(rows)] == [
        "link (FACTION)",
        "link (LOCATION)",
    ]
    assert [review_cell(window, 0, column) for column in (2, 3, 4)] == [
        "Syrian Arab Army",
        f"Syrian Arab Army ({ARMY})",
        "no entry",
    ]
    # Gold starts from what both agree on: the span, referring to nothing, as ben has it.
    assert review_cell(window, 0, 0) == "ben"
    assert review_cell(window, 1, 0) == "none"
    assert "what the FACTION span refers to" in window.where_label.text()
    assert ", A all" not in window.where_label.text()


def test_keys_take_an_entry_refuse_all_and_undo(qtbot, window, project):
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_1)  # ana's entry for the army
    assert gold_entries(project, article_id)["Syrian Arab Army"] == ARMY
    assert review_cell(window, 0, 0) == "ana"
    assert window.current == 1  # on to Saraqib

    qtbot.keyClick(window, Qt.Key.Key_A)
    assert "one entry" in window.statusBar().currentMessage()
    assert window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_2)  # ben's Saraqib
    assert gold_entries(project, article_id)["Saraqib"] == "geonames:99"
    qtbot.keyClick(window, Qt.Key.Key_0)  # none after all (the last: it stays current)
    assert gold_entries(project, article_id)["Saraqib"] == ""

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert gold_entries(project, article_id)["Saraqib"] == "geonames:99"
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert gold_entries(project, article_id).get("Syrian Arab Army", "") == ""
    assert window.current == 0


def test_the_key_of_an_annotator_without_the_span_is_refused_in_words(qtbot, tmp_path):
    """cem has no Saraqib: his key on its link disagreement raised a KeyError (a trace on
    standard error, nothing in the window)."""
    store = Store(tmp_path / "three.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    versions = (("ana", "geonames:170592"), ("ben", "geonames:99"), ("cem", None))
    for name, place in versions:
        spans = [SAA] + ([replace(SARAQIB, kb_id=place)] if place is not None else [])
        store.replace_annotations(article_id, name, spans, [], [])
        store.set_status(article_id, name, "done")
    for window in open_review(qtbot, store):
        rows = window.disagreement_model.rowCount()
        kinds = [review_cell(window, row, 1) for row in range(rows)]
        row = kinds.index("link (LOCATION)")
        window.go_to(row)
        assert review_cell(window, row, 0) == "no span"  # gold lacks it: not "edited"
        assert window.where_label.text().endswith("gold holds: no span")
        before = gold_entries(store, article_id)
        qtbot.keyClick(window, Qt.Key.Key_3)  # cem
        assert (
            window.statusBar()
            .currentMessage()
            .startswith("cem has no LOCATION span here: only ana, ben link it")
        )
        assert gold_entries(store, article_id) == before
    store.close()


def test_an_actor_renamed_elsewhere_is_named_anew_in_the_list(qtbot, tmp_path):
    """The review list kept a project actor's old name until the review was opened again."""
    from annotator.storage.links import add_project_actor
    from annotator.storage.project_actors import change_project_actor

    record = {"id": "project:saa", "name": "Syrian Arab Armyy", "kind": "armed group"}
    record["names"] = [{"names": [record["name"]]}]
    store = Store(tmp_path / "renamed.db")
    add_project_actor(store, record, "ana")
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    for name, army in (("ana", "project:saa"), ("ben", "")):
        store.replace_annotations(article_id, name, [replace(SAA, kb_id=army)], [], [])
        store.set_status(article_id, name, "done")
    for window in open_review(qtbot, store):
        assert review_cell(window, 0, 3) == "Syrian Arab Armyy (project:saa)"
        other = Store(store.path)
        try:
            change_project_actor(other, {**record, "name": "Syrian Arab Army"}, "ben")
        finally:
            other.close()
        window.follower.watcher.poll()
        qtbot.waitUntil(lambda w=window: review_cell(w, 0, 3) == "Syrian Arab Army (project:saa)")
    store.close()
