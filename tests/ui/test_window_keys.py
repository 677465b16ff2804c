"""One key, one action: the annotation window's keys (its own, the labels', the relation
types' and attributes') never answer to two actions, and ``core.labels.WINDOW_KEYS`` (what
the scheme's rules keep free) is the window's own single keys, so a key the rules allow
cannot shadow one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from annotator.core.labels import RESERVED_KEYS, WINDOW_KEYS
from annotator.core.model import Article, Label, Span
from annotator.core.relations import AttributeType, RelationType
from annotator.storage import Store
from annotator.ui.review_window import ReviewWindow
from tests.ui.conftest import open_window

#: Sequences that name one key press: X11 sends Shift+Tab as Backtab, and an action with
#: both then fires for neither ("Ambiguous shortcut overload"), which QTest does not show.
SAME_KEY = {"Backtab": "Shift+Tab", "Shift+Backtab": "Shift+Tab"}


def shortcuts(window) -> dict[str, list[str]]:
    """Each key of the window's actions, with the actions that have it (an action twice
    when two of its sequences are the same key)."""
    keys: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if key.toString():
                name = SAME_KEY.get(key.toString(), key.toString())
                keys.setdefault(name, []).append(action.objectName())
    return keys


def scheme_actions(window) -> set[str]:
    return {*(a.objectName() for a in window.label_actions.values()), *window.claims.actions}


def test_no_key_of_the_annotation_window_answers_to_two_actions(window):
    keys = shortcuts(window)
    assert {key: names for key, names in keys.items() if len(names) > 1} == {}


def test_the_window_keys_table_is_the_windows_own_keys(window):
    mine = scheme_actions(window)
    own = {
        key
        for key, names in shortcuts(window).items()
        if len(key) == 1 and key.isalpha() and not set(names) & mine
    }
    assert own == RESERVED_KEYS
    for key in ("L", "Ctrl+L", "Ctrl+M"):
        assert key in WINDOW_KEYS
        assert shortcuts(window)[key] in (["actionLink"], ["actionShowPlaces"])


def test_a_scheme_with_more_labels_and_claim_keys_still_has_one_action_per_key(window):
    store = window.store
    for name, key in (("PERSON", "W"), ("WEAPON", "5"), ("DATE", "")):
        store.add_label(Label(name, key=key))
    store.save_relation_type(RelationType("target", ("CLAIM",), ("LOCATION",), key="T"))
    store.save_attribute_type(
        AttributeType("certainty", "CLAIM", "choice", ("low", "mid", "high"), "mid", "C")
    )
    window.reload_labels()
    keys = shortcuts(window)
    assert keys["W"] == ["actionLabel_PERSON"] and keys["5"] == ["actionLabel_WEAPON"]
    assert keys["T"] == ["actionRelation_target"]
    assert keys["Shift+T"] == ["actionRemoveRelation_target"]
    assert keys["C"] == ["actionAttribute_certainty"]
    assert {key: names for key, names in keys.items() if len(names) > 1} == {}


def test_no_key_of_the_review_window_answers_to_two_actions(qtbot, project):
    for name in ("PERSON", "WEAPON", "DATE", "ORG", "EVENT", "UNIT", "TIME"):
        project.add_label(Label(name))  # eleven labels: Ctrl+1 … Ctrl+0, the last none
    review = ReviewWindow(project)
    qtbot.addWidget(review)
    keys = shortcuts(review)
    assert {key: names for key, names in keys.items() if len(names) > 1} == {}
    assert keys["Ctrl+0"] == ["reviewLabel_UNIT"]
    assert review.label_actions["reviewLabel_TIME"].shortcuts() == []
    review.close()


def test_esc_brings_the_keys_back_to_the_text_from_the_filter(qtbot, window):
    """In the status filter a Shift+letter changed the filter, and Tab walks the spans:
    a keyboard had no way back to the text."""
    window.status_filter.setFocus()
    qtbot.waitUntil(window.status_filter.hasFocus)
    qtbot.keyClick(window.status_filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)


def test_enter_in_the_article_list_opens_the_highlighted_article(qtbot, window):
    """Enter there marked the open article done (every suggestion accepted) and opened the
    one after it, not the one highlighted."""
    first = window.current.id
    table = window.article_list
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(window.article_model.index(2, 1))  # the highlight moved by keys
    qtbot.keyClick(table, Qt.Key.Key_Return)
    third = window.article_model.rows[2].id
    qtbot.waitUntil(lambda: window.current.id == third)
    assert window.store.status(first, "ana").status == "todo"
    assert not window.undo_stack.canUndo()
    qtbot.waitUntil(window.view.hasFocus)  # on to labelling


def test_a_click_on_an_article_gives_the_keys_to_its_text(qtbot, window):
    """They stayed in the list: Tab then 2 said "Select some text first", a key wasted."""
    table = window.article_list
    third = window.article_model.rows[2].id
    rect = table.visualRect(window.article_model.index(2, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current.id == third)
    qtbot.waitUntil(window.view.hasFocus)


def test_rows_walked_in_the_article_list_and_left_without_enter_mark_the_open_one_again(
    qtbot, window
):
    """The list kept marking the row the arrows reached, an article that was not open: a
    screen reader read one title while the text was another article's."""
    first = window.current.id
    table = window.article_list
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.selectionModel().selectedRows()[0].row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not table.hasFocus())
    assert window.current.id == first
    marked = table.selectionModel().selectedRows()
    assert [window.article_model.rows[i.row()].id for i in marked] == [first]


