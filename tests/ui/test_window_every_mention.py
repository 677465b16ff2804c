"""``=`` gives a name's label and entry to its other mentions in the article: one undo step,
offered in the status bar when a name is made by hand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article, Span
from annotator.storage import Store
from annotator.storage.links import SuggestedLink, set_span_link, store_suggested_links
from tests.ui.conftest import open_window, select_text

TEXT = (
    "Fighters entered Kafr Lusin at dawn, officials said.\n\n"
    "Residents of Kafr Lusin fled north. Kafr Lusinah was quiet; Kafr Lusin's mayor stayed."
)
FIRST = TEXT.index("Kafr Lusin")
MENTIONS = [FIRST, TEXT.index("Kafr Lusin fled"), TEXT.index("Kafr Lusin's")]


@pytest.fixture
def window(qtbot, tmp_path):
    store = Store(tmp_path / "project.db")
    store.add_articles([Article(TEXT, title="Kafr Lusin")])
    yield from open_window(qtbot, store)  # not closed: the window's timers may read it


def stored(window) -> list[tuple[int, str, str]]:
    spans = window.store.spans(window.current.id, window.annotator)
    return sorted((s.start, s.label, s.kb_id) for s in spans)


def message(window) -> str:
    return window.statusBar().currentMessage()


def wait_for_rows(qtbot, window, rows: int) -> None:
    qtbot.waitUntil(lambda: window.span_model.rowCount() == rows)  # the list follows


def links_column(window) -> list[str]:
    model = window.span_model
    return [model.data(model.index(row, model.LINKS)) for row in range(model.rowCount())]


def test_a_new_name_offers_its_other_mentions_and_equals_labels_them_in_one_step(qtbot, window):
    view = window.view
    select_text(view, FIRST, FIRST + len("Kafr Lusin"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert stored(window) == [(FIRST, "LOCATION", "")]
    assert message(window) == "'Kafr Lusin' stands 2 more times without a span: = labels them"

    (made,) = window.store.spans(window.current.id, window.annotator)
    set_span_link(window.store, made.id, "geonames:170063")
    window.reload_from_store()  # as a link made with L shows it
    qtbot.keyClick(view, Qt.Key.Key_Equal)
    assert stored(window) == [(start, "LOCATION", "geonames:170063") for start in MENTIONS]
    assert message(window) == (
        "LOCATION 'Kafr Lusin': 2 more mentions labelled (Ctrl+Z undoes them)"
    )
    assert window.editor.selected.start == FIRST  # the name stays selected
    wait_for_rows(qtbot, window, 3)  # the list follows

    qtbot.keyClick(view, Qt.Key.Key_Equal)  # nothing left: said, and nothing written
    assert message(window) == "No other mention of 'Kafr Lusin' without a span"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [(FIRST, "LOCATION", "geonames:170063")]
    # The status bar says what was undone; "2 more mentions labelled" does not stay up.
    assert message(window) == "Undone: LOCATION for 2 more mentions"
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(window)) == 3
    assert message(window) == "Redone: LOCATION for 2 more mentions"


def test_equals_in_the_search_box_is_typed_there(qtbot, window):
    box = window.search_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Equal)
    assert box.text() == "="
    assert stored(window) == []


def test_equals_on_a_suggestion_as_the_first_edit_keeps_the_name_selected(qtbot, tmp_path):
    """The first edit copies the suggestions under new ids: the name was reselected by its
    old one, so the next key said "Select a span first"."""
    store = Store(tmp_path / "suggested.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Kafr Lusin")]).ids
    store.add_suggestions([(article_id, [Span(FIRST, FIRST + 10, "LOCATION")])], "m-1")
    for window in open_window(qtbot, store):
        window.editor.select_span(window.current.spans[0])
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        assert len(store.spans(article_id, window.annotator)) == 3
        selected = window.editor.selected
        assert selected is not None and (selected.start, selected.id) == (
            FIRST,
            min(s.id for s in store.spans(article_id, window.annotator)),
        )
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        assert message(window) == "No other mention of 'Kafr Lusin' without a span"


def test_equals_relabels_the_suggestions_of_the_same_words_and_undo_gives_them_back(
    qtbot, tmp_path
):
    """The model called every "Kafr Lusin" a FACTION; the annotator makes the first a
    LOCATION and presses =: the other two follow (they were left as FACTION, each to be
    relabelled by hand), and Ctrl+Z gives the suggestions back."""
    store = Store(tmp_path / "suggested.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Kafr Lusin")]).ids
    guesses = [Span(start, start + 10, "FACTION") for start in MENTIONS]
    store.add_suggestions([(article_id, guesses)], "m-1")
    for window in open_window(qtbot, store):
        window.editor.select_span(window.current.spans[0])
        qtbot.keyClick(window.view, Qt.Key.Key_1)  # LOCATION
        assert stored(window) == [
            (FIRST, "LOCATION", ""),
            (MENTIONS[1], "FACTION", ""),
            (MENTIONS[2], "FACTION", ""),
        ]
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        assert stored(window) == [(start, "LOCATION", "") for start in MENTIONS]
        assert message(window) == (
            "LOCATION 'Kafr Lusin': 2 more mentions labelled (Ctrl+Z undoes them)"
        )
        origins = {s.origin for s in store.spans(article_id, window.annotator)}
        assert origins == {"edited"}  # counted as corrected suggestions, not new spans
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert stored(window)[1:] == [(MENTIONS[1], "FACTION", ""), (MENTIONS[2], "FACTION", "")]


def test_equals_leaves_a_suggested_source_of_another_label_as_it_is(qtbot, tmp_path):
    """The model's FACTION "Syria", the source of a claim, became a LOCATION under =, and the
    claim lost its source without a word (Ctrl+Z alone brought it back)."""
    from annotator.core.relations import SpanRelation

    text = "Shelling hit Syria overnight. Syria denied the reports, the ministry said."
    first, second = text.index("Syria"), text.index("Syria denied")
    speaker = Span(second, second + 5, "FACTION")
    denied = Span(text.index("denied"), text.index(", the ministry"), "CLAIM")
    store = Store(tmp_path / "source.db")
    (article_id,) = store.add_articles([Article(text, title="Syria")]).ids
    with store.transaction():
        store.add_suggestions([(article_id, [speaker, denied])], "m-1")
        store.add_suggested_links([(article_id, [SpanRelation(denied, speaker)], [])], "m-1")
    for window in open_window(qtbot, store):
        select_text(window.view, first, first + 5)
        qtbot.keyClick(window.view, Qt.Key.Key_1)  # LOCATION
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        assert message(window) == "No other mention of 'Syria' without a span"
        (relation,) = store.relations(article_id, window.annotator)
        spans = {s.id: s for s in store.spans(article_id, window.annotator)}
        assert (spans[relation.child].start, spans[relation.child].label) == (second, "FACTION")


def test_equals_on_a_name_not_in_the_gazetteer_shows_the_verdict_on_every_mention(qtbot, tmp_path):
    """The other mentions read "–" (not linked yet) in the span list while the project held
    "not in the gazetteer" for them, until the article was opened again."""
    from annotator.ui.link_dialog import NOT_LISTED

    store = Store(tmp_path / "suggested.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Kafr Lusin")]).ids
    guesses = [Span(start, start + 10, "LOCATION") for start in MENTIONS[:2]]
    store.add_suggestions([(article_id, guesses)], "m-1")
    linked = [SuggestedLink(*s.key, "geonames:170063", "linked") for s in guesses]
    store_suggested_links(store, article_id, "m-1", linked)  # the linker's wrong guess
    for window in open_window(qtbot, store, rows=2):
        assert window.entity_links.link(window.current.spans[0], NOT_LISTED)
        window.editor.select_span(window.current.spans[0])
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        statuses = [s.link_status for s in store.spans(article_id, window.annotator)]
        assert statuses == ["unknown"] * 3  # the suggestion followed, the mention made
        wait_for_rows(qtbot, window, 3)
        assert links_column(window) == ["? not in the gazetteer"] * 3
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        wait_for_rows(qtbot, window, 2)
        first, given_back = links_column(window)  # the linker's entry, as the index names it
        assert first == "? not in the gazetteer"
        assert given_back not in ("–", "? not in the gazetteer")
