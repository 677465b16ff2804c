"""Shared by the benchmarks: the evaluation data beside the project, scoring, tables."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as ``python bench/x.py`` without installing

EVAL = ROOT.parent / "shared" / "eval"
GUM = EVAL / "gum_news.jsonl"
WIKIGOLD = EVAL / "wikigold.jsonl"
LABELS = ("LOCATION", "FACTION", "CLAIM")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        sys.exit(f"{path}: not found (the evaluation data lives in ../shared/eval)")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class GoldDoc:
    text: str
    spans: dict[str, set[tuple[int, int]]]  # label -> (start, end)


def gum_gold(docs: Iterable[dict]) -> list[GoldDoc]:
    """Named place → LOCATION, named organization → FACTION, attribution content → CLAIM."""
    gold = []
    for doc in docs:
        spans: dict[str, set[tuple[int, int]]] = {label: set() for label in LABELS}
        for entity in doc["entities"]:
            if not entity["named"]:
                continue
            label = {"place": "LOCATION", "organization": "FACTION"}.get(entity["etype"])
            if label:
                spans[label].add((entity["start"], entity["end"]))
        for attribution in doc["attributions"]:
            content = attribution["content"]
            spans["CLAIM"].add((content["start"], content["end"]))
        gold.append(GoldDoc(doc["text"], spans))
    return gold


def wikigold_gold(docs: Iterable[dict]) -> list[GoldDoc]:
    """LOC → LOCATION, ORG → FACTION (no claims in this corpus)."""
    gold = []
    for doc in docs:
        spans: dict[str, set[tuple[int, int]]] = {"LOCATION": set(), "FACTION": set()}
        for entity in doc["entities"]:
            label = {"LOC": "LOCATION", "ORG": "FACTION"}.get(entity["label"])
            if label:
                spans[label].add((entity["start"], entity["end"]))
        gold.append(GoldDoc(doc["text"], spans))
    return gold


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    exact_tp_pred: int = 0  # predictions equal to a gold span
    exact_tp_gold: int = 0  # gold spans equal to a prediction
    edges_tp_pred: int = 0  # the same, after one edge convention is applied to both sides
    edges_tp_gold: int = 0
    overlap_tp_pred: int = 0  # predictions overlapping a gold span
    overlap_tp_gold: int = 0  # gold spans overlapped by a prediction

    def prf(self, mode: str) -> tuple[float, float, float]:
        tp_pred = getattr(self, f"{mode}_tp_pred")
        tp_gold = getattr(self, f"{mode}_tp_gold")
        p = tp_pred / self.predicted if self.predicted else 0.0
        r = tp_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score(
    gold: Sequence[GoldDoc], predicted: Sequence[dict[str, set[tuple[int, int]]]]
) -> dict[str, Counts]:
    """Per label: exact match and overlap match (any shared character), both directions."""
    labels = list(gold[0].spans) if gold else []
    counts = {label: Counts() for label in labels}
    for doc, pred in zip(gold, predicted, strict=True):
        for label in labels:
            g = doc.spans[label]
            p = pred.get(label, set())
            c = counts[label]
            c.predicted += len(p)
            c.gold += len(g)
            c.exact_tp_pred += len(p & g)
            c.exact_tp_gold += len(p & g)
            g_edges = {same_edges(doc.text, span) for span in g}
            p_edges = {same_edges(doc.text, span) for span in p}
            c.edges_tp_pred += sum(1 for span in p if same_edges(doc.text, span) in g_edges)
            c.edges_tp_gold += sum(1 for span in g if same_edges(doc.text, span) in p_edges)
            c.overlap_tp_pred += sum(1 for s in p if any(_overlap(s, t) for t in g))
            c.overlap_tp_gold += sum(1 for t in g if any(_overlap(s, t) for s in p))
    return counts


_LEADING = re.compile(r"""^(?:[\s"'“‘«(\[]+|(?:the|that)\s+)""", re.IGNORECASE)
_TRAILING = re.compile(r"""(?:[\s.,;:!?"'”’»)\]]+|['’]s)$""")


def same_edges(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span with one edge convention applied: no leading "the"/"that"/quotes/brackets, no
    trailing punctuation, quotes or possessive 's.

    Gold corpora differ in such conventions (GUM's markables include "the", "'s" and the
    final full stop of a claim; CoNLL and this project's guidelines leave them out). Applied
    alike to gold and to every system, it makes "exact" mean the same words, not the same
    convention. Nothing is trimmed to nothing.
    """
    start, end = span
    while True:
        piece = text[start:end]
        lead = _LEADING.match(piece)
        trail = _TRAILING.search(piece)
        if lead and lead.end() < len(piece):
            start += lead.end()
        elif trail and trail.start() > 0:
            end = start + trail.start()
        else:
            return start, end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def by_label(spans: Iterable) -> dict[str, set[tuple[int, int]]]:
    grouped: dict[str, set[tuple[int, int]]] = {}
    for span in spans:
        grouped.setdefault(span.label, set()).add((span.start, span.end))
    return grouped


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return "\n".join([line, rule, *body])
