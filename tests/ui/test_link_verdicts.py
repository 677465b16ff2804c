"""The link dialog's verdicts: a faction that names no one actor ("generic"), given by the
annotator and kept by a reflex Enter, as "not in the gazetteer" is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article, Span
from annotator.kb.links import AMBIGUOUS, GENERIC
from annotator.storage import Store
from annotator.storage.links import SuggestedLink, span_links, store_suggested_links
from annotator.ui.link_dialog import GENERIC_ACTOR, STILL_AMBIGUOUS
from annotator.ui.place_index import PlaceIndex, reset_place_index
from tests.ui.conftest import open_window, select_text, word
from tests.ui.test_window_links import candidates

TEXT = "Tuareg rebels attacked a convoy near Kidal. Gunmen fired on the escort."
REBELS = word(TEXT, "Tuareg rebels", "FACTION")


@pytest.fixture
def index(session_gazetteer):
    """The window's place index, ready with the tiny gazetteer (L starts it)."""
    index = reset_place_index(PlaceIndex(lambda: session_gazetteer))
    index.use(session_gazetteer)
    yield index
    reset_place_index()


def suggested_with_verdict(path, text: str, title: str, span: Span, verdict: str):
    """A project of one article, started by ana, with ``span`` suggested and the linker's
    ``verdict`` on it; returns the store and the article's id."""
    store = Store(path)
    [article] = store.add_articles([Article(text, title=title)]).ids
    store.add_suggestions([(article, [span])], "m-1")
    store_suggested_links(store, article, "m-1", [SuggestedLink(*span.key, "", verdict)])
    store.start_article(article, "ana")
    return store, article


@pytest.fixture
def window(qtbot, tmp_path, index):
    store, article = suggested_with_verdict(
        tmp_path / "verdicts.db", TEXT, "Kidal", REBELS, GENERIC
    )
    store.add_span(article, "ana", word(TEXT, "Gunmen", "FACTION"))  # made by hand
    yield from open_window(qtbot, store, rows=2)
    store.close()


def span_of(window, needle: str) -> Span:
    return next(s for s in window.current.spans if s.text(window.current.article.text) == needle)


def open_dialog(qtbot, window, needle: str):
    """L on the span over ``needle``: the link dialog, active."""
    qtbot.waitUntil(window.isActiveWindow)  # back from the dialog before
    window.editor.select_span(span_of(window, needle))
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    dialog = window.entity_links.dialog
    qtbot.waitUntil(dialog.isActiveWindow)  # typing goes to it
    return dialog


def verdict(window, needle: str) -> tuple[str, str]:
    """What the span list says of it, and the link status the project holds."""
    span = span_of(window, needle)
    model = window.span_model
    said = model.data(model.index(model.row_of(span.id), model.LINKS))
    stored = span_links(window.store, window.current.id, "ana").get(span.id, ("", ""))[1]
    return said, stored


def test_enter_in_the_dialog_keeps_the_linkers_generic(qtbot, window):
    """ "✗ No entry" was picked, and Enter turned "generic: no one actor" into "–"."""
    assert verdict(window, "Tuareg rebels") == ("generic: no one actor", GENERIC)
    dialog = open_dialog(qtbot, window, "Tuareg rebels")
    assert candidates(dialog)[dialog.candidates.currentRow()] == GENERIC_ACTOR
    assert dialog.candidates.currentItem().text().startswith("✓ Generic (no one actor")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert verdict(window, "Tuareg rebels") == ("generic: no one actor", GENERIC)
    assert not window.action_undo.isEnabled()  # nothing to write


def test_a_faction_made_by_hand_can_be_said_generic_and_undone(qtbot, window):
    """ "No entry" and "Not in the actors" were the only verdicts: "gunmen" could never be
    marked generic."""
    assert verdict(window, "Gunmen") == ("–", "")
    dialog = open_dialog(qtbot, window, "Gunmen")
    dialog.candidates.setCurrentRow(candidates(dialog).index(GENERIC_ACTOR))
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    qtbot.waitUntil(lambda: verdict(window, "Gunmen") == ("generic: no one actor", GENERIC))
    assert window.statusBar().currentMessage() == "Generic: no one actor"
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: verdict(window, "Gunmen") == ("–", ""))


