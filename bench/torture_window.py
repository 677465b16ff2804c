"""The rows of ``bench/torture.py`` measured through the window and at scale.

- **SIGKILL during real window edits**: a child runs ``MainWindow`` offscreen on a project
  and edits by keys on ``articleView`` (a selection and a label key, a span clicked and
  relabelled or deleted, Ctrl+Z, Ctrl+Shift+Z, Enter, N/P). Every write a command makes
  passes ``StoreCommand.try_write``, which returns once the store committed it: the child
  appends to a side file (fsync'd) what it is about to write, and then that it was
  written. The parent kills the child at a random moment, then checks that every edit the
  window reported done is in the project (the one in flight may be there or not) and that
  ``PRAGMA integrity_check`` says ok.
- **Hostile files per reader**: ``bench/fuzz_readers.py``'s ``run``.
- **The 1,000,000-character article**: ``annotator import`` time and peak memory (the
  import process's own maximum RSS, from ``wait4``), pre-annotation of it, and the
  window's longest event-loop stall opening it (``bench/ui_latency.py``'s measure).
- **Merge**: how long ``annotator merge`` of two 1,000-article projects holds the write lock
  of the output, during which another window's edit waits.

    python bench/torture_window.py --child ...   (children only; run bench/torture.py)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from _common import ROOT

from annotator.core import Article, Span
from annotator.storage import Store

LABEL_KEYS = ("1", "2", "3")  # LOCATION, FACTION, CLAIM
PLACES = ("Aleppo", "Idlib", "Marib", "Kidal", "Goma", "Sinjar")
GROUPS = ("government forces", "Houthi rebels", "the RSF", "M23", "al-Shabaab")
FILLER = ("fighting", "continued", "near", "the", "town", "as", "residents", "fled",
          "toward", "border", "while", "officials", "said", "convoys", "waited")  # fmt: skip


@dataclass
class Row:
    check: str
    measured: str
    goal: str = "0"


def _me(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *args]


# -- SIGKILL during window edits ----------------------------------------------------------


def _article(rng: random.Random) -> tuple[str, list[Span]]:
    pieces, spans, length = [], [], 0
    while length < 700:
        if rng.random() < 0.15:
            name = rng.choice(PLACES + GROUPS)
            spans.append(
                Span(length, length + len(name), "LOCATION" if name in PLACES else "FACTION")
            )
            piece = name
        else:
            piece = rng.choice(FILLER)
        pieces.append(piece + " ")
        length += len(piece) + 1
    return "".join(pieces).strip() + ".", spans


def _window_project(path: Path) -> None:
    rng = random.Random(11)
    made = [_article(rng) for _ in range(30)]
    with Store(path) as store:
        ids = store.add_articles(
            Article(text, title=f"Report {i}") for i, (text, _) in enumerate(made)
        ).ids
        store.add_suggestions(zip(ids, (spans for _, spans in made), strict=True), "bench")


def window_killee(db: Path, side: Path, seed: int) -> None:
    """Edit by keys in a real window until killed; report each write to ``side``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.ui.commands import SpanChange, StatusChange, StoreCommand
    from annotator.ui.main_window import MainWindow

    app = QApplication([])
    log = os.open(side, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def report(**fields: object) -> None:
        os.write(log, (json.dumps(fields) + "\n").encode())
        os.fsync(log)

    def spans(items) -> list[list]:
        return [[s.id, s.start, s.end, s.label] for s in items]

    written = StoreCommand.try_write

    def try_write(command: StoreCommand, forward: bool) -> bool:
        if isinstance(command, SpanChange):
            old, new = (
                (command.before, command.after) if forward else (command.after, command.before)
            )
            old = [command.ids.resolve(s) for s in old]
            old_ids = {s.id for s in old}
            kept = [command.ids.current(s.id) for s in new]
            report(intent="spans", article=command.article_id, old=spans(old),
                   new=[[k if k in old_ids else None, s.start, s.end, s.label]
                        for k, s in zip(kept, new, strict=True)])  # fmt: skip
        elif isinstance(command, StatusChange):
            status = (command.after if forward else command.before)[0]
            report(intent="status", article=command.article_id, status=status)
        else:
            report(intent="other", kind=type(command).__name__)
        ok = written(command, forward)
        if not ok:
            report(failed=True)
        elif isinstance(command, SpanChange):
            removed, stored = command._shown  # noqa: SLF001 - what was written, as shown
            report(done="spans", article=command.article_id,
                   removed=[s.id for s in removed], stored=spans(stored))  # fmt: skip
        elif isinstance(command, StatusChange):
            report(done="status", article=command.article_id,
                   status=(command.after if forward else command.before)[0])  # fmt: skip
        return ok

    StoreCommand.try_write = try_write  # type: ignore[method-assign]
    store = Store(db)
    window = MainWindow(store, "ana")

    def shown(article_id: int) -> None:
        report(shown=article_id, spans=spans(window.current.spans),
               status=window.current.status)  # fmt: skip

    window.articleShown.connect(shown)
    if window.current is not None and not window.current.loading:
        shown(window.current.id)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    view = window.view
    view.setFocus()
    rng = random.Random(seed)
    control = Qt.KeyboardModifier.ControlModifier
    keys = {str(n): getattr(Qt.Key, f"Key_{n}") for n in range(10)}

    def gesture() -> None:
        current = window.current
        if current is None or current.loading:
            return
        roll = rng.random()
        text = current.article.text
        if roll < 0.4:  # select some words, press a label key
            start = rng.randrange(0, max(1, len(text) - 30))
            window.editor.clear_selection()
            view.select_range(start, start + rng.randrange(3, 25))
            QTest.keyClick(view, keys[rng.choice(LABEL_KEYS)])
        elif roll < 0.62 and current.spans:  # a span clicked, another label
            window.editor.select_span(rng.choice(current.spans))
            QTest.keyClick(view, keys[rng.choice(LABEL_KEYS)])
        elif roll < 0.78 and current.spans:  # a span clicked, Delete
            window.editor.select_span(rng.choice(current.spans))
            QTest.keyClick(view, Qt.Key.Key_Delete)
        elif roll < 0.87:
            QTest.keyClick(view, Qt.Key.Key_Z, control)
        elif roll < 0.92:
            QTest.keyClick(view, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)
        elif roll < 0.96:
            QTest.keyClick(view, Qt.Key.Key_Return)  # done, next
        else:
            QTest.keyClick(view, rng.choice((Qt.Key.Key_N, Qt.Key.Key_P)))

    def step() -> None:
        gesture()
        QTimer.singleShot(rng.randrange(0, 20), step)

    report(ready=True)
    QTimer.singleShot(0, step)
    app.exec()


def _read_side(path: Path) -> list[dict]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with suppress(json.JSONDecodeError):  # the line being written when it died
            records.append(json.loads(line))
    return records


State = dict[int, dict[int, tuple]]  # article -> span id -> (start, end, label)


def _apply(expected: State, statuses: dict[int, str], record: dict) -> int:
    """Fold a reported record into what the project must hold; returns mismatches seen
    (an article shown other than as reported written)."""
    if "shown" in record:
        article = record["shown"]
        spans = {i: (s, e, label) for i, s, e, label in record["spans"]}
        bad = 0
        if article in expected and expected[article] != spans:
            bad = len(set(expected[article].items()) ^ set(spans.items()))
        expected[article] = spans
        statuses.setdefault(article, record["status"])
        return bad
    if record.get("done") == "spans":
        article = record["article"]
        spans = expected.setdefault(article, {})
        for span_id in record["removed"]:
            spans.pop(span_id, None)
        for i, s, e, label in record["stored"]:
            spans[i] = (s, e, label)
        if statuses.get(article) == "todo":
            statuses[article] = "in_progress"
    elif record.get("done") == "status":
        statuses[record["article"]] = record["status"]
    return 0


def _pending_applied(expected: dict[int, tuple], stored: dict[int, tuple], intent: dict) -> bool:
    """Whether ``stored`` is ``expected`` with the edit in flight (``intent``) written."""
    old_ids = {span[0] for span in intent["old"]}
    kept = {span[0]: tuple(span[1:]) for span in intent["new"] if span[0] is not None}
    added = Counter(tuple(span[1:]) for span in intent["new"] if span[0] is None)
    must = {i: t for i, t in expected.items() if i not in old_ids} | kept
    if any(stored.get(i) != t for i, t in must.items()):
        return False
    extra = Counter(t for i, t in stored.items() if i not in must)
    return extra == added


def _check_run(db: Path, expected: State, statuses: dict[int, str], pending: dict | None) -> int:
    lost = 0
    with Store(db) as store:
        for article, spans in expected.items():
            stored = {s.id: (s.start, s.end, s.label) for s in store.spans(article, "ana")}
            if stored == spans:
                continue
            if (
                pending is not None
                and pending.get("intent") == "spans"
                and pending["article"] == article
                and _pending_applied(spans, stored, pending)
            ):
                continue
            lost += len(set(stored.items()) ^ set(spans.items()))
        for article, status in statuses.items():
            now = store.status(article, "ana").status
            in_flight = (
                pending is not None
                and pending.get("intent") == "status"
                and pending["article"] == article
                and now == pending["status"]
            )
            lost += now != status and not in_flight
    return lost


def sigkill_window(args: argparse.Namespace) -> list[Row]:
    kills = args.kills
    rng = random.Random(5)
    edits = lost = bad_integrity = refused = 0
    with tempfile.TemporaryDirectory(prefix="torture-window-") as folder:
        db = Path(folder) / "project.db"
        _window_project(db)
        expected: State = {}
        statuses: dict[int, str] = {}
        for kill in range(kills):
            side = Path(folder) / f"side{kill}.jsonl"
            child = subprocess.Popen(
                _me("window-killee", str(db), str(side), str(kill)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and child.poll() is None:
                if side.exists() and '"ready"' in side.read_text(encoding="utf-8"):
                    break
                time.sleep(0.05)
            time.sleep(rng.uniform(0.05, 1.5))
            child.send_signal(signal.SIGKILL)
            _, err = child.communicate()
            if "Traceback" in err:
                print(err, file=sys.stderr)
            pending = None
            for record in _read_side(side) if side.exists() else []:
                if "intent" in record:
                    pending = record
                    continue
                if "failed" in record:
                    refused += 1
                    pending = None
                    continue
                if "done" in record:
                    edits += 1
                    pending = None
                lost += _apply(expected, statuses, record)
            with closing(sqlite3.connect(db)) as check:
                bad_integrity += check.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
            lost += _check_run(db, expected, statuses, pending)
            with Store(db) as store:  # the next run starts from what is there
                expected = {
                    a: {s.id: (s.start, s.end, s.label) for s in store.spans(a, "ana")}
                    for a in expected
                }
                statuses = {a: store.status(a, "ana").status for a in statuses}
    return [
        Row(f"SIGKILL x{kills} during window edits by keys: edits the window reported done",
            f"{edits:,}", "–"),
        Row(f"SIGKILL x{kills} during window edits by keys: writes refused (shown to the user)",
            f"{refused:,}", "–"),
        Row(f"SIGKILL x{kills} during window edits by keys: edits lost", str(lost)),
        Row(f"SIGKILL x{kills} during window edits by keys: integrity_check not ok",
            str(bad_integrity)),
    ]  # fmt: skip


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
                f"{figures['jump to the end']:.0f}, a span at the end "
                f"{figures['a span at the end']:.0f}; bare QPlainTextEdit "
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
            made = [_article(rng) for _ in range(1000)]
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


ROWS = (sigkill_window, hostile_files, long_article_rows, merge_rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+", required=True)
    kind, *rest = parser.parse_args().child
    if kind == "window-killee":
        window_killee(Path(rest[0]), Path(rest[1]), int(rest[2]))
    elif kind == "stall":
        stall_child()
    elif kind == "merge":
        merge_child()


if __name__ == "__main__":
    main()
