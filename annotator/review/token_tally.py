"""Token-level counts for agreement, added up batch by batch of articles: per pair of
annotators the confusion matrix of their labels (Cohen's kappa), per token how many gave
each label, tallied as patterns (Krippendorff's alpha)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.review.metrics import confusion_matrix
from annotator.review.token_labels import Int64Array, label_tokens, token_ranges
from annotator.review.work import DoneWork, layer_names


class TokenTally:
    """Token-level counts of every layer, added up batch by batch of articles.

    Per pair of annotators, the confusion matrix of their labels over the tokens of the
    articles both marked done (kappa); per token, how many annotators gave each label, kept
    as a tally of such patterns (alpha depends on nothing else).
    """

    def __init__(self, work: DoneWork):
        self.work = work
        self.pairs = list(combinations(range(len(work.annotators)), 2))
        self.codes = {layer: work.label_codes(layer) for layer in layer_names(work.kinds)}
        self.confusion = {
            layer: {pair: np.zeros((len(c) + 1, len(c) + 1), dtype=np.int64) for pair in self.pairs}
            for layer, c in self.codes.items()
        }
        self.patterns: dict[str, Counter[int]] = {layer: Counter() for layer in self.codes}
        self.tokens = dict.fromkeys(self.pairs, 0)

    def add(
        self, first_article: int, tokens: list[tuple[Int64Array, Int64Array]], lengths: list[int]
    ) -> None:
        """Count the tokens of articles ``first_article``, ``first_article + 1``, ..."""
        work = self.work
        articles = slice(first_article, first_article + len(tokens))
        # Lay the batch's articles end to end, one character apart, so that one sorted array
        # of token boundaries serves them all and spans find their tokens at once.
        size = np.asarray(lengths, dtype=np.int64) + 1
        base = np.cumsum(size) - size
        counts = np.array([len(starts) for starts, _ in tokens], dtype=np.int64)
        starts, ends = (
            np.concatenate(
                [np.zeros(0, dtype=np.int64)]
                + [bounds[side] + at for bounds, at in zip(tokens, base, strict=True)]
            )
            for side in (0, 1)
        )
        lo, hi = np.searchsorted(work.span_article, [articles.start, articles.stop])
        shift = base[work.span_article[lo:hi] - first_article]
        first, last = token_ranges(
            starts, ends, work.span_start[lo:hi] + shift, work.span_end[lo:hi] + shift
        )
        done = [np.repeat(row[articles], counts) for row in work.done]
        for a, b in self.pairs:
            self.tokens[a, b] += int(np.count_nonzero(done[a] & done[b]))
        annotator, label = work.span_annotator[lo:hi], work.span_label[lo:hi]
        for layer, codes in self.codes.items():
            category = np.zeros(len(work.labels), dtype=np.int64)
            category[codes] = np.arange(1, len(codes) + 1)  # 0 is O
            on_layer = np.isin(label, codes)
            labels = []
            for a in range(len(work.annotators)):
                mine = on_layer & (annotator == a)
                labels.append(
                    label_tokens(len(starts), first[mine], last[mine], category[label[mine]])
                )
            for a, b in self.pairs:
                both = done[a] & done[b]
                self.confusion[layer][a, b] += confusion_matrix(
                    labels[a][both], labels[b][both], len(codes) + 1
                )
            self.patterns[layer].update(pattern_tally(labels, done, len(codes) + 1))

    def value_counts(self, layer: str) -> tuple[Int64Array, Int64Array]:
        """The distinct per-token value counts (rows of categories) and how many tokens
        have each, decoded from the pattern tally."""
        base, categories = len(self.work.annotators) + 1, len(self.codes[layer]) + 1
        patterns = sorted(self.patterns[layer])
        table = [[pattern // base**c % base for c in range(categories)] for pattern in patterns]
        repeats = [self.patterns[layer][pattern] for pattern in patterns]
        return (
            np.array(table, dtype=np.int64).reshape(-1, categories),
            np.array(repeats, dtype=np.int64),
        )


def pattern_tally(
    labels: list[npt.NDArray[np.int8]], done: list[npt.NDArray[np.bool_]], categories: int
) -> dict[int, int]:
    """How many tokens have each pattern of value counts, the pattern coded as one integer:
    the count of category c is its digit c in base (annotators + 1)."""
    base = len(labels) + 1
    n_tokens = len(labels[0]) if labels else 0
    if base**categories >= 1 << 62:  # too many annotators and labels for an int64 code
        table = np.zeros((n_tokens, categories), dtype=np.int64)
        for mine, is_done in zip(labels, done, strict=True):
            table[np.arange(n_tokens), mine] += is_done
        rows, repeats = np.unique(table, axis=0, return_counts=True)
        codes = [sum(int(n) * base**c for c, n in enumerate(row)) for row in rows.tolist()]
        return dict(zip(codes, repeats.tolist(), strict=True))
    digit = base ** np.arange(categories, dtype=np.int64)
    code = np.zeros(n_tokens, dtype=np.int64)
    for mine, is_done in zip(labels, done, strict=True):
        code += digit[mine] * is_done
    if base**categories <= 1 << 16:
        tally = np.bincount(code, minlength=base**categories)
        patterns = np.flatnonzero(tally)
        return dict(zip(patterns.tolist(), tally[patterns].tolist(), strict=True))
    patterns, repeats = np.unique(code, return_counts=True)
    return dict(zip(patterns.tolist(), repeats.tolist(), strict=True))
