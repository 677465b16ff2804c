"""review/work.py: what the agreement and the disagreement list load, in bulk."""

import numpy as np
import pytest

from annotator.core.model import GOLD, Article, Span
from annotator.review import work as work_module
from annotator.review.work import load_done_work

TEXTS = ["Rebels took Aleppo and Homs.", "Calm in Idlib.", "Nobody finished this one."]


@pytest.fixture
def project(store):
    ids = store.add_articles(Article(text) for text in TEXTS).ids
    spans = {
        "ana": {ids[0]: [Span(12, 18, "LOCATION"), Span(0, 6, "FACTION")], ids[1]: []},
        "ben": {ids[0]: [Span(12, 18, "LOCATION"), Span(23, 27, "WEAPON")], ids[1]: []},
        "cem": {ids[0]: [Span(0, 27, "CLAIM")], ids[2]: [Span(0, 6, "FACTION")]},
    }
    for name, by_article in spans.items():
        for article_id, article_spans in by_article.items():
            store.replace_spans(article_id, name, article_spans)
            store.set_status(article_id, name, "done")
    store.set_status(ids[0], "cem", "in_progress")
    store.replace_spans(ids[0], GOLD, [Span(12, 18, "LOCATION")])
    store.set_status(ids[0], GOLD, "done")
    return store, ids


def _rows(work):
    return [
        (
            int(work.article_ids[a]),
            work.annotators[n],
            s,
            e,
            work.labels[lab],
        )
        for a, n, s, e, lab in zip(
            work.span_article,
            work.span_annotator,
            work.span_start,
            work.span_end,
            work.span_label,
            strict=True,
        )
    ]


def test_only_done_work_on_articles_two_annotators_finished(project):
    store, ids = project
    work = load_done_work(store)
    assert work.annotators == ("ana", "ben")  # cem finished only an article nobody else did
    assert work.article_ids.tolist() == ids[:2]
    assert work.done.tolist() == [[True, True], [True, True]]
    assert _rows(work) == [
        (ids[0], "ana", 0, 6, "FACTION"),
        (ids[0], "ana", 12, 18, "LOCATION"),
        (ids[0], "ben", 12, 18, "LOCATION"),
        (ids[0], "ben", 23, 27, "WEAPON"),
    ]
    # A label outside the scheme is coded after the scheme's, and counts as an entity.
    assert work.labels == ("LOCATION", "FACTION", "CLAIM", "SOURCE", "WEAPON")
    assert work.label_codes("entity") == [0, 1, 3, 4]


def test_identical_spans_of_different_annotators_share_an_identity(project):
    work = load_done_work(project[0])
    assert work.span_identity().tolist() == [0, 1, 1, 2]


def test_a_span_stored_twice_counts_once_and_spans_outside_the_text_are_ignored(project):
    store, ids = project
    # A twin (a script's: the window never makes one).
    store.add_spans_in_bulk([(ids[0], "ana", 12, 18, "LOCATION", "manual")])
    store.add_span(ids[1], "ana", Span(10, 99, "LOCATION"))
    store.add_span(ids[1], "ben", Span(10, 20, "LOCATION"))  # Idlib's text has 14 characters
    assert len(load_done_work(store).span_start) == 4


def test_huge_offsets_take_the_unpacked_path_with_the_same_result(project, monkeypatch):
    store, ids = project
    store.add_span(ids[1], "ben", Span(10, 20, "LOCATION"))
    packed = load_done_work(store)
    monkeypatch.setattr(work_module, "_MAX_KEY", 10)
    unpacked = load_done_work(store)
    assert _rows(unpacked) == _rows(packed)
    assert unpacked.labels == packed.labels
    assert np.array_equal(unpacked.span_identity(), packed.span_identity())


def test_the_comparison_can_be_limited_to_some_annotators(project):
    store, ids = project
    store.set_status(ids[0], "cem", "done")
    assert load_done_work(store).annotators == ("ana", "ben", "cem")
    limited = load_done_work(store, annotators=["ana", "cem"])
    assert limited.annotators == ("ana", "cem") and limited.article_ids.tolist() == [ids[0]]


def test_spans_by_annotator_lists_everyone_who_finished_the_article(project):
    store, ids = project
    work = load_done_work(store)
    assert work.spans_by_annotator(1) == {"ana": [], "ben": []}
    assert work.spans_by_annotator(0)["ben"] == [Span(12, 18, "LOCATION"), Span(23, 27, "WEAPON")]
