"""The array counts of all articles at once agree with the one-article Python path: the
disagreement list with the review screen, agreement with a plain reference computation."""

import math
import random

import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.model import Article, Span
from annotator.core.relations import DEFAULT_ATTRIBUTE_TYPES, SpanAttribute, SpanRelation
from annotator.review.adjudication import open_review
from annotator.review.agreement import agreement_report
from annotator.review.disagreements import rank_articles

NAMES = ("ana", "ben", "cem")
TEXT = " ".join(f"w{i:02d}" for i in range(60))  # 239 characters, words of three letters
CLAIMS = [(0, 19), (24, 47), (52, 75), (80, 103)]
SOURCES = [(120, 127), (132, 139), (144, 151), (156, 163), (168, 175)]


def _shift(extent: tuple[int, int], rng: random.Random) -> tuple[int, int]:
    """The same words, or one word more at the end (another extent, still overlapping)."""
    start, end = extent
    return (start, end + 4) if rng.random() < 0.15 else (start, end)


def _random_project(store, seed: int) -> list[int]:
    rng = random.Random(seed)
    ids = store.add_articles(Article(TEXT + " " * i) for i in range(15)).ids
    for article_id in ids:
        for name in NAMES:
            claims = [
                Span(*_shift(extent, rng), "CLAIM") for extent in CLAIMS if rng.random() < 0.85
            ]
            sources = [
                Span(*_shift(extent, rng), rng.choice(["FACTION", "SOURCE"]))
                for extent in SOURCES
                if rng.random() < 0.8
            ]
            relations = [
                SpanRelation(claim, rng.choice(sources))
                for claim in claims
                if sources and rng.random() < 0.8
            ]
            values = [
                SpanAttribute(claim, t.name, rng.choice(t.values))
                for claim in claims
                for t in DEFAULT_ATTRIBUTE_TYPES
                if rng.random() < 0.4
            ]
            store.replace_annotations(article_id, name, claims + sources, relations, values)
            if rng.random() < 0.85:
                store.set_status(article_id, name, "done")
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_review_list_counts_what_the_review_screen_shows(store, seed):
    _random_project(store, seed)
    ranked = rank_articles(store)
    totals = {"source": 0, "attribute": 0}
    for row in ranked:
        review = open_review(store, row.article_id, annotators=row.annotators)
        found = [d.kind for d in review.claim_disagreements]
        for kind in totals:
            assert row.counts[kind] == found.count(kind), (row.article_id, kind)
            totals[kind] += row.counts[kind]
    assert totals["source"] > 5 and totals["attribute"] > 5  # the test compares something


def _max_matching(a: list, b: list) -> int:
    """The largest one-to-one matching of relations whose claims and sources overlap."""

    def fits(x, y) -> bool:
        (hx, cx, lx), (hy, cy, ly) = x, y
        return lx == ly and hx[0] < hy[1] and hy[0] < hx[1] and cx[0] < cy[1] and cy[0] < cx[1]

    partner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, y in enumerate(b):
            if j not in seen and fits(a[i], y):
                seen.add(j)
                if j not in partner or augment(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(a)))


@pytest.mark.parametrize("seed", [1, 2])
def test_agreement_figures_match_a_reference_computation(store, seed):
    ids = _random_project(store, seed)
    report = agreement_report(store)
    for first, second in [("ana", "ben"), ("ana", "cem"), ("ben", "cem")]:
        size_a = size_b = exact = overlap = 0
        values = {t.name: ([], []) for t in DEFAULT_ATTRIBUTE_TYPES}
        for article_id in ids:
            statuses = [store.status(article_id, n).status for n in (first, second)]
            if statuses != ["done", "done"]:
                continue
            works = [store.claim_work(article_id, n) for n in (first, second)]
            triples = [
                {(r.head.key, r.child.key, r.label) for r in work.relations} for work in works
            ]
            size_a, size_b = size_a + len(triples[0]), size_b + len(triples[1])
            common = triples[0] & triples[1]
            exact += len(common)
            overlap += len(common) + _max_matching(
                sorted(triples[0] - common), sorted(triples[1] - common)
            )
            claims = [
                {s.key for s in store.spans(article_id, n) if s.label == "CLAIM"}
                for n in (first, second)
            ]
            for claim in sorted(claims[0] & claims[1]):
                for t in DEFAULT_ATTRIBUTE_TYPES:
                    for side, work in enumerate(works):
                        value = work.values(Span(*claim)).get(t.name, t.default)
                        values[t.name][side].append(value)
        pair = report.claims.pair(first, second)
        assert (pair.sources.a, pair.sources.b) == (size_a, size_b)
        assert (pair.sources.exact, pair.sources.overlap) == (exact, overlap)
        for name, (left, right) in values.items():
            figures = pair.attributes[name]
            assert figures.claims == len(left)
            reference = cohen_kappa_score(left, right)
            if math.isnan(reference):
                assert figures.kappa is None
            else:
                assert figures.kappa == pytest.approx(reference, abs=1e-9)
