"""The annotation window driven by its actions and keys, with the database checked each step."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.core import Article, Span
from tests.ui.conftest import ARTICLES, select_text

TEXT = ARTICLES[0][1]
FORCES = TEXT.index("Government forces")


def stored(window):
    return [
        (s.start, s.end, s.label, s.origin)
        for s in window.store.spans(window.current.id, window.annotator)
    ]


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


SUGGESTED = {
    (FORCES, FORCES + 17, "FACTION"),
    (TEXT.index("Aleppo on"), TEXT.index("Aleppo on") + 6, "LOCATION"),
    (TEXT.index("Hayat"), TEXT.index("Hayat") + 20, "FACTION"),
}


def shown(window):
    return [(s.start, s.end, s.label, s.origin) for s in window.current.spans]


def test_first_open_shows_the_suggestions_and_leaves_the_article_todo(window):
    assert window.current.article.text == TEXT
    assert {s[:3] for s in shown(window)} == SUGGESTED
    assert {s[3] for s in shown(window)} == {"model"}
    assert window.span_model.rowCount() == 3
    assert stored(window) == []  # reading copies nothing
    assert window.store.status(window.current.id, "ana").status == "todo"
    assert window.progress_label.text() == "0 / 3 done"


def test_the_first_edit_copies_the_suggestions_and_its_undo_makes_the_article_untouched(
    qtbot, window
):
    aleppo = TEXT.index("Aleppo on")
    window._span_clicked(aleppo + 2)  # noqa: SLF001 - a suggestion, selected as by a click
    press(qtbot, window, Qt.Key.Key_Delete)
    assert {s[:3] for s in stored(window)} == SUGGESTED - {(aleppo, aleppo + 6, "LOCATION")}
    assert window.store.status(window.current.id, "ana").status == "in_progress"
    assert window.article_model.rows[0].status == "in_progress"
    assert [s.id for s in window.current.spans] == [
        s.id for s in window.store.spans(window.current.id, "ana")
    ]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == []  # one undo step: the edit and the start
    assert window.store.status(window.current.id, "ana").status == "todo"
    assert {s[:3] for s in shown(window)} == SUGGESTED
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Z, redo)
    assert len(stored(window)) == 2
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [] and {s[:3] for s in shown(window)} == SUGGESTED


def test_done_on_an_untouched_article_accepts_its_suggestions(qtbot, window):
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(first, "ana").status == "done"
    assert {s.key for s in window.store.spans(first, "ana")} == SUGGESTED
    assert window.progress_label.text() == "1 / 3 done"


def test_select_and_press_a_key_makes_a_span_snapped_to_tokens(qtbot, window):
    start = TEXT.index("rebel positions")
    select_text(window.view, start + 1, start + 4)  # "ebe": part of a word
    press(qtbot, window, Qt.Key.Key_2)
    assert (start, start + 5, "FACTION", "human") in stored(window)
    assert window.view.selected_range() == (start, start + 5)  # the new span is selected


def test_relabel_resize_delete_undo_redo_each_reach_the_database(qtbot, window):
    start = TEXT.index("rebel positions")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)
    assert (start, start + 5, "FACTION", "human") in stored(window)

    press(qtbot, window, Qt.Key.Key_1)  # relabel the selected span
    assert (start, start + 5, "LOCATION", "human") in stored(window)
    assert not any(s[:3] == (start, start + 5, "FACTION") for s in stored(window))

    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # widen end
    assert (start, start + 15, "LOCATION", "human") in stored(window)

    press(qtbot, window, Qt.Key.Key_Delete)
    assert not any(s[0] == start for s in stored(window))

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo delete
    assert (start, start + 15, "LOCATION", "human") in stored(window)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo resize
    assert (start, start + 5, "LOCATION", "human") in stored(window)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo relabel
    assert (start, start + 5, "FACTION", "human") in stored(window)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Z, redo)
    assert (start, start + 5, "LOCATION", "human") in stored(window)
    assert [e["action"] for e in window.store.events(window.current.id)][-1] == "update_span"


def test_changing_a_suggestion_marks_it_edited(qtbot, window):
    aleppo = TEXT.index("Aleppo on")
    window._span_clicked(aleppo + 2)  # noqa: SLF001 - same path as a mouse click
    press(qtbot, window, Qt.Key.Key_2)
    assert (aleppo, aleppo + 6, "FACTION", "edited") in stored(window)


def test_a_click_selects_the_span_under_the_mouse(qtbot, window):
    aleppo = TEXT.index("Aleppo on")
    window.view.select_range(aleppo + 2, aleppo + 2, scroll=True)
    rect = window.view.cursorRect()
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = window.current.span(window.selected_span_id)
    assert selected == Span(aleppo, aleppo + 6, "LOCATION")
    rows = window.span_list.selectionModel().selectedRows()
    assert [window.span_model.spans[r.row()] for r in rows] == [selected]


def point_at(window, offset: int):
    """Where the character at ``offset`` is drawn (the view's selection left as it is)."""
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.offsets.to_utf16(offset))
    return window.view.cursorRect(cursor).center()


