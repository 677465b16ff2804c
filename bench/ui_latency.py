"""How fast the window turns pages and makes spans, offscreen.

Measures, in one run:
- Next: from triggering ``actionNext`` to the next article painted with its highlights,
  over the sample project and over a generated 50,000-character article with 2,000 spans;
- the baseline: the same Next over the same texts without any span, in the same window, so
  the ratio is the cost of the highlights; and, for scale, the texts shown in a bare
  ``QPlainTextEdit`` of the same size and font;
- the whole window painted, span list included (it fills in just after the article);
- before each Next the window idles for ``READING_MS``, as while an annotator reads;
- creating a span: from the label key to the span painted and stored.

Targets: Next p95 under 50 ms and at most 2x plain text; a span under 16 ms.

    .venv/bin/python bench/ui_latency.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.core import Article, Span  # noqa: E402
from annotator.storage import Store  # noqa: E402

SENTENCE = (
    "the fighting continued near the town as residents fled toward the border while aid "
    "convoys waited for permission to cross and officials described the situation as grave"
)
WORDS = SENTENCE.split()
PLACES = ["Aleppo", "Idlib", "Marib", "El Fasher", "Kidal", "Bhamo", "Goma", "Sinjar"]
GROUPS = ["government forces", "Houthi rebels", "the RSF", "M23", "al-Shabaab", "JNIM"]


def long_article(seed: int = 7, target: int = 50_000, spans: int = 2_000) -> tuple[str, list[Span]]:
    """A wire-style article of ``target`` characters in paragraphs, with ``spans`` spans:
    three quarters entities, one quarter claims (some nested), like a dense real article."""
    rng = random.Random(seed)
    pieces: list[str] = []
    entities: list[Span] = []
    length = 0
    while length < target:
        if rng.random() < 0.18:
            name = rng.choice(PLACES + GROUPS)
            label = "LOCATION" if name in PLACES else "FACTION"
            entities.append(Span(length, length + len(name), label))
            piece = name
        else:
            piece = rng.choice(WORDS)
        if rng.random() < 0.01:
            piece += ".\n\n"
        else:
            piece += " "
        pieces.append(piece)
        length += len(piece)
    text = "".join(pieces)[:target]
    entities = [s for s in entities if s.end <= len(text)]
    rng.shuffle(entities)
    n_entities = min(len(entities), spans * 3 // 4)
    chosen = sorted(entities[:n_entities], key=lambda s: s.start)
    claims = []
    for _ in range(spans - n_entities):
        start = rng.randrange(0, len(text) - 400)
        claims.append(Span(start, start + rng.randrange(40, 380), "CLAIM"))
    return text, chosen + claims


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def paint(widget) -> None:
    widget.viewport().repaint()  # synchronous: the frame is drawn when this returns


#: A pause before each Next, as an annotator reads: the window uses idle time to read ahead.
READING_MS = 100


def time_next(window, rounds: int) -> tuple[list[float], list[float]]:
    """ms from actionNext to the article painted with its highlights, and to the whole
    window painted (the span list fills in just after the article)."""
    shown, settled = [], []
    for _ in range(rounds):
        if window.article_model.row_of(window.current.id) == window.article_model.rowCount() - 1:
            window.open_article(window.article_model.rows[0].id)
        QTest.qWait(READING_MS)
        start = time.perf_counter()
        window.action_next.trigger()
        paint(window.view)
        shown.append((time.perf_counter() - start) * 1000)
        QApplication.processEvents()  # the span list, and anything else left to draw
        settled.append((time.perf_counter() - start) * 1000)
    return shown, settled


def time_plain(texts: list[str], window, rounds: int) -> list[float]:
    """ms to show and paint the same texts in a bare text view of the same size."""
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.setFont(window.view.font())
    bare.document().setDocumentMargin(window.view.document().documentMargin())
    bare.resize(window.view.size())
    bare.show()
    QTest.qWaitForWindowExposed(bare)
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        bare.setPlainText(texts[i % len(texts)])
        paint(bare)
        times.append((time.perf_counter() - start) * 1000)
    bare.close()
    return times


def time_span_creation(window, rounds: int) -> list[float]:
    """ms from the label key to the new span stored and painted (and undo it again)."""
    text = window.current.article.text
    window.current.tokens  # noqa: B018 - tokenised while the annotator reads, as in use
    rng = random.Random(3)
    times = []
    for _ in range(rounds):
        start = rng.randrange(0, len(text) - 30)
        window.clear_selection()
        window.view.select_range(start, start + 12)
        began = time.perf_counter()
        window.label_actions["CLAIM"].trigger()
        QApplication.processEvents()  # paints what the edit marked dirty, as the loop would
        times.append((time.perf_counter() - began) * 1000)
        window.undo_stack.undo()
    return times


def project_with(articles: list[tuple[str, list[Span]]], folder: Path, name: str) -> Store:
    store = Store(folder / f"{name}.db")
    ids = store.add_articles(
        Article(text, title=f"{name} {i}") for i, (text, _) in enumerate(articles)
    ).ids
    store.add_suggestions(zip(ids, (spans for _, spans in articles), strict=True), "bench")
    return store


def sample_articles() -> list[tuple[str, list[Span]]]:
    """The bundled samples with the project's real pre-annotation."""
    from annotator.formats.importer import read_files
    from annotator.nlp import load_preannotator
    from annotator.ui.app import sample_articles_folder

    folder = sample_articles_folder()
    documents = [d for batch in read_files(sorted(folder.glob("*.txt")), "txt") for d in batch]
    texts = [d.article.text for d in documents]
    suggestions = list(load_preannotator(None).suggest(texts))
    return list(zip(texts, suggestions, strict=True))