def test_a_place_is_offered_no_generic(qtbot, window):
    kidal = word(TEXT, "Kidal", "LOCATION")
    window.store.add_span(window.current.id, "ana", kidal)
    window.reload_from_store()
    dialog = open_dialog(qtbot, window, "Kidal")
    assert GENERIC_ACTOR not in candidates(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def origin(window, needle: str) -> tuple[str, str]:
    """The span list's Origin of the span, and the origin the project holds."""
    span = span_of(window, needle)
    model = window.span_model
    said = model.data(model.index(model.row_of(span.id), 3))
    (stored,) = (s.origin for s in window.store.spans(window.current.id, "ana") if s.id == span.id)
    return said, stored


def test_a_suggestion_linked_elsewhere_is_corrected_and_undo_makes_it_suggested_again(
    qtbot, window
):
    """A suggestion given another entry or verdict stayed "suggested" in the span list, and
    the usage figures counted it accepted."""
    assert origin(window, "Tuareg rebels") == ("suggested", "model")
    assert window.entity_links.link(span_of(window, "Tuareg rebels"), "")  # No entry
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("corrected", "edited"))
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("suggested", "model"))
    assert verdict(window, "Tuareg rebels") == ("generic: no one actor", GENERIC)


def test_a_suggestion_linked_back_as_suggested_is_the_models_again(qtbot, window):
    """Relinked to "not in the actors", then back to "generic" as suggested: the span list
    said "corrected" while the usage figures counted it accepted."""
    from annotator.ui.link_dialog import VERDICT_OF

    unknown = next(choice for choice, status in VERDICT_OF.items() if status == "unknown")
    assert window.entity_links.link(span_of(window, "Tuareg rebels"), unknown)
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("corrected", "edited"))
    assert window.entity_links.link(span_of(window, "Tuareg rebels"), GENERIC_ACTOR)
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("suggested", "model"))
    assert verdict(window, "Tuareg rebels") == ("generic: no one actor", GENERIC)


def test_l_on_a_name_made_by_hand_lists_the_linkers_answer_first(qtbot, tmp_path, index):
    """ "army", labelled by hand in a Sudan article: the dialog picked Jaish al-Fatah (its
    alias "Army of Conquest" starts with the word), and Enter linked a Syrian coalition,
    though the linker reads it as Sudan's forces."""
    text = "Shelling hit Kassala on Monday, responding to army fire."
    store = Store(tmp_path / "army.db")
    [article] = store.add_articles([Article(text, title="Kassala", published="2024-05-01")]).ids
    store.start_article(article, "ana")
    store.add_span(article, "ana", word(text, "Kassala", "LOCATION"))
    store.add_span(article, "ana", word(text, "army", "FACTION"))
    for window in open_window(qtbot, store, rows=2):
        army = next(s for s in window.current.spans if s.label == "FACTION")
        window.editor.select_span(army)
        qtbot.keyClick(window.view, Qt.Key.Key_L)
        dialog = window.entity_links.dialog
        listed = candidates(dialog)
        assert listed[0] == "annotator:sudanese-armed-forces"
        assert listed[dialog.candidates.currentRow()] == "annotator:sudanese-armed-forces"
        dialog.reject()
    store.close()


TROOPS_TEXT = "The force is made up of troops from Syria and Lebanon."


@pytest.fixture
def troops_window(qtbot, tmp_path, index):
    """ "troops" labelled by hand beside two countries: the linker cannot tell whose."""
    store = Store(tmp_path / "troops.db")
    article = Article(TROOPS_TEXT, title="Force", published="2024-05-01")
    [article_id] = store.add_articles([article]).ids
    store.start_article(article_id, "ana")
    for needle, label in (("Syria", "LOCATION"), ("Lebanon", "LOCATION"), ("troops", "FACTION")):
        store.add_span(article_id, "ana", word(TROOPS_TEXT, needle, label))
    yield from open_window(qtbot, store, rows=3)
    store.close()


def troops_verdict(window) -> tuple[str, str]:
    """What the span list says of "troops", and the link status the project holds."""
    (troops,) = (s for s in window.current.spans if s.label == "FACTION")
    model = window.span_model
    said = model.data(model.index(model.row_of(troops.id), model.LINKS))
    stored = span_links(window.store, window.current.id, "ana").get(troops.id, ("", ""))
    return said, stored[1]


def test_a_name_made_by_hand_the_linker_finds_ambiguous_is_kept_ambiguous_by_enter(
    qtbot, troops_window
):
    """The dialog listed no "Ambiguous", picked the first candidate, and Enter linked
    Syria's army, where the suggestion of the same word picks "Ambiguous: leave it so"."""
    window = troops_window
    assert troops_verdict(window) == ("–", "")
    dialog = open_dialog(qtbot, window, "troops")
    listed = candidates(dialog)
    assert listed[:2] == ["annotator:syrian-arab-army", "annotator:lebanese-armed-forces"]
    assert listed[dialog.candidates.currentRow()] == STILL_AMBIGUOUS
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    qtbot.waitUntil(lambda: troops_verdict(window) == ("? ambiguous: 2 candidates", AMBIGUOUS))
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: troops_verdict(window) == ("–", ""))


