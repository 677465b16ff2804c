"""The span list's Origin of a suggestion whose claim links the annotator changed: it read
"suggested" while the usage figures counted it edited (``storage/usage.py``)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import Span
from annotator.core.claim_changes import changed_by_claims
from annotator.core.relations import AttributeType, ClaimWork, SpanAttribute, SpanRelation
from annotator.storage.usage import suggestion_usage
from tests.ui.claims.conftest import (
    ACTIVISTS,
    CTRL,
    DIED,
    HTS,
    KILLED,
    SHELLED,
    SHIFT,
    press,
    select,
    span_of,
)
from tests.ui.conftest import select_text


def origin(window, value) -> str:
    model = window.span_model
    return model.data(model.index(model.row_of(span_of(window, value).id), model.ORIGIN))


def test_a_claim_given_another_value_reads_corrected_and_undo_makes_it_suggested(qtbot, window):
    assert origin(window, SHELLED) == "suggested"
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_H)  # the suggested hedge taken off
    assert origin(window, SHELLED) == "corrected"
    assert origin(window, ACTIVISTS) == "suggested"  # its source is as suggested
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert origin(window, SHELLED) == "suggested"
    press(qtbot, window, Qt.Key.Key_H)  # off, then on again by hand: as suggested
    press(qtbot, window, Qt.Key.Key_H)
    assert origin(window, SHELLED) == "suggested"


def test_a_claim_given_a_source_reads_corrected_with_the_source(qtbot, window):
    select(window, KILLED)
    press(qtbot, window, Qt.Key.Key_R)
    window._span_clicked(HTS.start + 2)  # noqa: SLF001 - a click on the FACTION span
    assert (origin(window, KILLED), origin(window, HTS)) == ("corrected", "corrected")
    assert origin(window, DIED) == "suggested"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert (origin(window, KILLED), origin(window, HTS)) == ("suggested", "suggested")


def test_a_source_taken_off_makes_both_ends_corrected(qtbot, window):
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R, SHIFT)
    assert (origin(window, SHELLED), origin(window, ACTIVISTS)) == ("corrected", "corrected")


def test_a_suggested_source_deleted_is_not_held_against_its_claim():
    """The deleted source is the change (counted as its suggestion's); the claim kept its
    values, as the usage figures count it."""
    claim, source = Span(0, 9, "CLAIM", "model", id=1), Span(10, 15, "SOURCE", "model", id=2)
    hedged = AttributeType("hedged", "CLAIM", "flag", ("no", "yes"), "no")
    suggested = ClaimWork((SpanRelation(claim, source),), (SpanAttribute(claim, "hedged", "yes"),))
    kept = ClaimWork((), (SpanAttribute(claim, "hedged", "yes"),))
    assert changed_by_claims([claim], kept, suggested, [hedged]) == set()
    made = Span(20, 25, "SOURCE", "human", id=3)  # a source made by hand instead
    moved = ClaimWork((SpanRelation(claim, made),), kept.attributes)
    assert changed_by_claims([claim, made], moved, suggested, [hedged]) == {1}
    default = ClaimWork((), (SpanAttribute(claim, "hedged", "no"),))  # stored as the default
    assert changed_by_claims([claim], default, ClaimWork(), [hedged]) == set()


def test_a_source_whose_edge_moved_is_the_suggestion_it_came_from():
    """Claim 2 given as a second source the span whose edge the annotator had moved
    ("Syrian Civil Defence rescue service" → "… rescue") read "suggested", while the usage
    figures counted it edited; its own source moved the same way leaves it as suggested."""
    claim = Span(0, 9, "CLAIM", "model", id=1)
    first = Span(10, 20, "SOURCE", "model", id=2)
    other = Span(30, 50, "SOURCE", "model", id=3)  # another claim's source, as suggested
    other_claim = Span(60, 70, "CLAIM", "model", id=4)
    suggested = ClaimWork((SpanRelation(claim, first), SpanRelation(other_claim, other)))
    moved = Span(30, 45, "SOURCE", "edited", id=5)  # `other`, one edge moved
    spans = [claim, first, moved, other_claim]
    given = ClaimWork(
        (SpanRelation(claim, first), SpanRelation(claim, moved), SpanRelation(other_claim, moved))
    )
    assert changed_by_claims(spans, given, suggested, []) == {1}
    kept = ClaimWork((SpanRelation(claim, first), SpanRelation(other_claim, moved)))
    assert changed_by_claims(spans, kept, suggested, []) == set()


def test_a_source_relabelled_is_the_suggestion_it_came_from():
    """ "Footage", source of claim 3, relabelled FACTION: the claim read "corrected" while the
    usage figures (which pair an edit across labels) counted it accepted."""
    claim = Span(0, 9, "CLAIM", "model", id=1)
    source = Span(10, 17, "SOURCE", "model", id=2)
    suggested = ClaimWork((SpanRelation(claim, source),))
    relabelled = Span(10, 17, "FACTION", "edited", id=3)
    kept = ClaimWork((SpanRelation(claim, relabelled),))
    assert changed_by_claims([claim, relabelled], kept, suggested, []) == set()


def usage(window, label: str) -> dict[str, int]:
    """What the usage figures count of ``label`` once the article is done."""
    assert window.set_status("done")
    counted = suggestion_usage(window.store)["test-model-1"]["ana"][label]
    window.action_undo.trigger()  # (not done again)
    return {kind: counted[kind] for kind in ("accepted", "edited", "added")}


def test_a_source_deleted_and_made_again_reads_as_the_usage_figures_count_it(qtbot, window):
    """ "rescue group", claim 2's suggested source, deleted, then made again from its
    claim (R, its words, Enter) read "added", while the usage figures counted it accepted:
    a suggestion deleted and made again."""
    select(window, ACTIVISTS)
    press(qtbot, window, Qt.Key.Key_Delete)
    select(window, SHELLED)
    press(qtbot, window, Qt.Key.Key_R)
    select_text(window.view, ACTIVISTS.start, ACTIVISTS.end)
    press(qtbot, window, Qt.Key.Key_Return)
    assert span_of(window, ACTIVISTS).origin == "human"
    qtbot.waitUntil(lambda: origin(window, ACTIVISTS) is not None)  # listed
    assert (origin(window, ACTIVISTS), origin(window, SHELLED)) == ("suggested", "suggested")
    assert usage(window, "SOURCE") == {"accepted": 1, "edited": 0, "added": 0}
    select(window, KILLED)  # made the source of another claim too: corrected, as counted
    press(qtbot, window, Qt.Key.Key_R)
    window._span_clicked(ACTIVISTS.start + 2)  # noqa: SLF001 - a click on the SOURCE span
    assert origin(window, ACTIVISTS) == "corrected"
    assert usage(window, "SOURCE") == {"accepted": 0, "edited": 1, "added": 0}


def test_a_span_made_by_hand_where_nothing_was_suggested_reads_added(qtbot, window):
    select_text(window.view, 0, len("ALEPPO"))
    press(qtbot, window, Qt.Key.Key_1)  # LOCATION
    made = Span(0, len("ALEPPO"), "LOCATION")
    qtbot.waitUntil(lambda: origin(window, made) is not None)  # listed
    assert origin(window, made) == "added"
    assert usage(window, "LOCATION") == {"accepted": 1, "edited": 0, "added": 1}


def test_a_row_painted_as_the_window_lets_go_of_its_article_reads_its_origin(qtbot, window):
    """The span list asked the window's article for its suggestions' links while a row was
    painted after the window had let go of it (a rename elsewhere reloading): the
    AssertionError came out of the model's data()."""
    model = window.span_model
    row = model.row_of(span_of(window, SHELLED).id)
    window.claims._compared = None  # nothing compared yet, as after a reload
    window.claims.fill_span_list()  # the rows' origins not asked yet
    current, window.current = window.current, None
    try:
        assert model.data(model.index(row, model.ORIGIN)) == "suggested"
    finally:
        window.current = current
