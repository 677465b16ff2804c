"""The project and the window the claim tests of the annotation window share (fixtures
``project`` and ``window``): one article with suggested claims, a suggested source and a
suggested hedge, started by "ana"; and the helpers that read what they show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.storage import Store
from tests.ui.conftest import open_window, word

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

TEXT = (
    "ALEPPO, Syria — Government forces shelled rebel positions near Aleppo on Monday, "
    "activists and state media said.\n\nHayat Tahrir al-Sham claimed it killed 40 troops. "
    "The Observatory reported that 12 civilians died."
)
SHELLED = word(TEXT, "Government forces shelled rebel positions near Aleppo on Monday", "CLAIM")
KILLED = word(TEXT, "it killed 40 troops", "CLAIM")
DIED = word(TEXT, "12 civilians died", "CLAIM")
ACTIVISTS = word(TEXT, "activists and state media", "SOURCE")
HTS = word(TEXT, "Hayat Tahrir al-Sham", "FACTION")
ALEPPO = word(TEXT, "Aleppo", "LOCATION")
FORCES = word(TEXT, "Government forces", "FACTION")
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project(tmp_path) -> Iterator[Store]:
    """One article with suggested claims, a source and a hedge, started by ana."""
    store = Store(tmp_path / "project.db")
    article_id, _ = store.add_articles([Article(TEXT, title="Aleppo"), Article("Quiet.")]).ids
    model = "test-model-1"
    with store.transaction():
        store.add_suggestions(
            [(article_id, [SHELLED, KILLED, DIED, ACTIVISTS, HTS, ALEPPO, FORCES])], model
        )
        store.add_suggested_links(
            [
                (
                    article_id,
                    [SpanRelation(SHELLED, ACTIVISTS)],
                    [SpanAttribute(SHELLED, "hedged", "yes")],
                )
            ],
            model,
        )
    store.start_article(article_id, "ana")  # ana's copies of the suggestions and their links
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project: Store) -> Iterator[MainWindow]:
    """ana's window on ``project``, its 7 spans listed."""
    yield from open_window(qtbot, project, rows=7)


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


def span_of(window, value: Span) -> Span:
    return next(s for s in window.current.spans if s.key == value.key)


def select(window, value: Span) -> Span:
    span = span_of(window, value)
    window._span_clicked(span.start + 1)  # noqa: SLF001 - the path of a mouse click
    if window.selected_span_id != span.id:  # a click on a nested span takes the inner one
        window.editor.select_span(span)
    return span


def sources(window) -> set[tuple[str, str]]:
    """The stored (claim text, source text) pairs."""
    spans = {s.id: s for s in window.store.spans(window.current.id, "ana")}
    return {
        (spans[r.head].text(TEXT), spans[r.child].text(TEXT))
        for r in window.store.relations(window.current.id, "ana")
    }


def values(window) -> dict[tuple[str, str], tuple[str, str]]:
    spans = {s.id: s for s in window.store.spans(window.current.id, "ana")}
    return {
        (spans[v.span].text(TEXT), v.name): (v.value, v.origin)
        for v in window.store.attribute_values(window.current.id, "ana")
    }


def links_column(window, value: Span) -> str:
    model = window.span_model
    return model.data(model.index(model.row_of(span_of(window, value).id), model.LINKS))


def label_column(window, value: Span) -> str:
    model = window.span_model
    return model.data(model.index(model.row_of(span_of(window, value).id), 0))


def tags(window) -> list[tuple[str, str, bool]]:
    """The tags drawn in the text, in order: (text, kind, confirmed)."""
    return [(t.text, t.kind, t.confirmed) for t in window.view.tags_shown()]
