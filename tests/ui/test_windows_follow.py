"""Windows follow the project file: what another window or program changes (gold, an
annotator's spans, the label scheme) shows without a click, and the reviewer stays on the
disagreement they were looking at."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.labels import effective_keys
from annotator.core.model import GOLD, Article, Label, Span
from annotator.core.relations import AttributeType, RelationType
from annotator.storage import Store
from annotator.ui.article_commands import ArticleRemoval
from annotator.ui.main_window import MainWindow
from annotator.ui.review_window import ReviewWindow
from tests.ui.conftest import select_text, show_active

SHIFT = Qt.KeyboardModifier.ShiftModifier

TEXT = (
    "Rebels shelled Idlib on Monday. Government forces took Ariha. "
    "The Nusra Front said it held Saraqib. Hezbollah fighters left Qusayr."
)


def at(needle: str, label: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), label)


#: Three annotators who disagree on Idlib, Ariha and Saraqib (and agree on the rest).
WORK = {
    "ana": [at("Idlib", "LOCATION"), at("Ariha", "LOCATION"), at("Saraqib", "LOCATION"),
            at("Hezbollah", "FACTION")],
    "ben": [at("Idlib", "FACTION"), at("Ariha", "LOCATION"), at("Saraqib", "FACTION"),
            at("Hezbollah", "FACTION")],
    "cem": [at("Idlib", "LOCATION"), at("Ariha", "FACTION"), at("Saraqib", "LOCATION"),
            at("Hezbollah", "FACTION")],
}  # fmt: skip


@pytest.fixture
def reviewed(tmp_path):
    path = tmp_path / "review.db"
    with Store(path) as store:
        (article_id,) = store.add_articles([Article(TEXT, title="Idlib front")]).ids
        for name, spans in WORK.items():
            store.replace_spans(article_id, name, spans)
            store.set_status(article_id, name, "done")
    return path


def where(window: ReviewWindow) -> tuple[int, int]:
    disagreement = window.current_disagreement()
    assert disagreement is not None
    return disagreement.start, disagreement.end


def test_the_review_window_shows_another_reviewers_gold_and_stays_put(qtbot, reviewed):
    store, other = Store(reviewed), Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert len(window.review.disagreements) == 3
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.keyClick(window, Qt.Key.Key_N)  # on Saraqib, the third
    assert where(window) == at("Saraqib", "").key[:2]

    # Another reviewer settles Idlib as a place and saves gold: shown here, unprompted,
    # and said, naming them (a note of five seconds, naming nobody, was all there was).
    theirs = [at("Idlib", "LOCATION"), at("Hezbollah", "FACTION")]
    other.reviewer = "sam"
    other.replace_spans(window.review.article.id, GOLD, theirs, action="adjudicate")
    qtbot.waitUntil(lambda: window.gold == theirs, timeout=3000)
    assert window.review.gold_saved
    assert window.message_bar.text() == (
        "Gold of this article was changed in another window by sam: shown as it is saved now"
    )
    drawn = window.gold_view.formats.spans_within(0, len(TEXT))  # the gold lane, as drawn
    assert [(start, end, label) for start, end, label, _ in drawn] == [s.key for s in theirs]
    assert where(window) == at("Saraqib", "").key[:2]  # still on the same disagreement
    assert window.where_label.text().startswith("Disagreement 3 / 3")

    # Ben corrects Idlib: the first disagreement goes, the reviewer stays on Saraqib.
    article_id = window.review.article.id
    ben = other.spans(article_id, "ben")
    idlib = next(s for s in ben if s.key == at("Idlib", "FACTION").key)
    other.update_span(idlib.id, idlib.start, idlib.end, "LOCATION", "edited")
    qtbot.waitUntil(lambda: len(window.review.disagreements) == 2, timeout=3000)
    assert where(window) == at("Saraqib", "").key[:2]
    assert window.where_label.text().startswith("Disagreement 2 / 2")

    # A choice now lands on Saraqib, as shown; the other reviewer's Idlib stays.
    qtbot.keyClick(window, Qt.Key.Key_2)  # ben's version: a faction
    assert at("Saraqib", "FACTION") in store.spans(article_id, GOLD)
    assert at("Idlib", "LOCATION") in store.spans(article_id, GOLD)  # theirs, kept
    window.close()
    store.close()
    other.close()


def test_an_annotators_change_before_gold_is_saved_is_no_change_of_gold(qtbot, reviewed):
    """Ben deleted a place everyone had: the yellow bar said "Gold of this article was
    changed in another window", of a gold nobody had saved (the agreed spans changed)."""
    store, other = Store(reviewed), Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.message_bar.hide()
    article_id = window.review.article.id
    assert at("Hezbollah", "FACTION") in window.gold and not window.review.gold_saved
    key = at("Hezbollah", "FACTION").key
    hezbollah = next(s for s in other.spans(article_id, "ben") if s.key == key)
    other.delete_span(hezbollah.id)
    qtbot.waitUntil(lambda: at("Hezbollah", "FACTION") not in window.gold, timeout=3000)
    assert not window.message_bar.isVisible()
    assert window.statusBar().currentMessage() == "Changed in another window: shown as saved now"
    assert store.spans(article_id, GOLD) == []
    window.close()
    store.close()
    other.close()


