"""Who claims what in the annotation window: sources from the keyboard, what the text and
the span list show, and exact undo, with the database checked each step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.claims.conftest import (
    ACTIVISTS,
    ALEPPO,
    CTRL,
    DIED,
    FORCES,
    HTS,
    KILLED,
    SHELLED,
    SHIFT,
    TEXT,
    label_column,
    links_column,
    press,
    select,
    sources,
    span_of,
    tags,
    values,
)
from tests.ui.conftest import select_text


def test_suggested_source_and_hedge_show_in_the_text_and_the_span_list(qtbot, window):
    assert sources(window) == {(SHELLED.text(TEXT), "activists and state media")}
    assert values(window) == {(SHELLED.text(TEXT), "hedged"): ("yes", "model")}
    assert label_column(window, SHELLED) == "CLAIM 1"
    assert links_column(window, SHELLED) == "hedged · source: activists and state media"
    assert links_column(window, ACTIVISTS) == "source of 1"
    assert links_column(window, KILLED) == "no source"
    # Claim 1 and its source carry "1" (claim 1 also H, hedged), unconfirmed until done;
    # the other two claims have no source yet: no number, a grey dash.
    assert tags(window) == [
        ("1 H", "claim", False),
        ("1", "source", False),
        ("–", "claim", True),
        ("–", "claim", True),
    ]
    assert label_column(window, KILLED) == "CLAIM"
    assert [t.linked for t in window.view.tags_shown()] == [
        True,
        True,
        False,
        False,
    ]
    window.store.set_status(window.current.id, "ana", "done")
    window.status_changed(window.current.id, "done")
    assert tags(window)[:2] == [("1 H", "claim", True), ("1", "source", True)]


def test_tags_open_a_gap_in_the_text_instead_of_covering_letters(qtbot, window):
    view = window.view
    block = view.document().findBlock(SHELLED.end)
    line = block.layout().lineForTextPosition(SHELLED.end - 1 - block.position())
    gap = (
        line.cursorToX(SHELLED.end - block.position())[0]
        - line.cursorToX(SHELLED.end - 1 - block.position())[0]
    )
    letter = (
        line.cursorToX(SHELLED.end - 1 - block.position())[0]
        - line.cursorToX(SHELLED.end - 2 - block.position())[0]
    )
    assert gap > letter + 15  # the last letter's width and the tag's


def test_r_then_a_click_makes_a_source_undo_and_redo(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    assert window.claims.is_choosing
    # (the way out before the rest, which a laptop's status bar cuts off)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Choose the source of 'it killed 40 troops' (Esc cancels): click")
    )
    window._span_clicked(HTS.start + 2)  # noqa: SLF001 - a click on the FACTION span
    assert not window.claims.is_choosing
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") in sources(window)
    assert window.selected_span_id == span_of(window, KILLED).id  # the claim stays selected
    assert links_column(window, KILLED) == "source: Hayat Tahrir al-Sham"
    assert links_column(window, HTS) == "source of 2"
    assert label_column(window, KILLED) == "CLAIM 2"
    press(qtbot, window, Qt.Key.Key_R)  # the same source again: nothing new
    window._span_clicked(HTS.start + 2)  # noqa: SLF001
    assert "Already linked: 'Hayat Tahrir al-Sham'" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    stored = window.store.relations(window.current.id, "ana")
    relation = next(r for r in stored if r.origin == "human")

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") not in sources(window)
    assert links_column(window, KILLED) == "no source"
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    stored = window.store.relations(window.current.id, "ana")
    again = next(r for r in stored if r.origin == "human")
    assert (again.id, again.head, again.child) == (relation.id, relation.head, relation.child)


def test_a_click_on_a_span_that_cannot_be_a_source_says_so(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    window._span_clicked(ALEPPO.start + 1)  # noqa: SLF001
    assert window.claims.is_choosing
    assert "That is a LOCATION span" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.claims.is_choosing
    assert window.selected_span_id == span_of(window, KILLED).id
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") not in sources(window)


def test_selected_words_and_enter_make_a_source_span_and_the_link_in_one_undo(qtbot, window):
    select(window, DIED)
    press(qtbot, window, Qt.Key.Key_R)
    start = TEXT.index("Observatory")
    select_text(window.view, start + 2, start + 6)  # part of the word: snapped to it
    press(qtbot, window, Qt.Key.Key_Return)
    assert not window.claims.is_choosing
    assert window.store.status(window.current.id, "ana").status == "in_progress"  # not done
    assert (start, start + 11, "SOURCE", "human") in {
        (s.start, s.end, s.label, s.origin) for s in window.store.spans(window.current.id, "ana")
    }
    assert ("12 civilians died", "Observatory") in sources(window)
    assert window.undo_stack.count() == 1

    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # one step: the link and the span go
    assert ("12 civilians died", "Observatory") not in sources(window)
    assert not any(s.start == start for s in window.store.spans(window.current.id, "ana"))
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert ("12 civilians died", "Observatory") in sources(window)


def test_enter_on_the_words_of_an_existing_faction_links_that_span(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    select_text(window.view, HTS.start, HTS.end)
    press(qtbot, window, Qt.Key.Key_Enter)
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") in sources(window)
    assert len(window.store.spans(window.current.id, "ana")) == 7  # no new span


def test_words_over_part_of_another_span_are_refused_not_made_its_replacement(qtbot, window):
    """Selected words reaching over part of a FACTION (or a LOCATION) made a SOURCE in its
    place: the span, its entry and the other claims' links to it gone, unsaid."""
    before = window.store.spans(window.current.id, "ana") or window.current.spans
    select(window, DIED)
    press(qtbot, window, Qt.Key.Key_R)
    select_text(window.view, HTS.start + len("Hayat "), HTS.end + len(" claimed"))
    press(qtbot, window, Qt.Key.Key_Return)
    said = window.statusBar().currentMessage()
    assert said.startswith("“Tahrir al-Sham claimed” overlaps the FACTION span “Hayat Tahrir al-")
    assert "click it to make it the source" in said
    assert window.claims.is_choosing  # still choosing: another gesture can finish it
    assert {(s.start, s.end, s.label) for s in window.current.spans} == {
        (s.start, s.end, s.label) for s in before
    }
    assert window.undo_stack.count() == 0
    select_text(window.view, ALEPPO.start, ALEPPO.end + len(" on"))
    press(qtbot, window, Qt.Key.Key_Return)
    said = window.statusBar().currentMessage()
    assert "overlaps the LOCATION span “Aleppo”: select other words, or relabel" in said


