"""review/disagreements.py: clusters, their classes, and the list of articles to review."""

import random
import time

import pytest

from annotator.core.model import DEFAULT_LABELS, GOLD, Article, Span
from annotator.review.disagreements import (
    BOUNDARY,
    CHANGED,
    KINDS,
    LABEL,
    MISSING,
    SPAN_KINDS,
    classify,
    find_disagreements,
    rank_articles,
)
from tests.review.annotators_from_gum import make_scenario

KINDS_OF = {label.name: label.kind for label in DEFAULT_LABELS}
LOC, FAC, CLAIM = "LOCATION", "FACTION", "CLAIM"


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ([Span(0, 6, LOC)], [Span(0, 6, LOC)], None),
        ([Span(0, 6, LOC)], [], MISSING),
        ([Span(0, 6, LOC)], [Span(0, 6, FAC)], LABEL),
        ([Span(0, 6, LOC)], [Span(0, 10, LOC)], BOUNDARY),
        # "Washington D.C." against "Washington" and "D.C.": a boundary, nothing missing.
        ([Span(0, 15, LOC)], [Span(0, 10, LOC), Span(11, 15, LOC)], BOUNDARY),
        # Another label and another extent: the label is what is in dispute.
        ([Span(0, 6, LOC)], [Span(0, 20, FAC)], LABEL),
        # A nested claim one side lacks is missing, though the outer claim overlaps it.
        ([Span(0, 50, CLAIM), Span(10, 20, CLAIM)], [Span(0, 50, CLAIM)], MISSING),
    ],
)
def test_each_class_of_disagreement(a, b, kind):
    assert classify([a, b]) == kind
    assert classify([b, a]) == kind


def test_a_cluster_takes_the_first_class_in_decision_order():
    assert SPAN_KINDS == (MISSING, LABEL, BOUNDARY)
    assert KINDS == (MISSING, LABEL, BOUNDARY, "source", "attribute", "link")  # the columns
    # ana and ben differ in extent, cem has nothing: missing comes first.
    versions = [[Span(0, 6, LOC)], [Span(0, 10, LOC)], []]
    assert classify(versions) == MISSING
    assert classify([[Span(0, 6, LOC)], [Span(0, 10, LOC)], [Span(0, 6, FAC)]]) == LABEL


def test_disagreements_are_clusters_of_overlap_in_text_order():
    spans = {
        "ana": [Span(0, 6, LOC), Span(20, 30, FAC), Span(40, 50, LOC), Span(0, 60, CLAIM)],
        "ben": [Span(0, 6, LOC), Span(20, 28, FAC), Span(27, 35, LOC), Span(0, 60, CLAIM)],
        "cem": [Span(0, 6, LOC), Span(20, 30, FAC), Span(40, 50, FAC), Span(0, 60, CLAIM)],
    }
    found = find_disagreements(spans, KINDS_OF)
    assert [(d.layer, d.start, d.end, d.kind) for d in found] == [
        # ben's LOCATION 27-35 overlaps the others' FACTION 20-30: a dispute about the label.
        ("entity", 20, 35, LABEL),
        ("entity", 40, 50, MISSING),  # ben has nothing there
    ]
    cluster = found[0]
    assert cluster.versions == {
        "ana": (Span(20, 30, FAC),),
        "ben": (Span(20, 28, FAC), Span(27, 35, LOC)),
        "cem": (Span(20, 30, FAC),),
    }
    assert cluster.spans() == [Span(20, 28, FAC), Span(20, 30, FAC), Span(27, 35, LOC)]
    assert cluster.agreed() == []


def test_claims_and_entities_are_separate_layers():
    spans = {
        "ana": [Span(0, 6, LOC), Span(0, 30, CLAIM)],
        "ben": [Span(0, 6, LOC), Span(0, 25, CLAIM)],
    }
    (only,) = find_disagreements(spans, KINDS_OF)
    assert (only.layer, only.kind) == ("claim", BOUNDARY)


def test_one_annotator_cannot_disagree():
    assert find_disagreements({"ana": [Span(0, 5, LOC)]}, KINDS_OF) == []


def test_an_annotator_with_nothing_in_a_cluster_has_an_empty_version():
    (d,) = find_disagreements({"ana": [Span(3, 9, CLAIM)], "ben": []}, KINDS_OF)
    assert d.versions == {"ana": (Span(3, 9, CLAIM),), "ben": ()}
    assert d.kind == MISSING


def _scenario_store(store):
    scenario = make_scenario(limit=8, seed=2)
    ids = store.add_articles(scenario.articles).ids
    for name, version in scenario.annotators.items():
        for article, article_id in zip(scenario.articles, ids, strict=True):
            store.replace_spans(article_id, name, version.spans[article.text_hash])
            store.set_status(article_id, name, "done")
    return scenario, ids


