"""Span matches of two annotators per label, exact and by overlap, all articles at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span
from annotator.review.intervals import overlap_groups
from annotator.review.metrics import SpanMatches, overlap_matches
from annotator.review.token_labels import Int64Array
from annotator.review.work import DoneWork


def span_holders(work: DoneWork, identity: Int64Array) -> npt.NDArray[np.bool_]:
    """(annotators, identities): whether each annotator has each distinct span."""
    has = np.zeros((len(work.annotators), int(identity.max(initial=-1)) + 1), dtype=bool)
    has[work.span_annotator, identity] = True
    return has


def pair_matches(
    work: DoneWork,
    pair: tuple[int, int],
    identity: Int64Array,
    holders: npt.NDArray[np.bool_],
) -> list[SpanMatches]:
    """Span matches of two annotators per label code, over the articles both marked done.

    Exact matches are spans both hold. The spans left over are grouped into runs of overlap
    per article and label, all articles at once; a run of one span from each side is one
    match, and only the rare larger runs go through ``overlap_matches`` in Python.
    """
    a, b = pair
    n_labels = len(work.labels)
    on_both = (work.done[a] & work.done[b])[work.span_article]
    mine = [on_both & (work.span_annotator == side) for side in pair]
    exact = mine[0] & holders[b][identity]
    size_a = np.bincount(work.span_label[mine[0]], minlength=n_labels)
    size_b = np.bincount(work.span_label[mine[1]], minlength=n_labels)
    n_exact = np.bincount(work.span_label[exact], minlength=n_labels)

    rows = np.flatnonzero((mine[0] & ~holders[b][identity]) | (mine[1] & ~holders[a][identity]))
    article, label = work.span_article[rows], work.span_label[rows]
    order = np.lexsort((work.span_start[rows], label, article))
    rows, article, label = rows[order], article[order], label[order]
    start, end = work.span_start[rows], work.span_end[rows]
    side = (work.span_annotator[rows] == b).astype(np.int64)
    block = np.cumsum(np.r_[True, (article[1:] != article[:-1]) | (label[1:] != label[:-1])])
    stride = int(end.max(initial=0)) + 1
    groups = overlap_groups(block * stride + start, block * stride + end)
    from_b = np.bincount(groups, weights=side).astype(np.int64)
    from_a = np.bincount(groups) - from_b
    group_label = label[np.searchsorted(groups, np.arange(len(from_a)))]
    one_each = (from_a == 1) & (from_b == 1)
    n_overlap = n_exact + np.bincount(group_label[one_each], minlength=n_labels)
    bounds = np.searchsorted(groups, np.arange(len(from_a) + 1))
    for g in np.flatnonzero((from_a > 0) & (from_b > 0) & ~one_each).tolist():
        lo, hi = bounds[g], bounds[g + 1]
        spans: tuple[list[Span], list[Span]] = ([], [])
        for s, e, which in zip(
            start[lo:hi].tolist(), end[lo:hi].tolist(), side[lo:hi].tolist(), strict=True
        ):
            spans[which].append(Span(s, e, ""))
        n_overlap[group_label[g]] += overlap_matches(*spans)
    return [
        SpanMatches(int(size_a[c]), int(size_b[c]), int(n_exact[c]), int(n_overlap[c]))
        for c in range(n_labels)
    ]
