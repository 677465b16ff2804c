"""What names refer to, in the window: the span list, the link dialog by keyboard, undo and
redo, a new faction, the map. A tiny gazetteer stands in for the real index."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget

from annotator.core import Article, Span
from annotator.kb import link_article
from annotator.kb.links import UNKNOWN
from annotator.kb.places import Gazetteer, build_index
from annotator.storage import Store
from annotator.storage.links import (
    SuggestedLink,
    project_actors,
    set_span_link,
    span_links,
    store_suggested_links,
)
from annotator.ui.link_dialog import NOT_LISTED, STILL_AMBIGUOUS
from annotator.ui.place_index import PlaceIndex, reset_place_index
from tests.kb.conftest import PLACES
from tests.ui.conftest import show_active

TEXT = (
    "Hayat Tahrir al-Sham fighters entered Kassab, in Latakia province, Syria.\n\n"
    "Further south, clashes were reported in Tripoli and in Marj."
)
KASSAB, SYRIA, HTS = "geonames:168519", "geonames:163843", "annotator:hayat-tahrir-al-sham"
MODEL = "test-model"


def at(needle: str, label: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), label)


SUGGESTIONS = [
    at("Hayat Tahrir al-Sham", "FACTION"),
    at("Kassab", "LOCATION"),
    at("Syria", "LOCATION"),
    at("Tripoli", "LOCATION"),
    at("Marj", "LOCATION"),
]
LINKS = {  # what the linker said of each suggestion
    "Hayat Tahrir al-Sham": (HTS, "linked"),
    "Kassab": (KASSAB, "linked"),
    "Syria": (SYRIA, "linked"),
    "Tripoli": ("", "ambiguous"),
    "Marj": ("", "ambiguous"),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gazetteer") / "tiny.sqlite"
    build_index(path, PLACES, {"version": "tiny"})
    return Gazetteer(path)


@pytest.fixture
def index(tiny):
    """The window's place index, ready with the tiny gazetteer."""
    index = reset_place_index(PlaceIndex(lambda: tiny))
    index.use(tiny)
    yield index
    reset_place_index()


@pytest.fixture
def linked_project(tmp_path) -> Store:
    store = Store(tmp_path / "links.db")
    [article] = store.add_articles([Article(TEXT, title="Kassab")]).ids
    store.add_suggestions([(article, SUGGESTIONS)], MODEL)
    store_suggested_links(
        store,
        article,
        MODEL,
        [
            SuggestedLink(s.start, s.end, s.label, *LINKS[TEXT[s.start : s.end]])
            for s in SUGGESTIONS
        ],
    )
    store.start_article(article, "ana")  # ana's copies of the suggestions, with their links
    yield store
    store.close()


@pytest.fixture
def window(qtbot, linked_project, index):
    from annotator.ui.main_window import MainWindow

    main_window = MainWindow(linked_project, "ana")
    qtbot.addWidget(main_window)
    show_active(qtbot, main_window)
    qtbot.waitUntil(lambda: main_window.span_model.rowCount() == len(SUGGESTIONS))
    yield main_window
    main_window.close()


def span_of(window, needle: str) -> Span:
    return next(s for s in window.current.spans if s.text(TEXT) == needle)


def refers_to(window, needle: str) -> str:
    model = window.span_model
    span = span_of(window, needle)
    return model.data(model.index(model.row_of(span.id), 2))


def stored_link(window, needle: str) -> str:
    span = span_of(window, needle)
    return span_links(window.store, window.current.id, "ana").get(span.id, ("", ""))[0]


def open_dialog(qtbot, window, needle: str):
    qtbot.waitUntil(window.isActiveWindow)  # back from the dialog before
    window.editor.select_span(span_of(window, needle))
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    dialog = window.entity_links.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)  # typing goes to it
    assert QApplication.focusWidget() is dialog.query
    return dialog


def candidates(dialog) -> list[str]:
    items = dialog.candidates
    return [items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(items.count())]


