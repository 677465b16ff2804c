"""Agreement on who makes each claim and how it is framed, per pair of annotators.

Over the articles both annotators marked done (as every figure of ``annotator agreement``):

- claim–source pair F1: each annotator's relations as (claim, source, relation type)
  triples; exact matches are triples both have (same spans by value), overlap matches pair
  the rest one to one, article by article, where the relation type is the same and both the
  claims and the sources overlap (greedy, in the order of the rows); F1 is
  ``2 matched / (a + b)``, as for spans;
- per attribute, Cohen's kappa over the claims both annotators marked (same start, end and
  label), each claim's value being the stored one or the attribute's default, with the
  observed agreement and the number of claims beside it.

A figure with nothing to compare (no relation on either side; every value one and the same)
is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.review.claim_arrays import DoneLinks
from annotator.review.intervals import overlap_groups
from annotator.review.metrics import SpanMatches, kappa_from_confusion
from annotator.review.work import DoneWork


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    """Two annotators' values of one attribute on the claims both marked."""

    claims: int = 0
    agreed: int = 0
    kappa: float | None = None

    @property
    def observed(self) -> float | None:
        return self.agreed / self.claims if self.claims else None

    def to_dict(self) -> dict[str, Any]:
        return {"claims": self.claims, "observed": self.observed, "kappa": self.kappa}


@dataclass(frozen=True, slots=True)
class ClaimPairAgreement:
    """Two annotators' sources and attribute values, over the articles both marked done."""

    a: str
    b: str
    articles: int
    sources: SpanMatches = field(default_factory=SpanMatches)
    attributes: Mapping[str, AttributeAgreement] = field(default_factory=dict)

    @property
    def f1_exact(self) -> float | None:
        return self.sources.f1_exact

    @property
    def f1_partial(self) -> float | None:
        """Overlap F1 (the key spans' agreement uses too)."""
        return self.sources.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "relations_a": self.sources.a,
            "relations_b": self.sources.b,
            "f1_exact": self.f1_exact,
            "f1_partial": self.f1_partial,
            "attributes": {name: value.to_dict() for name, value in self.attributes.items()},
        }


@dataclass(frozen=True)
class ClaimAgreement:
    """Claim–source pair F1 and attribute kappa of every pair of annotators."""

    attribute_names: tuple[str, ...] = ()
    pairs: tuple[ClaimPairAgreement, ...] = ()

    @property
    def sources(self) -> SpanMatches:
        """The relations of every pair pooled (micro-averaged F1)."""
        return sum((pair.sources for pair in self.pairs), SpanMatches())

    def pair(self, a: str, b: str) -> ClaimPairAgreement:
        for pair in self.pairs:
            if {pair.a, pair.b} == {a, b}:
                return pair
        raise KeyError(f"no pair {a}, {b}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "attributes": list(self.attribute_names),
            "f1_exact": self.sources.f1_exact,
            "f1_partial": self.sources.f1_partial,
            "pairs": [pair.to_dict() for pair in self.pairs],
        }

    def format_lines(self) -> list[str]:
        """The claims part of ``AgreementReport.format_table``: each kappa with the observed
        agreement beside it, as the window's tip has (alone, "hedged κ 0.000" read as no
        agreement where 14 of 15 claims agreed: kappa is 0 when one never uses a value)."""
        if not self.pairs:
            return []
        width = max([len(f"{p.a} / {p.b}") for p in self.pairs] + [4])
        headers = [f"{name} κ (observed)" for name in self.attribute_names]
        names = "".join(f"  {header}" for header in headers)
        lines = [
            "",
            "claims: who makes each claim (claim–source pair F1) and how it is framed",
            "(Cohen's kappa of each attribute over the claims both annotators marked, and the",
            "share of them given the same value: kappa is 0 when one annotator never uses a value)",
            f"  {'pair':<{width}}  articles  sources  F1 exact  F1 overlap  claims{names}",
        ]
        for pair in self.pairs:
            compared = max((v.claims for v in pair.attributes.values()), default=0)
            kappas = "".join(
                f"  {_with_observed(pair.attributes[name]):>{len(header)}}"
                for name, header in zip(self.attribute_names, headers, strict=True)
            )
            lines.append(
                f"  {f'{pair.a} / {pair.b}':<{width}}  {pair.articles:>8}  "
                f"{f'{pair.sources.a}/{pair.sources.b}':>7}  {_figure(pair.f1_exact):>8}  "
                f"{_figure(pair.f1_partial):>10}  {compared:>6}{kappas}"
            )
        return lines


