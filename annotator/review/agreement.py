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
token carries one and the same label, F1 when neither side has a span. Who makes each claim
and how it is framed are compared too (``claims``: claim–source pair F1 and attribute kappa
per pair, ``annotator.review.claim_agreement``), and what spans refer to (``links``: link
accuracy per pair, ``annotator.review.link_agreement``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span
from annotator.core.progress import Progress, no_progress
from annotator.review.claim_agreement import ClaimAgreement, claim_agreement
from annotator.review.claim_arrays import load_done_links
from annotator.review.intervals import overlap_groups
from annotator.review.kb_links import load_done_entries
from annotator.review.link_agreement import LinkAgreement, link_agreement
from annotator.review.metrics import (
    SpanMatches,
    alpha_from_counts,
    confusion_matrix,
    kappa_from_confusion,
    overlap_matches,
)
from annotator.review.token_labels import Int64Array, label_tokens, token_arrays, token_ranges
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
    claims: ClaimAgreement = field(default_factory=ClaimAgreement)
    links: LinkAgreement = field(default_factory=LinkAgreement)

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
            "claims": self.claims.to_dict(),
            "links": self.links.to_dict(),
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
        lines += self.claims.format_lines()
        lines += self.links.format_lines()
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
    tally = _TokenTally(work)
    progress(0, len(texts))
    # Batch by batch: token arrays stay small enough for the processor's caches.
    for first in range(0, len(texts), _BATCH):
        batch = texts[first : first + _BATCH]
        tally.add(first, list(token_arrays(batch)), [len(text) for text in batch])
        progress(first + len(batch), len(texts))
    report = _report(work, tally)
    return replace(
        report,
        claims=claim_agreement(work, load_done_links(store, work)),
        links=link_agreement(work, load_done_entries(store, work)),
    )


_BATCH = 500  # articles


def _texts(store: Store, article_ids: Int64Array) -> list[str]:
    """The texts of the articles, in id order (``article_ids`` is sorted)."""
    return store.texts(article_ids.tolist())


class _TokenTally:
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
            self.patterns[layer].update(_pattern_tally(labels, done, len(codes) + 1))

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


def _pattern_tally(
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


def _report(work: DoneWork, tally: _TokenTally) -> AgreementReport:
    identity = work.span_identity()
    holders = _holders(work, identity)
    matches = {pair: _pair_matches(work, pair, identity, holders) for pair in tally.pairs}
    layers: dict[str, LayerAgreement] = {}
    for layer, codes in tally.codes.items():
        layer_pairs = [
            PairAgreement(
                work.annotators[a],
                work.annotators[b],
                articles=int((work.done[a] & work.done[b]).sum()),
                tokens=tally.tokens[a, b],
                kappa=kappa_from_confusion(tally.confusion[layer][a, b]),
                matches=sum((matches[a, b][code] for code in codes), SpanMatches()),
            )
            for a, b in tally.pairs
        ]
        layers[layer] = LayerAgreement(
            labels=tuple(work.labels[code] for code in codes),
            alpha=alpha_from_counts(*tally.value_counts(layer)),
            pairs=tuple(layer_pairs),
        )
    labels = {
        name: LabelAgreement(sum((matches[pair][code] for pair in tally.pairs), SpanMatches()))
        for code, name in enumerate(work.labels)
    }
    return AgreementReport(
        annotators=work.annotators, articles=len(work), layers=layers, labels=labels
    )


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
