"""The review screen: GUM news annotated by three people, merged, and adjudicated back to the
gold version from the keyboard; the agreement dialog on the same project."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from annotator.core.model import GOLD, Span
from annotator.storage import Store
from annotator.ui.agreement_view import AgreementDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.review_window import ReviewWindow
from tests.review.annotators_from_gum import gold_choice
from tests.ui.conftest import show_active


@pytest.fixture
def merged(merged_project):
    store = Store(merged_project)
    yield store
    store.close()


def key_for(choice: str, annotators: list[str]) -> Qt.Key:
    if choice == "all":
        return Qt.Key.Key_A
    if choice == "none":
        return Qt.Key.Key_0
    return Qt.Key(Qt.Key.Key_1 + annotators.index(choice))


def test_every_article_is_adjudicated_back_to_gold_from_the_keyboard(qtbot, merged, scenario):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.review.annotators == ["ana", "ben", "cem"]
    reviewed = set()
    for _ in range(merged.article_count()):
        review = window.review
        text = review.article.text
        target = scenario.gold_spans(text)
        # Each disagreement: the key that takes the version matching the hidden gold.
        for index, disagreement in enumerate(review.disagreements):
            assert window.current == index
            choice = gold_choice(disagreement, target, review.kinds)
            assert choice is not None  # ana is a perfect copy: some version always matches
            qtbot.keyClick(window, key_for(choice, review.annotators))
        reviewed.add(review.article.id)
        qtbot.keyClick(window, Qt.Key.Key_Return)  # reviewed: next article
    assert len(reviewed) == merged.article_count()
    for article_id in merged.article_ids():
        text = merged.article(article_id).text
        assert merged.spans(article_id, GOLD) == scenario.gold_spans(text)
        assert merged.status(article_id, GOLD).status == "done"
    assert window.progress_label.text() == f"{len(reviewed)} / {len(reviewed)} reviewed"


def test_undo_takes_back_a_choice_and_the_gold_lane_can_be_edited(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    review = window.review
    article_id = review.article.id
    prefill = list(window.gold)
    assert prefill == sorted(
        set.intersection(*(set(v) for v in review.versions.values())),
        key=lambda s: (s.start, s.end, s.label),
    )  # the gold lane starts from what everyone agreed on
    first = review.disagreements[0]
    qtbot.keyClick(window, Qt.Key.Key_2)  # take ben's version
    after = merged.spans(article_id, GOLD)
    assert set(first.versions["ben"]) <= set(after)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # no gold version again, as before the choice; the lane shows what everyone agreed on
    assert merged.spans(article_id, GOLD) == [] and window.gold == prefill
    # Edit gold directly: select a word in the gold lane and label it with Ctrl+1.
    text = review.article.text
    word_start = text.index(" ", first.end + 200) + 1
    while any(s.start <= word_start < s.end for s in window.gold):  # a word gold lacks
        word_start = text.index(" ", word_start) + 1
    word_end = text.index(" ", word_start)
    window.gold_view.select_range(word_start, word_end)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    added = Span(word_start, word_end, "LOCATION")
    assert added in merged.spans(article_id, GOLD) or any(
        s.label == "LOCATION" and s.start <= word_start < s.end
        for s in merged.spans(article_id, GOLD)
    )


def test_review_is_reachable_from_the_annotation_window(qtbot, merged):
    window = MainWindow(merged, "dora")
    qtbot.addWidget(window)
    window.action_review.trigger()
    review = window.findChild(ReviewWindow)
    assert review is not None and review.isVisible()
    assert review.review is not None and review.review.disagreements
    # The gold it settles is dora's in the log, and the reviewer's once another takes over.
    article = review.review.article.id
    show_active(qtbot, review)
    qtbot.keyClick(review, Qt.Key.Key_1)
    assert window.switch_annotator("eve")
    for _ in range(2):  # the second Enter: yes, though not every disagreement was looked at
        qtbot.keyClick(review, Qt.Key.Key_Return)
    events = merged.events(article, GOLD)
    assert [e["payload"]["by"] for e in events] == ["dora"] * (len(events) - 1) + ["eve"]
    assert events[-1]["payload"]["status"] == "done"
    assert merged.stats()["reviewers"]["eve"] == {"gold_edits": 0, "articles_reviewed": 1}


def test_esc_in_a_lane_goes_to_gold_and_a_closed_review_keeps_its_undo(qtbot, merged):
    """Esc in an annotator's lane closed the review window, and reopened its choices could
    no longer be undone."""
    window = MainWindow(merged, "dora")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.action_review.trigger()
    review = window.findChild(ReviewWindow)
    show_active(qtbot, review)
    article_id = review.review.article.id
    prefill = list(review.gold)
    qtbot.keyClick(review, Qt.Key.Key_2)  # a choice: one undo step
    assert review.undo_stack.canUndo()
    lane = review.lanes.lane_views[0]
    lane.setFocus()
    qtbot.waitUntil(lane.hasFocus)
    qtbot.keyClick(lane, Qt.Key.Key_Escape)
    assert review.isVisible() and review.gold_view.hasFocus()
    review.close()  # Esc in the gold lane (or Ctrl+W) still closes it
    window.action_review.trigger()
    assert window.findChild(ReviewWindow) is review and review.isVisible()
    assert review.undo_stack.canUndo()
    review.named_actions["reviewUndo"].trigger()  # (a key needs the window active)
    assert merged.spans(article_id, GOLD) == [] and review.gold == prefill


def test_agreement_dialog_shows_the_figures(qtbot, merged):
    window = MainWindow(merged, "dora")
    qtbot.addWidget(window)
    window.action_agreement.trigger()
    qtbot.waitUntil(lambda: getattr(window, "agreement_dialog", None) is not None, timeout=60_000)
    dialog = window.agreement_dialog
    assert set(dialog.chart.labels) == {"LOCATION", "FACTION", "CLAIM", "SOURCE"}
    assert dialog.matrix.rowCount() == 3
    kappa = float(dialog.matrix.item(0, 1).text())  # ana vs ben, entity layer
    assert 0.5 < kappa < 1.0
    assert "alpha" in dialog.alpha_label.text()
    # Closed, it goes: each report kept a dialog of about 2.6 MB all day.
    dialog.close()
    qtbot.waitUntil(lambda: not window.findChildren(AgreementDialog))
    qtbot.waitUntil(lambda: not window.findChildren(QProgressDialog))  # nor its progress


def test_after_undo_the_current_disagreement_is_the_one_undone(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    review = window.review
    article_id = review.article.id
    assert len(review.disagreements) >= 3
    second = review.disagreements[1]

    def held(spans):  # what gold holds where the second disagreement is
        return {s for s in spans if second.covers(s, review.kinds)}

    before = held(window.gold)
    # Two versions of the second disagreement that gold does not hold yet (taking a version
    # gold holds changes nothing, and leaves nothing to undo).
    picks = [name for name in review.annotators if set(second.versions[name]) != before]
    assert len(picks) >= 2
    first_pick, other_pick = picks[:2]
    key = {name: Qt.Key(Qt.Key.Key_1 + i) for i, name in enumerate(review.annotators)}
    qtbot.keyClick(window, Qt.Key.Key_1)  # settle the first: ana's version
    qtbot.keyClick(window, key[first_pick])  # and the second
    assert window.current == 2
    assert held(merged.spans(article_id, GOLD)) == set(second.versions[first_pick])
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current == 1  # back on the one undone, not one ahead
    assert held(merged.spans(article_id, GOLD)) == before
    qtbot.keyClick(window, key[other_pick])  # a new choice lands on the second, as shown
    assert held(merged.spans(article_id, GOLD)) == set(second.versions[other_pick])
    assert window.current == 2
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    assert window.current == 2  # redo moves on, as the choice did


def test_an_undo_of_gold_another_reviewer_changed_is_refused(qtbot, merged, merged_project):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_2)  # ben's version of the first disagreement
    ours = merged.spans(article_id, GOLD)
    other = Store(merged_project)  # a second reviewer's window saves another gold
    other.replace_spans(article_id, GOLD, ours[1:], action="adjudicate")
    theirs = other.spans(article_id, GOLD)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    said = window.message_bar.text()
    assert said.startswith("Not saved") and "leaves the undo history" in said
    # Its undo can never be made: the step leaves the history, which would stop there.
    assert window.undo_stack.index() == 0 and window.undo_stack.count() == 0
    assert merged.spans(article_id, GOLD) == theirs  # their gold untouched
    assert window.gold == theirs  # and shown
    other.close()


def test_an_annotators_late_change_to_a_reviewed_article_marks_it_to_look_at_again(
    qtbot, merged, merged_project
):
    """It stayed "● reviewed" and counted as reviewed; gold was exported as before."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_Return)  # marked reviewed (asked again: yes)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    model = window.article_model
    qtbot.waitUntil(lambda: model.status[article_id] == "done")
    reviewed = int(window.progress_label.text().split(" / ")[0])
    qtbot.wait(10)
    other = Store(merged_project)  # an annotator corrects the article afterwards
    name = window.review.annotators[0]
    other.add_span(article_id, name, Span(0, 1, "LOCATION", origin="human"))
    other.close()
    qtbot.waitUntil(lambda: model.status[article_id] == "changed", timeout=5000)
    row = model.row_of(article_id)
    assert model.data(model.index(row, 0)) == "◉"
    assert "changed by an annotator since it was reviewed" in model.data(
        model.index(row, 1), Qt.ItemDataRole.ToolTipRole
    )
    assert window.progress_label.text().startswith(f"{reviewed - 1} / ")


