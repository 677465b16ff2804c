"""Inter-annotator agreement: kappa and span F1 per pair, alpha per layer, F1 per label.

Computed over the articles that two or more annotators marked done (``load_done_work``); each
annotator's spans count only on the articles they marked done. The reserved annotator
``gold`` is the reviewer's adjudicated version, not an annotator, and never takes part.

Tokens are those of spaCy's blank English tokenizer, whitespace left out. On each layer a
token takes the label of the span over it (``O`` if none): ``entity`` holds LOCATION and
FACTION (every label of kind ``entity``), ``claim`` holds CLAIM.

- Cohen's kappa per pair and layer, over the tokens of the articles both marked done.
- Krippendorff's alpha (nominal) per layer over all those tokens; an annotator who did not
  mark an article done is a missing value for its tokens.
- Span F1 per pair and layer, and per label pooled over every pair, with exact matches
  (same start, end, label) and with overlap matches (same label, sharing a character),
  one to one (see ``annotator.review.metrics.match_spans``).

A figure with no defined value is ``None`` (``null`` in JSON): kappa or alpha when every
token carries one and the same label, F1 when neither side has a span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span
from annotator.core.progress import Progress, no_progress
from annotator.review.intervals import overlap_groups
from annotator.review.metrics import (
    SpanMatches,
    alpha_from_counts,
    confusion_matrix,
    kappa_from_confusion,
    overlap_matches,
)
from annotator.review.tokens import Int64Array, label_tokens, token_arrays, token_ranges
from annotator.review.work import DoneWork, layer_names, load_done_work
from annotator.storage import Store


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Two annotators on one layer, over the articles both marked done."""

    a: str
    b: str
    articles: int
    tokens: int
    kappa: float | None
    matches: SpanMatches = field(default_factory=SpanMatches)

    @property
    def f1_exact(self) -> float | None:
        return self.matches.f1_exact

    @property
    def f1_partial(self) -> float | None:
        return self.matches.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "kappa": self.kappa,
            "f1_exact": self.f1_exact,
            "f1_partial": self.f1_partial,
        }


@dataclass(frozen=True, slots=True)
class LayerAgreement:
    labels: tuple[str, ...]
    alpha: float | None
    pairs: tuple[PairAgreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "pairs": [pair.to_dict() for pair in self.pairs]}


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """Span F1 of one label, every pair of annotators pooled (micro-averaged)."""

    matches: SpanMatches

    @property
    def f1_exact(self) -> float | None:
        return self.matches.f1_exact

    @property
    def f1_partial(self) -> float | None:
        return self.matches.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {"f1_exact": self.f1_exact, "f1_partial": self.f1_partial}