def test_the_span_list_says_what_each_name_refers_to(window, tiny):
    assert refers_to(window, "Kassab") == "Kassab, Latakia, SY"
    assert refers_to(window, "Syria") == "Syria"
    assert refers_to(window, "Hayat Tahrir al-Sham") == "Hayat Tahrir al-Sham"
    found = link_article(TEXT, window.current.spans, "", tiny)
    tripoli = next(link for link in found if TEXT[link.start : link.end] == "Tripoli")
    expected = (
        f"? ambiguous: {len(tripoli.candidates)} candidates"
        if tripoli.candidates
        else "? ambiguous"
    )
    assert refers_to(window, "Tripoli") == expected
    model = window.span_model
    claimless = [model.data(model.index(row, 2)) for row in range(model.rowCount())]
    assert "? ambiguous" in " ".join(claimless)
    # Known to no list: a place is not in the gazetteer, a group not among the actors.
    links = window.entity_links
    for needle, said in (
        ("Kassab", "? not in the gazetteer"),
        ("Hayat Tahrir al-Sham", "? not in the actors"),
    ):
        span = replace(span_of(window, needle), kb_id="")
        links.statuses[span.key] = UNKNOWN
        assert links.describe(span).text == said
    # A group left unlinked for a reason the linker gave says the reason, not "not known".
    links.notes[span.key] = ("", "no state forces known then")
    assert links.describe(span).text == "? no state forces known then"


def test_linking_by_keyboard_then_undo_and_redo(qtbot, window):
    dialog = open_dialog(qtbot, window, "Tripoli")
    assert dialog.query.text() == "Tripoli"
    assert dialog.new_faction.isHidden()  # a place is no faction
    qtbot.keyClicks(dialog.query, "Trip")  # the text was selected: typing replaces it
    qtbot.waitUntil(lambda: {"geonames:266826", "geonames:2210247"} <= set(candidates(dialog)))
    while candidates(dialog)[dialog.candidates.currentRow()] != "geonames:266826":
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # the cursor stays in the search box
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert stored_link(window, "Tripoli") == "geonames:266826"
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == "Tripoli, Liban-Nord, LB")
    assert window.action_undo.text() == "&Undo link “Tripoli” to Tripoli, Liban-Nord, LB"
    # The toolbar's button says the verb only: a long title pushed Undo and Redo off it.
    assert window.action_undo.iconText() == "Undo"
    assert "Undo link “Tripoli” to Tripoli, Liban-Nord, LB" in window.action_undo.toolTip()

    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_link(window, "Tripoli") == ""
    # Ambiguous again, as the linker said, not "no entry"
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli").startswith("? ambiguous"))
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Z, redo)
    assert stored_link(window, "Tripoli") == "geonames:266826"
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == "Tripoli, Liban-Nord, LB")


def test_no_entry_clears_a_link_and_escape_changes_nothing(qtbot, window):
    dialog = open_dialog(qtbot, window, "Kassab")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert stored_link(window, "Kassab") == KASSAB
    assert not window.action_undo.isEnabled()

    dialog = open_dialog(qtbot, window, "Kassab")
    assert candidates(dialog)[0] == KASSAB  # what it refers to now comes first
    qtbot.keyClicks(dialog.query, "zzqq")  # nothing has that name: "No entry" alone
    assert candidates(dialog) == ["", NOT_LISTED]
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert stored_link(window, "Kassab") == ""
    qtbot.waitUntil(lambda: refers_to(window, "Kassab") == "–")
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_link(window, "Kassab") == KASSAB