def click(qtbot, window, offset: int) -> None:
    qtbot.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(window, offset)
    )


def test_a_clicked_span_is_forgotten_once_other_words_are_dragged_over(qtbot, window):
    """Click "Aleppo", then drag over other words: Del deleted Aleppo, Shift+→ stretched it."""
    aleppo = TEXT.index("Aleppo on")
    click(qtbot, window, aleppo + 2)
    assert window.current.span(window.selected_span_id).start == aleppo
    rebel = TEXT.index("rebel positions")
    start, end = point_at(window, rebel), point_at(window, rebel + 5)
    viewport, left = window.view.viewport(), Qt.MouseButton.LeftButton
    qtbot.mousePress(viewport, left, pos=start)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, left, pos=end)
    assert window.view.selected_range() == (rebel, rebel + 5)
    assert window.selected_span_id is None
    assert window.span_list.selectionModel().selectedRows() == []
    press(qtbot, window, Qt.Key.Key_Delete)
    assert (aleppo, aleppo + 6, "LOCATION") in [s[:3] for s in shown(window)]


def test_a_second_click_on_a_span_still_takes_the_one_around_it(qtbot, window):
    select_text(window.view, 0, len(TEXT.split("\n")[0]) - 1)
    press(qtbot, window, Qt.Key.Key_3)  # a claim around the whole first paragraph
    forces = TEXT.index("Government forces")
    click(qtbot, window, forces + 2)
    assert window.current.span(window.selected_span_id).label == "FACTION"
    click(qtbot, window, forces + 2)
    assert window.current.span(window.selected_span_id).label == "CLAIM"


def test_an_entity_over_another_entity_replaces_it_and_undo_brings_it_back(qtbot, window):
    forces = TEXT.index("Government forces")
    select_text(window.view, forces, forces + 10)  # "Government"
    press(qtbot, window, Qt.Key.Key_1)
    assert (forces, forces + 10, "LOCATION", "human") in stored(window)
    assert not any(s[:3] == (forces, forces + 17, "FACTION") for s in stored(window))
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (forces, forces + 17, "FACTION", "model") in shown(window)
    assert not any(s[:3] == (forces, forces + 10, "LOCATION") for s in shown(window))
    assert stored(window) == []  # it was the first edit: the article is untouched again


def test_a_claim_may_contain_entities(qtbot, window):
    claim_end = TEXT.index(", activists")
    select_text(window.view, FORCES, claim_end)
    press(qtbot, window, Qt.Key.Key_3)
    labels = {s[:3] for s in stored(window)}
    assert (FORCES, claim_end, "CLAIM") in labels and (FORCES, FORCES + 17, "FACTION") in labels


def test_done_and_next_goes_to_the_next_article_not_done(qtbot, window):
    first = window.current.id
    window.store.set_status(first + 1, "ana", "done")
    window.refresh_article_list()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(first, "ana").status == "done"
    assert window.current.id == first + 2  # the done one in between is passed over
    assert window.progress_label.text() == "2 / 3 done"


def test_next_and_previous_keys(qtbot, window):
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_N)
    assert window.current.id == first + 1
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.current.id == first + 2
    press(qtbot, window, Qt.Key.Key_P)
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert window.current.id == first