def test_enter_in_the_span_list_goes_back_to_the_text_and_tab_leaves_the_lists(qtbot, window):
    article = window.current.id
    spans = window.span_list
    qtbot.waitUntil(lambda: window.span_model.rowCount() > 1)
    spans.setFocus()
    qtbot.waitUntil(spans.hasFocus)
    spans.selectRow(1)
    chosen = window.editor.selected_span_id
    qtbot.keyClick(spans, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(window.view.hasFocus)
    assert window.current.id == article and window.store.status(article, "ana").status == "todo"
    assert window.editor.selected_span_id == chosen
    # (said: it did nothing one could see, and Enter marks done in the text)
    assert window.statusBar().currentMessage() == (
        "Back in the text: Enter there marks the article done"
    )
    # Tab from the search box goes through the filter to the list, selecting no span.
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Tab)
    qtbot.waitUntil(window.status_filter.hasFocus)
    qtbot.keyClick(window.status_filter, Qt.Key.Key_Tab)
    qtbot.waitUntil(window.article_list.hasFocus)
    assert window.editor.selected_span_id == chosen


def test_plain_keys_in_the_article_list_and_filter_are_theirs_not_the_windows(qtbot, window):
    """In the article list, 2 relabelled the selected span (its link dropped), Del deleted
    it and S skipped the open article; in the status filter s (to pick "skipped") did too."""
    article = window.current.id
    qtbot.waitUntil(lambda: window.span_model.rowCount() > 1)
    window.span_list.selectRow(0)
    chosen = window.editor.selected_span_id
    assert chosen is not None
    table = window.article_list
    for widget in (table, window.status_filter):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        for key in (Qt.Key.Key_2, Qt.Key.Key_Delete, Qt.Key.Key_S, Qt.Key.Key_D):
            qtbot.keyClick(widget, key)
    assert window.current.id == article
    assert window.store.status(article, "ana").status == "todo"
    assert not window.undo_stack.canUndo()  # nothing relabelled, deleted or skipped
    # F1 still opens the guidelines from the list
    qtbot.keyClick(table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "guidelinesDialog") is not None)


def test_the_keys_go_to_the_text_when_the_window_opens(qtbot, project):
    """Focus started in the search box: the label keys typed into it."""
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is window.view
    window.close()


def test_a_span_is_made_from_the_keyboard_alone(qtbot, window):
    """The text took no caret: with the keyboard alone no span could be made ("Click a span
    first"). Now the arrows move a caret, Shift+→ selects words from it, a label key labels."""
    view = window.view
    text = window.current.article.text
    rebel = text.index("rebel positions")
    window.clear_selection()
    view.select_range(rebel, rebel)  # the caret, moved there with the arrows
    qtbot.keyClick(view, Qt.Key.Key_Right)  # an arrow moves it (the text has a caret)
    assert view.selected_range() == (rebel + 1, rebel + 1)
    view.select_range(rebel, rebel)
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert text[slice(*view.selected_range())] == "rebel positions"
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert (rebel, rebel + 15, "FACTION") in {
        (s.start, s.end, s.label) for s in window.store.spans(window.current.id, "ana")
    }
    first = window.current.id
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # the window's key still, not the caret's
    qtbot.waitUntil(lambda: window.current.id != first)


def test_del_in_the_span_list_moves_on_to_the_next_row_not_back_to_the_top(qtbot, tmp_path):
    """The list went back to its top after Del: Down then Del deleted the first span."""
    text = "Shelling hit Aleppo, Idlib, Homs and Hama on Monday."
    store = Store(tmp_path / "four.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    places = [Span(text.index(n), text.index(n) + len(n), "LOCATION") for n in
              ("Aleppo", "Idlib", "Homs", "Hama")]  # fmt: skip
    store.add_suggestions([(article_id, places)], "m-1")
    window = next(open_window(qtbot, store, rows=4))
    spans = window.span_list
    rows = list(window.span_model.spans)
    spans.setFocus()
    qtbot.waitUntil(spans.hasFocus)
    spans.selectRow(1)
    qtbot.keyClick(spans, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.span_model.rowCount() == len(rows) - 1)
    following = (rows[2].start, rows[2].end, rows[2].label)
    selected = window.editor.selected
    assert selected is not None and (selected.start, selected.end, selected.label) == following
    assert spans.selectionModel().selectedRows()[0].row() == 1
    qtbot.keyClick(spans, Qt.Key.Key_Delete)  # the next Del takes that one, not the first
    qtbot.waitUntil(lambda: window.span_model.rowCount() == len(rows) - 2)
    left = [(s.start, s.end, s.label) for s in window.span_model.spans]
    assert (rows[0].start, rows[0].end, rows[0].label) in left and following not in left
    window.close()