def test_a_name_made_by_hand_the_linker_finds_generic_opens_on_generic(qtbot, window):
    """ "Gunmen" labelled by hand opened on "No entry" (or the first entry), where a
    suggestion of the same word opens on "Generic"."""
    dialog = open_dialog(qtbot, window, "Gunmen")
    assert candidates(dialog)[dialog.candidates.currentRow()] == GENERIC_ACTOR
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    qtbot.waitUntil(lambda: verdict(window, "Gunmen") == ("generic: no one actor", GENERIC))


def test_the_name_typed_back_in_another_case_keeps_the_opening_pick(qtbot, window):
    """ "Gunmen" opened on "Generic"; Ctrl+A and "gunmen" typed picked "No entry", and Enter
    took the linker's word away."""
    dialog = open_dialog(qtbot, window, "Gunmen")
    dialog.query.selectAll()
    qtbot.keyClicks(dialog.query, "gunmen")
    assert candidates(dialog)[dialog.candidates.currentRow()] == GENERIC_ACTOR


def retype_its_last_letter(qtbot, dialog) -> None:
    """End, BackSpace and the letter again: the box reads the span's text once more."""
    typed = dialog.query.text()
    qtbot.keyClick(dialog.query, Qt.Key.Key_End)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Backspace)
    assert dialog.query.text() == typed[:-1]
    qtbot.keyClicks(dialog.query, typed[-1])
    assert dialog.query.text() == typed


@pytest.mark.parametrize(
    ("needle", "opening_pick"), [("Tuareg rebels", GENERIC_ACTOR), ("troops", STILL_AMBIGUOUS)]
)
def test_the_name_retyped_lists_and_picks_as_the_dialog_opened(
    qtbot, request, needle, opening_pick
):
    """Kassara, ambiguous: "Ambiguous" was picked when the dialog opened; its last letter
    typed again, the first candidate (Kassala, Sudan) was, and Enter would have linked it."""
    window = request.getfixturevalue("troops_window" if needle == "troops" else "window")
    dialog = open_dialog(qtbot, window, needle)
    opened_with = candidates(dialog)
    assert opened_with[dialog.candidates.currentRow()] == opening_pick
    retype_its_last_letter(qtbot, dialog)
    assert candidates(dialog) == opened_with
    assert opened_with[dialog.candidates.currentRow()] == opening_pick
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


MARJ_TEXT = "Clashes were reported in Marj on Monday."
MARJ = word(MARJ_TEXT, "Marj", "LOCATION")


@pytest.fixture
def marj_window(qtbot, tmp_path, index):
    """ "Marj" suggested, ambiguous (a town in Libya, one in Lebanon), in a started article."""
    store, _ = suggested_with_verdict(tmp_path / "marj.db", MARJ_TEXT, "Marj", MARJ, AMBIGUOUS)
    yield from open_window(qtbot, store, rows=1)
    store.close()


def test_a_suggestion_deleted_and_labelled_again_by_hand_opens_on_ambiguous(qtbot, marj_window):
    """As "Tine" was: suggested and ambiguous, deleted and labelled again by hand over the
    same word, the dialog listed the deleted suggestion's candidates, no "Ambiguous", and
    Enter linked the first (a town in France)."""
    window = marj_window
    two_candidates = ("? ambiguous: 2 candidates", AMBIGUOUS)
    qtbot.waitUntil(lambda: verdict(window, "Marj") == two_candidates)
    window.editor.select_span(span_of(window, "Marj"))
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 0)
    select_text(window.view, MARJ.start, MARJ.end)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # LOCATION, by hand
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 1)
    assert span_of(window, "Marj").origin == "human"
    dialog = open_dialog(qtbot, window, "Marj")
    assert candidates(dialog)[dialog.candidates.currentRow()] == STILL_AMBIGUOUS
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    qtbot.waitUntil(lambda: verdict(window, "Marj") == two_candidates)
    assert not span_of(window, "Marj").kb_id
    for _ in range(3):  # the verdict, the label, the deletion: the suggestion is back
        window.action_undo.trigger()
    assert span_of(window, "Marj").origin == "model"
    # (with its candidates counted: it said "? ambiguous" till the article was opened again)
    qtbot.waitUntil(lambda: verdict(window, "Marj") == two_candidates)


def test_a_suggestion_deleted_and_made_again_reads_corrected_till_linked_as_suggested(
    qtbot, window
):
    """Made again by hand, "Tuareg rebels" read "added"; the usage figures count it the
    suggestion made again: edited without its link ("generic"), accepted with it."""
    window.editor.select_span(span_of(window, "Tuareg rebels"))
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    select_text(window.view, REBELS.start, REBELS.end)
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # FACTION, by hand
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("corrected", "human"))
    assert window.entity_links.link(span_of(window, "Tuareg rebels"), GENERIC_ACTOR)
    qtbot.waitUntil(lambda: origin(window, "Tuareg rebels") == ("suggested", "human"))
