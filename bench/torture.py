"""Torture checks of the project file, too long for the test suite; prints one table.

    python bench/torture.py [--seconds 30] [--kills 50] [--only concurrent,sigkill,odd]

(a) **Three processes on one file** for ``--seconds``: two annotators making window-like
    single edits through ``Store`` (add, move, relabel, delete, restore spans; statuses),
    with the undo stack's checks (``expected=``), and ``annotator import`` /
    ``annotator preannotate --force`` in a loop. Counted: "locked" errors that would reach a
    user, edits lost (what each writer believes it committed against what is stored),
    tracebacks.
(b) **SIGKILL** ``--kills`` times a process making edits through ``Store``: every edit it
    reported committed must be stored (the one in flight may or may not be), and
    ``PRAGMA integrity_check`` must say ok.
(c) **Odd project files**: read-only file, folder and medium, another program's database,
    empty, not a database, damaged, newer, full disk during an import and an edit: the
    message each gives, its exit status, tracebacks, and whether any file changed.

Rows measured through the window and at scale are added by the functions listed in
``WINDOW_ROWS`` (``bench/torture_window.py``, ``bench/torture_scale.py``): SIGKILL during
real window edits made by keys, hypothesis files per reader (``--fuzz-examples`` each), the
1M-character article (import time and peak memory, pre-annotation, the window's longest
stall, ``--stall-runs`` times), and how long a merge holds the write lock.

    python bench/torture.py --only sigkill_window,long_article_rows   (see --help for the names)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import closing, contextmanager
from pathlib import Path

from _common import ROOT
from torture_scale import ROWS as SCALE_ROWS
from torture_window import ROWS, Row

from annotator.core import Article, Span
from annotator.core.model import STATUSES
from annotator.storage import ProjectBusy, StorageError, Store

LABELS = ("LOCATION", "FACTION", "CLAIM")
WORDS = ("forces", "shelled", "the", "town", "near", "border", "while", "rebels", "said",
         "they", "held", "bridge")  # fmt: skip


#: Rows from the window side and at scale, each a function returning rows measured in the
#: same run: SIGKILL during real window edits, hypothesis files per reader (tracebacks,
#: projects changed), the 1M-character article (import time, peak memory, longest stall),
#: the merge's write lock (``bench/torture_window.py``, ``bench/torture_scale.py``).
WINDOW_ROWS: list[Callable[[argparse.Namespace], list[Row]]] = [*ROWS, *SCALE_ROWS]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def _make_project(path: Path, articles: int, seed: int) -> None:
    rng = random.Random(seed)
    with Store(path) as store:
        store.add_articles(
            Article(f"Report {i}: {_text(rng, 60)}", title=f"Report {i}") for i in range(articles)
        )


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


# -- (a) three processes -----------------------------------------------------------------------


def editor(db: Path, name: str, seconds: float, seed: int) -> dict:
    """A window's edits, for ``seconds``; returns counts, and what was lost at the end."""
    rng = random.Random(seed)
    counts = {"edits": 0, "locked": 0, "conflicts": 0, "other_errors": 0, "tracebacks": 0}
    believed: dict[int, dict[int, Span]] = {}  # article -> span id -> span, as committed
    statuses: dict[int, str] = {}
    undo: list[tuple[int, Span]] = []  # deleted spans, for restores
    with Store(db) as store:
        articles = store.article_ids()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            article = rng.choice(articles)
            where_undone = None  # the article a restored span went back to
            try:
                if article not in believed:
                    believed[article] = {s.id: s for s in store.start_article(article, name)}
                spans = believed[article]
                roll = rng.random()
                keys = {s.key for s in spans.values()}  # no twin, as the window makes none
                if roll < 0.35 or not spans:
                    start = rng.randrange(0, 300)
                    span = Span(start, start + rng.randrange(1, 20), rng.choice(LABELS))
                    if span.key in keys:
                        continue
                    made = store.add_span(article, name, span)
                    spans[made.id] = made
                elif roll < 0.6:
                    old = spans[rng.choice(list(spans))]
                    label = rng.choice(LABELS)
                    if (old.start, old.end + 1, label) in keys:
                        continue
                    new = store.update_span(
                        old.id, old.start, old.end + 1, label, "edited",
                        expected=old, article_id=article, annotator=name,
                    )  # fmt: skip
                    spans[new.id] = new
                elif roll < 0.8:
                    old = spans[rng.choice(list(spans))]
                    store.delete_span(old.id, expected=old, article_id=article, annotator=name)
                    del spans[old.id]
                    undo.append((article, old))
                elif roll < 0.88 and undo:
                    where, old = undo.pop()
                    if old.key in {s.key for s in believed.get(where, {}).values()}:
                        continue  # made again since: its twin
                    back = store.add_span(where, name, old)
                    where_undone = where
                    believed.setdefault(where, {})[back.id] = back
                else:
                    status = rng.choice(STATUSES)
                    store.set_status(article, name, status)
                    statuses[article] = status
                    counts["edits"] += 1
                    continue
                # A span's edit makes an article "todo" for its annotator "in_progress", by
                # design: so the status believed (the bench counted the change as lost).
                edited = article if where_undone is None else where_undone
                if statuses.get(edited) == "todo":
                    statuses[edited] = "in_progress"
                counts["edits"] += 1
            except ProjectBusy:
                counts["locked"] += 1
            except StorageError as error:
                kind = "conflicts" if "elsewhere" in str(error) else "other_errors"
                counts[kind] += 1
            except Exception:  # noqa: BLE001 - what would be a traceback on stderr
                counts["tracebacks"] += 1
                traceback.print_exc()
            time.sleep(rng.uniform(0, 0.02))  # a fast annotator: up to 50 edits a second
        lost = 0
        for article, spans in believed.items():
            stored = {_row(s) for s in store.spans(article, name)}
            lost += len(stored ^ {_row(s) for s in spans.values()})
        for article, status in statuses.items():
            lost += store.status(article, name).status != status
    counts["lost"] = lost
    return counts