def test_tab_after_scrolling_with_the_wheel_goes_to_a_span_on_screen(qtbot, tmp_path):
    """Tab went from the caret, left at the top: the article's first span, the view back up."""
    paragraph = "Shelling hit Aleppo on Monday, officials said. " * 3
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(120))
    store = Store(tmp_path / "long.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    places, at = [], 0
    while (at := text.find("Aleppo", at + 1)) >= 0:
        places.append(Span(at, at + 6, "LOCATION"))
    store.add_suggestions([(article_id, places)], "m-1")
    window = next(open_window(qtbot, store, rows=len(places)))
    view = window.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # as the wheel leaves it: the caret stays at the top
    top = view.visible_offset()
    assert top > 1000 and not view.caret_on_screen()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    chosen = window.editor.selected
    assert chosen is not None and top <= chosen.start <= view.visible_end()
    assert bar.value() > bar.maximum() // 4  # not back at the top
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # then on from that span, as always
    assert window.editor.selected.start > chosen.start
    bar.setValue(bar.maximum())
    bottom = view.visible_end()
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # the last
    # span on screen
    assert window.editor.selected.start <= bottom
    assert window.editor.selected == max(
        (s for s in window.current.spans if s.start <= bottom), key=lambda s: s.start
    )
    window.close()


def test_an_article_left_and_opened_again_is_where_it_was_left(qtbot, tmp_path):
    """It went back to its top: on a long article the annotator lost the place."""
    long_text = "\n\n".join(
        f"{n}. Shelling hit Aleppo on Monday, officials said." for n in range(300)
    )
    store = Store(tmp_path / "two.db")
    first, _ = store.add_articles([Article(long_text), Article("Calm in Homs.")]).ids
    window = next(open_window(qtbot, store))
    assert window.current.id == first
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    left_at = window.view.visible_offset()
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.current.id != first and bar.value() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert window.current.id == first
    line = long_text.rfind("\n", 0, left_at) + 1  # the top line's paragraph, at the top
    assert line <= window.view.visible_offset() <= left_at
    window.close()


def test_ctrl_and_the_arrows_step_over_tokens_and_esc_leaves_the_caret_after_the_span(
    qtbot, tmp_path
):
    """Ctrl+→ stopped three times in "p.m." and Ctrl+← inside "Al-|Ghaza" (Qt's words, not
    the tokens spans snap to); Esc on a span put the caret at its start, so going on meant
    walking over its words again. Adding a missed span took 6–15 keys."""
    from annotator.core import Article, Span
    from annotator.storage import Store
    from tests.ui.conftest import open_window

    text = "At 3 p.m. the Al-Ghaza Hotel was hit near Gaza City."
    store = Store(tmp_path / "keys.db")
    (article_id,) = store.add_articles([Article(text, title="Gaza")]).ids
    gaza = text.index("Gaza City")
    store.add_suggestions([(article_id, [Span(gaza, gaza + 9, "LOCATION")])], "m")
    ctrl = Qt.KeyboardModifier.ControlModifier
    for window in open_window(qtbot, store):
        view = window.view
        view.setFocus()
        view.select_range(text.index("p.m."), text.index("p.m."))
        qtbot.keyClick(view, Qt.Key.Key_Right, ctrl)
        assert view.selected_range() == (text.index(" the"),) * 2  # p.m. in one step
        hotel = text.index(" Hotel")
        view.select_range(hotel, hotel)
        qtbot.keyClick(view, Qt.Key.Key_Left, ctrl)
        assert view.selected_range() == (text.index("Ghaza"),) * 2  # the tokens: Al - Ghaza
        window.editor.select_span(window.current.spans[0])  # "Gaza City"
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert view.selected_range() == (gaza + 9, gaza + 9)
    store.close()


def test_tab_after_esc_on_a_claim_goes_on_to_the_names_inside_it(qtbot, tmp_path):
    """With the caret after the claim, Tab passed over Sarmin and Kansafra inside it."""
    from annotator.core import Article
    from annotator.storage import Store
    from tests.ui.conftest import open_window, word

    text = "Shells hit a market in Sarmin and a school in Kansafra, activists said. Calm after."
    claim = word(text, "Shells hit a market in Sarmin and a school in Kansafra", "CLAIM")
    sarmin, kansafra = word(text, "Sarmin", "LOCATION"), word(text, "Kansafra", "LOCATION")
    activists = word(text, "activists", "SOURCE")
    store = Store(tmp_path / "tab.db")
    (article_id,) = store.add_articles([Article(text, title="Sarmin")]).ids
    store.add_suggestions([(article_id, [claim, sarmin, kansafra, activists])], "m")
    for window in open_window(qtbot, store):
        view = window.view
        view.setFocus()
        window.editor.select_span(next(s for s in window.current.spans if s.key == claim.key))
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert window.editor.selected.key == sarmin.key
    store.close()