def test_no_entry_settles_an_ambiguous_name_and_undo_makes_it_ambiguous_again(qtbot, window):
    """ "Marj" was ambiguous: choosing "No entry" records that it refers to nothing (it did
    nothing at all, since the span had no entry before either)."""
    store, article = window.store, window.current.id

    def status() -> str:
        marj = span_of(window, "Marj")
        return span_links(store, article, "ana").get(marj.id, ("", ""))[1]

    assert status() == "ambiguous" and refers_to(window, "Marj").startswith("? ambiguous")
    dialog = open_dialog(qtbot, window, "Marj")
    # "Ambiguous: leave it so" is picked, and a reflex Enter keeps it (it linked the first
    # candidate, a town of another country)
    assert candidates(dialog)[dialog.candidates.currentRow()] == STILL_AMBIGUOUS
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert status() == "ambiguous" and not window.action_undo.isEnabled()
    dialog = open_dialog(qtbot, window, "Marj")
    qtbot.keyClicks(dialog.query, "zzqq")
    assert candidates(dialog) == [STILL_AMBIGUOUS, "", NOT_LISTED]
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert status() == "" and stored_link(window, "Marj") == ""
    qtbot.waitUntil(lambda: refers_to(window, "Marj") == "–")
    assert "refers to no entry" in window.action_undo.text()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status() == "ambiguous"
    qtbot.waitUntil(lambda: refers_to(window, "Marj").startswith("? ambiguous"))
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert status() == ""