def test_undo_reaches_back_to_an_edit_on_another_article(qtbot, window):
    first = window.current.id
    start = TEXT.index("rebel")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)
    press(qtbot, window, Qt.Key.Key_N)
    assert window.current.id != first
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current.id == first
    assert not any(s[0] == start for s in stored(window))


def test_skip_and_flag_with_a_comment(qtbot, window):
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_S)
    assert window.store.status(first, "ana").status == "skipped"
    second = window.current.id
    window.comment_box.setText("source unclear")
    window.action_flag.trigger()
    assert window.store.status(second, "ana").status == "flagged"
    assert window.store.status(second, "ana").comment == "source unclear"
    press(qtbot, window, Qt.Key.Key_N)  # flagged with it: nothing to say
    assert window.message_bar.text() == ""
    # A comment typed but never flagged is not saved, and leaving the article says so.
    third = window.current
    window.comment_box.setText("two places called Marib?")
    press(qtbot, window, Qt.Key.Key_P)
    assert window.message_bar.text() == (
        f"Not saved: the comment “two places called Marib?” on “{third.article.title}”. "
        "A comment is saved with a flag: type it, then Enter (or Flag)."
    )
    assert window.store.status(third.id, "ana").comment == ""


def test_typing_in_the_search_box_does_not_trigger_shortcuts(qtbot, window):
    first = window.current.id
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "Marib 2")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current.id == first
    assert window.store.status(first, "ana").status == "todo"  # Enter did not mark it done
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 0)  # "Marib 2" matches nothing
    window.search_box.setText("Marib")
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 1)
    assert window.article_model.rows[0].title == "Marib front"


def test_enter_after_hash_and_a_number_opens_that_article(qtbot, project, window):
    """ "#5" then Enter opened article 4, which the list shows first and whose text holds
    "5 soldiers"; the search ranks article 5 first."""
    project.add_articles([Article("5 soldiers were killed near Daraa."), Article("Calm in Homs.")])
    window.refresh_article_list()
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "#5")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert [row.id for row in window.article_model.rows] == [5]  # (4, whose text holds "5",
    assert window.current.id == 5  # was listed first)
    project.add_articles([Article("Near Daraa."), Article("Daraa, Daraa: shelling in Daraa.")])
    window.refresh_article_list()
    box.setFocus()
    box.setText("Daraa")  # 7 ranked before 6 and 4: Down then Enter opened 4, the first row
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(window.article_list.hasFocus)
    assert [row.id for row in window.article_model.rows] == [4, 6, 7]
    (selected,) = window.article_list.selectionModel().selectedRows()
    assert window.article_model.rows[selected.row()].id == window.store.search("Daraa")[0] == 7
    qtbot.keyClick(window.article_list, Qt.Key.Key_Return)
    assert window.current.id == 7


def test_enter_in_the_search_box_opens_the_first_found_and_down_goes_into_the_list(qtbot, window):
    """Both did nothing: only F6 reached what was found."""
    first = window.current.id
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "Idlib")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # at once, not 200 ms later
    assert window.current.article.title == "Quiet day"
    qtbot.waitUntil(window.view.hasFocus)  # the keys go to the text
    assert window.store.status(first, "ana").status == "todo"

    box.setFocus()
    box.setText("Marib")
    qtbot.keyClick(box, Qt.Key.Key_Down)
    table = window.article_list
    qtbot.waitUntil(table.hasFocus)
    assert [
        window.article_model.rows[i.row()].title for i in table.selectionModel().selectedRows()
    ] == ["Marib front"]
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.current.article.title == "Marib front"


def test_status_filter_lists_only_that_status(window):
    window.store.set_status(window.current.id + 2, "ana", "flagged", "check")
    window.status_filter.setCurrentIndex(window.status_filter.findData("flagged"))
    assert [r.title for r in window.article_model.rows] == ["Quiet day"]