def _with_observed(figures: AttributeAgreement) -> str:
    """``0.000 (0.933)``: kappa, and the observed agreement (``-`` with no claims)."""
    if figures.observed is None:
        return _figure(figures.kappa)
    return f"{_figure(figures.kappa)} ({_figure(figures.observed)})"


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def claim_agreement(work: DoneWork, links: DoneLinks) -> ClaimAgreement:
    """Claim–source pair F1 and attribute kappa for every pair of ``work``'s annotators."""
    n_annotators = len(work.annotators)
    held = np.zeros((n_annotators, len(links.identity_article)), dtype=bool)
    held[links.claim_annotator, links.claim_identity] = True
    tables = [links.value_table(n_annotators, i) for i in range(len(links.attribute_types))]
    n_identities = max(len(links.identity_article), 1)
    keys = (links.rel_claim * n_identities + links.rel_source) * max(
        len(links.relation_types), 1
    ) + links.rel_type
    pairs = []
    for a, b in combinations(range(n_annotators), 2):
        both_done = work.done[a] & work.done[b]
        on_both = both_done[links.identity_article[links.rel_claim]]
        mine = [on_both & (links.rel_annotator == side) for side in (a, b)]
        sources = _source_matches(links, keys, *mine)
        attributes = {}
        for t, table in zip(links.attribute_types, tables, strict=True):
            codes = [k for k, name in enumerate(work.labels) if name == t.label]
            common = held[a] & held[b] & np.isin(links.identity_label, codes)
            size = len(t.values)
            matrix = np.bincount(
                table[a, common] * size + table[b, common], minlength=size * size
            ).reshape(size, size)
            attributes[t.name] = AttributeAgreement(
                int(matrix.sum()), int(np.trace(matrix)), kappa_from_confusion(matrix)
            )
        pairs.append(
            ClaimPairAgreement(
                work.annotators[a], work.annotators[b], int(both_done.sum()), sources, attributes
            )
        )
    return ClaimAgreement(tuple(t.name for t in links.attribute_types), tuple(pairs))


def _source_matches(
    links: DoneLinks,
    keys: npt.NDArray[np.int64],
    mine_a: npt.NDArray[np.bool_],
    mine_b: npt.NDArray[np.bool_],
) -> SpanMatches:
    """Exact matches are relation keys both sides have. The rest pair one to one where the
    relation type is the same and claims and sources overlap: with arrays where a claim
    overlaps one of the other side's only (the usual case: the same claim, another source),
    one by one where several overlap."""
    # An annotator's relations are distinct (head, source, type): keys are too.
    keys_a, keys_b = np.sort(keys[mine_a]), np.sort(keys[mine_b])
    exact = keys_a[_member(keys_a, keys_b)]
    rest_a = np.flatnonzero(mine_a & ~_member(keys, exact))
    rest_b = np.flatnonzero(mine_b & ~_member(keys, exact))
    start, end = links.identity_start, links.identity_end
    # Runs of overlapping claims per article and relation type, both sides at once: a run
    # of one relation from each side is a match if their sources overlap too, and cannot
    # match anything else either way; only longer runs are paired one by one below.
    rows = np.concatenate([rest_a, rest_b])
    side = np.concatenate([np.zeros(len(rest_a), np.int64), np.ones(len(rest_b), np.int64)])
    claim = links.rel_claim[rows]
    block = links.identity_article[claim] * max(len(links.relation_types), 1) + links.rel_type[rows]
    order = np.lexsort((start[claim], block))
    rows, side, claim, block = rows[order], side[order], claim[order], block[order]
    stride = int(end.max(initial=0)) + 1
    groups = overlap_groups(block * stride + start[claim], block * stride + end[claim])
    size = np.bincount(groups)
    from_b = np.bincount(groups, weights=side).astype(np.int64)
    pair = (size == 2) & (from_b == 1)
    first = np.searchsorted(groups, np.flatnonzero(pair))
    one, other = rows[first], rows[first + 1]
    s1, s2 = links.rel_source[one], links.rel_source[other]
    matched = int(((start[s1] < end[s2]) & (start[s2] < end[s1])).sum())
    longer = size[groups] > 2
    rest_a, rest_b = rows[longer & (side == 0)], rows[longer & (side == 1)]

    article = links.identity_article[links.rel_claim]
    rest_a = rest_a[_member(article[rest_a], np.sort(article[rest_b]))]
    rest_b = rest_b[_member(article[rest_b], np.sort(article[rest_a]))]
    # Python lists: the loop below reads single values, which numpy gives slowly.
    span = {int(i): (int(start[i]), int(end[i])) for i in np.unique(
        np.concatenate([links.rel_claim[rest_a], links.rel_source[rest_a],
                        links.rel_claim[rest_b], links.rel_source[rest_b]])
    ).tolist()}  # fmt: skip
    free_b: dict[int, list[tuple[int, int, int]]] = {}
    for row_article, head, source, kind in zip(
        article[rest_b].tolist(), links.rel_claim[rest_b].tolist(),
        links.rel_source[rest_b].tolist(), links.rel_type[rest_b].tolist(), strict=True,
    ):  # fmt: skip
        free_b.setdefault(row_article, []).append((head, source, kind))
    for row_article, head, source, kind in zip(
        article[rest_a].tolist(), links.rel_claim[rest_a].tolist(),
        links.rel_source[rest_a].tolist(), links.rel_type[rest_a].tolist(), strict=True,
    ):  # fmt: skip
        free = free_b[row_article]
        (cs, ce), (ss, se) = span[head], span[source]
        for k, (other_claim, other_source, other_kind) in enumerate(free):
            (ocs, oce), (oss, ose) = span[other_claim], span[other_source]
            if kind == other_kind and cs < oce and ocs < ce and ss < ose and oss < se:
                del free[k]
                matched += 1
                break
    n_exact = len(exact)
    return SpanMatches(len(keys_a), len(keys_b), n_exact, n_exact + matched)


def _member(
    values: npt.NDArray[np.int64], sorted_pool: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Which ``values`` are in ``sorted_pool`` (a sorted search; numpy's ``isin`` hashes)."""
    if len(sorted_pool) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_pool, values), len(sorted_pool) - 1)
    return sorted_pool[at] == values
