"""Who claims what in the review's gold lane: a claim nobody gave a source gets one (a click,
or words and Enter), loses it again (Shift+R), and its attributes step (D, H, Q); each is one
undo step, and Enter and Esc while choosing finish or cancel instead of marking the article
reviewed or closing the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from annotator.core import Article
from annotator.core.model import GOLD
from annotator.core.relations import SpanAttribute
from annotator.storage import Store
from annotator.ui.widgets import mnemonic
from tests.ui.conftest import open_review, select_text, word

TEXT = (
    "Activists say the army shelled the market in Saraqib, killing nine people, "
    "the Observatory said."
)
CLAIM = word(TEXT, "the army shelled the market in Saraqib, killing nine people", "CLAIM")
ARMY = word(TEXT, "army", "FACTION")
SARAQIB = word(TEXT, "Saraqib", "LOCATION")
OBSERVATORY = word(TEXT, "Observatory", "SOURCE")
ACTIVISTS = word(TEXT, "Activists", "SOURCE")


@pytest.fixture
def project(tmp_path) -> Store:
    """ana and ben marked the same spans and neither gave the claim a source: nothing to
    disagree on, so no key of the review's disagreements can give it one."""
    store = Store(tmp_path / "project.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    for name in ("ana", "ben"):
        store.replace_annotations(article_id, name, [CLAIM, ARMY, SARAQIB, OBSERVATORY], [], [])
        store.set_status(article_id, name, "done")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_review(qtbot, project)


def act(window, name: str) -> None:
    window.named_actions[name].trigger()


def press(window, key: Qt.Key) -> bool:
    """A key pressed in the gold lane, as Qt delivers it: first asked whether a shortcut
    may take it (returns whether the lane kept it), then pressed."""
    view = window.gold_view
    override = QKeyEvent(QEvent.Type.ShortcutOverride, key, Qt.KeyboardModifier.NoModifier)
    override.ignore()
    QApplication.sendEvent(view, override)
    QApplication.sendEvent(
        view, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
    )
    return override.isAccepted()


def gold_work(window, project):
    return project.claim_work(window.review.article.id, GOLD)


def choose_source_of_claim(window) -> None:
    window.gold_editor.clicked(CLAIM.start + 1)  # "the" of the claim: the claim
    act(window, "actionRelation_source")


def test_a_claim_nobody_sourced_gets_its_source_by_a_click(qtbot, window, project):
    assert window.items == []  # nothing disagrees
    assert "R on a claim: its source" in window.lanes.gold_name.text()
    choose_source_of_claim(window)
    assert window.claims.choosing is not None
    assert "choose the source of" in window.statusBar().currentMessage()
    window.gold_editor.clicked(SARAQIB.start + 1)  # a place is no source: still choosing
    assert "That is a LOCATION span" in window.statusBar().currentMessage()
    assert window.claims.choosing is not None
    window.gold_editor.clicked(OBSERVATORY.start + 1)
    assert window.claims.choosing is None
    assert gold_work(window, project).sources(CLAIM) == {OBSERVATORY}
    assert [t.text for t in window.gold_view.tags_shown()] == ["1", "1"]  # claim and source
    act(window, "reviewUndo")
    assert gold_work(window, project).sources(CLAIM) == frozenset()
    act(window, "reviewRedo")
    assert gold_work(window, project).sources(CLAIM) == {OBSERVATORY}


def test_selected_words_and_enter_become_the_source(qtbot, window, project):
    choose_source_of_claim(window)
    select_text(window.gold_view, ACTIVISTS.start + 2, ACTIVISTS.end - 2)  # snapped to the word
    assert press(window, Qt.Key.Key_Return)  # not the window's Enter (article reviewed)
    article_id = window.review.article.id
    assert ACTIVISTS in project.spans(article_id, GOLD)
    assert gold_work(window, project).sources(CLAIM) == {ACTIVISTS}
    assert project.status(article_id, GOLD).status != "done"
    act(window, "reviewUndo")  # the span and its link are one step
    assert ACTIVISTS not in project.spans(article_id, GOLD)
    assert gold_work(window, project).relations == ()


def test_the_caret_in_a_claim_is_enough_from_the_keyboard(qtbot, window, project):
    """With no mouse, R and D on a claim said "Click a CLAIM span in the gold lane first"
    wherever the caret was: only its exact words, selected, would do."""
    view = window.gold_view
    view.setFocus()
    inside = SARAQIB.start + 2  # in the place, inside the claim: the claim is what R is on
    select_text(view, inside, inside)
    act(window, "actionRelation_source")
    assert window.claims.choosing is not None and window.claims.choosing.anchor == CLAIM
    select_text(view, ACTIVISTS.start, ACTIVISTS.end)
    assert press(window, Qt.Key.Key_Return)
    assert gold_work(window, project).sources(CLAIM) == {ACTIVISTS}
    select_text(view, inside, inside)
    act(window, "actionAttribute_polarity")  # D: the claim around the caret
    assert gold_work(window, project).values(CLAIM) == {"polarity": "denied"}
    select_text(view, 0, 0)  # in no claim
    act(window, "actionAttribute_polarity")
    assert "or put the caret in it" in window.statusBar().currentMessage()


def test_words_over_part_of_a_gold_span_are_refused_not_made_its_replacement(
    qtbot, window, project
):
    """ "the Taipei" over the gold LOCATION "Taipei" made a SOURCE in its place, unsaid."""
    choose_source_of_claim(window)
    select_text(window.gold_view, SARAQIB.start - len("in "), SARAQIB.end)
    assert press(window, Qt.Key.Key_Return)
    said = window.statusBar().currentMessage()
    assert said.startswith("“in Saraqib” overlaps the LOCATION span “Saraqib”: select other")
    assert SARAQIB in window.gold and not any(s.start == SARAQIB.start - 3 for s in window.gold)
    assert window.claims.choosing is not None


def test_esc_cancels_choosing_and_leaves_the_window_open(qtbot, window, project):
    choose_source_of_claim(window)
    assert press(window, Qt.Key.Key_Escape)
    assert window.claims.choosing is None
    assert window.isVisible()
    assert window.statusBar().currentMessage() == "Not linked"
    window.gold_editor.clicked(OBSERVATORY.start + 1)  # an ordinary click again: selects
    assert gold_work(window, project).relations == ()
    assert window.gold_editor.selected == OBSERVATORY
    assert press(window, Qt.Key.Key_Escape)  # not choosing: Esc lets go of the span first
    assert window.gold_view.selected_range()[0] == window.gold_view.selected_range()[1]
    assert window.gold_editor.still_selected() is None
    assert not press(window, Qt.Key.Key_Escape)  # then it is the window's again (closes it)


def test_shift_r_removes_the_source_and_the_source_can_choose_its_claim(qtbot, window, project):
    window.gold_editor.clicked(ARMY.start + 1)  # from the source's side: R chooses its claim
    act(window, "actionRelation_source")
    window.gold_editor.clicked(CLAIM.start + 1)
    assert gold_work(window, project).sources(CLAIM) == {ARMY}
    window.gold_editor.clicked(CLAIM.start + 1)
    act(window, "actionRemoveRelation_source")
    assert gold_work(window, project).relations == ()
    assert "1 source link(s) removed" in window.statusBar().currentMessage()
    act(window, "actionRemoveRelation_source")
    assert "has no source link in gold" in window.statusBar().currentMessage()


def test_attribute_keys_step_a_gold_claims_values(qtbot, window, project):
    window.gold_editor.clicked(CLAIM.start + 1)
    act(window, "actionAttribute_polarity")
    act(window, "actionAttribute_hedged")
    assert set(gold_work(window, project).attributes) == {
        SpanAttribute(CLAIM, "polarity", "denied"),
        SpanAttribute(CLAIM, "hedged", "yes"),
    }
    act(window, "actionAttribute_polarity")  # back to the default: stored as no value
    assert gold_work(window, project).values(CLAIM) == {"hedged": "yes"}
    act(window, "reviewUndo")
    assert gold_work(window, project).values(CLAIM) == {"polarity": "denied", "hedged": "yes"}
    window.gold_editor.clicked(SARAQIB.start + 1)
    act(window, "actionAttribute_quote")
    assert "Click a CLAIM span in the gold lane first" in window.statusBar().currentMessage()


def test_a_link_to_a_claim_gone_meanwhile_is_refused(qtbot, window, project):
    choose_source_of_claim(window)
    window.gold = [s for s in window.gold if s != CLAIM]  # as if gold changed elsewhere
    window.claims.clicked(OBSERVATORY.start + 1)
    assert "no longer in gold" in window.statusBar().currentMessage()
    assert gold_work(window, project).relations == ()


def test_the_gold_claim_keys_are_the_schemes_and_clash_with_no_review_key(window):
    keys = {
        name: [k.toString() for k in window.named_actions[name].shortcuts()]
        for name in ("actionRelation_source", "actionRemoveRelation_source")
    }
    assert keys == {"actionRelation_source": ["R"], "actionRemoveRelation_source": ["Shift+R"]}
    seen: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            assert key.toString() not in seen, (key.toString(), seen.get(key.toString()))
            seen[key.toString()] = action.objectName()


def test_another_reviewers_change_to_gold_sources_shows(qtbot, window, project):
    """Another reviewer removed gold's source: the lane still drew it (the follower compared
    gold's spans only), and Enter would have marked reviewed gold nobody saw."""
    choose_source_of_claim(window)
    window.gold_editor.clicked(OBSERVATORY.start + 1)
    article_id = window.review.article.id
    assert window.gold_claims.sources(CLAIM) == {OBSERVATORY}
    other = Store(project.path)  # another reviewer's connection
    spans = other.spans(article_id, GOLD)
    other.replace_annotations(article_id, GOLD, spans, [], [], action="adjudicate")
    other.close()
    qtbot.waitUntil(lambda: window.gold_claims.sources(CLAIM) == frozenset(), timeout=5000)
    assert [t.text for t in window.gold_view.tags_shown()] == ["–"]


def test_a_refused_gesture_says_so_only(qtbot, window, project, monkeypatch):
    """The yellow bar said "Not saved: changed elsewhere" and the status bar "Gold: polarity
    asserted" at once."""
    monkeypatch.setattr(window, "push", lambda command: False)  # the write refused
    window.gold_editor.clicked(CLAIM.start + 1)
    act(window, "actionAttribute_polarity")
    assert "Gold:" not in window.statusBar().currentMessage()


def test_a_gold_span_drawn_over_a_source_and_more_is_the_claims_source(qtbot, tmp_path):
    """In the gold lane, FACTION over "the Observatory" (the claim's SOURCE "Observatory")
    left the claim with no source, and nothing said so; the annotation window moves it."""
    from annotator.core import Article
    from annotator.core.model import GOLD
    from annotator.core.relations import SpanRelation
    from annotator.storage import Store
    from tests.ui.conftest import open_review, word

    text = "The army shelled the market in Saraqib, killing nine people, the Observatory said."
    claim = word(text, "army shelled the market in Saraqib, killing nine people", "CLAIM")
    saraqib = word(text, "Saraqib", "LOCATION")
    observatory = word(text, "Observatory", "SOURCE")
    store = Store(tmp_path / "gold.db")
    (article_id,) = store.add_articles([Article(text, title="Saraqib")]).ids
    for name, spans in (("ana", [claim, saraqib, observatory]), ("ben", [claim, observatory])):
        store.replace_annotations(article_id, name, spans, [SpanRelation(claim, observatory)], [])
        store.set_status(article_id, name, "done")
    for review in open_review(qtbot, store):
        start = text.index("the Observatory")
        review.gold_view.select_range(start, start + len("the Observatory"))
        qtbot.keyClick(review, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # FACTION
        wider = word(text, "the Observatory", "FACTION")
        assert store.claim_work(article_id, GOLD).sources(claim) == {wider}
        assert review.statusBar().currentMessage() == (
            "Gold: FACTION 'the Observatory': it is the source of 1 claim now (Ctrl+Z undoes it)"
        )
        qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert review.gold_claims.sources(claim) == {observatory}  # (gold unsaved again)
    store.close()


def test_ctrl_and_the_arrows_step_over_tokens_in_the_gold_lane_too(qtbot, tmp_path):
    """The annotation window's Ctrl+→ went to a token's end; the gold lane's, to the start
    of Qt's next word, stopping at "al|-|Sham"."""
    from annotator.core import Article
    from annotator.storage import Store
    from tests.ui.conftest import open_review, word

    text = "Hayat Tahrir al-Sham fighters seized Saraqib, the Observatory said."
    hts = word(text, "Hayat Tahrir al-Sham", "FACTION")
    store = Store(tmp_path / "steps.db")
    (article_id,) = store.add_articles([Article(text, title="Saraqib")]).ids
    for name, spans in (("ana", [hts]), ("ben", [])):
        store.replace_annotations(article_id, name, spans, [], [])
        store.set_status(article_id, name, "done")
    for review in open_review(qtbot, store):
        view = review.gold_view
        view.setFocus()
        view.select_range(text.index("al-Sham"), text.index("al-Sham"))
        ends = []
        for _ in range(3):
            qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
            ends.append(view.selected_range()[1])
        assert [text[:end].rsplit(" ", 1)[-1] for end in ends] == ["al", "al-", "al-Sham"]
    store.close()


def test_the_right_button_on_the_gold_lane_offers_what_its_keys_do(qtbot, window, project):
    """Right click in the gold lane: Qt's Copy / Select All were all a reviewer with the
    mouse had there."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    from annotator.ui.review_menu import gold_menu

    def menu_at(offset: int):
        view = window.gold_view
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_utf16(offset))
        rect = view.cursorRect(cursor)
        return gold_menu(window, QPoint(rect.left() + 3, rect.center().y()))

    def texts(menu) -> list[str]:
        return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]

    menu = menu_at(CLAIM.start + 1)  # "the" of the claim
    assert window.gold_editor.still_selected() == CLAIM  # selected, as a click selects it
    shown = texts(menu)
    assert shown[:2] == ["Relabel as", "Delete gold span"]
    assert "Choose source…\tR" in shown
    assert any(text.startswith("Polarity: asserted → denied") for text in shown)  # its value
    assert shown[-2:] == ["Copy", "Select All"]
    menu.close()
    # on a source, what R does to it, said in its words ("Choose source…" chose its claim)
    window.gold_editor.clicked(ARMY.start + 1)
    act(window, "actionRelation_source")
    window.gold_editor.clicked(CLAIM.start + 1)
    menu = menu_at(ARMY.start + 1)
    assert texts(menu)[-4:-2] == [
        "Choose the claim it is the source of…\tR",
        "Remove as source of its claims\tShift+R",
    ]
    found = [m.lower() for a in menu.actions() if (m := mnemonic(a.text()))]
    assert len(set(found)) == len(found)  # no letter twice
    menu.close()
    window.gold_editor.selected = None
    window.gold_view.clear_selection()
    menu = menu_at(SARAQIB.start + 1)  # (in the claim, but the claim no longer selected)
    relabel = next(a for a in menu.actions() if a.text().replace("&", "") == "Relabel as")
    labels = texts(relabel.menu())
    assert "Gold: LOCATION" not in labels and "Gold: FACTION" in labels
    next(a for a in relabel.menu().actions() if a.text() == "Gold: FACTION").trigger()
    assert word(TEXT, "Saraqib", "FACTION") in project.spans(window.review.article.id, GOLD)
    menu.close()
    # words selected: the labels to make a gold span of them
    select_text(window.gold_view, ACTIVISTS.start, ACTIVISTS.end)
    window.gold_editor.selected = None
    menu = menu_at(ACTIVISTS.start + 1)
    assert texts(menu)[0].startswith("Gold: ") and "Delete gold span" not in texts(menu)
    menu.close()