def test_the_review_list_picks_up_articles_made_ready_elsewhere(qtbot, reviewed):
    store, other = Store(reviewed), Store(reviewed)
    (second,) = other.add_articles([Article("Clashes near Goma on Friday.", title="Goma")]).ids
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.article_model.rowCount() == 1
    for name in ("ana", "ben"):
        other.add_span(second, name, Span(13, 17, "LOCATION"))
        other.set_status(second, name, "done")
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 2, timeout=5000)
    window.close()
    store.close()
    other.close()


def test_the_review_list_follows_a_file_that_is_never_quiet(qtbot, reviewed):
    """Each write put the list's ranking off again: with a team writing every 0.4 s it
    waited 40 s, then for ever."""
    import time

    store, other = Store(reviewed), Store(reviewed)
    (second,) = other.add_articles([Article("Clashes near Goma on Friday.", title="Goma")]).ids
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    for name in ("ana", "ben"):
        other.add_span(second, name, Span(13, 17, "LOCATION"))
        other.set_status(second, name, "done")
    started = time.monotonic()
    while window.article_model.rowCount() < 2:
        assert time.monotonic() - started < 8, "the list never followed"
        other.set_setting("busy", str(time.monotonic()))  # another annotator at work
        qtbot.wait(300)
    window.close()
    store.close()
    other.close()


def test_a_label_scheme_changed_in_another_window_shows_in_both_kinds_of_window(qtbot, reviewed):
    first_store, second_store = Store(reviewed), Store(reviewed)
    first = MainWindow(first_store, "dan")
    second = MainWindow(second_store, "eve")
    review = ReviewWindow(Store(reviewed))
    for window in (first, second, review):
        qtbot.addWidget(window)
        show_active(qtbot, window)
    # In the second window, a label is added and another recoloured (as its Labels
    # dialog does: through the store, then the window's own scheme is read again).
    second_store.save_label(Label("WEAPON", "entity", "#aa0000", "5", "arms and munitions"))
    recoloured = next(lab for lab in second_store.labels() if lab.name == "LOCATION")
    second_store.save_label(Label("LOCATION", "entity", "#00aa00", recoloured.key))
    second.reload_labels()

    qtbot.waitUntil(lambda: "WEAPON" in first.label_actions, timeout=3000)
    assert first.labels == second_store.labels()
    assert next(lab for lab in first.labels if lab.name == "LOCATION").color == "#00aa00"
    qtbot.waitUntil(lambda: "reviewLabel_WEAPON" in review.named_actions, timeout=3000)
    assert review.kinds["WEAPON"] == "entity"

    # The new label's key works in the first window at once.
    show_active(qtbot, first)
    start = TEXT.index("Hezbollah")
    select_text(first.view, start, start + len("Hezbollah"))
    qtbot.keyClick(first.view, Qt.Key.Key_5)
    assert at("Hezbollah", "WEAPON") in first_store.spans(first.current.id, "dan")
    for window in (first, second, review):
        window.close()
    first_store.close()
    second_store.close()
    review.store.close()


