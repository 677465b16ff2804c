"""review/adjudication.py: the gold pre-fill, the three choices, and gold in the store."""

import pytest

from annotator.core.model import DEFAULT_LABELS, GOLD, Article, Span
from annotator.core.spans import entity_conflicts
from annotator.review.adjudication import (
    EntityConflict,
    agreed_spans,
    can_take_all,
    choice_in_gold,
    compared_annotators,
    open_review,
    review_status,
    save_gold,
    set_review_status,
    take_all,
    take_none,
    take_version,
)
from annotator.review.disagreements import find_disagreements

KINDS = {label.name: label.kind for label in DEFAULT_LABELS}
LOC, FAC, CLAIM = "LOCATION", "FACTION", "CLAIM"
TEXT = "Government forces shelled Idlib and Saraqib, activists in Aleppo said on Monday."

VERSIONS = {
    "ana": [Span(0, 17, FAC), Span(26, 31, LOC), Span(36, 43, LOC), Span(0, 43, CLAIM)],
    "ben": [Span(0, 17, FAC), Span(26, 31, FAC), Span(36, 43, LOC), Span(11, 43, CLAIM)],
    "cem": [Span(11, 17, FAC), Span(26, 31, LOC), Span(58, 64, LOC), Span(0, 43, CLAIM)],
}


def _disagreements():
    return find_disagreements(VERSIONS, KINDS)


def test_agreed_spans_are_exactly_those_everyone_has_sorted():
    assert agreed_spans({"ana": VERSIONS["ana"], "cem": VERSIONS["cem"]}) == [
        Span(0, 43, CLAIM),
        Span(26, 31, LOC),
    ]
    assert agreed_spans({"ana": VERSIONS["ana"], "ben": VERSIONS["ben"]}) == [
        Span(0, 17, FAC),
        Span(36, 43, LOC),
    ]
    # Every span above is disputed by one of the three.
    assert agreed_spans(VERSIONS) == []


def test_agreed_spans_of_one_annotator_are_all_theirs_and_of_nobody_none():
    assert agreed_spans({"ana": VERSIONS["ana"]}) == [
        Span(0, 17, FAC),
        Span(0, 43, CLAIM),
        Span(26, 31, LOC),
        Span(36, 43, LOC),
    ]
    assert agreed_spans({}) == []


def test_gold_copies_carry_no_annotator_row_id():
    (span,) = agreed_spans({"ana": [Span(1, 4, LOC, id=7)], "ben": [Span(1, 4, LOC, id=9)]})
    assert span.id is None


def test_disagreements_of_the_example():
    assert [(d.layer, d.start, d.end, d.kind) for d in _disagreements()] == [
        ("entity", 0, 17, "boundary"),
        ("claim", 0, 43, "boundary"),
        ("entity", 26, 31, "label"),
        ("entity", 36, 43, "missing"),
        ("entity", 58, 64, "missing"),
    ]


def test_taking_a_version_replaces_only_that_cluster():
    government, _, idlib, _, _ = _disagreements()
    gold = [Span(0, 17, FAC), Span(36, 43, LOC)]
    gold = take_version(gold, idlib, "ben", KINDS, TEXT)
    assert gold == [Span(0, 17, FAC), Span(26, 31, FAC), Span(36, 43, LOC)]
    gold = take_version(gold, idlib, "ana", KINDS, TEXT)
    assert gold == [Span(0, 17, FAC), Span(26, 31, LOC), Span(36, 43, LOC)]
    gold = take_version(gold, government, "cem", KINDS, TEXT)
    assert gold[0] == Span(11, 17, FAC) and len(gold) == 3


def test_taking_none_keeps_what_everyone_shares_in_the_cluster():
    nested = {
        "ana": [Span(0, 43, CLAIM), Span(26, 43, CLAIM)],
        "ben": [Span(0, 43, CLAIM)],
    }
    (d,) = find_disagreements(nested, KINDS)
    gold = take_version([], d, "ana", KINDS, TEXT)
    assert gold == [Span(0, 43, CLAIM), Span(26, 43, CLAIM)]
    assert take_none(gold, d, KINDS) == [Span(0, 43, CLAIM)]


