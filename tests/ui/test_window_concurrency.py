"""Two windows (or a window and another program) on one project, and writes that fail:
a failed write is not an edit, and what the window shows is what the project holds."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from annotator.core import Article, Span
from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import ARTICLES, select_text, show_active

TEXT = ARTICLES[0][1]
FORCES = TEXT.index("Government forces")
UNDO = Qt.KeyboardModifier.ControlModifier
REDO = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


def stored(store: Store, article_id: int, annotator: str = "ana"):
    return {(s.start, s.end, s.label) for s in store.spans(article_id, annotator)}


def shown(window):
    return {(s.start, s.end, s.label) for s in window.current.spans}


@pytest.fixture
def other(project):
    """The same project file opened by another program (or another window's connection)."""
    store = Store(project.path)
    yield store
    store.close()


def span_at(window, offset) -> Span:
    return next(s for s in window.current.spans if s.start <= offset < s.end)


def started(window) -> None:
    """The open article as the annotator left it yesterday: started on (suggestions copied)."""
    window.store.start_article(window.current.id, window.annotator)
    window.reload_from_store()


def test_relabelling_a_span_deleted_elsewhere_is_refused_and_not_undoable(qtbot, window, other):
    started(window)
    forces = span_at(window, FORCES)
    other.delete_span(forces.id)  # before the window has looked again
    window._span_clicked(FORCES + 2)  # noqa: SLF001 - as a click
    press(qtbot, window, Qt.Key.Key_1)
    assert "deleted elsewhere" in window.message_bar.text()
    assert window.message_bar.isVisible()
    assert not window.undo_stack.canUndo()  # a failed edit is not an edit
    assert (FORCES, FORCES + 17, "FACTION") not in shown(window)  # the screen shows the store
    assert shown(window) == stored(other, window.current.id)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 2)  # the list follows