def test_a_claim_scheme_changed_by_another_program_rebuilds_both_windows_keys(qtbot, reviewed):
    store, other = Store(reviewed), Store(reviewed)
    first = MainWindow(store, "dan")
    review = ReviewWindow(Store(reviewed))
    for window in (first, review):
        qtbot.addWidget(window)
        show_active(qtbot, window)
    assert review.label_actions["reviewLabel_LOCATION"].shortcut().toString() == "Ctrl+1"
    # Another program renames the source relation and re-keys it, adds an attribute, and
    # moves FACTION first.
    source = other.relation_type("source")
    speaker = RelationType("speaker", source.head_labels, source.child_labels, "#008800", "G")
    other.save_relation_type(speaker, replacing="source")
    other.save_attribute_type(
        AttributeType("certainty", "CLAIM", "choice", ("low", "mid", "high"), "mid", "C")
    )
    other.move_label("FACTION", 0)

    qtbot.waitUntil(lambda: "actionRelation_speaker" in first.claims.actions, timeout=3000)
    keys = {name: action.shortcut().toString() for name, action in first.claims.actions.items()}
    assert keys["actionRelation_speaker"] == "G" and keys["actionAttribute_certainty"] == "C"
    assert "actionRelation_source" not in keys
    qtbot.waitUntil(
        lambda: [t.name for t in review.claim_scheme.relation_types] == ["speaker"], timeout=3000
    )
    assert review.lanes.gold_view.relation_color.name() == "#008800"
    assert review.label_actions["reviewLabel_FACTION"].shortcut().toString() == "Ctrl+1"
    assert review.label_actions["reviewLabel_LOCATION"].shortcut().toString() == "Ctrl+2"
    assert "Ctrl+1 FACTION" in review.lanes.gold_name.text()
    for window in (first, review):
        window.close()
    store.close()
    other.close()
    review.store.close()


@pytest.fixture
def this_and_another(reviewed):
    """The project opened by this window's program and by another program."""
    store, other = Store(reviewed), Store(reviewed)
    yield store, other
    store.close()
    other.close()