def test_taking_all_keeps_every_claim_variant():
    _, claim, *_ = _disagreements()
    gold = take_all([Span(26, 31, LOC)], claim, KINDS, TEXT)
    assert gold == [Span(0, 43, CLAIM), Span(11, 43, CLAIM), Span(26, 31, LOC)]


def test_taking_all_on_conflicting_entities_is_refused():
    government, _, idlib, _, aleppo = _disagreements()
    assert not can_take_all(idlib) and not can_take_all(government)
    # The words, not "characters 26-31"
    with pytest.raises(
        EntityConflict, match="FACTION and LOCATION spans may not overlap one another: 'Idlib'"
    ):
        take_all([], idlib, KINDS, TEXT)
    # A boundary disagreement names its one label (not "LOCATION and FACTION").
    with pytest.raises(EntityConflict, match="overlap, and FACTION spans may not"):
        take_all([], government, KINDS, TEXT)
    # One annotator's extra entity that nobody contradicts can be taken with "all".
    assert can_take_all(aleppo)
    assert take_all([], aleppo, KINDS, TEXT) == [Span(58, 64, LOC)]


def test_no_choice_leaves_overlapping_entities_in_gold():
    gold: list[Span] = []
    for d in _disagreements():
        for choice in ("ana", "ben", "cem", "all", "none"):
            if choice == "all":
                if not can_take_all(d):
                    continue
                gold = take_all(gold, d, KINDS, TEXT)
            elif choice == "none":
                gold = take_none(gold, d, KINDS)
            else:
                gold = take_version(gold, d, choice, KINDS, TEXT)
            assert all(not entity_conflicts(s, gold, KINDS) for s in gold)


def test_taking_an_unknown_annotator_is_an_error():
    with pytest.raises(KeyError):
        take_version([], _disagreements()[0], "dan", KINDS, TEXT)


def _article_with_versions(store, done=("ana", "ben", "cem")):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    for name, spans in VERSIONS.items():
        store.replace_spans(article_id, name, spans)
        store.set_status(article_id, name, "done" if name in done else "in_progress")
    return article_id


def test_open_review_pre_fills_gold_until_it_is_saved(store):
    article_id = _article_with_versions(store, done=("ana", "ben"))
    review = open_review(store, article_id)
    assert review.annotators == ["ana", "ben"]
    assert not review.gold_saved and review.status == "todo"
    assert review.gold == [Span(0, 17, FAC), Span(36, 43, LOC)]
    assert [(d.layer, d.kind) for d in review.disagreements] == [
        ("claim", "boundary"),
        ("entity", "label"),
    ]
    gold = take_version(
        review.gold, review.disagreements[0], "ana", review.kinds, review.article.text
    )
    assert gold == [Span(0, 17, FAC), Span(0, 43, CLAIM), Span(36, 43, LOC)]
    save_gold(store, article_id, gold)
    again = open_review(store, article_id)
    assert again.gold_saved and again.status == "in_progress"
    assert again.gold == gold and store.spans(article_id, GOLD) == gold


def test_a_pre_fill_holds_no_two_overlapping_entities(store):
    """One annotator's imported LOCATION inside another LOCATION, and a claim over both:
    gold started with both places (its lane showed one box); the longest stays."""
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    spans = [Span(36, 43, LOC), Span(30, 43, LOC), Span(0, 43, CLAIM)]
    store.replace_spans(article_id, "ana", spans)
    store.set_status(article_id, "ana", "done")
    assert open_review(store, article_id).gold == [Span(0, 43, CLAIM), Span(30, 43, LOC)]


def test_a_saved_empty_gold_is_not_pre_filled_again(store):
    article_id = _article_with_versions(store)
    save_gold(store, article_id, [])
    assert open_review(store, article_id).gold == []