@dataclass(frozen=True)
class AgreementReport:
    """Everything ``annotator agreement`` prints and Review → Agreement shows."""

    annotators: tuple[str, ...]
    articles: int
    layers: dict[str, LayerAgreement]
    labels: dict[str, LabelAgreement]

    def pair(self, layer: str, a: str, b: str) -> PairAgreement:
        """The figures of annotators ``a`` and ``b`` (either order) on ``layer``."""
        for pair in self.layers[layer].pairs:
            if {pair.a, pair.b} == {a, b}:
                return pair
        raise KeyError(f"no pair {a}, {b} on layer {layer}")

    def matrix(self, layer: str, measure: str = "kappa") -> list[list[float | None]]:
        """Annotator by annotator (``annotators`` order), one measure of each pair on a layer:
        ``kappa``, ``f1_exact`` or ``f1_partial``. Symmetric; the diagonal is ``None``."""
        index = {name: i for i, name in enumerate(self.annotators)}
        rows: list[list[float | None]] = [[None] * len(index) for _ in index]
        for pair in self.layers[layer].pairs:
            value = getattr(pair, measure)
            rows[index[pair.a]][index[pair.b]] = rows[index[pair.b]][index[pair.a]] = value
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object; undefined figures are ``None`` (JSON ``null``)."""
        return {
            "annotators": list(self.annotators),
            "articles": self.articles,
            "layers": {name: layer.to_dict() for name, layer in self.layers.items()},
            "labels": {name: label.to_dict() for name, label in self.labels.items()},
        }

    def format_table(self) -> str:
        """A plain-text report for a terminal."""
        if self.articles == 0:
            return "No article is marked done by two or more annotators: nothing to compare."
        lines = [
            f"Agreement over {self.articles} articles marked done by two or more of "
            f"{len(self.annotators)} annotators ({', '.join(self.annotators)})",
        ]
        for name, layer in self.layers.items():
            lines += [
                "",
                f"{name} layer ({', '.join(layer.labels) or 'no labels'}): "
                f"Krippendorff's alpha {_figure(layer.alpha)}",
            ]
            width = max([len(f"{p.a} / {p.b}") for p in layer.pairs] + [4])
            lines.append(f"  {'pair':<{width}}  articles    kappa  F1 exact  F1 overlap")
            for pair in layer.pairs:
                lines.append(
                    f"  {f'{pair.a} / {pair.b}':<{width}}  {pair.articles:>8}  "
                    f"{_figure(pair.kappa):>7}  {_figure(pair.f1_exact):>8}  "
                    f"{_figure(pair.f1_partial):>10}"
                )
        width = max([len(name) for name in self.labels] + [5])
        lines += ["", f"  {'label':<{width}}   spans  F1 exact  F1 overlap"]
        for name, label in self.labels.items():
            spans = label.matches.a + label.matches.b
            lines.append(
                f"  {name:<{width}}  {spans:>6}  {_figure(label.f1_exact):>8}  "
                f"{_figure(label.f1_partial):>10}"
            )
        lines.append("")
        lines.append(
            "Span counts add up both sides of every pair; '-': no figure (nothing to compare)."
        )
        return "\n".join(lines)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def agreement_report(store: Store, progress: Progress = no_progress) -> AgreementReport:
    """Agreement among the annotators of ``store``; see the module docstring for the figures.

    Tokenizing the articles is the long part; ``progress(done, total)`` follows it, and
    raising ``Cancelled`` from it stops the work.
    """
    work = load_done_work(store)
    texts = _texts(store, work.article_ids)
    tokens = []
    total = len(texts)
    progress(0, total)
    for i, bounds in enumerate(token_arrays(texts), 1):
        tokens.append(bounds)
        if i % 500 == 0 or i == total:
            progress(i, total)
    return compute_agreement(work, tokens, [len(text) for text in texts])


def _texts(store: Store, article_ids: Int64Array) -> list[str]:
    """The texts of the articles, in id order (``article_ids`` is sorted)."""
    wanted = set(article_ids.tolist())
    rows = store.db.execute("SELECT id, text FROM articles ORDER BY id")
    return [text for id_, text in rows if id_ in wanted]


def compute_agreement(
    work: DoneWork,
    tokens: Sequence[tuple[Int64Array, Int64Array]],
    text_lengths: Sequence[int],
) -> AgreementReport:
    """The report from loaded work and each article's token (starts, ends), in article order."""
    # Lay all articles end to end, one character apart, so that one sorted array of token
    # boundaries serves every article and spans find their tokens with one searchsorted.
    lengths = np.asarray(text_lengths, dtype=np.int64)
    char_base = np.cumsum(lengths + 1) - (lengths + 1)
    token_counts = np.array([len(starts) for starts, _ in tokens], dtype=np.int64)
    starts, ends = (
        np.concatenate(
            [np.zeros(0, dtype=np.int64)]
            + [bounds[side] + base for bounds, base in zip(tokens, char_base, strict=True)]
        )
        for side in (0, 1)
    )
    first, last = token_ranges(
        starts,
        ends,
        work.span_start + char_base[work.span_article],
        work.span_end + char_base[work.span_article],
    )
    token_article = np.repeat(np.arange(len(work), dtype=np.int64), token_counts)
    done_tokens = [row[token_article] for row in work.done]
    pairs = list(combinations(range(len(work.annotators)), 2))
    identity = work.span_identity()
    holders = _holders(work, identity)
    matches = {pair: _pair_matches(work, pair, identity, holders) for pair in pairs}

    layers: dict[str, LayerAgreement] = {}
    for layer in layer_names(work.kinds):
        codes = work.label_codes(layer)
        token_labels = _token_labels(work, codes, len(starts), first, last)
        categories = len(codes) + 1
        layer_pairs = []
        for a, b in pairs:
            both = done_tokens[a] & done_tokens[b]
            matrix = confusion_matrix(token_labels[a][both], token_labels[b][both], categories)
            pair_matches = sum((matches[a, b][code] for code in codes), SpanMatches())
            layer_pairs.append(
                PairAgreement(
                    work.annotators[a],
                    work.annotators[b],
                    articles=int((work.done[a] & work.done[b]).sum()),
                    tokens=int(both.sum()),
                    kappa=kappa_from_confusion(matrix),
                    matches=pair_matches,
                )
            )
        table, repeats = _value_count_rows(token_labels, done_tokens, categories)
        layers[layer] = LayerAgreement(
            labels=tuple(work.labels[code] for code in codes),
            alpha=alpha_from_counts(table, repeats),
            pairs=tuple(layer_pairs),
        )

    labels = {
        name: LabelAgreement(sum((matches[pair][code] for pair in pairs), SpanMatches()))
        for code, name in enumerate(work.labels)
    }
    return AgreementReport(
        annotators=work.annotators, articles=len(work), layers=layers, labels=labels
    )


