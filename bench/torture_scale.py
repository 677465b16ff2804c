"""The rows of ``bench/torture.py`` measured at scale.

- **Hostile files per reader**: ``bench/fuzz_readers.py``'s ``run``.
- **The 1,000,000-character article**: ``annotator import`` time and peak memory (the
  import process's own maximum RSS, from ``wait4``), pre-annotation of it and of an article
  one line longer than spaCy's ``max_length``, and the window's longest event-loop stall
  opening it (``bench/ui_latency.py``'s measure).
- **Merge**: how long ``annotator merge`` of two 1,000-article projects holds the write lock
  of the output, during which another window's edit waits.

    python bench/torture_scale.py --child ...   (children only; run bench/torture.py)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT
from torture_window import Row, made_up_article

from annotator.core import Article, Span
from annotator.storage import Store


def _me(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *args]


# -- hostile files per reader -------------------------------------------------------------


def hostile_files(args: argparse.Namespace) -> list[Row]:
    from fuzz_readers import run

    rows = []
    for row in run(args.fuzz_examples):
        if row["first traceback"]:
            print(f"first traceback, {row['reader']}:\n{row['first traceback']}", file=sys.stderr)
        rows.append(
            Row(
                f"hypothesis files, {row['reader']}: tracebacks / projects changed / invalid "
                "spans / messages over one line",
                f"{row['traceback']} / {row['project changed']} / {row['invalid span']} / "
                f"{row['multi-line']} ({row['files']} files: {row['imported']} imported, "
                f"{row['refused']} refused)",
                "0 / 0 / 0 / 0",
            )
        )
    return rows


# -- the 1,000,000-character article ------------------------------------------------------


def _measured_run(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``command``; its result, seconds, and its own peak RSS in MB (from wait4)."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(
            command, child.returncode, out.read().decode(), err.read().decode()
        )
    return done, seconds, usage.ru_maxrss / 1024  # kB on Linux


def long_article_rows(args: argparse.Namespace) -> list[Row]:
    from ui_latency import long_article

    text, _ = long_article(seed=5, target=1_000_000, spans=20_000, vocabulary=20_000)
    rows = []
    with tempfile.TemporaryDirectory(prefix="torture-long-") as folder:
        source = Path(folder) / "long.txt"
        source.write_text(text, encoding="utf-8")
        annotator = [sys.executable, "-m", "annotator"]
        done, seconds, peak = _measured_run(
            [*annotator, "import", f"{folder}/plain.db", str(source), "--no-preannotate"]
        )
        verdict = f"{seconds:.1f} s, peak {peak:,.0f} MB" if done.returncode == 0 else _failed(done)
        rows.append(Row("1M-character article: import --no-preannotate (time, peak RSS)",
                        verdict, "exit 0"))  # fmt: skip
        done, seconds, peak = _measured_run(
            [*annotator, "import", f"{folder}/annotated.db", str(source)]
        )
        if done.returncode == 0:
            with Store(Path(folder) / "annotated.db") as store:
                suggested = len(store.suggestions(store.article_ids()[0]))
            verdict = f"{seconds:.1f} s, peak {peak:,.0f} MB, {suggested:,} suggestions"
        else:
            verdict = f"pending nlp chunking: {_failed(done)}"
        rows.append(Row("1M-character article: import with pre-annotation (time, peak RSS)",
                        verdict, "exit 0"))  # fmt: skip
        # spaCy refuses a text longer than its max_length (1,000,000): one character more.
        longer = Path(folder) / "longer.txt"
        longer.write_text(text + "\n\nMore.", encoding="utf-8")
        done, seconds, peak = _measured_run(
            [*annotator, "import", f"{folder}/longer.db", str(longer)]
        )
        verdict = (
            f"{seconds:.1f} s, peak {peak:,.0f} MB"
            if done.returncode == 0
            else f"pending nlp chunking: {_failed(done)}"
        )
        rows.append(Row("1,000,007-character article: import with pre-annotation",
                        verdict, "exit 0"))  # fmt: skip
    for attempt in range(args.stall_runs):
        out = subprocess.run(_me("stall"), capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            rows.append(Row("1M-character article: window stall", _failed(out), "< 100 ms"))
            break
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        worst = max(v for k, v in figures.items() if not k.startswith("baseline"))
        rows.append(
            Row(
                f"1M-character article, window (run {attempt + 1}): longest event-loop stall",
                f"{worst:.0f} ms (first opening {figures['first opening']:.0f}, again "
                f"{figures['opened again']:.0f}, jump to the end "
                f"{figures['jump to the end']:.0f}, the first edit (copies the suggestions) "
                f"{figures['first edit (copies 20,000 suggestions)']:.0f}, a span at the end "
                f"{figures['a span at the end']:.0f}, opened once started "
                f"{figures['opened once started']:.0f}; bare QPlainTextEdit "
                f"{figures['baseline: bare QPlainTextEdit']:.0f})",
                "< 100 ms",
            )
        )
    return rows


def _failed(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    last = lines[-1] if lines else "(no message)"
    traceback_shown = "TRACEBACK; " if "Traceback" in done.stderr else ""
    return f"exit {done.returncode}; {traceback_shown}{last[:160]}"


def stall_child() -> None:
    """``ui_latency.time_long_article`` in a process of its own; prints its figures."""
    from PySide6.QtWidgets import QApplication
    from ui_latency import time_long_article

    app = QApplication([])  # noqa: F841 - must stay alive
    with tempfile.TemporaryDirectory(prefix="torture-stall-") as folder:
        figures = time_long_article(Path(folder))
    print(json.dumps(figures))


# -- merge --------------------------------------------------------------------------------


def merge_rows(args: argparse.Namespace) -> list[Row]:
    out = subprocess.run(_me("merge"), capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        return [Row("merge 2 x 1,000 articles: write lock held", _failed(out), "–")]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Row(
            "merge 2 x 1,000 articles (40,000 spans, 40,000 suggestions): write lock held",
            f"{figures['held']:.2f} s of {figures['total']:.2f} s; an edit meanwhile waited "
            f"{figures['waited']:.2f} s and was saved",
            "< 10 s (busy timeout)",
        )
    ]


def merge_child() -> None:
    """Two 1,000-article projects merged into a third; how long the output's write lock is
    held, and how long an edit made meanwhile (another window) waits for it."""
    import threading
    from contextlib import contextmanager

    from annotator.review.merge import merge_projects
    from annotator.storage.base import StoreBase

    rng = random.Random(2)
    with tempfile.TemporaryDirectory(prefix="torture-merge-") as folder:
        inputs = []
        for name in ("ana", "ben"):
            path = Path(folder) / f"{name}.db"
            made = [made_up_article(rng) for _ in range(1000)]
            with Store(path) as store:
                ids = store.add_articles(
                    Article(t, title=f"{name} {i}") for i, (t, _) in enumerate(made)
                ).ids
                store.add_suggestions(zip(ids, (s[:20] for _, s in made), strict=True), "bench")
                with store.transaction():
                    for article_id, (_, spans) in zip(ids, made, strict=True):
                        store.replace_spans(article_id, name, spans[:20])
                        store.set_status(article_id, name, "done")
            inputs.append(path)
        out = Path(folder) / "out.db"
        with Store(out) as other:
            (target,) = other.add_articles([Article("Clashes near Goma.", title="Goma")]).ids
        held: list[float] = []
        original = StoreBase.transaction

        @contextmanager
        def timed(self):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            with original(self):
                locked.set()
                yield self
            held.append(time.perf_counter() - began)

        locked = threading.Event()
        waited: list[float] = []

        def edit_meanwhile() -> None:
            with Store(out) as window:
                locked.wait()
                began = time.perf_counter()
                window.add_span(target, "cem", Span(13, 17, "LOCATION"))
                waited.append(time.perf_counter() - began)

        StoreBase.transaction = timed  # type: ignore[method-assign]
        editor = threading.Thread(target=edit_meanwhile)
        editor.start()
        began = time.perf_counter()
        merge_projects(out, inputs)
        total = time.perf_counter() - began
        editor.join()
    print(json.dumps({"held": max(held), "total": total, "waited": waited[0]}))


ROWS = (hostile_files, long_article_rows, merge_rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+", required=True)
    (kind,) = parser.parse_args().child
    if kind == "stall":
        stall_child()
    elif kind == "merge":
        merge_child()


if __name__ == "__main__":
    main()
