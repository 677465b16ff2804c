"""Agreement on what spans refer to, per pair of annotators.

Over the articles both annotators marked done (as every figure of ``annotator agreement``):
among the spans both made with the same start, end and label, those at least one of them
linked to a knowledge-base entry; link accuracy is the share of these with the same entry
(a span one linked and the other left unlinked counts as a difference), with their number
beside it. ``None`` when there is no such span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.review.work import DoneWork


@dataclass(frozen=True, slots=True)
class LinkPairAgreement:
    """Two annotators' entries on the spans both made."""

    a: str
    b: str
    articles: int
    spans: int = 0  # spans both made, linked by at least one of them
    agreed: int = 0  # of them, linked to the same entry

    @property
    def accuracy(self) -> float | None:
        return self.agreed / self.spans if self.spans else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "spans": self.spans,
            "agreed": self.agreed,
            "accuracy": self.accuracy,
        }


@dataclass(frozen=True)
class LinkAgreement:
    """Link accuracy of every pair of annotators."""

    pairs: tuple[LinkPairAgreement, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": [pair.to_dict() for pair in self.pairs]}

    def format_lines(self) -> list[str]:
        """The table ``format_table`` prints, after the claims'."""
        if not any(pair.spans for pair in self.pairs):
            return []
        width = max([len(f"{p.a} / {p.b}") for p in self.pairs] + [4])
        lines = [
            "",
            "links (what spans refer to): accuracy over the spans both made, linked by either",
            f"  {'pair':<{width}}  articles   spans  accuracy",
        ]
        for pair in self.pairs:
            accuracy = "-" if pair.accuracy is None else f"{pair.accuracy:.3f}"
            lines.append(
                f"  {f'{pair.a} / {pair.b}':<{width}}  {pair.articles:>8}  {pair.spans:>6}  "
                f"{accuracy:>8}"
            )
        return lines


def link_agreement(work: DoneWork, entries: npt.NDArray[np.int64]) -> LinkAgreement:
    """Link accuracy per pair, from the entries of ``annotator.review.kb_links.
    load_done_entries``."""
    identity = work.span_identity()
    has = np.zeros(entries.shape, dtype=bool)
    if len(identity):
        has[work.span_annotator, identity] = True
    pairs = []
    for a, b in combinations(range(len(work.annotators)), 2):
        both = has[a] & has[b]
        linked = both & ((entries[a] > 0) | (entries[b] > 0))
        pairs.append(
            LinkPairAgreement(
                work.annotators[a],
                work.annotators[b],
                articles=int((work.done[a] & work.done[b]).sum()),
                spans=int(linked.sum()),
                agreed=int((linked & (entries[a] == entries[b])).sum()),
            )
        )
    return LinkAgreement(tuple(pairs))
