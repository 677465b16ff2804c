"""The work annotators marked done, loaded in bulk: what agreement and the disagreement list read.

A few queries fetch every status and span at once into numpy arrays; per-article queries, or
a Python object per span, would dominate the time on a project of ten thousand articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.model import CLAIM_KIND, ENTITY_KIND, Span
from annotator.storage import Store

Int64Array = npt.NDArray[np.int64]

_MAX_KEY = 2**62  # packed span keys stay below this, far from SQLite's integer overflow


def label_kind(label: str, kinds: Mapping[str, str]) -> str:
    """The layer a label belongs to; a label missing from the scheme counts as an entity."""
    return kinds.get(label, ENTITY_KIND)


def layer_names(kinds: Mapping[str, str]) -> list[str]:
    """``entity`` and ``claim`` always, then any other kind the scheme has."""
    names = [ENTITY_KIND, CLAIM_KIND]
    return names + sorted(set(kinds.values()) - set(names))


@dataclass(frozen=True)
class DoneWork:
    """The spans of every annotator on every article at least two annotators marked done.

    Articles are indexed ``0..len(article_ids)-1`` in id order, annotators in name order,
    labels in the scheme's order (labels found only in spans after it). Spans are rows of
    parallel arrays, a set per annotator and article (duplicates dropped), sorted by article,
    start, end, label and annotator. Only spans on articles their annotator marked done are
    here, and never those of the reserved annotator ``gold``.
    """

    annotators: tuple[str, ...]
    article_ids: Int64Array
    done: npt.NDArray[np.bool_]  # (annotators, articles): who marked what done
    labels: tuple[str, ...]
    kinds: Mapping[str, str]
    span_article: Int64Array
    span_annotator: Int64Array
    span_start: Int64Array
    span_end: Int64Array
    span_label: Int64Array

    def __len__(self) -> int:
        return len(self.article_ids)

    def label_codes(self, layer: str) -> list[int]:
        """Indices into ``labels`` of the labels on ``layer``."""
        return [i for i, name in enumerate(self.labels) if label_kind(name, self.kinds) == layer]

    def span_layers(self) -> Int64Array:
        """Each span's layer, as an index into ``layer_names(kinds)``."""
        names = layer_names(self.kinds)
        of_label = np.array(
            [names.index(label_kind(label, self.kinds)) for label in self.labels] or [0],
            dtype=np.int64,
        )
        return of_label[self.span_label]

    def span_identity(self) -> Int64Array:
        """For each span, an id shared by the same span (start, end, label) of other annotators."""
        if len(self.span_start) == 0:
            return np.zeros(0, dtype=np.int64)
        # Sorted with the annotator last, equal spans of different annotators are neighbours.
        columns = (self.span_article, self.span_start, self.span_end, self.span_label)
        new = np.ones(len(self.span_start), dtype=bool)
        new[1:] = np.any([column[1:] != column[:-1] for column in columns], axis=0)
        return np.cumsum(new) - 1

    def spans_by_annotator(self, index: int) -> dict[str, list[Span]]:
        """The spans of the article at ``index``, for each annotator who marked it done."""
        lo, hi = np.searchsorted(self.span_article, [index, index + 1])
        result: dict[str, list[Span]] = {
            self.annotators[a]: [] for a in np.flatnonzero(self.done[:, index])
        }
        for a, start, end, label in zip(
            self.span_annotator[lo:hi].tolist(),
            self.span_start[lo:hi].tolist(),
            self.span_end[lo:hi].tolist(),
            self.span_label[lo:hi].tolist(),
            strict=True,
        ):
            result[self.annotators[a]].append(Span(start, end, self.labels[label]))
        return result


