"""Agreement on who makes each claim and how it is framed, per pair of annotators.

Over the articles both annotators marked done (as every figure of ``annotator agreement``):

- claim–source pair F1: each annotator's relations as (claim, source, relation type)
  triples; exact matches are triples both have (same spans by value), overlap matches pair
  the rest one to one where the relation type is the same and both the claims and the
  sources overlap (the matching of ``annotator.review.metrics.overlap_matches``, greedy);
  F1 is ``2 matched / (a + b)``, as for spans;
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

from annotator.review.claims import DoneClaims, SpanKey
from annotator.review.metrics import SpanMatches, kappa_from_confusion
from annotator.review.work import DoneWork

Triple = tuple[SpanKey, SpanKey, str]  # claim, source, relation type


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
    def f1_overlap(self) -> float | None:
        return self.sources.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "relations_a": self.sources.a,
            "relations_b": self.sources.b,
            "f1_exact": self.f1_exact,
            "f1_overlap": self.f1_overlap,
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
            "f1_overlap": self.sources.f1_partial,
            "pairs": [pair.to_dict() for pair in self.pairs],
        }

    def format_lines(self) -> list[str]:
        """The claims part of ``AgreementReport.format_table``."""
        if not self.pairs:
            return []
        width = max([len(f"{p.a} / {p.b}") for p in self.pairs] + [4])
        names = "".join(f"  {f'{name} κ':>11}" for name in self.attribute_names)
        lines = [
            "",
            "claims: who makes each claim (claim–source pair F1) and how it is framed",
            "(Cohen's kappa of each attribute over the claims both annotators marked)",
            f"  {'pair':<{width}}  articles  sources  F1 exact  F1 overlap  claims{names}",
        ]
        for pair in self.pairs:
            compared = max((v.claims for v in pair.attributes.values()), default=0)
            kappas = "".join(
                f"  {_figure(pair.attributes[name].kappa):>11}" for name in self.attribute_names
            )
            lines.append(
                f"  {f'{pair.a} / {pair.b}':<{width}}  {pair.articles:>8}  "
                f"{f'{pair.sources.a}/{pair.sources.b}':>7}  {_figure(pair.f1_exact):>8}  "
                f"{_figure(pair.f1_overlap):>10}  {compared:>6}{kappas}"
            )
        return lines


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def claim_agreement(work: DoneWork, claims: DoneClaims) -> ClaimAgreement:
    """Claim–source pair F1 and attribute kappa for every pair of ``work``'s annotators."""
    attribute_types = list(claims.scheme.attribute_types)
    pairs = []
    for a, b in combinations(range(len(work.annotators)), 2):
        name_a, name_b = work.annotators[a], work.annotators[b]
        both = np.flatnonzero(work.done[a] & work.done[b]).tolist()
        sources = SpanMatches()
        confusion = {
            t.name: np.zeros((len(t.values), len(t.values)), dtype=np.int64)
            for t in attribute_types
        }
        for i in both:
            sources += _source_matches(_triples(claims, i, name_a), _triples(claims, i, name_b))
            common = claims.held[i][name_a] & claims.held[i][name_b]
            values_a, values_b = claims.values[i][name_a], claims.values[i][name_b]
            for t in attribute_types:
                for claim in common:
                    if claim[2] != t.label:
                        continue
                    va = values_a.get(claim, {}).get(t.name, t.default)
                    vb = values_b.get(claim, {}).get(t.name, t.default)
                    if va in t.values and vb in t.values:
                        confusion[t.name][t.values.index(va), t.values.index(vb)] += 1
        pairs.append(
            ClaimPairAgreement(
                name_a,
                name_b,
                len(both),
                sources,
                {
                    name: AttributeAgreement(
                        int(matrix.sum()), int(np.trace(matrix)), kappa_from_confusion(matrix)
                    )
                    for name, matrix in confusion.items()
                },
            )
        )
    return ClaimAgreement(tuple(t.name for t in attribute_types), tuple(pairs))


def _triples(claims: DoneClaims, article: int, name: str) -> set[Triple]:
    return {
        (claim, child, label)
        for (claim, label), children in claims.sources[article][name].items()
        for child in children
    }


def _source_matches(a: set[Triple], b: set[Triple]) -> SpanMatches:
    exact = a & b
    left_b = sorted(b - exact, key=lambda t: (t[0][1], t[1][1]))
    matched = 0
    for head, child, label in sorted(a - exact, key=lambda t: (t[0][1], t[1][1])):
        for k, (other_head, other_child, other_label) in enumerate(left_b):
            if label == other_label and _overlap(head, other_head) and _overlap(child, other_child):
                del left_b[k]
                matched += 1
                break
    return SpanMatches(len(a), len(b), len(exact), len(exact) + matched)


def _overlap(x: SpanKey, y: SpanKey) -> bool:
    return x[0] < y[1] and y[0] < x[1]
