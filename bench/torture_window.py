"""The rows of ``bench/torture.py`` measured through a real window: SIGKILL during edits.

A child runs ``MainWindow`` offscreen on a project and edits by keys on ``articleView`` (a
selection and a label key, a span clicked and relabelled or deleted, Ctrl+Z, Ctrl+Shift+Z,
Enter, N/P). Every write a command makes passes ``StoreCommand.try_write``, which returns
once the store committed it: the child appends to a side file (fsync'd) what it is about to
write, and then that it was written. The parent kills the child at a random moment, then
checks that every edit the window reported done is in the project (the one in flight may be
there or not) and that ``PRAGMA integrity_check`` says ok.

The rows measured at scale are in ``bench/torture_scale.py``.

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


def made_up_article(rng: random.Random) -> tuple[str, list[Span]]:
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
    made = [made_up_article(rng) for _ in range(30)]
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

    from annotator.ui.commands import StatusChange, StoreCommand
    from annotator.ui.main_window import MainWindow
    from annotator.ui.span_commands import SpanChange

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


ROWS = (sigkill_window,)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+", required=True)
    kind, db, side, seed = parser.parse_args().child
    if kind == "window-killee":
        window_killee(Path(db), Path(side), int(seed))


if __name__ == "__main__":
    main()