def test_ranked_counts_are_those_of_the_review_screen(store):
    _, ids = _scenario_store(store)
    store.set_status(ids[2], "cem", "in_progress")  # compared: ana and ben only
    ranked = rank_articles(store)
    assert sorted(row.article_id for row in ranked) == ids
    kinds = store.label_kinds()
    for row in ranked:
        names = row.annotators
        found = find_disagreements({n: store.spans(row.article_id, n) for n in names}, kinds)
        assert row.counts == {kind: sum(d.kind == kind for d in found) for kind in KINDS}
    assert next(r for r in ranked if r.article_id == ids[2]).annotators == ("ana", "ben")


def test_articles_with_most_disagreement_come_first(store):
    _scenario_store(store)
    totals = [row.total for row in rank_articles(store)]
    assert totals == sorted(totals, reverse=True) and totals[0] > 0


def test_ranking_shows_titles_and_review_status(store):
    scenario, ids = _scenario_store(store)
    store.set_status(ids[0], GOLD, "done")
    rows = {row.article_id: row for row in rank_articles(store)}
    assert rows[ids[0]].review_status == "done" and rows[ids[1]].review_status == "todo"
    assert rows[ids[0]].title == scenario.articles[0].title


def test_an_article_an_annotator_changed_after_review_is_to_be_looked_at_again(store):
    """It stayed "reviewed", and `export --gold` wrote the gold of before the change."""
    _, ids = _scenario_store(store)
    store.set_status(ids[0], GOLD, "done")
    store.set_status(ids[1], GOLD, "done")
    time.sleep(0.005)  # the stamps count milliseconds
    store.add_span(ids[0], "ana", Span(0, 1, LOC, origin="human"))  # a late correction
    assert store.changed_since_review() == {ids[0]}
    rows = {row.article_id: row for row in rank_articles(store)}
    assert rows[ids[0]].review_status == CHANGED and rows[ids[1]].review_status == "done"
    time.sleep(0.005)
    store.set_status(ids[0], GOLD, "done")  # reviewed again
    assert store.changed_since_review() == set()
    store.set_status(ids[1], "cem", "in_progress")  # no longer finished: not compared
    assert store.changed_since_review() == set()
    time.sleep(0.005)
    key = store.review_list_key()
    store.set_status(ids[0], "ana", "flagged", "the second Tripoli is no place")
    assert store.changed_since_review() == {ids[0]}  # a flag after review is news too
    assert store.review_list_key() != key  # and the review list looks again


def test_agreeing_articles_are_listed_last_with_zero_counts(store):
    ids = store.add_articles([Article("Rebels took Aleppo."), Article("Calm in Homs.")]).ids
    for name in ("ana", "ben"):
        store.replace_spans(ids[0], name, [Span(12, 18, LOC)])
        store.set_status(ids[0], name, "done")
        store.set_status(ids[1], name, "done")
    store.replace_spans(ids[1], "ana", [Span(8, 12, LOC)])
    ranked = rank_articles(store)
    assert [(r.article_id, r.counts[MISSING], r.total) for r in ranked] == [
        (ids[1], 1, 1),
        (ids[0], 0, 0),
    ]


def _random_versions(rng: random.Random, names: tuple[str, ...]) -> dict[str, set[Span]]:
    """Perturbed copies of random spans: clusters chain, nest, split, shift and swap."""
    base = set()
    for _ in range(rng.randint(0, 10)):
        start = rng.randrange(0, 270)
        base.add(Span(start, start + rng.randint(1, 25), rng.choice([LOC, FAC, CLAIM])))
    versions = {}
    for name in names:
        spans = set()
        for span in sorted(base, key=lambda s: s.key):
            roll = rng.random()
            if roll < 0.1:
                continue
            if roll < 0.25:
                end = max(span.start + 1, span.end + rng.choice((-1, 2)))
                span = Span(span.start, end, span.label)
            elif roll < 0.35:
                span = Span(span.start, span.end, rng.choice([LOC, FAC, CLAIM]))
            spans.add(span)
        if rng.random() < 0.3:
            start = rng.randrange(0, 270)
            spans.add(Span(start, start + rng.randint(1, 25), rng.choice([LOC, FAC, CLAIM])))
        versions[name] = spans
    return versions


def test_ranked_counts_match_the_review_screen_on_random_tangles(store):
    rng = random.Random(5)
    ids = store.add_articles(Article(f"{i} " + "word " * 60) for i in range(60)).ids
    for article_id in ids:
        for name, spans in _random_versions(rng, ("ana", "ben", "cem")).items():
            store.replace_spans(article_id, name, spans)
            if rng.random() < 0.85:
                store.set_status(article_id, name, "done")
    kinds = store.label_kinds()
    ranked = rank_articles(store)
    for row in ranked:
        versions = {n: store.spans(row.article_id, n) for n in row.annotators}
        found = find_disagreements(versions, kinds)
        assert row.counts == {kind: sum(d.kind == kind for d in found) for kind in KINDS}
    assert all(sum(row.counts[kind] for row in ranked) > 10 for kind in SPAN_KINDS)
