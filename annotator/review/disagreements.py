"""Where annotators disagree, and why: the units a reviewer settles one at a time.

On each layer (entity, claim) the spans of all annotators of an article fall into clusters:
a span joins a cluster when it overlaps one of its spans. A cluster on which every annotator
has exactly the same spans is agreed; any other is a ``Disagreement``, classified by the
first of these that holds between some two annotators, after their identical spans are set
aside:

- ``missing``: a span has no counterpart at all on the other side (one side only);
- ``label``: a span has a counterpart with the same extent, or only overlapping ones, of
  another label;
- ``boundary``: a span has overlapping counterparts of the same label (different extent).

The order is the order of decisions a reviewer makes: is there a span at all, what is it,
exactly where is it. Then come the claims' own classes (``annotator.review.claims``): who
makes a claim (``source``) and how it is framed (``attribute``); and what a span refers to
(``link``, ``annotator.review.kb_links``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.core.model import GOLD, Span
from annotator.core.spans import overlaps
from annotator.review.claims import CLAIM_KINDS, claim_disagreement_counts
from annotator.review.intervals import overlap_groups
from annotator.review.kb_links import LINK_KINDS, link_disagreement_counts, load_done_entries
from annotator.review.work import DoneWork, label_kind, layer_names, load_done_work
from annotator.storage import Store

MISSING = "missing"
LABEL = "label"
BOUNDARY = "boundary"
#: The classes of span disagreement, in the order a cluster takes the first that applies.
SPAN_KINDS = (MISSING, LABEL, BOUNDARY)
#: Every class the disagreement list counts: spans', then claims' (source, attribute), then
#: links' (link).
KINDS = SPAN_KINDS + CLAIM_KINDS + LINK_KINDS
#: The review status of an article reviewed and then changed by an annotator who finished it.
CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A cluster of overlapping spans on one layer that not all annotators have alike.

    ``versions`` holds every compared annotator's spans in the cluster, sorted, in the
    order the annotators were given; an annotator with nothing here has an empty tuple.
    ``start`` and ``end`` enclose every span of the cluster.
    """

    layer: str
    start: int
    end: int
    kind: str
    versions: Mapping[str, tuple[Span, ...]]

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(self.versions)

    def spans(self) -> list[Span]:
        """Every distinct span any annotator has in the cluster, sorted."""
        return sorted({s for spans in self.versions.values() for s in spans}, key=_order)

    def agreed(self) -> list[Span]:
        """The spans of the cluster that every annotator has (nested claims, say), sorted."""
        sets = [set(spans) for spans in self.versions.values()]
        return sorted(set.intersection(*sets), key=_order) if sets else []

    def covers(self, span: Span, kinds: Mapping[str, str]) -> bool:
        """Whether ``span`` lies on this cluster's layer and overlaps its extent."""
        return label_kind(span.label, kinds) == self.layer and (
            span.start < self.end and self.start < span.end
        )


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def find_disagreements(
    spans_by_annotator: Mapping[str, Iterable[Span]], kinds: Mapping[str, str]
) -> list[Disagreement]:
    """The disagreements among annotators on one article, in text order.

    ``spans_by_annotator`` maps each annotator to compare (usually those who marked the
    article done) to their spans; ``kinds`` maps label names to their kind
    (``Store.label_kinds()``). Fewer than two annotators cannot disagree.
    """
    versions = {name: set(spans) for name, spans in spans_by_annotator.items()}
    if len(versions) < 2:
        return []
    found = []
    layers = layer_names(kinds)
    for layer in layers:
        on_layer = {
            name: {s for s in spans if label_kind(s.label, kinds) == layer}
            for name, spans in versions.items()
        }
        for cluster in _clusters(set().union(*on_layer.values())):
            parts = {
                name: tuple(s for s in cluster if s in spans) for name, spans in on_layer.items()
            }
            kind = classify(parts.values())
            if kind is not None:
                found.append(
                    Disagreement(
                        layer,
                        cluster[0].start,
                        max(s.end for s in cluster),
                        kind,
                        parts,
                    )
                )
    return sorted(found, key=lambda d: (d.start, d.end, layers.index(d.layer)))