def test_a_search_under_a_status_filter_counts_what_the_filter_hides(qtbot, window):
    """ "Flagged" and a search for rebels: an empty list, and no word of the articles
    found in other statuses (as "Only mine (+3 elsewhere)" says of the others' articles)."""
    window.status_filter.setCurrentIndex(window.status_filter.findData("flagged"))
    window.search_box.setText("rebels")
    qtbot.waitUntil(lambda: window.status_filter.currentText() != "Flagged")
    assert window.article_model.rows == []
    assert window.status_filter.currentText() == "Flagged (+1 in others)"
    assert window.status_filter.toolTip() == "1 article the search finds is in other statuses"
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.status_filter.currentText() == "Flagged")


def test_edits_survive_closing_the_window(qtbot, window, tmp_path):
    from annotator.storage import Store

    start = TEXT.index("rebel")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)
    article_id = window.current.id
    window.close()
    with Store(tmp_path / "project.db") as reopened:
        assert Span(start, start + 5, "FACTION") in reopened.spans(article_id, "ana")


def test_an_edit_is_on_disk_as_soon_as_it_is_shown(qtbot, window):
    import sqlite3

    start = TEXT.index("rebel")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)
    assert window.current.span(window.selected_span_id).start == start  # shown as made
    # A second connection (another process, or this one after a crash) already sees it.
    other = sqlite3.connect(window.store.path)
    rows = other.execute(
        'SELECT start, "end", label FROM spans WHERE annotator = ? AND origin = ?', ["ana", "human"]
    ).fetchall()
    other.close()
    assert rows == [(start, start + 5, "FACTION")]


def test_tab_walks_through_the_spans_in_text_order(qtbot, window):
    press(qtbot, window, Qt.Key.Key_Tab)
    first = window.current.span(window.selected_span_id)
    press(qtbot, window, Qt.Key.Key_Tab)
    second = window.current.span(window.selected_span_id)
    assert (first.start, second.start) == tuple(sorted(s.start for s in window.current.spans))[:2]
    press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_span_id == first.id


def test_the_article_read_ahead_shows_its_latest_spans(qtbot, window):
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_N)  # open the second article once
    second_text = window.current.article.text
    start = second_text.index("Marib")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_P)
    assert window.current.id == first
    qtbot.waitUntil(lambda: window.source.ahead is not None)  # read ahead
    press(qtbot, window, Qt.Key.Key_Delete)  # nothing selected: no change anywhere
    press(qtbot, window, Qt.Key.Key_N)
    assert [(s.start, s.label) for s in window.current.spans] == [(start, "LOCATION")]
    # An undo that reaches the read-ahead article drops the stale copy.
    press(qtbot, window, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: window.source.ahead is not None)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current.id == first + 1 and window.current.spans == []
    press(qtbot, window, Qt.Key.Key_P)
    press(qtbot, window, Qt.Key.Key_N)
    assert window.current.spans == []


def test_the_span_list_follows_each_edit(qtbot, window):
    start = TEXT.index("rebel positions")
    select_text(window.view, start, start + 5)
    press(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 4)
    rows = window.span_list.selectionModel().selectedRows()
    assert [window.span_model.spans[r.row()].start for r in rows] == [start]  # and selected
    press(qtbot, window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 3)
    listed = [s.start for s in window.span_model.spans]
    assert listed == sorted(s.start for s in window.current.spans)


def test_an_edit_right_after_opening_does_not_leave_the_old_list_showing(qtbot, window):
    from PySide6.QtWidgets import QApplication

    first = window.current.id
    window.action_next.trigger()  # no event loop yet: the list still shows the first article
    assert window.span_model.article_id == first
    text = window.current.article.text
    start = text.index("Marib")
    select_text(window.view, start, start + 5)
    window.apply_label("LOCATION")
    QApplication.processEvents()  # one turn of the loop brings the list to this article
    assert window.span_model.article_id == window.current.id
    assert [s.start for s in window.span_model.spans] == [start]


def test_undoing_done_goes_back_to_the_article(qtbot, window):
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.current.id != first
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current.id == first
    assert window.store.status(first, "ana").status == "todo"  # as it was: untouched
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Z, redo)
    assert window.store.status(first, "ana").status == "done"