def _token_labels(
    work: DoneWork, codes: list[int], n_tokens: int, first: Int64Array, last: Int64Array
) -> list[npt.NDArray[np.int8]]:
    """Per annotator, each token's category on a layer: 0 for O, then the layer's labels."""
    category = np.zeros(len(work.labels) + 1, dtype=np.int64)
    category[codes] = np.arange(1, len(codes) + 1)
    on_layer = np.isin(work.span_label, codes)
    result = []
    for a in range(len(work.annotators)):
        mine = on_layer & (work.span_annotator == a)
        result.append(
            label_tokens(n_tokens, first[mine], last[mine], category[work.span_label[mine]])
        )
    return result


def _value_count_rows(
    token_labels: list[npt.NDArray[np.int8]],
    done_tokens: list[npt.NDArray[np.bool_]],
    categories: int,
) -> tuple[Int64Array, Int64Array]:
    """The distinct per-token value counts (rows of categories) and how many tokens have each.

    Alpha depends only on how often each count pattern occurs, and a few annotators and
    labels make few patterns: each token's pattern is coded as one integer, with the count
    of category c as the digit c in base (annotators + 1), and the codes are tallied.
    """
    base = len(token_labels) + 1
    digit = base ** np.arange(categories, dtype=np.int64)
    code = np.zeros(len(token_labels[0]) if token_labels else 0, dtype=np.int64)
    for labels, done in zip(token_labels, done_tokens, strict=True):
        code += digit[labels] * done
    if base**categories <= 1 << 20:
        tally = np.bincount(code, minlength=base**categories)
        patterns = np.flatnonzero(tally)
        repeats = tally[patterns]
    else:
        patterns, repeats = np.unique(code, return_counts=True)
    table = (patterns[:, None] // digit[None, :]) % base
    return table, repeats


def _holders(work: DoneWork, identity: Int64Array) -> npt.NDArray[np.bool_]:
    """(annotators, identities): whether each annotator has each distinct span."""
    has = np.zeros((len(work.annotators), int(identity.max(initial=-1)) + 1), dtype=bool)
    has[work.span_annotator, identity] = True
    return has


def _pair_matches(
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