def test_undo_of_an_edit_on_a_span_changed_elsewhere_is_refused_and_leaves_the_history(
    qtbot, window, other
):
    started(window)
    near = TEXT.index("near Aleppo")
    rebels = TEXT.index("rebel positions")
    select_text(window.view, near, near + 4)
    press(qtbot, window, Qt.Key.Key_2)  # an earlier step, still undoable at the end
    assert (near, near + 4, "FACTION") in stored(other, window.current.id)
    select_text(window.view, rebels, rebels + 5)
    press(qtbot, window, Qt.Key.Key_2)
    made = span_at(window, rebels)
    other.update_span(made.id, made.start, made.end, "LOCATION", "human")  # ben's window
    press(qtbot, window, Qt.Key.Key_Z, UNDO)
    said = window.message_bar.text()
    assert said.startswith("Not saved") and "leaves the undo history" in said  # and says why
    assert (rebels, rebels + 5, "LOCATION") in stored(other, window.current.id)  # untouched
    assert (rebels, rebels + 5, "LOCATION") in shown(window)
    # The step that can never be undone does not stop the history: the one before it comes.
    assert window.undo_stack.count() == 1 and not window.undo_stack.canRedo()
    press(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert (near, near + 4, "FACTION") not in stored(other, window.current.id)
    assert (rebels, rebels + 5, "LOCATION") in stored(other, window.current.id)


def test_a_redo_that_can_never_be_made_leaves_the_history(qtbot, window, other):
    rebels = TEXT.index("rebel positions")
    select_text(window.view, rebels, rebels + 5)
    press(qtbot, window, Qt.Key.Key_2)  # add
    press(qtbot, window, Qt.Key.Key_1)  # relabel
    press(qtbot, window, Qt.Key.Key_Z, UNDO)  # the relabel, ready to redo
    other.delete_span(span_at(window, rebels).id)
    press(qtbot, window, Qt.Key.Key_Z, REDO)
    assert "cannot be redone" in window.message_bar.text()
    assert not window.undo_stack.canRedo() and window.undo_stack.count() == 1
    redo = window.findChild(QAction, "actionRedo")
    assert redo.text() == "&Redo" and not redo.isEnabled()
    assert (rebels, rebels + 5, "LOCATION") not in stored(other, window.current.id)


def test_a_write_refused_by_a_busy_project_is_not_an_edit(qtbot, project, monkeypatch):
    from annotator.storage import connections

    monkeypatch.setattr(connections, "BUSY_TIMEOUT_MS", 100)  # give up after 0.1 s, not 10
    busy = Store(project.path)
    window = MainWindow(busy, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    lock = sqlite3.connect(project.path, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another program writes for a long time
    try:
        start = TEXT.index("rebel positions")
        select_text(window.view, start, start + 5)
        press(qtbot, window, Qt.Key.Key_2)
        assert window.message_bar.text().startswith("Not saved")
        assert not window.undo_stack.canUndo()
        assert (start, start + 5, "FACTION") not in shown(window)
    finally:
        lock.rollback()
        lock.close()
    press(qtbot, window, Qt.Key.Key_2)  # the same key once the project is free again
    assert (start, start + 5, "FACTION") in stored(busy, window.current.id)
    window.close()
    busy.close()


def test_a_second_window_shows_the_edits_of_the_first(qtbot, window, project):
    second_store = Store(project.path)
    second = MainWindow(second_store, "ana")
    qtbot.addWidget(second)
    show_active(qtbot, second)
    assert second.current.id == window.current.id
    start = TEXT.index("rebel positions")
    select_text(second.view, start, start + 5)
    qtbot.keyClick(second.view, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: (start, start + 5, "FACTION") in shown(window), timeout=3000)
    row = window.article_model.row_of(window.current.id)
    assert window.article_model.rows[row].spans == 4
    # The first window deletes a span; the second, not yet aware, relabels it at once.
    forces = span_at(window, FORCES)
    window._span_clicked(FORCES + 1)  # noqa: SLF001
    window.action_delete_span.trigger()
    second._span_clicked(FORCES + 1)  # noqa: SLF001 - it still shows the span
    assert second.editor.selected.id == forces.id
    second.label_actions["LOCATION"].trigger()
    assert "deleted elsewhere" in second.message_bar.text()
    assert forces.id not in {s.id for s in second.current.spans}  # now it shows the store
    assert second.undo_stack.count() == 1  # its own edit only
    second.close()
    second_store.close()


def test_redo_follows_a_span_that_came_back_under_a_new_id(qtbot, window, other):
    start = TEXT.index("rebel positions")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)  # add
    press(qtbot, window, Qt.Key.Key_1)  # relabel
    first_id = span_at(window, start).id
    press(qtbot, window, Qt.Key.Key_Z, UNDO)
    press(qtbot, window, Qt.Key.Key_Z, UNDO)  # the span is gone
    # Another annotator's span takes the next id, so redo cannot get the old one back.
    other.add_span(window.current.id, "ben", Span(0, 6, "LOCATION"))
    press(qtbot, window, Qt.Key.Key_Z, REDO)  # add again: a new id
    assert span_at(window, start).id != first_id
    press(qtbot, window, Qt.Key.Key_Z, REDO)  # relabel finds the span under its new id
    assert (start, start + 5, "LOCATION") in stored(other, window.current.id)
    assert stored(other, window.current.id, "ben") == {(0, 6, "LOCATION")}  # untouched
    assert window.message_bar.text() == ""


def test_the_window_reloads_when_another_program_adds_articles(qtbot, window, other):
    from annotator.core import Article

    other.add_articles([Article("Clashes near Goma.", title="Goma")])
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 4, timeout=3000)
    assert window.article_model.rows[-1].title == "Goma"


def test_the_status_bar_names_the_model_of_the_suggestions_shown(qtbot, window, other):
    """Another program pre-annotating again (or adopting a model) changes what an untouched
    article shows; a started article keeps the suggestions it took, and says whose."""
    article = window.current.id
    assert window.model_label.text() == "Suggestions: test-model-1"
    other.clear_suggestions([article], "test-model-1")
    other.add_suggestions([(article, [Span(FORCES, FORCES + 10, "FACTION")])], "v2")
    window.reload_from_store()  # as the project watcher does when another program wrote
    assert window.model_label.text() == "Suggestions: v2"
    assert shown(window) == {(FORCES, FORCES + 10, "FACTION")}
    select_text(window.view, TEXT.index("rebel"), TEXT.index("rebel") + 5)
    press(qtbot, window, Qt.Key.Key_2)  # started on v2's suggestions
    other.add_suggestions([(article, [])], "rules")  # a newer model finds nothing
    window.reload_from_store()
    assert window.model_label.text() == "Suggestions: v2"
    press(qtbot, window, Qt.Key.Key_Z, UNDO)  # untouched again: the newest model's (none)
    assert window.model_label.text() == "Suggestions: rules" and shown(window) == set()
    press(qtbot, window, Qt.Key.Key_Z, REDO)  # started anew on what rules suggested
    assert window.model_label.text() == "Suggestions: rules"
    window.open_article(window.articles.following(article))  # not started, no suggestions
    assert window.model_label.text() == "No suggestions for this article"


def test_a_refusal_hides_when_another_article_opens(qtbot, window, other):
    started(window)
    forces = span_at(window, FORCES)
    other.delete_span(forces.id)
    window._span_clicked(FORCES + 2)  # noqa: SLF001 - as a click
    press(qtbot, window, Qt.Key.Key_1)
    assert window.message_bar.isVisible()
    window.next_article(1)
    qtbot.waitUntil(lambda: not window.message_bar.isVisible())


def test_the_window_says_when_another_program_changed_the_open_articles_spans(qtbot, window, other):
    """`annotator import --annotator ana` replaced ana's spans on the article open in her
    window: the window changed without a word."""
    started(window)
    other.add_span(window.current.id, "ana", Span(0, 6, "LOCATION"))
    qtbot.waitUntil(lambda: (0, 6, "LOCATION") in shown(window), timeout=3000)
    assert "changed by another window or program" in window.statusBar().currentMessage()
    other.add_span(window.current.id, "ben", Span(7, 12, "LOCATION"))  # another's: no word
    window.statusBar().clearMessage()
    other.add_articles([Article("Clashes near Goma.", title="Goma")])
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 4, timeout=3000)
    assert window.statusBar().currentMessage() == ""