def test_a_place_over_a_paragraph_break_is_refused_and_a_replacing_span_says_what_it_replaced(
    qtbot, window
):
    before = stored(window)
    select_text(window.view, TEXT.index("said."), TEXT.index("Hayat") + 5)
    press(qtbot, window, Qt.Key.Key_1)  # LOCATION over the blank line
    message = window.statusBar().currentMessage()
    assert message.startswith("A LOCATION span cannot run over a paragraph break")
    assert stored(window) == before and not window.undo_stack.canUndo()
    # A CLAIM may (a quotation goes on over paragraphs).
    press(qtbot, window, Qt.Key.Key_3)
    assert any(s[2] == "CLAIM" and s[0] < TEXT.index("\n\n") < s[1] for s in stored(window))
    # A LOCATION over part of a FACTION replaces it, and says so.
    window.clear_selection()
    select_text(window.view, TEXT.index("Tahrir"), TEXT.index("Tahrir") + 6)
    press(qtbot, window, Qt.Key.Key_1)
    assert window.statusBar().currentMessage() == (
        "LOCATION 'Tahrir' replaced FACTION 'Hayat Tahrir al-Sham' (Ctrl+Z undoes it)"
    )


def test_done_with_the_list_filtered_says_where_the_articles_left_are(qtbot, window):
    filter_box = window.articles.status_filter
    filter_box.setCurrentIndex(filter_box.findData("done"))  # the list shows done ones only
    first = window.current.id
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(first, "ana").status == "done"
    assert window.statusBar().currentMessage() == (
        "Every article in the list is done; 2 more in the project are not "
        "(clear the search, or show all articles)"
    )


def test_enter_on_a_flagged_article_asks_before_it_replaces_the_flag(qtbot, window):
    """F, a comment, Enter (the flag saved), then Enter to move on: the flag became "done"
    without a word, and the article left the Flagged list."""
    flagged = window.current.id
    window.comment_box.setText("wrong date")
    window.action_flag.trigger()
    window.view.setFocus()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(flagged, "ana").status == "flagged"
    assert window.current.id == flagged
    assert window.message_bar.text() == (
        "This article is flagged (“wrong date”): Enter again marks it done instead, "
        "N goes on and keeps the flag"
    )
    press(qtbot, window, Qt.Key.Key_N)  # N keeps the flag; back on it, Enter asks again
    # (the question stayed ten seconds in the status bar of the next article, not flagged)
    assert "flagged" not in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_P)
    assert window.current.id == flagged
    window.message_bar.hide()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(flagged, "ana").status == "flagged"
    assert window.message_bar.text().startswith("This article is flagged")
    press(qtbot, window, Qt.Key.Key_Return)  # again: done, as asked
    assert window.store.status(flagged, "ana").status == "done"
    assert window.current.id != flagged
    assert not window.message_bar.isVisible()  # answered


def test_the_flag_question_goes_when_the_flagged_article_was_the_last_to_do(qtbot, window):
    """With no article left to do, the bar kept asking to press Enter again."""
    for row in window.article_model.rows:
        if row.id != window.current.id:
            window.store.set_status(row.id, "ana", "done")
    window.refresh_article_list()
    window.comment_box.setText("wrong date")
    window.action_flag.trigger()
    window.view.setFocus()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.message_bar.isVisible()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.store.status(window.current.id, "ana").status == "done"
    assert not window.message_bar.isVisible()


def test_a_comment_whose_flag_was_not_saved_stays_to_try_again(qtbot, window, monkeypatch):
    """On a full disk, Enter in the comment box said "Not saved", and the next try (F)
    found the box emptied: the reload after the failure put the stored comment back."""
    from annotator.storage.errors import DiskFull

    def disk_full(*args, **kwargs):
        raise DiskFull("project.db: the disk is full; the last change was not saved")

    monkeypatch.setattr(window.store, "set_status", disk_full)
    window.comment_box.setFocus()
    qtbot.keyClicks(window.comment_box, "duplicate of article 7")
    qtbot.keyClick(window.comment_box, Qt.Key.Key_Return)
    assert "disk is full" in window.message_bar.text()
    assert window.comment_box.text() == "duplicate of article 7"
    window.view.setFocus()
    window.reload_from_store()  # as the window does when the file changes
    assert window.comment_box.text() == "duplicate of article 7"
    monkeypatch.undo()  # space again: F flags it with the comment typed
    window.flag_article()
    assert window.store.status(window.current.id, "ana").comment == "duplicate of article 7"