def load_done_work(
    store: Store, annotators: Sequence[str] | None = None, least: int = 2
) -> DoneWork:
    """Statuses and spans of the articles ``least`` or more annotators marked done (two:
    what can be compared; one, for a review of single annotators' work too).

    An annotator's spans count only on the articles they marked done: work in progress is
    not yet an answer to agree or disagree with. ``annotators`` limits the comparison to
    those names.
    """
    done_rows = store.done_marks()
    if annotators is not None:
        wanted = set(annotators)
        done_rows = [(article, name) for article, name in done_rows if name in wanted]
    per_article = Counter(article for article, _ in done_rows)
    article_ids = np.array(
        sorted(article for article, n in per_article.items() if n >= least), dtype=np.int64
    )
    chosen = set(article_ids.tolist())
    done_rows = [(article, name) for article, name in done_rows if article in chosen]
    names = sorted({name for _, name in done_rows})
    done = np.zeros((len(names), len(article_ids)), dtype=bool)
    if done_rows:
        code = {name: i for i, name in enumerate(names)}
        rows = np.array([(article, code[name]) for article, name in done_rows], dtype=np.int64)
        done[rows[:, 1], np.searchsorted(article_ids, rows[:, 0])] = True

    kinds = store.label_kinds()
    (article, annotator, start, end, label), labels = _fetch_spans(store, names, list(kinds))
    # Keep the spans on chosen articles that their annotator marked done, and that fit in
    # the article's text: one that did not would run into the next article's tokens.
    index = np.searchsorted(article_ids, article)
    keep = index < len(article_ids)
    keep[keep] = article_ids[index[keep]] == article[keep]
    keep[keep] = done[annotator[keep], index[keep]]
    keep[keep] = end[keep] <= _text_lengths(store, article_ids)[index[keep]]
    return DoneWork(
        annotators=tuple(names),
        article_ids=article_ids,
        done=done,
        labels=tuple(labels),
        kinds=kinds,
        span_article=index[keep],
        span_annotator=annotator[keep],
        span_start=start[keep],
        span_end=end[keep],
        span_label=label[keep],
    )


def _text_lengths(store: Store, article_ids: Int64Array) -> Int64Array:
    lengths = store.text_lengths()
    return np.array([lengths[i] for i in article_ids.tolist()], dtype=np.int64)


Columns = tuple[Int64Array, Int64Array, Int64Array, Int64Array, Int64Array]


def _fetch_spans(
    store: Store, annotators: Sequence[str], labels: list[str]
) -> tuple[Columns, list[str]]:
    """(article_id, annotator, start, end, label) columns of the annotators' spans, and the
    labels the label codes index: ``labels``, then any label outside the scheme.

    Sorted by article, start, end, label, annotator, duplicates dropped; spans that could
    not fit in any text are left out. Each span comes back from SQLite as one integer packing
    all five (names turned into codes in the query): a million spans then cost one Python
    int each instead of a tuple of five objects.
    """
    empty = np.zeros(0, dtype=np.int64)
    max_article, longest_text = store.span_bounds()
    if not annotators or max_article is None or longest_text is None:
        return (empty, empty, empty, empty, empty), labels
    # Radixes, least significant first: annotator, label (one more for "not in the scheme"),
    # length, start; the article id on top.
    n_annotators, n_labels, n_offsets = len(annotators), len(labels) + 1, longest_text + 1
    if (max_article + 1) * n_offsets * n_offsets * n_labels * n_annotators >= _MAX_KEY:
        return _fetch_spans_unpacked(store, annotators, labels)
    packed = store.packed_span_keys(annotators, labels, longest_text)
    keys = np.sort(np.fromiter(packed, dtype=np.int64))
    if keys.size:  # (none: the annotators' finished articles hold no span)
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]  # a span stored twice counts once
    keys, annotator = np.divmod(keys, n_annotators)
    keys, label = np.divmod(keys, n_labels)
    if (label == len(labels)).any():  # labels outside the scheme: code them too, and again
        found = store.span_label_names(annotators)
        return _fetch_spans(store, annotators, labels + [n for n in found if n not in labels])
    keys, length = np.divmod(keys, n_offsets)
    article, start = np.divmod(keys, n_offsets)
    return (article, annotator, start, start + length, label), labels


def _fetch_spans_unpacked(
    store: Store, annotators: Sequence[str], labels: list[str]
) -> tuple[Columns, list[str]]:
    """The same as ``_fetch_spans``, slower, for projects too large to pack."""
    annotator_code = {name: i for i, name in enumerate(annotators)}
    label_code = {name: i for i, name in enumerate(labels)}
    rows = []
    for article, annotator, start, end, label in store.span_rows(annotators):
        code = label_code.setdefault(label, len(label_code))
        rows.append((article, start, end, code, annotator_code[annotator]))
    table = np.unique(np.array(rows, dtype=np.int64).reshape(-1, 5), axis=0)
    article, start, end, label, annotator = table.T
    return (article, annotator, start, end, label), list(label_code)
