"""review/metrics.py: kappa and alpha against the reference packages, span matching by hand."""

import itertools
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.model import Span
from annotator.review.metrics import (
    MISSING,
    SpanMatches,
    alpha_from_counts,
    cohen_kappa,
    krippendorff_alpha,
    match_spans,
    overlap_matches,
    value_counts,
)


def _skewed_labels(rng: np.random.Generator, n: int) -> np.ndarray:
    # Mostly O, as tokens are: kappa's chance correction matters most here.
    return rng.choice(3, size=n, p=[0.85, 0.1, 0.05])


def _noisy_copy(rng: np.random.Generator, labels: np.ndarray, rate: float) -> np.ndarray:
    other = labels.copy()
    flip = rng.random(len(labels)) < rate
    other[flip] = rng.choice(3, size=int(flip.sum()))
    return other


@pytest.mark.parametrize("seed", range(5))
def test_kappa_equals_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    a = _skewed_labels(rng, 5_000)
    b = _noisy_copy(rng, a, rate=0.1 + 0.05 * seed)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_kappa_is_none_when_both_use_one_label_throughout():
    assert cohen_kappa([0] * 10, [0] * 10) is None
    assert cohen_kappa([], []) is None


def test_kappa_is_one_for_identical_varied_labels_and_negative_for_opposites():
    assert cohen_kappa([0, 1, 2, 0], [0, 1, 2, 0]) == 1.0
    assert cohen_kappa([0, 1, 0, 1], [1, 0, 1, 0]) == -1.0


def _reliability(seed: int, annotators: int = 4, units: int = 3_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = _skewed_labels(rng, units)
    rows = [_noisy_copy(rng, truth, rate=0.05 + 0.05 * i) for i in range(annotators)]
    data = np.array(rows, dtype=np.int64)
    # Whole stretches missing, as when an annotator did not finish an article.
    for i in range(annotators):
        start = rng.integers(0, units - 500)
        data[i, start : start + rng.integers(100, 500)] = MISSING
    return data


@pytest.mark.parametrize("seed", range(5))
def test_alpha_with_missing_values_equals_the_krippendorff_package(seed):
    data = _reliability(seed)
    reference = krippendorff.alpha(
        reliability_data=np.where(data == MISSING, np.nan, data.astype(float)),
        level_of_measurement="nominal",
    )
    assert krippendorff_alpha(data) == pytest.approx(reference, abs=1e-9)


def test_alpha_from_repeated_rows_equals_alpha_from_every_unit():
    data = _reliability(7, annotators=3)
    counts = value_counts(data)
    rows, repeats = np.unique(counts, axis=0, return_counts=True)
    assert alpha_from_counts(rows, repeats) == pytest.approx(alpha_from_counts(counts), abs=1e-12)


def test_alpha_leaves_out_units_with_one_value():
    data = np.array([[0, 1, 1, 0, 2], [0, 1, 1, 1, MISSING], [MISSING, MISSING, 1, 0, MISSING]])
    reference = krippendorff.alpha(
        reliability_data=np.where(data == MISSING, np.nan, data.astype(float)),
        level_of_measurement="nominal",
    )
    assert krippendorff_alpha(data) == pytest.approx(reference, abs=1e-12)


def test_alpha_is_none_with_a_single_category_or_nothing_pairable():
    assert krippendorff_alpha([[0, 0, 0], [0, 0, MISSING]]) is None
    assert krippendorff_alpha([[0, 1, MISSING], [MISSING, MISSING, 2]]) is None


def test_exact_and_overlap_matches_by_label():
    a = [Span(0, 5, "LOCATION"), Span(10, 20, "FACTION"), Span(30, 40, "CLAIM")]
    b = [Span(0, 5, "LOCATION"), Span(12, 20, "FACTION"), Span(30, 40, "LOCATION")]
    matches = match_spans(a, b)
    assert matches["LOCATION"] == SpanMatches(a=1, b=2, exact=1, overlap=1)
    assert matches["FACTION"] == SpanMatches(a=1, b=1, exact=0, overlap=1)
    assert matches["CLAIM"] == SpanMatches(a=1, b=0, exact=0, overlap=0)
    total = sum(matches.values(), SpanMatches())
    assert total.f1_exact == pytest.approx(2 * 1 / 6)
    assert total.f1_partial == pytest.approx(2 * 2 / 6)


def test_one_long_span_overlapping_two_short_ones_matches_once():
    long = [Span(0, 20, "LOCATION")]
    short = [Span(0, 10, "LOCATION"), Span(11, 20, "LOCATION")]
    assert match_spans(long, short)["LOCATION"] == SpanMatches(1, 2, 0, 1)
    assert SpanMatches(1, 2, 0, 1).f1_partial == pytest.approx(2 / 3)


def test_f1_is_none_without_spans_on_either_side():
    assert SpanMatches().f1_exact is None and SpanMatches().f1_partial is None
    assert SpanMatches(a=3).f1_exact == 0.0


def test_duplicate_spans_count_once():
    assert match_spans([Span(0, 5, "CLAIM")] * 2, [Span(0, 5, "CLAIM")]) == {
        "CLAIM": SpanMatches(1, 1, 1, 1)
    }


def _maximum_matching(a: list[Span], b: list[Span]) -> int:
    """Brute force over assignments, for small cases."""
    for k in range(min(len(a), len(b)), 0, -1):
        for chosen in itertools.permutations(b, k):
            for subset in itertools.combinations(a, k):
                pairs = zip(subset, chosen, strict=True)
                if all(x.start < y.end and y.start < x.end for x, y in pairs):
                    return k
    return 0


def test_greedy_overlap_matching_is_maximum_on_random_nested_spans():
    rng = random.Random(3)
    for _ in range(300):

        def spans(n: int) -> list[Span]:
            result = []
            for _ in range(n):
                start = rng.randrange(30)
                result.append(Span(start, start + rng.randint(1, 12), "CLAIM"))
            return result

        a, b = spans(rng.randint(0, 4)), spans(rng.randint(0, 4))
        assert overlap_matches(a, b) == _maximum_matching(a, b), (a, b)