def _row(span: Span) -> tuple:
    return (span.id, span.start, span.end, span.label, span.origin)


def importer(db: Path, seconds: float, folder: Path) -> dict:
    """``annotator import`` of new articles and ``preannotate --force``, in turn."""
    counts = {"runs": 0, "failed": 0, "locked": 0, "tracebacks": 0}
    rng = random.Random(7)
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        if i % 2:
            source = folder / f"batch{i}.jsonl"
            source.write_text(
                "".join(
                    json.dumps({"text": f"Batch {i} item {j}: {_text(rng, 80)}"}) + "\n"
                    for j in range(40)
                ),
                encoding="utf-8",
            )
            done = _cli("import", str(db), str(source), "--no-preannotate")
        else:
            done = _cli("preannotate", str(db), "--force")
        counts["runs"] += 1
        counts["failed"] += done.returncode != 0
        counts["locked"] += "locked" in done.stderr
        counts["tracebacks"] += "Traceback" in done.stderr
        if done.returncode != 0:
            print(done.stderr.strip().splitlines()[-1:], file=sys.stderr)
    return counts


def concurrent(args: argparse.Namespace) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "project.db"
        _make_project(db, 200, seed=1)
        me = [sys.executable, __file__]
        children = [
            subprocess.Popen(
                [*me, "--child", "editor", str(db), name, str(args.seconds), str(seed)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, seed in (("ana", 1), ("ben", 2))
        ]
        children.append(
            subprocess.Popen(
                [*me, "--child", "importer", str(db), str(args.seconds), folder],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        results = []
        for child in children:
            out, err = child.communicate(timeout=args.seconds + 600)
            result = json.loads(out.strip().splitlines()[-1])
            result["tracebacks"] += "Traceback" in err and not result["tracebacks"]
            results.append(result)
        with closing(sqlite3.connect(db)) as check:
            integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
    ana, ben, bulk = results
    seconds = f"{args.seconds:g} s"
    return [
        Row(f"3 processes, {seconds}: window-like edits committed (ana + ben)",
            f"{ana['edits']:,} + {ben['edits']:,}", "–"),
        Row(f"3 processes, {seconds}: import / preannotate --force runs", f"{bulk['runs']}", "–"),
        Row(f"3 processes, {seconds}: 'locked' errors reaching a user",
            str(ana["locked"] + ben["locked"] + bulk["locked"])),
        Row(f"3 processes, {seconds}: other failures (edits, imports)",
            str(ana["other_errors"] + ben["other_errors"] + bulk["failed"])),
        Row(f"3 processes, {seconds}: edits lost", str(ana["lost"] + ben["lost"])),
        Row(f"3 processes, {seconds}: tracebacks",
            str(ana["tracebacks"] + ben["tracebacks"] + bulk["tracebacks"])),
        Row(f"3 processes, {seconds}: integrity_check", integrity, "ok"),
    ]  # fmt: skip


# -- (b) SIGKILL -------------------------------------------------------------------------------


def killee(db: Path, seed: int) -> None:
    """Edit until killed; print what is about to be done, then that it was committed."""
    rng = random.Random(seed)
    store = Store(db)
    spans = {s.id: s for s in store.spans(1, "ana")}

    def report(**fields: object) -> None:
        print(json.dumps(fields), flush=True)

    while True:
        roll = rng.random()
        keys = {s.key for s in spans.values()}  # no twin, as the window makes none
        if roll < 0.5 or not spans:
            start = rng.randrange(0, 300)
            span = Span(start, start + rng.randrange(1, 9), rng.choice(LABELS))
            if span.key in keys:
                continue
            report(intent="add", span=[span.start, span.end, span.label])
            made = store.add_span(1, "ana", span)
            spans[made.id] = made
            report(done="add", id=made.id, span=[made.start, made.end, made.label])
        elif roll < 0.75:
            old = spans[rng.choice(list(spans))]
            if (old.start, old.end + 1, old.label) in keys:
                continue
            report(intent="update", id=old.id, span=[old.start, old.end + 1, old.label])
            spans[old.id] = store.update_span(
                old.id, old.start, old.end + 1, old.label, "edited", expected=old
            )
            report(done="update", id=old.id, span=[old.start, old.end + 1, old.label])
        else:
            old = spans.pop(rng.choice(list(spans)))
            report(intent="delete", id=old.id)
            store.delete_span(old.id, expected=old)
            report(done="delete", id=old.id)


def _stored(db: Path) -> dict[int, tuple]:
    with Store(db) as store:
        return {s.id: (s.start, s.end, s.label) for s in store.spans(1, "ana")}


def _lost(expected: dict[int, tuple], stored: dict[int, tuple], pending: dict | None) -> int:
    """Edits reported committed that are not stored; the edit in flight may go either way."""
    if stored == expected:
        return 0
    if pending is not None:
        applied = dict(expected)
        if pending["intent"] == "add":
            extra = set(stored) - set(expected)
            if len(extra) == 1:
                applied[extra.pop()] = tuple(pending["span"])
        elif pending["intent"] == "update":
            applied[pending["id"]] = tuple(pending["span"])
        else:
            applied.pop(pending["id"], None)
        if stored == applied:
            return 0
    return len(set(stored.items()) ^ set(expected.items()))


def sigkill(args: argparse.Namespace) -> list[Row]:
    lost = bad_integrity = edits = 0
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "project.db"
        _make_project(db, 1, seed=2)
        expected: dict[int, tuple] = {}
        for kill in range(args.kills):
            child = subprocess.Popen(
                [sys.executable, __file__, "--child", "killee", str(db), str(kill)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            time.sleep(rng.uniform(0.4, 1.2))  # the import takes ~0.3 s of it
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate()
            pending = None
            for line in out.splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # the line being written when it died
                    continue
                if "intent" in record:
                    pending = record
                    continue
                pending = None
                edits += 1
                if record["done"] == "delete":
                    expected.pop(record["id"], None)
                else:
                    expected[record["id"]] = tuple(record["span"])
            with closing(sqlite3.connect(db)) as check:
                bad_integrity += check.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
            stored = _stored(db)
            lost += _lost(expected, stored, pending)
            expected = stored  # the next run starts from what is there
    n = args.kills
    return [
        Row(f"SIGKILL x{n} during Store edits: edits reported committed", f"{edits:,}", "–"),
        Row(f"SIGKILL x{n} during Store edits: edits lost", str(lost)),
        Row(f"SIGKILL x{n} during Store edits: integrity_check not ok", str(bad_integrity)),
    ]


# -- (c) odd project files ---------------------------------------------------------------------


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@contextmanager
def _mounted(folder: Path, options: str):
    """A tmpfs at ``folder`` (root only); yields False where mounting is not allowed."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "none", str(folder)],
                          capture_output=True)  # fmt: skip
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", str(folder)], capture_output=True)


def _odd_row(
    case: str, done: subprocess.CompletedProcess, changed: bool, goal: str, folder: Path
) -> Row:
    message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "(no message)"
    traceback_shown = "Traceback" in done.stderr
    shown = message.replace(f"{folder}/", "")
    if len(shown) > 200:
        shown = shown[:197] + "..."
    verdict = f"exit {done.returncode}; {'TRACEBACK; ' if traceback_shown else ''}"
    verdict += f"{'files CHANGED; ' if changed else ''}{shown}"
    return Row(f"odd file: {case}", verdict, goal)


def odd_files(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as root_folder:
        base = Path(root_folder)
        source = base / "new.jsonl"
        source.write_text('{"text": "Rebels took Kidal on Monday."}\n', encoding="utf-8")

        def case(name: str, make: Callable[[Path], Path], command: str, goal: str) -> None:
            folder = base / name.replace(" ", "_")
            folder.mkdir()
            path = make(folder)
            before = _fingerprint(folder)
            if command == "import":
                done = _cli("import", str(path), str(source), "--no-preannotate")
            else:
                done = _cli("stats", str(path))
            folder.chmod(0o755)
            rows.append(_odd_row(name, done, _fingerprint(folder) != before, goal, folder))

        def project(folder: Path) -> Path:
            _make_project(folder / "p.db", 3, seed=4)
            return folder / "p.db"

        def read_only_file(folder: Path) -> Path:
            path = project(folder)
            path.chmod(0o444)
            return path

        def read_only_folder(folder: Path) -> Path:
            path = project(folder)
            folder.chmod(0o555)
            return path

        def foreign(folder: Path) -> Path:
            path = folder / "inventory.db"
            with closing(sqlite3.connect(path)) as db:
                db.execute("CREATE TABLE items (name TEXT)")
                db.commit()
            return path

        def empty(folder: Path) -> Path:
            (folder / "empty.db").touch()
            return folder / "empty.db"

        def text(folder: Path) -> Path:
            (folder / "notes.db").write_text("shopping list\n", encoding="utf-8")
            return folder / "notes.db"

        def damaged(folder: Path) -> Path:
            path = project(folder)
            data = bytearray(path.read_bytes())
            for offset in range(4096, len(data), 4096):
                data[offset : offset + 4096] = b"\xa5" * 4096
            path.write_bytes(bytes(data))
            return path

        def newer(folder: Path) -> Path:
            path = project(folder)
            with closing(sqlite3.connect(path)) as db:
                db.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                    "VALUES ('annotator', '0099_from_the_future', '')"
                )
                db.commit()
            return path

        case("read-only file, import", read_only_file, "import", "exit 1, one line")
        case("read-only file, stats", read_only_file, "stats", "exit 0, unchanged")
        case("read-only folder, import", read_only_folder, "import", "exit 1, one line")
        case("read-only folder, stats", read_only_folder, "stats", "exit 0, unchanged")
        case("another program's SQLite file", foreign, "stats", "exit 1, unchanged")
        case("zero-byte file, stats", empty, "stats", "exit 1, stays empty")
        case("a text file", text, "stats", "exit 1, unchanged")
        case("damaged pages", damaged, "stats", "exit 1, one line")
        case("made by a newer version", newer, "stats", "exit 1, unchanged")
        rows.extend(_mounted_cases(base, source))
    return rows


def _mounted_cases(base: Path, source: Path) -> list[Row]:
    rows = []
    medium = base / "medium"
    with _mounted(medium, "size=4m") as mounted:
        if not mounted:
            return [Row("odd file: read-only medium, full disk", "not measured (mount refused)")]
        _make_project(medium / "p.db", 3, seed=5)
        subprocess.run(["mount", "-o", "remount,ro", str(medium)], check=True)
        done = _cli("stats", str(medium / "p.db"))
        rows.append(_odd_row("read-only medium, stats", done, False, "exit 0", medium))
        done = _cli("import", str(medium / "p.db"), str(source), "--no-preannotate")
        rows.append(_odd_row("read-only medium, import", done, False, "exit 1, one line", medium))
    full = base / "full"
    with _mounted(full, "size=1m") as mounted:
        if not mounted:
            rows.append(Row("odd file: full disk", "not measured (mount refused)"))
            return rows
        store = Store(full / "p.db")
        before = store.add_articles([Article("Rebels took Kidal.")]).ids
        big = base / "big.jsonl"
        big.write_text(
            "".join(json.dumps({"text": f"{i} {'word ' * 20000}"}) + "\n" for i in range(20)),
            encoding="utf-8",
        )
        done = _cli("import", str(full / "p.db"), str(big), "--no-preannotate")
        kept = store.article_ids() == before
        rows.append(_odd_row("full disk during an import", done, not kept, "exit 1, kept", full))
        saved = 0
        message = "no error"
        try:
            for _ in range(100_000):
                store.add_span(before[0], "ana", Span(0, 6, "FACTION"))
                saved += 1
        except StorageError as error:
            message = str(error).replace(f"{full}/", "")
        stored = len(store.spans(before[0], "ana"))
        store.close()
        verdict = "all kept" if stored == saved else f"{stored:,} stored: LOST"
        rows.append(Row("odd file: full disk during edits",
                        f"{message} ({saved:,} edits saved before it, {verdict})",
                        "one message, all kept"))  # fmt: skip
    return rows


# -- main --------------------------------------------------------------------------------------


SECTIONS: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "concurrent": concurrent,
    "sigkill": sigkill,
    "odd": odd_files,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--fuzz-examples", type=int, default=500, help="files per reader")
    parser.add_argument("--stall-runs", type=int, default=3)
    sections = {**SECTIONS, **{rows.__name__: rows for rows in WINDOW_ROWS}}
    parser.add_argument("--only", default=",".join(sections), help=", ".join(sections))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "editor":
            print(json.dumps(editor(Path(rest[0]), rest[1], float(rest[2]), int(rest[3]))))
        elif kind == "importer":
            print(json.dumps(importer(Path(rest[0]), float(rest[1]), Path(rest[2]))))
        elif kind == "killee":
            killee(Path(rest[0]), int(rest[1]))
        return
    rows: list[Row] = []
    for name in args.only.split(","):
        started = time.monotonic()
        rows += sections[name](args)
        print(f"  {name}: {time.monotonic() - started:.0f} s", file=sys.stderr)
    width = max(len(row.check) for row in rows)
    print(f"| {'check':<{width}} | measured | goal |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for row in rows:
        print(f"| {row.check:<{width}} | {row.measured} | {row.goal} |")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