def window_with_a_faction(qtbot, store):
    """dan's window, where "Government forces" was just made a FACTION (one undo step)."""
    window = MainWindow(store, "dan")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    start = TEXT.index("Government forces")
    select_text(window.view, start, start + len("Government forces"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    return window


def test_a_label_renamed_elsewhere_clears_the_undo_history_that_names_it(qtbot, this_and_another):
    """Another program renamed FACTION: a redo of the window's step wrote a FACTION span,
    a label the scheme no longer had, and an undo was refused step by step."""
    store, other = this_and_another
    window = window_with_a_faction(qtbot, store)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.undo_stack.canRedo()

    other.rename_label("FACTION", "ARMED_GROUP", by="lead")
    qtbot.waitUntil(lambda: "ARMED_GROUP" in window.label_actions, timeout=3000)
    assert window.undo_stack.count() == 0
    assert window.message_bar.text() == (
        "Undo history cleared: the label FACTION was renamed or removed elsewhere; "
        "the article shows what the project holds"
    )
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | SHIFT)
    labels = {span.label for span in store.spans(window.current.id, "dan")}
    assert "FACTION" not in labels
    window.close()


def test_keys_moved_by_another_program_are_said_in_the_window(qtbot, this_and_another):
    """``annotator labels set WEAPON --key 5`` moved RUMOUR (no key of its own) from 5 to
    6: the terminal said so, the annotator at the window, used to pressing 5, saw only the
    legend change."""
    store, other = this_and_another
    other.add_label(Label("RUMOUR", "claim", "#777777", ""))
    other.change_label("RUMOUR", key="")  # (added, a label is given a free digit)
    other.add_label(Label("WEAPON", "entity", "#aa0000", "W"))
    window = MainWindow(store, "dan")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert effective_keys(window.labels)["RUMOUR"] == "5"
    other.change_label("LOCATION", color="#00aa00")  # (nothing moves)
    qtbot.waitUntil(lambda: window.labels[0].color == "#00aa00", timeout=3000)
    assert window.message_bar.text() == ""

    other.change_label("WEAPON", key="5")
    qtbot.waitUntil(lambda: effective_keys(window.labels)["WEAPON"] == "5", timeout=3000)
    assert window.message_bar.text() == (
        "The label keys changed elsewhere: RUMOUR answers to 6 now (it had 5); "
        "WEAPON answers to 5 now (it had W)"
    )
    # A second change while the bar says the first: both said, from what was known before
    # (the second's note replaced the first's).
    other.change_label("CLAIM", key="B")
    qtbot.waitUntil(lambda: effective_keys(window.labels)["CLAIM"] == "B", timeout=3000)
    assert window.message_bar.text() == (
        "The label keys changed elsewhere: CLAIM answers to B now (it had 3); "
        "RUMOUR answers to 3 now (it had 5); WEAPON answers to 5 now (it had W)"
    )
    # All moved back: the note goes (it named keys that no longer held)
    other.change_label("CLAIM", key="3")
    other.change_label("WEAPON", key="W")
    qtbot.waitUntil(lambda: not window.message_bar.isVisible(), timeout=3000)
    assert effective_keys(window.labels)["RUMOUR"] == "5"
    window.close()


def test_the_review_windows_gold_history_is_cleared_too(qtbot, this_and_another):
    store, other = this_and_another
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    show_active(qtbot, review)
    qtbot.keyClick(review.gold_view, Qt.Key.Key_1)  # take ana's version
    assert review.undo_stack.count() == 1
    other.rename_label("LOCATION", "PLACE", by="lead")
    qtbot.waitUntil(lambda: "PLACE" in review.kinds, timeout=3000)
    assert review.undo_stack.count() == 0
    assert "the label LOCATION was renamed" in review.message_bar.text()
    review.close()


def test_a_rename_elsewhere_keeps_a_history_that_does_not_name_the_label(qtbot, this_and_another):
    """Any rename cleared the whole history, a removed article's way back with it."""
    store, other = this_and_another
    store.add_label(Label("MILITIA"))
    window = window_with_a_faction(qtbot, store)
    other.rename_label("MILITIA", "ARMED", by="lead")
    qtbot.waitUntil(lambda: "ARMED" in window.label_actions, timeout=3000)
    assert window.undo_stack.count() == 1  # its step writes FACTION only
    window.push(ArticleRemoval(store, window, window.current.id))
    other.rename_label("FACTION", "GROUP", by="lead")
    qtbot.waitUntil(lambda: "GROUP" in window.label_actions, timeout=3000)
    assert window.undo_stack.count() == 0
    assert window.message_bar.text().endswith(
        "renamed or removed elsewhere; a removed article can no longer be put back"
    )
    window.close()


def test_another_reviewers_link_and_an_annotators_claim_work_show_and_are_kept(qtbot, reviewed):
    """Another reviewer's entry on a gold span was not seen (spans were compared without
    it), and this reviewer's next choice wrote it away; an annotator's late change to a
    claim's source did not reach the review either."""
    from annotator.core.relations import SpanRelation
    from annotator.storage.links import set_span_link

    store, other = Store(reviewed), Store(reviewed)
    article_id = store.article_ids()[0]
    nusra, said = at("The Nusra Front", "FACTION"), at("it held Saraqib", "CLAIM")
    with_claim = [*WORK["ana"], nusra, said]
    store.replace_annotations(article_id, "ana", with_claim)  # no source yet
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.take_annotator(0)  # Idlib: ana's LOCATION; gold saved
    hezbollah = next(s for s in other.spans(article_id, GOLD) if s.label == "FACTION")
    set_span_link(other, hezbollah.id, "annotator:hezbollah")  # the other reviewer's choice
    qtbot.waitUntil(
        lambda: any(s.kb_id == "annotator:hezbollah" for s in window.gold), timeout=3000
    )
    window.take_annotator(0)  # the next disagreement, here
    assert any(s.kb_id == "annotator:hezbollah" for s in other.spans(article_id, GOLD))

    assert not window.review.claim_versions["ana"].relations
    other.replace_annotations(article_id, "ana", with_claim, [SpanRelation(said, nusra)])
    qtbot.waitUntil(lambda: bool(window.review.claim_versions["ana"].relations), timeout=3000)


def test_a_choice_gold_holds_already_says_so_instead_of_an_undo_step(qtbot, reviewed):
    """It made no undo step and said nothing: the next Ctrl+Z undid an earlier choice."""
    store = Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1)  # Idlib: ana's version, written
    assert window.undo_stack.count() == 1 and window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_P)  # back to Idlib
    assert window.current == 0
    qtbot.keyClick(window, Qt.Key.Key_3)  # cem's, the same as ana's
    assert window.undo_stack.count() == 1 and window.current == 1
    assert window.statusBar().currentMessage() == (
        "Gold holds cem's version already: nothing changed"
    )
    window.close()
    store.close()


def test_the_lane_the_keys_go_to_has_its_heading_marked(qtbot, reviewed):
    """A keyboard reviewer could not tell which lane had the focus: one blinking pixel."""
    from annotator.ui.review_lanes import FOCUSED_HEADING

    store = Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    lanes = window.lanes
    lanes.gold_view.setFocus()
    qtbot.waitUntil(lambda: lanes.gold_name.styleSheet() == FOCUSED_HEADING, timeout=2000)
    assert [name.styleSheet() for name in lanes.lane_names] == ["", "", ""]
    lanes.lane_views[1].setFocus()
    qtbot.waitUntil(lambda: lanes.lane_names[1].styleSheet() == FOCUSED_HEADING, timeout=2000)
    assert lanes.gold_name.styleSheet() == ""
    window.close()
    store.close()