def test_enter_on_a_spans_row_while_choosing_makes_it_the_source(qtbot, window):
    """A click on the row only selected it, and Enter there did nothing: the prompt stayed."""
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    row = window.span_model.row_of(span_of(window, HTS).id)
    window.span_list.selectRow(row)  # arrows or a click: selected, not chosen yet
    assert window.claims.is_choosing
    window.span_list.setFocus()
    qtbot.keyClick(window.span_list, Qt.Key.Key_Return)  # Enter on it
    assert not window.claims.is_choosing
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") in sources(window)


def test_a_second_source_and_shift_r_removes_them_all_in_one_undo(qtbot, window):
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R)
    window._span_clicked(FORCES.start + 1)  # noqa: SLF001 - inside the claim: the FACTION
    assert sources(window) == {
        (SHELLED.text(TEXT), "activists and state media"),
        (SHELLED.text(TEXT), "Government forces"),
    }
    assert links_column(window, SHELLED).endswith(
        "source: activists and state media; Government forces"
    )
    before = window.store.relations(window.current.id, "ana")
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R, SHIFT)
    assert sources(window) == set()
    assert links_column(window, SHELLED) == "hedged · no source"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    after = window.store.relations(window.current.id, "ana")
    assert [(r.id, r.head, r.child, r.origin) for r in after] == [
        (r.id, r.head, r.child, r.origin) for r in before
    ]


def test_relabelling_a_source_as_location_drops_the_link_and_undo_brings_it_back(qtbot, window):
    select(window, ACTIVISTS)
    press(qtbot, window, Qt.Key.Key_1)  # LOCATION: a place does not speak
    assert sources(window) == set()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert sources(window) == {(SHELLED.text(TEXT), "activists and state media")}


