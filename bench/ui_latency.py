"""How fast the window turns pages and makes spans, offscreen.

Measures, in one run:
- Next: from triggering ``actionNext`` to the next article painted with its highlights,
  over the sample project and over a generated 50,000-character article with 2,000 spans;
- the baseline: the same Next over the same texts without any span, in the same window, so
  the ratio is the cost of the highlights; and, for scale, the texts shown in a bare
  ``QPlainTextEdit`` of the same size and font;
- the whole window painted, span list included (it fills in just after the article);
- before each Next the window idles for ``READING_MS``, as while an annotator reads;
- creating a span: from the label key to the span painted and stored;
- a 1,000,000-character article with 20,000 suggestions and 20,000 different words: the
  longest stall of the event
  loop (the longest gap between ticks of a 5 ms timer) from Next until it is shown and
  tokenized, opened the first time (the suggestions are copied) and again; a span made at
  its end; a jump to its end. The baseline is the same text set and painted in a bare
  ``QPlainTextEdit``: what Qt alone costs.

Targets: Next p95 under 50 ms and at most 2x plain text; a span under 16 ms; no stall
over 100 ms on the long article.

    .venv/bin/python bench/ui_latency.py [--rounds 30] [--no-long]
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


def long_article(
    seed: int = 7, target: int = 50_000, spans: int = 2_000, vocabulary: int = 0
) -> tuple[str, list[Span]]:
    """A wire-style article of ``target`` characters in paragraphs, with ``spans`` spans:
    three quarters entities, one quarter claims (some nested), like a dense real article.

    ``vocabulary`` made-up words are mixed in (a third of the words) so that the text has
    as many different words as real news of that length: spaCy's tokenizer caches each
    word it has seen, and a text of thirty words repeated would flatter it.
    """
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    rare = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + rng.choice(",.;:'")
        if rng.random() < 0.2
        else "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        for _ in range(vocabulary)
    ]
    pieces: list[str] = []
    entities: list[Span] = []
    length = 0
    while length < target:
        if rng.random() < 0.18:
            name = rng.choice(PLACES + GROUPS)
            label = "LOCATION" if name in PLACES else "FACTION"
            entities.append(Span(length, length + len(name), label))
            piece = name
        elif rare and rng.random() < 0.33:
            piece = rng.choice(rare)
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
    while window.current.tokens.prepare():  # tokenised while the annotator reads, as in use
        pass
    rng = random.Random(3)
    # The annotator is at work on the article: its first edit (which copies the suggestions
    # into their spans, see time_long_article) is made before the timing.
    window.view.select_range(0, 12)
    window.label_actions["CLAIM"].trigger()
    QApplication.processEvents()
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


class StallMeter:
    """The longest time the event loop did not turn, from ``start()`` on: the longest gap
    between ticks of a 5 ms timer (a blocking call counts from the tick before it)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(interval=5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._timer.start()
        QTest.qWait(50)
        self.longest = 0.0
        self._last = time.perf_counter()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.longest


def time_long_article(folder: Path) -> dict[str, float]:
    """Longest stalls (ms) around a 1,000,000-character article, and Qt's own floor."""
    from annotator.ui.app import freeze_startup_objects
    from annotator.ui.main_window import MainWindow

    text, spans = long_article(seed=5, target=1_000_000, spans=20_000, vocabulary=20_000)
    store = project_with(
        [("A short article before the long one.", []), (text, spans)], folder, "long"
    )
    window = MainWindow(store, "bench")
    window.resize(1400, 900)
    window.show()
    QTest.qWaitForWindowExposed(window)
    QTest.qWait(300)
    freeze_startup_objects()  # as annotator.ui.app.main does once the window is up
    meter = StallMeter()
    figures = {}
    for name in ("first opening", "opened again"):
        meter.start()
        window.action_next.trigger()
        deadline = time.perf_counter() + 60
        while (window.current.loading or not window.current.tokens.complete) and (
            time.perf_counter() < deadline
        ):
            QTest.qWait(20)
        QTest.qWait(300)  # the span list, the read-ahead, anything left
        figures[name] = meter.stop()
        assert not window.current.loading and window.current.tokens.complete, "did not open"
        window.action_previous.trigger()
        QTest.qWait(300)
    window.action_next.trigger()
    while window.current.loading:
        QTest.qWait(20)
    QTest.qWait(300)
    meter.start()
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    QTest.qWait(300)
    figures["jump to the end"] = meter.stop()
    start = text.rindex(" the ") + 1
    for name, offset in (("first edit (copies 20,000 suggestions)", 200), ("a span at the end", 0)):
        meter.start()
        window.view.select_range(start - offset, start - offset + 3)
        window.label_actions["FACTION"].trigger()
        QTest.qWait(300)
        figures[name] = meter.stop()
    # Back to it once started: the annotator's 20,000 spans, read by the worker as well.
    window.action_previous.trigger()
    QTest.qWait(300)
    meter.start()
    window.action_next.trigger()
    while window.current.loading:
        QTest.qWait(20)
    QTest.qWait(300)
    figures["opened once started"] = meter.stop()
    window.close()
    store.close()

    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.resize(1000, 800)
    bare.show()
    QTest.qWaitForWindowExposed(bare)
    meter.start()
    bare.setPlainText(text)
    QTest.qWait(300)
    figures["baseline: bare QPlainTextEdit"] = meter.stop()
    bare.close()
    return figures


def row(name: str, values: list[float]) -> str:
    return (
        f"| {name:<44} | {statistics.median(values):8.2f} | {percentile(values, 0.95):8.2f} "
        f"| {max(values):8.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--no-long", action="store_true", help="skip the 1M-character article")
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
        stalls = {} if args.no_long else time_long_article(Path(folder))

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
    if stalls:
        print("\nLongest event-loop stall, 1,000,000 characters, 20,000 suggestions (ms)\n")
        print(f"| {'when':<44} | {'stall':>8} |")
        print(f"|{'-' * 46}|{'-' * 10}|")
        for name, value in stalls.items():
            print(f"| {name:<44} | {value:8.1f} |")
        baseline = stalls["baseline: bare QPlainTextEdit"]
        worst = max(v for k, v in stalls.items() if not k.startswith("baseline"))
        print(
            f"\nlongest stall {worst:.0f} ms, {worst / baseline:.2f}x Qt's own for the text "
            f"({baseline:.0f} ms) (target < 100 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