def test_the_review_shows_what_annotators_said_of_the_article(qtbot, reviewed):
    """A skip and its reason, a comment: the review showed none of them (only stats)."""
    with Store(reviewed) as store:
        (article_id,) = store.article_ids()
        store.set_status(article_id, "dee", "skipped", comment="not conflict news? <b>")
        store.set_status(article_id, "ben", "done", comment="Idlib: town or province?")
    store = Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.notes_label.isVisible()
    assert window.notes_label.text() == (
        "ben (done): \u201cIdlib: town or province?\u201d · "
        "dee skipped it: \u201cnot conflict news? <b>\u201d"
    )
    # a long comment in a few words on one line, whole in the tooltip: one of 1,650
    # characters took 19 lines, and the lanes shrank to a line each
    long = "Idlib or the province?\n" + "The town is meant, I think. " * 60
    with Store(reviewed) as other:
        other.set_status(window.review.article.id, "ben", "done", comment=long)
    window.open_article(window.review.article.id)
    shown = window.notes_label.text()
    assert "\n" not in shown and len(shown) < 200 and "…" in shown
    tip = window.notes_label.toolTip()
    assert "The town is meant, I think. The town" in tip and len(tip) < 700  # (400 each)
    # A word longer than the screen is wide may break in the tooltip (600 x's made it
    # wider than the screen, and a comment after it was off screen).
    with Store(reviewed) as other:
        other.set_status(window.review.article.id, "ben", "done", comment="x" * 600)
    window.open_article(window.review.article.id)
    assert "x" * 60 + "\u200bx" in window.notes_label.toolTip()
    # A comment changed alone, in another window: shown within the poll (it stayed stale
    # until some span changed).
    with Store(reviewed) as other:
        other.set_status(window.review.article.id, "ben", "done", comment="Idlib the city.")
    qtbot.waitUntil(lambda: "Idlib the city." in window.notes_label.text(), timeout=3000)
    # A direction override in a comment is closed where the comment ends: it turned the
    # rest of the line round, the other annotators' notes too.
    with Store(reviewed) as other:
        other.set_status(window.review.article.id, "ben", "done", comment="per SANA\u202e news")
    qtbot.waitUntil(lambda: "\u2068per SANA\u202e news\u2069" in window.notes_label.text())
    window.close()
    store.close()


def test_the_disagreement_list_shows_each_version_before_the_words(qtbot, reviewed, monkeypatch):
    """The versions, the list's point, were off to the right behind a scroll bar in a
    1,500-pixel window, after the disagreement's words."""
    store = Store(reviewed)
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    window.resize(1500, 900)
    show_active(qtbot, window)
    table = window.disagreement_list
    header = table.horizontalHeader()
    assert header.visualIndex(2) == header.count() - 1  # the words, last
    shown = table.viewport().width()
    for column in (3, 4, 5):  # ana's, ben's and cem's versions, whole
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= shown
    # a long version is cut to its column, whole in its tooltip, not widening it
    from annotator.ui import review_models

    long = "\u2190 FACTION 'Syrian Democratic Forces and their allied militias'"
    monkeypatch.setattr(review_models, "version_text", lambda *args: long)
    window.show_review(window.review)
    assert all(table.columnWidth(column) <= 150 for column in (3, 4, 5))
    # cut in the middle, so both ends show ('LOCATION 'ال…' was all of an Arabic name)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert window.disagreement_model.data(
        window.disagreement_model.index(0, 3), Qt.ItemDataRole.ToolTipRole
    ).endswith("Syrian Democratic Forces and their allied militias&#x27;</p>")
    window.close()
    store.close()


def test_a_versions_tooltip_holds_its_whole_words(qtbot, tmp_path):
    """Two versions cut alike at 24 characters ("The Syrian Democratic F…") read the
    same in their cells and in the tooltips that were to show them whole."""
    text = "The Syrian Democratic Forces and their allied militias took Raqqa."
    short, long = (
        "The Syrian Democratic Forces",
        "The Syrian Democratic Forces and their allied militias",
    )
    store = Store(tmp_path / "b.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    for name, words in (("ana", short), ("ben", long)):
        store.add_span(article_id, name, Span(0, len(words), "FACTION"))
        store.set_status(article_id, name, "done")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    model = window.disagreement_model
    tips = [model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole) for column in (3, 4)]
    assert short in tips[0] and long in tips[1]
    assert long in model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    window.close()
    store.close()