def test_review_status_is_the_status_of_gold(store):
    article_id = _article_with_versions(store)
    assert review_status(store, article_id) == "todo"
    save_gold(store, article_id, [Span(26, 31, LOC)], status="done")
    assert review_status(store, article_id) == "done"
    save_gold(store, article_id, [Span(26, 31, FAC)])  # a later edit keeps "done"
    assert review_status(store, article_id) == "done"
    set_review_status(store, article_id, "flagged")
    assert store.status(article_id, GOLD).status == "flagged"
    # The reviewer is not an annotator.
    assert GOLD not in store.annotators()


def test_saving_gold_is_recorded_as_an_event(store):
    article_id = _article_with_versions(store)
    save_gold(store, article_id, [Span(26, 31, LOC)])
    actions = [e["action"] for e in store.events(article_id, GOLD)]
    assert actions == ["adjudicate", "status"]


def test_unfinished_articles_compare_everyone_who_worked_on_them(store):
    article_id = _article_with_versions(store, done=())
    assert compared_annotators(store, article_id) == ["ana", "ben", "cem"]
    # One finished: that one's work (as the review list counts it), not a second's
    # unfinished work beside it.
    store.set_status(article_id, "ana", "done")
    assert compared_annotators(store, article_id) == ["ana"]
    store.set_status(article_id, "ben", "done")
    assert compared_annotators(store, article_id) == ["ana", "ben"]


def test_next_disagreement_steps_in_text_order(store):
    article_id = _article_with_versions(store)
    review = open_review(store, article_id)
    assert review.next_disagreement(0) == 0
    assert review.next_disagreement(1) == 2  # Idlib, at 26
    assert review.next_disagreement(len(TEXT)) is None


def test_choice_in_gold_names_the_version_gold_holds():
    government, claim, idlib, saraqib, _ = _disagreements()
    gold = take_version([], idlib, "ben", KINDS, TEXT)
    assert choice_in_gold(gold, idlib, KINDS) == "ben"
    assert choice_in_gold(take_version(gold, idlib, "cem", KINDS, TEXT), idlib, KINDS) == "ana"
    assert choice_in_gold(take_all([], claim, KINDS, TEXT), claim, KINDS) == "all"
    assert choice_in_gold([], saraqib, KINDS) == "cem"  # cem missed it: nothing is cem's
    assert choice_in_gold([Span(0, 12, FAC)], government, KINDS) is None  # edited by hand


def test_gold_keeps_the_verdict_of_a_span_with_no_entry(store):
    """ "? not in the gazetteer" or "ambiguous" taken into gold showed "–" there, as a span
    nobody looked at (gold kept entries only)."""
    from dataclasses import replace

    article_id = _article_with_versions(store)
    spans = store.spans(article_id, "ana")
    marked = [replace(spans[0], kb_id="", link_status="unknown"), *spans[1:]]
    stored = save_gold(store, article_id, marked)
    save_gold(store, article_id, stored)  # the next edit saves gold as the first returned it
    gold = {s.key: s for s in store.spans(article_id, GOLD)}
    assert gold[spans[0].key].link_status == "unknown"
    # The pre-fill carries the verdict all versions give a span with no entry.
    from annotator.review.adjudication import agreed_spans

    (prefill,) = [s for s in agreed_spans({"ana": marked}) if s.key == spans[0].key]
    assert prefill.link_status == "unknown"
    other = [replace(s, link_status="ambiguous") if s.key == spans[0].key else s for s in marked]
    (prefill,) = [s for s in agreed_spans({"a": marked, "b": other}) if s.key == spans[0].key]
    assert prefill.link_status == ""  # they differ: no verdict


def test_a_version_whose_entities_overlap_is_refused_with_their_words():
    """An imported version with "Idlib" inside "Idlib province" went into gold whole."""
    text = "Shelling in Idlib province."
    versions = {
        "ana": [Span(12, 26, LOC)],
        "ben": [Span(12, 17, LOC), Span(12, 26, LOC)],
    }
    (d,) = find_disagreements(versions, KINDS)
    with pytest.raises(EntityConflict, match="ben's version has LOCATION 'Idlib' and LOCATION"):
        take_version([], d, "ben", KINDS, text)
    assert take_version([], d, "ana", KINDS, text) == [Span(12, 26, LOC)]