def test_enter_on_disagreements_not_looked_at_asks_again_before_marking_reviewed(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    count = len(window.items)
    assert count >= 3 and window.seen == {0}
    qtbot.keyClick(window, Qt.Key.Key_Return)  # a stray Enter on the first disagreement
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Not marked reviewed: {count - 1} of {count} disagreements")
    assert window.message_bar.isVisible() and window.message_bar.text() == message
    assert merged.status(article_id, GOLD).status != "done"
    assert window.review.article.id == article_id
    # Looking at one more moves the count; Enter then asks again, and a second Enter marks it.
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"Not marked reviewed: {count - 2} of {count}")
    )
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert merged.status(article_id, GOLD).status == "done"
    assert not window.message_bar.isVisible()
    assert window.review.article.id != article_id
    # Undo goes back to the article it changes, and says so in words.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert merged.status(article_id, GOLD).status != "done"
    assert window.review.article.id == article_id
    title = window.review.article.title
    assert window.statusBar().currentMessage() in (
        f"“{title}”: not reviewed",
        f"“{title}”: review in progress",
    )


def test_the_list_shows_the_current_disagreement_selected(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    selection = window.disagreement_list.selectionModel()
    with qtbot.waitSignal(selection.selectionChanged):  # the list repaints on this signal
        qtbot.keyClick(window, Qt.Key.Key_N)
    assert [index.row() for index in selection.selectedRows()] == [1]


def test_a_refusal_shown_on_one_article_goes_when_another_opens(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.edit_failed("Not saved: the gold version was changed elsewhere.")
    assert window.message_bar.text().startswith("Not saved")  # stays on this article
    window.next_article(1)
    assert window.message_bar.text() == ""


def test_a_disagreement_down_the_article_is_brought_to_the_upper_part_of_every_lane(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    lanes = [*window.lanes.lane_views, window.gold_view]
    first = lanes[0]
    assert first.verticalScrollBar().maximum() > 0  # the article is longer than the lane
    for index in range(len(window.items)):
        window.go_to(index)
        where = first.cursorRect()
        assert (
            where.top() >= 0
            and where.bottom() <= first.viewport().height() * 0.6
            or (first.verticalScrollBar().value() == first.verticalScrollBar().maximum())
        )
        # The same passage in every lane; gold, taller, may stop short at the article's end.
        value = first.verticalScrollBar().value()
        for view in lanes:
            bar = view.verticalScrollBar()
            assert bar.value() == value or bar.value() == bar.maximum() < value


def test_the_article_list_headers_say_what_they_count(qtbot, merged):
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    model = window.article_model
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.headerData(2, Qt.Orientation.Horizontal) == "All"
    assert model.headerData(2, Qt.Orientation.Horizontal, tip) == (
        "How many disagreements of every class the article has"
    )
    assert "● reviewed" in model.headerData(0, Qt.Orientation.Horizontal, tip)


def test_what_was_looked_at_and_the_rows_place_survive_going_away_and_back(qtbot, merged):
    """Back on an article (an undo goes there), its disagreements looked at still count;
    a list re-ranked by another window's change keeps the article on screen marked."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    for _ in window.items:
        qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.seen == set(range(len(window.items)))
    window.next_article(1)
    assert window.review.article.id != article_id
    window.next_article(-1)
    assert window.review.article.id == article_id
    qtbot.keyClick(window, Qt.Key.Key_Return)  # all seen: marked at once, no question
    assert merged.status(article_id, GOLD).status == "done"
    shown = window.review.article.id
    window.refresh_articles()
    current = window.article_list.selectionModel().currentIndex()
    assert current.isValid() and window.article_model.rows[current.row()].article_id == shown


def test_the_review_window_fits_a_small_screen(qtbot, merged):
    """The gold lane's heading, one line listing every key, made the window 1185 px wide
    as it was shown, past a 1024 px screen."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    room = window.screen().availableGeometry()
    assert window.width() <= room.width()
    assert window.minimumSizeHint().width() < 800


def test_enter_in_the_reviews_lists_acts_on_the_list_not_the_article(qtbot, merged):
    """Enter in the article list marked the article reviewed (and opened the next)."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    window.disagreement_list.setFocus()
    qtbot.waitUntil(window.disagreement_list.hasFocus)
    window.disagreement_list.setCurrentIndex(window.disagreement_model.index(1, 0))
    qtbot.keyClick(window.disagreement_list, Qt.Key.Key_Return)
    assert window.current == 1  # that disagreement is current
    window.article_list.setFocus()
    qtbot.waitUntil(window.article_list.hasFocus)
    qtbot.keyClick(window.article_list, Qt.Key.Key_Return)
    assert window.review.article.id == article_id
    assert merged.status(article_id, GOLD).status != "done"
    assert not window.undo_stack.canUndo()
    # nor does 1 (take the first annotator's version) from the article list
    qtbot.keyClick(window.article_list, Qt.Key.Key_1)
    assert not window.undo_stack.canUndo()


def opened_as_a_user_opens_it(qtbot, store) -> ReviewWindow:
    """The review window shown and active, the focus where the window itself puts it (not
    set by the test, as ``show_active`` does)."""
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_the_keys_go_to_the_review_when_the_window_opens(qtbot, merged):
    """Focus started in the article list, where Enter (since it opens a row) did nothing."""
    from PySide6.QtWidgets import QApplication

    window = opened_as_a_user_opens_it(qtbot, merged)
    assert QApplication.focusWidget() is window.gold_view
    article_id = window.review.article.id
    for _ in window.items:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)  # every disagreement seen
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert merged.status(article_id, GOLD).status == "done"


def test_gold_is_edited_from_the_keyboard(qtbot, merged):
    """The gold lane took no keyboard selection: Ctrl+3 said "Select some text first"."""
    from PySide6.QtWidgets import QApplication

    window = opened_as_a_user_opens_it(qtbot, merged)
    gold = QApplication.focusWidget()
    assert gold is window.gold_view
    before = len(window.gold)
    control, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(gold, Qt.Key.Key_End, control)  # the last words, outside every span
    for _ in range(2):
        qtbot.keyClick(gold, Qt.Key.Key_Left, control | shift)
    start, end = gold.selected_range()
    assert end > start
    qtbot.keyClick(gold, Qt.Key.Key_3, control)  # CLAIM
    assert len(window.gold) == before + 1
    assert any(s.label == "CLAIM" and s.end >= end - 2 for s in window.gold)


def test_a_clicked_gold_span_is_left_when_the_keys_move_away(qtbot, merged):
    """Del deleted the span clicked before, though the caret had moved two lines on."""
    window = opened_as_a_user_opens_it(qtbot, merged)
    gold = window.gold_view
    span = window.gold[0]
    window.gold_editor.clicked(span.start)  # as a click on it
    assert window.gold_editor.still_selected() == span
    qtbot.keyClick(gold, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # away
    qtbot.keyClick(gold, Qt.Key.Key_Delete)
    assert span in window.gold and not window.undo_stack.canUndo()
    # Its words selected from the keyboard select it again, with the space Ctrl+Shift+→
    # takes after a word too.
    text = window.review.article.text
    spaced = next(s for s in window.gold if text[s.end : s.end + 1] == " ")
    gold.select_range(spaced.start, spaced.end + 1)
    qtbot.keyClick(gold, Qt.Key.Key_Delete)
    assert spaced not in window.gold
    # and its words are no longer selected, as if it were still there
    assert not gold.textCursor().hasSelection() and window.gold_editor.still_selected() is None


def test_esc_in_a_review_list_goes_back_to_gold_and_a_reopened_window_starts_there(qtbot, merged):
    """Esc in a list closed the window, and no key led back to the gold lane; and opened
    again (Ctrl+R), the window kept its focus in the list."""
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow
    from annotator.ui.review_window import open_review_window

    main = MainWindow(merged, "ana")
    qtbot.addWidget(main)
    review = open_review_window(main)
    review.article_list.setFocus()
    review.hide()  # Esc, Ctrl+W
    assert open_review_window(main) is review
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)
    assert QApplication.focusWidget() is review.gold_view
    review.close()

    window = opened_as_a_user_opens_it(qtbot, merged)
    window.article_list.setFocus()
    qtbot.waitUntil(window.article_list.hasFocus)
    qtbot.keyClick(window.article_list, Qt.Key.Key_Escape)
    assert window.isVisible() and QApplication.focusWidget() is window.gold_view
    window.disagreement_list.setFocus()
    qtbot.waitUntil(window.disagreement_list.hasFocus)
    qtbot.keyClick(window.disagreement_list, Qt.Key.Key_Escape)
    assert window.isVisible() and QApplication.focusWidget() is window.gold_view


def two_done_by_ana_one_by_ben(tmp_path) -> Store:
    from annotator.core.model import Article

    store = Store(tmp_path / "review.db")
    texts = ["Rebels shelled Idlib on Monday.", "Troops entered Kidal on Tuesday."]
    ids = store.add_articles([Article(text) for text in texts]).ids
    for article_id in ids:
        store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
        store.set_status(article_id, "ana", "done")
    store.add_span(ids[0], "ben", Span(0, 6, "FACTION"))
    store.set_status(ids[0], "ben", "done")
    return store


def test_the_review_beside_the_window_follows_its_edits_and_after_a_reopening(qtbot, tmp_path):
    """The review shares the annotation window's connection, so it never saw that window's
    edits; and once closed (Esc), it stopped following the file for good."""
    from annotator.ui.review_window import open_review_window

    store = two_done_by_ana_one_by_ben(tmp_path)
    second = store.article_ids()[1]
    main = MainWindow(store, "ben")
    qtbot.addWidget(main)
    review = open_review_window(main)
    assert review.article_model.rowCount() == 1
    main.open_article(second)
    qtbot.waitUntil(lambda: main.current is not None and main.current.id == second)
    main.done_and_next()  # ben's second "done": both are to review now
    qtbot.waitUntil(lambda: review.article_model.rowCount() == 2, timeout=5000)
    review.hide()  # Esc
    review.close()
    with Store(store.path) as other:  # another program, while the review is closed
        other.set_status(second, "ben", "in_progress")
    assert open_review_window(main) is review
    qtbot.waitUntil(lambda: review.article_model.rowCount() == 1, timeout=5000)
    with Store(store.path) as other:  # and again, the review open: it follows
        other.set_status(second, "ben", "done")
    qtbot.waitUntil(lambda: review.article_model.rowCount() == 2, timeout=5000)
    main.close()


def test_esc_closes_a_review_with_nothing_to_review(qtbot, tmp_path):
    """With nothing to review the keys are in the article list, and Esc sent them to the
    gold lane, which is not shown: nothing closed the window but Ctrl+W or the mouse."""
    store = Store(tmp_path / "empty.db")
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    show_active(qtbot, review)
    review.article_list.setFocus()
    qtbot.waitUntil(review.article_list.hasFocus)
    qtbot.keyClick(review.article_list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not review.isVisible())


def test_undoing_the_first_choice_takes_the_gold_version_away_whole(qtbot, merged):
    """The undo saved the agreed spans as gold, "in progress": the article showed ◐ and the
    default export left it out ("nothing written"), where before it refused naming it."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    agreed = list(window.review.gold)
    assert not window.review.gold_saved and merged.spans(article_id, GOLD) == []
    window.take_annotator(0)
    assert merged.spans(article_id, GOLD)
    window.history.undo()
    assert merged.spans(article_id, GOLD) == []
    assert merged.status(article_id, GOLD).status == "todo"
    assert not window.review.gold_saved and window.gold == agreed  # the lane as it was
    window.history.redo()
    assert merged.spans(article_id, GOLD) and window.review.gold_saved


def test_undoing_the_first_choice_after_another_reviewer_marked_it_reviewed_is_refused(
    qtbot, merged
):
    """rev1 made gold with a choice, rev2 marked the article reviewed, rev1's undo took
    gold away, review mark and all, unseen by rev2."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    window.take_annotator(0)
    gold = merged.spans(article_id, GOLD)
    merged.set_status(article_id, GOLD, "done")  # the other reviewer's Enter
    window.history.undo()
    assert "marked reviewed elsewhere" in window.message_bar.text()
    assert merged.spans(article_id, GOLD) == gold
    assert merged.status(article_id, GOLD).status == "done"


def test_a_gold_edit_on_an_article_changed_since_review_leaves_it_marked_changed(qtbot, merged):
    """One choice on a ◉ article showed it ● reviewed (and counted it), though nobody
    reviewed it again."""
    import time

    from annotator.review.disagreements import CHANGED

    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    window.take_annotator(0)
    merged.set_status(article_id, GOLD, "done")
    time.sleep(0.005)
    who = window.review.annotators[0]
    merged.set_status(article_id, who, "done")  # marked again after review: ◉
    window.reload_from_store()
    assert window.article_model.status[article_id] == CHANGED
    if window.review.disagreements:
        window.take_annotator(0)
    else:
        window.gold_written(article_id, list(window.gold), None)
    assert window.article_model.status[article_id] == CHANGED


def test_a_choice_after_the_first_save_was_undone_keeps_the_agreed_sources(qtbot, tmp_path):
    """Choose, undo, choose again: gold lost every claim source and value the annotators
    agreed on (0 of 13 on a reviewer's article), and no disagreement showed it."""
    from annotator.core.model import Article
    from annotator.core.relations import SpanAttribute, SpanRelation

    store = Store(tmp_path / "p.db")
    (article_id,) = store.add_articles([Article("Rebels said they shelled Idlib on Monday.")]).ids
    rebels, claim, idlib = Span(0, 6, "FACTION"), Span(12, 30, "CLAIM"), Span(25, 30, "LOCATION")
    for who, spans in (("ana", [rebels, claim, idlib]), ("ben", [rebels, claim])):
        store.replace_annotations(
            article_id, who, spans, [SpanRelation(claim, rebels)],
            [SpanAttribute(claim, "hedged", "yes")],
        )  # fmt: skip
        store.set_status(article_id, who, "done")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.take_annotator(0)
    first = store.claim_work(article_id, GOLD)
    assert len(first.relations) == 1 and len(first.attributes) == 1
    window.history.undo()
    assert store.spans(article_id, GOLD) == []
    window.take_annotator(0)
    assert store.claim_work(article_id, GOLD) == first


def test_single_annotators_articles_can_be_listed_reviewed_and_remembered(qtbot, tmp_path):
    """A lead saw ben accept every suggestion on 16 articles nobody else did, and could not
    open one of them in the review: they went into the export and training unchecked."""
    from PySide6.QtCore import QSettings

    from annotator.core import Article

    store = Store(tmp_path / "p.db")
    (alone,) = store.add_articles([Article("Rebels shelled Idlib on Monday.")]).ids
    store.replace_annotations(alone, "ben", [Span(0, 6, "FACTION"), Span(15, 20, "LOCATION")])
    store.set_status(alone, "ben", "done")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.review is None and "Single annotators' articles too" in (
        window.where_label.text()
    )
    window.singles.setChecked(True)
    assert [row.article_id for row in window.article_model.rows] == [alone]
    assert window.review.annotators == ["ben"] and window.items == []
    assert window.gold == [Span(0, 6, "FACTION"), Span(15, 20, "LOCATION")]  # ben's, to check
    window.gold_editor.clicked(16)
    window.gold_editor.delete_selected()  # the reviewer's correction
    window.done_and_next()
    assert store.spans(alone, GOLD) == [Span(0, 6, "FACTION")]
    assert store.status(alone, GOLD).status == "done"
    assert QSettings().value("review/singles", type=bool) is True
    window.close()
    store.close()


def test_article_reviewed_undone_and_redone_on_gold_never_saved(qtbot, merged):
    """The redo was refused: "article 1 is in progress now (changed in another window)",
    nobody else having written, and the step left the history."""
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    article_id = window.review.article.id
    assert not window.review.gold_saved
    window.warned_unseen = article_id  # Enter a second time: reviewed, disagreements unseen
    window.done_and_next()
    assert merged.status(article_id, GOLD).status == "done"
    assert window.history.undo()
    assert merged.status(article_id, GOLD).status == "todo" and not merged.spans(article_id, GOLD)
    assert window.history.redo()
    assert merged.status(article_id, GOLD).status == "done" and merged.spans(article_id, GOLD)
    assert window.history.undo() and window.history.redo()  # and again


def test_six_annotators_lanes_and_gold_fit_a_small_screen(qtbot, tmp_path):
    """Each lane kept QTextEdit's 70 px: with six annotators the window was 755 px high,
    and on a 1024x600 or 1366x768 screen the gold lane was off it or one line high."""
    from annotator.core import Article

    store = Store(tmp_path / "p.db")
    (article,) = store.add_articles(
        [Article("Rebels shelled Idlib on Monday, activists said.")]
    ).ids
    for n, name in enumerate(("ana", "ben", "cat", "dan", "eve", "fay")):
        store.replace_annotations(
            article, name, [Span(0, 6, "FACTION"), Span(15, 20 + n % 2, "LOCATION")]
        )
        store.set_status(article, name, "done")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert len(window.review.annotators) == 6
    assert window.minimumSizeHint().height() < 560
    lanes = [view.height() for view in window.lanes.lane_views]
    assert window.gold_view.height() > max(lanes)  # the room left goes to gold first
    window.close()
    store.close()


def test_the_lanes_take_the_windows_text_size_when_made(qtbot, merged):
    """Lanes were 11 pt whatever Ctrl++ had set: a review opened after a zoom, or lanes
    added after it, were of mixed sizes."""
    from PySide6.QtCore import QSettings

    from annotator.ui.preferences import FONT_SIZE

    FONT_SIZE.write(QSettings(), 20)
    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    assert {view.font().pointSize() for view in window.lanes.views} == {20}
    window.close()


def test_the_agreement_of_six_annotators_scrolls_with_every_pair_in_view(qtbot, tmp_path):
    """720x668 on a 600-pixel screen, the matrix squeezed to its first two rows."""
    from annotator.core import Article
    from annotator.review.agreement import agreement_report
    from annotator.ui.agreement_view import AgreementDialog

    store = Store(tmp_path / "p.db")
    ids = store.add_articles([Article(f"Rebels shelled Idlib on day {n}.") for n in range(3)]).ids
    for article in ids:
        for n, name in enumerate(("ana", "ben", "cat", "dan", "eve", "fay")):
            spans = [Span(0, 6, "FACTION"), Span(15, 20 + n % 2, "LOCATION")]
            store.replace_annotations(article, name, spans)
            store.set_status(article, name, "done")
    dialog = AgreementDialog(None, agreement_report(store).to_dict())
    qtbot.addWidget(dialog)
    row = dialog.matrix.verticalHeader().defaultSectionSize()
    assert dialog.matrix.rowCount() == 6 and dialog.matrix.minimumHeight() >= 6 * row
    assert dialog.minimumSizeHint().height() < 300  # the rest scrolls
    store.close()


def test_the_list_is_ranked_again_only_when_finished_work_changed(qtbot, merged, monkeypatch):
    """Any write elsewhere re-ranked the whole list every 4 s (0.2-0.4 s of frozen window on
    3,000 articles), an edit of an article nobody finished too."""
    from annotator.core import Article
    from annotator.ui import review_articles

    window = ReviewWindow(merged)
    qtbot.addWidget(window)
    ranked = []
    real = review_articles.rank_articles
    monkeypatch.setattr(
        review_articles, "rank_articles", lambda *a, **k: ranked.append(1) or real(*a, **k)
    )
    follower = window.follower
    follower.refresh_list()
    assert len(ranked) == 1
    (fresh,) = merged.add_articles([Article("A new article nobody finished.")]).ids
    merged.add_span(fresh, "ana", Span(2, 5, "LOCATION"))  # work nobody finished
    follower.refresh_list()
    assert len(ranked) == 1  # nothing the list shows changed
    merged.set_status(fresh, "ana", "done")
    follower.refresh_list()
    assert len(ranked) == 2
    # An article reviewed that the list does not hold is not counted as one of its own.
    reviewed = window.progress_label.text()
    window.article_model.set_status(fresh, "done")
    window.update_progress()
    assert window.progress_label.text() == reviewed
    window.close()


def test_a_paint_frames_only_the_marks_on_screen_and_the_current_one(qtbot, monkeypatch):
    """3,000 disagreements on one article: each key in the review framed every one of them
    in every lane, 0.4-0.8 s a paint."""
    from annotator.ui import range_marks
    from annotator.ui.article_view import ArticleView

    text = "\n\n".join(f"Rebels shelled Idlib on day {n}." for n in range(3000))
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.show_article(text, [], confirmed=True)
    starts = [text.index(f"day {n}.") for n in range(3000)]
    view.set_marks([(s, s + 3) for s in starts], current=2999)
    framed = []
    real = range_marks.range_rects
    monkeypatch.setattr(
        range_marks, "range_rects", lambda v, s, e, b: (framed.append(s), real(v, s, e, b))[1]
    )
    view.viewport().grab()  # paints it
    assert 0 < len(framed) < 40  # those on screen, and the current one far below
    assert view.offsets.to_utf16(starts[2999]) in framed


def test_a_review_opened_again_goes_on_where_its_reviewer_was(qtbot, merged):
    """Closed, or the program started again, it opened the first article not reviewed at
    its first disagreement; and Enter on an article walked through whole said "113 of 114
    disagreements not looked at yet"."""
    merged.reviewer = "rae"
    first = ReviewWindow(merged)
    qtbot.addWidget(first)
    show_active(qtbot, first)
    second = first.article_model.rows[1].article_id
    first.open_article(second)
    for index in range(3):
        first.go_to(index)
    looked_at = set(first.seen)
    first.close()
    again = ReviewWindow(merged)
    qtbot.addWidget(again)
    assert again.review.article.id == second and again.current == 2
    assert again.seen == looked_at
    again.close()
    merged.reviewer = "sam"  # another reviewer starts at the beginning
    other = ReviewWindow(merged)
    qtbot.addWidget(other)
    assert other.review.article.id == other.first_to_review() != second
    other.close()