def _clusters(spans: Iterable[Span]) -> list[list[Span]]:
    """Connected runs of overlapping spans, each sorted, in order of start."""
    clusters: list[list[Span]] = []
    reach = -1
    for span in sorted(spans, key=_order):
        if span.start >= reach:
            clusters.append([])
        clusters[-1].append(span)
        reach = max(reach, span.end)
    return clusters


def classify(versions: Iterable[Collection[Span]]) -> str | None:
    """The class of disagreement of a cluster, given each annotator's spans in it.

    See the module docstring for the classes; ``None`` when all versions are the same.
    """
    found: set[str] = set()
    for a, b in combinations(list(versions), 2):
        left_a, left_b = set(a) - set(b), set(b) - set(a)
        found.update(_span_kind(span, left_b) for span in left_a)
        found.update(_span_kind(span, left_a) for span in left_b)
    return next((kind for kind in SPAN_KINDS if kind in found), None)


def _span_kind(span: Span, others: Collection[Span]) -> str:
    """How one span disagrees with the other side's spans that differ from the first side's."""
    touching = [other for other in others if overlaps(span, other)]
    if not touching:
        return MISSING
    if any(other.label == span.label for other in touching) and not any(
        (other.start, other.end) == (span.start, span.end) for other in touching
    ):
        return BOUNDARY
    return LABEL


@dataclass(frozen=True, slots=True)
class ArticleDisagreements:
    """One line of the list of articles to review."""

    article_id: int
    title: str
    annotators: tuple[str, ...]  # those who marked it done: the ones compared
    counts: Mapping[str, int]  # disagreements per class, every class present
    review_status: str  # the gold version's status (todo, in_progress, done...) or CHANGED

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rank_articles(
    store: Store, annotators: Sequence[str] | None = None, least: int = 2
) -> list[ArticleDisagreements]:
    """Every article ``least`` (two, or one) or more annotators marked done, most
    disagreements first.

    Ties go by article id; articles without a disagreement come last (with zero counts).
    The counts are those ``find_disagreements`` gives on the review screen, computed for
    all articles at once: agreed clusters are recognised with array operations, and only
    the others are classified one by one.
    """
    work = load_done_work(store, annotators, least)
    counts = np.hstack(
        [
            disagreement_counts(work),
            claim_disagreement_counts(store, work),
            link_disagreement_counts(work, load_done_entries(store, work)),
        ]
    )
    titles = store.article_titles()
    reviewed = review_statuses(store)
    rows = []
    for index, article_id in enumerate(work.article_ids.tolist()):
        rows.append(
            ArticleDisagreements(
                article_id,
                titles.get(article_id) or "",
                tuple(work.annotators[a] for a in np.flatnonzero(work.done[:, index])),
                dict(zip(KINDS, counts[index].tolist(), strict=True)),
                reviewed.get(article_id, "todo"),
            )
        )
    return sorted(rows, key=lambda row: (-row.total, row.article_id))


def review_statuses(store: Store) -> dict[int, str]:
    """Gold's status per article, ``CHANGED`` where an annotator changed or marked it since
    it was reviewed (its gold may be out of date: to look at again; a gold edit is no
    review)."""
    reviewed = store.statuses_of(GOLD)
    for article_id in store.changed_since_review():
        reviewed[article_id] = CHANGED
    return reviewed


