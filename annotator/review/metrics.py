"""Agreement measures over plain data: Cohen's kappa, Krippendorff's alpha, span F1.

Small pure functions on integer arrays and span lists, so the agreement report, the review
screens and the tests all compute a figure the same way. A figure that is undefined for its
data (kappa when both annotators used one label for every token, F1 with no spans on either
side) is ``None``, never NaN: it reads as "no figure" in a table and as ``null`` in JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span

MISSING = -1
"""The value of an annotator who did not annotate a unit, in reliability data."""

IntArray = npt.NDArray[np.integer]


def confusion_matrix(a: npt.ArrayLike, b: npt.ArrayLike, categories: int) -> IntArray:
    """Counts of (a's category, b's category) over paired values coded ``0..categories-1``."""
    first = np.asarray(a, dtype=np.int64)
    second = np.asarray(b, dtype=np.int64)
    if first.shape != second.shape:
        raise ValueError(f"paired values differ in shape: {first.shape} and {second.shape}")
    counts = np.bincount(first * categories + second, minlength=categories * categories)
    return counts.reshape(categories, categories)


def kappa_from_confusion(matrix: npt.ArrayLike) -> float | None:
    """Cohen's kappa from a confusion matrix; ``None`` when chance agreement is total."""
    counts = np.asarray(matrix, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return None
    observed = int(np.trace(counts)) * total  # both terms scaled by total², kept integer
    expected = int(counts.sum(axis=1) @ counts.sum(axis=0))
    if expected == total * total:
        return None  # both used one and the same category throughout: kappa is 0/0
    return (observed - expected) / (total * total - expected)


def cohen_kappa(a: npt.ArrayLike, b: npt.ArrayLike) -> float | None:
    """Cohen's kappa between two annotators' categories (non-negative ints) for the same units."""
    first = np.asarray(a, dtype=np.int64)
    second = np.asarray(b, dtype=np.int64)
    if first.size == 0:
        return None
    categories = int(max(first.max(), second.max())) + 1
    return kappa_from_confusion(confusion_matrix(first, second, categories))


def value_counts(reliability: npt.ArrayLike) -> IntArray:
    """Per unit, how many annotators gave each category: ``(units, categories)``.

    ``reliability`` has one row per annotator and one column per unit, categories coded as
    non-negative ints and ``MISSING`` (any negative) where an annotator gave no value.
    """
    data = np.asarray(reliability)
    if not np.issubdtype(data.dtype, np.integer):
        data = data.astype(np.int64)
    if data.ndim != 2:
        raise ValueError("reliability data needs one row per annotator, one column per unit")
    categories = int(data.max(initial=-1)) + 1
    counts = np.zeros((data.shape[1], max(categories, 1)), dtype=np.int64)
    for category in range(categories):
        counts[:, category] = (data == category).sum(axis=0)
    return counts


def alpha_from_counts(counts: npt.ArrayLike, repeats: npt.ArrayLike | None = None) -> float | None:
    """Krippendorff's alpha (nominal) from per-unit value counts ``(units, categories)``.

    ``repeats`` says how many units each row stands for (default one each): units with the
    same counts can be passed once. Units with fewer than two values cannot be paired and are
    left out, as the coefficient defines. ``None`` when fewer than two values are pairable or
    all of them are one category.
    """
    table = np.asarray(counts, dtype=np.int64)
    weight = (
        np.ones(len(table), dtype=np.int64)
        if repeats is None
        else np.asarray(repeats, dtype=np.int64)
    )
    per_unit = table.sum(axis=1)
    pairable = per_unit >= 2
    table, per_unit, weight = table[pairable], per_unit[pairable], weight[pairable]
    n = int(per_unit @ weight)
    if n < 2:
        return None
    totals = weight @ table
    spread = n * n - int(totals @ totals)  # n² - Σ n_c²: zero when one category only
    if spread == 0:
        return None
    # Σ_c o_cc = Σ_u (Σ_c n_uc² - m_u) / (m_u - 1), summed exactly per distinct m_u.
    same = ((table * table).sum(axis=1) - per_unit) * weight
    observed_same = 0.0
    for m in np.unique(per_unit):
        observed_same += int(same[per_unit == m].sum()) / (int(m) - 1)
    return 1.0 - (n - 1) * (n - observed_same) / spread


def krippendorff_alpha(reliability: npt.ArrayLike) -> float | None:
    """Krippendorff's alpha (nominal) of reliability data; see ``value_counts`` for its shape."""
    return alpha_from_counts(value_counts(reliability))


@dataclass(frozen=True, slots=True)
class SpanMatches:
    """How two annotators' span sets match: sizes, exact and overlap matches (one to one).

    Summing ``SpanMatches`` over articles or pairs and then taking ``f1_exact`` /
    ``f1_partial`` gives the micro-averaged figure.
    """

    a: int = 0  # spans of the first annotator
    b: int = 0  # spans of the second
    exact: int = 0  # pairs with the same start, end and label
    overlap: int = 0  # pairs with the same label that overlap (the exact ones included)

    def __add__(self, other: SpanMatches) -> SpanMatches:
        return SpanMatches(
            self.a + other.a,
            self.b + other.b,
            self.exact + other.exact,
            self.overlap + other.overlap,
        )

    @property
    def f1_exact(self) -> float | None:
        return f1(self.exact, self.a, self.b)

    @property
    def f1_partial(self) -> float | None:
        return f1(self.overlap, self.a, self.b)


def f1(matched: int, a: int, b: int) -> float | None:
    """F1 of a one-to-one matching: ``2 matched / (a + b)``; ``None`` when both sides are empty.

    With b's spans scored against a's, precision is ``matched / b`` and recall ``matched / a``,
    and their harmonic mean is this: the figure does not depend on who is the reference.
    """
    return 2 * matched / (a + b) if a + b else None


def match_spans(a: Iterable[Span], b: Iterable[Span]) -> dict[str, SpanMatches]:
    """Per label, how the span sets ``a`` and ``b`` of one article match.

    Spans are sets (a duplicate counts once). Exact matches pair first; the spans left over
    then pair one to one when they have the same label and overlap, as many as possible, so
    one long span that overlaps two short ones counts once (see ``overlap_matches``).
    """
    first, second = set(a), set(b)
    result: dict[str, SpanMatches] = {}
    by_label: dict[str, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
    for span in first - second:
        by_label[span.label][0].append(span)
    for span in second - first:
        by_label[span.label][1].append(span)
    exact_by_label: dict[str, int] = defaultdict(int)
    for span in first & second:
        exact_by_label[span.label] += 1
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for span in first:
        sizes[span.label][0] += 1
    for span in second:
        sizes[span.label][1] += 1
    for label, (size_a, size_b) in sizes.items():
        exact = exact_by_label[label]
        left_a, left_b = by_label.get(label, ([], []))
        result[label] = SpanMatches(size_a, size_b, exact, exact + overlap_matches(left_a, left_b))
    return result


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> int:
    """The largest number of one-to-one pairs of overlapping spans between ``a`` and ``b``.

    Greedy in order of end: each span of ``a`` takes the unpaired overlapping span of ``b``
    that ends first. For intervals this is a maximum matching (an exchange argument: the
    earliest-ending span of ``b`` is the one least useful to the spans of ``a`` still to come).
    Labels are not looked at; call it per label.
    """
    if not a or not b:
        return 0
    free = sorted(b, key=lambda s: (s.end, s.start))
    matched = 0
    for span in sorted(a, key=lambda s: (s.end, s.start)):
        for i, other in enumerate(free):
            if other.start < span.end and span.start < other.end:
                del free[i]
                matched += 1
                break
    return matched