def test_relabelling_drops_the_entry_and_undo_gives_it_back(qtbot, window):
    """A place's entry means nothing for a faction: relabelling clears it, undo restores it."""
    qtbot.waitUntil(window.isActiveWindow)
    window.editor.select_span(span_of(window, "Kassab"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # FACTION
    assert span_of(window, "Kassab").label == "FACTION"
    assert stored_link(window, "Kassab") == ""
    qtbot.waitUntil(lambda: refers_to(window, "Kassab") == "–")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert span_of(window, "Kassab").label == "LOCATION"
    assert stored_link(window, "Kassab") == KASSAB
    qtbot.waitUntil(lambda: refers_to(window, "Kassab") == "Kassab, Latakia, SY")
    window.editor.select_span(span_of(window, "Kassab"))
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    (resized,) = [s for s in window.current.spans if s.start == TEXT.index("Kassab")]
    assert resized.end > TEXT.index("Kassab") + len("Kassab")
    links = span_links(window.store, window.current.id, "ana")
    assert links[resized.id][0] == KASSAB  # a resize keeps what the name refers to


def test_a_faction_searches_actors_by_any_of_their_names(qtbot, window):
    dialog = open_dialog(qtbot, window, "Hayat Tahrir al-Sham")
    qtbot.keyClicks(dialog.query, "Nusra")  # its name of 2012-2016
    qtbot.waitUntil(lambda: candidates(dialog)[0] == HTS)
    assert all(not kb_id.startswith("geonames:") for kb_id in candidates(dialog))


def test_a_new_faction_is_added_to_the_project_and_linked(qtbot, window):
    dialog = open_dialog(qtbot, window, "Hayat Tahrir al-Sham")
    assert dialog.new_faction.isVisible()

    def fill_in_the_form():
        form = QApplication.activeModalWidget()
        if form is None or form.objectName() != "newFactionDialog":
            QTimer.singleShot(20, fill_in_the_form)  # not open yet
            return
        form.name.selectAll()
        qtbot.keyClicks(form.name, "Liwa al-Test")
        qtbot.keyClicks(form.countries, "sy")
        qtbot.keyClick(form.name, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_in_the_form)
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # New faction…
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    [actor] = project_actors(window.store)
    assert actor["id"] == "project:liwa-al-test"
    assert actor["countries"] == ["SY"] and actor["kind"] == "armed group"
    assert stored_link(window, "Hayat Tahrir al-Sham") == "project:liwa-al-test"
    qtbot.waitUntil(lambda: refers_to(window, "Hayat Tahrir al-Sham") == "Liwa al-Test (project)")


def test_a_link_changed_in_another_window_is_not_overwritten(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, "Tripoli")
    span = span_of(window, "Tripoli")
    with Store(window.store.path) as other:  # another window links it meanwhile
        set_span_link(other, span.id, "geonames:2210247")
    qtbot.keyClicks(dialog.query, "Trip")
    while candidates(dialog)[dialog.candidates.currentRow()] != "geonames:266826":
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert stored_link(window, "Tripoli") == "geonames:2210247"  # theirs stays
    assert "changed elsewhere" in window.message_bar.text()
    assert not window.action_undo.isEnabled()
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == "Tripoli, Tripoli, LY")  # saved


def test_a_resize_keeps_a_link_another_window_made_meanwhile(qtbot, window):
    span = span_of(window, "Tripoli")
    with Store(window.store.path) as other:  # linked elsewhere; this window has not seen it
        set_span_link(other, span.id, "geonames:2210247")
    qtbot.waitUntil(window.isActiveWindow)
    window.editor.select_span(span)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    links = span_links(window.store, window.current.id, "ana")
    assert links[span.id][0] == "geonames:2210247"


def test_the_map_has_a_dot_per_linked_place_and_a_click_selects_its_span(qtbot, window):
    places = window.entity_links.map
    assert places.dots == {}  # hidden (the window is narrow): not drawn
    window.entity_links.places.show()
    qtbot.waitUntil(lambda: set(places.dots) == {KASSAB, SYRIA})
    assert places.dots[KASSAB].name.text() == "Kassab"
    assert places.message.isHidden()

    dot = places.dots[KASSAB]
    where = places.mapFromScene(dot.pos())
    qtbot.mouseClick(places.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.selected_span_id == span_of(window, "Kassab").id
    assert window.view.selected_range() == (TEXT.index("Kassab"), TEXT.index("Kassab") + 6)
    assert places.selected == KASSAB

    window.editor.select_span(span_of(window, "Syria"))  # the span's selection moves the dot
    assert places.selected == SYRIA
    window.editor.select_span(span_of(window, "Tripoli"))
    assert places.selected is None


def test_the_map_is_laid_out_only_when_it_shows_and_its_places_changed(qtbot, window):
    """On a long article each edit laid the hidden map's names out again (150-400 ms)."""
    drawn = []
    places = window.entity_links.places
    real = places.map.set_places
    places.map.set_places = lambda found: drawn.append(len(found)) or real(found)
    window.editor.select_span(span_of(window, "Tripoli"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # an edit while the map is hidden
    qtbot.waitUntil(lambda: listed(window, "Tripoli") == "FACTION")  # the list was refilled
    assert drawn == []
    places.show()
    qtbot.waitUntil(lambda: drawn == [2])  # shown: drawn once, Kassab and Syria
    window.editor.select_span(span_of(window, "Marj"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # its places unchanged: not laid out again
    qtbot.waitUntil(lambda: listed(window, "Marj") == "FACTION")
    assert drawn == [2] and set(places.map.dots) == {KASSAB, SYRIA}


def listed(window, needle: str) -> str:
    """The label the span list shows for the span of ``needle``."""
    return next(s.label for s in window.span_model.spans if s.text(TEXT) == needle)


def test_a_place_linked_from_the_dialog_appears_on_the_map(qtbot, window):
    window.entity_links.places.show()
    dialog = open_dialog(qtbot, window, "Marj")
    qtbot.keyClicks(dialog.query, "Mar")  # (its own name again picks "Ambiguous", last)
    qtbot.waitUntil(lambda: "geonames:9000002" in candidates(dialog))
    while candidates(dialog)[dialog.candidates.currentRow()] != "geonames:9000002":
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "geonames:9000002" in window.entity_links.map.dots)
    assert window.entity_links.map.selected == "geonames:9000002"
    # The span on screen says "linked" as the file does: Del then Ctrl+Z wrote it back
    # with the status it had before the link ("unknown" beside an entry).
    marj = span_of(window, "Marj")
    assert marj.link_status == "linked"
    window.editor.select_span(marj)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (back,) = [s for s in window.store.spans(window.current.id, "ana") if s.start == marj.start]
    assert (back.kb_id, back.link_status) == ("geonames:9000002", "linked")


@pytest.fixture
def slow_index(tiny):
    """The place index built only when the test sets the event it yields with the index."""
    built = threading.Event()

    def slowly() -> Gazetteer:
        built.wait(10)
        return tiny

    index = reset_place_index(PlaceIndex(slowly))
    yield built, index
    built.set()
    reset_place_index()


def test_while_the_index_is_built_the_map_and_dialog_say_so(qtbot, linked_project, slow_index):
    from annotator.ui.main_window import MainWindow

    built, index = slow_index
    window = MainWindow(linked_project, "ana")  # the project has links: it starts
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.entity_links.places.show()
    places = window.entity_links.map
    assert index.state == "building"
    assert places.message.text().startswith("Building the place index")
    assert places.dots == {}
    assert window.findChild(type(window.time_label), "placeIndexLabel").isVisible()
    assert refers_to(window, "Kassab") == KASSAB  # named once the index is ready

    dialog = open_dialog(qtbot, window, "Tripoli")  # a place: the gazetteer is needed
    assert dialog.status.text().startswith("Building the place index")
    assert candidates(dialog) == [STILL_AMBIGUOUS, "", NOT_LISTED]  # (Tripoli is ambiguous)
    built.set()
    qtbot.waitUntil(lambda: index.is_ready)
    qtbot.waitUntil(lambda: set(places.dots) == {KASSAB, SYRIA})
    assert dialog.status.text() == ""
    assert "geonames:266826" in candidates(dialog)  # listed once it is ready
    assert refers_to(window, "Kassab") == "Kassab, Latakia, SY"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    window.close()


def test_enter_in_the_dialog_keeps_what_a_span_refers_to_even_while_the_index_is_built(
    qtbot, linked_project, slow_index
):
    """While the index was built, the dialog on a linked place listed "No entry" first and
    picked: a reflex Enter cleared the link."""
    from annotator.ui.main_window import MainWindow

    _, index = slow_index
    window = MainWindow(linked_project, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert index.state == "building"
    dialog = open_dialog(qtbot, window, "Kassab")
    assert candidates(dialog)[dialog.candidates.currentRow()] == KASSAB
    assert dialog.candidates.currentItem().text().startswith(f"✓ {KASSAB}")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert stored_link(window, "Kassab") == KASSAB and not window.action_undo.isEnabled()
    window.close()


def test_enter_in_the_dialog_keeps_a_span_marked_not_listed(qtbot, window):
    """Marked "not in the gazetteer", the dialog picked "No entry": Enter took the verdict
    away."""
    store, article = window.store, window.current.id

    def status() -> str:
        marj = span_of(window, "Marj")
        return span_links(store, article, "ana").get(marj.id, ("", ""))[1]

    dialog = open_dialog(qtbot, window, "Marj")
    qtbot.keyClicks(dialog.query, "zzqq")
    dialog.candidates.setCurrentRow(candidates(dialog).index(NOT_LISTED))
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert status() == "unknown"
    dialog = open_dialog(qtbot, window, "Marj")
    assert candidates(dialog)[dialog.candidates.currentRow()] == NOT_LISTED
    assert dialog.candidates.currentItem().text().startswith("✓ Not in the gazetteer")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert status() == "unknown"


def test_the_building_note_goes_when_the_map_shows_after_the_index_was_built(
    qtbot, linked_project, slow_index, tmp_path
):
    """Built while the map was hidden, the note stayed over the map for good."""
    from annotator.ui.main_window import MainWindow

    built, index = slow_index
    window = MainWindow(linked_project, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    places = window.entity_links.places
    places.show()
    assert window.entity_links.map.message.text().startswith("Building the place index")
    places.dock.hide()
    window.set_store(Store(tmp_path / "empty.db"))  # no article: nothing is drawn
    built.set()
    qtbot.waitUntil(lambda: index.is_ready)
    places.show()
    qtbot.waitUntil(lambda: not window.entity_links.map.message.isVisible())
    window.close()


def test_a_project_without_links_does_not_build_the_index(qtbot, project):
    from annotator.ui.main_window import MainWindow

    index = reset_place_index(PlaceIndex(lambda: pytest.fail("the index was built")))
    try:
        window = MainWindow(project, "ana")
        qtbot.addWidget(window)
        assert index.state == "idle"
        window.close()
    finally:
        reset_place_index()


def test_a_link_is_the_first_edit_of_an_article_not_started(qtbot, tmp_path, index):
    from annotator.ui.main_window import MainWindow

    store = Store(tmp_path / "fresh.db")
    [article] = store.add_articles([Article(TEXT, title="Kassab")]).ids
    store.add_suggestions([(article, SUGGESTIONS)], MODEL)
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == len(SUGGESTIONS))
    assert not store.started(article, "ana")
    dialog = open_dialog(qtbot, window, "Kassab")
    qtbot.keyClicks(dialog.query, "Kass")
    qtbot.waitUntil(lambda: KASSAB in candidates(dialog))
    while candidates(dialog)[dialog.candidates.currentRow()] != KASSAB:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    assert store.started(article, "ana")  # the link started the article
    assert stored_link(window, "Kassab") == KASSAB
    # in progress as after any first edit, also when read again (not "todo" with spans)
    assert store.status(article, "ana").status == "in_progress"
    window.reload_from_store()
    assert window.current.status == "in_progress"
    window.history.undo()  # one step: the link and the start
    assert not store.started(article, "ana")
    assert store.status(article, "ana").status == "todo"
    window.close()
    store.close()


def test_ctrl_m_shows_the_places_and_a_click_on_one_selects_its_span(qtbot, window):
    dock = window.findChild(QDockWidget, "placesPanel")
    dock.hide()
    window.named_actions["actionShowPlaces"].trigger()
    assert dock.isVisible()
    qtbot.waitUntil(lambda: KASSAB in window.entity_links.map.dots)
    window.entity_links.map.placeClicked.emit(KASSAB)
    selected = window.editor.selected
    assert selected is not None and selected.kb_id == KASSAB
    assert window.entity_links.map.selected == KASSAB
    window.named_actions["actionShowPlaces"].trigger()  # Ctrl+M again hides it
    assert not dock.isVisible()


def test_ctrl_m_where_the_screen_has_no_room_opens_the_map_on_its_own(qtbot, window):
    """Docked beside the text, the map made the window wider than a small screen."""
    dock = window.findChild(QDockWidget, "placesPanel")
    dock.hide()
    dock.setFloating(False)
    screen = window.screen().availableGeometry()
    window.resize(screen.width() - 40, screen.height() - 40)
    qtbot.waitUntil(lambda: window.width() <= screen.width())
    assert window.minimumSizeHint().width() + dock.minimumSizeHint().width() > screen.width()
    window.named_actions["actionShowPlaces"].trigger()
    assert dock.isVisible() and dock.isFloating()
    assert screen.contains(dock.geometry())
    QApplication.processEvents()
    assert window.width() <= screen.width()
    qtbot.waitUntil(lambda: KASSAB in window.entity_links.map.dots)


def test_the_new_faction_form_takes_countries_by_name_and_refuses_unknown_ones(qtbot):
    from PySide6.QtWidgets import QWidget

    from annotator.ui.link_dialog import NewFactionDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    form = NewFactionDialog(parent, "Tripoli Protection Force", set())
    form.aliases.setText("The Tripoli Protection Force, TPF")
    form.countries.setText("Libia")
    form.show()
    form._accept_if_sound()  # OK
    assert form.result() != form.DialogCode.Accepted and form.isVisible()
    assert form.problem.isVisible() and "Not a country: Libia" in form.problem.text()
    form.countries.setText("Libya, iq")
    form._accept_if_sound()
    assert form.result() == form.DialogCode.Accepted
    record = form.record()
    assert record["countries"] == ["LY", "IQ"]
    assert record["names"] == [{"names": ["Tripoli Protection Force", "TPF"]}]  # no "The"


def test_the_new_faction_form_says_when_the_name_is_an_entry_already(qtbot, window):
    """ "Zorblax Brigade" added twice made two identical entries, silently."""
    from annotator.ui.link_dialog import NewFactionDialog

    links = window.entity_links
    dialog = open_dialog(qtbot, window, "Hayat Tahrir al-Sham")
    forms = []

    def fill_in_the_form():
        form = QApplication.activeModalWidget()
        if not isinstance(form, NewFactionDialog):
            QTimer.singleShot(20, fill_in_the_form)  # not open yet
            return
        forms.append(form)
        form.name.setText("the HTS")  # another name of Hayat Tahrir al-Sham's
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
        assert form.isVisible() and "Hayat Tahrir al-Sham" in form.problem.text()
        qtbot.keyClick(form.name, Qt.Key.Key_Escape)  # and choose it in the list instead

    QTimer.singleShot(0, fill_in_the_form)
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(forms) and not forms[0].isVisible())
    assert project_actors(window.store) == []
    assert links.dialog is dialog
    assert dialog.query.text() == "HTS"  # the list looks for the entry it was told of
    qtbot.waitUntil(lambda: HTS in candidates(dialog))
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)


def test_the_linkers_note_on_a_name_shows_in_the_span_list(qtbot, tmp_path, index):
    """The note that a name was used outside its period was stored and never shown."""
    from PySide6.QtCore import Qt as QtRole

    from annotator.ui.main_window import MainWindow

    note = "name used 2012–2016; the article is dated 2020-01-10"
    store = Store(tmp_path / "noted.db")
    [article] = store.add_articles([Article(TEXT, title="Kassab")]).ids
    store.add_suggestions([(article, SUGGESTIONS)], MODEL)
    hts = SUGGESTIONS[0]
    store_suggested_links(
        store, article, MODEL, [SuggestedLink(hts.start, hts.end, hts.label, HTS, "linked", note)]
    )
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == len(SUGGESTIONS))
    model = window.span_model
    for started in (False, True):  # the suggestion, then ana's copy of it
        qtbot.waitUntil(lambda: model.row_of(span_of(window, "Hayat Tahrir al-Sham").id) >= 0)
        cell = model.index(model.row_of(span_of(window, "Hayat Tahrir al-Sham").id), 2)
        assert model.data(cell).startswith("⚠ ")
        assert note in model.data(cell, QtRole.ItemDataRole.ToolTipRole)
        if not started:
            store.start_article(article, "ana")
            window.reload_from_store()
            window.open_article(article)
    kassab = model.index(model.row_of(span_of(window, "Kassab").id), 2)
    assert "⚠" not in (model.data(kassab) or "")
    # A note that only says how the link was found is in the tooltip, with no warning mark.
    links = window.entity_links
    hts = span_of(window, "Hayat Tahrir al-Sham")
    links.notes[hts.key] = (HTS, "part of Hayat Tahrir al-Sham")
    reference = links.describe(hts)
    assert not reference.text.startswith("⚠") and "Note: part of" in reference.tip
    window.close()
    store.close()


def test_the_map_starts_beside_the_text_only_where_the_text_keeps_its_width(
    qtbot, linked_project, index, monkeypatch
):
    """On a 1600-px screen the map squeezed the text to its 260-px least at first start."""
    from annotator.ui import main_window as main_window_module
    from annotator.ui.main_window import MainWindow
    from annotator.ui.places_panel import MAP_BESIDE_TEXT

    for width, beside in ((1580, False), (MAP_BESIDE_TEXT, True)):  # 1600- and 1920-px screens
        monkeypatch.setattr(
            main_window_module,
            "resize_within_screen",
            lambda w, _, h, width=width: w.resize(width, h),
        )
        window = MainWindow(linked_project, "ana")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        dock = window.findChild(QDockWidget, "placesPanel")
        assert dock.isVisible() == beside
        assert window.view.width() >= 600  # the text has its room either way
        window.close()


LIBYAN, LEBANESE = "geonames:2210247", "geonames:266826"


def linked_elsewhere(qtbot, window, needle: str, kb_id: str) -> None:
    """Another window links the span of ``needle`` to ``kb_id``; this one shows it."""
    with Store(window.store.path) as other:
        set_span_link(other, span_of(window, needle).id, kb_id)
    window.reload_from_store()
    qtbot.waitUntil(lambda: span_of(window, needle).kb_id == kb_id)


def tripolis_offered(qtbot, window) -> list[str]:
    """The link dialog on "Tripoli", "Trip" typed: the candidates, in order, once both
    Tripolis are in (then closed)."""
    qtbot.waitUntil(lambda: window.entity_links.index.is_ready)
    dialog = open_dialog(qtbot, window, "Tripoli")
    qtbot.keyClicks(dialog.query, "Trip")
    qtbot.waitUntil(lambda: {LIBYAN, LEBANESE} <= set(candidates(dialog)))
    found = candidates(dialog)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    return found


def test_the_link_dialog_puts_the_articles_countries_first(qtbot, window):
    """'Gaza' in an article of Gaza's places offered Gaza Province, Mozambique, on top."""
    found = tripolis_offered(qtbot, window)
    assert found.index(LIBYAN) < found.index(LEBANESE)  # the larger: no country of theirs
    linked_elsewhere(qtbot, window, "Marj", "geonames:272103")  # a place in Lebanon
    found = tripolis_offered(qtbot, window)
    assert found.index(LEBANESE) < found.index(LIBYAN)


def test_the_span_being_linked_and_based_places_are_no_context_for_the_dialog(qtbot, window):
    """A wrong link on the span itself put its country first again."""
    linked_elsewhere(qtbot, window, "Tripoli", LEBANESE)
    found = tripolis_offered(qtbot, window)
    assert found.index(LIBYAN) < found.index(LEBANESE)  # as if it were not linked


def test_the_link_dialog_puts_the_factions_of_the_articles_countries_first(qtbot, window):
    """In an article of Syria's places, "Arm" offered Burkina Faso's army on top."""
    qtbot.waitUntil(lambda: window.entity_links.index.is_ready)
    dialog = open_dialog(qtbot, window, "Hayat Tahrir al-Sham")
    qtbot.keyClicks(dialog.query, "Arm")
    syrian = {"annotator:jaish-al-fatah", "annotator:russian-armed-forces"}
    qtbot.waitUntil(lambda: syrian <= set(candidates(dialog)))
    found = candidates(dialog)
    assert set(found[:2]) == syrian
    assert "annotator:burkina-faso-armed-forces" in found[2:]
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)


def test_not_in_the_gazetteer_can_be_said_and_undone(qtbot, window):
    """ "No entry" was the only choice: the span then showed "–", as one nobody looked at,
    and the linker's "? ambiguous" was gone."""
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") is not None)
    before = refers_to(window, "Tripoli")
    dialog = open_dialog(qtbot, window, "Tripoli")
    assert NOT_LISTED in candidates(dialog)
    row = candidates(dialog).index(NOT_LISTED)
    assert dialog.candidates.item(row).text().startswith("? Not in the gazetteer")
    dialog.candidates.setCurrentRow(row)
    dialog.accept_current()
    qtbot.waitUntil(lambda: window.entity_links.dialog is None)
    statuses = {s.text(TEXT): (s.kb_id, s.link_status) for s in window.store.spans(1, "ana")}
    assert statuses["Tripoli"] == ("", "unknown")
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == "? not in the gazetteer")
    assert window.statusBar().currentMessage() == "Not in the gazetteer"
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == before)


def test_an_index_that_fails_with_a_database_error_is_said_not_built_for_ever(qtbot):
    """SQLite's own error (a cache path whose "#" cut SQLite's URI: "no such table: meta")
    ended the worker thread: the window said "Building the place index…" for ever."""
    import sqlite3

    def broken() -> Gazetteer:
        raise sqlite3.OperationalError("no such table: meta")

    index = PlaceIndex(broken)
    with qtbot.waitSignal(index.failed, timeout=5000) as failed:
        index.start()
    assert index.state == "failed"
    assert failed.args[0].startswith("The place index could not be built: no such table: meta")