def disagreement_counts(work: DoneWork) -> npt.NDArray[np.int64]:
    """(articles, classes): how many span disagreements of each class (``SPAN_KINDS`` order)
    each has.

    The clusters of all articles are found at once; most disputed ones are classified with
    array operations too (someone has nothing there: missing; everyone has one span: compare
    them pair by pair), and only clusters where someone has several spans go through
    ``classify`` one by one.
    """
    counts = np.zeros((len(work), len(SPAN_KINDS)), dtype=np.int64)
    if len(work.span_start) == 0:
        return counts
    n_annotators = len(work.annotators)
    layer = work.span_layers()
    identity = work.span_identity()
    # A span is agreed when every annotator who marked its article done has it.
    agreed = np.bincount(identity)[identity] == work.done.sum(axis=0)[work.span_article]

    order = np.lexsort((work.span_end, work.span_start, layer, work.span_article))
    article, layer = work.span_article[order], layer[order]
    start, end = work.span_start[order], work.span_end[order]
    annotator, label = work.span_annotator[order], work.span_label[order]
    block = np.cumsum(np.r_[True, (article[1:] != article[:-1]) | (layer[1:] != layer[:-1])])
    stride = int(end.max()) + 1
    groups = overlap_groups(block * stride + start, block * stride + end)
    n_groups = int(groups[-1]) + 1
    bounds = np.searchsorted(groups, np.arange(n_groups + 1))
    group_article = article[bounds[:-1]]
    disputed = np.bincount(groups, weights=~agreed[order], minlength=n_groups) > 0

    spans_of = np.bincount(groups * n_annotators + annotator, minlength=n_groups * n_annotators)
    spans_of = spans_of.reshape(n_groups, n_annotators)
    present = (spans_of > 0).sum(axis=1)
    kind = np.full(n_groups, -1)
    # Someone who marked the article done has nothing in the cluster: missing comes first.
    missing = disputed & (present < work.done.sum(axis=0)[group_article])
    kind[missing] = SPAN_KINDS.index(MISSING)
    single = disputed & ~missing & (spans_of.max(axis=1) == 1)
    kind[single] = _classify_singles(
        np.flatnonzero(single), groups, annotator, start, end, label, n_annotators
    )
    for g in np.flatnonzero(disputed & ~missing & ~single).tolist():
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        parts: dict[int, list[Span]] = {int(a): [] for a in annotator[lo:hi]}
        for a, s, e, lab in zip(
            annotator[lo:hi].tolist(),
            start[lo:hi].tolist(),
            end[lo:hi].tolist(),
            label[lo:hi].tolist(),
            strict=True,
        ):
            parts[a].append(Span(s, e, work.labels[lab]))
        found = classify(parts.values())
        kind[g] = SPAN_KINDS.index(found) if found is not None else -1
    counted = kind >= 0
    np.add.at(counts, (group_article[counted], kind[counted]), 1)
    return counts


def _classify_singles(
    chosen: npt.NDArray[np.int64],
    groups: npt.NDArray[np.int64],
    annotator: npt.NDArray[np.int64],
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    label: npt.NDArray[np.int64],
    n_annotators: int,
) -> npt.NDArray[np.int64]:
    """Classes of clusters in which every compared annotator has exactly one span.

    The same rules as ``classify``: two different spans that do not overlap are missing on
    both sides; overlapping, they dispute the label unless they have the same label and
    another extent (boundary).
    """
    rows = np.flatnonzero(np.isin(groups, chosen))
    where = np.searchsorted(chosen, groups[rows])  # each row's cluster, among the chosen
    shape = (len(chosen), n_annotators)
    s, e, lab = np.full(shape, -1), np.full(shape, -1), np.full(shape, -1)
    s[where, annotator[rows]] = start[rows]
    e[where, annotator[rows]] = end[rows]
    lab[where, annotator[rows]] = label[rows]
    found = np.zeros((len(chosen), len(SPAN_KINDS)), dtype=bool)
    for a, b in combinations(range(n_annotators), 2):
        both = (s[:, a] >= 0) & (s[:, b] >= 0)
        differ = both & ((s[:, a] != s[:, b]) | (e[:, a] != e[:, b]) | (lab[:, a] != lab[:, b]))
        touch = (s[:, a] < e[:, b]) & (s[:, b] < e[:, a])
        same_extent = (s[:, a] == s[:, b]) & (e[:, a] == e[:, b])
        found[:, SPAN_KINDS.index(MISSING)] |= differ & ~touch
        boundary = differ & touch & ~same_extent & (lab[:, a] == lab[:, b])
        found[:, SPAN_KINDS.index(BOUNDARY)] |= boundary
        found[:, SPAN_KINDS.index(LABEL)] |= differ & touch & ~boundary
    # The first class found, in SPAN_KINDS order.
    return np.where(found.any(axis=1), found.argmax(axis=1), -1)
