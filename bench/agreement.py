"""How fast is the review work on a big project? Agreement, the disagreement list, one article.

Builds a project of 10,000 synthetic articles (news-like lengths, 2,700 characters on average,
a 24,000-word vocabulary) labelled by three annotators, each a perturbed copy of one hidden
gold version (shifted boundaries, swapped labels, missed and extra spans), then times:

- the whole agreement report (``agreement_report``: queries, tokenizing, every figure), on a
  first run in the process (spaCy's tokenizer has seen none of the words: the target,
  under 5 s) and again (its cache warm, as when the window recomputes), against baselines
  measured in the same run: the bare SQL fetch of every span, and a fresh spaCy tokenizer
  over every text (the floor under any token-level figure);
- kappa and alpha alone on the same token arrays: ours, and scikit-learn + krippendorff;
- the disagreement list (``rank_articles``);
- opening one article for review without the window (``open_review``: fetch, clustering,
  gold pre-fill), target under 100 ms; ``time_open_article`` is the function to extend
  once the review screen exists.

Wall-clock and process CPU seconds are both printed: the machine may be shared.

    .venv/bin/python bench/agreement.py [--articles N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.model import Article  # noqa: E402
from annotator.storage import Store  # noqa: E402

ANNOTATORS = ("ana", "ben", "cem")

# Per annotator and span: the chance of each change to the gold version.
MISS = 0.05
SHIFT = 0.08
SWAP = 0.04  # entities only: LOCATION <-> FACTION
EXTRA = 0.02  # an extra one-word entity, per gold span

_SYLLABLES = [
    c + v
    for c in ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh")
    for v in ("a", "e", "i", "o", "u", "ai", "ou")
]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(words)


class ArticleMaker:
    """News-like text as words with known offsets, and a gold version of its spans."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng, 20_000)
        self.names = [w.capitalize() for w in _vocabulary(self.rng, 4_000)]
        # Zipf-like weights, so common words repeat as they do in news.
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(self.words))))

    def article(self) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, str]]]:
        """(text, word offsets, gold spans as (first word, last word, label))."""
        rng = self.rng
        length = min(8_000, max(400, int(rng.lognormvariate(7.8, 0.35))))
        parts: list[str] = []
        words: list[tuple[int, int]] = []
        spans: list[tuple[int, int, str]] = []
        size = 0
        while size < length:
            sentence = rng.randint(12, 30)
            common = rng.choices(self.words, cum_weights=self.cumulative, k=sentence)
            first_word = len(words)
            i = 0
            while i < sentence:
                if rng.random() < 0.05:  # a name: one to three capitalised words
                    n = min(rng.choice((1, 1, 2, 3)), sentence - i)
                    label = rng.choice(("LOCATION", "FACTION"))
                    spans.append((len(words), len(words) + n - 1, label))
                    tokens = [rng.choice(self.names) for _ in range(n)]
                else:
                    n = 1
                    tokens = [common[i]]
                for token in tokens:
                    if parts and not parts[-1].endswith("\n"):
                        parts.append(" ")
                        size += 1
                    words.append((size, size + len(token)))
                    parts.append(token)
                    size += len(token)
                    if rng.random() < 0.06:
                        parts.append(",")
                        size += 1
                i += n
            parts.append("." if rng.random() < 0.9 else "?")
            size += 1
            if rng.random() < 0.35:  # a claim: a clause of the sentence
                start = rng.randint(first_word, len(words) - 3)
                end = rng.randint(start + 2, min(len(words) - 1, start + 16))
                spans.append((start, end, "CLAIM"))
                if rng.random() < 0.1 and end - start > 4:  # attribution inside attribution
                    spans.append((start + 2, end - 1, "CLAIM"))
            if rng.random() < 0.2:
                parts.append("\n\n")
                size += 2
        return "".join(parts), words, spans

    def annotator_version(
        self, words: list[tuple[int, int]], gold: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """One annotator's spans: gold with misses, shifted edges, swapped labels, extras."""
        rng = self.rng
        spans = []
        for first, last, label in gold:
            roll = rng.random()
            if roll < MISS:
                continue
            if roll < MISS + SHIFT:
                step = rng.choice((-1, 1))
                if rng.random() < 0.5:
                    first = min(max(0, first + step), last)
                else:
                    last = max(min(len(words) - 1, last + step), first)
            elif roll < MISS + SHIFT + SWAP and label != "CLAIM":
                label = "FACTION" if label == "LOCATION" else "LOCATION"
            spans.append((first, last, label))
        entities = {w for f, la, lab in spans if lab != "CLAIM" for w in range(f, la + 1)}
        for _ in range(sum(rng.random() < EXTRA for _ in gold)):
            w = rng.randrange(len(words))
            if w not in entities:
                spans.append((w, w, rng.choice(("LOCATION", "FACTION"))))
                entities.add(w)
        # A shifted edge may run into a neighbouring entity: keep the entity layer valid.
        kept, taken = [], set()
        for first, last, label in sorted(spans, key=lambda s: s[0] - s[1]):
            cover = set(range(first, last + 1))
            if label != "CLAIM":
                if cover & taken:
                    continue
                taken |= cover
            kept.append((first, last, label))
        return kept


def synthetic_project(path: Path, articles: int, seed: int = 0) -> None:
    """Write a project of ``articles`` articles, each marked done by every annotator."""
    maker = ArticleMaker(seed)
    made = [maker.article() for _ in range(articles)]
    with Store(path) as store, store.transaction():
        ids = store.add_articles(
            Article(text, title=f"Article {i}") for i, (text, _, _) in enumerate(made)
        ).ids
        for name in ANNOTATORS:
            rows = []
            for article_id, (_, words, gold) in zip(ids, made, strict=True):
                for first, last, label in maker.annotator_version(words, gold):
                    rows.append((article_id, name, words[first][0], words[last][1], label, "human"))
            store.add_spans_in_bulk(rows)
            store.set_statuses_in_bulk((article_id, name, "done") for article_id in ids)


@dataclass
class Timing:
    """The best of some runs: wall-clock seconds, and the CPU seconds of this process in it.

    On a machine shared with other work, wall-clock time swells while CPU time shows what
    the code itself costs; the table prints both.
    """

    wall: float = float("inf")
    cpu: float = 0.0
    result: Any = None


def timed(action: Callable[[], Any], repeat: int = 1) -> Timing:
    best = Timing()
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        wall = time.perf_counter() - start
        if wall < best.wall:
            best = Timing(wall, time.process_time() - cpu, result)
    return best


def time_open_article(store: Store, article_ids: list[int]) -> list[float]:
    """Seconds to open each article for review: what the review screen does before drawing.

    Today that is ``open_review`` (the article, every annotator's spans, the clusters of
    disagreement, the gold lane). The review screen can add its own drawing here once it
    exists, to check the whole of "opens an article in under 100 ms".
    """
    from annotator.review.adjudication import open_review

    times = []
    for article_id in article_ids:
        start = time.perf_counter()
        open_review(store, article_id)
        times.append(time.perf_counter() - start)
    return times


def time_review_screen(store: Store, article_ids: list[int]) -> list[float]:
    """Seconds from asking the review window for an article to its lanes painted, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.ui.review_window import ReviewWindow

    app = QApplication.instance() or QApplication([])
    window = ReviewWindow(store)
    window.resize(1500, 900)
    window.show()
    QTest.qWaitForWindowExposed(window)
    times = []
    for article_id in article_ids:
        start = time.perf_counter()
        window.open_article(article_id)
        window.repaint()  # every lane drawn, synchronously
        times.append(time.perf_counter() - start)
    window.close()
    app.processEvents()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the project here, or reuse it")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        print(f"building {args.articles:,} articles × {len(ANNOTATORS)} annotators ...", flush=True)
        synthetic_project(path, args.articles)

    load_before = _load_average()
    import krippendorff
    import spacy
    from sklearn.metrics import cohen_kappa_score

    from annotator.review.agreement import agreement_report
    from annotator.review.disagreements import rank_articles
    from annotator.review.metrics import cohen_kappa, krippendorff_alpha
    from annotator.review.token_labels import token_arrays

    rows: list[tuple[str, Timing, str]] = []
    with Store(path) as store:
        counts = store.stats()
        spans = sum(n for labels in counts["spans"].values() for n in labels.values())
        chars = counts["characters"]
        print(f"{store.article_count():,} articles, {chars:,} characters, {spans:,} spans")

        # First, while spaCy's tokenizer has seen none of these texts (as on a first run).
        cold = timed(lambda: agreement_report(store))
        rows.append(("agreement report, first run", cold, "target < 5 s"))
        warm = timed(lambda: agreement_report(store))
        rows.append(("agreement report, again", warm, "spaCy's tokenizer cache warm"))

        fetch = timed(lambda: list(store.span_rows(ANNOTATORS)), repeat=3)
        rows.append(("baseline: SQL fetch of every span", fetch, ""))
        texts = store.texts(store.article_ids())
        fresh = spacy.blank("en").tokenizer
        fresh.max_cache_size = 1_000_000  # as token_arrays sets it
        tokenize = timed(lambda: [len(doc) for doc in fresh.pipe(texts)])
        rows.append(("baseline: spaCy tokenizing every text", tokenize, "a fresh tokenizer"))

        labels = _entity_token_labels(store, texts, list(token_arrays(texts)))
        ours = timed(
            lambda: (cohen_kappa(labels[0], labels[1]), krippendorff_alpha(labels)), repeat=3
        )
        reference = timed(
            lambda: (
                cohen_kappa_score(labels[0], labels[1]),
                krippendorff.alpha(reliability_data=labels, level_of_measurement="nominal"),
            )
        )
        rows.append(("kappa + alpha, entity layer: ours", ours, f"{labels.shape[1]:,} tokens"))
        rows.append(("  the same: sklearn + krippendorff", reference, ""))

        ranking = timed(lambda: rank_articles(store))
        rows.append(
            ("disagreement list (rank_articles)", ranking, f"{len(ranking.result):,} articles")
        )

        sample = random.Random(1).sample(store.article_ids(), min(50, store.article_count()))
        opening = time_open_article(store, sample)
        rows.append(
            (
                "open one article for review (median)",
                Timing(statistics.median(opening), float("nan")),
                f"max {max(opening) * 1000:.0f} ms; no drawing",
            )
        )
        drawn = time_review_screen(store, sample)
        rows.append(
            (
                "review screen: article shown (median)",
                Timing(statistics.median(drawn), float("nan")),
                f"p95 {sorted(drawn)[int(0.95 * (len(drawn) - 1))] * 1000:.0f} ms, "
                f"max {max(drawn) * 1000:.0f} ms; target < 100 ms",
            )
        )

    print(f"\nload average before: {load_before}, after: {_load_average()}")
    print(f"{'':40} {'wall s':>8} {'CPU s':>8}  notes")
    for name, timing, note in rows:
        cpu = f"{timing.cpu:8.3f}" if timing.cpu == timing.cpu else f"{'-':>8}"  # NaN: not timed
        print(f"{name:40} {timing.wall:8.3f} {cpu}  {note}")
    print()
    print(
        "agreement report / (SQL fetch + tokenizing), first run: "
        f"{cold.wall / (fetch.wall + tokenize.wall):.2f}× wall, "
        f"{cold.cpu / (fetch.cpu + tokenize.cpu):.2f}× CPU"
    )
    print(f"kappa + alpha, ours / reference packages: {ours.wall / reference.wall:.3f}×")
    verdict = "met" if cold.wall < 5 else "MISSED"
    print(f"first report: {cold.wall:.2f} s wall ({cold.cpu:.2f} s CPU): 5 s target {verdict}")
    for layer, figures in cold.result.to_dict()["layers"].items():
        pairs = ", ".join(
            f"{p['a']}/{p['b']} kappa {p['kappa']:.3f} F1 {p['f1_exact']:.3f}"
            for p in figures["pairs"]
        )
        print(f"  {layer}: alpha {figures['alpha']:.3f}; {pairs}")


def _load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _entity_token_labels(store: Store, texts: list[str], tokens: list) -> Any:
    """Every annotator's entity-layer label of every token, as one (annotators, tokens) array."""
    import numpy as np

    from annotator.review.token_labels import label_tokens, token_ranges
    from annotator.review.work import load_done_work

    work = load_done_work(store)
    lengths = np.array([len(text) + 1 for text in texts])
    base = np.cumsum(lengths) - lengths  # articles laid end to end, as agreement does
    starts = np.concatenate([s + b for (s, _), b in zip(tokens, base, strict=True)])
    ends = np.concatenate([e + b for (_, e), b in zip(tokens, base, strict=True)])
    codes = work.label_codes("entity")
    rows = []
    for a in range(len(work.annotators)):
        mine = (work.span_annotator == a) & np.isin(work.span_label, codes)
        offset = base[work.span_article[mine]]
        first, last = token_ranges(
            starts, ends, work.span_start[mine] + offset, work.span_end[mine] + offset
        )
        rows.append(label_tokens(len(starts), first, last, work.span_label[mine] + 1))
    return np.array(rows)


if __name__ == "__main__":
    main()