def test_a_click_on_the_right_half_of_a_names_last_letter_selects_the_name(qtbot, window):
    """It selected the claim around the name: the click's nearest gap is after the letter."""
    first = TEXT.split("\n")[0]
    select_text(window.view, 0, len(first) - 1)
    press(qtbot, window, Qt.Key.Key_3)  # a claim around the whole first paragraph
    aleppo = TEXT.index("Aleppo on")
    last = point_at(window, aleppo + 5)  # the left edge of "o"
    after = point_at(window, aleppo + 6)  # its right edge
    right_half = QPoint(last.x() + (after.x() - last.x()) * 3 // 4, last.y())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=right_half)
    selected = window.current.span(window.selected_span_id)
    assert (selected.start, selected.end, selected.label) == (aleppo, aleppo + 6, "LOCATION")


def test_typing_a_search_filters_the_rows_read_before_and_an_edit_reads_them_again(
    qtbot, window, monkeypatch
):
    """On 50,000 articles each key typed in the search read every row again: a second's
    stall per key."""
    reads = []
    real = window.store.article_list
    monkeypatch.setattr(
        window.store, "article_list", lambda *a, **k: (reads.append(1), real(*a, **k))[1]
    )
    box = window.search_box
    for text in ("M", "Ma", "Mar", "Marib"):
        box.setText(text)
        window.refresh_article_list()
    assert reads == [] and [row.title for row in window.article_model.rows] == ["Marib front"]
    box.setText("")
    window.refresh_article_list()
    assert reads == [] and len(window.article_model.rows) == 3
    window.store.set_status(window.article_model.rows[1].id, "ana", "done")
    window.refresh_article_list()
    assert reads == [1] and window.article_model.rows[1].status == "done"


def test_a_search_typed_just_before_the_window_closes_reads_nothing_after(qtbot, window):
    """The search follows 200 ms after the last key: a window closed within them read its
    project after the project was closed (a traceback from Qt's event loop)."""
    reads = []
    window.store.article_list_key = lambda *a, **k: reads.append(1)  # type: ignore[method-assign]
    window.search_box.setText("Marib")
    window.close()
    qtbot.wait(400)
    assert reads == []


def test_a_new_edit_ends_what_an_undo_said(qtbot, window):
    """ "Undone: add FACTION" stayed in the status bar for seconds beside the FACTION just
    made."""
    start = TEXT.index("rebel")
    select_text(window.view, start, start + len("rebel"))
    press(qtbot, window, Qt.Key.Key_2)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("Undone: ")
    select_text(window.view, start, start + len("rebel"))
    press(qtbot, window, Qt.Key.Key_2)
    assert not window.statusBar().currentMessage().startswith("Undone: ")
    window.statusBar().showMessage("Select a span first (click it, or Tab to it)", 5000)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    select_text(window.view, start, start + len("rebel"))
    window.statusBar().showMessage("Select a span first (click it, or Tab to it)", 5000)
    press(qtbot, window, Qt.Key.Key_1)
    assert window.statusBar().currentMessage() == ""


def test_a_new_edit_leaves_a_notice_of_the_project_up(qtbot, window):
    """The first edit in a project just upgraded wiped the backup's name from the status bar
    ("upgraded … the file as it was: old.db.before-0011.bak"), as it did "This article was
    changed by another window or program"."""
    from annotator.ui.article_statuses import CHANGED_ELSEWHERE

    start = TEXT.index("rebel")
    for notice, ms in (("old.db: upgraded …; the file as it was: old.db.bak", 20_000),
                       (CHANGED_ELSEWHERE, 8000)):  # fmt: skip
        window.statusBar().showMessage(notice, ms)
        select_text(window.view, start, start + len("rebel"))
        press(qtbot, window, Qt.Key.Key_2)
        assert window.statusBar().currentMessage() == notice
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