def test_a_span_drawn_over_a_source_is_the_claims_source_and_undo_gives_the_old_one_back(
    qtbot, window
):
    """A FACTION drawn over a claim's SOURCE and more (to fix a name too short) replaced it,
    and the claim lost its source without a word; now the FACTION is the source, and a span
    that cannot be a source (a LOCATION) says which claim lost it."""
    claim = SHELLED.text(TEXT)
    wider = TEXT[ACTIVISTS.start : ACTIVISTS.end + len(" said")]
    select_text(window.view, ACTIVISTS.start, ACTIVISTS.end + len(" said"))
    press(qtbot, window, Qt.Key.Key_2)  # FACTION
    assert sources(window) == {(claim, wider)}
    message = window.statusBar().currentMessage()
    assert message == (
        f"FACTION '{wider}' replaced SOURCE 'activists and state media'; it is the source "
        "of 1 claim now (Ctrl+Z undoes it)"
    )
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert sources(window) == {(claim, "activists and state media")}
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert sources(window) == {(claim, wider)}
    press(qtbot, window, Qt.Key.Key_Z, CTRL)

    start = TEXT.index("Monday, activists")
    select_text(window.view, start, ACTIVISTS.end)
    press(qtbot, window, Qt.Key.Key_1)  # LOCATION: a place does not speak
    assert sources(window) == set()
    message = window.statusBar().currentMessage()
    assert message.endswith(
        "'activists and state media'; 1 claim lost its source (Ctrl+Z undoes it)"
    )
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert sources(window) == {(claim, "activists and state media")}


def test_undo_of_a_link_reaches_a_source_an_undo_made_again(qtbot, window):
    """A span made, linked, both undone and redone: the link finds the span's new id."""
    select(window, DIED)
    press(qtbot, window, Qt.Key.Key_R)
    start = TEXT.index("Observatory")
    select_text(window.view, start, start + 11)
    press(qtbot, window, Qt.Key.Key_4)  # not the way to choose: makes a SOURCE span only
    assert window.claims.is_choosing  # still choosing, the new span is there
    window._span_clicked(start + 1)  # noqa: SLF001 - now a click links it
    assert ("12 civilians died", "Observatory") in sources(window)
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert not any(s.start == start for s in window.store.spans(window.current.id, "ana"))
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert ("12 civilians died", "Observatory") in sources(window)


def test_the_selected_claim_outlines_and_joins_its_source(qtbot, window):
    select(window, SHELLED)
    painter = window.view.tag_painter
    offsets = window.view.offsets
    qt_range = (offsets.to_utf16(ACTIVISTS.start), offsets.to_utf16(ACTIVISTS.end))
    assert painter.outlined == [qt_range]
    assert len(painter.joined) == 1
    window.clear_selection()
    assert painter.outlined == [] and painter.joined == []
    window.view.grab()  # paints tags and links without error


def test_a_new_claim_gets_a_no_source_tag_and_loses_it_on_delete_and_undo(qtbot, window):
    def drawn():
        return sorted((t.span, t.text) for t in window.view.tags_shown())

    def computed():
        current = window.current
        return sorted((t.span, t.text) for t in window.claims.links.tags(current.spans, False))

    start = TEXT.index("The Observatory")
    select_text(window.view, start, start + 15)
    press(qtbot, window, Qt.Key.Key_3)  # a CLAIM with no source: only its own tag is added
    made = window.selected_span_id
    assert (made, "–") in drawn()
    assert drawn() == computed()
    press(qtbot, window, Qt.Key.Key_Right, SHIFT)  # resized: the tag moves with its end
    assert drawn() == computed()
    press(qtbot, window, Qt.Key.Key_Delete)
    assert all(span != made for span, _ in drawn())
    assert drawn() == computed()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert drawn() == computed()
    assert len(drawn()) == 5


def test_r_on_a_source_chooses_its_claim_and_shift_r_unlinks_it(qtbot, window):
    select(window, HTS)
    press(qtbot, window, Qt.Key.Key_R)
    said = "Choose the claim 'Hayat Tahrir al-Sham' is the source of (Esc cancels)"
    assert said in window.statusBar().currentMessage()
    window._span_clicked(KILLED.start + 3)  # noqa: SLF001 - a click on the claim
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") in sources(window)
    assert window.selected_span_id == span_of(window, HTS).id
    press(qtbot, window, Qt.Key.Key_R, SHIFT)  # on the source: its links go
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") not in sources(window)
    assert (SHELLED.text(TEXT), "activists and state media") in sources(window)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert ("it killed 40 troops", "Hayat Tahrir al-Sham") in sources(window)


