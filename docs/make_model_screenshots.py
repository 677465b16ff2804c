"""Make docs/model-train.png (Model → Train… with the held-out scores of a model trained on
a project's finished articles) and docs/model-panel.png (the Model panel after it was
adopted and two more articles were done with its suggestions).

The project is the 24 GUM news articles (``../shared/eval/gum_news.jsonl``; the sample
project is too small to hold any out), suggested by the default pipeline. Two annotators
finish 20 of them first: amal corrects the suggestions towards GUM's own annotation of
places and organisations, ben accepts nearly all. The training is real (the default
pipeline, in the worker process): a minute or two.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_model_screenshots.py
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _screenshots import keep_settings_in  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core import Article, Span  # noqa: E402
from annotator.storage import Store  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.model_dialog import show_train_dialog  # noqa: E402

DOCS = Path(__file__).resolve().parent
GUM = DOCS.parent.parent / "shared" / "eval" / "gum_news.jsonl"


def gum_project(path: Path) -> list[int]:
    """The GUM news articles, suggested by the default pipeline; returns their ids with the
    held-out ones first (training needs a few finished ones of each part)."""
    from annotator.nlp import load_preannotator
    from annotator.nlp.training.data import split_part

    with GUM.open(encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines if line.strip()]
    preannotator = load_preannotator(None)
    with Store(path) as store:
        ids = store.add_articles(Article(doc["text"], title=doc["title"]) for doc in docs).ids
        suggested = preannotator.suggest(doc["text"] for doc in docs)
        store.add_suggestions(list(zip(ids, suggested, strict=True)), preannotator.name)
    GOLD_SPANS.update({i: gold_spans(doc) for i, doc in zip(ids, docs, strict=True)})
    return sorted(ids, key=lambda i: split_part(docs[ids.index(i)]["text"]) == "train")


def gold_spans(doc: dict) -> set[tuple[int, int, str]]:
    """GUM's named places and organisations as LOCATION and FACTION, what its attributions
    report as CLAIM."""
    kinds = {"place": "LOCATION", "organization": "FACTION"}
    spans = {
        (e["start"], e["end"], kinds[e["etype"]])
        for e in doc["entities"]
        if e["named"] and e["etype"] in kinds
    }
    claims = (a["content"] for a in doc["attributions"])
    return spans | {(c["start"], c["end"], "CLAIM") for c in claims}


GOLD_SPANS: dict[int, set[tuple[int, int, str]]] = {}


def work(store: Store, article_id: int, annotator: str, rng: random.Random, careful: bool):
    """Start on an article (its suggestions become the annotator's spans), correct them as
    this annotator does, and mark it done: amal towards GUM's gold annotation (deletes what
    it lacks, moves edges, adds what no suggestion had), ben deletes now and then."""
    gold = GOLD_SPANS[article_id]
    kept = set()
    spans = store.start_article(article_id, annotator)
    suggested = {(s.start, s.end, s.label) for s in spans}  # edited onto one: a twin
    for span in spans:
        if not careful:
            if rng.random() < 0.05:
                store.delete_span(span.id)
            continue
        same = (span.start, span.end, span.label)
        near = [g for g in gold - kept if g[0] < span.end and span.start < g[1]]
        if same in gold:
            kept.add(same)
        elif near and near[0] not in kept and near[0] not in suggested:
            store.update_span(span.id, near[0][0], near[0][1], near[0][2], "edited")
            kept.add(near[0])
        else:
            store.delete_span(span.id)
    if careful:
        for start, end, label in sorted(gold - kept):
            taken = store.spans(article_id, annotator)
            if all(s.end <= start or s.start >= end or "CLAIM" in (s.label, label) for s in taken):
                store.add_span(article_id, annotator, Span(start, end, label, origin="human"))
    store.set_status(article_id, annotator, "done")


def wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {seconds:.0f} s")
        QTest.qWait(50)


def main() -> int:
    if not GUM.exists():
        print(f"skipped docs/model-*.png: {GUM} not found (the evaluation data)")
        return 0
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - must stay alive
    with tempfile.TemporaryDirectory() as folder:
        keep_settings_in(folder)
        path = Path(folder) / "gum.db"
        ids = gum_project(path)
        rng = random.Random(3)
        with Store(path) as store:
            for k, article_id in enumerate(ids[:20]):
                work(store, article_id, "ben" if k % 3 == 2 else "amal", rng, careful=k % 3 != 2)
        store = Store(path)
        window = MainWindow(store, "amal")
        window.resize(1480, 960)
        window.show()
        QTest.qWaitForWindowExposed(window)

        training = window.model_training
        dialog = show_train_dialog(window)
        QTest.qWaitForWindowExposed(dialog)
        dialog.train_button.click()
        wait_until(lambda: not training.is_running(), 900)
        if training.latest is None:
            print(f"training failed: {dialog.error.text()}")
            return 1
        QTest.qWait(300)
        dialog.resize(dialog.width(), dialog.sizeHint().height())
        QTest.qWait(200)
        dialog.grab().save(str(DOCS / "model-train.png"))

        dialog.result_view.adopt_button.click()
        wait_until(lambda: training.adopting is None, 300)
        dialog.close()
        for article_id in ids[20:22]:  # done with the new model's suggestions
            window.open_article(article_id)
            QTest.qWait(300)
            work(store, article_id, "amal", rng, careful=True)
        window.named_actions["actionShowModelPanel"].trigger()
        dock = window.model_panel.dock
        dock.setFloating(False)  # docked for the picture (the text then has less than 720 px)
        window.resizeDocks([dock], [560], Qt.Orientation.Horizontal)
        QTest.qWait(500)
        window.model_panel.refresh()
        QTest.qWait(300)
        usage_box = window.model_panel.chart.parentWidget()  # the last box of the panel
        bottom = usage_box.mapTo(dock, QPoint(0, usage_box.height())).y() + 6
        dock.grab(QRect(0, 0, dock.width(), min(dock.height(), bottom + 4))).save(
            str(DOCS / "model-panel.png")
        )
        print(f"wrote {DOCS / 'model-train.png'} and {DOCS / 'model-panel.png'}")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