def row(name: str, values: list[float]) -> str:
    return (
        f"| {name:<44} | {statistics.median(values):8.2f} | {percentile(values, 0.95):8.2f} "
        f"| {max(values):8.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - must stay alive
    from annotator.ui.main_window import MainWindow

    long_text, long_spans = long_article()
    # Two different long articles, so Next always shows a new text.
    other_text, other_spans = long_article(seed=11)
    with tempfile.TemporaryDirectory() as folder:
        samples = sample_articles()
        results = {}
        for name, articles in (
            ("sample project", samples),
            (
                "50,000 characters, 2,000 spans",
                [(long_text, long_spans), (other_text, other_spans)],
            ),
        ):
            figures = results[name] = {}
            for variant, with_spans in (("plain", False), ("next", True)):
                shown = [(text, spans if with_spans else []) for text, spans in articles]
                store = project_with(shown, Path(folder), f"{name.split()[0]}-{variant}")
                window = MainWindow(store, "bench")
                window.resize(1400, 900)
                window.show()
                QTest.qWaitForWindowExposed(window)
                time_next(window, 3)  # warm up: fonts, caches
                figures[variant], figures[f"{variant} settled"] = time_next(window, args.rounds)
                if with_spans:
                    figures["span"] = time_span_creation(window, args.rounds)
                    figures["bare"] = time_plain([t for t, _ in articles], window, args.rounds)
                window.close()
                store.close()

    print(f"UI latency, offscreen, {args.rounds} rounds each (ms)\n")
    print(f"| {'measure':<44} | {'median':>8} | {'p95':>8} | {'max':>8} |")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for name, figures in results.items():
        print(row(f"Next, {name}", figures["next"]))
        print(row(f"Next, {name}, no spans (baseline)", figures["plain"]))
        print(row(f"  whole window, {name}", figures["next settled"]))
        print(row(f"  whole window, {name}, no spans", figures["plain settled"]))
        print(row(f"bare QPlainTextEdit, {name}", figures["bare"]))
        print(row(f"create a span, {name}", figures["span"]))
    print()
    for name, figures in results.items():
        ratio = percentile(figures["next"], 0.95) / percentile(figures["plain"], 0.95)
        print(
            f"{name}: Next p95 {percentile(figures['next'], 0.95):.1f} ms, "
            f"{ratio:.2f}x the same without spans (targets < 50 ms, <= 2x); "
            f"span p95 {percentile(figures['span'], 0.95):.1f} ms (target < 16 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