def test_switching_article_while_choosing_cancels_it(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    press(qtbot, window, Qt.Key.Key_N)  # next article
    assert window.current.article.text == "Quiet."
    assert not window.claims.is_choosing
    assert window.statusBar().currentMessage() == ""


def test_enter_on_the_words_of_a_span_that_cannot_be_a_source_refuses(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    press(qtbot, window, Qt.Key.Key_Tab)  # Tab selects a span's words: the LOCATION's
    window.editor.select_span(span_of(window, ALEPPO))
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.claims.is_choosing
    assert "That is a LOCATION span" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    press(qtbot, window, Qt.Key.Key_Tab)  # on to another span: the refusal was about that one
    assert window.statusBar().currentMessage().startswith("Choose the source of")


def test_enter_on_the_claims_own_words_is_no_source(qtbot, window):
    """Shift+Tab back to the claim, Enter: a SOURCE over the claim, replacing the places in
    it, and the claim its own source."""
    before = {s.key for s in window.store.spans(window.current.id, "ana")}
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    window.editor.select_span(span_of(window, KILLED))  # the walk came back to it
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.claims.is_choosing
    assert "itself: choose another span" in window.statusBar().currentMessage()
    assert {s.key for s in window.store.spans(window.current.id, "ana")} == before


def test_tab_goes_on_from_a_deleted_span_and_from_the_claim_when_choosing(qtbot, window):
    """After Del, Tab went on from the deleted span's end, past the spans inside a claim
    that began with it; choosing a source, the first Shift+Tab chose the claim itself."""
    select(window, FORCES)  # "Government forces", the start of the claim SHELLED
    press(qtbot, window, Qt.Key.Key_Delete)
    press(qtbot, window, Qt.Key.Key_Tab)
    assert window.editor.selected.key == SHELLED.key  # the claim that began with it
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    press(qtbot, window, Qt.Key.Key_Tab, SHIFT)
    assert window.editor.selected.key != KILLED.key
    press(qtbot, window, Qt.Key.Key_Tab)
    assert window.editor.selected.key != KILLED.key


def test_a_tag_opens_its_gap_after_the_whole_last_character(qapp):
    """The gap was opened on a claim's last code point: a flag ending a claim showed as the
    letters "U A", a thumbs-up lost its skin tone to a brown square."""
    from annotator.core.offsets import Utf16Offsets
    from annotator.ui.claim_links import CLAIM_TAG, Tag
    from annotator.ui.relation_painter import TagPainter

    for ending in ("🇺🇦", "👍🏽", "👨‍👩‍👧", "e\u0301", "o"):
        text = f"They fled {ending}, said Ana."
        end = text.index(",")
        [placed] = TagPainter().place(
            [Tag(1, end, "1", CLAIM_TAG, "CLAIM", False)], Utf16Offsets(text), text
        )
        start = text.index(ending)
        assert placed.last == Utf16Offsets(text).to_utf16(start), ending
        assert placed.end == Utf16Offsets(text).to_utf16(end)


def test_a_tag_on_arabic_words_that_go_on_opens_on_the_spaces_right(qapp):
    """A source ending inside an Arabic run in an English article hung its tag on the
    space after it, drawn as in English: over the next Arabic word."""
    from annotator.core.offsets import Utf16Offsets
    from annotator.ui.claim_links import SOURCE_TAG, Tag
    from annotator.ui.relation_painter import TagPainter

    name = "قوات سوريا الديمقراطية"
    for after, within in ((" إن القصف", True), (") said", False)):
        text = f"The statement by {name}{after} continued."
        end = text.index(name) + len(name)
        [placed] = TagPainter().place(
            [Tag(1, end, "1", SOURCE_TAG, "SOURCE", False)], Utf16Offsets(text), text
        )
        assert placed.after_right_to_left  # never a gap inside the word's last letter
        assert placed.within_right_to_left == within, after