def test_another_annotators_writes_leave_the_list_as_it_is(qtbot, window, other):
    """Each commit of any annotator refilled the whole list: on 10,000 articles the window
    stalled 300 ms at every write of a colleague. The same rows now keep the model (and
    the place in it); a change to this annotator's rows still shows."""
    resets = []
    window.article_model.modelReset.connect(lambda: resets.append(1))
    article_id = window.current.id
    other.set_status(article_id, "zed", "done")
    other.add_span(article_id, "zed", Span(FORCES, FORCES + 17, "FACTION"))
    window.reload_from_store()
    assert resets == []
    row = window.article_model.row_of(article_id)
    other.set_status(article_id, "ana", "flagged")
    window.reload_from_store()
    assert resets == [1] and window.article_model.rows[row].status == "flagged"


def test_undo_of_deleting_one_of_two_twin_spans_puts_it_back(qtbot, window, other):
    """A script's twins (the window never makes one): the undo of deleting one was refused
    as "made elsewhere" by a check the store had for a while, and the history lost."""
    article_id = window.current.id
    started(window)
    twin = (FORCES, FORCES + 17, "FACTION")
    other.add_spans_in_bulk([(article_id, "ana", *twin, "manual")])  # the suggestion's twin
    window.reload_from_store()
    spans = [s for s in window.current.spans if s.key == twin]
    assert len(spans) == 2
    window.editor.select_span(spans[0])
    window.named_actions["actionDeleteSpan"].trigger()
    assert [s.key for s in window.store.spans(article_id, "ana")].count(twin) == 1
    window.undo_stack.undo()
    assert [s.key for s in window.store.spans(article_id, "ana")].count(twin) == 2
    assert window.undo_stack.canRedo()


