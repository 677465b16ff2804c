"""Suggested sources on an article nobody has started: shown by the suggestions' ids, and
still shown once the first edit (of any kind) makes them the annotator's, and after its undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.core.relations import SpanRelation
from annotator.storage import Store
from tests.ui.claims.conftest import (
    ACTIVISTS,
    CTRL,
    HTS,
    KILLED,
    SHELLED,
    SHIFT,
    TEXT,
    links_column,
    press,
    select,
    sources,
    tags,
    values,
)
from tests.ui.conftest import open_window


@pytest.fixture
def project(tmp_path):
    """An article nobody has started, with suggested claims and one suggested source."""
    store = Store(tmp_path / "fresh.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Aleppo")]).ids
    with store.transaction():
        store.add_suggestions([(article_id, [SHELLED, KILLED, ACTIVISTS, HTS])], "m-1")
        store.add_suggested_links([(article_id, [SpanRelation(SHELLED, ACTIVISTS)], [])], "m-1")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_window(qtbot, project, rows=4)


def test_an_article_not_started_shows_its_suggested_sources_and_a_key_starts_it(
    qtbot, project, window
):
    store, (article_id,) = project, project.article_ids()
    assert not store.started(article_id, "ana")
    assert links_column(window, SHELLED) == "source: activists and state media"
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_H)  # the first edit: starts the article, then hedges
    assert store.started(article_id, "ana")
    assert values(window) == {("it killed 40 troops", "hedged"): ("yes", "human")}
    assert sources(window) == {(SHELLED.text(TEXT), ACTIVISTS.text(TEXT))}  # copied
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # one step back: untouched again
    assert not store.started(article_id, "ana")


def test_a_span_edit_that_starts_an_article_keeps_its_sources_on_screen(qtbot, project, window):
    store, (article_id,) = project, project.article_ids()
    shown = [("1", "claim", False), ("1", "source", False), ("–", "claim", True)]
    assert tags(window) == shown
    select(window, HTS)
    window.apply_label("LOCATION")  # the first edit: the suggestions become ana's spans
    assert store.started(article_id, "ana")
    assert tags(window) == shown
    qtbot.waitUntil(lambda: links_column(window, SHELLED) == "source: activists and state media")
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # untouched again: the suggestions' sources
    assert not store.started(article_id, "ana")
    assert tags(window) == shown


def test_deleting_a_source_as_the_first_edit_is_undone_with_its_link(qtbot, project, window):
    """The first edit deletes a claim's source: its undo restores the span and the link
    (it was refused: "span … was deleted elsewhere", and the undo history stuck there)."""
    store, (article_id,) = project, project.article_ids()
    select(window, ACTIVISTS)
    press(qtbot, window, Qt.Key.Key_Delete)  # the first edit: starts the article, deletes
    assert store.started(article_id, "ana")
    assert sources(window) == set()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert not window.message_bar.isVisible()
    assert not store.started(article_id, "ana")  # one step: untouched again
    assert links_column(window, SHELLED) == "source: activists and state media"
    press(qtbot, window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert sources(window) == set()

    # Another edit after the first, both undone.
    select(window, HTS)
    window.apply_label("LOCATION")
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # back to the suggestions
    select(window, ACTIVISTS)
    press(qtbot, window, Qt.Key.Key_Delete)
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_D)  # a value on the claim, after the delete
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert not window.message_bar.isVisible()
    assert sources(window) == set()  # the source still deleted
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert not window.message_bar.isVisible()
    assert not store.started(article_id, "ana")
    assert links_column(window, SHELLED) == "source: activists and state media"


def test_removing_a_suggested_source_as_the_first_edit_is_redone_after_its_undo(
    qtbot, project, window
):
    """Its redo copied the suggestions again, under new ids, and refused: "the relation was
    deleted elsewhere", the redo history emptied."""
    (article_id,) = project.article_ids()
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R, SHIFT)  # the first edit: starts, then unlinks
    assert sources(window) == set()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert not project.started(article_id, "ana")
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert project.started(article_id, "ana") and project.relations(article_id, "ana") == []
    assert window.undo_stack.index() == 1 and "Not saved" not in window.message_bar.text()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # and back again
    assert not project.started(article_id, "ana")
