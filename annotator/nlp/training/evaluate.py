"""Precision, recall and F1 per label of suggestions against finished work, exact and overlap.

Exact: the same start, end and label. Overlap: a suggestion counts as right if it shares a
character with a span of its label (and a span as found if a suggestion of its label shares
one with it); so boundary slips cost exact scores only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.model import Span


@dataclass
class LabelScore:
    """Counts for one label; the figures are derived from them."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0  # predictions equal to a gold span
    overlap_predicted: int = 0  # predictions overlapping a gold span
    overlap_gold: int = 0  # gold spans overlapped by a prediction

    def figures(self) -> dict[str, dict[str, float]]:
        return {
            "exact": _prf(self.exact, self.exact, self.predicted, self.gold),
            "overlap": _prf(self.overlap_predicted, self.overlap_gold, self.predicted, self.gold),
        }


def _prf(right_predicted: int, found_gold: int, predicted: int, gold: int) -> dict[str, float]:
    p = right_predicted / predicted if predicted else 0.0
    r = found_gold / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(
    gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]], labels: Sequence[str]
) -> dict[str, dict]:
    """Per label: ``{"gold": n, "predicted": n, "exact": {precision, recall, f1}, "overlap":
    {...}}``, over documents paired in order."""
    counts = {label: LabelScore() for label in labels}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        for label in labels:
            g = {(s.start, s.end) for s in gold_spans if s.label == label}
            p = {(s.start, s.end) for s in predicted_spans if s.label == label}
            c = counts[label]
            c.gold += len(g)
            c.predicted += len(p)
            c.exact += len(g & p)
            c.overlap_predicted += sum(1 for a in p if any(_overlap(a, b) for b in g))
            c.overlap_gold += sum(1 for b in g if any(_overlap(a, b) for a in p))
    return {
        label: {"gold": c.gold, "predicted": c.predicted, **c.figures()}
        for label, c in counts.items()
    }


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