def test_another_annotators_edit_does_not_read_the_article_list_again(window, other, monkeypatch):
    """On 6,000 articles every window stalled 100-470 ms on each edit any other annotator
    made: the list (ana's statuses and span counts) was read again whatever changed."""
    window.reload_from_store()
    fills: list[str] = []
    real_fill = window.articles.fill
    monkeypatch.setattr(
        window.articles, "fill", lambda *args: (fills.append("fill"), real_fill(*args))[1]
    )
    second = window.article_model.rows[1].id
    other.add_span(second, "ben", Span(0, 5, "FACTION"))
    other.set_status(second, "ben", "done")
    window.reload_from_store()
    assert fills == []  # ben's work: nothing ana's list shows
    other.add_span(second, "ana", Span(0, 5, "FACTION"))  # ana's own, in her other window
    window.reload_from_store()
    assert fills == ["fill"]
    assert window.article_model.rows[1].spans == 1
    other.set_article_title(second, "A new title", by="ben")  # any title, anyone's
    window.reload_from_store()
    assert fills == ["fill", "fill"] and window.article_model.rows[1].title == "A new title"
    (new,) = other.add_articles([Article("Shelling hit Gao on Monday.")]).ids
    window.reload_from_store()
    assert window.article_model.rows[-1].id == new


def test_undo_of_a_delete_after_another_window_made_the_span_again_is_refused(qtbot, window, other):
    """ana deleted "Government forces" in one window and made it again in another: the undo
    in the first added a second, identical span (the store's check took the undo's id, and
    the window gives a span back under a new one)."""
    started(window)
    forces = span_at(window, FORCES)
    window._span_clicked(FORCES + 2)  # noqa: SLF001 - as a click
    press(qtbot, window, Qt.Key.Key_Delete)
    assert (forces.start, forces.end, forces.label) not in stored(other, window.current.id)
    other.add_span(window.current.id, "ana", Span(forces.start, forces.end, forces.label))
    press(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert "is there again" in window.message_bar.text()
    spans = [s for s in other.spans(window.current.id, "ana") if s.key == forces.key]
    assert len(spans) == 1


def test_a_title_changed_elsewhere_shows_and_is_not_written_over(qtbot, window, other):
    """Another window kept the old title above the text, pre-filled it at F2, and its undo
    wrote the first window's title away without a word."""
    from annotator.ui.article_commands import TitleChange

    article_id = window.current.id
    window.history.push(TitleChange(window.store, window, article_id, "Mine"))
    other.set_article_title(article_id, "Theirs", by="ben")
    window.reload_from_store()
    assert window.current.article.title == "Theirs"
    assert window.centre.title_label.text() == "Theirs"
    window.history.undo()
    assert "changed elsewhere" in window.message_bar.text()
    assert other.article(article_id).title == "Theirs"


def test_an_open_guidelines_window_follows_guidelines_set_elsewhere(qtbot, window, other):
    from PySide6.QtWidgets import QTextBrowser

    from annotator.storage.base import GUIDELINES_SETTING
    from annotator.ui.guidelines import show_guidelines

    dialog = show_guidelines(window)
    other.set_setting(GUIDELINES_SETTING, "# Our rules, version 2")
    window.reload_from_store()  # as the watcher does
    assert "Our rules, version 2" in dialog.findChild(QTextBrowser).toPlainText()


def test_a_verdict_given_in_another_window_shows(qtbot, window, other):
    """ "generic" given to a span in another window, or a suggestion relinked there, showed
    only once something else changed on the article."""
    from annotator.storage.links import set_span_link

    started(window)
    span = span_at(window, FORCES)
    model = window.span_model
    set_span_link(other, span.id, "", "generic", origin="edited")
    window.watcher.poll()
    qtbot.waitUntil(lambda: span_at(window, FORCES).link_status == "generic", timeout=3000)

    def origin() -> str:
        return model.data(model.index(model.row_of(span.id), model.ORIGIN))

    qtbot.waitUntil(lambda: origin() == "corrected", timeout=3000)


def test_the_news_of_an_article_changed_elsewhere_goes_with_the_article(qtbot, window, other):
    """ "This article was changed by another window or program" stayed on the next article,
    which nobody changed, for five seconds."""
    from annotator.ui.article_statuses import CHANGED_ELSEWHERE

    started(window)
    other.add_span(window.current.id, "ana", Span(0, 6, "LOCATION"))
    window.watcher.poll()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == CHANGED_ELSEWHERE)
    first = window.current.id
    window.action_next.trigger()
    qtbot.waitUntil(lambda: window.current.id != first and not window.current.loading)
    assert window.statusBar().currentMessage() != CHANGED_ELSEWHERE
