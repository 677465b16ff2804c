"""Undo puts back exactly what was there, and shows it as the project holds it: a span's
link status with the span, and, on another article, the link or title an undo took back
(the window reads the next article ahead, and that copy held what the undo took back)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.storage import Store
from annotator.storage.links import SuggestedLink, store_suggested_links
from tests.ui.conftest import show_active
from tests.ui.test_window_links import (  # noqa: F401 - fixtures
    KASSAB,
    LINKS,
    MODEL,
    SUGGESTIONS,
    TEXT,
    index,
    refers_to,
    span_of,
    stored_link,
    tiny,
)

UNDO = Qt.KeyboardModifier.ControlModifier
REDO = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, tmp_path, index):  # noqa: F811 - index: the fixture imported
    """A quiet article, then the linked one: the window reads the next one ahead."""
    from annotator.ui.main_window import MainWindow

    store = Store(tmp_path / "links.db")
    quiet, linked = store.add_articles(
        [Article("Quiet day in Idlib.", title="Quiet"), Article(TEXT, title="Kassab")]
    ).ids
    store.add_suggestions([(linked, SUGGESTIONS)], MODEL)
    found = [SuggestedLink(s.start, s.end, s.label, *LINKS[s.text(TEXT)]) for s in SUGGESTIONS]
    store_suggested_links(store, linked, MODEL, found)
    store.start_article(linked, "ana")
    main_window = MainWindow(store, "ana")
    qtbot.addWidget(main_window)
    show_active(qtbot, main_window)
    main_window.open_article(linked)
    yield main_window
    main_window.close()


def away_and_back(qtbot, window, key, modifier) -> None:
    """Open the other article, let the window read ahead, then undo or redo."""
    window.open_article(1)
    qtbot.wait(300)  # the next, the linked article, is read ahead meanwhile
    qtbot.keyClick(window.view, key, modifier)
    assert window.current.id == 2


def test_undo_of_a_link_on_another_article_shows_the_link_it_put_back(qtbot, window):
    window.editor.select_span(span_of(window, "Kassab"))
    window.entity_links.link(window.editor.selected, "")
    away_and_back(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert stored_link(window, "Kassab") == KASSAB
    assert span_of(window, "Kassab").kb_id == KASSAB  # shown as stored
    away_and_back(qtbot, window, Qt.Key.Key_Z, REDO)
    assert stored_link(window, "Kassab") == "" and span_of(window, "Kassab").kb_id == ""


def test_undo_of_a_title_goes_back_to_its_article_with_the_title_it_had(qtbot, window):
    from annotator.ui.conveniences import edit_title

    edit_title(window, "NEW TITLE")
    away_and_back(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert window.current.article.title == "Kassab"
    assert window.title_label.text() == "Kassab"


def test_undo_of_a_delete_brings_back_what_the_linker_said_of_the_span(qtbot, window):
    """The span came back with its entry but no status: "? ambiguous: 1 candidate" became
    "Refers to no entry yet"."""
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 5)
    # (the candidates are found off the GUI thread: "? ambiguous" until they are)
    qtbot.waitUntil(lambda: "candidate" in (refers_to(window, "Tripoli") or ""))
    before = refers_to(window, "Tripoli")
    assert before.startswith("? ambiguous")
    window.editor.select_span(span_of(window, "Tripoli"))
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, UNDO)
    statuses = {s.text(TEXT): s.link_status for s in window.store.spans(2, "ana")}
    assert statuses["Tripoli"] == "ambiguous" and statuses["Kassab"] == "linked"
    window.open_article(1)
    window.open_article(2)  # read again from the project
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == before)


def test_undo_of_a_relabel_brings_back_what_the_linker_said_of_the_span(qtbot, window):
    """A relabel drops the linker's verdict ("? ambiguous" is no word on a FACTION); its
    undo left it dropped in the project while the list still said "? ambiguous", and every
    unlinked suggestion's verdict could vanish so (the monkey test's find)."""
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 5)
    qtbot.waitUntil(lambda: "candidate" in (refers_to(window, "Tripoli") or ""))
    before = refers_to(window, "Tripoli")
    window.editor.select_span(span_of(window, "Tripoli"))
    window.apply_label("FACTION")

    def status() -> str:
        return {s.text(TEXT): s.link_status for s in window.store.spans(2, "ana")}["Tripoli"]

    assert status() == ""
    window.action_undo.trigger()
    assert status() == "ambiguous"
    window.action_redo.trigger()
    assert status() == ""
    window.action_undo.trigger()
    window.open_article(1)
    window.open_article(2)  # read again from the project
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") == before)


def test_the_linkers_candidates_are_found_without_holding_the_window(qtbot, window, monkeypatch):
    """On a report of a million characters the linker scored its places on the GUI thread
    for 2-9 s at each opening, the window frozen."""
    import threading
    import time

    from annotator.ui import link_candidates

    real = link_candidates.link_article
    threads = []

    def slow(*args):
        threads.append(threading.current_thread())
        time.sleep(0.8)
        return real(*args)

    monkeypatch.setattr(link_candidates, "link_article", slow)
    window.open_article(1)
    started = time.monotonic()
    window.open_article(2)
    qtbot.waitUntil(lambda: refers_to(window, "Tripoli") is not None)
    assert time.monotonic() - started < 0.6  # shown before the linker is done
    assert refers_to(window, "Tripoli") == "? ambiguous"
    qtbot.waitUntil(lambda: "candidate" in refers_to(window, "Tripoli"), timeout=5000)
    assert threads and threading.main_thread() not in threads
